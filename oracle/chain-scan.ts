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
