// An AttachSession over conmon's attach socket. The socket is AF_UNIX SOCK_SEQPACKET, which libuv
// cannot open, so `berth-native attach <socket>` relays it: our writes to its stdin become packets
// (conmon writes them to the process's stdin), its stdin EOF becomes shutdown(SHUT_WR) (conmon then
// closes the process's stdin unless --leave-stdin-open), and each packet conmon sends arrives on
// its stdout as a Docker multiplexed frame.
import { spawn } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { conflict, systemError } from '../../../core/errors.ts';
import type { AttachSession } from '../../../core/interfaces.ts';
import { FrameDecoder } from './frames.ts';

export interface HelperAttach extends AttachSession {
  /** Resolves once conmon closed the socket (process gone, output flushed) or we detached. */
  readonly closed: Promise<void>;
}

type OutputListener = (stream: 'stdout' | 'stderr', data: Buffer) => void;

/** conmon's main loop only sends output to clients it has accepted, so the caller must not start
 * the process before our connect() completed. The helper has no "connected" message (yet), so we
 * look for its SEQPACKET socket in state SS_CONNECTED (03) in /proc/<pid>/net/unix. */
async function isConnected(pid: number): Promise<boolean> {
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    if (Number(fd) < 3) continue;
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const match = /^socket:\[(\d+)\]$/.exec(target);
    if (match) inodes.add(match[1]);
  }
  if (inodes.size === 0) return false;
  const table = await readFile(`/proc/${pid}/net/unix`, 'utf8').catch(() => '');
  for (const line of table.split('\n')) {
    const cols = line.trim().split(/\s+/);
    // Num RefCount Protocol Flags Type St Inode [Path]; Type 0005 = SEQPACKET, St 03 = connected.
    if (cols.length >= 7 && cols[4] === '0005' && cols[5] === '03' && inodes.has(cols[6])) return true;
  }
  return false;
}

export function openAttach(helperPath: string, socketPath: string, withStdin: boolean): Promise<HelperAttach> {
  const child = spawn(helperPath, ['attach', socketPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stdin = child.stdin as Writable;
  const stdout = child.stdout as Readable;
  let stderr = '';
  (child.stderr as Readable).setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // A relay whose client went away must not crash the engine on EPIPE.
  stdin.on('error', () => {});

  const decoder = new FrameDecoder();
  const outputListeners: OutputListener[] = [];
  const closeListeners: (() => void)[] = [];
  // Output that arrives before the caller registers a listener is kept, not dropped.
  const early: [stream: 'stdout' | 'stderr', data: Buffer][] = [];
  let ready = false;
  let onReady: (() => void) | undefined;
  let isClosed = false;

  stdout.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) {
      if (event.kind === 'ready') {
        ready = true;
        onReady?.();
      } else if (outputListeners.length === 0) {
        early.push([event.stream, event.data]);
      } else {
        for (const listener of outputListeners) listener(event.stream, event.data);
      }
    }
  });

  const closed = new Promise<void>((resolve) => {
    // 'close' fires after stdout has ended, so every frame has been delivered by then.
    child.on('close', () => {
      isClosed = true;
      resolve();
      for (const listener of closeListeners.splice(0)) listener();
    });
  });

  const session: HelperAttach = {
    closed,
    write(data: Buffer) {
      if (withStdin && !stdin.writableEnded && !stdin.destroyed) stdin.write(data);
    },
    closeStdin() {
      if (withStdin && !stdin.writableEnded) stdin.end();
    },
    onOutput(listener: OutputListener) {
      outputListeners.push(listener);
      for (const [stream, data] of early.splice(0)) listener(stream, data);
    },
    onClose(listener: () => void) {
      if (isClosed) queueMicrotask(listener);
      else closeListeners.push(listener);
    },
    detach() {
      // Closing the socket without a shutdown: conmon treats it like stdin EOF for StdinOnce
      // containers (conn_sock.c terminate_remote_sock) and keeps the process running.
      if (!isClosed) child.kill('SIGTERM');
    },
  };

  return new Promise<HelperAttach>((resolve, reject) => {
    let settled = false;
    const succeed = () => {
      if (settled) return;
      settled = true;
      resolve(session);
    };
    onReady = succeed;
    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(systemError(`attach helper ${helperPath}: ${error.message}`, error));
    });
    child.once('exit', (code) => {
      if (settled) return;
      settled = true;
      // ENOENT / ECONNREFUSED: conmon (and with it the container's stdio) is gone.
      if (/ENOENT|No such file|Connection refused/i.test(stderr) || code !== 0) {
        reject(conflict(`cannot attach: container is not running${stderr ? ` (${stderr.trim()})` : ''}`));
      } else {
        resolve(session);
      }
    });
    child.once('spawn', async () => {
      const pid = child.pid ?? 0;
      for (let delay = 0; !settled; delay = Math.min(delay + 1, 5)) {
        if (ready || (await isConnected(pid))) return succeed();
        await new Promise((r) => setTimeout(r, delay));
      }
    });
  });
}
