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
///                                13 redemption acceptance, 15 move void, 16 move return
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
/// Reserve (kind 6), 83 + 40 n bytes
///   42      32    reserve        token base units backed by the custodian's reserve
///   74      8     asOf
///   82      1     n
///   83      40 n  (chainId 8, supplyCap 16, ceiling 16): the mint budget of each chain, their sum never above reserve;
///                 ceiling = the most that chain's supply can reach before it applies this attestation (its supply or
///                 cap in force, whichever is higher, as the oracle assumed): a chain whose cap this raises applies it
///                 only when sum(max(supplyCap, ceiling)) <= reserve and its own supply and cap are within its ceiling
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
/// Transport quorum (kind 12), 52 bytes: the issuer's k-of-n transport rule for one chain, set in the hub registry
///   42      8     chainId        the chain this rule is for; a receiver on another chain refuses it
///   50      1     k              how many distinct transports must deliver the same message
///   51      1     transports     bitmask of the transports that count: 1 cctp (direct), 2 ccip, 4 wormhole;
///                                0/0 = ungated, else 1 <= k <= popcount(transports) (TransportQuorumRule)
/// Redemption acceptance (kind 13), 110 bytes: the custodian commits to pay a request; sent to the request's chain
///   42      8     requestId
///   50      20    owner          must equal the request's owner
///   70      32    amount         must equal the request's locked amount
///   102     8     acceptedAt     unix seconds the custodian accepted
/// Move void (kind 15) and move return (kind 16), 134 bytes each: the end of a move whose in leg cannot land.
/// The void goes to the to-chain and consumes the move there (its in leg can never apply after it); the return goes
/// to the from-chain, mints the burned units back and consumes the move there. Signers sign a return only after
/// they read the void applied on the to-chain.
///   42      32    moveRef        keccak256 of the custodian's move reference (the settlementRef of both legs)
///   74      20    investor
///   94      32    amount         token base units the out leg burned
///   126     8     peerChainId    void: the from-chain; return: the to-chain (where the move was voided)
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

  /// @dev The bytes after the header: what the committee signs for every kind but settlement and NAV.
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

  function reserveEntry(bytes calldata message, uint256 i)
    internal
    pure
    returns (uint64 chainId, uint128 cap, uint128 ceiling)
  {
    uint256 at = 83 + 40 * i;
    chainId = uint64(bytes8(message[at:at + 8]));
    cap = uint128(bytes16(message[at + 8:at + 24]));
    ceiling = uint128(bytes16(message[at + 24:at + 40]));
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
    uri = message[DISCLOSURE_MIN_LENGTH:];
  }

  function decodeTransportQuorum(bytes calldata message)
    internal
    pure
    returns (uint64 chainId, uint8 k, uint8 transports)
  {
    chainId = uint64(bytes8(message[42:50]));
    k = uint8(message[50]);
    transports = uint8(message[51]);
  }
}
