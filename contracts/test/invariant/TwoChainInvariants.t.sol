// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaHoldings} from "../../src/RwaHoldings.sol";
import {RwaNavFeed} from "../../src/RwaNavFeed.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";
import {TwoChainHandlerBase} from "./handlers/TwoChainHandlerBase.sol";
import {TwoChainHandler} from "./handlers/TwoChainHandler.sol";
import {TwoChainRedemptionHandler} from "./handlers/TwoChainRedemptionHandler.sol";
import {RwaRedemptions} from "../../src/RwaRedemptions.sol";

/// @notice Stateful properties of one DID on two chains under the oracle's valid traffic and a hostile relayer's.
///
/// Two chains on one EVM: receiver A is deployed while block.chainid is CHAIN_A and receiver B while it is CHAIN_B
/// (vm.chainId); the handler sets the chain id before every delivery, so each receiver checks signatures against its
/// own domain (chain id and address) and moves name the other chain as their peer. Both receivers share the
/// governance committee and the DID committee; a reserve lists both chains and a third one (OTHER_CHAIN) that has
/// no receiver here. Chain A is also the redemption hub: it counts the requests of both chains and sets the stage
/// that B follows. Numbered as in contracts/INVARIANTS.md.
contract TwoChainInvariants is AttestationFixture {
  uint64 internal constant CHAIN_A = 10; // OP mainnet id, as an example
  uint64 internal constant CHAIN_B = 8453; // Base
  uint64 internal constant OTHER_CHAIN = 42_161; // Arbitrum: listed in reserves, not deployed here
  uint256 internal constant RESERVE_0 = 1e27;
  uint128 internal constant CAP_0 = 4e26;
  uint128 internal constant OTHER_CAP_0 = 1e26;

  TwoChainRedemptionHandler internal handler;
  RwaReceiver[2] internal receivers;
  RwaHoldings[2] internal holdingsOf;
  RwaNavFeed[2] internal feeds;

  function setUp() public override {
    super.setUp();
    uint64[2] memory chainIds = [CHAIN_A, CHAIN_B];
    for (uint256 x; x < 2; ++x) {
      vm.chainId(chainIds[x]);
      receivers[x] = new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL);
      (holdingsOf[x], feeds[x]) = configure(receivers[x], DID, committeeKeys, THRESHOLD);
    }
    // One reserve attestation for both chains (configure gave each chain a reserve of its own).
    CapEntry[] memory caps = new CapEntry[](3);
    caps[0] = CapEntry({chainId: CHAIN_A, cap: CAP_0, ceiling: 0});
    caps[1] = CapEntry({chainId: CHAIN_B, cap: CAP_0, ceiling: 0});
    caps[2] = CapEntry({chainId: OTHER_CHAIN, cap: OTHER_CAP_0, ceiling: 0});
    for (uint256 x; x < 2; ++x) {
      vm.chainId(chainIds[x]);
      applyReserve(receivers[x], DID, quorumKeys(), RESERVE_0, caps);
    }

    address[] memory actors = new address[](3);
    (actors[0], actors[1], actors[2]) = (alice, bob, carol);
    handler = new TwoChainRedemptionHandler(
      TwoChainHandlerBase.Deployment({
        receivers: receivers,
        chainIds: chainIds,
        otherChainId: OTHER_CHAIN,
        did: DID,
        committee: committeeKeys,
        nextCommittee: deriveKeys(COMMITTEE_SIZE, 7_777),
        outsiders: outsiderKeys,
        governance: governanceKeys,
        actors: actors,
        attacker: makeAddr("attacker"),
        reserve: RESERVE_0,
        otherCap: OTHER_CAP_0
      })
    );

    bytes4[] memory selectors = new bytes4[](21);
    selectors[0] = TwoChainHandler.subscribe.selector;
    selectors[1] = TwoChainHandler.redeem.selector;
    selectors[2] = TwoChainHandler.move.selector;
    selectors[3] = TwoChainHandler.transfer.selector;
    selectors[4] = TwoChainHandler.subscribeBatch.selector;
    selectors[5] = TwoChainHandler.publishNav.selector;
    selectors[6] = TwoChainHandler.setAllowed.selector;
    selectors[7] = TwoChainHandler.setPaused.selector;
    selectors[8] = TwoChainHandler.attestReserve.selector;
    selectors[9] = TwoChainHandler.rotateCommittee.selector;
    selectors[10] = TwoChainHandler.attemptForged.selector;
    selectors[11] = TwoChainHandler.attemptReplay.selector;
    selectors[12] = TwoChainHandler.move.selector; // moves weigh double: they are what this suite is about
    selectors[13] = TwoChainRedemptionHandler.requestRedeem.selector;
    selectors[14] = TwoChainRedemptionHandler.cancelRedeem.selector;
    selectors[15] = TwoChainRedemptionHandler.fulfil.selector;
    selectors[16] = TwoChainRedemptionHandler.fulfil.selector; // fulfilments weigh double, as moves do
    selectors[17] = TwoChainRedemptionHandler.setRedemptionPolicy.selector;
    selectors[18] = TwoChainRedemptionHandler.advanceTime.selector;
    selectors[19] = TwoChainRedemptionHandler.accept.selector;
    selectors[20] = TwoChainRedemptionHandler.accept.selector; // accepted requests are what moves the stage
    targetContract(address(handler));
    targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
  }

  /// @notice (1) Each chain's supply is exactly what verified settlements minted minus what they and verified
  /// redemption fulfilments burned; each investor holds (free) what settlements, their own transfers and their
  /// redemption requests and cancels left them; the rest is locked in the redemptions module; the attacker holds
  /// nothing.
  function invariant_holdingsChangeOnlyByVerifiedSettlement() public view {
    for (uint256 x; x < 2; ++x) {
      RwaHoldings h = holdingsOf[x];
      assertEq(
        h.totalSupply(),
        handler.ghost_minted(x) - handler.ghost_burned(x) - handler.ghost_fulfilledBurn(x),
        "supply vs verified settlements"
      );
      uint256 sum = h.balanceOf(address(handler.redemptionsAt(x)));
      for (uint256 i; i < handler.actorCount(); ++i) {
        address actor = handler.actorAt(i);
        assertEq(h.balanceOf(actor), handler.ghost_balance(x, actor), "balance");
        sum += h.balanceOf(actor);
      }
      assertEq(sum, h.totalSupply(), "supply held outside the investors and the redemptions module");
      assertEq(h.balanceOf(handler.attacker()), 0, "attacker holds units");
    }
  }

  /// @notice (2) Moves, redemption requests and cancels conserve supply: both chains together hold verified
  /// subscriptions minus verified redemption settlements minus verified redemption fulfilments, and what left each
  /// chain arrived on the other.
  function invariant_supplyConservedAcrossChains() public view {
    assertEq(
      holdingsOf[0].totalSupply() + holdingsOf[1].totalSupply(),
      handler.ghost_subscribed() - handler.ghost_redeemed() - handler.ghost_fulfilledTotal()
    );
    assertEq(handler.ghost_movedOut(0), handler.ghost_movedIn(1), "A -> B");
    assertEq(handler.ghost_movedOut(1), handler.ghost_movedIn(0), "B -> A");
  }

  /// @notice (3) On each chain, one NAV round per applied NAV, as-of times strictly increasing across rounds, the
  /// latest round is the latest applied NAV.
  function invariant_navRoundsMonotonic() public view {
    for (uint256 x; x < 2; ++x) {
      RwaNavFeed f = feeds[x];
      uint80 latest = uint80(f.latestRound()); // V2 latestRound is uint256; round ids fit uint80
      assertEq(latest, handler.ghost_navCount(x), "rounds vs applied NAVs");
      uint256 previousAsOf;
      for (uint80 r = 1; r <= latest; ++r) {
        (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) =
          f.getRoundData(r);
        assertEq(roundId, r);
        assertEq(answeredInRound, r);
        assertGt(answer, 0);
        assertEq(startedAt, updatedAt);
        assertGt(updatedAt, previousAsOf, "as-of did not increase");
        previousAsOf = updatedAt;
      }
      if (latest != 0) {
        (, int256 answer,, uint256 updatedAt,) = f.latestRoundData();
        assertEq(uint256(answer), handler.ghost_lastNav(x));
        assertEq(updatedAt, handler.ghost_lastAsOf(x));
      }
    }
  }

  /// @notice (4) No attestation applied twice, on either chain: no delivery applied a nonce already applied there,
  /// no replay (same chain or other chain) and no forgery applied, and right after every delivery its nonce was
  /// marked used exactly when it applied. afterInvariant() re-checks every (chain, nonce) record at the end of a run.
  function invariant_noAttestationAppliedTwice() public view {
    assertEq(handler.ghost_appliedTwice(), 0, "applied twice");
    assertEq(handler.ghost_invalidApplied(), 0, "replay, forgery or inadmissible delivery applied");
    assertEq(handler.ghost_nonceMismatch(), 0, "nonce marking disagrees with the outcome");
  }

  /// @dev The full sweep behind (4), once per run rather than after every call: every applied nonce is marked used on
  /// its chain and every refused delivery left its nonce unused.
  function afterInvariant() public view {
    for (uint256 i; i < handler.appliedCount(); ++i) {
      (uint256 x, uint64 nonce) = handler.appliedAt(i);
      assertTrue(receivers[x].isNonceUsed(DID, nonce), "applied nonce not marked");
    }
    for (uint256 i; i < handler.rejectedCount(); ++i) {
      (uint256 x, uint64 nonce) = handler.rejectedAt(i);
      assertEq(receivers[x].isNonceUsed(DID, nonce), handler.ghost_applied(x, nonce), "refused delivery used a nonce");
    }
  }

  /// @notice (5) Each chain's supply stays within its cap (or, when a reserve set the cap below the supply of the
  /// time, within that supply: such a cap only stops mints), no mint ever ended above the cap, each chain applied
  /// the attested cap, and the caps of all listed chains sum to at most the attested reserve.
  function invariant_supplyWithinCapAndCapsWithinReserve() public view {
    uint256 sumOfCaps = handler.ghost_otherCap();
    for (uint256 x; x < 2; ++x) {
      uint256 cap = holdingsOf[x].supplyCap();
      assertEq(cap, handler.ghost_cap(x), "cap vs attested");
      uint256 ceiling = cap > handler.ghost_supplyAtCapSet(x) ? cap : handler.ghost_supplyAtCapSet(x);
      assertLe(holdingsOf[x].totalSupply(), ceiling, "supply above cap");
      assertEq(receivers[x].reserveAsOf(DID), handler.ghost_reserveAsOf(), "reserve as-of");
      sumOfCaps += cap;
    }
    assertEq(handler.ghost_mintedAboveCap(), 0, "a mint ended above the cap");
    assertLe(sumOfCaps, handler.ghost_reserve(), "caps exceed reserve");
  }

  /// @notice (6) While a chain is paused no balance on it changes (no transfer, mint, burn or move), and the pause
  /// flag is the attested one.
  function invariant_pausedMeansNoBalanceChanges() public view {
    assertEq(handler.ghost_changedWhilePaused(), 0, "balances moved while paused");
    for (uint256 x; x < 2; ++x) {
      assertEq(holdingsOf[x].paused(), handler.ghost_paused(x));
    }
  }

  /// @notice Admin state is the state of the newest applied message of each kind: pauses, allow-list entries (per
  /// account) and configs arrive with nonces in random order; an older one is consumed and changes nothing.
  function invariant_adminStateIsTheNewestApplied() public view {
    assertEq(handler.ghost_adminOrderMismatch(), 0, "an older admin message overrode a newer one");
    for (uint256 x; x < 2; ++x) {
      assertEq(holdingsOf[x].paused(), handler.ghost_paused(x));
    }
  }

  /// @notice Guard: every delivery the model admits applied (without it a broken handler would make the
  /// properties above pass vacuously), and signer rotations happened on both chains alike.
  function invariant_validDeliveriesAlwaysApply() public view {
    assertEq(handler.ghost_validRejected(), 0, "valid delivery rejected");
    for (uint256 x; x < 2; ++x) {
      assertEq(receivers[x].didState(DID).signerEpoch, 1 + handler.ghost_rotations(), "epoch vs rotations");
    }
  }

  /// @notice (8) Locked + free = holdings: on each chain the redemptions module holds exactly the open remainders
  /// of its requests (amount - fulfilled of every request not cancelled), which is what requests locked minus what
  /// cancels returned and fulfilments burned; with the free balances it makes up the supply (checked in (1)).
  function invariant_lockedPlusFreeEqualsHoldings() public view {
    for (uint256 x; x < 2; ++x) {
      RwaRedemptions r = handler.redemptionsAt(x);
      uint256 open;
      for (uint64 id = 1; id <= r.requestCount(DID); ++id) {
        RwaRedemptions.Request memory q = r.requestOf(DID, id);
        if (!q.cancelled) open += q.amount - q.fulfilled;
      }
      uint256 locked = holdingsOf[x].balanceOf(address(r));
      assertEq(locked, open, "module balance vs open remainders");
      assertEq(locked, handler.ghost_locked(x), "module balance vs locks - cancels - fulfilments");
    }
  }

  /// @notice (9) Fulfilled <= requested per request: no request is fulfilled for more than it locked, each one's
  /// fulfilled amount is the sum of its applied fulfilments, and a cancelled request was never paid.
  function invariant_fulfilledNeverExceedsRequested() public view {
    for (uint256 x; x < 2; ++x) {
      RwaRedemptions r = handler.redemptionsAt(x);
      for (uint64 id = 1; id <= r.requestCount(DID); ++id) {
        RwaRedemptions.Request memory q = r.requestOf(DID, id);
        assertLe(q.fulfilled, q.amount, "fulfilled above requested");
        assertEq(q.fulfilled, handler.ghost_requestFulfilled(x, id), "fulfilled vs applied fulfilments");
        if (q.cancelled) assertEq(q.fulfilled, 0, "cancelled after a payment");
      }
    }
  }

  /// @notice (13) Cancelled requests never change the stage: no request that was cancelled was ever counted by the
  /// hub (only accepted requests are reported, and an accepted request cannot be cancelled); the hub's pressure is
  /// exactly the accepted units reported in the window (the current hour and the 24 before), so the stage, which
  /// (10) ties to that pressure, moves only with units no holder can take back.
  function invariant_cancelledRequestsNeverChangeTheStage() public view {
    RwaRedemptions hub = handler.redemptionsAt(0);
    for (uint256 x; x < 2; ++x) {
      RwaRedemptions r = handler.redemptionsAt(x);
      uint64 chainId = handler.chainIdAt(x);
      for (uint64 id = 1; id <= r.requestCount(DID); ++id) {
        RwaRedemptions.Request memory q = r.requestOf(DID, id);
        bool reported = hub.isReported(DID, chainId, id);
        if (q.cancelled) assertFalse(reported, "a cancelled request counted on the hub");
        if (reported) assertTrue(q.accepted, "an unaccepted request counted on the hub");
      }
    }
    assertEq(hub.pressureOf(DID), handler.ghostPressure(), "hub pressure vs accepted reports in the window");
    assertEq(handler.ghost_stageRuleMismatch(), 0, "hub stage differs from the rule");
  }

  /// @notice (14) A fulfilled request was accepted and never cancelled: acceptance and cancel exclude each other on
  /// the request's chain, and a fulfilment applies only to an accepted request.
  function invariant_fulfilledRequestWasAcceptedAndNeverCancelled() public view {
    for (uint256 x; x < 2; ++x) {
      RwaRedemptions r = handler.redemptionsAt(x);
      for (uint64 id = 1; id <= r.requestCount(DID); ++id) {
        RwaRedemptions.Request memory q = r.requestOf(DID, id);
        assertFalse(q.accepted && q.cancelled, "accepted and cancelled");
        if (q.fulfilled != 0) {
          assertTrue(q.accepted, "fulfilled without acceptance");
          assertFalse(q.cancelled, "fulfilled and cancelled");
        }
      }
    }
  }

  /// @notice (10) One stage on every chain: once the hub's stage has been delivered, both chains report the same
  /// stage, sequence, start, reason and inputs; the hub's stage is the rule applied to the day's reported requests,
  /// the latest pool and the policy, and its sequence grows by one per change.
  function invariant_stageSameOnEveryChain() public view {
    RwaRedemptions.Stage memory hub = handler.redemptionsAt(0).stageOf(DID);
    RwaRedemptions.Stage memory spoke = handler.redemptionsAt(1).stageOf(DID);
    assertEq(spoke.stage, hub.stage, "stage");
    assertEq(spoke.stageSeq, hub.stageSeq, "stageSeq");
    assertEq(spoke.since, hub.since, "since");
    assertEq(spoke.reason, hub.reason, "reason");
    assertEq(spoke.dayRequested, hub.dayRequested, "dayRequested");
    assertEq(spoke.poolSupply, hub.poolSupply, "poolSupply");
    assertEq(hub.stageSeq, handler.ghost_hubSeq(), "hub stageSeq vs observed changes");
    assertEq(handler.ghost_stageRuleMismatch(), 0, "hub stage differs from the rule");
  }
}
