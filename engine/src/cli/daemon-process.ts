// Process-level duties of the daemon: one instance per pidfile, sockets that survive a crash of
// the previous instance, and a clean exit on SIGTERM/SIGINT that leaves containers running.
import { connect } from 'node:net';
import type { Server } from 'node:http';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EngineFlags, ServerTlsFlags } from './flags.ts';
import { checkServerTls, markListening, openListener, type ServerTlsMaterial } from '../api/listeners.ts';

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

/** The TLS files, read once at start: a missing or unreadable one is named with its flag. */
export async function readServerTls(tls: ServerTlsFlags | undefined): Promise<ServerTlsMaterial | undefined> {
  if (!tls) return undefined;
  const read = async (flag: string, path: string) => {
    try {
      return await readFile(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new Error(`could not read ${flag} ${path}: ${reason}`);
    }
  };
  const material = {
    ...(tls.caFile ? { ca: await read('--tlscacert', tls.caFile) } : {}),
    cert: await read('--tlscert', tls.certFile),
    key: await read('--tlskey', tls.keyFile),
    verify: tls.verify,
  };
  checkServerTls(material);
  return material;
}

/** Every -H: Unix sockets (stale ones cleared, mode 0660) and tcp:// addresses (TLS when set). */
export async function listenOnHosts(server: Server, flags: EngineFlags, tls: ServerTlsMaterial | undefined, log: (message: string) => void): Promise<void> {
  for (const line of flags.warnings) log(line);
  for (const path of flags.sockets) {
    await mkdir(dirname(path), { recursive: true });
    await clearStaleSocket(path);
    await openListener(server, { kind: 'unix', path }, undefined, log);
    // Like dockerd's socket: root and the docker group only.
    await chmod(path, 0o660);
  }
  for (const host of flags.tcpHosts) {
    await openListener(server, { kind: 'tcp', host: host.host, port: host.port }, tls, log).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot listen on ${host.url}: ${error.code === 'EADDRINUSE' ? 'the address is already in use' : error.message}`);
    });
  }
  markListening(server);
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
