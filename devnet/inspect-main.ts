/** `npm run inspect -- <investor>`: holdings and NAV of the demo DID on every chain of data/deployment.json. */
import { readFileSync } from 'node:fs';
import { getAddress, isAddress, formatUnits } from 'viem';
import { parseDeployment } from '../schemas/deployment.js';
import { inspectChains } from './inspect.js';
import { DEMO_INVESTOR } from './demo.js';

async function main(): Promise<void> {
  const arg = process.argv[2] ?? DEMO_INVESTOR;
  if (arg === '--help') {
    process.stdout.write('usage: npm run inspect -- [investor address]   (reads DEPLOYMENT or data/deployment.json)\n');
    return;
  }
  if (!isAddress(arg)) throw new Error(`not an address: ${arg}`);
  const path = process.env.DEPLOYMENT ?? 'data/deployment.json';
  const parsed = parseDeployment(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.ok) throw new Error(`${path}: ${parsed.issue.field} ${parsed.issue.message}`);
  const views = await inspectChains(parsed.value, getAddress(arg));
  process.stdout.write(`${parsed.value.dids[0]?.did}  investor ${getAddress(arg)}\n`);
  for (const v of views) {
    const nav = v.nav === undefined ? 'no NAV yet' : `NAV ${formatUnits(v.nav, 8)} (round ${v.navRound}, as of ${new Date(Number(v.navAsOf) * 1000).toISOString()})`;
    process.stdout.write(`  ${v.name.padEnd(8)} ${v.chainId}  holdings ${formatUnits(v.balance, 6)}  supply ${formatUnits(v.totalSupply, 6)}  ${nav}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`inspect failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
