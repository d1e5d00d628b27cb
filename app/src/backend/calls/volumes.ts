// Volume calls (Docker API "Volume" section), with sizes from GET /system/df where the engine
// reports them (GET /volumes leaves UsageData out).
import type { Volume } from '../../common/docker-types.ts';
import { optionsObject, optionalBoolean, optionalString, requireObject, resourceId } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { badRequest } from '../backend-error.ts';
import { engineJson } from '../engine-request.ts';
import { VOLUME_NAME } from './run-spec.ts';

export async function listVolumes(context: BackendContext): Promise<Volume[]> {
  const docker = context.target.docker;
  const [list, df] = await Promise.all([
    engineJson<{ Volumes: Volume[] | null }>(docker, { method: 'GET', path: '/volumes' }),
    engineJson<{ Volumes?: Volume[] | null }>(docker, { method: 'GET', path: '/system/df', query: { type: 'volume' } }).catch(() => undefined),
  ]);
  const usage = new Map((df?.Volumes ?? []).map((v) => [v.Name, v.UsageData ?? null]));
  return (list.Volumes ?? []).map((volume) => {
    const data = volume.UsageData ?? usage.get(volume.Name);
    // -1 means "not computed" in the API: show no size rather than a negative one.
    return data && data.Size >= 0 ? { ...volume, UsageData: data } : { ...volume, UsageData: volume.UsageData ?? null };
  });
}

export async function createVolume(context: BackendContext, value: unknown): Promise<Volume> {
  const spec = requireObject(value ?? {}, 'volume spec');
  const name = optionalString(spec.name, 'name');
  if (name !== undefined && !VOLUME_NAME.test(name)) {
    throw badRequest(`volume name "${name}" is not valid: use letters, digits, _ . - (at least two characters, starting with a letter or digit)`);
  }
  let labels: Record<string, string> = {};
  if (spec.labels !== undefined && spec.labels !== null) {
    const raw = requireObject(spec.labels, 'labels');
    if (Object.values(raw).some((v) => typeof v !== 'string')) throw badRequest('labels must map names to strings');
    labels = raw as Record<string, string>;
  }
  return engineJson(context.target.docker, { method: 'POST', path: '/volumes/create', body: { Name: name ?? '', Labels: labels } });
}

export async function removeVolume(context: BackendContext, name: unknown, options: unknown): Promise<void> {
  const volume = encodeURIComponent(resourceId(name, 'volume name'));
  const force = optionalBoolean(optionsObject(options, 'remove options').force, 'force') ?? false;
  await engineJson(context.target.docker, { method: 'DELETE', path: `/volumes/${volume}`, query: { force } });
}

export function inspectVolume(context: BackendContext, name: unknown): Promise<Volume> {
  return engineJson(context.target.docker, { method: 'GET', path: `/volumes/${encodeURIComponent(resourceId(name, 'volume name'))}` });
}
