import type { Address } from 'viem';
import type { Logger } from 'pino';
import { attestationId, encodeMessage, type AttestationMessage } from '../schemas/message.js';
import { QuorumUnavailableError, type CommitteePort, type Destination } from './committee/port.js';
import type { AnySource } from './attestation.js';
import { OracleError } from './errors.js';
import type { AttestationRow, AttestationStore } from './store/attestations.js';
import type { OracleMetrics } from './metrics.js';
import type { DeployedChain } from '../schemas/deployment.js';

export interface IssueDeps {
  committee: CommitteePort;
  store: AttestationStore;
  metrics: OracleMetrics;
  logger: Logger;
  chain: (chainId: number) => DeployedChain | undefined;
}

export type IssueRow = Omit<AttestationRow, 'seq' | 'id' | 'message' | 'createdAt' | 'navValue' | 'asOf'> & { navValue?: string; asOf?: number };

/**
 * The one way an attestation comes to exist: encode, get a threshold quorum per destination chain from the
 * committee, then store message and signatures in one transaction. Callers hold the DID's lock and chose the nonce.
 */
export async function issueAttestation(
  d: IssueDeps,
  message: AttestationMessage,
  source: AnySource,
  signerSet: { signers: readonly Address[]; threshold: number },
  chainIds: readonly bigint[],
  row: IssueRow,
): Promise<AttestationRow> {
  const encoded = encodeMessage(message);
  const id = attestationId(encoded);
  const destinations: Destination[] = [];
  for (const chainId of chainIds) {
    const chain = d.chain(Number(chainId));
    if (chain) destinations.push({ chainId, receiver: chain.receiver as Address });
  }
  let perChain: { chainId: number; receiver: string; signatures: string }[];
  try {
    perChain = await d.committee.sign({ message, source, destinations, signers: signerSet.signers, threshold: signerSet.threshold });
  } catch (err) {
    if (err instanceof QuorumUnavailableError) throw new OracleError(503, 'quorum_unavailable', err.message, undefined, { cause: err });
    throw err;
  }
  const full = { ...row, id, message: encoded, createdAt: new Date().toISOString(), navValue: row.navValue ?? null, asOf: row.asOf ?? null };
  const seq = d.store.insert(full, perChain);
  d.metrics.attestations.inc({ kind: row.kind });
  d.logger.info({ attestationId: id, did: row.did, nonce: row.nonce, kind: row.kind, chains: perChain.map((c) => c.chainId), seq }, 'attestation signed');
  return { ...full, seq };
}
