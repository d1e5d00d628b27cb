// The host terminal: the user's own shell in a pseudo-terminal (node-pty), with DOCKER_HOST (or
// DOCKER_CONTEXT, for an engine that is a docker context: engines/cli-env.ts) pointing at the
// engine the UI shows, so `docker ps` there lists the same containers.
import { homedir } from 'node:os';
import { basename } from 'node:path';
import { spawn, type IPty } from '@lydell/node-pty';
import type { TerminalInput, TerminalOutput, TerminalSize } from '../common/desktop-api.ts';
import { badRequest } from './backend-error.ts';
import type { StreamSession, StreamSink } from './desktop-backend.ts';
import { applyEnv } from './engines/cli-env.ts';
import { isExecutable } from './executables.ts';

/** Output is gathered this long before it is sent: a `cat` of a big file becomes a few messages, not thousands. */
const BATCH_MS = 5;
const MAX_DIMENSION = 1000;
/** Shells that understand -l (start as a login shell: the user's profile, PATH and all). */
const LOGIN_SHELLS = new Set(['bash', 'zsh', 'sh', 'dash', 'ksh', 'mksh', 'fish']);

function validSize(size: TerminalSize): boolean {
  return [size.cols, size.rows].every((n) => Number.isInteger(n) && n >= 1 && n <= MAX_DIMENSION);
}

function runnableAbsolute(path: string | undefined): path is string {
  return path !== undefined && path.startsWith('/') && isExecutable(path);
}

/** $SHELL, else /bin/bash, else /bin/sh: the first that exists and may be run. */
export function pickHostShell(env: NodeJS.ProcessEnv = process.env): string {
  return [env.SHELL, '/bin/bash', '/bin/sh'].find(runnableAbsolute) ?? '/bin/sh';
}

/** `dockerCli`: the variables that point the CLI at the engine (undefined removes one). */
export function openHostTerminal(options: { size: TerminalSize; dockerCli: Record<string, string | undefined> }, sink: StreamSink<TerminalOutput>): StreamSession<TerminalInput> {
  if (!validSize(options.size)) throw badRequest(`terminal size must be whole numbers of columns and rows from 1 to ${MAX_DIMENSION}`);
  const shell = pickHostShell();
  const home = process.env.HOME || homedir();
  const pty: IPty = spawn(shell, LOGIN_SHELLS.has(basename(shell)) ? ['-l'] : [], {
    name: 'xterm-256color',
    cols: options.size.cols,
    rows: options.size.rows,
    cwd: home,
    env: applyEnv({ ...process.env, TERM: 'xterm-256color' }, options.dockerCli) as Record<string, string>,
  });

  let closed = false;
  let pending = '';
  let flushTimer: NodeJS.Timeout | undefined;
  let paused = false;

  const flush = () => {
    flushTimer = undefined;
    if (closed || pending === '') return;
    const data = pending;
    pending = '';
    // The transport is congested: stop reading the pty (the kernel then blocks the shell's
    // writes) until it drains, rather than buffer without bound.
    if (!sink.next({ data }) && !paused) {
      paused = true;
      pty.pause();
      sink.onDrain(() => {
        paused = false;
        if (!closed) pty.resume();
      });
    }
  };

  const dataSubscription = pty.onData((chunk) => {
    pending += chunk;
    flushTimer ??= setTimeout(flush, BATCH_MS);
  });
  const exitSubscription = pty.onExit(({ exitCode, signal }) => {
    if (flushTimer) clearTimeout(flushTimer);
    flush();
    if (closed) return;
    closed = true;
    // Killed by a signal: report it the way shells do (128 + signal number).
    sink.next({ exit: signal ? 128 + signal : exitCode });
    sink.complete();
  });

  return {
    input(input) {
      if (closed || typeof input !== 'object' || input === null) return;
      if ('data' in input && typeof input.data === 'string') {
        pty.write(input.data);
      } else if ('resize' in input && typeof input.resize === 'object' && input.resize !== null && validSize(input.resize)) {
        pty.resize(input.resize.cols, input.resize.rows);
      }
      // Anything else is dropped: a stray message must not end the user's shell.
    },
    close() {
      if (closed) return;
      closed = true;
      if (flushTimer) clearTimeout(flushTimer);
      dataSubscription.dispose();
      exitSubscription.dispose();
      try {
        pty.kill(); // SIGHUP, as when a terminal window closes
      } catch {
        // already gone
      }
    },
  };
}
