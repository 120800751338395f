/**
 * The Debian packages the tests need, checked before every `npm test` (its `pretest` step)
 * and by `.ci/run`, so that `npm install && npm test` is all a fresh machine needs.
 *
 * Everything present: nothing is printed and nothing else runs (no sudo, no apt-get), so the
 * check costs a few dpkg-query calls. Something missing, on a machine that may install it
 * (root, or password-less sudo, and apt-get present): one line, then `apt-get update` and one
 * `apt-get install` of exactly the missing packages, output kept unless it fails. Otherwise:
 * one line on stderr naming them and the command that installs them, and exit 1 before any
 * test runs. Nothing is downloaded except by apt-get.
 *
 * The decision (`ensureSystemPackages`) takes the machine as injected functions, so its tests
 * never probe or change the real one; the functions that do are below it.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SystemPackage {
  /** The Debian package. */
  name: string;
  /** What the tests use it for. */
  usedFor: string;
  /** The commands it provides: the probe where there is no dpkg. */
  commands: readonly string[];
  /** Set (non-empty), this variable points the tests at another one, so the package is not needed. */
  unlessEnv?: string;
}

/** The one list. `.ci/run` and `npm test` both check it through this script. */
export const SYSTEM_PACKAGES: readonly SystemPackage[] = [
  { name: 'chromium', usedFor: 'the browser tests drive it through playwright-core, which never downloads a browser', commands: ['chromium'], unlessEnv: 'CHROMIUM_PATH' },
  { name: 'redis-server', usedFor: 'the cache tests start one on loopback', commands: ['redis-server'], unlessEnv: 'REDIS_TEST_URL' },
  { name: 'prometheus', usedFor: 'the expiry-monitoring tests run its prometheus and promtool', commands: ['prometheus', 'promtool'] },
  // Debian puts initdb and postgres in /usr/lib/postgresql/<version>/bin, off PATH; psql is on it.
  { name: 'postgresql', usedFor: 'the history tests start a PostgreSQL server on loopback (initdb, postgres)', commands: ['psql'] },
];

export interface InstallAccess {
  /** This process is root: apt-get runs as is, and the advice has no `sudo`. */
  root: boolean;
  /** Why apt-get cannot run here; undefined when it can. */
  refusal?: string;
}

export type InstallResult = { ok: true } | { ok: false; output: string };

export interface Machine {
  /** Whether the package is installed. */
  probe(pkg: SystemPackage): boolean;
  /** Asked only when something is missing (it may run `sudo -n true`). */
  canInstall(): InstallAccess;
  install(names: readonly string[], viaSudo: boolean): InstallResult;
  /** A line on stdout. */
  log(line: string): void;
  /** Text on stderr. */
  error(text: string): void;
}

/** Most lines of a failed apt-get's output shown; its errors come last. */
const OUTPUT_TAIL_LINES = 20;

/** The packages needed here: all but those whose tests were pointed elsewhere. */
export function neededPackages(env: NodeJS.ProcessEnv, packages: readonly SystemPackage[] = SYSTEM_PACKAGES): SystemPackage[] {
  return packages.filter((pkg) => !(pkg.unlessEnv && env[pkg.unlessEnv]));
}

/** Checks the packages, installs missing ones when it may; the exit code of the script. */
export function ensureSystemPackages(packages: readonly SystemPackage[], machine: Machine): 0 | 1 {
  const missing = packages.filter((pkg) => !machine.probe(pkg)).map((pkg) => pkg.name);
  if (missing.length === 0) return 0;
  const names = missing.join(' ');
  const access = machine.canInstall();
  const command = `${access.root ? '' : 'sudo '}apt-get install -y ${names}`;
  if (access.refusal !== undefined) {
    machine.error(`tokengraph: the tests need Debian packages that are not installed: ${names}. They cannot be installed from here (${access.refusal}); run: ${command}`);
    return 1;
  }
  machine.log(`tokengraph: installing Debian packages the tests need: ${names} (apt-get)`);
  const result = machine.install(missing, !access.root);
  if (result.ok) return 0;
  const output = tail(result.output.trim(), OUTPUT_TAIL_LINES);
  if (output) machine.error(output);
  machine.error(`tokengraph: apt-get could not install ${names}${output ? ' (its output is above)' : ''}; run: ${command}`);
  return 1;
}

function tail(text: string, lines: number): string {
  const all = text.split('\n');
  return all.length <= lines ? text : [`… (${all.length - lines} lines before)`, ...all.slice(-lines)].join('\n');
}

/**
 * Installed means dpkg says "install ok installed" (a removed package whose configuration
 * files remain is not). Where there is no dpkg-query (not Debian), a package counts as
 * installed when all its commands are on PATH: the tests only run them.
 */
export function isInstalled(pkg: SystemPackage, look: { dpkgStatus(name: string): string | undefined; onPath(command: string): boolean }): boolean {
  const status = look.dpkgStatus(pkg.name);
  return status === undefined ? pkg.commands.every((command) => look.onPath(command)) : status === 'install ok installed';
}

/** The two apt-get runs, as argv. sudo clears the environment, so the variable goes through `env`. */
export function aptGetCommands(names: readonly string[], viaSudo: boolean): string[][] {
  const prefix = [...(viaSudo ? ['sudo', '-n'] : []), 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get'];
  // Without recommends: they add a daemon (prometheus-node-exporter) and desktop packages
  // (upower, a printer dialog, fonts-liberation) that headless tests never use. The whole
  // suite passes on a bare Debian 12 with only these packages and their dependencies.
  return [
    [...prefix, 'update', '-qq'],
    [...prefix, 'install', '-y', '-qq', '--no-install-recommends', ...names],
  ];
}

/** dpkg-query's status of a package: '' when dpkg knows no such package, undefined when there is no dpkg-query. */
function dpkgStatus(name: string): string | undefined {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  if (result.error) return undefined;
  return result.stdout;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function canInstall(): InstallAccess {
  const root = process.getuid?.() === 0;
  if (!onPath('apt-get')) return { root, refusal: 'no apt-get on PATH' };
  if (root) return { root };
  // -n: fail at once rather than ask for a password nobody may be there to type.
  const sudo = onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  return sudo ? { root } : { root, refusal: 'not root, and no password-less sudo' };
}

/**
 * `apt-get update`, then `apt-get install`, output captured. The install runs even when the
 * update failed (an unreachable unrelated source, say): the lists it left may do.
 */
function install(names: readonly string[], viaSudo: boolean): InstallResult {
  const [update, installation] = aptGetCommands(names, viaSudo).map(run);
  return installation!.ok ? { ok: true } : { ok: false, output: `${update!.output}${installation!.output}` };
}

function run([command, ...args]: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command!, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `${result.error.message}\n` : ''}` };
}

const realMachine: Machine = {
  probe: (pkg) => isInstalled(pkg, { dpkgStatus, onPath }),
  canInstall,
  install,
  log: (line) => console.log(line),
  error: (text) => console.error(text),
};

if (process.argv[1] && realpathSync(process.argv[1]) === import.meta.filename) {
  process.exitCode = ensureSystemPackages(neededPackages(process.env), realMachine);
}
