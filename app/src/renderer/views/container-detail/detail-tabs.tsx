// The detail view's tablist (WAI-ARIA tabs pattern): each tab is a link to its route, so a tab is
// bookmarkable and Back works; Left/Right/Home/End move between tabs and activate them (automatic
// activation, as the panel loads lazily anyway).
import { useRef, type KeyboardEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { CONTAINER_TABS, routes, type ContainerTab } from '../../routes.ts';

export const TAB_LABELS: Record<ContainerTab, string> = {
  logs: 'Logs', inspect: 'Inspect', stats: 'Stats', terminal: 'Terminal', files: 'Files',
};

export const tabId = (tab: ContainerTab) => `container-tab-${tab}`;
export const panelId = (tab: ContainerTab) => `container-panel-${tab}`;

export function DetailTabs({ id, current }: { id: string; current: ContainerTab }) {
  const [, navigate] = useLocation();
  const list = useRef<HTMLDivElement>(null);

  const onKeyDown = (event: KeyboardEvent) => {
    const index = CONTAINER_TABS.indexOf(current);
    let next: number | undefined;
    if (event.key === 'ArrowRight') next = (index + 1) % CONTAINER_TABS.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + CONTAINER_TABS.length) % CONTAINER_TABS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = CONTAINER_TABS.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    const tab = CONTAINER_TABS[next];
    navigate(routes.container(id, tab));
    list.current?.querySelector<HTMLElement>(`#${tabId(tab)}`)?.focus();
  };

  return (
    <div ref={list} role="tablist" aria-label="Container" className="detail-tabs" onKeyDown={onKeyDown}>
      {CONTAINER_TABS.map((tab) => (
        <Link
          key={tab}
          href={routes.container(id, tab)}
          role="tab"
          id={tabId(tab)}
          aria-selected={tab === current}
          aria-controls={panelId(tab)}
          tabIndex={tab === current ? 0 : -1}
          className="detail-tab"
        >
          {TAB_LABELS[tab]}
        </Link>
      ))}
    </div>
  );
}
