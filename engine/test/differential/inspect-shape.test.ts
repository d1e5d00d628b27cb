// Differential: the shape of `docker inspect` (every HostConfig field dockerd returns, in its order,
// null where dockerd has null), `inspect -s` and `ps -s` sizes, and the log driver's name.
import { describe, it } from 'vitest';
import { useSideBySide } from './side-by-side.ts';

// No bridge of dockerd's own: nothing here needs its network, and its docker0 is not shared with
// other dockerds on the machine.
const both = useSideBySide({ bridged: false });

/** The raw HostConfig of `docker inspect` (key order kept), MaskedPaths compared on their own. */
function rawHostConfig(text: string): string {
  try {
    const hostConfig = (JSON.parse(text) as Array<{ HostConfig: Record<string, unknown> }>)[0].HostConfig;
    if (Array.isArray(hostConfig.MaskedPaths)) hostConfig.MaskedPaths = '<masked paths>';
    return JSON.stringify(hostConfig, null, 1);
  } catch {
    return text;
  }
}

const maskedAway = (text: string) => text.replace(/"MaskedPaths":\[[^\]]*\]/, '"MaskedPaths":"<masked paths>"');

describe('differential: inspect shape', () => {
  it('HostConfig has every field dockerd shows, with its defaults, nulls and order', async () => {
    // --network bridge: dockerd keeps the CLI's "default" otherwise, which this engine resolves.
    await both.mustBoth(['create', '--name', 'shape-plain', '--network', 'bridge', both.busybox, 'sleep', '5']);
    await both.expectSameCli(['inspect', 'shape-plain'], { normalise: rawHostConfig });
    await both.expectSameCli(['inspect', '-f', '{{json .HostConfig}}', 'shape-plain'], { normalise: maskedAway });
    await both.expectSameCli([
      'inspect', '-f',
      '{{.HostConfig.IpcMode}}|{{.HostConfig.PidMode}}|{{.HostConfig.UTSMode}}|{{.HostConfig.CgroupnsMode}}|{{json .HostConfig.GroupAdd}}|' +
        '{{.HostConfig.Runtime}}|{{.HostConfig.Isolation}}|{{.HostConfig.OomScoreAdj}}|{{.HostConfig.CgroupParent}}|{{.HostConfig.BlkioWeight}}|' +
        '{{json .HostConfig.BlkioWeightDevice}}|{{json .HostConfig.BlkioDeviceReadBps}}|{{json .HostConfig.ReadonlyPaths}}|{{json .HostConfig.PidsLimit}}',
      'shape-plain',
    ]);
    // This engine masks more than dockerd 20.10 does (advisories since: /proc/interrupts, RAPL
    // powercap, per-CPU thermal_throttle), and lists them sorted.
    await both.expectSameCli(['inspect', '-f', '{{json .HostConfig.MaskedPaths}}', 'shape-plain'], {
      ignore: ['stdout'],
      because: 'Berth masks a longer list of /proc and /sys paths than dockerd 20.10 (later advisories), and inspect shows the list it applies',
    });
    // Empty sets from the CLI become the image's (none): null and absent, not {}.
    await both.expectSameCli(['inspect', '-f', '{{json .Config.Volumes}} {{json .Config.ExposedPorts}}', 'shape-plain']);
    await both.mustBoth(['rm', 'shape-plain']);
  });

  it('privileged and resource options show as dockerd stores them', async () => {
    await both.mustBoth(['create', '--name', 'shape-priv', '--network', 'bridge', '--privileged', '--pids-limit', '0', both.busybox, 'true']);
    await both.expectSameCli(['inspect', 'shape-priv'], { normalise: rawHostConfig });
    await both.mustBoth(['create', '--name', 'shape-res', '--network', 'bridge', '--pids-limit', '7', '--init', '--tmpfs', '/t', '-p', '8080', both.busybox, 'true']);
    await both.expectSameCli(['inspect', 'shape-res'], { normalise: rawHostConfig });
    await both.expectSameCli(['inspect', '-f', '{{json .Config.ExposedPorts}}', 'shape-res']);
    await both.mustBoth(['rm', 'shape-priv', 'shape-res']);
  });

  it('inspect -s and ps -s report the writable layer and the virtual size', async () => {
    await both.mustBoth(['run', '--name', 'shape-size', both.busybox, 'sh', '-c', 'echo 123456789 > /f']);
    await both.expectSameCli(['inspect', '-s', '-f', '{{.SizeRw}} {{if .SizeRootFs}}virtual{{end}}', 'shape-size']);
    await both.expectSameCli(['inspect', '-f', '{{if .SizeRw}}sized{{else}}unsized{{end}}', 'shape-size']);
    await both.expectSameCli(['ps', '-a', '-s', '--filter', 'name=shape-size', '--format', '{{.Names}} {{.Size}}']);
    await both.mustBoth(['rm', 'shape-size']);
  });

  it('the log driver reads json-file, and docker logs reads it back', async () => {
    await both.mustBoth(['run', '--name', 'shape-log', both.busybox, 'sh', '-c', 'echo out; echo err >&2']);
    await both.expectSameCli(['inspect', '-f', '{{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}', 'shape-log']);
    await both.expectSameCli(['info', '-f', '{{.LoggingDriver}}']);
    await both.expectSameCli(['logs', 'shape-log']);
    await both.expectSameCli(['inspect', '-f', '{{.LogPath}}', 'shape-log'], {
      ignore: ['stdout'],
      because: 'the log file is conmon\'s (container.log, k8s-file lines), not <id>-json.log with JSON lines; docker logs reads it the same',
    });
    await both.mustBoth(['rm', 'shape-log']);
  });
});
