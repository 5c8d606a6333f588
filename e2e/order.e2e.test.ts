import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, http, parseEventLogs, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { rwaHoldingsAbi, rwaReceiverAbi } from '../schemas/abi.js';
import { ANVIL_DEPLOYER_KEY, DEV_ISSUER_KEY } from '../schemas/dev-keys.js';
import { postJson, signPause } from '../clients/custodian.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, custodianDomainOf } from '../devnet/demo.js';
import { settledDeliveries } from '../devnet/relayer.js';

/**
 * Issue 17, item 3 on three anvil chains: the issuer orders "resume" then "pause" (an incident); anyone holding the
 * public feed delivers them newest first. The pause must stay in force on every chain, the older resume be consumed
 * as superseded, and the relayer, started afterwards, confirm both without retrying them.
 */
interface AttestationBody {
  id: Hex;
  message: Hex;
  nonce: string;
  deliveries: { chainId: number; receiver: Address; signatures: Hex }[];
}

let stack: Stack;

describe('admin order: a pause and an older resume delivered in reverse', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-e2e-order-')), logLevel: 'warn' });
    await bootstrapDemo(stack.deployment, stack.oracleUrl);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('leaves the newest in force on every chain and the relayer confirms both', async () => {
    const d = stack.deployment;
    const did = d.dids[0]!.did;
    // The relayer is stopped, so both orders are still pending when "anyone" delivers them.
    const relayer = stack.relayer;
    relayer.kill('SIGKILL');
    await new Promise<void>((resolve) => (relayer.exitCode !== null || relayer.signalCode !== null ? resolve() : relayer.once('exit', () => resolve())));

    const order = async (ref: string, paused: boolean) => {
      const r = await postJson(`${stack.oracleUrl}/v1/pause`, await signPause(DEV_ISSUER_KEY, custodianDomainOf(d), { did, ref, paused }));
      expect(r.status).toBe(201);
      return r.json as AttestationBody;
    };
    const resume = await order('E2E-ORDER-RESUME', false);
    const pause = await order('E2E-ORDER-PAUSE', true);
    expect(BigInt(pause.nonce)).toBeGreaterThan(BigInt(resume.nonce));

    const anyone = privateKeyToAccount(ANVIL_DEPLOYER_KEY);
    for (const chain of d.chains) {
      const pub = createPublicClient({ transport: http(chain.rpcUrl) });
      const wallet = createWalletClient({ transport: http(chain.rpcUrl), account: anyone });
      const deliver = async (att: AttestationBody) => {
        const delivery = att.deliveries.find((x) => x.chainId === chain.chainId)!;
        const hash = await wallet.writeContract({ address: delivery.receiver, abi: rwaReceiverAbi, functionName: 'receiveMessage', args: [att.message, delivery.signatures], chain: null });
        const receipt = await pub.waitForTransactionReceipt({ hash });
        expect(receipt.status).toBe('success');
        return parseEventLogs({ abi: rwaReceiverAbi, logs: receipt.logs });
      };
      await deliver(pause);
      const late = await deliver(resume);
      expect(late.map((l) => l.eventName)).toContain('AdminSuperseded');

      const receiver = chain.receiver as Address;
      const didHash = didHashOf(pause.message);
      const state = await pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'didState', args: [didHash] });
      const paused = await pub.readContract({ address: state.holdings, abi: rwaHoldingsAbi, functionName: 'paused' });
      expect(paused, `chain ${chain.chainId} runs on after an older resume`).toBe(true);
      expect(await pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [didHash, BigInt(resume.nonce)] })).toBe(true);
    }

    // The relayer comes back: both jobs are already applied (nonces used) and get confirmed, not retried.
    await stack.startRelayer();
    for (const att of [pause, resume]) {
      const jobs = await settledDeliveries(stack.relayerUrl, att.id, 60_000);
      expect(jobs.map((j) => j.state)).toEqual(d.chains.map(() => 'confirmed'));
    }
  }, 180_000);
});

/** The DID hash of a message: bytes 2..34 of the header. */
function didHashOf(message: Hex): Hex {
  return `0x${message.slice(2 + 4, 2 + 4 + 64)}`;
}
