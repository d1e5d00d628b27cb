// After `kill -9` of berthd and a restart, running containers are still running, re-adopted
// through conmon, and every command still works on them; a pull killed mid-download leaves no
// image and no partial blob.
import { existsSync, readdirSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimePaths } from '../src/platform/linux/runtime/paths.ts';
import { until, useEngineWithBusybox } from './support/engine-fixture.ts';
import type { StartEngineOptions } from './support/engine-harness.ts';
import { testImage, testRegistry } from './support/fixtures.ts';

/** A pass-through proxy to the test registry that, while `stalling`, sends only the first half
 * of a layer blob and then holds the connection: a pull is then certainly mid-download. */
const proxy = { server: undefined as Server | undefined, host: '', stalling: false, stalled: 0 };
const engineOptions: StartEngineOptions = {};
beforeAll(async () => {
  const upstream = new URL(testRegistry().url);
  const config = testImage('multilayer').configDigest;
  proxy.server = createServer((req, res) => {
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      const stall = proxy.stalling && req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '') && !(req.url ?? '').endsWith(config);
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (!stall) return void up.pipe(res);
      const half = Math.floor(Number(up.headers['content-length'] ?? 0) / 2);
      let sent = 0;
      up.on('data', (chunk: Buffer) => {
        const part = chunk.subarray(0, Math.max(0, half - sent));
        sent += part.length;
        if (part.length > 0) res.write(part);
        if (sent >= half && part.length > 0) proxy.stalled++;
      });
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.server!.listen(0, '127.0.0.1', resolve));
  proxy.host = `127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
  engineOptions.extraArgs = ['--insecure-registry', proxy.host];
});
afterAll(async () => {
  proxy.server?.closeAllConnections();
  await new Promise((resolve) => proxy.server?.close(resolve));
});

const fixture = useEngineWithBusybox(engineOptions);

describe('engine crash and restart', () => {
  it('re-adopts running containers and records exits that happened while it was down', async () => {
    const survivor = await fixture.engine.docker(['run', '-d', '--network=none', '--name', 'survivor', fixture.busybox, 'sh', '-c', 'echo before; sleep 300']);
    expect(survivor.code, survivor.stderr).toBe(0);
    const shortLived = await fixture.engine.docker(['run', '-d', '--network=none', '--name', 'short', fixture.busybox, 'sh', '-c', 'sleep 1; exit 9']);
    expect(shortLived.code).toBe(0);
    const pidBefore = (await fixture.engine.docker(['inspect', '-f', '{{.State.Pid}}', 'survivor'])).stdout.trim();

    await fixture.engine.kill9();
    // `short` exits while the engine is down and its monitor records how: wait for that record.
    const paths = new RuntimePaths(join(fixture.engine.execRoot, 'runtime'));
    const shortId = shortLived.stdout.trim();
    await until(async () => existsSync(paths.exitFile(shortId)) || existsSync(paths.persistExitFile(shortId)), 30_000);
    await fixture.engine.restart();

    const state = JSON.parse((await fixture.engine.docker(['inspect', 'survivor'])).stdout)[0].State;
    expect(state.Status).toBe('running');
    expect(String(state.Pid)).toBe(pidBefore);
    expect((await fixture.engine.docker(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', 'short'])).stdout.trim()).toBe('exited 9');

    const exec = await fixture.engine.docker(['exec', 'survivor', 'echo', 'still here']);
    expect(exec.stdout).toBe('still here\n');
    expect((await fixture.engine.docker(['logs', 'survivor'])).stdout).toBe('before\n');
    expect((await fixture.engine.docker(['pause', 'survivor'])).code).toBe(0);
    expect((await fixture.engine.docker(['unpause', 'survivor'])).code).toBe(0);
    const stop = await fixture.engine.docker(['stop', '-t', '1', 'survivor']);
    expect(stop.code, stop.stderr).toBe(0);
    expect((await fixture.engine.docker(['inspect', '-f', '{{.State.ExitCode}}', 'survivor'])).stdout.trim()).toBe('137');
    expect((await fixture.engine.docker(['rm', 'survivor', 'short'])).code).toBe(0);
  });

  it('leaves no half image when a pull is interrupted by a crash', async () => {
    const ref = `${proxy.host}/multilayer:latest`;
    proxy.stalling = true;
    const pulling = fixture.engine.docker(['pull', ref]);
    await until(async () => proxy.stalled > 0, 30_000);
    await fixture.engine.kill9();
    await pulling;
    proxy.stalling = false;
    await fixture.engine.restart();

    const images = await fixture.engine.docker(['images', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(images.stdout).not.toContain(ref);
    const ingest = join(fixture.engine.dataRoot, 'content', 'ingest');
    expect(existsSync(ingest) ? readdirSync(ingest) : []).toEqual([]);
    const again = await fixture.engine.docker(['pull', ref]);
    expect(again.code, again.stderr).toBe(0);
    expect((await fixture.engine.docker(['run', '--rm', '--network=none', '--entrypoint', 'true', ref])).code).toBe(0);
  });
});
