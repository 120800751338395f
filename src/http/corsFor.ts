/**
 * CORS for `/graphql`, by the `cors` package: off (no headers, preflights refused with 405)
 * unless origins are configured. The check resolves `true` when it answered the request itself
 * (a preflight); preflights need no key, as browsers send them without one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';

export function corsFor(origins: string[], forwardHeaders: string[]): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  if (origins.length === 0) return async () => false;
  const middleware = cors({
    origin: origins,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'accept', 'apollo-require-preflight', 'x-apollo-operation-name', ...forwardHeaders],
    maxAge: 600,
  });
  return (req, res) =>
    new Promise((resolve, reject) => {
      middleware(req, res, (error?: unknown) => (error ? reject(error) : resolve(false)));
      if (res.writableEnded) resolve(true);
    });
}
