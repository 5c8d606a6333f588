import { flagHelp, GLOBAL_FLAGS } from './args.js';
import type { Command } from './command.js';
import { COMMANDS, GROUPS } from './commands.js';

const KEYS_NOTE = `Keys: --keystore <file> (password from RWA_KEYSTORE_PASSWORD or a prompt on a terminal) or RWA_PRIVATE_KEY.
Never on the command line: --private-key and the like are refused.`;
const EXIT_NOTE = 'Exit codes: 0 ok, 1 refused by the oracle, relayer or chain, 2 usage error, 3 unreachable.';

const line = (c: Command) => `  rwa ${[...c.path, c.usage ?? ''].join(' ').trim().padEnd(28)} ${c.summary}`;

/** `rwa --help`: every command, one line each. */
export function topHelp(): string {
  return [
    'rwa: the RWA settlement oracle from the command line (custodians, issuers, holders, operators)',
    '',
    'usage: rwa <command> [flags]      rwa <command> --help',
    '',
    ...COMMANDS.map(line),
    '',
    'Global flags:',
    flagHelp(GLOBAL_FLAGS),
    '',
    KEYS_NOTE,
    EXIT_NOTE,
    'Documentation: docs/cli.md',
    '',
  ].join('\n');
}

/** `rwa post --help`: the subcommands of a group. */
export function groupHelp(group: string): string {
  const subs = COMMANDS.filter((c) => c.path[0] === group);
  return [`rwa ${group}: ${GROUPS[group] ?? ''}`, '', `usage: rwa ${group} <${subs.map((c) => c.path[1]).join('|')}> [flags]`, '', ...subs.map(line), ''].join('\n');
}

/** `rwa <command> --help`: usage, flags, details, an example. */
export function commandHelp(c: Command): string {
  return [
    `usage: rwa ${c.path.join(' ')}${c.usage ? ` ${c.usage}` : ''} [flags]`,
    '',
    c.summary,
    ...(c.details ? ['', c.details] : []),
    '',
    'Flags:',
    ...(c.flags.length ? [flagHelp(c.flags)] : ['  (none of its own)']),
    '',
    'Global flags:',
    flagHelp(GLOBAL_FLAGS),
    '',
    `Example: ${c.example}`,
    '',
    EXIT_NOTE,
    '',
  ].join('\n');
}
