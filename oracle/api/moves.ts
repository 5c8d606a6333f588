import { Hono } from 'hono';
import { moveRequestSchema, type MoveRequest } from '../../schemas/http.js';
import { parserFor } from '../../schemas/validate.js';
import type { MoveService } from '../intake/move-service.js';
import { OracleError } from '../../core/errors.js';
import { parseOrThrow, readJson } from '../../core/http-body.js';

const parseMove = parserFor<MoveRequest>(moveRequestSchema);
const REF = /^[\x21-\x7e]{1,128}$/;

/** Cross-chain moves signed by custodians: POST starts one (out leg signed at once), GET shows both legs. */
export function createMoveRoutes(moves: MoveService): Hono {
  const app = new Hono();
  app.post('/', async (c) => {
    const r = await moves.submitMove(parseOrThrow(parseMove, await readJson(c)));
    return c.json(r.move, r.created ? 201 : 200);
  });
  app.get('/:ref', async (c) => {
    const ref = c.req.param('ref');
    const did = c.req.query('did');
    if (!did) throw new OracleError(400, 'invalid_query', 'did is required', 'did');
    if (!REF.test(ref)) throw new OracleError(400, 'invalid_ref', 'ref must be 1..128 printable ASCII characters', 'ref');
    return c.json(await moves.status(did, ref));
  });
  return app;
}
