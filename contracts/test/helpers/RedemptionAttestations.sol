// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Encoders of the redemption and disclosure kinds (7..11, 13), restated from the byte table in
/// AttestationCodec's header without importing it (as AttestationSigner does for kinds 1..6), so a layout slip in
/// contracts/src fails a test instead of cancelling out. They are signed as AdminAttestation (adminDigest).
abstract contract RedemptionAttestations {
  error UriTooLong(uint256 length);

  uint8 internal constant KIND_REDEMPTION_REQUEST = 7;
  uint8 internal constant KIND_REDEMPTION_STAGE = 8;
  uint8 internal constant KIND_REDEMPTION_POLICY = 9;
  uint8 internal constant KIND_REDEMPTION_FULFILMENT = 10;
  uint8 internal constant KIND_DISCLOSURE = 11;
  uint8 internal constant KIND_REDEMPTION_ACCEPTANCE = 13;
  uint256 internal constant REDEMPTION_REQUEST_LEN = 150;
  uint256 internal constant REDEMPTION_STAGE_LEN = 124;
  uint256 internal constant REDEMPTION_POLICY_LEN = 52;
  uint256 internal constant REDEMPTION_FULFILMENT_LEN = 154;
  uint256 internal constant DISCLOSURE_FIXED_LEN = 85; // + uri bytes
  uint256 internal constant REDEMPTION_ACCEPTANCE_LEN = 110;

  uint8 internal constant STAGE_A = 1;
  uint8 internal constant STAGE_B = 2;
  uint8 internal constant STAGE_C = 3;
  uint8 internal constant REASON_NONE = 0;
  uint8 internal constant REASON_THRESHOLD = 1;
  uint8 internal constant REASON_EMERGENCY = 2;

  struct RequestReportAtt {
    bytes32 did;
    uint64 nonce;
    uint64 chainId;
    uint64 requestId;
    address owner;
    uint256 amount;
    uint64 requestedAt;
    uint256 poolSupply;
  }

  struct StageAtt {
    bytes32 did;
    uint64 nonce;
    uint8 stage;
    uint64 stageSeq;
    uint64 since;
    uint8 reason;
    uint256 dayRequested;
    uint256 poolSupply;
  }

  struct PolicyAtt {
    bytes32 did;
    uint64 nonce;
    uint16 stageBBps;
    uint16 stageCBps;
    uint8 instalments;
    uint32 windowSeconds;
    bool emergency;
  }

  struct FulfilmentAtt {
    bytes32 did;
    uint64 nonce;
    uint64 requestId;
    bytes32 settlementRef;
    uint256 amount;
    bytes32 cashLegRef;
    uint64 settledAt;
  }

  struct AcceptanceAtt {
    bytes32 did;
    uint64 nonce;
    uint64 requestId;
    address owner;
    uint256 amount;
    uint64 acceptedAt;
  }

  struct DisclosureAtt {
    bytes32 did;
    uint64 nonce;
    uint8 docKind;
    bytes32 docHash;
    uint64 asOf;
    string uri;
  }

  function encodeRequestReport(RequestReportAtt memory a) internal pure returns (bytes memory) {
    return abi.encodePacked(
      uint8(1),
      KIND_REDEMPTION_REQUEST,
      a.did,
      a.nonce,
      a.chainId,
      a.requestId,
      a.owner,
      a.amount,
      a.requestedAt,
      a.poolSupply
    );
  }

  function encodeStage(StageAtt memory a) internal pure returns (bytes memory) {
    return abi.encodePacked(
      uint8(1), KIND_REDEMPTION_STAGE, a.did, a.nonce, a.stage, a.stageSeq, a.since, a.reason, a.dayRequested, a.poolSupply
    );
  }

  function encodePolicy(PolicyAtt memory a) internal pure returns (bytes memory) {
    return abi.encodePacked(
      uint8(1),
      KIND_REDEMPTION_POLICY,
      a.did,
      a.nonce,
      a.stageBBps,
      a.stageCBps,
      a.instalments,
      a.windowSeconds,
      a.emergency ? uint8(1) : uint8(0)
    );
  }

  function encodeFulfilment(FulfilmentAtt memory a) internal pure returns (bytes memory) {
    return abi.encodePacked(
      uint8(1), KIND_REDEMPTION_FULFILMENT, a.did, a.nonce, a.requestId, a.settlementRef, a.amount, a.cashLegRef, a.settledAt
    );
  }

  function encodeAcceptance(AcceptanceAtt memory a) internal pure returns (bytes memory) {
    return abi.encodePacked(
      uint8(1), KIND_REDEMPTION_ACCEPTANCE, a.did, a.nonce, a.requestId, a.owner, a.amount, a.acceptedAt
    );
  }

  function encodeDisclosure(DisclosureAtt memory a) internal pure returns (bytes memory) {
    bytes memory uri = bytes(a.uri);
    if (uri.length > type(uint16).max) revert UriTooLong(uri.length);
    return abi.encodePacked(uint8(1), KIND_DISCLOSURE, a.did, a.nonce, a.docKind, a.docHash, a.asOf, uint16(uri.length), uri);
  }
}
