import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { pino } from 'pino';
import { openDb } from '../../common/sqlite.js';
import * as schema from '../store/schema.js';
import { AttestationStore } from '../store/attestations.js';
import { OracleService } from '../intake/settlement-service.js';
import { Committee } from '../issue/committee/local.js';
import { createMetrics } from '../metrics.js';
import { RegistryReader } from '../../core/chain/registry.js';
import { Destinations } from '../../core/chain/destinations.js';
import { DEV_COMMITTEE_KEYS } from '../../schemas/dev-keys.js';
import { CHAINS, HUB, NOW, REGISTRY, navBody, settlementBody, tempDb } from '../../testkit/committee.js';
import { createApp } from './app.js';

/** A local port nothing listens on: the RPC endpoints of a hub and chains that are down. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('oracle API with the hub RPC down', () => {
  it('answers 503 chain_unavailable (retryable), not 500, and stores nothing', async () => {
    const url = `http://127.0.0.1:${await deadPort()}`;
    const { db } = openDb(tempDb('oracle-hub-down'), schema, join(import.meta.dirname, '..', 'store', 'migrations'));
    const store = new AttestationStore(db);
    const metrics = createMetrics();
    const logger = pino({ level: 'silent' });
    const registry = new RegistryReader(url, REGISTRY);
    const destinations = new Destinations(CHAINS.map((c) => ({ ...c, rpcUrl: url })));
    const service = new OracleService({
      registry,
      registryAddress: REGISTRY,
      hubChainId: BigInt(HUB),
      destinations,
      committee: new Committee(DEV_COMMITTEE_KEYS),
      store,
      metrics,
      logger,
      now: () => BigInt(NOW),
      maxFutureSkewSeconds: 300,
    });
    const app = createApp({
      service,
      store,
      destinations,
      registry,
      metrics,
      logger,
      dids: { members: registry, hubChainId: BigInt(HUB), registryAddress: REGISTRY, publicUrl: undefined },
    });
    for (const [path, body] of [
      ['/v1/settlements', await settlementBody()],
      ['/v1/nav', await navBody()],
    ] as const) {
      const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('chain_unavailable');
    }
    expect(store.count()).toBe(0);
  }, 60_000);
});
