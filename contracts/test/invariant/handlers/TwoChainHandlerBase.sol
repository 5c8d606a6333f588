// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Vm} from "forge-std/Vm.sol";
import {RwaReceiver} from "../../../src/RwaReceiver.sol";
import {RwaHoldings} from "../../../src/RwaHoldings.sol";
import {RwaNavFeed} from "../../../src/RwaNavFeed.sol";
import {RwaRedemptions} from "../../../src/RwaRedemptions.sol";
import {AttestationSigner} from "../../helpers/AttestationSigner.sol";

/// @notice State, ghost accounting and delivery plumbing of TwoChainHandler: one DID on two receivers that stand for
/// two chains. Both live on one EVM; every delivery first sets block.chainid to its chain (vm.chainId), so each
/// receiver sees its own chain id and checks signatures against its own EIP-712 domain.
///
/// Deliveries are classified before they are sent: "expected to apply" (valid signatures and a state that admits
/// it) or "expected to be rejected". Any disagreement is counted in a ghost (never asserted here), so the invariant
/// contract can check it and a broken model cannot make the properties pass vacuously.
abstract contract TwoChainHandlerBase is CommonBase, StdUtils, AttestationSigner {
  struct Deployment {
    RwaReceiver[2] receivers;
    uint64[2] chainIds;
    uint64 otherChainId;
    bytes32 did;
    uint256[] committee;
    uint256[] nextCommittee;
    uint256[] outsiders;
    uint256[] governance;
    address[] actors;
    address attacker;
    uint256 reserve;
    uint128 otherCap;
  }

  uint256 internal constant MAX_NONCE_SEED = 4_000; // spans several bitmap words
  /// @dev Admin nonces of the campaign start here, above the ones setUp used (AttestationFixture's 2^63 + n).
  uint64 internal constant ADMIN_NONCE_FLOOR = uint64(1 << 63) + 1_000;
  uint256 internal constant MAX_AMOUNT = 1e24;

  bytes32 public immutable did;
  uint8 public immutable threshold;
  uint32 internal immutable i_heartbeat;
  uint16 public immutable maxMoveBps;
  uint64 public immutable otherChainId;
  address public immutable attacker;

  RwaReceiver[2] internal s_receivers;
  RwaHoldings[2] internal s_holdings;
  RwaNavFeed[2] internal s_feeds;
  RwaRedemptions[2] internal s_redemptions;
  uint64[2] internal s_chainIds;
  /// @dev Two committees that take turns: a rotation installs the other one on both chains.
  uint256[][2] internal s_committees;
  uint256 public currentCommittee;
  uint256[] internal s_outsiders;
  uint256[] internal s_governance;
  address[] internal s_actors;
  mapping(uint64 nonce => bool) internal s_nonceTaken;

  // ---- ghosts: what verified deliveries did ----
  uint256 public ghost_subscribed;
  uint256 public ghost_redeemed;
  uint256[2] public ghost_minted;
  uint256[2] public ghost_burned;
  uint256[2] public ghost_movedOut;
  uint256[2] public ghost_movedIn;
  mapping(uint256 chain => mapping(address actor => uint256)) public ghost_balance;
  mapping(uint256 chain => mapping(address actor => bool)) public ghost_allowed;
  bool[2] public ghost_paused;
  uint256[2] public ghost_navCount;
  uint256[2] public ghost_lastNav;
  uint64[2] public ghost_lastAsOf;
  uint128[2] public ghost_cap;
  /// @dev Supply when the cap was last set: a cap may be set below supply; then supply may only fall.
  uint256[2] public ghost_supplyAtCapSet;
  uint256 public ghost_reserve;
  uint128 public ghost_otherCap;
  uint64 public ghost_reserveAsOf;
  uint256 public ghost_rotations;

  // ---- ghosts: disagreements with the model (all must stay 0) ----
  uint256 public ghost_validRejected;
  uint256 public ghost_invalidApplied;
  uint256 public ghost_appliedTwice;
  uint256 public ghost_changedWhilePaused;
  uint256 public ghost_mintedAboveCap;
  /// @dev Right after a delivery: applied but nonce not marked, or refused but nonce marked.
  uint256 public ghost_nonceMismatch;

  // ---- ghosts: per-delivery records ----
  mapping(uint256 chain => mapping(uint64 nonce => bool)) public ghost_applied;
  uint256[] internal s_appliedChain;
  uint64[] internal s_appliedNonce;
  /// @dev (chain, nonce) of every delivery that was meant to fail: its nonce must stay unused.
  uint256[] internal s_rejectedChain;
  uint64[] internal s_rejectedNonce;
  // Applied deliveries, kept for replays. A batch item has a non-zero root and its proof.
  uint256[] internal s_replayChain;
  bytes[] internal s_replayMessage;
  bytes[] internal s_replaySigs;
  bytes32[] internal s_replayRoot;
  bytes32[][] internal s_replayProof;

  mapping(string action => uint256) public calls;

  constructor(Deployment memory d) {
    did = d.did;
    otherChainId = d.otherChainId;
    attacker = d.attacker;
    threshold = d.receivers[0].didState(d.did).threshold;
    RwaNavFeed feed0 = d.receivers[0].navFeedOf(d.did);
    i_heartbeat = feed0.s_heartbeat();
    maxMoveBps = feed0.s_maxMoveBps();
    s_committees[0] = d.committee;
    s_committees[1] = d.nextCommittee;
    s_outsiders = d.outsiders;
    s_governance = d.governance;
    s_actors = d.actors;
    ghost_reserve = d.reserve;
    ghost_otherCap = d.otherCap;
    ghost_reserveAsOf = d.receivers[0].reserveAsOf(d.did);
    for (uint256 x; x < 2; ++x) {
      s_receivers[x] = d.receivers[x];
      s_chainIds[x] = d.chainIds[x];
      s_holdings[x] = d.receivers[x].didState(d.did).holdings;
      s_feeds[x] = d.receivers[x].navFeedOf(d.did);
      s_redemptions[x] = d.receivers[x].redemptions();
      ghost_cap[x] = uint128(s_holdings[x].supplyCap());
      for (uint256 i; i < d.actors.length; ++i) {
        ghost_allowed[x][d.actors[i]] = s_holdings[x].isAllowed(d.actors[i]);
      }
    }
  }

  /// @dev A chain that was paused when the action started must hold exactly the same balances when it ends.
  modifier frozenWhilePaused() {
    bool[2] memory wasPaused;
    bytes32[2] memory before;
    for (uint256 x; x < 2; ++x) {
      wasPaused[x] = s_holdings[x].paused();
      if (wasPaused[x]) before[x] = _fingerprint(x);
    }
    _;
    for (uint256 x; x < 2; ++x) {
      if (wasPaused[x] && _fingerprint(x) != before[x]) ++ghost_changedWhilePaused;
    }
  }

  function _fingerprint(uint256 x) internal view returns (bytes32 h) {
    RwaHoldings holdings = s_holdings[x];
    // Units locked for redemption sit in the chain's redemptions module.
    h = keccak256(
      abi.encode(holdings.totalSupply(), holdings.balanceOf(attacker), holdings.balanceOf(address(s_redemptions[x])))
    );
    for (uint256 i; i < s_actors.length; ++i) {
      h = keccak256(abi.encode(h, holdings.balanceOf(s_actors[i])));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // signing
  // ---------------------------------------------------------------------------------------------------------------

  function _digestAt(uint256 x, bytes32 structHash) internal view returns (bytes32) {
    return typedDigest(domainSeparatorFor(s_chainIds[x], address(s_receivers[x])), structHash);
  }

  function _signAt(uint256 x, bytes32 structHash, uint256[] memory keys) internal view returns (bytes memory) {
    return signSorted(_digestAt(x, structHash), firstKeys(keys, threshold));
  }

  /// @dev The committee in office signs for chain `x`.
  function _committeeSign(uint256 x, bytes32 structHash) internal view returns (bytes memory) {
    return _signAt(x, structHash, s_committees[currentCommittee]);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // delivery
  // ---------------------------------------------------------------------------------------------------------------

  function _deliver(uint256 x, bytes memory message, bytes memory sigs) internal returns (bool ok) {
    vm.chainId(s_chainIds[x]);
    try s_receivers[x].receiveMessage(message, sigs) {
      ok = true;
    } catch {}
  }

  function _deliverBatch(uint256 x, bytes32 root, bytes memory sigs, bytes[] memory ms, bytes32[][] memory proofs)
    internal
    returns (bool ok)
  {
    vm.chainId(s_chainIds[x]);
    vm.recordLogs();
    try s_receivers[x].receiveBatch(did, root, sigs, packItems(ms), proofs) {
      // An item already applied is skipped (BatchItemSkipped), not reverted: the call applied only if none was.
      Vm.Log[] memory logs = vm.getRecordedLogs();
      ok = true;
      for (uint256 i; i < logs.length; ++i) {
        if (logs[i].topics[0] == RwaReceiver.BatchItemSkipped.selector) ok = false;
      }
    } catch {}
  }

  /// @dev Delivers one attestation and compares the outcome with the model; returns whether it applied.
  function _deliverExpecting(uint256 x, bytes memory message, bytes memory sigs, uint64 nonce, bool expectApply)
    internal
    returns (bool applied)
  {
    applied = _deliver(x, message, sigs);
    _judge(x, nonce, applied, expectApply);
    if (applied) _keepForReplay(x, message, sigs, bytes32(0), new bytes32[](0));
  }

  function _judge(uint256 x, uint64 nonce, bool applied, bool expectApply) internal {
    // Nonces are handed out once, so a refused one was never applied before and must still be unused.
    if (s_receivers[x].isNonceUsed(did, nonce) != applied) ++ghost_nonceMismatch;
    if (applied) {
      if (!expectApply) ++ghost_invalidApplied;
      if (ghost_applied[x][nonce]) {
        ++ghost_appliedTwice;
      } else {
        ghost_applied[x][nonce] = true;
        s_appliedChain.push(x);
        s_appliedNonce.push(nonce);
      }
    } else {
      if (expectApply) ++ghost_validRejected;
      s_rejectedChain.push(x);
      s_rejectedNonce.push(nonce);
    }
  }

  function _keepForReplay(uint256 x, bytes memory message, bytes memory sigs, bytes32 root, bytes32[] memory proof)
    internal
  {
    s_replayChain.push(x);
    s_replayMessage.push(message);
    s_replaySigs.push(sigs);
    s_replayRoot.push(root);
    s_replayProof.push(proof);
  }

  uint64 private s_orderedNonce = ADMIN_NONCE_FLOOR + uint64(MAX_NONCE_SEED) + 1;

  /// @dev A fresh admin nonce above setUp's, near `seed`, in random order: of pauses, allow-list entries and configs,
  /// the newest per kind (per account) must stay in force whatever arrives after it.
  function _freshAdminNonce(uint256 seed) internal returns (uint64 nonce) {
    nonce = ADMIN_NONCE_FLOOR + uint64(_bound(seed, 0, MAX_NONCE_SEED));
    while (s_nonceTaken[nonce]) {
      ++nonce;
    }
    s_nonceTaken[nonce] = true;
  }

  /// @dev A nonce above every admin nonce so far, for a kind this campaign models as always the newest (policies).
  function _orderedNonce() internal returns (uint64 nonce) {
    nonce = s_orderedNonce++;
    s_nonceTaken[nonce] = true;
  }

  /// @dev A nonce never handed out before (valid or hostile), near `seed`, so nonces arrive out of order.
  function _freshNonce(uint256 seed) internal returns (uint64 nonce) {
    nonce = uint64(_bound(seed, 0, MAX_NONCE_SEED));
    while (s_nonceTaken[nonce]) {
      ++nonce;
    }
    s_nonceTaken[nonce] = true;
  }

  function _room(uint256 x) internal view returns (uint256) {
    uint256 supply = s_holdings[x].totalSupply();
    return ghost_cap[x] > supply ? ghost_cap[x] - supply : 0;
  }

  function _afterMint(uint256 x) internal {
    if (s_holdings[x].totalSupply() > ghost_cap[x]) ++ghost_mintedAboveCap;
  }

  function _actor(uint256 seed) internal view returns (address) {
    return s_actors[seed % s_actors.length];
  }

  function _settlement(uint8 kind, address investor, uint256 amount, uint64 nonce, uint64 peer)
    internal
    view
    returns (SettlementAtt memory)
  {
    bool isMove = kind == MOVE_OUT || kind == MOVE_IN;
    return SettlementAtt({
      did: did,
      nonce: nonce,
      settlementKind: kind,
      settlementRef: keccak256(abi.encode("ref", nonce, amount)),
      investor: investor,
      amount: amount,
      cashLegRef: isMove ? bytes32(0) : keccak256(abi.encode("cash", nonce)),
      settledAt: uint64(block.timestamp),
      peerChainId: peer
    });
  }

  function _configMessage(uint64 nonce, address[] memory signers) internal view returns (bytes memory) {
    return encodeConfig(
      ConfigAtt({
        did: did,
        nonce: nonce,
        threshold: threshold,
        navDecimals: 8,
        tokenDecimals: 6,
        heartbeat: i_heartbeat, // unchanged, so NAV moves keep their limit
        maxNavMoveBps: maxMoveBps,
        signers: signers,
        name: "ignored on update",
        symbol: "IGN",
        signersValidUntil: uint64(block.timestamp + 50 * 365 days)
      })
    );
  }

  // ---------------------------------------------------------------------------------------------------------------
  // views for the invariant contract
  // ---------------------------------------------------------------------------------------------------------------

  function receiverAt(uint256 x) external view returns (RwaReceiver) {
    return s_receivers[x];
  }

  function holdingsAt(uint256 x) external view returns (RwaHoldings) {
    return s_holdings[x];
  }

  function feedAt(uint256 x) external view returns (RwaNavFeed) {
    return s_feeds[x];
  }

  function actorCount() external view returns (uint256) {
    return s_actors.length;
  }

  function actorAt(uint256 i) external view returns (address) {
    return s_actors[i];
  }

  function appliedCount() external view returns (uint256) {
    return s_appliedNonce.length;
  }

  function appliedAt(uint256 i) external view returns (uint256 chain, uint64 nonce) {
    return (s_appliedChain[i], s_appliedNonce[i]);
  }

  function rejectedCount() external view returns (uint256) {
    return s_rejectedNonce.length;
  }

  function rejectedAt(uint256 i) external view returns (uint256 chain, uint64 nonce) {
    return (s_rejectedChain[i], s_rejectedNonce[i]);
  }
}
