// What every UI benchmark opens: `berth dashboard` (a real child process) on an engine endpoint,
// Debian's Chromium on it with bench/ui/page-probes.js installed before the app runs, and a CDP
// session for heap figures. Registered with bench/lib/cleanup.ts, so Ctrl-C still closes it all.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchBrowser, openPage } from '../../e2e/support/browser.ts';
import { startDashboard, type DashboardProcess } from '../../e2e/support/dashboard-process.ts';
import { ensureRendererBuilt } from '../../e2e/support/renderer-build.ts';
import { onCleanup } from '../lib/cleanup.ts';

export const PAGE_PROBES = join(dirname(fileURLToPath(import.meta.url)), 'page-probes.js');

export interface UiSession {
  dashboard: DashboardProcess;
  browser: Browser;
  page: Page;
  cdp: CDPSession;
  consoleLog: string[];
  /** The dashboard URL with its token, and `hash` (e.g. "#/containers") appended. */
  url(hash?: string): string;
  stop(): Promise<void>;
}

export async function openUiSession(engineUrl: string, probeSettings: Record<string, unknown> = {}): Promise<UiSession> {
  ensureRendererBuilt((line) => process.stderr.write(`bench: ${line}\n`));
  const dashboard = await startDashboard(engineUrl);
  const stopDashboard = onCleanup(() => dashboard.stop());
  const browser = await launchBrowser(['--enable-precise-memory-info']);
  const stopBrowser = onCleanup(async () => {
    await browser.close().catch(() => {});
  });
  const { page, consoleLog } = await openPage(browser);
  await page.addInitScript({ path: PAGE_PROBES });
  await page.addInitScript(`Object.assign(window.__uiProbe, ${JSON.stringify(probeSettings)})`);
  const cdp = await page.context().newCDPSession(page);
  return {
    dashboard,
    browser,
    page,
    cdp,
    consoleLog,
    url: (hash = '') => dashboard.url + hash,
    async stop() {
      await stopBrowser();
      await stopDashboard();
    },
  };
}

/** Reads a value of window.__uiProbe. */
export function probe<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate(`window.__uiProbe.${expression}`) as Promise<T>;
}

/**
 * Polls a window.__uiProbe expression until it is truthy. (page.waitForFunction with a string
 * would compile it with eval, which the dashboard's Content-Security-Policy rightly forbids.)
 */
export async function waitForProbe(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe<unknown>(page, expression)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`window.__uiProbe.${expression} did not hold within ${timeoutMs} ms`);
}
