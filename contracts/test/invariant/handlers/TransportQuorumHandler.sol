// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {RwaReceiver} from "../../../src/RwaReceiver.sol";
import {RwaTransportQuorum} from "../../../src/RwaTransportQuorum.sol";
import {AttestationSigner} from "../../helpers/AttestationSigner.sol";

/// @notice Drives one gated DID on one receiver: a pool of subscriptions delivered through random transports in any
/// order (repeats and transports outside the rule included), rule changes (kind 12, themselves delivered under the
/// rule in force), and deliveries with forged signatures. Keeps a model of the gate (per message: the transports that
/// arrived, applied or not) and counts every disagreement with the chain in ghosts.
contract TransportQuorumHandler is CommonBase, StdUtils, AttestationSigner {
  uint8 internal constant CCTP = 1;
  uint8 internal constant CCIP = 2;
  uint8 internal constant WORMHOLE = 4;
  uint256 internal constant POOL = 6;
  /// @dev The handler's kind-12 nonces, increasing and above the fixture's admin nonces (2^63 + n, among them the
  /// setUp's rule: an older rule is superseded) and away from the pool's 1..POOL.
  uint64 internal constant RULE_NONCE_BASE = (1 << 63) + (1 << 40);

  RwaReceiver public immutable receiver;
  RwaTransportQuorum public immutable gate;
  bytes32 public immutable did;
  address public immutable investor;
  address internal immutable i_relayer;
  address internal immutable i_ccip;
  address internal immutable i_wormhole;

  uint256[] internal s_quorumKeys;
  uint256[] internal s_outsiderKeys;
  bytes[] internal s_messages;
  bytes[] internal s_sigs;
  uint64 internal s_ruleNonce = RULE_NONCE_BASE;

  // ---- model ----
  uint8 public ruleK;
  uint8 public ruleMask;
  mapping(uint256 index => uint8) public modelArrived;
  mapping(uint256 index => bool) public modelApplied;

  // ---- ghosts ----
  /// @dev Applies observed per message (must stay <= 1).
  mapping(uint256 index => uint256) public ghost_applies;
  /// @dev An apply observed while fewer than k transports of the mask in force had delivered (must stay 0).
  uint256 public ghost_earlyApplies;
  /// @dev The chain and the model disagreed on revert / record / apply (must stay 0: guards the handler too).
  uint256 public ghost_mismatches;
  uint256 public ghost_forgedSucceeded;
  uint256 public ghost_appliedAmount;
  uint256 public ghost_ruleChanges;
  mapping(string action => uint256) public calls;

  constructor(
    RwaReceiver receiver_,
    bytes32 did_,
    uint256[] memory quorumKeys_,
    uint256[] memory outsiderKeys_,
    address investor_,
    address[3] memory callers // the relayer (cctp), the CCIP adapter, the Wormhole adapter
  ) {
    receiver = receiver_;
    gate = receiver_.transportQuorum();
    did = did_;
    investor = investor_;
    (i_relayer, i_ccip, i_wormhole) = (callers[0], callers[1], callers[2]);
    s_quorumKeys = quorumKeys_;
    s_outsiderKeys = outsiderKeys_;
    (ruleK, ruleMask) = receiver_.transportQuorumOf(did_);
    for (uint256 i; i < POOL; ++i) {
      SettlementAtt memory a = _subscription(i);
      s_messages.push(encodeSettlement(a));
      s_sigs.push(signSorted(settlementDigest(a, block.chainid, address(receiver_)), quorumKeys_));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // actions
  // ---------------------------------------------------------------------------------------------------------------

  /// @notice One arrival of pool message `index` through one transport.
  function deliver(uint256 indexSeed, uint256 transportSeed) external {
    uint256 i = _bound(indexSeed, 0, POOL - 1);
    uint8 bit = uint8(1 << _bound(transportSeed, 0, 2));
    bool refused = bit & ruleMask == 0 || modelArrived[i] & bit != 0;
    bool usedBefore = _used(i);
    vm.prank(_callerFor(bit));
    try receiver.receiveMessage(s_messages[i], s_sigs[i]) {
      if (refused) ++ghost_mismatches;
      _recorded(i, bit, usedBefore);
    } catch {
      if (!refused) ++ghost_mismatches;
    }
    ++calls["deliver"];
  }

  function _recorded(uint256 i, uint8 bit, bool usedBefore) internal {
    uint8 arrived = modelArrived[i] | bit;
    modelArrived[i] = arrived;
    bool expectApply = !modelApplied[i] && _popcount(arrived & ruleMask) >= ruleK;
    bool applied = !usedBefore && _used(i);
    if (applied != expectApply) ++ghost_mismatches;
    if (applied) {
      if (_popcount(arrived & ruleMask) < ruleK) ++ghost_earlyApplies;
      ++ghost_applies[i];
      modelApplied[i] = true;
      ghost_appliedAmount += _amount(i);
    }
  }

  /// @notice A delivery of pool message `index` whose signatures are not the committee's: refused on any transport,
  /// recorded nowhere.
  function deliverForged(uint256 indexSeed, uint256 transportSeed, uint256 mode) external {
    uint256 i = _bound(indexSeed, 0, POOL - 1);
    uint8 bit = uint8(1 << _bound(transportSeed, 0, 2));
    bytes memory sigs;
    if (_bound(mode, 0, 1) == 0) {
      sigs = signSorted(
        settlementDigest(_subscription(i), block.chainid, address(receiver)), firstKeys(s_outsiderKeys, s_quorumKeys.length)
      );
    } else {
      sigs = new bytes(65 * s_quorumKeys.length);
    }
    vm.prank(_callerFor(bit));
    try receiver.receiveMessage(s_messages[i], sigs) {
      ++ghost_forgedSucceeded;
    } catch {}
    ++calls["deliverForged"];
  }

  /// @notice A new rule k of a mask (always gated, both adapters bound), delivered through the transports of the rule
  /// in force until it applies.
  function changeRule(uint256 kSeed, uint256 maskSeed) external {
    uint8 mask = uint8(_bound(maskSeed, 1, 7));
    uint8 k = uint8(_bound(kSeed, 1, _popcount(mask)));
    bytes memory rule = abi.encodePacked(uint8(1), uint8(12), did, s_ruleNonce++, uint64(block.chainid), k, mask);
    bytes memory sigs = signSorted(adminDigest(rule, block.chainid, address(receiver)), s_quorumKeys);
    uint8 sent;
    for (uint8 bit = 1; bit <= WORMHOLE && _popcount(sent) < ruleK; bit <<= 1) {
      if (ruleMask & bit == 0) continue;
      vm.prank(_callerFor(bit));
      try receiver.receiveMessage(rule, sigs) {
        sent |= bit;
      } catch {
        ++ghost_mismatches;
        return;
      }
    }
    (uint8 gotK, uint8 gotMask) = receiver.transportQuorumOf(did);
    if (gotK != k || gotMask != mask) {
      ++ghost_mismatches;
      return;
    }
    (ruleK, ruleMask) = (k, mask);
    ++ghost_ruleChanges;
    ++calls["changeRule"];
  }

  // ---------------------------------------------------------------------------------------------------------------
  // views for the invariant contract
  // ---------------------------------------------------------------------------------------------------------------

  function poolSize() external pure returns (uint256) {
    return POOL;
  }

  function messageAt(uint256 i) external view returns (bytes memory) {
    return s_messages[i];
  }

  function nonceAt(uint256 i) public pure returns (uint64) {
    return uint64(i + 1);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // internals
  // ---------------------------------------------------------------------------------------------------------------

  function _callerFor(uint8 bit) internal view returns (address) {
    if (bit == CCIP) return i_ccip;
    if (bit == WORMHOLE) return i_wormhole;
    return i_relayer;
  }

  function _used(uint256 i) internal view returns (bool) {
    return receiver.isNonceUsed(did, nonceAt(i));
  }

  function _amount(uint256 i) internal pure returns (uint256) {
    return (i + 1) * 1e6;
  }

  function _subscription(uint256 i) internal view returns (SettlementAtt memory) {
    return SettlementAtt({
      did: did,
      nonce: nonceAt(i),
      settlementKind: SUBSCRIPTION,
      settlementRef: keccak256(abi.encode("ref", i)),
      investor: investor,
      amount: _amount(i),
      cashLegRef: keccak256(abi.encode("cash", i)),
      settledAt: uint64(block.timestamp),
      peerChainId: 0
    });
  }

  function _popcount(uint8 bits) internal pure returns (uint8) {
    return (bits & 1) + ((bits >> 1) & 1) + ((bits >> 2) & 1);
  }
}
