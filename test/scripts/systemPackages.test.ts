import { describe, expect, it, vi } from 'vitest';
import {
  SYSTEM_PACKAGES,
  aptGetCommands,
  ensureSystemPackages,
  isInstalled,
  neededPackages,
  type InstallAccess,
  type InstallResult,
  type Machine,
  type SystemPackage,
} from '../../scripts/systemPackages.js';

const chromium: SystemPackage = { name: 'chromium', usedFor: 'browser tests', commands: ['chromium'] };
const redis: SystemPackage = { name: 'redis-server', usedFor: 'cache tests', commands: ['redis-server'] };
const prometheus: SystemPackage = { name: 'prometheus', usedFor: 'expiry monitoring', commands: ['prometheus', 'promtool'] };
const ALL = [chromium, redis, prometheus];

/** A machine where `installed` are installed, with everything it was asked and said recorded. */
function fakeMachine(installed: string[], access: InstallAccess, result: InstallResult = { ok: true }) {
  const out: string[] = [];
  const err: string[] = [];
  const machine = {
    probe: vi.fn((pkg: SystemPackage) => installed.includes(pkg.name)),
    canInstall: vi.fn(() => access),
    install: vi.fn((_names: readonly string[], _viaSudo: boolean) => result),
    log: (line: string) => out.push(line),
    error: (text: string) => err.push(text),
  } satisfies Machine;
  return { machine, out, err };
}

describe('ensureSystemPackages', () => {
  it('does nothing and says nothing when every package is installed', () => {
    const { machine, out, err } = fakeMachine(['chromium', 'redis-server', 'prometheus'], { root: true });
    expect(ensureSystemPackages(ALL, machine)).toBe(0);
    expect(machine.probe).toHaveBeenCalledTimes(3);
    // Not even the sudo check runs: a present machine pays for the probes only.
    expect(machine.canInstall).not.toHaveBeenCalled();
    expect(machine.install).not.toHaveBeenCalled();
    expect([out, err]).toEqual([[], []]);
  });

  it.each([
    ['as root', { root: true }, false],
    ['through password-less sudo', { root: false }, true],
  ])('installs exactly the missing packages, once, %s', (_, access, viaSudo) => {
    const { machine, out, err } = fakeMachine(['redis-server'], access);
    expect(ensureSystemPackages(ALL, machine)).toBe(0);
    expect(machine.install.mock.calls).toEqual([[['chromium', 'prometheus'], viaSudo]]);
    expect(out).toEqual(['tokengraph: installing Debian packages the tests need: chromium prometheus (apt-get)']);
    expect(err).toEqual([]);
  });

  it.each([
    [
      'not root, no password-less sudo',
      { root: false, refusal: 'not root, and no password-less sudo' },
      'tokengraph: the tests need Debian packages that are not installed: chromium prometheus. They cannot be installed from here (not root, and no password-less sudo); run: sudo apt-get install -y chromium prometheus',
    ],
    [
      'root without apt-get',
      { root: true, refusal: 'no apt-get on PATH' },
      'tokengraph: the tests need Debian packages that are not installed: chromium prometheus. They cannot be installed from here (no apt-get on PATH); run: apt-get install -y chromium prometheus',
    ],
  ])('stops with one line naming the packages and the command when it cannot install (%s)', (_, access, line) => {
    const { machine, out, err } = fakeMachine(['redis-server'], access);
    expect(ensureSystemPackages(ALL, machine)).toBe(1);
    expect(machine.install).not.toHaveBeenCalled();
    expect(out).toEqual([]);
    expect(err).toEqual([line]);
  });

  it("fails with apt-get's output, trimmed, and one line when the install fails", () => {
    const output = '\nE: Unable to locate package chromium\n\n';
    const { machine, out, err } = fakeMachine(['redis-server', 'prometheus'], { root: false }, { ok: false, output });
    expect(ensureSystemPackages(ALL, machine)).toBe(1);
    expect(machine.install).toHaveBeenCalledOnce();
    expect(out).toEqual(['tokengraph: installing Debian packages the tests need: chromium (apt-get)']);
    expect(err).toEqual([
      'E: Unable to locate package chromium',
      'tokengraph: apt-get could not install chromium (its output is above); run: sudo apt-get install -y chromium',
    ]);
  });

  it('keeps the last 20 lines of a long failed output', () => {
    const output = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`).join('\n');
    const { machine, err } = fakeMachine([], { root: true }, { ok: false, output });
    expect(ensureSystemPackages([chromium], machine)).toBe(1);
    expect(err).toEqual([
      ['… (5 lines before)', ...Array.from({ length: 20 }, (_, i) => `line ${i + 6}`)].join('\n'),
      'tokengraph: apt-get could not install chromium (its output is above); run: apt-get install -y chromium',
    ]);
  });

  it('says there was no output when a failed install printed none', () => {
    const { machine, err } = fakeMachine([], { root: true }, { ok: false, output: ' \n' });
    expect(ensureSystemPackages([chromium], machine)).toBe(1);
    expect(err).toEqual(['tokengraph: apt-get could not install chromium; run: apt-get install -y chromium']);
  });
});

describe('isInstalled', () => {
  const onPathOf = (commands: string[]) => (command: string) => commands.includes(command);

  it.each([
    ['installed', 'install ok installed', true],
    ['unknown to dpkg', '', false],
    ['removed, its configuration files kept', 'deinstall ok config-files', false],
    ['half installed', 'install reinstreq half-installed', false],
  ])('asks dpkg: %s', (_, status, expected) => {
    // The commands on PATH do not matter where there is dpkg.
    expect(isInstalled(prometheus, { dpkgStatus: () => status, onPath: onPathOf(['prometheus', 'promtool']) })).toBe(expected);
    expect(isInstalled(prometheus, { dpkgStatus: () => status, onPath: onPathOf([]) })).toBe(expected);
  });

  it.each([
    ['all its commands are on PATH', ['prometheus', 'promtool'], true],
    ['one of its commands is missing', ['prometheus'], false],
    ['none is', [], false],
  ])('without dpkg, is installed when %s', (_, commands, expected) => {
    expect(isInstalled(prometheus, { dpkgStatus: () => undefined, onPath: onPathOf(commands) })).toBe(expected);
  });
});

describe('neededPackages', () => {
  it('needs every package by default', () => {
    expect(neededPackages({}).map((pkg) => pkg.name)).toEqual(['chromium', 'redis-server', 'prometheus', 'postgresql']);
  });

  it.each([
    ['CHROMIUM_PATH', '/opt/chromium/chrome', ['redis-server', 'prometheus', 'postgresql']],
    ['REDIS_TEST_URL', 'redis://127.0.0.1:6390', ['chromium', 'prometheus', 'postgresql']],
    ['CHROMIUM_PATH', '', ['chromium', 'redis-server', 'prometheus', 'postgresql']],
  ])('with %s=%j needs %j', (variable, value, names) => {
    expect(neededPackages({ [variable]: value }, SYSTEM_PACKAGES).map((pkg) => pkg.name)).toEqual(names);
  });
});

describe('aptGetCommands', () => {
  it('runs apt-get directly as root, non-interactive and quiet, update first', () => {
    expect(aptGetCommands(['chromium', 'prometheus'], false)).toEqual([
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-qq'],
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium', 'prometheus'],
    ]);
  });

  it('goes through sudo -n otherwise, so that it never waits for a password', () => {
    expect(aptGetCommands(['redis-server'], true)).toEqual([
      ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-qq'],
      ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'redis-server'],
    ]);
  });
});
