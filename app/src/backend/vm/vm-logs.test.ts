// `berth vm logs` on a home's log files, no VM booted (vm-cli.test.ts reads a real guest's console):
// what it prints, --qemu, a home that never booted, and -f following appends and a new boot's
// truncation until Ctrl-C (SIGINT), which ends it with exit 0.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../engine-process-helpers.ts';
import { berth, BERTH } from './vm-test-helpers.ts';

const home = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-vm-logs-'));
const logs = join(home, 'logs');
mkdirSync(logs);
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('berth vm logs', () => {
  it('prints the console log, and with --qemu the QEMU log', async () => {
    writeFileSync(join(logs, 'console.log'), 'berth-boot: init at 0.5s\nberth-boot: engine at 9.1s\n');
    writeFileSync(join(logs, 'qemu.log'), 'qemu-system-x86_64: warning: something\n');
    const console = await berth(['vm', 'logs', '--home', home], {});
    expect(console).toEqual({ code: 0, stdout: 'berth-boot: init at 0.5s\nberth-boot: engine at 9.1s\n', stderr: '' });
    const qemu = await berth(['vm', 'logs', '--qemu', '--home', home], {});
    expect(qemu).toEqual({ code: 0, stdout: 'qemu-system-x86_64: warning: something\n', stderr: '' });
  });

  it('a home that never booted has no log: exit 1 and says so', async () => {
    const empty = join(home, 'never');
    const result = await berth(['vm', 'logs', '--home', empty], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no log at ${join(empty, 'logs', 'console.log')} yet`);
  });

  it('-f prints what is appended, starts over when a new boot truncates the log, and Ctrl-C ends it with 0', async () => {
    const path = join(logs, 'console.log');
    writeFileSync(path, 'first boot line\n');
    const child = spawn(BERTH, ['vm', 'logs', '-f', '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let exited = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => {
      exited = true;
      resolve(code);
    }));
    try {
      expect(await waitUntil(() => out === 'first boot line\n', 30_000)).toBe(true);
      appendFileSync(path, 'appended while following\n');
      expect(await waitUntil(() => out.endsWith('appended while following\n'), 30_000)).toBe(true);
      // A new boot truncates the console log before QEMU writes to it again.
      writeFileSync(path, 'second boot\n');
      expect(await waitUntil(() => out.endsWith('second boot\n'), 30_000)).toBe(true);
      expect(exited).toBe(false);
      child.kill('SIGINT');
      expect(await closed).toBe(0);
      expect(out).toBe('first boot line\nappended while following\nsecond boot\n');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
