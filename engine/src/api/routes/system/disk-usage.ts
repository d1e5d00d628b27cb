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
    // SharedSize: the image's layers that other images use too (dockerd counts references over
    // every image, step images included). The CLI counts an image in use by a container as not
    // reclaimable except for that shared part; -1 would make it all reclaimable.
    const records = s.images.store.list();
    const refs = new Map<string, number>();
    for (const record of records) for (const layer of record.layers) refs.set(layer.chainId, (refs.get(layer.chainId) ?? 0) + 1);
    const sharedSize = (id: string) => (s.images.store.get(id)?.layers ?? []).reduce((sum, layer) => sum + ((refs.get(layer.chainId) ?? 0) > 1 ? layer.size : 0), 0);
    const images = ((await listImages(s, new URLSearchParams(), version)) as Array<{ Id: string; Size: number }>).map((image) => ({ ...image, SharedSize: sharedSize(image.Id) }));
    // Blobs and layers no image references (a failed pull's downloads) take space image prune
    // gives back: counted here so the CLI shows them in the images' size and as reclaimable.
    const orphans = orphanBytes(await findOrphans(s.images, () => s.containers.store.list()));
    // Each layer once, however many images share it (dockerd sums its layer store).
    const unique = new Map<string, number>();
    for (const record of records) for (const layer of record.layers) unique.set(layer.chainId, layer.size);
    out.LayersSize = [...unique.values()].reduce((sum, size) => sum + size, 0) + orphans;
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
