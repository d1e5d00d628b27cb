// Differential: `docker search <registry>/<name>`. Against Debian's docker-registry (v2 only, so
// its v1 search is a 404) both engines fail alike; against an index that has the v1 search API
// (served here on 127.0.0.1, as Docker Hub's cannot be reached from a test) both print the same
// table, filtered and limited the same way. Argument errors and an unreachable index read the same.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { testRegistry } from '../support/fixtures.ts';
import { useSideBySide } from './side-by-side.ts';
import { freePort } from '../support/free-port.ts';

// No bridge of dockerd's own: the daemons reach 127.0.0.1 themselves, and docker0 is not shared
// with other dockerds on the machine.
const both = useSideBySide({ bridged: false });

const RESULTS = [
  { name: 'tools/busybox', description: 'The Swiss Army knife', star_count: 42, is_official: true, is_automated: false },
  { name: 'someone/busybox-static', description: 'static build', star_count: 3, is_official: false, is_automated: true },
  { name: 'other/busybox', description: '', star_count: 0, is_official: false, is_automated: false },
];

let index: Server;
let indexHost: string;

beforeAll(async () => {
  index = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://index');
    if (url.pathname === '/v1/_ping') return res.end('true');
    if (url.pathname !== '/v1/search') {
      res.writeHead(404);
      return res.end();
    }
    const q = url.searchParams.get('q') ?? '';
    const n = Number(url.searchParams.get('n') ?? '25');
    const results = RESULTS.filter((r) => r.name.includes(q)).slice(0, n);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ num_pages: 1, num_results: results.length, page_size: n, page: 1, query: q, results }));
  });
  await new Promise<void>((resolve) => index.listen(0, '127.0.0.1', resolve));
  indexHost = `127.0.0.1:${(index.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (index ? index.close(() => resolve()) : resolve())));

const portless = (text: string) => text.replace(/(?:127\.0\.0\.1|<ip>):\d+/g, '<host>');

describe('differential: search', () => {
  it('a v2-only registry has no search: both say so', async () => {
    await both.expectSameCli(['search', `${testRegistry().host}/busybox`]);
    await both.expectSameCli(['search', '--limit', '5', `${testRegistry().host}/nothing-here`]);
  });

  it('an index with the v1 search API: the same table, filters and limit', async () => {
    await both.expectSameCli(['search', `${indexHost}/busybox`]);
    await both.expectSameCli(['search', '--no-trunc', `${indexHost}/busybox`]);
    await both.expectSameCli(['search', '--limit', '1', `${indexHost}/busybox`]);
    await both.expectSameCli(['search', '--filter', 'stars=3', `${indexHost}/busybox`]);
    await both.expectSameCli(['search', '--filter', 'is-official=true', `${indexHost}/busybox`]);
    await both.expectSameCli(['search', '--filter', 'is-automated=true', '--format', '{{.Name}}: {{.StarCount}} {{.IsAutomated}}', `${indexHost}/busybox`]);
    await both.expectSameCli(['search', `${indexHost}/nothing-matches`]);
  });

  it('bad arguments and an unreachable index fail alike', async () => {
    await both.expectSameCli(['search', '--limit', '0', `${indexHost}/busybox`]);
    await both.expectSameCli(['search', '--limit', '101', `${indexHost}/busybox`]);
    await both.expectSameCli(['search', '--filter', 'nosuch=1', `${indexHost}/busybox`]);
    await both.expectSameCli(['search', '--filter', 'is-automated=maybe', `${indexHost}/busybox`]);
    await both.expectSameCli(['search', '--filter', 'stars=many', `${indexHost}/busybox`]);
    await both.expectSameCli(['search', `http://${indexHost}/busybox`]);
    await both.expectSameCli(['search', `127.0.0.1:${await freePort()}/busybox`], { normalise: portless });
  });
});
