// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {RwaDidRegistry} from "../src/RwaDidRegistry.sol";
import {IRwaDidRegistryEvents} from "../src/interfaces/IRwaDidRegistryEvents.sol";
import {LiquidityFloor} from "../src/libraries/LiquidityFloor.sol";
import {RegistryFixture} from "./helpers/RegistryFixture.sol";

/// @notice The buy-back custodian role and the issuer's liquidity settings in the hub registry.
contract RwaDidRegistrySetBuyBackTest is RegistryFixture {
  address internal buyBack = makeAddr("buy-back custodian");
  address internal custodian = makeAddr("custodian");

  function setUp() public {
    _registerDid(_oneChain(1));
    vm.prank(issuer);
    registry.setCustodian(DID, custodian, true);
  }

  function _bands() internal pure returns (LiquidityFloor.Bands memory) {
    return LiquidityFloor.Bands({minShareBps: 100, stageBBelowBps: 10_000, stageCBelowBps: 7_000, staleFloor: true, stressRateBps: 3_000, horizonDays: 7});
  }

  function test_setBuyBack_IssuerSetsRoleAndBands() public {
    vm.expectEmit(true, true, true, true, address(registry));
    emit IRwaDidRegistryEvents.BuyBackSet(DID, buyBack, 100, 10_000, 7_000, true, 3_000, 7);
    vm.prank(issuer);
    registry.setBuyBack(DID, buyBack, _bands());
    (address c, LiquidityFloor.Bands memory b) = registry.buyBackOf(DID);
    assertEq(c, buyBack);
    assertEq(b.minShareBps, 100);
    assertEq(b.stageCBelowBps, 7_000);
    assertEq(b.stressRateBps, 3_000);
    assertEq(b.horizonDays, 7);
    assertTrue(b.staleFloor);
    assertTrue(registry.isBuyBackCustodian(DID, buyBack));
    assertFalse(registry.isBuyBackCustodian(DID, custodian));
    assertFalse(registry.isBuyBackCustodian(DID, address(0)));
  }

  function test_setBuyBack_OwnerMaySetAndZeroRemoves() public {
    vm.prank(owner);
    registry.setBuyBack(DID, buyBack, _bands());
    vm.prank(owner);
    registry.setBuyBack(DID, address(0), _bands());
    assertFalse(registry.isBuyBackCustodian(DID, buyBack));
  }

  function test_RevertWhen_setBuyBack_AnAssetCustodian() public {
    vm.prank(issuer);
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.CustodianRoleConflict.selector, DID, custodian));
    registry.setBuyBack(DID, custodian, _bands());
  }

  function test_RevertWhen_setCustodian_TheBuyBackCustodian() public {
    vm.prank(issuer);
    registry.setBuyBack(DID, buyBack, _bands());
    vm.prank(issuer);
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.CustodianRoleConflict.selector, DID, buyBack));
    registry.setCustodian(DID, buyBack, true);
    // Revoking is never a conflict.
    vm.prank(issuer);
    registry.setCustodian(DID, buyBack, false);
    assertFalse(registry.isCustodian(DID, buyBack));
  }

  function test_RevertWhen_setBuyBack_NotIssuerOrOwner() public {
    vm.prank(stranger);
    vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
    registry.setBuyBack(DID, buyBack, _bands());
  }

  function test_RevertWhen_setBuyBack_UnknownDid() public {
    vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.UnknownDid.selector, bytes32(uint256(1))));
    registry.setBuyBack(bytes32(uint256(1)), buyBack, _bands());
  }

  function test_RevertWhen_setBuyBack_BandsInvalid() public {
    LiquidityFloor.Bands memory b = _bands();
    b.stageCBelowBps = 10_001;
    _expectInvalid(b);
    b = _bands();
    b.minShareBps = 10_001;
    _expectInvalid(b);
    b = _bands();
    b.stressRateBps = 10_001;
    _expectInvalid(b);
    b = _bands();
    b.horizonDays = 3651;
    _expectInvalid(b);
  }

  function testFuzz_setBuyBack_StoresWhatIsValid(uint16 share, uint16 bBand, uint16 cBand, uint16 stress, uint16 horizon) public {
    LiquidityFloor.Bands memory b = LiquidityFloor.Bands(share, bBand, cBand, false, stress, horizon);
    bool valid = share <= 10_000 && stress <= 10_000 && cBand <= bBand && horizon <= 3650;
    if (!valid) {
      vm.expectRevert(abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidLiquidityBands.selector, share, bBand, cBand, stress, horizon));
    }
    vm.prank(issuer);
    registry.setBuyBack(DID, buyBack, b);
    (address c,) = registry.buyBackOf(DID);
    assertEq(c, valid ? buyBack : address(0));
  }

  function _expectInvalid(LiquidityFloor.Bands memory b) internal {
    vm.prank(issuer);
    vm.expectRevert(
      abi.encodeWithSelector(IRwaDidRegistryEvents.InvalidLiquidityBands.selector, b.minShareBps, b.stageBBelowBps, b.stageCBelowBps, b.stressRateBps, b.horizonDays)
    );
    registry.setBuyBack(DID, buyBack, b);
  }
}
