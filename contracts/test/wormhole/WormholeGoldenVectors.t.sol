// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaWormholeReceiver} from "../../src/wormhole/RwaWormholeReceiver.sol";
import {WormholeVaa} from "../../src/wormhole/WormholeVaa.sol";

/// @notice The relayer's VAAs (built and signed with the Wormhole SDK, schemas/wormhole-vectors.json from
/// scripts/gen-wormhole-vectors.ts) parse, verify and deliver in RwaWormholeReceiver byte for byte. The adapter's
/// target here is this test, which records what it is handed: the codec is under test, not RwaReceiver (the chain
/// test and e2e deliver to a real one).
contract WormholeGoldenVectorsTest is Test {
  bytes internal s_lastMessage;
  bytes internal s_lastSignatures;

  /// @dev Stands in for RwaReceiver.receiveMessage.
  function receiveMessage(bytes calldata message, bytes calldata signatures) external {
    s_lastMessage = message;
    s_lastSignatures = signatures;
  }

  function _key(uint256 i, string memory field) internal pure returns (string memory) {
    return string.concat(".vectors[", vm.toString(i), "].", field);
  }

  function test_goldenVectors_RelayerVaasDeliver() public {
    string memory json = vm.readFile("schemas/wormhole-vectors.json");
    uint256 count = vm.parseJsonUint(json, ".count");
    assertGt(count, 0, "no vectors");
    for (uint256 i; i < count; ++i) {
      bytes memory vaa = vm.parseJsonBytes(json, _key(i, "vaa"));
      uint32 setIndex = uint32(vm.parseJsonUint(json, _key(i, "guardianSetIndex")));
      uint16 emitterChainId = uint16(vm.parseJsonUint(json, _key(i, "emitterChainId")));
      bytes32 emitterAddress = vm.parseJsonBytes32(json, _key(i, "emitterAddress"));

      RwaWormholeReceiver adapter = new RwaWormholeReceiver(
        RwaReceiver(address(this)), address(this), setIndex, vm.parseJsonAddressArray(json, _key(i, "guardians"))
      );
      RwaWormholeReceiver.Emitter[] memory adds = new RwaWormholeReceiver.Emitter[](1);
      adds[0] = RwaWormholeReceiver.Emitter({chainId: emitterChainId, emitterAddress: emitterAddress});
      adapter.applyEmitterUpdates(new RwaWormholeReceiver.Emitter[](0), adds);

      (WormholeVaa.Vaa memory v, bytes32 hash) = adapter.parseVaa(vaa);
      assertEq(hash, vm.parseJsonBytes32(json, _key(i, "vaaHash")), "vaa hash");
      assertEq(v.guardianSetIndex, setIndex);
      assertEq(v.signatureCount, vm.parseJsonUint(json, _key(i, "signatureCount")));
      assertEq(v.emitterChainId, emitterChainId);
      assertEq(v.emitterAddress, emitterAddress);
      assertEq(v.sequence, vm.parseJsonUint(json, _key(i, "sequence")));
      assertEq(v.nonce, vm.parseJsonUint(json, _key(i, "nonce")));
      assertEq(v.consistencyLevel, vm.parseJsonUint(json, _key(i, "consistencyLevel")));
      assertEq(v.timestamp, vm.parseJsonUint(json, _key(i, "timestamp")));

      vm.chainId(vm.parseJsonUint(json, _key(i, "destinationChainId")));
      adapter.receiveVaa(vaa);
      assertEq(s_lastMessage, vm.parseJsonBytes(json, _key(i, "message")), "message");
      assertEq(s_lastSignatures, vm.parseJsonBytes(json, _key(i, "signatures")), "signatures");
      assertTrue(adapter.isVaaConsumed(hash));
    }
  }
}
