// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Wire layout of an oracle attestation (version 1). Packed, fixed-size fields first, no ABI padding.
/// The same layout is encoded by schemas/message.ts and pinned by schemas/vectors.json.
///
/// Header (every kind)
///   offset  size  field
///   0       1     version        = 1
///   1       1     kind           1 settlement, 2 NAV, 3 DID config, 4 allow-list, 5 pause, 6 reserve
///   2       32    did            keccak256 of the DID string ("did:rwa:...")
///   34      8     nonce          per-DID sequence assigned by the oracle (uint64, big-endian)
/// Settlement (kind 1), 175 bytes
///   42      1     settlementKind 1 subscription (mint), 2 redemption (burn), 3 move out (burn, holdings leave
///                                this chain for peerChainId), 4 move in (mint, holdings arrive from peerChainId)
///   43      32    settlementRef  keccak256 of the custodian's settlement reference
///   75      20    investor
///   95      32    amount         token base units
///   127     32    cashLegRef     hash of the cash-leg evidence (zero for moves: no cash moves)
///   159     8     settledAt      unix seconds
///   167     8     peerChainId    other chain of a move; 0 for subscription and redemption
/// NAV (kind 2), 82 bytes
///   42      32    nav            NAV per unit, scaled by the DID's NAV decimals
///   74      8     asOf           unix seconds the NAV was struck
/// DID config (kind 3), 54 + 20 n + nameLength + symbolLength bytes
///   42      1     threshold
///   43      1     navDecimals    (used when the DID is first configured on a chain; fixed afterwards)
///   44      1     tokenDecimals  (idem)
///   45      4     heartbeat      seconds
///   49      2     maxNavMoveBps
///   51      1     n              signer count, signers strictly increasing
///   52      20 n  signers
///   ..      1     nameLength, then name (UTF-8), then 1 symbolLength, then symbol
/// Allow-list (kind 4), 44 + 21 n bytes
///   42      2     n
///   44      21 n  (account 20, allowed 1)
/// Pause (kind 5), 43 bytes
///   42      1     paused         1 pause, 0 resume
/// Reserve (kind 6), 83 + 24 n bytes
///   42      32    reserve        token base units backed by the custodian's reserve
///   74      8     asOf
///   82      1     n
///   83      24 n  (chainId 8, supplyCap 16): the mint budget of each chain; their sum never exceeds reserve
library AttestationCodec {
  uint8 internal constant VERSION = 1;
  uint8 internal constant KIND_SETTLEMENT = 1;
  uint8 internal constant KIND_NAV = 2;
  uint8 internal constant KIND_CONFIG = 3;
  uint8 internal constant KIND_ALLOWLIST = 4;
  uint8 internal constant KIND_PAUSE = 5;
  uint8 internal constant KIND_RESERVE = 6;

  uint8 internal constant SETTLEMENT_SUBSCRIPTION = 1;
  uint8 internal constant SETTLEMENT_REDEMPTION = 2;
  uint8 internal constant SETTLEMENT_MOVE_OUT = 3;
  uint8 internal constant SETTLEMENT_MOVE_IN = 4;

  uint256 internal constant HEADER_LENGTH = 42;
  uint256 internal constant SETTLEMENT_LENGTH = 175;
  uint256 internal constant NAV_LENGTH = 82;
  uint256 internal constant PAUSE_LENGTH = 43;

  error MessageTooShort(uint256 length);
  error UnsupportedVersion(uint8 version);
  error UnknownKind(uint8 kind);
  error InvalidMessageLength(uint256 length, uint256 expected);

  struct Header {
    uint8 kind;
    bytes32 did;
    uint64 nonce;
  }

  struct Settlement {
    uint8 settlementKind;
    bytes32 settlementRef;
    address investor;
    uint256 amount;
    bytes32 cashLegRef;
    uint64 settledAt;
    uint64 peerChainId;
  }

  struct Nav {
    uint256 nav;
    uint64 asOf;
  }

  struct Config {
    uint8 threshold;
    uint8 navDecimals;
    uint8 tokenDecimals;
    uint32 heartbeat;
    uint16 maxNavMoveBps;
    address[] signers;
    string name;
    string symbol;
  }

  /// @dev Checks version, kind and the exact length for the kind, so a truncated or padded message never decodes.
  function decodeHeader(bytes calldata message) internal pure returns (Header memory h) {
    uint256 len = message.length;
    if (len < HEADER_LENGTH) revert MessageTooShort(len);
    uint8 version = uint8(message[0]);
    if (version != VERSION) revert UnsupportedVersion(version);
    h.kind = uint8(message[1]);
    uint256 expected;
    if (h.kind == KIND_SETTLEMENT) expected = SETTLEMENT_LENGTH;
    else if (h.kind == KIND_NAV) expected = NAV_LENGTH;
    else if (h.kind == KIND_PAUSE) expected = PAUSE_LENGTH;
    else if (h.kind == KIND_CONFIG) expected = _configLength(message);
    else if (h.kind == KIND_ALLOWLIST) expected = len < 44 ? 44 : 44 + 21 * uint256(uint16(bytes2(message[42:44])));
    else if (h.kind == KIND_RESERVE) expected = len < 83 ? 83 : 83 + 24 * uint256(uint8(message[82]));
    else revert UnknownKind(h.kind);
    if (len != expected) revert InvalidMessageLength(len, expected);
    h.did = bytes32(message[2:34]);
    h.nonce = uint64(bytes8(message[34:42]));
  }

  /// @dev Length a config message must have, read from its own length fields (never reading past the end).
  function _configLength(bytes calldata message) private pure returns (uint256) {
    uint256 len = message.length;
    if (len < 52) return 52;
    uint256 at = 52 + 20 * uint256(uint8(message[51]));
    if (len <= at) return at + 1;
    at += 1 + uint256(uint8(message[at]));
    if (len <= at) return at + 1;
    return at + 1 + uint256(uint8(message[at]));
  }

  /// @dev The bytes after the header: what the committee signs for config, allow-list and reserve kinds.
  function body(bytes calldata message) internal pure returns (bytes calldata) {
    return message[HEADER_LENGTH:];
  }

  function decodeSettlement(bytes calldata message) internal pure returns (Settlement memory s) {
    s.settlementKind = uint8(message[42]);
    s.settlementRef = bytes32(message[43:75]);
    s.investor = address(bytes20(message[75:95]));
    s.amount = uint256(bytes32(message[95:127]));
    s.cashLegRef = bytes32(message[127:159]);
    s.settledAt = uint64(bytes8(message[159:167]));
    s.peerChainId = uint64(bytes8(message[167:175]));
  }

  function decodeNav(bytes calldata message) internal pure returns (Nav memory n) {
    n.nav = uint256(bytes32(message[42:74]));
    n.asOf = uint64(bytes8(message[74:82]));
  }

  function decodeConfig(bytes calldata message) internal pure returns (Config memory c) {
    c.threshold = uint8(message[42]);
    c.navDecimals = uint8(message[43]);
    c.tokenDecimals = uint8(message[44]);
    c.heartbeat = uint32(bytes4(message[45:49]));
    c.maxNavMoveBps = uint16(bytes2(message[49:51]));
    uint256 n = uint8(message[51]);
    c.signers = new address[](n);
    uint256 at = 52;
    for (uint256 i; i < n; ++i) {
      c.signers[i] = address(bytes20(message[at:at + 20]));
      at += 20;
    }
    uint256 nameLength = uint8(message[at]);
    c.name = string(message[at + 1:at + 1 + nameLength]);
    at += 1 + nameLength;
    c.symbol = string(message[at + 1:at + 1 + uint8(message[at])]);
  }

  function allowListCount(bytes calldata message) internal pure returns (uint256) {
    return uint16(bytes2(message[42:44]));
  }

  function allowListEntry(bytes calldata message, uint256 i) internal pure returns (address account, bool allowed) {
    uint256 at = 44 + 21 * i;
    account = address(bytes20(message[at:at + 20]));
    allowed = message[at + 20] != 0;
  }

  function decodePause(bytes calldata message) internal pure returns (bool) {
    return message[42] != 0;
  }

  function reserveHeader(bytes calldata message) internal pure returns (uint256 reserve, uint64 asOf, uint256 n) {
    reserve = uint256(bytes32(message[42:74]));
    asOf = uint64(bytes8(message[74:82]));
    n = uint8(message[82]);
  }

  function reserveEntry(bytes calldata message, uint256 i) internal pure returns (uint64 chainId, uint128 cap) {
    uint256 at = 83 + 24 * i;
    chainId = uint64(bytes8(message[at:at + 8]));
    cap = uint128(bytes16(message[at + 8:at + 24]));
  }
}
