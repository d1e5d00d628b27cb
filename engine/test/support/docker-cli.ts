// Runs the real docker CLI against a berthd under test: compatibility is judged by the client
// people actually use, not by our own HTTP calls.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI the project installs (scripts/setup/docker-cli.mjs: Debian's, without its daemon),
 * never whichever docker happens to be on this machine. */
export const DOCKER_BIN = process.env.BERTH_TEST_DOCKER_BIN ?? fileURLToPath(new URL('../../../.berth/bin/docker', import.meta.url));

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DockerOptions {
  /** DOCKER_HOST and DOCKER_CONFIG of the engine (EngineHandle.dockerEnv); required. */
  env: { DOCKER_HOST: string; DOCKER_CONFIG?: string } & Record<string, string>;
  /** Written to the CLI's stdin, which is then closed. */
  input?: string | Buffer;
  cwd?: string;
  /** Another docker binary than DOCKER_BIN (an installed package's, say). */
  bin?: string;
  /** Kills the CLI and rejects after this long; default 60 s. */
  timeoutMs?: number;
}

let sharedConfigDir: string | undefined;

/** A private, empty DOCKER_CONFIG so the host's ~/.docker (contexts, creds, proxies) never leaks in. */
function defaultConfigDir(): string {
  if (!sharedConfigDir) {
    // Under the run's own directory (global setup removes it at the end): test workers are
    // stopped without an 'exit' event, so a per-process clean-up would leak one dir per file.
    const parent = process.env.BERTH_TEST_TMP ?? tmpdir();
    sharedConfigDir = mkdtempSync(join(parent, 'berth-docker-config-'));
    const dir = sharedConfigDir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return sharedConfigDir;
}

export function docker(args: string[], opts: DockerOptions): Promise<DockerResult> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    DOCKER_CONFIG: defaultConfigDir(),
    DOCKER_CLI_HINTS: 'false',
    ...opts.env,
  };
  // Anything that would point the CLI somewhere else than opts.env.DOCKER_HOST.
  for (const k of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_TLS']) delete env[k];
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(opts.bin ?? DOCKER_BIN, args, { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `docker ${args.join(' ')} timed out after ${timeoutMs} ms\nstdout: ${Buffer.concat(out).toString()}\nstderr: ${Buffer.concat(err).toString()}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      });
    });
    child.stdin.on('error', () => {}); // The CLI may exit before reading stdin.
    child.stdin.end(opts.input ?? '');
  });
}
