// Starts `berth dashboard` as a real child process, exactly as a user would (`npm run berth --
// dashboard --engine unix://… --port 0`), and reads the URL with its per-launch secret from the
// first line it prints.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DASHBOARD_CLI, REPO_ROOT } from './paths.ts';
import { exited, waitExit } from '../../engine/test/support/child-exit.ts';

export interface DashboardProcess {
  /** The URL as printed: http://127.0.0.1:PORT/?token=SECRET */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  pid: number;
  /** The DOCKER_CONFIG the dashboard sees (its own, empty at start: the docker contexts it lists and writes). */
  dockerConfig: string;
  /** Everything the dashboard wrote to stdout and stderr so far (for failure reports). */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s. Idempotent. */
  stop(): Promise<void>;
}

/** `engineUrl` undefined: no --engine (e.g. `--vm --home DIR` in extraArgs); `settings`: a settings.json written into its settings dir first; `env`: added to its environment (DOCKER_CONFIG, PATH…). */
export async function startDashboard(
  engineUrl: string | undefined,
  opts: { timeoutMs?: number; extraArgs?: string[]; settings?: Record<string, unknown>; env?: Record<string, string> } = {},
): Promise<DashboardProcess> {
  if (!existsSync(DASHBOARD_CLI)) throw new Error(`the dashboard CLI ${DASHBOARD_CLI} does not exist (yet)`);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  // Its own settings dir: a test that switches endpoints must not change the user's choice.
  const settingsDir = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-dashboard-settings-'));
  if (opts.settings) writeFileSync(join(settingsDir, 'settings.json'), JSON.stringify(opts.settings));
  // Its own docker CLI config too: the contexts it lists are the test's, and an engine added as a
  // docker context never lands in the user's ~/.docker.
  const dockerConfig = opts.env?.DOCKER_CONFIG ?? join(settingsDir, 'docker-config');
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning', DASHBOARD_CLI, 'dashboard',
      ...(engineUrl === undefined ? [] : ['--engine', engineUrl]), '--port', '0', '--settings-dir', settingsDir, ...(opts.extraArgs ?? []),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BROWSER: 'none', DOCKER_CONFIG: dockerConfig, ...opts.env } },
  );
  let output = '';
  child.stderr.on('data', (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  });
  const lines = createInterface({ input: child.stdout });
  const firstLine = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`berth dashboard printed no URL within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`berth dashboard exited (${code ?? signal}) before printing its URL:\n${output}`));
    });
    child.once('error', reject);
  });
  lines.on('line', (line) => {
    output = (output + line + '\n').slice(-20_000);
  });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (!exited(child)) {
        child.kill('SIGTERM');
        if (!(await waitExit(child, 5_000))) {
          child.kill('SIGKILL');
          await waitExit(child, 5_000);
        }
      }
      rmSync(settingsDir, { recursive: true, force: true });
    })());
  let url: URL;
  try {
    url = new URL(await firstLine);
  } catch (e) {
    await stop();
    throw e;
  }
  const token = url.searchParams.get('token');
  if (!token || url.hostname !== '127.0.0.1') {
    await stop();
    throw new Error(`berth dashboard's first line should be http://127.0.0.1:PORT/?token=SECRET, got ${url.href}`);
  }
  return { url: url.href, origin: url.origin, token, pid: child.pid ?? -1, dockerConfig, output: () => output, stop };
}
