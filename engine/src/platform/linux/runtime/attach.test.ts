import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, eventually } from './test-bundle.ts';
import { Harness } from './test-harness.ts';

const h = new Harness();
beforeAll(() => h.setup('berth-attach-'));
afterAll(() => h.cleanup());

describe('LinuxRuntime attach', () => {
  it('splits stdout from stderr for output produced right after start', async () => {
    const { id } = await h.create('split', ['sh', '-c', 'echo to-out; echo to-err >&2; echo more-out']);
    const session = await h.runtime.attach(id, { stdin: false });
    const out = collect(session);
    const exited = h.nextExit(id);
    await h.runtime.start(id);
    await out.closed;
    expect(out.stdout()).toBe('to-out\nmore-out\n');
    expect(out.stderr()).toBe('to-err\n');
    expect((await exited).exitCode).toBe(0);
    await h.runtime.delete(id);
  });

  it('passes stdin to cat, and stdin EOF ends cat (StdinOnce)', async () => {
    const { id } = await h.create('cat', ['cat'], { openStdin: true, stdinOnce: true });
    const session = await h.runtime.attach(id, { stdin: true });
    const out = collect(session);
    const exited = h.nextExit(id);
    await h.runtime.start(id);
    session.write(Buffer.from('hello '));
    session.write(Buffer.from('world\n'));
    await eventually(() => out.stdout() === 'hello world\n');
    session.closeStdin();
    expect((await exited).exitCode).toBe(0);
    await out.closed;
    expect(out.stdout()).toBe('hello world\n');
    await h.runtime.delete(id);
  });

  it('keeps stdin open across attach sessions without StdinOnce', async () => {
    const { id } = await h.create('keep', ['cat'], { openStdin: true });
    const first = await h.runtime.attach(id, { stdin: true });
    const out1 = collect(first);
    await h.runtime.start(id);
    first.write(Buffer.from('one\n'));
    await eventually(() => out1.stdout() === 'one\n');
    first.detach();
    await out1.closed;
    const second = await h.runtime.attach(id, { stdin: true });
    const out2 = collect(second);
    second.write(Buffer.from('two\n'));
    await eventually(() => out2.stdout() === 'two\n');
    expect((await h.runtime.state(id)).status).toBe('running');
    second.detach();
    await h.runtime.delete(id, true);
  });

  it('with a tty, output is raw and resize changes stty size', async () => {
    const { id } = await h.create('tty', ['sh'], { tty: true, openStdin: true, stdinOnce: true });
    const session = await h.runtime.attach(id, { stdin: true });
    const out = collect(session);
    await h.runtime.start(id);
    await h.runtime.resize(id, 33, 111);
    session.write(Buffer.from('stty size; echo err >&2\n'));
    await eventually(() => out.stdout().includes('33 111') && out.stdout().includes('err'));
    await h.runtime.resize(id, 20, 70);
    session.write(Buffer.from('stty size\n'));
    await eventually(() => out.stdout().includes('20 70'));
    // One pty carries both streams: everything arrives as stdout, with the tty's \r\n.
    expect(out.stderr()).toBe('');
    expect(out.stdout()).toContain('33 111\r\n');
    const exited = h.nextExit(id);
    session.write(Buffer.from('exit 5\n'));
    expect((await exited).exitCode).toBe(5);
    await out.closed;
    await h.runtime.delete(id);
  });

  it('refuses to attach to a container whose monitor is gone', async () => {
    const { id } = await h.create('gone', ['true']);
    const exited = h.nextExit(id);
    await h.runtime.start(id);
    await exited;
    await eventually(async () => (await h.runtime.monitorPid(id)) === undefined);
    await expect(h.runtime.attach(id, { stdin: false })).rejects.toMatchObject({ kind: 'conflict' });
    await h.runtime.delete(id);
  });
});
