// Bad input gets Docker's status codes and a clear {"message"}; the engine keeps serving.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pingSocket, startEngine, type EngineHandle } from './support/engine-harness.ts';
import { testImage } from './support/fixtures.ts';
import { parseResponse, rawSend, type ParsedResponse } from './support/raw-http.ts';

let engine: EngineHandle;

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: engine.socket, method, path, headers: { Host: 'docker', ...headers } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (data += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body !== undefined) req.setHeader('Content-Type', 'application/json');
    req.end(body);
  });
}

const message = (res: RawResponse) => (JSON.parse(res.body) as { message: string }).message;

beforeAll(async () => {
  engine = await startEngine();
  expect((await engine.docker(['pull', testImage('busybox').ref])).code).toBe(0);
});
afterAll(async () => {
  await engine?.stop();
});

describe('API errors', () => {
  it('answers ping with the headers clients read', async () => {
    const res = await call('HEAD', '/_ping');
    expect(res.status).toBe(200);
    expect(res.headers['api-version']).toBe('1.47');
    expect(res.headers['ostype']).toBe('linux');
    expect(res.headers['builder-version']).toBe('1');
    const get = await call('GET', '/_ping');
    expect(get.body).toBe('OK');
  });

  it('rejects API versions outside 1.24–1.47', async () => {
    expect((await call('GET', '/v1.12/version')).status).toBe(400);
    const tooNew = await call('GET', '/v1.99/version');
    expect(tooNew.status).toBe(400);
    expect(message(tooNew)).toContain('Maximum supported API version is 1.47');
    expect((await call('GET', '/v1.24/version')).status).toBe(200);
  });

  it('returns 404 with Docker\'s wording and exact JSON content type', async () => {
    const res = await call('GET', '/containers/nope/json');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json');
    expect(message(res)).toBe('No such container: nope');
    expect(message(await call('GET', '/images/nope:1/json'))).toBe('No such image: nope:1');
    expect((await call('GET', '/no/such/route')).status).toBe(404);
  });

  it('returns 400 for malformed JSON, wrong types and bad parameters', async () => {
    const malformed = await call('POST', '/containers/create', '{"Image": ');
    expect(malformed.status).toBe(400);
    expect(message(malformed)).toMatch(/invalid JSON/);
    const wrongType = await call('POST', '/containers/create', JSON.stringify({ Image: testImage('busybox').ref, Env: 'A=1' }));
    expect(wrongType.status).toBe(400);
    expect(message(wrongType)).toMatch(/Env/);
    expect((await call('POST', '/containers/create?name=bad%20name', JSON.stringify({ Image: testImage('busybox').ref, Cmd: ['true'] }))).status).toBe(400);
    expect((await call('POST', '/containers/create', JSON.stringify({ Image: 'Upper/Case' }))).status).toBe(400);
    const badRef = await call('POST', '/images/create?fromImage=Busybox&tag=latest');
    expect(badRef.status).toBe(400);
    expect(message(badRef)).toContain('must be lowercase');
    expect((await call('GET', '/containers/json?filters=notjson')).status).toBe(400);
    expect((await call('GET', '/containers/json?filters={"bogus":["x"]}')).status).toBe(400);
  });

  it('matches JSON keys case-insensitively like Go clients expect', async () => {
    const res = await call('POST', '/containers/create?name=lowercase-keys', JSON.stringify({ image: testImage('busybox').ref, cmd: ['true'], labels: { a: 'b' } }));
    expect(res.status, res.body).toBe(201);
    const inspect = JSON.parse((await call('GET', '/containers/lowercase-keys/json')).body);
    expect(inspect.Config.Labels).toEqual({ a: 'b' });
    expect(inspect.Config.Cmd).toEqual(['true']);
  });

  it('rejects bad signals and bad durations with 400, and a kill of a stopped container with 409', async () => {
    const created = JSON.parse((await call('POST', '/containers/create?name=sig', JSON.stringify({ Image: testImage('busybox').ref, Cmd: ['sleep', '60'] }))).body);
    expect((await call('POST', `/containers/${created.Id}/kill`)).status).toBe(409);
    expect((await call('POST', `/containers/${created.Id}/start`)).status).toBe(204);
    expect((await call('POST', `/containers/${created.Id}/start`)).status).toBe(304);
    const badSignal = await call('POST', `/containers/${created.Id}/kill?signal=SIGNOPE`);
    expect(badSignal.status).toBe(400);
    expect(message(badSignal)).toBe('Invalid signal: SIGNOPE');
    expect((await call('POST', `/containers/${created.Id}/stop?t=soon`)).status).toBe(400);
    expect((await call('GET', `/containers/${created.Id}/logs?stdout=1&since=yesterday`)).status).toBe(400);
    expect((await call('GET', `/containers/${created.Id}/logs`)).status).toBe(400);
    expect((await call('POST', `/containers/${created.Id}/wait?condition=whenever`)).status).toBe(400);
    expect((await call('POST', `/containers/${created.Id}/stop?t=1`)).status).toBe(204);
    expect((await call('POST', `/containers/${created.Id}/stop`)).status).toBe(304);
    expect((await call('POST', `/containers/${created.Id}/kill`)).status).toBe(409);
  });

  it('keeps serving after every bad request', async () => {
    expect((await call('GET', '/_ping')).status).toBe(200);
  });
});

/** One raw request; the reply must be a complete HTTP response. */
async function raw(text: string): Promise<ParsedResponse> {
  const reply = await rawSend({ socketPath: engine.socket }, text);
  expect(reply.response, `no HTTP reply to ${JSON.stringify(text.slice(0, 80))}: ${reply.bytes.toString('latin1').slice(0, 200)}`).toBeDefined();
  return reply.response!;
}

const jsonMessage = (res: ParsedResponse) => {
  expect(res.headers['content-type']).toBe('application/json');
  return (JSON.parse(res.body.toString('utf8')) as { message: string }).message;
};

describe('hostile requests', () => {
  it('answers request targets that are not clean paths as dockerd does, and stays up', async () => {
    // Each of these used to throw in new URL() outside any handler and end the process.
    for (const [target, location] of [['//a:99999/_ping', '/a:99999/_ping'], ['//[', '/%5B'], ['//u:p@[::1', '/u:p@%5B::1'], ['/x/../_ping', '/_ping']]) {
      const res = await raw(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(res.status, target).toBe(301);
      expect(res.headers.location, target).toBe(location);
    }
    for (const target of ['//x%zz', '/containers/%zz/json']) {
      const res = await raw(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(res.status, target).toBe(400);
      expect(jsonMessage(res)).toMatch(/invalid URL escape/);
    }
    expect(await pingSocket(engine.socket)).toBe(200);
  });

  it('answers CONNECT and unknown methods with 404 page not found, in JSON', async () => {
    for (const line of ['CONNECT x:80 HTTP/1.1', 'CONNECT /_ping HTTP/1.1', 'FOO /_ping HTTP/1.1', 'PROPFIND /_ping HTTP/1.1']) {
      const res = await raw(`${line}\r\nHost: x\r\n\r\n`);
      expect(res.status, line).toBe(404);
      expect(jsonMessage(res), line).toBe('page not found');
    }
    const malformed = await raw('GET /_ping HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
    expect(malformed.status).toBe(400);
    expect(jsonMessage(malformed)).toMatch(/malformed HTTP request/);
  });

  it('takes request headers as large as dockerd takes (up to 1 MiB)', async () => {
    for (const size of [20 * 1024, 200 * 1024, 900 * 1024]) {
      const res = await raw(`GET /_ping HTTP/1.1\r\nHost: x\r\nX-Registry-Auth: ${'a'.repeat(size)}\r\n\r\n`);
      expect(res.status, `${size} bytes`).toBe(200);
    }
    const tooBig = await raw(`GET /_ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(1100 * 1024)}\r\n\r\n`);
    expect(tooBig.status).toBe(431);
    jsonMessage(tooBig);
  });

  it('refuses bad cpuset lists at the edge with dockerd\'s 400, on update and create', async () => {
    const created = await call('POST', '/containers/create?name=cpuset', JSON.stringify({ Image: testImage('busybox').ref, Cmd: ['true'] }));
    expect(created.status, created.body).toBe(201);
    for (const [body, text] of [
      [{ CpusetCpus: 'x' }, 'Invalid value x for cpuset cpus: invalid format: x'],
      [{ CpusetCpus: '0-' }, 'Invalid value 0- for cpuset cpus'],
      [{ CpusetCpus: '1-0' }, 'Invalid value 1-0 for cpuset cpus'],
      [{ CpusetMems: 'x' }, 'Invalid value x for cpuset mems'],
      [{ CpusetCpus: '4096' }, 'Requested CPUs are not available - requested 4096'],
    ] as const) {
      const res = await call('POST', '/containers/cpuset/update', JSON.stringify(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(message(res)).toContain(text);
    }
    const create = await call('POST', '/containers/create', JSON.stringify({ Image: testImage('busybox').ref, HostConfig: { CpusetCpus: 'x' } }));
    expect(create.status).toBe(400);
    expect(message(create)).toContain('Invalid value x for cpuset cpus');
    expect((await call('POST', '/containers/cpuset/update', JSON.stringify({ CpusetCpus: '0' }))).status).toBe(200);
  });

  it('refuses JSON bodies that are not objects (null is no body, as in Go)', async () => {
    for (const body of ['[]', '1', '"x"', 'true']) {
      const res = await call('POST', '/volumes/create', body);
      expect(res.status, body).toBe(400);
      expect(message(res), body).toMatch(/expected a JSON object|invalid/);
      expect((await call('POST', '/networks/create', body)).status, body).toBe(400);
      expect((await call('POST', '/containers/create', body)).status, body).toBe(400);
    }
    expect((await call('POST', '/volumes/create', JSON.stringify({ Labels: [] }))).status).toBe(400);
    expect((await call('POST', '/containers/create', JSON.stringify({ Image: testImage('busybox').ref, HostConfig: [] }))).status).toBe(400);
    expect((await call('POST', '/volumes/create', 'null')).status).toBe(201);
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const nested = await call('POST', '/containers/create', `{"Image":"x","ExposedPorts":{"80/tcp":${'{"a":'.repeat(20_000)}{}${'}'.repeat(20_000)}}}`);
    expect(nested.status).toBe(400);
    expect(message(nested)).toMatch(/exceeded max depth/);
    expect((await call('POST', '/volumes/create', deep)).status).toBe(400);
  });

  it('does not leave a client that writes its whole upload before reading waiting on a refusal', async () => {
    const running = JSON.parse((await call('POST', '/containers/create?name=upload-target', JSON.stringify({ Image: testImage('busybox').ref, Cmd: ['sleep', '60'] }))).body) as { Id: string };
    const size = 16 * 1024 * 1024;
    const garbage = Buffer.alloc(size, 'x');
    for (const [method, path] of [
      ['GET', '/_ping'],
      ['PUT', '/containers/nope/archive?path=/'],
      ['PUT', `/containers/${running.Id}/archive?path=/no/such/dir`],
      ['PUT', `/containers/${running.Id}/archive?path=/tmp`],
      ['POST', '/images/load'],
      ['POST', '/images/create?fromSrc=-&repo=Bad_Name'],
      ['POST', '/images/create?fromSrc=-&repo=garbage-import'],
      ['POST', '/build?dockerfile=Dockerfile'],
    ]) {
      // Writes everything first, reads after: a server that stopped reading blocks this write.
      const outcome = await new Promise<{ reply: Buffer; writeError?: string }>((resolve, reject) => {
        const socket = connect(engine.socket);
        const received: Buffer[] = [];
        let writeError: string | undefined;
        let written = false;
        const timer = setTimeout(() => reject(new Error(`${method} ${path}: the upload was neither read nor refused with a close (written: ${written}, reply: ${Buffer.concat(received).toString('latin1').slice(0, 200)})`)), 60_000);
        const settle = () => {
          clearTimeout(timer);
          socket.destroy();
          resolve({ reply: Buffer.concat(received), writeError });
        };
        socket.on('data', (chunk: Buffer) => {
          received.push(chunk);
          if (written && parseResponse(Buffer.concat(received))) settle();
        });
        socket.on('error', (error: NodeJS.ErrnoException) => (writeError = error.code));
        socket.on('close', settle);
        socket.write(`${method} ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-tar\r\nContent-Length: ${size}\r\n\r\n`);
        socket.write(garbage, (error) => {
          // The whole body went out: now the reply must come, or the connection close.
          written = !error;
          if (written && parseResponse(Buffer.concat(received))) settle();
        });
      });
      const res = parseResponse(outcome.reply);
      expect(res, `${method} ${path}: ${outcome.writeError ?? ''} ${outcome.reply.toString('latin1').slice(0, 200)}`).toBeDefined();
      if (method === 'GET') continue;
      // The classic builder too refuses a context it cannot unpack before any output, as dockerd
      // does: a plain 400, like every other endpoint here.
      expect(res!.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(res!.status, `${method} ${path}`).toBeLessThan(500);
      jsonMessage(res!);
    }
    expect(await pingSocket(engine.socket)).toBe(200);
  });

  it('reads and drops the rest of a small refused upload and keeps the connection; closes it after a big one', async () => {
    const body = Buffer.alloc(1024 * 1024, 'x');
    const keepAlive = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect(engine.socket);
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        const all = Buffer.concat(received);
        // Two replies on one connection: the refusal, then the ping written after the body.
        if (all.toString('latin1').split('HTTP/1.1 ').length === 3 && all.toString('latin1').endsWith('OK')) {
          socket.destroy();
          resolve(all);
        }
      });
      socket.on('error', reject);
      socket.write(`PUT /containers/nope/archive?path=/ HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.write(body);
      socket.write('GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    expect(keepAlive.toString('latin1')).toMatch(/^HTTP\/1\.1 404 [^]*HTTP\/1\.1 200 OK[^]*OK$/);
    const big = 80 * 1024 * 1024;
    const closed = await new Promise<{ reply: string; writeError?: string }>((resolve) => {
      const socket = connect(engine.socket);
      let reply = '';
      let writeError: string | undefined;
      socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
      socket.on('error', (error: NodeJS.ErrnoException) => (writeError = error.code));
      socket.on('close', () => resolve({ reply, writeError }));
      socket.write(`PUT /containers/nope/archive?path=/ HTTP/1.1\r\nHost: x\r\nContent-Length: ${big}\r\n\r\n`);
      socket.write(Buffer.alloc(big, 'x'), (error) => !error && socket.end());
    });
    // Either the reply arrived (with Connection: close) or the write was cut: never a hang.
    if (closed.reply) expect(closed.reply).toMatch(/^HTTP\/1\.1 404 [^]*Connection: close/i);
    else expect(closed.writeError).toMatch(/EPIPE|ECONNRESET/);
  });
});
