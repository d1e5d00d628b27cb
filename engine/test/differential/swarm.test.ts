// Differential: the swarm commands and endpoints on an engine that is not in a swarm. berthd never
// is one, so it must answer as a dockerd outside a swarm does: the docker CLI prints the same
// errors and exits the same, and the raw API gives the same status and message (dockerd 20.10's
// own words, e.g. 503 "This node is not a swarm manager. Use \"docker swarm init\" …").
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';

// No networking of dockerd's own: nothing here runs a container.
const both = useSideBySide({ bridged: false });

const work = mkdtempSync(join(tmpdir(), 'berth-swarm-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Answer {
  status: number;
  message: string;
}

function call(socket: string, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
    const req = request({ socketPath: socket, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let message = text;
        try {
          message = (JSON.parse(text) as { message: string }).message;
        } catch {
          // Not JSON: compared as text.
        }
        resolve({ status: res.statusCode ?? 0, message });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The same request to both engines; status and message must match. */
async function expectSameApi(method: string, path: string, body?: string): Promise<Answer> {
  const dockerd = await call(both.dockerd.socket, method, path, body);
  const berth = await call(both.berth.socket, method, path, body);
  expect(berth, `${method} ${path}`).toEqual(dockerd);
  return dockerd;
}

describe('differential: swarm on an engine outside a swarm', () => {
  it('listing nodes, services, tasks, stacks, secrets and configs fails with dockerd\'s "not a swarm manager"', async () => {
    const { dockerd } = await both.expectSameCli(['node', 'ls']);
    expect(dockerd.code).toBe(1);
    expect(dockerd.stderr).toContain('This node is not a swarm manager.');
    for (const args of [
      ['node', 'inspect', 'self'],
      ['node', 'ps'],
      ['node', 'rm', 'some-node'],
      ['node', 'update', '--availability', 'drain', 'some-node'],
      ['service', 'ls'],
      ['service', 'ps', 'web'],
      ['service', 'inspect', 'web'],
      ['service', 'logs', 'web'],
      ['service', 'rm', 'web'],
      ['service', 'scale', 'web=2'],
      ['service', 'create', '--no-resolve-image', '--name', 'web', both.busybox],
      ['service', 'update', '--no-resolve-image', '--image', both.busybox, 'web'],
      ['stack', 'ls'],
      ['stack', 'ps', 'app'],
      ['stack', 'services', 'app'],
      ['stack', 'rm', 'app'],
      ['secret', 'ls'],
      ['secret', 'inspect', 's'],
      ['secret', 'rm', 's'],
      ['config', 'ls'],
      ['config', 'rm', 'c'],
    ]) {
      await both.expectSameCli(args);
    }
  });

  it('creating secrets and configs and deploying a stack fail the same way', async () => {
    const file = join(work, 'secret.txt');
    writeFileSync(file, 's3cret');
    await both.expectSameCli(['secret', 'create', 'db-password', file]);
    await both.expectSameCli(['config', 'create', 'app-config', file]);
    const compose = join(work, 'stack.yml');
    writeFileSync(compose, `version: "3.8"\nservices:\n  web:\n    image: ${both.busybox}\n    command: ["sleep", "600"]\n`);
    await both.expectSameCli(['stack', 'deploy', '-c', compose, 'app']);
  });

  it('swarm leave, unlock-key, update, join-token, ca and unlock read the same', async () => {
    const { dockerd } = await both.expectSameCli(['swarm', 'leave']);
    expect(dockerd.stderr).toContain('This node is not part of a swarm');
    for (const args of [
      ['swarm', 'leave', '--force'],
      ['swarm', 'unlock-key'],
      ['swarm', 'update', '--autolock'],
      ['swarm', 'join-token', 'worker'],
      ['swarm', 'ca'],
      // The CLI decides this one from /info's Swarm section.
      ['swarm', 'unlock'],
      ['info', '--format', '{{json .Swarm}}'],
    ]) {
      await both.expectSameCli(args, { input: '' });
    }
  });

  it('the swarm endpoints answer with dockerd\'s status and message, input errors first', async () => {
    const notManager = await expectSameApi('GET', '/v1.41/nodes');
    expect(notManager.status).toBe(503);
    for (const path of ['/swarm', '/swarm/unlockkey', '/nodes/x', '/services', '/services/x', '/tasks', '/tasks/x', '/secrets', '/secrets/x', '/configs', '/configs/x']) {
      await expectSameApi('GET', path);
    }
    for (const path of ['/nodes/x', '/services/x', '/secrets/x', '/configs/x']) await expectSameApi('DELETE', path);
    for (const path of ['/services/create', '/secrets/create', '/configs/create', '/swarm/unlock']) await expectSameApi('POST', path, '{}');
    // Updates need a numeric version before anything else.
    for (const [path, body] of [
      ['/swarm/update', '{}'],
      ['/swarm/update?version=abc', '{}'],
      ['/swarm/update?version=3', '{}'],
      ['/services/x/update', '{}'],
      ['/services/x/update?version=99999999999999999999999', '{}'],
      ['/services/x/update?version=1', '{}'],
      ['/nodes/x/update?version=', '{}'],
      ['/nodes/x/update?version=1', '{}'],
      ['/secrets/x/update', '{}'],
      ['/secrets/x/update?version=1', '{}'],
      ['/configs/x/update?version=-1', '{}'],
      ['/configs/x/update?version=1', '{}'],
    ] as const) {
      await expectSameApi('POST', path, body);
    }
    // Logs: a request for no stream at all is refused before the swarm state is looked at.
    for (const path of ['/services/x/logs', '/tasks/x/logs', '/services/x/logs?stdout=1', '/tasks/x/logs?stderr=1&follow=1']) {
      await expectSameApi('GET', path);
    }
    const leave = await expectSameApi('POST', '/swarm/leave?force=1');
    expect(leave).toEqual({ status: 503, message: 'This node is not part of a swarm' });
  });

  it('a body that is not JSON is a 400 on both, before the swarm state matters', async () => {
    for (const path of ['/services/create', '/secrets/create', '/swarm/init', '/swarm/join', '/services/x/update?version=1']) {
      const dockerd = await call(both.dockerd.socket, 'POST', path, 'nojson');
      const berth = await call(both.berth.socket, 'POST', path, 'nojson');
      // Go's and JavaScript's JSON parsers word the error differently; the status is the contract.
      expect([berth.status, dockerd.status], path).toEqual([400, 400]);
    }
  });

  it('berthd refuses swarm init and join with a reason, where dockerd would start a swarm', async () => {
    const init = await call(both.berth.socket, 'POST', '/swarm/init', JSON.stringify({ ListenAddr: '0.0.0.0:2377', AdvertiseAddr: '127.0.0.1' }));
    expect(init).toEqual({ status: 503, message: 'berthd does not run Swarm mode; use a dockerd engine to create or join a swarm' });
    const join = await call(both.berth.socket, 'POST', '/swarm/join', JSON.stringify({ ListenAddr: '0.0.0.0:2377', RemoteAddrs: ['127.0.0.1:2377'], JoinToken: 'x' }));
    expect(join.status).toBe(503);
    const cli = await both.berth.docker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('berthd does not run Swarm mode');
  });
});
