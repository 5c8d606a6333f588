/** Kind 12's source, builder and references live in schemas/kinds/transport-quorum.ts; re-exported for the oracle's call sites. */
export { canonicalQuorum, quorumAttestationOf, quorumRef, quorumRefPrefix, type QuorumSource } from '../schemas/kinds/transport-quorum.js';
