// The worker thread's half of a conmon session (conmon.ts has the protocol and the main thread's
// half): spawns conmon with its pipes, splits what conmon writes to them into JSON-line messages
// and relays those, and writes the start pipe when told. Lives in the exec worker
// (exec-worker.ts) so the fork of the engine blocks that thread, not the event loop.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { errorMessage } from '../../../core/errors.ts';

export interface SyncMessage {
  data: number;
  message?: string;
}

export interface ConmonSpawn {
  file: string;
  args: string[];
  cwd: string;
  /** Exec sessions also get the start pipe (fd 4) and the attach-ready pipe (fd 5). */
  exec: boolean;
}

/** Main → worker after the spawn: bytes for the start pipe. */
export interface ConmonWrite {
  start: string;
}

export type ConmonPipe = 'sync' | 'attach';
/** Worker → main: one message of a pipe, or the pipe's end (with conmon's stderr so far). */
export type ConmonEvent = { pipe: ConmonPipe; message: SyncMessage } | { pipe: ConmonPipe; ended: string };

/** What a session reports when its conmon could not be started at all: both of its pipes end. */
export function spawnFailed(error: unknown, exec: boolean): ConmonEvent[] {
  const ended = `conmon could not be started: ${errorMessage(error)}`;
  return exec ? [{ pipe: 'sync', ended }, { pipe: 'attach', ended }] : [{ pipe: 'sync', ended }];
}

/** Emits each newline-terminated JSON message of a stream, then one `ended` when it closes. */
function relayLines(stream: Readable, pipe: ConmonPipe, send: (e: ConmonEvent) => void, endText: () => string): void {
  let buffered = '';
  let done = false;
  const finish = (text: string) => {
    if (done) return;
    done = true;
    send({ pipe, ended: text });
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while (!done && (newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (!line) continue;
      let message: SyncMessage;
      try {
        message = JSON.parse(line) as SyncMessage;
      } catch {
        finish(`conmon sent a malformed ${pipe} message: ${line}`);
        return;
      }
      send({ pipe, message });
    }
  });
  const closed = () => finish(endText());
  stream.on('end', closed);
  stream.on('close', closed);
  stream.on('error', closed);
}

/** One launched conmon. Node's extra stdio "pipes" are socketpairs; conmon only read()s and
 * write()s them, which works the same. */
export class ConmonPipes {
  private readonly start: Writable | undefined;
  private readonly streams: (Readable | Writable)[];
  private stderr = '';

  constructor(launch: ConmonSpawn, send: (e: ConmonEvent) => void) {
    // fd 3 sync, fd 4 start, fd 5 attach (exec only). Container create skips the start pipe: it
    // would only let us move conmon into a cgroup first, and costs a round trip.
    const stdio: ('ignore' | 'pipe')[] = ['ignore', 'ignore', 'pipe', 'pipe'];
    const env: NodeJS.ProcessEnv = { ...process.env, _OCI_SYNCPIPE: '3' };
    if (launch.exec) {
      stdio.push('pipe', 'pipe');
      env._OCI_STARTPIPE = '4';
      env._OCI_ATTACHPIPE = '5';
    }
    // detached: conmon gets its own session and outlives us (it double-forks and setsid()s too).
    const child = spawn(launch.file, launch.args, { cwd: launch.cwd, env, stdio, detached: true });
    child.unref();
    // spawn failures (ENOENT…) surface as the sync pipe closing without a message.
    child.on('error', (error) => {
      this.stderr += error.message;
    });
    // The stdio tuple type only knows fds 0-4; fd 5 exists because `stdio` listed it.
    const fds = child.stdio as unknown as (Readable & Writable)[] | null;
    if (!fds) {
      // EMFILE/ENFILE: spawn() gave up before creating any pipe; its 'error' follows.
      this.start = undefined;
      this.streams = [];
      child.once('error', (error) => {
        for (const event of spawnFailed(error, launch.exec)) send(event);
      });
      return;
    }
    const stderr = fds[2] as Readable;
    stderr.setEncoding('utf8');
    stderr.on('error', () => {});
    stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    const closed = (what: string) => () => `conmon ${what} closed without a message${this.stderr ? `: ${this.stderr.trim()}` : ''}`;
    const syncStream = fds[3] as Readable;
    relayLines(syncStream, 'sync', send, closed('sync pipe'));
    this.streams = [stderr, syncStream];
    if (launch.exec) {
      this.start = fds[4] as Writable;
      // conmon gone before reading it (EPIPE, ECONNRESET, or no pipe after a failed spawn): the
      // sync pipe's end reports it; an unhandled 'error' here would kill the whole worker.
      this.start.on('error', () => {});
      const attachStream = fds[5] as Readable;
      relayLines(attachStream, 'attach', send, closed('attach pipe'));
      this.streams.push(this.start, attachStream);
      // Unblocks conmon's first read; the second one (in the runc exec child) waits for us.
      this.start.write('0');
    }
  }

  write(command: ConmonWrite): void {
    this.start?.write(command.start);
  }

  /** Drops our ends of the pipes; conmon and its process go on without us. */
  close(): void {
    for (const stream of this.streams) stream.destroy();
  }
}
