// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";
import {CurseHandler} from "./handlers/CurseHandler.sol";

/// @notice The guardians' curse under a random mix of curses, lifts by quorums and by lone keys, replays of every old
/// signature and valid deliveries. Numbers refer to contracts/INVARIANTS.md (25-27).
contract CurseInvariants is AttestationFixture {
  CurseHandler internal handler;

  function setUp() public override {
    super.setUp();
    handler = new CurseHandler(receiver, DID, alice, quorumKeys(), curseGuardianKeys, outsiderKeys[0]);

    bytes4[] memory selectors = new bytes4[](6);
    selectors[0] = CurseHandler.deliver.selector;
    selectors[1] = CurseHandler.curse.selector;
    selectors[2] = CurseHandler.uncurseWithQuorum.selector;
    selectors[3] = CurseHandler.uncurseWithoutQuorum.selector;
    selectors[4] = CurseHandler.replayOldCurse.selector;
    selectors[5] = CurseHandler.replayOldLift.selector;
    targetContract(address(handler));
    targetSelector(StdInvariant.FuzzSelector({addr: address(handler), selectors: selectors}));
  }

  /// @notice (25) A cursed chain applies nothing: every delivery while cursed reverted and moved no unit; supply is
  /// exactly what was delivered while open, and no valid delivery was refused while open.
  function invariant_cursedChainAppliesNothing() public view {
    assertEq(handler.ghost_appliedWhileCursed(), 0);
    assertEq(handler.ghost_validRejectedWhileOpen(), 0);
    assertEq(holdings.totalSupply(), handler.ghost_minted());
  }

  /// @notice (26) Only a quorum of guardians lifts a curse: a lone key (alone, twice, or with an outsider) never did,
  /// and the epoch counts exactly the quorum lifts.
  function invariant_onlyAGuardianQuorumLifts() public view {
    assertEq(handler.ghost_liftedWithoutQuorum(), 0);
    assertEq(receiver.curseEpoch(), handler.ghost_quorumLifts());
    assertLe(handler.ghost_quorumLifts(), handler.ghost_curses());
    assertLe(handler.ghost_curses(), handler.ghost_quorumLifts() + 1);
  }

  /// @notice (27) A signature of a lifted epoch never acts again: no old curse re-curses, no old uncurse lifts.
  function invariant_oldSignatureCannotReCurse() public view {
    assertEq(handler.ghost_oldCurseAccepted(), 0);
    assertEq(handler.ghost_oldLiftAccepted(), 0);
  }
}
