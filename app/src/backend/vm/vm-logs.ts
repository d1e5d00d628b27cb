// `berth vm logs`: a log of the instance (the guest's console, or QEMU's own) printed, and with
// follow, followed until the signal aborts. A new boot truncates the console log, so a file that
// shrinks is read again from its start, as `tail -F` does.
import { closeSync, openSync, readSync, statSync, unwatchFile, watchFile } from 'node:fs';

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** Writes bytes [from, to) of the file; returns where it got to (a file that vanished: from). */
function copyRange(path: string, from: number, to: number, write: (chunk: Buffer) => void): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return from;
  }
  try {
    const buffer = Buffer.alloc(64 * 1024);
    let at = from;
    while (at < to) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, to - at), at);
      if (n === 0) break;
      write(buffer.subarray(0, n));
      at += n;
    }
    return at;
  } finally {
    closeSync(fd);
  }
}

export class MissingLogError extends Error {}

/** Prints the log; with `follow`, keeps printing what is appended until `signal` aborts. */
export async function printLog(path: string, write: (chunk: Buffer) => void, follow: boolean, signal?: AbortSignal): Promise<void> {
  const size = sizeOf(path);
  if (size === undefined && !follow) throw new MissingLogError(`no log at ${path} yet: the VM of this home has not been started`);
  let offset = size === undefined ? 0 : copyRange(path, 0, size, write);
  if (!follow || signal?.aborted) return;
  await new Promise<void>((resolve) => {
    // Polling stat (not inotify): it keeps working when the file is replaced or truncated by a boot.
    const onChange = (current: { size: number }) => {
      if (current.size < offset) offset = 0;
      if (current.size > offset) offset = copyRange(path, offset, current.size, write);
    };
    watchFile(path, { interval: 250 }, onChange);
    signal?.addEventListener('abort', () => {
      unwatchFile(path, onChange);
      resolve();
    }, { once: true });
  });
}
