import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, keccak256, stringToBytes, type Address, type Hex, BaseError, ContractFunctionRevertedError } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaReceiverAbi } from '../schemas/abi.js';
import { ANVIL_DEPLOYER_KEY, DEV_OUTSIDER_KEY } from '../schemas/dev-keys.js';
import { signSettlement, postJson } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { expectSupplyConserved } from './lib/supply.js';
import { bootstrapDemo, demoNav, demoSubscription, custodianDomainOf, DEMO_INVESTOR } from '../devnet/demo.js';
import { inspectChains } from '../devnet/inspect.js';
import { waitFor } from '../testkit/wait.js';
import { settledDeliveries } from '../devnet/relayer.js';

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

let stack: Stack;

async function expectRevert(p: Promise<unknown>, errorName: string) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected revert ${errorName}`).toBeInstanceOf(BaseError);
  const revert = (err as BaseError).walk((e) => e instanceof ContractFunctionRevertedError);
  expect(revert).toBeInstanceOf(ContractFunctionRevertedError);
  expect((revert as ContractFunctionRevertedError).data?.errorName).toBe(errorName);
}

describe('walking skeleton: custodian -> oracle -> relayer -> three anvil chains', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-e2e-')), logLevel: 'warn' });
    await bootstrapDemo(stack.deployment, stack.oracleUrl);
  });
  afterEach(async () => {
    await expectSupplyConserved(stack.deployment);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('applies a subscription on each chain and a NAV on all chains', async () => {
    const d = stack.deployment;
    const now = Math.floor(Date.now() / 1000);
    const amounts = [1_000_000n, 2_500_000n, 7_000_000n];
    const ids: Hex[] = [];
    for (const [i, c] of d.chains.entries()) {
      const body = await demoSubscription(d, c.chainId, `E2E-SUB-${i}`, amounts[i] ?? 0n, now);
      const r = await postJson(`${stack.oracleUrl}/v1/settlements`, body);
      expect(r.status).toBe(201);
      const att = r.json as AttestationBody;
      expect(att.deliveries.map((x) => x.chainId)).toEqual([c.chainId]);
      ids.push(att.id);
    }
    const navRes = await postJson(`${stack.oracleUrl}/v1/nav`, await demoNav(d, 100_120_000n, now));
    expect(navRes.status).toBe(201);
    const navAtt = navRes.json as AttestationBody;
    expect(navAtt.deliveries.map((x) => x.chainId).sort()).toEqual(d.chains.map((c) => c.chainId).sort());

    const views = await waitFor(
      async () => {
        const v = await inspectChains(d, DEMO_INVESTOR);
        return v.every((x, i) => x.balance === amounts[i] && x.nav === 100_120_000n) ? v : undefined;
      },
      { what: 'holdings and NAV on all chains', timeoutMs: 60_000 },
    );
    for (const [i, v] of views.entries()) {
      expect(v.totalSupply).toBe(amounts[i]);
      expect(v.navRound).toBe(1n);
      expect(v.navAsOf).toBe(BigInt(now));
    }
    // The oracle's status reads the chains: every delivery is applied.
    for (const id of [...ids, navAtt.id]) {
      const status = (await (await fetch(`${stack.oracleUrl}/v1/attestations/${id}`)).json()) as StatusBody;
      expect(status.delivery.length).toBeGreaterThan(0);
      expect(status.delivery.every((x) => x.state === 'applied')).toBe(true);
    }
    // The relayer's status agrees.
    const rel = await settledDeliveries(stack.relayerUrl, navAtt.id);
    expect(rel).toHaveLength(3);
    expect(rel.every((x) => x.state === 'confirmed')).toBe(true);

    // The same request again is idempotent: same attestation, nothing new signed.
    const again = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, d.chains[0]!.chainId, 'E2E-SUB-0', amounts[0]!, now));
    expect(again.status).toBe(200);
    expect((again.json as AttestationBody).id).toBe(ids[0]);
  });

  it('refuses a settlement signed by a key that is not a registered custodian, and signs nothing', async () => {
    const d = stack.deployment;
    const before = (await (await fetch(`${stack.oracleUrl}/v1/attestations?after=0&limit=500`)).json()) as { items: unknown[] };
    const body = await signSettlement(DEV_OUTSIDER_KEY, custodianDomainOf(d), {
      did: d.dids[0]!.did,
      chainId: d.chains[1]!.chainId,
      kind: 'subscription',
      settlementRef: 'E2E-OUTSIDER',
      investor: DEMO_INVESTOR,
      amount: '999000000',
      cashLegRef: keccak256(stringToBytes('none')),
      settledAt: Math.floor(Date.now() / 1000),
    });
    const r = await postJson(`${stack.oracleUrl}/v1/settlements`, body);
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ error: { code: 'not_a_custodian', field: 'signature' } });
    const after = (await (await fetch(`${stack.oracleUrl}/v1/attestations?after=0&limit=500`)).json()) as { items: unknown[] };
    expect(after.items.length).toBe(before.items.length);
  });

  it('rejects forged and replayed attestations on chain and changes nothing', async () => {
    const d = stack.deployment;
    const spoke = d.chains[1]!;
    const now = Math.floor(Date.now() / 1000);
    const r = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, spoke.chainId, 'E2E-REPLAY', 5_000_000n, now));
    expect(r.status).toBe(201);
    const att = r.json as AttestationBody;
    const delivery = att.deliveries[0]!;
    const pub = createPublicClient({ transport: http(spoke.rpcUrl) });
    await waitFor(() => pub.readContract({ address: delivery.receiver, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [att.didHash, BigInt(att.nonce)] }), {
      what: 'first delivery applied',
    });
    const [before] = (await inspectChains(d, DEMO_INVESTOR)).filter((v) => v.chainId === spoke.chainId);

    const attacker = createWalletClient({ transport: http(spoke.rpcUrl), account: privateKeyToAccount(ANVIL_DEPLOYER_KEY) });
    const call = (message: Hex, signatures: Hex) =>
      pub.simulateContract({ address: delivery.receiver, abi: rwaReceiverAbi, functionName: 'receiveMessage', args: [message, signatures], account: attacker.account });

    // Replay: the very same message and signatures.
    await expectRevert(call(att.message, delivery.signatures), 'NonceAlreadyUsed');
    // Forged: a new nonce and a larger amount with the original signatures.
    const forged = (att.message.slice(0, 2 + 34 * 2) + (BigInt(att.nonce) + 1000n).toString(16).padStart(16, '0') + att.message.slice(2 + 42 * 2)) as Hex;
    await expectRevert(call(forged, delivery.signatures), 'UnauthorizedSigner');
    // Signatures meant for another chain (the hub's receiver domain) do not verify here.
    const hubBody = await demoSubscription(d, d.chains[0]!.chainId, 'E2E-OTHER-CHAIN', 5_000_000n, now);
    const hubAtt = (await postJson(`${stack.oracleUrl}/v1/settlements`, hubBody)).json as AttestationBody;
    await expectRevert(call(hubAtt.message, hubAtt.deliveries[0]!.signatures), 'UnauthorizedSigner');
    // Sending one anyway as a real transaction reverts too.
    const tx = attacker.writeContract({ address: delivery.receiver, abi: rwaReceiverAbi, functionName: 'receiveMessage', args: [att.message, delivery.signatures], gas: 500_000n, chain: null });
    const hash = await tx;
    const receipt = await pub.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    expect(receipt.status).toBe('reverted');

    const [after] = (await inspectChains(d, DEMO_INVESTOR)).filter((v) => v.chainId === spoke.chainId);
    expect(after!.balance).toBe(before!.balance);
    expect(after!.totalSupply).toBe(before!.totalSupply);
  });
});
