/**
 * `npm start`: the whole system on this machine. Three anvil chains (hub + two spokes), contracts deployed, the
 * demo DID registered, oracle and relayer running, and copy-paste examples printed. Ctrl-C stops everything.
 */
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startStack } from './lib/stack.js';
import { demoNav, demoSubscription, DEMO_INVESTOR } from './lib/demo.js';

const HELP = `npm start: run the RWA settlement oracle locally

Starts three anvil chains (hub 31337, spoke-a 31338, spoke-b 31339), deploys the contracts, registers the demo DID,
then runs the oracle and the relayer until Ctrl-C. State is written under data/ (recreated at each start, because
the chains are fresh).

Environment: DATA_DIR [data], ORACLE_PORT [8080], RELAYER_PORT [8090], ANVIL_PORTS [8545,8546,8547], LOG_LEVEL [warn]
`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const started = Date.now();
  const dataDir = process.env.DATA_DIR ?? join(process.cwd(), 'data');
  for (const f of ['oracle.sqlite', 'relayer.sqlite']) for (const s of ['', '-wal', '-shm']) rmSync(join(dataDir, f + s), { force: true });
  const ports = (process.env.ANVIL_PORTS ?? '8545,8546,8547').split(',').map(Number);
  const stack = await startStack({
    dataDir,
    chainPorts: ports,
    oraclePort: Number(process.env.ORACLE_PORT ?? 8080),
    relayerPort: Number(process.env.RELAYER_PORT ?? 8090),
    output: 'inherit',
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    onProgress: (step) => process.stdout.write(`... ${step}\n`),
  });

  const d = stack.deployment;
  const now = Math.floor(Date.now() / 1000);
  const examples = join(dataDir, 'examples');
  mkdirSync(examples, { recursive: true });
  const files: string[] = [];
  for (const c of d.chains) {
    const body = await demoSubscription(d, c.chainId, `DEMO-${now}-${c.name}`, 1_000_000_000n, now);
    const f = join(examples, `subscribe-${c.name}.json`);
    writeFileSync(f, JSON.stringify(body, null, 2));
    files.push(relative(process.cwd(), f));
  }
  const navFile = join(examples, 'nav.json');
  writeFileSync(navFile, JSON.stringify(await demoNav(d, 100_250_000n, now), null, 2));
  const nav = relative(process.cwd(), navFile);

  const lines = [
    '',
    `RWA settlement oracle is up (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    '',
    ...d.chains.map((c) => `  chain ${c.name.padEnd(8)} id ${c.chainId}  ${c.rpcUrl}  receiver ${c.receiver}`),
    `  registry (hub)          ${d.hub.registry}`,
    `  demo DID                ${d.dids[0]?.did}`,
    `  oracle                  ${stack.oracleUrl}   (OpenAPI: ${stack.oracleUrl}/openapi.json)`,
    `  relayer status          ${stack.relayerUrl}/v1/queues`,
    `  state                   ${relative(process.cwd(), dataDir)}/`,
    '',
    'Try it: the dev custodian has signed one subscription of 1,000 dUSTB per chain and a NAV of 1.0025:',
    '',
    ...files.map((f) => `  curl -s -X POST ${stack.oracleUrl}/v1/settlements -H 'content-type: application/json' -d @${f}`),
    `  curl -s -X POST ${stack.oracleUrl}/v1/nav -H 'content-type: application/json' -d @${nav}`,
    '',
    'Then see holdings and NAV on all three chains:',
    '',
    `  npm run --silent inspect -- ${DEMO_INVESTOR}`,
    '',
    `Status of one attestation: curl -s ${stack.oracleUrl}/v1/attestations/<id from the POST answer>`,
    'Ctrl-C stops the chains, the oracle and the relayer.',
    '',
  ];
  process.stdout.write(lines.join('\n'));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping...\n');
    await stack.stop();
    process.stdout.write('stopped\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
