// Engine start-up, after containers are restored and before the API serves: whatever an earlier
// engine process left half-done (it was killed, the host lost power) is put right here, in one
// place, so no fault leaves things behind for longer than one restart.
//   - scratch directories of interrupted loads, imports, pushes and builds are emptied (the
//     stores sweep their own: the ContentStore its ingest area, the Snapshotter its tmp/, as
//     they open);
//   - writable snapshots no container record owns (a build step's scratch root) are removed;
//   - containers that are not running hold nothing: their rootfs mount, runtime state and
//     network namespace from a start that died half-way are released;
//   - the default bridge stays only while a container is connected to it.
// Blobs and layers no image references (an interrupted pull's finished downloads) stay: a retry
// reuses them, and image prune collects them (services/images/orphans.ts).
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerRecord } from '../../core/container-types.ts';
import { errorMessage } from '../../core/errors.ts';
import type { ContainerContext } from '../containers/context.ts';

export interface ReconcileDeps {
  containers: ContainerContext;
  /** Directories whose contents belong to operations of the previous process only. */
  scratchDirs: string[];
  networking?: { releaseIdleBridges(): Promise<void> };
  log: (message: string) => void;
}

export interface ReconcileReport {
  /** Entries removed from the scratch directories. */
  scratchEntries: number;
  /** Snapshots removed because no container owns them. */
  strayedSnapshots: string[];
  /** Containers (not running) whose leftovers were released. */
  releasedContainers: string[];
}

/** States in which a container may hold a mount, a runtime instance and a network namespace. */
const ACTIVE = new Set(['running', 'paused', 'restarting', 'removing']);

export async function reconcileOnStart(deps: ReconcileDeps): Promise<ReconcileReport> {
  const report: ReconcileReport = { scratchEntries: 0, strayedSnapshots: [], releasedContainers: [] };
  const step = async (what: string, task: () => Promise<void>) => {
    try {
      await task();
    } catch (error) {
      deps.log(`start-up reconcile: ${what}: ${errorMessage(error)}`);
    }
  };
  for (const dir of deps.scratchDirs) await step(`emptying ${dir}`, async () => {
    report.scratchEntries += await emptyDir(dir);
  });
  await step('releasing container leftovers', () => releaseContainers(deps, report, step));
  if (deps.networking) await step('releasing the idle default bridge', () => deps.networking!.releaseIdleBridges());
  const { scratchEntries, strayedSnapshots, releasedContainers } = report;
  if (scratchEntries + strayedSnapshots.length + releasedContainers.length > 0) {
    deps.log(`start-up reconcile: removed ${scratchEntries} scratch entries and ${strayedSnapshots.length} stray snapshots; released ${releasedContainers.length} stopped containers`);
  }
  return report;
}

async function emptyDir(dir: string): Promise<number> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  for (const name of names) await rm(join(dir, name), { recursive: true, force: true });
  return names.length;
}

async function releaseContainers(deps: ReconcileDeps, report: ReconcileReport, step: (what: string, task: () => Promise<void>) => Promise<void>): Promise<void> {
  const ctx = deps.containers;
  const records = new Map(ctx.store.list().map((r) => [r.Id, r]));
  const mounted = new Set<string>();
  for (const snapshot of await ctx.snapshotter.listContainers()) {
    if (records.has(snapshot.id)) {
      if (snapshot.mounted) mounted.add(snapshot.id);
      continue;
    }
    await step(`removing stray snapshot ${snapshot.id}`, async () => {
      await ctx.snapshotter.removeContainer(snapshot.id);
      report.strayedSnapshots.push(snapshot.id);
    });
  }
  for (const record of records.values()) {
    if (ACTIVE.has(record.State.Status)) continue;
    await step(`releasing container ${record.Id.slice(0, 12)}`, () =>
      ctx.withLock(record.Id, async () => {
        // The restore's restarts (restart policy) run before us; a container they started is theirs.
        if (ACTIVE.has(record.State.Status)) return;
        if (await release(ctx, record, mounted.has(record.Id))) report.releasedContainers.push(record.Id);
      }),
    );
  }
}

/** What the failure path of a start releases, for a start the previous process never finished:
 * the runtime instance (and its monitor), the network namespace, volume mounts, the rootfs mount.
 * Returns whether there was anything to release besides (cheap, idempotent) networking. */
async function release(ctx: ContainerContext, record: ContainerRecord, mounted: boolean): Promise<boolean> {
  // Attachments are saved before netavark runs, so a start killed in between left one.
  await ctx.networking?.disconnect(record);
  // A start gets as far as the runtime only after it mounted the rootfs: no mount, no instance.
  if (!mounted) return false;
  await ctx.runtime.delete(record.Id, true).catch(() => undefined);
  await ctx.volumes?.unmount(record);
  await ctx.snapshotter.unmountContainer(record.Id);
  return true;
}
