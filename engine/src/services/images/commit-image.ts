// `docker commit` (API "Image": POST /commit): a new image = the container's image + one layer
// of the container's changes (its overlay upper directory as a tar, whiteouts as `.wh.` entries),
// with the container's run config (dockerd merges it over the image's), then `-c` changes, and
// `-m`/`-a` recorded in the history entry and the config.
import { invalid, notFound } from '../../core/errors.ts';
import type { ImageRunConfig } from '../../core/oci-types.ts';
import { parseReference, withTag } from '../../core/reference.ts';
import type { ContainerContext } from '../containers/context.ts';
import { holdRootfs } from '../containers/container-files.ts';
import { applyConfigChanges } from './config-changes.ts';
import { storeNewImage } from './new-image.ts';

/** The container snapshot `id` (over `topChainId`) as an uncompressed layer tar. */
export type SnapshotLayer = (id: string, topChainId: string | undefined, merged?: string) => Promise<{ tar: Buffer; diffId: string }>;

export interface CommitRequest {
  container: string;
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  changes: string[];
  pause: boolean;
}

/** dockerd merges the container's config under the changed one (daemon/commit.go `merge`): with
 * no entrypoint left, an empty Cmd takes the container's, and an absent Entrypoint too. A new
 * ENTRYPOINT keeps its reset Cmd. */
function mergeContainerCommand(changed: ImageRunConfig, container: { Entrypoint: string[] | null; Cmd: string[] | null }): ImageRunConfig {
  if (changed.Entrypoint && changed.Entrypoint.length > 0) return changed;
  const entrypoint = changed.Entrypoint ?? container.Entrypoint;
  return {
    ...changed,
    Cmd: changed.Cmd && changed.Cmd.length > 0 ? changed.Cmd : container.Cmd,
    // `ENTRYPOINT []` leaves an empty one, which dockerd's image config stores as absent (null).
    Entrypoint: entrypoint && entrypoint.length > 0 ? entrypoint : null,
  };
}

export async function commitContainer(ctx: ContainerContext, snapshotLayer: SnapshotLayer, request: CommitRequest): Promise<string> {
  const record = ctx.store.find(request.container);
  if (!record) throw notFound(`No such container: ${request.container}`);
  let target = request.repo ? parseReference(request.repo, { defaultTag: !request.tag }) : undefined;
  if (target?.digest) throw invalid('refusing to create a tag with a digest reference');
  if (target && request.tag) target = withTag(target, request.tag);
  const { record: image, config: imageConfig } = await ctx.images.resolve(record.Image);
  const c = record.Config;
  const runConfig: ImageRunConfig = {
    ...imageConfig.config,
    User: c.User,
    ExposedPorts: c.ExposedPorts,
    Env: c.Env,
    Entrypoint: c.Entrypoint,
    Cmd: c.Cmd,
    Volumes: c.Volumes,
    WorkingDir: c.WorkingDir,
    Labels: c.Labels,
    ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
    ...(c.Healthcheck ? { Healthcheck: c.Healthcheck } : {}),
    ...(c.OnBuild ? { OnBuild: c.OnBuild } : {}),
    ...(c.Shell ? { Shell: c.Shell } : {}),
  };
  for (const key of Object.keys(runConfig) as Array<keyof ImageRunConfig>) if (runConfig[key] === undefined) delete runConfig[key];
  const changed = mergeContainerCommand(applyConfigChanges(runConfig, request.changes, imageConfig), c);

  // dockerd pauses a running container so the layer is a consistent snapshot (`--pause`, on by
  // default); the runtime's freezer does the same here.
  const running = record.State.Status === 'running';
  const pause = running && request.pause;
  if (pause) await ctx.runtime.pause(record.Id).catch(() => undefined);
  let layer: { tar: Buffer; diffId: string };
  try {
    const { rootfs, release } = await holdRootfs(ctx, record);
    try {
      layer = await snapshotLayer(record.Id, record.TopChainId, rootfs);
    } finally {
      await release();
    }
  } finally {
    if (pause) await ctx.runtime.resume(record.Id).catch(() => undefined);
  }
  await ctx.images.content.put(layer.tar);
  const id = await storeNewImage(ctx.images, {
    base: imageConfig,
    baseLayers: image.layers,
    runConfig: changed,
    history: { created_by: [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])].join(' '), ...(request.author ? { author: request.author } : {}), ...(request.comment ? { comment: request.comment } : {}) },
    author: request.author || undefined,
    comment: request.comment || undefined,
    layerDiffId: layer.diffId,
    // dockerd's commit records the container's image as the parent (ParentImageID): ps
    // ancestor= and the hiding of untagged parents in `docker images` follow it.
    parent: image.id,
  });
  const stored = ctx.images.store.get(id);
  if (target && stored) await ctx.images.tagRecord(stored, target.toString());
  ctx.publish(record, 'commit', { comment: request.comment ?? '', imageID: id, imageRef: target?.familiarName() ?? '' });
  return id;
}
