// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IRouterClient} from "@chainlink/contracts-ccip/contracts/interfaces/IRouterClient.sol";
import {RwaCcipReceiver} from "../../src/ccip/RwaCcipReceiver.sol";
import {RwaCcipSender} from "../../src/ccip/RwaCcipSender.sol";
import {RwaWormholeEmitter} from "../../src/wormhole/RwaWormholeEmitter.sol";
import {RwaWormholeReceiver} from "../../src/wormhole/RwaWormholeReceiver.sol";
import {RwaTransportQuorum} from "../../src/RwaTransportQuorum.sol";
import {WormholeFixture} from "../wormhole/helpers/WormholeFixture.sol";
import {LocalCcipLane} from "./helpers/LocalCcipLane.sol";

/// @notice Issue 17, item 4, with real adapters on both bridges: a DID gated 2 of {ccip, wormhole}; the hub side is a
/// real RwaCcipSender over the real CCIP 2.0 contracts and a real RwaWormholeEmitter whose messages honest guardians
/// sign. The attacker holds the oracle committee's signatures (a stolen committee key set) and makes every
/// permissionless call there is: CCIP send then execution, Wormhole publish then VAA delivery, and a direct delivery.
/// The rule must not be met. The publisher keys (one per bridge, not committee keys) meet it.
contract TransportQuorumPublishersTest is WormholeFixture, LocalCcipLane {
  uint64 internal constant HUB = 4_001;
  uint64 internal constant SPOKE = 4_002;
  uint32 internal constant RECEIVE_GAS = 400_000;
  uint8 internal constant CCV_THRESHOLD = 2;
  uint8 internal constant CCIP_BIT = 2;
  uint8 internal constant WORMHOLE_BIT = 4;

  CcipChain internal hub;
  CcipChain internal spoke;
  uint256[] internal ccvKeys;
  RwaCcipSender internal ccipSender;
  RwaCcipReceiver internal ccipAdapter;
  RwaWormholeEmitter internal wormholeEmitter;

  address internal attacker = makeAddr("holder of the committee keys");
  address internal ccipPublisher = makeAddr("ccip lane relayer key");
  address internal wormholePublisher = makeAddr("wormhole lane relayer key");

  function setUp() public override {
    super.setUp();
    hub = _deployCcipChain(HUB);
    spoke = _deployCcipChain(SPOKE);
    ccvKeys = deriveKeys(3, 9_191);
    _connectLane(hub, spoke, addressesOf(ccvKeys), CCV_THRESHOLD);

    ccipSender = new RwaCcipSender(IRouterClient(address(hub.router)), RECEIVE_GAS);
    ccipAdapter = new RwaCcipReceiver(address(spoke.router), receiver, adapterOwner);
    RwaCcipReceiver.AllowedSender[] memory senders = new RwaCcipReceiver.AllowedSender[](1);
    senders[0] = RwaCcipReceiver.AllowedSender({sourceChainSelector: HUB, sender: address(ccipSender)});
    vm.prank(adapterOwner);
    ccipAdapter.applyAllowedSenderUpdates(new RwaCcipReceiver.AllowedSender[](0), senders);

    wormholeEmitter = new RwaWormholeEmitter(CONSISTENCY);
    RwaWormholeReceiver.Emitter[] memory emitters = new RwaWormholeReceiver.Emitter[](1);
    emitters[0] = RwaWormholeReceiver.Emitter({chainId: EMITTER_CHAIN, emitterAddress: _asBytes32(address(wormholeEmitter))});
    vm.prank(adapterOwner);
    adapter.applyEmitterUpdates(new RwaWormholeReceiver.Emitter[](0), emitters);

    RwaTransportQuorum gate = receiver.transportQuorum();
    gate.setAdapter(address(ccipAdapter), CCIP_BIT);
    gate.setAdapter(address(adapter), WORMHOLE_BIT);
    bytes memory rule = abi.encodePacked(
      uint8(1), uint8(12), DID, nextAdminNonce(receiver, DID), uint64(block.chainid), uint8(2), CCIP_BIT | WORMHOLE_BIT
    );
    deliverAdmin(rule); // ungated until now: one direct delivery applies it

    vm.deal(attacker, 10 ether);
    vm.deal(ccipPublisher, 10 ether);
  }

  function _asBytes32(address a) internal pure returns (bytes32) {
    return bytes32(uint256(uint160(a)));
  }

  /// @dev `from` sends over CCIP; if the sender takes it, the CCV committee signs and anyone executes it.
  function _viaCcip(address from, bytes memory message, bytes memory sigs) internal returns (bool sent) {
    uint256 fee = ccipSender.getFee(SPOKE, address(ccipAdapter), message, sigs);
    vm.recordLogs();
    vm.prank(from);
    try ccipSender.send{value: fee}(SPOKE, address(ccipAdapter), message, sigs) {
      sent = true;
    } catch {
      return false;
    }
    SentMessage memory m = _sentMessage(vm.getRecordedLogs(), address(hub.onRamp));
    bytes memory results = _committeeVerifierResults(keccak256(m.encodedMessage), firstKeys(ccvKeys, CCV_THRESHOLD));
    vm.prank(relayer);
    _execute(spoke, m.encodedMessage, results);
  }

  /// @dev `from` publishes on the emitter; if it takes it, honest guardians sign what the emitter emitted.
  function _viaWormhole(address from, bytes memory message, bytes memory sigs, uint64 nonce) internal returns (bool) {
    vm.prank(from);
    try wormholeEmitter.publishAttestation(uint64(block.chainid), uint32(nonce), message, sigs) returns (uint64 seq) {
      Body memory b = Body({
        timestamp: uint32(block.timestamp),
        nonce: uint32(nonce),
        emitterChainId: EMITTER_CHAIN,
        emitterAddress: _asBytes32(address(wormholeEmitter)),
        sequence: seq,
        consistencyLevel: CONSISTENCY,
        payload: payloadFor(uint64(block.chainid), message, sigs)
      });
      vm.prank(relayer);
      adapter.receiveVaa(quorumVaa(encodeBody(b)));
      return true;
    } catch {
      return false;
    }
  }

  function test_committeeKeysAlone_CannotMeetTwoOfCcipAndWormhole() public {
    SettlementAtt memory a = subscriptionAtt(carol, 5_000_000e6, 1);
    (bytes memory message, bytes memory sigs) = (encodeSettlement(a), quorumSigs(a));

    _viaCcip(attacker, message, sigs);
    _viaWormhole(attacker, message, sigs, a.nonce);
    vm.prank(attacker);
    try receiver.receiveMessage(message, sigs) {} catch {} // direct = cctp, outside the rule's mask

    assertFalse(receiver.isNonceUsed(DID, a.nonce), "committee keys plus permissionless calls met 2 of {ccip, wormhole}");
    assertEq(holdings.balanceOf(carol), 0);
    (uint8 arrived,) = receiver.transportQuorum().arrivalsOf(keccak256(message));
    assertEq(arrived, 0, "a bridge counted an arrival the committee keys alone published");
  }

  function test_publisherKeys_MeetTwoOfCcipAndWormhole() public {
    ccipSender.setPublisher(ccipPublisher, true);
    wormholeEmitter.setPublisher(wormholePublisher, true);
    SettlementAtt memory a = subscriptionAtt(carol, 1_000e6, 1);
    (bytes memory message, bytes memory sigs) = (encodeSettlement(a), quorumSigs(a));

    assertTrue(_viaCcip(ccipPublisher, message, sigs));
    assertFalse(receiver.isNonceUsed(DID, a.nonce), "one bridge is not two");
    assertTrue(_viaWormhole(wormholePublisher, message, sigs, a.nonce));
    assertTrue(receiver.isNonceUsed(DID, a.nonce));
    assertEq(holdings.balanceOf(carol), 1_000e6);
  }

  /// @dev One stolen publisher key (plus the committee keys) adds its own bridge only.
  function test_onePublisherKey_AddsOneBridgeOnly() public {
    ccipSender.setPublisher(ccipPublisher, true);
    wormholeEmitter.setPublisher(wormholePublisher, true);
    SettlementAtt memory a = subscriptionAtt(carol, 1_000e6, 1);
    (bytes memory message, bytes memory sigs) = (encodeSettlement(a), quorumSigs(a));

    assertTrue(_viaCcip(ccipPublisher, message, sigs));
    assertFalse(_viaWormhole(ccipPublisher, message, sigs, a.nonce));
    assertFalse(receiver.isNonceUsed(DID, a.nonce));
    (uint8 arrived,) = receiver.transportQuorum().arrivalsOf(keccak256(message));
    assertEq(arrived, CCIP_BIT);
  }
}
