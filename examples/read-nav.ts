/**
 * The NAV of a DID on every chain, with the freshness a protocol checks before pricing with it.
 *   npx tsx examples/read-nav.ts data/deployment.json [did]
 */
import { formatUnits } from 'viem';
import { createRwaReaderFromFile } from '../sdk/index.js';
import { args, line, run } from './run.js';

run(async () => {
  const [path, didArg] = args('tsx examples/read-nav.ts <deployment.json> [did]', 1);
  const reader = createRwaReaderFromFile(path!);
  const did = didArg ?? reader.deployment.dids[0]?.did ?? '';
  for (const chainId of reader.chainIds) {
    const n = await reader.nav(did, chainId);
    line({
      chain: chainId,
      answer: n.answer,
      nav: n.answer === undefined ? undefined : formatUnits(n.answer, n.decimals),
      decimals: n.decimals,
      round: n.roundId,
      asOf: n.asOf,
      heartbeat: n.heartbeat,
      nextDueBy: n.nextDueBy,
      stale: n.stale,
      paused: n.paused,
      stage: n.stage,
      doNotUse: n.doNotUse,
      reasons: n.reasons,
    });
  }
});
