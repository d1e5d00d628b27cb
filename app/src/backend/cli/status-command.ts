// `berth status`: the same EngineStatus the UI's Engine page shows, as text. Exit 0 when the
// engine answers, 1 otherwise, so scripts can wait for it. Berth's own engine is the one the app
// would run (engine/choose-engine.ts: the settings' engine location, or --vm), so the Berth VM is
// reported with its state, resources and boot stage.
import { parseArgs } from 'node:util';
import { vmResourceAsk } from '../../common/app-settings.ts';
import type { EngineStatus } from '../../common/desktop-api.ts';
import { fileAppSettings } from '../calls/app-settings.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { createEngine } from '../engine/choose-engine.ts';
import { resolveHomeDir } from '../vm/vm-home.ts';
import { defaultSettingsDir } from './cli-paths.ts';
import { parseCommandArgs } from './parse-command-args.ts';
import { UsageError } from './usage.ts';

const GiB = 1024 ** 3;

function vmLines(status: EngineStatus): string[] {
  const vm = status.vm;
  if (!vm) return [];
  const lines = [`vm:       ${vm.state}${vm.stageText ? ` (${vm.stageText})` : ''}, home ${vm.home}`];
  if (vm.accel) lines.push(`accel:    ${vm.accel} (${vm.accelWhy ?? ''})`);
  if (vm.cpus !== undefined) lines.push(`cpus:     ${vm.cpus}`, `memory:   ${vm.memoryMiB} MiB`);
  if (vm.diskSizeBytes !== undefined) lines.push(`disk:     ${((vm.diskUsedBytes ?? 0) / GiB).toFixed(1)} of ${Math.round(vm.diskSizeBytes / GiB)} GiB used`);
  if (vm.uptimeSeconds !== undefined) lines.push(`uptime:   ${vm.uptimeSeconds} s`);
  return lines;
}

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(() => parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: { engine: { type: 'string' }, 'settings-dir': { type: 'string' }, vm: { type: 'boolean' }, home: { type: 'string' } },
  }));
  if (values.home !== undefined && !values.vm) throw new UsageError('--home names the VM\'s instance home: it goes with --vm');
  const settingsDir = values['settings-dir'] ?? defaultSettingsDir();
  const appSettings = fileAppSettings(settingsDir);
  const engine = createEngine({
    platform: process.platform, uid: process.getuid?.(), location: values.vm ? 'vm' : appSettings.get().engineLocation,
    node: process.env.BERTH_NODE ?? process.execPath, entry: process.env.BERTH_ENGINE_ENTRY ?? '', userLogDir: settingsDir,
    vmHomeDir: resolveHomeDir(values.home), vmResources: () => vmResourceAsk(appSettings.get()),
  });
  const backend = createDesktopBackend({
    settingsDir,
    appSettings,
    localEngine: engine,
    ...(values.engine !== undefined ? { endpoint: values.engine } : values.vm ? { endpoint: engine.endpoint } : {}),
    hostTerminal: false,
    shell: 'dashboard',
  });
  try {
    const status = await backend.calls.engineStatus();
    const lines = [`state:    ${status.state}`, `endpoint: ${status.endpoint}`];
    if (status.version) lines.push(`version:  ${status.version.Version} (API ${status.version.ApiVersion}, ${status.version.Os}/${status.version.Arch})`);
    if (status.message) lines.push(`message:  ${status.message}`);
    lines.push(...vmLines(status));
    lines.push(status.dockerHostLine);
    process.stdout.write(`${lines.join('\n')}\n`);
    return status.state === 'running' ? 0 : 1;
  } finally {
    await backend.dispose();
  }
}
