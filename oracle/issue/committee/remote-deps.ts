import type { Logger } from 'pino';
import type { OracleMetrics } from '../../metrics.js';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface RemoteCommitteeDeps {
  /** Base URLs of the signer processes (no trailing slash). */
  urls: readonly string[];
  /** Deadline of one call to one signer. */
  timeoutMs: number;
  /** Bearer token of each signer, by the index of its URL (each signer's SIGNER_AUTH_TOKEN). */
  tokens?: readonly string[];
  metrics: Pick<OracleMetrics, 'signerCalls' | 'signaturesRejected' | 'signerCallDuration' | 'batchRoots'>;
  logger: Logger;
  fetch?: FetchLike;
  /** Called when a signer's answer added valid signatures (the dev-mode fault hook, see oracle/issue/fault.ts). */
  onSignerAnswered?: (kind: string) => void;
}
