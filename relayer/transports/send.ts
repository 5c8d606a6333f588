import { TransactionNotFoundError, type Address, type Hex, type PublicClient } from 'viem';
import { escalateFees, type EscalationPolicy, type Fees } from '../fees.js';
import { isNonceRefusal, type NonceManager } from '../nonces.js';
import type { Replacement, Submitted } from './transport.js';
import { RwaError } from '../../common/errors.js';

/** The fee cap forbids a further replacement: retryable, the stuck transaction may still be mined. */
export class FeeCapReachedError extends RwaError<'fee_cap_reached'> {
  override readonly name = 'FeeCapReachedError';
  constructor(message: string) {
    super(message, { code: 'fee_cap_reached', retryable: true });
  }
}

/** One delivery transaction of a transport: how to size its gas and how to send it with a given nonce and fees. */
export interface DeliveryTx {
  /** Gas estimate against the latest block. */
  estimateGas(): Promise<bigint>;
  write(nonce: number, fees: Fees, gas?: bigint): Promise<Hex>;
}

export interface SenderContext {
  pub: PublicClient;
  chainId: number;
  account: Address;
  nonces: NonceManager;
  escalation: EscalationPolicy;
  /**
   * Sends an empty transfer to self on `nonce` at `fees`: fills a gap below a stuck transaction (see
   * NonceManager.fillGap). Without it a gap waits for the account's next send.
   */
  fill?: (nonce: number, fees: Fees) => Promise<Hex>;
}

/**
 * Sends a delivery with an explicit nonce from the shared nonce manager and explicit EIP-1559 fees, or replaces a
 * stuck one: the same nonce, fees escalated past what it offered (bounded by the cap), so a stuck delivery is
 * replaced, never doubled. The replacement's gas is estimated against the latest block: against the pending one the
 * stuck transaction has already used the attestation's nonce and the estimate would revert (NonceAlreadyUsed).
 */
export async function sendOrReplace(ctx: SenderContext, tx: DeliveryTx, replace?: Replacement): Promise<Submitted> {
  const network = await ctx.pub.estimateFeesPerGas();
  const now: Fees = { maxFeePerGas: network.maxFeePerGas, maxPriorityFeePerGas: network.maxPriorityFeePerGas };
  // A stuck transaction the node no longer knows (a restart emptied its pool) is sent again on its own nonce, at
  // today's fees: nothing is there to replace, and the gap it left is filled. When its nonce is spent meanwhile
  // (another sender, or it was mined after all), it is sent anew on a fresh nonce.
  if (replace?.txHash && !(await isKnown(ctx.pub, replace.txHash))) {
    const mined = await ctx.pub.getTransactionCount({ address: ctx.account, blockTag: 'latest' });
    const lost = replace.nonce;
    replace = undefined;
    if (lost >= mined) {
      if (now.maxFeePerGas > ctx.escalation.maxFeePerGasCap) throw new FeeCapReachedError(`network maxFeePerGas ${now.maxFeePerGas} is above the cap ${ctx.escalation.maxFeePerGasCap}`);
      await fillGapBelow(ctx, lost, now);
      return { txHash: await tx.write(lost, now), nonce: lost, fees: now };
    }
    ctx.nonces.resync(ctx.chainId, ctx.account);
  }
  if (replace) {
    // Stuck behind a nonce the node never got: fill the gap, and the stuck transaction mines as it is.
    if (replace.txHash && (await fillGapBelow(ctx, replace.nonce, now)) > 0) {
      return { txHash: replace.txHash, nonce: replace.nonce, fees: replace.fees };
    }
    const fees = escalateFees(replace.fees, now, ctx.escalation);
    if (!fees) throw new FeeCapReachedError(`replacement of nonce ${replace.nonce} would pass the fee cap; waiting for the stuck transaction`);
    const gas = await tx.estimateGas();
    try {
      return { txHash: await tx.write(replace.nonce, fees, (gas * 12n) / 10n), nonce: replace.nonce, fees };
    } catch (err) {
      // The stuck transaction's nonce is spent (another sender used the account, or it was mined meanwhile; the
      // caller asked the chain first, and the receiver refuses a message twice): send it anew with a fresh nonce.
      if (!isNonceRefusal(err) || !/nonce too low|nonce has already been used/i.test(String((err as Error).message))) throw err;
      ctx.nonces.resync(ctx.chainId, ctx.account);
    }
  }
  // A network asking more than the cap blocks the whole chain (every delivery would pay it): wait, send nothing.
  if (now.maxFeePerGas > ctx.escalation.maxFeePerGasCap) {
    throw new FeeCapReachedError(`network maxFeePerGas ${now.maxFeePerGas} is above the cap ${ctx.escalation.maxFeePerGasCap}`);
  }
  return ctx.nonces.send(ctx.pub, ctx.chainId, ctx.account, async (nonce) => ({ txHash: await tx.write(nonce, now), nonce, fees: now }));
}

/** Fills the account's nonces missing below `nonce` (NonceManager.fillGap) when the transport can; how many it filled. */
function fillGapBelow(ctx: SenderContext, nonce: number, fees: Fees): Promise<number> {
  const { fill } = ctx;
  return fill ? ctx.nonces.fillGap(ctx.pub, ctx.chainId, ctx.account, nonce, (n) => fill(n, fees)) : Promise.resolve(0);
}

/** Whether the node has the transaction (in its pool or mined). */
async function isKnown(pub: PublicClient, hash: Hex): Promise<boolean> {
  try {
    await pub.getTransaction({ hash });
    return true;
  } catch (err) {
    if (err instanceof TransactionNotFoundError) return false;
    throw err;
  }
}
