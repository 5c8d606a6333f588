/**
 * One refresh of the status page: reads every chain (per DID), the relayer and the oracle at once, each on its own,
 * and turns a failed read into an error shown on its rows. A source that starts or stops failing is logged once (a
 * warn when it fails, an info when it is back), not at every refresh; each failure is counted.
 */
import type { Address, Hex } from 'viem';
import type { Logger } from 'pino';
import type { Deployment } from '../schemas/deployment.js';
import { ChainReader } from './chain-reader.js';
import { chainKey, type ChainRead, type NoticeRead, type OracleRead, type RelayerRead, type Sourced, type StatusInputs } from './inputs.js';
import { readNotice } from './notice-reader.js';
import { readOracleBacklog, readRelayer } from './relayer-reader.js';
import type { StatusMetrics } from './metrics.js';

export interface CollectorOptions {
  deployment: Deployment;
  relayerUrl: string;
  /** The oracle's base URL; absent: no feed backlog column. */
  oracleUrl?: string;
  /** Per read (RPC call or HTTP request). */
  timeoutMs: number;
  logger: Logger;
  metrics: StatusMetrics;
  now?: () => number;
}

/**
 * One line for the page and the log: viem's short message and the innermost cause (e.g. "HTTP request failed.
 * (connect ECONNREFUSED 127.0.0.1:8547)"); viem's own message carries the request bodies and the whole ABI.
 */
export function messageOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const first = (e: Error) => ((e as { shortMessage?: string }).shortMessage ?? e.message).split('\n')[0] ?? '';
  let inner: Error = err;
  while (inner.cause instanceof Error) inner = inner.cause;
  return inner === err ? first(err) : `${first(err)} (${first(inner)})`;
}

export class Collector {
  private readonly readers: Map<number, ChainReader>;
  private readonly failing = new Set<string>();
  private readonly log: Logger;

  constructor(private readonly o: CollectorOptions) {
    this.readers = new Map(o.deployment.chains.map((c) => [c.chainId, new ChainReader(c.receiver as Address, c.rpcUrl, o.timeoutMs)]));
    this.log = o.logger.child({ module: 'collect' });
  }

  private async sourced<T>(source: string, read: () => Promise<T>): Promise<Sourced<T>> {
    try {
      const value = await read();
      if (this.failing.delete(source)) this.log.info({ source }, 'source answers again');
      this.o.metrics.sourceUp.set({ source }, 1);
      return { ok: true, value };
    } catch (err) {
      this.o.metrics.sourceFailures.inc({ source });
      this.o.metrics.sourceUp.set({ source }, 0);
      const error = messageOf(err);
      // The one line, not viem's error object (request bodies and ABIs); logged when the source starts failing.
      if (!this.failing.has(source)) this.log.warn({ source, err: { message: error, type: err instanceof Error ? err.name : typeof err } }, 'source unreadable');
      this.failing.add(source);
      return { ok: false, error };
    }
  }

  async collect(): Promise<StatusInputs> {
    const now = (this.o.now ?? Date.now)();
    const d = this.o.deployment;
    const chainReads = new Map<string, Sourced<ChainRead>>();
    const chainPass = Promise.all(
      d.chains.map(async (c) => {
        const reader = this.readers.get(c.chainId)!;
        // One source per chain: every DID of an unreachable chain shows its error.
        const reads = await this.sourced(`chain:${c.name}`, () => Promise.all(d.dids.map((x) => reader.read(x.didHash as Hex))));
        d.dids.forEach((x, i) => chainReads.set(chainKey(x.didHash, c.chainId), reads.ok ? { ok: true, value: reads.value[i]! } : reads));
      }),
    );
    const relayerPass = this.sourced<RelayerRead>('relayer', () => readRelayer(this.o.relayerUrl, this.o.timeoutMs));
    const oracleUrl = this.o.oracleUrl;
    // The incident notice each DID owes (one source for all DIDs, as a chain is): only the oracle knows it.
    const noticePass =
      oracleUrl === undefined ? undefined : this.sourced<NoticeRead[]>('oracle:notices', () => Promise.all(d.dids.map((x) => readNotice(oracleUrl, x.did, this.o.timeoutMs))));
    const [, relayer, noticeReads] = await Promise.all([chainPass, relayerPass, noticePass]);
    let oracle: StatusInputs['oracle'];
    if (oracleUrl !== undefined) {
      // The backlog is counted past the relayer's cursor; without the relayer there is nothing to count from.
      const read: Sourced<OracleRead> = relayer.ok
        ? await this.sourced('oracle', () => readOracleBacklog(oracleUrl, relayer.value.cursor, this.o.timeoutMs))
        : { ok: false, error: 'relayer cursor unknown' };
      oracle = { url: oracleUrl, read };
    }
    return {
      now,
      dids: d.dids,
      chains: d.chains.map((c) => ({ chainId: c.chainId, name: c.name, transport: c.transport ?? 'cctp' })),
      chainReads,
      relayer: { url: this.o.relayerUrl, read: relayer },
      ...(oracle ? { oracle } : {}),
      ...(noticeReads
        ? { notices: new Map<string, Sourced<NoticeRead>>(d.dids.map((x, i) => [x.did, noticeReads.ok ? { ok: true, value: noticeReads.value[i]! } : noticeReads])) }
        : {}),
    };
  }
}
