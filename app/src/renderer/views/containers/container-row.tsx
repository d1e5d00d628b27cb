// One row of the Containers table: named by the container's name (README.md), with its selection
// checkbox, a link to its detail, image, state (colour + word), published ports as links, CPU and
// memory from the statsAll stream, age and the lifecycle buttons. Memoized: a row re-renders only
// when its own container, stats or selection change.
import { memo } from 'react';
import { Link } from 'wouter';
import type { ContainerSummary } from '../../../common/docker-types.ts';
import { ContainerActions } from '../../components/container-actions.tsx';
import { formatAbsoluteTime, formatBytes, formatPercent, formatRelativeTime, imageDisplayName, shortId } from '../../components/format.ts';
import { routes } from '../../routes.ts';
import { publishedPorts, stateText, type GroupItem } from './container-rows.ts';
import type { RowEngine } from './use-merged-containers.ts';

export interface RowStats { cpuPercent: number; memoryUsage: number }

export interface ContainerRowProps {
  container: ContainerSummary;
  /** In the merged list: the engine it runs on (the Engine column; its buttons act there). */
  engine?: RowEngine;
  name: string;
  rowIndex: number;
  inProject: boolean;
  selected: boolean;
  stats?: RowStats;
  /** The clock the age column counts from (ticks every 30 s). */
  now: number;
  onSelect(id: string, selected: boolean): void;
}

export const ContainerRow = memo(function ContainerRow(props: ContainerRowProps) {
  const { container, name, stats } = props;
  const live = container.State === 'running';
  return (
    <div role="row" aria-label={name} aria-rowindex={props.rowIndex} className={`trow${props.selected ? ' selected' : ''}${props.inProject ? ' in-project' : ''}`}>
      <div role="cell" className="cell-select">
        <input type="checkbox" aria-label={`Select ${name}`} checked={props.selected} onChange={(event) => props.onSelect(container.Id, event.target.checked)} />
      </div>
      <div role="cell" className="cell-name">
        {/* The detail view talks to the current engine: another engine's container is not a link. */}
        {props.engine && !props.engine.current
          ? <span className="row-link" title={`${name} (${shortId(container.Id)})`}>{name}</span>
          : <Link href={routes.container(container.Id)} className="row-link" title={`${name} (${shortId(container.Id)})`}>{name}</Link>}
      </div>
      {props.engine && <div role="cell" className="cell-engine" title={props.engine.id}>{props.engine.label}</div>}
      <div role="cell" className="cell-image" title={container.Image}>{imageDisplayName(container.Image)}</div>
      <div role="cell" className="cell-state">
        <span className={`status-dot state-${container.State}`} aria-hidden="true" />
        {stateText(container)}
      </div>
      <div role="cell" className="cell-ports">
        {publishedPorts(container.Ports).map((port) => (port.protocol === 'udp'
          ? <span key={port.key} className="port">{port.label}/udp</span>
          : <a key={port.key} className="port" href={`http://localhost:${port.hostPort}`} target="_blank" rel="noopener noreferrer">{port.label}</a>))}
      </div>
      <div role="cell" className="cell-number">{live && stats ? formatPercent(stats.cpuPercent) : '—'}</div>
      <div role="cell" className="cell-number">{live && stats ? formatBytes(stats.memoryUsage) : '—'}</div>
      <div role="cell" className="cell-created" title={formatAbsoluteTime(container.Created)}>{formatRelativeTime(container.Created, props.now)}</div>
      <div role="cell" className="cell-actions"><ContainerActions container={container} engine={props.engine?.id} /></div>
    </div>
  );
});

export interface GroupRowProps {
  group: GroupItem;
  rowIndex: number;
  /** How many of the group's containers are selected. */
  selectedCount: number;
  onSelectMany(ids: string[], selected: boolean): void;
  onToggle(project: string): void;
}

/** A compose project's header row: select all of it, collapse or expand it. */
export const GroupRow = memo(function GroupRow({ group, rowIndex, selectedCount, onSelectMany, onToggle }: GroupRowProps) {
  const all = selectedCount > 0 && selectedCount === group.ids.length;
  return (
    <div role="row" aria-label={`Compose project ${group.project}`} aria-rowindex={rowIndex} className="trow group-row">
      <div role="cell" className="cell-select">
        <input
          type="checkbox"
          aria-label={`Select project ${group.project}`}
          checked={all}
          ref={(box) => { if (box) box.indeterminate = selectedCount > 0 && !all; }}
          onChange={(event) => onSelectMany(group.ids, event.target.checked)}
        />
      </div>
      <div role="cell" className="cell-group">
        <button type="button" className="group-toggle" aria-expanded={!group.collapsed} onClick={() => onToggle(group.project)}>
          <span className="chevron" aria-hidden="true">{group.collapsed ? '▸' : '▾'}</span>
          {group.project}
        </button>
        <span className="muted">
          {group.ids.length} {group.ids.length === 1 ? 'container' : 'containers'}, {group.running} running
        </span>
      </div>
    </div>
  );
});
