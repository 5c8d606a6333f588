// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {BrakesFixture} from "../helpers/BrakesFixture.sol";
import {BrakesHandler} from "./handlers/BrakesHandler.sol";

/// @notice Invariants 20..24 of contracts/INVARIANTS.md: one DID with both buckets and an amount line (3 of 3 above
/// it, 2 of 3 below), two investors holding units; random settlements, large ones with the lower threshold, drains
/// and time (handlers/BrakesHandler.sol).
contract BrakesInvariants is BrakesFixture {
  BrakesHandler internal handler;
  uint256 internal s_initialSupply;

  function setUp() public override {
    super.setUp();
    deliver(subscriptionAtt(alice, 50_000e6, 1));
    deliver(subscriptionAtt(bob, 50_000e6, 2));
    s_initialSupply = holdings.totalSupply();
    handler = new BrakesHandler(receiver, DID, quorumKeys(), committeeKeys, [alice, bob]);
    setBrakes(
      handler.MINT_CAP(), handler.MINT_REFILL(), handler.BURN_CAP(), handler.BURN_REFILL(), handler.LINE(), LARGE_THRESHOLD
    );
    bytes4[] memory selectors = new bytes4[](4);
    selectors[0] = BrakesHandler.settle.selector;
    selectors[1] = BrakesHandler.settleLargeWithLowThreshold.selector;
    selectors[2] = BrakesHandler.drain.selector;
    selectors[3] = BrakesHandler.warp.selector;
    targetContract(address(handler));
    targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
  }

  /// @notice (20) Over any window [t_i, now] starting at an application, a direction applied at most
  /// capacity + refillPerSecond * (now - t_i).
  function invariant_windowNeverExceedsBucket() public view {
    _checkWindows(MINT, handler.MINT_CAP(), handler.MINT_REFILL());
    _checkWindows(BURN, handler.BURN_CAP(), handler.BURN_REFILL());
  }

  function _checkWindows(uint8 direction, uint256 capacity, uint256 refill) internal view {
    uint256 n = handler.applications(direction);
    uint256 sum;
    for (uint256 i = n; i > 0; --i) {
      sum += handler.appliedAmount(direction, i - 1);
      uint256 t0 = handler.appliedAt(direction, i - 1);
      assertLe(sum, capacity + refill * (block.timestamp - t0), "window over the bucket");
    }
  }

  /// @notice (21) Every accepted settlement is applied once or waits in its queue: never lost, never doubled.
  function invariant_queuedAppliesExactlyOnce() public view {
    uint256 waiting = queueLength(MINT) + queueLength(BURN);
    assertEq(handler.ghost_accepted(), handler.ghost_direct() + handler.ghost_drained() + waiting, "lost or doubled");
    assertEq(int256(holdings.totalSupply()) - int256(s_initialSupply), handler.ghost_netMinted(), "supply");
    uint64[] memory nonces = handler.acceptedNonces();
    for (uint256 i; i < nonces.length; ++i) {
      assertTrue(receiver.isNonceUsed(DID, nonces[i]), "an accepted nonce is consumed");
    }
  }

  /// @notice (22) Queues apply in order, and nothing applies directly while its direction's queue waits.
  function invariant_queueOrder() public view {
    assertEq(handler.ghost_jumpedQueue(), 0, "jumped the queue");
    assertEq(handler.ghost_mismatches(), 0, "chain and model disagree");
    assertEq(queueLength(MINT), handler.queuedInModel(MINT));
    assertEq(queueLength(BURN), handler.queuedInModel(BURN));
  }

  /// @notice (23) The units of every queued burn are escrowed in the receiver (the holder cannot move them).
  function invariant_queuedBurnsEscrowed() public view {
    assertEq(holdings.balanceOf(address(receiver)), handler.modelEscrow());
  }

  /// @notice (24) An amount above the line never applies with the lower threshold.
  function invariant_largeAmountNeedsLargeThreshold() public view {
    assertEq(handler.ghost_largeWithLowThreshold(), 0);
  }
}
