// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {LiquidityFloor} from "./libraries/LiquidityFloor.sol";
import {RedemptionPolicy} from "./libraries/RedemptionPolicy.sol";
import {TransportQuorumRule} from "./libraries/TransportQuorumRule.sol";
import {HubBrakes} from "./libraries/HubBrakes.sol";
import {IRwaDidRegistryEvents} from "./interfaces/IRwaDidRegistryEvents.sol";

/// @notice Source of truth for RWA DIDs, deployed on the hub chain. The oracle reads it to decide who may post
/// settlements and NAV for a DID and which chains an attestation goes to.
/// @dev The key of a DID is keccak256 of its string ("did:rwa:<issuer>:<asset>"), as in every message.
contract RwaDidRegistry is Ownable, IRwaDidRegistryEvents {
  struct TransportQuorum {
    uint8 k;
    uint8 transports;
  }

  struct DidConfig {
    address issuer;
    uint8 navDecimals;
    uint8 tokenDecimals;
    uint8 threshold;
    uint32 heartbeat;
    uint16 maxNavMoveBps;
  }

  struct DidInput {
    string did;
    string name;
    string symbol;
    DidConfig config;
    address[] custodians;
    address[] navPublishers;
    address[] signers;
    uint64[] chainIds;
    /// @dev Unix seconds after which `signers` verify nothing on the receivers; in the future.
    uint64 signersValidUntil;
  }

  struct DidRecord {
    string did;
    string name;
    string symbol;
    DidConfig config;
    address[] signers;
    uint64[] chainIds;
    uint64 signersValidUntil;
  }

  mapping(bytes32 did => DidRecord) private s_records;
  mapping(bytes32 did => mapping(address custodian => bool)) private s_custodians;
  mapping(bytes32 did => mapping(address publisher => bool)) private s_navPublishers;
  bytes32[] private s_didList;
  /// @dev instalments 0: never set, the defaults apply.
  mapping(bytes32 did => RedemptionPolicy.Policy) private s_redemptionPolicies;
  /// @dev 0/0: never set, ungated (any single delivery applies).
  mapping(bytes32 did => mapping(uint64 chainId => TransportQuorum)) private s_transportQuorums;
  mapping(bytes32 did => address) private s_buyBackCustodians;
  mapping(bytes32 did => LiquidityFloor.Bands) private s_liquidityBands;
  /// @dev All zero: never set (no brakes).
  mapping(bytes32 did => mapping(uint64 chainId => HubBrakes.Brakes)) private s_brakes;

  constructor(address owner_) Ownable(owner_) {}

  function registerDid(DidInput calldata input) external onlyOwner returns (bytes32 did) {
    bytes memory raw = bytes(input.did);
    if (raw.length < 9 || raw.length > 128 || bytes8(bytes(input.did)[0:8]) != bytes8("did:rwa:")) {
      revert InvalidDid(input.did);
    }
    did = keccak256(raw);
    if (s_records[did].config.issuer != address(0)) revert DidAlreadyRegistered(did);
    DidConfig calldata c = input.config;
    if (c.issuer == address(0)) revert InvalidAddress(c.issuer);
    if (c.navDecimals > 36) revert InvalidNavDecimals(c.navDecimals);
    if (c.threshold == 0 || c.threshold > input.signers.length) {
      revert InvalidThreshold(c.threshold, input.signers.length);
    }
    if (input.chainIds.length == 0) revert NoChains();
    _checkAscending(input.signers);
    _checkValidUntil(input.signersValidUntil);
    s_records[did] = DidRecord({
      did: input.did,
      name: input.name,
      symbol: input.symbol,
      config: c,
      signers: input.signers,
      chainIds: input.chainIds,
      signersValidUntil: input.signersValidUntil
    });
    s_didList.push(did);
    emit DidRegistered(did, input.did, c.issuer, input.signersValidUntil);
    for (uint256 i; i < input.custodians.length; ++i) _setCustodian(did, input.custodians[i], true);
    for (uint256 i; i < input.navPublishers.length; ++i) _setNavPublisher(did, input.navPublishers[i], true);
  }

  /// @notice Allow or revoke a custodian key for a DID. Issuer or registry owner.
  function setCustodian(bytes32 did, address custodian, bool allowed) external {
    _onlyIssuerOrOwner(did);
    _setCustodian(did, custodian, allowed);
  }

  function setNavPublisher(bytes32 did, address publisher, bool allowed) external {
    _onlyIssuerOrOwner(did);
    _setNavPublisher(did, publisher, allowed);
  }

  /// @notice Rotate the signer set, threshold, heartbeat, NAV move limit or the set's end. Issuer or registry owner.
  /// @dev Signers must be strictly increasing (no duplicates, no zero), as the receivers require. The end must lie in
  /// the future: a set is renewed (same signers, later end) by this call too.
  function updateConfig(
    bytes32 did,
    address[] calldata signers,
    uint8 threshold,
    uint32 heartbeat,
    uint16 maxNavMoveBps,
    uint64 signersValidUntil
  ) external {
    _onlyIssuerOrOwner(did);
    if (threshold == 0 || threshold > signers.length) revert InvalidThreshold(threshold, signers.length);
    _checkAscending(signers);
    _checkValidUntil(signersValidUntil);
    DidRecord storage r = s_records[did];
    r.signers = signers;
    r.config.threshold = threshold;
    r.config.heartbeat = heartbeat;
    r.config.maxNavMoveBps = maxNavMoveBps;
    r.signersValidUntil = signersValidUntil;
    emit DidConfigUpdated(did, threshold, heartbeat, maxNavMoveBps, signers, signersValidUntil);
  }

  function _checkValidUntil(uint64 validUntil) internal view {
    if (validUntil <= block.timestamp || validUntil > type(uint32).max) {
      revert InvalidSignersValidUntil(validUntil, block.timestamp);
    }
  }

  /// @notice Set the redemption gate of a DID: stage thresholds (share of the pool requested in a day, in bps), the
  /// instalment plan of stage B, and the emergency flag that forces stage C. The issuer only: it is the issuer's
  /// promise to its investors, not the registry operator's.
  function setRedemptionPolicy(
    bytes32 did,
    uint16 stageBBps,
    uint16 stageCBps,
    uint8 instalments,
    uint32 windowSeconds,
    bool emergency
  ) external {
    address issuer = s_records[did].config.issuer;
    if (issuer == address(0)) revert UnknownDid(did);
    if (msg.sender != issuer) revert NotIssuer(did, msg.sender);
    RedemptionPolicy.Policy memory p =
      RedemptionPolicy.Policy(stageBBps, stageCBps, instalments, windowSeconds, emergency);
    if (!RedemptionPolicy.isValid(p)) revert InvalidRedemptionPolicy(stageBBps, stageCBps, instalments, windowSeconds);
    s_redemptionPolicies[did] = p;
    emit RedemptionPolicySet(did, stageBBps, stageCBps, instalments, windowSeconds, emergency);
  }

  /// @notice Require `k` distinct transports of `transports` (bits: 1 cctp/direct, 2 ccip, 4 wormhole) to deliver
  /// the same attestation before it applies on `chainId`; 0/0 lifts the gate. The issuer only, like the redemption
  /// policy: how much the issuer trusts each bridge is its own call. The rule reaches the chain as an attestation
  /// delivered under the rule in force before it.
  function setTransportQuorum(bytes32 did, uint64 chainId, uint8 k, uint8 transports) external {
    DidRecord storage r = s_records[did];
    address issuer = r.config.issuer;
    if (issuer == address(0)) revert UnknownDid(did);
    if (msg.sender != issuer) revert NotIssuer(did, msg.sender);
    if (!TransportQuorumRule.isValid(k, transports)) revert InvalidTransportQuorum(k, transports);
    if (!_isChainEnabled(r.chainIds, chainId)) revert ChainNotEnabled(did, chainId);
    s_transportQuorums[did][chainId] = TransportQuorum(k, transports);
    emit TransportQuorumSet(did, chainId, k, transports);
  }

  /// @notice Name the buy-back pool's custodian (zero: none) and the issuer's liquidity settings. Issuer or registry
  /// owner. The custodian may not be an asset custodian of the DID (nor become one while it holds this role).
  function setBuyBack(bytes32 did, address custodian, LiquidityFloor.Bands calldata bands) external {
    _onlyIssuerOrOwner(did);
    if (custodian != address(0) && s_custodians[did][custodian]) revert CustodianRoleConflict(did, custodian);
    if (!LiquidityFloor.isValid(bands)) {
      revert InvalidLiquidityBands(bands.minShareBps, bands.stageBBelowBps, bands.stageCBelowBps, bands.stressRateBps, bands.horizonDays);
    }
    s_buyBackCustodians[did] = custodian;
    s_liquidityBands[did] = bands;
    emit BuyBackSet(
      did, custodian, bands.minShareBps, bands.stageBBelowBps, bands.stageCBelowBps, bands.staleFloor, bands.stressRateBps, bands.horizonDays
    );
  }

  /// @notice Set the brakes of a DID on `chainId` (rate limits per direction and the large-amount line). Issuer or
  /// registry owner. The line's threshold is checked against the signer set in force now; a later rotation to fewer
  /// signers is the receiver's to refuse.
  function setBrakes(bytes32 did, uint64 chainId, HubBrakes.Brakes calldata b) external {
    _onlyIssuerOrOwner(did);
    DidRecord storage r = s_records[did];
    if (!_isChainEnabled(r.chainIds, chainId)) revert ChainNotEnabled(did, chainId);
    HubBrakes.check(b, r.config.threshold, r.signers.length);
    s_brakes[did][chainId] = b;
    emit BrakesSet(
      did, chainId, b.mintCapacity, b.mintRefillPerSecond, b.burnCapacity, b.burnRefillPerSecond, b.largeAmount,
      b.largeThreshold
    );
  }

  function _isChainEnabled(uint64[] storage chainIds, uint64 chainId) internal view returns (bool) {
    uint256 n = chainIds.length;
    for (uint256 i; i < n; ++i) {
      if (chainIds[i] == chainId) return true;
    }
    return false;
  }

  function _checkAscending(address[] calldata signers) internal pure {
    address last;
    for (uint256 i; i < signers.length; ++i) {
      if (signers[i] <= last) revert SignersNotAscending(i);
      last = signers[i];
    }
  }

  function _setCustodian(bytes32 did, address custodian, bool allowed) internal {
    if (custodian == address(0)) revert InvalidAddress(custodian);
    if (allowed && custodian == s_buyBackCustodians[did]) revert CustodianRoleConflict(did, custodian);
    s_custodians[did][custodian] = allowed;
    emit CustodianSet(did, custodian, allowed);
  }

  function _setNavPublisher(bytes32 did, address publisher, bool allowed) internal {
    if (publisher == address(0)) revert InvalidAddress(publisher);
    s_navPublishers[did][publisher] = allowed;
    emit NavPublisherSet(did, publisher, allowed);
  }

  function _onlyIssuerOrOwner(bytes32 did) internal view {
    address issuer = s_records[did].config.issuer;
    if (issuer == address(0)) revert UnknownDid(did);
    if (msg.sender != issuer && msg.sender != owner()) revert OwnableUnauthorizedAccount(msg.sender);
  }

  // ---- views ----

  function getDid(bytes32 did) external view returns (DidRecord memory record) {
    record = s_records[did];
    if (record.config.issuer == address(0)) revert UnknownDid(did);
  }

  function isRegistered(bytes32 did) external view returns (bool) {
    return s_records[did].config.issuer != address(0);
  }

  /// @notice The policy in force for a registered DID: the issuer's latest, or the defaults.
  function redemptionPolicyOf(bytes32 did) external view returns (RedemptionPolicy.Policy memory p) {
    if (s_records[did].config.issuer == address(0)) revert UnknownDid(did);
    p = s_redemptionPolicies[did];
    if (p.instalments == 0) p = RedemptionPolicy.defaults();
  }

  /// @notice The DID's transport rule for `chainId`; (0, 0) when never set (ungated).
  function transportQuorumOf(bytes32 did, uint64 chainId) external view returns (uint8 k, uint8 transports) {
    TransportQuorum memory q = s_transportQuorums[did][chainId];
    return (q.k, q.transports);
  }

  /// @notice The DID's brakes on `chainId`; all zero when never set (no limits, no line).
  function brakesOf(bytes32 did, uint64 chainId) external view returns (HubBrakes.Brakes memory) {
    return s_brakes[did][chainId];
  }

  function isCustodian(bytes32 did, address account) external view returns (bool) {
    return s_custodians[did][account];
  }

  /// @notice The buy-back custodian (zero: none) and the issuer's liquidity settings (all zero: never set).
  function buyBackOf(bytes32 did) external view returns (address custodian, LiquidityFloor.Bands memory bands) {
    return (s_buyBackCustodians[did], s_liquidityBands[did]);
  }

  function isBuyBackCustodian(bytes32 did, address account) external view returns (bool) {
    return account != address(0) && s_buyBackCustodians[did] == account;
  }

  function isNavPublisher(bytes32 did, address account) external view returns (bool) {
    return s_navPublishers[did][account];
  }

  function didCount() external view returns (uint256) {
    return s_didList.length;
  }

  function didAt(uint256 index) external view returns (bytes32) {
    return s_didList[index];
  }
}
