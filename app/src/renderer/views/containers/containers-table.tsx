// The "Containers" table, virtualized (@tanstack/react-virtual) so 1,000 containers cost the DOM
// of the ~30 rows in view. ARIA table semantics survive: role=table/rowgroup/row/cell with
// aria-rowcount and aria-rowindex, and each compose project's rows stay inside a rowgroup named by
// the project, because visible rows are laid out in normal flow between two spacers.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { ContainerRow, GroupRow, type RowStats } from './container-row.tsx';
import type { RowEngine } from './use-merged-containers.ts';
import { segmentsOf, type ListItem } from './container-rows.ts';

export const ROW_HEIGHT = 36;

export interface ContainersTableProps {
  items: ListItem[];
  /** The merged list of every engine: each container's engine (adds the Engine column). */
  engineOf?: ReadonlyMap<string, RowEngine>;
  selected: ReadonlySet<string>;
  stats: Record<string, RowStats>;
  now: number;
  onSelect(id: string, selected: boolean): void;
  onSelectMany(ids: string[], selected: boolean): void;
  onToggleProject(project: string): void;
  /** The header checkbox: every listed container selected, or none. */
  allSelected: boolean;
  someSelected: boolean;
}

const COLUMNS = ['Name', 'Image', 'State', 'Ports', 'CPU', 'Memory', 'Created', 'Actions'];

export function ContainersTable(props: ContainersTableProps) {
  const { items } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => items[index].key,
    overscan: 12,
    scrollMargin: ROW_HEIGHT, // the sticky header row sits above the first item
    initialRect: { width: 1200, height: 800 },
  });
  const virtualItems = virtualizer.getVirtualItems();
  const top = virtualItems.length > 0 ? virtualItems[0].start - ROW_HEIGHT : 0;
  const bottom = virtualItems.length > 0 ? virtualizer.getTotalSize() - (virtualItems.at(-1)!.end - ROW_HEIGHT) : 0;
  const visible = virtualItems.map((virtual) => ({ index: virtual.index, item: items[virtual.index] }));

  const columns = props.engineOf ? [COLUMNS[0], 'Engine', ...COLUMNS.slice(1)] : COLUMNS;
  const allIds = items.flatMap((item) => (item.kind === 'container' ? [item.container.Id] : []));
  return (
    <div role="table" aria-label="Containers" aria-rowcount={items.length + 1} className={`vtable containers-table${props.engineOf ? ' with-engine' : ''}`} ref={scroller}>
      <div role="rowgroup" className="thead">
        <div role="row" aria-rowindex={1} className="trow header-row">
          <div role="columnheader" className="cell-select">
            <input
              type="checkbox"
              aria-label="Select all containers"
              checked={props.allSelected}
              ref={(box) => { if (box) box.indeterminate = props.someSelected && !props.allSelected; }}
              onChange={(event) => props.onSelectMany(allIds, event.target.checked)}
            />
          </div>
          {columns.map((column) => (
            <div role="columnheader" key={column} className={column === 'CPU' || column === 'Memory' ? 'cell-number' : undefined}>
              {column === 'Actions' ? <span className="visually-hidden">Actions</span> : column}
            </div>
          ))}
        </div>
      </div>
      <div style={{ height: top }} aria-hidden="true" />
      {segmentsOf(visible).map((segment) => {
        const rows = segment.rows.map(({ index, item }) => {
          const rowIndex = index + 2;
          if (item.kind === 'group') {
            const selectedCount = item.ids.reduce((count, id) => count + (props.selected.has(id) ? 1 : 0), 0);
            return <GroupRow key={item.key} group={item} rowIndex={rowIndex} selectedCount={selectedCount} onSelectMany={props.onSelectMany} onToggle={props.onToggleProject} />;
          }
          return (
            <ContainerRow
              key={item.key}
              container={item.container}
              engine={props.engineOf?.get(item.container.Id)}
              name={item.name}
              rowIndex={rowIndex}
              inProject={item.project !== undefined}
              selected={props.selected.has(item.container.Id)}
              stats={props.stats[item.container.Id]}
              now={props.now}
              onSelect={props.onSelect}
            />
          );
        });
        // Keyed by project alone (each project is contiguous): scrolling keeps the rowgroups mounted.
        const key = segment.project === undefined ? '\u0000loose' : `project:${segment.project}`;
        return segment.project === undefined
          ? <div role="rowgroup" key={key} className="tbody">{rows}</div>
          : <div role="rowgroup" key={key} aria-label={segment.project} className="tbody project-group">{rows}</div>;
      })}
      <div style={{ height: bottom }} aria-hidden="true" />
    </div>
  );
}
