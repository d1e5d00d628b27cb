// `GET /system/df` (API spec "SystemDataUsage"): images with their container counts, containers
// with SizeRw/SizeRootFs, volumes with UsageData, and the (classic builder's) empty BuildCache.
// API ≥ 1.42 lets clients ask for some sections only with `type=`; the others are left out.
import { invalid } from '../../../core/errors.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import { containerSummary } from '../../presenters/container-json.ts';
import { findOrphans, orphanBytes } from '../../../services/images/orphans.ts';
import { listImages } from '../images/list-images.ts';
import { volumeJson } from '../volumes/volume-routes.ts';
import { containerSizes } from '../containers/container-sizes.ts';

const TYPES = ['container', 'image', 'volume', 'build-cache'];

export async function diskUsage(s: EngineServices, query: URLSearchParams, version: string): Promise<object> {
  const types = query.getAll('type');
  for (const t of types) if (!TYPES.includes(t)) throw invalid(`unknown object type: ${t}`);
  const wants = (t: string) => types.length === 0 || types.includes(t);
  const out: Record<string, unknown> = {};

  if (wants('image')) {
    const images = (await listImages(s, new URLSearchParams(), version)) as Array<{ Size: number }>;
    // Blobs and layers no image references (a failed pull's downloads) take space image prune
    // gives back: counted here so the CLI shows them in the images' size and as reclaimable.
    const orphans = orphanBytes(await findOrphans(s.images, () => s.containers.store.list()));
    out.LayersSize = images.reduce((sum, image) => sum + image.Size, 0) + orphans;
    out.Images = images;
  }
  if (wants('container')) {
    const records = s.containers.store.list().sort((a, b) => Date.parse(b.Created) - Date.parse(a.Created));
    out.Containers = await Promise.all(records.map(async (record) => {
      const current = s.images.find(record.Config.Image);
      const name = current?.id === record.Image ? record.Config.Image : record.Image;
      return { ...containerSummary(record, name), ...(await containerSizes(s, record)) };
    }));
  }
  if (wants('volume')) {
    const volumes = s.volumes;
    out.Volumes = volumes ? await Promise.all(volumes.list().map(async (v) => volumeJson(v, volumes.path(v.Name), await volumes.usage(v.Name)))) : [];
  }
  if (wants('build-cache')) out.BuildCache = [];
  return out;
}
