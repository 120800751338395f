/**
 * The history (contract §12) on the token overview page, in real headless Chromium against demo
 * tokengraph with its history in memory (PGlite, as demo mode keeps it), and real events made to
 * happen: the first read's APPEARED, a revocation through the page (REVOKED, with the admin key's
 * fingerprint and the request id), an upstream token renamed and extended (CHANGED, old → new).
 *
 * Each row's details (a ▸ disclosure, keyboard operable) show when tokengraph first saw the token
 * and its newest events; "Recent changes" lists the newest events across every token, follows the
 * source filter and the kinds chosen (kept in the URL), pages with "Load more changes", and links
 * an event to its row while the table shows that token. A load is still one GraphQL request. While
 * the history's database opens, the rows are shown and only the history says it is opening, until
 * "Ask again" finds it open.
 */
import type { Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoData } from '../../src/demo/demoData.js';
import type { RecentChangesPageFragment } from '../../src/generated/client/graphql.js';
import { openDatabase } from '../../src/history/database.js';
import { apiKeyFingerprint } from '../../src/security/apiKeys.js';
import { browserStorage, startBrowserStack, startDemoTokengraph, type BrowserStack, type DemoTokengraph, type DemoTokengraphOptions, type RecordingPage } from './browser.js';

type Page = RecordingPage['page'];

let stack: BrowserStack;
beforeAll(async () => {
  stack = await startBrowserStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const started: DemoTokengraph[] = [];
/** Demo tokengraph with upstreams and a history of its own. */
async function ownTokengraph(env: NodeJS.ProcessEnv = {}, options: DemoTokengraphOptions = {}): Promise<DemoTokengraph> {
  const tokengraph = await startDemoTokengraph(env, options);
  started.push(tokengraph);
  return tokengraph;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((tokengraph) => tokengraph.close()));
});

/** An event as tokengraph answers it (the fields Recent changes asks for). */
type Event = RecentChangesPageFragment['nodes'][number];

/** `tokenEvents` as tokengraph answers it directly (not through the page): every event `filter` keeps, newest first. */
async function apiEvents(origin: string, filter: Record<string, unknown> = {}, key?: string): Promise<{ totalCount: number; nodes: Event[] }> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({
      query: 'query Events($filter: TokenEventFilter) { tokenEvents(filter: $filter, first: 500) { totalCount nodes { at kind source tokenId token name owner detail actor } } }',
      variables: { filter },
    }),
  });
  const body = (await response.json()) as { data: { tokenEvents: { totalCount: number; nodes: Event[] } } };
  return body.data.tokenEvents;
}

/** Waits until every read so far has been written to the history (a read's events are written as it answers). */
async function settled(tokengraph: DemoTokengraph): Promise<void> {
  await tokengraph.tokengraph.history!.recordRead({ collectedAt: 0, tokens: [], parts: [] }, { judgeAbsent: true });
}

/** Waits for a load of the table and of Recent changes to finish. */
async function loaded(page: Page): Promise<void> {
  await page.locator('#state').filter({ hasText: /tokens? ·|inventory not read|Not signed in|Failed/ }).waitFor({ timeout: 15_000 });
  await changesLoaded(page);
}

async function changesLoaded(page: Page): Promise<void> {
  await page.locator('section[aria-labelledby="changes-title"][aria-busy="false"]').waitFor({ timeout: 15_000 });
}

/** The GraphQL operations `page` sends from now on: name and variables. */
function operations(page: Page): Array<{ operationName: string; variables: Record<string, unknown>; response: Promise<string | undefined> }> {
  const sent: Array<{ operationName: string; variables: Record<string, unknown>; response: Promise<string | undefined> }> = [];
  page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/graphql')) return;
    const body = request.postDataJSON() as { operationName: string; variables: Record<string, unknown> };
    sent.push({ ...body, response: request.response().then((response) => response?.headers()['x-request-id'], () => undefined) });
  });
  return sent;
}

interface ShownChange {
  at: string;
  kind: string;
  source: string;
  token: string;
  linked: boolean;
  /** Time, kind, source, token, owner, detail, actor. */
  cells: string[];
}

const shownChanges = (page: Page): Promise<ShownChange[]> =>
  page.locator('#change-rows tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      at: tr.getAttribute('data-at')!,
      kind: tr.getAttribute('data-kind')!,
      source: tr.getAttribute('data-source')!,
      token: tr.getAttribute('data-token')!,
      linked: tr.hasAttribute('data-linked'),
      cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
    })),
  );

/** The token row whose shown id is `tokenId`. */
const row = (page: Page, tokenId: string) => page.locator(`#token-rows tr[data-token-id="${tokenId}"]`);
/** The details row right below the row of `tokenId`, while open. */
const detailsOf = (page: Page, tokenId: string) => row(page, tokenId).locator('xpath=following-sibling::tr[1][contains(@class, "details-row")]');
/** The events a details row shows: kind, then time, detail and actor. */
const detailEvents = (details: ReturnType<typeof detailsOf>) =>
  details.locator('table.history tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-kind'), ...[...tr.querySelectorAll('td')].map((td) => td.textContent)].filter((_, i) => i !== 2)));

/** Counts the rows added to `selector`'s element from now on (a MutationObserver in the page): the count so far, when called. */
async function addedRows(page: Page, selector: string): Promise<() => Promise<number>> {
  const key = `added ${selector}`;
  await page.locator(selector).evaluate((element, key) => {
    // The test's types have no DOM: what it uses of one, from the page's global.
    type Records = Array<{ addedNodes: Iterable<{ nodeName: string }> }>;
    const page = globalThis as unknown as Record<string, number> & { MutationObserver: new (callback: (records: Records) => void) => { observe(target: unknown, options: { childList: true }): void } };
    page[key] = 0;
    new page.MutationObserver((records) => {
      for (const record of records) page[key]! += [...record.addedNodes].filter((node) => node.nodeName === 'TR').length;
    }).observe(element, { childList: true });
  }, key);
  return () => page.evaluate((key) => (globalThis as unknown as Record<string, number>)[key]!, key);
}

const eventTime = (at: string) => `${at.slice(0, 10)} ${at.slice(11, 19)}`;

describe('the history on the overview page in Chromium', () => {
  it("shows each row's first sighting and APPEARED event after the first read, and Recent changes, in one request; the details open and close by keyboard", async () => {
    await stack.tokengraph.history!.opened;
    const { page, requests, foreignRequests, pageErrors } = await stack.newPage();
    await page.goto(`${stack.origin}/`);
    await loaded(page);
    // The first read's events are written as it answers: the next load shows them.
    await settled(stack);
    const sent = operations(page);
    const before = requests.length;
    await page.reload();
    await loaded(page);

    // One request for the whole load: the table's page with every row's history, the counts and Recent changes.
    expect(sent.map((operation) => operation.operationName)).toEqual(['TokenOverview']);
    expect(sent[0]!.variables).toMatchObject({ withHistory: true, withChanges: true, withCounts: true, changesFilter: null });
    expect(requests.slice(before).filter((url) => url.endsWith('/graphql'))).toHaveLength(1);

    // Recent changes: the newest 20 of every event, as tokengraph answers them, all APPEARED.
    const all = await apiEvents(stack.origin);
    expect(all.totalCount).toBeGreaterThan(200);
    expect(all.nodes.every((event) => event.kind === 'APPEARED')).toBe(true);
    const changes = await shownChanges(page);
    expect(changes.map((change) => [change.at, change.kind, change.token])).toEqual(all.nodes.slice(0, 20).map((event) => [event.at, event.kind, event.token]));
    expect(await page.locator('#changes-state').textContent()).toBe(`20 of ${all.totalCount} changes shown`);
    expect(changes[0]!.cells[0]).toBe(eventTime(all.nodes[0]!.at));

    // The first row's details, by keyboard: its first sighting and its APPEARED event at that time.
    const first = page.locator('#token-rows tr[data-id]').first();
    const tokenId = (await first.getAttribute('data-token-id'))!;
    const firstId = (await first.getAttribute('data-id'))!;
    const button = first.locator('button.disclosure');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await detailsOf(page, tokenId).count()).toBe(0);
    await button.focus();
    await page.keyboard.press('Enter');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const details = detailsOf(page, tokenId);
    expect(await details.getAttribute('id')).toBe(await button.getAttribute('aria-controls'));
    expect(await details.getAttribute('data-history')).toBe('shown');
    // It spans every column of the table.
    expect(Number(await details.locator('td').first().getAttribute('colspan'))).toBe(await page.locator('table:has(#token-rows) > thead th').count());
    const own = (await apiEvents(stack.origin, { token: firstId })).nodes;
    expect(own.map((event) => event.kind)).toEqual(['APPEARED']);
    expect(await details.locator('.first-seen').textContent()).toBe(`First seen ${eventTime(own[0]!.at)} UTC`);
    expect(await detailEvents(details)).toEqual([['APPEARED', eventTime(own[0]!.at), '', '']]);
    // Space closes it again, the focus staying on the button; Enter opens it once more.
    expect(await page.locator(':focus').getAttribute('aria-controls')).toBe(await details.getAttribute('id'));
    await page.keyboard.press('Space');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await detailsOf(page, tokenId).count()).toBe(0);
    await page.keyboard.press('Enter');
    expect(await detailsOf(page, tokenId).getAttribute('data-history')).toBe('shown');
    // Opening details asks nothing: the history came with the rows.
    expect(sent).toHaveLength(1);

    // An event whose token the table shows links to its row: its details open, the focus on its ▸.
    const linked = changes.find((change) => change.linked && change.token !== firstId)!;
    expect(linked).toBeDefined();
    await page.locator(`#change-rows tr[data-token="${linked.token}"] button.link`).click();
    const target = page.locator(`#token-rows tr[data-id="${linked.token}"]`);
    expect(await target.locator('button.disclosure').getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#token-rows tr:has(button.disclosure:focus)').getAttribute('data-id')).toBe(linked.token);
    // The others are on later pages of the table: no link.
    const shownIds = new Set(await page.locator('#token-rows tr[data-id]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id'))));
    expect(changes.map((change) => change.linked)).toEqual(changes.map((change) => shownIds.has(change.token)));
    expect(await page.locator('#change-rows tr:not([data-linked]) button.link').count()).toBe(0);

    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('follows the source filter; the kinds chosen are kept in the URL; a token name is text; a Crafter ticket never links to its row', async () => {
    await stack.tokengraph.history!.opened;
    await settled(stack);
    const { page, pageErrors } = await stack.newPage();
    const sent = operations(page);
    await page.goto(`${stack.origin}/?source=GAME&source=CRAFTER_TICKET`);
    await loaded(page);
    const games = await apiEvents(stack.origin, { sources: ['CRAFTER_TICKET', 'GAME'] });
    expect(games.totalCount).toBeGreaterThan(0);
    const changes = await shownChanges(page);
    expect(changes.map((change) => [change.kind, change.token])).toEqual(games.nodes.slice(0, 20).map((event) => [event.kind, event.token]));
    expect(sent.map((operation) => [operation.operationName, operation.variables.changesFilter])).toEqual([['TokenOverview', { sources: ['CRAFTER_TICKET', 'GAME'] }]]);

    // A hostile name from an upstream is text in the list, never markup.
    const hostile = changes.find((change) => change.cells[3]!.startsWith('Spin & Win <Deluxe>'))!;
    expect(hostile.cells.slice(1, 5)).toEqual(['APPEARED', 'Games', 'Spin & Win <Deluxe>game-demo-1', 'player-4711']);
    expect(await page.locator('#change-rows deluxe').count()).toBe(0);
    // Tickets: listed in the table (the server watches them), their events kept under a fingerprint's id, so never linked; their ids masked.
    const tickets = changes.filter((change) => change.source === 'CRAFTER_TICKET');
    expect(tickets.length).toBeGreaterThan(0);
    expect(await page.locator('#token-rows tr[data-source="CRAFTER_TICKET"]').count()).toBeGreaterThan(0);
    expect(tickets.every((change) => !change.linked && change.cells[3]!.includes('…'))).toBe(true);
    expect(changes.filter((change) => change.source === 'GAME').every((change) => change.linked)).toBe(true);

    // Kinds: one RecentChanges request each, the table untouched; kept in the URL and read back from it.
    const form = page.locator('#change-kinds');
    await form.getByRole('checkbox', { name: 'DISAPPEARED' }).check();
    await expect.poll(() => new URL(page.url()).search).toBe('?source=CRAFTER_TICKET&source=GAME&kind=DISAPPEARED');
    await changesLoaded(page);
    await expect.poll(() => page.locator('#changes-state').textContent()).toBe('No changes recorded yet');
    expect(await page.locator('#change-rows tr').count()).toBe(0);
    await form.getByRole('checkbox', { name: 'APPEARED', exact: true }).check();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('kind')).toEqual(['APPEARED', 'DISAPPEARED']);
    await changesLoaded(page);
    await expect.poll(async () => (await shownChanges(page)).map((change) => change.token)).toEqual(games.nodes.slice(0, 20).map((event) => event.token));
    expect(sent.slice(1).map((operation) => [operation.operationName, operation.variables.filter])).toEqual([
      ['RecentChanges', { sources: ['CRAFTER_TICKET', 'GAME'], kinds: ['DISAPPEARED'] }],
      ['RecentChanges', { sources: ['CRAFTER_TICKET', 'GAME'], kinds: ['APPEARED', 'DISAPPEARED'] }],
    ]);
    await page.reload();
    await loaded(page);
    expect(await form.getByRole('checkbox', { name: 'APPEARED', exact: true }).isChecked()).toBe(true);
    expect(await form.getByRole('checkbox', { name: 'REVOKED' }).isChecked()).toBe(false);
    expect(sent.at(-1)!.variables.changesFilter).toEqual({ sources: ['CRAFTER_TICKET', 'GAME'], kinds: ['APPEARED', 'DISAPPEARED'] });

    // Another source: the whole view again, one request, Recent changes with it.
    const count = sent.length;
    await page.getByRole('checkbox', { name: 'Games' }).uncheck();
    await expect.poll(() => sent.length).toBe(count + 1);
    await loaded(page);
    expect(sent.at(-1)).toMatchObject({ operationName: 'TokenOverview', variables: { changesFilter: { sources: ['CRAFTER_TICKET'], kinds: ['APPEARED', 'DISAPPEARED'] } } });
    expect(new Set((await shownChanges(page)).map((change) => change.source))).toEqual(new Set(['CRAFTER_TICKET']));
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('"Load more changes" pages through every event with the keyset cursor, each once, in tokengraph\'s order, one request a page', async () => {
    await stack.tokengraph.history!.opened;
    await settled(stack);
    const { page, pageErrors } = await stack.newPage();
    await page.goto(`${stack.origin}/`);
    await loaded(page);
    const sent = operations(page);
    const all = await apiEvents(stack.origin);
    const more = page.getByRole('button', { name: 'Load more changes' });
    const added = await addedRows(page, '#change-rows');
    let clicks = 0;
    while (await more.isVisible()) {
      const shown = await page.locator('#change-rows tr').count();
      const before = await added();
      await more.click();
      clicks += 1;
      await expect.poll(() => page.locator('#change-rows tr').count()).toBe(Math.min(all.totalCount, shown + 20));
      await changesLoaded(page);
      // Each page's rows are added to those shown: the list is not built again.
      expect((await added()) - before).toBe(Math.min(all.totalCount, shown + 20) - shown);
    }
    const changes = await shownChanges(page);
    expect(changes.map((change) => [change.at, change.kind, change.token])).toEqual(all.nodes.map((event) => [event.at, event.kind, event.token]));
    expect(new Set(changes.map((change) => `${change.kind} ${change.token}`)).size).toBe(all.totalCount);
    expect(clicks).toBe(Math.ceil(all.totalCount / 20) - 1);
    expect(await page.locator('#changes-state').textContent()).toBe(`${all.totalCount} changes`);
    // Each page its own request, after the cursor of the one before; the table not asked again.
    expect(sent.map((operation) => operation.operationName)).toEqual(Array.from({ length: clicks }, () => 'RecentChanges'));
    expect(sent.every((operation, i) => typeof operation.variables.after === 'string' && (i === 0 || operation.variables.after !== sent[i - 1]!.variables.after))).toBe(true);

    // The table's next page: the events of its tokens now link to their rows, and no row of the list is built again.
    const linkedBefore = changes.filter((change) => change.linked).length;
    const before = await added();
    await page.locator('#load-more').click();
    await expect.poll(() => page.locator('#token-rows tr[data-id]').count()).toBe(100);
    await loaded(page);
    const shownIds = new Set(await page.locator('#token-rows tr[data-id]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id'))));
    const relinked = await shownChanges(page);
    expect(relinked.map((change) => change.linked)).toEqual(relinked.map((change) => shownIds.has(change.token)));
    expect(relinked.filter((change) => change.linked).length).toBeGreaterThan(linkedBefore);
    expect(await page.locator('#change-rows tr:not([data-linked]) button.link').count()).toBe(0);
    expect(await page.locator('#change-rows tr[data-linked] td.token button.link').count()).toBe(relinked.filter((change) => change.linked).length);
    expect((await added()) - before).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});

describe('events made through the page and upstream, on a tokengraph of its own', () => {
  const ADMIN_KEY = 'browser-history-admin-key-3c81f7a0';

  it("shows REVOKED with the admin key's fingerprint and the request id, and CHANGED old → new, in the row's details and in Recent changes", async () => {
    const data = demoData(new Date());
    const tokengraph = await ownTokengraph({ TOKENGRAPH_ADMIN_API_KEYS: ADMIN_KEY }, { data });
    await tokengraph.tokengraph.history!.opened;
    const { page, requests, foreignRequests, pageErrors, screenshot } = await stack.newPage(tokengraph.origin);
    const sent = operations(page);
    await page.goto(`${tokengraph.origin}/?source=NETBIRD&q=deploy`);
    await expect.poll(() => page.locator('#state').textContent()).toBe('Not signed in.');
    await page.locator('summary', { hasText: 'API key' }).click();
    await page.fill('#api-key', ADMIN_KEY);
    await page.getByRole('button', { name: 'Save' }).click();
    await loaded(page);
    expect(await page.locator('#state').textContent()).toMatch(/^\d+ tokens · /);

    // An upstream change: NetBird's "staging deploy" renamed and extended. The next read sees it.
    const entry = data.netbird.find((e) => e.token.id === 'nb-demo-4')!;
    const before = { name: entry.token.name, expiresAt: new Date(entry.token.expiration_date).toISOString() };
    entry.token.name = 'staging deploy (renewed)';
    entry.token.expiration_date = new Date(Date.now() + 60 * 86_400_000).toISOString();
    await settled(tokengraph);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await loaded(page);
    await settled(tokengraph);
    // Its events are written as the read answers: the next load has them.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await loaded(page);
    const changed = (await apiEvents(tokengraph.origin, { kinds: ['CHANGED'] }, ADMIN_KEY)).nodes;
    expect(changed).toEqual([expect.objectContaining({ tokenId: 'nb-demo-4', name: 'staging deploy (renewed)', owner: 'alice' })]);
    const detail = `name: ${JSON.stringify(before.name)} → ${JSON.stringify(entry.token.name)}; expiresAt: ${JSON.stringify(before.expiresAt)} → ${JSON.stringify(entry.token.expiration_date)}`;
    expect(changed[0]!.detail).toBe(detail);
    await row(page, 'nb-demo-4').getByRole('button', { name: /^Details of NetBird token staging deploy \(renewed\)/ }).click();
    expect(await detailEvents(detailsOf(page, 'nb-demo-4'))).toEqual([
      ['CHANGED', eventTime(changed[0]!.at), detail, ''],
      ['APPEARED', expect.any(String), '', ''],
    ]);
    expect((await shownChanges(page))[0]).toMatchObject({ kind: 'CHANGED', token: changed[0]!.token, linked: true, cells: [eventTime(changed[0]!.at), 'CHANGED', 'NetBird', 'staging deploy (renewed)nb-demo-4', 'alice', detail, ''] });

    // A revocation through the page: the REVOKED event in the row's details and atop Recent changes, in one more request.
    await row(page, 'nb-demo-1').getByRole('button', { name: 'Details of NetBird token CI deploy (nb-demo-1)' }).click();
    expect(await detailEvents(detailsOf(page, 'nb-demo-1'))).toEqual([['APPEARED', expect.any(String), '', '']]);
    await row(page, 'nb-demo-1').getByRole('button', { name: 'Revoke NetBird token CI deploy (nb-demo-1)' }).click();
    await expect.poll(() => page.locator('#revoke-status').getAttribute('data-outcome')).toBe('WOULD_REVOKE');
    const count = sent.length;
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => row(page, 'nb-demo-1').getAttribute('data-revoke-outcome')).toBe('REVOKED');
    await expect.poll(() => detailEvents(detailsOf(page, 'nb-demo-1')).then((events) => events[0]?.[0])).toBe('REVOKED');
    await changesLoaded(page);
    expect(sent.slice(count).map((operation) => [operation.operationName, operation.variables.dryRun ?? operation.variables.withToken])).toEqual([
      ['RevokeTokens', false],
      ['RecentChanges', true],
    ]);
    const requestId = await sent[count]!.response;
    expect(requestId).toBeTruthy();
    const fingerprint = apiKeyFingerprint(ADMIN_KEY);
    const revoked = (await apiEvents(tokengraph.origin, { kinds: ['REVOKED'] }, ADMIN_KEY)).nodes;
    expect(revoked).toEqual([expect.objectContaining({ tokenId: 'nb-demo-1', detail: requestId, actor: fingerprint })]);
    expect(await detailEvents(detailsOf(page, 'nb-demo-1'))).toEqual([
      ['REVOKED', eventTime(revoked[0]!.at), `request ${requestId}`, `key ${fingerprint}`],
      ['APPEARED', expect.any(String), '', ''],
    ]);
    expect(await detailsOf(page, 'nb-demo-1').locator('td.actor').first().getAttribute('title')).toContain('fingerprint');
    const top = await shownChanges(page);
    expect(top.slice(0, 2).map((change) => change.cells)).toEqual([
      [eventTime(revoked[0]!.at), 'REVOKED', 'NetBird', 'CI deploynb-demo-1', 'alice', `request ${requestId}`, `key ${fingerprint}`],
      [eventTime(changed[0]!.at), 'CHANGED', 'NetBird', 'staging deploy (renewed)nb-demo-4', 'alice', detail, ''],
    ]);
    await screenshot('overview-history');

    // The key was used in headers only: never in a URL or the browser's storage.
    expect(requests.some((url) => url.includes(ADMIN_KEY))).toBe(false);
    expect(page.url()).not.toContain(ADMIN_KEY);
    expect(await browserStorage(page)).not.toContain(ADMIN_KEY);
    expect(foreignRequests).toEqual([]);
    // Chromium logs the first load's 401 (no key saved yet); nothing else went wrong.
    expect(pageErrors.filter((error) => !error.includes('status of 401'))).toEqual([]);
  }, 120_000);

  it("says where Recent changes or a row's history could not be read, showing none of the events from before: a list refused whole, tokengraph not reached, a history that fails after a revocation", async () => {
    const tokengraph = await ownTokengraph();
    await tokengraph.tokengraph.history!.opened;
    const { page, pageErrors } = await stack.newPage(tokengraph.origin);
    await page.goto(`${tokengraph.origin}/?source=NETBIRD&q=CI%20deploy`);
    await loaded(page);
    await settled(tokengraph);
    await page.reload();
    await loaded(page);
    expect(await page.locator('#change-rows tr').count()).toBeGreaterThan(0);
    const problem = page.locator('#changes-problem');
    expect(await problem.isHidden()).toBe(true);

    // Each time: a filter changed while tokengraph does not answer Recent changes; then, answering again, the filter back.
    const recentChanges = (route: Route) => (route.request().postDataJSON() as { operationName?: string }).operationName === 'RecentChanges';
    const refusal = { message: 'the query asks for too many fields', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    const unreachable = /^The history could not be read \(UNREACHABLE\): tokengraph could not be reached: .* Ask again$/;
    const kinds = page.locator('#change-kinds');
    const cases: Array<{ filter: ReturnType<Page['getByRole']>; fault: (route: Route) => Promise<void>; said: RegExp }> = [
      // Other kinds, and tokengraph refuses the list whole, as it refuses a request over a limit: a 400 with errors and no data.
      {
        filter: kinds.getByRole('checkbox', { name: 'REVOKED' }),
        fault: (route) => (recentChanges(route) ? route.fulfill({ status: 400, json: { errors: [refusal] } }) : route.fallback()),
        said: new RegExp(`^The history could not be read \\(GRAPHQL_VALIDATION_FAILED\\): ${refusal.message} Ask again$`),
      },
      // Other kinds, and tokengraph cannot be reached.
      { filter: kinds.getByRole('checkbox', { name: 'CHANGED' }), fault: (route) => (recentChanges(route) ? route.abort('connectionrefused') : route.fallback()), said: unreachable },
      // Another source, which loads the whole view with Recent changes, and tokengraph cannot be reached.
      { filter: page.getByRole('checkbox', { name: 'Games' }), fault: (route) => route.abort('connectionrefused'), said: unreachable },
    ];
    for (const { filter, fault, said } of cases) {
      await page.route('**/graphql', fault);
      await filter.check();
      await loaded(page);
      expect(await problem.getByRole('status').textContent()).toMatch(said);
      expect(await page.locator('#change-rows tr').count()).toBe(0);
      expect(await page.locator('#changes-state').textContent()).toBe('');
      await page.unroute('**/graphql');
      await filter.uncheck();
      await loaded(page);
      expect(await problem.isHidden()).toBe(true);
      expect(await page.locator('#change-rows tr').count()).toBeGreaterThan(0);
    }

    // A revocation, after which the token's history fails (its list is read): its details say so, with no event from before.
    const failure = { message: "the history's database cannot be read now", path: ['tokenHistory'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } };
    await page.route('**/graphql', async (route) => {
      if (!recentChanges(route)) return route.fallback();
      const response = await route.fetch();
      const body = (await response.json()) as { data: Record<string, unknown>; errors?: unknown[] };
      return route.fulfill({ response, json: { data: { ...body.data, tokenHistory: null }, errors: [...(body.errors ?? []), failure] } });
    });
    await row(page, 'nb-demo-1').getByRole('button', { name: 'Details of NetBird token CI deploy (nb-demo-1)' }).click();
    expect(await detailEvents(detailsOf(page, 'nb-demo-1'))).toEqual([['APPEARED', expect.any(String), '', '']]);
    await row(page, 'nb-demo-1').getByRole('button', { name: 'Revoke NetBird token CI deploy (nb-demo-1)' }).click();
    await expect.poll(() => page.locator('#revoke-status').getAttribute('data-outcome')).toBe('WOULD_REVOKE');
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => row(page, 'nb-demo-1').getAttribute('data-revoke-outcome')).toBe('REVOKED');
    await changesLoaded(page);
    expect((await shownChanges(page))[0]).toMatchObject({ kind: 'REVOKED', source: 'NETBIRD', linked: true });
    const details = detailsOf(page, 'nb-demo-1');
    expect(await details.getAttribute('data-history')).toBe('failed');
    expect(await details.getByRole('status').textContent()).toBe(`The history could not be read (UPSTREAM_UNAVAILABLE): ${failure.message} Ask again`);
    expect(await details.locator('table.history').count()).toBe(0);

    // The 400 and the refused connection are logged by Chromium; nothing else went wrong.
    expect(pageErrors.filter((error) => !error.includes('status of 400') && !error.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
  }, 90_000);

  it('while the history opens, shows every row and says only where the history is that it is opening; "Ask again" shows it once open', async () => {
    let open!: () => void;
    const held = new Promise<void>((resolve) => (open = resolve));
    // PGlite in memory, as demo mode opens it, once the test lets it.
    const tokengraph = await ownTokengraph({}, {
      openHistory: async () => {
        await held;
        return openDatabase({});
      },
    });
    const { page, foreignRequests, pageErrors, screenshot } = await stack.newPage(tokengraph.origin);
    const sent = operations(page);
    await page.goto(`${tokengraph.origin}/`);
    await loaded(page);
    expect(((await (await fetch(`${tokengraph.origin}/readyz`)).json()) as { history: string }).history).toBe('starting');

    // The table is whole, with no error banner: the history's errors are the history's.
    expect(await page.locator('#token-rows tr[data-id]').count()).toBe(50);
    expect(await page.locator('#state').textContent()).toMatch(/^\d+ tokens · 50 shown · /);
    expect(await page.locator('#failures').isHidden()).toBe(true);
    expect(await page.locator('#gaps').isHidden()).toBe(true);
    const first = page.locator('#token-rows tr[data-id]').first();
    const tokenId = (await first.getAttribute('data-token-id'))!;
    await first.locator('button.disclosure').click();
    const details = detailsOf(page, tokenId);
    expect(await details.getAttribute('data-history')).toBe('opening');
    expect(await details.getByRole('status').textContent()).toBe('The history is opening: tokengraph started moments ago and its database is not open yet. Ask again in a few seconds. Ask again');
    expect(await details.locator('table.history').count()).toBe(0);
    const problem = page.locator('#changes-problem');
    expect(await problem.isVisible()).toBe(true);
    expect(await problem.getByRole('status').textContent()).toContain('The history is opening');
    expect(await page.locator('#change-rows tr').count()).toBe(0);
    expect(await page.locator('#changes-state').textContent()).toBe('');
    await screenshot('overview-history-opening');

    // Asked again while still opening: the same answer.
    await problem.getByRole('button', { name: 'Ask again' }).click();
    await changesLoaded(page);
    expect(sent.map((operation) => operation.operationName)).toEqual(['TokenOverview', 'RecentChanges']);
    expect(await problem.getByRole('status').textContent()).toContain('The history is opening');

    // Open now: the read made meanwhile is recorded, and "Ask again" in the row loads the view again, one request.
    open();
    await tokengraph.tokengraph.history!.opened;
    await settled(tokengraph);
    await details.getByRole('button', { name: 'Ask again' }).click();
    await expect.poll(() => detailsOf(page, tokenId).getAttribute('data-history')).toBe('shown');
    await loaded(page);
    expect(sent.map((operation) => operation.operationName)).toEqual(['TokenOverview', 'RecentChanges', 'TokenOverview']);
    // The focus back on the row's ▸, its details open.
    expect(await page.locator('#token-rows tr:has(button.disclosure:focus)').getAttribute('data-token-id')).toBe(tokenId);
    const own = (await apiEvents(tokengraph.origin, { token: await first.getAttribute('data-id') })).nodes;
    expect(await detailsOf(page, tokenId).locator('.first-seen').textContent()).toBe(`First seen ${eventTime(own.at(-1)!.at)} UTC`);
    expect((await detailEvents(detailsOf(page, tokenId))).map((event) => event[0])).toEqual(['APPEARED']);
    expect(await problem.isHidden()).toBe(true);
    const total = (await apiEvents(tokengraph.origin)).totalCount;
    expect(await page.locator('#changes-state').textContent()).toBe(`20 of ${total} changes shown`);
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
