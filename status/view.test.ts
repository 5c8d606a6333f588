import { describe, expect, it } from 'vitest';
import { buildView, RECENT_PER_ROW } from './view.js';
import { chainKey, type ChainRead, type NoticeRead, type RelayerDelivery, type RelayerRead, type Sourced, type StatusInputs } from './inputs.js';

const NOW = Date.parse('2026-12-05T04:00:00Z');
const NOW_S = BigInt(NOW / 1000);
const DID = 'did:rwa:demo:ustb-2027';
const HASH = `0x${'ab'.repeat(32)}`;
const OTHER = 'did:rwa:demo:other';
const HUB = { chainId: 31337, name: 'hub', transport: 'cctp' };
const SPOKE = { chainId: 31339, name: 'spoke-b', transport: 'wormhole' };

const chain = (over: Partial<ChainRead> = {}): ChainRead => ({
  configured: true,
  holdingsDecimals: 6,
  navDecimals: 8,
  totalSupply: 1_500_000_000n,
  supplyCap: 2_000_000_000n,
  paused: false,
  navRound: 3n,
  nav: 100_250_000n,
  navAsOf: NOW_S - 90n,
  heartbeatSeconds: 86_400,
  navStale: false,
  stage: { stage: 1, since: 0n, reason: 0 },
  reserveAsOf: NOW_S - 600n,
  ...over,
});

const delivery = (seq: number, did = DID, transport = 'cctp'): RelayerDelivery => ({
  attestationId: `0x${seq.toString(16).padStart(64, '0')}`,
  seq,
  did,
  kind: 'settlement',
  transport,
  txHash: `0x${'cd'.repeat(32)}`,
  confirmedAt: new Date(NOW - seq * 1000).toISOString(),
});

const relayer = (over: Partial<RelayerRead> = {}): RelayerRead => ({
  cursor: 42,
  queues: [
    { chainId: HUB.chainId, depth: 4, parked: 1, blocked: null, waiting: [{ did: DID, kind: 'settlement', lastError: 'reverted: SupplyCapExceeded' }, { did: OTHER, kind: 'nav', lastError: null }] },
    { chainId: SPOKE.chainId, depth: 0, parked: 0, blocked: { reason: 'rpc', since: new Date(NOW - 5000).toISOString(), retryAt: new Date(NOW + 5000).toISOString() }, waiting: [] },
  ],
  dead: [
    { attestationId: '0x01', did: DID, kind: 'nav', chainId: HUB.chainId, transport: 'cctp', lastError: 'reverted: StaleAsOf' },
    { attestationId: '0x02', did: OTHER, kind: 'nav', chainId: HUB.chainId, transport: 'cctp', lastError: 'x' },
    { attestationId: '0x03', did: DID, kind: 'nav', chainId: SPOKE.chainId, transport: 'wormhole', lastError: 'y' },
  ],
  recent: [
    { chainId: HUB.chainId, deliveries: [delivery(9), delivery(8, OTHER), delivery(7), delivery(6), delivery(5), delivery(4), delivery(3), delivery(2)] },
    { chainId: SPOKE.chainId, deliveries: [delivery(10, DID, 'wormhole')] },
  ],
  ...over,
});

function inputs(reads: Record<number, Sourced<ChainRead>>, rel: Sourced<RelayerRead> = { ok: true, value: relayer() }, oracle?: StatusInputs['oracle']): StatusInputs {
  return {
    now: NOW,
    dids: [{ did: DID, didHash: HASH }],
    chains: [HUB, SPOKE],
    chainReads: new Map(Object.entries(reads).map(([id, r]) => [chainKey(HASH, Number(id)), r])),
    relayer: { url: 'http://relayer', read: rel },
    ...(oracle ? { oracle } : {}),
  };
}

describe('buildView: the JSON the status page renders', () => {
  it('shows NAV round and age, supply against the cap, stage, queues and the DID’s recent deliveries per chain', () => {
    const v = buildView(inputs({ [HUB.chainId]: { ok: true, value: chain() }, [SPOKE.chainId]: { ok: true, value: chain({ totalSupply: 0n }) } }));
    expect(v.generatedAt).toBe('2026-12-05T04:00:00.000Z');
    expect(v.relayer).toEqual({ url: 'http://relayer', ok: true, error: null, cursor: 42 });
    expect(v.oracle).toBeNull();
    const [hub, spoke] = v.dids[0]!.chains;
    expect(hub).toMatchObject({
      chainId: 31337,
      name: 'hub',
      transport: 'cctp',
      error: null,
      configured: true,
      nav: { round: '3', value: '1.0025', asOf: new Date(NOW - 90_000).toISOString(), ageSeconds: 90, heartbeatSeconds: 86_400, stale: false },
      supply: { total: '1500', cap: '2000', totalRaw: '1500000000', capRaw: '2000000000', usedPct: 75, paused: false, reserveAsOf: new Date(NOW - 600_000).toISOString() },
      stage: { name: 'A', since: null, reason: 'none' },
      // depth and parked are the chain's; waiting and dead count this DID's jobs only.
      queue: { depth: 4, parked: 1, waiting: 1, dead: 1, blocked: null },
    });
    // Another DID's delivery is left out; at most RECENT_PER_ROW, newest first, with transport and age.
    expect(hub!.recent.map((d) => d.seq)).toEqual([9, 7, 6, 5, 4]);
    expect(hub!.recent).toHaveLength(RECENT_PER_ROW);
    expect(hub!.recent[0]).toEqual({ attestationId: delivery(9).attestationId, seq: 9, kind: 'settlement', transport: 'cctp', txHash: `0x${'cd'.repeat(32)}`, confirmedAt: delivery(9).confirmedAt, ageSeconds: 9 });
    expect(hub!.attention).toEqual(['1 dead', '1 waiting']);
    expect(spoke!.recent.map((d) => [d.seq, d.transport])).toEqual([[10, 'wormhole']]);
    expect(spoke!.supply?.usedPct).toBe(0);
    expect(spoke!.attention).toEqual(['relayer blocked: rpc', '1 dead']);
  });

  it('flags stage C, a pause, a stale NAV and a supply near its cap', () => {
    const v = buildView(
      inputs(
        {
          [HUB.chainId]: { ok: true, value: chain({ stage: { stage: 3, since: NOW_S - 60n, reason: 2 }, paused: true, navStale: true, totalSupply: 1_999_900_000n }) },
          [SPOKE.chainId]: { ok: true, value: chain({ supplyCap: 0n, totalSupply: 0n }) },
        },
        { ok: true, value: relayer({ queues: [], dead: [] }) },
      ),
    );
    const [hub, spoke] = v.dids[0]!.chains;
    expect(hub!.stage).toEqual({ name: 'C', since: new Date(NOW - 60_000).toISOString(), reason: 'emergency' });
    // 99.995 % is floored to 99.9, never shown as 100 before the cap is reached.
    expect(hub!.supply?.usedPct).toBe(99.9);
    expect(hub!.attention).toEqual(['paused', 'stage C', 'NAV stale', 'supply at 99.9% of cap']);
    expect(spoke!.supply?.usedPct).toBeNull();
    expect(spoke!.queue).toEqual({ depth: 0, parked: 0, waiting: 0, dead: 0, blocked: null });
    expect(spoke!.attention).toEqual([]);
  });

  it('shows a DID with no NAV yet, and one not configured on a chain', () => {
    const v = buildView(inputs({ [HUB.chainId]: { ok: true, value: chain({ navRound: 0n, nav: undefined, navAsOf: undefined, navStale: true }) }, [SPOKE.chainId]: { ok: true, value: chain({ configured: false }) } }));
    const [hub, spoke] = v.dids[0]!.chains;
    expect(hub!.nav).toEqual({ round: '0', value: null, asOf: null, ageSeconds: null, heartbeatSeconds: 86_400, stale: true });
    expect(hub!.attention).not.toContain('NAV stale');
    expect(spoke).toMatchObject({ configured: false, error: null, nav: null, supply: null, stage: null });
    expect(spoke!.attention[0]).toBe('not configured');
  });

  it('keeps the other chains and the relayer columns when one chain cannot be read', () => {
    const v = buildView(inputs({ [HUB.chainId]: { ok: false, error: 'HTTP request failed' }, [SPOKE.chainId]: { ok: true, value: chain() } }));
    const [hub, spoke] = v.dids[0]!.chains;
    expect(hub).toMatchObject({ error: 'HTTP request failed', configured: false, nav: null, supply: null, stage: null, queue: { depth: 4 } });
    expect(hub!.attention[0]).toBe('chain unreadable');
    expect(hub!.recent).toHaveLength(RECENT_PER_ROW);
    expect(spoke!.nav?.round).toBe('3');
  });

  it('keeps the chain columns when the relayer cannot be read', () => {
    const v = buildView(inputs({ [HUB.chainId]: { ok: true, value: chain() } }, { ok: false, error: 'GET http://relayer/v1/queues: fetch failed' }));
    expect(v.relayer).toEqual({ url: 'http://relayer', ok: false, error: 'GET http://relayer/v1/queues: fetch failed', cursor: null });
    const [hub, spoke] = v.dids[0]!.chains;
    expect(hub).toMatchObject({ queue: null, recent: [], supply: { total: '1500' } });
    // A chain the refresh has no read for is shown as unread, not as empty.
    expect(spoke).toMatchObject({ error: 'not read', attention: ['chain unreadable'] });
  });

  it('shows the oracle backlog past the relayer cursor, or why it is unknown', () => {
    const ok = buildView(inputs({}, undefined, { url: 'http://oracle', read: { ok: true, value: { backlog: 500, backlogCapped: true } } }));
    expect(ok.oracle).toEqual({ url: 'http://oracle', ok: true, error: null, backlog: 500, backlogCapped: true });
    const down = buildView(inputs({}, undefined, { url: 'http://oracle', read: { ok: false, error: 'relayer cursor unknown' } }));
    expect(down.oracle).toEqual({ url: 'http://oracle', ok: false, error: 'relayer cursor unknown', backlog: null, backlogCapped: false });
  });

  it('shows the incident notice a DID owes (issue 23): due with its stage, since and what; nothing due; or why unknown', () => {
    const withNotice = (read: Sourced<NoticeRead>): StatusInputs => ({ ...inputs({}), notices: new Map([[DID, read]]) });
    expect(buildView(inputs({})).dids[0]!.notice).toBeNull();
    const due = buildView(withNotice({ ok: true, value: { due: true, stage: 'B', since: Number(NOW_S) - 60, required: 'public announcement and filing' } }));
    expect(due.dids[0]!.notice).toEqual({ due: true, stage: 'B', since: new Date(NOW - 60_000).toISOString(), required: 'public announcement and filing' });
    expect(buildView(withNotice({ ok: true, value: { due: false, stage: 'B', since: Number(NOW_S) - 60, required: null } })).dids[0]!.notice).toEqual({ due: false });
    expect(buildView(withNotice({ ok: false, error: 'GET http://oracle/v1/dids/x/notice: HTTP 503' })).dids[0]!.notice).toEqual({ error: 'GET http://oracle/v1/dids/x/notice: HTTP 503' });
  });
});
