import { Hono } from 'hono';
import type { Address } from 'viem';
import { DID_PATTERN } from '../../schemas/ids.js';
import type { RegistryMembersPort, RegistryPort } from '../../core/chain/registry.js';
import { didDocument } from './did-document.js';
import { OracleError } from '../../core/errors.js';
import { registeredDid } from '../../core/guards.js';
import type { SignerExpiryWatch } from '../mirror/signer-expiry.js';

export interface DidRoutesDeps {
  registry: Pick<RegistryPort, 'getDid'>;
  members: RegistryMembersPort;
  hubChainId: bigint;
  registryAddress: Address;
  /** Published service endpoint; undefined: the origin the request came in on. */
  publicUrl: string | undefined;
  /** When signer sets end (oracle/mirror/signer-expiry.ts); absent: the document shows the registry's end only. */
  signerSets?: Pick<SignerExpiryWatch, 'view'>;
}

/** GET /:did -> the DID's W3C DID document, read from the hub registry (state and events). */
export function createDidRoutes(deps: DidRoutesDeps): Hono {
  const app = new Hono();
  app.get('/:did', async (c) => {
    const did = c.req.param('did');
    if (!DID_PATTERN.test(did)) throw new OracleError('invalid_did', 'not an RWA DID (did:rwa:...)', 'did');
    const { hash, record } = await registeredDid(deps.registry, did);
    const [custodians, navPublishers] = await Promise.all([deps.members.custodiansOf(hash), deps.members.navPublishersOf(hash)]);
    const doc = didDocument({
      did,
      didHash: hash,
      record,
      custodians,
      navPublishers,
      hubChainId: deps.hubChainId,
      registry: deps.registryAddress,
      serviceUrl: deps.publicUrl ?? new URL(c.req.url).origin,
      governance: deps.signerSets?.view().governance ?? [],
    });
    return c.body(JSON.stringify(doc), 200, { 'content-type': 'application/did+ld+json' });
  });
  return app;
}
