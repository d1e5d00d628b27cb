// Process spawns on the container start/stop path, run from one worker thread: execFile for the
// short commands (runc, mount, umount) and the long-lived conmon sessions (runtime/conmon.ts).
// Node's spawn forks the whole engine process on the calling thread: ~7 spawns per start/stop
// (conmon's the costliest) kept the event loop (API requests) blocked for tens of ms per container
// under churn. One worker for both, not two: forks of one process serialize on its memory map
// lock in the kernel anyway, and a second thread would only add its heap. The worker starts on
// first use and exits after a quiet spell (no call in flight and no session open), so an idle
// engine pays nothing for it.
import { SHARE_ENV, Worker } from 'node:worker_threads';

export interface ExecRequest {
  id: number;
  file: string;
  args: string[];
  cwd?: string;
  maxBuffer: number;
}

export interface ExecReply {
  id: number;
  error: { message: string; code: number | string | null; signal: string | null } | null;
  stdout: string;
  stderr: string;
}

/** What travels between the threads: an execFile call, or a message of one open session. */
export type ToWorker = ({ type: 'exec' } & ExecRequest) | { type: 'session'; sid: number; body: unknown } | { type: 'close'; sid: number };
export type FromWorker = ({ type: 'exec' } & ExecReply) | { type: 'session'; sid: number; body: unknown };

export interface ExecResult {
  /** Set when the command could not run or exited non-zero (execFile's error, as an Error). */
  error: (Error & { code?: number | string | null; signal?: string | null }) | null;
  stdout: string;
  stderr: string;
}

/** The main thread's end of a session: a conversation with the worker that lasts until close. */
export interface WorkerSession {
  post(body: unknown): void;
  /** While held, the session keeps the process alive (someone awaits an answer from it). */
  hold(held: boolean): void;
  /** Ends the session: nothing more is delivered, and the worker drops its side. */
  close(): void;
}

export interface SessionHandler {
  onMessage(body: unknown): void;
  /** The worker died with the session open: nothing more will come. */
  onLost(reason: string): void;
}

let idleExitMs = 10_000;
// The sources run as .ts (tests), the built engine as .js: the worker is the sibling of this file.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './exec-worker.ts' : './exec-worker.js', import.meta.url);

type Waiter = (reply: ExecReply) => void;
interface OpenSession {
  handler: SessionHandler;
  held: boolean;
}
interface OwnWorker {
  thread: Worker;
  pending: Map<number, Waiter>;
  sessions: Map<number, OpenSession>;
}

// Each worker owns the calls and sessions sent to it: a worker stopped for idleness is still
// exiting when the next call starts a new one, and its exit must not fail the new worker's calls.
let worker: OwnWorker | undefined;
let nextId = 1;
let idleTimer: NodeJS.Timeout | undefined;

function failAll(own: OwnWorker, message: string): void {
  for (const [id, done] of own.pending) done({ id, error: { message, code: null, signal: null }, stdout: '', stderr: '' });
  own.pending.clear();
  for (const session of own.sessions.values()) session.handler.onLost(message);
  own.sessions.clear();
}

function ensureWorker(): OwnWorker {
  if (worker) return worker;
  // No inherited CLI flags (some, like --input-type, are refused in a worker); a small young
  // generation, as the engine's own, since the worker only shuttles short strings. SHARE_ENV: the
  // children get the engine's environment as it is now, as with a spawn from the main thread.
  const thread = new Worker(WORKER_URL, { execArgv: [], env: SHARE_ENV, resourceLimits: { maxYoungGenerationSizeMb: 1 } });
  const own: OwnWorker = { thread, pending: new Map(), sessions: new Map() };
  thread.on('message', (reply: FromWorker) => {
    if (reply.type === 'session') {
      own.sessions.get(reply.sid)?.handler.onMessage(reply.body);
      return;
    }
    const done = own.pending.get(reply.id);
    own.pending.delete(reply.id);
    done?.(reply);
    if (worker === own) settle(own);
  });
  thread.on('error', (e: Error) => {
    if (worker === own) worker = undefined;
    failAll(own, `exec worker failed: ${e.message}`);
  });
  thread.on('exit', () => {
    if (worker === own) worker = undefined;
    failAll(own, 'exec worker exited');
  });
  worker = own;
  return own;
}

/** Refs the worker while anyone awaits it; arms the idle stop once nothing is in flight or open. */
function settle(own: OwnWorker): void {
  const held = own.pending.size > 0 || [...own.sessions.values()].some((s) => s.held);
  if (held) own.thread.ref();
  else own.thread.unref();
  clearTimeout(idleTimer);
  if (own.pending.size > 0 || own.sessions.size > 0) return;
  idleTimer = setTimeout(() => {
    if (worker === own && own.pending.size === 0 && own.sessions.size === 0) {
      worker = undefined;
      void own.thread.terminate();
    }
  }, idleExitMs);
  idleTimer.unref();
}

/** How long an idle worker lives (tests shorten it to reach the stop-while-called case). */
export function setExecWorkerIdleExit(ms: number): void {
  idleExitMs = ms;
}

export function execOffThread(file: string, args: string[], opts: { cwd?: string; maxBuffer?: number } = {}): Promise<ExecResult> {
  const w = ensureWorker();
  const id = nextId++;
  return new Promise((resolve) => {
    w.pending.set(id, (reply) => {
      const error = reply.error ? Object.assign(new Error(reply.error.message), { code: reply.error.code, signal: reply.error.signal }) : null;
      resolve({ error, stdout: reply.stdout, stderr: reply.stderr });
    });
    settle(w);
    const req: ToWorker = { type: 'exec', id, file, args, cwd: opts.cwd, maxBuffer: opts.maxBuffer ?? 1024 * 1024 };
    w.thread.postMessage(req);
  });
}

/** Opens a session on the worker (held from the start); `first` is its first message there. */
export function openWorkerSession(first: unknown, handler: SessionHandler): WorkerSession {
  const w = ensureWorker();
  const sid = nextId++;
  const session: OpenSession = { handler, held: true };
  w.sessions.set(sid, session);
  settle(w);
  const post = (body: unknown) => {
    const msg: ToWorker = { type: 'session', sid, body };
    w.thread.postMessage(msg);
  };
  post(first);
  return {
    post(body) {
      if (w.sessions.get(sid) === session) post(body);
    },
    hold(held) {
      if (w.sessions.get(sid) !== session || session.held === held) return;
      session.held = held;
      if (worker === w) settle(w);
    },
    close() {
      if (w.sessions.get(sid) !== session) return;
      w.sessions.delete(sid);
      const msg: ToWorker = { type: 'close', sid };
      w.thread.postMessage(msg);
      if (worker === w) settle(w);
    },
  };
}
