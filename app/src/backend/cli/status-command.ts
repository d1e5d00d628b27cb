// `berth status`: the same EngineStatus the UI's Engine page shows, as text. Exit 0 when the
// engine answers, 1 otherwise, so scripts can wait for it.
import { parseArgs } from 'node:util';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { defaultSettingsDir } from './cli-paths.ts';
import { parseCommandArgs } from './parse-command-args.ts';

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(() => parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: { engine: { type: 'string' }, 'settings-dir': { type: 'string' } },
  }));
  const backend = createDesktopBackend({
    settingsDir: values['settings-dir'] ?? defaultSettingsDir(),
    ...(values.engine !== undefined ? { endpoint: values.engine } : {}),
    hostTerminal: false,
    shell: 'dashboard',
  });
  try {
    const status = await backend.calls.engineStatus();
    const lines = [`state:    ${status.state}`, `endpoint: ${status.endpoint}`];
    if (status.version) lines.push(`version:  ${status.version.Version} (API ${status.version.ApiVersion}, ${status.version.Os}/${status.version.Arch})`);
    if (status.message) lines.push(`message:  ${status.message}`);
    lines.push(status.dockerHostLine);
    process.stdout.write(`${lines.join('\n')}\n`);
    return status.state === 'running' ? 0 : 1;
  } finally {
    await backend.dispose();
  }
}
