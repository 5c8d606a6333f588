import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { anchorsOf, checkDocs, slugOf } from './check-docs.js';

describe('slugOf and anchorsOf', () => {
  it.each([
    ['Choosing transports and a quorum per DID', 'choosing-transports-and-a-quorum-per-did'],
    ['Public reads: limits and staleness', 'public-reads-limits-and-staleness'],
    ['Block times (issue 21)', 'block-times-issue-21'],
    ['`npm start` output', 'npm-start-output'],
  ])('%s -> %s', (heading, slug) => expect(slugOf(heading)).toBe(slug));

  it('numbers repeated headings and ignores # lines in fenced code', () => {
    expect([...anchorsOf('# A\n## Relayer\n```sh\n# not a heading\n```\n## Relayer\n')]).toEqual(['a', 'relayer', 'relayer-1']);
  });
});

describe('checkDocs', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const tree = (files: Record<string, string>) => {
    root = mkdtempSync(join(tmpdir(), 'check-docs-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  };

  it('refuses a link outside the repository, in README.md or docs/, and allows localhost', () => {
    tree({
      'README.md': 'See [the spec](https://example.com/spec) or http://127.0.0.1:8080/health.\n',
      'docs/a.md': '# A\n\nOpen http://localhost:8090/v1/queues, not `http://docs.example.org/x`.\n',
    });
    expect(checkDocs(root)).toEqual([
      { file: 'README.md', line: 1, message: 'link outside the repository: https://example.com/spec' },
      { file: 'docs/a.md', line: 3, message: 'link outside the repository: http://docs.example.org/x' },
    ]);
  });

  it('refuses a relative link to a missing file or heading', () => {
    tree({
      'README.md': '[api](docs/api.md#oracle) [gone](docs/gone.md) [bad](docs/api.md#nope)\n',
      'docs/api.md': '# HTTP API\n\n## Oracle\n\n[up](../README.md) [here](#http-api) [there](#missing)\n',
    });
    expect(checkDocs(root)).toEqual([
      { file: 'README.md', line: 1, message: 'link to a missing file: docs/gone.md' },
      { file: 'README.md', line: 1, message: 'link to a missing heading: docs/api.md#nope' },
      { file: 'docs/api.md', line: 5, message: 'link to a missing heading: #missing' },
    ]);
  });

  it('refuses an npm script package.json does not have and a tsx or node file that does not exist', () => {
    tree({
      'package.json': JSON.stringify({ scripts: { start: 'tsx devnet/start.ts', 'gen:abi': 'x' } }),
      'scripts/here.ts': '',
      'README.md': '```sh\nnpm start\nnpm run gen:abi\nnpm run --silent gen:nope\nnpx tsx scripts/here.ts\ntsx scripts/gone.ts\nnpm run rwa -- settle\n```\n',
    });
    expect(checkDocs(root)).toEqual([
      { file: 'README.md', line: 4, message: 'no npm script gen:nope in package.json: npm run --silent gen:nope' },
      { file: 'README.md', line: 6, message: 'runs a missing file: tsx scripts/gone.ts' },
      { file: 'README.md', line: 7, message: 'no npm script rwa in package.json: npm run rwa' },
    ]);
  });

  it('passes on this repository', () => {
    expect(checkDocs(join(import.meta.dirname, '..'))).toEqual([]);
  });
});
