// Volumes (route /volumes): name, driver, size (from /system/df's UsageData when the engine
// knows it), age and which containers mount it; create, browse, delete.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import type { Volume } from '../../../common/docker-types.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { EmptyState, QueryStatus } from '../../components/empty-state.tsx';
import { containerName, formatBytes, formatRelativeDate } from '../../components/format.ts';
import { ConfirmDialog } from '../../components/modal-dialog.tsx';
import { routes } from '../../routes.ts';
import { SEARCH_ATTRIBUTE } from '../../shortcuts.ts';
import { toastError, toastSuccess } from '../../store/toast-store.ts';
import { CreateVolumeDialog } from './create-volume-dialog.tsx';

export function VolumesView() {
  const api = useDesktopApi();
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const volumes = useQuery({ queryKey: queryKeys.volumes, queryFn: () => api.listVolumes() });
  const containers = useQuery({ queryKey: queryKeys.containers, queryFn: () => api.listContainers() });
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Volume | null>(null);
  const [search, setSearch] = useState('');
  const remove = useMutation({
    mutationFn: (name: string) => api.removeVolume(name, { force: false }),
    onSuccess: (_result, name) => toastSuccess(`Deleted volume ${name}`),
    onError: (error, name) => toastError(`Could not delete volume ${name}`, error),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.volumes }),
  });

  // Which containers mount each volume (the list's Mounts name it).
  const users = useMemo(() => {
    const byVolume = new Map<string, string[]>();
    for (const container of containers.data ?? []) {
      for (const mount of container.Mounts ?? []) {
        if (mount.Type !== 'volume' || !mount.Name) continue;
        byVolume.set(mount.Name, [...(byVolume.get(mount.Name) ?? []), containerName(container)]);
      }
    }
    return byVolume;
  }, [containers.data]);
  const listed = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (volumes.data ?? []).filter((volume) => !needle || volume.Name.toLowerCase().includes(needle)).sort((a, b) => a.Name.localeCompare(b.Name));
  }, [volumes.data, search]);

  return (
    <section className="list-view" aria-labelledby="volumes-heading">
      <header className="view-header">
        <h1 id="volumes-heading">Volumes</h1>
        {volumes.data && <span className="muted">{volumes.data.length} volumes</span>}
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setCreating(true)}>Create volume</button>
      </header>
      <QueryStatus what="volumes" isPending={volumes.isPending} error={volumes.error} />
      {volumes.data?.length === 0 && (
        <EmptyState title="No volumes yet">
          <p>Volumes keep data beyond a container's life. Press <strong>Create volume</strong>, then mount it from an image's Run dialog (<code>name:/path</code>).</p>
        </EmptyState>
      )}
      {volumes.data && volumes.data.length > 0 && (
        <>
          <div className="view-toolbar">
            <input type="search" aria-label="Search volumes" placeholder="Search by name  ( / )" value={search}
              onChange={(event) => setSearch(event.target.value)} {...{ [SEARCH_ATTRIBUTE]: '' }} />
          </div>
          <div className="table-scroll">
            <table aria-label="Volumes" className="data-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Driver</th>
                  <th scope="col" className="number">Size</th>
                  <th scope="col">Created</th>
                  <th scope="col">Used by</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {listed.map((volume) => {
                  const usedBy = users.get(volume.Name) ?? [];
                  const size = volume.UsageData && volume.UsageData.Size >= 0 ? formatBytes(volume.UsageData.Size) : '—';
                  return (
                    <tr key={volume.Name} aria-label={volume.Name}>
                      <td className="strong mono" title={volume.Mountpoint}>{volume.Name}</td>
                      <td>{volume.Driver}</td>
                      <td className="number">{size}</td>
                      <td>{formatRelativeDate(volume.CreatedAt)}</td>
                      <td>{usedBy.length > 0 ? usedBy.join(', ') : <span className="muted">Unused</span>}</td>
                      <td>
                        <div className="row-actions">
                          <button type="button" onClick={() => navigate(routes.volume(volume.Name))}>Browse</button>
                          <button type="button" className="danger-outline" disabled={remove.isPending && remove.variables === volume.Name}
                            aria-busy={(remove.isPending && remove.variables === volume.Name) || undefined} onClick={() => setDeleting(volume)}>Delete</button>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {creating && <CreateVolumeDialog onClose={() => setCreating(false)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete volume ${deleting.Name}?`}
          message="Its data is deleted for good. A volume a container uses cannot be deleted."
          confirmLabel="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => { remove.mutate(deleting.Name); setDeleting(null); }}
        />
      )}
    </section>
  );
}
