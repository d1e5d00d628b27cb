// Image shapes clients read (API spec "ImageSummary" and "ImageInspect").
import type { ImageRecord } from '../../core/image-store.ts';
import type { ImageConfig } from '../../core/oci-types.ts';

const emptyRunConfig = {
  Hostname: '', Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false, Tty: false,
  OpenStdin: false, StdinOnce: false, Env: null, Cmd: null, Image: '', Volumes: null, WorkingDir: '', Entrypoint: null,
  OnBuild: null, Labels: null,
};

export function imageSummary(record: ImageRecord, config: ImageConfig, tags: string[], digests: string[], containers: number, version: string): object {
  const summary: Record<string, unknown> = {
    Id: record.id,
    ParentId: '',
    RepoTags: tags,
    RepoDigests: digests,
    Created: config.created ? Math.floor(Date.parse(config.created) / 1000) : 0,
    Size: record.size,
    SharedSize: -1,
    Labels: config.config?.Labels ?? {},
    Containers: containers,
  };
  // VirtualSize left the API in 1.44; older clients still print it.
  if (Number(version.split('.')[1]) < 44) summary.VirtualSize = record.size;
  return summary;
}

export function imageInspect(record: ImageRecord, config: ImageConfig, tags: string[], digests: string[], version: string): object {
  const inspect: Record<string, unknown> = {
    Id: record.id,
    RepoTags: tags,
    RepoDigests: digests,
    Parent: '',
    Comment: config.comment ?? '',
    Created: config.created ?? '0001-01-01T00:00:00Z',
    DockerVersion: config.docker_version ?? '',
    Author: config.author ?? '',
    // compose v1 reads ContainerConfig.Volumes (podman #10795); keep the legacy object present.
    ContainerConfig: { ...emptyRunConfig, ...(config.container_config ?? {}) },
    Config: { ...emptyRunConfig, ...(config.config ?? {}) },
    Architecture: config.architecture,
    Variant: config.variant,
    Os: config.os,
    Size: record.size,
    GraphDriver: { Name: 'overlay2', Data: null },
    RootFS: { Type: 'layers', Layers: config.rootfs.diff_ids },
    Metadata: { LastTagTime: record.lastTagTime ?? '0001-01-01T00:00:00Z' },
  };
  if (Number(version.split('.')[1]) < 44) inspect.VirtualSize = record.size;
  return inspect;
}
