// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaRedemptions} from "../../src/RwaRedemptions.sol";
import {RedemptionFixture} from "../helpers/RedemptionFixture.sol";

/// @notice Fuzz of the allowance rule (stage B instalments) against a reference restated here, and of the
/// lock / unlock / burn accounting under random sequences of requests, cancels and fulfilments.
contract RedemptionsFuzzTest is RedemptionFixture {
  /// @dev The rule of the spec, restated: k = min(N, 1 + elapsed / (window / N)), cumulative = amount * k / N.
  function _cumulative(uint256 amount, uint256 n, uint256 window, uint256 elapsed) internal pure returns (uint256) {
    uint256 k = 1 + elapsed / (window / n);
    if (k > n) k = n;
    return amount * k / n;
  }

  /// @dev Policy (n, window), one request at T0, stage B from T0.
  function _stageBRequest(uint256 amount, uint8 n, uint32 window) internal returns (uint64 id) {
    applyPolicy(100, 300, n, window, false);
    id = requestAccepted(alice, amount);
    applyStage(STAGE_B, 1, REASON_THRESHOLD);
  }

  function testFuzz_redeemableNow_StageBFollowsTheInstalmentRule(
    uint256 amount,
    uint8 n,
    uint32 window,
    uint256 elapsed,
    uint256 part
  ) public {
    amount = bound(amount, 1, FUNDED);
    n = uint8(bound(n, 1, 255));
    window = uint32(bound(window, n, 60 days));
    elapsed = bound(elapsed, 0, 2 * uint256(window));
    uint64 id = _stageBRequest(amount, n, window);
    vm.warp(T0 + elapsed);
    uint256 expected = _cumulative(amount, n, window, elapsed);
    assertEq(redemptions.redeemableNow(DID, id), expected);
    assertLe(expected, amount);
    part = bound(part, 0, expected);
    if (part != 0) fulfil(id, part);
    assertEq(redemptions.redeemableNow(DID, id), expected - part, "after a partial fulfilment");
  }

  /// @dev What may have been paid by time t (fulfilled + allowance) never shrinks, and the last instalment frees
  /// the whole remainder.
  function testFuzz_redeemableNow_CumulativeNeverShrinksAndEndsAtTheAmount(
    uint256 amount,
    uint8 n,
    uint32 window,
    uint256 t1,
    uint256 t2
  ) public {
    amount = bound(amount, 1, FUNDED);
    n = uint8(bound(n, 1, 255));
    window = uint32(bound(window, n, 60 days));
    t1 = bound(t1, 0, 2 * uint256(window));
    t2 = bound(t2, t1, 2 * uint256(window));
    uint64 id = _stageBRequest(amount, n, window);
    vm.warp(T0 + t1);
    uint256 a1 = redemptions.redeemableNow(DID, id);
    vm.warp(T0 + t2);
    assertGe(redemptions.redeemableNow(DID, id), a1);
    vm.warp(T0 + uint256(n - 1) * (window / n));
    assertEq(redemptions.redeemableNow(DID, id), amount);
  }

  /// @dev Paying every instalment as it falls due fulfils the request exactly, and burns exactly its amount.
  function testFuzz_fulfil_InstalmentsAddUpToTheRequest(uint256 amount, uint8 n, uint32 window) public {
    amount = bound(amount, 1, FUNDED);
    n = uint8(bound(n, 1, 30));
    window = uint32(bound(window, n, 60 days));
    uint256 supply = holdings.totalSupply();
    uint64 id = _stageBRequest(amount, n, window);
    uint256 paid;
    for (uint256 k; k < n; ++k) {
      vm.warp(T0 + k * (window / n));
      uint256 due = redemptions.redeemableNow(DID, id);
      assertEq(paid + due, amount * (k + 1) / n, "cumulative per instalment");
      if (due == 0) continue;
      fulfil(id, due);
      paid += due;
    }
    assertEq(paid, amount);
    assertEq(redemptions.requestOf(DID, id).fulfilled, amount);
    assertEq(holdings.totalSupply(), supply - amount);
    assertEq(holdings.balanceOf(address(redemptions)), 0);
  }

  /// @dev Random requests, cancels and fulfilments (stage A; a fulfilment accepts first, as the custodian does, so
  /// a cancel picks an unaccepted request): the module holds exactly the open remainders, every
  /// unit is with a holder or the module, and the supply falls by exactly what fulfilments burned.
  function testFuzz_lockUnlockBurn_AccountForEveryUnit(uint256 seed) public {
    uint256 supply = holdings.totalSupply();
    uint256 burned;
    address[2] memory owners = [alice, bob];
    for (uint256 step; step < 24; ++step) {
      uint256 h = uint256(keccak256(abi.encode(seed, step)));
      uint256 action = h % 3;
      uint64 count = redemptions.requestCount(DID);
      if (action == 0 || count == 0) {
        address owner = owners[(h >> 8) % 2];
        uint256 balance = holdings.balanceOf(owner);
        if (balance == 0) continue;
        request(owner, bound(h >> 16, 1, balance));
      } else {
        uint64 id = uint64(bound(h >> 8, 1, count));
        RwaRedemptions.Request memory r = redemptions.requestOf(DID, id);
        bool open = !r.cancelled && r.fulfilled < r.amount;
        if (action == 1 && open && !r.accepted) {
          vm.prank(r.owner);
          redemptions.cancelRedeem(DID, id);
        } else if (action == 2 && open) {
          uint256 amount = bound(h >> 16, 1, r.amount - r.fulfilled);
          fulfil(id, amount);
          burned += amount;
        }
      }
      _assertAccounts(supply - burned);
    }
  }

  function _assertAccounts(uint256 expectedSupply) internal view {
    uint256 open;
    for (uint64 id = 1; id <= redemptions.requestCount(DID); ++id) {
      RwaRedemptions.Request memory r = redemptions.requestOf(DID, id);
      assertLe(r.fulfilled, r.amount, "fulfilled above requested");
      if (!r.cancelled) open += r.amount - r.fulfilled;
    }
    uint256 locked = holdings.balanceOf(address(redemptions));
    assertEq(locked, open, "locked vs open remainders");
    assertEq(holdings.balanceOf(alice) + holdings.balanceOf(bob) + locked, holdings.totalSupply(), "free + locked");
    assertEq(holdings.totalSupply(), expectedSupply, "supply vs burned by fulfilments");
  }
}
