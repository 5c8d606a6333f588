import { pino, type Logger } from 'pino';

/** One root logger per process; modules take `logger.child({ module })`. JSON lines on stdout. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: ['*.privateKey', '*.key', '*.rpcUrl', 'signature'], censor: '[redacted]' },
  });
}

export type { Logger };
