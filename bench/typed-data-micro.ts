/**
 * Microbench of the EIP-712 digest and Keccak-256 (issue 21): ns per call, viem vs core/typed-data-hash.ts and
 * core/keccak.ts. `npx tsx bench/typed-data-micro.ts [iterations]`; noisy on a shared machine, so rounds alternate.
 */
import { hashTypedData, keccak256, type Hex } from 'viem';
import { attestationDomain, attestationTypes } from '../schemas/eip712.js';
import { custodianTypedData } from '../schemas/custodian-messages.js';
import { fastHashTypedData } from '../core/typed-data-hash.js';
import { javascriptKeccak, keccak, nativeKeccak } from '../core/keccak.js';

const ITER = Number(process.argv[2] ?? 20000);
const receiver = '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const;
const h32 = (n: number): Hex => `0x${n.toString(16).padStart(64, '0')}`;

const attestation = {
  domain: attestationDomain(31338n, receiver),
  types: attestationTypes,
  primaryType: 'SettlementAttestation' as const,
  message: { did: h32(1), nonce: 42n, settlementKind: 1, settlementRef: h32(2), investor: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266' as const, amount: 10n ** 21n, cashLegRef: h32(3), settledAt: 1_764_000_000n, peerChainId: 0n },
};
const custodian = custodianTypedData('SettlementProof', { hubChainId: 31337n, registry: receiver }, {
  did: 'did:rwa:fund-1', chainId: 31338, kind: 'subscription', settlementRef: 'SUB-2026-000123', investor: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', amount: '1000000000000000000000', cashLegRef: h32(4), settledAt: 1_764_000_000,
} as never);

function ns(f: () => unknown, n = ITER): number {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) f();
  return Number(process.hrtime.bigint() - t) / n;
}

for (const [label, p] of [['SettlementAttestation', attestation], ['custodian SettlementProof', custodian]] as const) {
  if (fastHashTypedData(p as never) !== hashTypedData(p as never)) throw new Error(`${label}: digests differ`);
  const viem: number[] = [];
  const fast: number[] = [];
  for (let r = 0; r < 4; r++) {
    // ABBA
    if (r % 2 === 0) { viem.push(ns(() => hashTypedData(p as never), ITER / 10)); fast.push(ns(() => fastHashTypedData(p as never))); }
    else { fast.push(ns(() => fastHashTypedData(p as never))); viem.push(ns(() => hashTypedData(p as never), ITER / 10)); }
  }
  const min = (xs: number[]) => Math.min(...xs).toFixed(0);
  console.log(`${label}: viem hashTypedData ${min(viem)} ns, fastHashTypedData ${min(fast)} ns (best of 4)`);
}

console.log(`keccak backend: ${keccak.backend}`);
for (const len of [32, 64, 66, 136, 200]) {
  const data = new Uint8Array(len).fill(7);
  const js: number[] = [];
  const na: number[] = [];
  const vh: number[] = [];
  for (let r = 0; r < 4; r++) {
    js.push(ns(() => javascriptKeccak.hash(data)));
    if (nativeKeccak) na.push(ns(() => nativeKeccak!.hash(data)));
    vh.push(ns(() => keccak256(data)));
  }
  const min = (xs: number[]) => (xs.length ? Math.min(...xs).toFixed(0) : 'n/a');
  console.log(`keccak ${len} B: noble ${min(js)} ns, viem keccak256 (to hex) ${min(vh)} ns, native ${min(na)} ns`);
}
