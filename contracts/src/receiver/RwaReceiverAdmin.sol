// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {AttestationCodec} from "../libraries/AttestationCodec.sol";
import {AdminCodec} from "../libraries/AdminCodec.sol";
import {TransportQuorumRule} from "../libraries/TransportQuorumRule.sol";
import {RwaHoldings} from "../RwaHoldings.sol";
import {RwaNavFeed} from "../RwaNavFeed.sol";
import {RwaReceiver} from "../RwaReceiver.sol";
import {RwaReceiverState} from "./RwaReceiverState.sol";

/// @notice Apply of the kinds that set a DID's state (config 3, allow-list 4, pause 5, reserve 6, transport quorum 12)
/// and their order: a stale decision arriving late is consumed without changing anything.
abstract contract RwaReceiverAdmin is RwaReceiverState {
  /// @dev For config, pause, redemption policy, transport quorum and brakes: records the message as the newest of its kind, or
  /// reports it superseded (a newer one of the kind applied first). Other kinds carry their own order (reserve and
  /// disclosure asOf, stage sequence, request ids) or none is needed (allow-list: per account, in _applyAllowList).
  function _isSuperseded(AttestationCodec.Header memory h) internal returns (bool) {
    uint8 kind = h.kind;
    if (
      kind != AttestationCodec.KIND_CONFIG && kind != AttestationCodec.KIND_PAUSE
        && kind != AttestationCodec.KIND_REDEMPTION_POLICY && kind != AttestationCodec.KIND_TRANSPORT_QUORUM
        && kind != AttestationCodec.KIND_BRAKES
    ) return false;
    uint256 newest = s_newestAdmin[h.did][kind];
    if (h.nonce < newest) {
      emit RwaReceiver.AdminSuperseded(h.did, h.nonce, kind, uint64(newest - 1));
      return true;
    }
    s_newestAdmin[h.did][kind] = uint256(h.nonce) + 1;
    return false;
  }

  function _applyConfig(AttestationCodec.Header memory h, AdminCodec.Config memory c) internal {
    bytes32 did = h.did;
    uint32 epoch = _setSigners(did, c.signers, c.threshold);
    if (did == GOVERNANCE) {
      emit RwaReceiver.DidConfigured(did, h.nonce, epoch, c.threshold, c.signers, address(0), address(0));
      return;
    }
    RwaReceiver.DidState storage st = s_dids[did];
    RwaNavFeed feed = s_navFeeds[did];
    if (address(st.holdings) == address(0)) {
      (st.holdings, feed) =
        i_assets.deploy(did, c.name, c.symbol, c.tokenDecimals, c.navDecimals, c.heartbeat, c.maxNavMoveBps, address(i_redemptions));
      s_navFeeds[did] = feed;
    } else {
      feed.setParams(c.heartbeat, c.maxNavMoveBps);
    }
    emit RwaReceiver.DidConfigured(did, h.nonce, epoch, c.threshold, c.signers, address(st.holdings), address(feed));
  }

  /// @dev Installs a new signer set under a new epoch; the previous set stops verifying.
  function _setSigners(bytes32 key, address[] memory signers, uint8 threshold) internal returns (uint32 epoch) {
    uint256 n = signers.length;
    if (threshold == 0 || threshold > n) revert RwaReceiver.InvalidThreshold(threshold, n);
    RwaReceiver.DidState storage st = s_dids[key];
    epoch = st.signerEpoch + 1;
    address last;
    for (uint256 i; i < n; ++i) {
      address signer = signers[i];
      // Strictly increasing: no duplicates and no zero address, checked in one comparison.
      if (signer <= last) revert RwaReceiver.SignersNotAscending(i);
      s_signerEpoch[key][signer] = epoch;
      last = signer;
    }
    st.threshold = threshold;
    st.signerEpoch = epoch;
  }

  function _applyAllowList(AttestationCodec.Header memory h, bytes calldata message) internal {
    RwaHoldings holdings = s_dids[h.did].holdings;
    uint256 n = AdminCodec.allowListCount(message);
    uint256 mark = uint256(h.nonce) + 1;
    for (uint256 i; i < n; ++i) {
      (address account, bool allowed) = AdminCodec.allowListEntry(message, i);
      uint256 newest = s_newestAllowList[h.did][account];
      // Equal: the same message named the account before; its later entry wins, as it always did.
      if (mark < newest) {
        emit RwaReceiver.AllowListEntrySuperseded(h.did, h.nonce, account, uint64(newest - 1));
        continue;
      }
      s_newestAllowList[h.did][account] = mark;
      holdings.setAllowed(account, allowed);
    }
    emit RwaReceiver.AllowListApplied(h.did, h.nonce, n);
  }

  function _applyPause(AttestationCodec.Header memory h, bool paused) internal {
    s_dids[h.did].holdings.setPaused(paused);
    emit RwaReceiver.PauseApplied(h.did, h.nonce, paused);
  }

  /// @dev The caps of all chains are in every reserve attestation, so each chain checks that their sum is covered
  /// by the reserve; it applies its own cap (zero when the chain is not listed).
  /// Supply never above the reserve, whatever order the chains apply reserves and mints in: until a chain applies this
  /// attestation its supply can reach its ceiling (the higher of its supply and cap in force); after, the higher of its
  /// new cap and its supply then. So lowering this chain's cap is always safe, and raising it is safe only when
  /// sum(max(cap, ceiling)) over every chain is covered by the reserve (every chain, in whatever state it is, fits)
  /// and this chain is not already past the ceiling the oracle assumed for it (else a mint the oracle did not count,
  /// e.g. one under the old cap that landed after its supply snapshot, would be counted twice).
  function _applyReserve(AttestationCodec.Header memory h, bytes calldata message) internal {
    (uint256 reserve, uint64 asOf, uint256 n) = AdminCodec.reserveHeader(message);
    uint64 latest = s_reserveAsOf[h.did];
    if (asOf <= latest) revert RwaReceiver.ReserveNotNewer(asOf, latest);
    uint256 sum;
    uint256 covered;
    uint128 cap;
    uint128 ceiling;
    for (uint256 i; i < n; ++i) {
      (uint64 chainId, uint128 chainCap, uint128 chainCeiling) = AdminCodec.reserveEntry(message, i);
      sum += chainCap;
      covered += chainCap > chainCeiling ? chainCap : chainCeiling;
      if (chainId == block.chainid) (cap, ceiling) = (chainCap, chainCeiling);
    }
    if (sum > reserve) revert RwaReceiver.CapsExceedReserve(sum, reserve);
    RwaHoldings holdings = s_dids[h.did].holdings;
    uint256 capInForce = holdings.supplyCap();
    if (cap > capInForce) {
      if (covered > reserve) revert RwaReceiver.RaiseNotCovered(covered, reserve);
      uint256 supply = holdings.totalSupply();
      uint256 reach = supply > capInForce ? supply : capInForce;
      if (reach > ceiling) revert RwaReceiver.ChainPastCeiling(reach, ceiling);
    }
    s_reserveAsOf[h.did] = asOf;
    holdings.setSupplyCap(cap);
    emit RwaReceiver.ReserveApplied(h.did, h.nonce, reserve, asOf, cap);
  }

  /// @dev The issuer's rule for this chain. Every bridge it names must have an adapter bound here, or no message of the
  /// DID could ever meet it. The new rule governs the next arrival of every message, pending ones included.
  function _applyTransportQuorum(AttestationCodec.Header memory h, bytes calldata message) internal {
    (uint64 chainId, uint8 k, uint8 transports) = AdminCodec.decodeTransportQuorum(message);
    if (chainId != block.chainid) revert RwaReceiver.WrongQuorumChain(chainId);
    if (!TransportQuorumRule.isValid(k, transports)) revert RwaReceiver.InvalidTransportQuorum(k, transports);
    if (transports & TransportQuorumRule.CCIP != 0 && i_gate.adapterCount(TransportQuorumRule.CCIP) == 0) {
      revert RwaReceiver.TransportNotBound(TransportQuorumRule.CCIP);
    }
    if (transports & TransportQuorumRule.WORMHOLE != 0 && i_gate.adapterCount(TransportQuorumRule.WORMHOLE) == 0) {
      revert RwaReceiver.TransportNotBound(TransportQuorumRule.WORMHOLE);
    }
    RwaReceiver.DidState storage st = s_dids[h.did];
    st.quorumK = k;
    st.quorumTransports = transports;
    emit RwaReceiver.TransportQuorumApplied(h.did, h.nonce, k, transports);
  }
}
