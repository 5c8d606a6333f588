// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaHoldings} from "../src/RwaHoldings.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice Gas of receiveMessage in a realistic, warmed-up state, recorded in contracts/.gas-snapshot.
/// Building and signing the message is excluded from the metered gas (pauseGasMetering), so each figure is the
/// relayer's receiveMessage call plus a small constant overhead of the test call itself.
contract GasTest is AttestationFixture {
  bytes32 internal constant DID_3OF5 = keccak256("did:rwa:acme:money-market");

  uint256[] internal keys3of5;
  RwaHoldings internal holdings3of5;

  function setUp() public override {
    super.setUp();
    // Realistic state: the investor already holds units, the NAV feed has a round, the nonce word is in use.
    deliver(subscriptionAtt(alice, 1_000e6, 1));
    deliver(navAtt(NAV_1, uint64(T0 - 1 days), 2));

    (keys3of5, holdings3of5,) = configureCommittee(DID_3OF5, 5, 3, 35);
    SettlementAtt memory first = subscriptionAtt(alice, 1_000e6, 1);
    first.did = DID_3OF5;
    receiver.receiveMessage(encodeSettlement(first), signSorted(digestOf(first), firstKeys(keys3of5, 3)));
  }

  function test_gas_applySubscription_2of3() public {
    vm.pauseGasMetering();
    SettlementAtt memory a = subscriptionAtt(alice, 250e6, 3);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.resumeGasMetering();

    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);

    vm.pauseGasMetering();
    assertEq(holdings.balanceOf(alice), 1_250e6);
  }

  function test_gas_applyRedemption_2of3() public {
    vm.pauseGasMetering();
    SettlementAtt memory a = redemptionAtt(alice, 400e6, 3);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.resumeGasMetering();

    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);

    vm.pauseGasMetering();
    assertEq(holdings.balanceOf(alice), 600e6);
  }

  function test_gas_applyNav_2of3() public {
    vm.pauseGasMetering();
    NavAtt memory n = navAtt(NAV_1 + NAV_1 / 200, uint64(T0), 3); // round 2, +0.5 %
    bytes memory message = encodeNav(n);
    bytes memory sigs = quorumSigs(n);
    vm.resumeGasMetering();

    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);

    vm.pauseGasMetering();
    assertEq(navFeed.latestRound(), 2);
  }

  function test_gas_applySubscription_3of5() public {
    vm.pauseGasMetering();
    SettlementAtt memory a = subscriptionAtt(alice, 250e6, 2);
    a.did = DID_3OF5;
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = signSorted(digestOf(a), firstKeys(keys3of5, 3));
    vm.resumeGasMetering();

    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);

    vm.pauseGasMetering();
    assertEq(holdings3of5.balanceOf(alice), 1_250e6);
  }
}
