// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaRedemptions} from "../../src/RwaRedemptions.sol";
import {RwaRedemptionBuyBack} from "../../src/redemptions/RwaRedemptionBuyBack.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";
import {BuyBackAttestations} from "../helpers/BuyBackAttestations.sol";
import {BuyBackHandler} from "./handlers/BuyBackHandler.sol";

/// @notice Invariants 30-32 (contracts/INVARIANTS.md): the buy-back report and the liquidity floor on two chains under
/// reports delivered in any order, late or never, and hub stages, while time runs.
contract BuyBackInvariants is AttestationFixture, BuyBackAttestations {
  uint64 internal constant CHAIN_A = 10;
  uint64 internal constant CHAIN_B = 8453;

  BuyBackHandler internal handler;
  RwaReceiver[2] internal receivers;
  RwaRedemptions[2] internal modules;

  function setUp() public override {
    super.setUp();
    vm.warp(1_800_000_000);
    uint64[2] memory chainIds = [CHAIN_A, CHAIN_B];
    for (uint256 x; x < 2; ++x) {
      vm.chainId(chainIds[x]);
      receivers[x] = newReceiver();
      configure(receivers[x], DID, committeeKeys, THRESHOLD);
      modules[x] = receivers[x].redemptions();
    }
    handler = new BuyBackHandler(receivers, chainIds, DID, quorumKeys());
    bytes4[] memory selectors = new bytes4[](5);
    selectors[0] = BuyBackHandler.report.selector;
    selectors[1] = BuyBackHandler.report.selector;
    selectors[2] = BuyBackHandler.deliverLate.selector;
    selectors[3] = BuyBackHandler.setHubStage.selector;
    selectors[4] = BuyBackHandler.advanceTime.selector;
    targetContract(address(handler));
    targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
  }

  function _shown(uint256 x) internal view returns (BuyBackAtt memory a, bool any) {
    uint256 best = handler.ghost_best(x);
    if (best == 0) return (a, false);
    return (handler.reportAt(best - 1), true);
  }

  /// @notice (30) Each chain shows the report with the greatest asOf it received (an older or equal one arriving later
  /// changes nothing), and it is stale exactly when there is none or now - asOf exceeds the DID's heartbeat.
  function invariant_buyBackIsTheLatestAndStalePastTheHeartbeat() public view {
    for (uint256 x; x < 2; ++x) {
      RwaRedemptionBuyBack.BuyBackView memory v = modules[x].buyBackOf(DID);
      (BuyBackAtt memory a, bool any) = _shown(x);
      assertEq(v.report.asOf, any ? a.asOf : 0, "asOf");
      assertEq(v.report.nonce, any ? a.nonce : 0, "nonce");
      assertEq(v.report.poolCash, any ? a.poolCash : 0, "poolCash");
      assertEq(v.report.lcrBps, any ? a.lcrBps : 0, "lcr");
      bool stale = !any || block.timestamp - a.asOf > HEARTBEAT;
      assertEq(v.stale, stale, "stale");
    }
  }

  /// @notice (31) Two chains holding the same latest report show the same pool, share, coverage, LCR, freshness and
  /// floor, whatever order the reports reached each.
  function invariant_everyChainShowsTheSameReport() public view {
    (BuyBackAtt memory a, bool anyA) = _shown(0);
    (BuyBackAtt memory b, bool anyB) = _shown(1);
    if (anyA != anyB || a.nonce != b.nonce) return;
    RwaRedemptionBuyBack.BuyBackView memory va = modules[0].buyBackOf(DID);
    RwaRedemptionBuyBack.BuyBackView memory vb = modules[1].buyBackOf(DID);
    assertEq(keccak256(abi.encode(va)), keccak256(abi.encode(vb)), "views differ");
    (uint32 la,) = modules[0].lcrOf(DID);
    (uint32 lb,) = modules[1].lcrOf(DID);
    assertEq(la, lb, "lcr differs");
  }

  /// @notice (32) The stage fulfilments run at is the hub's stage raised to the floor of the issuer's bands for the
  /// latest report: LCR < C band -> C, < B band -> B, stale (when the floor asks) -> B, pool below the share -> B.
  function invariant_effectiveStageIsTheHubStageRaisedToTheFloor() public view {
    for (uint256 x; x < 2; ++x) {
      (BuyBackAtt memory a, bool any) = _shown(x);
      uint8 floor = any ? _model(a, block.timestamp - a.asOf > HEARTBEAT) : 1;
      uint8 hub = handler.ghost_hubStage(x);
      if (hub == 0) hub = 1;
      (uint8 stage,) = modules[x].effectiveStageOf(DID);
      assertEq(stage, floor > hub ? floor : hub, "effective stage");
      assertEq(modules[x].buyBackOf(DID).floorStage, floor, "floor");
    }
  }

  /// @dev The bands' rule written from the docs' table, independently of LiquidityFloor.
  function _model(BuyBackAtt memory a, bool stale) internal pure returns (uint8) {
    bool bounded = a.lcrBps != UNBOUNDED;
    if (bounded && a.lcrBps < a.stageCBelowBps) return 3;
    if (bounded && a.lcrBps < a.stageBBelowBps) return 2;
    if (stale && a.staleFloor == 1) return 2;
    if (uint256(a.poolCash) * 10_000 < uint256(a.minShareBps) * a.assetPoolValue) return 2;
    return 1;
  }
}
