// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {TransportQuorumFixture} from "../helpers/TransportQuorumFixture.sol";
import {TransportQuorumHandler} from "./handlers/TransportQuorumHandler.sol";

/// @notice Invariant 12 of contracts/INVARIANTS.md: one gated DID (2 of 3 at the start) on one receiver, with the
/// CCIP and Wormhole adapters played by bound addresses; arrivals of a pool of subscriptions in any order through
/// any transport, rule changes delivered under the rule in force, and forged deliveries.
contract TransportQuorumInvariants is TransportQuorumFixture {
  TransportQuorumHandler internal handler;

  function setUp() public override {
    super.setUp();
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
    handler = new TransportQuorumHandler(
      receiver, DID, quorumKeys(), outsiderKeys, alice, [relayer, ccipAdapter, wormholeAdapter]
    );
    bytes4[] memory selectors = new bytes4[](3);
    selectors[0] = TransportQuorumHandler.deliver.selector;
    selectors[1] = TransportQuorumHandler.deliverForged.selector;
    selectors[2] = TransportQuorumHandler.changeRule.selector;
    targetContract(address(handler));
    targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
  }

  /// @notice (12) A gated attestation is applied at most once, and only on an arrival at which k distinct transports
  /// of the mask in force had delivered it; the gate's record of each message is the model's, and the applied flag
  /// is the nonce.
  function invariant_gatedAttestationAppliedOnceAfterKTransports() public view {
    assertEq(handler.ghost_earlyApplies(), 0, "applied before k transports");
    for (uint256 i; i < handler.poolSize(); ++i) {
      uint256 applies = handler.ghost_applies(i);
      assertLe(applies, 1, "applied twice");
      bool used = receiver.isNonceUsed(DID, handler.nonceAt(i));
      assertEq(used, applies == 1);
      (uint8 arrived, bool applied) = gate.arrivalsOf(keccak256(handler.messageAt(i)));
      assertEq(arrived, handler.modelArrived(i), "arrivals");
      assertEq(applied, used, "gate applied flag");
    }
    assertEq(holdings.balanceOf(alice), handler.ghost_appliedAmount());
  }

  /// @notice (12) Guard: every delivery did what the model of the gate said (refused, recorded, or applied), rule
  /// changes applied under the rule in force, and forged signatures never passed on any transport.
  function invariant_gatedDeliveriesFollowTheModel() public view {
    assertEq(handler.ghost_mismatches(), 0);
    assertEq(handler.ghost_forgedSucceeded(), 0);
  }
}
