// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Test} from "forge-std/Test.sol";
import {AttestationCodec} from "../../src/libraries/AttestationCodec.sol";
import {AdminCodec} from "../../src/libraries/AdminCodec.sol";
import {TransportQuorumRule} from "../../src/libraries/TransportQuorumRule.sol";

/// @dev The kind-12 decoder on calldata, after the header check, as the receiver runs it.
contract TransportQuorumCodecHarness {
  function decode(bytes calldata m) external pure returns (AttestationCodec.Header memory h, uint64, uint8, uint8) {
    h = AttestationCodec.decodeHeader(m);
    (uint64 chainId, uint8 k, uint8 transports) = AdminCodec.decodeTransportQuorum(m);
    return (h, chainId, k, transports);
  }
}

/// @notice Kind 12 (transport quorum): 52 bytes, chainId 8 | k 1 | transports 1 after the header; and the rule.
contract AttestationCodecTransportQuorumTest is Test {
  TransportQuorumCodecHarness internal harness;

  function setUp() public {
    harness = new TransportQuorumCodecHarness();
  }

  function testFuzz_decodeTransportQuorum_RoundTrips(bytes32 did, uint64 nonce, uint64 chainId, uint8 k, uint8 t)
    public
    view
  {
    bytes memory m = abi.encodePacked(uint8(1), uint8(12), did, nonce, chainId, k, t);
    assertEq(m.length, 52);
    (AttestationCodec.Header memory h, uint64 gotChain, uint8 gotK, uint8 gotT) = harness.decode(m);
    assertEq(h.kind, 12);
    assertEq(h.did, did);
    assertEq(h.nonce, nonce);
    assertEq(gotChain, chainId);
    assertEq(gotK, k);
    assertEq(gotT, t);
  }

  function testFuzz_decodeHeader_TransportQuorumNeedsExactly52Bytes(uint256 len) public {
    len = bound(len, 42, 200);
    bytes memory m = new bytes(len);
    m[0] = 0x01;
    m[1] = 0x0c;
    if (len != 52) vm.expectRevert(abi.encodeWithSelector(AttestationCodec.InvalidMessageLength.selector, len, 52));
    harness.decode(m);
  }

  function testFuzz_isValid_MatchesTheSpec(uint8 k, uint8 transports) public pure {
    uint8 size = (transports & 1) + ((transports >> 1) & 1) + ((transports >> 2) & 1);
    bool valid = transports < 8 && (transports == 0 ? k == 0 : (k >= 1 && k <= size));
    assertEq(TransportQuorumRule.isValid(k, transports), valid);
  }
}
