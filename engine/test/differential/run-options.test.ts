// Differential: `docker run` options berthd used to accept and ignore (issue 17 item 5): the
// host's PID and UTS namespaces, the host's name under --network host, extra groups, devices,
// the MAC address, the `none` log driver, log attributes in `logs --details`, and a user
// network's bridge name.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { docker } from '../support/docker-cli.ts';
import { useSideBySide } from './side-by-side.ts';

const both = useSideBySide();

describe('differential: run options', () => {
  it('--pid host and --pid container:<name> share that PID namespace', async () => {
    await both.expectSameCli(['run', '--rm', '--pid', 'host', both.busybox, 'cat', '/proc/1/comm']);
    await both.mustBoth(['run', '-d', '--name', 'diff-pidtarget', both.busybox, 'sleep', '300']);
    await both.expectSameCli(['run', '--rm', '--pid', 'container:diff-pidtarget', both.busybox, 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "']);
    await both.mustBoth(['rm', '-f', 'diff-pidtarget']);
    await both.mustBoth(['create', '--name', 'diff-nsmodes', '--pid', 'host', '--uts', 'host', both.busybox, 'true']);
    await both.expectSameCli(['inspect', '-f', '{{.HostConfig.PidMode}} {{.HostConfig.UTSMode}} {{.Config.Hostname}}', 'diff-nsmodes']);
    await both.mustBoth(['rm', 'diff-nsmodes']);
  });

  it('--uts host shows the host\'s name, --network host names the container after the host', async () => {
    await both.expectSameCli(['run', '--rm', '--uts', 'host', both.busybox, 'sh', '-c', 'hostname; cat /etc/hostname; echo $HOSTNAME']);
    await both.expectSameCli(['run', '--rm', '--network', 'host', both.busybox, 'sh', '-c', 'hostname; cat /etc/hostname; echo $HOSTNAME']);
    await both.expectSameCli(['run', '--rm', '--network', 'host', '-h', 'named', both.busybox, 'sh', '-c', 'hostname; cat /etc/hostname']);
    await both.mustBoth(['create', '--name', 'diff-hostnet', '--network', 'host', both.busybox, 'true']);
    await both.expectSameCli(['inspect', '-f', '{{.Config.Hostname}}', 'diff-hostnet']);
    await both.mustBoth(['rm', 'diff-hostnet']);
  });

  it('--group-add adds groups by number or name, for the process and for exec', async () => {
    await both.expectSameCli(['run', '--rm', '--group-add', '1234', '--group-add', 'nogroup', both.busybox, 'id']);
    await both.expectSameCli(['run', '--rm', '-u', 'app', '--group-add', '1234', both.busybox, 'id']);
    await both.expectSameCli(['run', '--rm', '--group-add', 'audio', both.busybox, 'id']);
    await both.mustBoth(['run', '-d', '--name', 'diff-groups', '--group-add', '4321', both.busybox, 'sleep', '300']);
    await both.expectSameCli(['exec', 'diff-groups', 'id', '-G']);
    await both.expectSameCli(['inspect', '-f', '{{.HostConfig.GroupAdd}}', 'diff-groups']);
    await both.mustBoth(['rm', '-f', 'diff-groups']);
  });

  it('--device maps a host device under its new name', async () => {
    await both.expectSameCli(['run', '--rm', '--device', '/dev/zero:/dev/myzero', both.busybox, 'sh', '-c', 'ls -l /dev/myzero | cut -c1-10; head -c 3 /dev/myzero | od -An -tx1']);
    await both.expectSameCli(['run', '--rm', '--device', '/dev/null:/dev/mynull:r', both.busybox, 'sh', '-c', 'ls -l /dev/mynull | cut -c1-10']);
  });

  it('--mac-address gives eth0 that address', async () => {
    await both.expectSameCli(['run', '--rm', '--mac-address', '02:42:ac:11:00:99', both.busybox, 'cat', '/sys/class/net/eth0/address']);
    await both.mustBoth(['create', '--name', 'diff-mac', '--mac-address', '02:42:ac:11:00:98', both.busybox, 'true']);
    await both.expectSameCli(['inspect', '-f', '{{.Config.MacAddress}}', 'diff-mac']);
    await both.mustBoth(['rm', 'diff-mac']);
  });

  it('--log-driver none keeps attach output but has no log to read', async () => {
    await both.expectSameCli(['run', '--name', 'diff-nolog', '--log-driver', 'none', both.busybox, 'echo', 'hi']);
    await both.expectSameCli(['logs', 'diff-nolog']);
    await both.mustBoth(['rm', 'diff-nolog']);
  });

  it('logs --details starts each line with the labels and env vars the log options name', async () => {
    await both.mustBoth(['run', '--name', 'diff-details', '--label', 'team=a b', '-e', 'STAGE=x', '--log-opt', 'labels=team', '--log-opt', 'env=STAGE',
      both.busybox, 'sh', '-c', 'echo one; echo two; echo err >&2']);
    await both.expectSameCli(['logs', '--details', 'diff-details']);
    await both.expectSameCli(['logs', '--details', '--timestamps', 'diff-details']);
    await both.expectSameCli(['logs', 'diff-details']);
    await both.mustBoth(['run', '--name', 'diff-details-rx', '--label', 'app=1', '--label', 'apb=2', '--label', 'x=3', '-e', 'SA=1', '-e', 'SB=2',
      '--log-opt', 'labels-regex=^ap', '--log-opt', 'env-regex=^SB', '--log-opt', 'env=SA,NOPE', both.busybox, 'echo', 'hi']);
    await both.expectSameCli(['logs', '--details', 'diff-details-rx']);
    await both.mustBoth(['run', '--name', 'diff-details-none', both.busybox, 'sh', '-c', 'echo a; echo b >&2']);
    await both.expectSameCli(['logs', '--details', 'diff-details-none']);
    await both.mustBoth(['rm', 'diff-details', 'diff-details-rx', 'diff-details-none']);
  });

  it('network create -o com.docker.network.bridge.name names the host bridge', async () => {
    // Each engine gets a name of its own: they share the host's interface names.
    const suffix = Math.random().toString(36).slice(2, 7);
    const names = { berth: `d17b-b${suffix}`, dockerd: `d17b-d${suffix}` };
    for (const [engine, env] of [['berth', both.berth.dockerEnv], ['dockerd', both.dockerd.dockerEnv]] as const) {
      const name = names[engine];
      const created = await docker(['network', 'create', '-o', `com.docker.network.bridge.name=${name}`, 'diff-brname'], { env });
      expect(created.code, `${engine}: ${created.stderr}`).toBe(0);
      const inspected = await docker(['network', 'inspect', '-f', '{{index .Options "com.docker.network.bridge.name"}}', 'diff-brname'], { env });
      expect(inspected.stdout.trim()).toBe(name);
      const run = await docker(['run', '-d', '--name', 'diff-brname-c', '--network', 'diff-brname', both.busybox, 'sleep', '300'], { env });
      expect(run.code, `${engine}: ${run.stderr}`).toBe(0);
      // The container's interface is enslaved to the bridge of that name on the host.
      const link = spawnSync('ip', ['-o', 'link', 'show', 'master', name], { encoding: 'utf8' });
      expect(link.stdout, `${engine}: no interface on bridge ${name}: ${link.stderr}`).toMatch(/veth|@/);
      expect((await docker(['rm', '-f', 'diff-brname-c'], { env })).code).toBe(0);
      expect((await docker(['network', 'rm', 'diff-brname'], { env })).code).toBe(0);
    }
  });
});
