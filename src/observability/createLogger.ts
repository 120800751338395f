import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  /** Human-readable lines (pino-pretty) instead of JSON: demo mode, where a person reads them. */
  pretty?: boolean;
  /** Where JSON lines go instead of stdout: for tests that read the log. */
  destination?: DestinationStream;
}

/**
 * Structured JSON logs. Credentials are never passed to the logger in the first place;
 * the redaction below is a second line of defence for headers that carry them.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const settings = {
    level,
    base: { service: 'tokengraph' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.accessTokenId'], censor: '[redacted]' },
  };
  if (options.destination) return pino(settings, options.destination);
  // Asynchronous writes: a burst of request lines goes out in one write, off the request path.
  if (!options.pretty) return pino(settings, pino.destination({ dest: 1, sync: false }));
  // A synchronous stream in this process (no worker thread): demo mode is not about throughput.
  return pino(settings, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', singleLine: true, sync: true }));
}
