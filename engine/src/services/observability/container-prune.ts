// `docker container prune` (API spec "ContainerPrune"): removes every container that is not
// running (created, exited, dead), narrowed by the `until` and `label`/`label!` filters.
import type { ContainerRecord } from '../../core/container-types.ts';
import { EngineError } from '../../core/errors.ts';
import type { ContainerContext } from '../containers/context.ts';
import { removeContainer } from '../containers/remove-container.ts';

export interface ContainerPruneOptions {
  untilMs?: number;
  keep: (record: ContainerRecord) => boolean;
  /** Bytes of the container's writable layer (what removing it gives back). */
  sizeRw: (id: string) => Promise<number>;
  /** Called for each removed container (exec instances are forgotten with it). */
  onRemoved?: (id: string) => void;
}

const PRUNABLE = new Set(['created', 'exited', 'dead']);

export async function pruneContainers(ctx: ContainerContext, options: ContainerPruneOptions): Promise<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }> {
  const deleted: string[] = [];
  let reclaimed = 0;
  for (const record of ctx.store.list()) {
    if (!PRUNABLE.has(record.State.Status)) continue;
    if (options.untilMs !== undefined && Date.parse(record.Created) > options.untilMs) continue;
    if (!options.keep(record)) continue;
    const size = await options.sizeRw(record.Id).catch(() => 0);
    try {
      await removeContainer(ctx, record.Id, { force: false });
    } catch (error) {
      // Started (or removed) meanwhile: dockerd skips it rather than failing the prune.
      if (error instanceof EngineError && (error.kind === 'conflict' || error.kind === 'not-found')) continue;
      throw error;
    }
    options.onRemoved?.(record.Id);
    deleted.push(record.Id);
    reclaimed += size;
  }
  ctx.events.publish('container', 'prune', '', { reclaimed: String(reclaimed) });
  return { ContainersDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed };
}
