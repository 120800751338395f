/**
 * GraphiQL at /graphql in real headless Chromium: it loads with every request going to
 * tokengraph only, opens with the example tabs, runs one against the demo upstreams and
 * shows the schema's descriptions in its documentation pane. It keeps nothing in the browser
 * across a reload unless told to: no tab, query, variable, result or header in localStorage or
 * sessionStorage.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_PERSIST_FLAG, loadExampleTabs } from '../../src/http/graphiqlPage.js';
import { browserStorage, startBrowserStack, type BrowserStack } from './browser.js';

/** The Crafter ticket and access-token ids the example tabs name (credentials, in their variables). */
const SECRET_IDS = ['2e911e0b-ac47-423e-9174-4e8896f1b387', 'e8f5170c-877b-416f-b70f-4b09772f8e2d', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'];
/** An API key as a person types it into the headers pane. */
const TYPED_KEY = 'graphiql-typed-key-5c81e2a7d94f';

/**
 * Opens `tab` and runs it; resolves to the answer of the request that ran it. GraphiQL works out
 * a tab's operation name from its editor a moment after the switch (debounced) and keeps it on
 * the query editor's CodeMirror instance, which is what a run sends: run once it names `tab`.
 */
async function runTab(page: Page, tab: string) {
  await page.locator('.graphiql-tab').filter({ hasText: tab }).click();
  await page.waitForFunction((name) => {
    const editor = (globalThis as unknown as { document: { querySelector(selector: string): { CodeMirror?: { operationName?: string | null } } | null } }).document.querySelector('.graphiql-query-editor .CodeMirror');
    return editor?.CodeMirror?.operationName === name;
  }, tab);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes(tab)),
    page.getByRole('button', { name: 'Execute query (Ctrl-Enter)' }).click(),
  ]);
  return answer;
}

/** Opens the headers pane and types `text` into it. */
async function typeHeaders(page: Page, text: string): Promise<void> {
  await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
  await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror').click();
  await page.keyboard.type(text);
}

const EXAMPLE_OPERATIONS = [
  'CrafterTicketExample',
  'CrafterAccessTokensExample',
  'AstraTokenExample',
  'NetbirdTokenExample',
  'GameTokenExample',
  'MixedTokensExample',
  'NodeRefetchExample',
  'ExpiringSoonExample',
  'RevokeDryRunExample',
];

let stack: BrowserStack;
beforeAll(async () => {
  stack = await startBrowserStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('GraphiQL in Chromium', () => {
  it('loads from tokengraph alone, runs the mixed example against the demo upstreams, and documents the schema', async () => {
    const { page, requests, foreignRequests, pageErrors, screenshot } = await stack.newPage();
    await page.goto(`${stack.origin}/graphql`);
    await expect(page.title()).resolves.toBe('tokengraph · GraphiQL');

    const tabs = page.locator('.graphiql-tab');
    await tabs.first().waitFor();
    expect((await tabs.allTextContents()).map((text) => text.replace(/\s*icon$/, ''))).toEqual(EXAMPLE_OPERATIONS);

    const upstreamCalls = () => stack.demo.netbird.calls.length + stack.demo.games.calls.length + stack.demo.astra.calls.length;
    const before = upstreamCalls();
    const answer = await runTab(page, 'MixedTokensExample');
    const body = (await answer.json()) as { data: { tokens: { source: string; name: string | null }[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.tokens.map((token) => [token.source, token.name])).toEqual([
      ['CRAFTER_TICKET', null],
      ['CRAFTER_ACCESS_TOKEN', 'adminconsole'],
      ['ASTRA', 'ops automation'],
      ['NETBIRD', 'CI deploy'],
      ['GAME', 'Spin & Win <Deluxe>'],
    ]);
    // The result pane shows it (CodeMirror renders only the lines in view, so look at the top ones).
    await expect.poll(() => page.locator('.graphiql-response').textContent(), { timeout: 15_000 }).toContain('"CRAFTER_TICKET"');
    expect(upstreamCalls() - before).toBe(3);

    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).click();
    await expect.poll(() => docs.textContent()).toContain('Read tokens from every configured upstream');
    await docs.getByText('tokens', { exact: true }).click();
    await expect.poll(() => docs.textContent()).toContain('one upstream call per distinct token');
    await screenshot('graphiql');

    expect(foreignRequests).toEqual([]);
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.every((url) => url.startsWith(`${stack.origin}/`))).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('opens with the example files of examples/graphiql/, in order, the Crafter ids in their variables', () => {
    const tabs = loadExampleTabs();
    expect(tabs.map((tab) => /^(?:query|mutation) (\w+)/m.exec(tab.query)?.[1])).toEqual(EXAMPLE_OPERATIONS);
    for (const tab of tabs) for (const id of SECRET_IDS) expect(tab.query).not.toContain(id);
    expect(tabs.filter((tab) => SECRET_IDS.some((id) => tab.variables?.includes(id))).map((tab) => /^(?:query|mutation) (\w+)/m.exec(tab.query)?.[1])).toEqual([
      'CrafterTicketExample',
      'MixedTokensExample',
      'RevokeDryRunExample',
    ]);
  });

  it('keeps no tab, query, variable, result or header in the browser: before a reload and after it, localStorage and sessionStorage hold no secret', async () => {
    const { page, pageErrors } = await stack.newPage();
    await page.goto(`${stack.origin}/graphql`);
    await page.locator('.graphiql-tab').first().waitFor();
    // A tab with the ticket and access-token ids, run: its variables and its answer name them.
    const answer = await runTab(page, 'MixedTokensExample');
    expect(JSON.stringify(await answer.json())).toContain(SECRET_IDS[0]);
    await runTab(page, 'RevokeDryRunExample');
    await typeHeaders(page, `{"Authorization": "Bearer ${TYPED_KEY}"}`);
    expect(await page.locator('.graphiql-editor-tool').textContent()).toContain(TYPED_KEY);
    expect(await page.locator('#storage').textContent()).toContain('Keep tabs, queries, variables and history in this browser (localStorage) across reloads');
    expect(await page.locator('#persist').isChecked()).toBe(false);

    // Before the reload too: the page drops graphiql: keys when it loads, so a write to
    // localStorage would be gone by then. GraphiQL writes its tabs 500 ms after a change
    // (debounced); watch the storage for three times that.
    for (let waited = 0; waited <= 1500; waited += 100) {
      const now = await browserStorage(page);
      for (const secret of [...SECRET_IDS, TYPED_KEY]) expect(now, secret).not.toContain(secret);
      expect(now).not.toContain('graphiql:');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await page.reload();
    await page.locator('.graphiql-tab').first().waitFor();
    const stored = await browserStorage(page);
    for (const secret of [...SECRET_IDS, TYPED_KEY]) expect(stored, secret).not.toContain(secret);
    expect(stored).not.toContain('graphiql:');
    // A reload starts again from the examples.
    expect((await page.locator('.graphiql-tab').allTextContents()).map((text) => text.replace(/\s*icon$/, ''))).toEqual(EXAMPLE_OPERATIONS);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('keeps its tabs across a reload once "Keep tabs…" is ticked, headers still not, and forgets them once unticked', async () => {
    const { page, pageErrors } = await stack.newPage();
    await page.goto(`${stack.origin}/graphql`);
    await page.locator('.graphiql-tab').first().waitFor();
    await page.locator('#persist').check();
    // Run with the key in the headers pane: GraphiQL puts the headers into the history entry it
    // writes for the run (graphiql:queries), whatever shouldPersistHeaders says.
    await page.locator('.graphiql-tab').filter({ hasText: 'GameTokenExample' }).click();
    await typeHeaders(page, `{"Authorization": "Bearer ${TYPED_KEY}"}`);
    // The editor hands its text to GraphiQL's state after a debounce: run once it has.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await runTab(page, 'GameTokenExample')).request().headers().authorization).toBe(`Bearer ${TYPED_KEY}`);
    await expect.poll(() => page.locator('.graphiql-response').textContent(), { timeout: 15_000 }).toContain('Spin & Win');

    // GraphiQL writes its tabs a moment after a change (debounced); then they are kept, the one
    // that was open still open, and the run is in the history.
    await page.waitForFunction(() => {
      const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage;
      const state = JSON.parse(storage.getItem('graphiql:tabState') ?? 'null') as { activeTabIndex: number; tabs: { operationName?: string }[] } | null;
      return state?.tabs[state.activeTabIndex]?.operationName === 'GameTokenExample' && (storage.getItem('graphiql:queries') ?? '').includes('GameTokenExample');
    });
    await page.reload();
    await page.locator('.graphiql-tab').first().waitFor();
    expect(await page.locator('#persist').isChecked()).toBe(true);
    expect(await page.locator('.graphiql-tab-active').textContent()).toMatch(/^GameTokenExample/);
    const kept = JSON.parse(await browserStorage(page)) as { localStorage: Record<string, string> };
    expect(kept.localStorage[GRAPHIQL_PERSIST_FLAG]).toBe('on');
    expect(kept.localStorage['graphiql:tabState']).toContain('GameTokenExample');
    expect(kept.localStorage['graphiql:queries']).toContain('GameTokenExample');
    expect(JSON.stringify(kept)).not.toContain(TYPED_KEY);

    await page.locator('#persist').uncheck();
    expect(await browserStorage(page)).not.toMatch(/graphiql|tokengraph/);
    await page.reload();
    await page.locator('.graphiql-tab').first().waitFor();
    expect(await page.locator('#persist').isChecked()).toBe(false);
    expect(await page.locator('.graphiql-tab-active').textContent()).toMatch(/^CrafterTicketExample/);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('has a revocation tab that is a dry run: every token read, none revoked, the games token UNSUPPORTED', async () => {
    const tab = loadExampleTabs().find((example) => example.query.includes('mutation RevokeDryRunExample'))!;
    const upstreams = [stack.demo.netbird, stack.demo.astra, stack.demo.crafterProfile, stack.demo.games];
    const before = upstreams.map((upstream) => upstream.calls.length);
    const response = await fetch(`${stack.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: tab.query, variables: JSON.parse(tab.variables!) as unknown }),
    });
    const body = (await response.json()) as { data: { revokeTokens: { source: string; tokenId: string; outcome: string; token: { name: string } | null }[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.revokeTokens.map((result) => [result.source, result.tokenId, result.outcome, result.token?.name ?? null])).toEqual([
      ['NETBIRD', 'nb-demo-1', 'WOULD_REVOKE', 'CI deploy'],
      ['ASTRA', 'astra-demo-1', 'WOULD_REVOKE', 'ops automation'],
      ['CRAFTER_ACCESS_TOKEN', 'f81d…6bf6', 'WOULD_REVOKE', 'demo-site'],
      ['GAME', 'game-demo-1', 'UNSUPPORTED', null],
    ]);
    // Reads only, and none from the games platform.
    const calls = upstreams.map((upstream, i) => upstream.calls.slice(before[i]));
    expect(calls.flat().filter((call) => call.method !== 'GET')).toEqual([]);
    expect(calls.map((list) => list.length)).toEqual([1, 1, 1, 0]);
  });
});
