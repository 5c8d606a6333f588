/** Writes schemas/vectors.json (golden vectors); `--check` fails when the committed file is stale. */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildVectors } from '../schemas/vectors.js';

const target = join(import.meta.dirname, '..', 'schemas', 'vectors.json');
const rendered = `${JSON.stringify(buildVectors(), null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (!existsSync(target) || readFileSync(target, 'utf8') !== rendered) {
    console.error('schemas/vectors.json is stale: run `npm run gen:vectors` and commit it');
    process.exit(1);
  }
} else {
  writeFileSync(target, rendered);
  console.log(`wrote ${target}`);
}
