// Differential: `docker ps` limits and the filters that look at what a container is attached to
// (volume=, network=, publish=, expose=) or built from (ancestor=), berthd against dockerd.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';

const both = useSideBySide();
const names = ['--format', '{{.Names}}'];
// Host ports are picked by each engine: compare everything but their numbers.
const hostPorts = (text: string) => text.replace(/:\d+->/g, ':<port>->');

describe('differential: ps limits and filters', () => {
  const context = mkdtempSync(join(tmpdir(), 'diff-ps-'));
  afterAll(() => rmSync(context, { recursive: true, force: true }));

  it('-n N and -l count stopped containers too, newest first', async () => {
    await both.mustBoth(['run', '-d', '--name', 'diff-ps-running', both.busybox, 'sleep', '1000']);
    await both.mustBoth(['run', '--name', 'diff-ps-exited', both.busybox, 'true']);
    await both.mustBoth(['create', '--name', 'diff-ps-created', both.busybox, 'true']);
    await both.expectSameCli(['ps', '-l', ...names]);
    await both.expectSameCli(['ps', '-n', '2', ...names]);
    await both.expectSameCli(['ps', '-n', '5', ...names]);
    await both.expectSameCli(['ps', '-n', '2', '--filter', 'status=exited', ...names]);
    await both.expectSameCli(['ps', '-a', '-n', '1', ...names]);
    await both.expectSameCli(['ps', ...names]);
    await both.mustBoth(['rm', '-f', 'diff-ps-running', 'diff-ps-exited', 'diff-ps-created']);
  });

  it('volume=, network=, publish= and expose= select by attachment', async () => {
    await both.mustBoth(['volume', 'create', 'diff-ps-vol']);
    await both.mustBoth(['network', 'create', 'diff-ps-net']);
    await both.mustBoth(['run', '-d', '--name', 'diff-ps-v', '-v', 'diff-ps-vol:/data', both.busybox, 'sleep', '1000']);
    await both.mustBoth(['run', '-d', '--name', 'diff-ps-n', '--network', 'diff-ps-net', both.busybox, 'sleep', '1000']);
    await both.mustBoth(['run', '-d', '--name', 'diff-ps-p', '-p', '127.0.0.1::80', '--expose', '81', both.busybox, 'sleep', '1000']);
    await both.mustBoth(['create', '--name', 'diff-ps-c', '-v', 'diff-ps-vol:/data', '--network', 'diff-ps-net', '--expose', '81', both.busybox, 'true']);
    await both.mustBoth(['run', '-d', '--name', 'diff-ps-none', '--network', 'none', '-v', '/tmp:/hosttmp', both.busybox, 'sleep', '1000']);
    await both.mustBoth(['run', '-d', '--name', 'diff-ps-host', '--network', 'host', both.busybox, 'sleep', '1000']);
    const filters = ['volume=diff-ps-vol', 'volume=/data', 'volume=/nope', 'volume=/tmp', 'volume=/hosttmp', 'network=diff-ps-net', 'network=bridge', 'network=none', 'network=host', 'network=nope'];
    for (const filter of filters) {
      await both.expectSameCli(['ps', '--filter', filter, ...names]);
      await both.expectSameCli(['ps', '-a', '--filter', filter, ...names]);
    }
    for (const filter of ['publish=1-65535', 'publish=80', 'expose=80', 'expose=81', 'expose=81/udp', 'expose=79-80/tcp']) {
      await both.expectSameCli(['ps', '-a', '--filter', filter, ...names]);
    }
    await both.expectSameCli(['ps', '-a', '--format', '{{.Names}} {{.Ports}}'], { normalise: hostPorts });
    await both.expectSameCli(['ps', '--filter', 'publish=8080:80']);
    await both.expectSameCli(['ps', '--filter', 'expose=http']);
    await both.expectSameCli(['ps', '--filter', 'expose=90-80']);
    await both.mustBoth(['rm', '-f', 'diff-ps-v', 'diff-ps-n', 'diff-ps-p', 'diff-ps-c', 'diff-ps-none', 'diff-ps-host']);
    await both.mustBoth(['network', 'rm', 'diff-ps-net']);
    await both.mustBoth(['volume', 'rm', 'diff-ps-vol']);
  });

  it('ancestor= includes containers of images built FROM that image', async () => {
    writeFileSync(join(context, 'Dockerfile'), `FROM ${both.busybox}\nLABEL diff=child\n`);
    await both.mustBoth(['build', '-q', '-t', 'diff-ps-child', context]);
    await both.mustBoth(['run', '-d', '--name', 'diff-ps-base', both.busybox, 'sleep', '1000']);
    await both.mustBoth(['run', '-d', '--name', 'diff-ps-kid', 'diff-ps-child', 'sleep', '1000']);
    // A committed image descends from its container's image too.
    await both.mustBoth(['commit', 'diff-ps-kid', 'diff-ps-committed']);
    await both.mustBoth(['run', '-d', '--name', 'diff-ps-grandkid', 'diff-ps-committed', 'sleep', '1000']);
    await both.expectSameCli(['ps', '--filter', `ancestor=${both.busybox}`, ...names]);
    await both.expectSameCli(['ps', '--filter', 'ancestor=diff-ps-child', ...names]);
    await both.expectSameCli(['ps', '--filter', 'ancestor=diff-ps-nope', ...names]);
    await both.expectSameCli(['ps', '--filter', 'ancestor=diff-ps-nope', '--filter', 'ancestor=diff-ps-child', ...names]);
    await both.expectSameCli(['ps', '--filter', 'ancestor=diff-ps-committed', ...names]);
    await both.mustBoth(['rm', '-f', 'diff-ps-base', 'diff-ps-kid', 'diff-ps-grandkid']);
    await both.mustBoth(['rmi', 'diff-ps-committed', 'diff-ps-child']);
  });
});
