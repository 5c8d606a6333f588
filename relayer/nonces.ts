import type { Address, PublicClient } from 'viem';
import { KeyedMutex } from '../common/mutex.js';

/**
 * Nonces per (chain, account). Several workers may send from one account on one chain (the hub's CCTP-style worker
 * and every CCIP lane's source side), so every send is serialised per account: the nonce is the node's pending
 * count read under the lock, and the lock is held until the node accepted the transaction. Two sends can never pick
 * the same nonce, and after a reorg or a rollback the next send starts from what the chain says, leaving no gap.
 */
export class NonceManager {
  private readonly lock = new KeyedMutex();

  send<T>(client: PublicClient, chainId: number, account: Address, fn: (nonce: number) => Promise<T>): Promise<T> {
    return this.lock.run(`${chainId}:${account.toLowerCase()}`, async () => {
      const nonce = await client.getTransactionCount({ address: account, blockTag: 'pending' });
      return fn(nonce);
    });
  }
}
