// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

/// @notice Issue 17: pressure is measured only on units no holder can take back. This chain is both the requests'
/// chain and the hub; the test plays the oracle as it now works: the custodian accepts a request (kind 13) and the
/// request watcher reports it to the hub (kind 7) only once that acceptance applied. POOL is 10,000,000e6 (3 % is
/// 300,000e6); each request below is 80,000e6 (0.8 %), four make 3.2 %.
contract RwaRedemptionsPressureTest is RedemptionFixture {
  uint256 internal constant PART = 80_000e6;

  /// @dev The custodian's acceptance, then the watcher's report of it to the hub, as the oracle does.
  function _acceptAndReport(uint64 id) internal {
    accept(id);
    RwaRedemptions.Request memory r = redemptions.requestOf(DID, id);
    RequestReportAtt memory a = reportAtt(uint64(block.chainid), id, r.amount, POOL);
    a.owner = r.owner;
    a.requestedAt = r.requestedAt;
    deliverRedemption(encodeRequestReport(a));
  }

  /// @dev The watcher reports only requests whose acceptance applied: a cancelled one is refused acceptance, so it
  /// never reaches the hub.
  function _custodianTriesToAccept(uint64 id) internal returns (bool accepted) {
    RwaRedemptions.Request memory r = redemptions.requestOf(DID, id);
    if (r.cancelled) {
      deliverRedemptionExpectRevert(
        encodeAcceptance(acceptanceAtt(id)), abi.encodeWithSelector(RwaRedemptions.RequestClosed.selector, DID, id)
      );
      return false;
    }
    _acceptAndReport(id);
    return true;
  }

  function _stage() internal view returns (uint8) {
    return redemptions.stageOf(DID).stage;
  }

  /// @dev "Any holder can halt every redemption for free": request 4 x 0.8 % and cancel all four, however the
  /// custodian's acceptances race the cancels. The stage stays A and the holder has every unit back.
  function test_pressure_RequestCancelLoopLeavesStageA() public {
    for (uint256 i; i < 4; ++i) {
      uint64 id = request(alice, PART);
      vm.prank(alice);
      redemptions.cancelRedeem(DID, id);
      assertFalse(_custodianTriesToAccept(id), "a cancelled request is never accepted");
      assertFalse(redemptions.isReported(DID, uint64(block.chainid), id), "never reported to the hub");
    }
    assertEq(_stage(), STAGE_A);
    assertEq(redemptions.stageOf(DID).stageSeq, 0);
    assertEq(redemptions.pressureOf(DID), 0);
    assertEq(holdings.balanceOf(alice), FUNDED, "every unit back");
  }

  /// @dev The same loop across a day boundary and across hours: cancelled on either side, nothing ever counts.
  function testFuzz_pressure_CancelledRequestsNeverCount(uint256 seed) public {
    for (uint256 i; i < 6; ++i) {
      uint256 h = uint256(keccak256(abi.encode(seed, i)));
      vm.warp(block.timestamp + h % 13 hours);
      uint64 id = request(h & 1 == 0 ? alice : bob, PART);
      vm.warp(block.timestamp + (h >> 8) % 13 hours);
      vm.prank(redemptions.requestOf(DID, id).owner);
      redemptions.cancelRedeem(DID, id);
      _custodianTriesToAccept(id);
    }
    assertEq(_stage(), STAGE_A);
    assertEq(redemptions.pressureOf(DID), 0);
  }

  /// @dev A real run still trips the gate: four accepted requests of 0.8 % move the hub to C, and none of them can
  /// be taken back once accepted.
  function test_pressure_RealRunMovesToStageC() public {
    uint64[4] memory ids;
    for (uint256 i; i < 4; ++i) {
      ids[i] = request(i % 2 == 0 ? alice : bob, PART);
      _acceptAndReport(ids[i]);
    }
    assertEq(_stage(), STAGE_C);
    assertEq(redemptions.stageOf(DID).reason, REASON_THRESHOLD);
    assertEq(redemptions.pressureOf(DID), 4 * PART);
    vm.expectRevert(abi.encodeWithSelector(RwaRedemptions.RequestAlreadyAccepted.selector, DID, ids[0]));
    vm.prank(alice);
    redemptions.cancelRedeem(DID, ids[0]);
  }

  /// @dev Mixed: two accepted requests (1.6 %) and three cancelled ones (2.4 %) leave stage B, the accepted share.
  function test_pressure_OnlyAcceptedUnitsCount() public {
    _acceptAndReport(request(alice, PART));
    _acceptAndReport(request(bob, PART));
    for (uint256 i; i < 3; ++i) {
      uint64 id = request(alice, PART);
      vm.prank(alice);
      redemptions.cancelRedeem(DID, id);
      _custodianTriesToAccept(id);
    }
    assertEq(_stage(), STAGE_B);
    assertEq(redemptions.pressureOf(DID), 2 * PART);
  }
}
