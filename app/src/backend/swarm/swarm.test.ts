// The Swarm view's backend against a real swarm: Debian's dockerd (own data root, exec root,
// socket, bridge) made a single-node manager by `docker swarm init --advertise-addr 127.0.0.1`.
// A service is created from the test registry's busybox, scaled, read, moved to another image
// and removed; a stack is deployed and removed through the docker CLI; against berthd the view
// is told dockerd's own "not a swarm manager". The swarm is left and nothing stays on the host.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '../../../../engine/test/support/docker-cli.ts';
import { until } from '../../../../engine/test/support/engine-fixture.ts';
import { startEngine } from '../../../../engine/test/support/engine-harness.ts';
import { testImage, testRegistry } from '../../../../engine/test/support/fixtures.ts';
import { freePort } from '../../../../engine/test/support/free-port.ts';
import { startSwarmDockerd, type SwarmDockerd } from '../../../../engine/test/support/swarm-dockerd.ts';
import type { CliOutputLine, LogLine, SwarmTask } from '../../common/desktop-api.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import type { BackendCalls } from '../desktop-backend.ts';
import { CollectingSink } from '../testing/collecting-sink.ts';

let swarm: SwarmDockerd;
let settingsDir: string;
let backend: ReturnType<typeof createDesktopBackend>;
let calls: BackendCalls;
const busybox = testImage('busybox').ref;
/** The same busybox under another name: what the service is updated to. */
const busyboxV2 = `${testRegistry().host}/berth-swarm-busybox:v2-${process.pid}`;
const SERVICE = `web${process.pid}`;
const STACK = `st${process.pid}`;

beforeAll(async () => {
  swarm = await startSwarmDockerd({ registryHost: testRegistry().host });
  const env = swarm.dockerd.dockerEnv;
  for (const args of [['pull', '-q', busybox], ['tag', busybox, busyboxV2], ['push', '-q', busyboxV2]]) {
    const r = await docker(args, { env, timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`docker ${args.join(' ')}: ${r.stderr}`);
  }
  settingsDir = mkdtempSync(join(tmpdir(), 'berth-swarm-settings-'));
  backend = createDesktopBackend({ settingsDir, endpoint: swarm.endpoint, hostTerminal: false, shell: 'dashboard' });
  calls = backend.calls;
}, 240_000);

afterAll(async () => {
  await backend?.dispose();
  if (settingsDir) rmSync(settingsDir, { recursive: true, force: true });
  await swarm?.stop();
}, 180_000);

const running = (tasks: SwarmTask[]) => tasks.filter((t) => t.state === 'running' && t.desiredState === 'running');

async function untilRunning(service: string, count: number, image: string): Promise<SwarmTask[]> {
  let tasks: SwarmTask[] = [];
  await until(async () => {
    tasks = running(await calls.listServiceTasks(service));
    return tasks.length === count && tasks.every((t) => t.image === image);
  }, 180_000);
  return tasks;
}

async function failure(promise: Promise<unknown> | unknown): Promise<{ statusCode?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; message: string };
  }
  throw new Error('expected the call to fail');
}

describe('swarm manager (dockerd in swarm mode)', () => {
  let serviceId = '';

  it('reports the engine as a manager and lists its one node as the leader', async () => {
    const status = await calls.swarmStatus();
    expect(status).toMatchObject({ manager: true, nodeState: 'active' });
    expect(status.reason).toBeUndefined();
    const nodes = await calls.listSwarmNodes();
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ id: status.nodeId, role: 'manager', state: 'ready', availability: 'active', leader: true });
  });

  it('creates a 2-replica service from the test registry\'s busybox and sees 2 running tasks', async () => {
    const published = await freePort();
    ({ id: serviceId } = await calls.createSwarmService({
      name: SERVICE,
      image: busybox,
      replicas: 2,
      publishedPort: published,
      targetPort: 80,
      // Stops at once on SIGTERM (a plain sleep as pid 1 would wait out the 10 s grace period).
      command: ['sh', '-c', 'trap "exit 0" TERM; echo "hello from task $(hostname)"; sleep 600 & wait'],
    }));
    const tasks = await untilRunning(serviceId, 2, busybox);
    expect(new Set(tasks.map((t) => t.slot))).toEqual(new Set([1, 2]));
    await until(async () => (await calls.listSwarmServices()).some((s) => s.id === serviceId && s.replicasRunning === 2), 60_000);
    const service = (await calls.listSwarmServices()).find((s) => s.id === serviceId);
    expect(service).toMatchObject({ name: SERVICE, image: busybox, mode: 'replicated', replicasDesired: 2, replicasRunning: 2 });
    expect(service?.ports).toEqual([{ published, target: 80, protocol: 'tcp', mode: 'ingress' }]);
  });

  it('scales it to 3', async () => {
    await calls.scaleSwarmService(serviceId, 3);
    await untilRunning(serviceId, 3, busybox);
    const service = (await calls.listSwarmServices()).find((s) => s.id === serviceId);
    expect(service?.replicasDesired).toBe(3);
  });

  it('reads its logs: a line from every task', async () => {
    const sink = new CollectingSink<LogLine[]>();
    const session = await backend.streams.serviceLogs([serviceId, { follow: true, tail: 'all', timestamps: false }], sink);
    try {
      const lines = () => sink.items.flat().filter((l) => l.text.includes('hello from task'));
      await until(async () => new Set(lines().map((l) => l.text)).size >= 3, 60_000);
      expect(lines().every((l) => l.stream === 'stdout')).toBe(true);
    } finally {
      session.close();
    }
  });

  it('updates it to another image: every task is replaced by one of the new image', async () => {
    await calls.updateSwarmServiceImage(serviceId, busyboxV2);
    await untilRunning(serviceId, 3, busyboxV2);
    expect((await calls.listSwarmServices()).find((s) => s.id === serviceId)?.image).toBe(busyboxV2);
  });

  it('refuses bad specs before they reach the engine, and reports the engine\'s own errors', async () => {
    const bad = (spec: unknown) => failure((calls.createSwarmService as (s: unknown) => unknown)(spec));
    expect((await bad({ name: 'no spaces', image: busybox, replicas: 1 })).statusCode).toBe(400);
    expect((await bad({ name: 'ok', image: '', replicas: 1 })).statusCode).toBe(400);
    expect((await bad({ name: 'ok', image: busybox, replicas: -1 })).statusCode).toBe(400);
    const taken = await failure(calls.createSwarmService({ name: SERVICE, image: busybox, replicas: 1 }));
    expect(taken.statusCode).toBe(409);
    expect((await failure(calls.scaleSwarmService('no-such-service', 1))).statusCode).toBe(404);
  });

  it('removes it: the service and its tasks go away', async () => {
    await calls.removeSwarmService(serviceId);
    expect((await calls.listSwarmServices()).some((s) => s.id === serviceId)).toBe(false);
    // Tasks of a removed service are reaped by the orchestrator shortly after.
    await until(async () => (await docker(['ps', '-aq'], { env: swarm.dockerd.dockerEnv })).stdout.trim() === '', 120_000);
  });

  it('deploys a stack with `docker stack deploy`, streaming its output, and removes it', async () => {
    const compose = [
      'version: "3.8"',
      'services:',
      '  app:',
      `    image: ${busybox}`,
      '    command: ["sh", "-c", "trap \'exit 0\' TERM; sleep 600 & wait"]',
      '    deploy:',
      '      replicas: 1',
      '',
    ].join('\n');
    const sink = new CollectingSink<CliOutputLine>();
    await backend.streams.stackDeploy([STACK, compose], sink);
    await sink.waitForEnd(180_000);
    expect(sink.ended, JSON.stringify(sink.items)).toBe('complete');
    expect(sink.items.map((l) => l.text).join('\n')).toContain(`Creating service ${STACK}_app`);
    expect(await calls.listStacks()).toEqual([{ name: STACK, services: 1 }]);
    const service = (await calls.listSwarmServices()).find((s) => s.name === `${STACK}_app`);
    expect(service?.stack).toBe(STACK);
    await untilRunning(service?.id ?? '', 1, busybox);

    await calls.removeStack(STACK);
    expect(await calls.listStacks()).toEqual([]);
    await until(async () => (await docker(['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`], { env: swarm.dockerd.dockerEnv })).stdout.trim() === '', 120_000);
  });

  it('a stack deploy that the CLI refuses ends with the CLI\'s own error text', async () => {
    const sink = new CollectingSink<CliOutputLine>();
    await backend.streams.stackDeploy([STACK, 'version: "3.8"\nservices:\n  app:\n    image: [not, a, string]\n'], sink);
    await sink.waitForEnd(60_000);
    expect(sink.ended).toBe('error');
    const message = (sink.failure as Error).message;
    expect(message).toMatch(/services\.app\.image must be a string/);
    expect(await calls.listStacks()).toEqual([]);
  });
});

describe('an engine that is not a swarm manager (berthd)', () => {
  it('reports no manager, with the engine\'s own reason, and the swarm calls fail with it', async () => {
    const engine = await startEngine();
    const dir = mkdtempSync(join(tmpdir(), 'berth-swarm-settings-'));
    const other = createDesktopBackend({ settingsDir: dir, endpoint: `unix://${engine.socket}`, hostTerminal: false, shell: 'dashboard' });
    try {
      const status = await other.calls.swarmStatus();
      const reason = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
      expect(status).toEqual({ manager: false, nodeState: 'inactive', nodeId: '', reason });
      const error = await failure(other.calls.listSwarmServices());
      expect(error).toMatchObject({ statusCode: 503, message: reason });
      const cli = await engine.docker(['node', 'ls']);
      expect(cli.code).toBe(1);
      expect(cli.stderr.trim()).toBe(`Error response from daemon: ${reason}`);
    } finally {
      await other.dispose();
      rmSync(dir, { recursive: true, force: true });
      await engine.stop();
    }
  }, 120_000);
});

describe('leaving the swarm', () => {
  it('leaves nothing behind: no gateway bridge, netns, mounts, data-path socket or iptables rules', async () => {
    await swarm.stop();
    expect(swarm.leftovers()).toEqual([]);
  }, 180_000);
});
