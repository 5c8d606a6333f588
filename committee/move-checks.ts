import type { Address } from 'viem';
import { moveLegChain, moveSourceRef, type MoveSource } from '../core/attestation.js';
import { recoverMoveSigner } from '../core/custodian-auth.js';
import { OracleError } from '../core/errors.js';
import { checkAmount, checkNotInFuture, checkRedemptionCovered } from '../core/rules.js';
import { refHash, type DidHash } from '../schemas/ids.js';
import { destinationsOf, mintRefusal, pendingBurns, refuse, registered, requireMember, type SignerCheckDeps, type Vetted } from './checks.js';
import { recoveredSigner, requireRole, readChain } from '../core/guards.js';

/**
 * A signer's own checks of one leg of a cross-chain move, reading the hub and the chains itself: this signer is in
 * the DID's set, the leg goes to its own chain only, both chains are enabled and differ, a custodian signed the
 * instruction; unless already approved: the amount, the clock, and
 * - out leg: the investor's balance on the from-chain covers the amount;
 * - in, void and return: the out leg's nonce is used on the from-chain (the burn applied), so a mint never runs
 *   ahead of it; if this signer signed that nonce itself, it must have been this move's out leg;
 * - in leg: the to-chain would accept the mint now (configured, not paused, investor allow-listed, within the cap
 *   less the mints this signer signed there and the chain has not applied yet) and the move is not consumed there yet;
 * - void (to-chain): the move is not consumed there (an arrived move is never voided);
 * - return (from-chain): the to-chain shows the move voided, so its in leg can never apply there, and the from-chain
 *   has not returned it yet. This is what makes "in leg and return never both apply" hold across the two chains.
 */
export async function vetMoveRequest(d: SignerCheckDeps, source: MoveSource, did: DidHash, chainIds: readonly number[], opts: { rules: boolean; nonce?: bigint }): Promise<Vetted> {
  const body = source.request;
  const record = await registered(d, did, body.did);
  requireMember(d, record.signers, `the signer set of ${record.did}`);
  const legChain = moveLegChain(body, source.leg);
  if (chainIds.length !== 1 || chainIds[0] !== legChain) {
    throw new OracleError('chain_mismatch', `the ${source.leg} leg of a move is signed for chain ${legChain} only`, 'chainIds');
  }
  if (body.fromChainId === body.toChainId) throw new OracleError('same_chain', 'fromChainId and toChainId must differ', 'request.toChainId');
  destinationsOf(d, record, [body.fromChainId, body.toChainId]);
  const destinations = destinationsOf(d, record, chainIds);

  const signer = await recoveredSigner(recoverMoveSigner(d.custodianDomain, body), 'request.');
  await requireRole(d.registry, { hash: did, record }, 'custodian', signer, 'request.');
  if (!opts.rules) return { record, destinations };

  const amount = BigInt(body.amount);
  refuse(checkAmount(amount));
  const future = checkNotInFuture('settledAt', BigInt(source.settledAt), d.now(), d.maxFutureSkewSeconds);
  if (future) throw new OracleError(future.code, future.message, 'settledAt');

  if (source.leg === 'out') {
    const reserved = await pendingBurns(d, did, body.fromChainId, body.investor as Address, opts.nonce);
    const balance = await readChain(`holdings on chain ${body.fromChainId}`, () => d.chains.balanceOf(body.fromChainId, did, body.investor as Address));
    refuse(checkRedemptionCovered(amount, balance, reserved));
    return { record, destinations };
  }

  const outNonce = BigInt(source.outNonce);
  const signedRef = d.signedSourceRefAt?.(did, outNonce);
  if (signedRef !== undefined && signedRef !== moveSourceRef(body.ref, 'out')) {
    throw new OracleError('not_the_out_leg', `nonce ${outNonce} was signed for ${signedRef}, not for this move's out leg`, 'outNonce');
  }
  const applied = await readChain(`nonce ${outNonce} on chain ${body.fromChainId}`, () => d.chains.isApplied(body.fromChainId, did, outNonce));
  if (!applied) {
    throw new OracleError('move_out_not_applied', `the out leg (nonce ${outNonce}) is not applied on chain ${body.fromChainId} yet`, 'outNonce');
  }
  const moveRef = refHash(body.ref);
  const outcome = (chainId: number) => readChain(`move ${body.ref} on chain ${chainId}`, () => d.chains.moveOutcomeOf(chainId, did, moveRef));
  if (source.leg === 'return') {
    const onTo = await outcome(body.toChainId);
    if (onTo !== 'voided') throw new OracleError('move_not_voided', `move ${body.ref} is ${onTo} on chain ${body.toChainId}, not voided: no return`, 'leg');
    const onFrom = await outcome(body.fromChainId);
    if (onFrom !== 'none') throw new OracleError('move_settled', `move ${body.ref} is already ${onFrom} on chain ${body.fromChainId}`, 'leg');
    return { record, destinations };
  }
  const onTo = await outcome(body.toChainId);
  if (onTo !== 'none') throw new OracleError('move_settled', `move ${body.ref} is already ${onTo} on chain ${body.toChainId}`, 'leg');
  if (source.leg === 'in') {
    const refusal = await mintRefusal(d, did, body.toChainId, body.investor as Address, amount, opts.nonce);
    if (refusal) throw new OracleError(refusal.code, `chain ${body.toChainId} would refuse the in leg now: ${refusal.message}`, 'request.toChainId');
  }
  return { record, destinations };
}
