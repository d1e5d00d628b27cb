// Runs Debian's docker-registry (distribution 2.8) on 127.0.0.1 with throwaway storage, so tests
// pull real images over real HTTP without ever reaching Docker Hub.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export const REGISTRY_BIN = process.env.BERTH_TEST_REGISTRY_BIN ?? '/usr/bin/docker-registry';

export interface LocalRegistry {
  /** http://127.0.0.1:PORT */
  url: string;
  /** 127.0.0.1:PORT — the prefix of image references, and the --insecure-registry value. */
  host: string;
  stop(): Promise<void>;
}

function configYaml(root: string, port: number, htpasswd?: string): string {
  // Indentation is YAML structure; keep it literal. Access logs off: warn-level only, so a test
  // failure's output is not buried under request lines.
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${root}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    ...(htpasswd ? ['auth:', '  htpasswd:', '    realm: berth-test', `    path: ${htpasswd}`] : []),
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '',
  ].join('\n');
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`docker-registry exited (${child.exitCode ?? child.signalCode}): ${stderr()}`);
    }
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      // 401: a registry with auth configured is up and asking for credentials.
      if (res.status === 200 || res.status === 401) {
        // If our registry lost the port race and died, the 200 came from someone else.
        await new Promise((r) => setTimeout(r, 100));
        if (child.exitCode === null && child.signalCode === null) return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer ${url}/v2/ within ${timeoutMs} ms: ${stderr()}`);
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** htpasswd lines for `users` (name → password), bcrypt as the registry requires, made by
 * Debian's apache2-utils `htpasswd -B` (scripts/bootstrap.mjs installs it for tests). */
export function htpasswdFor(users: Record<string, string>): string {
  return Object.entries(users).map(([name, password]) => {
    // -i: the password on stdin, so it is not in any process list.
    const made = spawnSync('htpasswd', ['-B', '-i', '-n', name], { input: password, encoding: 'utf8' });
    if (made.error || made.status !== 0) throw new Error(`htpasswd -B failed for ${name}: ${made.error?.message ?? made.stderr}`);
    return `${made.stdout.trim()}\n`;
  }).join('');
}

/** `htpasswd`: contents of an htpasswd file (bcrypt entries), or `users` (name → password) to
 * make one; either way the registry then requires Basic auth. */
export async function startLocalRegistry(opts: { timeoutMs?: number; htpasswd?: string; users?: Record<string, string> } = {}): Promise<LocalRegistry> {
  if (opts.users) opts = { ...opts, htpasswd: htpasswdFor(opts.users) };
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const configPath = join(dir, 'config.yml');
    if (opts.htpasswd) writeFileSync(join(dir, 'htpasswd'), opts.htpasswd);
    writeFileSync(configPath, configYaml(join(dir, 'storage'), port, opts.htpasswd ? join(dir, 'htpasswd') : undefined));
    // Env REGISTRY_* would override the file (distribution's config precedence); drop any.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
    const child = spawn(REGISTRY_BIN, ['serve', configPath], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    child.on('error', (e) => {
      err += String(e);
    });
    const host = `127.0.0.1:${port}`;
    const url = `http://${host}`;
    try {
      await waitReady(url, child, () => err, opts.timeoutMs ?? 15_000);
    } catch (e) {
      lastError = e;
      await killAndWait(child);
      continue;
    }
    let stopped = false;
    return {
      url,
      host,
      async stop() {
        if (stopped) return;
        stopped = true;
        await killAndWait(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
