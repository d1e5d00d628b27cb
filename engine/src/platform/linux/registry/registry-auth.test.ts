// Token auth, redirects and misbehaving servers. Debian's registry has no token server, so this
// uses a tiny node:http stub on 127.0.0.1 playing registry + token endpoint + blob storage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference } from '../../../core/reference.ts';
import { FsContentStore } from '../content-store.ts';
import { parseChallenge } from './auth.ts';
import { RegistryClient } from './registry-client.ts';
import { buildTestImage, freePort, sha256 } from './test-registry.ts';

const image = buildTestImage({ files: [{ name: 'secret.txt', content: 'top secret' }] });
const layer = image.layers[0];
const wrongBlobDigest = sha256('what the manifest promised');

let registryPort = 0;
let storagePort = 0;
const tokenRequests: URL[] = [];
const tokenAuthHeaders: Array<string | undefined> = [];
const storageAuthHeaders: Array<string | undefined> = [];
const servers: Server[] = [];

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function registryHandler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${registryPort}`);
  if (url.pathname === '/token') {
    tokenRequests.push(url);
    tokenAuthHeaders.push(req.headers.authorization);
    if (url.searchParams.get('account') === 'mallory') {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: `tok-${tokenRequests.length}`, expires_in: 300 }));
    return;
  }
  const repo = url.pathname.split('/').slice(2, 4).join('/');
  if (repo === 'broken/app') {
    res.writeHead(503, { 'Content-Type': 'text/plain' }).end('down for maintenance');
    return;
  }
  const auth = req.headers.authorization ?? '';
  // `locked/app` never accepts a token: the client must give up after one retry.
  if (!auth.startsWith('Bearer tok-') || repo === 'locked/app') {
    res.writeHead(401, {
      'Content-Type': 'application/json',
      'WWW-Authenticate': `Bearer realm="http://127.0.0.1:${registryPort}/token",service="stub.test",scope="repository:${repo}:pull"`,
    }).end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
    return;
  }
  const rest = url.pathname.split('/').slice(4);
  if (rest[0] === 'manifests') {
    // Serves the same bytes for any digest: by-digest requests for another digest must fail.
    res.writeHead(200, { 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json; charset=utf-8' }).end(image.manifest);
    return;
  }
  if (rest[0] === 'blobs') {
    res.writeHead(307, { Location: `http://localhost:${storagePort}/storage/${rest[1]}` }).end();
    return;
  }
  res.writeHead(404).end();
}

function storageHandler(req: IncomingMessage, res: ServerResponse): void {
  storageAuthHeaders.push(req.headers.authorization);
  const digest = (req.url ?? '').split('/').pop();
  if (digest === layer.digest) res.writeHead(200).end(layer.compressed);
  else if (digest === wrongBlobDigest) res.writeHead(200).end(Buffer.from('tampered bytes'));
  else res.writeHead(404).end();
}

beforeAll(async () => {
  registryPort = await listen(registryHandler);
  storagePort = await listen(storageHandler);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const ref = (path: string) => parseReference(`127.0.0.1:${registryPort}/${path}`);

describe('registry auth and hostile servers', () => {
  it('parses Bearer challenges with quoted parameters', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' },
    });
    expect(parseChallenge('Basic realm=x')).toEqual({ scheme: 'basic', params: { realm: 'x' } });
  });

  it('answers a 401 with an anonymous token, caches it per scope, and keeps it off redirected blob hosts', async () => {
    tokenRequests.length = 0;
    storageAuthHeaders.length = 0;
    const client = new RegistryClient();
    const resolved = await client.resolve(ref('secret/app:v1'));
    expect(resolved.manifestDigest).toBe(image.manifestDigest);
    expect(resolved.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0].searchParams.get('service')).toBe('stub.test');
    expect(tokenRequests[0].searchParams.getAll('scope')).toEqual(['repository:secret/app:pull']);
    expect(tokenAuthHeaders[0]).toBeUndefined();

    const store = new FsContentStore(mkdtempSync(join(tmpdir(), 'berth-auth-')));
    try {
      await Promise.all([1, 2].map(async () => store.write(layer, await client.fetchBlob(ref('secret/app:v1'), layer))));
      expect(await store.has(layer.digest)).toBe(true);
    } finally {
      rmSync(store.root, { recursive: true, force: true });
    }
    expect(tokenRequests).toHaveLength(1); // the cached token served the blob GETs
    expect(storageAuthHeaders).toEqual([undefined, undefined]);
  });

  it('sends Basic credentials to the token endpoint and reports rejected ones', async () => {
    tokenAuthHeaders.length = 0;
    tokenRequests.length = 0;
    const client = new RegistryClient({ credentials: () => ({ username: 'alice', password: 'pw' }) });
    await client.resolve(ref('secret/app:v1'));
    expect(tokenAuthHeaders[0]).toBe('Basic ' + Buffer.from('alice:pw').toString('base64'));
    expect(tokenRequests[0].searchParams.get('account')).toBe('alice');
    await expect(new RegistryClient().resolve(ref('secret/app:v1'), { credentials: { username: 'mallory', password: 'x' } })).rejects.toThrow(
      'unauthorized: incorrect username or password',
    );
  });

  it('gives up after one token retry with Docker’s access-denied wording', async () => {
    await expect(new RegistryClient().resolve(ref('locked/app:v1'))).rejects.toMatchObject({
      kind: 'forbidden',
      message: `pull access denied for 127.0.0.1:${registryPort}/locked/app, repository does not exist or may require 'docker login': unauthorized: authentication required`,
    });
  });

  it('rejects manifest bytes that do not hash to the requested digest', async () => {
    const other = sha256('another manifest');
    await expect(new RegistryClient().resolve(ref(`secret/app@${other}`))).rejects.toThrow(
      `manifest verification failed for digest ${other}: content has digest ${image.manifestDigest}`,
    );
  });

  it('rejects a blob whose bytes do not match its digest, naming both digests', async () => {
    const store = new FsContentStore(mkdtempSync(join(tmpdir(), 'berth-auth-')));
    try {
      const client = new RegistryClient();
      const stream = await client.fetchBlob(ref('secret/app:v1'), { digest: wrongBlobDigest });
      await expect(store.write({ digest: wrongBlobDigest }, stream)).rejects.toThrow(
        `digest mismatch: expected ${wrongBlobDigest}, got ${sha256('tampered bytes')}`,
      );
      expect(await store.list()).toEqual([]);
    } finally {
      rmSync(store.root, { recursive: true, force: true });
    }
  });

  it('reports server errors with their status', async () => {
    await expect(new RegistryClient().resolve(ref('broken/app:v1'))).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringContaining('received unexpected HTTP status: 503 Service Unavailable'),
    });
  });

  it('names the endpoint when the connection fails', async () => {
    const port = await freePort();
    await expect(new RegistryClient().resolve(parseReference(`127.0.0.1:${port}/x/y`))).rejects.toThrow(
      `Get "http://127.0.0.1:${port}/v2/x/y/manifests/latest": ECONNREFUSED`,
    );
  });
});
