import type { Hex } from 'viem';
import { waitFor } from '../testkit/wait.js';

/** One delivery job as the relayer's status API shows it. */
export interface RelayerDelivery {
  chainId: number;
  transport: string;
  state: string;
  txHash: Hex | null;
  quorumTransports?: number | null;
  note?: string | null;
  lastError?: string | null;
}

/** The relayer's delivery jobs of one attestation, as they are now. */
export async function relayerDeliveries(relayerUrl: string, id: Hex): Promise<RelayerDelivery[]> {
  const res = await fetch(`${relayerUrl}/v1/deliveries/${id}`);
  if (res.status === 404) return [];
  const body = (await res.json()) as { deliveries: RelayerDelivery[] };
  return body.deliveries;
}

/**
 * The relayer's jobs of one attestation once none is left to do (confirmed or dead). The relayer records a delivery
 * after its receipt, so its record trails what the chain already shows: wait for it rather than read it once.
 */
export function settledDeliveries(relayerUrl: string, id: Hex, timeoutMs = 30_000): Promise<RelayerDelivery[]> {
  return waitFor(
    async () => {
      const jobs = await relayerDeliveries(relayerUrl, id);
      return jobs.length > 0 && jobs.every((j) => j.state === 'confirmed' || j.state === 'dead') && jobs;
    },
    { what: `the relayer's jobs of ${id} settled`, timeoutMs },
  );
}

/** settledDeliveries, by destination chain id (one job per chain: no transport quorum). */
export async function settledByChain(relayerUrl: string, id: Hex): Promise<Map<number, RelayerDelivery>> {
  return new Map((await settledDeliveries(relayerUrl, id)).map((x) => [x.chainId, x]));
}
