// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "./libraries/AttestationCodec.sol";
import {BrakeBucket} from "./libraries/BrakeBucket.sol";
import {AdminCodec} from "./libraries/AdminCodec.sol";
import {RwaHoldings} from "./RwaHoldings.sol";
import {RwaReceiverAdmin} from "./receiver/RwaReceiverAdmin.sol";
import {RwaReceiverBatch} from "./receiver/RwaReceiverBatch.sol";
import {RwaReceiverCurse} from "./receiver/RwaReceiverCurse.sol";
import {RwaReceiverSettlements} from "./receiver/RwaReceiverSettlements.sol";
import {RwaReceiverVerification} from "./receiver/RwaReceiverVerification.sol";

/// @notice Per-chain entry point for oracle attestations. Anyone may deliver: the committee's signatures are the
/// authentication, never the caller. There is no admin of DIDs: every DID setting arrives as a verified attestation.
/// The only owned part is the transport gate (RwaTransportQuorum, created here), whose owner binds the chain's
/// CCIP and Wormhole adapters, i.e. decides which caller counts as which bridge.
///
/// Who signs what:
/// - the first config of a DID on this chain is signed by the governance committee fixed at deployment
///   (the oracle committee that mirrors the hub registry); a governance rotation is a config for DID 0;
/// - every signer set expires (signersValidUntil, receiver/RwaReceiverExpiry.sol): past its end it verifies nothing,
///   and the DID's next config is signed by governance, as a first config is;
/// - everything else for a DID (settlements, NAV, config updates, allow-list, pause, reserve) is signed by the
///   DID's current signer set; a config update rotates it, and the old set stops verifying at once.
/// - redemption requests, stages, policies, fulfilments and disclosures (kinds 7..11) are verified here like any
///   admin attestation, then applied by this chain's RwaRedemptions module, which this contract creates.
/// - a transport quorum (kind 12, the issuer's rule from the hub registry) is applied here, and so are brakes (kind
///   14: rate limits with a queue, and an amount line needing a higher threshold; receiver/RwaReceiverBrakes.sol).
/// - a move ends here: its in leg (settlement kind 4) or its void (kind 15) on the to-chain, its return (kind 16) on
///   the from-chain. Each consumes the move's reference on its chain, so on the to-chain the in leg and the void
///   exclude each other, whichever applies first; the committee signs a return only after reading the void applied
///   on the to-chain, so a return and an in leg of one move never both apply. A void moves no value, so it is not
///   held by a transport quorum (else a quorum that cannot be met would strand the move's units).
/// Order in every path: decode (exact length) -> verify quorum over the EIP-712 digest bound to this chain and this
/// contract -> mark the nonce used -> apply -> emit.
///
/// Transport quorum (docs/transport-quorum.md): for a gated DID every arrival is verified in full, the gate records
/// its transport, and only the arrival completing k of the mask applies; receiveBatch refuses a gated DID.
///
/// Parts: storage and views in receiver/RwaReceiverState.sol; quorum signatures and the nonce bitmap in
/// receiver/RwaReceiverVerification.sol; the apply of each group of kinds in
/// receiver/RwaReceiverSettlements.sol (1, 2), RwaReceiverMoves.sol (15, 16) and RwaReceiverAdmin.sol (3..6, 12); the
/// redemption kinds (7..11, 13) in RwaRedemptions; the guardians' curse in RwaReceiverCurse.sol (while cursed every
/// delivery reverts ChainCursed); Merkle-root delivery (receiveBatch) in RwaReceiverBatch.sol, its Merkle checks in
/// RwaBatchVerifier.sol. This contract verifies, consumes the nonce and dispatches.
contract RwaReceiver is
  RwaReceiverVerification,
  RwaReceiverSettlements,
  RwaReceiverAdmin,
  RwaReceiverCurse,
  RwaReceiverBatch
{
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
  /// @dev A batch without proofs carries every leaf of its root: these items lead to another root.
  error BatchRootMismatch(bytes32 did, bytes32 root);
  /// @dev Item `index` of a batch is cut short by the end of the items or has another version.
  error InvalidBatchItem(uint256 index);
  error KindNotAllowedInBatch(uint256 index, uint8 kind);
  error BatchRootNotVerified(bytes32 did, bytes32 root);
  error TransportQuorumRequired(bytes32 did);
  error WrongQuorumChain(uint64 chainId);
  error InvalidTransportQuorum(uint8 k, uint8 transports);
  error TransportNotBound(uint8 transport);
  error MoveAlreadySettled(bytes32 did, bytes32 moveRef, uint8 outcome);
  error EmptyBatch();
  error BatchLengthMismatch(uint256 messages, uint256 signatures);
  /// @dev The set under `did` (0: governance) is past its end (receiver/RwaReceiverExpiry.sol).
  error SignerSetExpired(bytes32 did, uint64 validUntil);
  /// @dev A new set's end must lie in the future and fit 32 bits.
  error InvalidSignersValidUntil(bytes32 did, uint64 validUntil);

  event DidConfigured(
    bytes32 indexed did,
    uint64 indexed nonce,
    uint32 signerEpoch,
    uint8 threshold,
    address[] signers,
    address holdings,
    address navFeed,
    uint64 signersValidUntil
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
  /// @notice Item `index` of a batch had nothing left to do (its nonce already used, or, for a gated DID, its bytes
  /// already delivered by this transport): skipped, nothing changed.
  event BatchItemSkipped(bytes32 indexed did, uint64 indexed nonce, uint256 index);
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

  /// @dev One slot: everything a settlement needs besides the signers. quorumTransports 0: ungated. brakes: the large
  /// threshold and which buckets to consult (receiver/RwaReceiverBrakes.sol). signersValidUntil: unix seconds after
  /// which the signer set verifies nothing (0: no set installed).
  struct DidState {
    uint8 threshold;
    uint32 signerEpoch;
    RwaHoldings holdings;
    uint8 quorumK;
    uint8 quorumTransports;
    uint8 brakes;
    uint32 signersValidUntil;
  }

  /// @dev The batch index of a single receiveMessage: never a real index.
  uint256 internal constant NOT_IN_BATCH = type(uint256).max;

  constructor(
    address[] memory governanceSigners,
    uint8 governanceThreshold,
    uint64 governanceValidUntil,
    address[] memory guardians,
    uint8 guardianThreshold
  ) RwaReceiverCurse(guardians, guardianThreshold) {
    _setSigners(GOVERNANCE, governanceSigners, governanceThreshold, governanceValidUntil);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Delivery
  // ------------------------------------------------------------------------------------------------------------

  /// @notice Verify and apply one attestation.
  /// @param message AttestationCodec v1 bytes.
  /// @param signatures exactly `threshold` 65-byte (r, s, v) signatures, ordered by strictly increasing signer.
  function receiveMessage(bytes calldata message, bytes calldata signatures) external whenNotCursed {
    _receive(message, signatures, NOT_IN_BATCH);
  }

  /// @notice Verify and apply several attestations in one call, each exactly as `receiveMessage` would (quorum, the
  /// transport gate of a gated DID with the caller as the transport, apply), in order.
  /// @dev An item whose (DID, nonce) is already used, or, for a gated DID, whose bytes this transport already
  /// delivered, is skipped (`BatchItemSkipped`) before its signatures are checked, so a batch partly applied by an
  /// earlier transaction completes and never applies twice (a duplicate inside one batch is skipped likewise). Any
  /// other failure of an item reverts the whole call with that item's own error.
  /// @param signatures one quorum signature set per message, as `receiveMessage` takes it.
  function receiveMessages(bytes[] calldata messages, bytes[] calldata signatures) external whenNotCursed {
    uint256 n = messages.length;
    if (n == 0) revert EmptyBatch();
    if (signatures.length != n) revert BatchLengthMismatch(n, signatures.length);
    for (uint256 i; i < n; ++i) {
      _receive(messages[i], signatures[i], i);
    }
  }

  /// @dev The one delivery path of receiveMessage (index NOT_IN_BATCH) and of each receiveMessages item.
  function _receive(bytes calldata message, bytes calldata signatures, uint256 index) internal {
    AttestationCodec.Header memory h = AttestationCodec.decodeHeader(message);
    DidState memory st = s_dids[h.did];
    bytes32 signerKey = h.did;
    DidState memory signerSt = st;
    if (address(st.holdings) == address(0) || (h.kind == AttestationCodec.KIND_CONFIG && block.timestamp > st.signersValidUntil)) {
      // Only a config may introduce a DID, revive a DID's expired set or rotate governance; only governance signs it.
      if (h.kind != AttestationCodec.KIND_CONFIG) revert UnknownDid(h.did);
      signerKey = GOVERNANCE;
      signerSt = s_dids[GOVERNANCE];
    }
    if (index != NOT_IN_BATCH && _delivered(h, st, message)) {
      emit BatchItemSkipped(h.did, h.nonce, index);
      return;
    }
    if (h.kind == AttestationCodec.KIND_SETTLEMENT && st.brakes & BrakeBucket.LARGE_THRESHOLD_MASK != 0) {
      signerSt.threshold = _settlementThreshold(h.did, st.brakes, st.threshold, message, signatures.length);
    }
    _verifyQuorum(signerKey, signerSt, _structHash(h, message), signatures);
    // Gated DID: every arrival is verified above; only the one completing the transport quorum goes on to apply.
    // (The DID's own rule, also when governance signs: a DID being introduced has none.)
    if (st.quorumTransports != 0 && h.kind != AttestationCodec.KIND_MOVE_VOID) {
      if (!i_gate.record(msg.sender, keccak256(message), st.quorumK, st.quorumTransports)) return;
    }
    _useNonce(h.did, h.nonce);
    _apply(h, message, st);
  }

  /// @dev A batch item with nothing left to do: its nonce is used, or (gated) this caller's transport delivered it.
  function _delivered(AttestationCodec.Header memory h, DidState memory st, bytes calldata message)
    internal
    view
    returns (bool)
  {
    if (_isNonceUsed(h.did, h.nonce)) return true;
    bool gated = st.quorumTransports != 0 && h.kind != AttestationCodec.KIND_MOVE_VOID;
    return gated && i_gate.deliveredBy(msg.sender, keccak256(message));
  }

  // ------------------------------------------------------------------------------------------------------------
  // Apply
  // ------------------------------------------------------------------------------------------------------------

  /// @param st the DID's state as read before the verification (used by settlements only: token and brakes, which
  /// no settlement changes).
  function _apply(AttestationCodec.Header memory h, bytes calldata message, DidState memory st) internal {
    uint8 kind = h.kind;
    if (kind == AttestationCodec.KIND_SETTLEMENT) {
      _applySettlement(h, AttestationCodec.decodeSettlement(message), st);
    }
    else if (kind == AttestationCodec.KIND_NAV) _applyNav(h, AttestationCodec.decodeNav(message));
    // Settlements and NAV never reach this line, so they pay nothing for the ordering of state-setting kinds.
    else if (_isSuperseded(h)) return;
    else if (kind == AttestationCodec.KIND_CONFIG) _applyConfig(h, AdminCodec.decodeConfig(message));
    else if (kind == AttestationCodec.KIND_ALLOWLIST) _applyAllowList(h, message);
    else if (kind == AttestationCodec.KIND_PAUSE) _applyPause(h, AdminCodec.decodePause(message));
    else if (kind == AttestationCodec.KIND_RESERVE) _applyReserve(h, message);
    else if (kind == AttestationCodec.KIND_TRANSPORT_QUORUM) _applyTransportQuorum(h, message);
    else if (kind == AttestationCodec.KIND_BRAKES) _applyBrakes(h, message);
    else if (kind == AttestationCodec.KIND_MOVE_VOID || kind == AttestationCodec.KIND_MOVE_RETURN) _applyMoveEnd(h, message);
    // decodeHeader admits known kinds only: the rest (7..11, 13) belongs to the redemptions module.
    else i_redemptions.applyAttestation(message);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Views (the rest in RwaReceiverState)
  // ------------------------------------------------------------------------------------------------------------

  function domainSeparator() external view returns (bytes32) {
    return _domainSeparator();
  }
}