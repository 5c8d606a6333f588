// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {CCIPReceiver} from "@chainlink/contracts-ccip/contracts/applications/CCIPReceiver.sol";
import {Client} from "@chainlink/contracts-ccip/contracts/libraries/Client.sol";
import {RwaReceiver} from "../RwaReceiver.sol";

/// @notice Destination-side CCIP adapter: authenticates the transport (router, then allowed source chain and sender)
/// and ends every delivery in `RwaReceiver.receiveMessage(message, signatures)` (a batch payload, tagged BATCH_TAG:
/// `RwaReceiver.receiveMessages`), which verifies the oracle quorum itself. A compromised lane, verifier committee or executor can therefore only deliver attestations the oracle
/// committee signed for this chain and this RwaReceiver, once each (RwaReceiver's nonce bitmap).
///
/// Failure semantics: any revert (allow-list, payload decoding, or RwaReceiver's own custom error) bubbles out of
/// `ccipReceive` unchanged, so the OffRamp records the CCIP message as FAILURE and it can be executed again manually
/// once the cause is fixed. Note that CCIP caps the revert data it keeps at Internal.MAX_RET_BYTES (132 bytes,
/// including its own ReceiverError wrapper of 68 bytes): a 36-byte reason survives whole, longer ones keep their
/// selector and first words.
///
/// CCVs and finality: `getCCVsAndFinalityConfig` is NOT overridden. The inherited answer (no receiver-specific CCVs,
/// wait for finality) makes the OffRamp require the lane's default CCVs, which is what the lane needs; the security of
/// an attestation rests on the oracle quorum checked by RwaReceiver, not on which CCV vouched for the transport.
contract RwaCcipReceiver is CCIPReceiver, Ownable2Step {
  error InvalidTarget(address target);
  error InvalidAllowedSender(uint64 sourceChainSelector, address sender);
  error SourceChainNotAllowed(uint64 sourceChainSelector);
  error SenderNotAllowed(uint64 sourceChainSelector, address sender);
  error InvalidSenderEncoding(uint64 sourceChainSelector, bytes sender);

  event AllowedSenderAdded(uint64 indexed sourceChainSelector, address indexed sender);
  event AllowedSenderRemoved(uint64 indexed sourceChainSelector, address indexed sender);
  /// @param attestationId keccak256 of the attestation message bytes, as the oracle and relayer name it.
  event AttestationDelivered(
    bytes32 indexed messageId, uint64 indexed sourceChainSelector, address indexed sender, bytes32 attestationId
  );

  /// @notice First word of a batch payload: `data = abi.encode(BATCH_TAG, bytes[] messages, bytes[] signatures)`.
  /// A single payload, abi.encode(bytes message, bytes signatures), starts with its first offset (0x40), so neither
  /// form decodes as the other.
  uint256 public constant BATCH_TAG = uint256(keccak256("rwa.ccip.batch.v1"));

  struct AllowedSender {
    uint64 sourceChainSelector;
    address sender; // RwaCcipSender on the source chain (EVM).
  }

  RwaReceiver private immutable i_target;

  mapping(uint64 sourceChainSelector => mapping(address sender => bool allowed)) private s_allowedSenders;
  /// @dev Allowed senders per source chain, so a rejection can say whether the chain or only the sender is unknown.
  mapping(uint64 sourceChainSelector => uint256 count) private s_allowedSenderCount;

  constructor(address router, RwaReceiver target, address owner_) CCIPReceiver(router) Ownable(owner_) {
    if (address(target).code.length == 0) revert InvalidTarget(address(target));
    i_target = target;
  }

  // ---- allow-list ----

  /// @notice Removes, then adds (source chain selector, sender) pairs. Events only for pairs that changed.
  function applyAllowedSenderUpdates(AllowedSender[] calldata removes, AllowedSender[] calldata adds)
    external
    onlyOwner
  {
    for (uint256 i; i < removes.length; ++i) {
      AllowedSender calldata r = removes[i];
      if (!s_allowedSenders[r.sourceChainSelector][r.sender]) continue;
      s_allowedSenders[r.sourceChainSelector][r.sender] = false;
      --s_allowedSenderCount[r.sourceChainSelector];
      emit AllowedSenderRemoved(r.sourceChainSelector, r.sender);
    }
    for (uint256 i; i < adds.length; ++i) {
      AllowedSender calldata a = adds[i];
      if (a.sourceChainSelector == 0 || a.sender == address(0)) {
        revert InvalidAllowedSender(a.sourceChainSelector, a.sender);
      }
      if (s_allowedSenders[a.sourceChainSelector][a.sender]) continue;
      s_allowedSenders[a.sourceChainSelector][a.sender] = true;
      ++s_allowedSenderCount[a.sourceChainSelector];
      emit AllowedSenderAdded(a.sourceChainSelector, a.sender);
    }
  }

  function isAllowedSender(uint64 sourceChainSelector, address sender) external view returns (bool) {
    return s_allowedSenders[sourceChainSelector][sender];
  }

  function getAllowedSenderCount(uint64 sourceChainSelector) external view returns (uint256) {
    return s_allowedSenderCount[sourceChainSelector];
  }

  function getTarget() external view returns (address) {
    return address(i_target);
  }

  // ---- delivery ----

  /// @dev Reached only through CCIPReceiver.ccipReceive (onlyRouter). Transport checks first, then one call.
  function _ccipReceive(Client.Any2EVMMessage memory message) internal override {
    uint64 sourceChainSelector = message.sourceChainSelector;
    // The chain check comes before decoding, so a non-EVM source is named as such rather than as a bad encoding.
    if (s_allowedSenderCount[sourceChainSelector] == 0) revert SourceChainNotAllowed(sourceChainSelector);
    address sender = _decodeEvmSender(sourceChainSelector, message.sender);
    if (!s_allowedSenders[sourceChainSelector][sender]) revert SenderNotAllowed(sourceChainSelector, sender);

    bytes memory data = message.data;
    if (data.length >= 32 && uint256(bytes32(data)) == BATCH_TAG) {
      (, bytes[] memory attestations, bytes[] memory sigs) = abi.decode(data, (uint256, bytes[], bytes[]));
      // Items already applied are skipped by RwaReceiver; any other failing item reverts the whole message.
      i_target.receiveMessages(attestations, sigs);
      for (uint256 i; i < attestations.length; ++i) {
        emit AttestationDelivered(message.messageId, sourceChainSelector, sender, keccak256(attestations[i]));
      }
      return;
    }
    (bytes memory attestation, bytes memory signatures) = abi.decode(data, (bytes, bytes));
    // A revert here bubbles with RwaReceiver's own reason (e.g. UnauthorizedSigner, NonceAlreadyUsed).
    i_target.receiveMessage(attestation, signatures);
    emit AttestationDelivered(message.messageId, sourceChainSelector, sender, keccak256(attestation));
  }

  /// @dev EVM sources put abi.encode(address) in `sender`: exactly 32 bytes with 12 zero bytes on the left.
  function _decodeEvmSender(uint64 sourceChainSelector, bytes memory sender) internal pure returns (address) {
    if (sender.length != 32) revert InvalidSenderEncoding(sourceChainSelector, sender);
    uint256 word = uint256(bytes32(sender));
    if (word > type(uint160).max) revert InvalidSenderEncoding(sourceChainSelector, sender);
    return address(uint160(word));
  }
}
