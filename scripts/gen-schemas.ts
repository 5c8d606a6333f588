/**
 * Writes the JSON Schemas of every HTTP payload as plain .json files under schemas/json/, for clients in any
 * language: the request schema of every kind (oracle routes and committee snapshots/reports), the feed, the error,
 * the committee's sign request and response, and the OpenAPI documents of the oracle, a committee signer and the relayer, plus
 * an index.json. The TypeScript schemas stay the one source; these files are generated and never edited.
 * `--check` fails (exit 1) naming each file that is stale, missing or no longer generated.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { httpSchemas } from '../schemas/http.js';
import { SOURCES } from '../schemas/kinds/index.js';
import { signBatchRequestSchema, signBatchResponseSchema, signRequestSchema, signResponseSchema } from '../schemas/committee.js';
import { openApiDocument } from '../oracle/api/openapi.js';
import { signerOpenApi } from '../committee/openapi.js';
import { relayerOpenApi } from '../relayer/openapi.js';

const root = join(import.meta.dirname, '..');
export const JSON_DIR = join(root, 'schemas', 'json');

/** A schema's file name: the last segment of its $id (`.../settlement-request.json` -> settlement-request). */
export function nameOf(schema: object): string {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string' || !id.endsWith('.json')) throw new Error(`schema without a .json $id: ${JSON.stringify(schema).slice(0, 80)}`);
  return id.slice(id.lastIndexOf('/') + 1, -'.json'.length);
}

/** Every HTTP payload schema by name; two different schemas under one name is an error, the same one twice is not. */
export function collectSchemas(): Map<string, object> {
  const all = [...Object.values(httpSchemas), ...SOURCES.map((s) => s.requestSchema), signRequestSchema, signResponseSchema, signBatchRequestSchema, signBatchResponseSchema];
  const byName = new Map<string, object>();
  for (const schema of all) {
    const name = nameOf(schema);
    const seen = byName.get(name);
    if (seen && stable(seen) !== stable(schema)) throw new Error(`two different schemas are named ${name}`);
    byName.set(name, schema);
  }
  return new Map([...byName.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Two-space JSON with a final newline: stable across runs (object keys keep their source order). */
const stable = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Every generated file, by path relative to schemas/json/ ('/' separated), with its exact content. */
export function renderSchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const schemas = collectSchemas();
  const index: Record<string, { file: string; $id: string; title?: string }> = {};
  for (const [name, schema] of schemas) {
    const { $id, title } = schema as { $id: string; title?: string };
    files.set(`${name}.json`, stable(schema));
    index[name] = { file: `${name}.json`, $id, ...(title ? { title } : {}) };
  }
  const openapi = { oracle: openApiDocument(), committee: signerOpenApi(), relayer: relayerOpenApi() };
  for (const [service, doc] of Object.entries(openapi)) files.set(`openapi/${service}.json`, stable(doc));
  files.set(
    'index.json',
    stable({
      generatedBy: 'scripts/gen-schemas.ts (npm run gen:schemas); do not edit',
      schemas: index,
      openapi: Object.fromEntries(Object.keys(openapi).map((s) => [s, `openapi/${s}.json`])),
    }),
  );
  return files;
}

function* filesUnder(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

export interface StaleFile {
  path: string;
  reason: 'differs' | 'missing' | 'not generated';
}

/** Files under `dir` that differ from `files` (or are missing), and files there that are no longer generated. */
export function staleFiles(dir: string, files: Map<string, string>): StaleFile[] {
  const stale: StaleFile[] = [];
  for (const [path, content] of files) {
    const full = join(dir, path);
    if (!existsSync(full)) stale.push({ path, reason: 'missing' });
    else if (readFileSync(full, 'utf8') !== content) stale.push({ path, reason: 'differs' });
  }
  for (const full of filesUnder(dir)) {
    const path = relative(dir, full).split(sep).join('/');
    if (!files.has(path)) stale.push({ path, reason: 'not generated' });
  }
  return stale.sort((a, b) => a.path.localeCompare(b.path));
}

/** Replaces the contents of `dir` with `files`. */
export function writeSchemaFiles(dir: string, files: Map<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, content] of files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const files = renderSchemaFiles();
  const shown = relative(root, JSON_DIR);
  if (process.argv.includes('--check')) {
    const stale = staleFiles(JSON_DIR, files);
    if (stale.length > 0) {
      console.error(`JSON Schema files are stale: run \`npm run gen:schemas\` and commit ${shown}/`);
      for (const f of stale) console.error(`  ${f.reason.padEnd(13)} ${shown}/${f.path}`);
      process.exit(1);
    }
    console.log(`${files.size} files in ${shown}/ are up to date`);
  } else {
    writeSchemaFiles(JSON_DIR, files);
    console.log(`wrote ${files.size} files to ${shown}/`);
  }
}
