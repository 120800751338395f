/**
 * What every child process of `npm run bench` shares: it answers the parent's `stats`
 * message with the requests it received, its peak resident memory, peak heap in use and peak
 * old generation since the last `stats` (sampled every 50 ms), the CPU time it has used and its
 * heap in use (after a full collection when asked and node runs with --expose-gc), and exits on
 * `stop`.
 */
import type { Server } from 'node:http';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
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
      /** The most heap in use at any sample since the last stats, garbage not yet collected included. */
      peakHeapBytes: number;
      /**
       * The most heap in use outside the young generation at any sample since the last stats: what
       * survived two scavenges. Short-lived garbage (up to the semi-spaces' size) never gets here;
       * what a process keeps does.
       */
      peakOldBytes: number;
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
  let peakHeap = heapInUse();
  let peakOld = oldInUse();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, heapInUse());
    peakOld = Math.max(peakOld, oldInUse());
  }, 50);
  sampler.unref();
  process.on('message', (message: ChildMessage) => {
    if (message.type === 'stats') {
      peak = Math.max(peak, process.memoryUsage.rss());
      peakHeap = Math.max(peakHeap, heapInUse());
      peakOld = Math.max(peakOld, oldInUse());
      send({
        type: 'stats',
        requests,
        cpuMicros: cpuMicros(),
        peakRssBytes: peak,
        peakHeapBytes: peakHeap,
        peakOldBytes: peakOld,
        maxRssBytes: process.resourceUsage().maxRSS * 1024,
        heapUsedBytes: heapUsed(message.gc === true),
        ...(timeline && { timeline: timeline() }),
        ...(upstreamCalls && calls(upstreamCalls())),
      });
      peak = process.memoryUsage.rss();
      peakHeap = heapInUse();
      peakOld = oldInUse();
      return;
    }
    void close().then(() => process.exit(0));
  });
}

/** The heap in use now, cheaply (no RSS read): what the sampler records. */
function heapInUse(): number {
  return getHeapStatistics().used_heap_size;
}

/** The heap in use outside the young generation (new space and its large objects). */
function oldInUse(): number {
  return getHeapSpaceStatistics().reduce((sum, space) => (space.space_name.startsWith('new_') ? sum : sum + space.space_used_size), 0);
}

function heapUsed(collect: boolean): number {
  if (collect) globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

function calls(by: Record<string, number>): { upstreamCalls: number; upstreamCallsBy: Record<string, number> } {
  return { upstreamCalls: Object.values(by).reduce((sum, n) => sum + n, 0), upstreamCallsBy: by };
}
