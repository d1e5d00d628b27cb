// The worker thread behind exec-off-thread.ts: runs each requested command with execFile and
// posts back its exit and output. Node spawns with fork(2), whose page-table copy grows with the
// engine's heap (2–5 ms per spawn here) and blocks whichever thread calls it: here, not the
// engine's event loop.
import { execFile } from 'node:child_process';
import { parentPort } from 'node:worker_threads';
import type { ExecReply, ExecRequest } from './exec-off-thread.ts';

parentPort?.on('message', (req: ExecRequest) => {
  execFile(req.file, req.args, { cwd: req.cwd, maxBuffer: req.maxBuffer, encoding: 'utf8' }, (error, stdout, stderr) => {
    const failure = error
      ? { message: error.message, code: typeof error.code === 'number' || typeof error.code === 'string' ? error.code : null, signal: error.signal ?? null }
      : null;
    const reply: ExecReply = { id: req.id, error: failure, stdout, stderr };
    parentPort?.postMessage(reply);
  });
});
