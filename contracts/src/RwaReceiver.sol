// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AttestationCodec} from "./libraries/AttestationCodec.sol";
import {Eip712Attestation} from "./libraries/Eip712Attestation.sol";
import {RwaHoldings} from "./RwaHoldings.sol";
import {RwaNavFeed} from "./RwaNavFeed.sol";

/// @notice Per-chain entry point for oracle attestations, CCTP style: anyone may call `receiveMessage` with the
/// message bytes and the committee's signatures; the contract trusts the signatures, not the caller.
/// Order: decode and check version/kind/length -> verify the DID's signer quorum over the EIP-712 digest bound to
/// this chain id and this contract -> mark the nonce used -> apply -> emit.
contract RwaReceiver is Ownable {
  error UnknownDid(bytes32 did);
  error DidAlreadyConfigured(bytes32 did);
  error InvalidThreshold(uint256 threshold, uint256 signerCount);
  error InvalidSigner(address signer);
  error InvalidSignatureCount(uint256 length, uint256 expected);
  error InvalidSignature(uint256 index);
  error SignersNotAscending(uint256 index);
  error UnauthorizedSigner(address signer);
  error NonceAlreadyUsed(bytes32 did, uint64 nonce);
  error InvalidSettlementKind(uint8 settlementKind);
  error InvalidInvestor(address investor);
  error InvalidAmount(uint256 amount);

  event DidConfigured(
    bytes32 indexed did, address holdings, address navFeed, uint8 threshold, uint32 signerEpoch, address[] signers
  );
  event SettlementApplied(
    bytes32 indexed did,
    uint64 indexed nonce,
    address indexed investor,
    uint8 settlementKind,
    bytes32 settlementRef,
    uint256 amount,
    bytes32 cashLegRef
  );
  event NavApplied(bytes32 indexed did, uint64 indexed nonce, uint80 roundId, uint256 nav, uint64 asOf);

  /// @dev One slot: threshold, signer epoch and holdings are read once per message.
  struct DidState {
    uint8 threshold;
    uint32 signerEpoch;
    RwaHoldings holdings;
    RwaNavFeed navFeed;
  }

  struct DidParams {
    string name;
    string symbol;
    uint8 tokenDecimals;
    uint8 navDecimals;
    uint32 heartbeat;
    uint16 maxNavMoveBps;
    uint8 threshold;
    address[] signers;
  }

  /// @dev secp256k1n / 2: signatures with a higher s are the malleated twin of a valid one.
  uint256 internal constant HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

  uint256 private immutable i_chainId;
  bytes32 private immutable i_domainSeparator;

  mapping(bytes32 did => DidState) private s_dids;
  /// @dev A signer verifies for a DID only while its epoch equals the DID's current epoch.
  mapping(bytes32 did => mapping(address signer => uint32 epoch)) private s_signerEpoch;
  /// @dev Replay bitmap: 256 nonces per slot, so consecutive nonces mostly write a warm, non-zero slot.
  mapping(bytes32 did => mapping(uint256 word => uint256 bits)) private s_usedNonces;

  constructor(address owner_) Ownable(owner_) {
    i_chainId = block.chainid;
    i_domainSeparator = Eip712Attestation.domainSeparator(block.chainid, address(this));
  }

  /// @notice First configuration of a DID on this chain: deploys its holdings token and NAV feed.
  /// @dev Bootstrap by the deployer for now; config updates through verified registry messages replace it.
  function configureDid(bytes32 did, DidParams calldata p) external onlyOwner {
    DidState storage st = s_dids[did];
    if (address(st.holdings) != address(0)) revert DidAlreadyConfigured(did);
    uint256 n = p.signers.length;
    if (p.threshold == 0 || p.threshold > n || n > type(uint8).max) revert InvalidThreshold(p.threshold, n);
    uint32 epoch = st.signerEpoch + 1;
    for (uint256 i; i < n; ++i) {
      address signer = p.signers[i];
      if (signer == address(0) || s_signerEpoch[did][signer] == epoch) revert InvalidSigner(signer);
      s_signerEpoch[did][signer] = epoch;
    }
    RwaHoldings holdings = new RwaHoldings(did, p.name, p.symbol, p.tokenDecimals);
    RwaNavFeed navFeed = new RwaNavFeed(did, string.concat(p.symbol, " / NAV"), p.navDecimals, p.heartbeat, p.maxNavMoveBps);
    st.threshold = p.threshold;
    st.signerEpoch = epoch;
    st.holdings = holdings;
    st.navFeed = navFeed;
    emit DidConfigured(did, address(holdings), address(navFeed), p.threshold, epoch, p.signers);
  }

  /// @notice Verify and apply one attestation. Permissionless: the quorum signatures are the authentication.
  /// @param message AttestationCodec v1 bytes.
  /// @param signatures exactly `threshold` 65-byte (r, s, v) signatures, ordered by strictly increasing signer.
  function receiveMessage(bytes calldata message, bytes calldata signatures) external {
    AttestationCodec.Header memory h = AttestationCodec.decodeHeader(message);
    DidState memory st = s_dids[h.did];
    if (address(st.holdings) == address(0)) revert UnknownDid(h.did);

    if (h.kind == AttestationCodec.KIND_SETTLEMENT) {
      AttestationCodec.Settlement memory s = AttestationCodec.decodeSettlement(message);
      _verifyQuorum(h.did, st, Eip712Attestation.settlementHash(h, s), signatures);
      _useNonce(h.did, h.nonce);
      _applySettlement(h, st, s);
    } else {
      AttestationCodec.Nav memory n = AttestationCodec.decodeNav(message);
      _verifyQuorum(h.did, st, Eip712Attestation.navHash(h, n), signatures);
      _useNonce(h.did, h.nonce);
      uint80 roundId = st.navFeed.update(n.nav, n.asOf);
      emit NavApplied(h.did, h.nonce, roundId, n.nav, n.asOf);
    }
  }

  function _applySettlement(AttestationCodec.Header memory h, DidState memory st, AttestationCodec.Settlement memory s)
    internal
  {
    if (s.investor == address(0)) revert InvalidInvestor(s.investor);
    if (s.amount == 0) revert InvalidAmount(s.amount);
    if (s.settlementKind == AttestationCodec.SETTLEMENT_SUBSCRIPTION) st.holdings.mint(s.investor, s.amount);
    else if (s.settlementKind == AttestationCodec.SETTLEMENT_REDEMPTION) st.holdings.burn(s.investor, s.amount);
    else revert InvalidSettlementKind(s.settlementKind);
    emit SettlementApplied(h.did, h.nonce, s.investor, s.settlementKind, s.settlementRef, s.amount, s.cashLegRef);
  }

  function _verifyQuorum(bytes32 did, DidState memory st, bytes32 structHash, bytes calldata signatures) internal view {
    uint256 threshold = st.threshold;
    if (signatures.length != threshold * 65) revert InvalidSignatureCount(signatures.length, threshold * 65);
    bytes32 digest = Eip712Attestation.digest(_domainSeparator(), structHash);
    address last;
    for (uint256 i; i < threshold; ++i) {
      address signer = _recover(digest, signatures, i);
      if (signer <= last) revert SignersNotAscending(i);
      if (s_signerEpoch[did][signer] != st.signerEpoch) revert UnauthorizedSigner(signer);
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

  // ---- views for relayers, oracles and integrators ----

  function isNonceUsed(bytes32 did, uint64 nonce) external view returns (bool) {
    return s_usedNonces[did][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
  }

  function didState(bytes32 did) external view returns (DidState memory) {
    return s_dids[did];
  }

  function isSigner(bytes32 did, address signer) external view returns (bool) {
    uint32 epoch = s_dids[did].signerEpoch;
    return epoch != 0 && s_signerEpoch[did][signer] == epoch;
  }

  function domainSeparator() external view returns (bytes32) {
    return _domainSeparator();
  }
}
