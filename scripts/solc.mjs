#!/usr/bin/env node
// Compiler wrapper for forge: forge cannot download native solc here, so it calls this file as its
// `solc`. It answers `--version` like native solc and otherwise compiles standard JSON with solc-js
// (WebAssembly, installed from npm at the version the contracts pin).
//
// Source contents are handed to solc-js through its import callback, not inside the input JSON: solc-js copies the
// input string onto its fixed 5 MiB WebAssembly stack (about 4 bytes per character), so inputs past ~1.3 M
// characters (forge-std + the CCIP sources) crash it with "memory access out of bounds". The callback's strings
// live on the heap.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const solc = require('solc');

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
  process.exit(0);
}
const input = JSON.parse(readFileSync(0, 'utf8'));
const contents = new Map();
for (const [name, source] of Object.entries(input.sources ?? {})) {
  if (typeof source.content !== 'string') continue;
  contents.set(name, source.content);
  input.sources[name] = { urls: [name] };
}
const findImports = (path) => (contents.has(path) ? { contents: contents.get(path) } : { error: `not provided by forge: ${path}` });
process.stdout.write(solc.compile(JSON.stringify(input), { import: findImports }));
