import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from './context.js';
import { runCli } from './run.js';

export const DID = 'did:rwa:test:fund';

/** A deployment file of two chains (nothing listens at their RPC URLs) and one DID, in a fresh folder. */
export function deploymentFile(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rwa-cli-'));
  const path = join(dir, 'deployment.json');
  const chain = (name: string, chainId: number, port: number) => ({ name, chainId, rpcUrl: `http://127.0.0.1:${port}`, receiver: `0x${String(chainId).padStart(40, '0')}`, confirmations: 0 });
  writeFileSync(
    path,
    JSON.stringify({
      hub: { chainId: 31337, rpcUrl: 'http://127.0.0.1:1', registry: `0x${'a1'.repeat(20)}` },
      chains: [chain('hub', 31337, 1), chain('spoke-a', 31338, 2)],
      governance: { signers: [`0x${'c1'.repeat(20)}`], threshold: 1 },
      dids: [{ did: DID, didHash: `0x${'00'.repeat(32)}` }],
    }),
  );
  return { dir, path };
}

/** Runs the CLI in process with these environment variables; what it printed and its exit code. */
export async function run(argv: readonly string[], env: Record<string, string> = {}, stdin?: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = { env, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), readStdin: async () => stdin };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A stand-in oracle that answers every request with `status` and `body`, recording what was posted. */
export async function fakeService(status: number, body: unknown): Promise<{ url: string; posted: { url: string; body: unknown; headers: IncomingMessage['headers'] }[]; close: () => void }> {
  const posted: { url: string; body: unknown; headers: IncomingMessage['headers'] }[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      posted.push({ url: req.url ?? '', body: data ? (JSON.parse(data) as unknown) : undefined, headers: req.headers });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posted, close: () => server.close() };
}
