/**
 * The parent's handle on one child process of the benches (scripts/benchChild.ts is the other
 * side): started with tsx, ready when it says so, asked for its stats, stopped on request. A child
 * that dies on its own ends the bench, since every figure after that would be wrong.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { ChildMessage, ChildReport } from './benchChild.js';

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

  static async start(name: string, script: string, env: NodeJS.ProcessEnv, execArgv: string[] = []): Promise<{ child: Child; ready: Extract<ChildReport, { type: 'ready' }> }> {
    const child = fork(new URL(script, import.meta.url), [], {
      execArgv: ['--import', 'tsx', ...execArgv],
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
