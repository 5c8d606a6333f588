import { describe, expect, it } from 'vitest';
import { parseAnchors, readAnchors } from './anchors.js';

const MD = `# What the peers teach us

## Gas to beat (receipt gasUsed)
Some words.

| peer, configuration | gas per delivered message | note |
|---|---|---|
| Circle CCTP v1 \`receiveMessage\`, 1 attester | 75,790 | trivial handler |
| Hyperlane, 3 of 5 | 96,923 (proxy), 89,747 (bare) | +~6,000 per signature |
| a row without a figure | n/a | |

Our apply does more.

| other table | 1 |
|---|---|
| not read | 5 |

## Semantics
| x | 1 |
`;

describe('parseAnchors', () => {
  it('reads the peer and the first figure of each row of the gas table, and nothing after it', () => {
    expect(parseAnchors(MD)).toEqual([
      { peer: 'Circle CCTP v1 `receiveMessage`, 1 attester', gas: 75_790, cell: '75,790' },
      { peer: 'Hyperlane, 3 of 5', gas: 96_923, cell: '96,923 (proxy), 89,747 (bare)' },
    ]);
  });

  it('finds nothing without a gas heading', () => {
    expect(parseAnchors('# Title\n| a | 1 |\n')).toEqual([]);
  });

  it('says which file is missing instead of failing', () => {
    const r = readAnchors('/nonexistent/anchors.md');
    expect(r).toMatchObject({ missing: expect.stringContaining('/nonexistent/anchors.md') });
  });
});
