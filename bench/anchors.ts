/** The peers' gas figures, read from the "Gas to beat" table of ../shared/anchors.md. */
import { readFileSync } from 'node:fs';

export interface PeerGas {
  peer: string;
  /** Gas per delivered message (the first figure of the cell). */
  gas: number;
  /** The cell as written (some name two configurations). */
  cell: string;
}

/**
 * The rows of the first markdown table under a heading that mentions "gas": `| peer | gas per message | note |`.
 * Rows whose second cell holds no number are skipped (the header and its rule).
 */
export function parseAnchors(markdown: string): PeerGas[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^#+ .*gas/i.test(l));
  if (start < 0) return [];
  const out: PeerGas[] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (/^#+ /.test(line)) break;
    if (!line.trim().startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    const m = /^([\d,]+)/.exec(cells[1] ?? '');
    if (!m || !cells[0]) continue;
    out.push({ peer: cells[0], gas: Number(m[1]!.replaceAll(',', '')), cell: cells[1]! });
  }
  return out;
}

/** The peers' figures from a file; a missing file is an answer ('missing'), not an error: the bench still runs. */
export function readAnchors(path: string): PeerGas[] | { missing: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { missing: `${path}: ${err instanceof Error ? err.message : String(err)}` };
  }
  return parseAnchors(text);
}
