// A client that hangs up on a pull or a push (the dashboard's Cancel, Ctrl+C in `docker pull`)
// stops the transfer in berthd: its registry connections close long before the transfer could
// have finished, no image is recorded, no partial blob stays in the ingest area, and a later pull
// of the same image works. The registry is reached through a proxy that holds back the
// registry's answers once the transfer is under way: a transfer that went on would wait on its
// connection for as long as the hold lasts, so a closed connection means berthd gave up.
import { readdirSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlowProxy, type SlowProxy } from '../../e2e/support/slow-proxy.ts';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { testImage, testRegistry } from './support/fixtures.ts';

let engine: EngineHandle;
let proxy: SlowProxy;

beforeAll(async () => {
  engine = await startEngine();
  proxy = await startSlowProxy(testRegistry().host, { latencyMs: 0, bytesPerSecond: 16 * 1024 });
});
afterAll(async () => {
  proxy?.release();
  await engine?.stop();
  await proxy?.stop();
});

/** POSTs to the engine and resolves the request once a progress line matches `until`. */
function startTransfer(path: string, until: RegExp): Promise<ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: engine.socket, method: 'POST', path, headers: { 'X-Registry-Auth': 'e30=' } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}`));
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (until.test(text)) resolve(req);
      });
      res.on('end', () => reject(new Error(`${path} ended before ${until}: ${text}`)));
    });
    req.on('error', (error) => reject(error));
    req.end();
  });
}

async function connectionsGone(): Promise<void> {
  await expect.poll(() => proxy.openConnections(), { timeout: 30_000, interval: 100 }).toBe(0);
  proxy.release();
}

describe('a client hanging up on a transfer', () => {
  it('stops a pull: the registry connection closes, no image and no partial blob stay, and the pull works afterwards', async () => {
    const repository = testImage('busybox').repository.slice(testRegistry().host.length + 1);
    const reference = `${proxy.host}/${repository}:latest`;
    const req = await startTransfer(`/images/create?fromImage=${encodeURIComponent(`${proxy.host}/${repository}`)}&tag=latest`, /"status":"Downloading"/);
    proxy.hold();
    expect(proxy.openConnections()).toBeGreaterThan(0);
    req.destroy();

    await connectionsGone();
    expect((await engine.docker(['image', 'inspect', reference])).code).not.toBe(0);
    expect(readdirSync(join(engine.dataRoot, 'content', 'ingest'))).toEqual([]);
    expect((await engine.docker(['image', 'ls', '-q'])).stdout.trim()).toBe('');

    const again = await engine.docker(['pull', '-q', testImage('busybox').ref], { timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
  });

  it('stops a push: the registry connection closes and the registry never gets the tag', async () => {
    const repository = `hangup-push-${process.pid}`;
    const target = `${proxy.host}/${repository}:v1`;
    // An image of its own, so every blob is new to the registry and has to be uploaded.
    const source = (await engine.docker(['create', testImage('busybox').ref, 'true'])).stdout.trim();
    const committed = await engine.docker(['commit', '--change', 'LABEL hangup=push', source, target]);
    expect(committed.code, committed.stderr).toBe(0);
    await engine.docker(['rm', source]);

    // Held from the start: the push's first registry call waits, and its first line is already out.
    proxy.hold();
    const req = await startTransfer(`/images/${encodeURIComponent(`${proxy.host}/${repository}`)}/push?tag=v1`, /"status":/);
    await expect.poll(() => proxy.openConnections()).toBeGreaterThan(0);
    req.destroy();

    await connectionsGone();
    const manifest = await fetch(`${testRegistry().url}/v2/${repository}/manifests/v1`, {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    });
    expect(manifest.status).toBe(404);
    // Nothing stuck behind it: the same push, left alone, finishes.
    const pushed = await engine.docker(['push', target], { timeoutMs: 120_000 });
    expect(pushed.code, pushed.stderr).toBe(0);
  });
});
