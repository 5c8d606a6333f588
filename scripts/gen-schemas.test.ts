import { mkdtempSync, readFileSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { JSON_DIR, collectSchemas, renderSchemaFiles, staleFiles, writeSchemaFiles } from './gen-schemas.js';
import { httpSchemas } from '../schemas/http.js';
import { SOURCES } from '../schemas/kinds/index.js';

describe('gen-schemas --check', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const fresh = () => {
    dir = mkdtempSync(join(tmpdir(), 'gen-schemas-'));
    const files = renderSchemaFiles();
    writeSchemaFiles(dir, files);
    return files;
  };

  it('finds nothing stale right after writing', () => {
    const files = fresh();
    expect(staleFiles(dir, files)).toEqual([]);
  });

  it('names a file whose content differs, one missing, and one no longer generated', () => {
    const files = fresh();
    const settlement = join(dir, 'settlement-request.json');
    writeFileSync(settlement, readFileSync(settlement, 'utf8').replace('"chainId"', '"chain"'));
    unlinkSync(join(dir, 'openapi', 'oracle.json'));
    writeFileSync(join(dir, 'old-request.json'), '{}\n');
    expect(staleFiles(dir, files)).toEqual([
      { path: 'old-request.json', reason: 'not generated' },
      { path: 'openapi/oracle.json', reason: 'missing' },
      { path: 'settlement-request.json', reason: 'differs' },
    ]);
  });

  it('treats a reformatted file as stale (the formatting is part of the output)', () => {
    const files = fresh();
    const error = join(dir, 'error.json');
    writeFileSync(error, JSON.stringify(JSON.parse(readFileSync(error, 'utf8'))));
    expect(staleFiles(dir, files)).toEqual([{ path: 'error.json', reason: 'differs' }]);
  });

  it('the committed schemas/json/ is up to date', () => {
    expect(staleFiles(JSON_DIR, renderSchemaFiles())).toEqual([]);
  });
});

describe('the generated schemas', () => {
  it('cover every HTTP schema and every kind request schema, each a valid draft 2020-12 schema', () => {
    const names = collectSchemas();
    for (const schema of [...Object.values(httpSchemas), ...SOURCES.map((s) => s.requestSchema)]) {
      expect([...names.values()]).toContain(schema);
    }
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    for (const [name, text] of renderSchemaFiles()) {
      if (name === 'index.json' || name.startsWith('openapi/')) continue;
      expect(() => ajv.compile(JSON.parse(text) as object), name).not.toThrow();
    }
  });

  it('list each schema in index.json with its file and $id', () => {
    const files = renderSchemaFiles();
    const index = JSON.parse(files.get('index.json')!) as { schemas: Record<string, { file: string; $id: string }>; openapi: Record<string, string> };
    for (const { file, $id } of Object.values(index.schemas)) expect((JSON.parse(files.get(file)!) as { $id: string }).$id).toBe($id);
    for (const file of Object.values(index.openapi)) expect(files.has(file)).toBe(true);
    expect(Object.keys(index.schemas).length + Object.keys(index.openapi).length + 1).toBe(files.size);
  });
});
