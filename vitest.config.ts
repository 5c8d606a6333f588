import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{cli,schemas,core,oracle,committee,relayer,common,clients,sdk,status,liquidity,devnet,bench,testkit,e2e/lib,scripts}/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          // Each file runs its own anvil chains and services; two cores do not gain from running files at once.
          fileParallelism: false,
        },
      },
    ],
  },
});
