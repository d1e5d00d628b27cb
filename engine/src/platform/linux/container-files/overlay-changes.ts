// `GET /containers/{id}/changes` from the overlay upper directory. dockerd's overlay2 driver
// compares the whole container tree with its image (go-archive ChangesDirs, "naive diff"); the
// upper directory holds everything that can differ, so walking it alone gives the same answer
// at a fraction of the cost:
//  - a 0:0 character device (overlayfs whiteout) is a deletion;
//  - a lower-layer name missing from the merged view under a directory of the upper dir was
//    hidden by an opaque directory: a deletion too (no xattr reading needed);
//  - a path absent from every lower layer is an addition (its whole subtree is added);
//  - a path present below is a modification when go-archive's statDifferent says so (mode,
//    owner, rdev; plus mtime and size for non-directories);
//  - a directory with any change inside is itself reported modified, before its children.
import type { BigIntStats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const ChangeKind = { modified: 0, added: 1, deleted: 2 } as const;
export interface Change {
  Path: string;
  Kind: 0 | 1 | 2;
}

export interface ChangesInput {
  upper: string;
  /** Lower layer directories, topmost first. */
  lowers: string[];
  /** The mounted overlay (upper over lowers). */
  merged: string;
  /** Container paths never reported (the engine's bind-mounted /etc files). */
  ignore: ReadonlySet<string>;
}

export async function overlayChanges(input: ChangesInput): Promise<Change[]> {
  const changes: Change[] = [];
  await walkDir(input, '', changes);
  // Parents sort before their children; dockerd's own order follows Go map iteration.
  return changes.sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
}

async function walkDir(input: ChangesInput, rel: string, out: Change[]): Promise<void> {
  const names = (await readdir(join(input.upper, rel)).catch(() => [] as string[])).sort();
  for (const name of names) {
    const path = `${rel}/${name}`;
    if (input.ignore.has(path)) continue;
    const upper = await lstat(join(input.upper, path), { bigint: true }).catch(() => undefined);
    if (!upper) continue;
    if (isWhiteout(upper)) {
      if (await lowerStat(input, path)) out.push({ Path: path, Kind: ChangeKind.deleted });
      continue;
    }
    const lower = await lowerStat(input, path);
    if (!lower) {
      out.push({ Path: path, Kind: ChangeKind.added });
      if (upper.isDirectory()) await addSubtree(input, path, out);
      continue;
    }
    if (upper.isDirectory() && lower.isDirectory()) {
      const at = out.length;
      const changed = statDifferent(lower, upper);
      await walkDir(input, path, out);
      await opaqueDeletions(input, path, out);
      if (changed || out.length > at) out.splice(at, 0, { Path: path, Kind: ChangeKind.modified });
      continue;
    }
    if (upper.isDirectory() !== lower.isDirectory() || statDifferent(lower, upper)) out.push({ Path: path, Kind: ChangeKind.modified });
  }
}

/** Lower names of a directory that the merged view no longer shows (opaque directory). */
async function opaqueDeletions(input: ChangesInput, rel: string, out: Change[]): Promise<void> {
  const upperSeen = new Set(await readdir(join(input.upper, rel)).catch(() => [] as string[]));
  const lowerNames = new Set<string>();
  for (const layer of input.lowers) for (const name of await readdir(join(layer, rel)).catch(() => [] as string[])) lowerNames.add(name);
  for (const name of [...lowerNames].sort()) {
    if (upperSeen.has(name)) continue; // already handled from the upper side
    const path = `${rel}/${name}`;
    if (input.ignore.has(path)) continue;
    if (!(await lowerStat(input, path))) continue;
    if (!(await lstat(join(input.merged, path)).catch(() => undefined))) out.push({ Path: path, Kind: ChangeKind.deleted });
  }
}

async function addSubtree(input: ChangesInput, rel: string, out: Change[]): Promise<void> {
  for (const name of (await readdir(join(input.upper, rel)).catch(() => [] as string[])).sort()) {
    const path = `${rel}/${name}`;
    const stat = await lstat(join(input.upper, path), { bigint: true }).catch(() => undefined);
    if (!stat || isWhiteout(stat)) continue;
    out.push({ Path: path, Kind: ChangeKind.added });
    if (stat.isDirectory()) await addSubtree(input, path, out);
  }
}

/** The entry the image shows at `path`: the topmost layer that has it, unless that is a whiteout. */
async function lowerStat(input: ChangesInput, path: string): Promise<BigIntStats | undefined> {
  for (const layer of input.lowers) {
    const stat = await lstat(join(layer, path), { bigint: true }).catch(() => undefined);
    if (stat) return isWhiteout(stat) ? undefined : stat;
  }
  return undefined;
}

function isWhiteout(stat: BigIntStats): boolean {
  return stat.isCharacterDevice() && stat.rdev === 0n;
}

/** go-archive changes_unix.go statDifferent, with sameFsTime's whole-second tolerance. */
export function statDifferent(oldStat: BigIntStats, newStat: BigIntStats): boolean {
  if (oldStat.mode !== newStat.mode || oldStat.uid !== newStat.uid || oldStat.gid !== newStat.gid || oldStat.rdev !== newStat.rdev) return true;
  if (oldStat.isDirectory()) return false;
  return oldStat.size !== newStat.size || !sameFsTime(oldStat.mtimeNs, newStat.mtimeNs);
}

function sameFsTime(a: bigint, b: bigint): boolean {
  const second = 1_000_000_000n;
  return a === b || (a / second === b / second && (a % second === 0n || b % second === 0n));
}
