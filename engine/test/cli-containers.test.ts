// Containers through the real docker CLI: run, lifecycle, logs, exec, isolation defaults.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { until as waitFor, useEngineWithBusybox } from './support/engine-fixture.ts';
import { testImage } from './support/fixtures.ts';

const fixture = useEngineWithBusybox();
const run = (...args: string[]) => fixture.engine.docker(['run', '--network=none', ...args]);

describe('docker run', () => {
  it('runs a command, returns its output and exit code, and --rm removes the container', async () => {
    const ok = await run('--rm', fixture.busybox, 'echo', 'hello berth');
    expect(ok.stdout).toBe('hello berth\n');
    expect(ok.code).toBe(0);
    const failing = await run('--rm', fixture.busybox, 'sh', '-c', 'echo out; echo err >&2; exit 3');
    expect(failing.code).toBe(3);
    expect(failing.stdout).toBe('out\n');
    expect(failing.stderr).toBe('err\n');
    expect((await fixture.engine.docker(['ps', '-aq'])).stdout.trim()).toBe('');
  });

  it('pulls a missing image on run', async () => {
    const other = testImage('ocizstd').ref;
    const result = await run('--rm', other, 'true');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Pull complete');
  });

  it('honours -e, -w, -u, -h, --entrypoint and --label', async () => {
    const result = await run('--rm', '-e', 'GREETING=hi', '-w', '/tmp', '-u', '1000:1000', '-h', 'boat', fixture.busybox,
      'sh', '-c', 'echo $GREETING $(pwd) $(id -u):$(id -g) $(hostname)');
    expect(result.stdout.trim()).toBe('hi /tmp 1000:1000 boat');
    const entry = await run('--rm', '--entrypoint', 'echo', fixture.busybox, 'from', 'entrypoint');
    expect(entry.stdout.trim()).toBe('from entrypoint');
    const named = await run('--rm', '-u', 'app', fixture.busybox, 'id', '-un');
    expect(named.stdout.trim()).toBe('app');
    await run('-d', '--name', 'labelled', '--label', 'team=berth', fixture.busybox, 'sleep', '30');
    const ps = await fixture.engine.docker(['ps', '--filter', 'label=team=berth', '--format', '{{.Names}}']);
    expect(ps.stdout.trim()).toBe('labelled');
    await fixture.engine.docker(['rm', '-f', 'labelled']);
  });

  it('passes stdin with -i and closes it at EOF', async () => {
    const result = await fixture.engine.docker(['run', '--rm', '-i', '--network=none', fixture.busybox, 'sh', '-c', 'cat; echo done'], { input: 'line one\nline two\n' });
    expect(result.stdout).toBe('line one\nline two\ndone\n');
  });

  it('closes stdin with -i when the client\'s stdin is empty (EOF before the container starts)', async () => {
    // The CLI half-closes the hijacked connection before it even sends start; Node has emitted
    // that bare EOF ('end') before the attach is wired, so it must not be waited for again.
    const result = await fixture.engine.docker(['run', '--rm', '-i', '--network=none', fixture.busybox, 'sh', '-c', 'cat; echo done'], { input: '', timeoutMs: 20_000 });
    expect(result.stdout).toBe('done\n');
    expect(result.code).toBe(0);
  });

  it('reports 127 for a missing executable and 125 for a bad flag value', async () => {
    const missing = await run('--rm', fixture.busybox, 'no-such-binary');
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('executable file not found');
    const badMemory = await run('--rm', '-m', '1k', fixture.busybox, 'true');
    expect(badMemory.code).toBe(125);
    expect(badMemory.stderr).toContain('Minimum memory limit allowed is 6MB');
  });
});

describe('isolation with Docker defaults', () => {
  it('is PID 1 in its own namespaces, cannot mount, and has /proc paths masked', async () => {
    const result = await run('--rm', fixture.busybox, 'sh', '-c',
      'echo pid=$$; mount -t tmpfs none /tmp 2>&1 || true; wc -c < /proc/timer_list; grep CapEff /proc/self/status');
    expect(result.stdout).toContain('pid=1\n');
    expect(result.stdout).toMatch(/mount: permission denied|Operation not permitted/);
    expect(result.stdout).toMatch(/^0$/m);
    expect(result.stdout).toContain('CapEff:\t00000000a80425fb');
  });

  it('grants mount with --cap-add SYS_ADMIN and everything with --privileged', async () => {
    const capAdd = await run('--rm', '--cap-add', 'SYS_ADMIN', fixture.busybox, 'sh', '-c', 'mount -t tmpfs none /tmp && echo mounted');
    expect(capAdd.stdout.trim()).toBe('mounted');
    const privileged = await run('--rm', '--privileged', fixture.busybox, 'grep', 'CapEff', '/proc/self/status');
    // Privileged means every capability the engine itself holds (this sandbox may lack some).
    const engineCaps = /CapEff:\t([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1];
    expect(privileged.stdout.trim()).toBe(`CapEff:\t${engineCaps}`);
    const dropped = await run('--rm', '--cap-drop', 'CHOWN', fixture.busybox, 'sh', '-c', 'chown 1000 /tmp && echo changed || echo refused');
    expect(dropped.stdout).toContain('refused');
  });

  it('applies --read-only, -m, --pids-limit and --cpus', async () => {
    const ro = await run('--rm', '--read-only', fixture.busybox, 'sh', '-c', 'touch /x 2>&1 || true');
    expect(ro.stdout).toContain('Read-only file system');
    await run('-d', '--name', 'limited', '-m', '64m', '--pids-limit', '50', '--cpus', '0.5', fixture.busybox, 'sleep', '60');
    const inspect = JSON.parse((await fixture.engine.docker(['inspect', 'limited'])).stdout)[0];
    expect(inspect.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(inspect.HostConfig.PidsLimit).toBe(50);
    expect(inspect.HostConfig.NanoCpus).toBe(500_000_000);
    const memLimit = await fixture.engine.docker(['exec', 'limited', 'sh', '-c',
      'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max']);
    expect(memLimit.stdout.trim()).toBe(String(64 * 1024 * 1024));
    const pids = await fixture.engine.docker(['exec', 'limited', 'sh', '-c', 'cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max']);
    expect(pids.stdout.trim()).toBe('50');
    const quota = await fixture.engine.docker(['exec', 'limited', 'sh', '-c', 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d" " -f1 /sys/fs/cgroup/cpu.max']);
    expect(quota.stdout.trim()).toBe('50000');
    await fixture.engine.docker(['rm', '-f', 'limited']);
  });

  it('runs an init as PID 1 with --init', async () => {
    const result = await run('--rm', '--init', fixture.busybox, 'ps', '-o', 'pid,comm');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\s*1\s+(docker-init|tini)/m);
  });
});

describe('container lifecycle', () => {
  it('runs detached, lists, logs, stops, restarts, renames and removes', async () => {
    const started = await run('-d', '--name', 'worker', fixture.busybox, 'sh', '-c', 'trap "echo bye; exit 0" TERM; echo ready; echo oops >&2; while true; do sleep 0.1; done');
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const ps = await fixture.engine.docker(['ps', '--format', '{{.ID}} {{.Names}} {{.Status}}']);
    expect(ps.stdout).toMatch(new RegExp(`^${id.slice(0, 12)} worker Up`, 'm'));

    await waitFor(async () => (await fixture.engine.docker(['logs', 'worker'])).stdout.includes('ready'));
    const logs = await fixture.engine.docker(['logs', 'worker']);
    expect(logs.stdout).toBe('ready\n');
    expect(logs.stderr).toBe('oops\n');
    const stamped = await fixture.engine.docker(['logs', '-t', '--tail', '1', 'worker']);
    expect(stamped.stderr + stamped.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /);

    const stop = await fixture.engine.docker(['stop', 'worker']);
    expect(stop.code, stop.stderr).toBe(0);
    const state = JSON.parse((await fixture.engine.docker(['inspect', 'worker'])).stdout)[0].State;
    expect(state.Status).toBe('exited');
    expect(state.ExitCode).toBe(0);
    expect((await fixture.engine.docker(['logs', 'worker'])).stdout).toBe('ready\nbye\n');

    expect((await fixture.engine.docker(['start', 'worker'])).code).toBe(0);
    expect((await fixture.engine.docker(['restart', '-t', '1', 'worker'])).code).toBe(0);
    expect((await fixture.engine.docker(['rename', 'worker', 'worker2'])).code).toBe(0);
    const rmRunning = await fixture.engine.docker(['rm', 'worker2']);
    expect(rmRunning.code).not.toBe(0);
    expect(rmRunning.stderr).toContain('stop the container before removing or force remove');
    expect((await fixture.engine.docker(['rm', '-f', 'worker2'])).code).toBe(0);
    expect((await fixture.engine.docker(['inspect', 'worker2'])).stderr).toContain('No such object: worker2');
  });

  it('kill gives 137, wait reports the code, pause freezes and unpause thaws', async () => {
    await run('-d', '--name', 'victim', fixture.busybox, 'sleep', '300');
    expect((await fixture.engine.docker(['pause', 'victim'])).code).toBe(0);
    expect((await fixture.engine.docker(['inspect', '-f', '{{.State.Status}}', 'victim'])).stdout.trim()).toBe('paused');
    const frozen = await fixture.engine.docker(['exec', 'victim', 'true']);
    expect(frozen.stderr).toContain('is paused');
    expect((await fixture.engine.docker(['unpause', 'victim'])).code).toBe(0);
    const waiting = fixture.engine.docker(['wait', 'victim']);
    expect((await fixture.engine.docker(['kill', 'victim'])).code).toBe(0);
    expect((await waiting).stdout.trim()).toBe('137');
    expect((await fixture.engine.docker(['inspect', '-f', '{{.State.ExitCode}}', 'victim'])).stdout.trim()).toBe('137');
    const again = await fixture.engine.docker(['kill', 'victim']);
    expect(again.stderr).toContain('is not running');
    const badSignal = await fixture.engine.docker(['kill', '-s', 'NOPE', 'victim']);
    expect(badSignal.code).not.toBe(0);
    await fixture.engine.docker(['rm', 'victim']);
  });

  it('exec runs with -e, -u, -w and returns exit codes; top lists processes', async () => {
    await run('-d', '--name', 'host1', fixture.busybox, 'sleep', '300');
    const out = await fixture.engine.docker(['exec', '-e', 'A=1', '-u', '1000', '-w', '/tmp', 'host1', 'sh', '-c', 'echo $A $(id -u) $(pwd); exit 5']);
    expect(out.stdout.trim()).toBe('1 1000 /tmp');
    expect(out.code).toBe(5);
    const piped = await fixture.engine.docker(['exec', '-i', 'host1', 'cat'], { input: 'via stdin\n' });
    expect(piped.stdout).toBe('via stdin\n');
    const empty = await fixture.engine.docker(['exec', '-i', 'host1', 'sh', '-c', 'cat; echo eof'], { input: '', timeoutMs: 20_000 });
    expect(empty.stdout).toBe('eof\n');
    const top = await fixture.engine.docker(['top', 'host1']);
    expect(top.stdout).toMatch(/sleep 300/);
    await fixture.engine.docker(['rm', '-f', 'host1']);
  });

  it('attaches to a running container and filters ps and logs', async () => {
    const started = await run('-d', '--name', 'talker', fixture.busybox, 'sh', '-c', 'echo first; sleep 1.2; echo second; exit 3');
    expect(started.code).toBe(0);
    const attached = await fixture.engine.docker(['attach', 'talker']);
    expect(attached.stdout).toContain('second\n');
    expect(attached.code).toBe(3);
    const exited = await fixture.engine.docker(['ps', '-a', '--filter', 'exited=3', '--format', '{{.Names}}']);
    expect(exited.stdout.trim()).toBe('talker');
    expect((await fixture.engine.docker(['ps', '--filter', 'status=exited', '--format', '{{.Names}}'])).stdout).toContain('talker');
    expect((await fixture.engine.docker(['ps', '-a', '--filter', `ancestor=${fixture.busybox}`, '--filter', 'name=^talk', '--format', '{{.Names}}'])).stdout.trim()).toBe('talker');
    expect((await fixture.engine.docker(['ps', '-a', '--filter', 'status=bogus'])).code).not.toBe(0);
    const future = String(Math.floor(Date.now() / 1000) + 3600);
    expect((await fixture.engine.docker(['logs', '--since', future, 'talker'])).stdout).toBe('');
    expect((await fixture.engine.docker(['logs', '--tail', '1', 'talker'])).stdout).toBe('second\n');
    await fixture.engine.docker(['rm', 'talker']);
  });

  it('refuses name conflicts with 409 and unknown containers with 404', async () => {
    await fixture.engine.docker(['create', '--name', 'taken', fixture.busybox, 'true']);
    const dup = await fixture.engine.docker(['create', '--name', 'taken', fixture.busybox, 'true']);
    expect(dup.stderr).toContain('Conflict. The container name "/taken" is already in use');
    expect((await fixture.engine.docker(['start', 'nobody-here'])).stderr).toContain('No such container: nobody-here');
    await fixture.engine.docker(['rm', 'taken']);
  });
});
