import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, recoverTypedDataAddress, sliceHex, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaReceiverAbi } from '../schemas/abi.js';
import { DEV_COMMITTEE_KEYS, DEV_OUTSIDER_KEY } from '../schemas/dev-keys.js';
import { attestationDomain, attestationTypes } from '../schemas/eip712.js';
import { attestationTypedMessage, decodeMessage } from '../schemas/message.js';
import { postJson } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { expectSupplyConserved } from './lib/supply.js';
import { bootstrapDemo, demoNav, demoSubscription } from '../devnet/demo.js';
import { waitFor } from '../testkit/wait.js';

interface AttestationBody {
  id: Hex;
  message: Hex;
  nonce: string;
  didHash: Hex;
  deliveries: { chainId: number; receiver: Address; signatures: Hex }[];
}
interface StatusBody {
  delivery: { chainId: number; state: string }[];
}

const committee = DEV_COMMITTEE_KEYS.map((k) => privateKeyToAccount(k).address);
let stack: Stack;

async function feed(): Promise<{ nonce: string; id: Hex; kind: string }[]> {
  const page = (await (await fetch(`${stack.oracleUrl}/v1/attestations?after=0&limit=500`)).json()) as { items: { nonce: string; id: Hex; kind: string }[] };
  return page.items;
}

/** Waits until every chain the attestation goes to has applied it (the oracle's status reads isNonceUsed). */
function appliedEverywhere(att: AttestationBody) {
  return waitFor(
    async () => {
      const status = (await (await fetch(`${stack.oracleUrl}/v1/attestations/${att.id}`)).json()) as StatusBody;
      return status.delivery.length === att.deliveries.length && status.delivery.every((d) => d.state === 'applied') ? status : undefined;
    },
    { what: `attestation ${att.id} applied on ${att.deliveries.map((d) => d.chainId).join(', ')}`, timeoutMs: 60_000 },
  );
}

async function quorumSigners(att: AttestationBody, d: AttestationBody['deliveries'][number]): Promise<Address[]> {
  const typed = attestationTypedMessage(decodeMessage(att.message));
  const count = (d.signatures.length - 2) / 130;
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      recoverTypedDataAddress({
        domain: attestationDomain(BigInt(d.chainId), d.receiver),
        types: attestationTypes,
        primaryType: typed.primaryType,
        message: typed.message,
        signature: sliceHex(d.signatures, i * 65, (i + 1) * 65),
      } as Parameters<typeof recoverTypedDataAddress>[0]),
    ),
  );
}

async function metric(url: string, line: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => line.test(l))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

describe('committee as independent signer processes (3 signers, threshold 2)', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-e2e-committee-')), logLevel: 'warn', signers: 3 });
    // The signers sign the DID's config (governance), the allow-list and the reserve like any attestation.
    await bootstrapDemo(stack.deployment, stack.oracleUrl);
  });
  afterEach(async () => {
    await expectSupplyConserved(stack.deployment);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("signed the DID's config, allow-list and reserve as signer processes, each applied on every chain", async () => {
    const page = (await (await fetch(`${stack.oracleUrl}/v1/attestations?after=0&limit=50`)).json()) as { items: (AttestationBody & { kind: string })[] };
    const admin = page.items.filter((i) => ['config', 'allowlist', 'reserve'].includes(i.kind));
    expect(admin.map((i) => i.kind)).toEqual(['config', 'allowlist', 'reserve']);
    for (const att of admin) {
      expect(att.deliveries.map((x) => x.chainId).sort()).toEqual(stack.deployment.chains.map((c) => c.chainId).sort());
      for (const delivery of att.deliveries) {
        const signers = await quorumSigners(att, delivery);
        expect(signers).toHaveLength(2);
        for (const s of signers) expect(committee).toContain(s);
      }
      await appliedEverywhere(att);
    }
    // The quorums came from the signer processes themselves: two answers per attestation at least.
    const answers = await Promise.all(stack.signers.map((sg) => metric(sg.url, /^signer_sign_requests_total\{outcome="(signed|repeat)"\}/)));
    expect(answers.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2 * admin.length);
  });

  it('with one signer stopped, a settlement and a NAV still reach every chain, signed by the two others', async () => {
    const d = stack.deployment;
    await stack.signers[0]!.stop();
    const now = Math.floor(Date.now() / 1000);
    const spoke = d.chains[1]!;

    const settlement = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, spoke.chainId, 'E2E-COMMITTEE-1', 4_000_000n, now));
    expect(settlement.status, JSON.stringify(settlement.json)).toBe(201);
    const nav = await postJson(`${stack.oracleUrl}/v1/nav`, await demoNav(d, 100_050_000n, now));
    expect(nav.status, JSON.stringify(nav.json)).toBe(201);
    const navAtt = nav.json as AttestationBody;
    expect(navAtt.deliveries.map((x) => x.chainId).sort()).toEqual(d.chains.map((c) => c.chainId).sort());

    for (const att of [settlement.json as AttestationBody, navAtt]) {
      for (const delivery of att.deliveries) {
        const signers = await quorumSigners(att, delivery);
        expect(signers).toHaveLength(2);
        expect(BigInt(signers[0]!) < BigInt(signers[1]!)).toBe(true);
        expect(new Set(signers)).toEqual(new Set([committee[1], committee[2]]));
      }
      await appliedEverywhere(att);
    }
    expect(await metric(stack.oracleUrl, /^oracle_signer_calls_total\{.*outcome="unreachable"/)).toBeGreaterThanOrEqual(2);
  });

  it('with one valid signer and a key outside the signer set in the other slot, refuses with 503 and applies nothing', async () => {
    const d = stack.deployment;
    const before = await feed();
    await stack.signers[1]!.stop();
    const outsider = await stack.startSigner(1, DEV_OUTSIDER_KEY);
    expect(outsider.address).toBe(privateKeyToAccount(DEV_OUTSIDER_KEY).address);

    const now = Math.floor(Date.now() / 1000);
    const settlementBody = await demoSubscription(d, d.chains[2]!.chainId, 'E2E-COMMITTEE-2', 9_000_000n, now);
    const refused = await postJson(`${stack.oracleUrl}/v1/settlements`, settlementBody);
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ error: { code: 'quorum_unavailable' } });
    const navRefused = await postJson(`${stack.oracleUrl}/v1/nav`, await demoNav(d, 100_060_000n, now + 1));
    expect(navRefused.status).toBe(503);
    expect(navRefused.json).toMatchObject({ error: { code: 'quorum_unavailable' } });

    // Nothing stored, so nothing for the relayer to deliver; the outsider refused on its own.
    expect(await feed()).toEqual(before);
    expect(await metric(outsider.url, /^signer_sign_requests_total\{outcome="not_in_signer_set"\}/)).toBe(2);
    const queues = await waitFor(
      async () => {
        const q = (await (await fetch(`${stack.relayerUrl}/v1/queues`)).json()) as { chains: { depth: number }[] };
        return q.chains.every((c) => c.depth === 0) ? q : undefined;
      },
      { what: 'relayer queues empty' },
    );
    expect(queues.chains).toHaveLength(d.chains.length);
    // The nonce the refused requests were offered is used on no chain.
    const didHash = d.dids[0]!.didHash as Hex;
    const next = before.reduce((max, item) => (BigInt(item.nonce) > max ? BigInt(item.nonce) : max), 0n) + 1n;
    for (const c of d.chains) {
      const client = createPublicClient({ transport: http(c.rpcUrl) });
      expect(await client.readContract({ address: c.receiver as Address, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [didHash, next] })).toBe(false);
    }

    // A second valid signer back: the same request is signed and delivered.
    await stack.startSigner(0);
    // The 503 left the round open: the retry completes it (201), or finds it completed by the oracle's sweep (200);
    // either way the request has exactly one attestation.
    const ok = await postJson(`${stack.oracleUrl}/v1/settlements`, settlementBody);
    expect([200, 201], JSON.stringify(ok.json)).toContain(ok.status);
    await appliedEverywhere(ok.json as AttestationBody);
    const again = await postJson(`${stack.oracleUrl}/v1/settlements`, settlementBody);
    expect([again.status, (again.json as AttestationBody).id]).toEqual([200, (ok.json as AttestationBody).id]);
    // The NAV's open round may be completed by the sweep too; of settlements, this request's is the only new one.
    const added = (await feed()).slice(before.length);
    expect(added.filter((i) => i.kind === 'settlement').map((i) => i.id)).toEqual([(ok.json as AttestationBody).id]);
    expect(added.every((i) => i.kind === 'settlement' || i.kind === 'nav')).toBe(true);
  });
});
