// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice Wire layout (version 1) of the kinds that set a DID's state on a chain: config, allow-list, pause, reserve
/// and transport quorum. Every message opens with the 42-byte header of AttestationCodec.sol (version, kind, did,
/// nonce), which also checks the exact length from the tables below before any of these decoders runs.
/// The same layout is encoded by schemas/message.ts and schemas/quorum-message.ts, pinned by schemas/vectors.json.
///
///   offset  size  field
/// DID config (kind 3), 62 + 20 n + nameLength + symbolLength bytes
///   42      1     threshold
///   43      1     navDecimals    (used when the DID is first configured on a chain; fixed afterwards)
///   44      1     tokenDecimals  (idem)
///   45      4     heartbeat      seconds
///   49      2     maxNavMoveBps
///   51      1     n              signer count, signers strictly increasing
///   52      20 n  signers
///   ..      1     nameLength, then name (UTF-8), then 1 symbolLength, then symbol
///   end-8   8     signersValidUntil  unix seconds; past it this signer set verifies nothing (the last 8 bytes)
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
/// Transport quorum (kind 12), 52 bytes: the issuer's k-of-n transport rule for one chain, set in the hub registry
///   42      8     chainId        the chain this rule is for; a receiver on another chain refuses it
///   50      1     k              how many distinct transports must deliver the same message
///   51      1     transports     bitmask of the transports that count: 1 cctp (direct), 2 ccip, 4 wormhole;
///                                0/0 = ungated, else 1 <= k <= popcount(transports) (TransportQuorumRule)
library AdminCodec {
  struct Config {
    uint8 threshold;
    uint8 navDecimals;
    uint8 tokenDecimals;
    uint32 heartbeat;
    uint16 maxNavMoveBps;
    address[] signers;
    string name;
    string symbol;
    uint64 signersValidUntil;
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
    // decodeHeader checked the exact length, so the last 8 bytes follow the symbol.
    c.signersValidUntil = uint64(bytes8(message[message.length - 8:]));
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
