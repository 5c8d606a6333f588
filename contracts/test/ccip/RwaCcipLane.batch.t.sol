// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Vm} from "forge-std/Vm.sol";
import {IRouterClient} from "@chainlink/contracts-ccip/contracts/interfaces/IRouterClient.sol";
import {Internal} from "@chainlink/contracts-ccip/contracts/libraries/Internal.sol";
import {HubPublisher} from "../../src/HubPublisher.sol";
import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaCcipReceiver} from "../../src/ccip/RwaCcipReceiver.sol";
import {RwaCcipSender} from "../../src/ccip/RwaCcipSender.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";
import {LocalCcipLane} from "./helpers/LocalCcipLane.sol";

/// @notice A batch in one CCIP message (RwaCcipSender.sendBatch -> Router -> OnRamp; committee-signed
/// OffRamp.execute -> RwaCcipReceiver -> RwaReceiver.receiveMessages) through the real CCIP 2.0 contracts.
contract RwaCcipLaneBatchTest is AttestationFixture, LocalCcipLane {
  uint64 internal constant HUB = 3_001;
  uint64 internal constant SPOKE = 3_002;
  /// @dev Room for a batch: about 60k per settlement and NAV round on the destination.
  uint32 internal constant RECEIVE_GAS = 2_500_000;
  uint8 internal constant CCV_THRESHOLD = 3;

  CcipChain internal hub;
  CcipChain internal spoke;
  uint256[] internal ccvKeys;
  RwaCcipSender internal sender;
  RwaCcipReceiver internal adapter;
  address internal adapterOwner = makeAddr("adapter owner");
  address internal payer = makeAddr("payer");

  function setUp() public override {
    super.setUp();
    hub = _deployCcipChain(HUB);
    spoke = _deployCcipChain(SPOKE);
    ccvKeys = deriveKeys(4, 4_242);
    _connectLane(hub, spoke, addressesOf(ccvKeys), CCV_THRESHOLD);
    sender = new RwaCcipSender(IRouterClient(address(hub.router)), RECEIVE_GAS);
    sender.setPublisher(payer, true);
    adapter = new RwaCcipReceiver(address(spoke.router), receiver, adapterOwner);
    RwaCcipReceiver.AllowedSender[] memory adds = new RwaCcipReceiver.AllowedSender[](1);
    adds[0] = RwaCcipReceiver.AllowedSender({sourceChainSelector: HUB, sender: address(sender)});
    vm.prank(adapterOwner);
    adapter.applyAllowedSenderUpdates(new RwaCcipReceiver.AllowedSender[](0), adds);
    vm.deal(payer, 100 ether);
  }

  /// @dev `n` items: subscriptions of i + 1 units to alice, every fourth a NAV round.
  function _items(uint256 n) internal view returns (bytes[] memory messages, bytes[] memory sigs) {
    messages = new bytes[](n);
    sigs = new bytes[](n);
    for (uint256 i; i < n; ++i) {
      if (i % 4 == 3) {
        NavAtt memory a = navAtt(NAV_1, uint64(T0 - 1 days + i), uint64(1 + i));
        (messages[i], sigs[i]) = (encodeNav(a), quorumSigs(a));
      } else {
        SettlementAtt memory a = subscriptionAtt(alice, i + 1, uint64(1 + i));
        (messages[i], sigs[i]) = (encodeSettlement(a), quorumSigs(a));
      }
    }
  }

  function _sendBatch(bytes[] memory messages, bytes[] memory sigs) internal returns (SentMessage memory) {
    uint256 fee = sender.getBatchFee(SPOKE, address(adapter), messages, sigs);
    vm.recordLogs();
    vm.prank(payer);
    sender.sendBatch{value: fee}(SPOKE, address(adapter), messages, sigs);
    return _sentMessage(vm.getRecordedLogs(), address(hub.onRamp));
  }

  function _relay(bytes memory encodedMessage) internal returns (Internal.MessageExecutionState state) {
    bytes memory results = _committeeVerifierResults(keccak256(encodedMessage), firstKeys(ccvKeys, CCV_THRESHOLD));
    vm.recordLogs();
    vm.prank(relayer);
    _execute(spoke, encodedMessage, results);
    (, state,) = _executionResult(vm.getRecordedLogs(), address(spoke.offRamp));
  }

  function _expected(uint256 n) internal pure returns (uint256 supply, uint80 rounds) {
    for (uint256 i; i < n; ++i) {
      if (i % 4 == 3) ++rounds;
      else supply += i + 1;
    }
  }

  function testFuzz_sendBatch_AppliesEveryItem(uint256 n) public {
    n = bound(n, 1, 12);
    (bytes[] memory messages, bytes[] memory sigs) = _items(n);
    SentMessage memory sent = _sendBatch(messages, sigs);
    for (uint256 i; i < n; ++i) {
      vm.expectEmit(address(adapter));
      emit RwaCcipReceiver.AttestationDelivered(sent.messageId, HUB, address(sender), keccak256(messages[i]));
    }
    assertEq(uint8(_relay(sent.encodedMessage)), uint8(Internal.MessageExecutionState.SUCCESS));
    (uint256 supply, uint80 rounds) = _expected(n);
    assertEq(holdings.totalSupply(), supply);
    assertEq(navFeed.latestRound(), rounds);
    for (uint256 i; i < n; ++i) {
      assertTrue(receiver.isNonceUsed(DID, uint64(1 + i)));
    }
  }

  /// @dev Items already applied by another transport (here direct calls) before the CCIP message executes are
  /// skipped; the message succeeds and applies the rest once.
  function test_sendBatch_PartlyAppliedElsewhereCompletes() public {
    (bytes[] memory messages, bytes[] memory sigs) = _items(6);
    SentMessage memory sent = _sendBatch(messages, sigs);
    receiver.receiveMessage(messages[0], sigs[0]);
    receiver.receiveMessage(messages[4], sigs[4]);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchItemSkipped(DID, 1, 0);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.BatchItemSkipped(DID, 5, 4);
    assertEq(uint8(_relay(sent.encodedMessage)), uint8(Internal.MessageExecutionState.SUCCESS));
    (uint256 supply,) = _expected(6);
    assertEq(holdings.totalSupply(), supply);
  }

  /// @dev One item the oracle did not sign: the CCIP message ends FAILURE and nothing of the batch applies.
  function test_sendBatch_OneForgedItemFailsTheWholeMessage() public {
    (bytes[] memory messages, bytes[] memory sigs) = _items(5);
    SettlementAtt memory forged = subscriptionAtt(alice, 1_000_000e6, 3);
    (messages[2], sigs[2]) = (encodeSettlement(forged), signSorted(digestOf(forged), firstKeys(outsiderKeys, THRESHOLD)));
    SentMessage memory sent = _sendBatch(messages, sigs);
    assertEq(uint8(_relay(sent.encodedMessage)), uint8(Internal.MessageExecutionState.FAILURE));
    assertEq(holdings.totalSupply(), 0);
    assertFalse(receiver.isNonceUsed(DID, 1));
  }

  function test_RevertWhen_sendBatch_EmptyOrMismatched() public {
    (bytes[] memory messages,) = _items(2);
    vm.startPrank(payer);
    vm.expectRevert(abi.encodeWithSelector(RwaCcipSender.InvalidBatch.selector, 0, 0));
    sender.sendBatch{value: 1 ether}(SPOKE, address(adapter), new bytes[](0), new bytes[](0));
    vm.expectRevert(abi.encodeWithSelector(RwaCcipSender.InvalidBatch.selector, 2, 1));
    sender.sendBatch{value: 1 ether}(SPOKE, address(adapter), messages, new bytes[](1));
    vm.stopPrank();
  }

  function test_RevertWhen_sendBatch_NotPublisher() public {
    (bytes[] memory messages, bytes[] memory sigs) = _items(1);
    vm.deal(stranger, 1 ether);
    vm.prank(stranger);
    vm.expectRevert(abi.encodeWithSelector(HubPublisher.NotPublisher.selector, stranger));
    sender.sendBatch{value: 1 ether}(SPOKE, address(adapter), messages, sigs);
  }
}
