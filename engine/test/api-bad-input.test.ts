// Bad input gets Docker's status codes and a clear {"message"}; the engine keeps serving.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from './support/engine-harness.ts';
import { testImage } from './support/fixtures.ts';

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
