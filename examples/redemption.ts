/**
 * The redemption stage and the anchored disclosures of a DID on one chain (default: every chain).
 *   npx tsx examples/redemption.ts data/deployment.json [chainId] [did]
 */
import { createRwaReaderFromFile } from '../sdk/index.js';
import { args, line, run } from './run.js';

run(async () => {
  const [path, chainArg, didArg] = args('tsx examples/redemption.ts <deployment.json> [chainId] [did]', 1);
  const reader = createRwaReaderFromFile(path!);
  const did = didArg ?? reader.deployment.dids[0]?.did ?? '';
  const chainIds = chainArg === undefined ? reader.chainIds : [Number(chainArg)];
  for (const chainId of chainIds) {
    const [stage, disclosures] = await Promise.all([reader.redemptionStage(did, chainId), reader.disclosures(did, chainId)]);
    line({ chain: chainId, stage: stage.stage, stageSeq: stage.stageSeq, reason: stage.reason, halted: stage.halted, pressure: stage.aggregation?.pressure, poolSupply: stage.aggregation?.poolSupply });
    for (const d of disclosures.documents) line({ chain: chainId, docKind: d.docKind, docHash: d.docHash, asOf: d.asOf, nonce: d.nonce, uri: d.uri });
  }
});
