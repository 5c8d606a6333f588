import { describe, expect, it } from 'vitest';
import { concat, encodeErrorResult, encodeAbiParameters, encodeEventTopics, encodePacked, keccak256, recoverAddress, size, sliceHex, type Address, type Hex, type Log } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { offRampAbi, onRampAbi, rwaReceiverAbi } from '../../../schemas/abi.js';
import { buildCommitteeVerifierResults, CcipExecutorError, decodeMessageV1Header, EXECUTE_TX_OVERHEAD_GAS, executeTxGas, withheldByCallLevels, parseCcipMessagesSent, parseExecutionOutcomes, receiverRevertOf, type CcipMessageId } from './executor.js';

const TAG: Hex = '0x12345678';
const KEYS: readonly Hex[] = [1n, 2n, 3n].map((i) => keccak256(encodePacked(['string', 'uint256'], ['ccip executor test key', i])));
const ONRAMP: Address = '0x00000000000000000000000000000000000000a1';
const OFFRAMP: Address = '0x00000000000000000000000000000000000000b2';

/** MessageV1 as MessageV1Codec encodes it (no tokens, EVM addresses). */
function messageV1(o: { source: bigint; dest: bigint; number: bigint; data: Hex; version?: number }): Hex {
  return encodePacked(
    ['uint8', 'uint64', 'uint64', 'uint64', 'uint32', 'uint32', 'bytes4', 'bytes32', 'uint8', 'bytes', 'uint8', 'bytes', 'uint8', 'bytes', 'uint8', 'bytes', 'uint16', 'uint16', 'uint16', 'bytes'],
    [
      o.version ?? 1, o.source, o.dest, o.number, 478_896, 300_000, '0x00000000', keccak256('0x01'),
      32, encodeAbiParameters([{ type: 'address' }], [ONRAMP]), 20, OFFRAMP,
      32, encodeAbiParameters([{ type: 'address' }], ['0x00000000000000000000000000000000000000c3']), 20, '0x00000000000000000000000000000000000000d4',
      0, 0, size(o.data), o.data,
    ],
  );
}

function log(address: Address, topics: readonly Hex[], data: Hex): Log {
  return { address, topics: topics as [Hex, ...Hex[]], data, blockHash: null, blockNumber: null, logIndex: null, transactionHash: null, transactionIndex: null, removed: false };
}

function sentLog(encoded: Hex, opts: { emitter?: Address; id?: Hex; dest?: bigint } = {}): Log {
  const topics = encodeEventTopics({
    abi: onRampAbi,
    eventName: 'CCIPMessageSent',
    args: { destChainSelector: opts.dest ?? 3002n, sender: '0x00000000000000000000000000000000000000c3', messageId: opts.id ?? keccak256(encoded) },
  }) as Hex[];
  const data = encodeAbiParameters(
    [{ type: 'address' }, { type: 'uint256' }, { type: 'bytes' }, { type: 'tuple[]', components: [{ type: 'address' }, { type: 'uint32' }, { type: 'uint32' }, { type: 'uint256' }, { type: 'bytes' }] }, { type: 'bytes[]' }],
    ['0x00000000000000000000000000000000000000e5', 0n, encoded, [], ['0x12345678']],
  );
  return log(opts.emitter ?? ONRAMP, topics, data);
}

describe('buildCommitteeVerifierResults', () => {
  const messageId = keccak256('0xbeef') as CcipMessageId;

  it('lays out tag | uint16 length | r,s pairs that recover with v = 27 in ascending signer order', async () => {
    const results = await buildCommitteeVerifierResults({ versionTag: TAG, messageId, signerKeys: KEYS });
    expect(sliceHex(results, 0, 4)).toBe(TAG);
    expect(Number(BigInt(sliceHex(results, 4, 6)))).toBe(3 * 64);
    expect(size(results)).toBe(4 + 2 + 3 * 64);
    const hash = keccak256(concat([TAG, messageId]));
    const expected = KEYS.map((k) => privateKeyToAddress(k)).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    for (let i = 0; i < 3; i++) {
      const sig = sliceHex(results, 6 + 64 * i, 6 + 64 * (i + 1));
      expect(await recoverAddress({ hash, signature: concat([sig, '0x1b']) })).toBe(expected[i]);
    }
  });

  it('does not depend on the order of the keys', async () => {
    const a = await buildCommitteeVerifierResults({ versionTag: TAG, messageId, signerKeys: KEYS });
    const b = await buildCommitteeVerifierResults({ versionTag: TAG, messageId, signerKeys: [...KEYS].reverse() });
    expect(a).toBe(b);
  });

  it.each([
    ['a duplicate key', { versionTag: TAG, messageId, signerKeys: [KEYS[0]!, KEYS[0]!] }],
    ['a 2-byte tag', { versionTag: '0x1234' as Hex, messageId, signerKeys: KEYS }],
    ['a short message id', { versionTag: TAG, messageId: '0x1234' as Hex, signerKeys: KEYS }],
  ])('rejects %s, not retryable', async (_, req) => {
    const err = await buildCommitteeVerifierResults(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CcipExecutorError);
    expect((err as CcipExecutorError).retryable).toBe(false);
  });
});

describe('decodeMessageV1Header', () => {
  it('reads the fixed fields', () => {
    const h = decodeMessageV1Header(messageV1({ source: 3001n, dest: 3002n, number: 7n, data: '0xabcd' }));
    expect(h).toEqual({ sourceChainSelector: 3001n, destChainSelector: 3002n, messageNumber: 7n, executionGasLimit: 478_896, ccipReceiveGasLimit: 300_000, finality: '0x00000000' });
  });

  it('rejects another version and a truncated message', () => {
    expect(() => decodeMessageV1Header(messageV1({ source: 1n, dest: 2n, number: 1n, data: '0x', version: 2 }))).toThrow(CcipExecutorError);
    expect(() => decodeMessageV1Header('0x01')).toThrow(CcipExecutorError);
  });
});

describe('parseCcipMessagesSent', () => {
  const encoded = messageV1({ source: 3001n, dest: 3002n, number: 1n, data: '0xabcd' });

  it('returns the message with its id, destination and bytes; ignores other emitters', () => {
    const [m, ...rest] = parseCcipMessagesSent([sentLog(encoded), sentLog(encoded, { emitter: OFFRAMP })], ONRAMP);
    expect(rest).toHaveLength(0);
    expect(m?.messageId).toBe(keccak256(encoded));
    expect(m?.destChainSelector).toBe(3002n);
    expect(m?.encodedMessage).toBe(encoded);
    expect(m?.header.messageNumber).toBe(1n);
  });

  it('rejects an id that is not keccak256 of the bytes, and a header that disagrees with the topic', () => {
    expect(() => parseCcipMessagesSent([sentLog(encoded, { id: keccak256('0x00') })], ONRAMP)).toThrow(/id is not keccak256/);
    expect(() => parseCcipMessagesSent([sentLog(encoded, { dest: 9n })], ONRAMP)).toThrow(/header destination/);
  });
});

describe('parseExecutionOutcomes', () => {
  it('names the state and keeps the return data', () => {
    const id = keccak256('0x01');
    const topics = encodeEventTopics({ abi: offRampAbi, eventName: 'ExecutionStateChanged', args: { sourceChainSelector: 3001n, messageNumber: 4n, messageId: id } }) as Hex[];
    const data = encodeAbiParameters([{ type: 'uint8' }, { type: 'bytes' }], [3, '0x0a0b']);
    const [o] = parseExecutionOutcomes([log(OFFRAMP, topics, data), log(ONRAMP, topics, data)], OFFRAMP);
    expect(o).toEqual({ messageId: id, sourceChainSelector: 3001n, messageNumber: 4n, state: 'FAILURE', returnData: '0x0a0b' });
  });
});

describe('executeTxGas', () => {
  const header = { executionGasLimit: 478_896, ccipReceiveGasLimit: 300_000 };

  it.each([
    [0, 478_896n],
    [300_000, 478_896n],
    [500_000, 678_896n],
  ])('with gasLimitOverride %i sends executionGasLimit + extra, what the call levels withhold, and overhead', (override, base) => {
    expect(executeTxGas(header, override)).toBe(base + base / 32n + EXECUTE_TX_OVERHEAD_GAS);
    expect(withheldByCallLevels(base)).toBe(base / 32n);
  });

  it('refuses an override below the message gas limit (the OffRamp would revert)', () => {
    expect(() => executeTxGas(header, 299_999)).toThrow(CcipExecutorError);
  });
});

describe('receiverRevertOf', () => {
  it("finds the receiver's revert inside the OffRamp's ReceiverError, and nothing in anything else", () => {
    const inner = encodeErrorResult({ abi: rwaReceiverAbi, errorName: 'ChainCursed' });
    expect(receiverRevertOf(encodeErrorResult({ abi: offRampAbi, errorName: 'ReceiverError', args: [inner] }))).toBe(inner);
    expect(receiverRevertOf('0x')).toBeUndefined();
    expect(receiverRevertOf(inner)).toBeUndefined();
  });
});
