#!/usr/bin/env node
// postinstall: check that the toolchain npm just installed works, and compile the contracts once so the first
// `npm start` / `npm test` does not pay for it. Everything comes from the npm registry (see docs/operations.md, "Set-up details").
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { foundryBinary } from './foundry.mjs';
import { ensureChromium } from './browser.mjs';

const root = join(import.meta.dirname, '..');
chmodSync(join(root, 'scripts', 'solc.mjs'), 0o755);
for (const tool of ['anvil', 'forge', 'cast']) {
  const r = spawnSync(foundryBinary(tool), ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`setup: ${tool} from @foundry-rs/${tool} does not run: ${r.stderr || r.error}`);
    process.exit(1);
  }
  console.log(`setup: ${r.stdout.split('\n')[0]}`);
}
// The secp256k1 and keccak addons ship prebuilt; where one does not load the services fall back to JavaScript
// (about 20x the CPU per signature, 8-13x per Keccak): say so here rather than only in a slow bench.
for (const [addon, what] of [['secp256k1/bindings', 'libsecp256k1 (signatures)'], ['keccak/bindings', 'Keccak-256']]) {
  try {
    createRequire(import.meta.url)(addon);
    console.log(`setup: native ${what} loads (${addon})`);
  } catch (err) {
    console.warn(`setup: WARNING the ${addon} addon does not load here (${err instanceof Error ? err.message : err}); ${what} falls back to JavaScript`);
  }
}
const browserError = ensureChromium();
if (browserError) {
  console.error(`setup: ${browserError}`);
  process.exit(1);
}
const build = spawnSync(foundryBinary('forge'), ['build', 'contracts/src'], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) {
  console.error(`setup: forge build failed\n${build.stdout}\n${build.stderr}`);
  process.exit(1);
}
console.log('setup: contracts compiled');
