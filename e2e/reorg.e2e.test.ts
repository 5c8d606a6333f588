import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, type Address, type Hex } from 'viem';
import { offRampAbi, rwaReceiverAbi } from '../schemas/abi.js';
import { postJson } from '../clients/custodian.js';
import { parseCcipMessagesSent } from '../relayer/transports/ccip/executor.js';
import { startStack, type Stack } from '../devnet/stack.js';
import { bootstrapDemo, demoSubscription, DEMO_INVESTOR } from '../devnet/demo.js';
import { inspectChains } from '../devnet/inspect.js';
import { waitFor } from '../testkit/wait.js';
import { relayerDeliveries, settledDeliveries } from '../devnet/relayer.js';

/**
 * Finality and reorgs (issue 5): the hub needs 3 confirmations. A CCIP send on the hub is reorged away (evm_snapshot /
 * evm_revert, then a different chain of blocks) before it is final: the message it carried must never be executed on the spoke; the relayer notices, sends the
 * attestation again, and it is applied exactly once.
 */
let stack: Stack;
let mining = true;
let miner: Promise<void> | undefined;

describe('relayer: a source event reorged away is never acted on', () => {
  beforeAll(async () => {
    stack = await startStack({ dataDir: mkdtempSync(join(tmpdir(), 'rwa-reorg-')), logLevel: 'warn', ccipSpokes: ['spoke-a'], confirmations: { hub: 3 }, receiptTimeoutMs: 4_000 });
    const hub = createPublicClient({ transport: http(stack.deployment.hub.rpcUrl) });
    // The hub only makes blocks when asked: this loop is its block production while the test wants it.
    const produce = async () => {
      while (mining) await hub.request({ method: 'evm_mine' } as never).then(() => new Promise((r) => setImmediate(r)));
    };
    miner = produce();
    await bootstrapDemo(stack.deployment, stack.oracleUrl, 120_000);
  });
  afterAll(async () => {
    mining = false;
    await miner;
    await stack?.stop();
  });

  it('drops the reorged send, re-sends, and applies once', async () => {
    const d = stack.deployment;
    const spokeA = d.chains.find((c) => c.name === 'spoke-a')!;
    const hubRpc = createPublicClient({ transport: http(d.hub.rpcUrl) });
    const spokeRpc = createPublicClient({ transport: http(spokeA.rpcUrl) });

    // Let every earlier delivery finish, then stop block production: the next send is included but nothing else
    // happens on the hub, so it cannot reach 3 confirmations.
    await waitFor(
      async () => {
        const q = (await (await fetch(`${stack.relayerUrl}/v1/queues`)).json()) as { chains: { depth: number }[] };
        return q.chains.every((c) => c.depth === 0);
      },
      { what: 'relayer queues empty', timeoutMs: 60_000 },
    );
    mining = false;
    await miner;
    const snapshot = (await hubRpc.request({ method: 'evm_snapshot' } as never)) as Hex;
    const r = await postJson(`${stack.oracleUrl}/v1/settlements`, await demoSubscription(d, spokeA.chainId, 'REORG-1', 4_000_000n, Math.floor(Date.now() / 1000)));
    expect(r.status).toBe(201);
    const att = r.json as { id: Hex; didHash: Hex; nonce: string };
    const sendTx = await waitFor(
      async () => {
        const job = (await relayerDeliveries(stack.relayerUrl, att.id)).find((x) => x.chainId === spokeA.chainId);
        return job?.state === 'submitted' && job.txHash ? job.txHash : undefined;
      },
      { what: 'the CCIP send submitted on the hub', timeoutMs: 60_000 },
    );
    const sent = await hubRpc.waitForTransactionReceipt({ hash: sendTx, pollingInterval: 50 });
    const [message] = parseCcipMessagesSent(sent.logs, d.hub.ccip!.onRamp as Address);
    expect(message).toBeDefined();

    // Roll the hub back to before the send (anvil's anvil_reorg would mine the send again into the new blocks), so
    // its CCIPMessageSent event is gone for good, then let the hub produce a different chain of blocks.
    const head = await hubRpc.getBlockNumber();
    expect(head - sent.blockNumber + 1n).toBeLessThan(3n);
    // Not final, so not acted on: the spoke has not executed the message.
    const before = await spokeRpc.getContractEvents({ address: spokeA.ccip!.offRamp as Address, abi: offRampAbi, eventName: 'ExecutionStateChanged', fromBlock: 0n });
    expect(before.map((e) => e.args.messageId)).not.toContain(message!.messageId);
    expect(await hubRpc.request({ method: 'evm_revert', params: [snapshot] } as never)).toBe(true);
    await hubRpc.request({ method: 'anvil_dropTransaction', params: [sendTx] } as never);
    await expect(hubRpc.getTransactionReceipt({ hash: sendTx })).rejects.toThrow();
    mining = true;
    miner = (async () => {
      while (mining) await hubRpc.request({ method: 'evm_mine' } as never).then(() => new Promise((res) => setImmediate(res)));
    })();

    await waitFor(
      () => spokeRpc.readContract({ address: spokeA.receiver as Address, abi: rwaReceiverAbi, functionName: 'isNonceUsed', args: [att.didHash, BigInt(att.nonce)] }),
      { what: 'the attestation applied on spoke-a after the reorg', timeoutMs: 120_000 },
    );
    // The relayer sent the attestation again and it was executed exactly once. After the rollback the relayer's
    // nonce and the OnRamp's sequence are what they were, so the new send is byte-identical (same tx hash, same
    // CCIP message id), but it lives in a different block of the new chain.
    const job = (await settledDeliveries(stack.relayerUrl, att.id)).find((x) => x.chainId === spokeA.chainId)!;
    expect(job.state).toBe('confirmed');
    const resent = await hubRpc.getTransactionReceipt({ hash: job.txHash! });
    expect(resent.blockHash).not.toBe(sent.blockHash);
    const [second] = parseCcipMessagesSent(resent.logs, d.hub.ccip!.onRamp as Address);
    const executions = await spokeRpc.getContractEvents({ address: spokeA.ccip!.offRamp as Address, abi: offRampAbi, eventName: 'ExecutionStateChanged', fromBlock: 0n });
    expect(executions.filter((e) => e.args.messageId === second!.messageId)).toHaveLength(1);
    expect(executions.filter((e) => e.args.messageId === second!.messageId)[0]!.args.state).toBe(2);
    const applied = await spokeRpc.getContractEvents({ address: spokeA.receiver as Address, abi: rwaReceiverAbi, eventName: 'SettlementApplied', args: { nonce: BigInt(att.nonce) }, fromBlock: 0n });
    expect(applied).toHaveLength(1);
    const [view] = (await inspectChains(d, DEMO_INVESTOR)).filter((v) => v.chainId === spokeA.chainId);
    expect(view!.balance).toBe(4_000_000n);
  });
});
