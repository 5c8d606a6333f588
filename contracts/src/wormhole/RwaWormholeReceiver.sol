// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {RwaReceiver} from "../RwaReceiver.sol";
import {WormholeVaa} from "./WormholeVaa.sol";

/// @notice Destination-side Wormhole adapter: verifies a VAA v1 against the guardian sets it holds, checks that the
/// emitter is allowed, consumes the VAA once, and ends every delivery in `RwaReceiver.receiveMessage(message,
/// signatures)` (a batch payload, v2: `RwaReceiver.receiveMessages`), which verifies the oracle quorum itself. A compromised guardian set can therefore only deliver
/// attestations the oracle committee signed for this chain and this RwaReceiver.
///
/// Verification follows Wormhole's core contract (Messages.sol): the VAA names a guardian set; that set must exist
/// and, unless it is the current one, must not have expired; at least quorum = floor(2n/3) + 1 of its n guardians
/// sign, in strictly increasing guardian index, each signature over keccak256(keccak256(body)) recovering to that
/// guardian. Stricter than the core: a high-s signature or a recovery id other than 0/1 is refused.
///
/// Guardian sets: installed by the owner (on a real network a governance VAA does this), each with the next index;
/// the set it replaces stays valid for GUARDIAN_SET_EXPIRY after the rotation, so VAAs signed just before a rotation
/// still land, then stops. Keys live in a code-only data contract (one EXTCODECOPY per delivery instead of one cold
/// SLOAD per signing guardian).
///
/// Replay: the core keeps no record; this adapter marks each VAA digest consumed before calling RwaReceiver (which
/// also refuses a used attestation nonce). Any revert, including RwaReceiver's own custom error, bubbles out whole
/// and the VAA stays deliverable later.
contract RwaWormholeReceiver is Ownable2Step {
  /// @dev How long a replaced guardian set stays valid (Wormhole's core: 24 hours).
  uint32 public constant GUARDIAN_SET_EXPIRY = 1 days;
  /// @dev Guardian indices are one byte in a VAA.
  uint256 public constant MAX_GUARDIANS = 255;
  /// @dev secp256k1 n / 2: a larger s is the malleable twin of a valid signature.
  uint256 private constant SECP256K1_HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

  error InvalidTarget(address target);
  error InvalidGuardianSetSize(uint256 size);
  error InvalidGuardian(uint256 position, address key);
  error GuardianKeysNotStored();
  error UnknownGuardianSet(uint32 index);
  error GuardianSetExpired(uint32 index, uint32 expiredAt);
  error NoQuorum(uint32 guardianSetIndex, uint256 signatures, uint256 quorum);
  error GuardianIndexNotIncreasing(uint256 position, uint8 guardianIndex);
  error GuardianIndexOutOfRange(uint8 guardianIndex, uint256 setSize);
  error InvalidGuardianSignature(uint8 guardianIndex);
  error InvalidEmitter(uint16 emitterChainId, bytes32 emitterAddress);
  error EmitterNotAllowed(uint16 emitterChainId, bytes32 emitterAddress);
  error WrongDestinationChain(uint64 destinationChainId);
  error VaaAlreadyConsumed(bytes32 vaaHash);

  event GuardianSetAdded(uint32 indexed index, address[] keys);
  event GuardianSetExpirySet(uint32 indexed index, uint32 expirationTime);
  event EmitterAllowed(uint16 indexed emitterChainId, bytes32 indexed emitterAddress);
  event EmitterRemoved(uint16 indexed emitterChainId, bytes32 indexed emitterAddress);
  /// @param vaaHash keccak256(keccak256(body)), the digest the guardians signed.
  /// @param attestationId keccak256 of the attestation message bytes, as the oracle and relayer name it.
  event AttestationDelivered(
    bytes32 indexed vaaHash,
    uint16 indexed emitterChainId,
    bytes32 indexed emitterAddress,
    uint64 sequence,
    bytes32 attestationId
  );

  struct Emitter {
    uint16 chainId; // Wormhole chain id
    bytes32 emitterAddress; // RwaWormholeEmitter on that chain, left-padded
  }

  /// @dev One slot: the data contract holding the packed 20-byte keys, the expiry (0: current, never), the size.
  struct GuardianSetRecord {
    address keys;
    uint32 expirationTime;
    uint8 size;
  }

  RwaReceiver private immutable i_target;

  uint32 private s_currentGuardianSetIndex;
  mapping(uint32 index => GuardianSetRecord) private s_guardianSets;
  mapping(uint16 chainId => mapping(bytes32 emitter => bool allowed)) private s_allowedEmitters;
  mapping(bytes32 vaaHash => bool consumed) private s_consumed;

  constructor(RwaReceiver target, address owner_, uint32 initialGuardianSetIndex, address[] memory initialKeys)
    Ownable(owner_)
  {
    if (address(target).code.length == 0) revert InvalidTarget(address(target));
    i_target = target;
    s_currentGuardianSetIndex = initialGuardianSetIndex;
    _storeGuardianSet(initialGuardianSetIndex, initialKeys);
  }

  // ---- guardian sets ----

  /// @notice Installs `keys` as guardian set current + 1; the current set expires GUARDIAN_SET_EXPIRY from now.
  function upgradeGuardianSet(address[] calldata keys) external onlyOwner {
    uint32 previous = s_currentGuardianSetIndex;
    uint32 next = previous + 1;
    uint32 expiresAt = uint32(block.timestamp) + GUARDIAN_SET_EXPIRY;
    s_guardianSets[previous].expirationTime = expiresAt;
    emit GuardianSetExpirySet(previous, expiresAt);
    s_currentGuardianSetIndex = next;
    _storeGuardianSet(next, keys);
  }

  function getCurrentGuardianSetIndex() external view returns (uint32) {
    return s_currentGuardianSetIndex;
  }

  /// @return keys the set's guardians by index; empty for an unknown index.
  /// @return expirationTime unix seconds after which the set no longer verifies; 0 for the current set.
  function getGuardianSet(uint32 index) external view returns (address[] memory keys, uint32 expirationTime) {
    GuardianSetRecord memory set = s_guardianSets[index];
    bytes memory packed = _loadKeys(set);
    keys = new address[](set.size);
    for (uint256 i; i < set.size; ++i) {
      keys[i] = _keyAt(packed, i);
    }
    expirationTime = set.expirationTime;
  }

  /// @notice Wormhole's quorum: more than two thirds of the guardians.
  function quorum(uint256 guardians) public pure returns (uint256) {
    return (guardians * 2) / 3 + 1;
  }

  // ---- emitter allow-list ----

  /// @notice Removes, then adds (Wormhole chain id, emitter) pairs. Events only for pairs that changed.
  function applyEmitterUpdates(Emitter[] calldata removes, Emitter[] calldata adds) external onlyOwner {
    for (uint256 i; i < removes.length; ++i) {
      Emitter calldata r = removes[i];
      if (!s_allowedEmitters[r.chainId][r.emitterAddress]) continue;
      s_allowedEmitters[r.chainId][r.emitterAddress] = false;
      emit EmitterRemoved(r.chainId, r.emitterAddress);
    }
    for (uint256 i; i < adds.length; ++i) {
      Emitter calldata a = adds[i];
      if (a.chainId == 0 || a.emitterAddress == bytes32(0)) revert InvalidEmitter(a.chainId, a.emitterAddress);
      if (s_allowedEmitters[a.chainId][a.emitterAddress]) continue;
      s_allowedEmitters[a.chainId][a.emitterAddress] = true;
      emit EmitterAllowed(a.chainId, a.emitterAddress);
    }
  }

  function isEmitterAllowed(uint16 emitterChainId, bytes32 emitterAddress) external view returns (bool) {
    return s_allowedEmitters[emitterChainId][emitterAddress];
  }

  function isVaaConsumed(bytes32 vaaHash) external view returns (bool) {
    return s_consumed[vaaHash];
  }

  function getTarget() external view returns (address) {
    return address(i_target);
  }

  /// @notice The VAA's fields as this adapter reads them (no signature or emitter check): for relayers and tests.
  function parseVaa(bytes calldata encodedVaa) external pure returns (WormholeVaa.Vaa memory vaa, bytes32 vaaHash) {
    vaa = WormholeVaa.parse(encodedVaa);
    vaaHash = WormholeVaa.digest(vaa);
  }

  // ---- delivery ----

  /// @notice Verifies `encodedVaa` and applies the attestation it carries. Permissionless: the guardian quorum
  /// authenticates the transport, the oracle quorum (checked by RwaReceiver) the attestation.
  function receiveVaa(bytes calldata encodedVaa) external {
    WormholeVaa.Vaa memory vaa = WormholeVaa.parse(encodedVaa);
    if (!s_allowedEmitters[vaa.emitterChainId][vaa.emitterAddress]) {
      revert EmitterNotAllowed(vaa.emitterChainId, vaa.emitterAddress);
    }
    bytes32 vaaHash = WormholeVaa.digest(vaa);
    _verifySignatures(vaa, vaaHash);
    if (WormholeVaa.payloadVersion(vaa) == WormholeVaa.BATCH_PAYLOAD_VERSION) return _receiveBatch(vaa, vaaHash);

    (uint64 destinationChainId, uint256 messageStart, uint256 messageEnd, uint256 payloadEnd) =
      WormholeVaa.parsePayload(vaa);
    if (destinationChainId != block.chainid) revert WrongDestinationChain(destinationChainId);

    if (s_consumed[vaaHash]) revert VaaAlreadyConsumed(vaaHash);
    s_consumed[vaaHash] = true;

    bytes calldata message = _calldataRange(messageStart, messageEnd);
    // A revert here bubbles with RwaReceiver's own reason (e.g. UnauthorizedSigner, NonceAlreadyUsed).
    i_target.receiveMessage(message, _calldataRange(messageEnd, payloadEnd));
    emit AttestationDelivered(vaaHash, vaa.emitterChainId, vaa.emitterAddress, vaa.sequence, keccak256(message));
  }

  /// @dev A batch payload (v2): every attestation in one RwaReceiver.receiveMessages call, which skips any already
  /// applied; any other failing item reverts the whole VAA (it stays deliverable).
  function _receiveBatch(WormholeVaa.Vaa memory vaa, bytes32 vaaHash) internal {
    (uint64 destinationChainId, uint256 itemsStart, uint256 payloadEnd) = WormholeVaa.parseBatchPayload(vaa);
    if (destinationChainId != block.chainid) revert WrongDestinationChain(destinationChainId);
    if (s_consumed[vaaHash]) revert VaaAlreadyConsumed(vaaHash);
    s_consumed[vaaHash] = true;

    (bytes[] memory messages, bytes[] memory signatures) =
      abi.decode(_calldataRange(itemsStart, payloadEnd), (bytes[], bytes[]));
    i_target.receiveMessages(messages, signatures);
    for (uint256 i; i < messages.length; ++i) {
      emit AttestationDelivered(vaaHash, vaa.emitterChainId, vaa.emitterAddress, vaa.sequence, keccak256(messages[i]));
    }
  }

  function _verifySignatures(WormholeVaa.Vaa memory vaa, bytes32 vaaHash) internal view {
    uint32 index = vaa.guardianSetIndex;
    GuardianSetRecord memory set = s_guardianSets[index];
    if (set.keys == address(0)) revert UnknownGuardianSet(index);
    // Wormhole: a set other than the current one verifies until its expiration time, inclusive.
    if (set.expirationTime != 0 && set.expirationTime < block.timestamp) {
      revert GuardianSetExpired(index, set.expirationTime);
    }
    uint256 needed = quorum(set.size);
    uint256 count = vaa.signatureCount;
    if (count < needed) revert NoQuorum(index, count, needed);

    bytes memory keys = _loadKeys(set);
    uint256 lowest; // the smallest guardian index the next signature may carry
    for (uint256 i; i < count; ++i) {
      (uint8 guardianIndex, bytes32 r, bytes32 s, uint8 recovery) = WormholeVaa.signatureAt(vaa, i);
      if (guardianIndex < lowest) revert GuardianIndexNotIncreasing(i, guardianIndex);
      if (guardianIndex >= set.size) revert GuardianIndexOutOfRange(guardianIndex, set.size);
      lowest = uint256(guardianIndex) + 1;
      if (recovery > 1 || uint256(s) > SECP256K1_HALF_N) revert InvalidGuardianSignature(guardianIndex);
      address signer = ecrecover(vaaHash, recovery + 27, r, s);
      if (signer == address(0) || signer != _keyAt(keys, guardianIndex)) revert InvalidGuardianSignature(guardianIndex);
    }
  }

  function _storeGuardianSet(uint32 index, address[] memory keys) internal {
    uint256 n = keys.length;
    if (n == 0 || n > MAX_GUARDIANS) revert InvalidGuardianSetSize(n);
    bytes memory packed;
    for (uint256 i; i < n; ++i) {
      address key = keys[i];
      // Zero is never a guardian (a failed ecrecover returns it); a duplicate would count one key twice.
      if (key == address(0)) revert InvalidGuardian(i, key);
      for (uint256 j; j < i; ++j) {
        if (keys[j] == key) revert InvalidGuardian(i, key);
      }
      packed = bytes.concat(packed, bytes20(key));
    }
    // Creation code that returns 0x00 ‖ packed as runtime code (the leading STOP makes the data contract inert).
    bytes memory creation = abi.encodePacked(hex"61", uint16(n * 20 + 1), hex"80600a3d393df300", packed);
    address pointer;
    assembly ("memory-safe") {
      pointer := create(0, add(creation, 0x20), mload(creation))
    }
    if (pointer == address(0)) revert GuardianKeysNotStored();
    s_guardianSets[index] = GuardianSetRecord({keys: pointer, expirationTime: 0, size: uint8(n)});
    emit GuardianSetAdded(index, keys);
  }

  function _loadKeys(GuardianSetRecord memory set) internal view returns (bytes memory packed) {
    uint256 len = uint256(set.size) * 20;
    packed = new bytes(len);
    address pointer = set.keys;
    if (pointer == address(0)) return packed;
    assembly ("memory-safe") {
      extcodecopy(pointer, add(packed, 0x20), 1, len)
    }
  }

  function _keyAt(bytes memory packed, uint256 i) internal pure returns (address key) {
    assembly ("memory-safe") {
      key := shr(96, mload(add(add(packed, 0x20), mul(i, 20))))
    }
  }

  function _calldataRange(uint256 start, uint256 end) internal pure returns (bytes calldata out) {
    assembly ("memory-safe") {
      out.offset := start
      out.length := sub(end, start)
    }
  }
}
