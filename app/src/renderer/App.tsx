// The app shell: server state (react-query) and the DesktopApi for every view, one subscription
// to the engine's events, the sidebar, the banners, the toasts, and the hash routes (routes.ts).
import { QueryClientProvider } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Redirect, Route, Router, Switch, useLocation } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import type { DesktopApi } from '../common/desktop-api.ts';
import { DesktopApiProvider } from './api/api-context.tsx';
import { createQueryClient } from './api/query-client.ts';
import { useEngineEvents } from './api/use-engine-events.ts';
import { useCapabilities, useEngineStatus } from './api/use-engine-status.ts';
import { usePortProblemToasts } from './api/use-port-problem-toasts.ts';
import { AppNav } from './components/app-nav.tsx';
import { StatusBanner } from './components/status-banner.tsx';
import { ToastViewport } from './components/toast-viewport.tsx';
import { useTheme } from './components/use-theme.ts';
import { composeProjectParam, CONTAINER_TABS, routes, type ContainerTab } from './routes.ts';
import { navTargets, useShortcuts } from './shortcuts.ts';
import { ComposeProjectView } from './views/compose/compose-project-view.tsx';
import { ComposeView } from './views/compose/compose-view.tsx';
import { BuildView } from './views/build/build-view.tsx';
import { ContainerDetailView } from './views/container-detail/container-detail-view.tsx';
import { ContainersView } from './views/containers/containers-view.tsx';
import { EngineView } from './views/engine/engine-view.tsx';
import { EnginesView } from './views/engines/engines-view.tsx';
import { HostTerminalView } from './views/host-terminal/host-terminal-view.tsx';
import { ImageDetailView } from './views/images/image-detail-view.tsx';
import { ImagesView } from './views/images/images-view.tsx';
import { NetworksView } from './views/networks/networks-view.tsx';
import { SettingsView } from './views/settings/settings-view.tsx';
import { TroubleshootView } from './views/troubleshoot/troubleshoot-view.tsx';
import { VolumeBrowseView } from './views/volumes/volume-browse-view.tsx';
import { VolumesView } from './views/volumes/volumes-view.tsx';
import { SwarmView } from './views/swarm/swarm-view.tsx';
import './styles/theme.css';
import './styles/app.css';

function asTab(tab: string): ContainerTab | undefined {
  return (CONTAINER_TABS as readonly string[]).includes(tab) ? (tab as ContainerTab) : undefined;
}

function AppRoutes() {
  return (
    <Switch>
      <Route path={routes.containers}><ContainersView /></Route>
      <Route path="/containers/:id/:tab">
        {(params) => {
          const tab = asTab(params.tab);
          return tab ? <ContainerDetailView key={params.id} id={params.id} tab={tab} /> : <Redirect to={routes.container(params.id)} replace />;
        }}
      </Route>
      <Route path="/containers/:id">{(params) => <Redirect to={routes.container(params.id)} replace />}</Route>
      <Route path={routes.images}><ImagesView /></Route>
      <Route path="/images/:id">{(params) => <ImageDetailView key={params.id} id={params.id} />}</Route>
      <Route path={routes.build}><BuildView /></Route>
      <Route path={routes.volumes}><VolumesView /></Route>
      <Route path="/volumes/:name">{(params) => <VolumeBrowseView key={params.name} name={params.name} />}</Route>
      <Route path={routes.networks}><NetworksView /></Route>
      <Route path="/networks/:id"><Redirect to={routes.networks} replace /></Route>
      <Route path={routes.engine}><EngineView /></Route>
      <Route path={routes.swarm}><SwarmView /></Route>
      <Route path={routes.engines}><EnginesView /></Route>
      <Route path={routes.hostTerminal}><HostTerminalView /></Route>
      <Route path={routes.settings}><SettingsView /></Route>
      <Route path={routes.troubleshoot}><TroubleshootView /></Route>
      <Route path={routes.compose}><ComposeView /></Route>
      <Route path="/compose/:project">{(params) => <ComposeProjectView key={params.project} project={composeProjectParam(params.project)} />}</Route>
      <Route><Redirect to={routes.containers} replace /></Route>
    </Switch>
  );
}

function Shell() {
  useEngineEvents();
  useTheme();
  const engine = useEngineStatus();
  usePortProblemToasts(engine);
  const capabilities = useCapabilities();
  const [location, navigate] = useLocation();
  const hostTerminal = capabilities.data?.hostTerminal ?? false;
  const targets = useMemo(() => navTargets(hostTerminal), [hostTerminal]);
  useShortcuts(targets, navigate);
  return (
    <div className="app">
      <AppNav targets={targets} engine={engine} />
      <div className="main-column">
        <StatusBanner engine={engine} offerStart={location !== routes.engine} />
        <main className="view">
          <AppRoutes />
        </main>
      </div>
      <ToastViewport />
    </div>
  );
}

export function App({ api }: { api: DesktopApi }) {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <DesktopApiProvider api={api}>
        <Router hook={useHashLocation}>
          <Shell />
        </Router>
      </DesktopApiProvider>
    </QueryClientProvider>
  );
}
