import { UsageError } from './errors.js';

/** One flag a command takes: a value (`--chain spoke-a`, `--chain=spoke-a`), a switch (`--json`) or a list (repeatable). */
export interface FlagSpec {
  readonly name: string;
  readonly kind: 'value' | 'switch' | 'list';
  readonly description: string;
  /** How the value is shown in help (`--chain <name|id>`). */
  readonly placeholder?: string;
}

export interface ParsedArgs {
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

/** Flags that would put a secret on the command line (shell history, `ps`): refused by name, whatever the command. */
export const SECRET_FLAG = /^-{1,2}(private[-_]?key|privkey|pk|key|secret|mnemonic|password|passphrase)(=.*)?$/i;

export const SECRET_REFUSAL =
  'keys and passwords are never taken on the command line (shell history, ps): use --keystore <file> with RWA_KEYSTORE_PASSWORD (or the prompt), or set RWA_PRIVATE_KEY';

/** The flags every command takes, after its own. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'json', kind: 'switch', description: 'print one JSON document instead of text' },
  { name: 'oracle', kind: 'value', placeholder: 'url', description: 'oracle base URL [RWA_ORACLE_URL, http://127.0.0.1:8080]' },
  { name: 'relayer', kind: 'value', placeholder: 'url', description: 'relayer base URL [RWA_RELAYER_URL, http://127.0.0.1:8090]' },
  { name: 'deployment', kind: 'value', placeholder: 'file', description: 'deployment file [RWA_DEPLOYMENT, data/deployment.json]' },
  { name: 'help', kind: 'switch', description: 'show this help' },
];

/**
 * Parses a command's arguments against its flags and the global ones: `--name value`, `--name=value`, switches,
 * repeatable lists, `--` ends the flags. Throws UsageError on an unknown flag, a missing value, a secret flag, or more
 * positionals than `maxPositionals`.
 */
export function parseArgs(argv: readonly string[], flags: readonly FlagSpec[], maxPositionals: number): ParsedArgs {
  const known = new Map([...flags, ...GLOBAL_FLAGS].map((f) => [f.name, f]));
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (SECRET_FLAG.test(arg)) throw new UsageError(`${arg.split('=')[0]}: ${SECRET_REFUSAL}`, arg.replace(/^-+/, '').split('=')[0]);
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-' && !/^-\d/.test(arg)) throw new UsageError(`unknown flag ${arg}`, arg.replace(/^-+/, ''));
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = known.get(name);
    if (!spec) throw new UsageError(`unknown flag --${name}`, name);
    if (spec.kind === 'switch') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`, name);
      if (name === 'help') help = true;
      else switches.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UsageError(`--${name} needs a value${spec.placeholder ? ` (<${spec.placeholder}>)` : ''}`, name);
      i++;
    }
    if (spec.kind === 'list') lists.set(name, [...(lists.get(name) ?? []), value]);
    else if (values.has(name)) throw new UsageError(`--${name} given twice`, name);
    else values.set(name, value);
  }
  if (!help && positionals.length > maxPositionals) throw new UsageError(`unexpected argument ${positionals[maxPositionals]}`);
  return { values, switches, lists, positionals, help };
}

/** A flag's value or a usage error naming it. */
export function required(args: ParsedArgs, name: string): string {
  const v = args.values.get(name);
  if (v === undefined || v === '') throw new UsageError(`missing --${name}`, name);
  return v;
}

/** An integer flag within [min, max], or its default when absent. */
export function intFlag(args: ParsedArgs, name: string, range: { min: number; max: number; fallback?: number }): number {
  const raw = args.values.get(name);
  if (raw === undefined) {
    if (range.fallback === undefined) throw new UsageError(`missing --${name}`, name);
    return range.fallback;
  }
  const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) throw new UsageError(`--${name}: expected an integer from ${range.min} to ${range.max}, got ${raw}`, name);
  return n;
}

/** The usage block of a command's flags, aligned. */
export function flagHelp(flags: readonly FlagSpec[]): string {
  const left = (f: FlagSpec) => `--${f.name}${f.kind === 'switch' ? '' : ` <${f.placeholder ?? 'value'}>`}${f.kind === 'list' ? ' ...' : ''}`;
  const width = Math.max(...flags.map((f) => left(f).length));
  return flags.map((f) => `  ${left(f).padEnd(width)}  ${f.description}`).join('\n');
}
