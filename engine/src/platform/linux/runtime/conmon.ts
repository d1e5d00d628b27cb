// Starts one conmon (2.1.x) and speaks its pipe protocol (conmon src/parent_pipe_fd.c, conmon.c):
//   _OCI_SYNCPIPE   conmon → us, JSON lines `{"data": N[, "message": "…"]}` (with --api-version 1):
//                   first the container/exec pid (or a negative number and runc's stderr on
//                   failure), and for exec a second line with the exit status.
//   _OCI_STARTPIPE  us → conmon: conmon blocks on one read at startup; with --exec-attach the child
//                   that execs `runc exec` blocks on a second read, so we can attach first.
//   _OCI_ATTACHPIPE conmon → us, `{"data": 0}` once the attach socket listens (--exec-attach only).
// conmon double-forks (no --sync) and setsid()s, so the container outlives the engine.
// The spawn and the pipes live on the exec worker thread (conmon-pipes.ts): forking the engine
// there keeps the event loop serving API requests. This side sees the pipes as messages.
import { openWorkerSession, type WorkerSession } from '../exec-off-thread.ts';
import type { ConmonEvent, ConmonSpawn, ConmonWrite, SyncMessage } from './conmon-pipes.ts';

export type { SyncMessage } from './conmon-pipes.ts';

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

/** The messages of one of conmon's pipes, in order; then the reason it ended. */
class MessageQueue {
  private readonly messages: SyncMessage[] = [];
  private readonly waiters: { resolve: (m: SyncMessage) => void; reject: (e: Error) => void }[] = [];
  private ended: Error | undefined;

  push(message: SyncMessage): void {
    if (this.ended) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(message);
    else this.messages.push(message);
  }

  end(reason: string): void {
    if (this.ended) return;
    this.ended = new Error(reason);
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.ended);
  }

  next(): Promise<SyncMessage> {
    const message = this.messages.shift();
    if (message) return Promise.resolve(message);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}

/** One launched conmon. Until conmon reports the pid (or fails) the session keeps the engine
 * process alive, as any awaited call does; after that the process runs under conmon, and waiting
 * for its exit (an exec session may last hours) must not keep the engine from exiting. */
export class ConmonProcess {
  private readonly sync = new MessageQueue();
  private readonly attachReady: MessageQueue | undefined;
  private readonly session: WorkerSession;

  constructor(launch: ConmonLaunch) {
    const exec = launch.exec !== undefined;
    if (exec) this.attachReady = new MessageQueue();
    const spawn: ConmonSpawn = { file: launch.conmonPath, args: conmonArgs(launch), cwd: launch.cwd, exec };
    this.session = openWorkerSession(spawn, {
      onMessage: (body) => this.onEvent(body as ConmonEvent),
      onLost: (reason) => {
        this.sync.end(reason);
        this.attachReady?.end(reason);
      },
    });
  }

  private onEvent(event: ConmonEvent): void {
    const queue = event.pipe === 'sync' ? this.sync : this.attachReady;
    if ('message' in event) queue?.push(event.message);
    else queue?.end(event.ended);
    // The first sync message is the pid (or the failure); a closed sync pipe ends it all.
    if (event.pipe === 'sync') this.session.hold(false);
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
    const write: ConmonWrite = { start: '1' };
    this.session.post(write);
  }

  /** Drops our ends of the pipes (on the worker) and the session, which let the worker go idle. */
  close(): void {
    this.session.close();
    const reason = 'conmon session closed';
    this.sync.end(reason);
    this.attachReady?.end(reason);
  }
}
