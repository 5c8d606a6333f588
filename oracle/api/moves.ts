import { Hono } from 'hono';
import type { MoveService } from '../intake/move-service.js';
import { OracleError } from '../../core/errors.js';

const REF = /^[\x21-\x7e]{1,128}$/;

/** Cross-chain moves signed by custodians: GET shows both legs (POST /v1/moves, which starts one, is the move kind's route: kind-routes.ts). */
export function createMoveRoutes(moves: Pick<MoveService, 'status'>): Hono {
  const app = new Hono();
  app.get('/:ref', async (c) => {
    const ref = c.req.param('ref');
    const did = c.req.query('did');
    if (!did) throw new OracleError('invalid_query', 'did is required', 'did');
    if (!REF.test(ref)) throw new OracleError('invalid_ref', 'ref must be 1..128 printable ASCII characters', 'ref');
    return c.json(await moves.status(did, ref));
  });
  return app;
}
