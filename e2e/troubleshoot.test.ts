// Troubleshoot view against `berth dashboard --manage-engine` (its HOME a temp folder, so the
// bundle lands there and nowhere of the user's): "Write diagnostics bundle" writes a private
// .tar.gz with the versions and the VM's status and says where; "Restart engine"
// replaces berthd, whose containers stay; "Reset to factory defaults…" empties the local berthd
// through its API (a running container, a stopped one, a user network, a volume, tagged images,
// the build cache) and puts a changed setting back to its default.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { afterAll, describe, expect, test } from 'vitest';
import { SettingsPage } from './pages/settings-page.ts';
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

  test('Reset to factory defaults… empties the local engine (asked first) and puts the settings back to their defaults', async () => {
    // Something of every kind the reset must remove.
    await s.dockerOk(['network', 'create', 'reset-net']);
    await s.dockerOk(['volume', 'create', 'reset-vol']);
    await s.dockerOk(['run', '-d', '--name', 'reset-running', '--network', 'reset-net', '-v', 'reset-vol:/data', s.busybox, 'sleep', '600']);
    await s.dockerOk(['tag', s.busybox, 'berth-e2e/reset:1']);
    await s.dockerOk(['commit', 'reset-running', 'berth-e2e/reset-child:1']);
    // A setting away from its default: the theme.
    const settings = new SettingsPage(s.page);
    await s.app.goTo('Settings');
    await settings.themeChoice('Dark').check();
    await s.page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor({ state: 'visible' });
    await expect.poll(() => settings.colorScheme()).toBe('dark');

    await s.app.goTo('Troubleshoot');
    await button('Reset to factory defaults…').click();
    // Cancel first: nothing is touched.
    await s.app.confirm('Reset Berth to factory defaults?', 'Cancel');
    expect(await s.dockerOk(['ps', '-a', '--format', '{{.Names}}'])).toContain('reset-running');
    await button('Reset to factory defaults…').click();
    await s.app.confirm('Reset Berth to factory defaults?', 'Reset everything');
    await s.page.getByRole('status').filter({ hasText: 'Reset to factory defaults' }).waitFor({ state: 'visible', timeout: 120_000 });

    expect(await s.dockerOk(['ps', '-aq'])).toBe('');
    expect(await s.dockerOk(['images', '-aq'])).toBe('');
    expect(await s.dockerOk(['volume', 'ls', '-q'])).toBe('');
    expect((await s.dockerOk(['network', 'ls', '--format', '{{.Name}}'])).split('\n').sort()).toEqual(['bridge', 'host', 'none']);
    await expect.poll(() => settings.colorScheme()).toBe('light');
    await s.app.goTo('Settings');
    await expect.poll(() => settings.themeChoice('System').isChecked()).toBe(true);
  });
});
