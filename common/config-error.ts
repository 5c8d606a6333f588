import { RwaError } from './errors.js';

/** A configuration value that cannot be used: the process prints it and exits 1 before doing anything. */
export class ConfigError extends RwaError<'invalid_config'> {
  override readonly name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { code: 'invalid_config', retryable: false, cause: options?.cause });
  }
}
