import type { FlagSpec, ParsedArgs } from './args.js';
import type { Context, Output } from './context.js';

/** One `rwa` command: its words (`['redeem', 'request']`), help, flags and what it does. */
export interface Command {
  readonly path: readonly string[];
  readonly summary: string;
  /** The positional part of its usage line, e.g. `<attestationId>`. */
  readonly usage?: string;
  readonly positionals?: number;
  readonly flags: readonly FlagSpec[];
  /** Longer help below the usage line. */
  readonly details?: string;
  readonly example: string;
  run(ctx: Context, args: ParsedArgs): Promise<Output>;
}

export const DID_FLAG: FlagSpec = { name: 'did', kind: 'value', placeholder: 'did', description: "the DID (default: the deployment's first DID)" };
