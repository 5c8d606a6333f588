#!/usr/bin/env node
// Runs a Foundry tool (anvil, forge, cast) from its platform package and exits with the tool's own exit code.
// The @foundry-rs/<tool> npm wrappers always exit 0, which would let `npm test` pass on failing forge tests.
// Usage: node scripts/foundry.mjs <tool> [args...]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ARCH = { x64: 'amd64', arm64: 'arm64' };

/** Absolute path of the native binary of `tool` installed by npm for this platform. */
export function foundryBinary(tool) {
  const arch = ARCH[process.arch];
  if (!arch) throw new Error(`no Foundry build for ${process.platform}/${process.arch}`);
  const pkg = `@foundry-rs/${tool}-${process.platform}-${arch}`;
  const manifest = require.resolve(`${pkg}/package.json`);
  return join(dirname(manifest), 'bin', process.platform === 'win32' ? `${tool}.exe` : tool);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [tool, ...args] = process.argv.slice(2);
  if (!['anvil', 'forge', 'cast'].includes(tool ?? '')) {
    console.error('usage: node scripts/foundry.mjs <anvil|forge|cast> [args...]');
    process.exit(2);
  }
  const child = spawn(foundryBinary(tool), args, { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
}
