// execFile for the short commands on the container start/stop path (runc, mount, umount), run from
// one worker thread. Node's spawn forks the whole engine process on the calling thread: with ~7
// spawns per start/stop that kept the event loop (API requests) blocked for tens of ms per
// container under churn. The worker starts on first use and exits after a quiet spell, so an idle
// engine pays nothing for it. Same results as execFile: stdout, stderr, and an Error on failure.
import { Worker } from 'node:worker_threads';

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

export interface ExecResult {
  /** Set when the command could not run or exited non-zero (execFile's error, as an Error). */
  error: (Error & { code?: number | string | null; signal?: string | null }) | null;
  stdout: string;
  stderr: string;
}

let idleExitMs = 10_000;
// The sources run as .ts (tests), the built engine as .js: the worker is the sibling of this file.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './exec-worker.ts' : './exec-worker.js', import.meta.url);

type Waiter = (reply: ExecReply) => void;

// Each worker owns the calls sent to it: a worker stopped for idleness is still exiting when the
// next call starts a new one, and its exit must not fail the new worker's calls.
let worker: { thread: Worker; pending: Map<number, Waiter> } | undefined;
let nextId = 1;
let idleTimer: NodeJS.Timeout | undefined;

function failAll(pending: Map<number, Waiter>, message: string): void {
  for (const [id, done] of pending) done({ id, error: { message, code: null, signal: null }, stdout: '', stderr: '' });
  pending.clear();
}

function ensureWorker(): NonNullable<typeof worker> {
  if (worker) return worker;
  // No inherited CLI flags (some, like --input-type, are refused in a worker); a small young
  // generation, as the engine's own, since the worker only shuttles short strings.
  const thread = new Worker(WORKER_URL, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 1 } });
  const own = { thread, pending: new Map<number, Waiter>() };
  thread.on('message', (reply: ExecReply) => {
    const done = own.pending.get(reply.id);
    own.pending.delete(reply.id);
    done?.(reply);
    if (own.pending.size === 0 && worker === own) idle();
  });
  thread.on('error', (e: Error) => {
    if (worker === own) worker = undefined;
    failAll(own.pending, `exec worker failed: ${e.message}`);
  });
  thread.on('exit', () => {
    if (worker === own) worker = undefined;
    failAll(own.pending, 'exec worker exited');
  });
  worker = own;
  return own;
}

/** No work in flight: let the engine exit without waiting for the worker, and stop it soon. */
function idle(): void {
  worker?.thread.unref();
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (worker && worker.pending.size === 0) {
      const { thread } = worker;
      worker = undefined;
      void thread.terminate();
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
  w.thread.ref();
  clearTimeout(idleTimer);
  const id = nextId++;
  return new Promise((resolve) => {
    w.pending.set(id, (reply) => {
      const error = reply.error ? Object.assign(new Error(reply.error.message), { code: reply.error.code, signal: reply.error.signal }) : null;
      resolve({ error, stdout: reply.stdout, stderr: reply.stderr });
    });
    const req: ExecRequest = { id, file, args, cwd: opts.cwd, maxBuffer: opts.maxBuffer ?? 1024 * 1024 };
    w.thread.postMessage(req);
  });
}
