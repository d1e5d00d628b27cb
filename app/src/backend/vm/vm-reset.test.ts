// `berth vm reset` on a terminal asks first (a real pty), on a home whose VM is not running (the
// real-VM test resets a running one): "n" keeps the disk, "y" deletes it and keeps the logs.
import { mkdirSync, mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BERTH, PtySession } from './vm-test-helpers.ts';

const home = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-vm-reset-'));
mkdirSync(join(home, 'logs'));
writeFileSync(join(home, 'logs', 'console.log'), 'berth-boot: earlier boot\n');
writeFileSync(join(home, 'data.qcow2'), 'stands in for the disk');
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function answer(reply: string): Promise<{ code: number; text: string }> {
  const session = new PtySession(BERTH, ['vm', 'reset', '--home', home], {}, { cols: 200, rows: 24 });
  try {
    await session.waitFor(/Continue\? \[y\/N\] $/, 0, 30_000);
    session.type(reply);
    return { code: await session.exit, text: session.text };
  } finally {
    session.kill();
  }
}

describe('berth vm reset on a terminal', () => {
  it('asks; anything but yes changes nothing (exit 1)', async () => {
    const { code, text } = await answer('n');
    expect(text).toContain(`This deletes every image, container and volume of the VM in ${home}.`);
    expect(text).toContain('nothing was changed');
    expect(code).toBe(1);
    expect(existsSync(join(home, 'data.qcow2'))).toBe(true);
  });

  it('yes deletes the data disk and keeps the logs (exit 0)', async () => {
    const { code, text } = await answer('y');
    expect(text).toContain('deleted the data disk');
    expect(code).toBe(0);
    expect(existsSync(join(home, 'data.qcow2'))).toBe(false);
    expect(existsSync(join(home, 'logs', 'console.log'))).toBe(true);
  });
});
