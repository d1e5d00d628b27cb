import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { execOffThread, setExecWorkerIdleExit } from './exec-off-thread.ts';

describe('execOffThread', () => {
  it('returns stdout and stderr of a command that succeeds, run in the given cwd', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-exec-'));
    try {
      const r = await execOffThread('/bin/sh', ['-c', 'pwd; echo oops >&2'], { cwd: dir });
      expect(r.error).toBeNull();
      expect(r.stdout).toBe(`${dir}\n`);
      expect(r.stderr).toBe('oops\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a non-zero exit as an Error with the exit code, keeping the output', async () => {
    const r = await execOffThread('/bin/sh', ['-c', 'echo partial; echo "msg=\\"bad\\"" >&2; exit 3']);
    expect(r.error).toBeInstanceOf(Error);
    expect(r.error?.code).toBe(3);
    expect(r.stdout).toBe('partial\n');
    expect(r.stderr).toBe('msg="bad"\n');
  });

  it('reports a missing program as ENOENT', async () => {
    const r = await execOffThread('/nonexistent/berth-no-such-program', []);
    expect(r.error?.code).toBe('ENOENT');
  });

  it('matches each of many concurrent calls with its own result', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => execOffThread('/bin/echo', [`call-${i}`])));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 40 }, (_, i) => `call-${i}\n`));
  });

  it('runs a call made while the idle worker is being stopped (the old worker\'s exit fails nothing new)', async () => {
    // The idle worker is terminated asynchronously; a call in that window starts a new worker, and
    // the old one's exit event used to fail it with "exec worker exited" (seen as a failed runc kill).
    setExecWorkerIdleExit(5);
    try {
      for (let round = 0; round < 20; round++) {
        expect((await execOffThread('/bin/echo', [`before-${round}`])).stdout).toBe(`before-${round}\n`);
        await new Promise((resolve) => setTimeout(resolve, 6 + (round % 4)));
        const r = await execOffThread('/bin/echo', [`after-${round}`]);
        expect(r.error).toBeNull();
        expect(r.stdout).toBe(`after-${round}\n`);
      }
    } finally {
      setExecWorkerIdleExit(10_000);
    }
  });

  it('does not keep the process alive once its commands are done', () => {
    // A process that used the worker must still exit on its own (berthd's shutdown relies on it).
    const module = fileURLToPath(new URL('./exec-off-thread.ts', import.meta.url));
    const script = `import { execOffThread } from ${JSON.stringify(module)}; const r = await execOffThread('/bin/echo', ['done']); process.stdout.write(r.stdout);`;
    const child = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.error).toBeUndefined();
    expect(child.stdout).toBe('done\n');
    expect(child.status).toBe(0);
  });
});
