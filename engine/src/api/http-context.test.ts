import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawApi } from '../../test/support/raw-api.ts';
import { createApiServer } from './server.ts';

// Replies go out as strings (one write with the header): the Content-Length must still count
// bytes, not UTF-16 code units, or a client cuts a reply with non-ASCII names short.
describe('HttpContext replies', () => {
  let dir: string;
  let socket: string;
  let server: Server;
  const value = { Labels: { 'com.example/owner': 'Zoë ☃ 🐳' }, Names: ['/café'] };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'berth-http-context-'));
    socket = join(dir, 'api.sock');
    server = createApiServer({
      log: () => undefined,
      routes: [
        { method: 'GET', path: '/json', handler: (ctx) => ctx.sendJson(200, value) },
        { method: 'GET', path: '/text', handler: (ctx) => ctx.send(200, 'ünïcode ✓', { 'Content-Type': 'text/plain' }) },
        { method: 'GET', path: '/bytes', handler: (ctx) => ctx.send(200, Buffer.from([0xff, 0x00, 0xfe])) },
      ],
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a JSON reply with non-ASCII text whole, its Content-Length counting bytes', async () => {
    const r = await rawApi(socket, 'GET', '/json');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(JSON.parse(r.body.toString('utf8'))).toEqual(value);
  });

  it('sends string and Buffer bodies byte for byte', async () => {
    const text = await rawApi(socket, 'GET', '/text');
    expect(text.body.toString('utf8')).toBe('ünïcode ✓');
    expect(Number(text.headers['content-length'])).toBe(Buffer.byteLength('ünïcode ✓'));
    const bytes = await rawApi(socket, 'GET', '/bytes');
    expect([...bytes.body]).toEqual([0xff, 0x00, 0xfe]);
    expect(bytes.headers['content-length']).toBe('3');
  });

  it('answers HEAD with the GET reply’s length and no body', async () => {
    const r = await rawApi(socket, 'HEAD', '/json');
    expect(r.status).toBe(200);
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(value)));
    expect(r.body.length).toBe(0);
  });
});
