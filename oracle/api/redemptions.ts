import { Hono } from 'hono';
import { DOC_KINDS, type DisclosureRequest } from '../../schemas/http.js';
import { DID_PATTERN } from '../../schemas/ids.js';
import type { AcceptanceService } from '../intake/acceptance-service.js';
import type { DisclosureService } from '../intake/disclosure-service.js';
import type { FulfilmentService } from '../intake/fulfilment-service.js';
import type { RedemptionView } from './redemption-view.js';
import { OracleError } from '../../core/errors.js';
import type { AttestationStore } from '../store/attestations.js';

export interface RedemptionRoutesDeps {
  fulfilments: FulfilmentService;
  acceptances: AcceptanceService;
  disclosures: DisclosureService;
  /** The DID's redemption view; in the oracle, the read side's cached one (oracle/api/read). */
  view: Pick<RedemptionView, 'ofDid' | 'noticeOf'>;
  store: AttestationStore;
}

const didParam = (did: string): string => {
  if (!DID_PATTERN.test(did)) throw new OracleError('invalid_did', 'not an RWA DID (did:rwa:...)', 'did');
  return did;
};

/**
 * Redemption and disclosure reads, mounted under /v1: anyone reads a DID's stages, requests and disclosures. (The
 * POST routes of acceptances, fulfilments and disclosures are their kinds' routes: kind-routes.ts.)
 */
export function createRedemptionRoutes(d: RedemptionRoutesDeps): Hono {
  const app = new Hono();
  app.get('/dids/:did/redemptions', async (c) => c.json(await d.view.ofDid(didParam(c.req.param('did')))));
  app.get('/dids/:did/notice', async (c) => c.json(await d.view.noticeOf(didParam(c.req.param('did')))));
  app.get('/dids/:did/disclosures', (c) => {
    const did = didParam(c.req.param('did'));
    const docKind = c.req.query('docKind');
    if (docKind !== undefined && !(DOC_KINDS as readonly string[]).includes(docKind)) {
      throw new OracleError('invalid_query', `docKind must be one of ${DOC_KINDS.join(', ')}`, 'docKind');
    }
    return c.json({ did, items: d.disclosures.listOf(did, docKind as DisclosureRequest['docKind'] | undefined) });
  });
  return app;
}
