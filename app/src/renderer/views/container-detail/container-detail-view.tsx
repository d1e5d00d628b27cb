// Container detail (route /containers/:id/:tab): header with name, image, state, ports and the
// lifecycle buttons, then the Logs / Inspect / Stats / Terminal / Files tabs. Its data is the
// inspect query, which the engine's event stream keeps fresh (query-keys.ts).
import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { DesktopApiError } from '../../../common/desktop-api.ts';
import type { ContainerState } from '../../../common/docker-types.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { ContainerActions } from '../../components/container-actions.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { routes, type ContainerTab } from '../../routes.ts';
import { ContainerHeader } from './container-header.tsx';
import { containerInfo, type ContainerInfo } from './container-info.ts';
import { DetailTabs, panelId, tabId } from './detail-tabs.tsx';
import { FilesTab } from './files-tab.tsx';
import { InspectTab } from './inspect/inspect-tab.tsx';
import { LogsTab } from './logs/logs-tab.tsx';
import { StatsTab } from './stats/stats-tab.tsx';
import { TerminalTab } from './terminal-tab.tsx';
import '../../terminal/palette.css';
import './container-detail.css';

function TabPanel({ tab, info, inspect }: { tab: ContainerTab; info: ContainerInfo; inspect: Record<string, unknown> }) {
  switch (tab) {
    case 'logs': return <LogsTab id={info.id} name={info.name} running={info.running} startedAt={info.startedAt} />;
    case 'inspect': return <InspectTab inspect={inspect} />;
    case 'stats': return <StatsTab id={info.id} running={info.running && !info.paused} startedAt={info.startedAt} />;
    case 'terminal': return <TerminalTab id={info.id} running={info.running && !info.paused} startedAt={info.startedAt} />;
    case 'files': return <FilesTab id={info.id} />;
  }
}

export function ContainerDetailView({ id, tab }: { id: string; tab: ContainerTab }) {
  const api = useDesktopApi();
  const inspect = useQuery({
    queryKey: queryKeys.container(id),
    queryFn: () => api.inspectContainer(id),
    // A removed container answers 404: say so at once instead of retrying.
    retry: (failures, error) => (error as DesktopApiError).status !== 404 && failures < 2,
  });

  if (inspect.isError) {
    const error = inspect.error as DesktopApiError;
    const gone = error.status === 404;
    return (
      <section className="container-detail">
        <h1>{gone ? 'Container not found' : 'Container unavailable'}</h1>
        <p role={gone ? undefined : 'alert'}>
          {gone ? `The container ${id} no longer exists. It may have been removed.` : `The container could not be read: ${error.message}`}
        </p>
        <p><Link href={routes.containers}>Back to Containers</Link></p>
      </section>
    );
  }
  if (!inspect.data) {
    return <section className="container-detail"><p role="status">Loading container…</p></section>;
  }

  const info = containerInfo(inspect.data, id);
  return (
    <section className="container-detail">
      <ContainerHeader
        info={info}
        actions={<ContainerActions container={{ Id: info.id, Names: [`/${info.name}`], State: (info.paused ? 'paused' : info.status) as ContainerState }} />}
      />
      <DetailTabs id={id} current={tab} />
      <div className="detail-panel" role="tabpanel" id={panelId(tab)} aria-labelledby={tabId(tab)}>
        <TabPanel key={`${tab}:${info.id}`} tab={tab} info={info} inspect={inspect.data} />
      </div>
    </section>
  );
}
