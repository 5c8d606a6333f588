/**
 * `npm start`: the whole system on this machine. Three anvil chains (hub + two spokes), contracts deployed, the
 * demo DID registered, three committee signer processes (SIGNERS=n for another count, 0 for keys held by the
 * oracle), oracle and relayer running (spoke-b reached over Wormhole, with a CCIP lane beside it for a transport quorum), the demo DID configured, allow-listed and reserved on every chain, and
 * copy-paste examples printed. Ctrl-C stops everything.
 */
import { existsSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startStack } from './stack.js';
import { DEFAULT_SIGNER_SET_SECONDS } from './deploy.js';
import { checkBlockTime } from './anvil.js';
import { bootstrapDemo, custodianDomainOf, demoNav, demoSubscription, DEMO_INVESTOR } from './demo.js';
import { createTestClient, http, keccak256, stringToBytes, toHex } from 'viem';
import { mnemonicToAccount, privateKeyToAccount } from 'viem/accounts';
import { DEV_CUSTODIAN_KEY, DEV_ISSUER_KEY, DEV_NAV_PUBLISHER_KEY } from '../schemas/dev-keys.js';
import { signAcceptance, signFulfilment } from '../clients/custodian.js';
import { DEV_KEYSTORE_PASSWORD, writeDevKeystores } from './cli-examples.js';
import { startStatusServer } from '../status/server.js';
import { createLogger } from '../common/logger.js';

/** Anvil's public test mnemonic: its account #3 is the demo investor, who signs its own redemption request. */
const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';

const HELP = `npm start: run the RWA settlement oracle locally

Starts three anvil chains (hub 31337, spoke-a 31338, spoke-b 31339), deploys the contracts, registers the demo DID,
puts a local Wormhole transport and a local CCIP 2.0 lane in front of spoke-b (Wormhole by default), then runs the committee as three signer processes (threshold 2), the oracle and the relayer until Ctrl-C. Before it
prints the examples, the demo DID's config (signed by governance), an issuer allow-list of the demo investors and a
custodian reserve report are attested and applied on every chain. State is written under data/ (recreated at each
start, because the chains are fresh).

Environment: DATA_DIR [data], ORACLE_PORT [8080], RELAYER_PORT [8090], STATUS_PORT [8070] (the status page),
  ANVIL_PORTS [8545,8546,8547],
  SIGNERS [3] (committee signer processes; 0: the oracle holds the dev committee keys), SIGNER_PORTS [8101,8102,8103],
  BLOCK_TIME [0] (seconds between blocks once deployed, anvil interval mining; 0: a block per transaction),
  SIGNER_SET_SECONDS [31536000] (how long governance's and the demo DID's signer sets stay valid: a year),
  LOG_LEVEL [warn]
`;

/** A path as the user types it from here: relative below the working directory, absolute elsewhere. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const started = Date.now();
  const dataDir = process.env.DATA_DIR ?? join(process.cwd(), 'data');
  // `inspect` reads data/deployment.json unless told otherwise.
  const defaultDataDir = relative(process.cwd(), dataDir) === 'data';
  for (const f of ['oracle.sqlite', 'relayer.sqlite']) for (const s of ['', '-wal', '-shm']) rmSync(join(dataDir, f + s), { force: true });
  if (existsSync(dataDir)) for (const f of readdirSync(dataDir)) if (/^signer-.*\.sqlite(-wal|-shm)?$/.test(f)) rmSync(join(dataDir, f), { force: true });
  const ports = (process.env.ANVIL_PORTS ?? '8545,8546,8547').split(',').map(Number);
  const signers = Number(process.env.SIGNERS ?? 3);
  if (!Number.isInteger(signers) || signers < 0) throw new Error('SIGNERS: expected a count (0 for in-process committee keys)');
  const signerPorts = (process.env.SIGNER_PORTS ?? '8101,8102,8103').split(',').map(Number);
  const blockTimeSeconds = checkBlockTime(Number(process.env.BLOCK_TIME ?? 0));
  const signerSetSeconds = Number(process.env.SIGNER_SET_SECONDS ?? DEFAULT_SIGNER_SET_SECONDS);
  if (!Number.isInteger(signerSetSeconds) || signerSetSeconds <= 0) throw new Error('SIGNER_SET_SECONDS: expected a positive whole number of seconds');
  const stack = await startStack({
    dataDir,
    chainPorts: ports,
    oraclePort: Number(process.env.ORACLE_PORT ?? 8080),
    relayerPort: Number(process.env.RELAYER_PORT ?? 8090),
    signers,
    signerPorts,
    blockTimeSeconds,
    signerSetSeconds,
    output: 'inherit',
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    // All three transports reach spoke-b, so the issuer can require a quorum of them there (printed below).
    wormholeSpokes: ['spoke-b'],
    ccipLanesOnly: ['spoke-b'],
    onProgress: (step) => process.stdout.write(`... ${step}\n`),
  });
  try {
    process.stdout.write('... attesting the demo DID config, allow-list and reserve on every chain\n');
    await bootstrapDemo(stack.deployment, stack.oracleUrl);
  } catch (err) {
    await stack.stop();
    throw err;
  }

  const d = stack.deployment;
  // The live status page, in this process (npm run status runs it on its own).
  const status = await startStatusServer({
    deployment: d,
    relayerUrl: stack.relayerUrl,
    oracleUrl: stack.oracleUrl,
    host: '127.0.0.1',
    port: Number(process.env.STATUS_PORT ?? 8070),
    refreshMs: 1000,
    timeoutMs: 3000,
    logger: createLogger('status', process.env.LOG_LEVEL ?? 'warn'),
  }).catch(async (err: unknown) => {
    await stack.stop();
    throw err;
  });
  const now = Math.floor(Date.now() / 1000);
  const examples = join(dataDir, 'examples');
  mkdirSync(examples, { recursive: true });
  const files: string[] = [];
  for (const c of d.chains) {
    const body = await demoSubscription(d, c.chainId, `DEMO-${now}-${c.name}`, 1_000_000_000n, now);
    const f = join(examples, `subscribe-${c.name}.json`);
    writeFileSync(f, JSON.stringify(body, null, 2));
    files.push(shown(f));
  }
  const navFile = join(examples, 'nav.json');
  writeFileSync(navFile, JSON.stringify(await demoNav(d, 100_250_000n, now), null, 2));
  const nav = shown(navFile);

  // Redemption on spoke-a: the demo investor (anvil's account #3, whose key anvil publishes) locks 10 dUSTB; the
  // custodian's acceptance (it commits to pay, so the holder can no longer cancel) and fulfilment of that first
  // request (id 1) are signed in advance; the oracle refuses a fulfilment of a request not accepted (422 not_accepted).
  const spokeA = d.chains.find((c) => c.name === 'spoke-a') ?? d.chains[d.chains.length - 1]!;
  const didHash = d.dids[0]!.didHash;
  const investorKey = toHex(mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 3 }).getHdKey().privateKey!);
  const keystores = writeDevKeystores(examples, { custodian: DEV_CUSTODIAN_KEY, 'nav-publisher': DEV_NAV_PUBLISHER_KEY, holder: investorKey, issuer: DEV_ISSUER_KEY });
  // The CLI reads data/deployment.json and the default ports unless told otherwise.
  const rwaEnv = [
    `RWA_KEYSTORE_PASSWORD=${DEV_KEYSTORE_PASSWORD}`,
    ...(defaultDataDir ? [] : [`RWA_DEPLOYMENT=${shown(stack.deploymentPath)}`]),
    ...(stack.oracleUrl === 'http://127.0.0.1:8080' ? [] : [`RWA_ORACLE_URL=${stack.oracleUrl}`]),
    ...(stack.relayerUrl === 'http://127.0.0.1:8090' ? [] : [`RWA_RELAYER_URL=${stack.relayerUrl}`]),
    `RWA_RELAYER_TOKEN=${stack.relayerAdminToken}`,
  ];
  const rwa = (args: string) => `  npm run --silent rwa -- ${args}`;
  const acceptFile = join(examples, 'accept-spoke-a-request-1.json');
  const acceptBody = await signAcceptance(DEV_CUSTODIAN_KEY, custodianDomainOf(d), {
    did: d.dids[0]!.did,
    chainId: spokeA.chainId,
    requestId: '1',
    owner: DEMO_INVESTOR,
    amount: '10000000',
    acceptedAt: now,
  });
  writeFileSync(acceptFile, JSON.stringify(acceptBody, null, 2));
  const fulfilFile = join(examples, 'fulfil-spoke-a-request-1.json');
  const fulfilBody = await signFulfilment(DEV_CUSTODIAN_KEY, custodianDomainOf(d), {
    did: d.dids[0]!.did,
    chainId: spokeA.chainId,
    requestId: '1',
    settlementRef: `DEMO-REDEEM-${now}`,
    amount: '10000000',
    cashLegRef: keccak256(stringToBytes(`wire DEMO-REDEEM-${now}`)),
    settledAt: now,
  });
  writeFileSync(fulfilFile, JSON.stringify(fulfilBody, null, 2));

  // Transport quorum on spoke-b: the demo issuer (a DEV-ONLY key, funded here on the local hub) sets the rule.
  const hub = d.chains.find((c) => c.chainId === d.hub.chainId)!;
  const spokeB = d.chains.find((c) => c.name === 'spoke-b') ?? d.chains[d.chains.length - 1]!;
  await createTestClient({ mode: 'anvil', transport: http(hub.rpcUrl) }).setBalance({ address: privateKeyToAccount(DEV_ISSUER_KEY).address, value: 10n ** 19n });

  const lines = [
    '',
    `RWA settlement oracle is up (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    '',
    ...d.chains.map((c) => `  chain ${c.name.padEnd(8)} id ${c.chainId}  ${c.rpcUrl}  receiver ${c.receiver}`),
    `  registry (hub)          ${d.hub.registry}`,
    `  demo DID                ${d.dids[0]?.did}`,
    ...stack.signers.map((sg) => `  committee signer ${sg.slot + 1}      ${sg.url}   ${sg.address}`),
    ...(stack.signers.length === 0 ? ['  committee               held by the oracle (SIGNERS=0)'] : []),
    `  oracle                  ${stack.oracleUrl}   (OpenAPI: ${stack.oracleUrl}/openapi.json)`,
    `  relayer status          ${stack.relayerUrl}/v1/queues`,
    `  status page             ${status.url}/`,
    `  state                   ${shown(dataDir)}/`,
    '',
    'Try it: the dev custodian has signed one subscription of 1,000 dUSTB per chain and a NAV of 1.0025:',
    '',
    ...files.map((f) => `  curl -s -X POST ${stack.oracleUrl}/v1/settlements -H 'content-type: application/json' -d @${f}`),
    `  curl -s -X POST ${stack.oracleUrl}/v1/nav -H 'content-type: application/json' -d @${nav}`,
    '',
    'Then see holdings and NAV on all three chains:',
    '',
    `  ${defaultDataDir ? '' : `DEPLOYMENT=${shown(stack.deploymentPath)} `}npm run --silent inspect -- ${DEMO_INVESTOR}`,
    '',
    `Or sign and post with the CLI (docs/cli.md), from the dev custodian's keystore (DEV-ONLY keys; password "${DEV_KEYSTORE_PASSWORD}"):`,
    '',
    `  export ${rwaEnv.join(' ')}`,
    rwa(`post settlement --keystore ${shown(keystores.custodian!)} --chainId spoke-a --kind subscription --settlementRef CLI-${now} --investor ${DEMO_INVESTOR} --amount 5000000 --cashLegRef ${keccak256(stringToBytes(`wire CLI-${now}`))}`),
    rwa('status <id from the answer> --wait'),
    rwa(`holdings ${DEMO_INVESTOR}`),
    rwa('dead-letters'),
    '',
    'Redeem on spoke-a: the investor locks 10 dUSTB (request 1), the custodian accepts it, the hub sets the stage, the',
    'custodian pays and the units burn:',
    '',
    rwa(`redeem request --keystore ${shown(keystores.holder!)} --chain ${spokeA.name} --amount 10000000`),
    `  curl -s ${stack.oracleUrl}/v1/dids/${d.dids[0]?.did}/redemptions`,
    `  curl -s -X POST ${stack.oracleUrl}/v1/redemptions/acceptances -H 'content-type: application/json' -d @${shown(acceptFile)}`,
    `  curl -s -X POST ${stack.oracleUrl}/v1/redemptions/fulfilments -H 'content-type: application/json' -d @${shown(fulfilFile)}`,
    '',
    'Require 2 of the 3 transports (1 CCTP-style + 2 CCIP + 4 Wormhole = 7) for the demo DID on spoke-b, as its issuer;',
    'the rule reaches spoke-b as a signed attestation, then each attestation to spoke-b travels three ways and applies',
    'on the second arrival (relayer: one delivery per transport; RELAYER_DISABLED_TRANSPORTS to take one out):',
    '',
    rwa(`quorum set --keystore ${shown(keystores.issuer!)} --chain ${spokeB.name} --k 2 --transports cctp,ccip,wormhole`),
    `  node scripts/foundry.mjs cast call ${spokeB.receiver} 'transportQuorumOf(bytes32)(uint8,uint8)' ${didHash} --rpc-url ${spokeB.rpcUrl}`,
    `  curl -s ${stack.relayerUrl}/v1/deliveries/<id of a spoke-b subscription>`,
    '',
    `Status of one attestation: curl -s ${stack.oracleUrl}/v1/attestations/<id from the POST answer>`,
    `DID document: curl -s ${stack.oracleUrl}/v1/dids/${d.dids[0]?.did}`,
    'Ctrl-C stops the chains, the signers, the oracle and the relayer.',
    '',
  ];
  process.stdout.write(lines.join('\n'));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping...\n');
    await status.stop();
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
