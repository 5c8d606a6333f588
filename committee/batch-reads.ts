import type { SignerCheckDeps } from './checks.js';

const keyOf = (args: readonly unknown[]): string => JSON.stringify(args, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));

/** One read per distinct arguments for the life of the returned function; a failed read is not kept (the next asks again). */
function once<A extends unknown[], R>(read: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  const seen = new Map<string, Promise<R>>();
  return (...args: A) => {
    const key = keyOf(args);
    let p = seen.get(key);
    if (!p) {
      p = read(...args);
      seen.set(key, p);
      p.catch(() => seen.delete(key));
    }
    return p;
  };
}

/**
 * The checks of one sign batch: every hub and chain read is made once for the whole batch (one view of the chains,
 * as at its first read), so the batch's items are checked against one set of reads, in order, with what this signer
 * signed earlier in the batch counted as pending (its own store). A nonce this signer signed inside the batch is
 * answered "not applied" without a read: it was not even signed when the batch's holdings were read, so counting it
 * pending keeps "pending first, holdings second" (applied in between counts twice, never zero times).
 */
export function batchChecks(d: SignerCheckDeps, signedInBatch: ReadonlySet<string>): SignerCheckDeps {
  const isApplied = once(d.chains.isApplied.bind(d.chains));
  return {
    ...d,
    registry: {
      getDid: once(d.registry.getDid.bind(d.registry)),
      isCustodian: once(d.registry.isCustodian.bind(d.registry)),
      isNavPublisher: once(d.registry.isNavPublisher.bind(d.registry)),
    },
    chains: {
      get: d.chains.get.bind(d.chains),
      balanceOf: once(d.chains.balanceOf.bind(d.chains)),
      latestNav: once(d.chains.latestNav.bind(d.chains)),
      holdingsState: once(d.chains.holdingsState.bind(d.chains)),
      moveOutcomeOf: once(d.chains.moveOutcomeOf.bind(d.chains)),
      isApplied: (chainId, did, nonce, blockNumber) =>
        signedInBatch.has(`${did}:${nonce}`) ? Promise.resolve(false) : isApplied(chainId, did, nonce, blockNumber),
    },
  };
}
