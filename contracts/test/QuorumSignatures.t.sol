// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {QuorumSignatures} from "../src/receiver/QuorumSignatures.sol";
import {RwaReceiver} from "../src/RwaReceiver.sol";

/// @dev The library on calldata, as the receiver and RwaBrakesModule use it.
contract QuorumSignaturesHarness {
  function recover(bytes32 digest, bytes calldata signatures, uint256 i) external view returns (address) {
    return QuorumSignatures.recover(digest, signatures, i);
  }

  function nextSigner(bytes32 digest, bytes calldata signatures, uint256 i, address last) external view returns (address) {
    return QuorumSignatures.nextSigner(digest, signatures, i, last);
  }

  function requireCount(bytes calldata signatures, uint256 n) external pure {
    QuorumSignatures.requireCount(signatures, n);
  }
}

/// @notice The one signature recovery of the receiver's quorums and the guardians' curse (read from calldata in
/// assembly): it recovers exactly the signer, refuses the malleated twin, a bad v, a signature that recovers no key
/// and an index past the end, with the receiver's errors.
contract QuorumSignaturesTest is Test {
  uint256 internal constant SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;
  QuorumSignaturesHarness internal harness;

  function setUp() public {
    harness = new QuorumSignaturesHarness();
  }

  function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
    (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
    return abi.encodePacked(r, s, v);
  }

  function _key(uint256 seed) internal pure returns (uint256) {
    return bound(seed, 1, SECP256K1_N - 1);
  }

  function testFuzz_recover_ReturnsTheSignerOfEachSignature(uint256 seedA, uint256 seedB, bytes32 digest) public view {
    uint256 a = _key(seedA);
    uint256 b = _key(seedB);
    bytes memory sigs = bytes.concat(_sign(a, digest), _sign(b, digest));
    assertEq(harness.recover(digest, sigs, 0), vm.addr(a));
    assertEq(harness.recover(digest, sigs, 1), vm.addr(b));
  }

  function testFuzz_RevertWhen_recover_HighS(uint256 seed, bytes32 digest) public {
    (uint8 v, bytes32 r, bytes32 s) = vm.sign(_key(seed), digest);
    // The malleated twin (n - s, other v) recovers the same key: refused.
    bytes memory twin = abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignature.selector, 0));
    harness.recover(digest, twin, 0);
  }

  function testFuzz_RevertWhen_recover_VNot27Or28(uint256 seed, bytes32 digest, uint8 badV) public {
    vm.assume(badV != 27 && badV != 28);
    (, bytes32 r, bytes32 s) = vm.sign(_key(seed), digest);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignature.selector, 0));
    harness.recover(digest, abi.encodePacked(r, s, badV), 0);
  }

  function test_RevertWhen_recover_NoKeyRecovers() public {
    // r = 0 is not a point: the precompile returns nothing.
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignature.selector, 0));
    harness.recover(keccak256("d"), abi.encodePacked(bytes32(0), bytes32(uint256(1)), uint8(27)), 0);
  }

  function testFuzz_RevertWhen_recover_IndexPastTheEnd(uint256 seed, uint256 i, uint8 extra) public {
    bytes32 digest = keccak256("d");
    // One whole signature and up to 64 stray bytes: only index 0 lies inside.
    bytes memory sigs = bytes.concat(_sign(_key(seed), digest), new bytes(bound(extra, 0, 64)));
    i = bound(i, 1, 1_000);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignature.selector, i));
    harness.recover(digest, sigs, i);
  }

  function testFuzz_RevertWhen_nextSigner_NotAbovePrevious(uint256 seed, bytes32 digest, uint160 above) public {
    uint256 key = _key(seed);
    address signer = vm.addr(key);
    address last = address(uint160(bound(above, uint160(signer), type(uint160).max)));
    bytes memory sig = _sign(key, digest);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.SignersNotAscending.selector, 0));
    harness.nextSigner(digest, sig, 0, last);
    if (uint160(signer) > 0) assertEq(harness.nextSigner(digest, sig, 0, address(uint160(signer) - 1)), signer);
  }

  function testFuzz_RevertWhen_requireCount_WrongLength(uint8 n, uint16 length) public {
    vm.assume(length != uint256(n) * 65);
    vm.expectRevert(abi.encodeWithSelector(RwaReceiver.InvalidSignatureCount.selector, length, uint256(n) * 65));
    harness.requireCount(new bytes(length), n);
    harness.requireCount(new bytes(uint256(n) * 65), n);
  }
}
