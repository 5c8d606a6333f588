// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";
import {ReserveRaceHandler} from "./handlers/ReserveRaceHandler.sol";

/// @notice Invariant 17 of contracts/INVARIANTS.md: the supply over two chains never exceeds the attested reserve,
/// whatever order reserves and mints are delivered in (issue 17, the reserve race).
contract ReserveRaceInvariants is AttestationFixture {
  uint64 internal constant CHAIN_B = 8453;
  uint256 internal constant RESERVE_0 = 1_000e6;

  ReserveRaceHandler internal handler;

  function setUp() public override {
    super.setUp();
    uint64 chainA = uint64(block.chainid);
    vm.chainId(CHAIN_B);
    RwaReceiver receiverB = new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL);
    configure(receiverB, DID, committeeKeys, THRESHOLD);
    // Both chains on 500 + 500 of the first reserve: a lowering from the fixture's large caps.
    CapEntry[] memory caps = new CapEntry[](2);
    caps[0] = CapEntry({chainId: chainA, cap: 500e6, ceiling: 0});
    caps[1] = CapEntry({chainId: CHAIN_B, cap: 500e6, ceiling: 0});
    uint64 asOf = uint64(T0 + 10);
    bytes memory m =
      encodeReserve(ReserveAtt({did: DID, nonce: nextAdminNonce(receiver, DID), reserve: RESERVE_0, asOf: asOf, caps: caps}));
    receiverB.receiveMessage(m, adminSigs(receiverB, m, quorumKeys()));
    vm.chainId(chainA);
    receiver.receiveMessage(m, adminQuorumSigs(m));

    handler = new ReserveRaceHandler([receiver, receiverB], [chainA, CHAIN_B], DID, quorumKeys(), alice, RESERVE_0, asOf);
    bytes4[] memory selectors = new bytes4[](4);
    selectors[0] = ReserveRaceHandler.issueReserve.selector;
    selectors[1] = ReserveRaceHandler.issueMint.selector;
    selectors[2] = ReserveRaceHandler.deliver.selector;
    selectors[3] = ReserveRaceHandler.deliver.selector; // deliveries twice as often as issues
    targetContract(address(handler));
    targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
  }

  /// @notice (17) Supply over both chains <= the newest attested reserve, in every delivery order.
  function invariant_supplyNeverAboveTheReserveInAnyOrder() public view {
    assertLe(handler.totalSupply(), handler.reserve(), "supply over both chains above the reserve");
  }

  /// @notice (17) Guard: raises and mints did land, so the bound is not met by a campaign where nothing moves.
  function afterInvariant() public view {
    assertGt(handler.ghost_reservesIssued() + handler.ghost_mintsApplied(), 0);
  }
}
