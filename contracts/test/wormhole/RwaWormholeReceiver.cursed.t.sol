// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IRwaCurse, IRwaCurseEvents} from "../../src/interfaces/IRwaCurse.sol";
import {WormholeFixture} from "./helpers/WormholeFixture.sol";

/// @notice The curse reaches the Wormhole path: the adapter ends in RwaReceiver.receiveMessage, so a VAA delivered
/// while the chain is cursed reverts ChainCursed whole (the VAA stays unconsumed) and applies after the uncurse.
contract RwaWormholeReceiverCursedTest is WormholeFixture {
  function test_RevertWhen_receiveVaa_ChainCursedThenAppliesAfterUncurse() public {
    bytes memory body = encodeBody(subscriptionBody(1, 0));
    bytes memory vaa = quorumVaa(body);
    vm.prank(curseGuardians[0]);
    IRwaCurse(address(receiver)).curse("");

    vm.expectRevert(IRwaCurseEvents.ChainCursed.selector);
    vm.prank(relayer);
    adapter.receiveVaa(vaa);
    assertFalse(adapter.isVaaConsumed(vaaDigest(body)));
    assertEq(holdings.balanceOf(alice), 0);

    IRwaCurse(address(receiver)).uncurse(signSorted(curseDigest(receiver, 0, true), firstKeys(curseGuardianKeys, CURSE_GUARDIAN_THRESHOLD)));
    vm.prank(relayer);
    adapter.receiveVaa(vaa);
    assertEq(holdings.balanceOf(alice), 1_000e6);
    assertTrue(adapter.isVaaConsumed(vaaDigest(body)));
  }
}
