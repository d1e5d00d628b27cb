// The docker CLI Berth ships (scripts/setup/docker-cli.mjs puts Debian's under .berth/bin), run
// against the engine the backend is using. Stack deploy and rm are the CLI's own features (compose
// file → services, networks, secrets); Berth drives the CLI rather than reimplementing them.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BackendError } from '../backend-error.ts';
import type { DialOptions, EndpointTarget } from '../engine-connection.ts';
import { cliEngineEnv } from '../remote/cli-engine-env.ts';

const BUNDLED = fileURLToPath(new URL('../../../../.berth/bin/docker', import.meta.url));

/** $BERTH_DOCKER_CLI, else the project's own CLI, else `docker` on PATH. */
export function dockerCliPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BERTH_DOCKER_CLI) return env.BERTH_DOCKER_CLI;
  return existsSync(BUNDLED) ? BUNDLED : 'docker';
}

export interface CliLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface CliRun {
  /** Resolves with the exit code; rejects only when the CLI could not be started. */
  done: Promise<number>;
  /** Everything the CLI wrote to stderr (its error text on failure). */
  stderr(): string;
  kill(): void;
}

/** Runs `docker args…` against `engine` (EngineTarget.connection: its URL, and its TLS files or
 * ssh options, see cli-engine-env.ts); each complete output line goes to onLine as it comes. */
export function runDockerCli(engine: { target: EndpointTarget; dial: DialOptions }, args: string[], onLine: (line: CliLine) => void, options: { cwd?: string } = {}): CliRun {
  const engineEnv = cliEngineEnv(engine);
  let child;
  try {
    child = spawn(dockerCliPath(), args, { env: engineEnv.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    engineEnv.dispose();
    throw error;
  }
  let errText = '';
  const splitter = (stream: 'stdout' | 'stderr') => {
    let rest = '';
    return {
      push(chunk: Buffer) {
        const text = rest + chunk.toString('utf8');
        if (stream === 'stderr') errText += chunk.toString('utf8');
        const lines = text.split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) onLine({ stream, text: line });
      },
      end() {
        if (rest) onLine({ stream, text: rest });
        rest = '';
      },
    };
  };
  const out = splitter('stdout');
  const err = splitter('stderr');
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const done = new Promise<number>((resolve, reject) => {
    child.once('error', (e) => {
      engineEnv.dispose();
      reject(new BackendError(500, `could not run the docker CLI (${dockerCliPath()}): ${e.message}`));
    });
    child.once('close', (code, signal) => {
      engineEnv.dispose();
      out.end();
      err.end();
      resolve(code ?? (signal ? 128 : 1));
    });
  });
  return {
    done,
    stderr: () => errText,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/** The CLI's error text as a user should read it: its stderr, trimmed; a generic line if silent. */
export function cliFailure(args: string[], code: number, stderr: string): BackendError {
  const text = stderr.trim() || `docker ${args.join(' ')} exited with code ${code}`;
  return new BackendError(500, text);
}
