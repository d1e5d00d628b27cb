// What `status` reports: is the engine answering, and how the guest is doing.
import { statfs, readFile } from 'node:fs/promises';
import { uptime } from 'node:os';
import { engineRequest } from './engine-client.ts';

export interface GuestStatus {
  engine: { up: boolean; error?: string };
  uptimeSeconds: number;
  disk: { path: string; totalBytes: number; freeBytes: number } | { path: string; error: string };
  memory: { totalBytes: number; availableBytes: number };
  /** The guest's clock (Unix ms) when the answer was made: the host's clock sync compares it. */
  now: number;
}

/** /proc/meminfo's MemAvailable is what can be had without swapping (os.freemem counts less). */
export function parseMeminfo(text: string): { totalBytes: number; availableBytes: number } {
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { totalBytes: kib('MemTotal'), availableBytes: kib('MemAvailable') };
}

export async function guestStatus(enginePath: string, dataPath: string): Promise<GuestStatus> {
  const engine = engineRequest(enginePath, 'GET', '/_ping', 2_000).then(
    (r) => (r.status === 200 ? { up: true } : { up: false, error: `HTTP ${r.status}` }),
    (error: Error) => ({ up: false, error: error.message }),
  );
  const disk = statfs(dataPath).then(
    (s) => ({ path: dataPath, totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize }),
    (error: Error) => ({ path: dataPath, error: error.message }),
  );
  const memory = readFile('/proc/meminfo', 'utf8').then(parseMeminfo);
  const [engineUp, diskFacts, memoryFacts] = [await engine, await disk, await memory];
  // Read last, right before the answer goes out, so the host's round trip brackets it.
  return { engine: engineUp, uptimeSeconds: uptime(), disk: diskFacts, memory: memoryFacts, now: Date.now() };
}
