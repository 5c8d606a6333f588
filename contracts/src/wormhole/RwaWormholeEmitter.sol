// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {WormholeVaa} from "./WormholeVaa.sol";
import {HubPublisher} from "../HubPublisher.sol";

/// @notice Hub-side entry into the local Wormhole transport: publishes an oracle attestation as a Wormhole message.
///
/// LOCAL STAND-IN: on a real network an application contract calls the Wormhole core contract's `publishMessage`,
/// and the core emits `LogMessagePublished` for the guardians to observe. On our local chains there is no core
/// contract and no guardian network, so this contract plays both parts: it keeps the per-emitter sequence and
/// emits an event of the core's shape, with itself as the emitter (the VAA's emitter address is this contract, as it
/// would be for an application calling the core). The relayer then signs the observation with local guardian keys.
/// Wormhole's message fee is not charged.
///
/// Only an authorised publisher (HubPublisher: the Wormhole lane's relayer key, not a committee key) may publish, so a
/// VAA from this emitter proves more than the committee's signatures, which the destination RwaReceiver still verifies.
/// On a real network the same rule belongs in the application contract that calls the core's `publishMessage`.
contract RwaWormholeEmitter is HubPublisher {
  error InvalidDestinationChain(uint64 destinationChainId);
  error InvalidBatch(uint256 messages, uint256 signatures);

  /// @notice The Wormhole core's message event: `sender` is the emitter, `sequence` counts its messages from 0.
  event LogMessagePublished(
    address indexed sender, uint64 sequence, uint32 nonce, bytes payload, uint8 consistencyLevel
  );
  /// @param attestationId keccak256 of the attestation message bytes (the id the oracle and relayer use).
  event AttestationPublished(uint64 indexed sequence, uint64 indexed destinationChainId, bytes32 attestationId);

  /// @dev Wormhole's finality hint for the guardians (e.g. 200 instant, 201 safe, 1 finalized on Ethereum).
  uint8 private immutable i_consistencyLevel;

  uint64 private s_nextSequence;

  constructor(uint8 consistencyLevel_) {
    i_consistencyLevel = consistencyLevel_;
  }

  /// @notice Publishes one attestation for the RwaReceiver on EVM chain `destinationChainId`.
  /// @param nonce Wormhole's free-form message nonce (the relayer passes the low 32 bits of the attestation nonce).
  /// @param message AttestationCodec v1 bytes.
  /// @param signatures the committee's quorum signatures for the destination RwaReceiver.
  /// @return sequence this emitter's sequence number of the message.
  function publishAttestation(
    uint64 destinationChainId,
    uint32 nonce,
    bytes calldata message,
    bytes calldata signatures
  ) external onlyPublisher returns (uint64 sequence)
  {
    if (destinationChainId == 0) revert InvalidDestinationChain(destinationChainId);
    bytes memory payload = WormholeVaa.encodePayload(destinationChainId, message, signatures);
    sequence = s_nextSequence++;
    emit LogMessagePublished(address(this), sequence, nonce, payload, i_consistencyLevel);
    emit AttestationPublished(sequence, destinationChainId, keccak256(message));
  }

  /// @notice Publishes several attestations for the RwaReceiver on `destinationChainId` in one message (payload v2);
  /// the receiver applies them in one RwaReceiver.receiveMessages call. One AttestationPublished per item.
  function publishAttestations(
    uint64 destinationChainId,
    uint32 nonce,
    bytes[] calldata messages,
    bytes[] calldata signatures
  ) external onlyPublisher returns (uint64 sequence) {
    if (destinationChainId == 0) revert InvalidDestinationChain(destinationChainId);
    if (messages.length == 0 || signatures.length != messages.length) {
      revert InvalidBatch(messages.length, signatures.length);
    }
    bytes memory payload = WormholeVaa.encodeBatchPayload(destinationChainId, messages, signatures);
    sequence = s_nextSequence++;
    emit LogMessagePublished(address(this), sequence, nonce, payload, i_consistencyLevel);
    for (uint256 i; i < messages.length; ++i) {
      emit AttestationPublished(sequence, destinationChainId, keccak256(messages[i]));
    }
  }

  function nextSequence() external view returns (uint64) {
    return s_nextSequence;
  }

  function consistencyLevel() external view returns (uint8) {
    return i_consistencyLevel;
  }
}
