/**
 * Calls `onLine` with each complete line a child process writes to `stream` (its stdout), as the
 * line ends: how the tests that start tokengraph processes read their JSON log lines.
 */
import type { Readable } from 'node:stream';

export function onLines(stream: Readable, onLine: (line: string) => void): void {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) onLine(line);
  });
}
