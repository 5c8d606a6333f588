import type { SignerCheckDeps } from './checks.js';

const jsonKey = (args: readonly unknown[]): string => JSON.stringify(args, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));

/**
 * The cache key of a read's arguments. The ports take strings, numbers, bigints and undefined only: each is written
 * by type (a string JSON-quoted, so a comma inside it cannot end it), which is one key per argument list without
 * JSON.stringify's replacer call per value. Anything else falls back to that JSON form.
 */
const keyOf = (args: readonly unknown[]): string => {
  let key = '';
  for (const a of args) {
    if (typeof a === 'string') key += `${JSON.stringify(a)},`;
    else if (typeof a === 'number') key += `${a},`;
    else if (typeof a === 'bigint') key += `${a}n,`;
    else if (a === undefined) key += 'u,';
    else return `j${jsonKey(args)}`;
  }
  return key;
};

/** One read per distinct arguments until `clear`; a failed read is not kept (the next asks again). */
function once<A extends unknown[], R>(read: (...args: A) => Promise<R>): ((...args: A) => Promise<R>) & { clear: () => void } {
  const seen = new Map<string, Promise<R>>();
  const f = (...args: A) => {
    const key = keyOf(args);
    let p = seen.get(key);
    if (!p) {
      p = read(...args);
      seen.set(key, p);
      p.catch(() => seen.delete(key));
    }
    return p;
  };
  return Object.assign(f, { clear: () => seen.clear() });
}

/** Nonces seen applied: the batch's own view (those known when it began, and what it learns), each also told to `shared`. */
class KnownApplied extends Set<string> {
  shared: Set<string> | undefined;

  override add(key: string): this {
    this.shared?.add(key);
    return super.add(key);
  }
}

/**
 * The checks of one sign batch: every hub and chain read is made once for the whole batch (one view of the chains,
 * as at its first read), so the batch's items are checked against one set of reads, in order, with what this signer
 * signed earlier in the batch counted as pending (its own store). A nonce this signer signed inside the batch is
 * answered "not applied" without a read: it was not even signed when the batch's holdings were read, so counting it
 * pending keeps "pending first, holdings second" (applied in between counts twice, never zero times); a nonce seen
 * applied during the batch drops the holdings read so far, and the batch counts as known applied only what it knew
 * when it began and what it saw itself (never what a concurrent request learnt after the batch read the holdings).
 */
export function batchChecks(d: SignerCheckDeps, signedInBatch: ReadonlySet<string>): SignerCheckDeps {
  const isApplied = once(d.chains.isApplied.bind(d.chains));
  const holdingsState = once(d.chains.holdingsState.bind(d.chains));
  const balanceOf = once(d.chains.balanceOf.bind(d.chains));
  const settlementState = once(d.chains.settlementState.bind(d.chains));
  // Seen applied now: holdings read before may not include it, so the next holdings are read after this.
  const seenApplied = () => {
    holdingsState.clear();
    balanceOf.clear();
  };
  const known = new KnownApplied(d.appliedNonces);
  known.shared = d.appliedNonces;
  return {
    ...d,
    appliedNonces: known,
    registry: {
      getDid: once(d.registry.getDid.bind(d.registry)),
      isCustodian: once(d.registry.isCustodian.bind(d.registry)),
      isNavPublisher: once(d.registry.isNavPublisher.bind(d.registry)),
    },
    chains: {
      get: d.chains.get.bind(d.chains),
      balanceOf,
      latestNav: once(d.chains.latestNav.bind(d.chains)),
      holdingsState,
      moveOutcomeOf: once(d.chains.moveOutcomeOf.bind(d.chains)),
      isApplied: async (chainId, did, nonce, blockNumber) => {
        if (signedInBatch.has(`${did}:${nonce}`)) return false;
        const applied = await isApplied(chainId, did, nonce, blockNumber);
        if (applied) seenApplied();
        return applied;
      },
      settlementState: async (chainId, did, nonce) => {
        if (signedInBatch.has(`${did}:${nonce}`)) return 'pending';
        const state = await settlementState(chainId, did, nonce);
        // A queued one's nonce is used (a queued burn's units are in escrow): the holdings may have moved as well.
        if (state !== 'pending') seenApplied();
        return state;
      },
    },
  };
}
