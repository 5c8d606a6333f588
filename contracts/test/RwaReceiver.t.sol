// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {RwaNavFeed} from "../src/RwaNavFeed.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice Unit tests of RwaReceiver: construction, views and the happy paths of receiveMessage for settlements and
/// NAV. Config, allow-list, pause, reserve, moves and batches have their own files (RwaReceiver.<function>.t.sol);
/// the hostile-relayer corpus lives in RwaReceiverHostile*.t.sol.
contract RwaReceiverTest is AttestationFixture {
  bytes32 internal constant DID_B = keccak256("did:rwa:acme:money-market");

  // ---------------------------------------------------------------------------------------------------------------
  // constructor and views
  // ---------------------------------------------------------------------------------------------------------------

  function test_constructor_InstallsGovernanceCommittee() public view {
    assertEq(receiver.GOVERNANCE(), bytes32(0));
    RwaReceiver.DidState memory st = receiver.didState(GOVERNANCE_DID);
    assertEq(st.threshold, GOVERNANCE_THRESHOLD);
    assertEq(st.signerEpoch, 1);
    assertEq(address(st.holdings), address(0));
    for (uint256 i; i < governance.length; ++i) {
      assertTrue(receiver.isSigner(GOVERNANCE_DID, governance[i]));
      assertFalse(receiver.isSigner(DID, governance[i]));
    }
    for (uint256 i; i < committee.length; ++i) {
      assertFalse(receiver.isSigner(GOVERNANCE_DID, committee[i]));
    }
  }

  function test_constructor_AcceptsOneOfOne() public {
    address[] memory one = new address[](1);
    one[0] = governance[0];
    RwaReceiver r = new RwaReceiver(one, 1, VALID_UNTIL, curseGuardians, CURSE_GUARDIAN_THRESHOLD);
    assertEq(r.didState(GOVERNANCE_DID).threshold, 1);
    assertTrue(r.isSigner(GOVERNANCE_DID, governance[0]));
  }

  function test_RevertWhen_constructor_ThresholdZero() public {
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidThreshold.selector, 0, 3));
    new RwaReceiver(governance, 0, VALID_UNTIL, curseGuardians, CURSE_GUARDIAN_THRESHOLD);
  }

  function test_RevertWhen_constructor_ThresholdAboveSignerCount() public {
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidThreshold.selector, 4, 3));
    new RwaReceiver(governance, 4, VALID_UNTIL, curseGuardians, CURSE_GUARDIAN_THRESHOLD);
  }

  function test_RevertWhen_constructor_NoSigners() public {
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidThreshold.selector, 1, 0));
    new RwaReceiver(new address[](0), 1, VALID_UNTIL, curseGuardians, CURSE_GUARDIAN_THRESHOLD);
  }

  function test_RevertWhen_constructor_SignersNotAscending() public {
    address[] memory unsorted = new address[](3);
    (unsorted[0], unsorted[1], unsorted[2]) = (governance[0], governance[2], governance[1]);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 2));
    new RwaReceiver(unsorted, 2, VALID_UNTIL, curseGuardians, CURSE_GUARDIAN_THRESHOLD);
  }

  function test_RevertWhen_constructor_DuplicateSigner() public {
    address[] memory dup = new address[](3);
    (dup[0], dup[1], dup[2]) = (governance[0], governance[1], governance[1]);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 2));
    new RwaReceiver(dup, 2, VALID_UNTIL, curseGuardians, CURSE_GUARDIAN_THRESHOLD);
  }

  function test_RevertWhen_constructor_ZeroSigner() public {
    address[] memory withZero = new address[](3);
    (withZero[1], withZero[2]) = (governance[0], governance[1]);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 0));
    new RwaReceiver(withZero, 2, VALID_UNTIL, curseGuardians, CURSE_GUARDIAN_THRESHOLD);
  }

  function test_domainSeparator_BindsNameVersionChainAndContract() public view {
    assertEq(receiver.domainSeparator(), domainSeparatorFor(block.chainid, address(receiver)));
  }

  function test_domainSeparator_FollowsChainIdAfterFork() public {
    bytes32 before = receiver.domainSeparator();
    vm.chainId(block.chainid + 1);
    assertEq(receiver.domainSeparator(), domainSeparatorFor(block.chainid, address(receiver)));
    assertTrue(receiver.domainSeparator() != before);
  }

  function test_didState_ReturnsConfiguredState() public view {
    RwaReceiver.DidState memory st = receiver.didState(DID);
    assertEq(st.threshold, THRESHOLD);
    assertEq(st.signerEpoch, 1);
    assertEq(address(st.holdings), address(holdings));
    assertEq(address(receiver.navFeedOf(DID)), address(navFeed));
    assertTrue(address(holdings) != address(0));
    assertTrue(address(navFeed) != address(0));
  }

  function test_didState_ZeroForUnknownDid() public view {
    RwaReceiver.DidState memory st = receiver.didState(DID_B);
    assertEq(st.threshold, 0);
    assertEq(st.signerEpoch, 0);
    assertEq(address(st.holdings), address(0));
    assertEq(address(receiver.navFeedOf(DID_B)), address(0));
    assertEq(receiver.reserveAsOf(DID_B), 0);
  }

  function test_isSigner_TrueOnlyForCommittee() public view {
    for (uint256 i; i < committee.length; ++i) {
      assertTrue(receiver.isSigner(DID, committee[i]));
      assertFalse(receiver.isSigner(DID_B, committee[i]));
    }
    for (uint256 i; i < outsiderKeys.length; ++i) {
      assertFalse(receiver.isSigner(DID, vm.addr(outsiderKeys[i])));
    }
    assertFalse(receiver.isSigner(DID, address(0)));
    assertFalse(receiver.isSigner(DID_B, address(0)));
  }

  function test_isNonceUsed_FalseBeforeDelivery() public view {
    assertFalse(receiver.isNonceUsed(DID, 0));
    assertFalse(receiver.isNonceUsed(DID, 1));
    assertFalse(receiver.isNonceUsed(DID, type(uint64).max));
  }

  function test_isNonceUsed_TrueForFixtureAdminAttestations() public view {
    // config, allow-list and reserve of the fixture
    assertTrue(receiver.isNonceUsed(DID, ADMIN_NONCE_BASE));
    assertTrue(receiver.isNonceUsed(DID, ADMIN_NONCE_BASE + 1));
    assertTrue(receiver.isNonceUsed(DID, ADMIN_NONCE_BASE + 2));
    assertFalse(receiver.isNonceUsed(DID, ADMIN_NONCE_BASE + 3));
  }

  function test_reserveAsOf_ReturnsLatestAppliedReserve() public view {
    assertEq(receiver.reserveAsOf(DID), T0);
    assertEq(holdings.supplyCap(), LARGE_CAP);
  }

  function test_batchRootEpoch_ZeroForUnverifiedRoot() public view {
    assertEq(receiver.batchRootEpoch(DID, keccak256("root")), 0);
    assertEq(receiver.batchRootEpoch(DID, bytes32(0)), 0);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // receiveMessage: settlements
  // ---------------------------------------------------------------------------------------------------------------

  function test_receiveMessage_SubscriptionMints() public {
    deliver(subscriptionAtt(alice, 1_000e6, 1));
    assertEq(holdings.balanceOf(alice), 1_000e6);
    assertEq(holdings.totalSupply(), 1_000e6);
    assertTrue(receiver.isNonceUsed(DID, 1));
    assertFalse(receiver.isNonceUsed(DID, 0));
    assertFalse(receiver.isNonceUsed(DID, 2));
  }

  function test_receiveMessage_SubscriptionEmitsTransferAndSettlementApplied() public {
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);

    vm.expectEmit(true, true, true, true, address(holdings));
    emit IERC20.Transfer(address(0), alice, 1_000e6);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.SettlementApplied(DID, 1, alice, SUBSCRIPTION, a.settlementRef, 1_000e6, a.cashLegRef, 0);
    vm.prank(relayer);
    receiver.receiveMessage(message, sigs);
  }

  function test_receiveMessage_SubscriptionsAccumulate() public {
    deliver(subscriptionAtt(alice, 300, 1));
    deliver(subscriptionAtt(alice, 200, 2));
    deliver(subscriptionAtt(bob, 50, 3));
    assertEq(holdings.balanceOf(alice), 500);
    assertEq(holdings.balanceOf(bob), 50);
    assertEq(holdings.totalSupply(), 550);
  }

  function test_receiveMessage_RedemptionBurns() public {
    deliver(subscriptionAtt(alice, 1_000e6, 1));
    deliver(redemptionAtt(alice, 400e6, 2));
    assertEq(holdings.balanceOf(alice), 600e6);
    assertEq(holdings.totalSupply(), 600e6);
    assertTrue(receiver.isNonceUsed(DID, 2));
  }

  function test_receiveMessage_RedemptionOfWholeBalance() public {
    deliver(subscriptionAtt(alice, 1_000e6, 1));
    deliver(redemptionAtt(alice, 1_000e6, 2));
    assertEq(holdings.balanceOf(alice), 0);
    assertEq(holdings.totalSupply(), 0);
  }

  function test_receiveMessage_RedemptionEmitsTransferAndSettlementApplied() public {
    deliver(subscriptionAtt(alice, 1_000e6, 1));
    SettlementAtt memory a = redemptionAtt(alice, 250e6, 2);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);

    vm.expectEmit(true, true, true, true, address(holdings));
    emit IERC20.Transfer(alice, address(0), 250e6);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.SettlementApplied(DID, 2, alice, REDEMPTION, a.settlementRef, 250e6, a.cashLegRef, 0);
    receiver.receiveMessage(message, sigs);
  }

  function test_receiveMessage_RedemptionNeedsNoAllowance() public {
    deliver(subscriptionAtt(alice, 100, 1));
    assertEq(holdings.allowance(alice, address(receiver)), 0);
    deliver(redemptionAtt(alice, 100, 2));
    assertEq(holdings.balanceOf(alice), 0);
  }

  function test_receiveMessage_FailedRedemptionCanBeRetriedLater() public {
    // The redemption arrives before the subscription that funds it: it reverts and its nonce stays unused,
    // so the relayer can deliver it again once the subscription is applied.
    SettlementAtt memory redemption = redemptionAtt(alice, 70, 2);
    bytes memory message = encodeSettlement(redemption);
    bytes memory sigs = quorumSigs(redemption);
    vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, 0, 70));
    receiver.receiveMessage(message, sigs);
    assertFalse(receiver.isNonceUsed(DID, 2));

    deliver(subscriptionAtt(alice, 100, 1));
    receiver.receiveMessage(message, sigs);
    assertEq(holdings.balanceOf(alice), 30);
    assertTrue(receiver.isNonceUsed(DID, 2));
  }

  function test_receiveMessage_AnyCallerMayRelay() public {
    SettlementAtt memory a = subscriptionAtt(alice, 5, 1);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs = quorumSigs(a);
    vm.prank(stranger);
    receiver.receiveMessage(message, sigs);
    assertEq(holdings.balanceOf(alice), 5);
  }

  function test_receiveMessage_AcceptsEveryTwoOfThreeQuorum() public {
    uint256[2][3] memory pairs = [[uint256(0), 1], [uint256(0), 2], [uint256(1), 2]];
    for (uint256 p; p < pairs.length; ++p) {
      SettlementAtt memory a = subscriptionAtt(alice, 1, uint64(10 + p));
      uint256[] memory keys = new uint256[](2);
      keys[0] = committeeKeys[pairs[p][0]];
      keys[1] = committeeKeys[pairs[p][1]];
      receiver.receiveMessage(encodeSettlement(a), signInOrder(digestOf(a), keys));
    }
    assertEq(holdings.balanceOf(alice), 3);
  }

  function test_receiveMessage_NoncesMayArriveOutOfOrder() public {
    deliver(subscriptionAtt(alice, 1, 7));
    deliver(subscriptionAtt(alice, 1, 3));
    deliver(subscriptionAtt(alice, 1, 0));
    assertTrue(receiver.isNonceUsed(DID, 7));
    assertTrue(receiver.isNonceUsed(DID, 3));
    assertTrue(receiver.isNonceUsed(DID, 0));
    assertFalse(receiver.isNonceUsed(DID, 1));
    assertFalse(receiver.isNonceUsed(DID, 6));
    assertEq(holdings.totalSupply(), 3);
  }

  function test_receiveMessage_NonceBitmapWordBoundaries() public {
    uint64[5] memory nonces = [uint64(255), 256, 511, 512, type(uint64).max];
    for (uint256 i; i < nonces.length; ++i) {
      deliver(subscriptionAtt(alice, 1, nonces[i]));
    }
    for (uint256 i; i < nonces.length; ++i) {
      assertTrue(receiver.isNonceUsed(DID, nonces[i]));
    }
    assertFalse(receiver.isNonceUsed(DID, 254));
    assertFalse(receiver.isNonceUsed(DID, 257));
    assertFalse(receiver.isNonceUsed(DID, 510));
    assertFalse(receiver.isNonceUsed(DID, 513));
    assertFalse(receiver.isNonceUsed(DID, type(uint64).max - 1));
    assertFalse(receiver.isNonceUsed(DID, 0));
  }

  function test_receiveMessage_SameNonceOnDifferentDids() public {
    (uint256[] memory keysB, RwaHoldings holdingsB,) = configureCommittee(DID_B, 3, 2, 77);
    deliver(subscriptionAtt(alice, 10, 1));

    SettlementAtt memory b = subscriptionAtt(alice, 20, 1);
    b.did = DID_B;
    receiver.receiveMessage(encodeSettlement(b), signSorted(digestOf(b), firstKeys(keysB, 2)));

    assertEq(holdings.balanceOf(alice), 10);
    assertEq(holdingsB.balanceOf(alice), 20);
    assertTrue(receiver.isNonceUsed(DID, 1));
    assertTrue(receiver.isNonceUsed(DID_B, 1));
  }

  function test_receiveMessage_SettlementAndNavShareTheDidNonceSpace() public {
    deliver(subscriptionAtt(alice, 10, 1));
    NavAtt memory n = navAtt(NAV_1, uint64(T0), 1);
    bytes memory message = encodeNav(n);
    bytes memory sigs = quorumSigs(n);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, uint64(1)));
    receiver.receiveMessage(message, sigs);
  }

  function test_receiveMessage_AmountUpToTheCapMints() public {
    // The fixture's cap is the largest the holdings can store; amounts beyond it are covered in the reserve tests.
    deliver(subscriptionAtt(alice, LARGE_CAP, 1));
    assertEq(holdings.balanceOf(alice), LARGE_CAP);
    assertEq(holdings.totalSupply(), holdings.supplyCap());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // receiveMessage: NAV
  // ---------------------------------------------------------------------------------------------------------------

  function test_receiveMessage_NavUpdatesFeedRound1() public {
    uint64 asOf = uint64(T0 - 2 hours);
    deliver(navAtt(NAV_1, asOf, 1));

    assertEq(navFeed.latestRound(), 1);
    (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) =
      navFeed.latestRoundData();
    assertEq(roundId, 1);
    assertEq(answer, int256(NAV_1));
    assertEq(startedAt, asOf);
    assertEq(updatedAt, asOf);
    assertEq(answeredInRound, 1);
    assertTrue(receiver.isNonceUsed(DID, 1));
    assertFalse(navFeed.isStale());
  }

  function test_receiveMessage_NavUpdatesFeedRound2() public {
    uint64 asOf1 = uint64(T0 - 1 days);
    uint64 asOf2 = uint64(T0);
    uint256 nav2 = NAV_1 + NAV_1 / 100; // +1 %
    deliver(navAtt(NAV_1, asOf1, 1));
    deliver(navAtt(nav2, asOf2, 2));

    assertEq(navFeed.latestRound(), 2);
    (uint80 roundId, int256 answer,, uint256 updatedAt,) = navFeed.latestRoundData();
    assertEq(roundId, 2);
    assertEq(answer, int256(nav2));
    assertEq(updatedAt, asOf2);

    (uint80 r1, int256 a1,, uint256 u1,) = navFeed.getRoundData(1);
    assertEq(r1, 1);
    assertEq(a1, int256(NAV_1));
    assertEq(u1, asOf1);
  }

  function test_receiveMessage_NavRoundsIncreaseByOne() public {
    uint256 nav = NAV_1;
    for (uint64 i = 1; i <= 5; ++i) {
      nav = nav + nav / 50; // +2 % each round
      deliver(navAtt(nav, uint64(T0 + i * 1 days), i));
      assertEq(navFeed.latestRound(), i);
    }
  }

  function test_receiveMessage_NavEmitsNavUpdatedAndNavApplied() public {
    NavAtt memory n = navAtt(NAV_1, uint64(T0 - 1 hours), 9);
    bytes memory message = encodeNav(n);
    bytes memory sigs = quorumSigs(n);

    vm.expectEmit(true, true, true, true, address(navFeed));
    emit RwaNavFeed.NavUpdated(1, NAV_1, uint64(T0 - 1 hours), uint64(T0));
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.NavApplied(DID, 9, 1, NAV_1, uint64(T0 - 1 hours));
    receiver.receiveMessage(message, sigs);
  }

  function test_receiveMessage_NavDoesNotTouchHoldings() public {
    deliver(subscriptionAtt(alice, 10, 1));
    deliver(navAtt(NAV_1, uint64(T0), 2));
    assertEq(holdings.totalSupply(), 10);
    assertEq(navFeed.latestRound(), 1);
  }
}
