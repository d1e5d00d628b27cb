// Published ports of the Berth VM on the host, for real: the amd64 guest booted once under QEMU
// (TCG here) by `berth vm start` into an isolated --home; containers publish ports in the guest
// and the host reaches them on the same address and port through the forwarder and the agent.
// afterAll kills every QEMU and forwarder of the home, even after a failure.
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../../../engine/test/support/docker-cli.ts';
import { testImage } from '../../../../engine/test/support/fixtures.ts';
import { ensureImages } from '../../../../vm-assets/test/qemu-guest.ts';
import { processAlive, waitUntil } from '../engine-process-helpers.ts';
import { freePort } from './free-port.ts';
import { buildUdpEcho } from './udp-echo.ts';
import type { VmState } from './vm-home.ts';
import { berth as runBerth, processesOfHome } from './vm-test-helpers.ts';

const BOOT = 8 * 60_000;
const scratch = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-vm-ports-'));
const home = join(scratch, 'home');
const dockerConfig = join(scratch, 'docker-config');
mkdirSync(dockerConfig);
const env = { DOCKER_HOST: `unix://${join(home, 'run', 'docker.sock')}`, DOCKER_CONFIG: dockerConfig };
// The guest sees the host's 127.0.0.1 as 10.0.2.2 (QEMU's user-mode network).
const guestRegistry = testImage('busybox').ref.split('/')[0].replace(/^127\.0\.0\.1:/, '10.0.2.2:');
const busybox = `${guestRegistry}/busybox:latest`;
const berth = (args: string[]) => runBerth([...args, '--home', home], { DOCKER_CONFIG: dockerConfig, BERTH_VM_ACCEL: process.env.BERTH_VM_ACCEL ?? 'tcg' });
const WAIT = 120_000;

const run = async (args: string[]) => {
  const result = await docker(args, { env, timeoutMs: 180_000 });
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.trim();
};

function state(): VmState {
  return JSON.parse(readFileSync(join(home, 'state.json'), 'utf8')) as VmState;
}

/** GET on 127.0.0.1:port: the status and the whole body (undefined when nothing answers). */
function get(port: number, path: string): Promise<{ status: number; body: Buffer } | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** Asks until the port serves `path` with 200 (the forwarder opens it after the start event). */
async function getWhenServed(port: number, path: string): Promise<Buffer> {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const answer = await get(port, path);
    if (answer?.status === 200) return answer.body;
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port}${path} did not answer 200 within ${WAIT} ms (last: ${answer?.status ?? 'no connection'})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function waitBindable(port: number): Promise<boolean> {
  const deadline = Date.now() + WAIT;
  while (Date.now() < deadline) {
    if (await bindable(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** One datagram to 127.0.0.1:port, asked again until an answer comes (UDP may drop the first
 * while the forwarder's pipe to the agent is being made); resolves with the answer. */
async function udpAsk(port: number, payload: string): Promise<string> {
  const socket = createSocket('udp4');
  try {
    return await new Promise<string>((resolve, reject) => {
      const deadline = Date.now() + WAIT;
      socket.on('message', (message) => resolve(message.toString()));
      const send = () => {
        if (Date.now() > deadline) return reject(new Error(`no UDP answer from 127.0.0.1:${port} within ${WAIT} ms`));
        socket.send(payload, port, '127.0.0.1');
        timer = setTimeout(send, 1_000);
      };
      let timer = setTimeout(send, 0);
      socket.once('close', () => clearTimeout(timer));
      socket.on('message', () => clearTimeout(timer));
    });
  } finally {
    socket.close();
  }
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
// busybox httpd serving /www, where a 10 MiB file of random bytes is made first.
const httpd = (port: number) => ['sh', '-c', `mkdir -p /www && head -c 10485760 /dev/urandom > /www/big && echo ok > /www/ok && exec httpd -f -p ${port} -h /www`];

beforeAll(async () => {
  await ensureImages(['amd64']);
  const started = await berth(['vm', 'start', '--cpus', '1', '--memory', '1G', '--disk', '4G', '--insecure-registry', guestRegistry]);
  expect(started.code, started.stderr).toBe(0);
}, 10 * 60_000 + BOOT);

afterAll(async () => {
  for (const pid of processesOfHome(home)) process.kill(pid, 'SIGKILL');
  await waitUntil(() => processesOfHome(home).length === 0, 10_000);
  rmSync(scratch, { recursive: true, force: true });
}, 60_000);

describe('published ports of the Berth VM (amd64 under TCG)', () => {
  let webPort = 0;

  it('a port published on 127.0.0.1 serves a 10 MB file the host reads byte-exact on the same address and port', async () => {
    webPort = await freePort();
    await run(['run', '-d', '--name', 'web', '-p', `127.0.0.1:${webPort}:80`, busybox, ...httpd(80)]);
    await getWhenServed(webPort, '/ok');
    const body = await getWhenServed(webPort, '/big');
    expect(body.length).toBe(10 * 1024 * 1024);
    const inGuest = (await run(['exec', 'web', 'sha256sum', '/www/big'])).split(/\s+/)[0];
    expect(sha256(body)).toBe(inGuest);
    // Published on 127.0.0.1 in the guest: listened on 127.0.0.1 on the host, not on every interface.
    const report = JSON.parse(readFileSync(join(home, 'run', 'ports.json'), 'utf8')) as { forwarded: string[] };
    expect(report.forwarded).toContain(`tcp 127.0.0.1:${webPort}`);
  }, 3 * 60_000);

  it('a published UDP port carries datagrams both ways (an echo server in the container)', async () => {
    const port = await freePort();
    // busybox has no UDP server: a static echo server built here, copied into the container.
    await run(['create', '--name', 'udp-echo', '-p', `127.0.0.1:${port}:7/udp`, busybox, '/udp-echo', '7']);
    await run(['cp', buildUdpEcho(scratch), 'udp-echo:/udp-echo']);
    await run(['start', 'udp-echo']);
    const first = await udpAsk(port, 'ping-1').catch(async (error: Error) => {
      const logs = await docker(['logs', 'udp-echo'], { env });
      const status = await docker(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'udp-echo'], { env });
      throw new Error(`${error.message}; the container: ${status.stdout.trim()}, logs: ${logs.stdout}${logs.stderr}`);
    });
    expect(first).toBe('echo:ping-1');
    expect(await udpAsk(port, 'ping-2')).toBe('echo:ping-2');
    await run(['rm', '-f', 'udp-echo']);
  }, 3 * 60_000);

  it('after docker stop the host port is free again: the host can bind it', async () => {
    expect(await bindable(webPort)).toBe(false);
    await run(['stop', '-t', '1', 'web']);
    expect(await waitBindable(webPort)).toBe(true);
  }, 3 * 60_000);

  it('a host port already taken leaves the container running, and berth vm status says which port and why', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await run(['run', '-d', '--name', 'clash', '-p', `127.0.0.1:${port}:80`, busybox, ...httpd(80)]);
      const expected = `Port not published: host port 127.0.0.1:${port}/tcp (container clash) is already in use by another program on this computer`;
      let status = '';
      const said = await (async () => {
        const deadline = Date.now() + WAIT;
        while (Date.now() < deadline) {
          status = (await berth(['vm', 'status'])).stdout;
          if (status.includes(expected)) return true;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
        return false;
      })();
      expect(said, status).toBe(true);
      expect(await run(['inspect', '--format', '{{.State.Running}}', 'clash'])).toBe('true');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
    await run(['rm', '-f', 'clash']);
  }, 3 * 60_000);

  let allPort = 0;
  let rangeLow = 0;

  it('-P publishes an exposed port on a random host port, and a host port range maps port by port', async () => {
    rangeLow = await freePort();
    await run(['run', '-d', '--name', 'many', '--expose', '80', '-P', '-p', `127.0.0.1:${rangeLow}-${rangeLow + 1}:81-82`, busybox, 'sh', '-c',
      'mkdir -p /a /b /c && echo a > /a/who && echo b > /b/who && echo c > /c/who && httpd -p 81 -h /b && httpd -p 82 -h /c && exec httpd -f -p 80 -h /a']);
    allPort = Number((await run(['port', 'many', '80/tcp'])).split('\n')[0].split(':').pop());
    expect(allPort).toBeGreaterThan(0);
    // -P binds 0.0.0.0 in the guest: all interfaces on the host, so 127.0.0.1 answers too.
    expect((await getWhenServed(allPort, '/who')).toString()).toBe('a\n');
    expect((await getWhenServed(rangeLow, '/who')).toString()).toBe('b\n');
    expect((await getWhenServed(rangeLow + 1, '/who')).toString()).toBe('c\n');
  }, 3 * 60_000);

  it('after kill -9 of the forwarder, berth vm start brings a new one and the published ports answer again', async () => {
    const old = state().forwarderPid!;
    process.kill(old, 'SIGKILL');
    await waitUntil(() => !processAlive(old), 10_000);
    expect(await get(allPort, '/who')).toBeUndefined();
    const again = await berth(['vm', 'start']);
    expect(again.code, again.stderr).toBe(0);
    expect(state().forwarderPid).not.toBe(old);
    expect((await getWhenServed(allPort, '/who')).toString()).toBe('a\n');
    expect((await getWhenServed(rangeLow + 1, '/who')).toString()).toBe('c\n');
  }, 3 * 60_000);
});
