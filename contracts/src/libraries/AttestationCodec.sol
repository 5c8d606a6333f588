// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Wire layout of an oracle attestation (version 1). Packed, fixed-size fields first, no ABI padding.
/// The same layout is encoded by schemas/message.ts and pinned by schemas/vectors.json.
///
/// Header (every kind)
///   offset  size  field
///   0       1     version        = 1
///   1       1     kind           1 settlement, 2 NAV, 3 DID config, 4 allow-list, 5 pause, 6 reserve,
///                                7 redemption request, 8 redemption stage, 9 redemption policy,
///                                10 redemption fulfilment, 11 disclosure, 12 transport quorum,
///                                13 redemption acceptance, 14 brakes, 15 move void, 16 move return
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
/// Move void (kind 15) and move return (kind 16), 134 bytes each: the end of a move whose in leg cannot land.
/// The void goes to the to-chain and consumes the move there (its in leg can never apply after it); the return goes
/// to the from-chain, mints the burned units back and consumes the move there. Signers sign a return only after
/// they read the void applied on the to-chain.
///   42      32    moveRef        keccak256 of the custodian's move reference (the settlementRef of both legs)
///   74      20    investor
///   94      32    amount         token base units the out leg burned
///   126     8     peerChainId    void: the from-chain; return: the to-chain (where the move was voided)
/// Kinds that set DID state (3 config, 4 allow-list, 5 pause, 6 reserve, 12 transport quorum): layouts in
/// AdminCodec.sol. Brakes (kind 14, 131 bytes): layout in BrakesCodec.sol. Redemption kinds (7 request, 8 stage,
/// 9 policy, 10 fulfilment, 11 disclosure, 13 acceptance): layouts in RedemptionCodec.sol.
/// decodeHeader below checks the exact length of every kind from those tables.
library AttestationCodec {
  uint8 internal constant VERSION = 1;
  uint8 internal constant KIND_SETTLEMENT = 1;
  uint8 internal constant KIND_NAV = 2;
  uint8 internal constant KIND_CONFIG = 3;
  uint8 internal constant KIND_ALLOWLIST = 4;
  uint8 internal constant KIND_PAUSE = 5;
  uint8 internal constant KIND_RESERVE = 6;
  uint8 internal constant KIND_REDEMPTION_REQUEST = 7;
  uint8 internal constant KIND_REDEMPTION_STAGE = 8;
  uint8 internal constant KIND_REDEMPTION_POLICY = 9;
  uint8 internal constant KIND_REDEMPTION_FULFILMENT = 10;
  uint8 internal constant KIND_DISCLOSURE = 11;
  uint8 internal constant KIND_TRANSPORT_QUORUM = 12;
  uint8 internal constant KIND_REDEMPTION_ACCEPTANCE = 13;
  uint8 internal constant KIND_BRAKES = 14;
  uint8 internal constant KIND_MOVE_VOID = 15;
  uint8 internal constant KIND_MOVE_RETURN = 16;

  uint8 internal constant SETTLEMENT_SUBSCRIPTION = 1;
  uint8 internal constant SETTLEMENT_REDEMPTION = 2;
  uint8 internal constant SETTLEMENT_MOVE_OUT = 3;
  uint8 internal constant SETTLEMENT_MOVE_IN = 4;

  uint256 internal constant HEADER_LENGTH = 42;
  uint256 internal constant SETTLEMENT_LENGTH = 175;
  uint256 internal constant NAV_LENGTH = 82;
  uint256 internal constant PAUSE_LENGTH = 43;
  uint256 internal constant REDEMPTION_REQUEST_LENGTH = 150;
  uint256 internal constant REDEMPTION_STAGE_LENGTH = 124;
  uint256 internal constant REDEMPTION_POLICY_LENGTH = 52;
  uint256 internal constant REDEMPTION_FULFILMENT_LENGTH = 154;
  uint256 internal constant DISCLOSURE_MIN_LENGTH = 85;
  uint256 internal constant TRANSPORT_QUORUM_LENGTH = 52;
  uint256 internal constant REDEMPTION_ACCEPTANCE_LENGTH = 110;
  uint256 internal constant MOVE_END_LENGTH = 134;
  uint256 internal constant BRAKES_LENGTH = 131;

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
    else if (h.kind == KIND_RESERVE) expected = len < 83 ? 83 : 83 + 40 * uint256(uint8(message[82]));
    else if (h.kind == KIND_REDEMPTION_REQUEST) expected = REDEMPTION_REQUEST_LENGTH;
    else if (h.kind == KIND_REDEMPTION_STAGE) expected = REDEMPTION_STAGE_LENGTH;
    else if (h.kind == KIND_REDEMPTION_POLICY) expected = REDEMPTION_POLICY_LENGTH;
    else if (h.kind == KIND_REDEMPTION_FULFILMENT) expected = REDEMPTION_FULFILMENT_LENGTH;
    else if (h.kind == KIND_DISCLOSURE) {
      expected = len < DISCLOSURE_MIN_LENGTH
        ? DISCLOSURE_MIN_LENGTH
        : DISCLOSURE_MIN_LENGTH + uint256(uint16(bytes2(message[83:85])));
    } else if (h.kind == KIND_TRANSPORT_QUORUM) expected = TRANSPORT_QUORUM_LENGTH;
    else if (h.kind == KIND_REDEMPTION_ACCEPTANCE) expected = REDEMPTION_ACCEPTANCE_LENGTH;
    else if (h.kind == KIND_MOVE_VOID || h.kind == KIND_MOVE_RETURN) expected = MOVE_END_LENGTH;
    else if (h.kind == KIND_BRAKES) expected = BRAKES_LENGTH;
    else revert UnknownKind(h.kind);
    if (len != expected) revert InvalidMessageLength(len, expected);
    // len >= HEADER_LENGTH: both fields lie inside the message.
    assembly ("memory-safe") {
      mstore(add(h, 0x20), calldataload(add(message.offset, 2)))
      mstore(add(h, 0x40), shr(192, calldataload(add(message.offset, 34))))
    }
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

  /// @dev The bytes after the header: what the committee signs for every kind but settlement and NAV.
  function body(bytes calldata message) internal pure returns (bytes calldata) {
    return message[HEADER_LENGTH:];
  }

  /// @dev Reads the fields straight from calldata (no slice bounds checks, one word per field): the length is checked
  /// once here (decodeHeader already checked it exactly), so every field lies inside the message.
  function decodeSettlement(bytes calldata message) internal pure returns (Settlement memory s) {
    if (message.length < SETTLEMENT_LENGTH) revert InvalidMessageLength(message.length, SETTLEMENT_LENGTH);
    assembly ("memory-safe") {
      let o := message.offset
      mstore(s, shr(248, calldataload(add(o, 42))))
      mstore(add(s, 0x20), calldataload(add(o, 43)))
      mstore(add(s, 0x40), shr(96, calldataload(add(o, 75))))
      mstore(add(s, 0x60), calldataload(add(o, 95)))
      mstore(add(s, 0x80), calldataload(add(o, 127)))
      mstore(add(s, 0xa0), shr(192, calldataload(add(o, 159))))
      mstore(add(s, 0xc0), shr(192, calldataload(add(o, 167))))
    }
  }

  /// @dev Kinds 15 and 16 (the same layout).
  function decodeMoveEnd(bytes calldata message)
    internal
    pure
    returns (bytes32 moveRef, address investor, uint256 amount, uint64 peerChainId)
  {
    moveRef = bytes32(message[42:74]);
    investor = address(bytes20(message[74:94]));
    amount = uint256(bytes32(message[94:126]));
    peerChainId = uint64(bytes8(message[126:134]));
  }

  function decodeNav(bytes calldata message) internal pure returns (Nav memory n) {
    if (message.length < NAV_LENGTH) revert InvalidMessageLength(message.length, NAV_LENGTH);
    assembly ("memory-safe") {
      mstore(n, calldataload(add(message.offset, 42)))
      mstore(add(n, 0x20), shr(192, calldataload(add(message.offset, 74))))
    }
  }
}
