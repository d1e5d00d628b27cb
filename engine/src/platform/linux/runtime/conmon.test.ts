// conmon runs from the exec worker thread (conmon-pipes.ts); these pin what the move had to keep:
// spawn failures and conmon's own complaints reach the caller, an exec session survives the idle
// stop of the worker, and a running exec neither dies with the engine nor keeps it alive.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinuxRuntime } from './runtime.ts';
import { collect, eventually, makeSpec, TOOLS } from './test-bundle.ts';
import { Harness } from './test-harness.ts';
import { execOffThread, setExecWorkerIdleExit } from '../exec-off-thread.ts';

const h = new Harness();
let id = '';
beforeAll(async () => {
  await h.setup('berth-conmon-');
  ({ id } = await h.create('host', ['sleep', '1000']));
  await h.runtime.start(id);
});
const children: ReturnType<typeof spawn>[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await h.cleanup();
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('conmon off the event loop', () => {
  it('fails create with the spawn error when conmon is missing', async () => {
    const runtime = new LinuxRuntime({ stateDir: join(h.dir, 'state'), runcRoot: join(h.dir, 'runc'), ...TOOLS, conmonPath: join(h.dir, 'no-such-conmon') });
    const cid = h.newId('nocm');
    const bundleDir = join(h.dir, 'bundles', cid);
    await expect(
      runtime.create({ id: cid, bundleDir, spec: makeSpec({ id: cid, rootfs: h.rootfs, args: ['true'] }), tty: false, openStdin: false }),
    ).rejects.toThrow(`OCI runtime create failed: conmon sync pipe closed without a message: spawn ${join(h.dir, 'no-such-conmon')} ENOENT`);
    await runtime.delete(cid);
    runtime.close();
  });

  it("fails create with conmon's own stderr when conmon gives up before forking", async () => {
    const cid = h.newId('badlog');
    const bundleDir = join(h.dir, 'bundles', cid);
    // conmon opens the k8s-file log first thing and exits with a message on stderr if it cannot.
    const logPath = join(h.dir, 'no-such-dir', 'ctr.log');
    await expect(
      h.runtime.create({ id: cid, bundleDir, spec: makeSpec({ id: cid, rootfs: h.rootfs, args: ['true'] }), tty: false, openStdin: false, logPath }),
    ).rejects.toThrow(/conmon sync pipe closed without a message: .*Failed to open log file/);
    await h.runtime.delete(cid);
  });

  it('keeps an exec session working across idle stops of the exec worker', async () => {
    setExecWorkerIdleExit(1);
    try {
      const handle = await h.runtime.exec({
        id,
        execId: `idle-${Date.now()}`,
        process: h.execProcess(['sh', '-c', 'read line; echo "got $line"; exit 7']),
        tty: false,
        openStdin: true,
      });
      const out = collect(handle.session);
      // Short commands finishing with the idle stop at 1 ms: each time the worker has no call in
      // flight, only the open session, and must stay (a stopped worker would end the session: 255).
      for (let i = 0; i < 5; i++) {
        expect((await execOffThread('/bin/echo', [`call-${i}`])).stdout).toBe(`call-${i}\n`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      handle.session.write(Buffer.from('hello\n'));
      expect(await handle.exited).toBe(7);
      expect(out.stdout()).toBe('got hello\n');
    } finally {
      setExecWorkerIdleExit(10_000);
    }
  });

  it('lets the engine process exit while an exec runs, and the exec outlives it', async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'test-exec-child.ts'), join(h.dir, 'state'), join(h.dir, 'runc'), id], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let printed = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
    // A session that held the engine would leave this waiting until the test times out.
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    const pid = Number.parseInt(printed, 10);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    await eventually(() => !alive(pid));
  });
});
