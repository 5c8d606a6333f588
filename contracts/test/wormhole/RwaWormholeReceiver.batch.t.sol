// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Client} from "@chainlink/contracts-ccip/contracts/libraries/Client.sol";
import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaTransportQuorum} from "../../src/RwaTransportQuorum.sol";
import {RwaCcipReceiver} from "../../src/ccip/RwaCcipReceiver.sol";
import {RwaWormholeReceiver} from "../../src/wormhole/RwaWormholeReceiver.sol";
import {WormholeVaa} from "../../src/wormhole/WormholeVaa.sol";
import {WormholeFixture} from "./helpers/WormholeFixture.sol";

/// @notice A batch in one VAA (payload v2: version 2, destination, abi.encode(bytes[], bytes[])) applied through
/// RwaReceiver.receiveMessages; and a batch under a transport quorum of 2 of {cctp, ccip, wormhole}, arriving once
/// over CCIP (this test plays the CCIP router of a real RwaCcipReceiver) and once in a VAA.
contract RwaWormholeReceiverBatchTest is WormholeFixture {
  uint64 internal constant HUB_SELECTOR = 2_001;
  address internal router = makeAddr("ccip router");
  address internal hubSender = makeAddr("RwaCcipSender on hub");
  RwaCcipReceiver internal ccipAdapter;

  function setUp() public override {
    super.setUp();
    ccipAdapter = new RwaCcipReceiver(router, receiver, adapterOwner);
    RwaCcipReceiver.AllowedSender[] memory adds = new RwaCcipReceiver.AllowedSender[](1);
    adds[0] = RwaCcipReceiver.AllowedSender({sourceChainSelector: HUB_SELECTOR, sender: hubSender});
    vm.prank(adapterOwner);
    ccipAdapter.applyAllowedSenderUpdates(new RwaCcipReceiver.AllowedSender[](0), adds);
  }

  function _items(uint256 n, uint64 firstNonce) internal view returns (bytes[] memory messages, bytes[] memory sigs) {
    messages = new bytes[](n);
    sigs = new bytes[](n);
    for (uint256 i; i < n; ++i) {
      SettlementAtt memory a = subscriptionAtt(i % 2 == 0 ? alice : bob, i + 1, firstNonce + uint64(i));
      (messages[i], sigs[i]) = (encodeSettlement(a), quorumSigs(a));
    }
  }

  function _batchVaa(bytes[] memory messages, bytes[] memory sigs, uint64 sequence, uint64 destination)
    internal
    view
    returns (bytes memory)
  {
    Body memory b = subscriptionBody(1, sequence);
    b.payload = abi.encodePacked(uint8(2), destination, abi.encode(messages, sigs));
    return quorumVaa(encodeBody(b));
  }

  function _ccipBatch(bytes[] memory messages, bytes[] memory sigs) internal {
    bytes memory data = abi.encode(ccipAdapter.BATCH_TAG(), messages, sigs);
    Client.Any2EVMMessage memory m = Client.Any2EVMMessage({
      messageId: keccak256(data),
      sourceChainSelector: HUB_SELECTOR,
      sender: abi.encode(hubSender),
      data: data,
      destTokenAmounts: new Client.EVMTokenAmount[](0)
    });
    vm.prank(router);
    ccipAdapter.ccipReceive(m);
  }

  function testFuzz_receiveVaa_BatchAppliesEveryItem(uint256 n) public {
    n = bound(n, 1, 16);
    (bytes[] memory messages, bytes[] memory sigs) = _items(n, 1);
    bytes memory vaa = _batchVaa(messages, sigs, 1, uint64(block.chainid));
    vm.prank(relayer);
    adapter.receiveVaa(vaa);
    uint256 supply;
    for (uint256 i; i < n; ++i) {
      supply += i + 1;
      assertTrue(receiver.isNonceUsed(DID, uint64(1 + i)));
    }
    assertEq(holdings.totalSupply(), supply);
    vm.expectPartialRevert(RwaWormholeReceiver.VaaAlreadyConsumed.selector);
    adapter.receiveVaa(vaa);
  }

  function test_receiveVaa_BatchPartlyAppliedCompletes() public {
    (bytes[] memory messages, bytes[] memory sigs) = _items(4, 1);
    receiver.receiveMessage(messages[1], sigs[1]);
    bytes memory vaa = _batchVaa(messages, sigs, 1, uint64(block.chainid));
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchItemSkipped(DID, 2, 1);
    adapter.receiveVaa(vaa);
    assertEq(holdings.totalSupply(), 1 + 2 + 3 + 4);
  }

  function test_RevertWhen_receiveVaa_BatchForAnotherChain() public {
    (bytes[] memory messages, bytes[] memory sigs) = _items(2, 1);
    bytes memory vaa = _batchVaa(messages, sigs, 1, 8453);
    vm.expectRevert(abi.encodeWithSelector(RwaWormholeReceiver.WrongDestinationChain.selector, uint64(8453)));
    adapter.receiveVaa(vaa);
  }

  function test_RevertWhen_receiveVaa_UnknownPayloadVersion() public {
    Body memory b = subscriptionBody(1, 1);
    b.payload[0] = 0x03;
    bytes memory vaa = quorumVaa(encodeBody(b));
    vm.expectRevert(abi.encodeWithSelector(WormholeVaa.UnsupportedPayloadVersion.selector, 3));
    adapter.receiveVaa(vaa);
  }

  /// @dev Gated 2 of {cctp, ccip, wormhole}: the batch over CCIP records every item; the same batch in a VAA
  /// completes the quorum and applies each once; the batch sent again over either is skipped whole.
  function test_batch_UnderTransportQuorum_CcipThenWormhole() public {
    RwaTransportQuorum gate = receiver.transportQuorum();
    gate.setAdapter(address(ccipAdapter), 2);
    gate.setAdapter(address(adapter), 4);
    bytes memory rule = abi.encodePacked(
      uint8(1), uint8(12), DID, nextAdminNonce(receiver, DID), uint64(block.chainid), uint8(2), uint8(7)
    );
    deliverAdmin(rule);

    (bytes[] memory messages, bytes[] memory sigs) = _items(5, 1);
    _ccipBatch(messages, sigs);
    assertEq(holdings.totalSupply(), 0, "one transport of two");
    for (uint256 i; i < 5; ++i) {
      (uint8 arrived,) = gate.arrivalsOf(keccak256(messages[i]));
      assertEq(arrived, 2);
    }
    adapter.receiveVaa(_batchVaa(messages, sigs, 1, uint64(block.chainid)));
    assertEq(holdings.totalSupply(), 15);
    assertEq(holdings.balanceOf(alice), 1 + 3 + 5);

    // Again over CCIP (a new CCIP message), and a new VAA: nothing more applies.
    _ccipBatch(messages, sigs);
    adapter.receiveVaa(_batchVaa(messages, sigs, 2, uint64(block.chainid)));
    assertEq(holdings.totalSupply(), 15);
  }
}
