// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {TransportQuorumFixture} from "./helpers/TransportQuorumFixture.sol";

/// @notice Signer sets that expire, for a DID gated 2 of {cctp, ccip, wormhole}: an arrival recorded before the end
/// does not let the arrival that completes the quorum apply after it; the revival config (signed by governance) still
/// needs the DID's own transport quorum.
contract RwaReceiverExpiryGatedTest is TransportQuorumFixture {
  uint64 internal constant END = uint64(T0 + 30 days);

  function setUp() public override {
    super.setUp();
    ConfigAtt memory c = configAtt(DID, nextAdminNonce(receiver, DID), committee, THRESHOLD);
    c.signersValidUntil = END;
    deliverAdmin(encodeConfig(c));
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
  }

  function test_RevertWhen_receiveMessage_QuorumCompletedAfterTheEnd() public {
    SettlementAtt memory a = subscriptionAtt(alice, 5, 1);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    arrive(CCTP, message, sigs);
    assertFalse(receiver.isNonceUsed(DID, 1));
    vm.warp(END + 1);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignerSetExpired.selector, DID, END));
    arrive(CCIP, message, sigs);
    assertFalse(receiver.isNonceUsed(DID, 1));
    assertEq(holdings.totalSupply(), 0);
  }

  function test_receiveMessage_RevivalConfigStillNeedsTheDidsTransportQuorum() public {
    vm.warp(END + 1);
    uint64 nonce = nextAdminNonce(receiver, DID);
    ConfigAtt memory c = configAtt(DID, nonce, committee, THRESHOLD);
    c.signersValidUntil = uint64(END + 365 days);
    bytes memory message = encodeConfig(c);
    bytes memory sigs = governanceSigs(receiver, message);
    arrive(CCTP, message, sigs);
    assertEq(receiver.didState(DID).signersValidUntil, END, "one transport of two: not applied");
    arrive(WORMHOLE, message, sigs);
    assertEq(receiver.didState(DID).signersValidUntil, END + 365 days);
    assertTrue(receiver.isNonceUsed(DID, nonce));
  }
}
