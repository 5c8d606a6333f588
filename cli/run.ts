import { parseArgs, SECRET_FLAG, SECRET_REFUSAL } from './args.js';
import type { Command } from './command.js';
import { COMMANDS, GROUPS } from './commands.js';
import { contextOf, type Io } from './context.js';
import { CliError, errorJson, EXIT, UsageError, type ExitCode } from './errors.js';
import { commandHelp, groupHelp, topHelp } from './help.js';

/** JSON with bigints as decimal strings. */
export const toJson = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2);

/** The command named by the leading words of argv, and the rest of argv. */
function findCommand(argv: readonly string[]): { command: Command; rest: readonly string[] } | { group: string } | undefined {
  const [first, second] = argv;
  const two = COMMANDS.find((c) => c.path.length === 2 && c.path[0] === first && c.path[1] === second);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.path.length === 1 && c.path[0] === first);
  if (one) return { command: one, rest: argv.slice(1) };
  if (first !== undefined && first in GROUPS) return { group: first };
  return undefined;
}

/**
 * Runs one `rwa` invocation and returns its exit code: 0 done, 1 refused (oracle, relayer or chain, with its code),
 * 2 usage, 3 unreachable. Prints text, or one JSON document with --json, on `io.stdout`; errors on `io.stderr`.
 */
export async function runCli(argv: readonly string[], io: Io): Promise<ExitCode> {
  const json = argv.includes('--json');
  const fail = (err: CliError, help?: string): ExitCode => {
    if (json) io.stdout(`${toJson(errorJson(err))}\n`);
    io.stderr(`rwa: ${err.message}\n${help ? `\n${help}` : ''}`);
    return err.exitCode;
  };
  const secret = argv.find((a) => SECRET_FLAG.test(a));
  if (secret) return fail(new UsageError(`${secret.split('=')[0]}: ${SECRET_REFUSAL}`, secret.replace(/^-+/, '').split('=')[0]));
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  if (argv.length === 0 || ((argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') && argv.length <= 2)) {
    if (argv.length === 0) return fail(new UsageError('missing command'), topHelp());
    io.stdout(topHelp());
    return EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) return fail(new UsageError(`unknown command ${argv[0]}`), 'rwa --help lists the commands\n');
  if ('group' in found) {
    if (wantsHelp && (argv.length === 1 || argv[1]?.startsWith('-'))) {
      io.stdout(groupHelp(found.group));
      return EXIT.ok;
    }
    return fail(new UsageError(argv[1] && !argv[1].startsWith('-') ? `unknown command ${found.group} ${argv[1]}` : `missing subcommand of ${found.group}`), groupHelp(found.group));
  }
  const { command, rest } = found;
  try {
    const args = parseArgs(rest, command.flags, command.positionals ?? 0);
    if (args.help) {
      io.stdout(commandHelp(command));
      return EXIT.ok;
    }
    const ctx = contextOf(args, io);
    const out = await command.run(ctx, args);
    io.stdout(ctx.json ? `${toJson(out.json)}\n` : `${out.text}\n`);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CliError) return fail(err, err instanceof UsageError ? `rwa ${command.path.join(' ')} --help for its flags\n` : undefined);
    // A bug, not a refusal: say so plainly, with the stack for a report.
    io.stderr(`rwa: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.refused;
  }
}
