/**
 * The overview page shows what upstream systems and the history say (token names, owners, events'
 * details and actors) as text only: every element is built with `document.createElement` and
 * `textContent`. A script that parsed a string as HTML would let an upstream's token name run in
 * the page, so none of web/ may: the browser test's `Spin & Win <Deluxe>` checks one name, this
 * checks every way in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const WEB = new URL('../../web/', import.meta.url);
const HTML_SINKS = /\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|srcdoc/;

it('no script of the overview page parses text as HTML', () => {
  const files = readdirSync(WEB).filter((file) => file.endsWith('.ts'));
  expect(files).toEqual(expect.arrayContaining(['overview.ts', 'revokeDialog.ts', 'tokenHistory.ts']));
  const sinks = files.flatMap((file) =>
    readFileSync(new URL(file, WEB), 'utf8')
      .split('\n')
      .flatMap((line, i) => (HTML_SINKS.test(line) ? [`web/${file}:${i + 1}: ${line.trim()}`] : [])),
  );
  expect(sinks).toEqual([]);
});
