// One conmon that fails must fail only its own exec: runc/mount calls and exec sessions share one
// worker thread (exec-off-thread.ts), and an unhandled pipe error there used to end the worker,
// failing every call in flight and turning every open exec's exit code into 255.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinuxRuntime } from './runtime.ts';
import { TOOLS } from './test-bundle.ts';
import { Harness } from './test-harness.ts';
import { execOffThread } from '../exec-off-thread.ts';

const h = new Harness();
let id = '';
beforeAll(async () => {
  await h.setup('berth-conmon-fail-');
  ({ id } = await h.create('host', ['sleep', '1000']));
  await h.runtime.start(id);
});
afterAll(() => h.cleanup());

async function scenario(overrides: { runcPath?: string; conmonPath?: string }, tag: string) {
  const bad = new LinuxRuntime({ stateDir: join(h.dir, 'state'), runcRoot: join(h.dir, 'runc'), ...TOOLS, ...overrides });
  // A healthy exec session and a healthy short command, both in flight on the same worker.
  const good = await h.runtime.exec({ id, execId: `good-${tag}-${Date.now()}`, process: h.execProcess(['sh', '-c', 'sleep 2; exit 5']), tty: false, openStdin: false });
  const inflight = execOffThread('/bin/sleep', ['1']);
  const badResult = await bad
    .exec({ id, execId: `bad-${tag}-${Date.now()}`, process: h.execProcess(['true']), tty: false, openStdin: false })
    .then(() => 'resolved', (e: Error) => `rejected: ${e.message}`);
  const other = await inflight;
  const code = await good.exited;
  bad.close();
  // The failing exec fails with its own reason, not the worker's.
  expect(badResult).toMatch(/^rejected: /);
  expect(badResult).not.toMatch(/exec worker/);
  expect(other.error?.message ?? null).toBeNull();
  expect(code).toBe(5);
}

describe('a failing conmon on the shared exec worker', () => {
  it('conmon that dies before reading the start pipe (fake conmon: exit 1)', async () => {
    const fake = join(h.dir, 'fake-conmon');
    await writeFile(fake, '#!/bin/sh\necho "conmon: simulated early failure" >&2\nexit 1\n');
    await chmod(fake, 0o755);
    await scenario({ conmonPath: fake }, 'fake');
  });
  it('real conmon with an invalid runtime path', async () => {
    await scenario({ runcPath: '/nonexistent/runc' }, 'badrunc');
  });
  it('conmon binary missing (ENOENT) for an exec', async () => {
    await scenario({ conmonPath: join(h.dir, 'no-such-conmon') }, 'enoent');
  });
});
