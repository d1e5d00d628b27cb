// Engine (route /engine): status and control, the Berth VM when it is the engine, disk usage, and
// the endpoint switch.
import { useEngineStatus } from '../../api/use-engine-status.ts';
import { DiskUsagePanel } from './disk-usage-panel.tsx';
import { EndpointSwitcher } from './endpoint-switcher.tsx';
import { EngineStatusPanel } from './engine-status-panel.tsx';
import { VmPanel } from './vm-panel.tsx';
import './engine.css';

export function EngineView() {
  const engine = useEngineStatus();
  return (
    <section aria-labelledby="engine-heading" className="engine-view">
      <header className="view-header"><h1 id="engine-heading">Engine</h1></header>
      {engine ? <EngineStatusPanel engine={engine} /> : <p role="status" className="muted">Asking the backend about the engine…</p>}
      {engine?.vm && <VmPanel vm={engine.vm} />}
      <div className="engine-columns">
        <DiskUsagePanel enabled={engine?.state === 'running'} />
        <EndpointSwitcher />
      </div>
    </section>
  );
}
