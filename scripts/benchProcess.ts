/**
 * The parent's handle on one child process of the benches (scripts/benchChild.ts is the other
 * side): ready when it says so, asked for its stats, stopped on request. A child that dies on its
 * own ends the bench, since every figure after that would be wrong.
 *
 * Children run as deployed: from the production build (`dist/`, built here with scripts/ too) with
 * plain node. BENCH_FROM_SOURCE=1 runs them from the TypeScript sources through tsx instead.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { ChildMessage, ChildReport } from './benchChild.js';
import { build } from './build.mjs';

const FROM_SOURCE = process.env.BENCH_FROM_SOURCE === '1';
let built: Promise<number> | undefined;

/** Where the script `name` (scripts/<name>.ts) runs from, and the loader it needs. */
async function childScript(name: string): Promise<{ url: URL; loader: string[] }> {
  if (FROM_SOURCE) return { url: new URL(`./${name}.ts`, import.meta.url), loader: ['--import', 'tsx'] };
  built ??= build({ scripts: true });
  await built;
  return { url: new URL(`../dist/scripts/${name}.js`, import.meta.url), loader: [] };
}

export type Stats = Extract<ChildReport, { type: 'stats' }>;

/** Every child started: killed if the bench itself ends early (an error, a MISS, ^C). */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill();
});

export class Child {
  private readonly waiting: Array<(report: ChildReport) => void> = [];
  private stopping = false;

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    process.on('message', (report: ChildReport) => this.waiting.shift()?.(report));
    running.add(process);
    process.on('exit', (code, signal) => {
      running.delete(process);
      if (code !== 0 && !this.stopping) {
        console.error(`bench: the ${name} child exited with code ${code} (signal ${signal})`);
        globalThis.process.exit(1);
      }
    });
  }

  /** Starts scripts/`script`.ts (from the build, unless BENCH_FROM_SOURCE=1). */
  static async start(name: string, script: string, env: NodeJS.ProcessEnv, execArgv: string[] = []): Promise<{ child: Child; ready: Extract<ChildReport, { type: 'ready' }> }> {
    const { url, loader } = await childScript(script);
    const child = fork(url, [], {
      execArgv: [...loader, ...execArgv],
      env,
      // Logs go nowhere, but are still written: their cost is part of what is measured.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    // A child that dies before it is ready (a configuration error, say) ends the bench at once.
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`${name} exited with code ${String(code)} before it was ready`);
    });
    const [ready] = (await Promise.race([once(child, 'message'), exited])) as [ChildReport];
    exited.catch(() => {});
    if (ready.type !== 'ready') throw new Error(`${name} did not start`);
    return { child: new Child(name, child), ready };
  }

  /** `gc`: the heap after a full collection (the child runs with --expose-gc). */
  stats(gc = false): Promise<Stats> {
    return new Promise((resolve) => {
      this.waiting.push((report) => resolve(report as Stats));
      this.process.send({ type: 'stats', gc } satisfies ChildMessage);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const exited = once(this.process, 'exit');
    this.process.send({ type: 'stop' } satisfies ChildMessage);
    await exited;
  }
}
