// Engine calls: capabilities, status, start/stop/restart (and the VM's reset) of Berth's own engine, disk usage.
import type { Capabilities, EngineStatus } from '../../common/desktop-api.ts';
import type { DiskUsage } from '../../common/docker-types.ts';
import { requireOneOf } from '../argument-checks.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError } from '../backend-error.ts';
import { engineJson } from '../engine-request.ts';
import { isControllable, readEngineStatus } from './engine-status.ts';

export function capabilities(context: BackendContext): Capabilities {
  return { hostTerminal: context.hostTerminal, platform: process.platform, shell: context.shell };
}

export async function engineControl(context: BackendContext, action: unknown): Promise<EngineStatus> {
  const verb = requireOneOf(action, ['start', 'stop', 'restart', 'reset'] as const, 'engine action');
  const local = context.localEngine;
  if (!local) {
    throw new BackendError(409, `This backend cannot ${verb} engines: it does not run one of its own. Start or stop the engine at ${context.target.endpoint} where it runs.`);
  }
  if (!isControllable(context)) {
    const done = { stop: 'stopped', start: 'started', restart: 'restarted', reset: 'reset' }[verb];
    throw new BackendError(409, `The engine at ${context.target.endpoint} is not Berth's own engine (${local.endpoint}), so it cannot be ${done} from here. Switch to Berth's engine first.`);
  }
  if (verb === 'reset') {
    if (!local.reset) throw new BackendError(409, 'Only the Berth VM can be reset (its data disk wiped); this engine runs on the local kernel.');
    await local.reset();
    return readEngineStatus(context);
  }
  if (verb === 'stop' || verb === 'restart') await local.stop();
  if (verb === 'start' || verb === 'restart') await local.start();
  return readEngineStatus(context);
}

interface SystemDf {
  LayersSize?: number;
  Images?: { Size?: number; SharedSize?: number; Containers?: number }[] | null;
  Containers?: { SizeRw?: number; State?: string }[] | null;
  Volumes?: { UsageData?: { Size?: number; RefCount?: number } | null }[] | null;
  BuildCache?: { Size?: number; InUse?: boolean; Shared?: boolean }[] | null;
}

const positive = (n: number | undefined) => (typeof n === 'number' && n > 0 ? n : 0);

/** GET /system/df summed into the totals `docker system df` prints (size and reclaimable). */
export function summarizeDiskUsage(df: SystemDf): DiskUsage {
  const images = df.Images ?? [];
  // Layers shared between images count once: LayersSize is the engine's deduplicated total.
  const imageSize = typeof df.LayersSize === 'number' ? df.LayersSize : images.reduce((sum, i) => sum + positive(i.Size), 0);
  const imagesInUse = images.filter((i) => positive(i.Containers) > 0)
    .reduce((sum, i) => sum + positive(i.Size) - positive(i.SharedSize), 0);
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];
  return {
    images: { count: images.length, size: imageSize, reclaimable: Math.max(0, imageSize - imagesInUse) },
    containers: {
      count: containers.length,
      size: containers.reduce((sum, c) => sum + positive(c.SizeRw), 0),
      reclaimable: containers.filter((c) => c.State !== 'running' && c.State !== 'paused' && c.State !== 'restarting')
        .reduce((sum, c) => sum + positive(c.SizeRw), 0),
    },
    volumes: {
      count: volumes.length,
      size: volumes.reduce((sum, v) => sum + positive(v.UsageData?.Size), 0),
      reclaimable: volumes.filter((v) => v.UsageData?.RefCount === 0).reduce((sum, v) => sum + positive(v.UsageData?.Size), 0),
    },
    buildCache: {
      count: cache.length,
      size: cache.reduce((sum, b) => sum + positive(b.Size), 0),
      reclaimable: cache.filter((b) => !b.InUse && !b.Shared).reduce((sum, b) => sum + positive(b.Size), 0),
    },
  };
}

export async function diskUsage(context: BackendContext): Promise<DiskUsage> {
  return summarizeDiskUsage(await engineJson<SystemDf>(context.target.docker, { method: 'GET', path: '/system/df' }));
}
