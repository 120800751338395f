/**
 * What every child process of `npm run bench` shares: it answers the parent's `stats`
 * message with the requests it received and its peak resident memory since the last
 * `stats` (sampled every 50 ms), the CPU time it has used and its heap in use (after a full
 * collection when asked and node runs with --expose-gc), and exits on `stop`.
 */
import type { Server } from 'node:http';
import { recordTimeline, type TimelineSegments } from './benchTimeline.js';

/** `gc`: collect garbage first (node runs with --expose-gc), so that the heap is what is kept. */
export type ChildMessage = { type: 'stats'; gc?: boolean } | { type: 'stop' };
export type ChildReport =
  | { type: 'ready'; url: string; extra?: Record<string, string> }
  | {
      type: 'stats';
      requests: number;
      cpuMicros: number;
      peakRssBytes: number;
      maxRssBytes: number;
      heapUsedBytes: number;
      upstreamCalls?: number;
      /** The upstreams child's calls received, per upstream. */
      upstreamCallsBy?: Record<string, number>;
      /** A server's timeline since the last stats (BENCH_TIMELINE=1; scripts/benchTimeline.ts). */
      timeline?: TimelineSegments;
    };

export function send(report: ChildReport): void {
  process.send!(report);
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Counts `server`'s requests and serves the parent's messages; `stop` runs `close` first. */
export function serveStats(server: Server | undefined, close: () => Promise<void>, upstreamCalls?: () => Record<string, number>): void {
  const timeline = server && process.env.BENCH_TIMELINE === '1' ? recordTimeline() : undefined;
  let requests = 0;
  server?.on('request', () => {
    requests += 1;
  });
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  sampler.unref();
  process.on('message', (message: ChildMessage) => {
    if (message.type === 'stats') {
      peak = Math.max(peak, process.memoryUsage.rss());
      send({
        type: 'stats',
        requests,
        cpuMicros: cpuMicros(),
        peakRssBytes: peak,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        heapUsedBytes: heapUsed(message.gc === true),
        ...(timeline && { timeline: timeline() }),
        ...(upstreamCalls && calls(upstreamCalls())),
      });
      peak = process.memoryUsage.rss();
      return;
    }
    void close().then(() => process.exit(0));
  });
}

function heapUsed(collect: boolean): number {
  if (collect) globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

function calls(by: Record<string, number>): { upstreamCalls: number; upstreamCallsBy: Record<string, number> } {
  return { upstreamCalls: Object.values(by).reduce((sum, n) => sum + n, 0), upstreamCallsBy: by };
}
