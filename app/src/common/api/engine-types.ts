// Part of the DesktopApi contract, re-exported by desktop-api.ts:
// The engine and the engines Berth knows: its own (state, the VM), endpoints, docker contexts.
import type { ContainerSummary, EngineVersion } from '../docker-types.ts';

export type EngineState = 'running' | 'starting' | 'stopping' | 'stopped' | 'error';

/** Where Berth's own engine runs: berthd on this kernel (as root, or through pkexec), or the Berth VM. */
export type EngineKind = 'local' | 'elevated' | 'vm';

/** The Berth VM as the Engine view, the status bar and the tray show it. */
export interface VmDetails {
  /** QEMU's side: 'starting' from QEMU up until the engine answers; 'error' when QEMU died;
   * 'paused-by-resource-saver' while it is powered off for being idle (the socket boots it). */
  state: 'running' | 'starting' | 'stopped' | 'error' | 'paused-by-resource-saver';
  /** Resource saver's idle minutes, when it is on. */
  resourceSaverMinutes?: number;
  /** The instance home (disk, logs, run/docker.sock). */
  home: string;
  /** tcg, kvm, hvf or whpx, and why that one. */
  accel?: string;
  accelWhy?: string;
  cpus?: number;
  memoryMiB?: number;
  /** Bytes the data disk takes on the host (it is sparse), and its size as the guest sees it. */
  diskUsedBytes?: number;
  diskSizeBytes?: number;
  uptimeSeconds?: number;
  /** While starting: the latest boot stage the guest reported, and the same in words. */
  stage?: string;
  stageText?: string;
  /** Why the VM is in 'error' (the last lines of QEMU's log). */
  message?: string;
  /** Published ports the host could not listen on (taken by another program…), in words: the
   * container runs, but is not reachable on that host port. */
  portProblems?: string[];
}

export interface EngineStatus {
  state: EngineState;
  /** The endpoint the backend talks to: unix:///run/berth/docker.sock, tcp://127.0.0.1:2375… */
  endpoint: string;
  /** The line a user pastes into a shell to point the docker CLI here. */
  dockerHostLine: string;
  /** True when this backend can start and stop the engine (a local berthd it supervises). */
  controllable: boolean;
  version?: EngineVersion;
  /** Why the engine is in `error` or `stopped`, in words a user can act on. */
  message?: string;
  /** Where Berth's own engine runs, when this backend controls it (`controllable`). */
  kind?: EngineKind;
  /** The VM's side, when `kind` is 'vm'. */
  vm?: VmDetails;
}

export interface DiagnosticsBundle {
  /** The .tar.gz written on the machine the backend runs on. */
  path: string;
  /** The files inside it. */
  entries: string[];
}

/** What engineControl does: 'reset' (the VM only) wipes the VM's data disk — images, containers, volumes. */
export type EngineAction = 'start' | 'stop' | 'restart' | 'reset';

export interface EngineEndpoint {
  url: string;
  label: string;
  /** Berth's own local engine, which the backend may start and stop. */
  builtin: boolean;
  /** What selectEndpoint and the per-engine calls take: the URL, or `context:<name>` for a docker context. */
  id: string;
  /** The docker context this engine is (contexts/meta in $DOCKER_CONFIG), when it is one. */
  context?: string;
  /** The docker CLI's current context (DOCKER_HOST, DOCKER_CONTEXT, config.json currentContext). */
  dockerCurrent?: boolean;
}

export interface EndpointList {
  /** The URL in use. */
  current: string;
  /** The id of the engine in use (EngineEndpoint.id). */
  currentId: string;
  endpoints: EngineEndpoint[];
}

// ---- many engines (issue 14: docker contexts, every engine at once) --------------------------------

/** What a probe of one engine found. */
export interface EngineProbe {
  reachable: boolean;
  /** Why it is not reachable, in words (connection refused, no answer within 3 s…). */
  reason?: string;
  version?: string;
  os?: string;
  arch?: string;
  containers?: number;
  running?: number;
}

/** One engine of listEngines, probed with its own timeout (a dead remote delays only its own row). */
export interface EngineOverview extends EngineEndpoint, EngineProbe {
  current: boolean;
}

/** What the Add engine form sends. TLS material (PEM text) is kept only in a docker context. */
export interface NewEngineSpec {
  /** The label, and the context's name when saved as one. */
  name: string;
  url: string;
  tls?: { ca?: string; cert?: string; key?: string; verify: boolean };
  /** Save it as a docker context, so `docker context use <name>` reaches it too. */
  saveAsContext: boolean;
}

/** One engine's containers in the merged list; `error` when the engine could not be asked. */
export interface EngineContainers {
  engine: string;
  label: string;
  current: boolean;
  containers?: ContainerSummary[];
  error?: string;
}

export interface Capabilities {
  /** A host shell through node-pty: offered only when the UI is local (Electron, or loopback). */
  hostTerminal: boolean;
  platform: string;
  /** 'electron' or 'dashboard': what carries this API. */
  shell: 'electron' | 'dashboard';
  /** True when the backend can show the desktop's own file dialog (Electron); else the UI asks for a path. */
  nativeDialogs?: boolean;
}
