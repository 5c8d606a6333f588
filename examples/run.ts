/**
 * What the examples share: the command line, one `key=value` line per fact (easy to read, easy to grep), and the
 * reader's typed errors printed with their code and chain before exiting 1.
 */
import { SdkError } from '../sdk/index.js';

export type Printable = bigint | number | boolean | string | undefined | null | readonly string[];

/** Prints `key=value ...` on one line; undefined and null print as `-`, lists joined by commas. */
export function line(fields: Readonly<Record<string, Printable>>): void {
  const text = Object.entries(fields)
    .map(([k, v]) => `${k}=${v === undefined || v === null ? '-' : Array.isArray(v) ? v.join(',') || '-' : String(v)}`)
    .join(' ');
  process.stdout.write(`${text}\n`);
}

/** The positional arguments, or the usage line and exit 2 when fewer than `required` are given. */
export function args(usage: string, required: number): string[] {
  const a = process.argv.slice(2);
  if (a.length < required || a.includes('--help')) {
    process.stderr.write(`usage: ${usage}\n`);
    process.exit(a.includes('--help') ? 0 : 2);
  }
  return a;
}

/** Runs an example; an SDK error prints as one `error=<code>` line with its details, anything else as a message. */
export function run(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof SdkError) {
      const details = Object.entries(err.details).map(([k, v]) => `${k}=${String(v)}`).join(' ');
      process.stderr.write(`error=${err.code} ${details} message="${err.message}"\n`);
    } else {
      process.stderr.write(`error=unexpected message="${err instanceof Error ? err.message : String(err)}"\n`);
    }
    process.exit(1);
  });
}
