// Engine view against a real berthd, and the dashboard's guard as a browser meets it: no page
// without the per-launch secret, and no API socket for a page of another origin.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { EnginePage } from './pages/engine-page.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('engine', { pullBusybox: false });
let otherOrigin: Server | undefined;

afterAll(async () => {
  await new Promise((resolve) => (otherOrigin ? otherOrigin.close(resolve) : resolve(undefined)));
});

/** Opens a WebSocket to `url` from the page's own origin; 'open' or 'refused'. */
function tryWebSocket(url: string): string {
  return `new Promise((resolve) => {
    const ws = new WebSocket(${JSON.stringify(url)});
    ws.onopen = () => { resolve('open'); ws.close(); };
    ws.onerror = () => resolve('refused');
    ws.onclose = () => resolve('refused');
    setTimeout(() => resolve('timed out'), 5000);
  })`;
}

describe('Engine view', () => {
  test('shows the engine Running, its version and the DOCKER_HOST line', async () => {
    const engine = new EnginePage(s.page);
    await s.app.goTo('Engine');
    await engine.status.waitFor({ state: 'visible' });
    const version = await s.dockerOk(['version', '--format', '{{.Server.Version}}']);
    await expect.poll(() => engine.status.innerText(), { timeout: 10_000 }).toMatch(/\bRunning\b/);
    const text = await engine.status.innerText();
    expect(text).toContain(version);
    expect(text).toContain(`export DOCKER_HOST=unix://${s.engine.socket}`);
    await engine.diskUsage.waitFor({ state: 'visible' });
    await captureScreen(s.page, 'engine');
  });

  test('Copy DOCKER_HOST puts the export line on the clipboard', async () => {
    const engine = new EnginePage(s.page);
    await s.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.dashboard.origin });
    await engine.copyDockerHost.click();
    await s.page.getByRole('status').filter({ hasText: 'Copied' }).waitFor({ state: 'visible' });
    expect(await s.page.evaluate('navigator.clipboard.readText()')).toBe(`export DOCKER_HOST=unix://${s.engine.socket}`);
  });
});

describe('Dashboard security, seen from a browser', () => {
  test('the dashboard URL without its token, or with a wrong one, is refused', async () => {
    const stranger = await s.browser.newContext();
    try {
      const page = await stranger.newPage();
      for (const url of [`${s.dashboard.origin}/`, `${s.dashboard.origin}/?token=not-the-secret`]) {
        const response = await page.goto(url);
        expect(response?.status(), url).toBeGreaterThanOrEqual(400);
        expect(response?.status(), url).toBeLessThan(500);
        expect(await page.getByRole('navigation', { name: 'Main' }).count(), url).toBe(0);
        expect((await page.locator('body').innerText()).trim(), url).not.toBe('');
      }
      const rpc = `${s.dashboard.origin.replace(/^http/, 'ws')}/rpc`;
      expect(await page.evaluate(tryWebSocket(rpc))).toBe('refused');
    } finally {
      await stranger.close();
    }
  });

  test('a page of another origin cannot open the API socket, even with the dashboard\'s cookie in the browser', async () => {
    otherOrigin = createServer((_req, res) => res.end('<!doctype html><title>elsewhere</title><p>another site</p>'));
    await new Promise<void>((resolve) => otherOrigin!.listen(0, '127.0.0.1', () => resolve()));
    const elsewhere = `http://127.0.0.1:${(otherOrigin.address() as AddressInfo).port}/`;
    const rpc = `${s.dashboard.origin.replace(/^http/, 'ws')}/rpc`;
    // The same browser context that loaded the dashboard with its token.
    expect(await s.page.evaluate(tryWebSocket(rpc))).toBe('open');
    const page = await s.context.newPage();
    try {
      await page.goto(elsewhere);
      expect(await page.evaluate(tryWebSocket(rpc))).toBe('refused');
    } finally {
      await page.close();
    }
  });
});
