// One compose project (route /compose/<project>): its services and their containers, the
// whole-project actions, and the merged log of all its services. It wears container-detail's class
// for that view's layout and its log colours (terminal/palette.css scopes them to it).
import { useQuery } from '@tanstack/react-query';
import type { ContainerSummary } from '../../../common/docker-types.ts';
import { useMemo } from 'react';
import { Link, useLocation } from 'wouter';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { QueryStatus } from '../../components/empty-state.tsx';
import { stateText } from '../containers/container-rows.ts';
import { routes } from '../../routes.ts';
import { buildProjects, countsText } from './compose-model.ts';
import { ProjectActions } from './project-actions.tsx';
import { ProjectLogs } from './project-logs.tsx';
import './compose.css';

export function ComposeProjectView({ project }: { project: string }) {
  const api = useDesktopApi();
  const [, navigate] = useLocation();
  const containers = useQuery({ queryKey: queryKeys.containers, queryFn: () => api.listContainers() });
  const row = useMemo(() => buildProjects(containers.data ?? []).find((p) => p.name === project), [containers.data, project]);
  return (
    <section className="container-detail compose-project" aria-labelledby="compose-project-heading">
      <header className="view-header">
        <Link href={routes.compose}>Compose</Link>
        <span aria-hidden="true">›</span>
        <h1 id="compose-project-heading">{project}</h1>
        {row && <span className="muted">{countsText(row)}</span>}
        <span className="spacer" />
        {row && <ProjectActions project={row} onDeleted={() => navigate(routes.compose)} />}
      </header>
      <QueryStatus what="containers" isPending={containers.isPending} error={containers.error} />
      {containers.data && !row && <p className="muted">No containers belong to this project now.</p>}
      {row && (row.services.length > 0 || row.oneOff.length > 0) && (
        <table aria-label="Services" className="data-table compose-service-table">
          <thead><tr><th scope="col">Service</th><th scope="col">Container</th><th scope="col">State</th></tr></thead>
          <tbody>
            {row.services.flatMap((service) => service.containers.map((c) => (
              <tr key={c.id} aria-label={c.name}>
                <td className="strong">{service.name}</td>
                <td><Link href={routes.container(c.id)}>{c.name}</Link></td>
                <td><span className={`status-dot state-${c.state}`} aria-hidden="true" /> {stateText({ State: c.state as ContainerSummary['State'], Status: '' })}</td>
              </tr>
            )))}
            {row.oneOff.map((c) => (
              <tr key={c.id} aria-label={c.name}>
                <td className="muted">one-off (compose run)</td>
                <td><Link href={routes.container(c.id)}>{c.name}</Link></td>
                <td><span className={`status-dot state-${c.state}`} aria-hidden="true" /> {stateText({ State: c.state as ContainerSummary['State'], Status: '' })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ProjectLogs project={project} services={row?.services.map((service) => service.name) ?? []} />
    </section>
  );
}
