/** A configuration value that cannot be used: the process prints it and exits 1 before doing anything. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
