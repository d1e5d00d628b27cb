// `size=1` on `GET /containers/json` and `GET /containers/{id}/json` (what `docker ps -s` and
// `docker inspect -s` ask for), and the containers of `GET /system/df`: SizeRw is what the
// container wrote (its upper directory), SizeRootFs that plus its image ("virtual" in `ps -s`).
import type { ContainerRecord } from '../../../core/container-types.ts';
import type { EngineServices } from '../../../services/engine-services.ts';
import type { ContainerSizes } from '../../presenters/container-json.ts';

export async function containerSizes(s: EngineServices, record: ContainerRecord): Promise<ContainerSizes> {
  const dirSize = s.observability?.dirSize;
  const sizeRw = dirSize ? await dirSize(s.containerPaths(record.Id).upperDir).catch(() => 0) : 0;
  const imageSize = s.images.store.get(record.Image)?.size ?? 0;
  return { SizeRw: sizeRw, SizeRootFs: sizeRw + imageSize };
}

/** Adds the sizes to list items (API "ContainerSummary": after Ports, as dockerd orders them). */
export async function withSizes(s: EngineServices, items: object[]): Promise<object[]> {
  return Promise.all(items.map(async (item) => {
    const record = s.containers.store.find((item as { Id: string }).Id);
    if (!record) return item;
    const sizes = await containerSizes(s, record);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item)) {
      out[key] = value;
      if (key === 'Ports') Object.assign(out, sizes);
    }
    return out;
  }));
}
