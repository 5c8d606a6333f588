import type { Address, PublicClient } from 'viem';
import type { Logger } from 'pino';
import { rwaReceiverAbi } from '../schemas/abi.js';

/** The block reason of a cursed chain (ChainBlock.reason, /v1/queues), so the worker knows which block it lifts. */
export const CURSED_REASON = "cursed: the receiver's guardians stopped this chain (RwaReceiverCurse)";

/**
 * Whether a destination's receiver is cursed, read at most once per `ttlMs` (every worker pass asks). `undefined`:
 * unknown (the read failed; logged and counted by the caller's `onError`), and the worker goes on as if open: a
 * delivery then reverts ChainCursed and is held that way.
 */
export class CurseFlag {
  private value: boolean | undefined;
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly read: () => Promise<boolean>,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly onError: (err: unknown) => void,
  ) {}

  async cursed(): Promise<boolean | undefined> {
    const now = this.now();
    if (now - this.readAt < this.ttlMs) return this.value;
    this.readAt = now;
    try {
      this.value = await this.read();
    } catch (err) {
      this.onError(err);
      this.value = undefined;
    }
    return this.value;
  }

  /** Read again on the next ask (a delivery just reverted ChainCursed). */
  invalidate(): void {
    this.readAt = Number.NEGATIVE_INFINITY;
  }
}

/** The curse flag of `receiver` on the chain `pub` reads, cached `ttlMs`. */
export function receiverCurseFlag(pub: PublicClient, receiver: Address, ttlMs: number, logger: Logger, onError: () => void): CurseFlag {
  return new CurseFlag(
    () => pub.readContract({ address: receiver, abi: rwaReceiverAbi, functionName: 'cursed' }),
    ttlMs,
    Date.now,
    (err) => {
      onError();
      logger.warn({ err, receiver }, 'curse flag unreadable; delivering as if open');
    },
  );
}

/** How long a read of the flag answers for: every pass of a worker asks, the chain is read about once a second. */
export const CURSE_FLAG_TTL_MS = 1_000;
