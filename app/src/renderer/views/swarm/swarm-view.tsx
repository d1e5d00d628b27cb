// Swarm (route /swarm): on an engine that is a swarm manager (Info.Swarm.ControlAvailable), its
// nodes, services (image, running/desired replicas, published ports), stacks, and a selected
// service's tasks and logs; services are created, scaled, moved to another image and removed, and
// stacks deployed with the docker CLI. On any other engine the view says why, in the engine's own
// words, and offers nothing that could not work.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { SwarmService } from '../../../common/desktop-api.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { EmptyState, QueryStatus } from '../../components/empty-state.tsx';
import { ConfirmDialog } from '../../components/modal-dialog.tsx';
import { toastError, toastSuccess } from '../../store/toast-store.ts';
import { CreateServiceDialog } from './create-service-dialog.tsx';
import { DeployStackDialog } from './deploy-stack-dialog.tsx';
import { NumberDialog, TextDialog } from './value-dialogs.tsx';
import { ServicePanel } from './service-panel.tsx';
import { NodesTable, StacksTable, portsText } from './swarm-tables.tsx';

/** Task states change without an engine event reaching us; the lists are refreshed this often. */
const REFRESH_MS = 2000;

export function SwarmView() {
  const api = useDesktopApi();
  const status = useQuery({ queryKey: queryKeys.swarmStatus, queryFn: () => api.swarmStatus(), refetchInterval: 5000 });
  return (
    <section className="list-view" aria-labelledby="swarm-heading">
      <header className="view-header">
        <h1 id="swarm-heading">Swarm</h1>
      </header>
      <QueryStatus what="the swarm status" isPending={status.isPending} error={status.error} />
      {status.data && !status.data.manager && (
        <EmptyState title="This engine is not a swarm manager">
          <p role="status" className="swarm-reason">{status.data.reason ?? `Its swarm state is "${status.data.nodeState}".`}</p>
          <p>Nodes, services and stacks can be shown and changed on a manager only. Make another engine current (one that is a manager of a swarm, such as a dockerd after <code>docker swarm init</code>) in the Engine view.</p>
        </EmptyState>
      )}
      {status.data?.manager && <ManagerView />}
    </section>
  );
}

function ManagerView() {
  const api = useDesktopApi();
  const client = useQueryClient();
  const nodes = useQuery({ queryKey: queryKeys.swarmNodes, queryFn: () => api.listSwarmNodes(), refetchInterval: REFRESH_MS * 5 });
  const services = useQuery({ queryKey: queryKeys.swarmServices, queryFn: () => api.listSwarmServices(), refetchInterval: REFRESH_MS });
  const stacks = useQuery({ queryKey: queryKeys.swarmStacks, queryFn: () => api.listStacks(), refetchInterval: REFRESH_MS * 2 });
  const [selected, setSelected] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [deploying, setDeploying] = useState(false);
  const [scaling, setScaling] = useState<SwarmService>();
  const [updating, setUpdating] = useState<SwarmService>();
  const [removing, setRemoving] = useState<SwarmService>();
  const [removingStack, setRemovingStack] = useState<string>();
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.swarm });
  const scale = useMutation({
    mutationFn: (args: { service: SwarmService; replicas: number }) => api.scaleSwarmService(args.service.id, args.replicas),
    onSuccess: (_r, { service, replicas }) => toastSuccess(`Scaling ${service.name} to ${replicas}`),
    onError: (error, { service }) => toastError(`Could not scale ${service.name}`, error),
    onSettled: refresh,
  });
  const update = useMutation({
    mutationFn: (args: { service: SwarmService; image: string }) => api.updateSwarmServiceImage(args.service.id, args.image),
    onSuccess: (_r, { service, image }) => toastSuccess(`Updating ${service.name} to ${image}`),
    onError: (error, { service }) => toastError(`Could not update ${service.name}`, error),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (service: SwarmService) => api.removeSwarmService(service.id),
    onSuccess: (_r, service) => {
      toastSuccess(`Removed service ${service.name}`);
      if (selected === service.id) setSelected(undefined);
    },
    onError: (error, service) => toastError(`Could not remove ${service.name}`, error),
    onSettled: refresh,
  });
  const removeStack = useMutation({
    mutationFn: (name: string) => api.removeStack(name),
    onSuccess: (_r, name) => toastSuccess(`Removed stack ${name}`),
    onError: (error, name) => toastError(`Could not remove stack ${name}`, error),
    onSettled: refresh,
  });
  const chosen = services.data?.find((s) => s.id === selected);

  return (
    <>
      <h2>Nodes</h2>
      <QueryStatus what="nodes" isPending={nodes.isPending} error={nodes.error} />
      {nodes.data && <NodesTable nodes={nodes.data} />}

      <div className="view-header">
        <h2 id="services-heading">Services</h2>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setCreating(true)}>Create service</button>
      </div>
      <QueryStatus what="services" isPending={services.isPending} error={services.error} />
      {services.data?.length === 0 && <p className="muted">No services yet. Create one from an image, or deploy a compose file as a stack.</p>}
      {services.data && services.data.length > 0 && (
        <div className="table-scroll">
          <table aria-label="Services" className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Image</th>
                <th scope="col">Mode</th>
                <th scope="col" className="number">Replicas</th>
                <th scope="col">Ports</th>
                <th scope="col">Stack</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {services.data.map((service) => (
                <tr key={service.id} aria-label={service.name} aria-selected={service.id === selected || undefined}>
                  <td className="strong mono">{service.name}</td>
                  <td className="mono">{service.image}</td>
                  <td>{service.mode}</td>
                  <td className="number" aria-label="Replicas running/desired">{service.replicasRunning}/{service.replicasDesired}</td>
                  <td className="mono">{portsText(service.ports) || <span className="muted">—</span>}</td>
                  <td>{service.stack ?? <span className="muted">—</span>}</td>
                  <td>
                    <div className="row-actions">
                      <button type="button" onClick={() => setSelected(service.id)}>Tasks &amp; logs</button>
                      {service.mode === 'replicated' && <button type="button" onClick={() => setScaling(service)}>Scale</button>}
                      <button type="button" onClick={() => setUpdating(service)}>Update image</button>
                      <button type="button" className="danger-outline" onClick={() => setRemoving(service)}>Remove</button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {chosen && <ServicePanel key={chosen.id} service={chosen} onClose={() => setSelected(undefined)} />}

      <div className="view-header">
        <h2>Stacks</h2>
        <span className="spacer" />
        <button type="button" onClick={() => setDeploying(true)}>Deploy stack</button>
      </div>
      <QueryStatus what="stacks" isPending={stacks.isPending} error={stacks.error} />
      {stacks.data && <StacksTable stacks={stacks.data} onRemove={setRemovingStack} />}

      {creating && <CreateServiceDialog onClose={() => setCreating(false)} />}
      {deploying && <DeployStackDialog onClose={() => setDeploying(false)} />}
      {scaling && (
        <NumberDialog title={`Scale ${scaling.name}`} label="Replicas" initial={scaling.replicasDesired} min={0} max={10000}
          onCancel={() => setScaling(undefined)}
          onSubmit={(replicas) => { scale.mutate({ service: scaling, replicas }); setScaling(undefined); }} />
      )}
      {updating && (
        <TextDialog title={`Update ${updating.name}`} label="Image" initial={updating.image} submitLabel="Update"
          onCancel={() => setUpdating(undefined)}
          onSubmit={(image) => { update.mutate({ service: updating, image }); setUpdating(undefined); }} />
      )}
      {removing && (
        <ConfirmDialog title={`Remove service ${removing.name}?`} message="Its tasks are stopped and removed." confirmLabel="Remove"
          onCancel={() => setRemoving(undefined)} onConfirm={() => { remove.mutate(removing); setRemoving(undefined); }} />
      )}
      {removingStack && (
        <ConfirmDialog title={`Remove stack ${removingStack}?`} message="Its services, networks, secrets and configs are removed (docker stack rm)." confirmLabel="Remove"
          onCancel={() => setRemovingStack(undefined)} onConfirm={() => { removeStack.mutate(removingStack); setRemovingStack(undefined); }} />
      )}
    </>
  );
}
