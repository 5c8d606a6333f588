// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {RwaReceiver} from "../../src/RwaReceiver.sol";
import {RwaHoldings} from "../../src/RwaHoldings.sol";
import {AttestationFixture} from "./AttestationFixture.sol";

/// @notice Two chains on one EVM for the end of a move: the fixture's receiver is the from-chain (chain FROM_CHAIN),
/// `toReceiver` the to-chain (PEER_CHAIN_ID), deployed and always called with block.chainid set to its own id so each
/// checks signatures against its own domain. Builders for both legs, the void (kind 15) and the return (kind 16).
abstract contract MoveEndFixture is AttestationFixture {
  uint8 internal constant KIND_MOVE_VOID = 15;
  uint8 internal constant KIND_MOVE_RETURN = 16;
  uint64 internal constant FROM_CHAIN = 31_337;

  RwaReceiver internal toReceiver;
  RwaHoldings internal toHoldings;

  function setUp() public virtual override {
    vm.chainId(FROM_CHAIN);
    super.setUp();
    vm.chainId(PEER_CHAIN_ID);
    toReceiver = new RwaReceiver(governance, GOVERNANCE_THRESHOLD, VALID_UNTIL);
    (toHoldings,) = configure(toReceiver, DID, committeeKeys, THRESHOLD);
    vm.chainId(FROM_CHAIN);
  }

  function moveRefOf(uint256 id) internal pure returns (bytes32) {
    return keccak256(abi.encode("move-ref", id));
  }

  function moveLeg(uint8 kind, bytes32 moveRef, address investor, uint256 amount, uint64 nonce)
    internal
    pure
    returns (SettlementAtt memory a)
  {
    a = settlementAtt(kind, investor, amount, nonce);
    a.settlementRef = moveRef;
    a.peerChainId = kind == MOVE_OUT ? PEER_CHAIN_ID : FROM_CHAIN;
  }

  function encodeMoveEnd(uint8 kind, bytes32 moveRef, address investor, uint256 amount, uint64 nonce)
    internal
    pure
    returns (bytes memory)
  {
    uint64 peer = kind == KIND_MOVE_VOID ? FROM_CHAIN : PEER_CHAIN_ID;
    return abi.encodePacked(uint8(1), kind, DID, nonce, moveRef, investor, amount, peer);
  }

  /// @dev Delivers a settlement to `r` under its own chain id; returns whether it applied (reverts are caught).
  function tryDeliver(RwaReceiver r, SettlementAtt memory a) internal returns (bool ok, bytes memory err) {
    uint64 chainId = r == toReceiver ? PEER_CHAIN_ID : FROM_CHAIN;
    vm.chainId(chainId);
    bytes memory sigs = signSorted(settlementDigest(a, chainId, address(r)), quorumKeys());
    (ok, err) = address(r).call(abi.encodeCall(RwaReceiver.receiveMessage, (encodeSettlement(a), sigs)));
    vm.chainId(FROM_CHAIN);
  }

  function tryDeliverAdmin(RwaReceiver r, bytes memory message) internal returns (bool ok, bytes memory err) {
    uint64 chainId = r == toReceiver ? PEER_CHAIN_ID : FROM_CHAIN;
    vm.chainId(chainId);
    bytes memory sigs = adminSigs(r, message, quorumKeys());
    (ok, err) = address(r).call(abi.encodeCall(RwaReceiver.receiveMessage, (message, sigs)));
    vm.chainId(FROM_CHAIN);
  }
}
