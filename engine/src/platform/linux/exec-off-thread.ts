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

const IDLE_EXIT_MS = 10_000;
// The sources run as .ts (tests), the built engine as .js: the worker is the sibling of this file.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './exec-worker.ts' : './exec-worker.js', import.meta.url);

let worker: Worker | undefined;
let nextId = 1;
let idleTimer: NodeJS.Timeout | undefined;
const pending = new Map<number, (reply: ExecReply) => void>();

function failAll(message: string): void {
  for (const [id, done] of pending) done({ id, error: { message, code: null, signal: null }, stdout: '', stderr: '' });
  pending.clear();
}

function ensureWorker(): Worker {
  if (worker) return worker;
  // No inherited CLI flags (some, like --input-type, are refused in a worker); a small young
  // generation, as the engine's own, since the worker only shuttles short strings.
  const w = new Worker(WORKER_URL, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 1 } });
  w.on('message', (reply: ExecReply) => {
    const done = pending.get(reply.id);
    pending.delete(reply.id);
    done?.(reply);
    if (pending.size === 0) idle();
  });
  w.on('error', (e: Error) => {
    if (worker === w) worker = undefined;
    failAll(`exec worker failed: ${e.message}`);
  });
  w.on('exit', () => {
    if (worker === w) worker = undefined;
    failAll('exec worker exited');
  });
  worker = w;
  return w;
}

/** No work in flight: let the engine exit without waiting for the worker, and stop it soon. */
function idle(): void {
  worker?.unref();
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (pending.size === 0 && worker) {
      const w = worker;
      worker = undefined;
      void w.terminate();
    }
  }, IDLE_EXIT_MS);
  idleTimer.unref();
}

export function execOffThread(file: string, args: string[], opts: { cwd?: string; maxBuffer?: number } = {}): Promise<ExecResult> {
  const w = ensureWorker();
  w.ref();
  clearTimeout(idleTimer);
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, (reply) => {
      const error = reply.error ? Object.assign(new Error(reply.error.message), { code: reply.error.code, signal: reply.error.signal }) : null;
      resolve({ error, stdout: reply.stdout, stderr: reply.stderr });
    });
    const req: ExecRequest = { id, file, args, cwd: opts.cwd, maxBuffer: opts.maxBuffer ?? 1024 * 1024 };
    w.postMessage(req);
  });
}
