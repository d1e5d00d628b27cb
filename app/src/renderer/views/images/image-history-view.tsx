// An image's history (route /images/:id): its layers, newest first, as `docker history` shows
// them (GET /images/{name}/history): the instruction that created each, its size and age.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { QueryStatus } from '../../components/empty-state.tsx';
import { formatAbsoluteTime, formatBytes, formatRelativeTime, shortId } from '../../components/format.ts';
import { routes } from '../../routes.ts';
import { imageName } from './image-names.ts';
import './images.css';

/** "/bin/sh -c #(nop)  CMD ["sh"]" → "CMD ["sh"]": the instruction as written in the Dockerfile. */
function instruction(createdBy: string): string {
  return createdBy.replace(/^\/bin\/sh -c #\(nop\)\s+/, '').replace(/^\/bin\/sh -c /, 'RUN ').trim();
}

export function ImageHistoryView({ id: rawId }: { id: string }) {
  const id = decodeURIComponent(rawId);
  const api = useDesktopApi();
  const history = useQuery({ queryKey: queryKeys.imageHistory(id), queryFn: () => api.imageHistory(id) });
  const images = useQuery({ queryKey: queryKeys.images, queryFn: () => api.listImages() });
  const image = images.data?.find((candidate) => candidate.Id === id);
  const name = image ? imageName(image) : shortId(id);
  const total = (history.data ?? []).reduce((sum, layer) => sum + layer.Size, 0);
  return (
    <section aria-labelledby="history-heading">
      <p><Link href={routes.images}>← Images</Link></p>
      <header className="view-header">
        <h1 id="history-heading">History of {name}</h1>
        {history.data && <span className="muted">{history.data.length} layers, {formatBytes(total)}</span>}
      </header>
      <QueryStatus what="the image history" isPending={history.isPending} error={history.error} />
      {history.data && (
        <div className="table-scroll">
          <table aria-label="Layers" className="data-table history-table">
            <thead>
              <tr>
                <th scope="col">Created by</th>
                <th scope="col" className="number">Size</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((layer, i) => (
                <tr key={`${layer.Id}:${i}`}>
                  <td className="mono created-by" title={layer.CreatedBy}>{instruction(layer.CreatedBy) || <span className="muted">(no instruction)</span>}</td>
                  <td className="number">{formatBytes(layer.Size)}</td>
                  <td title={formatAbsoluteTime(layer.Created)}>{formatRelativeTime(layer.Created)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
