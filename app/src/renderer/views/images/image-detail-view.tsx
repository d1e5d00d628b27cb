// An image's detail (route /images/:id, opened by the Images row's History button): its layers
// with the instruction that made each and its size (GET /images/{name}/history), its config
// (GET /images/{name}/json), the containers made from it, and Run.
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { QueryStatus } from '../../components/empty-state.tsx';
import { containerName, formatBytes, shortId } from '../../components/format.ts';
import { routes } from '../../routes.ts';
import { historyRows, imageConfigFacts } from './image-facts.ts';
import { ImageConfigTable } from './image-config-table.tsx';
import { LayersTable } from './image-layers-table.tsx';
import { imageName, tagsOf } from './image-names.ts';
import { RunDialog } from './run-dialog.tsx';
import './images.css';

export function ImageDetailView({ id: rawId }: { id: string }) {
  const id = decodeURIComponent(rawId);
  const api = useDesktopApi();
  const [running, setRunning] = useState(false);
  const inspect = useQuery({ queryKey: queryKeys.image(id), queryFn: () => api.inspectImage(id) });
  const history = useQuery({ queryKey: queryKeys.imageHistory(id), queryFn: () => api.imageHistory(id) });
  const images = useQuery({ queryKey: queryKeys.images, queryFn: () => api.listImages() });
  const containers = useQuery({ queryKey: queryKeys.containers, queryFn: () => api.listContainers() });

  // The route may carry an id or a name; the inspect answer says which image it is.
  const imageId = typeof inspect.data?.Id === 'string' ? inspect.data.Id : id;
  const summary = images.data?.find((candidate) => candidate.Id === imageId);
  const name = summary ? imageName(summary) : shortId(imageId);
  const layers = useMemo(() => historyRows(history.data), [history.data]);
  const config = useMemo(() => imageConfigFacts(inspect.data), [inspect.data]);
  const users = (containers.data ?? []).filter((container) => container.ImageID === imageId);
  const total = layers.reduce((sum, layer) => sum + layer.size, 0);

  return (
    <section className="image-detail" aria-labelledby="image-heading">
      <p><Link href={routes.images}>← Images</Link></p>
      <header className="view-header">
        <h1 id="image-heading">{name}</h1>
        <span className="muted mono">{shortId(imageId)}</span>
        <span className="spacer" />
        <button type="button" className="primary" disabled={!inspect.data} onClick={() => setRunning(true)}>Run</button>
      </header>

      <section aria-labelledby="image-config-heading">
        <h2 id="image-config-heading">Configuration</h2>
        <QueryStatus what="the image configuration" isPending={inspect.isPending} error={inspect.error} />
        {inspect.data && <ImageConfigTable facts={config} />}
      </section>

      <section aria-labelledby="image-containers-heading">
        <h2 id="image-containers-heading">Containers using this image</h2>
        <QueryStatus what="containers" isPending={containers.isPending} error={containers.error} />
        {containers.data && (users.length === 0
          ? <p className="muted">No container uses this image.</p>
          : (
            <ul aria-label="Containers using this image" className="image-users">
              {users.map((container) => (
                <li key={container.Id}>
                  <Link href={routes.container(container.Id)}>{containerName(container)}</Link>
                  <span className="muted"> {container.Status || container.State}</span>
                </li>
              ))}
            </ul>
          ))}
      </section>

      <section aria-labelledby="image-layers-heading">
        <header className="view-header">
          <h2 id="image-layers-heading">Layers</h2>
          {history.data && <span className="muted">{layers.length} {layers.length === 1 ? 'entry' : 'entries'}, {formatBytes(total)}</span>}
        </header>
        <QueryStatus what="the image history" isPending={history.isPending} error={history.error} />
        {history.data && <LayersTable layers={layers} />}
      </section>

      {running && (
        <RunDialog image={(summary && tagsOf(summary)[0]) ?? imageId} label={name} onClose={() => setRunning(false)} />
      )}
    </section>
  );
}
