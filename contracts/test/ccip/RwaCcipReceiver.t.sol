// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {CCIPReceiver} from "@chainlink/contracts-ccip/contracts/applications/CCIPReceiver.sol";
import {IAny2EVMMessageReceiver} from "@chainlink/contracts-ccip/contracts/interfaces/IAny2EVMMessageReceiver.sol";
import {IAny2EVMMessageReceiverV2} from "@chainlink/contracts-ccip/contracts/interfaces/IAny2EVMMessageReceiverV2.sol";
import {Client} from "@chainlink/contracts-ccip/contracts/libraries/Client.sol";
import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaCcipReceiver} from "../../src/ccip/RwaCcipReceiver.sol";
import {AttestationFixture} from "../helpers/AttestationFixture.sol";

/// @notice RwaCcipReceiver in isolation: the router is a plain address the test acts as (the real Router, OffRamp and
/// CommitteeVerifier path is in RwaCcipLane.t.sol); the target is a real RwaReceiver from the shared fixture.
contract RwaCcipReceiverTest is AttestationFixture {
  uint64 internal constant HUB = 2_001;
  uint64 internal constant OTHER = 2_002;

  address internal router = makeAddr("ccip router");
  address internal adapterOwner = makeAddr("adapter owner");
  address internal hubSender = makeAddr("RwaCcipSender on hub");
  RwaCcipReceiver internal adapter;

  function setUp() public override {
    super.setUp();
    adapter = new RwaCcipReceiver(router, receiver, adapterOwner);
    _allow(HUB, hubSender);
  }

  // ---- helpers ----

  function _pairs(uint64 selector, address sender) internal pure returns (RwaCcipReceiver.AllowedSender[] memory p) {
    p = new RwaCcipReceiver.AllowedSender[](1);
    p[0] = RwaCcipReceiver.AllowedSender({sourceChainSelector: selector, sender: sender});
  }

  function _none() internal pure returns (RwaCcipReceiver.AllowedSender[] memory) {
    return new RwaCcipReceiver.AllowedSender[](0);
  }

  function _allow(uint64 selector, address sender) internal {
    vm.prank(adapterOwner);
    adapter.applyAllowedSenderUpdates(_none(), _pairs(selector, sender));
  }

  function _ccipMessage(uint64 selector, bytes memory sender, bytes memory data)
    internal
    pure
    returns (Client.Any2EVMMessage memory)
  {
    return Client.Any2EVMMessage({
      messageId: keccak256(abi.encode("ccip message", selector, sender, data)),
      sourceChainSelector: selector,
      sender: sender,
      data: data,
      destTokenAmounts: new Client.EVMTokenAmount[](0)
    });
  }

  function _subscriptionPayload(uint64 nonce) internal view returns (bytes memory) {
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, nonce);
    return abi.encode(encodeSettlement(a), quorumSigs(a));
  }

  // ---- constructor and views ----

  function test_constructor_SetsRouterTargetAndOwner() public view {
    assertEq(adapter.getRouter(), router);
    assertEq(adapter.getTarget(), address(receiver));
    assertEq(adapter.owner(), adapterOwner);
  }

  function test_RevertWhen_constructor_RouterZero() public {
    vm.expectRevert(abi.encodeWithSelector(CCIPReceiver.InvalidRouter.selector, address(0)));
    new RwaCcipReceiver(address(0), receiver, adapterOwner);
  }

  function test_RevertWhen_constructor_TargetHasNoCode() public {
    vm.expectRevert(abi.encodeWithSelector(RwaCcipReceiver.InvalidTarget.selector, stranger));
    new RwaCcipReceiver(router, RwaReceiver(stranger), adapterOwner);
  }

  function test_supportsInterface_DeclaresReceiverV1V2AndErc165() public view {
    assertTrue(adapter.supportsInterface(type(IAny2EVMMessageReceiver).interfaceId));
    assertTrue(adapter.supportsInterface(type(IAny2EVMMessageReceiverV2).interfaceId));
    assertTrue(adapter.supportsInterface(type(IERC165).interfaceId));
    assertFalse(adapter.supportsInterface(0xffffffff));
  }

  /// @dev Not overridden on purpose: the OffRamp then requires the lane's default CCVs and full finality.
  function test_getCCVsAndFinalityConfig_LeavesLaneDefaults() public view {
    (address[] memory required, address[] memory optional, uint8 threshold, bytes4 finality) =
      adapter.getCCVsAndFinalityConfig(HUB, abi.encode(hubSender));
    assertEq(required.length, 0);
    assertEq(optional.length, 0);
    assertEq(threshold, 0);
    assertEq(finality, bytes4(0));
  }

  // ---- allow-list ----

  function test_applyAllowedSenderUpdates_AddsPairAndEmits() public {
    address s = makeAddr("second sender");
    vm.expectEmit(address(adapter));
    emit RwaCcipReceiver.AllowedSenderAdded(HUB, s);
    vm.prank(adapterOwner);
    adapter.applyAllowedSenderUpdates(_none(), _pairs(HUB, s));
    assertTrue(adapter.isAllowedSender(HUB, s));
    assertEq(adapter.getAllowedSenderCount(HUB), 2);
    assertFalse(adapter.isAllowedSender(OTHER, s));
  }

  function test_applyAllowedSenderUpdates_RemovesPairAndEmits() public {
    vm.expectEmit(address(adapter));
    emit RwaCcipReceiver.AllowedSenderRemoved(HUB, hubSender);
    vm.prank(adapterOwner);
    adapter.applyAllowedSenderUpdates(_pairs(HUB, hubSender), _none());
    assertFalse(adapter.isAllowedSender(HUB, hubSender));
    assertEq(adapter.getAllowedSenderCount(HUB), 0);
  }

  function test_applyAllowedSenderUpdates_NoEventWhenNothingChanges() public {
    vm.recordLogs();
    vm.prank(adapterOwner);
    adapter.applyAllowedSenderUpdates(_pairs(OTHER, hubSender), _pairs(HUB, hubSender));
    assertEq(vm.getRecordedLogs().length, 0);
    assertEq(adapter.getAllowedSenderCount(HUB), 1);
    assertEq(adapter.getAllowedSenderCount(OTHER), 0);
  }

  function test_applyAllowedSenderUpdates_RemovesBeforeAdding() public {
    vm.prank(adapterOwner);
    adapter.applyAllowedSenderUpdates(_pairs(HUB, hubSender), _pairs(HUB, hubSender));
    assertTrue(adapter.isAllowedSender(HUB, hubSender));
    assertEq(adapter.getAllowedSenderCount(HUB), 1);
  }

  function test_RevertWhen_applyAllowedSenderUpdates_CallerNotOwner() public {
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
    vm.prank(stranger);
    adapter.applyAllowedSenderUpdates(_none(), _pairs(HUB, stranger));
  }

  function test_RevertWhen_applyAllowedSenderUpdates_SenderZero() public {
    vm.expectRevert(abi.encodeWithSelector(RwaCcipReceiver.InvalidAllowedSender.selector, HUB, address(0)));
    vm.prank(adapterOwner);
    adapter.applyAllowedSenderUpdates(_none(), _pairs(HUB, address(0)));
  }

  function test_RevertWhen_applyAllowedSenderUpdates_SelectorZero() public {
    vm.expectRevert(abi.encodeWithSelector(RwaCcipReceiver.InvalidAllowedSender.selector, uint64(0), hubSender));
    vm.prank(adapterOwner);
    adapter.applyAllowedSenderUpdates(_none(), _pairs(0, hubSender));
  }

  function test_transferOwnership_TakesEffectOnAccept() public {
    address next = makeAddr("next owner");
    vm.prank(adapterOwner);
    adapter.transferOwnership(next);
    assertEq(adapter.owner(), adapterOwner);
    vm.prank(next);
    adapter.acceptOwnership();
    assertEq(adapter.owner(), next);
  }

  // ---- ccipReceive ----

  function test_ccipReceive_AppliesAttestation() public {
    bytes memory payload = _subscriptionPayload(1);
    Client.Any2EVMMessage memory m = _ccipMessage(HUB, abi.encode(hubSender), payload);
    (bytes memory attestation,) = abi.decode(payload, (bytes, bytes));

    vm.expectEmit(address(adapter));
    emit RwaCcipReceiver.AttestationDelivered(m.messageId, HUB, hubSender, keccak256(attestation));
    vm.prank(router);
    adapter.ccipReceive(m);

    assertEq(holdings.balanceOf(alice), 1_000e6);
    assertTrue(receiver.isNonceUsed(DID, 1));
  }

  function test_RevertWhen_ccipReceive_CallerNotRouter() public {
    Client.Any2EVMMessage memory m = _ccipMessage(HUB, abi.encode(hubSender), _subscriptionPayload(1));
    vm.expectRevert(abi.encodeWithSelector(CCIPReceiver.InvalidRouter.selector, stranger));
    vm.prank(stranger);
    adapter.ccipReceive(m);
  }

  function test_RevertWhen_ccipReceive_SourceChainNotAllowed() public {
    Client.Any2EVMMessage memory m = _ccipMessage(OTHER, abi.encode(hubSender), _subscriptionPayload(1));
    vm.expectRevert(abi.encodeWithSelector(RwaCcipReceiver.SourceChainNotAllowed.selector, OTHER));
    vm.prank(router);
    adapter.ccipReceive(m);
  }

  function test_RevertWhen_ccipReceive_SenderNotAllowed() public {
    Client.Any2EVMMessage memory m = _ccipMessage(HUB, abi.encode(stranger), _subscriptionPayload(1));
    vm.expectRevert(abi.encodeWithSelector(RwaCcipReceiver.SenderNotAllowed.selector, HUB, stranger));
    vm.prank(router);
    adapter.ccipReceive(m);
  }

  function test_RevertWhen_ccipReceive_SenderNotAbiEncodedAddress() public {
    bytes memory packed = abi.encodePacked(hubSender); // 20 bytes
    Client.Any2EVMMessage memory m = _ccipMessage(HUB, packed, _subscriptionPayload(1));
    vm.expectRevert(abi.encodeWithSelector(RwaCcipReceiver.InvalidSenderEncoding.selector, HUB, packed));
    vm.prank(router);
    adapter.ccipReceive(m);

    bytes memory dirty = abi.encode(uint256(uint160(hubSender)) | (1 << 160));
    m = _ccipMessage(HUB, dirty, _subscriptionPayload(1));
    vm.expectRevert(abi.encodeWithSelector(RwaCcipReceiver.InvalidSenderEncoding.selector, HUB, dirty));
    vm.prank(router);
    adapter.ccipReceive(m);
  }

  function test_RevertWhen_ccipReceive_PayloadNotTwoByteStrings() public {
    Client.Any2EVMMessage memory m = _ccipMessage(HUB, abi.encode(hubSender), hex"0102");
    vm.expectRevert();
    vm.prank(router);
    adapter.ccipReceive(m);
  }

  function test_RevertWhen_ccipReceive_TargetRejectsQuorum_BubblesReason() public {
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    bytes memory badSigs = signSorted(digestOf(a), firstKeys(outsiderKeys, THRESHOLD));
    Client.Any2EVMMessage memory m =
      _ccipMessage(HUB, abi.encode(hubSender), abi.encode(encodeSettlement(a), badSigs));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.UnauthorizedSigner.selector, vm.addr(outsiderKeys[0])));
    vm.prank(router);
    adapter.ccipReceive(m);
    assertEq(holdings.balanceOf(alice), 0);
    assertFalse(receiver.isNonceUsed(DID, 1));
  }

  function test_RevertWhen_ccipReceive_TargetRejectsReplay_BubblesReason() public {
    Client.Any2EVMMessage memory m = _ccipMessage(HUB, abi.encode(hubSender), _subscriptionPayload(1));
    vm.startPrank(router);
    adapter.ccipReceive(m);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, uint64(1)));
    adapter.ccipReceive(m);
    vm.stopPrank();
    assertEq(holdings.balanceOf(alice), 1_000e6);
  }

  function test_ccipReceive_DeliversWhatAnyoneCouldDeliverDirectly() public {
    // The adapter adds no authority: the same attestation applied directly makes the CCIP copy a replay.
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, 1);
    deliver(a);
    Client.Any2EVMMessage memory m =
      _ccipMessage(HUB, abi.encode(hubSender), abi.encode(encodeSettlement(a), quorumSigs(a)));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.NonceAlreadyUsed.selector, DID, uint64(1)));
    vm.prank(router);
    adapter.ccipReceive(m);
  }
}
