import type { Address, PublicClient } from 'viem';
import { BaseError, NonceTooHighError, NonceTooLowError } from 'viem';
import { KeyedMutex } from '../common/mutex.js';

/** How many times one send is tried again with a nonce read afresh from the node. */
const RESYNC_TRIES = 3;

/**
 * The node refused the nonce: it is used (nonce too low: another sender used the account, or a transaction of ours
 * was mined meanwhile), taken by a pending transaction (replacement underpriced, already known), or past a gap.
 */
export function isNonceRefusal(err: unknown): boolean {
  if (err instanceof BaseError && err.walk((e) => e instanceof NonceTooLowError || e instanceof NonceTooHighError)) return true;
  const text = err instanceof BaseError ? `${err.shortMessage} ${err.details}` : err instanceof Error ? err.message : '';
  return /nonce too low|nonce too high|replacement transaction underpriced|already known|nonce has already been used/i.test(text);
}

/**
 * Nonces per (chain, account), kept locally so that many transactions can be in flight: the first send reads the
 * node's pending count, each accepted send takes the next one. Several workers may send from one account on one
 * chain (the hub's CCTP-style worker and every CCIP lane's source side), so every send is serialised per account,
 * the lock held until the node accepted the transaction: two sends can never pick the same nonce. The count is read
 * again from the node when the node refuses a nonce (another sender used the account, a gap) and whenever a send
 * fails otherwise, and `resync` forgets it (the node restarted and lost its pool: a watched transaction vanished).
 */
export class NonceManager {
  private readonly lock = new KeyedMutex();
  private readonly next = new Map<string, number>();
  /** Reads of the node's pending count so far (metrics, tests). */
  reads = 0;

  send<T>(client: PublicClient, chainId: number, account: Address, fn: (nonce: number) => Promise<T>): Promise<T> {
    const key = `${chainId}:${account.toLowerCase()}`;
    return this.lock.run(key, async () => {
      for (let tries = 0; ; tries++) {
        const nonce = this.next.get(key) ?? (await this.read(client, account));
        try {
          const result = await fn(nonce);
          this.next.set(key, nonce + 1);
          return result;
        } catch (err) {
          // Whatever the failure, the node's count is the truth for the next send (it may have taken this one).
          this.next.delete(key);
          if (!isNonceRefusal(err) || tries + 1 >= RESYNC_TRIES) throw err;
        }
      }
    });
  }

  /**
   * Fills the gap below `nonce` (a transaction of ours the node holds but cannot mine because an earlier nonce never
   * reached it: lost with a pool, or its delivery settled another way before it was sent again): each missing nonce
   * gets `fill` (an empty transfer to self). Under the account's lock, so no send of ours is between picking a nonce
   * and the node accepting it: whatever is missing below `nonce` from the node's pending count is a real gap.
   * Returns how many were filled.
   */
  fillGap(client: PublicClient, chainId: number, account: Address, nonce: number, fill: (nonce: number) => Promise<unknown>): Promise<number> {
    const key = `${chainId}:${account.toLowerCase()}`;
    return this.lock.run(key, async () => {
      const pending = await this.read(client, account);
      let filled = 0;
      for (let n = pending; n < nonce; n++) {
        try {
          await fill(n);
          filled += 1;
        } catch (err) {
          // Taken meanwhile (another sender, or ours arrived after all): the gap is closed there.
          if (!isNonceRefusal(err)) throw err;
        }
      }
      if (filled > 0) this.next.delete(key);
      return filled;
    });
  }

  /** Forgets the local count of an account: the next send reads the node's pending count. */
  resync(chainId: number, account: Address): void {
    this.next.delete(`${chainId}:${account.toLowerCase()}`);
  }

  private read(client: PublicClient, account: Address): Promise<number> {
    this.reads += 1;
    return client.getTransactionCount({ address: account, blockTag: 'pending' });
  }
}
