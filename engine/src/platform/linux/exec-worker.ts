// The worker thread behind exec-off-thread.ts: runs each requested command with execFile and
// posts back its exit and output, and holds the conmon sessions (runtime/conmon-pipes.ts, the
// only kind of session). Node spawns with fork(2), whose page-table copy grows with the engine's
// heap (2–5 ms per spawn here, ~20 ms under load) and blocks whichever thread calls it: here, not
// the engine's event loop.
import { execFile } from 'node:child_process';
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './exec-off-thread.ts';
import { ConmonPipes, spawnFailed, type ConmonEvent, type ConmonSpawn, type ConmonWrite } from './runtime/conmon-pipes.ts';

const sessions = new Map<number, ConmonPipes>();
const post = (msg: FromWorker) => parentPort?.postMessage(msg);

function runExec(req: Extract<ToWorker, { type: 'exec' }>): void {
  try {
    runExecFile(req);
  } catch (error) {
    post({ type: 'exec', id: req.id, error: { message: (error as Error).message, code: null, signal: null }, stdout: '', stderr: '' });
  }
}

function runExecFile(req: Extract<ToWorker, { type: 'exec' }>): void {
  execFile(req.file, req.args, { cwd: req.cwd, maxBuffer: req.maxBuffer, encoding: 'utf8' }, (error, stdout, stderr) => {
    const failure = error
      ? { message: error.message, code: typeof error.code === 'number' || typeof error.code === 'string' ? error.code : null, signal: error.signal ?? null }
      : null;
    post({ type: 'exec', id: req.id, error: failure, stdout, stderr });
  });
}

function onSession(sid: number, body: unknown): void {
  const open = sessions.get(sid);
  if (open) {
    open.write(body as ConmonWrite);
    return;
  }
  // The first message of a session launches its conmon.
  const send = (event: ConmonEvent) => {
    if (sessions.has(sid)) post({ type: 'session', sid, body: event });
  };
  try {
    sessions.set(sid, new ConmonPipes(body as ConmonSpawn, send));
  } catch (error) {
    // Not in `sessions`, so `send` would drop these.
    for (const event of spawnFailed(error, (body as ConmonSpawn).exec)) post({ type: 'session', sid, body: event });
  }
}

parentPort?.on('message', (msg: ToWorker) => {
  if (msg.type === 'exec') runExec(msg);
  else if (msg.type === 'session') onSession(msg.sid, msg.body);
  else {
    sessions.get(msg.sid)?.close();
    sessions.delete(msg.sid);
  }
});
