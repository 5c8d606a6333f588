// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {TransportQuorumFixture} from "../helpers/TransportQuorumFixture.sol";
import {ReceiveMessagesHandler} from "./handlers/ReceiveMessagesHandler.sol";

/// @notice Invariant 18 of contracts/INVARIANTS.md: whatever batches and single messages are sent, in any order, with
/// duplicates, partly applied before, through any transport, no nonce applies twice and a batch with a forged item
/// changes nothing. Run for an ungated DID and (below) for a gated one (2 of cctp, ccip, wormhole).
abstract contract ReceiveMessagesInvariantsBase is TransportQuorumFixture {
  uint256 internal constant POOL = 16;
  uint64 internal constant FIRST_NONCE = 100;
  uint64 internal constant FIRST_FORGED_NONCE = 10_000;

  ReceiveMessagesHandler internal handler;

  function _gate() internal virtual;

  function setUp() public override {
    super.setUp();
    _gate();
    handler = new ReceiveMessagesHandler(receiver, [relayer, ccipAdapter, wormholeAdapter]);
    bytes[] memory messages = new bytes[](POOL);
    bytes[] memory sigs = new bytes[](POOL);
    uint64[] memory nonces = new uint64[](POOL);
    bytes[] memory forged = new bytes[](4);
    bytes[] memory forgedSigs = new bytes[](4);
    for (uint256 i; i < POOL; ++i) {
      SettlementAtt memory a = subscriptionAtt(alice, 1 << i, FIRST_NONCE + uint64(i));
      (messages[i], sigs[i], nonces[i]) = (encodeSettlement(a), quorumSigs(a), a.nonce);
    }
    for (uint256 i; i < 4; ++i) {
      SettlementAtt memory a = subscriptionAtt(bob, 1, FIRST_FORGED_NONCE + uint64(i));
      (forged[i], forgedSigs[i]) = (encodeSettlement(a), signSorted(digestOf(a), firstKeys(outsiderKeys, THRESHOLD)));
    }
    handler.load(messages, sigs, nonces, forged, forgedSigs);

    bytes4[] memory selectors = new bytes4[](3);
    selectors[0] = ReceiveMessagesHandler.sendBatch.selector;
    selectors[1] = ReceiveMessagesHandler.sendOne.selector;
    selectors[2] = ReceiveMessagesHandler.sendForgedBatch.selector;
    targetContract(address(handler));
    targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
  }

  /// @notice (18) Each pool nonce applied at most once, exactly when it is marked used; alice holds exactly the
  /// amounts (distinct powers of two) of the used nonces; forged items never pass and never consume a nonce.
  function invariant_noNonceAppliedTwiceWhateverBatchesAreSent() public view {
    uint256 expected;
    for (uint256 i; i < POOL; ++i) {
      uint64 nonce = handler.nonceAt(i);
      uint256 count = handler.ghost_appliedCount(nonce);
      assertLe(count, 1, "a nonce applied twice");
      assertEq(count == 1, receiver.isNonceUsed(DID, nonce));
      if (count == 1) expected += 1 << i;
    }
    assertEq(holdings.balanceOf(alice), expected);
    assertEq(holdings.totalSupply(), expected);
    assertEq(handler.ghost_forgedAccepted(), 0);
    for (uint256 i; i < 4; ++i) {
      assertFalse(receiver.isNonceUsed(DID, FIRST_FORGED_NONCE + uint64(i)));
    }
  }
}

contract ReceiveMessagesInvariants is ReceiveMessagesInvariantsBase {
  function _gate() internal override {}
}

contract ReceiveMessagesGatedInvariants is ReceiveMessagesInvariantsBase {
  function _gate() internal override {
    setTransportQuorum(2, ALL_TRANSPORTS, CCTP);
  }
}
