// Containers (route /containers): the live list. Data is one react-query list that the engine's
// event stream invalidates (state changes show without a reload); search, state filter,
// selection and collapsed projects are UI state.
import { useQuery } from '@tanstack/react-query';
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { EmptyState, QueryStatus } from '../../components/empty-state.tsx';
import { useClockTick } from '../../components/use-clock-tick.ts';
import { routes } from '../../routes.ts';
import { SEARCH_ATTRIBUTE } from '../../shortcuts.ts';
import { useUiSettings } from '../../store/ui-settings-store.ts';
import { BulkToolbar } from './bulk-toolbar.tsx';
import { buildListItems, STATE_FILTERS, type StateFilter } from './container-rows.ts';
import { ContainersTable } from './containers-table.tsx';
import { useContainerStats } from './use-container-stats.ts';
import { useMergedContainers } from './use-merged-containers.ts';
import './containers.css';

export function ContainersView() {
  const api = useDesktopApi();
  const [allEngines, setAllEngines] = useState(false);
  const [engineFilter, setEngineFilter] = useState('');
  const single = useQuery({ queryKey: queryKeys.containers, queryFn: () => api.listContainers(), enabled: !allEngines });
  const merged = useMergedContainers(allEngines);
  const list = allEngines ? merged.query : single;
  const containers = useMemo(
    () => (allEngines
      ? merged.containers?.filter((container) => !engineFilter || merged.engineOf?.get(container.Id)?.id === engineFilter)
      : single.data),
    [allEngines, merged, engineFilter, single.data],
  );
  const [search, setSearch] = useState('');
  const [stateFilter, setStateFilter] = useState<StateFilter>('all');
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());
  const collapsed = useUiSettings((state) => state.collapsedProjects);
  const toggleProject = useUiSettings((state) => state.toggleProject);
  const anyRunning = containers?.some((container) => container.State === 'running') ?? false;
  const stats = useContainerStats(anyRunning);
  const now = useClockTick();
  // Typing stays responsive with 1,000 rows: filtering follows at React's next idle moment.
  const deferredSearch = useDeferredValue(search);

  const items = useMemo(
    () => buildListItems(containers ?? [], { search: deferredSearch, state: stateFilter, collapsed }),
    [containers, deferredSearch, stateFilter, collapsed],
  );
  // Only containers that still exist stay selected.
  const selected = useMemo(() => (containers ?? []).filter((container) => selectedIds.has(container.Id)), [containers, selectedIds]);
  const liveSelectedIds = useMemo(() => new Set(selected.map((container) => container.Id)), [selected]);
  const listedCount = items.reduce((count, item) => count + (item.kind === 'container' ? 1 : 0), 0);
  const listedSelected = items.reduce((count, item) => count + (item.kind === 'container' && liveSelectedIds.has(item.container.Id) ? 1 : 0), 0);

  const onSelect = useCallback((id: string, on: boolean) => {
    setSelectedIds((previous) => {
      const next = new Set(previous);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  const onSelectMany = useCallback((ids: string[], on: boolean) => {
    setSelectedIds((previous) => {
      const next = new Set(previous);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }, []);
  const clearSelection = useCallback(() => setSelectedIds(new Set()), []);

  const running = containers?.filter((container) => container.State === 'running').length ?? 0;
  return (
    <section className="list-view" aria-labelledby="containers-heading">
      <header className="view-header">
        <h1 id="containers-heading">Containers</h1>
        {containers && <span className="muted">{containers.length} total, {running} running</span>}
      </header>
      <div className="view-toolbar">
        <input
          type="search"
          aria-label="Search containers"
          placeholder="Search by name, image or ID  ( / )"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          {...{ [SEARCH_ATTRIBUTE]: '' }}
        />
        <select aria-label="State filter" value={stateFilter} onChange={(event) => setStateFilter(event.target.value as StateFilter)}>
          {STATE_FILTERS.map((filter) => <option key={filter.value} value={filter.value}>{filter.label}</option>)}
        </select>
        <label className="check all-engines">
          <input type="checkbox" checked={allEngines} onChange={(event) => { setAllEngines(event.target.checked); setEngineFilter(''); }} /> All engines
        </label>
        {allEngines && (
          <select aria-label="Engine filter" value={engineFilter} onChange={(event) => setEngineFilter(event.target.value)}>
            <option value="">Every engine</option>
            {merged.engines.map((engine) => <option key={engine.id} value={engine.id}>{engine.label}</option>)}
          </select>
        )}
        {/* The bulk actions act on the current engine; the merged list's rows carry their own. */}
        {!allEngines && selected.length > 0 && <BulkToolbar selected={selected} onClear={clearSelection} />}
      </div>
      {allEngines && merged.failed.length > 0 && (
        <p role="status" className="muted">Not listed: {merged.failed.map((entry) => `${entry.label} (${entry.error})`).join('; ')}</p>
      )}
      <QueryStatus what="containers" isPending={list.isPending} error={list.error} />
      {containers && containers.length === 0 && (
        <EmptyState title="No containers yet">
          <p>Run your first container: pull an image on the <Link href={routes.images}>Images</Link> page, then press Run next to it.</p>
          <p className="muted">Containers started with the docker CLI (<code>docker run …</code>) against this engine show up here too.</p>
        </EmptyState>
      )}
      {containers && containers.length > 0 && items.length === 0 && (
        <p className="muted empty-filter">No container matches {search ? <>“{search}”</> : 'this filter'}.</p>
      )}
      {containers && containers.length > 0 && (
        <ContainersTable
          items={items}
          engineOf={allEngines ? merged.engineOf : undefined}
          selected={liveSelectedIds}
          stats={stats}
          now={now}
          onSelect={onSelect}
          onSelectMany={onSelectMany}
          onToggleProject={toggleProject}
          allSelected={listedCount > 0 && listedSelected === listedCount}
          someSelected={listedSelected > 0}
        />
      )}
    </section>
  );
}
