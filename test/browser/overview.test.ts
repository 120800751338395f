/**
 * The token overview page at / in real headless Chromium, against demo tokengraph: one
 * table with rows from all five sources, expired and soon-expiring tokens marked, a watch
 * list kept in the URL, and a clear message (with the other sources' rows still shown)
 * when an upstream fails.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBrowserStack, type BrowserStack, type RecordingPage } from './browser.js';

const ALL_SOURCES = ['ASTRA', 'CRAFTER_ACCESS_TOKEN', 'CRAFTER_TICKET', 'GAME', 'NETBIRD'];

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

const rows = (page: RecordingPage['page']) => page.locator('#token-rows tr');
const graphqlPosts = (requests: string[]) => requests.filter((url) => url.endsWith('/graphql')).length;

async function openOverview(path = '/'): Promise<RecordingPage> {
  const recording = await stack.newPage();
  await recording.page.goto(`${stack.origin}${path}`);
  await recording.page.locator('#state').filter({ hasText: 'tokens ·' }).waitFor({ timeout: 15_000 });
  return recording;
}

describe('the token overview page in Chromium', () => {
  it('shows tokens from all five sources in one table, fetched in one request, with expired and soon-expiring rows marked', async () => {
    const { page, requests, foreignRequests, pageErrors, screenshot } = await openOverview();
    await expect(page.title()).resolves.toBe('tokengraph · token overview');

    const sources = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-source")));
    expect([...new Set(sources)].sort()).toEqual(ALL_SOURCES);
    // Five listed Crafter access tokens + nine watched demo tokens.
    expect(sources).toHaveLength(14);

    const expired = page.locator('#token-rows tr.row-expired');
    expect(await expired.count()).toBe(5); // three of seed 001's Crafter tokens, NetBird 'old laptop', Games 'Spin & Win'
    await expect.poll(() => expired.filter({ hasText: 'old laptop' }).locator('.badge').textContent()).toBe('EXPIRED');
    const soon = page.locator('#token-rows tr.row-soon');
    expect(await soon.allTextContents()).toEqual([expect.stringContaining('Treasure Hunt')]);
    expect(await soon.locator('.badge').textContent()).toBe('ACTIVE · expires soon');
    // A hostile name from an upstream is shown as text, never as markup.
    expect(await page.locator('#token-rows td', { hasText: 'Spin & Win <Deluxe>' }).count()).toBe(1);

    expect(await page.locator('#failures').isHidden()).toBe(true);
    // The demo watch list was written into the URL, so the view can be shared.
    expect(new URL(page.url()).searchParams.getAll('watch')).toContain('NETBIRD/alice/nb-demo-1');
    await screenshot('overview');

    expect(graphqlPosts(requests)).toBe(1);
    expect(foreignRequests).toEqual([]);
    expect(requests.every((url) => url.startsWith(`${stack.origin}/`))).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('adds and removes watched tokens, keeping the list in the URL', async () => {
    const { page } = await openOverview('/?watch=GAME/game-demo-1');
    expect(await rows(page).count()).toBe(6);

    await page.selectOption('#ref-source', 'NETBIRD');
    await page.fill('#ref-userId', 'bob');
    await page.fill('#ref-tokenId', 'nb-demo-3');
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    await expect.poll(() => rows(page).filter({ hasText: 'monitoring' }).count()).toBe(1);
    expect(new URL(page.url()).searchParams.getAll('watch')).toEqual(['GAME/game-demo-1', 'NETBIRD/bob/nb-demo-3']);

    await page.getByRole('button', { name: 'Stop watching Games game-demo-1' }).click();
    await expect.poll(() => rows(page).filter({ hasText: 'Spin & Win' }).count()).toBe(0);
    expect(new URL(page.url()).searchParams.getAll('watch')).toEqual(['NETBIRD/bob/nb-demo-3']);

    // A token the upstream does not know is a row that says so.
    await page.goto(`${stack.origin}/?watch=NETBIRD/alice/no-such-token`);
    await expect.poll(() => rows(page).filter({ hasText: 'not found' }).count()).toBe(1);
  }, 60_000);

  it('says which source is failing and still shows the tokens of the others', async () => {
    stack.demo.netbird.inject({ fault: { kind: 'status', status: 500 } });
    const { page, screenshot } = await openOverview();

    const banner = page.locator('#failures');
    await expect.poll(() => banner.textContent()).toContain('NetBird is failing (UPSTREAM_ERROR)');
    expect(await banner.isVisible()).toBe(true);
    expect(await page.locator('#token-rows tr[data-source="NETBIRD"]').allTextContents()).toEqual([
      expect.stringContaining('UPSTREAM_ERROR'),
      expect.stringContaining('UPSTREAM_ERROR'),
      expect.stringContaining('UPSTREAM_ERROR'),
    ]);
    const answered = await page.locator('#token-rows tr:not(.row-problem)').evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-source")));
    expect([...new Set(answered)].sort()).toEqual(['ASTRA', 'CRAFTER_ACCESS_TOKEN', 'CRAFTER_TICKET', 'GAME']);
    expect(stack.demo.netbird.calls.length).toBeGreaterThanOrEqual(3);
    await screenshot('overview-failing-source');
  }, 60_000);
});
