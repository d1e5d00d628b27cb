// Troubleshoot view against `berth dashboard --manage-engine` (its HOME a temp folder, so the
// bundle lands there and nowhere of the user's): "Write diagnostics bundle" writes a private
// .tar.gz with the versions and the VM's status and says where; "Restart engine"
// replaces berthd, whose containers stay; "Reset to factory defaults…" acts only on the Berth VM's
// data disk, so with a local engine it is offered disabled and nothing is touched.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { afterAll, describe, expect, test } from 'vitest';
import { captureScreen } from './support/screenshots.ts';
import { managedEnginePid, useDashboardSession } from './support/session.ts';

const home = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-e2e-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const s = useDashboardSession('troubleshoot', { managedEngine: true, dashboardEnv: () => ({ HOME: home }) });

async function tarEntries(file: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        entries.set(header.name, Buffer.concat(chunks).toString('utf8'));
        next();
      });
    });
    reader.on('finish', resolve);
    reader.on('error', reject);
  });
  reader.end(gunzipSync(readFileSync(file)));
  await done;
  return entries;
}

const heading = () => s.page.getByRole('heading', { level: 1, name: 'Troubleshoot', exact: true });
const button = (name: string) => s.page.getByRole('button', { name, exact: true });

describe('Troubleshoot view', () => {
  test('Write diagnostics bundle writes a private .tar.gz with the versions and the VM’s status, and says where', async () => {
    await s.app.goTo('Troubleshoot');
    await heading().waitFor({ state: 'visible' });
    await button('Write diagnostics bundle').click();
    const written = s.page.getByRole('status').filter({ hasText: 'Written to' });
    await written.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await written.innerText();
    const match = /Written to (\S+\.tar\.gz) \((\d+) files\)/.exec(text);
    expect(match, text).not.toBeNull();
    const [, path, count] = match!;
    expect(path.startsWith(`${home}/`), path).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const entries = await tarEntries(path);
    expect(entries.size).toBe(Number(count));
    const versions = JSON.parse(entries.get('berth-diagnostics/versions.json') ?? '{}') as { berth?: string; node?: string };
    expect(versions.node).toMatch(/^v\d+\./);
    expect(versions.berth).toMatch(/^\d+\.\d+\.\d+/);
    expect([...entries.keys()]).toContain('berth-diagnostics/vm/status.txt');
    await captureScreen(s.page, 'troubleshoot');
  });

  test('Restart engine replaces berthd; its containers stay', async () => {
    await s.dockerOk(['create', '--name', 'kept-across-restart', s.busybox, 'true']);
    const before = managedEnginePid(s.engine);
    expect(before).toBeDefined();
    await s.app.goTo('Troubleshoot');
    await button('Restart engine').click();
    await s.page.getByRole('status').filter({ hasText: 'Engine restarted' }).waitFor({ state: 'visible', timeout: 60_000 });
    const after = managedEnginePid(s.engine);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(await s.dockerOk(['ps', '-a', '--filter', 'name=kept-across-restart', '--format', '{{.Names}}'])).toBe('kept-across-restart');
  });

  test('Reset to factory defaults… is disabled with a local engine (it wipes the Berth VM\'s disk), and nothing is touched', async () => {
    await s.app.goTo('Troubleshoot');
    const reset = button('Reset to factory defaults…');
    await reset.waitFor({ state: 'visible' });
    expect(await reset.isDisabled()).toBe(true);
    expect(await s.page.getByRole('dialog').count()).toBe(0);
    expect(await s.dockerOk(['ps', '-a', '--filter', 'name=kept-across-restart', '--format', '{{.Names}}'])).toBe('kept-across-restart');
  });
});
