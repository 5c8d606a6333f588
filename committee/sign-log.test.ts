import { join } from 'node:path';
import pino from 'pino';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { openDb } from '../common/sqlite.js';
import { DEV_COMMITTEE_KEYS } from '../schemas/dev-keys.js';
import { HUB, NOW, OPEN_HOLDINGS, REGISTRY, fakeChains, fakeRegistry, newWorld, settlementBody, tempDb } from '../testkit/committee.js';
import { parseSignCommand } from './http.js';
import { SignerService } from './signer.js';
import * as schema from './store/schema.js';
import { SignedStore } from './store/signed.js';

// Unit test: fake hub and chains, a real store; the signer's pino lines are captured at `level`.
function signerLogging(level: 'info' | 'debug') {
  const lines: { level: number; msg: string; items?: number; signed?: number; repeats?: number; refused?: number }[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const world = newWorld();
  world.holdings.set(31338, { ...OPEN_HOLDINGS });
  const { db } = openDb(tempDb('signer-log'), schema, join(import.meta.dirname, 'store', 'migrations'));
  const service = new SignerService({
    account: privateKeyToAccount(DEV_COMMITTEE_KEYS[0]!),
    store: new SignedStore(db),
    registry: fakeRegistry(world),
    chains: fakeChains(world),
    custodianDomain: { hubChainId: BigInt(HUB), registry: REGISTRY },
    governance: world.governance,
    now: () => BigInt(NOW),
    maxFutureSkewSeconds: 300,
    logger,
  });
  return { service, lines };
}

const command = async (ref: string, nonce: number) =>
  parseSignCommand({ kind: 'settlement', request: await settlementBody({ settlementRef: ref }), nonce: String(nonce), chainIds: [31338] });

describe('committee signer logs', () => {
  it('writes one info line per sign batch, not one per item', async () => {
    const { service, lines } = signerLogging('info');
    const cmds = [await command('L-1', 1), await command('L-2', 2), await command('L-3', 3)];
    const r = await service.signBatch(cmds);
    expect(r.items.map((i) => i.ok)).toEqual([true, true, true]);
    expect(lines.filter((l) => l.msg === 'attestation signed')).toEqual([]);
    expect(lines.filter((l) => l.msg === 'sign batch recorded')).toEqual([expect.objectContaining({ level: 30, items: 3, signed: 3, repeats: 0, refused: 0 })]);

    // The same batch again: every item a repeat, still one line.
    await service.signBatch(cmds);
    expect(lines.filter((l) => l.msg === 'sign batch recorded').at(-1)).toMatchObject({ items: 3, signed: 0, repeats: 3, refused: 0 });
  });

  it("keeps each batch item's line at debug, and a single sign's line at info", async () => {
    const { service, lines } = signerLogging('debug');
    await service.signBatch([await command('L-1', 1), await command('L-2', 2)]);
    expect(lines.filter((l) => l.msg === 'attestation signed').map((l) => l.level)).toEqual([20, 20]);
    await service.sign(await command('L-3', 3));
    expect(lines.filter((l) => l.msg === 'attestation signed').map((l) => l.level)).toEqual([20, 20, 30]);
  });
});
