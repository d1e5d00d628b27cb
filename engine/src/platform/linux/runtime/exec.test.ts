import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, eventually } from './test-bundle.ts';
import { Harness } from './test-harness.ts';

const h = new Harness();
let id = '';
let n = 0;
const execId = () => `exec-${n++}-${Math.random().toString(16).slice(2, 10)}`;

beforeAll(async () => {
  await h.setup('berth-exec-');
  ({ id } = await h.create('host', ['sleep', '1000']));
  await h.runtime.start(id);
});
afterAll(() => h.cleanup());

describe('LinuxRuntime exec', () => {
  it('runs a process without tty, splits its output and returns its exit code', async () => {
    const handle = await h.runtime.exec({
      id,
      execId: execId(),
      process: h.execProcess(['sh', '-c', 'echo out; echo err >&2; exit 4']),
      tty: false,
      openStdin: false,
    });
    expect(handle.pid).toBeGreaterThan(0);
    const out = collect(handle.session);
    expect(await handle.exited).toBe(4);
    expect(out.stdout()).toBe('out\n');
    expect(out.stderr()).toBe('err\n');
  });

  it('loses no output of processes that exit at once', async () => {
    for (let i = 0; i < 5; i++) {
      const handle = await h.runtime.exec({ id, execId: execId(), process: h.execProcess(['echo', `fast-${i}`]), tty: false, openStdin: false });
      const out = collect(handle.session);
      expect(await handle.exited).toBe(0);
      expect(out.stdout()).toBe(`fast-${i}\n`);
    }
  });

  it('passes env and stdin; stdin EOF ends cat', async () => {
    const handle = await h.runtime.exec({
      id,
      execId: execId(),
      process: h.execProcess(['sh', '-c', 'echo "FOO=$FOO"; cat'], { env: ['FOO=bar'] }),
      tty: false,
      openStdin: true,
    });
    const out = collect(handle.session);
    handle.session.write(Buffer.from('from-stdin\n'));
    await eventually(() => out.stdout().includes('from-stdin'));
    handle.session.closeStdin();
    expect(await handle.exited).toBe(0);
    expect(out.stdout()).toBe('FOO=bar\nfrom-stdin\n');
  });

  it('with a tty: raw output and resize', async () => {
    const handle = await h.runtime.exec({ id, execId: execId(), process: h.execProcess(['sh'], { tty: true }), tty: true, openStdin: true });
    const out = collect(handle.session);
    await handle.resize(40, 100);
    handle.session.write(Buffer.from('stty size\n'));
    await eventually(() => out.stdout().includes('40 100\r\n'));
    handle.session.write(Buffer.from('exit 6\n'));
    expect(await handle.exited).toBe(6);
    expect(out.stderr()).toBe('');
  });

  it("rejects with runc's message when the executable does not exist", async () => {
    await expect(
      h.runtime.exec({ id, execId: execId(), process: h.execProcess(['nope']), tty: false, openStdin: false }),
    ).rejects.toThrow('exec: "nope": executable file not found in $PATH');
  });

  it('refuses to exec in a container that has exited', async () => {
    const other = await h.create('stopped', ['true']);
    const exited = h.nextExit(other.id);
    await h.runtime.start(other.id);
    await exited;
    await expect(
      h.runtime.exec({ id: other.id, execId: execId(), process: h.execProcess(['true']), tty: false, openStdin: false }),
    ).rejects.toMatchObject({ kind: 'conflict' });
    await h.runtime.delete(other.id);
  });
});
