// Cancelling a classic build, both ways a client does it: `POST /build/cancel?id=` naming the
// `buildid` the build was started with (dockerode, the desktop app), and hanging up the /build
// connection (the docker CLI on Ctrl-C, as dockerd's classic builder takes it). Either way the
// RUN step's container is killed and removed, no image is made or tagged, and the unpacked
// context and the container's mounts are gone.
import { existsSync, readdirSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { mountsUnder } from './support/engine-cleanup.ts';
import { until, useEngineWithBusybox } from './support/engine-fixture.ts';
import { rawApi } from './support/raw-api.ts';

const fixture = useEngineWithBusybox();

async function contextTar(dockerfile: string): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p) chunks.push(c as Buffer);
  })();
  p.entry({ name: 'Dockerfile', mode: 0o644 }, dockerfile);
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

async function getJson<T>(path: string): Promise<T> {
  const reply = await rawApi(fixture.engine.socket, 'GET', path);
  expect(reply.status, reply.body.toString()).toBe(200);
  return JSON.parse(reply.body.toString()) as T;
}

const containerIds = async () => (await getJson<Array<{ Id: string }>>('/containers/json?all=1')).map((c) => c.Id);
const imageIds = async () => (await getJson<Array<{ Id: string }>>('/images/json?all=1')).map((c) => c.Id).sort();
const builderTmp = () => join(fixture.engine.dataRoot, 'builder', 'tmp');
const leftoverContexts = () => (existsSync(builderTmp()) ? readdirSync(builderTmp()) : []);

/** Starts a build whose RUN prints "run-step-2" and then sleeps. `until` 'running' waits for that
 * output (the RUN runs); 'announced' only for its "Step 2/2" line, which comes just before the
 * step's container is created and started. */
async function startLongBuild(query: Record<string, string>, wait: 'running' | 'announced' = 'running'): Promise<{ req: ClientRequest; res: IncomingMessage; text: () => string; ended: Promise<void> }> {
  // $((1+1)): the Step line shows the command as written, the output shows "run-step-2".
  const body = await contextTar(`FROM ${fixture.busybox}\nRUN echo run-step-$((1+1)); sleep 600\n`);
  const path = `/v1.47/build?${new URLSearchParams({ t: 'berth-cancelled:latest', ...query })}`;
  let received = '';
  let res!: IncomingMessage;
  const req = request({ socketPath: fixture.engine.socket, method: 'POST', path, headers: { 'Content-Type': 'application/x-tar', 'Content-Length': body.length } });
  const ended = new Promise<void>((resolve, reject) => {
    req.on('response', (r) => {
      res = r;
      r.on('data', (c: Buffer) => (received += c.toString()));
      r.on('end', resolve);
      r.on('close', resolve);
    });
    req.on('error', (error) => (req.destroyed ? resolve() : reject(error)));
  });
  req.end(body);
  const marker = wait === 'running' ? '"stream":"run-step-2\\n"' : 'Step 2/2 : RUN';
  await until(async () => received.includes(marker), 60_000);
  return { req, res, text: () => received, ended };
}

async function expectNothingLeft(imagesBefore: string[]): Promise<void> {
  // The hang-up path finishes after the client is gone: wait for the container to go.
  await until(async () => (await containerIds()).length === 0, 30_000);
  await until(async () => leftoverContexts().length === 0, 30_000);
  expect(await imageIds()).toEqual(imagesBefore);
  expect((await rawApi(fixture.engine.socket, 'GET', '/images/berth-cancelled:latest/json')).status).toBe(404);
  expect(mountsUnder([fixture.engine.dataRoot, fixture.engine.execRoot])).toEqual([]);
}

describe('cancelling a classic build', () => {
  it('POST /build/cancel?id= stops the build started with that buildid, even with rm=0, and leaves nothing', async () => {
    const imagesBefore = await imageIds();
    const build = await startLongBuild({ buildid: 'berth-test-cancel-1', rm: '0' });
    expect(await containerIds()).toHaveLength(1);
    const cancel = await rawApi(fixture.engine.socket, 'POST', '/v1.47/build/cancel?id=berth-test-cancel-1');
    expect(cancel.status).toBe(200);
    await build.ended;
    const lines = build.text().trim().split('\n').map((l) => JSON.parse(l) as { stream?: string; error?: string });
    expect(lines.at(-1)?.error).toMatch(/build cancelled/);
    expect(lines.some((l) => l.stream?.startsWith('Successfully built'))).toBe(false);
    await expectNothingLeft(imagesBefore);
  });

  it('a client that closes the /build connection during a RUN cancels the build and leaves nothing', async () => {
    const imagesBefore = await imageIds();
    const build = await startLongBuild({});
    expect(await containerIds()).toHaveLength(1);
    build.req.destroy();
    await expectNothingLeft(imagesBefore);
  });

  // The hang-up lands while the RUN's container is being created or started (there is nothing to
  // kill yet): the container must still be stopped once it starts, and removed.
  it('a client that closes the connection right after the RUN step is announced leaves nothing either', async () => {
    const imagesBefore = await imageIds();
    const build = await startLongBuild({}, 'announced');
    build.req.destroy();
    await expectNothingLeft(imagesBefore);
  });

  it('POST /build/cancel without an id is a 400 (moby: "build ID not provided"); an id no build has is answered 200', async () => {
    const missing = await rawApi(fixture.engine.socket, 'POST', '/v1.47/build/cancel');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body.toString())).toEqual({ message: 'build ID not provided' });
    expect((await rawApi(fixture.engine.socket, 'POST', '/v1.47/build/cancel?id=no-such-build')).status).toBe(200);
  });
});
