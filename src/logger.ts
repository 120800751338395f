import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Credentials are never passed to the logger in the first place;
 * the redaction below is a second line of defence for headers that carry them.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'tokengraph' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.accessTokenId'], censor: '[redacted]' },
  });
}
