// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Vm} from "forge-std/Vm.sol";
import {IRouterClient} from "@chainlink/contracts-ccip/contracts/interfaces/IRouterClient.sol";
import {SignatureQuorumValidator} from "@chainlink/contracts-ccip/contracts/ccvs/components/SignatureQuorumValidator.sol";
import {Internal} from "@chainlink/contracts-ccip/contracts/libraries/Internal.sol";
import {MessageV1Codec} from "@chainlink/contracts-ccip/contracts/libraries/MessageV1Codec.sol";
import {OffRamp} from "@chainlink/contracts-ccip/contracts/offRamp/OffRamp.sol";
import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaCcipReceiver} from "../../src/ccip/RwaCcipReceiver.sol";
import {RwaCcipSender} from "../../src/ccip/RwaCcipSender.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";
import {LocalCcipLane} from "./helpers/LocalCcipLane.sol";

/// @notice End to end through the real CCIP 2.0 contracts, three CCIP chain selectors on one EVM:
/// hub -> spoke is the lane under test, other -> spoke is a valid CCIP lane whose sender the adapter does not allow.
/// The test plays the off-chain roles: it reads CCIPMessageSent, signs as the CommitteeVerifier's committee and calls
/// OffRamp.execute as a permissionless executor (the fixture's `relayer`).
contract RwaCcipLaneTest is AttestationFixture, LocalCcipLane {
  uint64 internal constant HUB = 3_001;
  uint64 internal constant SPOKE = 3_002;
  uint64 internal constant OTHER = 3_003;
  uint32 internal constant RECEIVE_GAS = 300_000;
  uint8 internal constant CCV_THRESHOLD = 3;

  CcipChain internal hub;
  CcipChain internal spoke;
  CcipChain internal other;

  /// @dev CCIP committee (CommitteeVerifier signers), distinct from the oracle committee.
  uint256[] internal ccvKeys;

  RwaCcipSender internal sender; // allowed: (HUB, sender)
  RwaCcipSender internal rogueSender; // on the hub, not allowed
  RwaCcipSender internal otherSender; // on a chain the adapter does not allow at all
  RwaCcipReceiver internal adapter;

  address internal adapterOwner = makeAddr("adapter owner");
  address internal payer = makeAddr("payer");

  function setUp() public override {
    super.setUp();
    hub = _deployCcipChain(HUB);
    spoke = _deployCcipChain(SPOKE);
    other = _deployCcipChain(OTHER);
    ccvKeys = deriveKeys(4, 4_242);
    _connectLane(hub, spoke, addressesOf(ccvKeys), CCV_THRESHOLD);
    _connectLane(other, spoke, addressesOf(ccvKeys), CCV_THRESHOLD);

    sender = new RwaCcipSender(IRouterClient(address(hub.router)), RECEIVE_GAS);
    rogueSender = new RwaCcipSender(IRouterClient(address(hub.router)), RECEIVE_GAS);
    otherSender = new RwaCcipSender(IRouterClient(address(other.router)), RECEIVE_GAS);
    sender.setPublisher(payer, true);
    rogueSender.setPublisher(payer, true);
    otherSender.setPublisher(payer, true);
    adapter = new RwaCcipReceiver(address(spoke.router), receiver, adapterOwner);
    RwaCcipReceiver.AllowedSender[] memory adds = new RwaCcipReceiver.AllowedSender[](1);
    adds[0] = RwaCcipReceiver.AllowedSender({sourceChainSelector: HUB, sender: address(sender)});
    vm.prank(adapterOwner);
    adapter.applyAllowedSenderUpdates(new RwaCcipReceiver.AllowedSender[](0), adds);

    vm.deal(payer, 100 ether);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers: source side, off-chain roles, destination verdict
  // ---------------------------------------------------------------------------------------------------------------

  function _send(CcipChain memory src, RwaCcipSender s, bytes memory message, bytes memory sigs)
    internal
    returns (SentMessage memory)
  {
    uint256 fee = s.getFee(SPOKE, address(adapter), message, sigs);
    vm.recordLogs();
    vm.prank(payer);
    s.send{value: fee}(SPOKE, address(adapter), message, sigs);
    return _sentMessage(vm.getRecordedLogs(), address(src.onRamp));
  }

  function _sendSubscription(uint64 nonce) internal returns (SentMessage memory, SettlementAtt memory a) {
    a = subscriptionAtt(alice, 1_000e6, nonce);
    return (_send(hub, sender, encodeSettlement(a), quorumSigs(a)), a);
  }

  /// @dev Committee signs, relayer executes; returns the OffRamp's verdict for the message.
  function _relay(bytes memory encodedMessage) internal returns (Internal.MessageExecutionState, bytes memory) {
    bytes memory results = _committeeVerifierResults(keccak256(encodedMessage), firstKeys(ccvKeys, CCV_THRESHOLD));
    return _relay(encodedMessage, results);
  }

  function _relay(bytes memory encodedMessage, bytes memory results)
    internal
    returns (Internal.MessageExecutionState state, bytes memory returnData)
  {
    vm.recordLogs();
    vm.prank(relayer);
    _execute(spoke, encodedMessage, results);
    bytes32 id;
    (id, state, returnData) = _executionResult(vm.getRecordedLogs(), address(spoke.offRamp));
    assertEq(id, keccak256(encodedMessage));
    assertEq(uint8(spoke.offRamp.getExecutionState(id)), uint8(state));
  }

  function _assertNothingApplied(uint64 nonce) internal view {
    assertEq(holdings.balanceOf(alice), 0);
    assertEq(holdings.totalSupply(), 0);
    assertFalse(receiver.isNonceUsed(DID, nonce));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Delivery
  // ---------------------------------------------------------------------------------------------------------------

  function test_execute_AppliesSubscription() public {
    (SentMessage memory sent, SettlementAtt memory a) = _sendSubscription(1);

    vm.expectEmit(address(adapter));
    emit RwaCcipReceiver.AttestationDelivered(sent.messageId, HUB, address(sender), keccak256(encodeSettlement(a)));
    (Internal.MessageExecutionState state, bytes memory returnData) = _relay(sent.encodedMessage);

    assertEq(uint8(state), uint8(Internal.MessageExecutionState.SUCCESS));
    assertEq(returnData.length, 0);
    assertEq(holdings.balanceOf(alice), 1_000e6);
    assertTrue(receiver.isNonceUsed(DID, 1));
  }

  function test_execute_AppliesNav() public {
    NavAtt memory n = navAtt(NAV_1, uint64(T0 - 1 hours), 1);
    SentMessage memory sent = _send(hub, sender, encodeNav(n), quorumSigs(n));
    (Internal.MessageExecutionState state,) = _relay(sent.encodedMessage);
    assertEq(uint8(state), uint8(Internal.MessageExecutionState.SUCCESS));
    (, int256 answer,, uint256 updatedAt,) = navFeed.latestRoundData();
    assertEq(answer, int256(NAV_1));
    assertEq(updatedAt, T0 - 1 hours);
  }

  function test_execute_AppliesRedemptionAfterSubscription() public {
    (SentMessage memory first,) = _sendSubscription(1);
    _relay(first.encodedMessage);
    SettlementAtt memory r = redemptionAtt(alice, 400e6, 2);
    SentMessage memory second = _send(hub, sender, encodeSettlement(r), quorumSigs(r));
    (Internal.MessageExecutionState state,) = _relay(second.encodedMessage);
    assertEq(uint8(state), uint8(Internal.MessageExecutionState.SUCCESS));
    assertEq(holdings.balanceOf(alice), 600e6);
  }

  function test_gas_execute_Subscription() public {
    (SentMessage memory sent,) = _sendSubscription(1);
    bytes memory results = _committeeVerifierResults(sent.messageId, firstKeys(ccvKeys, CCV_THRESHOLD));
    address[] memory ccvs = new address[](1);
    ccvs[0] = address(spoke.ccv);
    bytes[] memory allResults = new bytes[](1);
    allResults[0] = results;

    vm.prank(relayer);
    uint256 before = gasleft();
    spoke.offRamp.execute(sent.encodedMessage, ccvs, allResults, 0);
    uint256 used = before - gasleft();

    emit log_named_uint("OffRamp.execute gas, one subscription (in-EVM, excl. intrinsic and calldata)", used);
    assertEq(uint8(spoke.offRamp.getExecutionState(sent.messageId)), uint8(Internal.MessageExecutionState.SUCCESS));
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Transport authentication: CCIP records FAILURE, nothing is applied, a retry is possible
  // ---------------------------------------------------------------------------------------------------------------

  function test_execute_RecordsFailureWhen_SourceChainNotAllowed() public {
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    SentMessage memory sent = _send(other, otherSender, encodeSettlement(a), quorumSigs(a));

    (Internal.MessageExecutionState state, bytes memory returnData) = _relay(sent.encodedMessage);

    assertEq(uint8(state), uint8(Internal.MessageExecutionState.FAILURE));
    // 36-byte reason: kept whole inside ReceiverError.
    assertEq(
      returnData,
      abi.encodeWithSelector(
        OffRamp.ReceiverError.selector, abi.encodeWithSelector(RwaCcipReceiver.SourceChainNotAllowed.selector, OTHER)
      )
    );
    _assertNothingApplied(1);
  }

  function test_execute_RecordsFailureWhen_SenderNotAllowed() public {
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    SentMessage memory sent = _send(hub, rogueSender, encodeSettlement(a), quorumSigs(a));

    (Internal.MessageExecutionState state, bytes memory returnData) = _relay(sent.encodedMessage);

    assertEq(uint8(state), uint8(Internal.MessageExecutionState.FAILURE));
    // 68-byte reason: CCIP keeps 132 bytes, i.e. the selector, the chain selector and most of the sender word.
    assertEq(
      returnData,
      _receiverFailure(abi.encodeWithSelector(RwaCcipReceiver.SenderNotAllowed.selector, HUB, address(rogueSender)))
    );
    _assertNothingApplied(1);
  }

  function test_execute_RetrySucceedsOnceTheSenderIsAllowed() public {
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    SentMessage memory sent = _send(hub, rogueSender, encodeSettlement(a), quorumSigs(a));
    (Internal.MessageExecutionState first,) = _relay(sent.encodedMessage);
    assertEq(uint8(first), uint8(Internal.MessageExecutionState.FAILURE));

    RwaCcipReceiver.AllowedSender[] memory adds = new RwaCcipReceiver.AllowedSender[](1);
    adds[0] = RwaCcipReceiver.AllowedSender({sourceChainSelector: HUB, sender: address(rogueSender)});
    vm.prank(adapterOwner);
    adapter.applyAllowedSenderUpdates(new RwaCcipReceiver.AllowedSender[](0), adds);

    (Internal.MessageExecutionState retry,) = _relay(sent.encodedMessage);
    assertEq(uint8(retry), uint8(Internal.MessageExecutionState.SUCCESS));
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  function test_RevertWhen_execute_RetryMakesNoProgress() public {
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    SentMessage memory sent = _send(hub, rogueSender, encodeSettlement(a), quorumSigs(a));
    _relay(sent.encodedMessage);

    bytes memory results = _committeeVerifierResults(sent.messageId, firstKeys(ccvKeys, CCV_THRESHOLD));
    bytes memory reason =
      _receiverFailure(abi.encodeWithSelector(RwaCcipReceiver.SenderNotAllowed.selector, HUB, address(rogueSender)));
    vm.expectRevert(abi.encodeWithSelector(OffRamp.NoStateProgressMade.selector, sent.messageId, reason));
    vm.prank(relayer);
    _execute(spoke, sent.encodedMessage, results);
    _assertNothingApplied(1);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The oracle quorum, not the transport, authorises the change
  // ---------------------------------------------------------------------------------------------------------------

  function test_execute_RecordsFailureWhen_OracleQuorumInvalid() public {
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    bytes memory outsiderSigs = signSorted(digestOf(a), firstKeys(outsiderKeys, THRESHOLD));
    SentMessage memory sent = _send(hub, sender, encodeSettlement(a), outsiderSigs);

    (Internal.MessageExecutionState state, bytes memory returnData) = _relay(sent.encodedMessage);

    assertEq(uint8(state), uint8(Internal.MessageExecutionState.FAILURE));
    assertEq(
      returnData, _receiverFailure(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, vm.addr(outsiderKeys[0])))
    );
    _assertNothingApplied(1);

    // Nothing was consumed: the same attestation with the real quorum still applies.
    SentMessage memory good = _send(hub, sender, encodeSettlement(a), quorumSigs(a));
    (Internal.MessageExecutionState goodState,) = _relay(good.encodedMessage);
    assertEq(uint8(goodState), uint8(Internal.MessageExecutionState.SUCCESS));
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  function test_execute_RecordsFailureWhen_ForgedByCompromisedTransport() public {
    // The whole transport is hostile: its committee signs and its executor submits a MessageV1 that no OnRamp ever
    // emitted, from the allowed sender, carrying a real oracle quorum for a different amount.
    SettlementAtt memory signed = subscriptionAtt(alice, 1, 1);
    SettlementAtt memory inflated = subscriptionAtt(alice, 1_000_000e6, 1);
    bytes memory forged = _forgedFromHub(abi.encode(encodeSettlement(inflated), quorumSigs(signed)));

    (Internal.MessageExecutionState state, bytes memory returnData) = _relay(forged);

    assertEq(uint8(state), uint8(Internal.MessageExecutionState.FAILURE));
    assertEq(bytes4(_slice(returnData, 68, 4)), RwaReceiver.UnauthorizedSigner.selector);
    _assertNothingApplied(1);
  }

  function test_execute_CompromisedTransportCanOnlyDeliverWhatTheOracleSigned() public {
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    bytes memory forged = _forgedFromHub(abi.encode(encodeSettlement(a), quorumSigs(a)));
    (Internal.MessageExecutionState state,) = _relay(forged);
    assertEq(uint8(state), uint8(Internal.MessageExecutionState.SUCCESS));
    assertEq(holdings.balanceOf(alice), 1_000e6);

    // ...and only once, whatever message number it invents.
    bytes memory forgedAgain = _forgedFromHubNumbered(abi.encode(encodeSettlement(a), quorumSigs(a)), 99);
    (Internal.MessageExecutionState again, bytes memory returnData) = _relay(forgedAgain);
    assertEq(uint8(again), uint8(Internal.MessageExecutionState.FAILURE));
    assertEq(returnData, _receiverFailure(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, uint64(1))));
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Replays
  // ---------------------------------------------------------------------------------------------------------------

  function test_RevertWhen_execute_MessageAlreadySucceeded() public {
    (SentMessage memory sent,) = _sendSubscription(1);
    _relay(sent.encodedMessage);

    bytes memory results = _committeeVerifierResults(sent.messageId, firstKeys(ccvKeys, CCV_THRESHOLD));
    vm.expectRevert(
      abi.encodeWithSelector(OffRamp.SkippedAlreadyExecutedMessage.selector, sent.messageId, HUB, uint64(1))
    );
    vm.prank(relayer);
    _execute(spoke, sent.encodedMessage, results);
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  function test_execute_RecordsFailureWhen_AttestationResentInNewMessage() public {
    (SentMessage memory first, SettlementAtt memory a) = _sendSubscription(1);
    _relay(first.encodedMessage);
    SentMessage memory second = _send(hub, sender, encodeSettlement(a), quorumSigs(a));
    assertTrue(second.messageId != first.messageId);

    (Internal.MessageExecutionState state, bytes memory returnData) = _relay(second.encodedMessage);

    assertEq(uint8(state), uint8(Internal.MessageExecutionState.FAILURE));
    assertEq(returnData, _receiverFailure(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, uint64(1))));
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // CCIP's own verification still runs (defence in depth)
  // ---------------------------------------------------------------------------------------------------------------

  function test_execute_RecordsFailureWhen_CommitteeSignaturesNotFromCommittee() public {
    (SentMessage memory sent,) = _sendSubscription(1);
    bytes memory results = _committeeVerifierResults(sent.messageId, firstKeys(outsiderKeys, CCV_THRESHOLD));
    (Internal.MessageExecutionState state, bytes memory returnData) = _relay(sent.encodedMessage, results);
    assertEq(uint8(state), uint8(Internal.MessageExecutionState.FAILURE));
    assertEq(returnData, abi.encodeWithSelector(SignatureQuorumValidator.UnauthorizedSigner.selector));
    _assertNothingApplied(1);
  }

  function test_execute_RecordsFailureWhen_CommitteeQuorumShort() public {
    (SentMessage memory sent,) = _sendSubscription(1);
    bytes memory results = _committeeVerifierResults(sent.messageId, firstKeys(ccvKeys, CCV_THRESHOLD - 1));
    (Internal.MessageExecutionState state, bytes memory returnData) = _relay(sent.encodedMessage, results);
    assertEq(uint8(state), uint8(Internal.MessageExecutionState.FAILURE));
    assertEq(returnData, abi.encodeWithSelector(SignatureQuorumValidator.WrongNumberOfSignatures.selector));
    _assertNothingApplied(1);
  }

  function test_execute_RecordsFailureWhen_ReceiverGasTooLowThenRetriesWithOverride() public {
    // Same lane, a sender that asks for too little gas: CCIP fails the message, the executor retries with more.
    RwaCcipSender stingy = new RwaCcipSender(IRouterClient(address(hub.router)), 30_000);
    stingy.setPublisher(payer, true);
    RwaCcipReceiver.AllowedSender[] memory adds = new RwaCcipReceiver.AllowedSender[](1);
    adds[0] = RwaCcipReceiver.AllowedSender({sourceChainSelector: HUB, sender: address(stingy)});
    vm.prank(adapterOwner);
    adapter.applyAllowedSenderUpdates(new RwaCcipReceiver.AllowedSender[](0), adds);
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    SentMessage memory sent = _send(hub, stingy, encodeSettlement(a), quorumSigs(a));

    (Internal.MessageExecutionState state,) = _relay(sent.encodedMessage);
    assertEq(uint8(state), uint8(Internal.MessageExecutionState.FAILURE));
    _assertNothingApplied(1);

    bytes memory results = _committeeVerifierResults(sent.messageId, firstKeys(ccvKeys, CCV_THRESHOLD));
    vm.prank(relayer);
    _execute(spoke, sent.encodedMessage, results, RECEIVE_GAS);
    assertEq(uint8(spoke.offRamp.getExecutionState(sent.messageId)), uint8(Internal.MessageExecutionState.SUCCESS));
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Forging helpers (a compromised transport's view)
  // ---------------------------------------------------------------------------------------------------------------

  function _forgedFromHub(bytes memory data) internal view returns (bytes memory) {
    return _forgedFromHubNumbered(data, 1);
  }

  function _forgedFromHubNumbered(bytes memory data, uint64 messageNumber) internal view returns (bytes memory) {
    return _encodeMessageV1(
      MessageV1Codec.MessageV1({
        sourceChainSelector: HUB,
        destChainSelector: SPOKE,
        messageNumber: messageNumber,
        executionGasLimit: 1_000_000,
        ccipReceiveGasLimit: RECEIVE_GAS,
        finality: bytes4(0),
        ccvAndExecutorHash: bytes32(0),
        onRampAddress: abi.encode(address(hub.onRamp)),
        offRampAddress: abi.encodePacked(address(spoke.offRamp)),
        sender: abi.encode(address(sender)),
        receiver: abi.encodePacked(address(adapter)),
        destBlob: "",
        tokenTransfer: new MessageV1Codec.TokenTransferV1[](0),
        data: data
      })
    );
  }

  function _slice(bytes memory data, uint256 start, uint256 len) internal pure returns (bytes memory out) {
    out = new bytes(len);
    for (uint256 i; i < len; ++i) {
      out[i] = data[start + i];
    }
  }
}
