import { Agent, request } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { fork } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface FloodCounts {
  /** 2xx answers. */
  answered: number;
  /** 429 answers (each followed by the client waiting its Retry-After). */
  limited: number;
  /** 5xx answers. */
  serverErrors: number;
  /** Anything else: other statuses and transport failures. */
  other: number;
}

export interface ReadFlood {
  counts: FloodCounts;
  /** Stops every client after its current request; resolves with the totals. */
  stop(): Promise<FloodCounts>;
}

/**
 * `clients` anonymous readers, each from its own loopback address (127.0.0.2, 127.0.0.3, ...: Linux routes the whole
 * 127/8 to lo), so the oracle counts them as distinct clients. Each loops over `paths` as fast as answers come and,
 * on a 429, waits the Retry-After the oracle asked for, as a well-behaved but greedy client does.
 */
export function startReadFlood(baseUrl: string, paths: readonly string[], clients: number): ReadFlood {
  const counts: FloodCounts = { answered: 0, limited: 0, serverErrors: 0, other: 0 };
  const url = new URL(baseUrl);
  const stopped = new AbortController();
  setMaxListeners(clients + 1, stopped.signal); // every client waiting out a Retry-After listens for the stop
  const get = (agent: Agent, localAddress: string, path: string) =>
    new Promise<{ status: number; retryAfter: number }>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path, agent, localAddress, method: 'GET', timeout: 30_000 }, (res) => {
        res.resume(); // drain: the body's size is the oracle's cost, not the reader's
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? '1') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('read timed out')));
      req.on('error', reject);
      req.end();
    });
  const loops = Array.from({ length: clients }, async (_, i) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const localAddress = `127.0.0.${i + 2}`;
    try {
      for (let k = i; !stopped.signal.aborted; k++) {
        let wait = 0;
        try {
          const r = await get(agent, localAddress, paths[k % paths.length]!);
          if (r.status >= 200 && r.status < 300) counts.answered++;
          else if (r.status === 429) {
            counts.limited++;
            wait = (Number.isFinite(r.retryAfter) && r.retryAfter > 0 ? r.retryAfter : 1) * 1000;
          } else if (r.status >= 500) counts.serverErrors++;
          else counts.other++;
        } catch {
          counts.other++; // counted and shown in the bench table; a transport failure is a result here, not a bug
          wait = 100;
        }
        // Honour Retry-After, cut short when the flood stops.
        if (wait > 0) {
          await delay(wait, undefined, { signal: stopped.signal }).catch((err: unknown) => {
            if (!stopped.signal.aborted) throw err;
          });
        }
      }
    } finally {
      agent.destroy();
    }
  });
  return {
    counts,
    stop: async () => {
      stopped.abort();
      await Promise.all(loops);
      return { ...counts };
    },
  };
}

/**
 * The flood in its own process (the readers are other programs; their event loop must not delay the custodians'
 * timings): `node --import tsx read-flood.ts <baseUrl> <clients> <path>...`; on the IPC message 'stop' it stops,
 * sends its counts and exits.
 */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.send) {
  const [baseUrl, clients, ...paths] = process.argv.slice(2);
  const flood = startReadFlood(baseUrl!, paths, Number(clients));
  process.send('ready');
  process.on('message', (m) => {
    if (m !== 'stop') return;
    void flood.stop().then((counts) => process.send!(counts, () => process.exit(0)));
  });
}

/** Starts the flood in a child process, resolving once its readers run; `stop` resolves with its counts. */
export async function forkReadFlood(baseUrl: string, paths: readonly string[], clients: number): Promise<{ stop(): Promise<FloodCounts> }> {
  const child = fork(fileURLToPath(import.meta.url), [baseUrl, String(clients), ...paths], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`read flood exited (${code}) before starting`)));
  });
  return {
    stop: () =>
      new Promise<FloodCounts>((resolve, reject) => {
        child.once('message', (m) => resolve(m as FloodCounts));
        child.once('exit', (code) => reject(new Error(`read flood exited (${code}) before reporting`)));
        child.send('stop');
      }),
  };
}
