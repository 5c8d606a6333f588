// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Eip712Attestation} from "../libraries/Eip712Attestation.sol";
import {RwaNavFeed} from "../RwaNavFeed.sol";
import {RwaAssetFactory} from "../RwaAssetFactory.sol";
import {RwaRedemptions} from "../RwaRedemptions.sol";
import {RwaTransportQuorum} from "../RwaTransportQuorum.sol";
import {RwaReceiver} from "../RwaReceiver.sol";

/// @notice RwaReceiver's storage and its views, shared by the parts that apply each group of kinds. All storage lives
/// here, in this order, so the receiver's slots do not depend on how its parts are split. Errors, events and DidState
/// are declared in RwaReceiver itself (integrators and tests name them `RwaReceiver.X`), so the parts name them so too.
abstract contract RwaReceiverState {
  /// @dev The key under which the governance committee is stored; keccak256 of a DID string is never zero.
  bytes32 public constant GOVERNANCE = bytes32(0);

  uint256 internal immutable i_chainId;
  RwaRedemptions internal immutable i_redemptions;
  /// @dev Deploys each DID's token and NAV feed, so their creation code stays out of this contract's runtime.
  RwaAssetFactory internal immutable i_assets;
  /// @dev Records which transports delivered each message of a gated DID; owned by this contract's deployer.
  RwaTransportQuorum internal immutable i_gate;
  bytes32 internal immutable i_domainSeparator;

  mapping(bytes32 did => RwaReceiver.DidState) internal s_dids;
  mapping(bytes32 did => RwaNavFeed) internal s_navFeeds;
  mapping(bytes32 did => uint64) internal s_reserveAsOf;
  /// @dev A signer verifies for a DID only while its epoch equals the DID's current epoch.
  mapping(bytes32 did => mapping(address signer => uint32 epoch)) internal s_signerEpoch;
  /// @dev Replay bitmap: 256 nonces per slot, so consecutive nonces mostly write a warm, non-zero slot.
  mapping(bytes32 did => mapping(uint256 word => uint256 bits)) internal s_usedNonces;
  /// @dev Batch roots verified by a DID's quorum, with the signer epoch that verified them.
  mapping(bytes32 did => mapping(bytes32 root => uint32 epoch)) internal s_batchRoots;
  /// @dev Order of state-setting kinds: per DID and kind (config, pause, policy, transport quorum), and per DID and
  /// account for the allow-list, 1 + the nonce of the newest applied message (0: none yet). The oracle gives a DID
  /// one nonce sequence for every kind, so a higher nonce is a newer decision; a lower one arriving later is stale.
  mapping(bytes32 did => mapping(uint8 kind => uint256 newestPlusOne)) internal s_newestAdmin;
  mapping(bytes32 did => mapping(address account => uint256 newestPlusOne)) internal s_newestAllowList;
  /// @dev Per move reference: how the move ended on this chain (MOVE_*), written once.
  mapping(bytes32 did => mapping(bytes32 moveRef => uint8 outcome)) internal s_moveOutcomes;

  constructor() {
    i_chainId = block.chainid;
    i_domainSeparator = Eip712Attestation.domainSeparator(block.chainid, address(this));
    // Its creation code lands in this constructor's initcode only, not in the runtime (which is near the limit).
    i_redemptions = new RwaRedemptions();
    i_assets = new RwaAssetFactory();
    i_gate = new RwaTransportQuorum(msg.sender);
  }

  // ------------------------------------------------------------------------------------------------------------
  // Views for relayers, oracles and integrators
  // ------------------------------------------------------------------------------------------------------------

  /// @notice How a move ended on this chain: 0 not yet, MOVE_ARRIVED, MOVE_VOIDED or MOVE_RETURNED.
  function moveOutcomeOf(bytes32 did, bytes32 moveRef) external view returns (uint8) {
    return s_moveOutcomes[did][moveRef];
  }

  function isNonceUsed(bytes32 did, uint64 nonce) external view returns (bool) {
    return s_usedNonces[did][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
  }

  /// @notice The factory that deploys each DID's token and NAV feed on this chain (their CREATE deployer).
  function assetFactory() external view returns (RwaAssetFactory) {
    return i_assets;
  }

  function didState(bytes32 did) external view returns (RwaReceiver.DidState memory) {
    return s_dids[did];
  }

  function redemptions() external view returns (RwaRedemptions) {
    return i_redemptions;
  }

  /// @notice The transport gate: adapter bindings, and per message digest the transports that delivered it.
  function transportQuorum() external view returns (RwaTransportQuorum) {
    return i_gate;
  }

  /// @notice The DID's transport rule on this chain; (0, 0) when ungated.
  function transportQuorumOf(bytes32 did) external view returns (uint8 k, uint8 transports) {
    RwaReceiver.DidState storage st = s_dids[did];
    return (st.quorumK, st.quorumTransports);
  }

  function navFeedOf(bytes32 did) external view returns (RwaNavFeed) {
    return s_navFeeds[did];
  }

  /// @notice The nonce of the newest applied config (3), pause (5), redemption policy (9) or transport quorum (12) of
  /// `did`; `any` false when none applied yet.
  function newestAdminNonce(bytes32 did, uint8 kind) external view returns (bool any, uint64 nonce) {
    uint256 v = s_newestAdmin[did][kind];
    return (v != 0, v == 0 ? 0 : uint64(v - 1));
  }

  function reserveAsOf(bytes32 did) external view returns (uint64) {
    return s_reserveAsOf[did];
  }

  function isSigner(bytes32 did, address signer) external view returns (bool) {
    uint32 epoch = s_dids[did].signerEpoch;
    return epoch != 0 && s_signerEpoch[did][signer] == epoch;
  }

  function batchRootEpoch(bytes32 did, bytes32 root) external view returns (uint32) {
    return s_batchRoots[did][root];
  }
}
