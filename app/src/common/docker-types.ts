// The Docker Engine API shapes the desktop shows (API v1.47, ../shared/reference). Only the fields
// the UI reads are typed; the rest pass through untouched, so these stay honest subsets of what
// any Docker-API engine (berthd, dockerd, podman) sends.

export interface PortBinding {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: 'tcp' | 'udp' | 'sctp' | string;
}

/** GET /containers/json item. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  State: ContainerState;
  Status: string;
  Ports: PortBinding[];
  Labels: Record<string, string>;
  Mounts?: { Type: string; Name?: string; Source: string; Destination: string; RW: boolean }[];
  NetworkSettings?: { Networks?: Record<string, { IPAddress?: string; NetworkID?: string }> };
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** GET /images/json item. */
export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  Containers: number;
  Labels: Record<string, string> | null;
}

/** GET /images/{name}/history item. */
export interface ImageHistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** GET /volumes item, with UsageData filled in from /system/df where the engine knows it. */
export interface Volume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Labels: Record<string, string> | null;
  Scope: string;
  Options?: Record<string, string> | null;
  UsageData?: { Size: number; RefCount: number } | null;
}

/** GET /networks item (and /networks/{id}, whose Containers map is filled in). */
export interface Network {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Created: string;
  Internal: boolean;
  Attachable?: boolean;
  IPAM: { Driver: string; Config: { Subnet?: string; Gateway?: string }[] | null };
  Containers?: Record<string, { Name: string; IPv4Address: string; MacAddress: string }>;
  Labels: Record<string, string> | null;
}

/** GET /events item. */
export interface EngineEvent {
  Type: 'container' | 'image' | 'volume' | 'network' | 'daemon' | 'plugin' | 'service' | 'node' | 'secret' | 'config' | 'builder' | string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope?: string;
  time: number;
  timeNano: number;
}

/** One JSON message of a pull or push progress stream (POST /images/create, /images/{name}/push). */
export interface ProgressMessage {
  id?: string;
  status?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message: string };
  aux?: Record<string, unknown>;
}

/** GET /version. */
export interface EngineVersion {
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  Components?: { Name: string; Version: string }[];
}

/** GET /system/df, reduced to the totals the Engine view shows. */
export interface DiskUsage {
  images: { count: number; size: number; reclaimable: number };
  containers: { count: number; size: number; reclaimable: number };
  volumes: { count: number; size: number; reclaimable: number };
  buildCache: { count: number; size: number; reclaimable: number };
}
