// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {RwaReceiver} from "../../../src/RwaReceiver.sol";
import {RwaHoldings} from "../../../src/RwaHoldings.sol";
import {AttestationSigner} from "../../helpers/AttestationSigner.sol";

/// @notice Drives one DID with brakes (both buckets and the amount line, set by the invariant's setUp): settlements
/// of random direction, size and investor (signed with the large threshold above the line), settlements above the
/// line signed with the lower threshold, drains by anyone of any size, and time. Keeps a model of each direction's
/// queue and a log of every application (time, amount) for the window bound.
contract BrakesHandler is CommonBase, StdUtils, AttestationSigner {
  uint128 public constant MINT_CAP = 1_000e6;
  uint128 public constant MINT_REFILL = 1e6;
  uint128 public constant BURN_CAP = 800e6;
  uint128 public constant BURN_REFILL = 2e6;
  uint128 public constant LINE = 600e6;

  RwaReceiver public immutable receiver;
  RwaHoldings public immutable holdings;
  bytes32 public immutable did;
  address[2] internal s_investors;
  uint256[] internal s_quorumKeys;
  uint256[] internal s_allKeys;
  uint64 internal s_nonce = 1_000;

  // ---- model: per direction, the queue (head first) ----
  mapping(uint8 direction => uint256[]) internal s_queuedAmounts;
  mapping(uint8 direction => uint256) public modelHead;
  uint256 public modelEscrow;

  // ---- ghosts ----
  /// @dev Every application per direction, in order: when and how much.
  mapping(uint8 direction => uint256[]) public appliedAt;
  mapping(uint8 direction => uint256[]) public appliedAmount;
  uint256 public ghost_accepted;
  uint256 public ghost_direct;
  uint256 public ghost_drained;
  /// @dev A settlement applied directly while its direction's queue was not empty (must stay 0).
  uint256 public ghost_jumpedQueue;
  /// @dev The chain disagreed with the model on what a call applied (must stay 0).
  uint256 public ghost_mismatches;
  /// @dev An amount above the line applied with the lower threshold (must stay 0).
  uint256 public ghost_largeWithLowThreshold;
  int256 public ghost_netMinted;
  uint64[] internal s_acceptedNonces;

  constructor(RwaReceiver receiver_, bytes32 did_, uint256[] memory quorumKeys_, uint256[] memory allKeys_, address[2] memory investors_) {
    receiver = receiver_;
    did = did_;
    holdings = receiver_.didState(did_).holdings;
    s_quorumKeys = quorumKeys_;
    s_allKeys = allKeys_;
    s_investors = investors_;
  }

  function _att(uint8 direction, address investor, uint256 amount) internal returns (SettlementAtt memory a) {
    uint64 nonce = s_nonce++;
    a = SettlementAtt({
      did: did,
      nonce: nonce,
      settlementKind: direction == 0 ? SUBSCRIPTION : REDEMPTION,
      settlementRef: keccak256(abi.encode("brakes-ref", nonce)),
      investor: investor,
      amount: amount,
      cashLegRef: keccak256(abi.encode("cash", nonce)),
      settledAt: uint64(block.timestamp),
      peerChainId: 0
    });
  }

  function _sigs(SettlementAtt memory a, bool large) internal view returns (bytes memory) {
    return signSorted(settlementDigest(a, block.chainid, address(receiver)), large ? s_allKeys : s_quorumKeys);
  }

  function queuedInModel(uint8 direction) public view returns (uint256) {
    return s_queuedAmounts[direction].length - modelHead[direction];
  }

  function settle(uint256 directionSeed, uint256 amountSeed, uint256 investorSeed) external {
    uint8 direction = uint8(directionSeed % 2);
    uint256 amount = bound(amountSeed, 1, direction == 0 ? MINT_CAP : BURN_CAP);
    SettlementAtt memory a = _att(direction, s_investors[investorSeed % 2], amount);
    bytes memory sigs = _sigs(a, amount > LINE);
    bool queueBefore = queuedInModel(direction) != 0;
    uint256 supplyBefore = holdings.totalSupply();
    (, uint64 tailBefore) = receiver.queuedOf(did, direction);
    try receiver.receiveMessage(encodeSettlement(a), sigs) {}
    catch {
      // A burn beyond the investor's units: nothing consumed.
      if (receiver.isNonceUsed(did, a.nonce)) ++ghost_mismatches;
      return;
    }
    ++ghost_accepted;
    s_acceptedNonces.push(a.nonce);
    (, uint64 tailAfter) = receiver.queuedOf(did, direction);
    if (tailAfter == tailBefore + 1) {
      s_queuedAmounts[direction].push(amount);
      if (direction == 1) modelEscrow += amount;
      if (holdings.totalSupply() != supplyBefore) ++ghost_mismatches;
      return;
    }
    if (queueBefore) ++ghost_jumpedQueue;
    ++ghost_direct;
    _applied(direction, amount, supplyBefore);
  }

  function settleLargeWithLowThreshold(uint256 directionSeed, uint256 amountSeed) external {
    uint8 direction = uint8(directionSeed % 2);
    uint256 amount = bound(amountSeed, uint256(LINE) + 1, direction == 0 ? MINT_CAP : BURN_CAP);
    SettlementAtt memory a = _att(direction, s_investors[0], amount);
    try receiver.receiveMessage(encodeSettlement(a), _sigs(a, false)) {
      ++ghost_largeWithLowThreshold;
    } catch {}
  }

  function drain(uint256 directionSeed, uint256 maxItems) external {
    uint8 direction = uint8(directionSeed % 2);
    maxItems = bound(maxItems, 0, 8);
    uint256 supplyBefore = holdings.totalSupply();
    uint256 applied = receiver.drainQueued(did, direction, maxItems);
    if (applied > maxItems || applied > queuedInModel(direction)) {
      ++ghost_mismatches;
      return;
    }
    uint256 sum;
    for (uint256 i; i < applied; ++i) {
      sum += s_queuedAmounts[direction][modelHead[direction]++];
    }
    if (direction == 1) modelEscrow -= sum;
    ghost_drained += applied;
    if (applied != 0) _applied(direction, sum, supplyBefore);
    (uint64 head,) = receiver.queuedOf(did, direction);
    if (head != modelHead[direction]) ++ghost_mismatches;
  }

  function warp(uint256 seconds_) external {
    vm.warp(block.timestamp + bound(seconds_, 0, 300));
  }

  function _applied(uint8 direction, uint256 amount, uint256 supplyBefore) internal {
    appliedAt[direction].push(block.timestamp);
    appliedAmount[direction].push(amount);
    uint256 supply = holdings.totalSupply();
    if (direction == 0) {
      ghost_netMinted += int256(amount);
      if (supply != supplyBefore + amount) ++ghost_mismatches;
    } else {
      ghost_netMinted -= int256(amount);
      if (supply + amount != supplyBefore) ++ghost_mismatches;
    }
  }

  function applications(uint8 direction) external view returns (uint256) {
    return appliedAt[direction].length;
  }

  function acceptedNonces() external view returns (uint64[] memory) {
    return s_acceptedNonces;
  }
}
