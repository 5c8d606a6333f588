import { hashStruct, hashTypedData, domainSeparator, keccak256, stringToBytes, type Hex } from 'viem';
import { attestationDomain, attestationTypes } from './eip712.js';
import { attestationTypedMessage, encodeMessage, type AttestationMessage } from './message.js';
import type { DidHash } from './ids.js';

/**
 * Golden vectors: messages encoded by the TypeScript codec with their EIP-712 struct hashes and digests.
 * contracts/test/GoldenVectors.t.sol decodes the same bytes with the Solidity codec and must reach the same hashes.
 * Regenerate with `npm run gen:vectors`; `npm run check` fails if schemas/vectors.json is stale.
 */
export const VECTOR_CHAIN_ID = 31338n;
export const VECTOR_RECEIVER = '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const;

const did = keccak256(stringToBytes('did:rwa:demo:ustb-2027')) as DidHash;

export const VECTOR_MESSAGES: readonly AttestationMessage[] = [
  {
    kind: 'settlement',
    did,
    nonce: 1n,
    settlementKind: 'subscription',
    settlementRef: keccak256(stringToBytes('SETTLE-0001')),
    investor: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
    amount: 1_000_000_000n,
    cashLegRef: keccak256(stringToBytes('wire 0001')),
    settledAt: 1_764_000_000n,
    peerChainId: 0n,
  },
  {
    kind: 'settlement',
    did,
    nonce: 18_446_744_073_709_551_615n,
    settlementKind: 'redemption',
    settlementRef: keccak256(stringToBytes('SETTLE-max')),
    investor: '0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF',
    amount: (1n << 256n) - 1n,
    cashLegRef: `0x${'ff'.repeat(32)}`,
    settledAt: 18_446_744_073_709_551_615n,
    peerChainId: 0n,
  },
  {
    kind: 'settlement',
    did,
    nonce: 3n,
    settlementKind: 'moveOut',
    settlementRef: keccak256(stringToBytes('MOVE-0001')),
    investor: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
    amount: 5n,
    cashLegRef: `0x${'00'.repeat(32)}`,
    settledAt: 1_764_000_100n,
    peerChainId: 31339n,
  },
  { kind: 'nav', did, nonce: 2n, nav: 100_250_000n, asOf: 1_764_000_000n },
  { kind: 'nav', did, nonce: 256n, nav: (1n << 192n) - 1n, asOf: 1n },
  {
    kind: 'config',
    did,
    nonce: 4n,
    threshold: 2,
    navDecimals: 8,
    tokenDecimals: 6,
    heartbeat: 93_600,
    maxNavMoveBps: 500,
    signers: ['0x1000000000000000000000000000000000000001', '0x2000000000000000000000000000000000000002', '0x3000000000000000000000000000000000000003'],
    name: 'Demo US Treasury Bill Fund 2027',
    symbol: 'dUSTB',
  },
  {
    kind: 'allowlist',
    did,
    nonce: 5n,
    entries: [
      { account: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', allowed: true },
      { account: '0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65', allowed: false },
    ],
  },
  { kind: 'pause', did, nonce: 6n, paused: true },
  {
    kind: 'reserve',
    did,
    nonce: 7n,
    reserve: 3_000_000_000_000n,
    asOf: 1_764_000_200n,
    caps: [
      { chainId: 31337n, cap: 1_000_000_000_000n, ceiling: 900_000_000_000n },
      { chainId: 31338n, cap: 1_000_000_000_000n, ceiling: 1_000_000_000_000n },
      { chainId: 31339n, cap: 1_000_000_000_000n, ceiling: 0n },
    ],
  },
  {
    kind: 'redemptionRequest',
    did,
    nonce: 8n,
    chainId: 31338n,
    requestId: 1n,
    owner: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
    amount: 25_000_000_000n,
    requestedAt: 1_764_000_300n,
    poolSupply: 2_000_000_000_000n,
  },
  {
    kind: 'redemptionRequest',
    did,
    nonce: 18_446_744_073_709_551_615n,
    chainId: 18_446_744_073_709_551_615n,
    requestId: 18_446_744_073_709_551_615n,
    owner: '0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF',
    amount: (1n << 256n) - 1n,
    requestedAt: 18_446_744_073_709_551_615n,
    poolSupply: (1n << 256n) - 1n,
  },
  { kind: 'redemptionStage', did, nonce: 9n, stage: 'B', stageSeq: 1n, since: 1_764_000_300n, reason: 'threshold', dayRequested: 25_000_000_000n, poolSupply: 2_000_000_000_000n },
  { kind: 'redemptionStage', did, nonce: 10n, stage: 'C', stageSeq: 2n, since: 1_764_000_400n, reason: 'emergency', dayRequested: 0n, poolSupply: 0n },
  { kind: 'redemptionPolicy', did, nonce: 11n, stageBBps: 100, stageCBps: 300, instalments: 7, windowSeconds: 604_800, emergency: false },
  { kind: 'redemptionPolicy', did, nonce: 12n, stageBBps: 10_000, stageCBps: 10_000, instalments: 255, windowSeconds: 4_294_967_295, emergency: true },
  {
    kind: 'redemptionFulfilment',
    did,
    nonce: 13n,
    requestId: 1n,
    settlementRef: keccak256(stringToBytes('REDEEM-0001')),
    amount: 3_571_428_571n,
    cashLegRef: keccak256(stringToBytes('wire 0002')),
    settledAt: 1_764_000_500n,
  },
  {
    kind: 'disclosure',
    did,
    nonce: 14n,
    docKind: 'auditReport',
    docHash: keccak256(stringToBytes('audit report 2026')),
    asOf: 1_764_000_600n,
    uri: 'https://issuer.example/disclosures/audit-2026.pdf',
  },
  { kind: 'disclosure', did, nonce: 15n, docKind: 'incidentNotice', docHash: `0x${'00'.repeat(32)}`, asOf: 1n, uri: '' },
  // Transport quorum (kind 12): 2 of {cctp, ccip, wormhole}; 1 of {ccip, wormhole}; back to ungated on a max chain id.
  { kind: 'transportQuorum', did, nonce: 16n, chainId: 31338n, k: 2, transports: 7 },
  { kind: 'transportQuorum', did, nonce: 17n, chainId: 31339n, k: 1, transports: 6 },
  { kind: 'transportQuorum', did, nonce: 18_446_744_073_709_551_615n, chainId: 18_446_744_073_709_551_615n, k: 0, transports: 0 },
  // Redemption acceptance (kind 13): a typical one and one with every field at its maximum.
  { kind: 'redemptionAcceptance', did, nonce: 19n, requestId: 1n, owner: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', amount: 25_000_000_000n, acceptedAt: 1_764_000_700n },
  {
    kind: 'redemptionAcceptance',
    did,
    nonce: 18_446_744_073_709_551_614n,
    requestId: 18_446_744_073_709_551_615n,
    owner: '0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF',
    amount: (1n << 256n) - 1n,
    acceptedAt: 18_446_744_073_709_551_615n,
  },
  // The in leg of MOVE-0001 (settlement kind 4), then its ends (kinds 15 void on the to-chain, 16 return on the
  // from-chain), and a return with every field at its maximum.
  {
    kind: 'settlement',
    did,
    nonce: 20n,
    settlementKind: 'moveIn',
    settlementRef: keccak256(stringToBytes('MOVE-0001')),
    investor: '0x90F79bf6EB2c4f870365E785982E1f101E93b906',
    amount: 5n,
    cashLegRef: `0x${'00'.repeat(32)}`,
    settledAt: 1_764_000_800n,
    peerChainId: 31337n,
  },
  { kind: 'moveVoid', did, nonce: 21n, moveRef: keccak256(stringToBytes('MOVE-0001')), investor: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', amount: 5n, peerChainId: 31337n },
  { kind: 'moveReturn', did, nonce: 22n, moveRef: keccak256(stringToBytes('MOVE-0001')), investor: '0x90F79bf6EB2c4f870365E785982E1f101E93b906', amount: 5n, peerChainId: 31339n },
  {
    kind: 'moveReturn',
    did,
    nonce: 18_446_744_073_709_551_615n,
    moveRef: `0x${'ff'.repeat(32)}`,
    investor: '0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF',
    amount: (1n << 256n) - 1n,
    peerChainId: 18_446_744_073_709_551_615n,
  },
  // Brakes (kind 14): a typical one (both buckets, 2-of-3 below the line, 3 above), one lifting every brake, and one
  // with every field at its maximum.
  {
    kind: 'brakes',
    did,
    nonce: 23n,
    chainId: 31338n,
    mintCapacity: 1_000_000_000_000n,
    mintRefillPerSecond: 11_574_074n,
    burnCapacity: 500_000_000_000n,
    burnRefillPerSecond: 5_787_037n,
    largeAmount: 250_000_000_000n,
    largeThreshold: 3,
  },
  { kind: 'brakes', did, nonce: 24n, chainId: 31339n, mintCapacity: 0n, mintRefillPerSecond: 0n, burnCapacity: 0n, burnRefillPerSecond: 0n, largeAmount: 0n, largeThreshold: 0 },
  {
    kind: 'brakes',
    did,
    nonce: 18_446_744_073_709_551_615n,
    chainId: 18_446_744_073_709_551_615n,
    mintCapacity: (1n << 128n) - 1n,
    mintRefillPerSecond: (1n << 128n) - 1n,
    burnCapacity: (1n << 128n) - 1n,
    burnRefillPerSecond: (1n << 128n) - 1n,
    largeAmount: (1n << 128n) - 1n,
    largeThreshold: 255,
  },
];

export interface Vector {
  kind: string;
  message: Hex;
  structHash: Hex;
  digest: Hex;
}

export function buildVectors() {
  const domain = attestationDomain(VECTOR_CHAIN_ID, VECTOR_RECEIVER);
  const vectors: Vector[] = VECTOR_MESSAGES.map((m) => {
    const typed = attestationTypedMessage(m);
    const args = { domain, types: attestationTypes, primaryType: typed.primaryType, message: typed.message } as Parameters<typeof hashTypedData>[0];
    return {
      kind: m.kind,
      message: encodeMessage(m),
      structHash: hashStruct({ data: typed.message, primaryType: typed.primaryType, types: attestationTypes } as Parameters<typeof hashStruct>[0]),
      digest: hashTypedData(args),
    };
  });
  return {
    chainId: Number(VECTOR_CHAIN_ID),
    receiver: VECTOR_RECEIVER,
    domainSeparator: domainSeparator({ domain }),
    count: vectors.length,
    vectors,
  };
}
