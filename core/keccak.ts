import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { keccak256 as viemKeccak256, type Hex } from 'viem';

/**
 * Keccak-256 (Ethereum's, not SHA3-256) over bytes, in the XKCP C code of the npm `keccak` package's native addon
 * (prebuilt, loaded through node-gyp-build as `secp256k1` is) when it loads, else viem's (noble, JavaScript). Node's
 * own crypto cannot serve: OpenSSL 3.0 has SHA3-256 but no Keccak-256 (the two differ in padding).
 *
 * The addon is loaded directly (not the package's index, which would fall back to its own JavaScript silently), and
 * one sponge state is reused: a call is synchronous from initialize to squeeze, so no other call can interleave.
 */

/** The addon's sponge (KeccakWidth1600): rate and capacity in bits, absorb any number of times, squeeze once. */
interface NativeKeccakState {
  initialize(rate: number, capacity: number): void;
  absorb(data: Buffer): void;
  squeeze(length: number): Buffer;
}

export type KeccakBackend = 'xkcp' | 'javascript';

/** One way to hash; `native` and `javascript` are both exported so tests hold one against the other. */
export interface Keccak {
  backend: KeccakBackend;
  /** Keccak-256 of `data`: 32 bytes. */
  hash(data: Uint8Array): Uint8Array;
}

const asBuffer = (data: Uint8Array): Buffer => (Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));

export const javascriptKeccak: Keccak = {
  backend: 'javascript',
  hash: (data) => viemKeccak256(data, 'bytes'),
};

function nativeKeccakOf(State: new () => NativeKeccakState): Keccak {
  const state = new State();
  return {
    backend: 'xkcp',
    hash(data) {
      if (!(data instanceof Uint8Array)) throw new TypeError('keccak256: data must be a Uint8Array');
      // Keccak-256: rate 1088, capacity 512, the original 0x01 padding (the addon applies it when squeezing).
      state.initialize(1088, 512);
      state.absorb(asBuffer(data));
      return state.squeeze(32);
    },
  };
}

function loadNative(): { keccak?: Keccak; error?: string } {
  try {
    // node-gyp-build as the package itself resolves it (its own dependency), pointed at the package's folder.
    const pkg = createRequire(import.meta.url).resolve('keccak/package.json');
    const gypBuild = createRequire(pkg)('node-gyp-build') as (dir: string) => unknown;
    const State = gypBuild(dirname(pkg));
    if (typeof State !== 'function') return { error: 'keccak addon did not export its state constructor' };
    const native = nativeKeccakOf(State as new () => NativeKeccakState);
    // Never trust a build blindly: the empty input's digest is known.
    const empty = Buffer.from(native.hash(new Uint8Array(0))).toString('hex');
    if (empty !== 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470') return { error: `keccak addon gave ${empty} for the empty input` };
    return { keccak: native };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

const loaded = loadNative();

/** The XKCP addon, or undefined where it does not load here (`nativeKeccakLoadError` says why). */
export const nativeKeccak: Keccak | undefined = loaded.keccak;
export const nativeKeccakLoadError: string | undefined = loaded.error;

/** What the services use: the addon where it loads, else JavaScript. */
export const keccak: Keccak = nativeKeccak ?? javascriptKeccak;

/** Keccak-256 of bytes as 32 bytes. */
export const keccak256Bytes = (data: Uint8Array): Uint8Array => keccak.hash(data);

/** Keccak-256 of bytes as 0x-prefixed lower-case hex (what viem's `keccak256(bytes)` returns). */
export const keccak256Hex = (data: Uint8Array): Hex => `0x${asBuffer(keccak.hash(data)).toString('hex')}`;
