// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {MoveEndHandler} from "./handlers/MoveEndHandler.sol";

/// @notice Invariant 15 of contracts/INVARIANTS.md: a move ends at most once, by its in leg or by its return.
contract MoveEndInvariants is Test {
  MoveEndHandler internal handler;

  function setUp() public {
    handler = new MoveEndHandler();
    bytes4[] memory selectors = new bytes4[](4);
    selectors[0] = MoveEndHandler.moveOut.selector;
    selectors[1] = MoveEndHandler.deliverIn.selector;
    selectors[2] = MoveEndHandler.deliverVoid.selector;
    selectors[3] = MoveEndHandler.deliverReturn.selector;
    targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    targetContract(address(handler));
  }

  function invariant_inLegAndReturnNeverBoth() public view {
    uint256 n = handler.moveCount();
    for (uint256 id; id < n; ++id) {
      assertFalse(handler.arrived(id) && handler.returned(id), "a move both arrived and returned");
    }
  }

  function invariant_supplyIsStartLessUnfinishedMoves() public view {
    uint256 unfinished;
    uint256 n = handler.moveCount();
    for (uint256 id; id < n; ++id) {
      if (!handler.arrived(id) && !handler.returned(id)) unfinished += handler.amountOf(id);
    }
    assertEq(handler.fromSupply() + handler.toSupply() + unfinished, handler.startSupply(), "units lost or doubled");
    assertEq(handler.ghost_burned(), handler.ghost_minted() + unfinished, "burned = minted back + in flight");
  }
}
