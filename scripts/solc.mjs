#!/usr/bin/env node
// Compiler wrapper for forge: forge cannot download native solc here, so it calls this file as its
// `solc`. It answers `--version` like native solc and otherwise compiles standard JSON with solc-js
// (WebAssembly, installed from npm at the version the contracts pin).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const solc = require('solc');

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
const input = readFileSync(0, 'utf8');
// Imports are resolved by forge into the standard JSON sources; a callback is not needed.
process.stdout.write(solc.compile(input));
