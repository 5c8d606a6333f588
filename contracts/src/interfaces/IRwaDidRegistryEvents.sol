// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @notice The hub registry's errors and events (RwaDidRegistry), apart so the registry stays one screenful of rules.
interface IRwaDidRegistryEvents {
  error DidAlreadyRegistered(bytes32 did);
  error UnknownDid(bytes32 did);
  error InvalidDid(string did);
  error InvalidThreshold(uint256 threshold, uint256 signerCount);
  error InvalidAddress(address account);
  error InvalidNavDecimals(uint8 navDecimals);
  error NoChains();
  error SignersNotAscending(uint256 index);
  error NotIssuer(bytes32 did, address caller);
  error InvalidRedemptionPolicy(uint16 stageBBps, uint16 stageCBps, uint8 instalments, uint32 windowSeconds);
  error InvalidTransportQuorum(uint8 k, uint8 transports);
  error ChainNotEnabled(bytes32 did, uint64 chainId);
  /// @notice One key cannot hold both custody roles of a DID: the buy-back pool's custodian is independent of the
  /// asset custodians.
  error CustodianRoleConflict(bytes32 did, address account);
  error InvalidLiquidityBands(uint16 minShareBps, uint16 stageBBelowBps, uint16 stageCBelowBps, uint16 stressRateBps, uint16 horizonDays);
  /// @dev A signer set's end must lie in the future (and within the 32 bits receivers store: up to 2106-02-07).
  error InvalidSignersValidUntil(uint64 validUntil, uint256 blockTime);

  event DidRegistered(bytes32 indexed did, string didString, address indexed issuer, uint64 signersValidUntil);
  event CustodianSet(bytes32 indexed did, address indexed custodian, bool allowed);
  event NavPublisherSet(bytes32 indexed did, address indexed publisher, bool allowed);
  /// @notice The oracle turns this into a config attestation for every enabled chain, signed by the previous set.
  /// signersValidUntil: unix seconds after which the set verifies nothing on any chain (until a later config lands).
  event DidConfigUpdated(
    bytes32 indexed did, uint8 threshold, uint32 heartbeat, uint16 maxNavMoveBps, address[] signers, uint64 signersValidUntil
  );
  /// @notice The oracle turns this into a redemption policy attestation (kind 9) for every enabled chain.
  event RedemptionPolicySet(
    bytes32 indexed did, uint16 stageBBps, uint16 stageCBps, uint8 instalments, uint32 windowSeconds, bool emergency
  );

  /// @notice The buy-back custodian (zero: none) and the issuer's liquidity settings: the floor travels in every
  /// buy-back report (kind 17); the stress rate and horizon are the oracle's LCR inputs.
  event BuyBackSet(
    bytes32 indexed did,
    address indexed custodian,
    uint16 minShareBps,
    uint16 stageBBelowBps,
    uint16 stageCBelowBps,
    bool staleFloor,
    uint16 stressRateBps,
    uint16 horizonDays
  );

  /// @notice The oracle turns this into a transport quorum attestation (kind 12) sent to `chainId` only.
  event TransportQuorumSet(bytes32 indexed did, uint64 indexed chainId, uint8 k, uint8 transports);

  /// @notice The oracle turns this into a brakes attestation (kind 14) sent to `chainId` only.
  event BrakesSet(
    bytes32 indexed did,
    uint64 indexed chainId,
    uint128 mintCapacity,
    uint128 mintRefillPerSecond,
    uint128 burnCapacity,
    uint128 burnRefillPerSecond,
    uint128 largeAmount,
    uint8 largeThreshold
  );
}
