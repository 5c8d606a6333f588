import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Abi, Hex } from 'viem';
import { BIN } from './anvil.js';

const ROOT = join(import.meta.dirname, '..');

/** Compiles `paths` (the product contracts by default) with forge; cached by forge, a no-op when nothing changed. */
export function forgeBuild(paths: readonly string[] = ['contracts/src']): void {
  const r = spawnSync(BIN('forge'), ['build', ...paths], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`forge build failed:\n${r.stdout}\n${r.stderr}`);
}

/** Compiles the product contracts (cached by forge; a no-op when nothing changed). */
export function buildContracts(): void {
  forgeBuild();
}

/** A compiled contract's ABI and creation bytecode, from forge's `out/`. */
export function artifact(name: string): { abi: Abi; bytecode: Hex } {
  const a = JSON.parse(readFileSync(join(ROOT, 'out', `${name}.sol`, `${name}.json`), 'utf8')) as { abi: Abi; bytecode: { object: Hex } };
  return { abi: a.abi, bytecode: a.bytecode.object };
}
