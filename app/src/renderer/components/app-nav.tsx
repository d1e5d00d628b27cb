// The sidebar: the "Main" navigation (README.md) and the engine's state at a glance. (The theme
// is chosen on the Settings screen.)
import { useQuery } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { useDesktopApi } from '../api/api-context.tsx';
import { queryKeys } from '../api/query-keys.ts';
import { routes } from '../routes.ts';
import type { EngineStatus } from '../../common/desktop-api.ts';
import { vmStatusText } from '../../common/vm-words.ts';
import type { NavTarget } from '../shortcuts.ts';
import { ENGINE_STATE_TEXT } from './engine-state.ts';

const NAV_ICONS: Record<string, string> = {
  Containers: '▣', Compose: '❏', Images: '◧', Build: '⚒', Volumes: '⛁', Networks: '⇄', Engine: '⚙', Swarm: '⬡', Terminal: '›_', Settings: '☰', Troubleshoot: '⚕',
};

/** Which engine is current (of several: docker contexts, added ones); a link to the Engines view. */
function CurrentEngineLink() {
  const api = useDesktopApi();
  const endpoints = useQuery({ queryKey: queryKeys.endpoints, queryFn: () => api.listEndpoints() });
  const current = endpoints.data?.endpoints.find((endpoint) => endpoint.id === endpoints.data?.currentId);
  const label = current?.label ?? endpoints.data?.current;
  return (
    <Link href={routes.engines} className="current-engine-link" aria-label={`Engines (current: ${label ?? 'unknown'})`} title={endpoints.data?.current}>
      <span className="nav-icon" aria-hidden="true">◉</span> <span className="current-engine-name">{label ?? 'Engines'}</span>
    </Link>
  );
}

export function AppNav({ targets, engine }: { targets: NavTarget[]; engine?: EngineStatus }) {
  const [location] = useLocation();
  const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
  return (
    <aside className="sidebar">
      <div className="brand"><span className="brand-mark" aria-hidden="true">⚓</span> Berth</div>
      <nav aria-label="Main">
        <ul>
          {targets.map((target) => {
            const current = location === target.href || location.startsWith(`${target.href}/`);
            return (
              <li key={target.href}>
                <Link href={target.href} aria-current={current ? 'page' : undefined} aria-keyshortcuts={target.shortcut}
                  className={current ? 'nav-link current' : 'nav-link'}>
                  <span className="nav-icon" aria-hidden="true">{NAV_ICONS[target.label]}</span>
                  <span className="nav-label">{target.label}</span>
                  {target.digit !== undefined && <kbd className="nav-kbd" aria-hidden="true">{isMac ? '⌘' : 'Ctrl+'}{target.digit}</kbd>}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <div className="sidebar-footer">
        <CurrentEngineLink />
        {engine && (
          <p className="engine-pill">
            <span className={`status-dot state-${engine.state}`} aria-hidden="true" />
            {engine.kind === 'vm' ? vmStatusText(engine) : `Engine ${ENGINE_STATE_TEXT[engine.state].toLowerCase()}`}
          </p>
        )}
      </div>
    </aside>
  );
}
