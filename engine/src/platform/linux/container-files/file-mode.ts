// The stat that `docker cp` reads from the X-Docker-Container-Path-Stat header (API
// "ContainerArchiveInfo"): dockerd marshals a Go PathStat, so `mode` is a Go os.FileMode (type
// bits high, not POSIX S_IFMT) and `mtime` is a Go time.Time (RFC 3339 with nanoseconds). The
// CLI tests `mode & ModeDir` and `mode & ModeSymlink`, so the bits must be Go's exactly.
import type { BigIntStats, Stats } from 'node:fs';
import type { PathStat } from '../../../services/containers/container-files.ts';

/** Go os.FileMode type and permission bits (io/fs/fs.go). */
export const GoMode = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  namedPipe: 2 ** 25,
  socket: 2 ** 24,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  charDevice: 2 ** 21,
  sticky: 2 ** 20,
} as const;

const S_IFMT = 0o170000;
const S_IFSOCK = 0o140000;
const S_IFLNK = 0o120000;
const S_IFBLK = 0o060000;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;
const S_IFIFO = 0o010000;

/** POSIX st_mode → Go os.FileMode, as Go's fillFileStatFromSys does. Arithmetic, not bitwise:
 * ModeDir is bit 31 and JavaScript's bitwise operators are signed 32-bit. */
export function goFileMode(posixMode: number): number {
  let mode = posixMode & 0o777;
  switch (posixMode & S_IFMT) {
    case S_IFBLK:
      mode += GoMode.device;
      break;
    case S_IFCHR:
      mode += GoMode.device + GoMode.charDevice;
      break;
    case S_IFDIR:
      mode += GoMode.dir;
      break;
    case S_IFIFO:
      mode += GoMode.namedPipe;
      break;
    case S_IFLNK:
      mode += GoMode.symlink;
      break;
    case S_IFSOCK:
      mode += GoMode.socket;
      break;
  }
  if (posixMode & 0o4000) mode += GoMode.setuid;
  if (posixMode & 0o2000) mode += GoMode.setgid;
  if (posixMode & 0o1000) mode += GoMode.sticky;
  return mode;
}

/** Go's time.Time JSON form (RFC3339Nano: trailing zeros of the fraction dropped), in UTC. */
export function rfc3339Nano(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = ns % 1_000_000_000n;
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  const digits = fraction.toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${digits ? `.${digits}` : ''}Z`;
}

export function pathStatOf(name: string, stats: BigIntStats | Stats, linkTarget = ''): PathStat {
  const big = typeof stats.size === 'bigint';
  const mtimeNs = big ? (stats as BigIntStats).mtimeNs : BigInt(Math.round((stats as Stats).mtimeMs * 1e6));
  return { name, size: Number(stats.size), mode: goFileMode(Number(stats.mode)), mtime: rfc3339Nano(mtimeNs), linkTarget };
}
