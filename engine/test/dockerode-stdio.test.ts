// Streams as dockerode (docker-modem) drives them: attach before start, TTY with resize, exec
// with and without a TTY, exit codes read right after the stream ends.
import Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { testImage } from './support/fixtures.ts';

let engine: EngineHandle;
let client: Docker;
let busybox: string;

function collect(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
}

async function readUntil(stream: NodeJS.ReadableStream, pattern: RegExp, ms = 10_000): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(text)}`)), ms);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(text);
      }
    };
    stream.on('data', onData);
  });
}

beforeAll(async () => {
  engine = await startEngine();
  client = new Docker({ socketPath: engine.socket });
  busybox = testImage('busybox').ref;
  expect((await engine.docker(['pull', busybox])).code).toBe(0);
});
afterAll(async () => {
  await engine?.stop();
});

describe('dockerode streams', () => {
  it('attaches before start and gets stdout and stderr apart', async () => {
    const container = await client.createContainer({ Image: busybox, Cmd: ['sh', '-c', 'echo to-out; echo to-err >&2'], HostConfig: { NetworkMode: 'none' } });
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const out = new PassThrough();
    const err = new PassThrough();
    container.modem.demuxStream(stream, out, err);
    const outText = collect(out);
    const errText = collect(err);
    stream.on('end', () => {
      out.end();
      err.end();
    });
    await container.start();
    expect(await container.wait()).toEqual({ StatusCode: 0, Error: null });
    expect(await outText).toBe('to-out\n');
    expect(await errText).toBe('to-err\n');
    await container.remove();
  });

  it('runs a TTY shell: typing, resize reaching stty, and exit', async () => {
    const container = await client.createContainer({ Image: busybox, Cmd: ['sh'], Tty: true, OpenStdin: true, StdinOnce: false, HostConfig: { NetworkMode: 'none' } });
    const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
    await container.start();
    await container.resize({ h: 33, w: 101 });
    stream.write('stty size; echo marker-$((6*7))\n');
    const seen = await readUntil(stream, /marker-42/);
    expect(seen).toContain('33 101');
    stream.write('exit 7\n');
    expect((await container.wait()).StatusCode).toBe(7);
    await container.remove();
  });

  it('execs without a TTY, demultiplexed, with the exit code set when the stream ends', async () => {
    const container = await client.createContainer({ Image: busybox, Cmd: ['sleep', '300'], HostConfig: { NetworkMode: 'none' } });
    await container.start();
    const exec = await container.exec({ Cmd: ['sh', '-c', 'echo exec-out; echo exec-err >&2; exit 4'], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const out = new PassThrough();
    const err = new PassThrough();
    container.modem.demuxStream(stream, out, err);
    await new Promise((resolve) => stream.on('end', resolve));
    out.end();
    err.end();
    expect(await collect(out)).toBe('exec-out\n');
    expect(await collect(err)).toBe('exec-err\n');
    const inspect = await exec.inspect();
    expect(inspect.ExitCode).toBe(4);
    expect(inspect.Running).toBe(false);
    await container.remove({ force: true });
  });

  it('execs with a TTY and stdin, and resizes the exec', async () => {
    const container = await client.createContainer({ Image: busybox, Cmd: ['sleep', '300'], HostConfig: { NetworkMode: 'none' } });
    await container.start();
    const exec = await container.exec({ Cmd: ['sh'], AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true });
    const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
    await exec.resize({ h: 20, w: 70 });
    stream.write('stty size; echo tty-$((2+2))\n');
    expect(await readUntil(stream, /tty-4/)).toContain('20 70');
    stream.write('exit 3\n');
    await new Promise((resolve) => stream.on('end', resolve));
    expect((await exec.inspect()).ExitCode).toBe(3);
    await container.remove({ force: true });
  });

  it('follows logs until the container exits', async () => {
    const container = await client.createContainer({ Image: busybox, Cmd: ['sh', '-c', 'for i in 1 2 3; do echo line$i; sleep 0.2; done'], HostConfig: { NetworkMode: 'none' } });
    await container.start();
    const stream = await container.logs({ follow: true, stdout: true, stderr: true });
    const out = new PassThrough();
    container.modem.demuxStream(stream, out, new PassThrough());
    stream.on('end', () => out.end());
    expect(await collect(out)).toBe('line1\nline2\nline3\n');
    await container.remove();
  });
});
