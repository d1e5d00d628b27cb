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
import type { FileHandle } from 'node:fs/promises';
import { HandleScope, lstatAt, openDirAt, openRoot, readdirAt } from '../fs/at.ts';
import { isWhiteoutDevice } from '../tar-file-entry.ts';

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

/** One directory level, each side held open (../fs/at.ts): the container writes its upper
 * directory while we read it, so nothing here is looked up by a host path below the roots. */
interface Level {
  upper: FileHandle;
  /** The same directory in each lower layer that has it as a directory, topmost first; a lower
   * entry hidden by a higher non-directory is left out. */
  lowers: Array<FileHandle | undefined>;
  merged?: FileHandle;
}

export async function overlayChanges(input: ChangesInput): Promise<Change[]> {
  const changes: Change[] = [];
  const scope = new HandleScope();
  try {
    const level: Level = {
      upper: scope.track(await openRoot(input.upper)),
      lowers: await Promise.all(input.lowers.map(async (dir) => scope.track(await openRoot(dir)))),
      merged: scope.track(await openRoot(input.merged)),
    };
    await walkDir(input, level, '', changes);
  } finally {
    await scope.close();
  }
  // Parents sort before their children; dockerd's own order follows Go map iteration.
  return changes.sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
}

async function walkDir(input: ChangesInput, level: Level, rel: string, out: Change[]): Promise<void> {
  const names = await readdirAt(level.upper).catch(() => [] as string[]);
  for (const name of names) {
    const path = `${rel}/${name}`;
    if (input.ignore.has(path)) continue;
    const upper = await lstatAt({ dir: level.upper, name });
    if (!upper) continue;
    if (isWhiteoutDevice(upper)) {
      if (await lowerStat(level, name)) out.push({ Path: path, Kind: ChangeKind.deleted });
      continue;
    }
    const lower = await lowerStat(level, name);
    if (!lower) {
      out.push({ Path: path, Kind: ChangeKind.added });
      if (upper.isDirectory()) await withChild(level, name, (child) => addSubtree(child, path, out));
      continue;
    }
    if (upper.isDirectory() && lower.isDirectory()) {
      const at = out.length;
      const changed = statDifferent(lower, upper);
      await withChild(level, name, async (child) => {
        await walkDir(input, child, path, out);
        await opaqueDeletions(input, child, path, out);
      });
      if (changed || out.length > at) out.splice(at, 0, { Path: path, Kind: ChangeKind.modified });
      continue;
    }
    if (upper.isDirectory() !== lower.isDirectory() || statDifferent(lower, upper)) out.push({ Path: path, Kind: ChangeKind.modified });
  }
}

/** Runs `fn` one level down (`name` in every side where it is a directory), then closes it. */
async function withChild(level: Level, name: string, fn: (child: Level) => Promise<void>): Promise<void> {
  const scope = new HandleScope();
  const open = async (dir: FileHandle | undefined) => {
    if (!dir) return undefined;
    const child = await openDirAt({ dir, name });
    return typeof child === 'string' ? undefined : scope.track(child);
  };
  try {
    const upper = await open(level.upper);
    if (!upper) return; // replaced by a non-directory meanwhile
    const lowers: Array<FileHandle | undefined> = [];
    let hidden = false;
    for (const lower of level.lowers) {
      // Below a layer whose entry is not a directory (or is a whiteout), lower ones do not show.
      if (hidden || !lower) {
        lowers.push(undefined);
        continue;
      }
      const stat = await lstatAt({ dir: lower, name });
      if (stat && !stat.isDirectory()) hidden = true;
      lowers.push(stat?.isDirectory() ? await open(lower) : undefined);
    }
    await fn({ upper, lowers, merged: await open(level.merged) });
  } finally {
    await scope.close();
  }
}

/** Lower names of a directory that the merged view no longer shows (opaque directory). */
async function opaqueDeletions(input: ChangesInput, level: Level, rel: string, out: Change[]): Promise<void> {
  const upperSeen = new Set(await readdirAt(level.upper).catch(() => [] as string[]));
  const lowerNames = new Set<string>();
  for (const layer of level.lowers) if (layer) for (const name of await readdirAt(layer).catch(() => [] as string[])) lowerNames.add(name);
  for (const name of [...lowerNames].sort()) {
    if (upperSeen.has(name)) continue; // already handled from the upper side
    const path = `${rel}/${name}`;
    if (input.ignore.has(path)) continue;
    if (!(await lowerStat(level, name))) continue;
    if (!level.merged || !(await lstatAt({ dir: level.merged, name }))) out.push({ Path: path, Kind: ChangeKind.deleted });
  }
}

async function addSubtree(level: Level, rel: string, out: Change[]): Promise<void> {
  for (const name of await readdirAt(level.upper).catch(() => [] as string[])) {
    const path = `${rel}/${name}`;
    const stat = await lstatAt({ dir: level.upper, name });
    if (!stat || isWhiteoutDevice(stat)) continue;
    out.push({ Path: path, Kind: ChangeKind.added });
    if (stat.isDirectory()) await withChild({ upper: level.upper, lowers: [] }, name, (child) => addSubtree(child, path, out));
  }
}

/** The entry the image shows at `name`: the topmost layer that has it, unless that is a whiteout. */
async function lowerStat(level: Level, name: string): Promise<BigIntStats | undefined> {
  for (const layer of level.lowers) {
    if (!layer) continue;
    const stat = await lstatAt({ dir: layer, name });
    if (stat) return isWhiteoutDevice(stat) ? undefined : stat;
  }
  return undefined;
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
