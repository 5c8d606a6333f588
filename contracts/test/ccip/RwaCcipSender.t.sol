// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {Vm} from "forge-std/Vm.sol";
import {IRouterClient} from "@chainlink/contracts-ccip/contracts/interfaces/IRouterClient.sol";
import {Client} from "@chainlink/contracts-ccip/contracts/libraries/Client.sol";
import {MessageV1Codec} from "@chainlink/contracts-ccip/contracts/libraries/MessageV1Codec.sol";
import {Router} from "@chainlink/contracts-ccip/contracts/Router.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {HubPublisher} from "../../src/HubPublisher.sol";
import {RwaCcipSender} from "../../src/ccip/RwaCcipSender.sol";
import {LocalCcipLane} from "./helpers/LocalCcipLane.sol";

/// @dev A caller that cannot take a refund.
contract RefundRejectingCaller {
  function send(RwaCcipSender s, uint64 dest, address adapter, bytes calldata m, bytes calldata sigs) external payable {
    s.send{value: msg.value}(dest, adapter, m, sigs);
  }
}

/// @notice RwaCcipSender against the real CCIP 2.0 source side (Router, OnRamp, FeeQuoter, RMN, CCV, Executor).
/// The payload is opaque to the sender, so these tests use arbitrary bytes; delivery is covered in RwaCcipLane.t.sol.
contract RwaCcipSenderTest is Test, LocalCcipLane {
  uint64 internal constant HUB = 1_001;
  uint64 internal constant SPOKE = 1_002;
  uint64 internal constant NOWHERE = 1_999;
  uint32 internal constant RECEIVE_GAS = 300_000;
  /// @dev RMN's GLOBAL_CURSE_SUBJECT.
  bytes16 internal constant GLOBAL_CURSE = 0x01000000000000000000000000000001;

  CcipChain internal hub;
  CcipChain internal spoke;
  RwaCcipSender internal sender;

  address internal payer = makeAddr("payer");
  address internal adapter = makeAddr("adapter on spoke");
  bytes internal message = hex"0101aa";
  bytes internal signatures = hex"bbbbbb";

  function setUp() public {
    hub = _deployCcipChain(HUB);
    spoke = _deployCcipChain(SPOKE);
    address[] memory signers = new address[](1);
    signers[0] = vm.addr(0xC0FFEE);
    _connectLane(hub, spoke, signers, 1);
    sender = new RwaCcipSender(IRouterClient(address(hub.router)), RECEIVE_GAS);
    sender.setPublisher(payer, true);
    vm.deal(payer, 10 ether);
  }

  function _fee() internal view returns (uint256) {
    return sender.getFee(SPOKE, adapter, message, signatures);
  }

  // ---- constructor and views ----

  function test_constructor_StoresRouterAndGasLimit() public view {
    assertEq(sender.getRouter(), address(hub.router));
    assertEq(sender.getCcipReceiveGasLimit(), RECEIVE_GAS);
  }

  function test_RevertWhen_constructor_RouterZero() public {
    vm.expectRevert(abi.encodeWithSelector(RwaCcipSender.InvalidRouter.selector, address(0)));
    new RwaCcipSender(IRouterClient(address(0)), RECEIVE_GAS);
  }

  function test_RevertWhen_constructor_GasLimitZero() public {
    vm.expectRevert(abi.encodeWithSelector(RwaCcipSender.InvalidGasLimit.selector, uint32(0)));
    new RwaCcipSender(IRouterClient(address(hub.router)), 0);
  }

  function test_getFee_EqualsRouterQuoteForThePayload() public view {
    Client.EVM2AnyMessage memory m = Client.EVM2AnyMessage({
      receiver: abi.encode(adapter),
      data: abi.encode(message, signatures),
      tokenAmounts: new Client.EVMTokenAmount[](0),
      feeToken: address(0),
      extraArgs: Client._argsToBytes(Client.GenericExtraArgsV2({gasLimit: RECEIVE_GAS, allowOutOfOrderExecution: true}))
    });
    uint256 fee = _fee();
    assertGt(fee, 0);
    assertEq(fee, hub.router.getFee(SPOKE, m));
  }

  // ---- send ----

  function test_send_ForwardsPayloadThroughOnRamp() public {
    uint256 fee = _fee();
    vm.recordLogs();
    vm.prank(payer);
    bytes32 id = sender.send{value: fee}(SPOKE, adapter, message, signatures);
    SentMessage memory sent = _sentMessage(vm.getRecordedLogs(), address(hub.onRamp));

    assertEq(sent.messageId, id);
    assertEq(sent.messageId, keccak256(sent.encodedMessage));
    assertEq(sent.destChainSelector, SPOKE);
    assertEq(sent.sender, address(sender));

    MessageV1Codec.MessageV1 memory m = this.decodeMessageV1(sent.encodedMessage);
    assertEq(m.sourceChainSelector, HUB);
    assertEq(m.destChainSelector, SPOKE);
    assertEq(m.messageNumber, 1);
    assertEq(m.ccipReceiveGasLimit, RECEIVE_GAS);
    assertEq(m.finality, bytes4(0)); // wait for finality
    assertEq(m.onRampAddress, abi.encode(address(hub.onRamp)));
    assertEq(m.offRampAddress, abi.encodePacked(address(spoke.offRamp)));
    assertEq(m.sender, abi.encode(address(sender)));
    assertEq(m.receiver, abi.encodePacked(adapter));
    assertEq(m.tokenTransfer.length, 0);
    (bytes memory decodedMessage, bytes memory decodedSigs) = abi.decode(m.data, (bytes, bytes));
    assertEq(decodedMessage, message);
    assertEq(decodedSigs, signatures);
  }

  function test_send_EmitsAttestationSent() public {
    uint256 fee = _fee();
    vm.recordLogs();
    vm.prank(payer);
    bytes32 id = sender.send{value: fee}(SPOKE, adapter, message, signatures);
    Vm.Log[] memory logs = vm.getRecordedLogs();
    Vm.Log memory last = logs[logs.length - 1];
    assertEq(last.emitter, address(sender));
    assertEq(last.topics[0], RwaCcipSender.AttestationSent.selector);
    assertEq(last.topics[1], id);
    assertEq(uint256(last.topics[2]), SPOKE);
    assertEq(address(uint160(uint256(last.topics[3]))), adapter);
    (bytes32 attestationId, uint256 paid) = abi.decode(last.data, (bytes32, uint256));
    assertEq(attestationId, keccak256(message));
    assertEq(paid, fee);
  }

  function test_send_PaysExactlyTheQuoteAndRefundsTheRest() public {
    uint256 fee = _fee();
    uint256 before = payer.balance;
    vm.prank(payer);
    sender.send{value: fee + 1 ether}(SPOKE, adapter, message, signatures);
    assertEq(payer.balance, before - fee);
    assertEq(address(sender).balance, 0);
    // The router wrapped the fee; the OnRamp paid the CCV and the executor and kept the network fee.
    uint256 distributed = hub.weth.balanceOf(address(hub.onRamp)) + hub.weth.balanceOf(address(hub.ccv))
      + hub.weth.balanceOf(address(hub.executor));
    assertEq(distributed, fee);
  }

  function test_send_NumbersMessagesPerLane() public {
    uint256 fee = _fee();
    vm.startPrank(payer);
    sender.send{value: fee}(SPOKE, adapter, message, signatures);
    sender.send{value: fee}(SPOKE, adapter, message, signatures);
    vm.stopPrank();
    assertEq(hub.onRamp.getExpectedNextMessageNumber(SPOKE), 3);
  }

  function test_RevertWhen_send_FeeTooLow() public {
    uint256 fee = _fee();
    vm.expectRevert(abi.encodeWithSelector(RwaCcipSender.InsufficientFee.selector, fee - 1, fee));
    vm.prank(payer);
    sender.send{value: fee - 1}(SPOKE, adapter, message, signatures);
  }

  function test_RevertWhen_send_DestReceiverZero() public {
    vm.expectRevert(abi.encodeWithSelector(RwaCcipSender.InvalidDestReceiver.selector, address(0)));
    vm.prank(payer);
    sender.send{value: 1 ether}(SPOKE, address(0), message, signatures);
  }

  function test_RevertWhen_send_DestinationNotOnRouter() public {
    vm.expectRevert(abi.encodeWithSelector(IRouterClient.UnsupportedDestinationChain.selector, NOWHERE));
    vm.prank(payer);
    sender.send{value: 1 ether}(NOWHERE, adapter, message, signatures);
  }

  function test_RevertWhen_send_RefundRejected() public {
    RefundRejectingCaller caller = new RefundRejectingCaller();
    sender.setPublisher(address(caller), true);
    uint256 fee = _fee();
    vm.deal(address(caller), 0);
    vm.expectRevert(abi.encodeWithSelector(RwaCcipSender.RefundFailed.selector, address(caller), 1));
    vm.prank(payer);
    caller.send{value: fee + 1}(sender, SPOKE, adapter, message, signatures);
  }

  function test_send_ExactFeeNeedsNoRefund() public {
    RefundRejectingCaller caller = new RefundRejectingCaller();
    sender.setPublisher(address(caller), true);
    uint256 fee = _fee();
    vm.prank(payer);
    caller.send{value: fee}(sender, SPOKE, adapter, message, signatures);
    assertEq(hub.onRamp.getExpectedNextMessageNumber(SPOKE), 2);
  }

  function test_RevertWhen_send_SourceCursedByRmn() public {
    hub.rmn.curse(GLOBAL_CURSE);
    uint256 fee = 1 ether; // getFee does not consult the RMN; the router's ccipSend does
    vm.expectRevert(Router.BadARMSignal.selector);
    vm.prank(payer);
    sender.send{value: fee}(SPOKE, adapter, message, signatures);
  }

  // ---- publisher role (issue 17: committee signatures alone must not drive a bridge) ----

  function test_RevertWhen_send_CallerNotPublisher() public {
    address holderOfCommitteeSigs = makeAddr("holder of committee signatures");
    vm.deal(holderOfCommitteeSigs, 1 ether);
    uint256 fee = _fee();
    vm.expectRevert(abi.encodeWithSelector(HubPublisher.NotPublisher.selector, holderOfCommitteeSigs));
    vm.prank(holderOfCommitteeSigs);
    sender.send{value: fee}(SPOKE, adapter, message, signatures);
  }

  function test_setPublisher_RevokedPublisherCannotSend() public {
    vm.expectEmit(address(sender));
    emit HubPublisher.PublisherSet(payer, false);
    sender.setPublisher(payer, false);
    assertFalse(sender.isPublisher(payer));
    uint256 fee = _fee();
    vm.expectRevert(abi.encodeWithSelector(HubPublisher.NotPublisher.selector, payer));
    vm.prank(payer);
    sender.send{value: fee}(SPOKE, adapter, message, signatures);
  }

  function test_RevertWhen_setPublisher_NotOwner() public {
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, payer));
    vm.prank(payer);
    sender.setPublisher(payer, true);
  }

  function test_RevertWhen_setPublisher_Zero() public {
    vm.expectRevert(abi.encodeWithSelector(HubPublisher.InvalidPublisher.selector, address(0)));
    sender.setPublisher(address(0), true);
  }
}
