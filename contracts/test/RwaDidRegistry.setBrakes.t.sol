// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RegistryFixture} from "./helpers/RegistryFixture.sol";
import {RwaDidRegistry} from "../src/RwaDidRegistry.sol";
import {IRwaDidRegistryEvents} from "../src/interfaces/IRwaDidRegistryEvents.sol";
import {HubBrakes} from "../src/libraries/HubBrakes.sol";

/// @notice RwaDidRegistry.setBrakes: the hub-side source of the brakes attestations (kind 14), per DID and chain.
contract RwaDidRegistrySetBrakesTest is RegistryFixture {
  uint64 internal constant BASE = 8453;
  uint64 internal constant ARBITRUM = 42_161;

  function setUp() public {
    uint64[] memory chainIds = new uint64[](2);
    chainIds[0] = BASE;
    chainIds[1] = ARBITRUM;
    _registerDid(chainIds);
    // Three signers, 2 of 3: the line's threshold may be 2 or 3.
    address[] memory signers = new address[](3);
    signers[0] = address(0x1000);
    signers[1] = address(0x2000);
    signers[2] = address(0x3000);
    vm.prank(issuer);
    registry.updateConfig(DID, signers, 2, 1 days, 500, uint64(block.timestamp + 365 days));
  }

  function _brakes() internal pure returns (HubBrakes.Brakes memory) {
    return HubBrakes.Brakes({
      mintCapacity: 1_000e6,
      mintRefillPerSecond: 10e6,
      burnCapacity: 500e6,
      burnRefillPerSecond: 5e6,
      largeAmount: 250e6,
      largeThreshold: 3
    });
  }

  /// @dev The receivers' exact decimal form, restated: m * 10^e with m < 2^32.
  function _representable(uint256 v) internal pure returns (bool) {
    while (v >= 2 ** 32 && v % 10 == 0) v /= 10;
    return v < 2 ** 32;
  }

  function _assertBrakes(HubBrakes.Brakes memory got, HubBrakes.Brakes memory want) internal pure {
    assertEq(got.mintCapacity, want.mintCapacity, "mintCapacity");
    assertEq(got.mintRefillPerSecond, want.mintRefillPerSecond, "mintRefillPerSecond");
    assertEq(got.burnCapacity, want.burnCapacity, "burnCapacity");
    assertEq(got.burnRefillPerSecond, want.burnRefillPerSecond, "burnRefillPerSecond");
    assertEq(got.largeAmount, want.largeAmount, "largeAmount");
    assertEq(got.largeThreshold, want.largeThreshold, "largeThreshold");
  }

  function test_brakesOf_NoneUntilSet() public view {
    HubBrakes.Brakes memory none;
    _assertBrakes(registry.brakesOf(DID, BASE), none);
  }

  function test_setBrakes_ByTheIssuerStoresPerChainAndEmits() public {
    HubBrakes.Brakes memory b = _brakes();
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.BrakesSet(DID, ARBITRUM, 1_000e6, 10e6, 500e6, 5e6, 250e6, 3);
    vm.prank(issuer);
    registry.setBrakes(DID, ARBITRUM, b);
    _assertBrakes(registry.brakesOf(DID, ARBITRUM), b);
    HubBrakes.Brakes memory none;
    _assertBrakes(registry.brakesOf(DID, BASE), none);
  }

  function test_setBrakes_ByTheOwnerAndAllZeroLiftsThem() public {
    vm.prank(owner);
    registry.setBrakes(DID, BASE, _brakes());
    HubBrakes.Brakes memory none;
    vm.prank(issuer);
    registry.setBrakes(DID, BASE, none);
    _assertBrakes(registry.brakesOf(DID, BASE), none);
  }

  function test_RevertWhen_setBrakes_NeitherIssuerNorOwner() public {
    HubBrakes.Brakes memory b = _brakes();
    vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", stranger));
    vm.prank(stranger);
    registry.setBrakes(DID, BASE, b);
  }

  function test_RevertWhen_setBrakes_UnknownDid() public {
    bytes32 unknown = keccak256("did:rwa:nobody:nothing");
    HubBrakes.Brakes memory b = _brakes();
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.UnknownDid.selector, unknown));
    vm.prank(issuer);
    registry.setBrakes(unknown, BASE, b);
  }

  function test_RevertWhen_setBrakes_ChainNotEnabled() public {
    HubBrakes.Brakes memory b = _brakes();
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.ChainNotEnabled.selector, DID, uint64(10)));
    vm.prank(issuer);
    registry.setBrakes(DID, 10, b);
  }

  function test_RevertWhen_setBrakes_BucketWithoutRefillOrRefillWithoutBucket() public {
    HubBrakes.Brakes memory b = _brakes();
    b.mintRefillPerSecond = 0;
    vm.expectRevert(abi.encodeWithSelector(HubBrakes.InvalidBrakesBucket.selector, uint8(0), uint128(1_000e6), uint128(0)));
    vm.prank(issuer);
    registry.setBrakes(DID, BASE, b);
    b = _brakes();
    b.burnCapacity = 0;
    vm.expectRevert(abi.encodeWithSelector(HubBrakes.InvalidBrakesBucket.selector, uint8(1), uint128(0), uint128(5e6)));
    vm.prank(issuer);
    registry.setBrakes(DID, BASE, b);
  }

  function test_RevertWhen_setBrakes_LargeThresholdOutsideThresholdToSignerCount() public {
    uint8[3] memory bad = [0, 1, 4];
    for (uint256 i; i < bad.length; ++i) {
      HubBrakes.Brakes memory b = _brakes();
      b.largeThreshold = bad[i];
      vm.expectRevert(
        abi.encodeWithSelector(HubBrakes.InvalidLargeThreshold.selector, uint128(250e6), bad[i], uint8(2), uint256(3))
      );
      vm.prank(issuer);
      registry.setBrakes(DID, BASE, b);
    }
  }

  function test_RevertWhen_setBrakes_AmountAboveTheReceiversRange() public {
    uint256 max = type(uint96).max;
    HubBrakes.Brakes memory b = _brakes();
    b.mintCapacity = uint128(max) + 1;
    vm.expectRevert(abi.encodeWithSelector(HubBrakes.BrakesOutOfRange.selector, max + 1, max));
    vm.prank(issuer);
    registry.setBrakes(DID, BASE, b);
    b = _brakes();
    b.largeAmount = type(uint128).max;
    vm.expectRevert(abi.encodeWithSelector(HubBrakes.BrakesOutOfRange.selector, uint256(type(uint128).max), max));
    vm.prank(issuer);
    registry.setBrakes(DID, BASE, b);
  }

  function test_RevertWhen_setBrakes_LineTheReceiversCannotStoreExactly() public {
    HubBrakes.Brakes memory b = _brakes();
    b.largeAmount = uint128(type(uint32).max) + 1; // 4,294,967,296: 33 bits of mantissa, no trailing zero
    vm.expectRevert(abi.encodeWithSelector(HubBrakes.LineNotRepresentable.selector, b.largeAmount));
    vm.prank(issuer);
    registry.setBrakes(DID, BASE, b);
    b.largeAmount = 4_294_967_295 * 10 ** 12; // a 32-bit mantissa times a power of ten: stored exactly
    vm.prank(issuer);
    registry.setBrakes(DID, BASE, b);
    assertEq(registry.brakesOf(DID, BASE).largeAmount, b.largeAmount);
  }

  function test_RevertWhen_setBrakes_ThresholdWithoutLine() public {
    HubBrakes.Brakes memory b = _brakes();
    b.largeAmount = 0;
    vm.expectRevert(abi.encodeWithSelector(HubBrakes.InvalidLargeThreshold.selector, uint128(0), uint8(3), uint8(2), uint256(3)));
    vm.prank(issuer);
    registry.setBrakes(DID, BASE, b);
  }

  /// @dev The rule restated: each bucket is 0/0 or both non-zero; the line's threshold is 0 without a line, else
  /// within threshold (2) .. signer count (3). Accepted values read back unchanged; refused ones change nothing.
  function testFuzz_setBrakes_AcceptsExactlyTheValidBrakes(HubBrakes.Brakes memory b) public {
    b.mintRefillPerSecond = uint128(bound(b.mintRefillPerSecond, 0, 3)) == 0 ? 0 : b.mintRefillPerSecond;
    // Mostly within the receivers' 96 bits, sometimes past them.
    if (b.mintCapacity % 8 != 0) b.mintCapacity = uint128(bound(b.mintCapacity, 0, type(uint96).max));
    if (b.burnCapacity % 8 != 0) b.burnCapacity = uint128(bound(b.burnCapacity, 0, type(uint96).max));
    if (b.largeAmount % 8 != 0) b.largeAmount = uint128(bound(b.largeAmount, 0, type(uint32).max)) * uint128(10 ** (b.largeAmount % 12));
    b.largeThreshold = uint8(bound(b.largeThreshold, 0, 5));
    if (b.largeThreshold % 2 == 0) b.largeAmount = 0;
    bool mintOk = (b.mintCapacity == 0) == (b.mintRefillPerSecond == 0);
    bool burnOk = (b.burnCapacity == 0) == (b.burnRefillPerSecond == 0);
    bool lineOk = b.largeAmount == 0 ? b.largeThreshold == 0 : (b.largeThreshold >= 2 && b.largeThreshold <= 3);
    uint256 max = type(uint96).max;
    lineOk = lineOk && b.mintCapacity <= max && b.burnCapacity <= max && b.largeAmount <= max && _representable(b.largeAmount);
    HubBrakes.Brakes memory before = registry.brakesOf(DID, BASE);
    if (!(mintOk && burnOk && lineOk)) vm.expectRevert();
    vm.prank(issuer);
    registry.setBrakes(DID, BASE, b);
    _assertBrakes(registry.brakesOf(DID, BASE), mintOk && burnOk && lineOk ? b : before);
  }
}
