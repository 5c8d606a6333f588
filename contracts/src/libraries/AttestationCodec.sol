// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Wire layout of an oracle attestation (version 1). Packed, fixed-size fields, no ABI padding.
/// The same layout is encoded by schemas/message.ts and checked against schemas/vectors.json.
///
/// Header (every kind)
///   offset  size  field
///   0       1     version        = 1
///   1       1     kind           1 settlement, 2 NAV
///   2       32    did            keccak256 of the DID string ("did:rwa:...")
///   34      8     nonce          per-DID sequence assigned by the oracle (uint64, big-endian)
/// Settlement body (kind 1), total 167 bytes
///   42      1     settlementKind 1 subscription (mint), 2 redemption (burn)
///   43      32    settlementRef  keccak256 of the custodian's settlement reference
///   75      20    investor
///   95      32    amount         token base units (uint256)
///   127     32    cashLegRef     hash of the cash-leg evidence (bank/SWIFT reference)
///   159     8     settledAt      unix seconds
/// NAV body (kind 2), total 82 bytes
///   42      32    nav            NAV per unit, scaled by the DID's NAV decimals (uint256)
///   74      8     asOf           unix seconds the NAV was struck
library AttestationCodec {
  uint8 internal constant VERSION = 1;
  uint8 internal constant KIND_SETTLEMENT = 1;
  uint8 internal constant KIND_NAV = 2;
  uint8 internal constant SETTLEMENT_SUBSCRIPTION = 1;
  uint8 internal constant SETTLEMENT_REDEMPTION = 2;

  uint256 internal constant HEADER_LENGTH = 42;
  uint256 internal constant SETTLEMENT_LENGTH = 167;
  uint256 internal constant NAV_LENGTH = 82;

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
  }

  struct Nav {
    uint256 nav;
    uint64 asOf;
  }

  /// @dev Checks version, kind and the exact length for the kind, so a truncated or padded message never decodes.
  function decodeHeader(bytes calldata message) internal pure returns (Header memory h) {
    if (message.length < HEADER_LENGTH) revert MessageTooShort(message.length);
    uint8 version = uint8(message[0]);
    if (version != VERSION) revert UnsupportedVersion(version);
    h.kind = uint8(message[1]);
    uint256 expected;
    if (h.kind == KIND_SETTLEMENT) expected = SETTLEMENT_LENGTH;
    else if (h.kind == KIND_NAV) expected = NAV_LENGTH;
    else revert UnknownKind(h.kind);
    if (message.length != expected) revert InvalidMessageLength(message.length, expected);
    h.did = bytes32(message[2:34]);
    h.nonce = uint64(bytes8(message[34:42]));
  }

  function decodeSettlement(bytes calldata message) internal pure returns (Settlement memory s) {
    s.settlementKind = uint8(message[42]);
    s.settlementRef = bytes32(message[43:75]);
    s.investor = address(bytes20(message[75:95]));
    s.amount = uint256(bytes32(message[95:127]));
    s.cashLegRef = bytes32(message[127:159]);
    s.settledAt = uint64(bytes8(message[159:167]));
  }

  function decodeNav(bytes calldata message) internal pure returns (Nav memory n) {
    n.nav = uint256(bytes32(message[42:74]));
    n.asOf = uint64(bytes8(message[74:82]));
  }
}
