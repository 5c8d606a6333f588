// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaWormholeReceiver} from "../../../src/wormhole/RwaWormholeReceiver.sol";
import {AttestationFixture} from "../../helpers/AttestationFixture.sol";

/// @notice A real RwaReceiver (the shared fixture) behind an RwaWormholeReceiver with a guardian set of test keys,
/// one allowed emitter, and builders for VAAs v1 signed the way Wormhole guardians sign them.
abstract contract WormholeFixture is AttestationFixture {
  /// @dev Wormhole chain id of the emitter's chain (2 is Ethereum; the local stack borrows it for its hub too).
  uint16 internal constant EMITTER_CHAIN = 2;
  uint32 internal constant FIRST_SET_INDEX = 0;
  uint8 internal constant CONSISTENCY = 200;

  address internal adapterOwner = makeAddr("adapter owner");
  bytes32 internal emitter = bytes32(uint256(uint160(makeAddr("RwaWormholeEmitter on hub"))));
  RwaWormholeReceiver internal adapter;
  /// @dev Guardian keys by guardian index (not sorted by address: a guardian set is ordered by index).
  uint256[] internal guardianKeys;

  struct Body {
    uint32 timestamp;
    uint32 nonce;
    uint16 emitterChainId;
    bytes32 emitterAddress;
    uint64 sequence;
    uint8 consistencyLevel;
    bytes payload;
  }

  function setUp() public virtual override {
    super.setUp();
    guardianKeys = guardianKeysFor(5, 77);
    adapter = new RwaWormholeReceiver(receiver, adapterOwner, FIRST_SET_INDEX, guardianAddresses(guardianKeys));
    RwaWormholeReceiver.Emitter[] memory adds = new RwaWormholeReceiver.Emitter[](1);
    adds[0] = RwaWormholeReceiver.Emitter({chainId: EMITTER_CHAIN, emitterAddress: emitter});
    vm.prank(adapterOwner);
    adapter.applyEmitterUpdates(new RwaWormholeReceiver.Emitter[](0), adds);
  }

  function guardianKeysFor(uint256 n, uint256 salt) internal pure returns (uint256[] memory keys) {
    keys = new uint256[](n);
    for (uint256 i; i < n; ++i) {
      keys[i] = (uint256(keccak256(abi.encode("rwa-test-guardian", salt, i))) % (SECP256K1_N - 1)) + 1;
    }
  }

  function guardianAddresses(uint256[] memory keys) internal pure returns (address[] memory addrs) {
    addrs = new address[](keys.length);
    for (uint256 i; i < keys.length; ++i) {
      addrs[i] = vm.addr(keys[i]);
    }
  }

  function indices(uint256 count) internal pure returns (uint8[] memory out) {
    out = new uint8[](count);
    for (uint256 i; i < count; ++i) {
      out[i] = uint8(i);
    }
  }

  // ---- payload and body ----

  function payloadFor(uint64 destinationChainId, bytes memory message, bytes memory signatures)
    internal
    pure
    returns (bytes memory)
  {
    return abi.encodePacked(uint8(1), destinationChainId, uint32(message.length), message, signatures);
  }

  /// @dev A body from the allowed emitter carrying subscription `nonce` for this chain.
  function subscriptionBody(uint64 nonce, uint64 sequence) internal view returns (Body memory b) {
    SettlementAtt memory a = subscriptionAtt(alice, 1_000e6, nonce);
    b = Body({
      timestamp: uint32(block.timestamp),
      nonce: uint32(nonce),
      emitterChainId: EMITTER_CHAIN,
      emitterAddress: emitter,
      sequence: sequence,
      consistencyLevel: CONSISTENCY,
      payload: payloadFor(uint64(block.chainid), encodeSettlement(a), quorumSigs(a))
    });
  }

  function encodeBody(Body memory b) internal pure returns (bytes memory) {
    return abi.encodePacked(
      b.timestamp, b.nonce, b.emitterChainId, b.emitterAddress, b.sequence, b.consistencyLevel, b.payload
    );
  }

  function vaaDigest(bytes memory body) internal pure returns (bytes32) {
    return keccak256(abi.encodePacked(keccak256(body)));
  }

  // ---- signing ----

  /// @dev Guardian signature as a VAA carries it: index, r, s, recovery id (0/1).
  function guardianSig(bytes32 digest, uint256 key, uint8 guardianIndex) internal pure returns (bytes memory) {
    (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
    return abi.encodePacked(guardianIndex, r, s, v - 27);
  }

  /// @dev A VAA signed by `keys[signers[i]]` with guardian index signers[i], in the given order.
  function signVaa(uint32 setIndex, uint256[] memory keys, uint8[] memory signers, bytes memory body)
    internal
    pure
    returns (bytes memory vaa)
  {
    bytes32 digest = vaaDigest(body);
    vaa = abi.encodePacked(uint8(1), setIndex, uint8(signers.length));
    for (uint256 i; i < signers.length; ++i) {
      vaa = bytes.concat(vaa, guardianSig(digest, keys[signers[i]], signers[i]));
    }
    vaa = bytes.concat(vaa, body);
  }

  /// @dev A VAA of the current test set signed by its first quorum of guardians.
  function quorumVaa(bytes memory body) internal view returns (bytes memory) {
    return signVaa(FIRST_SET_INDEX, guardianKeys, indices(adapter.quorum(guardianKeys.length)), body);
  }
}
