import { describe, expect, it } from 'vitest';
import type { PublicClient } from 'viem';
import { deliveredCheck, quorumArrivals } from './destination.js';
import type { Job } from '../store/outbox.js';

const GATE = `0x${'99'.repeat(20)}`;

/** A unit-test double of the destination: the receiver's used nonces and its gate's arrivals per attestation id. */
function fakeChain(state: { used: Set<string>; arrivals: Map<string, number> }) {
  const reads: string[] = [];
  const pub = {
    readContract: async ({ functionName, args }: { functionName: string; args?: readonly unknown[] }) => {
      reads.push(functionName);
      if (functionName === 'isNonceUsed') return state.used.has(String(args?.[1]));
      if (functionName === 'transportQuorum') return GATE;
      if (functionName === 'arrivalsOf') {
        const a = state.arrivals.get(String(args?.[0])) ?? 0;
        return [a, false] as const;
      }
      throw new Error(`unexpected read ${functionName}`);
    },
  } as unknown as PublicClient;
  return { pub, reads };
}

const job = (over: Partial<Job>): Job =>
  ({ attestationId: `0x${'01'.repeat(32)}`, didHash: `0x${'ab'.repeat(32)}`, nonce: '7', receiver: `0x${'11'.repeat(20)}`, transport: 'ccip', quorumTransports: null, ...over }) as Job;

describe('deliveredCheck', () => {
  it('without a quorum: delivered only once the nonce is used, and never reads the gate', async () => {
    const c = fakeChain({ used: new Set(), arrivals: new Map([[`0x${'01'.repeat(32)}`, 2]]) });
    const delivered = deliveredCheck(c.pub);
    expect(await delivered(job({}))).toBe(false);
    expect(c.reads).toEqual(['isNonceUsed']);
  });

  it('under a quorum: delivered when this transport arrived, not when another did', async () => {
    const c = fakeChain({ used: new Set(), arrivals: new Map([[`0x${'01'.repeat(32)}`, 1 | 4]]) });
    const delivered = deliveredCheck(c.pub);
    expect(await delivered(job({ transport: 'wormhole', quorumTransports: 7 }))).toBe(true);
    expect(await delivered(job({ transport: 'ccip', quorumTransports: 7 }))).toBe(false);
    // The gate's address is read once per receiver.
    expect(c.reads.filter((r) => r === 'transportQuorum')).toHaveLength(1);
  });

  it('under a quorum: delivered once the attestation is applied, whoever carried it', async () => {
    const c = fakeChain({ used: new Set(['7']), arrivals: new Map() });
    expect(await deliveredCheck(c.pub)(job({ transport: 'ccip', quorumTransports: 7 }))).toBe(true);
  });

  it('reads the arrivals bitmask of the attestation id', async () => {
    const c = fakeChain({ used: new Set(), arrivals: new Map([[`0x${'01'.repeat(32)}`, 3]]) });
    expect(await quorumArrivals(c.pub)(job({ quorumTransports: 7 }))).toBe(3);
  });
});
