// Starts one conmon (2.1.x) and speaks its pipe protocol (conmon src/parent_pipe_fd.c, conmon.c):
//   _OCI_SYNCPIPE   conmon → us, JSON lines `{"data": N[, "message": "…"]}` (with --api-version 1):
//                   first the container/exec pid (or a negative number and runc's stderr on
//                   failure), and for exec a second line with the exit status.
//   _OCI_STARTPIPE  us → conmon: conmon blocks on one read at startup; with --exec-attach the child
//                   that execs `runc exec` blocks on a second read, so we can attach first.
//   _OCI_ATTACHPIPE conmon → us, `{"data": 0}` once the attach socket listens (--exec-attach only).
// conmon double-forks (no --sync) and setsid()s, so the container outlives the engine.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface ConmonLaunch {
  conmonPath: string;
  runcPath: string;
  runcRoot: string;
  /** The runc container id (for exec too: `runc exec … <cid>`). */
  cid: string;
  /** Names conmon's attach symlink under socketDir. */
  cuuid: string;
  /** Where conmon creates `ctl`, `winsz` and the attach socket (and, for create, config.json). */
  bundleDir: string;
  /** conmon's working directory: it also drops an `oom` file there. */
  cwd: string;
  containerPidFile: string;
  conmonPidFile?: string;
  persistDir?: string;
  exitDir?: string;
  socketDir: string;
  /** k8s-file log; undefined = no log (exec sessions: Docker keeps exec output out of the log). */
  logPath?: string;
  tty: boolean;
  stdin: boolean;
  /** Without it conmon closes the process's stdin when an attach client goes away (StdinOnce). */
  leaveStdinOpen: boolean;
  exec?: { processSpecPath: string };
}

export interface SyncMessage {
  data: number;
  message?: string;
}

export function conmonArgs(o: ConmonLaunch): string[] {
  const args = [
    '--api-version', '1',
    '-c', o.cid,
    '-u', o.cuuid,
    '-r', o.runcPath,
    '-b', o.bundleDir,
    '-p', o.containerPidFile,
    '--socket-dir-path', o.socketDir,
    '--runtime-arg', '--root',
    '--runtime-arg', o.runcRoot,
    '-l', o.logPath ? `k8s-file:${o.logPath}` : 'none',
    '--log-level', 'error',
    // conmon fsyncs the log at exit by default; Docker doesn't, and it costs every short run.
    '--no-sync-log',
  ];
  if (o.conmonPidFile) args.push('-P', o.conmonPidFile);
  if (o.persistDir) args.push('--persist-dir', o.persistDir);
  if (o.exitDir) args.push('--exit-dir', o.exitDir);
  if (o.tty) args.push('-t');
  if (o.stdin) args.push('-i');
  if (o.stdin && o.leaveStdinOpen) args.push('--leave-stdin-open');
  if (o.exec) args.push('--exec', '--exec-attach', '--exec-process-spec', o.exec.processSpecPath);
  return args;
}

/** Reads newline-delimited JSON messages from one of conmon's pipes, in order. */
class MessageQueue {
  private buffered = '';
  private readonly messages: SyncMessage[] = [];
  private readonly waiters: { resolve: (m: SyncMessage) => void; reject: (e: Error) => void }[] = [];
  private ended: Error | undefined;

  constructor(stream: Readable, onEnd: () => Error) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      this.buffered += chunk;
      let newline: number;
      while ((newline = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, newline).trim();
        this.buffered = this.buffered.slice(newline + 1);
        if (line) this.push(JSON.parse(line) as SyncMessage);
      }
    });
    const finish = () => {
      if (this.ended) return;
      this.ended = onEnd();
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.ended);
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  }

  private push(message: SyncMessage): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(message);
    else this.messages.push(message);
  }

  next(): Promise<SyncMessage> {
    const message = this.messages.shift();
    if (message) return Promise.resolve(message);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}

/** One launched conmon. Node's extra stdio "pipes" are socketpairs; conmon only read()s and
 * write()s them, which works the same. */
export class ConmonProcess {
  private readonly sync: MessageQueue;
  private readonly attachReady: MessageQueue | undefined;
  private readonly start: Writable | undefined;
  private readonly streams: (Readable | Writable)[];
  private stderr = '';

  constructor(launch: ConmonLaunch) {
    const exec = launch.exec !== undefined;
    // fd 3 sync, fd 4 start, fd 5 attach (exec only). Container create skips the start pipe: it
    // would only let us move conmon into a cgroup first, and costs a round trip.
    const stdio: ('ignore' | 'pipe')[] = ['ignore', 'ignore', 'pipe', 'pipe'];
    const env: NodeJS.ProcessEnv = { ...process.env, _OCI_SYNCPIPE: '3' };
    if (exec) {
      stdio.push('pipe', 'pipe');
      env._OCI_STARTPIPE = '4';
      env._OCI_ATTACHPIPE = '5';
    }
    const child = spawn(launch.conmonPath, conmonArgs(launch), { cwd: launch.cwd, env, stdio, detached: true });
    child.unref();
    // spawn failures (ENOENT…) surface as the sync pipe closing without a message.
    child.on('error', (error) => {
      this.stderr += error.message;
    });
    // The stdio tuple type only knows fds 0-4; fd 5 exists because `stdio` listed it.
    const fds = child.stdio as unknown as (Readable & Writable)[];
    const stderr = fds[2] as Readable;
    stderr.setEncoding('utf8');
    stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    const syncStream = fds[3] as Readable;
    const closed = (what: string) => () => new Error(`conmon ${what} closed without a message${this.stderr ? `: ${this.stderr.trim()}` : ''}`);
    this.sync = new MessageQueue(syncStream, closed('sync pipe'));
    this.streams = [stderr, syncStream];
    if (exec) {
      this.start = fds[4] as Writable;
      const attachStream = fds[5] as Readable;
      this.attachReady = new MessageQueue(attachStream, closed('attach pipe'));
      this.streams.push(this.start, attachStream);
      // Unblocks conmon's first read; the second one (in the runc exec child) waits for us.
      this.start.write('0');
    }
  }

  /** Next message from the sync pipe: the pid first, then (exec) the exit status. */
  nextSync(): Promise<SyncMessage> {
    return this.sync.next();
  }

  /** Resolves when the exec attach socket is listening (--exec-attach). */
  async waitAttachSocket(): Promise<void> {
    if (!this.attachReady) return;
    const message = await this.attachReady.next();
    if (message.data < 0) throw new Error(message.message ?? 'conmon failed to set up the attach socket');
  }

  /** Lets the exec'd process start (second read of the start pipe). */
  releaseStart(): void {
    this.start?.write('1');
  }

  /** Drops our ends of the pipes so a long-lived conmon never holds the engine's event loop. */
  close(): void {
    for (const stream of this.streams) stream.destroy();
  }
}
