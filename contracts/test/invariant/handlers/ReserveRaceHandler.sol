// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {RwaReceiver} from "../../../src/RwaReceiver.sol";
import {RwaHoldings} from "../../../src/RwaHoldings.sol";
import {AttestationSigner} from "../../helpers/AttestationSigner.sol";

/// @notice Two chains, one DID; the oracle issues reserves and mints, a relayer delivers any pending message to its
/// chain in any order, any number of times. The oracle is honest and follows oracle/reserve.ts: each chain's ceiling
/// is the most it can reach before the new reserve lands (its supply, its cap in force, and the caps of reserves
/// issued to it that it has not applied yet). Reserves only grow, so the newest issued one is the bound to check.
contract ReserveRaceHandler is CommonBase, StdUtils, AttestationSigner {
  uint64 internal constant NONCE_BASE = (1 << 63) + (1 << 40); // above the fixture's admin nonces
  uint256 internal constant MAX_PENDING = 24;

  struct Pending {
    uint256 x;
    bytes message;
    bytes sigs;
    uint64 asOf; // 0 for a mint
    uint128 cap; // the reserve's cap for chain x
  }

  RwaReceiver[2] internal s_receivers;
  RwaHoldings[2] internal s_holdings;
  uint64[2] internal s_chainIds;
  bytes32 public immutable did;
  address public immutable investor;
  uint256[] internal s_keys;

  Pending[] internal s_pending;
  uint64 internal s_nonce = NONCE_BASE;
  uint64 internal s_asOf;

  uint256 public reserve;
  uint256 public ghost_raisesApplied;
  uint256 public ghost_mintsApplied;
  uint256 public ghost_reservesIssued;

  constructor(RwaReceiver[2] memory receivers, uint64[2] memory chainIds, bytes32 did_, uint256[] memory keys, address investor_, uint256 reserve_, uint64 asOf)
  {
    (s_receivers, s_chainIds, did, s_keys, investor, reserve, s_asOf) =
      (receivers, chainIds, did_, keys, investor_, reserve_, asOf);
    for (uint256 x; x < 2; ++x) {
      s_holdings[x] = receivers[x].didState(did_).holdings;
    }
  }

  function _ceiling(uint256 x) internal view returns (uint256 c) {
    uint256 supply = s_holdings[x].totalSupply();
    uint256 cap = s_holdings[x].supplyCap();
    c = supply > cap ? supply : cap;
    uint64 applied = s_receivers[x].reserveAsOf(did);
    for (uint256 i; i < s_pending.length; ++i) {
      Pending storage p = s_pending[i];
      if (p.x == x && p.asOf > applied && p.cap > c) c = p.cap;
    }
  }

  function _push(uint256 x, bytes memory m, bytes32 digest, uint64 asOf, uint128 cap) internal {
    if (s_pending.length >= MAX_PENDING) return;
    s_pending.push(Pending({x: x, message: m, sigs: signSorted(digest, s_keys), asOf: asOf, cap: cap}));
  }

  /// @notice The custodian reports a reserve (never lower than the last); the oracle splits it and queues it for both.
  function issueReserve(uint256 growth) external {
    uint256 r = reserve + _bound(growth, 0, 200e6);
    uint256[2] memory ceilings = [_ceiling(0), _ceiling(1)];
    uint256[2] memory supplies = [s_holdings[0].totalSupply(), s_holdings[1].totalSupply()];
    uint256 committed = ceilings[0] + ceilings[1];
    CapEntry[] memory caps = new CapEntry[](2);
    for (uint256 x; x < 2; ++x) {
      uint256 cap;
      if (r >= committed) cap = supplies[x] + (r - committed) / 2;
      else cap = _min(ceilings[x], supplies[x] + (r - supplies[0] - supplies[1]) / 2);
      caps[x] = CapEntry({chainId: s_chainIds[x], cap: uint128(cap), ceiling: uint128(ceilings[x])});
    }
    reserve = r;
    uint64 asOf = ++s_asOf;
    bytes memory m = encodeReserve(ReserveAtt({did: did, nonce: s_nonce++, reserve: r, asOf: asOf, caps: caps}));
    for (uint256 x; x < 2; ++x) {
      _push(x, m, adminDigest(m, s_chainIds[x], address(s_receivers[x])), asOf, caps[x].cap);
    }
    ++ghost_reservesIssued;
  }

  /// @notice The oracle signs a subscription for chain x (the cap in force when it lands decides).
  function issueMint(uint256 chainSeed, uint256 amount) external {
    uint256 x = chainSeed % 2;
    SettlementAtt memory a = SettlementAtt({
      did: did,
      nonce: s_nonce++,
      settlementKind: 1,
      settlementRef: keccak256(abi.encode(s_nonce)),
      investor: investor,
      amount: _bound(amount, 1, 300e6),
      cashLegRef: bytes32(uint256(1)),
      settledAt: s_asOf,
      peerChainId: 0
    });
    _push(x, encodeSettlement(a), settlementDigest(a, s_chainIds[x], address(s_receivers[x])), 0, 0);
  }

  /// @notice Anyone delivers any pending message; applied or stale ones leave the queue, refused mints stay.
  function deliver(uint256 indexSeed) external {
    if (s_pending.length == 0) return;
    uint256 i = indexSeed % s_pending.length;
    Pending memory p = s_pending[i];
    uint256 capBefore = s_holdings[p.x].supplyCap();
    vm.chainId(s_chainIds[p.x]);
    bool ok;
    try s_receivers[p.x].receiveMessage(p.message, p.sigs) {
      ok = true;
    } catch {}
    if (ok && p.asOf != 0 && s_holdings[p.x].supplyCap() > capBefore) ++ghost_raisesApplied;
    if (ok && p.asOf == 0) ++ghost_mintsApplied;
    bool stale = p.asOf != 0 && p.asOf <= s_receivers[p.x].reserveAsOf(did);
    if (ok || stale) {
      s_pending[i] = s_pending[s_pending.length - 1];
      s_pending.pop();
    }
  }

  function totalSupply() external view returns (uint256) {
    return s_holdings[0].totalSupply() + s_holdings[1].totalSupply();
  }

  function _min(uint256 a, uint256 b) internal pure returns (uint256) {
    return a < b ? a : b;
  }
}
