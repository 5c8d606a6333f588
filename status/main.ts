/** The status page as its own process: `npm run status -- --help`. Ctrl-C stops it. */
import { readDeploymentFile } from '../common/deployment-file.js';
import { createLogger } from '../common/logger.js';
import { ConfigError } from '../common/config-error.js';
import { HELP, parseStatusArgs } from './config.js';
import { startStatusServer } from './server.js';

async function main(): Promise<void> {
  const config = parseStatusArgs(process.argv.slice(2));
  if (config === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const read = readDeploymentFile(config.deploymentPath, '--deployment');
  if (!read.ok) throw new ConfigError(read.message, { cause: read.cause });
  const logger = createLogger('status', config.logLevel);
  const server = await startStatusServer({
    deployment: read.deployment,
    relayerUrl: config.relayerUrl,
    ...(config.oracleUrl ? { oracleUrl: config.oracleUrl } : {}),
    host: config.host,
    port: config.port,
    refreshMs: config.refreshMs,
    timeoutMs: config.timeoutMs,
    logger,
  });
  process.stdout.write(`status page: ${server.url}/\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`status failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
