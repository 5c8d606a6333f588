// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {RwaReceiver} from "../../../src/RwaReceiver.sol";
import {AttestationSigner} from "../../helpers/AttestationSigner.sol";
import {BuyBackAttestations} from "../../helpers/BuyBackAttestations.sol";

/// @notice Buy-back reports (kind 17) and hub stages (kind 8) for one DID on two receivers standing for two chains:
/// reports with as-of times forward, equal and backward, each delivered to one chain, the other or both, and again
/// later to the chain that missed it; the clock moves up to two days a step. Ghosts: per chain, the report with the
/// greatest asOf it received (the one it must show) and the hub stage it holds.
contract BuyBackHandler is CommonBase, StdUtils, AttestationSigner, BuyBackAttestations {
  uint64 internal constant NONCE_BASE = uint64(1 << 60);
  uint8 internal constant KIND_STAGE = 8;

  bytes32 public immutable did;
  RwaReceiver[2] internal s_receivers;
  uint64[2] internal s_chainIds;
  uint256[] internal s_keys;

  BuyBackAtt[] internal s_reports;
  mapping(uint256 chain => mapping(uint256 index => bool)) internal s_delivered;
  /// @dev Per chain: index + 1 of the report with the greatest asOf delivered there (0: none).
  uint256[2] public ghost_best;
  uint8[2] public ghost_hubStage;
  uint64 internal s_stageSeq;
  uint64 internal s_nonce = NONCE_BASE;
  uint256 public ghost_superseded;

  constructor(RwaReceiver[2] memory receivers, uint64[2] memory chainIds, bytes32 did_, uint256[] memory quorumKeys) {
    s_receivers = receivers;
    s_chainIds = chainIds;
    did = did_;
    s_keys = quorumKeys;
  }

  function report(uint64 back, uint128 poolCash, uint128 assetPool, uint128 open, uint32 lcr, uint16 share, uint16 bBand, uint16 cBand, bool staleFloor, uint8 chains) external {
    uint64 asOf = uint64(block.timestamp) - uint64(bound(back, 0, 3 days));
    // Bands around the interesting values: 70% and 100%, and an unbounded LCR now and then.
    lcr = lcr % 8 == 0 ? UNBOUNDED : uint32(bound(lcr, 0, 20_000));
    bBand = uint16(bound(bBand, 0, 12_000));
    cBand = uint16(bound(cBand, 0, bBand));
    BuyBackAtt memory a = BuyBackAtt({
      did: did,
      nonce: s_nonce++,
      asOf: asOf,
      poolCash: uint128(bound(poolCash, 0, 1e30)),
      assetPoolValue: uint128(bound(assetPool, 0, 1e32)),
      openRequests: uint128(bound(open, 0, 1e30)),
      liquidAssets: 1,
      outflows: 1,
      lcrBps: lcr,
      minShareBps: uint16(bound(share, 0, 10_000)),
      stageBBelowBps: bBand,
      stageCBelowBps: cBand,
      staleFloor: staleFloor ? 1 : 0
    });
    s_reports.push(a);
    uint256 mask = bound(chains, 1, 3);
    for (uint256 x; x < 2; ++x) {
      if (mask & (1 << x) != 0) _deliver(x, s_reports.length - 1);
    }
  }

  /// @dev A report one chain missed, delivered late (out of order with what it received since).
  function deliverLate(uint256 index, uint8 chain) external {
    if (s_reports.length == 0) return;
    index = bound(index, 0, s_reports.length - 1);
    uint256 x = chain % 2;
    if (s_delivered[x][index]) x = 1 - x;
    if (s_delivered[x][index]) return;
    _deliver(x, index);
  }

  /// @dev The hub's stage (kind 8), to both chains.
  function setHubStage(uint8 stage) external {
    stage = uint8(bound(stage, 1, 3));
    uint64 seq = ++s_stageSeq;
    for (uint256 x; x < 2; ++x) {
      bytes memory m = abi.encodePacked(uint8(1), KIND_STAGE, did, s_nonce, stage, seq, uint64(block.timestamp), uint8(stage == 1 ? 0 : 1), uint256(0), uint256(1));
      _send(x, m);
      ghost_hubStage[x] = stage;
    }
    ++s_nonce;
  }

  function advanceTime(uint32 secs) external {
    vm.warp(block.timestamp + bound(secs, 1, 2 days));
  }

  function _deliver(uint256 x, uint256 index) internal {
    BuyBackAtt memory a = s_reports[index];
    _send(x, encodeBuyBack(a));
    s_delivered[x][index] = true;
    uint256 best = ghost_best[x];
    if (best == 0 || a.asOf > s_reports[best - 1].asOf) ghost_best[x] = index + 1;
    else ++ghost_superseded;
  }

  function _send(uint256 x, bytes memory m) internal {
    uint256 chainBefore = block.chainid;
    vm.chainId(s_chainIds[x]);
    bytes memory sigs = signSorted(adminDigest(m, s_chainIds[x], address(s_receivers[x])), s_keys);
    s_receivers[x].receiveMessage(m, sigs);
    vm.chainId(chainBefore);
  }

  function reportAt(uint256 index) external view returns (BuyBackAtt memory) {
    return s_reports[index];
  }
}
