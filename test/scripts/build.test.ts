/** scripts/build.mjs's staleness check, which decides whether `npm start` builds first. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { staleReason } from '../../scripts/build.mjs';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A project with `src/a.ts` and `schema/s.graphql` written at `sources`, and a build stamped at `built` (if any). */
function project(sources: Date, built?: Date) {
  const root = mkdtempSync(join(tmpdir(), 'tokengraph-build-'));
  roots.push(root);
  for (const [dir, file] of [['src', 'a.ts'], ['schema', 's.graphql']] as const) {
    mkdirSync(join(root, dir));
    writeFileSync(join(root, dir, file), '');
    utimesSync(join(root, dir, file), sources, sources);
  }
  if (built) {
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', '.build'), '');
    utimesSync(join(root, 'dist', '.build'), built, built);
  }
  return { root, dist: join(root, 'dist'), inputs: ['src', 'schema', 'missing.json'] };
}

describe('staleReason', () => {
  it('says a missing build is missing', () => {
    const { root, dist, inputs } = project(new Date(1_000_000));
    expect(staleReason(root, dist, inputs)).toBe('dist/ has no build');
  });

  it('is undefined when the build is newer than every input (a missing input is no change)', () => {
    const { root, dist, inputs } = project(new Date(1_000_000), new Date(2_000_000));
    expect(staleReason(root, dist, inputs)).toBeUndefined();
  });

  it('names the first input newer than the build', () => {
    const { root, dist, inputs } = project(new Date(1_000_000), new Date(2_000_000));
    utimesSync(join(root, 'schema', 's.graphql'), new Date(3_000_000), new Date(3_000_000));
    expect(staleReason(root, dist, inputs)).toBe(`${join('schema', 's.graphql')} changed since the last build`);
  });
});
