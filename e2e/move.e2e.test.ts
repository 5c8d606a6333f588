import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { DEV_CUSTODIAN_KEY } from '../schemas/dev-keys.js';
import { decodeMessage } from '../schemas/message.js';
import { postJson, signMove } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, custodianDomainOf, demoSubscription, DEMO_INVESTOR } from '../devnet/demo.js';
import { inspectChains, type ChainView } from '../devnet/inspect.js';
import { waitFor } from '../testkit/wait.js';
import { expectSupplyConserved } from './lib/supply.js';

interface LegView {
  id: Hex;
  nonce: string;
  chainId: number;
  state: string;
}
interface MoveView {
  ref: string;
  out: LegView;
  in: LegView | null;
}

let stack: Stack;
const byName = (views: ChainView[], name: string) => views.find((v) => v.name === name)!;
const totalSupply = (views: ChainView[]) => views.reduce((sum, v) => sum + v.totalSupply, 0n);

// Three committee signer processes: each leg is vetted by independent signers reading the chains themselves.
describe('cross-chain move: custodian -> oracle -> committee signers -> relayer -> spoke-a burn, then spoke-b mint', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-e2e-move-')), logLevel: 'warn', signers: 3 });
    await bootstrapDemo(stack.deployment, stack.oracleUrl);
  });
  afterEach(async () => {
    await expectSupplyConserved(stack.deployment);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('moves part of a holding from spoke-a to spoke-b; the total over all chains stays the same', async () => {
    const d = stack.deployment;
    const spokeA = d.chains.find((c) => c.name === 'spoke-a')!;
    const spokeB = d.chains.find((c) => c.name === 'spoke-b')!;
    const now = Math.floor(Date.now() / 1000);
    const sub = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, spokeA.chainId, 'E2E-MOVE-SUB', 10_000_000n, now));
    expect(sub.status).toBe(201);
    const before = await waitFor(
      async () => {
        const v = await inspectChains(d, DEMO_INVESTOR);
        return byName(v, 'spoke-a').balance === 10_000_000n ? v : undefined;
      },
      { what: 'the subscription applied on spoke-a', timeoutMs: 60_000 },
    );

    const move = await signMove(DEV_CUSTODIAN_KEY, custodianDomainOf(d), {
      did: d.dids[0]!.did,
      ref: 'E2E-MOVE-1',
      investor: DEMO_INVESTOR,
      amount: '4000000',
      fromChainId: spokeA.chainId,
      toChainId: spokeB.chainId,
    });
    const r = await postJson(`${stack.oracleUrl}/v1/moves`, move);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const started = r.json as MoveView;
    expect(started.out.chainId).toBe(spokeA.chainId);

    const statusUrl = `${stack.oracleUrl}/v1/moves/${started.ref}?did=${encodeURIComponent(d.dids[0]!.did)}`;
    const done = await waitFor(
      async () => {
        const s = (await (await fetch(statusUrl)).json()) as MoveView;
        return s.out.state === 'applied' && s.in?.state === 'applied' ? s : undefined;
      },
      { what: 'both legs of the move applied', timeoutMs: 90_000 },
    );
    expect(done.out.id).toBe(started.out.id);
    expect(done.in!.chainId).toBe(spokeB.chainId);
    // The in leg took a later nonce than the out leg: it was signed after the burn applied.
    expect(BigInt(done.in!.nonce)).toBeGreaterThan(BigInt(done.out.nonce));

    const after = await inspectChains(d, DEMO_INVESTOR);
    expect(byName(after, 'spoke-a').balance).toBe(byName(before, 'spoke-a').balance - 4_000_000n);
    expect(byName(after, 'spoke-b').balance).toBe(byName(before, 'spoke-b').balance + 4_000_000n);
    expect(totalSupply(after)).toBe(totalSupply(before));

    // The feed carries both legs as settlements of kinds moveOut / moveIn naming each other's chain.
    const feed = (await (await fetch(`${stack.oracleUrl}/v1/attestations?after=0&limit=500`)).json()) as { items: { id: Hex; message: Hex }[] };
    const legs = [done.out.id, done.in!.id].map((id) => decodeMessage(feed.items.find((i) => i.id === id)!.message));
    expect(legs).toMatchObject([
      { kind: 'settlement', settlementKind: 'moveOut', peerChainId: BigInt(spokeB.chainId), amount: 4_000_000n },
      { kind: 'settlement', settlementKind: 'moveIn', peerChainId: BigInt(spokeA.chainId), amount: 4_000_000n },
    ]);

    // The same instruction again is a repeat; more than the balance left on spoke-a is refused.
    const again = await postJson(`${stack.oracleUrl}/v1/moves`, move);
    expect(again.status).toBe(200);
    expect((again.json as MoveView).out.id).toBe(started.out.id);
    const tooMuch = await signMove(DEV_CUSTODIAN_KEY, custodianDomainOf(d), { ...move, ref: 'E2E-MOVE-2', amount: '6000001' });
    const refused = await postJson(`${stack.oracleUrl}/v1/moves`, tooMuch);
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ error: { code: 'insufficient_holdings' } });
  });
});
