// Process-level duties of the daemon: one instance per pidfile, sockets that survive a crash of
// the previous instance, and a clean exit on SIGTERM/SIGINT that leaves containers running.
import { connect } from 'node:net';
import type { Server } from 'node:http';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EngineFlags } from './flags.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquirePidfile(path: string): Promise<void> {
  const existing = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (existing && existing !== process.pid && alive(existing)) {
    throw new Error(`pid file found, ensure berthd is not running or delete ${path} (process ${existing} is alive)`);
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${process.pid}\n`);
}

/** A socket file left by a crashed engine refuses connections: remove it. One that answers
 * belongs to a live engine: refuse to start rather than steal it. */
async function clearStaleSocket(path: string): Promise<void> {
  const answered = await new Promise<boolean>((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (answered) throw new Error(`another engine is already listening on ${path}`);
  await rm(path, { force: true });
}

export async function listenOnSockets(server: Server, sockets: string[]): Promise<void> {
  for (const path of sockets) {
    await mkdir(dirname(path), { recursive: true });
    await clearStaleSocket(path);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Like dockerd's socket: root and the docker group only.
    await chmod(path, 0o660);
  }
}

/** `beforeExit` runs once the API has stopped; its failure is logged, the exit goes on. */
export function shutdownOnSignals(server: Server, flags: EngineFlags, log: (message: string) => void, beforeExit?: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: stopping the API; containers keep running under their monitors`);
    server.close();
    server.closeAllConnections();
    await beforeExit?.().catch((error: unknown) => log(`stopping: ${error instanceof Error ? error.message : String(error)}`));
    await Promise.all([...flags.sockets.map((s) => rm(s, { force: true })), rm(flags.pidfile, { force: true })]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
