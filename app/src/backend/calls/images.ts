// Image calls (Docker API "Image" section).
import type { ImageHistoryEntry, ImageSummary } from '../../common/docker-types.ts';
import { optionsObject, optionalBoolean, resourceId } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { engineJson } from '../engine-request.ts';
import { checkRepositoryName, checkTag } from '../image-reference.ts';

/** Image names may hold '/', ':' and '@' (127.0.0.1:5000/busybox:latest): keep them, escape the rest. */
function imagePath(id: unknown): string {
  return encodeURI(resourceId(id, 'image'));
}

export function listImages(context: BackendContext): Promise<ImageSummary[]> {
  return engineJson(context.target.docker, { method: 'GET', path: '/images/json' });
}

export function inspectImage(context: BackendContext, id: unknown): Promise<Record<string, unknown>> {
  return engineJson(context.target.docker, { method: 'GET', path: `/images/${imagePath(id)}/json` });
}

export function imageHistory(context: BackendContext, id: unknown): Promise<ImageHistoryEntry[]> {
  return engineJson(context.target.docker, { method: 'GET', path: `/images/${imagePath(id)}/history` });
}

export async function tagImage(context: BackendContext, id: unknown, repo: unknown, tag: unknown): Promise<void> {
  const path = imagePath(id);
  const repository = checkRepositoryName(repo);
  await engineJson(context.target.docker, { method: 'POST', path: `/images/${path}/tag`, query: { repo: repository, tag: checkTag(tag) } });
}

export async function removeImage(context: BackendContext, id: unknown, options: unknown): Promise<{ untagged: string[]; deleted: string[] }> {
  const path = imagePath(id);
  const force = optionalBoolean(optionsObject(options, 'remove options').force, 'force') ?? false;
  const items = await engineJson<{ Untagged?: string; Deleted?: string }[] | undefined>(context.target.docker, {
    method: 'DELETE', path: `/images/${path}`, query: { force },
  });
  const list = Array.isArray(items) ? items : [];
  return {
    untagged: list.flatMap((item) => (item.Untagged ? [item.Untagged] : [])),
    deleted: list.flatMap((item) => (item.Deleted ? [item.Deleted] : [])),
  };
}

export async function pruneImages(context: BackendContext): Promise<{ deleted: number; spaceReclaimed: number }> {
  // Dangling only, as Docker Desktop's "Clean up" and `docker image prune` without -a.
  const result = await engineJson<{ ImagesDeleted?: { Deleted?: string }[] | null; SpaceReclaimed?: number }>(context.target.docker, {
    method: 'POST', path: '/images/prune', query: { filters: JSON.stringify({ dangling: ['true'] }) },
  });
  return {
    deleted: (result.ImagesDeleted ?? []).filter((item) => item.Deleted).length,
    spaceReclaimed: result.SpaceReclaimed ?? 0,
  };
}
