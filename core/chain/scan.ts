/**
 * The block range a watcher reads next on one chain: from its cursor (or `startBlock`) up to the chain's safe head
 * (newest block past its confirmations), at most `maxSpan` blocks so one eth_getLogs stays within provider limits.
 * Undefined when the cursor is past the safe head (nothing final to read).
 */
export function nextRange(cursor: bigint | undefined, startBlock: bigint, safeHead: bigint, maxSpan: bigint): { from: bigint; to: bigint } | undefined {
  const from = cursor ?? startBlock;
  if (from > safeHead) return undefined;
  const last = from + maxSpan - 1n;
  return { from, to: last < safeHead ? last : safeHead };
}

/** What reporting one awaiting row came to: a new attestation, one that existed already, or left for a later pass. */
export type ReportOutcome<A> = A | 'existing' | 'left';

/**
 * Reports every row awaiting its attestation, page after page. Rows left awaiting (skipped or failed) are passed
 * over by offset, so a few that cannot be reported now never starve the rest; they are tried again on the next pass.
 * Returns the attestations created.
 */
export async function reportAwaiting<R, A>(
  page: (limit: number, offset: number) => readonly R[],
  report: (row: R) => Promise<ReportOutcome<A>>,
  onError: (row: R, err: unknown) => void,
  pageSize = 100,
): Promise<A[]> {
  const created: A[] = [];
  let left = 0;
  for (;;) {
    const rows = page(pageSize, left);
    for (const row of rows) {
      try {
        const r = await report(row);
        if (r === 'left') left += 1;
        else if (r !== 'existing') created.push(r);
      } catch (err) {
        left += 1;
        onError(row, err);
      }
    }
    if (rows.length < pageSize) return created;
  }
}
