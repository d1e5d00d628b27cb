// The boot-stage parser against console output as the guest writes it: kernel lines, the guest's
// own marks, berthd's log interleaved, CRLF line ends from the serial port.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOOT_STAGES, latestStage, readLatestStage, stageText } from './boot-stages.ts';

const dir = mkdtempSync(join(tmpdir(), 'berth-stages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONSOLE = [
  '[    0.000000] Linux version 6.1.0-28-amd64',
  'berth-boot: initramfs at 1.52s',
  'berth-stage: kernel',
  'berth-boot: switch-root at 2.90s',
  'berth-stage: system',
  'berth-boot: init at 3.01s',
  'berth-boot: mkfs at 4.20s',
  'berth-stage: data-format',
  'berth-stage: data',
  'berth-boot: rc-done at 6.00s',
].join('\r\n');

describe('boot stages', () => {
  it('nothing printed yet: no stage, and the words say the kernel is booting', () => {
    expect(latestStage('')).toBeUndefined();
    expect(latestStage('[    0.000000] Linux version 6.1.0\r\nberth-boot: initramfs at 1.5s\r\n')).toBeUndefined();
    expect(stageText(undefined)).toBe('booting the kernel');
  });

  it('the latest marker wins, CRLF and all', () => {
    expect(latestStage(CONSOLE)).toBe('data');
    expect(latestStage(`${CONSOLE}\r\nberth-stage: engine\r\n`)).toBe('engine');
  });

  it('a marker that shares its line with the engine\'s log is still found', () => {
    expect(latestStage(`${CONSOLE}\r\ntime="…" level=info msg="listening"berth-stage: engine\r\nmore log`)).toBe('engine');
  });

  it('every stage the guest prints has words; an unknown one shows as itself', () => {
    for (const stage of BOOT_STAGES) expect(stageText(stage)).not.toBe(stage);
    expect(stageText('data-format')).toBe('formatting the data disk (first start)');
    expect(stageText('something-new')).toBe('something-new');
  });

  it('reads the latest stage from a console log file; a missing file has none', () => {
    const file = join(dir, 'console.log');
    writeFileSync(file, `${CONSOLE}\r\nberth-stage: engine\r\n${'x'.repeat(2 * 1024 * 1024)}`);
    expect(readLatestStage(file)).toBe('engine');
    expect(readLatestStage(join(dir, 'missing.log'))).toBeUndefined();
  });
});
