/**
 * The token overview page at `/`: every Crafter access token plus the watch list, fetched
 * in one GraphQL request (`TokenOverview`), in one table. Bundled by esbuild when the
 * server first serves it (src/overviewPage.ts); it loads nothing from any other host.
 *
 * Everything shown is set with `textContent`, never parsed as HTML: token names come from
 * upstream systems and are not trusted.
 */
import { TokenOverviewDocument, type TokenRef, type TokenSource } from '../src/generated/client/graphql.js';
import { formatDate, overview, SOON_DAYS, statusText, type OverviewAnswer, type TokenRow } from './tokenRows.js';
import { REF_PARTS, refLabel, sameRef, searchWithWatch, SOURCE_LABELS, watchFromSearch } from './watchList.js';

interface PageConfig {
  /** The GraphQL endpoint's path. */
  endpoint: string;
  demo: boolean;
  /** The watch list a visitor starts with when the URL names none. */
  defaultWatch: TokenRef[];
}

const API_KEY_STORAGE = 'tokengraph.apiKey';

const config = JSON.parse(document.getElementById('tokengraph-config')!.textContent!) as PageConfig;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

let watch: TokenRef[] = watchFromSearch(location.search) ?? config.defaultWatch;
let loading: AbortController | undefined;

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function setWatch(refs: TokenRef[]): void {
  watch = refs;
  history.replaceState(null, '', `${location.pathname}${searchWithWatch(location.search, watch)}${location.hash}`);
  renderWatchList();
  void load();
}

function renderWatchList(): void {
  const list = $('watch-list');
  list.replaceChildren(
    ...watch.map((ref, index) => {
      const item = element('li', undefined, 'chip');
      item.append(element('span', refLabel(ref)));
      const remove = element('button', '×', 'chip-remove');
      remove.type = 'button';
      remove.title = `Stop watching ${refLabel(ref)}`;
      remove.setAttribute('aria-label', remove.title);
      remove.addEventListener('click', () => setWatch(watch.filter((_, i) => i !== index)));
      item.append(remove);
      return item;
    }),
  );
  $('watch-empty').hidden = watch.length > 0;
}

function renderRows(rows: TokenRow[]): void {
  const body = $<HTMLTableSectionElement>('token-rows');
  body.replaceChildren(
    ...rows.map((row) => {
      const tr = element('tr', undefined, row.problem ? 'row-problem' : `row-${row.expiry}`);
      tr.dataset.source = row.source;
      tr.dataset.expiry = row.expiry;
      const status = element('td');
      status.append(element('span', statusText(row), `badge badge-${row.problem ? 'problem' : row.expiry}`));
      tr.append(
        element('td', SOURCE_LABELS[row.source]),
        element('td', row.name),
        element('td', row.owner ?? '—'),
        element('td', formatDate(row.createdAt)),
        element('td', formatDate(row.lastUsedAt)),
        element('td', formatDate(row.expiresAt)),
        status,
      );
      return tr;
    }),
  );
  $('empty').hidden = rows.length > 0;
}

function showBanner(lines: string[]): void {
  const banner = $('failures');
  banner.replaceChildren(...lines.map((line) => element('p', line)));
  banner.hidden = lines.length === 0;
}

async function load(): Promise<void> {
  loading?.abort();
  const controller = (loading = new AbortController());
  $('state').textContent = 'Loading…';
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  const key = sessionStorage.getItem(API_KEY_STORAGE);
  if (key) headers.authorization = `Bearer ${key}`;
  try {
    const response = await fetch(config.endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ operationName: 'TokenOverview', query: TokenOverviewDocument.toString(), variables: { watch } }),
      signal: controller.signal,
    });
    if (response.status === 401) {
      renderRows([]);
      showBanner(['tokengraph needs an API key: enter it under “API key” below.']);
      $('state').textContent = 'Not signed in.';
      return;
    }
    const answer = (await response.json()) as OverviewAnswer;
    const shown = overview(answer, watch, new Date());
    renderRows(shown.rows);
    showBanner([
      ...shown.failures.map(
        (f) => `${f.label} is failing (${f.codes.join(', ')}): its tokens could not be read. Tokens from the other sources are shown.`,
      ),
      ...shown.otherErrors,
    ]);
    $('state').textContent = `${shown.rows.length} tokens · updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    if (controller.signal.aborted) return;
    showBanner([`tokengraph could not be reached: ${error instanceof Error ? error.message : String(error)}`]);
    $('state').textContent = 'Failed.';
  }
}

function showRefFields(): void {
  const source = $<HTMLSelectElement>('ref-source').value as TokenSource;
  for (const part of ['accountId', 'userId'] as const) {
    const field = $(`field-${part}`);
    const needed = REF_PARTS[source].includes(part);
    field.hidden = !needed;
    $<HTMLInputElement>(`ref-${part}`).required = needed;
  }
}

function addRef(event: SubmitEvent): void {
  event.preventDefault();
  const source = $<HTMLSelectElement>('ref-source').value as TokenSource;
  const ref: TokenRef = { source, tokenId: '' };
  for (const part of REF_PARTS[source]) ref[part] = $<HTMLInputElement>(`ref-${part}`).value.trim();
  if (watch.some((other) => sameRef(other, ref))) return;
  ($('add-ref') as HTMLFormElement).reset();
  showRefFields();
  setWatch([...watch, ref]);
}

function setUpApiKey(): void {
  const input = $<HTMLInputElement>('api-key');
  input.value = sessionStorage.getItem(API_KEY_STORAGE) ?? '';
  $('api-key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value) sessionStorage.setItem(API_KEY_STORAGE, input.value);
    else sessionStorage.removeItem(API_KEY_STORAGE);
    void load();
  });
}

$('soon-days').textContent = String(SOON_DAYS);
$('ref-source').addEventListener('change', showRefFields);
$('add-ref').addEventListener('submit', addRef);
$('refresh').addEventListener('click', () => void load());
setUpApiKey();
showRefFields();
// Write the list the page opened with into the URL, so it can be shared as it is.
history.replaceState(null, '', `${location.pathname}${searchWithWatch(location.search, watch)}${location.hash}`);
renderWatchList();
void load();
