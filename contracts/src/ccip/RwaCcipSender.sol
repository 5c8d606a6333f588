// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

import {IRouterClient} from "@chainlink/contracts-ccip/contracts/interfaces/IRouterClient.sol";
import {Client} from "@chainlink/contracts-ccip/contracts/libraries/Client.sol";
import {HubPublisher} from "../HubPublisher.sol";

/// @notice Hub-side entry into CCIP for oracle attestations. Only an authorised publisher (HubPublisher: the CCIP lane's
/// relayer key, not a committee key) may call `send`, so an arrival through the destination's CCIP adapter proves more
/// than the committee's signatures, which the destination RwaReceiver still verifies itself.
/// @dev Payload (CCIP `data`) = abi.encode(bytes message, bytes signatures), decoded by RwaCcipReceiver; a batch
/// (`sendBatch`) = abi.encode(BATCH_TAG, bytes[] messages, bytes[] signatures).
/// Fees are paid in native coin. `send` takes exactly the router's quote and refunds any excess to the caller in the
/// same transaction: quotes move with the FeeQuoter's gas and token prices between a caller's `getFee` and its
/// transaction, so an exact-amount rule would make honest calls revert; over-paying the router directly would be
/// kept by CCIP (IRouterClient: "overpayment with no refund").
/// Extra args are the legacy GenericExtraArgsV2 (MIT `Client`), so the lane's default CCVs and executor apply.
contract RwaCcipSender is HubPublisher {
  error InvalidRouter(address router);
  error InvalidGasLimit(uint32 gasLimit);
  error InvalidDestReceiver(address destReceiverAdapter);
  error InsufficientFee(uint256 sent, uint256 required);
  error RefundFailed(address to, uint256 amount);
  error InvalidBatch(uint256 messages, uint256 signatures);

  /// @dev The tag RwaCcipReceiver.BATCH_TAG: first word of a batch payload.
  uint256 public constant BATCH_TAG = uint256(keccak256("rwa.ccip.batch.v1"));

  /// @param attestationId keccak256 of the attestation message bytes (the id the oracle and relayer use).
  /// @param fee native coin paid to the router (wei); any excess of msg.value was refunded.
  event AttestationSent(
    bytes32 indexed messageId,
    uint64 indexed destChainSelector,
    address indexed destReceiverAdapter,
    bytes32 attestationId,
    uint256 fee
  );

  IRouterClient private immutable i_router;
  /// @dev Gas for RwaCcipReceiver.ccipReceive on the destination (decode + quorum check + mint/burn or NAV update).
  /// An executor may raise it per execution with OffRamp.execute's gasLimitOverride, never lower it.
  uint32 private immutable i_ccipReceiveGasLimit;

  constructor(IRouterClient router, uint32 ccipReceiveGasLimit) {
    if (address(router) == address(0)) revert InvalidRouter(address(router));
    if (ccipReceiveGasLimit == 0) revert InvalidGasLimit(ccipReceiveGasLimit);
    i_router = router;
    i_ccipReceiveGasLimit = ccipReceiveGasLimit;
  }

  /// @notice Sends one attestation to `destReceiverAdapter` (an RwaCcipReceiver) on `destChainSelector`.
  /// @param message AttestationCodec v1 bytes.
  /// @param signatures the committee's quorum signatures for the destination RwaReceiver.
  /// @return messageId the CCIP message id (keccak256 of the OnRamp's encoded MessageV1).
  function send(uint64 destChainSelector, address destReceiverAdapter, bytes calldata message, bytes calldata signatures)
    external
    payable
    onlyPublisher
    returns (bytes32 messageId)
  {
    uint256 fee;
    (messageId, fee) = _send(destChainSelector, destReceiverAdapter, abi.encode(message, signatures));
    emit AttestationSent(messageId, destChainSelector, destReceiverAdapter, keccak256(message), fee);
    _refund(fee);
  }

  /// @notice Sends several attestations in one CCIP message (RwaCcipReceiver applies them with
  /// RwaReceiver.receiveMessages, skipping any already applied). One AttestationSent per item, all with the one
  /// message id; the fee on the first, 0 on the others. The whole batch must fit the sender's ccipReceive gas limit.
  function sendBatch(
    uint64 destChainSelector,
    address destReceiverAdapter,
    bytes[] calldata messages,
    bytes[] calldata signatures
  ) external payable onlyPublisher returns (bytes32 messageId) {
    uint256 fee;
    (messageId, fee) = _send(destChainSelector, destReceiverAdapter, _batchData(messages, signatures));
    for (uint256 i; i < messages.length; ++i) {
      emit AttestationSent(messageId, destChainSelector, destReceiverAdapter, keccak256(messages[i]), i == 0 ? fee : 0);
    }
    _refund(fee);
  }

  /// @notice The native fee (wei) `send` would take for these arguments right now.
  function getFee(uint64 destChainSelector, address destReceiverAdapter, bytes calldata message, bytes calldata signatures)
    external
    view
    returns (uint256 fee)
  {
    return i_router.getFee(destChainSelector, _buildMessage(destReceiverAdapter, abi.encode(message, signatures)));
  }

  /// @notice The native fee (wei) `sendBatch` would take for these arguments right now.
  function getBatchFee(
    uint64 destChainSelector,
    address destReceiverAdapter,
    bytes[] calldata messages,
    bytes[] calldata signatures
  ) external view returns (uint256 fee) {
    return i_router.getFee(destChainSelector, _buildMessage(destReceiverAdapter, _batchData(messages, signatures)));
  }

  function getRouter() external view returns (address) {
    return address(i_router);
  }

  function getCcipReceiveGasLimit() external view returns (uint32) {
    return i_ccipReceiveGasLimit;
  }

  function _send(uint64 destChainSelector, address destReceiverAdapter, bytes memory data)
    internal
    returns (bytes32 messageId, uint256 fee)
  {
    Client.EVM2AnyMessage memory ccipMessage = _buildMessage(destReceiverAdapter, data);
    fee = i_router.getFee(destChainSelector, ccipMessage);
    if (msg.value < fee) revert InsufficientFee(msg.value, fee);
    messageId = i_router.ccipSend{value: fee}(destChainSelector, ccipMessage);
  }

  function _refund(uint256 fee) internal {
    uint256 refund = msg.value - fee;
    if (refund != 0) {
      // Last step, no state here to protect: a re-entering caller can only send another paid message.
      (bool ok,) = msg.sender.call{value: refund}("");
      if (!ok) revert RefundFailed(msg.sender, refund);
    }
  }

  /// @dev The batch payload RwaCcipReceiver recognises by its first word (BATCH_TAG).
  function _batchData(bytes[] calldata messages, bytes[] calldata signatures) internal pure returns (bytes memory) {
    if (messages.length == 0 || signatures.length != messages.length) {
      revert InvalidBatch(messages.length, signatures.length);
    }
    return abi.encode(BATCH_TAG, messages, signatures);
  }

  function _buildMessage(address destReceiverAdapter, bytes memory data)
    internal
    view
    returns (Client.EVM2AnyMessage memory)
  {
    if (destReceiverAdapter == address(0)) revert InvalidDestReceiver(destReceiverAdapter);
    return Client.EVM2AnyMessage({
      receiver: abi.encode(destReceiverAdapter),
      data: data,
      tokenAmounts: new Client.EVMTokenAmount[](0),
      feeToken: address(0),
      extraArgs: Client._argsToBytes(
        Client.GenericExtraArgsV2({gasLimit: i_ccipReceiveGasLimit, allowOutOfOrderExecution: true})
      )
    });
  }
}
