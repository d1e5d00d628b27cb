// Compose (route /compose): every compose project the engine runs, from its containers' labels,
// with its services, state counts and whole-project actions, plus the projects opened before
// (remembered by the backend) that are down now. "Open compose file…" brings one up through the
// Compose CLI. Data: the containers list (invalidated by engine events) and the remembered list.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link } from 'wouter';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { EmptyState, QueryStatus } from '../../components/empty-state.tsx';
import { routes } from '../../routes.ts';
import { useEngineStatus } from '../../api/use-engine-status.ts';
import { buildProjects, countsText, engineIsRemote, type ComposeProjectRow } from './compose-model.ts';
import { ComposeCliPanel, OpenComposeFile, REMEMBERED_KEY } from './compose-open.tsx';
import { useComposeRun } from './compose-run-store.ts';
import { ProjectActions } from './project-actions.tsx';
import './compose.css';

function ProjectRow({ project }: { project: ComposeProjectRow }) {
  const api = useDesktopApi();
  const start = useComposeRun((state) => state.start);
  const show = useComposeRun((state) => state.show);
  const files = { files: project.files, workingDir: project.workingDir, project: project.name };
  return (
    <tr aria-label={project.name}>
      <td className="strong"><Link href={routes.composeProject(project.name)}>{project.name}</Link></td>
      <td>
        <ul className="compose-services" aria-label={`Services of ${project.name}`}>
          {project.services.map((service) => (
            <li key={service.name} className="chip" title={service.containers.map((c) => `${c.name}: ${c.state}`).join('\n')}>
              <span className={`status-dot state-${service.state === 'stopped' ? 'exited' : service.state}`} aria-hidden="true" />
              {service.name}{service.containers.length > 1 ? ` ×${service.containers.length}` : ''}
            </li>
          ))}
          {project.oneOff.length > 0 && (
            <li className="chip muted" title={project.oneOff.map((c) => `${c.name}: ${c.state}`).join('\n')}>
              one-off (compose run){project.oneOff.length > 1 ? ` ×${project.oneOff.length}` : ''}
            </li>
          )}
        </ul>
      </td>
      <td>{countsText(project)}</td>
      <td className="mono compose-dir" title={project.files.join('\n')}>{project.workingDir ?? '—'}</td>
      <td>
        {project.down ? (
          <div className="row-actions">
            <button type="button" className="primary" onClick={() => start(api, files, 'up')}>Up</button>
            <button type="button" onClick={() => show(files)}>Open</button>
          </div>
        ) : <ProjectActions project={project} />}
      </td>
    </tr>
  );
}

export function ComposeView() {
  const api = useDesktopApi();
  const containers = useQuery({ queryKey: queryKeys.containers, queryFn: () => api.listContainers() });
  const remembered = useQuery({ queryKey: REMEMBERED_KEY, queryFn: () => api.rememberedComposeProjects() });
  const run = useComposeRun((state) => state.run);
  const projects = useMemo(() => buildProjects(containers.data ?? [], remembered.data ?? []), [containers.data, remembered.data]);
  const live = projects.filter((p) => !p.down).length;
  const endpoint = useEngineStatus()?.endpoint;

  return (
    <section className="list-view" aria-labelledby="compose-heading">
      <header className="view-header">
        <h1 id="compose-heading">Compose</h1>
        {containers.data && <span className="muted">{live} projects running</span>}
        <span className="spacer" />
        <OpenComposeFile />
      </header>
      {engineIsRemote(endpoint) && (
        <p role="note" className="compose-remote">
          The engine is on another machine (<code>{endpoint}</code>). Compose files are read on the machine Berth runs on, where the Compose
          CLI runs, and that is fine; but what they bind-mount (<code>./data:/data</code>) is a path on the engine&apos;s machine, and the
          folders below are where each project was brought up, not necessarily here.
        </p>
      )}
      {run && <ComposeCliPanel files={run.files} />}
      <QueryStatus what="containers" isPending={containers.isPending} error={containers.error} />
      {containers.data && projects.length === 0 && (
        <EmptyState title="No compose projects yet">
          <p>Open a compose file to bring a project up, or run <code>docker compose up</code> against this engine: its projects show up here.</p>
        </EmptyState>
      )}
      {projects.length > 0 && (
        <div className="table-scroll">
          <table aria-label="Compose projects" className="data-table">
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Services</th>
                <th scope="col">State</th>
                <th scope="col">Folder</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {projects.map((project) => <ProjectRow key={project.name} project={project} />)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
