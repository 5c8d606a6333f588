// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../src/RwaReceiver.sol";
import {AttestationCodec} from "../src/libraries/AttestationCodec.sol";
import {AttestationFixture} from "./helpers/AttestationFixture.sol";

/// @notice receiveMessage with MEMO attestations (kind 17, trial of docs/adding-a-kind.md).
contract RwaReceiverMemoTest is AttestationFixture {
  function _memo(uint64 nonce, bytes32 memoHash) internal pure returns (bytes memory) {
    return abi.encodePacked(uint8(1), uint8(17), DID, nonce, memoHash);
  }

  function test_receiveMessage_MemoAppliesAndEmits() public {
    bytes memory m = _memo(2, keccak256("memo"));
    bytes memory sigs = adminQuorumSigs(m);
    vm.expectEmit(true, true, true, true, address(receiver));
    emit RwaReceiver.MemoAnchored(DID, 2, keccak256("memo"));
    receiver.receiveMessage(m, sigs);
    assertTrue(receiver.isNonceUsed(DID, 2));
  }

  function testFuzz_receiveMessage_RevertWhen_MemoLengthWrong(uint8 extra) public {
    bytes memory m = abi.encodePacked(_memo(2, bytes32(0)), new bytes(uint256(extra) + 1));
    bytes memory sigs = adminQuorumSigs(m);
    vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, m.length, 74));
    receiver.receiveMessage(m, sigs);
  }
}
