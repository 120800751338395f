import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Credentials are never passed to the logger in the first place;
 * the redaction below is a second line of defence for headers that carry them.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'tokengraph' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.accessTokenId'], censor: '[redacted]' },
  };
  // A destination is for tests that read the log; production writes to stdout.
  return destination ? pino(options, destination) : pino(options);
}
