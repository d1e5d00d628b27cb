// Networks (route /networks): name, driver, subnet, gateway, internal, connected containers;
// create and delete (not the built-ins bridge, host and none, which engines refuse to delete).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { Network } from '../../../common/docker-types.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { EmptyState, QueryStatus } from '../../components/empty-state.tsx';
import { ConfirmDialog } from '../../components/modal-dialog.tsx';
import { SEARCH_ATTRIBUTE } from '../../shortcuts.ts';
import { toastError, toastSuccess } from '../../store/toast-store.ts';
import { CreateNetworkDialog } from './create-network-dialog.tsx';
import { BUILTIN_NETWORKS, connectedContainers, ipamOf } from './network-rows.ts';

export function NetworksView() {
  const api = useDesktopApi();
  const client = useQueryClient();
  const networks = useQuery({ queryKey: queryKeys.networks, queryFn: () => api.listNetworks() });
  const containers = useQuery({ queryKey: queryKeys.containers, queryFn: () => api.listContainers() });
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Network | null>(null);
  const [search, setSearch] = useState('');
  const remove = useMutation({
    mutationFn: (network: Network) => api.removeNetwork(network.Id),
    onSuccess: (_result, network) => toastSuccess(`Deleted network ${network.Name}`),
    onError: (error, network) => toastError(`Could not delete network ${network.Name}`, error),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.networks }),
  });
  const listed = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (networks.data ?? []).filter((network) => !needle || network.Name.toLowerCase().includes(needle)).sort((a, b) => {
      // The built-ins first, as `docker network ls` users know them, then the user's by name.
      const rank = (network: Network) => (BUILTIN_NETWORKS.has(network.Name) ? 0 : 1);
      return rank(a) - rank(b) || a.Name.localeCompare(b.Name);
    });
  }, [networks.data, search]);
  const custom = (networks.data ?? []).filter((network) => !BUILTIN_NETWORKS.has(network.Name)).length;

  return (
    <section className="list-view" aria-labelledby="networks-heading">
      <header className="view-header">
        <h1 id="networks-heading">Networks</h1>
        {networks.data && <span className="muted">{networks.data.length} networks</span>}
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setCreating(true)}>Create network</button>
      </header>
      <QueryStatus what="networks" isPending={networks.isPending} error={networks.error} />
      {networks.data && custom === 0 && (
        <EmptyState title="Only the built-in networks so far">
          <p>Containers on a network of your own reach each other by name. Press <strong>Create network</strong>, then pick it in an image's Run dialog.</p>
        </EmptyState>
      )}
      {networks.data && networks.data.length > 0 && (
        <>
          <div className="view-toolbar">
            <input type="search" aria-label="Search networks" placeholder="Search by name  ( / )" value={search}
              onChange={(event) => setSearch(event.target.value)} {...{ [SEARCH_ATTRIBUTE]: '' }} />
          </div>
          <div className="table-scroll">
            <table aria-label="Networks" className="data-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Driver</th>
                  <th scope="col">Subnet</th>
                  <th scope="col">Gateway</th>
                  <th scope="col">Internal</th>
                  <th scope="col">Containers</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {listed.map((network) => {
                  const { subnet, gateway } = ipamOf(network);
                  const attached = connectedContainers(network, containers.data ?? []);
                  const builtin = BUILTIN_NETWORKS.has(network.Name);
                  const busy = remove.isPending && remove.variables?.Id === network.Id;
                  return (
                    <tr key={network.Id} aria-label={network.Name}>
                      <td className="strong">
                        {network.Name}
                        {builtin && <span className="chip" title="Engines create bridge, host and none themselves; they cannot be deleted">built-in</span>}
                      </td>
                      <td>{network.Driver}</td>
                      <td className="mono">{subnet || '—'}</td>
                      <td className="mono">{gateway || '—'}</td>
                      <td>{network.Internal ? 'Yes' : 'No'}</td>
                      <td>{attached.length > 0 ? attached.join(', ') : <span className="muted">None</span>}</td>
                      <td>
                        <div className="row-actions">
                          {!builtin && <button type="button" className="danger-outline" disabled={busy} aria-busy={busy || undefined} onClick={() => setDeleting(network)}>Delete</button>}
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
      {creating && <CreateNetworkDialog onClose={() => setCreating(false)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete network ${deleting.Name}?`}
          message="Containers still connected to it keep the engine from deleting it."
          confirmLabel="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => { remove.mutate(deleting); setDeleting(null); }}
        />
      )}
    </section>
  );
}
