// `terminal` stream. For a container: an exec with a TTY (Docker API "Exec": create, start
// hijacked, resize, inspect for ExitCode), as `docker exec -it` does. For the host: node-pty via
// host-terminal.ts, offered only to a local UI.
import type { Duplex } from 'node:stream';
import type { TerminalInput, TerminalOutput, TerminalSize } from '../../common/desktop-api.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError } from '../backend-error.ts';
import type { StreamSession, StreamSink } from '../desktop-backend.ts';
import { engineHijack, engineJson } from '../engine-request.ts';
import { dockerCliEnv } from '../engines/cli-env.ts';
import { checkTerminalSize, checkTerminalTarget, parseTerminalInput } from './terminal-args.ts';

const DEFAULT_SHELLS = [['/bin/bash'], ['/bin/sh']];

interface StartedExec { execId: string; socket: Duplex }

async function startShell(context: BackendContext, containerId: string, cmd: string[], size: TerminalSize): Promise<StartedExec> {
  const docker = context.target.docker;
  const created = await engineJson<{ Id: string }>(docker, {
    method: 'POST',
    path: `/containers/${encodeURIComponent(containerId)}/exec`,
    body: {
      Cmd: cmd, Tty: true, AttachStdin: true, AttachStdout: true, AttachStderr: true,
      Env: ['TERM=xterm-256color'], ConsoleSize: [size.rows, size.cols],
    },
  });
  const socket = await engineHijack(docker, {
    method: 'POST', path: `/exec/${created.Id}/start`, body: { Detach: false, Tty: true, ConsoleSize: [size.rows, size.cols] },
  });
  return { execId: created.Id, socket };
}

function resize(context: BackendContext, execId: string, size: TerminalSize): Promise<void> {
  return engineJson<void>(context.target.docker, { method: 'POST', path: `/exec/${execId}/resize`, query: { h: size.rows, w: size.cols } })
    .catch(() => {}); // the process may have just exited; nothing to resize then
}

async function exitCodeOf(context: BackendContext, execId: string): Promise<number | null> {
  // The engine may set ExitCode a moment after the stream ends: look a few times.
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const info = await engineJson<{ Running?: boolean; ExitCode?: number | null }>(context.target.docker, { method: 'GET', path: `/exec/${execId}/json` });
      if (!info.Running && typeof info.ExitCode === 'number') return info.ExitCode;
    } catch {
      return null;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

/** Starts the first shell that exists: a missing one fails at start or exits 126/127 at once, silently. */
async function startFirstShell(context: BackendContext, containerId: string, candidates: string[][], size: TerminalSize): Promise<StartedExec & { firstOutput: Buffer[]; ended: boolean }> {
  let lastError: unknown;
  for (let i = 0; i < candidates.length; i++) {
    const isLast = i === candidates.length - 1;
    let started: StartedExec;
    try {
      started = await startShell(context, containerId, candidates[i], size);
    } catch (error) {
      lastError = error;
      if (!isLast && /not found|no such file|executable/i.test(String((error as Error).message))) continue;
      throw error;
    }
    if (isLast) return { ...started, firstOutput: [], ended: false };
    // Wait for the first output (a prompt) or the end: an end with nothing said and 126/127 means "no such shell".
    const outcome = await new Promise<{ ended: boolean; data: Buffer[] }>((resolve) => {
      const data: Buffer[] = [];
      const onData = (chunk: Buffer) => { data.push(chunk); done(false); };
      const onEnd = () => done(true);
      // A shell that says nothing for a while is running, just quiet.
      const quiet = setTimeout(() => done(false), 1500);
      const done = (ended: boolean) => {
        clearTimeout(quiet);
        started.socket.off('data', onData);
        started.socket.off('end', onEnd);
        started.socket.off('close', onEnd);
        if (!ended) started.socket.pause();
        resolve({ ended, data });
      };
      started.socket.on('data', onData);
      started.socket.once('end', onEnd);
      started.socket.once('close', onEnd);
    });
    // berthd and dockerd report a shell that cannot start inside the stream (a system error
    // text, exit 126/127); a real shell is still running after its first output.
    const info = await engineJson<{ Running?: boolean; ExitCode?: number | null }>(context.target.docker, { method: 'GET', path: `/exec/${started.execId}/json` })
      .catch(() => ({ Running: false, ExitCode: null }));
    const said = Buffer.concat(outcome.data).toString('utf8');
    if (!info.Running && (info.ExitCode === 126 || info.ExitCode === 127 || /not found|no such file|executable/i.test(said))) {
      started.socket.destroy();
      continue;
    }
    return { ...started, firstOutput: outcome.data, ended: outcome.ended };
  }
  throw lastError ?? new BackendError(500, 'no shell could be started in the container');
}

async function openContainerTerminal(context: BackendContext, containerId: string, shell: string[] | undefined, size: TerminalSize, sink: StreamSink<TerminalOutput>): Promise<StreamSession<TerminalInput>> {
  const started = await startFirstShell(context, containerId, shell ? [shell] : DEFAULT_SHELLS, size);
  const { execId, socket } = started;
  const decoder = new TextDecoder('utf-8');
  let finished = false;
  const send = (bytes: Buffer) => {
    const text = decoder.decode(bytes, { stream: true });
    if (text && !sink.next({ data: text })) {
      socket.pause();
      sink.onDrain(() => socket.resume());
    }
  };
  const finish = async () => {
    if (finished) return;
    finished = true;
    const rest = decoder.decode();
    if (rest) sink.next({ data: rest });
    sink.next({ exit: await exitCodeOf(context, execId) });
    sink.complete();
  };
  for (const chunk of started.firstOutput) send(chunk);
  if (started.ended) void finish();
  socket.on('data', send);
  socket.once('end', () => void finish());
  socket.once('close', () => void finish());
  socket.on('error', () => void finish());
  socket.resume();
  void resize(context, execId, size);
  return {
    input(raw) {
      const input = parseTerminalInput(raw);
      if (!input || finished) return;
      if ('data' in input) socket.write(input.data);
      else void resize(context, execId, input.resize);
    },
    close() {
      finished = true;
      socket.end();
      socket.destroy();
    },
  };
}

export async function openTerminalStream(context: BackendContext, args: unknown[], sink: StreamSink<TerminalOutput>): Promise<StreamSession<TerminalInput>> {
  const target = checkTerminalTarget(args[0]);
  const size = checkTerminalSize(args[1]);
  if (target.kind === 'host') {
    if (!context.hostTerminal) throw new BackendError(403, 'the host terminal is only offered to a local UI');
    // Loaded on first use: node-pty is a native module that a remote UI never needs.
    const { openHostTerminal } = await import('../host-terminal.ts');
    return openHostTerminal({ size, dockerCli: dockerCliEnv(context.target, context.dockerEnv) }, sink);
  }
  return openContainerTerminal(context, target.id, target.shell, size, sink);
}
