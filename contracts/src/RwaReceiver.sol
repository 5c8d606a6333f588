// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {AttestationCodec} from "./libraries/AttestationCodec.sol";
import {Eip712Attestation} from "./libraries/Eip712Attestation.sol";
import {RwaHoldings} from "./RwaHoldings.sol";
import {RwaNavFeed} from "./RwaNavFeed.sol";
import {RwaAssetFactory} from "./RwaAssetFactory.sol";
import {RwaRedemptions} from "./RwaRedemptions.sol";
import {RwaTransportQuorum} from "./RwaTransportQuorum.sol";
import {TransportQuorumRule} from "./libraries/TransportQuorumRule.sol";

/// @notice Per-chain entry point for oracle attestations. Anyone may deliver: the committee's signatures are the
/// authentication, never the caller. There is no admin of DIDs: every DID setting arrives as a verified attestation.
/// The only owned part is the transport gate (RwaTransportQuorum, created here), whose owner binds the chain's
/// CCIP and Wormhole adapters, i.e. decides which caller counts as which bridge.
///
/// Who signs what:
/// - the first config of a DID on this chain is signed by the governance committee fixed at deployment
///   (the oracle committee that mirrors the hub registry); a governance rotation is a config for DID 0;
/// - everything else for a DID (settlements, NAV, config updates, allow-list, pause, reserve) is signed by the
///   DID's current signer set; a config update rotates it, and the old set stops verifying at once.
/// - redemption requests, stages, policies, fulfilments and disclosures (kinds 7..11) are verified here like any
///   admin attestation, then applied by this chain's RwaRedemptions module, which this contract creates.
/// - a transport quorum (kind 12, the issuer's rule from the hub registry) is applied here.
/// - a move ends here: its in leg (settlement kind 4) or its void (kind 15) on the to-chain, its return (kind 16) on
///   the from-chain. Each consumes the move's reference on its chain, so on the to-chain the in leg and the void
///   exclude each other, whichever applies first; the committee signs a return only after reading the void applied
///   on the to-chain, so a return and an in leg of one move never both apply. A void moves no value, so it is not
///   held by a transport quorum (else a quorum that cannot be met would strand the move's units).
/// Order in every path: decode (exact length) -> verify quorum over the EIP-712 digest bound to this chain and this
/// contract -> mark the nonce used -> apply -> emit.
///
/// Transport quorum. A DID whose rule on this chain is k of a mask of transports (1 cctp = direct call by anyone who
/// is not a bound adapter, 2 ccip adapter, 4 wormhole adapter) is gated: every arrival is verified in full (so a bad
/// signature reverts and records nothing), then the gate records which transport brought keccak256(message); only
/// the arrival that completes k distinct transports of the mask marks the nonce and applies; earlier and later
/// arrivals return without applying. Batches are refused for a gated DID (they have no per-message transport).
/// An ungated DID (0/0, the default) takes exactly the path above: one delivery applies.
contract RwaReceiver {
  error UnknownDid(bytes32 did);
  error InvalidThreshold(uint256 threshold, uint256 signerCount);
  error SignersNotAscending(uint256 index);
  error InvalidSignatureCount(uint256 length, uint256 expected);
  error InvalidSignature(uint256 index);
  error UnauthorizedSigner(address signer);
  error NonceAlreadyUsed(bytes32 did, uint64 nonce);
  error InvalidSettlementKind(uint8 settlementKind);
  error InvalidInvestor(address investor);
  error InvalidAmount(uint256 amount);
  error InvalidPeerChain(uint64 peerChainId);
  error ReserveNotNewer(uint64 asOf, uint64 latestAsOf);
  error CapsExceedReserve(uint256 sumOfCaps, uint256 reserve);
  /// @dev A raise needs sum(max(cap, ceiling)) over all chains within the reserve.
  error RaiseNotCovered(uint256 sumOfMaxCapCeiling, uint256 reserve);
  /// @dev This chain's supply or cap in force is above the ceiling the attestation assumed for it.
  error ChainPastCeiling(uint256 reach, uint256 ceiling);
  error InvalidMerkleProof(uint256 index);
  error BatchItemDidMismatch(uint256 index, bytes32 did);
  error KindNotAllowedInBatch(uint256 index, uint8 kind);
  error BatchRootNotVerified(bytes32 did, bytes32 root);
  error TransportQuorumRequired(bytes32 did);
  error WrongQuorumChain(uint64 chainId);
  error InvalidTransportQuorum(uint8 k, uint8 transports);
  error TransportNotBound(uint8 transport);
  error MoveAlreadySettled(bytes32 did, bytes32 moveRef, uint8 outcome);

  event DidConfigured(
    bytes32 indexed did, uint64 indexed nonce, uint32 signerEpoch, uint8 threshold, address[] signers, address holdings, address navFeed
  );
  event SettlementApplied(
    bytes32 indexed did,
    uint64 indexed nonce,
    address indexed investor,
    uint8 settlementKind,
    bytes32 settlementRef,
    uint256 amount,
    bytes32 cashLegRef,
    uint64 peerChainId
  );
  event NavApplied(bytes32 indexed did, uint64 indexed nonce, uint80 roundId, uint256 nav, uint64 asOf);
  event AllowListApplied(bytes32 indexed did, uint64 indexed nonce, uint256 entries);
  event PauseApplied(bytes32 indexed did, uint64 indexed nonce, bool paused);
  event ReserveApplied(bytes32 indexed did, uint64 indexed nonce, uint256 reserve, uint64 asOf, uint128 supplyCap);
  event BatchRootVerified(bytes32 indexed did, bytes32 indexed root, uint32 signerEpoch);
  /// @dev outcome: MOVE_VOIDED on the to-chain, MOVE_RETURNED on the from-chain (an arrival is a SettlementApplied).
  event MoveSettled(
    bytes32 indexed did, uint64 indexed nonce, bytes32 indexed moveRef, uint8 outcome, address investor, uint256 amount, uint64 peerChainId
  );
  event TransportQuorumApplied(bytes32 indexed did, uint64 indexed nonce, uint8 k, uint8 transports);
  /// @notice A config, pause, redemption policy or transport quorum older than the newest of its kind already applied:
  /// its nonce is consumed and nothing changes (so a relayer sees it delivered and stops retrying).
  event AdminSuperseded(bytes32 indexed did, uint64 indexed nonce, uint8 kind, uint64 newestApplied);
  /// @notice An allow-list entry older than the newest entry already applied for the same account: skipped.
  event AllowListEntrySuperseded(bytes32 indexed did, uint64 indexed nonce, address indexed account, uint64 newestApplied);

  /// @dev One slot: everything a settlement needs besides the signers. quorumTransports 0: ungated.
  struct DidState {
    uint8 threshold;
    uint32 signerEpoch;
    RwaHoldings holdings;
    uint8 quorumK;
    uint8 quorumTransports;
  }

  /// @dev The key under which the governance committee is stored; keccak256 of a DID string is never zero.
  bytes32 public constant GOVERNANCE = bytes32(0);
  /// @dev secp256k1n / 2: signatures with a higher s are the malleated twin of a valid one.
  /// @dev What consumed a move's reference on this chain (0: nothing yet).
  uint8 public constant MOVE_ARRIVED = 1;
  uint8 public constant MOVE_VOIDED = 2;
  uint8 public constant MOVE_RETURNED = 3;
  uint256 internal constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

  uint256 private immutable i_chainId;
  RwaRedemptions private immutable i_redemptions;
  /// @dev Deploys each DID's token and NAV feed, so their creation code stays out of this contract's runtime.
  RwaAssetFactory private immutable i_assets;
  /// @dev Records which transports delivered each message of a gated DID; owned by this contract's deployer.
  RwaTransportQuorum private immutable i_gate;
  bytes32 private immutable i_domainSeparator;

  mapping(bytes32 did => DidState) private s_dids;
  mapping(bytes32 did => RwaNavFeed) private s_navFeeds;
  mapping(bytes32 did => uint64) private s_reserveAsOf;
  /// @dev A signer verifies for a DID only while its epoch equals the DID's current epoch.
  mapping(bytes32 did => mapping(address signer => uint32 epoch)) private s_signerEpoch;
  /// @dev Replay bitmap: 256 nonces per slot, so consecutive nonces mostly write a warm, non-zero slot.
  mapping(bytes32 did => mapping(uint256 word => uint256 bits)) private s_usedNonces;
  /// @dev Batch roots verified by a DID's quorum, with the signer epoch that verified them.
  mapping(bytes32 did => mapping(bytes32 root => uint32 epoch)) private s_batchRoots;
  /// @dev Order of state-setting kinds: per DID and kind (config, pause, policy, transport quorum), and per DID and
  /// account for the allow-list, 1 + the nonce of the newest applied message (0: none yet). The oracle gives a DID
  /// one nonce sequence for every kind, so a higher nonce is a newer decision; a lower one arriving later is stale.
  mapping(bytes32 did => mapping(uint8 kind => uint256 newestPlusOne)) private s_newestAdmin;
  mapping(bytes32 did => mapping(address account => uint256 newestPlusOne)) private s_newestAllowList;
  /// @dev Per move reference: how the move ended on this chain (MOVE_*), written once.
  mapping(bytes32 did => mapping(bytes32 moveRef => uint8 outcome)) private s_moveOutcomes;

  constructor(address[] memory governanceSigners, uint8 governanceThreshold) {
    i_chainId = block.chainid;
    i_domainSeparator = Eip712Attestation.domainSeparator(block.chainid, address(this));
    // Its creation code lands in this constructor's initcode only, not in the runtime (which is near the limit).
    i_redemptions = new RwaRedemptions();
    i_assets = new RwaAssetFactory();
    i_gate = new RwaTransportQuorum(msg.sender);
    _setSigners(GOVERNANCE, governanceSigners, governanceThreshold);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Delivery
  // ------------------------------------------------------------------------------------------------------------

  /// @notice Verify and apply one attestation.
  /// @param message AttestationCodec v1 bytes.
  /// @param signatures exactly `threshold` 65-byte (r, s, v) signatures, ordered by strictly increasing signer.
  function receiveMessage(bytes calldata message, bytes calldata signatures) external {
    AttestationCodec.Header memory h = AttestationCodec.decodeHeader(message);
    DidState memory st = s_dids[h.did];
    bytes32 signerKey = h.did;
    if (address(st.holdings) == address(0)) {
      // Only a config may introduce a DID (or rotate governance), and only governance signs it.
      if (h.kind != AttestationCodec.KIND_CONFIG) revert UnknownDid(h.did);
      signerKey = GOVERNANCE;
      st = s_dids[GOVERNANCE];
    }
    _verifyQuorum(signerKey, st, _structHash(h, message), signatures);
    // Gated DID: every arrival is verified above; only the one completing the transport quorum goes on to apply.
    // (A DID being introduced reads governance's state, which is never gated.)
    if (st.quorumTransports != 0 && h.kind != AttestationCodec.KIND_MOVE_VOID) {
      if (!i_gate.record(msg.sender, keccak256(message), st.quorumK, st.quorumTransports)) return;
    }
    _useNonce(h.did, h.nonce);
    _apply(h, message);
  }

  /// @notice Apply attestations covered by one quorum signature over a Merkle root.
  /// @dev The root is verified once (signatures may be empty on later calls for the same root while the DID's signer
  /// set is unchanged). Leaves are keccak256(keccak256(message)); pairs hashed in sorted order (OZ MerkleProof).
  /// Only settlements and NAV may be batched.
  function receiveBatch(
    bytes32 did,
    bytes32 root,
    bytes calldata signatures,
    bytes[] calldata messages,
    bytes32[][] calldata proofs
  ) external {
    DidState memory st = s_dids[did];
    if (address(st.holdings) == address(0)) revert UnknownDid(did);
    if (st.quorumTransports != 0) revert TransportQuorumRequired(did);
    uint32 verified = s_batchRoots[did][root];
    if (verified != st.signerEpoch) {
      if (signatures.length == 0) revert BatchRootNotVerified(did, root);
      _verifyQuorum(did, st, Eip712Attestation.batchHash(did, root), signatures);
      s_batchRoots[did][root] = st.signerEpoch;
      emit BatchRootVerified(did, root, st.signerEpoch);
    }
    uint256 n = messages.length;
    for (uint256 i; i < n; ++i) {
      _applyBatchItem(did, root, messages[i], proofs[i], i);
    }
  }

  function _applyBatchItem(bytes32 did, bytes32 root, bytes calldata message, bytes32[] calldata proof, uint256 i) internal {
    if (!MerkleProof.verifyCalldata(proof, root, keccak256(bytes.concat(keccak256(message))))) {
      revert InvalidMerkleProof(i);
    }
    AttestationCodec.Header memory h = AttestationCodec.decodeHeader(message);
    if (h.did != did) revert BatchItemDidMismatch(i, h.did);
    if (h.kind != AttestationCodec.KIND_SETTLEMENT && h.kind != AttestationCodec.KIND_NAV) {
      revert KindNotAllowedInBatch(i, h.kind);
    }
    _useNonce(did, h.nonce);
    _apply(h, message);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Verification
  // ------------------------------------------------------------------------------------------------------------

  function _structHash(AttestationCodec.Header memory h, bytes calldata message) internal pure returns (bytes32) {
    if (h.kind == AttestationCodec.KIND_SETTLEMENT) {
      return Eip712Attestation.settlementHash(h, AttestationCodec.decodeSettlement(message));
    }
    if (h.kind == AttestationCodec.KIND_NAV) return Eip712Attestation.navHash(h, AttestationCodec.decodeNav(message));
    return Eip712Attestation.adminHash(h, AttestationCodec.body(message));
  }

  function _verifyQuorum(bytes32 key, DidState memory st, bytes32 structHash, bytes calldata signatures) internal view {
    uint256 threshold = st.threshold;
    if (signatures.length != threshold * 65) revert InvalidSignatureCount(signatures.length, threshold * 65);
    bytes32 digest = Eip712Attestation.digest(_domainSeparator(), structHash);
    address last;
    for (uint256 i; i < threshold; ++i) {
      address signer = _recover(digest, signatures, i);
      if (signer <= last) revert SignersNotAscending(i);
      if (s_signerEpoch[key][signer] != st.signerEpoch) revert UnauthorizedSigner(signer);
      last = signer;
    }
  }

  /// @dev Low-s and v in {27, 28} only, so each signer has exactly one valid signature per digest.
  function _recover(bytes32 digest, bytes calldata signatures, uint256 i) internal pure returns (address signer) {
    uint256 off = i * 65;
    bytes32 r = bytes32(signatures[off:off + 32]);
    bytes32 s = bytes32(signatures[off + 32:off + 64]);
    uint8 v = uint8(signatures[off + 64]);
    if (uint256(s) > HALF_ORDER || (v != 27 && v != 28)) revert InvalidSignature(i);
    signer = ecrecover(digest, v, r, s);
    if (signer == address(0)) revert InvalidSignature(i);
  }

  function _useNonce(bytes32 did, uint64 nonce) internal {
    uint256 word = nonce >> 8;
    uint256 bit = 1 << (nonce & 0xff);
    uint256 bits = s_usedNonces[did][word];
    if (bits & bit != 0) revert NonceAlreadyUsed(did, nonce);
    s_usedNonces[did][word] = bits | bit;
  }

  function _domainSeparator() internal view returns (bytes32) {
    // Recomputed only on a chain fork, where the cached separator would let a message verify on both forks.
    if (block.chainid == i_chainId) return i_domainSeparator;
    return Eip712Attestation.domainSeparator(block.chainid, address(this));
  }

  // ------------------------------------------------------------------------------------------------------------
  // Apply
  // ------------------------------------------------------------------------------------------------------------

  function _apply(AttestationCodec.Header memory h, bytes calldata message) internal {
    uint8 kind = h.kind;
    if (kind == AttestationCodec.KIND_SETTLEMENT) _applySettlement(h, AttestationCodec.decodeSettlement(message));
    else if (kind == AttestationCodec.KIND_NAV) _applyNav(h, AttestationCodec.decodeNav(message));
    // Settlements and NAV never reach this line, so they pay nothing for the ordering of state-setting kinds.
    else if (_isSuperseded(h)) return;
    else if (kind == AttestationCodec.KIND_CONFIG) _applyConfig(h, AttestationCodec.decodeConfig(message));
    else if (kind == AttestationCodec.KIND_ALLOWLIST) _applyAllowList(h, message);
    else if (kind == AttestationCodec.KIND_PAUSE) _applyPause(h, AttestationCodec.decodePause(message));
    else if (kind == AttestationCodec.KIND_RESERVE) _applyReserve(h, message);
    else if (kind == AttestationCodec.KIND_TRANSPORT_QUORUM) _applyTransportQuorum(h, message);
    else if (kind == AttestationCodec.KIND_MOVE_VOID || kind == AttestationCodec.KIND_MOVE_RETURN) _applyMoveEnd(h, message);
    // decodeHeader admits known kinds only: the rest (7..11, 13) belongs to the redemptions module.
    else i_redemptions.applyAttestation(message);
  }

  /// @dev For config, pause, redemption policy and transport quorum: records the message as the newest of its kind, or
  /// reports it superseded (a newer one of the kind applied first). Other kinds carry their own order (reserve and
  /// disclosure asOf, stage sequence, request ids) or none is needed (allow-list: per account, in _applyAllowList).
  function _isSuperseded(AttestationCodec.Header memory h) internal returns (bool) {
    uint8 kind = h.kind;
    if (
      kind != AttestationCodec.KIND_CONFIG && kind != AttestationCodec.KIND_PAUSE
        && kind != AttestationCodec.KIND_REDEMPTION_POLICY && kind != AttestationCodec.KIND_TRANSPORT_QUORUM
    ) return false;
    uint256 newest = s_newestAdmin[h.did][kind];
    if (h.nonce < newest) {
      emit AdminSuperseded(h.did, h.nonce, kind, uint64(newest - 1));
      return true;
    }
    s_newestAdmin[h.did][kind] = uint256(h.nonce) + 1;
    return false;
  }

  function _applySettlement(AttestationCodec.Header memory h, AttestationCodec.Settlement memory s) internal {
    if (s.investor == address(0)) revert InvalidInvestor(s.investor);
    if (s.amount == 0) revert InvalidAmount(s.amount);
    RwaHoldings holdings = s_dids[h.did].holdings;
    uint8 k = s.settlementKind;
    bool isMove = k == AttestationCodec.SETTLEMENT_MOVE_OUT || k == AttestationCodec.SETTLEMENT_MOVE_IN;
    if (isMove ? (s.peerChainId == 0 || s.peerChainId == block.chainid) : s.peerChainId != 0) {
      revert InvalidPeerChain(s.peerChainId);
    }
    if (k == AttestationCodec.SETTLEMENT_MOVE_IN) _settleMove(h.did, s.settlementRef, MOVE_ARRIVED);
    if (k == AttestationCodec.SETTLEMENT_SUBSCRIPTION || k == AttestationCodec.SETTLEMENT_MOVE_IN) {
      holdings.mint(s.investor, s.amount);
    } else if (k == AttestationCodec.SETTLEMENT_REDEMPTION || k == AttestationCodec.SETTLEMENT_MOVE_OUT) {
      holdings.burn(s.investor, s.amount);
    } else {
      revert InvalidSettlementKind(k);
    }
    emit SettlementApplied(h.did, h.nonce, s.investor, k, s.settlementRef, s.amount, s.cashLegRef, s.peerChainId);
  }

  /// @dev A void only consumes the move here; a return also mints the out leg's units back to the investor.
  function _applyMoveEnd(AttestationCodec.Header memory h, bytes calldata message) internal {
    (bytes32 moveRef, address investor, uint256 amount, uint64 peerChainId) = AttestationCodec.decodeMoveEnd(message);
    if (peerChainId == 0 || peerChainId == block.chainid) revert InvalidPeerChain(peerChainId);
    if (investor == address(0)) revert InvalidInvestor(investor);
    if (amount == 0) revert InvalidAmount(amount);
    uint8 outcome = h.kind == AttestationCodec.KIND_MOVE_VOID ? MOVE_VOIDED : MOVE_RETURNED;
    _settleMove(h.did, moveRef, outcome);
    if (outcome == MOVE_RETURNED) s_dids[h.did].holdings.restore(investor, amount);
    emit MoveSettled(h.did, h.nonce, moveRef, outcome, investor, amount, peerChainId);
  }

  function _settleMove(bytes32 did, bytes32 moveRef, uint8 outcome) internal {
    uint8 current = s_moveOutcomes[did][moveRef];
    if (current != 0) revert MoveAlreadySettled(did, moveRef, current);
    s_moveOutcomes[did][moveRef] = outcome;
  }

  function _applyNav(AttestationCodec.Header memory h, AttestationCodec.Nav memory n) internal {
    uint80 roundId = s_navFeeds[h.did].update(n.nav, n.asOf);
    emit NavApplied(h.did, h.nonce, roundId, n.nav, n.asOf);
  }

  function _applyConfig(AttestationCodec.Header memory h, AttestationCodec.Config memory c) internal {
    bytes32 did = h.did;
    uint32 epoch = _setSigners(did, c.signers, c.threshold);
    if (did == GOVERNANCE) {
      emit DidConfigured(did, h.nonce, epoch, c.threshold, c.signers, address(0), address(0));
      return;
    }
    DidState storage st = s_dids[did];
    RwaNavFeed feed = s_navFeeds[did];
    if (address(st.holdings) == address(0)) {
      (st.holdings, feed) =
        i_assets.deploy(did, c.name, c.symbol, c.tokenDecimals, c.navDecimals, c.heartbeat, c.maxNavMoveBps, address(i_redemptions));
      s_navFeeds[did] = feed;
    } else {
      feed.setParams(c.heartbeat, c.maxNavMoveBps);
    }
    emit DidConfigured(did, h.nonce, epoch, c.threshold, c.signers, address(st.holdings), address(feed));
  }

  /// @dev Installs a new signer set under a new epoch; the previous set stops verifying.
  function _setSigners(bytes32 key, address[] memory signers, uint8 threshold) internal returns (uint32 epoch) {
    uint256 n = signers.length;
    if (threshold == 0 || threshold > n) revert InvalidThreshold(threshold, n);
    DidState storage st = s_dids[key];
    epoch = st.signerEpoch + 1;
    address last;
    for (uint256 i; i < n; ++i) {
      address signer = signers[i];
      // Strictly increasing: no duplicates and no zero address, checked in one comparison.
      if (signer <= last) revert SignersNotAscending(i);
      s_signerEpoch[key][signer] = epoch;
      last = signer;
    }
    st.threshold = threshold;
    st.signerEpoch = epoch;
  }

  function _applyAllowList(AttestationCodec.Header memory h, bytes calldata message) internal {
    RwaHoldings holdings = s_dids[h.did].holdings;
    uint256 n = AttestationCodec.allowListCount(message);
    uint256 mark = uint256(h.nonce) + 1;
    for (uint256 i; i < n; ++i) {
      (address account, bool allowed) = AttestationCodec.allowListEntry(message, i);
      uint256 newest = s_newestAllowList[h.did][account];
      // Equal: the same message named the account before; its later entry wins, as it always did.
      if (mark < newest) {
        emit AllowListEntrySuperseded(h.did, h.nonce, account, uint64(newest - 1));
        continue;
      }
      s_newestAllowList[h.did][account] = mark;
      holdings.setAllowed(account, allowed);
    }
    emit AllowListApplied(h.did, h.nonce, n);
  }

  function _applyPause(AttestationCodec.Header memory h, bool paused) internal {
    s_dids[h.did].holdings.setPaused(paused);
    emit PauseApplied(h.did, h.nonce, paused);
  }

  /// @dev The caps of all chains are in every reserve attestation, so each chain checks that their sum is covered
  /// by the reserve; it applies its own cap (zero when the chain is not listed).
  /// Supply never above the reserve, whatever order the chains apply reserves and mints in: until a chain applies this
  /// attestation its supply can reach its ceiling (the higher of its supply and cap in force); after, the higher of its
  /// new cap and its supply then. So lowering this chain's cap is always safe, and raising it is safe only when
  /// sum(max(cap, ceiling)) over every chain is covered by the reserve (every chain, in whatever state it is, fits)
  /// and this chain is not already past the ceiling the oracle assumed for it (else a mint the oracle did not count,
  /// e.g. one under the old cap that landed after its supply snapshot, would be counted twice).
  function _applyReserve(AttestationCodec.Header memory h, bytes calldata message) internal {
    (uint256 reserve, uint64 asOf, uint256 n) = AttestationCodec.reserveHeader(message);
    uint64 latest = s_reserveAsOf[h.did];
    if (asOf <= latest) revert ReserveNotNewer(asOf, latest);
    uint256 sum;
    uint256 covered;
    uint128 cap;
    uint128 ceiling;
    for (uint256 i; i < n; ++i) {
      (uint64 chainId, uint128 chainCap, uint128 chainCeiling) = AttestationCodec.reserveEntry(message, i);
      sum += chainCap;
      covered += chainCap > chainCeiling ? chainCap : chainCeiling;
      if (chainId == block.chainid) (cap, ceiling) = (chainCap, chainCeiling);
    }
    if (sum > reserve) revert CapsExceedReserve(sum, reserve);
    RwaHoldings holdings = s_dids[h.did].holdings;
    uint256 capInForce = holdings.supplyCap();
    if (cap > capInForce) {
      if (covered > reserve) revert RaiseNotCovered(covered, reserve);
      uint256 supply = holdings.totalSupply();
      uint256 reach = supply > capInForce ? supply : capInForce;
      if (reach > ceiling) revert ChainPastCeiling(reach, ceiling);
    }
    s_reserveAsOf[h.did] = asOf;
    holdings.setSupplyCap(cap);
    emit ReserveApplied(h.did, h.nonce, reserve, asOf, cap);
  }

  /// @dev The issuer's rule for this chain. Every bridge it names must have an adapter bound here, or no message of the
  /// DID could ever meet it. The new rule governs the next arrival of every message, pending ones included.
  function _applyTransportQuorum(AttestationCodec.Header memory h, bytes calldata message) internal {
    (uint64 chainId, uint8 k, uint8 transports) = AttestationCodec.decodeTransportQuorum(message);
    if (chainId != block.chainid) revert WrongQuorumChain(chainId);
    if (!TransportQuorumRule.isValid(k, transports)) revert InvalidTransportQuorum(k, transports);
    if (transports & TransportQuorumRule.CCIP != 0 && i_gate.adapterCount(TransportQuorumRule.CCIP) == 0) {
      revert TransportNotBound(TransportQuorumRule.CCIP);
    }
    if (transports & TransportQuorumRule.WORMHOLE != 0 && i_gate.adapterCount(TransportQuorumRule.WORMHOLE) == 0) {
      revert TransportNotBound(TransportQuorumRule.WORMHOLE);
    }
    DidState storage st = s_dids[h.did];
    st.quorumK = k;
    st.quorumTransports = transports;
    emit TransportQuorumApplied(h.did, h.nonce, k, transports);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Views for relayers, oracles and integrators
  // ------------------------------------------------------------------------------------------------------------

  /// @notice How a move ended on this chain: 0 not yet, MOVE_ARRIVED, MOVE_VOIDED or MOVE_RETURNED.
  function moveOutcomeOf(bytes32 did, bytes32 moveRef) external view returns (uint8) {
    return s_moveOutcomes[did][moveRef];
  }

  function isNonceUsed(bytes32 did, uint64 nonce) external view returns (bool) {
    return s_usedNonces[did][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
  }

  /// @notice The factory that deploys each DID's token and NAV feed on this chain (their CREATE deployer).
  function assetFactory() external view returns (RwaAssetFactory) {
    return i_assets;
  }

  function didState(bytes32 did) external view returns (DidState memory) {
    return s_dids[did];
  }

  function redemptions() external view returns (RwaRedemptions) {
    return i_redemptions;
  }

  /// @notice The transport gate: adapter bindings, and per message digest the transports that delivered it.
  function transportQuorum() external view returns (RwaTransportQuorum) {
    return i_gate;
  }

  /// @notice The DID's transport rule on this chain; (0, 0) when ungated.
  function transportQuorumOf(bytes32 did) external view returns (uint8 k, uint8 transports) {
    DidState storage st = s_dids[did];
    return (st.quorumK, st.quorumTransports);
  }

  function navFeedOf(bytes32 did) external view returns (RwaNavFeed) {
    return s_navFeeds[did];
  }

  /// @notice The nonce of the newest applied config (3), pause (5), redemption policy (9) or transport quorum (12) of
  /// `did`; `any` false when none applied yet.
  function newestAdminNonce(bytes32 did, uint8 kind) external view returns (bool any, uint64 nonce) {
    uint256 v = s_newestAdmin[did][kind];
    return (v != 0, v == 0 ? 0 : uint64(v - 1));
  }

  /// @notice The nonce of the newest applied allow-list entry for `account`; `any` false when none applied yet.
  function newestAllowListNonce(bytes32 did, address account) external view returns (bool any, uint64 nonce) {
    uint256 v = s_newestAllowList[did][account];
    return (v != 0, v == 0 ? 0 : uint64(v - 1));
  }

  function reserveAsOf(bytes32 did) external view returns (uint64) {
    return s_reserveAsOf[did];
  }

  function isSigner(bytes32 did, address signer) external view returns (bool) {
    uint32 epoch = s_dids[did].signerEpoch;
    return epoch != 0 && s_signerEpoch[did][signer] == epoch;
  }

  function batchRootEpoch(bytes32 did, bytes32 root) external view returns (uint32) {
    return s_batchRoots[did][root];
  }

  function domainSeparator() external view returns (bytes32) {
    return _domainSeparator();
  }
}
