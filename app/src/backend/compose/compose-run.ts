// `compose` stream: runs the Compose CLI (compose-cli.ts) on a project's files against the engine
// the backend talks to now (DOCKER_HOST), and streams what it prints, line by line, in small
// batches. It ends with { exit }; a failed run then ends in an error whose message is the CLI's
// own words (e.g. "The Compose file … is invalid because: …"), never just "exit status 1".
// Closing the stream stops the CLI: SIGTERM to its whole process group (the `docker compose` plugin
// is a child of the docker CLI), SIGKILL if it has not exited after a grace period.
import { spawn } from 'node:child_process';
import type { ComposeCommand, ComposeOutput } from '../../common/desktop-api.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError } from '../backend-error.ts';
import type { DialOptions, EndpointTarget } from '../engine-connection.ts';
import { cliEngineEnv, type CliEngineEnv } from '../remote/cli-engine-env.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';
import type { ComposeCliLocator } from './compose-cli.ts';
import { checkComposeCommand, checkComposeFiles, type CheckedComposeFiles } from './compose-input.ts';
import { rememberProject } from './compose-memory.ts';
import { SinkBatcher } from '../streams/sink-batcher.ts';

const VERB_ARGS: Record<ComposeCommand, string[]> = {
  up: ['up', '-d'],
  down: ['down'],
  pull: ['pull'],
  restart: ['restart'],
};

/** How much of the CLI's error output the failure message carries. */
const MESSAGE_LINES = 20;
/** How long a cancelled CLI gets to stop what it is doing (as after Ctrl+C) before SIGKILL. */
const KILL_GRACE_MS = 10_000;
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function composeArgv(cli: string[], files: CheckedComposeFiles, command: ComposeCommand): string[] {
  return [...cli.slice(1), '--ansi', 'never', '-p', files.project, ...files.files.flatMap((f) => ['-f', f]), ...VERB_ARGS[command]];
}

/** The environment the CLI runs in: the user's, pointed at the current engine (with its TLS files
 * or ssh options: cli-engine-env.ts) and nothing else. dispose() once the CLI has exited. */
export function composeEnv(engine: { target: EndpointTarget; dial: DialOptions }, base: NodeJS.ProcessEnv = process.env): CliEngineEnv {
  const engineEnv = cliEngineEnv(engine, base);
  // Each would point the CLI at other files than what the user chose here.
  for (const key of ['COMPOSE_PROJECT_NAME', 'COMPOSE_FILE', 'COMPOSE_PROFILES']) delete engineEnv.env[key];
  return engineEnv;
}

const ERROR_LINE = /^(error|ERROR|Error)\b/;

/**
 * What a failure message can need of the CLI's stderr, in bounded memory however much it prints
 * (a pull of many images writes thousands of lines): the lines from its first error line on
 * (MESSAGE_LINES of them), and its last MESSAGE_LINES lines.
 */
export class StderrKeeper {
  private readonly fromError: string[] = [];
  private readonly tail: string[] = [];

  push(line: string): void {
    if (line.trim() === '') return;
    if (this.fromError.length > 0 ? this.fromError.length < MESSAGE_LINES : ERROR_LINE.test(line.trimEnd())) this.fromError.push(line);
    this.tail.push(line);
    if (this.tail.length > MESSAGE_LINES) this.tail.shift();
  }

  lines(): string[] {
    return this.fromError.length > 0 ? [...this.fromError] : [...this.tail];
  }
}

/** The CLI's own explanation: from its first "ERROR"/"error" line on, else its last lines. */
export function failureMessage(stderr: readonly string[], command: ComposeCommand, code: number): string {
  const lines = stderr.map((line) => line.trimEnd()).filter((line) => line.length > 0);
  const first = lines.findIndex((line) => ERROR_LINE.test(line));
  const chosen = first >= 0 ? lines.slice(first, first + MESSAGE_LINES) : lines.slice(-MESSAGE_LINES);
  if (chosen.length === 0) return `compose ${command} failed (exit code ${code}) and printed no reason`;
  return chosen.join('\n');
}

export async function openComposeStream(
  context: BackendContext, locator: ComposeCliLocator, args: unknown[], sink: StreamSink<ComposeOutput[]>,
): Promise<StreamSession<never>> {
  const files = checkComposeFiles(args[0]);
  const command = checkComposeCommand(args[1]);
  const cli = await locator.get();
  if (!cli.command) throw new BackendError(503, cli.message ?? 'no Compose CLI was found');

  const engineEnv = composeEnv(context.target.connection);
  let child;
  try {
    // Its own process group, so that cancelling reaches whatever the CLI started (the plugin).
    child = spawn(cli.command[0], composeArgv(cli.command, files, command), {
      cwd: files.workingDir, env: engineEnv.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
  } catch (error) {
    engineEnv.dispose();
    throw error;
  }
  // Whichever comes, the run is over: its TLS files go.
  child.once('error', () => engineEnv.dispose());
  child.once('close', () => engineEnv.dispose());
  let exited = false;
  child.once('exit', () => { exited = true; });
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  let ended = false;
  const stderrLines = new StderrKeeper();
  const batcher = new SinkBatcher<ComposeOutput>(sink, (items) => sink.next(items), () => [child.stdout, child.stderr]);
  for (const stream of ['stdout', 'stderr'] as const) {
    let partial = '';
    child[stream].setEncoding('utf8');
    const emit = (text: string) => {
      const clean = text.replace(ANSI, '');
      if (clean.trim() === '') return;
      if (stream === 'stderr') stderrLines.push(clean);
      batcher.push({ stream, text: clean });
    };
    child[stream].on('data', (chunk: string) => {
      // Progress lines end in \r as well as \n (a TTY-less CLI still redraws "… done" in place).
      const parts = (partial + chunk).split(/\r\n|\r|\n/);
      partial = parts.pop() ?? '';
      parts.forEach(emit);
    });
    child[stream].once('end', () => {
      if (partial) emit(partial);
      partial = '';
    });
  }
  child.once('error', (error) => {
    if (ended) return;
    batcher.flush();
    ended = true;
    batcher.stop();
    sink.error(new BackendError(500, `could not run ${cli.command?.join(' ')}: ${error.message}`));
  });
  child.once('close', (code, signal) => {
    if (ended) return;
    const exit = code ?? (signal ? 128 : 1);
    batcher.push({ exit });
    batcher.flush();
    ended = true;
    batcher.stop();
    if (exit === 0) {
      try {
        rememberProject(context.settingsDir, { project: files.project, workingDir: files.workingDir, files: files.files, lastUsed: Date.now() });
      } catch {
        // Remembering is a convenience: the project itself is up (or down) either way.
      }
      sink.complete();
    } else {
      sink.error(new BackendError(422, failureMessage(stderrLines.lines(), command, exit)));
    }
  });

  return {
    close() {
      if (ended) return;
      ended = true;
      batcher.stop();
      if (exited) return;
      // The CLI stops what it is doing on SIGTERM (as on Ctrl+C); containers it made so far stay,
      // as they would, and show in the project for Start or Delete.
      signalGroup('SIGTERM');
      const kill = setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS);
      kill.unref();
      child.once('exit', () => clearTimeout(kill));
    },
  };
}
