import { createPublicClient, createWalletClient, defineChain, http, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { Logger } from 'pino';
import { rwaReceiverAbi, rwaRedemptionsAbi } from '../schemas/abi.js';
import { stageFor } from '../schemas/redemption-rule.js';
import { REDEMPTION_STAGE } from '../schemas/message.js';
import type { NonceManager } from './nonces.js';

export interface KeeperChain {
  chainId: number;
  name: string;
  rpcUrl: string;
  receiver: Address;
  confirmations: number;
}

/** What one look at one DID found and did. */
export type KeeperOutcome = { did: Hex; action: 'not-aggregating' | 'up-to-date' } | { did: Hex; action: 'refreshed'; from: number; to: number; txHash: Hex };

/**
 * Keeps the hub's redemption stage current when time alone should change it: the stage follows the accepted
 * requests reported in the last 24 to 25 hours (`pressureOf`), but the hub only recomputes it when a report arrives
 * or someone calls `refreshStage`. At each look the keeper applies the stage rule to that pressure
 * (schemas/redemption-rule.ts) and calls the
 * permissionless `refreshStage(did)` only when the chain would change its stage, e.g. the first look after a raised
 * stage's window has passed with no pressure left. The stage watcher of the oracle then carries the new stage to every chain.
 */
export class StageKeeper {
  private readonly pub;
  private readonly wallet;
  private module: Address | undefined;

  constructor(
    private readonly hub: KeeperChain,
    key: Hex,
    private readonly dids: readonly Hex[],
    private readonly nonces: NonceManager,
    private readonly logger: Logger,
  ) {
    const chain = defineChain({ id: hub.chainId, name: hub.name, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [hub.rpcUrl] } } });
    const transport = http(hub.rpcUrl, { retryCount: 0, timeout: 10_000 });
    this.pub = createPublicClient({ chain, transport, pollingInterval: 100 });
    this.wallet = createWalletClient({ chain, transport, account: privateKeyToAccount(key) });
  }

  /** One look at every DID. Throws on RPC failure (the caller retries later). */
  async tick(): Promise<KeeperOutcome[]> {
    this.module ??= await this.pub.readContract({ address: this.hub.receiver, abi: rwaReceiverAbi, functionName: 'redemptions' });
    const module = this.module;
    const block = await this.pub.getBlock();
    const out: KeeperOutcome[] = [];
    for (const did of this.dids) {
      const at = { address: module, abi: rwaRedemptionsAbi, blockNumber: block.number } as const;
      const [reports, pool] = await this.pub.readContract({ ...at, functionName: 'aggregationOf', args: [did] });
      if (reports === 0n) {
        out.push({ did, action: 'not-aggregating' });
        continue;
      }
      const [current, policy, dayRequested] = await Promise.all([
        this.pub.readContract({ ...at, functionName: 'stageOf', args: [did] }),
        this.pub.readContract({ ...at, functionName: 'policyOf', args: [did] }),
        this.pub.readContract({ ...at, functionName: 'pressureOf', args: [did] }),
      ]);
      const expected = stageFor(policy, dayRequested, pool, current, block.timestamp);
      const stage = current.stage === 0 ? REDEMPTION_STAGE.A : current.stage;
      if (expected.stage === stage && expected.reason === current.reason) {
        out.push({ did, action: 'up-to-date' });
        continue;
      }
      const txHash = await this.nonces.send(this.pub, this.hub.chainId, this.wallet.account.address, (nonce) =>
        this.wallet.writeContract({ address: module, abi: rwaRedemptionsAbi, functionName: 'refreshStage', args: [did], nonce }),
      );
      const receipt = await this.pub.waitForTransactionReceipt({ hash: txHash, timeout: 60_000, confirmations: Math.max(1, this.hub.confirmations) });
      if (receipt.status !== 'success') throw new Error(`refreshStage(${did}) reverted in ${txHash}`);
      this.logger.info({ did, from: stage, to: expected.stage, reason: expected.reason, dayRequested, poolSupply: pool, txHash }, 'redemption stage refreshed on the hub');
      out.push({ did, action: 'refreshed', from: stage, to: expected.stage, txHash });
    }
    return out;
  }
}
