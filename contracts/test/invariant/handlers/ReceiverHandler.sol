// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {RwaReceiver} from "../../../src/RwaReceiver.sol";
import {RwaHoldings} from "../../../src/RwaHoldings.sol";
import {RwaNavFeed} from "../../../src/RwaNavFeed.sol";
import {AttestationSigner} from "../../helpers/AttestationSigner.sol";

/// @notice Drives one receiver/DID with a mix of valid committee deliveries and hostile ones, keeping ghost
/// accounting of what was verified and applied. The actors must be allow-listed and the cap must not bind (the
/// fixture's `configure` does both); the two-chain campaign (TwoChainHandler) covers caps, pauses and the list. Valid deliveries are expected to succeed and hostile ones to revert;
/// both outcomes are counted (not asserted here) so the invariant contract can check them.
contract ReceiverHandler is CommonBase, StdUtils, AttestationSigner {
  uint256 internal constant MAX_NONCE_SEED = 2_000; // spans several bitmap words
  uint256 internal constant FIRST_AS_OF = 1_767_225_600;

  RwaReceiver public immutable receiver;
  RwaHoldings public immutable holdings;
  RwaNavFeed public immutable navFeed;
  bytes32 public immutable did;
  uint8 public immutable threshold;
  uint16 public immutable maxMoveBps;

  uint256[] internal s_committeeKeys;
  uint256[] internal s_outsiderKeys;
  address[] internal s_actors;
  address internal immutable i_attacker;

  // ---- ghosts: valid, verified deliveries ----
  uint256 public ghost_subscribed;
  uint256 public ghost_redeemed;
  uint256 public ghost_subscriptionCount;
  uint256 public ghost_redemptionCount;
  uint256 public ghost_navCount;
  uint256 public ghost_applies;
  uint256 public ghost_lastNav;
  uint64 public ghost_lastAsOf;
  /// @dev A valid delivery that the receiver rejected (should stay 0).
  uint256 public ghost_validRejected;
  /// @dev receiveMessage succeeded for a nonce that had already been applied (must stay 0).
  uint256 public ghost_nonceAppliedTwice;
  mapping(address actor => uint256) public ghost_balance;
  mapping(uint64 nonce => bool) public ghost_nonceApplied;
  uint64[] internal s_appliedNonces;

  // ---- ghosts: hostile deliveries ----
  uint256 public ghost_hostileAttempts;
  uint256 public ghost_hostileSucceeded;
  bytes[] internal s_appliedMessages;
  bytes[] internal s_appliedSigs;
  /// @dev Nonces carried by forged/unsigned attempts: they must not be consumed by a failed delivery.
  uint64[] internal s_hostileNonces;

  mapping(string action => uint256) public calls;

  constructor(
    RwaReceiver receiver_,
    bytes32 did_,
    uint256[] memory committeeKeys_,
    uint256[] memory outsiderKeys_,
    address[] memory actors_,
    address attacker_
  ) {
    receiver = receiver_;
    did = did_;
    RwaReceiver.DidState memory st = receiver_.didState(did_);
    holdings = st.holdings;
    navFeed = receiver_.navFeedOf(did_);
    threshold = st.threshold;
    maxMoveBps = navFeed.s_maxMoveBps();
    s_committeeKeys = committeeKeys_;
    s_outsiderKeys = outsiderKeys_;
    s_actors = actors_;
    i_attacker = attacker_;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // valid deliveries
  // ---------------------------------------------------------------------------------------------------------------

  function applySubscription(uint256 actorSeed, uint256 amount, uint256 nonceSeed, uint256 quorumSeed) external {
    address investor = _actor(actorSeed);
    amount = _bound(amount, 1, 1e30);
    SettlementAtt memory a = _settlement(SUBSCRIPTION, investor, amount, _freshNonce(nonceSeed));
    if (_deliverValid(encodeSettlement(a), _quorum(_settlementDigest(a), quorumSeed), a.nonce)) {
      ghost_subscribed += amount;
      ghost_balance[investor] += amount;
      ++ghost_subscriptionCount;
    }
    ++calls["applySubscription"];
  }

  function applyRedemption(uint256 actorSeed, uint256 amount, uint256 nonceSeed, uint256 quorumSeed) external {
    address investor = _actor(actorSeed);
    uint256 balance = holdings.balanceOf(investor);
    if (balance == 0) return;
    amount = _bound(amount, 1, balance);
    SettlementAtt memory a = _settlement(REDEMPTION, investor, amount, _freshNonce(nonceSeed));
    if (_deliverValid(encodeSettlement(a), _quorum(_settlementDigest(a), quorumSeed), a.nonce)) {
      ghost_redeemed += amount;
      ghost_balance[investor] -= amount;
      ++ghost_redemptionCount;
    }
    ++calls["applyRedemption"];
  }

  function applyNav(uint256 navSeed, bool up, uint256 asOfGap, uint256 nonceSeed, uint256 quorumSeed) external {
    uint256 nav;
    uint64 asOf;
    if (ghost_navCount == 0) {
      nav = _bound(navSeed, 1e8, 1e12);
      asOf = uint64(FIRST_AS_OF);
    } else {
      uint256 move = (ghost_lastNav * _bound(navSeed, 0, maxMoveBps)) / 10_000;
      nav = up ? ghost_lastNav + move : ghost_lastNav - move;
      asOf = ghost_lastAsOf + uint64(_bound(asOfGap, 1, 7 days));
    }
    NavAtt memory n = NavAtt({did: did, nonce: _freshNonce(nonceSeed), nav: nav, asOf: asOf});
    if (_deliverValid(encodeNav(n), _quorum(_navDigest(n), quorumSeed), n.nonce)) {
      ghost_lastNav = nav;
      ghost_lastAsOf = asOf;
      ++ghost_navCount;
    }
    ++calls["applyNav"];
  }

  // ---------------------------------------------------------------------------------------------------------------
  // hostile deliveries: every one of them must revert
  // ---------------------------------------------------------------------------------------------------------------

  /// @notice A subscription to the attacker that carries no valid quorum, forged in one of eight ways.
  function attemptForged(uint256 mode, uint256 amount, uint256 nonceSeed, uint256 keySeed) external {
    mode = _bound(mode, 0, 7);
    amount = _bound(amount, 1, 1e30);
    SettlementAtt memory a = _settlement(SUBSCRIPTION, i_attacker, amount, _freshNonce(nonceSeed));
    bytes32 digest = _settlementDigest(a);
    bytes memory message = encodeSettlement(a);
    bytes memory sigs;

    if (mode == 0) {
      // wrong keys
      sigs = signSorted(digest, firstKeys(s_outsiderKeys, threshold));
    } else if (mode == 1) {
      // valid committee signatures for another chain id
      uint256 otherChain = _bound(keySeed, 1, type(uint64).max);
      if (otherChain == block.chainid) ++otherChain;
      sigs = signSorted(settlementDigest(a, otherChain, address(receiver)), firstKeys(s_committeeKeys, threshold));
    } else if (mode == 2) {
      // valid committee signatures for another receiver
      address otherReceiver = address(uint160(_bound(keySeed, 1, type(uint160).max)));
      if (otherReceiver == address(receiver)) otherReceiver = address(uint160(otherReceiver) + 1);
      sigs = signSorted(settlementDigest(a, block.chainid, otherReceiver), firstKeys(s_committeeKeys, threshold));
    } else if (mode == 3) {
      // valid quorum, amount inflated after signing
      sigs = _quorum(digest, keySeed);
      a.amount = amount + 1;
      message = encodeSettlement(a);
    } else if (mode == 4) {
      // high-s twin of a valid quorum signature
      sigs = _quorum(digest, keySeed);
      uint256 i = keySeed % threshold;
      (bytes32 r, bytes32 s, uint8 v) = sigAt(sigs, i);
      setSigAt(sigs, i, r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? 28 : 27);
    } else if (mode == 5) {
      // one committee signer and one outsider
      uint256[] memory keys = firstKeys(s_committeeKeys, threshold);
      keys[keySeed % threshold] = s_outsiderKeys[keySeed % s_outsiderKeys.length];
      sigs = signSorted(digest, keys);
    } else if (mode == 6) {
      // quorum in descending order
      uint256[] memory keys = firstKeys(s_committeeKeys, threshold);
      for (uint256 i; i < keys.length / 2; ++i) {
        (keys[i], keys[keys.length - 1 - i]) = (keys[keys.length - 1 - i], keys[i]);
      }
      sigs = signInOrder(digest, keys);
    } else {
      // the same committee signer repeated
      uint256[] memory keys = new uint256[](threshold);
      uint256 k = s_committeeKeys[keySeed % s_committeeKeys.length];
      for (uint256 i; i < keys.length; ++i) {
        keys[i] = k;
      }
      sigs = signInOrder(digest, keys);
    }
    s_hostileNonces.push(a.nonce);
    _deliverHostile(message, sigs);
    ++calls["attemptForged"];
  }

  /// @notice Redeliver a message that was already applied, by anyone.
  function attemptReplay(uint256 index) external {
    if (s_appliedMessages.length == 0) return;
    index = _bound(index, 0, s_appliedMessages.length - 1);
    _deliverHostile(s_appliedMessages[index], s_appliedSigs[index]);
    ++calls["attemptReplay"];
  }

  /// @notice A valid message with no quorum: no signatures, fewer than threshold, or zero bytes of the right length.
  function attemptUnsigned(uint256 mode, uint256 amount, uint256 nonceSeed) external {
    mode = _bound(mode, 0, 2);
    amount = _bound(amount, 1, 1e30);
    SettlementAtt memory a = _settlement(SUBSCRIPTION, i_attacker, amount, _freshNonce(nonceSeed));
    bytes memory sigs;
    if (mode == 1) {
      sigs = signSorted(_settlementDigest(a), firstKeys(s_committeeKeys, threshold - 1));
    } else if (mode == 2) {
      sigs = new bytes(uint256(threshold) * 65);
    }
    s_hostileNonces.push(a.nonce);
    _deliverHostile(encodeSettlement(a), sigs);
    ++calls["attemptUnsigned"];
  }

  // ---------------------------------------------------------------------------------------------------------------
  // views for the invariant contract
  // ---------------------------------------------------------------------------------------------------------------

  function appliedNonceCount() external view returns (uint256) {
    return s_appliedNonces.length;
  }

  function appliedNonceAt(uint256 i) external view returns (uint64) {
    return s_appliedNonces[i];
  }

  function hostileNonceCount() external view returns (uint256) {
    return s_hostileNonces.length;
  }

  function hostileNonceAt(uint256 i) external view returns (uint64) {
    return s_hostileNonces[i];
  }

  function actorCount() external view returns (uint256) {
    return s_actors.length;
  }

  function actorAt(uint256 i) external view returns (address) {
    return s_actors[i];
  }

  function attacker() external view returns (address) {
    return i_attacker;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // internals
  // ---------------------------------------------------------------------------------------------------------------

  function _deliverValid(bytes memory message, bytes memory sigs, uint64 nonce) internal returns (bool ok) {
    try receiver.receiveMessage(message, sigs) {
      ok = true;
    } catch {
      ++ghost_validRejected;
      return false;
    }
    ++ghost_applies;
    if (ghost_nonceApplied[nonce]) {
      ++ghost_nonceAppliedTwice;
    } else {
      ghost_nonceApplied[nonce] = true;
      s_appliedNonces.push(nonce);
    }
    s_appliedMessages.push(message);
    s_appliedSigs.push(sigs);
  }

  function _deliverHostile(bytes memory message, bytes memory sigs) internal {
    ++ghost_hostileAttempts;
    try receiver.receiveMessage(message, sigs) {
      ++ghost_hostileSucceeded;
    } catch {}
  }

  /// @dev A nonce the handler has not applied yet, near `seed`, so deliveries arrive out of order and cross words.
  function _freshNonce(uint256 seed) internal view returns (uint64 nonce) {
    nonce = uint64(_bound(seed, 0, MAX_NONCE_SEED));
    while (ghost_nonceApplied[nonce]) {
      ++nonce;
    }
  }

  function _actor(uint256 seed) internal view returns (address) {
    return s_actors[seed % s_actors.length];
  }

  function _settlement(uint8 kind, address investor, uint256 amount, uint64 nonce)
    internal
    view
    returns (SettlementAtt memory)
  {
    return SettlementAtt({
      did: did,
      nonce: nonce,
      settlementKind: kind,
      settlementRef: keccak256(abi.encode("ref", nonce, amount)),
      investor: investor,
      amount: amount,
      cashLegRef: keccak256(abi.encode("cash", nonce)),
      settledAt: uint64(block.timestamp),
      peerChainId: 0
    });
  }

  function _settlementDigest(SettlementAtt memory a) internal view returns (bytes32) {
    return settlementDigest(a, block.chainid, address(receiver));
  }

  function _navDigest(NavAtt memory n) internal view returns (bytes32) {
    return navDigest(n, block.chainid, address(receiver));
  }

  /// @dev A random threshold-sized subset of the committee, signed in ascending signer order.
  function _quorum(bytes32 digest, uint256 seed) internal view returns (bytes memory) {
    uint256 n = s_committeeKeys.length;
    uint256[] memory pool = s_committeeKeys;
    uint256[] memory keys = new uint256[](threshold);
    for (uint256 i; i < threshold; ++i) {
      uint256 j = i + (uint256(keccak256(abi.encode(seed, i))) % (n - i));
      (pool[i], pool[j]) = (pool[j], pool[i]);
      keys[i] = pool[i];
    }
    return signSorted(digest, keys);
  }
}
