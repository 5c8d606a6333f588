import { RwaError } from './errors.js';

/** A configuration value that cannot be used: the process prints it and exits 1 before doing anything. */
export class ConfigError extends RwaError<'invalid_config'> {
  override readonly name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { code: 'invalid_config', retryable: false, cause: options?.cause });
  }
}

/** A TCP port from the environment variable `name` (the default when unset); a ConfigError otherwise. */
export function tcpPort(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const port = Number(env[name] ?? String(fallback));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`${name}: expected a TCP port`);
  return port;
}
