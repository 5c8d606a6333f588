import { Hono } from 'hono';
import { allowListRequestSchema, pauseRequestSchema, reserveRequestSchema, type AllowListRequest, type PauseRequest, type ReserveRequest } from '../../schemas/http.js';
import { parserFor } from '../../schemas/validate.js';
import type { AdminService } from '../intake/admin-service.js';
import type { AttestationStore } from '../store/attestations.js';
import { attestationView } from './app.js';
import { parseOrThrow, readJson } from '../../core/http-body.js';

const parseReserve = parserFor<ReserveRequest>(reserveRequestSchema);
const parseAllowList = parserFor<AllowListRequest>(allowListRequestSchema);
const parsePause = parserFor<PauseRequest>(pauseRequestSchema);

/** Reserve reports (custodians), allow-list changes and pause orders (issuers): same answers as settlements. */
export function createAdminRoutes(admin: AdminService, store: AttestationStore): Hono {
  const app = new Hono();
  app.post('/reserve', async (c) => {
    const r = await admin.submitReserve(parseOrThrow(parseReserve, await readJson(c)));
    return c.json(attestationView(r.attestation, store.deliveriesOf(r.attestation.seq)), r.created ? 201 : 200);
  });
  app.post('/allowlist', async (c) => {
    const r = await admin.submitAllowList(parseOrThrow(parseAllowList, await readJson(c)));
    return c.json(attestationView(r.attestation, store.deliveriesOf(r.attestation.seq)), r.created ? 201 : 200);
  });
  app.post('/pause', async (c) => {
    const r = await admin.submitPause(parseOrThrow(parsePause, await readJson(c)));
    return c.json(attestationView(r.attestation, store.deliveriesOf(r.attestation.seq)), r.created ? 201 : 200);
  });
  return app;
}
