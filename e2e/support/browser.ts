// Debian's Chromium driven by playwright-core, headless, with a page that records its console
// (for failure reports) and a 1280×800 viewport (the size of the committed screenshots).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.BERTH_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 1280, height: 800 } as const;

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', ...extraArgs],
  });
}

export interface RecordedPage {
  context: BrowserContext;
  page: Page;
  /** Console messages, page errors and failed requests, oldest first. */
  consoleLog: string[];
}

export async function openPage(browser: Browser, opts: { acceptDownloads?: boolean } = {}): Promise<RecordedPage> {
  const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: opts.acceptDownloads ?? true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const consoleLog: string[] = [];
  const stamp = () => new Date().toISOString().slice(11, 23);
  page.on('console', (m) => consoleLog.push(`${stamp()} console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLog.push(`${stamp()} pageerror: ${e.stack ?? e.message}`));
  page.on('requestfailed', (r) => consoleLog.push(`${stamp()} requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return { context, page, consoleLog };
}
