import { describe, expect, it } from 'vitest';
import { recoverTypedDataAddress, sliceHex, type Address } from 'viem';
import { DEV_COMMITTEE_KEYS } from '../../../schemas/dev-keys.js';
import { batchTypedData } from '../../../schemas/eip712.js';
import { encodeMessage } from '../../../schemas/message.js';
import { settlementAttestation } from '../../../core/attestation.js';
import { verifyBatchProof } from '../../../core/batch-tree.js';
import type { QuorumRequest } from '../../../core/committee-port.js';
import { CHAINS, COMMITTEE, DID_HASH, settlementBody } from '../../../testkit/committee.js';
import { Committee } from './local.js';

const receiver = CHAINS.find((c) => c.chainId === 31338)!.receiver as Address;

async function request(nonce: number): Promise<QuorumRequest> {
  const body = await settlementBody({ settlementRef: `L-${nonce}` });
  return { message: settlementAttestation(body, DID_HASH, BigInt(nonce)), source: { kind: 'settlement', request: body }, destinations: [{ chainId: 31338n, receiver }], signers: COMMITTEE, threshold: 2 };
}

describe('local Committee.signBatch', () => {
  it('seals a round of settlements under one root per chain, signed by the threshold of held keys', async () => {
    const reqs = await Promise.all([1, 2, 3].map(request));
    const out = await new Committee(DEV_COMMITTEE_KEYS).signBatch(reqs);
    const roots = new Set<string>();
    for (const [i, o] of out.entries()) {
      if (!o.ok) throw new Error('expected signatures');
      const batch = o.packed[0]!.batch!;
      roots.add(batch.root);
      expect(verifyBatchProof(batch.root, encodeMessage(reqs[i]!.message), batch.proof)).toBe(true);
      const typed = batchTypedData(31338n, receiver, DID_HASH, batch.root);
      const signers = await Promise.all([0, 1].map((k) => recoverTypedDataAddress({ ...typed, signature: sliceHex(batch.signatures, k * 65, (k + 1) * 65) })));
      expect(signers.every((a) => COMMITTEE.includes(a))).toBe(true);
      expect(BigInt(signers[0]!) < BigInt(signers[1]!)).toBe(true);
    }
    expect(roots.size).toBe(1);
  });

  it('gives a lone proposal no root', async () => {
    const [o] = await new Committee(DEV_COMMITTEE_KEYS).signBatch([await request(1)]);
    expect(o?.ok && o.packed[0]!.batch).toBeUndefined();
  });
});
