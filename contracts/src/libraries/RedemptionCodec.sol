// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "./AttestationCodec.sol";

/// @notice Wire layout (version 1) of the redemption kinds, applied by RwaRedemptions. Every message opens with the
/// 42-byte header of AttestationCodec.sol (version, kind, did, nonce), which also checks the exact length from the
/// tables below before any of these decoders runs.
/// The same layout is encoded by schemas/redemption-message.ts and pinned by schemas/vectors.json.
///
///   offset  size  field
/// Redemption request (kind 7), 150 bytes: a request seen on chainId, reported to the chain that sets the stage (hub)
///   42      8     chainId        chain whose RwaRedemptions holds the request
///   50      8     requestId      per DID, per chain, from 1
///   58      20    owner
///   78      32    amount         token base units locked by the request
///   110     8     requestedAt    unix seconds (block time of the request)
///   118     32    poolSupply     total supply over every chain at the blocks the oracle pinned
/// Redemption stage (kind 8), 124 bytes: the hub's stage, sent to every other chain
///   42      1     stage          1 A (fulfil in full), 2 B (instalments), 3 C (halted)
///   43      8     stageSeq       applied only when greater than the chain's current one
///   51      8     since          unix seconds the stage began on the hub
///   59      1     reason         0 none, 1 threshold, 2 emergency
///   60      32    dayRequested   requests of the hub's current day when the stage was set
///   92      32    poolSupply
/// Redemption policy (kind 9), 52 bytes: the issuer's gate, set in the hub registry
///   42      2     stageBBps      daily requests above this share of the pool: stage B
///   44      2     stageCBps      above this: stage C (0 < stageBBps <= stageCBps <= 10000)
///   46      1     instalments    stage B pays a request in this many equal parts (>= 1)
///   47      4     windowSeconds  over this window (>= instalments)
///   51      1     emergency      1 forces stage C
/// Redemption fulfilment (kind 10), 154 bytes: the custodian paid cash; burns locked units on the request's chain
///   42      8     requestId
///   50      32    settlementRef  keccak256 of the custodian's settlement reference
///   82      32    amount         token base units burned
///   114     32    cashLegRef     hash of the cash-leg evidence
///   146     8     settledAt
/// Disclosure (kind 11), 85 + uriLength bytes
///   42      1     docKind        1 NAV report, 2 custody statement, 3 audit report, 4 incident notice
///   43      32    docHash        hash of the document
///   75      8     asOf           strictly newer than the latest disclosure of this kind
///   83      2     uriLength
///   85      ..    uri            UTF-8
/// Redemption acceptance (kind 13), 110 bytes: the custodian commits to pay a request; sent to the request's chain
///   42      8     requestId
///   50      20    owner          must equal the request's owner
///   70      32    amount         must equal the request's locked amount
///   102     8     acceptedAt     unix seconds the custodian accepted
library RedemptionCodec {
  struct RedemptionRequest {
    uint64 chainId;
    uint64 requestId;
    address owner;
    uint256 amount;
    uint64 requestedAt;
    uint256 poolSupply;
  }

  struct RedemptionStage {
    uint8 stage;
    uint64 stageSeq;
    uint64 since;
    uint8 reason;
    uint256 dayRequested;
    uint256 poolSupply;
  }

  struct RedemptionFulfilment {
    uint64 requestId;
    bytes32 settlementRef;
    uint256 amount;
    bytes32 cashLegRef;
    uint64 settledAt;
  }

  struct RedemptionAcceptance {
    uint64 requestId;
    address owner;
    uint256 amount;
    uint64 acceptedAt;
  }

  function decodeRedemptionRequest(bytes calldata message) internal pure returns (RedemptionRequest memory r) {
    r.chainId = uint64(bytes8(message[42:50]));
    r.requestId = uint64(bytes8(message[50:58]));
    r.owner = address(bytes20(message[58:78]));
    r.amount = uint256(bytes32(message[78:110]));
    r.requestedAt = uint64(bytes8(message[110:118]));
    r.poolSupply = uint256(bytes32(message[118:150]));
  }

  function decodeRedemptionStage(bytes calldata message) internal pure returns (RedemptionStage memory s) {
    s.stage = uint8(message[42]);
    s.stageSeq = uint64(bytes8(message[43:51]));
    s.since = uint64(bytes8(message[51:59]));
    s.reason = uint8(message[59]);
    s.dayRequested = uint256(bytes32(message[60:92]));
    s.poolSupply = uint256(bytes32(message[92:124]));
  }

  function decodeRedemptionPolicy(bytes calldata message)
    internal
    pure
    returns (uint16 stageBBps, uint16 stageCBps, uint8 instalments, uint32 windowSeconds, bool emergency)
  {
    stageBBps = uint16(bytes2(message[42:44]));
    stageCBps = uint16(bytes2(message[44:46]));
    instalments = uint8(message[46]);
    windowSeconds = uint32(bytes4(message[47:51]));
    emergency = message[51] != 0;
  }

  function decodeRedemptionFulfilment(bytes calldata message) internal pure returns (RedemptionFulfilment memory f) {
    f.requestId = uint64(bytes8(message[42:50]));
    f.settlementRef = bytes32(message[50:82]);
    f.amount = uint256(bytes32(message[82:114]));
    f.cashLegRef = bytes32(message[114:146]);
    f.settledAt = uint64(bytes8(message[146:154]));
  }

  function decodeRedemptionAcceptance(bytes calldata message)
    internal
    pure
    returns (RedemptionAcceptance memory a)
  {
    a.requestId = uint64(bytes8(message[42:50]));
    a.owner = address(bytes20(message[50:70]));
    a.amount = uint256(bytes32(message[70:102]));
    a.acceptedAt = uint64(bytes8(message[102:110]));
  }

  function decodeDisclosure(bytes calldata message)
    internal
    pure
    returns (uint8 docKind, bytes32 docHash, uint64 asOf, bytes calldata uri)
  {
    docKind = uint8(message[42]);
    docHash = bytes32(message[43:75]);
    asOf = uint64(bytes8(message[75:83]));
    uri = message[AttestationCodec.DISCLOSURE_MIN_LENGTH:];
  }
}
