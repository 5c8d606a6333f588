import type { Hex } from 'viem';
import { rwaRedemptionsAbi } from '../schemas/abi.js';
import { DISCLOSURE_KIND, DOC_KINDS, type DisclosureKindName } from '../schemas/kinds/disclosure.js';
import type { ReaderChain, ReaderContext, ReaderDid } from './context.js';

/**
 * The latest anchored document of one kind. A disclosure (attestation kind 11) anchors a document by its hash: the
 * chain keeps per DID and document kind the latest hash, as-of time and attestation nonce (disclosureOf); the URI is
 * only in the DisclosureAnchored event of that nonce, so it is read from the logs (undefined if the logs before the
 * reader's `fromBlock` were not searched or the node pruned them). A reader checks a document by hashing it the way
 * the issuer did and comparing with `docHash`.
 */
export interface DisclosureView {
  docKind: DisclosureKindName;
  docHash: Hex;
  asOf: bigint;
  nonce: bigint;
  uri: string | undefined;
}

export interface DisclosuresView {
  did: string;
  chainId: number;
  /** One entry per document kind that has a disclosure on the chain, in DOC_KINDS order. */
  documents: DisclosureView[];
  blockNumber: bigint;
}

export async function readDisclosures(ctx: ReaderContext, chain: ReaderChain, did: ReaderDid): Promise<DisclosuresView> {
  const block = await ctx.block(chain);
  const a = await ctx.requireAssets(chain, did, block.number);
  const module = { address: a.redemptions, abi: rwaRedemptionsAbi } as const;
  const latest = await chain.client.multicall({
    contracts: DOC_KINDS.map((k) => ({ ...module, functionName: 'disclosureOf', args: [did.didHash, DISCLOSURE_KIND[k]] }) as const),
    allowFailure: false,
    deployless: true,
    blockNumber: block.number,
  });
  // asOf 0: no document of that kind was ever anchored (a disclosure's asOf must be newer than the last, so > 0).
  const present = DOC_KINDS.flatMap((docKind, i) => {
    const d = latest[i];
    return d === undefined || d.asOf === 0n ? [] : [{ docKind, ...d }];
  });
  if (present.length === 0) return { did: did.did, chainId: chain.chainId, documents: [], blockNumber: block.number };
  const logs = await chain.client.getContractEvents({
    ...module,
    eventName: 'DisclosureAnchored',
    args: { did: did.didHash },
    fromBlock: chain.fromBlock,
    toBlock: block.number,
  });
  const uriOf = new Map(logs.map((l) => [`${l.args.docKind}:${l.args.nonce}`, l.args.uri]));
  const documents = present.map(({ docKind, docHash, asOf, nonce }) => ({ docKind, docHash, asOf, nonce, uri: uriOf.get(`${DISCLOSURE_KIND[docKind]}:${nonce}`) }));
  return { did: did.did, chainId: chain.chainId, documents, blockNumber: block.number };
}
