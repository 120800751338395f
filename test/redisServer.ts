/**
 * A real Redis for the cache tests: `REDIS_TEST_URL` when set, else a `redis-server` of our
 * own on a free loopback port (no persistence), stopped by its PID afterwards. No
 * redis-server is a failure, not a skip: `npm test`'s pretest step installs it
 * (scripts/systemPackages.ts). A test that stops Redis to make an outage happen asks for
 * `{ own: true }`: a shared server (CI's, through REDIS_TEST_URL) is never stopped by `stop()`.
 */
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { closedPort } from './harness.js';

export interface TestRedis {
  url: string;
  /** Deletes every key, between tests. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(options: { own?: boolean } = {}): Promise<TestRedis> {
  const given = options.own ? undefined : process.env.REDIS_TEST_URL;
  const port = given ? undefined : await closedPort();
  const url = given ?? `redis://127.0.0.1:${port}`;
  const child = given
    ? undefined
    : spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  if (child) {
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) => reject(new Error(`redis-server could not be started (is it installed? npm test's pretest step installs it): ${error.message}`)));
    });
  }
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.connect();
      await admin.ping();
      break;
    } catch (error) {
      if (attempt >= 50) throw new Error(`redis at ${url} did not answer: ${String(error)}`);
      admin.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url,
    flush: async () => {
      await admin.flushdb();
    },
    stop: async () => {
      admin.disconnect();
      if (child && child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }
    },
  };
}
