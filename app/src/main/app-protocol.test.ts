// The berth-app:// handler against the real renderer build (app/dist/renderer).
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { APP_PAGE_URL, CONTENT_SECURITY_POLICY, respondToAppRequest } from './app-protocol.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-proto-'));
const renderer = join(dir, 'renderer');
mkdirSync(join(renderer, 'assets'), { recursive: true });
writeFileSync(join(renderer, 'index.html'), '<!doctype html><script type="module" src="./assets/main.js"></script>');
writeFileSync(join(renderer, 'assets', 'main.js'), 'console.log(1)');
writeFileSync(join(dir, 'secret.txt'), 'outside');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('berth-app:// protocol', () => {
  test('serves the page and its assets with the strict CSP and the right types', async () => {
    const page = await respondToAppRequest(renderer, `${APP_PAGE_URL}#/containers`);
    expect(page.status).toBe(200);
    expect(page.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(page.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    for (const rule of ["script-src 'self'", "connect-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data: blob:", "object-src 'none'", "frame-ancestors 'none'"]) {
      expect(CONTENT_SECURITY_POLICY).toContain(rule);
    }
    const script = await respondToAppRequest(renderer, 'berth-app://ui/assets/main.js');
    expect(script).toMatchObject({ status: 200, headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
    expect(String(script.body)).toBe('console.log(1)');
  });

  test('nothing outside the renderer build, on another host, or malformed', async () => {
    for (const url of ['berth-app://ui/../secret.txt', 'berth-app://ui/%2e%2e/secret.txt', 'berth-app://ui/assets/%2e%2e/%2e%2e/secret.txt', 'berth-app://other/index.html', 'berth-app://ui/missing.js']) {
      const response = await respondToAppRequest(renderer, url);
      expect(response.status, url).toBe(404);
      expect(String(response.body)).not.toContain('outside');
    }
    expect((await respondToAppRequest(renderer, 'berth-app://ui/%E0%A4%A')).status).toBe(400);
  });

  test('the real renderer build loads through it', async () => {
    const built = join(import.meta.dirname, '../../dist/renderer');
    if (!existsSync(join(built, 'index.html'))) throw new Error('app/dist/renderer is not built: run vite build -c app/vite.config.ts');
    const page = await respondToAppRequest(built, APP_PAGE_URL);
    const scripts = [...String(page.body).matchAll(/src="\.\/([^"]+\.js)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect((await respondToAppRequest(built, `berth-app://ui/${script}`)).status).toBe(200);
  });
});
