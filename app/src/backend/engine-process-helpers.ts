// Small process and socket probes the engine supervisor needs.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { request } from 'node:http';

/** GET /_ping on a Unix socket (Docker API "Ping"): true when it answers 200 within the timeout. */
export function pingEngineSocket(socketPath: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** A process exists and is not a zombie (an exited child its parent has not reaped yet). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; comm may hold spaces and parentheses, so split at the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // No /proc (macOS, Windows): signal 0 reaching it is all there is to know.
    return process.platform !== 'linux';
  }
}

/** The pid a pidfile names, when that process is alive (a stale pidfile gives undefined). */
export function livePidFromFile(pidfile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 && processAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function waitUntil(check: () => boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The bytes of a file from max(from, size − maxBytes) to its end, and where that starts. */
export function readFileTail(path: string, maxBytes: number, from = 0): { text: string; start: number } {
  const size = statSync(path).size;
  const start = Math.max(from, size - maxBytes);
  const buffer = Buffer.alloc(Math.max(0, size - start));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  return { text: buffer.toString('utf8'), start };
}

/** The last `lines` lines a log gained since byte `from` (this run's output, not earlier runs'). */
export function readLogTail(path: string, from = 0, lines = 20): string {
  try {
    const text = readFileTail(path, 16 * 1024, from).text.trimEnd();
    return text ? text.split('\n').slice(-lines).join('\n') : '(empty)';
  } catch {
    return '(no log)';
  }
}

/** Polls until `pid` is gone; false when it still lives after timeoutMs. */
export async function waitExit(pid: number, timeoutMs: number): Promise<boolean> {
  return waitUntil(() => !processAlive(pid), timeoutMs, 200);
}
