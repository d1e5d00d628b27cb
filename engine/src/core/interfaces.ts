// Role interfaces, named as containerd names them (DESIGN.md rule 1). platform/linux implements
// them, services compose them, engine/src/main.ts wires them. Nothing here touches the OS.
import type { Readable, Writable } from 'node:stream';
import type { Descriptor } from './oci-types.ts';

/** Content-addressed blobs (`sha256:<hex>`). Writes go through an ingest area and become visible
 * only once their digest and size check out. */
export interface ContentStore {
  has(digest: string): Promise<boolean>;
  /** Size in bytes, or undefined when absent. */
  size(digest: string): Promise<number | undefined>;
  read(digest: string): Promise<Buffer>;
  openRead(digest: string): Readable;
  /** Streams `source` into the ingest area, verifies digest (and size when given), then commits. */
  write(expected: { digest: string; size?: number }, source: Readable, onBytes?: (total: number) => void): Promise<void>;
  /** Stores bytes whose digest the caller computed from the bytes themselves. Returns the digest. */
  put(data: Buffer): Promise<string>;
  /** Streams `source` into the ingest area, hashing it; whether it is wanted (and under which
   * digest) is decided later (`docker load` meets blobs before the manifest naming them). */
  ingest(source: Readable): Promise<IngestedBlob>;
  delete(digest: string): Promise<void>;
  list(): Promise<string[]>;
}

/** A blob in the ingest area (ContentStore.ingest): readable, not yet visible as content. */
export interface IngestedBlob {
  /** sha256 of the bytes, computed as they were written. */
  digest: string;
  size: number;
  open(): Readable;
  /** Makes it content under its digest (flushed first); a no-op when that blob exists already. */
  commit(): Promise<void>;
  /** Removes the ingest file (after a commit, nothing). */
  discard(): Promise<void>;
}

export interface LayerApplyResult {
  /** sha256 of the uncompressed tar stream: must equal the image config's rootfs.diff_ids[i]. */
  diffId: string;
  /** Bytes the unpacked layer occupies (sum of regular file sizes). */
  size: number;
}

/** A layer unpacked before its place in a chain is known (see Snapshotter.stageLayer). */
export interface StagedLayer {
  /** sha256 of the uncompressed tar stream. */
  diffId: string;
  size: number;
  /** Files it under `chainId` as applyLayer would (after the parent's commit); at most once. */
  commit(chainId: string, parentChainId: string | undefined): Promise<LayerApplyResult>;
  /** Removes it unless committed. */
  discard(): Promise<void>;
}

/** Read-only layers addressed by chain ID, and writable snapshots for containers on top of them. */
export interface Snapshotter {
  hasLayer(chainId: string): Promise<boolean>;
  /** Unpacks one compressed layer on top of `parentChainId` and commits it under `chainId` once
   * the diff ID matches `expectedDiffId`. Nothing is left behind on failure. Applies of one chain
   * may run concurrently: a layer commits only after its parent has (and fails if it never does). */
  applyLayer(opts: {
    chainId: string;
    parentChainId: string | undefined;
    expectedDiffId: string;
    mediaType: string;
    source: Readable;
    onBytes?: (compressedBytesRead: number) => void;
  }): Promise<LayerApplyResult>;
  /** Unpacks a layer whose chain is not known yet; nothing is visible until `commit`. */
  stageLayer(opts: { source: Readable; mediaType: string; onBytes?: (compressedBytesRead: number) => void }): Promise<StagedLayer>;
  layerSize(chainId: string): Promise<number>;
  removeLayer(chainId: string): Promise<void>;
  listLayers(): Promise<string[]>;
  /** Creates (if needed) and mounts the writable snapshot `id` over the layer chain ending at
   * `chainId` (undefined = empty image); returns the mounted root directory. */
  mountContainer(id: string, chainId: string | undefined): Promise<string>;
  unmountContainer(id: string): Promise<void>;
  removeContainer(id: string): Promise<void>;
  /** The writable (upper) directory of a container snapshot, for diff/size. */
  containerUpperDir(id: string): string;
  /** Every writable snapshot on disk, and whether its root is mounted now (start-up reconcile). */
  listContainers(): Promise<Array<{ id: string; mounted: boolean }>>;
}

export type EventType = 'container' | 'image' | 'network' | 'volume' | 'daemon' | 'builder';

export interface EngineEvent {
  Type: EventType;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
}

export interface EventBus {
  publish(type: EventType, action: string, id: string, attributes?: Record<string, string>): void;
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** Events kept for `since` queries, oldest first. */
  recent(): readonly EngineEvent[];
}

/** One container process tree as the OCI runtime and its monitor see it. */
export interface RuntimeState {
  status: 'created' | 'running' | 'paused' | 'stopped' | 'unknown';
  pid: number;
}

export interface ExitInfo {
  exitCode: number;
  /** When the process ended (ms since epoch). */
  finishedAt: number;
  oomKilled: boolean;
}

/** Streams of one attach or exec session, already demultiplexed. */
export interface StdioStreams {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

export type { Descriptor };

/** What the runtime needs to create one container. The OCI spec is built by platform code from
 * the record; `spec` is the finished OCI runtime config.json object. */
export interface RuntimeCreateRequest {
  id: string;
  /** Directory for config.json and the monitor's files; removed by `delete`. */
  bundleDir: string;
  spec: object;
  tty: boolean;
  openStdin: boolean;
  /** Docker's StdinOnce: close the container's stdin when the (stdin) attach client goes away.
   * Decided at create because conmon takes it as a flag (--leave-stdin-open when false). */
  stdinOnce?: boolean;
  /** Where the monitor writes the container's log (conmon k8s-file format); none for `--log-driver none`. */
  logPath?: string;
}

export interface ExecRequest {
  id: string;
  execId: string;
  /** OCI `process` object for the new process. */
  process: object;
  tty: boolean;
  openStdin: boolean;
}

export interface ProcessHandle {
  /** Resolves with the exit code once the process has ended and its output is flushed. */
  exited: Promise<number>;
  resize(height: number, width: number): Promise<void>;
  pid: number;
}

/** An attach to a container's or exec's stdio. Output arrives already split by stream. */
export interface AttachSession {
  write(data: Buffer): void;
  /** Closes the container's stdin (the client half-closed its side). */
  closeStdin(): void;
  onOutput(listener: (stream: 'stdout' | 'stderr', data: Buffer) => void): void;
  onClose(listener: () => void): void;
  detach(): void;
}

export interface Runtime {
  /** Starts the monitor and `runc create`; resolves once the container's init process exists. */
  create(request: RuntimeCreateRequest): Promise<{ pid: number }>;
  start(id: string): Promise<void>;
  kill(id: string, signal: number, all?: boolean): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Removes the runtime's state and the monitor's files; with force, kills first. */
  delete(id: string, force?: boolean): Promise<void>;
  state(id: string): Promise<RuntimeState>;
  /** The exit recorded by the monitor, if the container has exited. */
  exitOf(id: string): Promise<ExitInfo | undefined>;
  /** Calls `listener` once when the container `id` exits (immediately if it already has). */
  watchExit(id: string, listener: (exit: ExitInfo) => void): () => void;
  attach(id: string, options: { stdin: boolean }): Promise<AttachSession>;
  resize(id: string, height: number, width: number): Promise<void>;
  exec(request: ExecRequest): Promise<ProcessHandle & { session: AttachSession }>;
  /** Processes in the container (pids as the host sees them). */
  pids(id: string): Promise<number[]>;
  /** Applies new cgroup limits (an OCI `linux.resources` object) to a running container. */
  update(id: string, resources: object): Promise<void>;
}
