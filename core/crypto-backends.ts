import type { Logger } from '../common/logger.js';
import { nativeLoadError } from './ecdsa.js';
import { nativeKeccakLoadError } from './keccak.js';

/**
 * Warns, once at boot, about each native crypto addon that did not load here: the service then signs, recovers and
 * hashes in JavaScript (the same bytes, many times the CPU), which an operator should know before a bench tells them.
 */
export function warnJavascriptCrypto(logger: Pick<Logger, 'warn'>): void {
  if (nativeLoadError) logger.warn({ addon: 'secp256k1', detail: nativeLoadError }, 'libsecp256k1 did not load: secp256k1 in JavaScript');
  if (nativeKeccakLoadError) logger.warn({ addon: 'keccak', detail: nativeKeccakLoadError }, 'the keccak addon did not load: Keccak-256 in JavaScript');
}
