// `berth dashboard`: one backend, served to browsers on loopback. The URL (secret included) is the
// first line on stdout so that scripts and tests can read it; everything for people goes to stderr.
import { parseArgs } from 'node:util';
import { vmResourceAsk } from '../../common/app-settings.ts';
import { fileAppSettings } from '../calls/app-settings.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { startDashboardServer } from '../dashboard/dashboard-server.ts';
import type { EngineControl } from '../engine/engine-control.ts';
import { DEFAULT_ENGINE_SOCKET, EngineSupervisor } from '../engine/engine-supervisor.ts';
import { VmEngine } from '../engine/vm-engine.ts';
import { resolveHomeDir, vmHome } from '../vm/vm-home.ts';
import { defaultSettingsDir, RENDERER_DIR } from './cli-paths.ts';
import { parseCommandArgs } from './parse-command-args.ts';
import { UsageError } from './usage.ts';

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535 (0: any free port), not "${value}"`);
  return port;
}

/** The supervised engine's socket: the --engine socket when it names one, else Berth's default. */
function managedSocket(engine: string | undefined): string {
  if (engine === undefined) return DEFAULT_ENGINE_SOCKET;
  if (!engine.startsWith('unix://')) throw new UsageError(`--manage-engine runs a local engine on a Unix socket; --engine ${engine} is not one`);
  return engine.slice('unix://'.length);
}

const say = (line: string) => process.stderr.write(`${line}\n`);

export async function dashboardCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(() => parseArgs({
    args: argv,
    strict: true,
    // Only after `--`: berthd flags for the engine --manage-engine starts.
    allowPositionals: true,
    options: {
      engine: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'settings-dir': { type: 'string' },
      'manage-engine': { type: 'boolean' },
      'data-root': { type: 'string' },
      'exec-root': { type: 'string' },
      vm: { type: 'boolean' },
      home: { type: 'string' },
    },
  }));
  const port = parsePort(values.port);
  if (values.vm && values['manage-engine']) throw new UsageError('--vm and --manage-engine each manage an engine: choose one');
  if (values.vm && values.engine !== undefined) throw new UsageError('--vm serves the VM\'s own socket (<home>/run/docker.sock); leave out --engine');
  if (values.home !== undefined && !values.vm) throw new UsageError('--home names the VM\'s instance home: it goes with --vm');
  const engineFlags = argv.includes('--') ? argv.slice(argv.indexOf('--') + 1) : [];
  if (positionals.length > engineFlags.length) throw new UsageError(`unexpected argument "${positionals[0]}" (berthd flags go after --)`);
  if (!values['manage-engine'] && (values['data-root'] !== undefined || values['exec-root'] !== undefined || engineFlags.length > 0)) {
    throw new UsageError('--data-root, --exec-root and berthd flags after -- are for the engine --manage-engine starts');
  }
  // Listening for SIGINT/SIGTERM before anything starts: a stop that arrives as soon as the URL
  // is out (scripts, tests) must still close cleanly rather than kill the process mid-way.
  const stopRequested = new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      say(`${signal}: closing the dashboard`);
      process.once(signal, () => process.exit(130)); // a second Ctrl-C means now
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const settingsDir = values['settings-dir'] ?? defaultSettingsDir();
  const appSettings = fileAppSettings(settingsDir);
  const supervisor: EngineControl | undefined = values.vm
    ? new VmEngine({ home: vmHome(resolveHomeDir(values.home)), resources: () => vmResourceAsk(appSettings.get()), log: (line) => say(`VM: ${line}`) })
    : values['manage-engine']
      ? new EngineSupervisor({
        socketPath: managedSocket(values.engine),
        // Its own roots (and so its own pidfile and log under the exec root), as dockerd's flags of the same names.
        ...(values['data-root'] !== undefined ? { dataRoot: values['data-root'] } : {}),
        ...(values['exec-root'] !== undefined ? { execRoot: values['exec-root'] } : {}),
        extraArgs: engineFlags,
      })
      : undefined;
  const backend = createDesktopBackend({
    settingsDir,
    appSettings,
    ...(supervisor ? { localEngine: supervisor, berthContext: true } : {}),
    // --vm: the VM's socket, whatever endpoint was last chosen (that is what --vm asks for).
    ...(values.engine !== undefined ? { endpoint: values.engine } : supervisor instanceof VmEngine ? { endpoint: supervisor.endpoint } : {}),
    // The dashboard only ever serves loopback, so the UI is local and may have a host shell.
    hostTerminal: true,
    shell: 'dashboard',
  });
  let server;
  try {
    server = await startDashboardServer({ backend, rendererDir: RENDERER_DIR, port, ...(values.host !== undefined ? { host: values.host } : {}) });
  } catch (error) {
    await backend.dispose();
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${port} is in use: pick another with --port, or --port 0 for any free one`);
    throw error;
  }
  process.stdout.write(`${server.url}\n`);
  say(`Berth dashboard: open the URL above in a browser on this machine (it carries this launch's secret).`);
  if (!supervisor) {
    const status = await backend.calls.engineStatus();
    say(`Engine: ${status.endpoint} (${status.state}${status.message ? `: ${status.message}` : ''})`);
  }

  // Started after the URL is out: the page shows "starting" meanwhile rather than nothing.
  const engineStart = supervisor?.start().then(
    () => say(supervisor.startedByUs ? `Started Berth's engine on ${supervisor.endpoint}${supervisor instanceof EngineSupervisor ? `; log: ${supervisor.logFile}` : ''}` : `Berth's engine already answers on ${supervisor.endpoint}`),
    (error: unknown) => say(`Could not start Berth's engine: ${error instanceof Error ? error.message : String(error)}`),
  );

  await stopRequested;
  await server.close();
  await backend.dispose();
  // Only an engine this process started is stopped: one that was already running stays up. A
  // start still in progress is let finish first, so that its engine is not left behind.
  await engineStart;
  if (supervisor?.startedByUs) {
    say(`Stopping the engine this dashboard started`);
    await supervisor.stop();
  }
  return 0;
}
