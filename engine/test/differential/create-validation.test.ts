// Differential: settings dockerd refuses before a container exists (issue 17 item 6). `create`
// shows the daemon's message with exit code 1, `run` the same message with 125 and the usage
// hint; both are compared, as scripts meet either.
import { describe, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';

const both = useSideBySide();

/** Each flag set dockerd refuses at create, with its own message. */
const REFUSED: string[][] = [
  ['--restart', 'on-failure:-2'],
  ['--restart', 'always:3'],
  ['--restart', 'unless-stopped:1'],
  ['--stop-signal', 'FOO'],
  ['--health-cmd', 'true', '--health-interval', '100us'],
  ['--health-cmd', 'true', '--health-timeout', '10us'],
  ['--health-cmd', 'true', '--health-start-period', '1us'],
  ['--cpus', '100'],
  ['-m', '64m', '--memory-reservation', '128m'],
  ['--memory-reservation', '1m'],
  ['--cpu-period', '500'],
  ['--cpu-quota', '500'],
  ['--oom-score-adj', '2000'],
  ['--oom-score-adj', '-1001'],
  ['--log-driver', 'nosuchdrv'],
  ['--log-opt', 'nosuchopt=1'],
  ['--log-driver', 'local', '--log-opt', 'labels=a'],
  ['--log-opt', 'mode=sometimes'],
  ['--runtime', 'nosuchrt'],
  ['--cpuset-cpus', '5'],
  ['--cpuset-cpus', '0-1,7'],
  ['--cpuset-mems', '3'],
  ['--uts', 'host', '-h', 'named'],
  ['--network', 'host', '--mac-address', '02:42:ac:11:00:99'],
];

describe('differential: settings refused at create', () => {
  it('create and run refuse each one with dockerd\'s message and exit code', async () => {
    for (const flags of REFUSED) {
      await both.expectSameCli(['create', ...flags, both.busybox, 'true']);
      await both.expectSameCli(['run', '--rm', ...flags, both.busybox, 'true']);
    }
  });

  it('valid neighbours of the refused values are accepted', async () => {
    for (const flags of [['--restart', 'on-failure:2'], ['--oom-score-adj', '500'], ['--log-driver', 'local', '--log-opt', 'max-size=1m'],
      ['--log-opt', 'labels=a', '--log-opt', 'env=B', '--log-opt', 'tag=x'], ['--runtime', 'runc'], ['--cpuset-cpus', '0'], ['--cpus', '1'],
      ['--stop-signal', 'SIGUSR1'], ['--log-driver', 'none']]) {
      await both.expectSameCli(['run', '--rm', ...flags, both.busybox, 'true']);
    }
  });

  it('negative CPU shares pass create and fail the start with dockerd\'s message', async () => {
    await both.mustBoth(['create', '--name', 'diff-shares', '--cpu-shares', '-5', both.busybox, 'true']);
    await both.expectSameCli(['start', 'diff-shares']);
    await both.expectSameCli(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}} {{.State.Error}}', 'diff-shares']);
    await both.mustBoth(['rm', 'diff-shares']);
    await both.expectSameCli(['run', '--rm', '--cpu-shares', '-5', both.busybox, 'true']);
  });

  it('devices that are missing or not device nodes fail the start, not the create', async () => {
    await both.mustBoth(['create', '--name', 'diff-nodev', '--device', '/dev/nonexistent', both.busybox, 'true']);
    await both.expectSameCli(['start', 'diff-nodev']);
    await both.mustBoth(['rm', 'diff-nodev']);
    await both.expectSameCli(['run', '--rm', '--device', '/dev/nonexistent', both.busybox, 'true']);
    await both.expectSameCli(['run', '--rm', '--device', '/etc/passwd', both.busybox, 'true']);
  });

  it('a platform the local image is not for is refused after the pull dockerd would try', async () => {
    for (const platform of ['linux/arm64', 'foo/bar', 'arm64', 'windows', 'linux/arm64/v8']) {
      await both.expectSameCli(['create', '--platform', platform, both.busybox, 'true']);
    }
    await both.expectSameCli(['run', '--rm', '--platform', 'linux/arm64', both.busybox, 'true']);
    await both.expectSameCli(['pull', '--platform', 'linux/arm64', both.busybox]);
    await both.expectSameCli(['run', '--rm', '--platform', 'linux', both.busybox, 'true']);
    await both.expectSameCli(['run', '--rm', '--platform', 'linux/amd64', both.busybox, 'true']);
  });
});
