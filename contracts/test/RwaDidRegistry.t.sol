// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {stdError} from "forge-std/StdError.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {RwaDidRegistry} from "../src/RwaDidRegistry.sol";
import {IRwaDidRegistryEvents} from "../src/interfaces/IRwaDidRegistryEvents.sol";

contract RwaDidRegistryTest is Test {
  /// @dev A signer set's end far past any test's clock (2096), within the 32 bits receivers store.
  uint64 internal constant VALID_UNTIL = 4_000_000_000;
  string internal constant DID_STRING = "did:rwa:acme:ust-bill-2026";
  bytes32 internal constant DID = keccak256(bytes(DID_STRING));

  RwaDidRegistry internal registry;
  address internal owner = makeAddr("owner");
  address internal issuer = makeAddr("issuer");
  address internal custodian = makeAddr("custodian");
  address internal publisher = makeAddr("publisher");
  address internal stranger = makeAddr("stranger");

  function setUp() public {
    registry = new RwaDidRegistry(owner);
  }

  function _input(string memory did) internal returns (RwaDidRegistry.DidInput memory input) {
    input.did = did;
    input.name = "Acme UST Bill 2026";
    input.symbol = "aUSTB";
    input.config = RwaDidRegistry.DidConfig({
      issuer: issuer,
      navDecimals: 8,
      tokenDecimals: 6,
      threshold: 2,
      heartbeat: 1 days,
      maxNavMoveBps: 500
    });
    input.custodians = new address[](1);
    input.custodians[0] = custodian;
    input.navPublishers = new address[](1);
    input.navPublishers[0] = publisher;
    input.signers = _ascending(makeAddr("signer-0"), makeAddr("signer-1"), makeAddr("signer-2"));
    input.chainIds = new uint64[](2);
    input.chainIds[0] = 1;
    input.chainIds[1] = 8453;
    input.signersValidUntil = VALID_UNTIL;
  }

  /// @dev The three addresses sorted ascending, as the registry (and every receiver) requires.
  function _ascending(address a, address b, address c) internal pure returns (address[] memory s) {
    s = new address[](3);
    (s[0], s[1], s[2]) = (a, b, c);
    for (uint256 i = 1; i < 3; ++i) {
      for (uint256 j = i; j > 0 && s[j - 1] > s[j]; --j) {
        (s[j - 1], s[j]) = (s[j], s[j - 1]);
      }
    }
  }

  function _register(RwaDidRegistry.DidInput memory input) internal returns (bytes32) {
    vm.prank(owner);
    return registry.registerDid(input);
  }

  function _expectRevertRegister(RwaDidRegistry.DidInput memory input, bytes memory revertData) internal {
    vm.expectRevert(revertData);
    vm.prank(owner);
    registry.registerDid(input);
    assertEq(registry.didCount(), 0);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // registerDid
  // ---------------------------------------------------------------------------------------------------------------

  function test_registerDid_StoresRecord() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    bytes32 did = _register(input);
    assertEq(did, DID);

    RwaDidRegistry.DidRecord memory rec = registry.getDid(DID);
    assertEq(rec.did, DID_STRING);
    assertEq(rec.name, input.name);
    assertEq(rec.symbol, input.symbol);
    assertEq(rec.config.issuer, issuer);
    assertEq(rec.config.navDecimals, 8);
    assertEq(rec.config.tokenDecimals, 6);
    assertEq(rec.config.threshold, 2);
    assertEq(rec.config.heartbeat, 1 days);
    assertEq(rec.config.maxNavMoveBps, 500);
    assertEq(rec.signers, input.signers);
    assertEq(rec.chainIds.length, 2);
    assertEq(rec.chainIds[0], 1);
    assertEq(rec.chainIds[1], 8453);

    assertTrue(registry.isRegistered(DID));
    assertTrue(registry.isCustodian(DID, custodian));
    assertTrue(registry.isNavPublisher(DID, publisher));
    assertFalse(registry.isCustodian(DID, publisher));
    assertFalse(registry.isNavPublisher(DID, custodian));
    assertEq(registry.didCount(), 1);
    assertEq(registry.didAt(0), DID);
  }

  function test_registerDid_StoresTheSetsEnd() public {
    _register(_input(DID_STRING));
    assertEq(registry.getDid(DID).signersValidUntil, VALID_UNTIL);
  }

  function test_RevertWhen_registerDid_SetsEndNotInFuture() public {
    vm.warp(1_000);
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    input.signersValidUntil = 1_000;
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidSignersValidUntil.selector, uint64(1_000), uint256(1_000)));
    input.signersValidUntil = uint64(type(uint32).max) + 1;
    _expectRevertRegister(
      input, abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidSignersValidUntil.selector, uint64(type(uint32).max) + 1, uint256(1_000))
    );
  }

  function test_registerDid_EmitsRegisteredThenRoles() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.DidRegistered(DID, DID_STRING, issuer, VALID_UNTIL);
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.CustodianSet(DID, custodian, true);
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.NavPublisherSet(DID, publisher, true);
    _register(input);
  }

  function test_registerDid_ListsDidsInOrder() public {
    bytes32 a = _register(_input("did:rwa:acme:a"));
    bytes32 b = _register(_input("did:rwa:acme:b"));
    assertEq(registry.didCount(), 2);
    assertEq(registry.didAt(0), a);
    assertEq(registry.didAt(1), b);
    assertEq(a, keccak256("did:rwa:acme:a"));
  }

  function test_registerDid_AcceptsShortestAndLongestDid() public {
    _register(_input("did:rwa:x"));
    bytes memory longest = new bytes(128);
    for (uint256 i; i < 128; ++i) {
      longest[i] = "a";
    }
    bytes memory prefix = "did:rwa:";
    for (uint256 i; i < 8; ++i) {
      longest[i] = prefix[i];
    }
    _register(_input(string(longest)));
    assertEq(registry.didCount(), 2);
  }

  function test_registerDid_AcceptsNoCustodiansOrPublishers() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    input.custodians = new address[](0);
    input.navPublishers = new address[](0);
    _register(input);
    assertFalse(registry.isCustodian(DID, custodian));
  }

  function test_RevertWhen_registerDid_WrongPrefix() public {
    string[4] memory bad = ["did:eth:acme:x", "DID:RWA:acme:x", "rwa:acme:ust-bill", " did:rwa:acme"];
    for (uint256 i; i < bad.length; ++i) {
      _expectRevertRegister(_input(bad[i]), abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidDid.selector, bad[i]));
    }
  }

  function test_RevertWhen_registerDid_PrefixOnlyOrEmpty() public {
    _expectRevertRegister(_input("did:rwa:"), abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidDid.selector, "did:rwa:"));
    _expectRevertRegister(_input(""), abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidDid.selector, ""));
  }

  function test_RevertWhen_registerDid_TooLong() public {
    bytes memory tooLong = bytes.concat("did:rwa:", new bytes(121)); // 129 bytes
    _expectRevertRegister(
      _input(string(tooLong)), abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidDid.selector, string(tooLong))
    );
  }

  function test_RevertWhen_registerDid_AlreadyRegistered() public {
    _register(_input(DID_STRING));
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.DidAlreadyRegistered.selector, DID));
    vm.prank(owner);
    registry.registerDid(_input(DID_STRING));
    assertEq(registry.didCount(), 1);
  }

  function test_RevertWhen_registerDid_ZeroIssuer() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    input.config.issuer = address(0);
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidAddress.selector, address(0)));
  }

  function test_RevertWhen_registerDid_NavDecimalsAbove36() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    input.config.navDecimals = 37;
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidNavDecimals.selector, 37));
  }

  function test_RevertWhen_registerDid_ThresholdZero() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    input.config.threshold = 0;
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidThreshold.selector, 0, 3));
  }

  function test_RevertWhen_registerDid_ThresholdAboveSignerCount() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    input.config.threshold = 4;
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidThreshold.selector, 4, 3));
  }

  function test_RevertWhen_registerDid_NoChains() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    input.chainIds = new uint64[](0);
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.NoChains.selector));
  }

  function test_RevertWhen_registerDid_ZeroSigner() public {
    // Signers must be strictly ascending, so a zero address anywhere breaks the order at or before its index.
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    input.signers[1] = address(0);
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.SignersNotAscending.selector, 1));
    input.signers[0] = address(0);
    input.signers[1] = makeAddr("signer-1");
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.SignersNotAscending.selector, 0));
  }

  function test_RevertWhen_registerDid_SignersNotAscending() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    (input.signers[1], input.signers[2]) = (input.signers[2], input.signers[1]);
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.SignersNotAscending.selector, 2));
  }

  function test_RevertWhen_registerDid_DuplicateSigner() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    input.signers[2] = input.signers[1];
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.SignersNotAscending.selector, 2));
  }

  function test_RevertWhen_registerDid_ZeroCustodian() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    input.custodians[0] = address(0);
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidAddress.selector, address(0)));
  }

  function test_RevertWhen_registerDid_ZeroNavPublisher() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    input.navPublishers[0] = address(0);
    _expectRevertRegister(input, abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidAddress.selector, address(0)));
  }

  function test_RevertWhen_registerDid_CallerNotOwner() public {
    RwaDidRegistry.DidInput memory input = _input(DID_STRING);
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, issuer));
    vm.prank(issuer);
    registry.registerDid(input);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // setCustodian / setNavPublisher
  // ---------------------------------------------------------------------------------------------------------------

  function test_setCustodian_ByIssuer() public {
    _register(_input(DID_STRING));
    address second = makeAddr("custodian-2");
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.CustodianSet(DID, second, true);
    vm.prank(issuer);
    registry.setCustodian(DID, second, true);
    assertTrue(registry.isCustodian(DID, second));
  }

  function test_setCustodian_ByOwnerRevokes() public {
    _register(_input(DID_STRING));
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.CustodianSet(DID, custodian, false);
    vm.prank(owner);
    registry.setCustodian(DID, custodian, false);
    assertFalse(registry.isCustodian(DID, custodian));
  }

  function test_RevertWhen_setCustodian_CallerIsStranger() public {
    _register(_input(DID_STRING));
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
    vm.prank(stranger);
    registry.setCustodian(DID, stranger, true);
    assertFalse(registry.isCustodian(DID, stranger));
  }

  function test_RevertWhen_setCustodian_CallerIsCustodian() public {
    _register(_input(DID_STRING));
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, custodian));
    vm.prank(custodian);
    registry.setCustodian(DID, stranger, true);
  }

  function test_RevertWhen_setCustodian_IssuerOfAnotherDid() public {
    _register(_input(DID_STRING));
    RwaDidRegistry.DidInput memory other = _input("did:rwa:other:fund");
    address otherIssuer = makeAddr("other-issuer");
    other.config.issuer = otherIssuer;
    bytes32 otherDid = _register(other);
    assertEq(otherDid, keccak256("did:rwa:other:fund"));

    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, otherIssuer));
    vm.prank(otherIssuer);
    registry.setCustodian(DID, stranger, true);
  }

  function test_RevertWhen_setCustodian_UnknownDid() public {
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.UnknownDid.selector, DID));
    vm.prank(owner);
    registry.setCustodian(DID, custodian, true);
  }

  function test_RevertWhen_setCustodian_ZeroAddress() public {
    _register(_input(DID_STRING));
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidAddress.selector, address(0)));
    vm.prank(issuer);
    registry.setCustodian(DID, address(0), true);
  }

  function test_setNavPublisher_ByIssuerAndOwner() public {
    _register(_input(DID_STRING));
    address second = makeAddr("publisher-2");
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.NavPublisherSet(DID, second, true);
    vm.prank(issuer);
    registry.setNavPublisher(DID, second, true);
    assertTrue(registry.isNavPublisher(DID, second));

    vm.prank(owner);
    registry.setNavPublisher(DID, second, false);
    assertFalse(registry.isNavPublisher(DID, second));
  }

  function test_RevertWhen_setNavPublisher_CallerIsStranger() public {
    _register(_input(DID_STRING));
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
    vm.prank(stranger);
    registry.setNavPublisher(DID, stranger, true);
  }

  function test_RevertWhen_setNavPublisher_UnknownDid() public {
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.UnknownDid.selector, DID));
    vm.prank(issuer);
    registry.setNavPublisher(DID, publisher, true);
  }

  function test_RevertWhen_setNavPublisher_ZeroAddress() public {
    _register(_input(DID_STRING));
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidAddress.selector, address(0)));
    vm.prank(owner);
    registry.setNavPublisher(DID, address(0), true);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // views
  // ---------------------------------------------------------------------------------------------------------------

  function test_views_EmptyRegistry() public view {
    assertFalse(registry.isRegistered(DID));
    assertFalse(registry.isCustodian(DID, custodian));
    assertFalse(registry.isNavPublisher(DID, publisher));
    assertEq(registry.didCount(), 0);
    assertEq(registry.owner(), owner);
  }

  function test_RevertWhen_getDid_UnknownDid() public {
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.UnknownDid.selector, DID));
    registry.getDid(DID);
  }

  function test_RevertWhen_didAt_OutOfRange() public {
    vm.expectRevert(stdError.indexOOBError);
    registry.didAt(0);
  }
}
