// The bundle from a home whose logs did leak the secret and a docker config with credentials:
// what goes in, and that neither the secret nor a credential comes out (the real-VM run is in
// vm/vm-saver.test.ts).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFiles } from '../testing/bundle-files.ts';
import { prepareHome, vmHome } from '../vm/vm-home.ts';
import { writeDiagnosticsBundle } from './diagnostics-bundle.ts';

const scratch = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-diag-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('diagnostics bundle', () => {
  it('carries the logs, settings and status, and no secret or credential', async () => {
    const home = vmHome(join(scratch, 'home'));
    prepareHome(home);
    const secret = 'a7c3e9f1b5d2a8c4e6f0b3d9a1c7e5f2b4d8a6c0e9f3b1d5';
    writeFileSync(home.secret, secret, { mode: 0o600 });
    writeFileSync(home.serialLog, `berth-boot: agent-listening at 3.1s\nberth.secret=${secret}\n`);
    writeFileSync(home.forwarderLog, `dialled BERTH/1 ${secret} engine\n`);
    writeFileSync(home.qemuLog, 'qemu-system-x86_64: warning: host doesn\'t support requested feature\n');
    const settingsDir = join(scratch, 'settings');
    mkdirSync(settingsDir);
    writeFileSync(join(settingsDir, 'settings.json'), JSON.stringify({ theme: 'dark', vmCpus: 2 }));
    const dockerConfig = join(scratch, 'docker');
    mkdirSync(dockerConfig);
    const credential = 'c2VjcmV0LXVzZXI6aHVudGVyMg==';
    writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { 'r.example': { auth: credential } }, currentContext: 'berth' }));
    const out = join(scratch, 'out', 'bundle.tar.gz');
    const result = await writeDiagnosticsBundle({ home, settingsDir, dockerConfigDir: dockerConfig, out });
    expect(result.path).toBe(out);
    const raw = readFileSync(out);
    const files = await bundleFiles(raw);
    const name = (file: string) => `berth-diagnostics/${file}`;
    expect(files.get(name('logs/console.log'))).toMatch(/berth-boot: agent-listening/);
    expect(files.get(name('logs/qemu.log'))).toMatch(/requested feature/);
    expect(files.get(name('vm/status.txt'))).toBe('State: stopped\n');
    expect(JSON.parse(files.get(name('settings.json'))!)).toEqual({ theme: 'dark', vmCpus: 2 });
    expect(JSON.parse(files.get(name('docker/config.json'))!)).toEqual({ auths: { 'r.example': { auth: '<redacted>' } }, currentContext: 'berth' });
    expect(JSON.parse(files.get(name('versions.json'))!)).toMatchObject({ berth: expect.any(String), node: process.version });
    const all = [...files.values()].join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(credential);
    expect(files.has(name('secret'))).toBe(false);
  });
});
