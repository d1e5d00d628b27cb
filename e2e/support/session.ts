// The set-up every e2e file shares: a real berthd (isolated, with the busybox fixture pulled from
// the local registry), `berth dashboard` pointing at it as a child process, and Debian's Chromium
// showing the dashboard. Registers the vitest hooks; the returned object is filled in before the
// first test runs. A failing test leaves a screenshot and the logs in e2e/screenshots/tmp/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { startEngine, type EngineHandle } from '../../engine/test/support/engine-harness.ts';
import { testImage } from '../../engine/test/support/fixtures.ts';
import { launchBrowser, openPage } from './browser.ts';
import { startDashboard, type DashboardProcess } from './dashboard-process.ts';
import { saveFailureArtifacts } from './failure-artifacts.ts';
import { ensureRendererBuilt } from './renderer-build.ts';
import { AppShell } from '../pages/app-shell.ts';

export interface DashboardSession {
  engine: EngineHandle;
  /** "127.0.0.1:PORT/busybox:latest", already pulled into the engine. */
  busybox: string;
  dashboard: DashboardProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  consoleLog: string[];
  app: AppShell;
  /** Runs the docker CLI against the engine and fails the test with its output unless it exits 0. */
  dockerOk(args: string[]): Promise<string>;
}

/** `dashboardEnv`: read when the dashboard starts, added to its environment (e.g. DOCKER_CONFIG). */
export function useDashboardSession(fileName: string, opts: { pullBusybox?: boolean; dashboardEnv?: () => Record<string, string> } = {}): DashboardSession {
  const s = {} as DashboardSession;
  beforeAll(async () => {
    ensureRendererBuilt();
    s.engine = await startEngine();
    s.busybox = testImage('busybox').ref;
    s.dockerOk = async (args) => {
      const r = await s.engine.docker(args);
      expect(r.code, `docker ${args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
      return r.stdout.trim();
    };
    if (opts.pullBusybox ?? true) await s.dockerOk(['pull', '-q', s.busybox]);
    s.dashboard = await startDashboard(`unix://${s.engine.socket}`, { env: opts.dashboardEnv?.() });
    s.browser = await launchBrowser();
    const opened = await openPage(s.browser);
    Object.assign(s, opened);
    await s.page.emulateMedia({ colorScheme: 'light' });
    s.app = new AppShell(s.page);
    try {
      await s.app.open(s.dashboard.url);
    } catch (e) {
      await saveFailureArtifacts(`${fileName}-open-dashboard`, s.page, { console: s.consoleLog, dashboard: s.dashboard.output(), engineLogFile: s.engine.logFile });
      throw e;
    }
  });
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      const where = await saveFailureArtifacts(`${fileName}-${ctx.task.name}`, s.page, {
        console: s.consoleLog ?? [],
        dashboard: s.dashboard?.output(),
        engineLogFile: s.engine?.logFile,
      });
      process.stderr.write(`e2e: failure screenshot and logs in ${where}.{png,log}\n`);
    });
  });
  afterAll(async () => {
    await s.browser?.close().catch(() => {});
    await s.dashboard?.stop();
    // Stops berthd and removes every container, network, volume and cgroup it made.
    await s.engine?.stop();
  });
  return s;
}
