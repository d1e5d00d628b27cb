// Differential: `docker import <url>`: the engine downloads the rootfs tarball itself. The test
// serves a busybox rootfs (plain and gzip) on 127.0.0.1, plus a 404, a redirect and a closed port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { busyboxRootfs } from '../support/rootfs.ts';
import { buildTar } from '../support/tar-layer.ts';
import { useSideBySide } from './side-by-side.ts';
import { freePort } from '../support/free-port.ts';

// No bridge of dockerd's own: the daemons fetch from 127.0.0.1 themselves, and docker0 is not
// shared with other dockerds on the machine.
const both = useSideBySide({ bridged: false });

let server: Server;
let base: string;

beforeAll(async () => {
  const tar = await buildTar([...busyboxRootfs(), { type: 'file', path: 'etc/imported', content: 'from the URL\n' }]);
  const gz = gzipSync(tar);
  server = createServer((req, res) => {
    if (req.url === '/rootfs.tar') return res.end(tar);
    if (req.url === '/rootfs.tar.gz') return res.end(gz);
    if (req.url === '/moved') {
      res.writeHead(302, { Location: '/rootfs.tar' });
      return res.end();
    }
    res.writeHead(404, 'Not Found', { 'Content-Type': 'text/plain' });
    res.end('no such tarball\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** The test server's port is the same for both engines but differs per run. */
const portless = (text: string) => text.replace(/127\.0\.0\.1:\d+|<ip>:\d+/g, '<host>');

describe('differential: import from a URL', () => {
  it('downloads the tarball, plain or gzip, and the image runs', async () => {
    await both.expectSameCli(['import', `${base}/rootfs.tar`, 'diff-import:plain'], { normalise: portless });
    await both.expectSameCli(['run', '--rm', 'diff-import:plain', 'cat', '/etc/imported']);
    await both.expectSameCli(['import', '-m', 'by url', '-c', 'CMD ["cat", "/etc/imported"]', `${base}/rootfs.tar.gz`, 'diff-import:gz'], { normalise: portless });
    await both.expectSameCli(['run', '--rm', 'diff-import:gz']);
    await both.expectSameCli(['history', '--format', '{{.CreatedBy}}|{{.Comment}}', 'diff-import:gz']);
    await both.expectSameCli(['history', '--format', '{{.Comment}}', 'diff-import:plain'], { normalise: portless });
    await both.expectSameCli(['import', `${base}/moved`, 'diff-import:moved'], { normalise: portless });
    await both.mustBoth(['rmi', 'diff-import:plain', 'diff-import:gz', 'diff-import:moved']);
  });

  it('a 404 and a closed port fail as dockerd fails', async () => {
    await both.expectSameCli(['import', `${base}/missing.tar`, 'diff-import:missing'], { normalise: portless });
    await both.expectSameCli(['import', `http://127.0.0.1:${await freePort()}/x.tar`, 'diff-import:refused'], { normalise: portless });
    await both.expectSameCli(['images', '-q', 'diff-import']);
  });
});
