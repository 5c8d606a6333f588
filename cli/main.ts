/** `rwa`: the command line of the RWA settlement oracle (bin: cli/bin/rwa.mjs; `npm run rwa -- <command>`). */
import { runCli } from './run.js';
import { processIo } from './io.js';

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`rwa: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
