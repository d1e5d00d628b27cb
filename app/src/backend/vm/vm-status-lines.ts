// `berth vm status` in words: the CLI prints these lines and the diagnostics bundle keeps them.
import { dockerHostUrl, primaryEndpoint } from './host-endpoints.ts';
import type { VmStatus } from './vm-control.ts';
import type { VmHome } from './vm-home.ts';

export function formatUptime(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return `${h ? `${h}h ` : ''}${h || m ? `${m}m ` : ''}${total % 60}s`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function statusLines(home: VmHome, status: VmStatus): string[] {
  const d = status.detail;
  const lines = [status.state === 'paused-by-resource-saver'
    ? `State: Resource saver (the VM is powered off while idle; the next docker command boots it)`
    : `State: ${status.state}`];
  if (d?.resourceSaverMinutes) lines.push(`Resource saver: after ${d.resourceSaverMinutes} min without a running container`);
  if (d) lines.push(`Accel: ${d.accel} (${d.accelWhy})`, `CPUs: ${d.resources.cpus}`, `Memory: ${d.resources.memoryMiB} MiB`);
  const size = status.diskSizeBytes ?? d?.resources.diskBytes;
  if (status.diskUsedBytes !== undefined && size !== undefined) lines.push(`Disk: ${formatBytes(status.diskUsedBytes)} used of ${formatBytes(size)}`);
  if (d?.shares?.length) lines.push(`Shared folders: ${d.shares.join(', ')}`);
  if (status.uptimeSeconds !== undefined) lines.push(`Uptime: ${formatUptime(status.uptimeSeconds)}`);
  if (status.engineAnswers) lines.push(`Docker socket: ${dockerHostUrl(primaryEndpoint(home))}`);
  for (const problem of status.portProblems ?? []) lines.push(`Port not published: ${problem.message}`);
  if (status.message) lines.push(status.message);
  return lines;
}
