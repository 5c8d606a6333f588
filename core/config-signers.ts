/**
 * Who signs a DID's next config (issue 24, point 4). The receivers verify a config with the set they hold (installed
 * by the DID's last config) while that set is live; once past its end (its `signersValidUntil`), and for a DID's first
 * config, with governance. A config signed by the wrong one reverts on every chain, so the aggregator and every signer
 * pick the same way.
 */
export interface EndingSet {
  /** Unix seconds after which the set verifies nothing (receivers: block.timestamp > end). */
  signersValidUntil: number;
}

export function configSignerSet<S extends EndingSet, G>(previous: S | undefined, governance: G, now: bigint): S | G {
  if (previous === undefined) return governance;
  return now > BigInt(previous.signersValidUntil) ? governance : previous;
}
