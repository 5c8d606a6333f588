/** Switches anvil chains between automine and interval mining (`evm_setAutomine`, `evm_setIntervalMining`). */
import { createTestClient, http } from 'viem';

/**
 * Every chain mines a block each `seconds` (0: automine, a block per transaction). Switching to automine mines one
 * block at once, so transactions sent under interval mining and still pending are not left waiting for the next one.
 */
export async function setBlockTime(rpcUrls: readonly string[], seconds: number): Promise<void> {
  await Promise.all(
    rpcUrls.map(async (url) => {
      const t = createTestClient({ mode: 'anvil', transport: http(url) });
      if (seconds === 0) {
        await t.setIntervalMining({ interval: 0 });
        await t.setAutomine(true);
        await t.mine({ blocks: 1 });
      } else {
        await t.setAutomine(false);
        await t.setIntervalMining({ interval: seconds });
      }
    }),
  );
}
