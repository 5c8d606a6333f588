import {
  concat,
  decodeErrorResult,
  hexToBigInt,
  hexToNumber,
  isAddressEqual,
  keccak256,
  numberToHex,
  parseEventLogs,
  size,
  sliceHex,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type Log,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAddress, sign } from 'viem/accounts';
import { offRampAbi, onRampAbi } from '../../../schemas/abi.js';
import { RwaError } from '../../../common/errors.js';

/**
 * The off-chain roles of a CCIP 2.0 lane, played by our own processes: read what the OnRamp emitted, produce the
 * CommitteeVerifier's verifier results with local committee keys, and execute on the destination OffRamp
 * (permissionless). Parsing and signing are pure; only `executeCcipMessage` and `readRequiredCcvs` touch a chain.
 */

/** A CCIP chain selector: never an EVM chain id. */
export type CcipChainSelector = bigint & { readonly __brand: 'CcipChainSelector' };
/** keccak256 of the OnRamp's encoded MessageV1. */
export type CcipMessageId = Hex & { readonly __brand: 'CcipMessageId' };

export const ccipChainSelector = (n: bigint | number): CcipChainSelector => {
  const v = BigInt(n);
  if (v <= 0n || v >= 1n << 64n) throw new CcipExecutorError(`not a uint64 chain selector: ${v}`, false);
  return v as CcipChainSelector;
};

/** Every error of this module says whether trying again can help (the relayer's retry vs dead-letter decision). */
export class CcipExecutorError extends RwaError<'ccip_executor' | 'ccip_execution_failed'> {
  override readonly name: string = 'CcipExecutorError';
  constructor(message: string, retryable: boolean, options?: { cause?: unknown; code?: 'ccip_execution_failed' }) {
    super(message, { code: options?.code ?? 'ccip_executor', retryable, cause: options?.cause });
  }
}

/**
 * A CCIP execution ended FAILURE in the OffRamp (the receiver reverted inside it). CCIP keeps the message executable,
 * so the relayer executes it again (manual execution), a bounded number of times.
 */
export class CcipExecutionFailedError extends CcipExecutorError {
  override readonly name = 'CcipExecutionFailedError';
  constructor(
    readonly messageId: Hex,
    readonly state: string,
    /**
     * The receiver's own revert data, when the failure came from an execution the relayer made (a local lane: the
     * OffRamp's ExecutionStateChanged carries it, see `receiverRevertOf`); the relayer decides on it (a curse holds
     * the chain rather than counting executions). Absent on a live lane, where Chainlink executes.
     */
    readonly receiverRevert?: Hex,
  ) {
    super(`CCIP message ${messageId} execution ended ${state}; it stays executable and will be executed again`, true, { code: 'ccip_execution_failed' });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// (a) What the source OnRamp emitted
// ---------------------------------------------------------------------------------------------------------------

export interface CcipSentMessage {
  messageId: CcipMessageId;
  destChainSelector: CcipChainSelector;
  /** The contract that called Router.ccipSend (our RwaCcipSender). */
  sender: Address;
  onRamp: Address;
  /** MessageV1 bytes: what OffRamp.execute takes, and what the committee's signatures cover (via its keccak256). */
  encodedMessage: Hex;
  header: MessageV1Header;
}

/** The fixed-size head of MessageV1 (MessageV1Codec: version 1, then big-endian fields). */
export interface MessageV1Header {
  sourceChainSelector: CcipChainSelector;
  destChainSelector: CcipChainSelector;
  messageNumber: bigint;
  executionGasLimit: number;
  ccipReceiveGasLimit: number;
  finality: Hex;
}

/** Byte offsets of MessageV1's fixed fields. */
const V1 = { version: [0, 1], source: [1, 9], dest: [9, 17], number: [17, 25], execGas: [25, 29], receiveGas: [29, 33], finality: [33, 37] } as const;
const MESSAGE_V1_BASE_SIZE = 79;

export function decodeMessageV1Header(encoded: Hex): MessageV1Header {
  if (size(encoded) < MESSAGE_V1_BASE_SIZE) throw new CcipExecutorError(`MessageV1 too short: ${size(encoded)} bytes`, false);
  const at = ([start, end]: readonly [number, number]): Hex => sliceHex(encoded, start, end, { strict: true });
  const version = hexToNumber(at(V1.version));
  if (version !== 1) throw new CcipExecutorError(`unsupported MessageV1 version ${version}`, false);
  return {
    sourceChainSelector: ccipChainSelector(hexToBigInt(at(V1.source))),
    destChainSelector: ccipChainSelector(hexToBigInt(at(V1.dest))),
    messageNumber: hexToBigInt(at(V1.number)),
    executionGasLimit: hexToNumber(at(V1.execGas)),
    ccipReceiveGasLimit: hexToNumber(at(V1.receiveGas)),
    finality: at(V1.finality),
  };
}

/**
 * The CCIPMessageSent events `onRamp` emitted among `logs` (a receipt's logs or getLogs output). Each is checked at
 * the edge: the id must be keccak256 of the bytes and the header must agree with the indexed destination.
 */
export function parseCcipMessagesSent(logs: readonly Log[], onRamp: Address): CcipSentMessage[] {
  const own = logs.filter((l) => isAddressEqual(l.address, onRamp));
  return parseEventLogs({ abi: onRampAbi, eventName: 'CCIPMessageSent', logs: own, strict: true }).map((e) => {
    const { encodedMessage, messageId, destChainSelector, sender } = e.args;
    if (keccak256(encodedMessage) !== messageId.toLowerCase()) {
      throw new CcipExecutorError(`CCIPMessageSent ${messageId}: id is not keccak256(encodedMessage)`, false);
    }
    const header = decodeMessageV1Header(encodedMessage);
    if (header.destChainSelector !== destChainSelector) {
      throw new CcipExecutorError(`CCIPMessageSent ${messageId}: header destination ${header.destChainSelector} != ${destChainSelector}`, false);
    }
    return { messageId: messageId as CcipMessageId, destChainSelector: header.destChainSelector, sender, onRamp: e.address, encodedMessage, header };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// (b) CommitteeVerifier results
// ---------------------------------------------------------------------------------------------------------------

/** secp256k1 group order: (r, n - s) with the other recovery bit recovers the same signer. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export interface CommitteeSignRequest {
  /** The CommitteeVerifier's 4-byte version tag (its resolver routes on it; it is signed). */
  versionTag: Hex;
  messageId: CcipMessageId | Hex;
  /** At least the verifier's threshold of its signer keys for the source chain. Order does not matter. */
  signerKeys: readonly Hex[];
}

/**
 * verifierResults exactly as CommitteeVerifier.verifyMessage reads them:
 *   versionTag (4) | signatures length (uint16, 2) | signatures,
 * each signature r (32) | s (32) over keccak256(versionTag ‖ messageId), v implied 27, ordered by strictly
 * increasing signer address.
 */
export async function buildCommitteeVerifierResults(req: CommitteeSignRequest): Promise<Hex> {
  if (size(req.versionTag) !== 4) throw new CcipExecutorError(`version tag must be 4 bytes, got ${size(req.versionTag)}`, false);
  if (size(req.messageId) !== 32) throw new CcipExecutorError('message id must be 32 bytes', false);
  const signers = req.signerKeys
    .map((key) => ({ key, address: privateKeyToAddress(key) }))
    .sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  for (let i = 1; i < signers.length; i++) {
    if (BigInt(signers[i - 1]!.address) === BigInt(signers[i]!.address)) throw new CcipExecutorError(`duplicate signer ${signers[i]!.address}`, false);
  }
  const signedHash = keccak256(concat([req.versionTag, req.messageId]));
  const signatures = await Promise.all(
    signers.map(async ({ key }) => {
      const sig = await sign({ hash: signedHash, privateKey: key });
      const s = sig.yParity === 1 ? SECP256K1_N - hexToBigInt(sig.s) : hexToBigInt(sig.s);
      return concat([sig.r, numberToHex(s, { size: 32 })]);
    }),
  );
  const body = signatures.length === 0 ? '0x' : concat(signatures);
  return concat([req.versionTag, numberToHex(size(body), { size: 2 }), body]);
}

// ---------------------------------------------------------------------------------------------------------------
// (c) Destination: OffRamp.execute and its verdict
// ---------------------------------------------------------------------------------------------------------------

export interface ExecuteRequest {
  offRamp: Address;
  encodedMessage: Hex;
  /** CCV addresses on the destination, parallel to verifierResults (OffRamp.getCCVsForMessage says which). */
  ccvs: readonly Address[];
  verifierResults: readonly Hex[];
  /** 0 keeps the message's ccipReceiveGasLimit; a retry may raise it, never lower it. */
  gasLimitOverride?: number;
}

/**
 * Gas above the message's own executionGasLimit for one OffRamp.execute transaction: intrinsic gas, calldata, the
 * OffRamp's state and event bookkeeping. On top of it, what the 63/64 rule withholds at each call level down to the
 * exact-gas receiver call: 1/32 of the execution gas (two levels), which matters for a multi-million receive limit.
 */
export const EXECUTE_TX_OVERHEAD_GAS = 150_000n;
export const withheldByCallLevels = (executionGas: bigint): bigint => executionGas / 32n;

/**
 * The gas limit to send OffRamp.execute with. Never leave it to eth_estimateGas: execute catches a failing receiver
 * and still succeeds, so an estimate converges on an amount at which ccipReceive runs out of gas and the message is
 * recorded as FAILURE. The OnRamp priced the message at header.executionGasLimit (verifiers + base execution +
 * ccipReceiveGasLimit); a gasLimitOverride above ccipReceiveGasLimit adds the difference.
 */
export function executeTxGas(header: Pick<MessageV1Header, 'executionGasLimit' | 'ccipReceiveGasLimit'>, gasLimitOverride = 0): bigint {
  if (gasLimitOverride !== 0 && gasLimitOverride < header.ccipReceiveGasLimit) {
    throw new CcipExecutorError(`gasLimitOverride ${gasLimitOverride} below the message's ${header.ccipReceiveGasLimit}`, false);
  }
  const extra = gasLimitOverride === 0 ? 0 : gasLimitOverride - header.ccipReceiveGasLimit;
  const execution = BigInt(header.executionGasLimit + extra);
  return execution + withheldByCallLevels(execution) + EXECUTE_TX_OVERHEAD_GAS;
}

/** Submits OffRamp.execute (permissionless) and returns the transaction hash once the node accepted it. */
export function executeCcipMessage(wallet: WalletClient<Transport, Chain, Account>, req: ExecuteRequest): Promise<Hex> {
  if (req.ccvs.length !== req.verifierResults.length) {
    return Promise.reject(new CcipExecutorError(`${req.ccvs.length} CCVs but ${req.verifierResults.length} results`, false));
  }
  const gasLimitOverride = req.gasLimitOverride ?? 0;
  let gas: bigint;
  try {
    gas = executeTxGas(decodeMessageV1Header(req.encodedMessage), gasLimitOverride);
  } catch (err) {
    return Promise.reject(err);
  }
  return wallet.writeContract({
    address: req.offRamp,
    abi: offRampAbi,
    functionName: 'execute',
    args: [req.encodedMessage, req.ccvs, req.verifierResults, gasLimitOverride],
    gas,
  });
}

/** The CCVs the destination requires for this message (receiver, lane and defaults resolved by the OffRamp). */
export async function readRequiredCcvs(pub: PublicClient, offRamp: Address, encodedMessage: Hex): Promise<{ required: readonly Address[]; optional: readonly Address[]; optionalThreshold: number }> {
  const [required, optional, optionalThreshold] = await pub.readContract({ address: offRamp, abi: offRampAbi, functionName: 'getCCVsForMessage', args: [encodedMessage] });
  return { required, optional, optionalThreshold };
}

/** Internal.MessageExecutionState, by its index in the enum. */
export const EXECUTION_STATES = ['UNTOUCHED', 'IN_PROGRESS', 'SUCCESS', 'FAILURE'] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];

export interface ExecutionOutcome {
  messageId: CcipMessageId;
  sourceChainSelector: CcipChainSelector;
  messageNumber: bigint;
  state: ExecutionState;
  /** The failure as CCIP kept it: at most 132 bytes (a receiver's revert arrives wrapped in ReceiverError). */
  returnData: Hex;
}

/** A message's execution state on the destination `offRamp` (OffRamp.getExecutionState). */
export async function readExecutionState(pub: PublicClient, offRamp: Address, messageId: Hex): Promise<ExecutionState> {
  const index = await pub.readContract({ address: offRamp, abi: offRampAbi, functionName: 'getExecutionState', args: [messageId] });
  const state = EXECUTION_STATES[index];
  if (!state) throw new CcipExecutorError(`unknown execution state ${index}`, false);
  return state;
}

/**
 * The receiver's revert data inside a FAILURE's returnData: the OffRamp records a reverting receiver as
 * ReceiverError(bytes err), `err` being the receiver's revert as it bubbled (RwaCcipReceiver lets RwaReceiver's own
 * errors through). CCIP keeps at most 132 bytes: enough for a selector and a few words of arguments; what does not
 * decode (another failure, or cut short) is undefined.
 */
export function receiverRevertOf(returnData: Hex): Hex | undefined {
  try {
    const e = decodeErrorResult({ abi: offRampAbi, data: returnData });
    return e.errorName === 'ReceiverError' ? e.args[0] : undefined;
  } catch {
    // Not an OffRamp error (e.g. out of gas with empty data, or truncated): no receiver revert to name.
    return undefined;
  }
}

/** The ExecutionStateChanged events `offRamp` emitted among `logs`. */
export function parseExecutionOutcomes(logs: readonly Log[], offRamp: Address): ExecutionOutcome[] {
  const own = logs.filter((l) => isAddressEqual(l.address, offRamp));
  return parseEventLogs({ abi: offRampAbi, eventName: 'ExecutionStateChanged', logs: own, strict: true }).map((e) => {
    const state = EXECUTION_STATES[e.args.state];
    if (!state) throw new CcipExecutorError(`unknown execution state ${e.args.state}`, false);
    return {
      messageId: e.args.messageId as CcipMessageId,
      sourceChainSelector: ccipChainSelector(e.args.sourceChainSelector),
      messageNumber: e.args.messageNumber,
      state,
      returnData: e.args.returnData,
    };
  });
}
