// Differential: what create and start accept, and how they word a failure, berthd against dockerd:
// a network that does not exist, `--entrypoint ""`, runtime errors, volume create errors.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { docker } from '../support/docker-cli.ts';
import { useSideBySide } from './side-by-side.ts';

/** Opens `POST /containers/NAME/wait?condition=next-exit`; resolves once the engine has answered
 * the headers (the waiter is registered by then), with the result body still to come. */
function waitNextExit(socketPath: string, name: string): Promise<{ body: Promise<string> }> {
  return new Promise((registered, reject) => {
    const path = `/v1.41/containers/${name}/wait?condition=next-exit`;
    const req = request({ socketPath, method: 'POST', path, headers: { 'Content-Length': 0 } }, (res) => {
      const chunks: Buffer[] = [];
      const body = new Promise<string>((resolve) => {
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString().trim()));
      });
      registered({ body });
    });
    req.on('error', reject);
    req.end();
  });
}

const both = useSideBySide();

// When a start fails, `docker run` cancels its wait for the exit; whether the wait's own line
// ("error waiting for container: context canceled" or the start error) is printed before the CLI
// exits is a race inside the CLI, on dockerd as on berthd. The rest of stderr is compared.
const dropWaitLine = (text: string) => text.replace(/^time="<time>" level=error msg="[Ee]rror waiting for container: .*"\n/gm, '');

describe('differential: create and start errors', () => {
  it('a missing network: create succeeds, start fails with "network NAME not found"', async () => {
    await both.expectSameCli(['create', '--name', 'diff-nonet', '--network', 'diff-nope', both.busybox, 'true']);
    await both.expectSameCli(['inspect', '-f', '{{.HostConfig.NetworkMode}} {{json .NetworkSettings.Networks}}', 'diff-nonet']);
    await both.expectSameCli(['start', 'diff-nonet']);
    await both.expectSameCli(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}', 'diff-nonet']);
    await both.expectSameCli(['ps', '-a', '--filter', 'name=diff-nonet', '--format', '{{.Names}} {{.Status}}']);
    // Nothing is pulled: the image is local and the create found it.
    await both.expectSameCli(['run', '--network', 'diff-nope', both.busybox, 'true'], { normalise: dropWaitLine });
    await both.expectSameCli(['run', '--rm', '--network', 'diff-nope', both.busybox, 'true'], { normalise: dropWaitLine });
    // The network is looked up at start: once it exists, the same container starts.
    await both.mustBoth(['network', 'create', 'diff-nope']);
    await both.expectSameCli(['start', '-a', 'diff-nonet']);
    await both.expectSameCli(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}', 'diff-nonet']);
    await both.mustBoth(['container', 'prune', '-f']);
    await both.mustBoth(['network', 'rm', 'diff-nope']);
  });

  it('a start that fails is no exit: a next-exit wait goes on to the next real exit', async () => {
    await both.mustBoth(['create', '--name', 'diff-late', '--network', 'diff-late-net', both.busybox, 'sh', '-c', 'exit 3']);
    const results: unknown[] = [];
    for (const engine of [both.berth, both.dockerd]) {
      const wait = await waitNextExit(engine.socket, 'diff-late');
      const env = engine.dockerEnv;
      expect((await docker(['start', 'diff-late'], { env })).stderr).toContain('network diff-late-net not found');
      expect((await docker(['network', 'create', 'diff-late-net'], { env })).code).toBe(0);
      expect((await docker(['start', 'diff-late'], { env })).code).toBe(0);
      results.push(JSON.parse(await wait.body));
    }
    expect(results[0], 'berthd\'s next-exit wait result (dockerd\'s second)').toEqual(results[1]);
    await both.mustBoth(['rm', 'diff-late']);
    await both.mustBoth(['network', 'rm', 'diff-late-net']);
  });

  it('--entrypoint "" resets the entrypoint and takes no CMD from the image', async () => {
    await both.expectSameCli(['create', '--name', 'diff-noentry', '--entrypoint', '', both.busybox]);
    await both.expectSameCli(['run', '--rm', '--entrypoint', '', both.busybox]);
    await both.expectSameCli(['run', '--rm', '--entrypoint', '', both.busybox, 'echo', 'own command']);
    await both.expectSameCli(['run', '--rm', '--entrypoint=', both.busybox, 'sh', '-c', 'echo $0']);
  });

  it('runtime errors at start read as dockerd\'s, with "failed to create shim task" and ": unknown"', async () => {
    await both.expectSameCli(['run', '--name', 'diff-nobin', both.busybox, '/nope'], { normalise: dropWaitLine });
    await both.expectSameCli(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}', 'diff-nobin']);
    await both.expectSameCli(['start', 'diff-nobin']);
    await both.expectSameCli(['run', '--rm', both.busybox, '/etc/passwd'], { normalise: dropWaitLine });
    await both.expectSameCli(['run', '--rm', both.busybox, 'no-such-command'], { normalise: dropWaitLine });
    await both.mustBoth(['rm', 'diff-nobin']);
  });

  it('volume create errors carry "create NAME:", as dockerd\'s volume store words them', async () => {
    await both.expectSameCli(['volume', 'create', 'a']);
    await both.expectSameCli(['volume', 'create', 'bad$name']);
    // dockerd spends about 15 s looking for the plugin before it gives up.
    await both.expectSameCli(['volume', 'create', '--driver', 'diff-nosuch', 'diff-vol'], { timeoutMs: 90_000 });
    await both.expectSameCli(['volume', 'create', '-o', 'colour=blue', 'diff-vol']);
    await both.expectSameCli(['run', '--rm', '-v', 'bad$name:/x', both.busybox, 'true']);
    await both.expectSameCli(['volume', 'ls', '-q']);
  });
});
