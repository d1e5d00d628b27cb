// The tray menu as data, built from the engine's status and the container list: what it says,
// what is enabled, and what each entry does (a TrayAction the Electron glue carries out). Kept
// free of Electron so it is tested against a real engine's container list.
import type { EngineState, EngineStatus } from '../common/desktop-api.ts';
import type { ContainerSummary } from '../common/docker-types.ts';
import { vmStatusText } from '../common/vm-words.ts';

export type TrayAction =
  | { kind: 'engine'; verb: 'start' | 'stop' | 'restart' }
  | { kind: 'container'; id: string; verb: 'start' | 'stop' | 'restart' }
  /** Show the window at a renderer hash route (renderer/routes.ts). */
  | { kind: 'show'; route: string }
  /** A published port, opened in the system browser. */
  | { kind: 'open-url'; url: string }
  | { kind: 'quit' };

export interface TrayItem {
  label?: string;
  type?: 'separator';
  enabled?: boolean;
  action?: TrayAction;
  submenu?: TrayItem[];
}

export interface TrayMenuInput {
  status: EngineStatus | undefined;
  containers: readonly ContainerSummary[];
}

/** Per section; the rest are one click away in the window. */
export const MAX_CONTAINERS_PER_SECTION = 15;

const SEPARATOR: TrayItem = { type: 'separator' };
const ACTIVE_STATES = new Set(['running', 'paused', 'restarting']);

export function containerName(container: ContainerSummary): string {
  return container.Names[0]?.replace(/^\//, '') ?? container.Id.slice(0, 12);
}

/** The running VM's resources on one line: "1 CPU, 1.0 GiB, accel tcg". */
export function vmResourceLine(status: EngineStatus): string | undefined {
  const vm = status.vm;
  if (!vm || vm.state !== 'running' || vm.cpus === undefined || vm.memoryMiB === undefined) return undefined;
  return `${vm.cpus} CPU${vm.cpus === 1 ? '' : 's'}, ${(vm.memoryMiB / 1024).toFixed(1)} GiB${vm.accel ? `, accel ${vm.accel}` : ''}`;
}

export function statusLine(status: EngineStatus | undefined): string {
  if (!status) return 'Engine: checking…';
  if (status.kind === 'vm') return vmStatusText(status);
  switch (status.state) {
    case 'running': return `Engine running${status.version?.Version ? ` (${status.version.Version})` : ''}`;
    case 'starting': return 'Engine starting…';
    case 'stopping': return 'Engine stopping…';
    case 'stopped': return 'Engine stopped';
    case 'error': return `Engine error${status.message ? `: ${status.message.slice(0, 80)}` : ''}`;
  }
}

/** Host ports a container publishes over TCP, each once (Docker lists the IPv4 and IPv6 binding). */
export function publishedTcpPorts(container: ContainerSummary): number[] {
  const ports = container.Ports
    .filter((p) => p.Type === 'tcp' && typeof p.PublicPort === 'number' && p.PublicPort > 0)
    .map((p) => p.PublicPort as number);
  return [...new Set(ports)].sort((a, b) => a - b);
}

function engineItems(status: EngineStatus | undefined): TrayItem[] {
  const state: EngineState | undefined = status?.state;
  const controllable = status?.controllable === true;
  const settled = state !== 'starting' && state !== 'stopping';
  const what = status?.kind === 'vm' ? 'VM' : 'Engine';
  const resources = status ? vmResourceLine(status) : undefined;
  const unpublished = status?.vm?.portProblems?.length ?? 0;
  return [
    ...(resources ? [{ label: resources, enabled: false }] : []),
    // The details are in the Engine view (and `berth vm status`); the tray only says to look.
    ...(unpublished ? [{ label: `${unpublished} published port${unpublished === 1 ? '' : 's'} not reachable on this computer`, enabled: false }] : []),
    { label: `Start ${what}`, enabled: controllable && settled && state !== 'running', action: { kind: 'engine', verb: 'start' } },
    { label: `Stop ${what}`, enabled: controllable && state === 'running', action: { kind: 'engine', verb: 'stop' } },
    { label: `Restart ${what}`, enabled: controllable && state === 'running', action: { kind: 'engine', verb: 'restart' } },
  ];
}

function runningItem(container: ContainerSummary): TrayItem {
  const id = container.Id;
  const running = container.State === 'running';
  const ports = publishedTcpPorts(container);
  return {
    label: container.State === 'running' ? containerName(container) : `${containerName(container)} (${container.State})`,
    submenu: [
      { label: 'Stop', action: { kind: 'container', id, verb: 'stop' } },
      { label: 'Restart', action: { kind: 'container', id, verb: 'restart' } },
      SEPARATOR,
      { label: 'Open Logs', action: { kind: 'show', route: `#/containers/${encodeURIComponent(id)}/logs` } },
      { label: 'Open Terminal', enabled: running, action: { kind: 'show', route: `#/containers/${encodeURIComponent(id)}/terminal` } },
      ...(ports.length > 0 ? [SEPARATOR] : []),
      ...ports.map((port): TrayItem => ({ label: `Open Port ${port} in Browser`, action: { kind: 'open-url', url: `http://localhost:${port}/` } })),
    ],
  };
}

function stoppedItem(container: ContainerSummary): TrayItem {
  return {
    label: containerName(container),
    submenu: [
      { label: 'Start', action: { kind: 'container', id: container.Id, verb: 'start' } },
      { label: 'Open Logs', action: { kind: 'show', route: `#/containers/${encodeURIComponent(container.Id)}/logs` } },
    ],
  };
}

function section(title: string, items: TrayItem[], total: number): TrayItem[] {
  if (total === 0) return [];
  const more = total - items.length;
  return [
    { label: `${title} (${total})`, enabled: false },
    ...items,
    ...(more > 0 ? [{ label: `${more} more…`, action: { kind: 'show', route: '#/containers' } } satisfies TrayItem] : []),
  ];
}

export function buildTrayMenu(input: TrayMenuInput): TrayItem[] {
  const engineUp = input.status?.state === 'running';
  const byName = [...input.containers].sort((a, b) => containerName(a).localeCompare(containerName(b)));
  const active = engineUp ? byName.filter((c) => ACTIVE_STATES.has(c.State)) : [];
  const stopped = engineUp ? byName.filter((c) => !ACTIVE_STATES.has(c.State) && c.State !== 'removing') : [];
  const containers = [
    ...section('Running', active.slice(0, MAX_CONTAINERS_PER_SECTION).map(runningItem), active.length),
    ...section('Stopped', stopped.slice(0, MAX_CONTAINERS_PER_SECTION).map(stoppedItem), stopped.length),
  ];
  return [
    { label: statusLine(input.status), enabled: false },
    ...engineItems(input.status),
    SEPARATOR,
    ...(containers.length > 0 ? [...containers, SEPARATOR] : engineUp ? [{ label: 'No containers', enabled: false }, SEPARATOR] : []),
    { label: 'Open Dashboard', action: { kind: 'show', route: '#/containers' } },
    { label: 'Settings…', action: { kind: 'show', route: '#/settings' } },
    SEPARATOR,
    { label: 'Quit Berth', action: { kind: 'quit' } },
  ];
}

/** The tray icon file for an engine state: assets/tray/<state>[Template].png (macOS menu bar: template images). */
export function trayIconFile(state: EngineState | undefined, platform: string): string {
  const look = state === 'running' ? 'running' : state === 'starting' || state === 'stopping' ? 'starting'
    : state === 'error' ? 'error' : state === 'stopped' ? 'stopped' : 'starting';
  return `${look}${platform === 'darwin' ? 'Template' : ''}.png`;
}
