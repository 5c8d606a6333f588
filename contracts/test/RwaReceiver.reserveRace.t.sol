// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {RwaHoldings} from "../src/RwaHoldings.sol";
import {RwaNavFeed} from "../src/RwaNavFeed.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice Issue 17, item 5: the reserve race across two chains. Caps split from a supply snapshot let a mint signed
/// under a chain's old cap land after the split while the other chain already mints into the budget the split moved
/// to it. A chain whose cap a reserve raises must check that every chain fits (sum of max(cap, ceiling)) and that it
/// is not past the ceiling the oracle assumed for it.
contract RwaReceiverReserveRaceTest is AttestationFixture {
  uint64 internal constant CHAIN_B = 8453;
  uint256 internal constant RESERVE = 1_000e6;

  uint64 internal chainA;
  RwaReceiver internal receiverB;
  RwaHoldings internal holdingsB;
  uint64 internal s_asOf = uint64(T0 + 1);

  function setUp() public override {
    super.setUp();
    chainA = uint64(block.chainid);
    vm.chainId(CHAIN_B);
    receiverB = new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL);
    RwaNavFeed feedB;
    (holdingsB, feedB) = configure(receiverB, DID, committeeKeys, THRESHOLD);
    vm.chainId(chainA);
    // Both chains start on 500 + 500 of a 1,000 reserve (a lowering from the fixture's large caps), 100 minted each.
    bytes memory r1 = _reserve(500e6, 500e6, type(uint128).max, type(uint128).max);
    _onA(r1, adminQuorumSigsFor(receiver, r1, chainA));
    _onB(r1, adminQuorumSigsFor(receiverB, r1, CHAIN_B));
    _mintA(100e6, 1);
    _mintB(100e6, 1);
  }

  // ---- helpers: one message per chain, signed for that chain's domain ----

  function adminQuorumSigsFor(RwaReceiver r, bytes memory m, uint64 chainId) internal returns (bytes memory sigs) {
    vm.chainId(chainId);
    sigs = adminSigs(r, m, quorumKeys());
    vm.chainId(chainA);
  }

  function _reserve(uint128 capA, uint128 capB, uint128 ceilingA, uint128 ceilingB) internal returns (bytes memory) {
    CapEntry[] memory caps = new CapEntry[](2);
    caps[0] = CapEntry({chainId: chainA, cap: capA, ceiling: ceilingA});
    caps[1] = CapEntry({chainId: CHAIN_B, cap: capB, ceiling: ceilingB});
    return encodeReserve(
      ReserveAtt({did: DID, nonce: nextAdminNonce(receiver, DID), reserve: RESERVE, asOf: s_asOf++, caps: caps})
    );
  }

  function _onA(bytes memory m, bytes memory sigs) internal returns (bool ok) {
    vm.chainId(chainA);
    try receiver.receiveMessage(m, sigs) {
      ok = true;
    } catch {}
  }

  function _onB(bytes memory m, bytes memory sigs) internal returns (bool ok) {
    vm.chainId(CHAIN_B);
    try receiverB.receiveMessage(m, sigs) {
      ok = true;
    } catch {}
    vm.chainId(chainA);
  }

  function _mintA(uint256 amount, uint64 nonce) internal returns (bool) {
    SettlementAtt memory a = subscriptionAtt(alice, amount, nonce);
    return _onA(encodeSettlement(a), signSorted(settlementDigest(a, chainA, address(receiver)), quorumKeys()));
  }

  function _mintB(uint256 amount, uint64 nonce) internal returns (bool) {
    SettlementAtt memory a = subscriptionAtt(bob, amount, nonce);
    return _onB(encodeSettlement(a), signSorted(settlementDigest(a, CHAIN_B, address(receiverB)), quorumKeys()));
  }

  function _sumOfSupplies() internal view returns (uint256) {
    return holdings.totalSupply() + holdingsB.totalSupply();
  }

  // ---- the race ----

  /// @dev The finding: the oracle splits 150 / 850 from the snapshot (100 / 100) while a 400 mint signed under A's
  /// old cap of 500 is in flight. B applies its raise and mints 750; the 400 lands on A; A's lower cap comes last.
  function test_reserveRace_SnapshotSplitCannotPushSupplyAboveTheReserve() public {
    bytes memory r2 = _reserve(150e6, 850e6, 100e6, 100e6); // ceilings = the snapshot's supplies
    (bytes memory sigsA, bytes memory sigsB) = (adminQuorumSigsFor(receiver, r2, chainA), adminQuorumSigsFor(receiverB, r2, CHAIN_B));

    _onB(r2, sigsB);
    _mintB(750e6, 2);
    _mintA(400e6, 2);
    _onA(r2, sigsA);

    assertLe(_sumOfSupplies(), RESERVE, "supply over both chains above the attested reserve");
  }

  function test_RevertWhen_reserve_RaiseOnAChainPastItsCeiling() public {
    bytes memory r2 = _reserve(150e6, 850e6, 100e6, 100e6);
    bytes memory sigs = adminQuorumSigsFor(receiverB, r2, CHAIN_B);
    vm.chainId(CHAIN_B);
    // B's cap in force is 500: its supply could reach 500 before this applies, not the 100 the oracle assumed.
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.ChainPastCeiling.selector, 500e6, 100e6));
    receiverB.receiveMessage(r2, sigs);
  }

  function test_RevertWhen_reserve_RaiseNotCoveredByEveryChainsReach() public {
    // Honest ceilings (each chain's cap in force): 150 + 850 would leave A able to reach 500 while B reaches 850.
    bytes memory r2 = _reserve(150e6, 850e6, 500e6, 500e6);
    bytes memory sigs = adminQuorumSigsFor(receiverB, r2, CHAIN_B);
    vm.chainId(CHAIN_B);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.RaiseNotCovered.selector, 1_350e6, RESERVE));
    receiverB.receiveMessage(r2, sigs);
  }

  /// @dev Rebalancing takes two rounds: lower A first; once A applied it, A's ceiling is its new cap and B may rise.
  function test_reserve_LowerFirstThenRaiseRebalances() public {
    bytes memory lower = _reserve(150e6, 500e6, 500e6, 500e6);
    assertTrue(_onA(lower, adminQuorumSigsFor(receiver, lower, chainA)));
    assertTrue(_onB(lower, adminQuorumSigsFor(receiverB, lower, CHAIN_B)));
    bytes memory raise = _reserve(150e6, 850e6, 150e6, 500e6);
    assertTrue(_onB(raise, adminQuorumSigsFor(receiverB, raise, CHAIN_B)));
    assertEq(holdingsB.supplyCap(), 850e6);
    assertTrue(_mintB(750e6, 2));
    assertFalse(_mintA(400e6, 2), "A's lowered cap refuses the mint the oracle no longer budgets");
    assertTrue(_onA(raise, adminQuorumSigsFor(receiver, raise, chainA)));
    assertLe(_sumOfSupplies(), RESERVE);
  }

  /// @dev A lowering never needs coverage: it cannot raise any chain's reach.
  function test_reserve_LoweringAppliesWithoutCoverage() public {
    bytes memory lower = _reserve(100e6, 100e6, 0, 0);
    assertTrue(_onB(lower, adminQuorumSigsFor(receiverB, lower, CHAIN_B)));
    assertEq(holdingsB.supplyCap(), 100e6);
  }
}
