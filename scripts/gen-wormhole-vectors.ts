/**
 * Writes schemas/wormhole-vectors.json: VAAs v1 built and signed by the relayer's Wormhole code (the SDK's
 * serialisation), which contracts/test/wormhole/WormholeGoldenVectors.t.sol delivers to RwaWormholeReceiver.
 * `--check` fails when the committed file is stale.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { keccak256, numberToHex, pad, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { DEV_WORMHOLE_GUARDIAN_KEYS } from '../schemas/dev-keys.js';
import { wormholeChainId } from '../schemas/ids.js';
import { buildVaa, encodeAttestationPayload, guardianSignersFor, serializeVaa, signVaa, vaaDigest, type Observation } from '../relayer/transports/wormhole/vaa.js';

const target = join(import.meta.dirname, '..', 'schemas', 'wormhole-vectors.json');

interface VectorSpec {
  name: string;
  guardianKeys: readonly Hex[];
  guardianSetIndex: number;
  observation: Observation;
  destinationChainId: bigint;
  message: Hex;
  signatures: Hex;
}

/** A mainnet-sized set from public labels (test vectors only). */
const NINETEEN: readonly Hex[] = Array.from({ length: 19 }, (_, i) => keccak256(stringToBytes(`rwa-oracle vector guardian ${i}`)));
const EMITTER: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3';

const specs: VectorSpec[] = [
  {
    name: 'dev set, 3 of 4, settlement-sized message',
    guardianKeys: DEV_WORMHOLE_GUARDIAN_KEYS,
    guardianSetIndex: 0,
    observation: { emitterChainId: wormholeChainId(2), emitter: EMITTER, sequence: 0n, nonce: 4, consistencyLevel: 200, timestamp: 1_767_225_600, payload: '0x' },
    destinationChainId: 31_338n,
    message: `0x0101${'ab'.repeat(173)}`,
    signatures: `0x${'cd'.repeat(130)}`,
  },
  {
    name: '19 guardians, 13 of 19, set index 4, empty signatures',
    guardianKeys: NINETEEN,
    guardianSetIndex: 4,
    observation: { emitterChainId: wormholeChainId(10002), emitter: EMITTER, sequence: 2n ** 40n + 7n, nonce: 0xffff_ffff, consistencyLevel: 1, timestamp: 1_767_225_601, payload: '0x' },
    destinationChainId: 8453n,
    message: '0x0102',
    signatures: '0x',
  },
];

function render(): string {
  const vectors = specs.map((s) => {
    const payload = encodeAttestationPayload({ destinationChainId: s.destinationChainId, message: s.message, signatures: s.signatures });
    const guardians = s.guardianKeys.map((k) => privateKeyToAddress(k));
    const unsigned = buildVaa({ ...s.observation, payload }, s.guardianSetIndex);
    const vaa = signVaa(unsigned, guardianSignersFor(s.guardianKeys, guardians), guardians.length);
    return {
      name: s.name,
      vaa: serializeVaa(vaa),
      vaaHash: vaaDigest(vaa),
      guardianSetIndex: s.guardianSetIndex,
      guardians,
      signatureCount: vaa.signatures.length,
      emitterChainId: s.observation.emitterChainId,
      emitterAddress: pad(s.observation.emitter, { size: 32 }),
      sequence: numberToHex(s.observation.sequence, { size: 8 }),
      nonce: s.observation.nonce,
      consistencyLevel: s.observation.consistencyLevel,
      timestamp: s.observation.timestamp,
      destinationChainId: Number(s.destinationChainId),
      message: s.message,
      signatures: s.signatures,
    };
  });
  return `${JSON.stringify({ count: vectors.length, vectors }, null, 2)}\n`;
}

const rendered = render();
if (process.argv.includes('--check')) {
  if (!existsSync(target) || readFileSync(target, 'utf8') !== rendered) {
    console.error('schemas/wormhole-vectors.json is stale: run `npm run gen:wormhole-vectors` and commit it');
    process.exit(1);
  }
} else {
  writeFileSync(target, rendered);
  console.log(`wrote ${target}`);
}
