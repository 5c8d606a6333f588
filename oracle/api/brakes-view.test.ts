import { beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { NO_BRAKES_VALUES, type BrakesValues } from '../../schemas/kinds/brakes-source.js';
import type { BrakesChainPort, BrakesInForce } from '../../core/chain/brakes.js';
import { createApp } from './app.js';
import { OracleService } from '../intake/settlement-service.js';
import { DID, HUB, REGISTRY, SPOKE_A, SPOKE_B, makeRedemptions } from '../../testkit/oracle-redemption.js';
import { BrakesSync } from '../mirror/brakes-sync.js';
import { BrakesView } from './brakes-view.js';

// Unit test: hub registry and chains are in-memory fakes; store, committee keys, BrakesSync, the view and its route are real.
let k: ReturnType<typeof makeRedemptions>;
let onChain: Map<number, BrakesInForce>;
let down: Set<number>;
let view: BrakesView;

const LINE: BrakesValues = { ...NO_BRAKES_VALUES, mintCapacity: 2_000_000n, mintRefillPerSecond: 10n, largeAmount: 900_000n, largeThreshold: 3 };
const IN_FORCE: BrakesInForce = { ...LINE, mintAvailable: 150_000n, burnAvailable: undefined, queuedMint: 4, queuedBurn: 0 };

beforeEach(() => {
  k = makeRedemptions();
  onChain = new Map();
  down = new Set();
  const chains: BrakesChainPort = {
    brakesInForce: async (chainId) => {
      if (down.has(chainId)) throw new Error('rpc down');
      return onChain.get(chainId) ?? { ...NO_BRAKES_VALUES, mintAvailable: undefined, burnAvailable: undefined, queuedMint: 0, queuedBurn: 0 };
    },
  };
  view = new BrakesView({ registry: k.deps.registry, chains, served: () => true, store: k.store, metrics: k.metrics, logger: pino({ level: 'silent' }) });
});

/** The oracle's HTTP app with the brakes route (the error model of the real app: 400 and 404 JSON). */
const createHttpApp = (brakes: BrakesView) =>
  createApp({
    service: new OracleService({ ...k.deps, registry: k.deps.registry as never, destinations: k.deps.destinations as never }),
    store: k.store,
    destinations: k.deps.destinations as never,
    registry: k.deps.registry as never,
    metrics: k.metrics,
    logger: pino({ level: 'silent' }),
    dids: { members: { custodiansOf: async () => [], navPublishersOf: async () => [] }, hubChainId: BigInt(HUB), registryAddress: REGISTRY, publicUrl: undefined },
    brakes,
  });

const gauge = async (name: 'brakesQueued' | 'brakesAvailable' | 'brakesLine' | 'brakesLargeThreshold', labels: Record<string, string>) =>
  (await k.metrics[name].get()).values.find((v) => Object.entries(labels).every(([key, x]) => (v.labels as Record<string, unknown>)[key] === x))?.value;

describe('GET /v1/dids/:did/brakes', () => {
  it('shows per chain the brakes attested and in force (limits, bucket, line, high threshold, queued), and sets the gauges', async () => {
    await new BrakesSync({ ...k.deps, registry: k.deps.registry as never, brakes: { brakesOf: async (_h, c) => (Number(c) === SPOKE_A ? LINE : NO_BRAKES_VALUES) } }).sync();
    onChain.set(SPOKE_A, IN_FORCE);
    const app = createHttpApp(view);
    const res = await app.request(`/v1/dids/${DID}/brakes`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { did: string; chains: { chainId: number; attested: unknown; inForce: unknown }[] };
    expect(body.did).toBe(DID);
    expect(body.chains.map((c) => c.chainId)).toEqual([HUB, SPOKE_A, SPOKE_B]);
    expect(body.chains[1]).toMatchObject({
      chainId: SPOKE_A,
      attested: { revision: 1, mintCapacity: '2000000', largeAmount: '900000', largeThreshold: 3 },
      inForce: {
        mint: { capacity: '2000000', refillPerSecond: '10', available: '150000', queued: 4 },
        burn: { capacity: '0', available: null, queued: 0 },
        largeAmount: '900000',
        largeThreshold: 3,
      },
    });
    expect(body.chains[0]).toMatchObject({ attested: null, inForce: { largeAmount: '0', largeThreshold: 0 } });
    expect(await gauge('brakesQueued', { chain: String(SPOKE_A), direction: 'mint' })).toBe(4);
    expect(await gauge('brakesAvailable', { chain: String(SPOKE_A), direction: 'burn' })).toBe(-1);
    expect(await gauge('brakesLine', { chain: String(SPOKE_A) })).toBe(900_000);
    expect(await gauge('brakesLargeThreshold', { chain: String(SPOKE_A) })).toBe(3);
  });

  it('shows a chain it cannot read as inForce null, counts it, and still shows the others', async () => {
    down.add(SPOKE_B);
    onChain.set(SPOKE_A, IN_FORCE);
    const body = (await (await createHttpApp(view).request(`/v1/dids/${DID}/brakes`)).json()) as { chains: { chainId: number; inForce: unknown }[] };
    expect(body.chains.find((c) => c.chainId === SPOKE_B)!.inForce).toBeNull();
    expect(body.chains.find((c) => c.chainId === SPOKE_A)!.inForce).not.toBeNull();
    expect(await k.metrics.watcherFailures.get()).toMatchObject({ values: [expect.objectContaining({ labels: { watcher: 'brakes-view', chain: String(SPOKE_B) }, value: 1 })] });
  });

  it('answers 400 for a string that is not a DID and 404 for an unknown DID', async () => {
    const app = createHttpApp(view);
    expect((await app.request('/v1/dids/not-a-did/brakes')).status).toBe(400);
    const unknown = await app.request('/v1/dids/did:rwa:nobody:nothing/brakes');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_did', field: 'did' } });
  });
});
