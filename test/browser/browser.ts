/**
 * Real headless Chromium (Debian's `chromium` package, installed by npm test's pretest
 * step) driven by playwright-core, against demo tokengraph exactly as `npm start` runs it.
 * Playwright never downloads a browser here: it is pointed at the installed one.
 *
 * Every request the page makes is recorded, and any request to another host is aborted and
 * kept in `foreignRequests`, so a test can assert the page loaded nothing from elsewhere.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readConfig } from '../../src/config/readConfig.js';
import type { DemoData } from '../../src/demo/demoData.js';
import { startDemoUpstreams, withDemoUpstreams, type DemoUpstreams } from '../../src/demo/startDemoUpstreams.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { createTokengraph, type Tokengraph, type TokengraphHooks } from '../../src/http/createTokengraph.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = new URL('../../test-artifacts/', import.meta.url);

/** Without the background-networking flags Chromium keeps trying hosts this network refuses. */
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserStack extends DemoTokengraph {
  browser: Browser;
  /** Opens a new page (fresh storage) that records its requests; `origin` is the only one it may reach (default this stack's). */
  newPage(origin?: string): Promise<RecordingPage>;
}

/** Demo tokengraph, exactly as `npm start` runs it with `env`, on loopback demo upstreams of its own. */
export interface DemoTokengraph {
  /** `http://127.0.0.1:PORT` of tokengraph. */
  origin: string;
  demo: DemoUpstreams;
  /** The server itself: its history (in memory, as in demo mode), to wait for its open and its writes. */
  tokengraph: Tokengraph;
  close(): Promise<void>;
}

/** What a test's own tokengraph is made with besides its environment. */
export interface DemoTokengraphOptions extends TokengraphHooks {
  /** The demo upstreams' data, which the test may change as they run (default: `demoData(now)`). */
  data?: DemoData;
}

export interface RecordingPage {
  page: Page;
  /** Every URL the page asked for, in order. */
  requests: string[];
  /** Requests to any other origin (aborted). */
  foreignRequests: string[];
  /** Uncaught errors and console errors of the page. */
  pageErrors: string[];
  /** Saves a full-page screenshot as test-artifacts/<name>.png. */
  screenshot(name: string): Promise<void>;
}

/**
 * A tokengraph of its own, for a test that changes the demo data (a revocation lasts until the
 * upstreams restart) or needs other settings (`env`, e.g. TOKENGRAPH_ADMIN_API_KEYS).
 */
export async function startDemoTokengraph(env: NodeJS.ProcessEnv = {}, options: DemoTokengraphOptions = {}): Promise<DemoTokengraph> {
  const { data, ...hooks } = options;
  const demo = await startDemoUpstreams(data ? { data } : {});
  let tokengraph: Tokengraph | undefined;
  try {
    tokengraph = await createTokengraph(withDemoUpstreams({ ...readConfig(env), port: 0 }, demo), createLogger('silent'), [], {}, hooks);
    const origin = new URL(await tokengraph.listen()).origin;
    const started = tokengraph;
    return {
      origin,
      demo,
      tokengraph: started,
      close: async () => {
        await started.close();
        await demo.close();
      },
    };
  } catch (error) {
    await tokengraph?.close();
    await demo.close();
    throw error;
  }
}

/** Everything the page's origin keeps in localStorage and sessionStorage, as one JSON text, for a search for secrets. */
export function browserStorage(page: Page): Promise<string> {
  return page.evaluate(() => {
    const all = globalThis as unknown as { sessionStorage: Record<string, string>; localStorage: Record<string, string> };
    return JSON.stringify({ localStorage: { ...all.localStorage }, sessionStorage: { ...all.sessionStorage } });
  });
}

export async function startBrowserStack(): Promise<BrowserStack> {
  // `refresh: true` reads anew every time: a test that made a source fail refreshes again when it
  // is done, and the tests after it must see the whole inventory, not the throttled last read.
  const tokengraph = await startDemoTokengraph({ TOKENGRAPH_INVENTORY_MIN_REFRESH_MS: '0' });
  try {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    return {
      ...tokengraph,
      browser,
      newPage: (origin = tokengraph.origin) => recordingPage(browser, origin),
      close: async () => {
        await browser.close();
        await tokengraph.close();
      },
    };
  } catch (error) {
    await tokengraph.close();
    throw error;
  }
}

async function recordingPage(browser: Browser, origin: string): Promise<RecordingPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    if (new URL(url).origin === origin) return route.continue();
    foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return {
    page,
    requests,
    foreignRequests,
    pageErrors,
    screenshot: async (name) => {
      await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS_DIR).pathname, fullPage: true });
    },
  };
}
