/**
 * "Is this DID the same on every chain?": NAV round and answer, config, reserve, pause and redemption stage.
 * Prints `consistent=true|false` and one line per field that differs; exits 3 when something differs.
 *   npx tsx examples/consistency.ts data/deployment.json [did]
 */
import { createRwaReaderFromFile } from '../sdk/index.js';
import { args, line, run } from './run.js';

run(async () => {
  const [path, didArg] = args('tsx examples/consistency.ts <deployment.json> [did]', 1);
  const reader = createRwaReaderFromFile(path!);
  const report = await reader.consistency(didArg ?? reader.deployment.dids[0]?.did ?? '');
  line({ consistent: report.consistent, chains: report.chains.map((c) => String(c.chainId)), unreachable: report.unreachable.map((e) => String(e.chainId)) });
  for (const c of report.chains) line({ chain: c.chainId, round: c.navRound, answer: c.navAnswer, configNonce: c.configNonce, reserveAsOf: c.reserveAsOf, paused: c.paused, stage: c.stage });
  for (const d of report.differences) line({ differs: d.field, group: d.group, values: d.values.map((v) => `${v.chainId}:${String(v.value)}`) });
  if (!report.consistent) process.exitCode = 3;
});
