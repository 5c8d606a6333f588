import { createPublicClient, http, type PublicClient } from 'viem';
import { readDeploymentFile } from '../common/deployment-file.js';
import { InvalidDeploymentError } from './errors.js';
import { createRwaReader, type RwaReader, type RwaReaderOptions } from './reader.js';

export interface FromFileOptions extends Pick<RwaReaderOptions, 'now'> {
  /** Only these chains (default: every chain of the file). */
  chainIds?: readonly number[];
  /** Per-request timeout of the HTTP clients built from each chain's rpcUrl (ms, default 10 000). */
  timeoutMs?: number;
}

/** A reader over the deployment file at `path` (e.g. data/deployment.json), with an HTTP client per chain from its rpcUrl. */
export function createRwaReaderFromFile(path: string, options: FromFileOptions = {}): RwaReader {
  const file = readDeploymentFile(path, 'deployment file');
  if (!file.ok) throw new InvalidDeploymentError(file.message, file.cause);
  const wanted = options.chainIds;
  const chains = file.deployment.chains
    .filter((c) => wanted === undefined || wanted.includes(c.chainId))
    .map((c) => {
      const client: PublicClient = createPublicClient({ transport: http(c.rpcUrl, { timeout: options.timeoutMs ?? 10_000, retryCount: 1 }) });
      return { chainId: c.chainId, client };
    });
  return createRwaReader({ chains, deployment: file.deployment, ...(options.now ? { now: options.now } : {}) });
}
