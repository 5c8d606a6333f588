import { Hono } from 'hono';
import { DOC_KINDS, acceptanceRequestSchema, disclosureRequestSchema, fulfilmentRequestSchema, type AcceptanceRequest, type DisclosureRequest, type FulfilmentRequest } from '../../schemas/http.js';
import { DID_PATTERN } from '../../schemas/ids.js';
import { parserFor } from '../../schemas/validate.js';
import type { AcceptanceService } from '../intake/acceptance-service.js';
import type { DisclosureService } from '../intake/disclosure-service.js';
import type { FulfilmentService } from '../intake/fulfilment-service.js';
import type { RedemptionView } from './redemption-view.js';
import { OracleError } from '../../core/errors.js';
import type { AttestationStore } from '../store/attestations.js';
import { attestationView } from './app.js';
import { parseOrThrow, readJson } from '../../core/http-body.js';

const parseFulfilment = parserFor<FulfilmentRequest>(fulfilmentRequestSchema);
const parseDisclosure = parserFor<DisclosureRequest>(disclosureRequestSchema);
const parseAcceptance = parserFor<AcceptanceRequest>(acceptanceRequestSchema);

export interface RedemptionRoutesDeps {
  fulfilments: FulfilmentService;
  acceptances: AcceptanceService;
  disclosures: DisclosureService;
  /** The DID's redemption view; in the oracle, the read side's cached one (oracle/api/read). */
  view: Pick<RedemptionView, 'ofDid'>;
  store: AttestationStore;
}

const didParam = (did: string): string => {
  if (!DID_PATTERN.test(did)) throw new OracleError(400, 'invalid_did', 'not an RWA DID (did:rwa:...)', 'did');
  return did;
};

/**
 * Redemptions and disclosures, mounted under /v1: custodians post acceptances and fulfilments, issuers post disclosures (both answer
 * like settlements: 201 signed, 200 repeat), and anyone reads a DID's stages, requests and disclosures.
 */
export function createRedemptionRoutes(d: RedemptionRoutesDeps): Hono {
  const app = new Hono();
  app.post('/redemptions/fulfilments', async (c) => {
    const r = await d.fulfilments.submit(parseOrThrow(parseFulfilment, await readJson(c)));
    return c.json(attestationView(r.attestation, d.store.deliveriesOf(r.attestation.seq)), r.created ? 201 : 200);
  });
  app.post('/redemptions/acceptances', async (c) => {
    const r = await d.acceptances.submit(parseOrThrow(parseAcceptance, await readJson(c)));
    return c.json(attestationView(r.attestation, d.store.deliveriesOf(r.attestation.seq)), r.created ? 201 : 200);
  });
  app.post('/disclosures', async (c) => {
    const r = await d.disclosures.submit(parseOrThrow(parseDisclosure, await readJson(c)));
    return c.json(attestationView(r.attestation, d.store.deliveriesOf(r.attestation.seq)), r.created ? 201 : 200);
  });
  app.get('/dids/:did/redemptions', async (c) => c.json(await d.view.ofDid(didParam(c.req.param('did')))));
  app.get('/dids/:did/disclosures', (c) => {
    const did = didParam(c.req.param('did'));
    const docKind = c.req.query('docKind');
    if (docKind !== undefined && !(DOC_KINDS as readonly string[]).includes(docKind)) {
      throw new OracleError(400, 'invalid_query', `docKind must be one of ${DOC_KINDS.join(', ')}`, 'docKind');
    }
    return c.json({ did, items: d.disclosures.listOf(did, docKind as DisclosureRequest['docKind'] | undefined) });
  });
  return app;
}
