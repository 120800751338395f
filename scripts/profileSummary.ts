/**
 * Summarises V8 CPU profiles (`.cpuprofile`, as `node --cpu-prof` and `BENCH_CPU_PROF=dir npm run
 * bench` write them) by self time: per module (a package of node_modules, a file of tokengraph's
 * own, node's internals, V8's garbage collector) and per function, busy time only ("(idle)" is
 * left out), so two servers' profiles of the same requests can be set side by side.
 *
 *   npm run profile:summary -- DIR_OR_FILE... [--top N] [--requests N] [--from S] [--to S]
 *
 * `--requests` divides every figure by the requests the profile covers, to give µs per request;
 * `--from` and `--to` keep only the samples taken that many seconds after the profile began (the
 * measured load, without start-up and warm-up).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives, as a reader of the table would name it. */
export function moduleOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return url;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const own = /\/(src|scripts|dist)\/(.*)$/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

export interface Summary {
  /** Busy time in the profile, µs. */
  busyMicros: number;
  modules: Map<string, number>;
  functions: Map<string, number>;
}

/** Samples taken from `fromS` to `toS` seconds after the profile began (all of them by default). */
export interface Window {
  fromS?: number;
  toS?: number;
}

export function summarise(profile: CpuProfile, window: Window = {}): Summary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  const from = (window.fromS ?? 0) * 1e6;
  const to = (window.toS ?? Infinity) * 1e6;
  let at = 0;
  // timeDeltas[i] is the time before sample i; the time a sample stands for is the next delta.
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]!;
    if (at < from || at >= to) continue;
    const micros = profile.timeDeltas[i + 1] ?? 0;
    selfMicros.set(profile.samples[i]!, (selfMicros.get(profile.samples[i]!) ?? 0) + micros);
  }
  const summary: Summary = { busyMicros: 0, modules: new Map(), functions: new Map() };
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const module = moduleOf(url, functionName);
    const name = `${functionName || '(anonymous)'} ${module}${url ? `:${lineNumber + 1}` : ''}`;
    summary.busyMicros += micros;
    summary.modules.set(module, (summary.modules.get(module) ?? 0) + micros);
    summary.functions.set(name, (summary.functions.get(name) ?? 0) + micros);
  }
  return summary;
}

function profilesIn(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(path, name));
}

function table(title: string, entries: Map<string, number>, busy: number, top: number, requests: number | undefined): string {
  const unit = requests ? 'µs/req' : 'ms';
  const scale = (micros: number) => (requests ? (micros / requests).toFixed(1) : (micros / 1000).toFixed(0));
  const lines = [`| ${title} | self ${unit} | share |`, '| --- | ---: | ---: |'];
  for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`| ${name.replaceAll('|', '\\|')} | ${scale(micros)} | ${((100 * micros) / busy).toFixed(1)}% |`);
  }
  return lines.join('\n');
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!);
if (isMain) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, requests: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } });
  if (positionals.length === 0) {
    console.error('usage: npm run profile:summary -- DIR_OR_FILE... [--top N] [--requests N] [--from S] [--to S]');
    process.exit(2);
  }
  const top = Number(values.top);
  const requests = values.requests === undefined ? undefined : Number(values.requests);
  for (const path of positionals) {
    for (const file of profilesIn(path)) {
      const window = { fromS: values.from === undefined ? undefined : Number(values.from), toS: values.to === undefined ? undefined : Number(values.to) };
      const summary = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, window);
      console.log(`\n${file}: busy ${(summary.busyMicros / 1000).toFixed(0)} ms${requests ? `, ${(summary.busyMicros / requests / 1000).toFixed(2)} ms per request` : ''}\n`);
      console.log(table('module', summary.modules, summary.busyMicros, top, requests));
      console.log();
      console.log(table('function', summary.functions, summary.busyMicros, top, requests));
    }
  }
}
