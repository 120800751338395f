/**
 * The token overview page at / in real headless Chromium, against demo tokengraph: the
 * inventory, soonest expiry first, in pages of 50 with "Load more"; filters for source, status,
 * "expiring within" and a search, kept in the URL; the page's own watch list, kept in the URL
 * and marked in the table; a banner naming each gap when an upstream fails, the other sources'
 * rows still shown; and the API key message when tokengraph refuses the request.
 *
 * Revoking from a row (contract §9): a dry run, a <dialog> naming the token, the revocation only
 * once confirmed, asserted at the loopback upstreams (the call made, the token gone); a Crafter
 * access token by its pasted full id; FORBIDDEN for a read-only key with no upstream call; no
 * Revoke for games tokens. Each test that revokes has a tokengraph and upstreams of its own.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/readConfig.js';
import { withDemoUpstreams } from '../../src/demo/startDemoUpstreams.js';
import { createTokengraph } from '../../src/http/createTokengraph.js';
import { createLogger } from '../../src/observability/createLogger.js';
import type { RecordedCall } from '../../src/demo/fakeUpstream.js';
import { TOKEN_FINDINGS } from '../../src/inventory/findings.js';
import { EXPORT_COLUMNS } from '../../src/inventory/exportRows.js';
import { parseCsv } from '../csv.js';
import { browserStorage, startBrowserStack, startDemoTokengraph, type BrowserStack, type DemoTokengraph, type RecordingPage } from './browser.js';

const ALL_SOURCES = ['ASTRA', 'CRAFTER_ACCESS_TOKEN', 'CRAFTER_TICKET', 'GAME', 'NETBIRD'];
const PAGE_SIZE = 50;
const DAY = 86_400_000;

let stack: BrowserStack;
beforeAll(async () => {
  stack = await startBrowserStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => {
  for (const upstream of [stack.demo.crafterProfile, stack.demo.astra, stack.demo.netbird, stack.demo.games]) upstream.reset();
});

type Page = RecordingPage['page'];

interface ShownRow {
  id: string;
  source: string;
  tokenId: string;
  expiresAt: string | null;
  watched: boolean;
  findings: string[];
  text: string;
}

const rows = (page: Page) => page.locator('#token-rows tr');
const shownRows = (page: Page): Promise<ShownRow[]> =>
  rows(page).evaluateAll((trs) =>
    trs.map((tr) => ({
      id: tr.getAttribute('data-id')!,
      source: tr.getAttribute('data-source')!,
      tokenId: tr.getAttribute('data-token-id')!,
      expiresAt: tr.getAttribute('data-expires-at'),
      watched: tr.hasAttribute('data-watched'),
      findings: (tr.getAttribute('data-findings') ?? '').split(' ').filter(Boolean),
      text: tr.textContent ?? '',
    })),
  );
const graphqlPosts = (requests: string[]) => requests.filter((url) => url.endsWith('/graphql')).length;
const state = (page: Page) => page.locator('#state').textContent();
const totalOf = (text: string | null) => Number(/^(\d+) tokens? ·/.exec(text ?? '')?.[1]);

/** Expiry dates in order: soonest first, tokens with none last. */
function expectSoonestFirst(shown: ShownRow[]): void {
  const dates = shown.map((row) => (row.expiresAt === null ? Infinity : Date.parse(row.expiresAt)));
  expect(dates).toEqual([...dates].sort((a, b) => a - b));
}

/** Waits for the state line to say a load finished. */
async function loaded(page: Page): Promise<void> {
  await page.locator('#state').filter({ hasText: /tokens? ·|inventory not read|Not signed in|Failed/ }).waitFor({ timeout: 15_000 });
}

async function openOverview(path = '/'): Promise<RecordingPage> {
  const recording = await stack.newPage();
  await recording.page.goto(`${stack.origin}${path}`);
  await loaded(recording.page);
  return recording;
}

interface InventoryToken {
  id: string;
  source: string;
  tokenId: string;
  name: string | null;
  owner: string | null;
  status: string;
  expiresAt: string | null;
  findings: string[];
}

/** The whole inventory (or what `filter` keeps of it), as tokengraph answers it directly (not through the page), page by page. */
async function wholeInventory(filter: Record<string, unknown> = {}): Promise<InventoryToken[]> {
  const tokens: InventoryToken[] = [];
  let after: string | null = null;
  do {
    const response = await fetch(`${stack.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query Whole($after: String, $filter: TokenFilter) { inventory(first: 100, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } nodes { id source tokenId name owner status expiresAt findings } } }',
        variables: { after, filter },
      }),
    });
    const body = (await response.json()) as { data: { inventory: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: InventoryToken[] } } };
    tokens.push(...body.data.inventory.nodes);
    after = body.data.inventory.pageInfo.hasNextPage ? body.data.inventory.pageInfo.endCursor : null;
  } while (after);
  return tokens;
}

describe('the token overview page in Chromium', () => {
  it('opens with the first page of the inventory, soonest expiry first, fetched in one request from tokengraph alone', async () => {
    const { page, requests, foreignRequests, pageErrors, screenshot } = await openOverview();
    await expect(page.title()).resolves.toBe('tokengraph · token overview');

    const shown = await shownRows(page);
    expect(shown).toHaveLength(PAGE_SIZE);
    expectSoonestFirst(shown);
    expect(shown.every((row) => row.expiresAt !== null)).toBe(true);
    const total = (await wholeInventory()).length;
    expect(total).toBeGreaterThan(200);
    expect(await state(page)).toMatch(new RegExp(`^${total} tokens · ${PAGE_SIZE} shown · collected \\d\\d:\\d\\d:\\d\\d UTC$`));

    // Expired rows red, rows expiring within 7 days amber.
    const expired = page.locator('#token-rows tr.row-expired');
    expect(await expired.filter({ hasText: 'old laptop' }).locator('.badge').textContent()).toBe('EXPIRED');
    const soon = await page.locator('#token-rows tr.row-soon').allTextContents();
    expect(soon).toEqual(expect.arrayContaining([expect.stringContaining('staging deploy'), expect.stringContaining('Treasure Hunt')]));
    expect(await page.locator('#token-rows tr.row-soon', { hasText: 'Treasure Hunt' }).locator('.badge').textContent()).toBe('ACTIVE · expires soon');
    // Every expired row comes before every unexpired one on this page (they expired earlier).
    const expiries = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-expiry')));
    expect(expiries.lastIndexOf('expired')).toBeLessThan(expiries.indexOf('soon'));
    // Each row is marked by its own expiry: past, within 7 days, or later.
    const now = Date.now();
    shown.forEach((row, i) => {
      const at = Date.parse(row.expiresAt!);
      expect([row.tokenId, expiries[i]]).toEqual([row.tokenId, at <= now ? 'expired' : at - now <= 7 * 86_400_000 ? 'soon' : expect.not.stringMatching(/^(expired|soon)$/)]);
    });
    // A hostile name from an upstream is shown as text, never as markup.
    expect(await page.locator('#token-rows td', { hasText: 'Spin & Win <Deluxe>' }).count()).toBe(1);

    expect(await page.locator('#gaps').isHidden()).toBe(true);
    expect(await page.locator('#failures').isHidden()).toBe(true);
    expect(await page.locator('#load-more').isVisible()).toBe(true);
    // Nothing chosen, nothing written into the URL.
    expect(new URL(page.url()).search).toBe('');
    await screenshot('overview');

    expect(graphqlPosts(requests)).toBe(1);
    expect(foreignRequests).toEqual([]);
    expect(requests.every((url) => url.startsWith(`${stack.origin}/`))).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('"Load more" appends the next page, each token once, until the whole inventory of all five sources is shown', async () => {
    const { page, requests, pageErrors } = await openOverview();
    const total = totalOf(await state(page));
    let shown = await shownRows(page);
    let clicks = 0;
    while (await page.locator('#load-more').isVisible()) {
      const before = shown;
      await page.locator('#load-more').click();
      clicks += 1;
      await expect.poll(async () => (await shownRows(page)).length).toBe(Math.min(total, before.length + PAGE_SIZE));
      await loaded(page);
      shown = await shownRows(page);
      // Appended: the rows shown before are still first, in the same order.
      expect(shown.slice(0, before.length).map((row) => row.id)).toEqual(before.map((row) => row.id));
    }
    expect(shown).toHaveLength(total);
    expect(new Set(shown.map((row) => row.id)).size).toBe(total);
    expect([...new Set(shown.map((row) => row.source))].sort()).toEqual(ALL_SOURCES);
    expectSoonestFirst(shown);
    expect(clicks).toBe(Math.ceil(total / PAGE_SIZE) - 1);
    expect(await state(page)).toMatch(new RegExp(`^${total} tokens · ${total} shown · `));
    expect(graphqlPosts(requests)).toBe(1 + clicks);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('filters by source, status, "expiring within" and search, keeps them in the URL, and shows the same view when the URL is opened again', async () => {
    const { page, pageErrors } = await openOverview();
    const now = Date.now();
    await page.getByRole('checkbox', { name: 'NetBird' }).check();
    await page.getByRole('checkbox', { name: 'Games' }).check();
    await page.getByRole('checkbox', { name: 'ACTIVE' }).check();
    await page.getByLabel('Expiring within (days)').fill('14');
    await page.getByLabel('Search name, owner or id').fill('terraform');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('terraform');
    await expect.poll(async () => (await shownRows(page)).every((row) => row.text.includes('terraform'))).toBe(true);
    await loaded(page);

    const url = new URL(page.url());
    expect(url.searchParams.getAll('source')).toEqual(['NETBIRD', 'GAME']);
    expect(url.searchParams.getAll('status')).toEqual(['ACTIVE']);
    expect(url.searchParams.get('within')).toBe('14');

    const expected = (await wholeInventory())
      .filter((t) => ['NETBIRD', 'GAME'].includes(t.source) && t.status === 'ACTIVE' && t.expiresAt !== null && Date.parse(t.expiresAt) < now + 14 * DAY)
      .filter((t) => [t.name, t.owner, t.tokenId].some((text) => text?.toLowerCase().includes('terraform')));
    expect(expected.length).toBeGreaterThan(0);
    const shown = await shownRows(page);
    expect(shown.map((row) => row.id).sort()).toEqual(expected.map((t) => t.id).sort());
    expectSoonestFirst(shown);
    expect(await state(page)).toMatch(new RegExp(`^${expected.length} tokens? · ${expected.length} shown · `));
    expect(await page.locator('#load-more').isHidden()).toBe(true);

    // The URL alone gives the same view, the form filled in as it was.
    await page.reload();
    await loaded(page);
    expect((await shownRows(page)).map((row) => row.id)).toEqual(shown.map((row) => row.id));
    expect(await page.getByRole('checkbox', { name: 'NetBird' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Astra Control' }).isChecked()).toBe(false);
    expect(await page.getByRole('checkbox', { name: 'ACTIVE' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Expiring within (days)').inputValue()).toBe('14');
    expect(await page.getByLabel('Search name, owner or id').inputValue()).toBe('terraform');

    // Clearing the filters shows the first page of everything, and the URL says so.
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(async () => (await shownRows(page)).length).toBe(PAGE_SIZE);
    expect(new URL(page.url()).search).toBe('');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('adds and removes watched tokens, keeping the list in the URL and marking them in the table', async () => {
    // game-demo-1 is in the inventory (the server watches it): one row, marked as watched here.
    const { page, pageErrors } = await openOverview('/?watch=GAME/game-demo-1');
    const gameRows = page.locator('#token-rows tr[data-token-id="game-demo-1"]');
    expect(await gameRows.count()).toBe(1);
    expect(await gameRows.locator('.badge-watched').textContent()).toBe('watched');
    expect(await rows(page).count()).toBe(PAGE_SIZE);

    // svc-sync is a non-deletable service user: NetBird leaves it out of its users list, so its
    // tokens are never listed, yet an admin may read one by id. Only the watch list finds it.
    const hidden = page.locator('#token-rows tr[data-token-id="nb-demo-126"]');
    expect(await hidden.count()).toBe(0);
    await page.selectOption('#ref-source', 'NETBIRD');
    await page.fill('#ref-userId', 'svc-sync');
    await page.fill('#ref-tokenId', 'nb-demo-126');
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    await expect.poll(() => hidden.count()).toBe(1);
    await loaded(page);
    expect(await hidden.textContent()).toContain('laptop 126');
    expect(await hidden.locator('.badge-watched').count()).toBe(1);
    expect(await hidden.getAttribute('data-source')).toBe('NETBIRD');
    expect(new URL(page.url()).searchParams.getAll('watch')).toEqual(['GAME/game-demo-1', 'NETBIRD/svc-sync/nb-demo-126']);
    expect(await rows(page).count()).toBe(PAGE_SIZE + 1);
    expect(await state(page)).toMatch(/ · 50 shown \+ 1 watched · /);
    expectSoonestFirst(await shownRows(page));

    // Unwatched, game-demo-1 stays (the inventory holds it), no longer marked.
    await page.getByRole('button', { name: 'Stop watching Games game-demo-1' }).click();
    await expect.poll(() => gameRows.locator('.badge-watched').count()).toBe(0);
    expect(await gameRows.count()).toBe(1);
    expect(new URL(page.url()).searchParams.getAll('watch')).toEqual(['NETBIRD/svc-sync/nb-demo-126']);

    // The list survives a reload from the URL.
    await page.reload();
    await loaded(page);
    await expect.poll(() => hidden.locator('.badge-watched').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Stop watching NetBird svc-sync/nb-demo-126' }).isVisible()).toBe(true);

    // A token the upstream does not know is a row that says so.
    await page.goto(`${stack.origin}/?watch=NETBIRD/alice/no-such-token`);
    await expect.poll(() => rows(page).filter({ hasText: 'not found' }).count()).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("says when a watched token's source is failing, with a row saying why", async () => {
    stack.demo.netbird.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.path === '/api/users/svc-sync/tokens/nb-demo-126' });
    const { page } = await openOverview('/?watch=NETBIRD/svc-sync/nb-demo-126');
    await expect.poll(() => page.locator('#failures').textContent()).toContain('NetBird is failing (UPSTREAM_UNAVAILABLE)');
    expect(await page.locator('#token-rows tr.row-problem').allTextContents()).toEqual([expect.stringMatching(/NetBird svc-sync\/nb-demo-126.*UPSTREAM_UNAVAILABLE/)]);
    // The inventory itself was read: its rows are all there.
    expect(await rows(page).count()).toBe(PAGE_SIZE + 1);
    expect(await page.locator('#gaps').isHidden()).toBe(true);
  }, 60_000);

  it('names each gap by source, code and count when an upstream fails, and still shows every other token', async () => {
    try {
      const { page, requests, screenshot } = await openOverview();
      const complete = totalOf(await state(page));
      const svcCi = (await wholeInventory()).filter((t) => t.owner === 'svc-ci');
      expect(svcCi.length).toBeGreaterThan(0);

      stack.demo.netbird.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.path === '/api/users/svc-ci/tokens' });
      await page.getByRole('button', { name: 'Refresh' }).click();
      const gaps = page.locator('#gaps');
      await expect.poll(() => gaps.textContent()).toContain('NetBird: 1 part could not be read (UPSTREAM_UNAVAILABLE): user svc-ci');
      await loaded(page);
      expect(await gaps.isVisible()).toBe(true);
      expect(await gaps.locator('p').count()).toBe(1);
      expect(await page.locator('#failures').isHidden()).toBe(true);
      expect(graphqlPosts(requests)).toBe(2);

      // svc-ci's tokens are missing; every other token is still there, NetBird's others too.
      expect(totalOf(await state(page))).toBe(complete - svcCi.length);
      const shown = await shownRows(page);
      expect(shown.some((row) => row.text.includes('svc-ci'))).toBe(false);
      expect(new Set(shown.map((row) => row.source))).toEqual(new Set(['CRAFTER_ACCESS_TOKEN', 'NETBIRD', 'GAME']));
      // The finding counts count NetBird's tokens too, some of which could not be read: each is "at least", never a plain 0, and its title says why.
      const counts = page.locator('#finding-counts button');
      expect(await counts.locator('.count').allTextContents()).toEqual(TOKEN_FINDINGS.map(() => expect.stringMatching(/^≥ \d+$/)));
      expect(await counts.evaluateAll((buttons) => buttons.map((button) => [button.classList.contains('incomplete'), button.classList.contains('none')]))).toEqual(TOKEN_FINDINGS.map(() => [true, false]));
      expect(await counts.first().getAttribute('title')).toContain('Incomplete: NetBird could not be read in full, so there may be more.');
      await screenshot('overview-failing-source');

      // The other sources, filtered for, are complete.
      await page.getByRole('checkbox', { name: 'Astra Control' }).check();
      await page.getByRole('checkbox', { name: 'Crafter ticket' }).check();
      await expect.poll(async () => new Set((await shownRows(page)).map((row) => row.source))).toEqual(new Set(['ASTRA', 'CRAFTER_TICKET']));
      await expect.poll(() => gaps.textContent()).toContain('UPSTREAM_UNAVAILABLE');
      // Their counts are whole: NetBird is not counted.
      await loaded(page);
      expect(await counts.locator('.count').allTextContents()).toEqual(TOKEN_FINDINGS.map(() => expect.stringMatching(/^\d+$/)));
      expect(await page.locator('#finding-counts button.incomplete').count()).toBe(0);
      expect(await counts.first().getAttribute('title')).not.toContain('Incomplete');
    } finally {
      // Leave a complete inventory for whatever runs next.
      stack.demo.netbird.reset();
      await fetch(`${stack.origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ inventory(refresh: true, first: 1) { totalCount } }' }) });
    }
  }, 60_000);

  it('shows the API key message when tokengraph refuses the request, the inventory once the key is saved, and asks again after a reload, having stored it nowhere', async () => {
    const key = 'browser-test-key-4f1c9a2e';
    const keyed = await createTokengraph(withDemoUpstreams({ ...readConfig({ TOKENGRAPH_API_KEYS: key }), port: 0 }, stack.demo), createLogger('silent'));
    const origin = new URL(await keyed.listen()).origin;
    const context = await stack.browser.newContext();
    try {
      const page = await context.newPage();
      const refused: string[] = [];
      page.on('response', (response) => {
        if (response.url().endsWith('/graphql') && response.status() === 401) refused.push(response.request().headers().authorization ?? '(none)');
      });
      await page.goto(`${origin}/`);
      await expect.poll(() => page.locator('#state').textContent()).toBe('Not signed in.');
      expect(await page.locator('#failures').textContent()).toBe('tokengraph needs an API key: enter it under “API key” below.');
      expect(await rows(page).count()).toBe(0);

      await page.locator('summary', { hasText: 'API key' }).click();
      await page.fill('#api-key', 'not-the-key-at-all');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => refused).toEqual(['(none)', 'Bearer not-the-key-at-all']);
      await expect.poll(() => page.locator('#state').textContent()).toBe('Not signed in.');

      await page.fill('#api-key', key);
      await page.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBe(PAGE_SIZE);
      expect(await page.locator('#failures').isHidden()).toBe(true);
      expect(await page.locator('#api-key-form').textContent()).toContain("kept in this page's memory only: a reload asks again");

      // The key lived in the page's memory only: after a reload nothing holds it, and the page asks again.
      await page.reload();
      await expect.poll(() => page.locator('#state').textContent()).toBe('Not signed in.');
      expect(await page.inputValue('#api-key')).toBe('');
      expect(await browserStorage(page)).not.toContain(key);
      expect(refused.at(-1)).toBe('(none)');
    } finally {
      await context.close();
      await keyed.close();
    }
  }, 60_000);
});

/** The counts the page shows, by finding: `{ NEVER_EXPIRES: 96, EXPIRED: 23, … }` (`NaN` while one has none). */
const shownCounts = (page: Page): Promise<Record<string, number>> =>
  page.locator('#finding-counts button').evaluateAll((buttons) => Object.fromEntries(buttons.map((button) => [button.getAttribute('data-finding'), Number(button.querySelector('.count')!.textContent)])));

/** The findings whose counts are pressed (the table is filtered by them). */
const pressedFindings = (page: Page): Promise<string[]> => page.locator('#finding-counts button[aria-pressed="true"]').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-finding')!));

/** `findingCounts` as tokengraph answers it for `filter`, directly, by finding. */
async function serverCounts(filter: Record<string, unknown> = {}): Promise<Record<string, number>> {
  const response = await fetch(`${stack.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query Counts($filter: TokenFilter) { inventory(first: 1, filter: $filter) { findingCounts { finding count } } }', variables: { filter } }),
  });
  const body = (await response.json()) as { data: { inventory: { findingCounts: Array<{ finding: string; count: number }> } } };
  return Object.fromEntries(body.data.inventory.findingCounts.map(({ finding, count }) => [finding, count]));
}

/** Clicks "Load more" until the table holds every token the filters keep. */
async function loadAll(page: Page): Promise<ShownRow[]> {
  while (await page.locator('#load-more').isVisible()) {
    const before = await rows(page).count();
    await page.locator('#load-more').click();
    await expect.poll(() => rows(page).count()).toBeGreaterThan(before);
    await loaded(page);
  }
  return shownRows(page);
}

/** Saves what a click on `link` downloads, through Playwright's download event; its name and text. */
async function download(page: Page, link: string): Promise<{ name: string; text: string }> {
  const [saved] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByRole('link', { name: link }).click()]);
  return { name: saved.suggestedFilename(), text: readFileSync((await saved.path())!, 'utf8') };
}

describe('findings and exports on the overview page in Chromium', () => {
  it("shows each row's findings and a count per finding as tokengraph counts them; a click on a count filters by it, kept in the URL, and the counts stay", async () => {
    const { page, requests, foreignRequests, pageErrors, screenshot } = await openOverview();
    const counts = await serverCounts();
    expect(Object.keys(counts)).toEqual(TOKEN_FINDINGS);
    await expect.poll(() => shownCounts(page)).toEqual(counts);
    expect(await page.getByRole('group', { name: 'Findings' }).getByRole('button').allTextContents()).toEqual(
      ['Never expires', 'Expired', 'Expires soon', 'Long-lived', 'Unused', 'Never used', 'Master token', 'Owner inactive'].map((label, i) => `${label} ${counts[TOKEN_FINDINGS[i]!]}`),
    );
    expect(await pressedFindings(page)).toEqual([]);

    // Each row's findings are tokengraph's, shown by their readable names.
    const whole = new Map((await wholeInventory()).map((token) => [token.id, token]));
    const first = await shownRows(page);
    expect(first.map((row) => [row.tokenId, row.findings])).toEqual(first.map((row) => [row.tokenId, whole.get(row.id)!.findings]));
    expect(first.some((row) => row.findings.length > 0)).toBe(true);
    expect(await page.locator('#token-rows tr', { hasText: 'old laptop' }).locator('td.findings .finding').allTextContents()).toContain('Expired');

    // A click on "Expired": only expired tokens, every one of them, in the inventory's order; one request.
    const posts = graphqlPosts(requests);
    expect(counts.EXPIRED).toBeGreaterThan(0);
    await page.getByRole('button', { name: `Expired ${counts.EXPIRED}`, exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('finding')).toEqual(['EXPIRED']);
    await expect.poll(async () => (await shownRows(page)).every((row) => row.findings.includes('EXPIRED'))).toBe(true);
    await loaded(page);
    expect(graphqlPosts(requests)).toBe(posts + 1);
    const expired = await wholeInventory({ findings: ['EXPIRED'] });
    expect((await loadAll(page)).map((row) => row.id)).toEqual(expired.map((token) => token.id));
    expect(totalOf(await state(page))).toBe(counts.EXPIRED);
    expect(await pressedFindings(page)).toEqual(['EXPIRED']);
    // The counts are still over every token the other filters keep: each says what its click adds.
    expect(await shownCounts(page)).toEqual(counts);

    // A second finding: tokens with any of the two.
    await page.getByRole('button', { name: /^Master token \d+$/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('finding')).toEqual(['EXPIRED', 'MASTER']);
    const either = await wholeInventory({ findings: ['EXPIRED', 'MASTER'] });
    expect(either.length).toBeGreaterThan(expired.length);
    await expect.poll(async () => (await loadAll(page)).map((row) => row.id)).toEqual(either.map((token) => token.id));
    expect((await shownRows(page)).every((row) => row.findings.includes('EXPIRED') || row.findings.includes('MASTER'))).toBe(true);
    expect(await pressedFindings(page)).toEqual(['EXPIRED', 'MASTER']);
    await screenshot('overview-findings');

    // The URL alone restores the view.
    await page.reload();
    await loaded(page);
    expect((await loadAll(page)).map((row) => row.id)).toEqual(either.map((token) => token.id));
    expect(await pressedFindings(page)).toEqual(['EXPIRED', 'MASTER']);
    await expect.poll(() => shownCounts(page)).toEqual(counts);

    // Another filter narrows the counts with the rows: NetBird's tokens only.
    await page.getByRole('checkbox', { name: 'NetBird' }).check();
    const netbirdCounts = await serverCounts({ sources: ['NETBIRD'] });
    expect(netbirdCounts).not.toEqual(counts);
    await expect.poll(() => shownCounts(page)).toEqual(netbirdCounts);
    await loaded(page);
    expect((await loadAll(page)).map((row) => row.id)).toEqual((await wholeInventory({ sources: ['NETBIRD'], findings: ['EXPIRED', 'MASTER'] })).map((token) => token.id));
    expect(new URL(page.url()).search).toBe('?source=NETBIRD&finding=EXPIRED&finding=MASTER');

    // A second click drops a finding; Clear drops them all.
    await page.getByRole('button', { name: /^Expired \d+$/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('finding')).toEqual(['MASTER']);
    await expect.poll(() => page.locator('#empty').isVisible()).toBe(netbirdCounts.MASTER === 0);
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('');
    expect(await pressedFindings(page)).toEqual([]);
    await expect.poll(() => shownCounts(page)).toEqual(counts);

    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it("exports the current filter: the saved CSV holds the table's tokens in the table's order, with their findings, and the NDJSON the same", async () => {
    // A watched games token the source filter leaves out: the table and the exports both leave it out.
    const { page, requests, foreignRequests, pageErrors } = await openOverview('/?source=NETBIRD&source=CRAFTER_ACCESS_TOKEN&finding=EXPIRED&finding=MASTER&finding=NEVER_USED&watch=GAME/game-demo-1');
    const shown = await loadAll(page);
    expect(shown.length).toBeGreaterThan(PAGE_SIZE / 2);
    expect(shown.every((row) => !row.watched && row.source !== 'GAME')).toBe(true);

    // The links carry the filters, not the watch list.
    for (const [name, path] of [
      ['Export CSV', '/inventory.csv'],
      ['Export NDJSON', '/inventory.ndjson'],
    ]) {
      expect(await page.getByRole('link', { name }).getAttribute('href')).toBe(`${path}?source=CRAFTER_ACCESS_TOKEN&source=NETBIRD&finding=EXPIRED&finding=NEVER_USED&finding=MASTER`);
    }

    const csv = await download(page, 'Export CSV');
    expect(csv.name).toMatch(/^tokengraph-inventory-\d{4}-\d\d-\d\d\.csv$/);
    const [header, ...records] = parseCsv(csv.text);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    // The table's tokens, in its order, then a row per gap if an earlier test left one.
    const column = (name: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(name);
    const tokens = records.filter((record) => record[column('status')] !== 'GAP');
    expect(records.slice(0, tokens.length)).toEqual(tokens);
    expect(tokens.map((record) => [record[column('id')], record[column('source')], record[column('tokenId')], record[column('findings')]])).toEqual(
      shown.map((row) => [row.id, row.source, row.tokenId, row.findings.join(';')]),
    );
    await expect.poll(() => page.locator('#export-state').textContent()).toMatch(new RegExp(`^Saved ${csv.name} \\(\\d+ (B|kB)\\)\\.$`));

    const ndjson = await download(page, 'Export NDJSON');
    expect(ndjson.name).toMatch(/^tokengraph-inventory-\d{4}-\d\d-\d\d\.ndjson$/);
    const lines = ndjson.text.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: string; status: string; findings: string[] });
    expect(lines.filter((line) => line.status !== 'GAP').map((line) => [line.id, line.findings])).toEqual(shown.map((row) => [row.id, row.findings]));

    // Fetched from tokengraph, with the filter as the query string; nothing else asked of any host.
    expect(requests.filter((url) => url.includes('/inventory.'))).toEqual([
      `${stack.origin}/inventory.csv?source=CRAFTER_ACCESS_TOKEN&source=NETBIRD&finding=EXPIRED&finding=NEVER_USED&finding=MASTER`,
      `${stack.origin}/inventory.ndjson?source=CRAFTER_ACCESS_TOKEN&source=NETBIRD&finding=EXPIRED&finding=NEVER_USED&finding=MASTER`,
    ]);
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('sends an export with the API key the page holds in memory, never in the URL, and says when tokengraph wants one', async () => {
    const key = 'browser-export-key-5b8e1d77';
    const keyed = await createTokengraph(withDemoUpstreams({ ...readConfig({ TOKENGRAPH_API_KEYS: key }), port: 0 }, stack.demo), createLogger('silent'));
    const origin = new URL(await keyed.listen()).origin;
    try {
      const { page, requests, foreignRequests, pageErrors } = await stack.newPage(origin);
      const sent: Array<{ url: string; authorization: string | undefined }> = [];
      page.on('request', (request) => {
        if (request.url().includes('/inventory.')) sent.push({ url: request.url(), authorization: request.headers().authorization });
      });
      await page.goto(`${origin}/?finding=MASTER`);
      await expect.poll(() => state(page)).toBe('Not signed in.');

      // No key yet: tokengraph refuses, the page says so and saves nothing.
      await page.getByRole('link', { name: 'Export CSV' }).click();
      await expect.poll(() => page.locator('#export-state').textContent()).toBe('CSV export refused: tokengraph needs an API key (under “API key” below).');

      await page.locator('summary', { hasText: 'API key' }).click();
      await page.fill('#api-key', key);
      await page.getByRole('button', { name: 'Save' }).click();
      await loaded(page);
      const csv = await download(page, 'Export CSV');
      const masters = parseCsv(csv.text).slice(1);
      expect(masters.length).toBe((await serverCounts()).MASTER);
      expect(masters.every((record) => record.at(-1)!.split(';').includes('MASTER'))).toBe(true);

      expect(sent).toEqual([
        { url: `${origin}/inventory.csv?finding=MASTER`, authorization: undefined },
        { url: `${origin}/inventory.csv?finding=MASTER`, authorization: `Bearer ${key}` },
      ]);
      expect(requests.some((url) => url.includes(key))).toBe(false);
      expect(page.url()).not.toContain(key);
      expect(await browserStorage(page)).not.toContain(key);
      expect(foreignRequests).toEqual([]);
      // Chromium logs the refused requests (no key yet); nothing else went wrong.
      expect(pageErrors.filter((error) => !error.includes('status of 401'))).toEqual([]);
    } finally {
      await keyed.close();
    }
  }, 60_000);
});

/** What the page sent as `RevokeTokens`: the variables and the key it sent them with. */
interface RevokeRequest {
  dryRun: boolean;
  refs: Record<string, string>[];
  authorization: string | undefined;
}

/** Records every `RevokeTokens` request `page` sends from now on. */
function revokeRequests(page: Page): RevokeRequest[] {
  const sent: RevokeRequest[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/graphql')) return;
    const body = request.postDataJSON() as { operationName?: string; variables: { dryRun: boolean; refs: Record<string, string>[] } };
    if (body.operationName === 'RevokeTokens') sent.push({ ...body.variables, authorization: request.headers().authorization });
  });
  return sent;
}

/** `METHOD /path` of each call an upstream received that was not a read. */
const writes = (calls: readonly RecordedCall[]) => calls.filter((call) => call.method !== 'GET').map((call) => `${call.method} ${call.path.replace(/\?.*$/, '')}`);

const READ_BACK = 'query ReadBack($refs: [TokenRef!]!) { tokens(refs: $refs) { tokenId name } }';

/** `tokens(refs:)` asked of `origin` directly, not through the page. */
async function readBack(origin: string, refs: Record<string, string>[], key?: string): Promise<unknown[]> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query: READ_BACK, variables: { refs } }),
  });
  return ((await response.json()) as { data: { tokens: unknown[] } }).data.tokens;
}

describe('revoking a token from the overview page in Chromium', () => {
  const ALICE_CI = { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' };
  const OPS_AUTOMATION = { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-demo-1' };
  const started: DemoTokengraph[] = [];
  /** Demo tokengraph on upstreams of its own: a revocation lasts until they restart. */
  async function ownTokengraph(env: NodeJS.ProcessEnv = {}): Promise<DemoTokengraph> {
    const tokengraph = await startDemoTokengraph(env);
    started.push(tokengraph);
    return tokengraph;
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map((tokengraph) => tokengraph.close()));
  });

  const dialog = (page: Page) => page.getByRole('dialog');
  const dryRunOutcome = (page: Page) => page.locator('#revoke-status').getAttribute('data-outcome');

  it('runs a dry run, names the token and its outcome in a dialog, revokes only once confirmed, and marks the row REVOKED; NetBird has lost the token', async () => {
    const tokengraph = await ownTokengraph();
    const { page, requests, foreignRequests, pageErrors, screenshot } = await stack.newPage(tokengraph.origin);
    const sent = revokeRequests(page);
    await page.goto(`${tokengraph.origin}/?source=NETBIRD&q=CI%20deploy`);
    await loaded(page);
    const row = page.locator('#token-rows tr[data-token-id="nb-demo-1"]');
    expect(await row.count()).toBe(1);

    await row.getByRole('button', { name: 'Revoke NetBird token CI deploy (nb-demo-1)' }).click();
    await expect.poll(() => dryRunOutcome(page)).toBe('WOULD_REVOKE');
    expect(await dialog(page).isVisible()).toBe(true);
    expect(await page.locator('#revoke-title').textContent()).toBe('Revoke “CI deploy”?');
    expect(await page.locator('dl.revoke-token').evaluate((dl) => [...dl.querySelectorAll('dd')].map((dd) => dd.textContent))).toEqual(['NetBird', 'CI deploy', 'alice', 'nb-demo-1']);
    expect(await page.locator('#revoke-status').textContent()).toMatch(/^Dry run: WOULD_REVOKE — /);
    // The page's own reference: NetBird needs the user, which is not the owner shown for every token.
    expect(sent).toEqual([{ dryRun: true, refs: [ALICE_CI], authorization: undefined }]);
    // The dry run read the token and wrote nothing.
    expect(tokengraph.demo.netbird.calls.map((call) => `${call.method} ${call.path}`)).toContain('GET /api/users/alice/tokens/nb-demo-1');
    expect(writes(tokengraph.demo.netbird.calls)).toEqual([]);
    expect(await page.locator('#revoke-full-id').isVisible()).toBe(false);
    await screenshot('overview-revoke-dialog');

    await dialog(page).getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => row.getAttribute('data-revoke-outcome')).toBe('REVOKED');
    expect(await dialog(page).isVisible()).toBe(false);
    expect(await row.getAttribute('class')).toContain('row-revoked');
    expect(await row.locator('.badge-outcome').textContent()).toBe('REVOKED');
    expect(await row.getByRole('button', { name: /^Revoke/ }).count()).toBe(0);
    expect(sent).toEqual([
      { dryRun: true, refs: [ALICE_CI], authorization: undefined },
      { dryRun: false, refs: [ALICE_CI], authorization: undefined },
    ]);
    // At the upstream: one DELETE, and the token is gone.
    expect(writes(tokengraph.demo.netbird.calls)).toEqual(['DELETE /api/users/alice/tokens/nb-demo-1']);
    await expect(readBack(tokengraph.origin, [ALICE_CI])).resolves.toEqual([null]);
    await screenshot('overview-revoked');

    expect(foreignRequests).toEqual([]);
    expect(requests.every((url) => url.startsWith(`${tokengraph.origin}/`))).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('sends no revocation when the dialog is cancelled after the dry run', async () => {
    const tokengraph = await ownTokengraph();
    const { page, pageErrors } = await stack.newPage(tokengraph.origin);
    const sent = revokeRequests(page);
    await page.goto(`${tokengraph.origin}/?q=astra-demo-1`);
    await loaded(page);
    const row = page.locator('#token-rows tr[data-token-id="astra-demo-1"]');
    await row.getByRole('button', { name: /^Revoke Astra Control token/ }).click();
    await expect.poll(() => dryRunOutcome(page)).toBe('WOULD_REVOKE');
    expect(await page.locator('dl.revoke-token').textContent()).toContain('ops automation');

    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog(page).isVisible()).toBe(false);
    // Escape after a second dry run closes it as well, and sends nothing either.
    await row.getByRole('button', { name: /^Revoke Astra Control token/ }).click();
    await expect.poll(() => sent.length).toBe(2);
    await expect.poll(() => dryRunOutcome(page)).toBe('WOULD_REVOKE');
    await page.keyboard.press('Escape');
    expect(await dialog(page).isVisible()).toBe(false);
    await page.waitForTimeout(300);

    expect(sent.map((request) => [request.dryRun, request.refs])).toEqual([
      [true, [OPS_AUTOMATION]],
      [true, [OPS_AUTOMATION]],
    ]);
    expect(writes(tokengraph.demo.astra.calls)).toEqual([]);
    expect(tokengraph.demo.astra.calls.filter((call) => call.path.includes('astra-demo-1')).length).toBe(2);
    expect(await row.getAttribute('data-revoke-outcome')).toBeNull();
    expect(await row.getByRole('button', { name: /^Revoke/ }).count()).toBe(1);
    await expect(readBack(tokengraph.origin, [OPS_AUTOMATION])).resolves.toEqual([expect.objectContaining({ name: 'ops automation' })]);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("revokes a Crafter access token by its pasted full id, checked against the row's token first, never putting the id in the URL or storage", async () => {
    const ACCESS_TOKEN = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';
    const OTHER_ACCESS_TOKEN = 'e8f5170c-877b-416f-b70f-4b09772f8e2d';
    const tokengraph = await ownTokengraph();
    const { page, requests, pageErrors, screenshot } = await stack.newPage(tokengraph.origin);
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    const sent = revokeRequests(page);
    await page.goto(`${tokengraph.origin}/?source=CRAFTER_ACCESS_TOKEN`);
    await loaded(page);
    const row = page.locator('#token-rows tr[data-token-id="f81d…6bf6"]');
    expect(await row.textContent()).toContain('demo-site');

    await row.getByRole('button', { name: /^Revoke Crafter access token token demo-site/ }).click();
    const fullId = page.getByLabel('Full token id');
    expect(await fullId.isVisible()).toBe(true);
    expect(await fullId.getAttribute('type')).toBe('password');
    expect(await page.locator('#revoke-id-form').textContent()).toContain('never into the address or any storage');
    expect(await page.locator('#revoke-status').textContent()).toBe('Paste the token’s full id, then Check.');
    expect(await dialog(page).getByRole('button', { name: 'Yes, revoke' }).isDisabled()).toBe(true);
    // Nothing can be read before the page has the id.
    expect(sent).toEqual([]);

    // Another token's id: the dry run says so, and nothing may be confirmed.
    await fullId.fill(OTHER_ACCESS_TOKEN);
    await dialog(page).getByRole('button', { name: 'Check id' }).click();
    await expect.poll(() => page.locator('#revoke-status').textContent()).toContain('another token’s (“adminconsole”)');
    expect(await dialog(page).getByRole('button', { name: 'Yes, revoke' }).isDisabled()).toBe(true);
    expect(await row.getAttribute('data-revoke-outcome')).toBeNull();

    await fullId.fill(ACCESS_TOKEN);
    await dialog(page).getByRole('button', { name: 'Check id' }).click();
    await expect.poll(() => dryRunOutcome(page)).toBe('WOULD_REVOKE');
    await screenshot('overview-revoke-access-token');
    await dialog(page).getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => row.getAttribute('data-revoke-outcome')).toBe('REVOKED');

    expect(sent.map((request) => [request.dryRun, request.refs])).toEqual([
      [true, [{ source: 'CRAFTER_ACCESS_TOKEN', tokenId: OTHER_ACCESS_TOKEN }]],
      [true, [{ source: 'CRAFTER_ACCESS_TOKEN', tokenId: ACCESS_TOKEN }]],
      [false, [{ source: 'CRAFTER_ACCESS_TOKEN', tokenId: ACCESS_TOKEN }]],
    ]);
    expect(writes(tokengraph.demo.crafterProfile.calls)).toEqual([`POST /crafter-profile/api/1/access_token/${ACCESS_TOKEN}/delete`]);
    await expect(readBack(tokengraph.origin, [{ source: 'CRAFTER_ACCESS_TOKEN', tokenId: ACCESS_TOKEN }])).resolves.toEqual([null]);

    // The id was used and is gone from the page: the field cleared, nothing in the URL, storage or console.
    expect(await fullId.inputValue()).toBe('');
    expect(requests.some((url) => url.includes(ACCESS_TOKEN))).toBe(false);
    expect(page.url()).not.toContain(ACCESS_TOKEN);
    expect(await browserStorage(page)).not.toContain(ACCESS_TOKEN);
    expect(consoleLines.join('\n')).not.toContain(ACCESS_TOKEN);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('shows FORBIDDEN in the row when the saved API key may not revoke, with no upstream call; the admin key then revokes', async () => {
    const READ_KEY = 'browser-read-only-key-7d2e5a';
    const ADMIN_KEY = 'browser-admin-key-91c4b0f3';
    const tokengraph = await ownTokengraph({ TOKENGRAPH_API_KEYS: READ_KEY, TOKENGRAPH_ADMIN_API_KEYS: ADMIN_KEY });
    const { page, pageErrors } = await stack.newPage(tokengraph.origin);
    const sent = revokeRequests(page);
    await page.goto(`${tokengraph.origin}/?source=NETBIRD&q=CI%20deploy`);
    await expect.poll(() => state(page)).toBe('Not signed in.');
    await page.locator('summary', { hasText: 'API key' }).click();
    await page.fill('#api-key', READ_KEY);
    await page.getByRole('button', { name: 'Save' }).click();
    const row = page.locator('#token-rows tr[data-token-id="nb-demo-1"]');
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await loaded(page);

    const upstreamCalls = () => [tokengraph.demo.netbird, tokengraph.demo.astra, tokengraph.demo.crafterProfile, tokengraph.demo.games].reduce((sum, upstream) => sum + upstream.calls.length, 0);
    const before = upstreamCalls();
    await row.getByRole('button', { name: /^Revoke NetBird token/ }).click();
    await expect.poll(() => row.getAttribute('data-revoke-outcome')).toBe('FORBIDDEN');
    expect(await row.locator('.badge-outcome').textContent()).toBe('FORBIDDEN');
    expect(await row.locator('.outcome-detail').textContent()).toContain('TOKENGRAPH_ADMIN_API_KEYS');
    expect(await page.locator('#revoke-status').textContent()).toMatch(/^Dry run: FORBIDDEN — /);
    expect(await dialog(page).getByRole('button', { name: 'Yes, revoke' }).isDisabled()).toBe(true);
    // Sent with the key the table was read with; refused before any upstream call.
    expect(sent).toEqual([{ dryRun: true, refs: [ALICE_CI], authorization: `Bearer ${READ_KEY}` }]);
    expect(upstreamCalls()).toBe(before);
    expect(writes(tokengraph.demo.netbird.calls)).toEqual([]);
    await dialog(page).getByRole('button', { name: 'Close' }).click();
    await expect(readBack(tokengraph.origin, [ALICE_CI], READ_KEY)).resolves.toEqual([expect.objectContaining({ tokenId: 'nb-demo-1' })]);

    // The same row, once the admin key is saved, is revoked with it.
    await page.fill('#api-key', ADMIN_KEY);
    await page.getByRole('button', { name: 'Save' }).click();
    await loaded(page);
    await row.getByRole('button', { name: /^Revoke NetBird token/ }).click();
    await expect.poll(() => dryRunOutcome(page)).toBe('WOULD_REVOKE');
    await dialog(page).getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => row.getAttribute('data-revoke-outcome')).toBe('REVOKED');
    expect(sent.slice(1)).toEqual([
      { dryRun: true, refs: [ALICE_CI], authorization: `Bearer ${ADMIN_KEY}` },
      { dryRun: false, refs: [ALICE_CI], authorization: `Bearer ${ADMIN_KEY}` },
    ]);
    expect(writes(tokengraph.demo.netbird.calls)).toEqual(['DELETE /api/users/alice/tokens/nb-demo-1']);
    // Chromium logs the first load's 401 (no key saved yet); nothing else went wrong.
    expect(pageErrors.filter((error) => !error.includes('status of 401'))).toEqual([]);
  }, 60_000);

  it('offers no Revoke for games tokens, saying why, and one for every other token read', async () => {
    const { page, pageErrors } = await openOverview('/?source=GAME&source=NETBIRD&watch=NETBIRD/alice/no-such-token');
    const shown = await rows(page).evaluateAll((trs) =>
      trs.map((tr) => ({
        source: tr.getAttribute('data-source'),
        problem: tr.classList.contains('row-problem'),
        buttons: [...tr.querySelectorAll('td.actions button')].map((button) => button.textContent),
        note: tr.querySelector('.not-revocable')?.getAttribute('title') ?? null,
        details: tr.querySelector('button.disclosure') !== null,
      })),
    );
    const games = shown.filter((row) => row.source === 'GAME');
    const netbird = shown.filter((row) => row.source === 'NETBIRD' && !row.problem);
    expect(games.length).toBeGreaterThan(0);
    expect(netbird.length).toBeGreaterThan(0);
    expect(games.every((row) => row.buttons.length === 0 && row.note === 'The games platform documents no way to revoke a token')).toBe(true);
    expect(netbird.every((row) => JSON.stringify(row.buttons) === '["Revoke"]' && row.note === null)).toBe(true);
    // Every token read has its details (its history); a watched token tokengraph could not find has nothing to revoke and no details.
    expect([...games, ...netbird].every((row) => row.details)).toBe(true);
    expect(shown.filter((row) => row.problem)).toEqual([{ source: 'NETBIRD', problem: true, buttons: [], note: null, details: false }]);
    expect(await page.getByRole('button', { name: /^Revoke Games/ }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
