// Engines (route /engines): every engine Berth knows (its own, the docker CLI's contexts, the
// ones added here) with its state, version, OS/arch and containers, refreshed every few seconds.
// Each engine is probed on its own with a timeout, so a dead remote shows its reason in its row
// and never holds up the others or the page. One click makes an engine current.
import { useQuery } from '@tanstack/react-query';
import type { EngineOverview } from '../../../common/desktop-api.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { QueryStatus } from '../../components/empty-state.tsx';
import { AddEngineForm } from './add-engine-form.tsx';
import { useSelectEngine } from './use-select-engine.ts';
import './engines.css';

export const ENGINES_REFRESH_MS = 5000;

function EngineRow({ engine, onUse, busy }: { engine: EngineOverview; onUse(id: string): void; busy: boolean }) {
  const state = engine.reachable ? 'running' : 'stopped';
  return (
    <tr aria-label={engine.label} aria-current={engine.current ? 'true' : undefined} className={engine.current ? 'current-engine' : undefined}>
      <td>
        <span className="engine-name">{engine.label}</span>
        {engine.builtin && <span className="tag">Berth</span>}
        {engine.context && <span className="tag" title={`docker context ${engine.context}`}>context</span>}
        {engine.dockerCurrent && <span className="tag" title="The docker CLI's current context">CLI current</span>}
      </td>
      <td className="engine-url" title={engine.url}><code>{engine.url}</code></td>
      <td>
        <span className={`status-dot state-${state}`} aria-hidden="true" />
        {engine.reachable ? 'Reachable' : `Not reachable: ${engine.reason ?? 'unknown'}`}
      </td>
      <td>{engine.version ?? '—'}</td>
      <td>{engine.os ? `${engine.os}${engine.arch ? ` / ${engine.arch}` : ''}` : '—'}</td>
      <td className="number">{engine.reachable ? `${engine.running ?? 0} / ${engine.containers ?? 0}` : '—'}</td>
      <td>
        {engine.current
          ? <span className="muted">Current</span>
          : <button type="button" aria-label={`Use ${engine.label}`} disabled={busy} onClick={() => onUse(engine.id)}>Use</button>}
      </td>
    </tr>
  );
}

export function EnginesView() {
  const api = useDesktopApi();
  const engines = useQuery({ queryKey: queryKeys.engines, queryFn: () => api.listEngines(), refetchInterval: ENGINES_REFRESH_MS });
  const select = useSelectEngine();
  const reachable = engines.data?.filter((engine) => engine.reachable).length ?? 0;
  return (
    <section aria-labelledby="engines-heading" className="engines-view">
      <header className="view-header">
        <h1 id="engines-heading">Engines</h1>
        {engines.data && <span className="muted">{engines.data.length} engines, {reachable} reachable</span>}
      </header>
      <QueryStatus what="engines" isPending={engines.isPending} error={engines.error} />
      {engines.data && (
        <table aria-label="Engines" className="data-table engines-table">
          <thead>
            <tr><th>Engine</th><th>Endpoint</th><th>State</th><th>Version</th><th>OS / Arch</th><th className="number">Running / total</th><th><span className="visually-hidden">Actions</span></th></tr>
          </thead>
          <tbody>
            {engines.data.map((engine) => <EngineRow key={engine.id} engine={engine} busy={select.isPending} onUse={(id) => select.mutate(id)} />)}
          </tbody>
        </table>
      )}
      <AddEngineForm />
    </section>
  );
}
