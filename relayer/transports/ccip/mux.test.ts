import { describe, expect, it } from 'vitest';
import type { Hex } from 'viem';
import { encodeMessage } from '../../../schemas/message.js';
import type { DidHash } from '../../../schemas/ids.js';
import type { Job } from '../../store/outbox.js';
import type { ReceiptState, Submitted, Transport } from '../transport.js';
import { CcipLanes, NoCcipLaneError } from './mux.js';
import { BatchError } from '../batch.js';
import { classifyError } from '../../errors.js';

const HUB = 1;
const DID = `0x${'ab'.repeat(32)}` as DidHash;

/** Records which lane was asked (a unit-test double). */
class Lane implements Transport {
  readonly name = 'ccip' as const;
  readonly used: string[] = [];
  constructor(private readonly label: string) {}
  async isApplied(): Promise<boolean> {
    this.used.push(`${this.label}:isApplied`);
    return false;
  }
  async simulate(): Promise<void> {}
  async submit(): Promise<Submitted> {
    this.used.push(`${this.label}:submit`);
    return { txHash: '0x01' };
  }
  async waitForReceipt(): Promise<ReceiptState> {
    return { status: 'success' };
  }
  async simulateBatch(jobs: readonly Job[]): Promise<void> {
    this.used.push(`${this.label}:simulateBatch:${jobs.length}`);
  }
  async submitBatch(jobs: readonly Job[]): Promise<Submitted> {
    this.used.push(`${this.label}:submitBatch:${jobs.length}`);
    return { txHash: '0x02' };
  }
}

const job = (kind: string, message: Hex): Job =>
  ({ id: 1, kind, message, did: 'did:rwa:x', didHash: DID, nonce: '5', chainId: HUB, transport: 'ccip', receiver: '0x', signatures: '0x' }) as unknown as Job;

const request = (chainId: bigint) =>
  encodeMessage({ kind: 'redemptionRequest', did: DID, nonce: 5n, chainId, requestId: 3n, owner: `0x${'11'.repeat(20)}`, amount: 10n, requestedAt: 1_700_000_000n, poolSupply: 1_000n });

describe('CcipLanes', () => {
  it('sends a redemption request over the lane from the spoke it was made on, the rest over the hub lane', async () => {
    const fromHub = new Lane('hub');
    const fromA = new Lane('spoke-a');
    const lanes = new CcipLanes(HUB, HUB, new Map<number, Transport>([[HUB, fromHub], [2, fromA]]));
    await lanes.submit(job('redemptionRequest', request(2n)));
    await lanes.submit(job('nav', encodeMessage({ kind: 'nav', did: DID, nonce: 6n, nav: 1n, asOf: 1n })));
    expect(fromA.used).toEqual(['spoke-a:submit']);
    expect(fromHub.used).toEqual(['hub:submit']);
  });

  it('refuses, for good, a job from a chain with no lane to this one', async () => {
    const lanes = new CcipLanes(HUB, HUB, new Map<number, Transport>([[HUB, new Lane('hub')]]));
    const err = await lanes.isApplied(job('redemptionRequest', request(3n))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoCcipLaneError);
    expect(classifyError(err)).toMatchObject({ kind: 'dead-letter', reason: expect.stringMatching(/no CCIP lane from chain 3 to chain 1/) });
  });

  it('sends a batch over the one lane of its jobs, and refuses a batch whose jobs need two lanes', async () => {
    const fromHub = new Lane('hub');
    const fromA = new Lane('spoke-a');
    const lanes = new CcipLanes(HUB, HUB, new Map<number, Transport>([[HUB, fromHub], [2, fromA]]));
    const navs = [6n, 7n].map((nonce) => job('nav', encodeMessage({ kind: 'nav', did: DID, nonce, nav: 1n, asOf: nonce })));
    await lanes.simulateBatch(navs);
    await lanes.submitBatch(navs);
    expect(fromHub.used).toEqual(['hub:simulateBatch:2', 'hub:submitBatch:2']);
    const mixed = [navs[0]!, job('redemptionRequest', request(2n))];
    await expect(lanes.submitBatch(mixed)).rejects.toBeInstanceOf(BatchError);
    await expect(lanes.submitBatch([])).rejects.toBeInstanceOf(BatchError);
    expect(fromA.used).toEqual([]);
  });
});
