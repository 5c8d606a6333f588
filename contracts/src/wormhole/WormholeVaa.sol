// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Reader of a Wormhole VAA version 1 held in calldata, and of the payload our emitter puts in it.
/// Every bound is checked before it is read: malformed input ends in one of this library's custom errors, never in
/// an out-of-bounds revert or a panic. Offsets are absolute calldata positions.
///
/// VAA v1 (Wormhole's wire format; see the core contract's Messages.sol and the SDK's VAA layout)
///   offset      size  field
///   0           1     version            = 1
///   1           4     guardianSetIndex   uint32, big-endian
///   5           1     n                  signature count
///   6           66 n  signatures         (guardianIndex 1, r 32, s 32, v 1), guardianIndex strictly increasing;
///                                        v is the recovery id 0 or 1 (27 is added before ecrecover)
///   6 + 66 n          body, hashed for signing:
///     +0        4     timestamp          unix seconds the message was observed
///     +4        4     nonce              chosen by the emitter
///     +8        2     emitterChainId     Wormhole chain id (not an EVM chain id)
///     +10       32    emitterAddress     left-padded to 32 bytes
///     +42       8     sequence           per emitter
///     +50       1     consistencyLevel
///     +51       ..    payload
/// The guardians sign digest = keccak256(keccak256(body)); the digest is also the VAA's identity for replay.
///
/// Payload v1 (ours: what RwaWormholeEmitter publishes)
///   offset  size  field
///   0       1     version            = 1
///   1       8     destinationChainId EVM chain id of the RwaReceiver the attestation is for (uint64)
///   9       4     messageLength      m (uint32)
///   13      m     message            AttestationCodec v1 bytes
///   13 + m  ..    signatures         the oracle committee's quorum signatures, to the end
/// Payload v2 (a batch, what RwaWormholeEmitter.publishAttestations publishes)
///   0       1     version            = 2
///   1       8     destinationChainId
///   9       ..    abi.encode(bytes[] messages, bytes[] signatures), to the end
library WormholeVaa {
  uint8 internal constant VAA_VERSION = 1;
  uint8 internal constant PAYLOAD_VERSION = 1;
  uint8 internal constant BATCH_PAYLOAD_VERSION = 2;
  uint256 internal constant BATCH_PAYLOAD_FIXED_LENGTH = 9;
  uint256 internal constant HEADER_LENGTH = 6;
  uint256 internal constant SIGNATURE_LENGTH = 66;
  uint256 internal constant BODY_FIXED_LENGTH = 51;
  uint256 internal constant PAYLOAD_FIXED_LENGTH = 13;

  error VaaTooShort(uint256 length, uint256 required);
  error UnsupportedVaaVersion(uint8 version);
  error PayloadTooShort(uint256 length, uint256 required);
  error UnsupportedPayloadVersion(uint8 version);
  error MessageTooLong(uint256 length);

  /// @dev Where the parts of a VAA are, and its body's fixed fields.
  struct Vaa {
    uint32 guardianSetIndex;
    uint256 signatureCount;
    uint256 signaturesOffset;
    uint256 bodyOffset;
    uint256 bodyLength;
    uint32 timestamp;
    uint32 nonce;
    uint16 emitterChainId;
    bytes32 emitterAddress;
    uint64 sequence;
    uint8 consistencyLevel;
    uint256 payloadOffset;
    uint256 payloadLength;
  }

  function parse(bytes calldata vaa) internal pure returns (Vaa memory v) {
    if (vaa.length < HEADER_LENGTH + BODY_FIXED_LENGTH) {
      revert VaaTooShort(vaa.length, HEADER_LENGTH + BODY_FIXED_LENGTH);
    }
    uint256 base;
    uint256 head;
    assembly ("memory-safe") {
      base := vaa.offset
      head := calldataload(base)
    }
    uint8 version = uint8(head >> 248);
    if (version != VAA_VERSION) revert UnsupportedVaaVersion(version);
    v.guardianSetIndex = uint32(head >> 216);
    v.signatureCount = uint8(head >> 208);
    v.signaturesOffset = base + HEADER_LENGTH;
    uint256 bodyStart = HEADER_LENGTH + SIGNATURE_LENGTH * v.signatureCount;
    if (vaa.length < bodyStart + BODY_FIXED_LENGTH) revert VaaTooShort(vaa.length, bodyStart + BODY_FIXED_LENGTH);
    v.bodyOffset = base + bodyStart;
    v.bodyLength = vaa.length - bodyStart;
    uint256 w0;
    uint256 w1;
    uint256 w2;
    uint256 b = v.bodyOffset;
    assembly ("memory-safe") {
      w0 := calldataload(b) // timestamp 4 | nonce 4 | chain 2 | emitter[0:22]
      w1 := calldataload(add(b, 10)) // emitter 32
      w2 := calldataload(add(b, 42)) // sequence 8 | consistency 1
    }
    v.timestamp = uint32(w0 >> 224);
    v.nonce = uint32(w0 >> 192);
    v.emitterChainId = uint16(w0 >> 176);
    v.emitterAddress = bytes32(w1);
    v.sequence = uint64(w2 >> 192);
    v.consistencyLevel = uint8(w2 >> 184);
    v.payloadOffset = b + BODY_FIXED_LENGTH;
    v.payloadLength = v.bodyLength - BODY_FIXED_LENGTH;
  }

  /// @dev keccak256(keccak256(body)): what the guardians sign and what names the VAA.
  function digest(Vaa memory v) internal pure returns (bytes32 d) {
    uint256 off = v.bodyOffset;
    uint256 len = v.bodyLength;
    assembly ("memory-safe") {
      let p := mload(0x40)
      calldatacopy(p, off, len)
      mstore(0x00, keccak256(p, len))
      d := keccak256(0x00, 0x20)
    }
  }

  /// @dev Signature `i` of the VAA (i < signatureCount, checked by parse's length bound).
  function signatureAt(Vaa memory v, uint256 i)
    internal
    pure
    returns (uint8 guardianIndex, bytes32 r, bytes32 s, uint8 recovery)
  {
    uint256 p = v.signaturesOffset + SIGNATURE_LENGTH * i;
    uint256 w0;
    assembly ("memory-safe") {
      w0 := calldataload(p)
      r := calldataload(add(p, 1))
      s := calldataload(add(p, 33))
      recovery := byte(0, calldataload(add(p, 65)))
    }
    guardianIndex = uint8(w0 >> 248);
  }

  /// @dev The payload's first byte (1 single, 2 batch; anything else is refused by the parsers).
  function payloadVersion(Vaa memory v) internal pure returns (uint8 version) {
    if (v.payloadLength == 0) revert PayloadTooShort(0, PAYLOAD_FIXED_LENGTH);
    uint256 p = v.payloadOffset;
    assembly ("memory-safe") {
      version := shr(248, calldataload(p))
    }
  }

  /// @dev A batch payload's destination and the calldata range of its abi.encode(bytes[], bytes[]) part.
  function parseBatchPayload(Vaa memory v)
    internal
    pure
    returns (uint64 destinationChainId, uint256 itemsStart, uint256 payloadEnd)
  {
    if (v.payloadLength < BATCH_PAYLOAD_FIXED_LENGTH) {
      revert PayloadTooShort(v.payloadLength, BATCH_PAYLOAD_FIXED_LENGTH);
    }
    uint256 p = v.payloadOffset;
    uint256 w;
    assembly ("memory-safe") {
      w := calldataload(p)
    }
    uint8 version = uint8(w >> 248);
    if (version != BATCH_PAYLOAD_VERSION) revert UnsupportedPayloadVersion(version);
    destinationChainId = uint64(w >> 184);
    itemsStart = p + BATCH_PAYLOAD_FIXED_LENGTH;
    payloadEnd = p + v.payloadLength;
  }

  function encodeBatchPayload(uint64 destinationChainId, bytes[] calldata messages, bytes[] calldata signatures)
    internal
    pure
    returns (bytes memory)
  {
    return abi.encodePacked(BATCH_PAYLOAD_VERSION, destinationChainId, abi.encode(messages, signatures));
  }

  /// @dev The payload's destination, and the calldata ranges of the attestation message and its signatures.
  function parsePayload(Vaa memory v)
    internal
    pure
    returns (uint64 destinationChainId, uint256 messageStart, uint256 messageEnd, uint256 payloadEnd)
  {
    if (v.payloadLength < PAYLOAD_FIXED_LENGTH) revert PayloadTooShort(v.payloadLength, PAYLOAD_FIXED_LENGTH);
    uint256 p = v.payloadOffset;
    uint256 w;
    assembly ("memory-safe") {
      w := calldataload(p)
    }
    uint8 version = uint8(w >> 248);
    if (version != PAYLOAD_VERSION) revert UnsupportedPayloadVersion(version);
    destinationChainId = uint64(w >> 184);
    uint256 messageLength = uint32(w >> 152);
    if (v.payloadLength < PAYLOAD_FIXED_LENGTH + messageLength) {
      revert PayloadTooShort(v.payloadLength, PAYLOAD_FIXED_LENGTH + messageLength);
    }
    messageStart = p + PAYLOAD_FIXED_LENGTH;
    messageEnd = messageStart + messageLength;
    payloadEnd = p + v.payloadLength;
  }

  function encodePayload(uint64 destinationChainId, bytes calldata message, bytes calldata signatures)
    internal
    pure
    returns (bytes memory)
  {
    if (message.length > type(uint32).max) revert MessageTooLong(message.length);
    return abi.encodePacked(PAYLOAD_VERSION, destinationChainId, uint32(message.length), message, signatures);
  }
}
