// `runc start` without the runc process. A created runc container's init blocks opening
// <runc-root>/<id>/exec.fifo for writing; `runc start` opens it for reading, reads the "0" init
// writes before exec'ing the user process, and removes the fifo (runc's state then says
// "running"). Doing those three steps here saves one Go binary start (~7-10 ms of the ~30 ms a
// `docker run --rm busybox true` may add on top of runc). runc 1.0-1.1 layout; when the fifo is
// not there (other runtime or version, already started, stopped) the caller falls back to
// `runc start`, which also produces the proper error message.
import { constants, open } from 'node:fs';
import { open as openFile, readFile, unlink } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';

async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== '' && state !== 'Z' && state !== 'X';
}

/** Reads what a fifo without writers still holds (through a second reader: the pipe is shared). */
async function drainFifo(path: string): Promise<Buffer> {
  const handle = await openFile(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined);
  if (!handle) return Buffer.alloc(0);
  try {
    const buffer = Buffer.alloc(16);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null).catch(() => ({ bytesRead: 0 }));
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Returns true when the container was started, false when the caller should run `runc start`. */
export async function startViaExecFifo(runcRoot: string, id: string, initPid: number): Promise<boolean> {
  const fifo = join(runcRoot, id, 'exec.fifo');
  // Non-blocking so no libuv thread waits on a fifo whose writer may already be gone (libuv adds
  // O_CLOEXEC itself). A plain fd, not a FileHandle, because the Socket below takes it over.
  const fd = await new Promise<number | undefined>((resolve) => {
    open(fifo, constants.O_RDONLY | constants.O_NONBLOCK, (error, opened) => resolve(error ? undefined : opened));
  });
  if (fd === undefined) return false;
  const data = await new Promise<Buffer | undefined>((resolve) => {
    // A fifo is a pipe to libuv: epoll tells us when init has written and closed its end.
    const socket = new Socket({ fd, readable: true, writable: false });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (result: Buffer | undefined) => {
      if (done) return;
      done = true;
      clearInterval(guard);
      socket.destroy();
      resolve(result);
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish(Buffer.concat(chunks)));
    socket.on('error', () => finish(undefined));
    // runc guards the same wait against an init that died after create (awaitProcessExit). But
    // init is also "dead" when it wrote its byte, exec'd the command and that command already
    // ended (`true`): the byte may still sit in the pipe, or in our chunks ahead of 'end'. With
    // init gone there is no writer left, so what the fifo holds now is all it will ever hold.
    const guard = setInterval(() => {
      void alive(initPid).then(async (isAlive) => {
        if (isAlive || done) return;
        const rest = await drainFifo(fifo);
        finish(Buffer.concat([...chunks, rest]));
      });
    }, 100);
  });
  if (!data || data.length === 0) return false;
  await unlink(fifo).catch(() => {});
  return true;
}
