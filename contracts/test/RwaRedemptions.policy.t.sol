// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaRedemptions} from "../src/RwaRedemptions.sol";
import {RedemptionPolicy} from "../src/libraries/RedemptionPolicy.sol";
import {RedemptionFixture} from "./helpers/RedemptionFixture.sol";

/// @notice Kind 9: the issuer's policy on every chain; on the hub it also recomputes the stage.
contract RwaRedemptionsPolicyTest is RedemptionFixture {
  function test_policy_AppliesAndEmits() public {
    PolicyAtt memory a = policyAtt(50, 200, 4, 2 days, false);
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.RedemptionPolicyApplied(DID, a.nonce, 50, 200, 4, 2 days, false);
    deliverRedemption(encodePolicy(a));
    RedemptionPolicy.Policy memory p = redemptions.policyOf(DID);
    assertEq(p.stageBBps, 50);
    assertEq(p.stageCBps, 200);
    assertEq(p.instalments, 4);
    assertEq(p.windowSeconds, 2 days);
    assertFalse(p.emergency);
  }

  function test_policy_AcceptsTheBounds() public {
    applyPolicy(1, 1, 1, 1, false);
    applyPolicy(10_000, 10_000, 255, 255, false);
    assertEq(redemptions.policyOf(DID).instalments, 255);
  }

  function test_policy_EmergencyMovesTheHubToStageCAtOnce() public {
    report(1, 1e6, POOL); // this chain now aggregates
    vm.expectEmit(true, true, true, true, address(redemptions));
    emit RwaRedemptions.RedemptionStageChanged(DID, 1, STAGE_C, uint64(block.timestamp), REASON_EMERGENCY, 1e6, POOL);
    applyPolicy(100, 300, 7, 7 days, true);
    assertEq(redemptions.stageOf(DID).stage, STAGE_C);
    // Lifting the emergency recomputes from the thresholds.
    applyPolicy(100, 300, 7, 7 days, false);
    RwaRedemptions.Stage memory s = redemptions.stageOf(DID);
    assertEq(s.stage, STAGE_A);
    assertEq(s.stageSeq, 2);
    assertEq(s.reason, REASON_NONE);
  }

  function test_policy_LowerThresholdMovesTheHubToStageB() public {
    report(1, 60_000e6, POOL); // 0.6 %
    assertEq(redemptions.stageOf(DID).stage, STAGE_A);
    applyPolicy(50, 300, 7, 7 days, false);
    assertEq(redemptions.stageOf(DID).stage, STAGE_B);
  }

  /// @dev A spoke waits for the hub's stage, but the emergency flag already stops its fulfilments.
  function test_policy_EmergencyOnASpokeHaltsWithoutChangingItsStage() public {
    uint64 id = requestAccepted(alice, 10e6);
    applyPolicy(100, 300, 7, 7 days, true);
    RwaRedemptions.Stage memory s = redemptions.stageOf(DID);
    assertEq(s.stage, STAGE_A);
    assertEq(s.stageSeq, 0);
    assertEq(redemptions.redeemableNow(DID, id), 0);
    deliverRedemptionExpectRevert(
      encodeFulfilment(fulfilmentAtt(id, 1e6)),
      abi.encodeWithSelector(RwaRedemptions.RedemptionsHalted.selector, DID, REASON_EMERGENCY)
    );
  }

  function test_RevertWhen_policy_Invalid() public {
    _expectInvalid(0, 300, 7, 7 days); // stage B threshold zero
    _expectInvalid(301, 300, 7, 7 days); // B above C
    _expectInvalid(100, 10_001, 7, 7 days); // C above 100 %
    _expectInvalid(100, 300, 0, 7 days); // no instalment
    _expectInvalid(100, 300, 7, 6); // an instalment shorter than a second
    assertEq(redemptions.policyOf(DID).stageBBps, 100, "defaults still in force");
  }

  function _expectInvalid(uint16 b, uint16 c, uint8 n, uint32 window) internal {
    deliverRedemptionExpectRevert(
      encodePolicy(policyAtt(b, c, n, window, false)),
      abi.encodeWithSelector(RwaRedemptions.InvalidPolicy.selector, b, c, n, window)
    );
  }
}
