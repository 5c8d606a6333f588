// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";
import {BatchDeliveryHandler} from "./handlers/BatchDeliveryHandler.sol";

/// @notice Invariants 36 and 37 of contracts/INVARIANTS.md: through any mix of receiveBatch calls (the whole tree
/// without proofs, parts with proofs, duplicates, replays, calls with and without the root's signatures) each item
/// of a root applies at most once, and only an item of the root applies.
contract BatchDeliveryInvariants is AttestationFixture {
  uint256 internal constant ITEMS = 12;

  BatchDeliveryHandler internal handler;

  function setUp() public override {
    super.setUp();
    handler = new BatchDeliveryHandler(receiver, DID);
    bytes[] memory messages = new bytes[](ITEMS);
    for (uint256 i; i < ITEMS; ++i) {
      // Item i mints 2^i units: the supply names exactly the set of items applied, each once.
      messages[i] = encodeSettlement(subscriptionAtt(alice, 1 << i, uint64(1 + i)));
    }
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    handler.loadTree(root, batchQuorumSigs(root), messages, proofs);

    bytes4[] memory selectors = new bytes4[](4);
    selectors[0] = BatchDeliveryHandler.sendWhole.selector;
    selectors[1] = BatchDeliveryHandler.sendPart.selector;
    selectors[2] = BatchDeliveryHandler.sendPartAsWhole.selector;
    selectors[3] = BatchDeliveryHandler.sendTampered.selector;
    targetContract(address(handler));
    targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
  }

  /// @dev 36: item i mints 2^i, so the supply is the sum over the items applied once each; an item applied twice
  /// would carry into another item's bit. The used nonces are exactly the items applied.
  function invariant_eachBatchItemAppliesAtMostOnce() public view {
    uint256 applied;
    for (uint256 i; i < ITEMS; ++i) {
      if (receiver.isNonceUsed(DID, uint64(1 + i))) applied |= 1 << i;
    }
    assertEq(holdings.totalSupply(), applied, "supply = the items whose nonce is used, each once");
    assertEq(holdings.balanceOf(alice), applied);
    assertFalse(receiver.isNonceUsed(DID, uint64(1 + ITEMS)), "no nonce outside the tree");
  }

  /// @dev The campaign delivered something: the invariants above are not checked on an untouched receiver only.
  function afterInvariant() public view {
    assertGt(handler.ghost_succeeded(), 0, "no receiveBatch call succeeded");
  }

  /// @dev 37: a part of the tree passed off as the whole tree, or a tampered item, never applies anything.
  function invariant_onlyItemsOfTheRootApply() public view {
    assertEq(handler.ghost_forgedAccepted(), 0);
  }
}
