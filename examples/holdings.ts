/**
 * An investor's units of a DID on every chain, and each chain's supply against its reserve cap.
 *   npx tsx examples/holdings.ts data/deployment.json 0xInvestor [did]
 */
import { formatUnits, getAddress } from 'viem';
import { createRwaReaderFromFile } from '../sdk/index.js';
import { args, line, run } from './run.js';

run(async () => {
  const [path, investor, didArg] = args('tsx examples/holdings.ts <deployment.json> <investor> [did]', 2);
  const reader = createRwaReaderFromFile(path!);
  const did = didArg ?? reader.deployment.dids[0]?.did ?? '';
  const [holdings, supply] = await Promise.all([reader.holdings(did, getAddress(investor!)), reader.supply(did)]);
  for (const h of holdings) {
    const s = supply.chains.find((c) => c.chainId === h.chainId);
    line({
      chain: h.chainId,
      name: h.name,
      balance: h.balance,
      units: formatUnits(h.balance, h.decimals),
      allowed: h.allowed,
      supply: s?.totalSupply,
      cap: s?.supplyCap,
      headroom: s?.headroom,
      overCap: s?.overCap,
    });
  }
  line({ total: 'all', supply: supply.totalSupply, cap: supply.totalCap, balance: holdings.reduce((sum, h) => sum + h.balance, 0n) });
});
