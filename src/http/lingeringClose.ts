/**
 * How a request refused before its body is read (401, 405, 413, 421) ends: its answer says
 * `Connection: close`, and the connection is closed once the rest of the body has been read and
 * discarded, not as soon as the answer is written. This is the lingering close of Apache and
 * nginx (RFC 9112 §9.6, "Tear-down"). A refusal after the whole body was read (400, 415) has
 * nothing left to read and closes at once.
 *
 * Why not close at once: the client is still writing its body when the answer leaves. A socket
 * closed with unread bytes in its receive buffer, or receiving more after it is closed, makes the
 * kernel answer with a reset, and a reset that reaches the client before it has read the answer
 * throws the answer away: Node's `fetch` (undici) then fails with `EPIPE` or `ECONNRESET` and never
 * sees the 413 or its message. Reading on until the body ends leaves nothing unread, so the close
 * is a plain FIN after the answer.
 *
 * Bounded in size, time and memory: at most `FIXED_LIMITS.discardedBodyBytes` are read (a body
 * declared larger is not waited for at all), each chunk is dropped as it arrives (nothing is
 * buffered), and the request timeout (`TOKENGRAPH_REQUEST_TIMEOUT_MS`, Node's own, counted from
 * the request's start) still cuts a body sent at a trickle. Past either bound the connection is
 * destroyed as before.
 */
import type { ServerResponse } from 'node:http';
import { FIXED_LIMITS } from '../security/limits.js';

/** Call before writing a refusal's answer. */
export function lingeringClose(res: ServerResponse, maxDiscardBytes: number = FIXED_LIMITS.discardedBodyBytes): void {
  res.setHeader('connection', 'close');
  const req = res.req;
  // The whole request is in (a GET, a body read to its end): Node's own close leaves nothing unread.
  if (req.complete) return;
  const socket = req.socket;
  const declared = Number(req.headers['content-length']);
  // A body that would be cut at the bound anyway is not worth reading: close with the answer.
  if (Number.isFinite(declared) && declared > maxDiscardBytes) return;
  let discarded = 0;
  // Whoever was reading the body (graphqlRoute's readBody) stops: from here each chunk is counted and dropped.
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > maxDiscardBytes) socket.destroy();
  });
  req.resume();
  res.once('finish', () => {
    if (req.complete || socket.destroyed) return;
    // For `Connection: close`, Node's server has just called `socket.destroySoon()`: it ends the
    // write side (a FIN after the answer) and destroys the socket once that is flushed, with the
    // body still arriving. Keep the read side open instead, and close once the body has ended.
    socket.removeListener('finish', socket.destroy);
    req.once('end', () => socket.destroySoon());
  });
}
