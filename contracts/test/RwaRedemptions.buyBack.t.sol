// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {RwaRedemptionBuyBack} from "../src/redemptions/RwaRedemptionBuyBack.sol";
import {AttestationCodec} from "../src/libraries/AttestationCodec.sol";
import {BuyBackCodec} from "../src/libraries/BuyBackCodec.sol";
import {LiquidityFloor} from "../src/libraries/LiquidityFloor.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";
import {BuyBackAttestations} from "./helpers/BuyBackAttestations.sol";

/// @notice Kind 17 on one chain: the latest buy-back report, its views and the liquidity floor it sets.
contract RwaRedemptionsBuyBackTest is RedemptionFixture, BuyBackAttestations {
  uint8 internal constant FLOOR_LCR = 1;
  uint8 internal constant FLOOR_STALE = 2;
  uint8 internal constant FLOOR_SHORT = 3;

  function setUp() public override {
    super.setUp();
    vm.warp(1_800_000_000);
  }

  function _att() internal returns (BuyBackAtt memory) {
    return typicalBuyBack(DID, nextNonce(), uint64(block.timestamp));
  }

  function test_buyBack_AppliesAndEmits() public {
    BuyBackAtt memory a = _att();
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptionBuyBack.BuyBackReportApplied(DID, a.nonce, a.asOf, a.poolCash, a.assetPoolValue, a.openRequests, a.lcrBps);
    deliverRedemption(encodeBuyBack(a));
    RwaRedemptionBuyBack.BuyBackView memory v = redemptions.buyBackOf(DID);
    assertEq(v.report.asOf, a.asOf);
    assertEq(v.report.nonce, a.nonce);
    assertEq(v.report.poolCash, 2_000_000e6);
    assertEq(v.report.assetPoolValue, 100_000_000e6);
    assertEq(v.report.openRequests, 1_000_000e6);
    assertEq(v.report.liquidAssets, 36_900_000e6);
    assertEq(v.report.outflows, 30_000_000e6);
    assertEq(v.shareBps, 200, "2% of the asset pool");
    assertEq(v.coverageBps, 20_000, "twice the open requests");
    assertEq(v.age, 0);
    assertFalse(v.stale);
    assertEq(v.floorStage, STAGE_A);
    (uint32 lcr, uint64 asOf) = redemptions.lcrOf(DID);
    assertEq(lcr, 12_300);
    assertEq(asOf, a.asOf);
  }

  function test_buyBack_NoReportIsStaleWithoutFloor() public view {
    RwaRedemptionBuyBack.BuyBackView memory v = redemptions.buyBackOf(DID);
    assertEq(v.report.asOf, 0);
    assertTrue(v.stale);
    assertEq(v.floorStage, STAGE_A);
    assertEq(v.coverageBps, UNBOUNDED);
  }

  function test_buyBack_OlderReportIsSupersededAndConsumed() public {
    BuyBackAtt memory newer = _att();
    deliverRedemption(encodeBuyBack(newer));
    BuyBackAtt memory older = _att();
    older.asOf = newer.asOf - 1;
    older.poolCash = 1;
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptionBuyBack.BuyBackReportSuperseded(DID, older.nonce, older.asOf, newer.asOf);
    deliverRedemption(encodeBuyBack(older));
    assertTrue(receiver.isNonceUsed(DID, older.nonce), "consumed, so a relayer stops retrying it");
    assertEq(redemptions.buyBackOf(DID).report.poolCash, newer.poolCash);
    BuyBackAtt memory same = _att();
    same.poolCash = 7;
    deliverRedemption(encodeBuyBack(same)); // equal asOf: superseded too
    assertEq(redemptions.buyBackOf(DID).report.nonce, newer.nonce);
  }

  function test_buyBack_AgeAndStalePastTheHeartbeat() public {
    deliverRedemption(encodeBuyBack(_att()));
    vm.warp(block.timestamp + HEARTBEAT);
    RwaRedemptionBuyBack.BuyBackView memory v = redemptions.buyBackOf(DID);
    assertEq(v.age, HEARTBEAT);
    assertFalse(v.stale, "stale only past the heartbeat");
    vm.warp(block.timestamp + 1);
    v = redemptions.buyBackOf(DID);
    assertTrue(v.stale);
    assertEq(v.floorStage, STAGE_B);
    assertEq(v.floorReason, FLOOR_STALE);
  }

  function test_buyBack_StaleFloorOffKeepsStageA() public {
    BuyBackAtt memory a = _att();
    a.staleFloor = 0;
    deliverRedemption(encodeBuyBack(a));
    vm.warp(block.timestamp + HEARTBEAT + 1);
    assertTrue(redemptions.buyBackOf(DID).stale);
    assertEq(redemptions.buyBackOf(DID).floorStage, STAGE_A);
  }

  function test_buyBack_LcrBelowStageBBandPaysInInstalments() public {
    uint64 id = requestAccepted(alice, 70e6);
    BuyBackAtt memory a = _att();
    a.lcrBps = 9_999;
    deliverRedemption(encodeBuyBack(a));
    (uint8 stage, uint64 since) = redemptions.effectiveStageOf(DID);
    assertEq(stage, STAGE_B);
    assertEq(since, a.asOf);
    assertEq(redemptions.stageOf(DID).stage, STAGE_A, "the hub's stage is unchanged");
    assertEq(redemptions.buyBackOf(DID).floorReason, FLOOR_LCR);
    assertEq(redemptions.redeemableNow(DID, id), 10e6, "one instalment of 7 (default policy)");
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(id, 10e6 + 1)),
      abi.encodeWithSelector(RwaRedemptions.FulfilmentExceedsAllowance.selector, id, 10e6 + 1, 10e6)
    );
  }

  function test_buyBack_LcrAtTheBandIsTheUpperStage() public {
    BuyBackAtt memory a = _att();
    a.lcrBps = 10_000;
    deliverRedemption(encodeBuyBack(a));
    assertEq(redemptions.buyBackOf(DID).floorStage, STAGE_A, "exactly 100% is A");
    a = _att();
    a.asOf += 1;
    a.lcrBps = 7_000;
    deliverRedemption(encodeBuyBack(a));
    assertEq(redemptions.buyBackOf(DID).floorStage, STAGE_B, "exactly 70% is B");
  }

  function test_buyBack_LcrBelowStageCBandHalts() public {
    uint64 id = requestAccepted(alice, 70e6);
    BuyBackAtt memory a = _att();
    a.lcrBps = 6_999;
    deliverRedemption(encodeBuyBack(a));
    (uint8 stage,) = redemptions.effectiveStageOf(DID);
    assertEq(stage, STAGE_C);
    assertEq(redemptions.redeemableNow(DID, id), 0);
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(id, 1e6)),
      abi.encodeWithSelector(RwaRedemptions.RedemptionsHalted.selector, DID, redemptions.REASON_LIQUIDITY())
    );
    // A later report with a healthy LCR lifts the floor at once.
    a = _att();
    a.asOf += 1;
    deliverRedemption(encodeBuyBack(a));
    assertEq(redemptions.redeemableNow(DID, id), 70e6);
  }

  function test_buyBack_PoolBelowTheIssuersShareIsStageB() public {
    BuyBackAtt memory a = _att();
    a.poolCash = 999_999e6; // just under 1% of 100M
    deliverRedemption(encodeBuyBack(a));
    RwaRedemptionBuyBack.BuyBackView memory v = redemptions.buyBackOf(DID);
    assertEq(v.floorStage, STAGE_B);
    assertEq(v.floorReason, FLOOR_SHORT);
  }

  function test_buyBack_UnboundedLcrIsNeverBelowABand() public {
    BuyBackAtt memory a = _att();
    a.lcrBps = UNBOUNDED;
    a.openRequests = 0;
    a.outflows = 0;
    deliverRedemption(encodeBuyBack(a));
    assertEq(redemptions.buyBackOf(DID).floorStage, STAGE_A);
    assertEq(redemptions.buyBackOf(DID).coverageBps, UNBOUNDED);
  }

  function test_buyBack_FloorNeverLowersTheHubsStage() public {
    deliverRedemption(encodeBuyBack(_att())); // floor A
    applyStage(STAGE_C, 1, REASON_THRESHOLD);
    (uint8 stage,) = redemptions.effectiveStageOf(DID);
    assertEq(stage, STAGE_C);
  }

  function test_RevertWhen_buyBack_FloorInvalid() public {
    BuyBackAtt memory a = _att();
    a.minShareBps = 10_001;
    _expectInvalid(a);
    a = _att();
    a.stageCBelowBps = 10_001; // above stage B's band
    _expectInvalid(a);
    a = _att();
    a.staleFloor = 2;
    _expectInvalid(a);
    assertEq(redemptions.buyBackOf(DID).report.asOf, 0, "nothing applied");
  }

  function test_RevertWhen_buyBack_LengthWrong() public {
    bytes memory m = abi.encodePacked(encodeBuyBack(_att()), uint8(0));
    deliverRedemptionExpectRevert(m, abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, 142, 141));
  }

  function _expectInvalid(BuyBackAtt memory a) internal {
    deliverRedemptionExpectRevert(
      encodeBuyBack(a),
      abi.encodeWithSelector(
        BuyBackCodec.InvalidBuyBackReport.selector, a.lcrBps, a.minShareBps, a.stageBBelowBps, a.stageCBelowBps, a.staleFloor
      )
    );
  }

  // ---- fuzz ----

  /// @dev Every field round-trips through the wire; the floor agrees with a model written from the table.
  function testFuzz_buyBack_RoundTripAndFloor(
    uint64 asOf,
    uint128 poolCash,
    uint128 assetPoolValue,
    uint128 openRequests,
    uint32 lcrBps,
    uint16 minShareBps,
    uint16 stageB,
    uint16 stageC,
    bool staleFloor,
    uint32 wait
  ) public {
    asOf = uint64(bound(asOf, 1, block.timestamp));
    minShareBps = uint16(bound(minShareBps, 0, 10_000));
    stageC = uint16(bound(stageC, 0, stageB));
    BuyBackAtt memory a = BuyBackAtt(
      DID, nextNonce(), asOf, poolCash, assetPoolValue, openRequests, 5, 6, lcrBps, minShareBps, stageB, stageC, staleFloor ? 1 : 0
    );
    deliverRedemption(encodeBuyBack(a));
    vm.warp(block.timestamp + bound(wait, 0, 3 days));
    RwaRedemptionBuyBack.BuyBackView memory v = redemptions.buyBackOf(DID);
    assertEq(v.report.poolCash, poolCash);
    assertEq(v.report.assetPoolValue, assetPoolValue);
    assertEq(v.report.openRequests, openRequests);
    assertEq(v.report.liquidAssets, 5);
    assertEq(v.report.outflows, 6);
    assertEq(v.report.lcrBps, lcrBps);
    assertEq(v.report.staleFloor, staleFloor);
    bool stale = block.timestamp - asOf > HEARTBEAT;
    assertEq(v.stale, stale);
    assertEq(v.floorStage, modelFloor(a, stale));
  }

  /// @dev The rule of liquidity/bands.ts, written again from the docs (not from LiquidityFloor).
  function modelFloor(BuyBackAtt memory a, bool stale) internal pure returns (uint8) {
    bool bounded = a.lcrBps != UNBOUNDED;
    if (bounded && a.lcrBps < a.stageCBelowBps) return 3;
    if (bounded && a.lcrBps < a.stageBBelowBps) return 2;
    if (stale && a.staleFloor == 1) return 2;
    if (uint256(a.poolCash) * 10_000 < uint256(a.minShareBps) * a.assetPoolValue) return 2;
    return 1;
  }

  function test_liquidityFloor_ShareAndCoverageEdges() public pure {
    assertEq(LiquidityFloor.shareBps(5, 0), 10_000);
    assertEq(LiquidityFloor.shareBps(1, 3), 3333);
    assertEq(LiquidityFloor.coverageBps(type(uint128).max, 1), type(uint32).max - 1);
  }
}
