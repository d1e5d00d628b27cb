// Fuzzes berthd's API over its Unix socket with thousands of generated requests (fast-check):
// request targets, methods, headers and framing bent out of shape, and the JSON bodies of real
// endpoints mutated with nulls, wrong types, deep nesting and cuts. Whatever arrives, berthd
// must stay up, answer in HTTP, with a JSON {"message"} for every error, and never a 5xx for
// malformed input (dockerd answers those with 4xx).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pingSocket } from './support/engine-harness.ts';
import { useEngineWithBusybox } from './support/engine-fixture.ts';
import { fuzzRequest, type BodyTemplate, type FuzzRequest } from './support/fuzz-requests.ts';
import { fuzz, fuzzSettings } from './support/fuzz-run.ts';
import { rawSend, type RawReply } from './support/raw-http.ts';

const fixture = useEngineWithBusybox();
const settings = fuzzSettings(4000);
let container = '';
let exec = '';
let sent = 0;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const reply = await rawSend({ socketPath: fixture.engine.socket }, `${method} ${path} HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  const response = reply.response!;
  return { status: response.status, json: response.body.length ? (JSON.parse(response.body.toString()) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  const created = await api('POST', '/containers/create?name=fuzz-target', { Image: fixture.busybox, Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: 'none' } });
  expect(created.status).toBe(201);
  container = created.json.Id as string;
  expect((await api('POST', `/containers/${container}/start`)).status).toBe(204);
  const execCreated = await api('POST', `/containers/${container}/exec`, { Cmd: ['true'] });
  exec = execCreated.json.Id as string;
  expect((await api('POST', '/volumes/create', { Name: 'fuzz-volume' })).status).toBe(201);
});

afterAll(() => {
  console.log(`fuzz-api: ${sent} generated requests sent to berthd (seed ${settings.seed})`);
});

/** Real endpoints with realistic bodies, the starting points for mutation. Nothing here pulls,
 * pushes or logs in (that would reach registries), and nothing waits on a stop timeout. */
function templates(): BodyTemplate[] {
  const image = fixture.busybox;
  const create = {
    Image: image, Cmd: ['true'], Entrypoint: null, Env: ['A=1'], Labels: { a: 'b' }, ExposedPorts: { '80/tcp': {} }, Volumes: { '/data': {} },
    Healthcheck: { Test: ['CMD', 'true'], Interval: 1_000_000_000 }, StopTimeout: 1, WorkingDir: '/', User: '0',
    HostConfig: {
      NetworkMode: 'none', Binds: null, Mounts: [{ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1024 } }], PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] },
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, Memory: 0, CpusetCpus: '0', Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 10 }], LogConfig: { Type: 'json-file', Config: {} },
      CapAdd: null, Dns: [], Tmpfs: { '/run': 'size=1m' }, Sysctls: {}, ConsoleSize: [0, 0],
    },
    NetworkingConfig: { EndpointsConfig: { none: { Aliases: ['x'], IPAMConfig: null } } },
  };
  return [
    { method: 'POST', path: '/containers/create', body: create },
    { method: 'POST', path: '/containers/create?name=fuzz-x', body: { ...create, Image: 'fuzz-no-such-image' } },
    { method: 'POST', path: `/containers/${container}/update`, body: { Memory: 0, CpusetCpus: '0', CpusetMems: '', PidsLimit: null, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } } },
    { method: 'POST', path: '/networks/create', body: { Name: 'fuzz-net', Driver: 'bridge', Internal: true, IPAM: { Driver: 'default', Config: [{ Subnet: '10.250.7.0/24', Gateway: '10.250.7.1' }], Options: {} }, Options: {}, Labels: { a: 'b' }, EnableIPv6: false } },
    { method: 'POST', path: '/networks/none/connect', body: { Container: container, EndpointConfig: { Aliases: ['a'], IPAMConfig: { IPv4Address: '' } } } },
    { method: 'POST', path: '/networks/none/disconnect', body: { Container: 'fuzz-nope', Force: false } },
    { method: 'POST', path: '/volumes/create', body: { Name: 'fuzz-v', Driver: 'local', DriverOpts: {}, Labels: { a: 'b' } } },
    { method: 'POST', path: `/containers/${container}/exec`, body: { Cmd: ['true'], Env: ['A=1'], AttachStdout: false, AttachStderr: false, Tty: false, WorkingDir: '/', User: '', Privileged: false, ConsoleSize: [10, 10] } },
    { method: 'POST', path: `/exec/${exec}/start`, body: { Detach: true, Tty: false, ConsoleSize: null } },
    { method: 'POST', path: '/build?dockerfile=Dockerfile&buildargs={"a":"b"}&labels={"a":null}', body: { not: 'a tar' } },
    { method: 'POST', path: `/commit?container=${container}&repo=fuzz-commit&pause=0`, body: { Env: ['A=1'], Cmd: ['true'] } },
    { method: 'POST', path: '/containers/prune?filters={"label":["fuzz-none"]}', body: {} },
  ];
}

function targets(): string[] {
  const c = container;
  const e = exec;
  const image = encodeURIComponent(fixture.busybox);
  return [
    '/_ping', '/version', '/info', '/system/df', '/events?since=0&until=1', '/containers/json?all=1&filters={"label":["a"]}',
    `/containers/${c}/json`, `/containers/${c}/top`, `/containers/${c}/logs?stdout=1&tail=1`, `/containers/${c}/changes`,
    `/containers/${c}/archive?path=/etc/hostname`, `/containers/${c}/resize?h=10&w=10`, `/containers/${c}/stats?stream=0`,
    `/containers/${c}/attach?stream=1&stdout=1`, `/containers/${c}/export`, `/containers/${c}/rename?name=fuzz-target`,
    `/containers/${c}/kill?signal=SIGWINCH`, `/containers/${c}/pause`, `/containers/${c}/unpause`, '/containers/fuzz-nope/json',
    `/exec/${e}/json`, `/exec/${e}/resize?h=1&w=1`, '/images/json?all=1', `/images/${image}/json`, `/images/${image}/history`,
    '/images/fuzz-nope/json', '/images/get?names=fuzz-nope', '/networks', '/networks/none', '/networks/fuzz-nope', '/volumes', '/volumes/fuzz-volume',
    '/volumes/fuzz-nope', '/images/load?quiet=1', '/images/create?fromSrc=-&repo=fuzz-import', '/build/prune', '/images/prune?filters={"dangling":["true"]}',
  ];
}

function checkReply(request: FuzzRequest, reply: RawReply): void {
  const where = `${request.label}\nreply: ${JSON.stringify(reply.bytes.subarray(0, 400).toString('latin1'))}`;
  const response = reply.response;
  if (!response) {
    // No reply is owed to a client that left mid-request, and a server that refused a request
    // mid-write (1 MiB of headers) may close before a slow reader takes its answer.
    expect(request.cut || reply.writeError !== undefined || reply.bytes.length === 0 && request.bytes.length > 1024 * 1024, `no complete HTTP reply to ${where}`).toBe(true);
    expect(reply.bytes.length === 0 || reply.bytes.subarray(0, 9).toString() === 'HTTP/1.1 ', `not HTTP: ${where}`).toBe(true);
    return;
  }
  expect(response.status, `5xx for ${where}`).toBeLessThan(500);
  if (response.status >= 400 && request.method !== 'HEAD') {
    expect(response.headers['content-type'], `error without JSON: ${where}`).toBe('application/json');
    const body = JSON.parse(response.body.toString('utf8')) as { message?: unknown };
    expect(typeof body.message, `error without a message: ${where}`).toBe('string');
  }
}

describe('berthd under generated hostile requests', () => {
  it(`stays up and answers every request in HTTP, errors as JSON, never 5xx for bad input`, async () => {
    const arbitrary = fuzzRequest(templates(), targets());
    const recent: string[] = [];
    await fuzz('fuzz-api', settings, arbitrary, async (request) => {
      recent.push(request.label);
      if (recent.length > 5) recent.shift();
      const reply = await rawSend({ socketPath: fixture.engine.socket }, request.bytes, { halfClose: request.cut, head: request.method === 'HEAD', timeoutMs: 30_000 }).catch((error: unknown) => {
        throw new Error(`berthd is gone (${String(error)}); the last requests:\n${recent.join('\n')}\nberthd's stderr:\n${fixture.engine.stderr().slice(-6000)}`);
      });
      sent++;
      checkReply(request, reply);
      if (sent % 100 === 0) expect(await pingSocket(fixture.engine.socket, 10_000), `berthd stopped answering after ${request.label}`).toBe(200);
    });
    expect(await pingSocket(fixture.engine.socket, 10_000)).toBe(200);
    expect(sent).toBeGreaterThanOrEqual(settings.runs);
  }, 600_000);
});
