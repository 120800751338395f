/**
 * Everything tokengraph says goes through its logger (JSON lines, redaction, levels) or, before
 * there is one, one line on stderr from main.ts and the CLIs. A `console.*` call in src/ is a line
 * no log shipper parses, at no level an operator can turn off: debug output left behind (three such
 * lines in src/http/lingeringClose.ts once printed on every refused request).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

it('no source file in src/ calls console', () => {
  const files = sources(SRC);
  expect(files.length).toBeGreaterThan(100);
  const calls = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (/\bconsole\.[a-z]+\(/.test(line) ? [`${file.slice(SRC.length + 1)}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(calls).toEqual([]);
});
