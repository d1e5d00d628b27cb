// Observability and housekeeping through the real docker CLI: stats (single and streamed),
// health checks and their events, the event stream's filters, disk usage and prune.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { until, useEngineWithBusybox } from './support/engine-fixture.ts';

const fixture = useEngineWithBusybox();
const docker = (...args: string[]) => fixture.engine.docker(args);
const nowSeconds = () => (Date.now() / 1000).toFixed(3);
const inspectState = async (ref: string) => JSON.parse((await docker('inspect', '--format', '{{json .State}}', ref)).stdout);

/** Reads `count` newline-delimited JSON documents from a streaming GET on the engine socket. */
function readJsonLines(path: string, count: number): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: fixture.engine.socket, path }, (res) => {
      let buffer = '';
      const docs: Array<Record<string, unknown>> = [];
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0 && docs.length < count) {
          docs.push(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
        }
        if (docs.length >= count) {
          req.destroy();
          resolve(docs);
        }
      });
    });
    req.setTimeout(15_000, () => req.destroy(new Error('stats stream timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('docker stats', () => {
  it('--no-stream shows a running container with its memory use, the -m limit and a sane CPU %', async () => {
    const run = await docker('run', '-d', '--name', 'stats-one', '-m', '64m', fixture.busybox, 'sh', '-c', 'while :; do :; done');
    expect(run.code, run.stderr).toBe(0);
    const stats = await docker('stats', '--no-stream', '--format', '{{json .}}', 'stats-one');
    expect(stats.code, stats.stderr).toBe(0);
    const row = JSON.parse(stats.stdout);
    expect(row.Name).toBe('stats-one');
    const [usage, limit] = String(row.MemUsage).split(' / ');
    expect(limit).toBe('64MiB');
    expect(usage).not.toBe('0B');
    // A busy loop: well above zero, and not beyond what the host's CPUs could give.
    const cpu = Number.parseFloat(row.CPUPerc);
    expect(cpu).toBeGreaterThan(10);
    expect(cpu).toBeLessThanOrEqual(100 * 1024);
    expect(row.PIDs).not.toBe('0');
    await docker('rm', '-f', 'stats-one');
  });

  it('streams a sample a second with dockerd\'s fields, precpu from the sample before', async () => {
    expect((await docker('run', '-d', '--name', 'stats-stream', fixture.busybox, 'sleep', '60')).code).toBe(0);
    const [first, second] = await readJsonLines('/v1.47/containers/stats-stream/stats', 2);
    for (const doc of [first, second]) {
      expect(doc).toMatchObject({ name: '/stats-stream', num_procs: 0 });
      expect((doc.memory_stats as { usage: number }).usage).toBeGreaterThan(0);
      expect((doc.cpu_stats as { system_cpu_usage: number }).system_cpu_usage).toBeGreaterThan(0);
      expect((doc.cpu_stats as { online_cpus: number }).online_cpus).toBeGreaterThan(0);
      expect(doc.blkio_stats).toHaveProperty('io_service_bytes_recursive');
      expect(doc.pids_stats).toHaveProperty('current');
    }
    expect(first.preread).toBe('0001-01-01T00:00:00Z');
    expect(second.preread).toBe(first.read);
    expect((second.precpu_stats as { system_cpu_usage: number }).system_cpu_usage).toBe((first.cpu_stats as { system_cpu_usage: number }).system_cpu_usage);
    await docker('rm', '-f', 'stats-stream');
  });
});

describe('health checks', () => {
  it('go from starting to healthy, shown in inspect and ps, with a health_status event', async () => {
    const since = nowSeconds();
    const run = await docker('run', '-d', '--name', 'hc-ok', '--health-cmd', 'test -f /tmp/ready', '--health-interval', '500ms', '--health-retries', '2',
      fixture.busybox, 'sh', '-c', 'sleep 1; touch /tmp/ready; sleep 60');
    expect(run.code, run.stderr).toBe(0);
    expect((await inspectState('hc-ok')).Health.Status).toBe('starting');
    await until(async () => (await inspectState('hc-ok')).Health.Status === 'healthy');
    const health = (await inspectState('hc-ok')).Health;
    expect(health.FailingStreak).toBe(0);
    expect(health.Log.at(-1)).toMatchObject({ ExitCode: 0 });
    // Probes run as execs but, as in dockerd, do not stay listed on the container.
    expect((await docker('inspect', '--format', '{{json .ExecIDs}}', 'hc-ok')).stdout.trim()).toBe('null');
    expect((await docker('ps', '--filter', 'name=hc-ok', '--format', '{{.Status}}')).stdout).toMatch(/^Up .* \(healthy\)\n$/);
    expect((await docker('ps', '--filter', 'health=healthy', '--format', '{{.Names}}')).stdout).toBe('hc-ok\n');
    const events = await docker('events', '--since', since, '--until', nowSeconds(), '--filter', 'container=hc-ok', '--filter', 'event=health_status', '--format', '{{.Action}}');
    expect(events.stdout.trim().split('\n')).toEqual(['health_status: healthy']);
    await docker('rm', '-f', 'hc-ok');
  });

  it('turn unhealthy after the retries fail, and NONE disables an image or CLI check', async () => {
    const since = nowSeconds();
    expect((await docker('run', '-d', '--name', 'hc-bad', '--health-cmd', 'echo nope; exit 3', '--health-interval', '300ms', '--health-retries', '2', fixture.busybox, 'sleep', '60')).code).toBe(0);
    await until(async () => (await inspectState('hc-bad')).Health.Status === 'unhealthy');
    const health = (await inspectState('hc-bad')).Health;
    expect(health.FailingStreak).toBeGreaterThanOrEqual(2);
    expect(health.Log.at(-1)).toMatchObject({ ExitCode: 3, Output: 'nope\n' });
    const events = await docker('events', '--since', since, '--until', nowSeconds(), '--filter', 'type=container', '--filter', 'event=health_status', '--format', '{{.Action}} {{.Actor.Attributes.name}}');
    expect(events.stdout).toContain('health_status: unhealthy hc-bad');
    expect((await docker('run', '-d', '--name', 'hc-slow', '--health-cmd', 'sleep 5', '--health-timeout', '300ms', '--health-interval', '300ms', '--health-retries', '1', fixture.busybox, 'sleep', '60')).code).toBe(0);
    await until(async () => (await inspectState('hc-slow')).Health.Status === 'unhealthy');
    expect((await inspectState('hc-slow')).Health.Log.at(-1)).toMatchObject({ ExitCode: -1, Output: 'Health check exceeded timeout (0.3s)' });
    expect((await docker('run', '-d', '--name', 'hc-none', '--no-healthcheck', fixture.busybox, 'sleep', '60')).code).toBe(0);
    expect((await inspectState('hc-none')).Health).toBeUndefined();
    await docker('rm', '-f', 'hc-bad', 'hc-none', 'hc-slow');
  });
});

describe('docker events', () => {
  it('reports create, start, die (with exitCode) and destroy, narrowed by filters and a time window', async () => {
    const since = nowSeconds();
    expect((await docker('run', '--name', 'ev-seq', '--label', 'team=berth', '--network', 'none', fixture.busybox, 'sh', '-c', 'exit 4')).code).toBe(4);
    expect((await docker('rm', 'ev-seq')).code).toBe(0);
    const window = ['--since', since, '--until', nowSeconds()];
    const actions = await docker('events', ...window, '--filter', 'container=ev-seq', '--filter', 'type=container', '--format', '{{.Action}}');
    expect(actions.stdout.trim().split('\n').filter((a) => ['create', 'start', 'die', 'destroy'].includes(a))).toEqual(['create', 'start', 'die', 'destroy']);
    const dies = await docker('events', ...window, '--filter', 'event=die', '--filter', 'label=team=berth', '--format', '{{json .}}');
    const die = JSON.parse(dies.stdout.trim());
    expect(die).toMatchObject({ status: 'die', Type: 'container', Action: 'die', scope: 'local', from: fixture.busybox });
    expect(die.Actor.Attributes).toMatchObject({ exitCode: '4', name: 'ev-seq', team: 'berth' });
    expect(typeof die.timeNano).toBe('number');
    const none = await docker('events', ...window, '--filter', 'label=team=other');
    expect(none.stdout).toBe('');
    // Durations the CLI turns into whole-second timestamps itself (so, as with dockerd, events of
    // the current second fall after `--until 0s`: wait for the next one).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const relative = await docker('events', '--since', '1m', '--until', '0s', '--filter', 'container=ev-seq', '--format', '{{.Action}}');
    expect(relative.code, relative.stderr).toBe(0);
    expect(relative.stdout).toContain('destroy');
  });

  it('covers network, volume and image events, with network/volume/image filters', async () => {
    const since = nowSeconds();
    expect((await docker('network', 'create', 'ev-net')).code).toBe(0);
    expect((await docker('run', '--rm', '--network', 'ev-net', '-v', 'ev-vol:/v', fixture.busybox, 'true')).code).toBe(0);
    expect((await docker('network', 'rm', 'ev-net')).code).toBe(0);
    expect((await docker('volume', 'rm', 'ev-vol')).code).toBe(0);
    expect((await docker('tag', fixture.busybox, 'ev-tag:1')).code).toBe(0);
    expect((await docker('rmi', 'ev-tag:1')).code).toBe(0);
    const window = ['--since', since, '--until', nowSeconds()];
    const net = await docker('events', ...window, '--filter', 'network=ev-net', '--format', '{{.Type}} {{.Action}}');
    expect(net.stdout.trim().split('\n')).toEqual(['network create', 'network connect', 'network disconnect', 'network destroy']);
    const vol = await docker('events', ...window, '--filter', 'volume=ev-vol', '--format', '{{.Action}}');
    expect(vol.stdout.trim().split('\n')).toEqual(['create', 'mount', 'unmount', 'destroy']);
    const img = await docker('events', ...window, '--filter', 'type=image', '--format', '{{.Action}} {{.Actor.Attributes.name}}');
    expect(img.stdout).toContain('tag ev-tag:1');
    expect(img.stdout).toContain('untag');
  });
});

describe('disk usage and prune', () => {
  it('docker system df and df -v list images, containers with sizes and volumes with usage', async () => {
    expect((await docker('run', '--name', 'df-c', '-v', 'dfvol:/data', fixture.busybox, 'sh', '-c', 'head -c 20000 /dev/zero > /data/f; head -c 5000 /dev/zero > /big')).code).toBe(0);
    const df = await docker('system', 'df');
    expect(df.code, df.stderr).toBe(0);
    expect(df.stdout).toMatch(/^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE/);
    expect(df.stdout).toMatch(/Images\s+1\s+1/);
    expect(df.stdout).toMatch(/Local Volumes\s+1\s+1\s+20kB/);
    const verbose = await docker('system', 'df', '-v');
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stdout).toContain('df-c');
    expect(verbose.stdout).toMatch(/dfvol\s+1\s+20kB/);
    const raw = await new Promise<string>((resolve, reject) => {
      request({ socketPath: fixture.engine.socket, path: '/v1.47/system/df' }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      }).on('error', reject).end();
    });
    const usage = JSON.parse(raw);
    expect(usage.BuildCache).toEqual([]);
    expect(usage.LayersSize).toBeGreaterThan(0);
    const container = usage.Containers.find((c: { Names: string[] }) => c.Names[0] === '/df-c');
    expect(container.SizeRw).toBeGreaterThanOrEqual(5000);
    expect(container.SizeRootFs).toBeGreaterThan(container.SizeRw);
    expect(usage.Volumes.find((v: { Name: string }) => v.Name === 'dfvol').UsageData).toEqual({ Size: 20000, RefCount: 1 });
    await docker('rm', 'df-c');
    await docker('volume', 'rm', 'dfvol');
  });

  it('docker container prune -f removes stopped containers only, honouring label filters', async () => {
    expect((await docker('create', '--name', 'pr-a', fixture.busybox, 'true')).code).toBe(0);
    expect((await docker('create', '--name', 'pr-keep', '--label', 'keep=1', fixture.busybox, 'true')).code).toBe(0);
    expect((await docker('run', '-d', '--name', 'pr-run', fixture.busybox, 'sleep', '60')).code).toBe(0);
    const prune = await docker('container', 'prune', '-f', '--filter', 'label!=keep');
    expect(prune.code, prune.stderr).toBe(0);
    expect(prune.stdout).toContain('Deleted Containers:');
    const left = (await docker('ps', '-a', '--format', '{{.Names}}')).stdout.trim().split('\n').sort();
    expect(left).toEqual(['pr-keep', 'pr-run']);
    await docker('rm', '-f', 'pr-keep', 'pr-run');
  });

  it('docker system prune -f --volumes removes stopped containers, their anonymous volumes and unused networks', async () => {
    expect((await docker('create', '--name', 'sp-c', '-v', '/anon', fixture.busybox, 'true')).code).toBe(0);
    expect((await docker('network', 'create', 'sp-net')).code).toBe(0);
    expect((await docker('volume', 'ls', '-q')).stdout.trim()).not.toBe('');
    const prune = await docker('system', 'prune', '-f', '--volumes');
    expect(prune.code, prune.stderr).toBe(0);
    expect(prune.stdout).toContain('Total reclaimed space');
    expect((await docker('ps', '-aq')).stdout).toBe('');
    expect((await docker('volume', 'ls', '-q')).stdout).toBe('');
    expect((await docker('network', 'ls', '--format', '{{.Name}}')).stdout).not.toContain('sp-net');
  });
});

describe('docker system info', () => {
  it('reports real host figures and container/image counts', async () => {
    expect((await docker('create', '--name', 'info-c', fixture.busybox, 'true')).code).toBe(0);
    const info = JSON.parse((await docker('system', 'info', '--format', '{{json .}}')).stdout);
    expect(info.NCPU).toBeGreaterThan(0);
    expect(info.MemTotal).toBeGreaterThan(64 * 1024 * 1024);
    expect(info.KernelVersion).toMatch(/^\d+\.\d+/);
    expect(info.Driver).toBe('overlay2');
    expect(info.DriverStatus[0][0]).toBe('Backing Filesystem');
    expect(info.DriverStatus[0][1]).not.toMatch(/unknown/);
    expect(info.NFd).toBeGreaterThan(0);
    expect(info).toMatchObject({ Containers: 1, ContainersStopped: 1, ContainersRunning: 0, Images: 1, CgroupVersion: expect.stringMatching(/^[12]$/) });
    await docker('rm', 'info-c');
  });
});
