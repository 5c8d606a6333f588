/**
 * Serialised answers that can never change (a full feed page: attestations and their deliveries are inserted
 * together and never updated, and a new attestation always gets a higher seq, so once a page after `after` holds
 * `limit` items it holds those forever). Kept without a time bound, so such an answer is built once however long
 * readers keep asking; bounded by total bytes, the least recently read going first.
 */
export class FrozenBodies {
  private readonly bodies = new Map<string, Uint8Array<ArrayBuffer>>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly onOutcome?: (outcome: 'hit' | 'kept') => void,
  ) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError('maxBytes: expected a non-negative integer');
  }

  get size(): number {
    return this.bodies.size;
  }

  get(key: string): Uint8Array<ArrayBuffer> | undefined {
    const body = this.bodies.get(key);
    if (!body) return undefined;
    // Most recently read last: eviction takes from the front.
    this.bodies.delete(key);
    this.bodies.set(key, body);
    this.onOutcome?.('hit');
    return body;
  }

  /** Keeps `body` under `key` (the caller vouches that it never changes); one larger than the whole budget is not kept. */
  keep(key: string, body: Uint8Array<ArrayBuffer>): void {
    if (body.byteLength > this.maxBytes || this.bodies.has(key)) return;
    this.bodies.set(key, body);
    this.bytes += body.byteLength;
    this.onOutcome?.('kept');
    for (const [oldest, b] of this.bodies) {
      if (this.bytes <= this.maxBytes) break;
      this.bodies.delete(oldest);
      this.bytes -= b.byteLength;
    }
  }
}
