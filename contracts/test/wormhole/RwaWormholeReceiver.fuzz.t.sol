// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaWormholeReceiver} from "../../src/wormhole/RwaWormholeReceiver.sol";
import {WormholeVaa} from "../../src/wormhole/WormholeVaa.sol";
import {WormholeFixture} from "./helpers/WormholeFixture.sol";

/// @notice Arbitrary and mutated bytes into the VAA parser and the full delivery: every refusal is one of our custom
/// errors (never a panic, never an empty revert), and no mutation of a signed VAA is ever accepted.
contract RwaWormholeReceiverFuzzTest is WormholeFixture {
  function _isParserError(bytes4 sel) internal pure returns (bool) {
    return sel == WormholeVaa.VaaTooShort.selector || sel == WormholeVaa.UnsupportedVaaVersion.selector;
  }

  function _isDeliveryError(bytes4 sel) internal pure returns (bool) {
    return _isParserError(sel) || sel == WormholeVaa.PayloadTooShort.selector
      || sel == WormholeVaa.UnsupportedPayloadVersion.selector || sel == RwaWormholeReceiver.UnknownGuardianSet.selector
      || sel == RwaWormholeReceiver.GuardianSetExpired.selector || sel == RwaWormholeReceiver.NoQuorum.selector
      || sel == RwaWormholeReceiver.GuardianIndexNotIncreasing.selector
      || sel == RwaWormholeReceiver.GuardianIndexOutOfRange.selector
      || sel == RwaWormholeReceiver.InvalidGuardianSignature.selector
      || sel == RwaWormholeReceiver.EmitterNotAllowed.selector
      || sel == RwaWormholeReceiver.WrongDestinationChain.selector
      || sel == RwaWormholeReceiver.VaaAlreadyConsumed.selector;
  }

  function _selector(bytes memory reason) internal pure returns (bytes4 sel) {
    assertGe(reason.length, 4, "revert without a custom error");
    assembly ("memory-safe") {
      sel := mload(add(reason, 0x20))
    }
  }

  function testFuzz_parseVaa_RefusesOnlyWithCustomErrors(bytes calldata data) public view {
    try adapter.parseVaa(data) returns (WormholeVaa.Vaa memory v, bytes32) {
      assertEq(uint8(data[0]), 1);
      assertEq(data.length, 6 + 66 * v.signatureCount + 51 + v.payloadLength);
    } catch (bytes memory reason) {
      assertTrue(_isParserError(_selector(reason)), "parser refused with an unexpected error");
    }
  }

  /// @dev Arbitrary bytes behind a valid version byte and a small signature count, so the parser gets deep.
  function testFuzz_receiveVaa_ArbitraryBytesRefusedWithCustomErrors(uint8 count, bytes calldata tail) public {
    bytes memory vaa = abi.encodePacked(uint8(1), uint32(0), uint8(bound(count, 0, 6)), tail);
    try adapter.receiveVaa(vaa) {
      assertTrue(false, "arbitrary bytes were accepted");
    } catch (bytes memory reason) {
      assertTrue(_isDeliveryError(_selector(reason)), "delivery refused with an unexpected error");
    }
  }

  function testFuzz_receiveVaa_AnyByteFlipIsRefused(uint256 position, uint8 mask) public {
    bytes memory vaa = quorumVaa(encodeBody(subscriptionBody(1, 0)));
    position = bound(position, 0, vaa.length - 1);
    uint8 m = uint8(bound(mask, 1, 255));
    vaa[position] = bytes1(uint8(vaa[position]) ^ m);
    try adapter.receiveVaa(vaa) {
      assertTrue(false, "a mutated VAA was accepted");
    } catch (bytes memory reason) {
      bytes4 sel = _selector(reason);
      // A flip inside the payload's oracle signatures may reach RwaReceiver, which refuses with its own errors.
      bool oracle = sel == RwaReceiver.InvalidSignature.selector || sel == RwaReceiver.UnauthorizedSigner.selector
        || sel == RwaReceiver.SignersNotAscending.selector || sel == RwaReceiver.InvalidSignatureCount.selector;
      assertTrue(_isDeliveryError(sel) || oracle, "mutation refused with an unexpected error");
    }
    assertEq(holdings.balanceOf(alice), 0);
  }

  function testFuzz_receiveVaa_TruncationIsRefused(uint256 length) public {
    bytes memory vaa = quorumVaa(encodeBody(subscriptionBody(1, 0)));
    bytes memory cut = truncate(vaa, bound(length, 0, vaa.length - 1));
    try adapter.receiveVaa(cut) {
      assertTrue(false, "a truncated VAA was accepted");
    } catch (bytes memory reason) {
      assertTrue(_isDeliveryError(_selector(reason)), "truncation refused with an unexpected error");
    }
  }
}
