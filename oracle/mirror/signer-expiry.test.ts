import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import type { Hex } from 'viem';
import type { DidHash } from '../../schemas/ids.js';
import type { DidRecord } from '../../core/chain/registry.js';
import { createMetrics } from '../metrics.js';
import { EXPIRY_WARN_SECONDS, GOVERNANCE_KEY, SignerExpiryWatch } from './signer-expiry.js';

// Unit test: the registry and the receivers are in-memory fakes; metrics and logger are real.
const NOW = 1_800_000_000;
const DAY = 86_400;
const HASH_A = `0x${'aa'.repeat(32)}` as DidHash;
const HASH_B = `0x${'bb'.repeat(32)}` as DidHash;

function record(did: string, signersValidUntil: number): DidRecord {
  return { did, name: 'n', symbol: 's', issuer: `0x${'11'.repeat(20)}`, navDecimals: 8, tokenDecimals: 6, threshold: 1, heartbeat: DAY, maxNavMoveBps: 500, signers: [`0x${'22'.repeat(20)}`], chainIds: [1n], signersValidUntil };
}

function setup(ends: { a: number; b: number; governance: Record<number, number> }) {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _enc, done) => { lines.push(JSON.parse(chunk.toString())); done(); } });
  const metrics = createMetrics();
  let now = NOW;
  const records = new Map<string, DidRecord>([[HASH_A, record('did:rwa:test:a', ends.a)], [HASH_B, record('did:rwa:test:b', ends.b)]]);
  const reads: { chainId: number; key: Hex }[] = [];
  const watch = new SignerExpiryWatch({
    registry: { listDids: async () => [HASH_A, HASH_B], getDid: async (h) => records.get(h) },
    receivers: { signersValidUntilOf: async (chainId, key) => (reads.push({ chainId, key }), ends.governance[chainId] ?? 0) },
    chainIds: Object.keys(ends.governance).map(Number),
    metrics,
    logger: pino({ level: 'info' }, sink),
    now: () => BigInt(now),
  });
  const gauge = async (did: string) => (await metrics.signerSetExpiresSeconds.get()).values.find((v) => v.labels.did === did)?.value;
  return { watch, lines, gauge, reads, advance: (s: number) => (now += s) };
}

describe('SignerExpiryWatch', () => {
  it("sets each DID's and each chain's governance seconds left, and serves them as a view", async () => {
    const t = setup({ a: NOW + 100 * DAY, b: NOW + 10 * DAY, governance: { 31337: NOW + 365 * DAY, 31338: NOW - 5 } });
    const view = await t.watch.refresh();
    expect(await t.gauge('did:rwa:test:a')).toBe(100 * DAY);
    expect(await t.gauge('did:rwa:test:b')).toBe(10 * DAY);
    expect(await t.gauge('governance:31337')).toBe(365 * DAY);
    expect(await t.gauge('governance:31338')).toBe(-5);
    expect(t.reads.every((r) => r.key === GOVERNANCE_KEY)).toBe(true);
    expect(view.dids).toEqual([
      { did: 'did:rwa:test:a', signersValidUntil: NOW + 100 * DAY, secondsLeft: 100 * DAY },
      { did: 'did:rwa:test:b', signersValidUntil: NOW + 10 * DAY, secondsLeft: 10 * DAY },
    ]);
    expect(view.governance).toContainEqual({ chainId: 31338, signersValidUntil: NOW - 5, secondsLeft: -5 });
    expect(t.watch.view()).toBe(view);
  });

  it('warns inside 30 days (once a day per set), errors past the end, stays quiet outside the window', async () => {
    const t = setup({ a: NOW + EXPIRY_WARN_SECONDS + 10, b: NOW + 2 * DAY, governance: { 31337: NOW - 1 } });
    await t.watch.refresh();
    const warned = t.lines.filter((l) => l.level === 40);
    expect(warned.map((l) => l.did)).toEqual(['did:rwa:test:b']);
    expect(t.lines.filter((l) => l.level === 50).map((l) => l.governanceOfChain)).toEqual([31337]);
    await t.watch.refresh();
    expect(t.lines.filter((l) => l.level >= 40)).toHaveLength(2);
    t.advance(20);
    await t.watch.refresh();
    // Now A is inside the window too; B and governance were warned less than a day ago.
    expect(t.lines.filter((l) => l.level === 40).map((l) => l.did)).toEqual(['did:rwa:test:b', 'did:rwa:test:a']);
    t.advance(DAY);
    await t.watch.refresh();
    expect(t.lines.filter((l) => l.level >= 40)).toHaveLength(6);
  });
});
