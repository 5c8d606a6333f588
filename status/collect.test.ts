import { afterAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { pino } from 'pino';
import { close, listen } from '../common/serve.js';
import type { Deployment } from '../schemas/deployment.js';
import { Collector, messageOf } from './collect.js';
import { createStatusMetrics } from './metrics.js';
import { chainKey } from './inputs.js';

const HASH = `0x${'ab'.repeat(32)}`;
const servers: Parameters<typeof close>[0][] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => close(s)));
});

const deployment = (rpcUrl: string): Deployment => ({
  hub: { chainId: 31337, rpcUrl, registry: `0x${'01'.repeat(20)}` },
  chains: [
    { name: 'hub', chainId: 31337, rpcUrl, receiver: `0x${'02'.repeat(20)}`, confirmations: 0 },
    { name: 'spoke-b', chainId: 31339, rpcUrl, receiver: `0x${'03'.repeat(20)}`, confirmations: 0, transport: 'wormhole' },
  ],
  governance: { signers: [`0x${'04'.repeat(20)}`], threshold: 1 },
  dids: [{ did: 'did:rwa:demo:x', didHash: HASH }],
});

describe('Collector', () => {
  it('reads the relayer and the oracle although no chain answers; logs a failing source once, counts every failure', async () => {
    const relayer = new Hono();
    relayer.get('/v1/queues', (c) => c.json({ chains: [], cursor: 7 }));
    relayer.get('/v1/dead-letters', (c) => c.json({ items: [] }));
    relayer.get('/v1/recent', (c) => c.json({ chains: [] }));
    const oracleAsked: string[] = [];
    relayer.get('/v1/attestations', (c) => {
      oracleAsked.push(c.req.query('after') ?? '');
      return c.json({ items: [{}, {}], next: 9 });
    });
    // The oracle's notice per DID (issue 23).
    relayer.get('/v1/dids/:did/notice', (c) => c.json({ did: c.req.param('did'), notice: { due: true, stage: 'B', since: 900, stageSeq: '1', required: 'public announcement and filing' } }));
    const { server, port } = await listen(relayer, '127.0.0.1', 0);
    servers.push(server);
    const url = `http://127.0.0.1:${port}`;
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
    const metrics = createStatusMetrics();
    // Port 1: fetch refuses it at once (a bad port), as a chain that is down.
    const collector = new Collector({ deployment: deployment('http://127.0.0.1:1'), relayerUrl: url, oracleUrl: url, timeoutMs: 2_000, logger, metrics, now: () => 1_000 });

    const first = await collector.collect();
    await collector.collect();
    expect(first.now).toBe(1_000);
    expect(first.chains).toEqual([{ chainId: 31337, name: 'hub', transport: 'cctp' }, { chainId: 31339, name: 'spoke-b', transport: 'wormhole' }]);
    const hub = first.chainReads.get(chainKey(HASH, 31337));
    expect(hub?.ok).toBe(false);
    expect(hub?.ok === false && hub.error).toMatch(/^HTTP request failed\. \(.+\)$/);
    expect(first.relayer.read).toEqual({ ok: true, value: { cursor: 7, queues: [], dead: [], recent: [] } });
    // The oracle's backlog is read past the relayer's cursor.
    expect(first.oracle?.read).toEqual({ ok: true, value: { backlog: 2, backlogCapped: false } });
    expect(oracleAsked).toEqual(['7', '7']);
    expect(first.notices?.get('did:rwa:demo:x')).toEqual({ ok: true, value: { due: true, stage: 'B', since: 900, required: 'public announcement and filing' } });

    const warned = lines.map((l) => JSON.parse(l) as { msg: string; source: string }).filter((l) => l.msg === 'source unreadable');
    expect(warned.map((l) => l.source).sort()).toEqual(['chain:hub', 'chain:spoke-b']);
    const failures = await metrics.sourceFailures.get();
    expect(failures.values.map((v) => [v.labels.source, v.value]).sort()).toEqual([['chain:hub', 2], ['chain:spoke-b', 2]]);
  });

  it('messageOf keeps the short message and the innermost cause', () => {
    const inner = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const outer = Object.assign(new Error('HTTP request failed.\n\nURL: ...', { cause: new Error('fetch failed', { cause: inner }) }), { shortMessage: 'HTTP request failed.' });
    expect(messageOf(outer)).toBe('HTTP request failed. (connect ECONNREFUSED 127.0.0.1:1)');
    expect(messageOf(new Error('plain\nmore'))).toBe('plain');
    expect(messageOf('text')).toBe('text');
  });
});
