// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {TwoChainHandlerBase} from "./TwoChainHandlerBase.sol";

/// @notice Actions of the two-chain invariant campaign: the oracle's valid traffic (subscriptions, redemptions,
/// moves between the chains, investor transfers, NAV, allow-list, pause, reserve, rotations, batches) and a hostile
/// relayer's (forgeries and replays, on the same or the other chain). Outcomes are judged in TwoChainHandlerBase.
contract TwoChainHandler is TwoChainHandlerBase {
  /// @dev Order model (nonce + 1 of the newest applied; 0: setUp's, which every campaign nonce is above).
  uint256[2] internal s_newestPause;
  uint256 internal s_newestConfig;
  mapping(uint256 x => mapping(address account => uint256 plusOne)) internal s_newestAllow;
  /// @dev Admin deliveries the model says were superseded (consumed, state unchanged), and disagreements.
  uint256 public ghost_superseded;
  uint256 public ghost_adminOrderMismatch;

  constructor(Deployment memory d) TwoChainHandlerBase(d) {}

  /// @dev Whether `nonce` is newer than `newestPlusOne`, recording it as the newest when it is.
  function _isNewer(uint256 newestPlusOne, uint64 nonce) internal returns (bool newer) {
    newer = uint256(nonce) + 1 > newestPlusOne;
    if (!newer) ++ghost_superseded;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // holdings
  // ---------------------------------------------------------------------------------------------------------------

  function subscribe(uint256 chainSeed, uint256 actorSeed, uint256 amount, uint256 nonceSeed)
    external
    frozenWhilePaused
  {
    uint256 x = chainSeed % 2;
    address investor = _actor(actorSeed);
    uint256 room = _room(x);
    // Mostly within the room left under the cap, sometimes just above it.
    amount = _bound(amount, 1, _min(room + room / 8 + 1, MAX_AMOUNT));
    bool admitted = !ghost_paused[x] && ghost_allowed[x][investor] && amount <= room;
    SettlementAtt memory a = _settlement(SUBSCRIPTION, investor, amount, _freshNonce(nonceSeed), 0);
    if (_deliverExpecting(x, encodeSettlement(a), _committeeSign(x, settlementStructHash(a)), a.nonce, admitted)) {
      ghost_subscribed += amount;
      ghost_minted[x] += amount;
      ghost_balance[x][investor] += amount;
      _afterMint(x);
    }
    ++calls["subscribe"];
  }

  function redeem(uint256 chainSeed, uint256 actorSeed, uint256 amount, uint256 nonceSeed) external frozenWhilePaused {
    uint256 x = chainSeed % 2;
    address investor = _actor(actorSeed);
    uint256 balance = s_holdings[x].balanceOf(investor);
    if (balance == 0) return;
    amount = _bound(amount, 1, balance);
    SettlementAtt memory a = _settlement(REDEMPTION, investor, amount, _freshNonce(nonceSeed), 0);
    // Burns are not gated by the allow-list, only by the pause.
    bytes memory sigs = _committeeSign(x, settlementStructHash(a));
    if (_deliverExpecting(x, encodeSettlement(a), sigs, a.nonce, !ghost_paused[x])) {
      ghost_redeemed += amount;
      ghost_burned[x] += amount;
      ghost_balance[x][investor] -= amount;
    }
    ++calls["redeem"];
  }

  /// @notice Move out on chain x, then move in on the other chain, in this one action (the oracle attests the move
  /// in only for a move out it saw applied). A move the destination cannot take is not routed; a move out of a
  /// paused chain is attempted and must be refused.
  function move(uint256 fromSeed, uint256 actorSeed, uint256 amount, uint256 nonceSeed) external frozenWhilePaused {
    uint256 x = fromSeed % 2;
    uint256 y = 1 - x;
    address investor = _actor(actorSeed);
    uint256 balance = s_holdings[x].balanceOf(investor);
    if (balance == 0) return;
    amount = _bound(amount, 1, balance);
    SettlementAtt memory out = _settlement(MOVE_OUT, investor, amount, _freshNonce(nonceSeed), s_chainIds[y]);
    bytes memory outSigs = _committeeSign(x, settlementStructHash(out));
    if (ghost_paused[x]) {
      _deliverExpecting(x, encodeSettlement(out), outSigs, out.nonce, false);
      return;
    }
    if (ghost_paused[y] || !ghost_allowed[y][investor] || amount > _room(y)) return;

    if (!_deliverExpecting(x, encodeSettlement(out), outSigs, out.nonce, true)) return;
    ghost_burned[x] += amount;
    ghost_balance[x][investor] -= amount;
    ghost_movedOut[x] += amount;

    SettlementAtt memory into = _settlement(MOVE_IN, investor, amount, _freshNonce(out.nonce), s_chainIds[x]);
    if (_deliverExpecting(y, encodeSettlement(into), _committeeSign(y, settlementStructHash(into)), into.nonce, true)) {
      ghost_minted[y] += amount;
      ghost_balance[y][investor] += amount;
      ghost_movedIn[y] += amount;
      _afterMint(y);
    }
    ++calls["move"];
  }

  /// @notice An investor's own ERC-20 transfer: balances move, supply does not.
  function transfer(uint256 chainSeed, uint256 fromSeed, uint256 toSeed, uint256 amount) external frozenWhilePaused {
    uint256 x = chainSeed % 2;
    address from = _actor(fromSeed);
    address to = _actor(toSeed);
    amount = _bound(amount, 0, s_holdings[x].balanceOf(from));
    bool admitted = !ghost_paused[x] && ghost_allowed[x][from] && ghost_allowed[x][to];
    vm.prank(from);
    try s_holdings[x].transfer(to, amount) {
      if (!admitted) ++ghost_invalidApplied;
      ghost_balance[x][from] -= amount;
      ghost_balance[x][to] += amount;
    } catch {
      if (admitted) ++ghost_validRejected;
    }
    ++calls["transfer"];
  }

  /// @notice A batch of up to four subscriptions on chain x under one root quorum.
  function subscribeBatch(uint256 chainSeed, uint256 count, uint256 amountSeed, uint256 nonceSeed)
    external
    frozenWhilePaused
  {
    uint256 x = chainSeed % 2;
    if (ghost_paused[x]) return;
    (SettlementAtt[] memory items, bytes[] memory messages, bool routable) =
      _drawBatch(x, _bound(count, 1, 4), amountSeed, nonceSeed);
    if (!routable) return;
    (bytes32 root, bytes32[][] memory proofs) = buildBatch(messages);
    bool applied = _deliverBatch(x, root, _committeeSign(x, batchStructHash(did, root)), messages, proofs);
    for (uint256 i; i < items.length; ++i) {
      _judge(x, items[i].nonce, applied, true);
      if (!applied) continue;
      _keepForReplay(x, messages[i], "", root, proofs[i]);
      ghost_subscribed += items[i].amount;
      ghost_minted[x] += items[i].amount;
      ghost_balance[x][items[i].investor] += items[i].amount;
    }
    if (applied) _afterMint(x);
    ++calls["subscribeBatch"];
  }

  /// @dev `n` subscriptions to allow-listed actors whose total fits under chain x's cap (else not routable).
  function _drawBatch(uint256 x, uint256 n, uint256 amountSeed, uint256 nonceSeed)
    internal
    returns (SettlementAtt[] memory items, bytes[] memory messages, bool routable)
  {
    items = new SettlementAtt[](n);
    messages = new bytes[](n);
    uint256 total;
    for (uint256 i; i < n; ++i) {
      uint256 h = uint256(keccak256(abi.encode(amountSeed, i)));
      address investor = _actor(h >> 128);
      if (!ghost_allowed[x][investor]) return (items, messages, false);
      uint256 amount = _bound(h, 1, MAX_AMOUNT / 4);
      total += amount;
      items[i] = _settlement(SUBSCRIPTION, investor, amount, _freshNonce(nonceSeed), 0);
      messages[i] = encodeSettlement(items[i]);
    }
    routable = total <= _room(x);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // NAV and admin attestations
  // ---------------------------------------------------------------------------------------------------------------

  /// @notice One NAV attestation, delivered to both chains (one nonce, a signature set per chain).
  function publishNav(uint256 navSeed, bool up, uint256 asOfGap, uint256 nonceSeed) external frozenWhilePaused {
    uint64 nonce = _freshNonce(nonceSeed);
    uint256 nav;
    uint64 asOf;
    if (ghost_navCount[0] == 0) {
      nav = _bound(navSeed, 1e8, 1e12);
      asOf = uint64(block.timestamp);
    } else {
      uint256 move_ = (ghost_lastNav[0] * _bound(navSeed, 0, maxMoveBps)) / 10_000;
      nav = up ? ghost_lastNav[0] + move_ : ghost_lastNav[0] - move_;
      asOf = ghost_lastAsOf[0] + uint64(_bound(asOfGap, 1, 7 days));
    }
    NavAtt memory n = NavAtt({did: did, nonce: nonce, nav: nav, asOf: asOf});
    for (uint256 x; x < 2; ++x) {
      if (_deliverExpecting(x, encodeNav(n), _committeeSign(x, navStructHash(n)), nonce, true)) {
        ++ghost_navCount[x];
        ghost_lastNav[x] = nav;
        ghost_lastAsOf[x] = asOf;
      }
    }
    ++calls["publishNav"];
  }

  function setAllowed(uint256 chainSeed, uint256 actorSeed, bool allowed, uint256 nonceSeed)
    external
    frozenWhilePaused
  {
    uint256 x = chainSeed % 2;
    address account = _actor(actorSeed);
    AllowListAtt memory a;
    a.did = did;
    a.nonce = _freshAdminNonce(nonceSeed);
    a.entries = new AllowEntry[](1);
    a.entries[0] = AllowEntry({account: account, allowed: allowed});
    bytes memory m = encodeAllowList(a);
    bool newer = _isNewer(s_newestAllow[x][account], a.nonce);
    if (_deliverExpecting(x, m, _committeeSign(x, adminStructHash(m)), a.nonce, true) && newer) {
      ghost_allowed[x][account] = allowed;
      s_newestAllow[x][account] = uint256(a.nonce) + 1;
    }
    if (s_holdings[x].isAllowed(account) != ghost_allowed[x][account]) ++ghost_adminOrderMismatch;
    ++calls["setAllowed"];
  }

  /// @dev Pauses one time in four (seeds hashed, as fuzzers favour edge values), so both chains are usually open.
  function setPaused(uint256 chainSeed, uint256 pauseSeed, uint256 nonceSeed) external {
    uint256 x = chainSeed % 2;
    bool paused = uint256(keccak256(abi.encode(pauseSeed))) % 4 == 0;
    uint64 nonce = _freshAdminNonce(nonceSeed);
    bytes memory m = encodePause(PauseAtt({did: did, nonce: nonce, paused: paused}));
    bytes32 before = _fingerprint(x);
    bool newer = _isNewer(s_newestPause[x], nonce);
    if (_deliverExpecting(x, m, _committeeSign(x, adminStructHash(m)), nonce, true) && newer) {
      ghost_paused[x] = paused;
      s_newestPause[x] = uint256(nonce) + 1;
    }
    if (s_holdings[x].paused() != ghost_paused[x]) ++ghost_adminOrderMismatch;
    if (_fingerprint(x) != before) ++ghost_changedWhilePaused; // a pause attestation moves nothing itself
    ++calls["setPaused"];
  }

  /// @notice One reserve attestation listing both chains and a third one, delivered to both; sometimes its caps
  /// over-commit the reserve and both chains must refuse it. Caps are drawn around each chain's supply, so some are
  /// set below it.
  function attestReserve(
    uint256 reserveSeed,
    uint256 capSeed0,
    uint256 capSeed1,
    uint256 otherSeed,
    bool overCommit,
    uint256 gap,
    uint256 nonceSeed
  ) external frozenWhilePaused {
    uint256[2] memory supply = [s_holdings[0].totalSupply(), s_holdings[1].totalSupply()];
    (ReserveAtt memory r, bool admitted) =
      _drawReserve(supply, [capSeed0, capSeed1, otherSeed], reserveSeed, overCommit, gap, nonceSeed);
    bytes memory m = encodeReserve(r);
    bool[2] memory applied;
    for (uint256 x; x < 2; ++x) {
      applied[x] = _deliverExpecting(x, m, _committeeSign(x, adminStructHash(m)), r.nonce, admitted);
      if (applied[x]) {
        ghost_cap[x] = r.caps[x].cap;
        ghost_supplyAtCapSet[x] = supply[x];
      }
    }
    if (applied[0] && applied[1]) {
      ghost_reserve = r.reserve;
      ghost_otherCap = r.caps[2].cap;
      ghost_reserveAsOf = r.asOf;
    }
    ++calls["attestReserve"];
  }

  /// @dev Caps of [chain 0, chain 1, other chain]; the reserve covers their sum unless `overCommit`.
  function _drawReserve(
    uint256[2] memory supply,
    uint256[3] memory capSeeds,
    uint256 reserveSeed,
    bool overCommit,
    uint256 gap,
    uint256 nonceSeed
  ) internal returns (ReserveAtt memory r, bool admitted) {
    r.caps = new CapEntry[](3);
    // Honest ceilings, as the oracle reads them: each chain's supply or cap in force, whichever is higher.
    for (uint256 x; x < 2; ++x) {
      uint256 capInForce = s_holdings[x].supplyCap();
      uint128 ceiling = uint128(supply[x] > capInForce ? supply[x] : capInForce);
      r.caps[x] = CapEntry({chainId: s_chainIds[x], cap: _drawCap(capSeeds[x], supply[x]), ceiling: ceiling});
    }
    uint128 otherCap = uint128(uint256(keccak256(abi.encode(capSeeds[2]))) % 1e26);
    r.caps[2] = CapEntry({chainId: otherChainId, cap: otherCap, ceiling: ghost_otherCap});
    uint256 sum = uint256(r.caps[0].cap) + r.caps[1].cap + r.caps[2].cap;
    uint256 covered;
    for (uint256 i; i < 3; ++i) {
      covered += r.caps[i].cap > r.caps[i].ceiling ? r.caps[i].cap : r.caps[i].ceiling;
    }
    // Admitted: the reserve covers every chain's reach, so a raise applies on both; else the caps over-commit it.
    admitted = !(overCommit && sum > 0);
    r.reserve = admitted ? _bound(reserveSeed, covered, covered + 1e26) : _bound(reserveSeed, 0, sum - 1);
    r.did = did;
    r.nonce = _freshNonce(nonceSeed);
    r.asOf = ghost_reserveAsOf + uint64(_bound(gap, 1, 7 days));
  }

  /// @dev One cap in four below the chain's supply (it then only stops mints), the others leave room to mint.
  function _drawCap(uint256 seed, uint256 supply) internal pure returns (uint128) {
    uint256 h = uint256(keccak256(abi.encode(seed)));
    if (h % 4 == 0) return uint128(supply / 2 + (h >> 8) % (supply / 2 + 1));
    return uint128(supply + 1e22 + (h >> 8) % 1e26);
  }

  /// @notice A config that hands the DID to the other committee, signed by the one in office, on both chains.
  function rotateCommittee(uint256 nonceSeed) external frozenWhilePaused {
    uint64 nonce = _freshAdminNonce(nonceSeed);
    uint256 next = 1 - currentCommittee;
    bytes memory m = _configMessage(nonce, addressesOf(s_committees[next]));
    bool newer = _isNewer(s_newestConfig, nonce);
    bool[2] memory applied;
    for (uint256 x; x < 2; ++x) {
      applied[x] = _deliverExpecting(x, m, _committeeSign(x, adminStructHash(m)), nonce, true);
    }
    if (applied[0] && applied[1] && newer) {
      currentCommittee = next;
      s_newestConfig = uint256(nonce) + 1;
      ++ghost_rotations;
    }
    for (uint256 x; x < 2; ++x) {
      if (!s_receivers[x].isSigner(did, vm.addr(s_committees[currentCommittee][0]))) ++ghost_adminOrderMismatch;
    }
    ++calls["rotateCommittee"];
  }

  // ---------------------------------------------------------------------------------------------------------------
  // hostile relayer
  // ---------------------------------------------------------------------------------------------------------------

  /// @notice An attestation that carries no valid quorum for where it is delivered, in one of nine ways.
  function attemptForged(uint256 mode, uint256 chainSeed, uint256 amount, uint256 nonceSeed)
    external
    frozenWhilePaused
  {
    uint256 x = chainSeed % 2;
    mode = _bound(mode, 0, 8);
    amount = _bound(amount, 1, MAX_AMOUNT);
    uint64 nonce = _freshNonce(nonceSeed);
    uint256[] memory rotatedOut = s_committees[1 - currentCommittee];
    SettlementAtt memory a = _settlement(SUBSCRIPTION, attacker, amount, nonce, 0);
    bytes memory m = encodeSettlement(a);
    bytes memory sigs;
    if (mode == 0) {
      sigs = _signAt(x, settlementStructHash(a), s_outsiders);
    } else if (mode == 1) {
      sigs = _signAt(x, settlementStructHash(a), rotatedOut);
    } else if (mode == 2) {
      sigs = _committeeSign(1 - x, settlementStructHash(a)); // valid, for the other chain
    } else if (mode == 3) {
      a = _settlement(SUBSCRIPTION, _actor(amount), amount, nonce, 0);
      sigs = _committeeSign(x, settlementStructHash(a));
      a.amount = amount + 1; // inflated after signing
      m = encodeSettlement(a);
    } else if (mode == 4) {
      AllowListAtt memory al;
      (al.did, al.nonce, al.entries) = (did, nonce, new AllowEntry[](1));
      al.entries[0] = AllowEntry({account: attacker, allowed: true});
      m = encodeAllowList(al);
      sigs = _signAt(x, adminStructHash(m), s_governance); // governance only introduces DIDs
    } else if (mode == 5) {
      CapEntry[] memory caps = new CapEntry[](1);
      caps[0] = CapEntry({chainId: s_chainIds[x], cap: type(uint128).max, ceiling: 0});
      m = encodeReserve(
        ReserveAtt({did: did, nonce: nonce, reserve: type(uint256).max, asOf: ghost_reserveAsOf + 1, caps: caps})
      );
      sigs = _signAt(x, adminStructHash(m), s_outsiders);
    } else if (mode == 6) {
      m = _configMessage(nonce, addressesOf(s_outsiders));
      sigs = _signAt(x, adminStructHash(m), rotatedOut);
    } else if (mode == 7) {
      m = encodePause(PauseAtt({did: did, nonce: nonce, paused: !ghost_paused[x]}));
      sigs = _signAt(x, adminStructHash(m), s_outsiders);
    } else {
      bytes[] memory items = new bytes[](1);
      items[0] = m;
      (bytes32 root, bytes32[][] memory proofs) = buildBatch(items);
      bool batchApplied = _deliverBatch(x, root, _signAt(x, batchStructHash(did, root), s_outsiders), items, proofs);
      _judge(x, nonce, batchApplied, false);
      ++calls["attemptForged"];
      return;
    }
    _deliverExpecting(x, m, sigs, nonce, false);
    ++calls["attemptForged"];
  }

  /// @notice Redeliver an applied attestation (or batch item), on its own chain or on the other one.
  function attemptReplay(uint256 index, bool otherChain) external frozenWhilePaused {
    uint256 count = s_replayChain.length;
    if (count == 0) return;
    index = _bound(index, 0, count - 1);
    uint256 x = otherChain ? 1 - s_replayChain[index] : s_replayChain[index];
    bool applied;
    if (s_replayRoot[index] == bytes32(0)) {
      applied = _deliver(x, s_replayMessage[index], s_replaySigs[index]);
    } else {
      bytes[] memory items = new bytes[](1);
      items[0] = s_replayMessage[index];
      bytes32[][] memory proofs = new bytes32[][](1);
      proofs[0] = s_replayProof[index];
      applied = _deliverBatch(x, s_replayRoot[index], "", items, proofs);
    }
    if (applied) ++ghost_invalidApplied;
    ++calls["attemptReplay"];
  }

  function _min(uint256 a, uint256 b) internal pure returns (uint256) {
    return a < b ? a : b;
  }
}
