// The services the API layer calls, assembled once in main.ts.
import type { EventBus } from '../core/interfaces.ts';
import type { BuildService } from './build/build-service.ts';
import type { ContainerFiles } from './containers/container-files.ts';
import type { ContainerContext } from './containers/context.ts';
import type { ExecService } from './containers/exec-service.ts';
import type { ImageService } from './images/image-service.ts';
import type { ImageTransferService } from './images/image-transfer.ts';
import type { SearchRequest, SearchResult } from './images/search-images.ts';
import type { NetavarkContainerNetworking } from './networks/container-networking.ts';
import type { NetworkService } from './networks/network-service.ts';
import type { StatsService } from './observability/stats-service.ts';
import type { VolumeService } from './volumes/volume-service.ts';

export interface PullRequest {
  /** `fromImage` (may carry a tag or digest) and the separate `tag` query parameter. */
  image: string;
  tag?: string;
  platform?: string;
  /** Decoded X-Registry-Auth, if the client sent credentials. */
  auth?: { username?: string; password?: string; identitytoken?: string; registrytoken?: string };
  onProgress: (message: object) => void;
  signal?: AbortSignal;
}

export interface SystemInfo {
  dataRoot: string;
  execRoot: string;
  runtimePath: string;
  cgroupVersion: '1' | '2';
  kernelVersion: string;
  operatingSystem: string;
  memTotal: number;
  ncpu: number;
  /** CPUs the engine may run on (its affinity mask): dockerd's limit for `--cpus`. */
  affinityCpus: number;
  /** The cpuset lists containers may use, as dockerd reads them from the cpuset cgroup. */
  cpusetCpus: string;
  cpusetMems: string;
  hostname: string;
  /** Filesystem under the data root, as `docker info` names it ("extfs", "xfs"…). */
  backingFilesystem: string;
  /** Open file descriptors of the engine process (`docker info` NFd). */
  openFds: () => number;
  insecureRegistries: string[];
  registryMirrors: string[];
  /** /proc and /sys paths an unprivileged container gets masked or read-only (inspect shows them
   * as HostConfig.MaskedPaths and ReadonlyPaths). */
  maskedPaths: readonly string[];
  readonlyPaths: readonly string[];
}

export interface EngineServices {
  images: ImageService;
  containers: ContainerContext;
  /** Networks (Step 2); absent when the engine runs without networking. */
  networks?: { service: NetworkService; networking: NetavarkContainerNetworking };
  /** Volumes (Step 2); absent when the engine runs without them. */
  volumes?: VolumeService;
  /** Files inside containers for cp, diff and export (Step 2); absent → 501. */
  containerFiles?: ContainerFiles;
  execs: ExecService;
  /** Stats and disk usage (Step 3); absent → 404 on those endpoints. */
  observability?: { stats: StatsService; dirSize: (path: string) => Promise<number> };
  /** The classic builder (Step 3); absent → `POST /build` answers 400. */
  build?: BuildService;
  /** save, load, import, commit (Step 3); absent → 501. */
  transfer?: ImageTransferService;
  events: EventBus;
  pull(request: PullRequest): Promise<void>;
  /** `docker search` against a registry's index; absent → 501. */
  search?: (request: SearchRequest) => Promise<SearchResult[]>;
  system: SystemInfo;
  /** Where each container's files live, for inspect. */
  containerPaths(id: string): { logPath: string; rootfs: string; upperDir: string; hostsPath: string; hostnamePath: string; resolvConfPath: string };
}
