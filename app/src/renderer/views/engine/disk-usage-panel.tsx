// The "Disk usage" region (README.md): GET /system/df as `docker system df` shows it.
import { useQuery } from '@tanstack/react-query';
import type { DiskUsage } from '../../../common/docker-types.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { QueryStatus } from '../../components/empty-state.tsx';
import { formatBytes } from '../../components/format.ts';

const ROWS: [keyof DiskUsage, string][] = [['images', 'Images'], ['containers', 'Containers'], ['volumes', 'Volumes'], ['buildCache', 'Build cache']];

export function DiskUsagePanel({ enabled }: { enabled: boolean }) {
  const api = useDesktopApi();
  const usage = useQuery({ queryKey: queryKeys.diskUsage, queryFn: () => api.diskUsage(), enabled, refetchInterval: 30_000 });
  return (
    <section aria-label="Disk usage" className="panel">
      <h2>Disk usage</h2>
      {!enabled && <p className="muted">Shown while the engine runs.</p>}
      {enabled && <QueryStatus what="disk usage" isPending={usage.isPending} error={usage.error} />}
      {usage.data && (
        <table className="data-table compact" aria-label="Disk usage by kind">
          <thead>
            <tr><th scope="col">Kind</th><th scope="col" className="number">Count</th><th scope="col" className="number">Size</th><th scope="col" className="number">Reclaimable</th></tr>
          </thead>
          <tbody>
            {ROWS.map(([key, label]) => {
              const row = usage.data[key];
              return (
                <tr key={key}>
                  <th scope="row">{label}</th>
                  <td className="number">{row.count}</td>
                  <td className="number">{formatBytes(row.size)}</td>
                  <td className="number">{formatBytes(row.reclaimable)}{row.size > 0 ? ` (${Math.round((row.reclaimable / row.size) * 100)}%)` : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
