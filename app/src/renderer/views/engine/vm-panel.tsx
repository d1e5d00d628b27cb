// The "Virtual machine" region: the Berth VM when it is the engine — its state (with the boot stage
// while it starts), accelerator and why, CPUs, memory, disk use of its sparse data disk, uptime and
// home. Its Start / Stop / Restart / Reset are the Engine status region's controls.
import type { VmDetails } from '../../../common/desktop-api.ts';
import { formatBytes } from '../../components/format.ts';

const VM_STATE_TEXT: Record<VmDetails['state'], string> = { running: 'Running', starting: 'Starting', stopped: 'Stopped', error: 'Error', 'paused-by-resource-saver': 'Resource saver (powered off while idle)' };

const GiB = 1024 ** 3;

/** 3725 → "1 h 2 min"; 42 → "42 s". */
export function formatUptime(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${seconds % 60} s`;
  return `${seconds} s`;
}

/** Binary units here: the VM's sizes are asked for in MiB and GiB (Settings, `berth vm --memory 2G`). */
function gib(bytes: number): string {
  return `${(bytes / GiB).toFixed(bytes >= 10 * GiB ? 0 : 1)} GiB`;
}

export function VmPanel({ vm }: { vm: VmDetails }) {
  const state = vm.state === 'starting' && vm.stageText ? `Starting (${vm.stageText})` : VM_STATE_TEXT[vm.state];
  const disk = vm.diskSizeBytes === undefined ? '—'
    : vm.diskUsedBytes === undefined ? `${gib(vm.diskSizeBytes)}, made at the next start`
    : `${formatBytes(vm.diskUsedBytes)} used of ${gib(vm.diskSizeBytes)}`;
  return (
    <section aria-label="Virtual machine" className="panel vm-panel">
      <h2>Virtual machine</h2>
      <dl className="facts">
        <div><dt>VM state</dt><dd>{state}</dd></div>
        <div><dt>Accelerator</dt><dd>{vm.accel ? `${vm.accel}${vm.accelWhy ? ` (${vm.accelWhy})` : ''}` : '—'}</dd></div>
        <div><dt>CPUs</dt><dd>{vm.cpus ?? '—'}</dd></div>
        <div><dt>Memory</dt><dd>{vm.memoryMiB === undefined ? '—' : `${vm.memoryMiB} MiB`}</dd></div>
        <div><dt>Disk</dt><dd>{disk}</dd></div>
        <div><dt>Uptime</dt><dd>{vm.uptimeSeconds === undefined ? '—' : formatUptime(vm.uptimeSeconds)}</dd></div>
        <div><dt>Home</dt><dd className="mono">{vm.home}</dd></div>
      </dl>
      {vm.state === 'stopped' && <p className="muted">Shown: what the next start uses (Settings → Virtual machine).</p>}
      {vm.portProblems?.map((problem) => <p key={problem} className="vm-port-problem" role="alert">Port not published: {problem}</p>)}
      {vm.message && <pre className="vm-message">{vm.message}</pre>}
    </section>
  );
}
