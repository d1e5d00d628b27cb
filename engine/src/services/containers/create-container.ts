// `docker create`: merge the request with the image's defaults as dockerd does, claim the name,
// persist the record. Nothing runs and nothing is mounted until start.
import type { ContainerConfig, ContainerRecord, EndpointSettings, HostConfig } from '../../core/container-types.ts';
import { invalid } from '../../core/errors.ts';
import { newId, VALID_CONTAINER_NAME } from '../../core/ids.ts';
import { generateName } from '../../core/name-generator.ts';
import type { ImageRunConfig } from '../../core/oci-types.ts';
import type { ContainerContext } from './context.ts';
import { mergeHealthcheck } from '../observability/health-state.ts';

export interface CreateInput {
  name?: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  entrypointGiven: boolean;
  cmdGiven: boolean;
  endpoints?: Record<string, EndpointSettings>;
}

/** dockerd's merge (daemon/commit.go `merge`): the request's env as given, then each image entry
 * whose name the request does not set. Both sides come parsed (never null). */
export function mergeEnv(image: readonly string[], request: readonly string[]): string[] {
  const keyOf = (entry: string) => entry.split('=', 1)[0];
  const requested = new Set(request.map(keyOf));
  return [...request, ...image.filter((entry) => !requested.has(keyOf(entry)))];
}

/** Docker's merge of user and image config (daemon/commit.go `merge`, then
 * mergeAndVerifyConfig): an entrypoint from the user drops the image's Cmd; otherwise the image
 * fills whatever the user left empty. `--entrypoint ""` sends [""], which is an entrypoint given:
 * it takes neither the image's Entrypoint nor its Cmd, and is then reset, so without a command of
 * its own the create fails with "No command specified" as on dockerd. */
export function mergeCommand(input: CreateInput, image: ImageRunConfig): { entrypoint: string[] | null; cmd: string[] | null } {
  let entrypoint = input.config.Entrypoint;
  let cmd = input.config.Cmd;
  if (!entrypoint || entrypoint.length === 0) {
    if (!cmd || cmd.length === 0) cmd = image.Cmd ?? null;
    // `"Entrypoint": []` (given, empty) keeps the image's out; only an absent one takes it.
    entrypoint = input.entrypointGiven ? null : (image.Entrypoint ?? null);
  }
  // dockerd resets an Entrypoint of [""] after the merge, wherever it came from: an image saying
  // `"Entrypoint": [""]` runs its Cmd.
  if (entrypoint?.length === 1 && entrypoint[0] === '') entrypoint = null;
  return { entrypoint, cmd };
}

export async function createContainer(ctx: ContainerContext, input: CreateInput): Promise<{ Id: string; Warnings: string[] }> {
  if (input.name !== undefined && input.name !== '' && !VALID_CONTAINER_NAME.test(input.name)) {
    throw invalid(`Invalid container name (${input.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  const { hostConfig } = input;
  if (hostConfig.AutoRemove && hostConfig.RestartPolicy.Name !== 'no' && hostConfig.RestartPolicy.Name !== '') {
    throw invalid('can\'t create \'AutoRemove\' container with restart policy');
  }
  if (hostConfig.Memory !== 0 && hostConfig.Memory < 6 * 1024 * 1024) {
    throw invalid('Minimum memory limit allowed is 6MB');
  }
  if (hostConfig.NanoCpus < 0 || hostConfig.CpuShares < 0) throw invalid('Range of CPUs is from 0.01 to the number of CPUs available');
  const image = await ctx.images.resolve(input.config.Image);
  const imageConfig = image.config.config ?? {};
  const { entrypoint, cmd } = mergeCommand(input, imageConfig);
  const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
  if (argv.length === 0) throw invalid('No command specified');

  const id = newId();
  const name = input.name ? input.name.replace(/^\//, '') : generateName((n) => ctx.store.nameTaken(n));
  ctx.store.reserveName(name, id);
  const config: ContainerConfig = {
    ...input.config,
    Hostname: input.config.Hostname || id.slice(0, 12),
    Env: mergeEnv(imageConfig.Env ?? [], input.config.Env ?? []),
    Entrypoint: entrypoint,
    Cmd: cmd,
    WorkingDir: input.config.WorkingDir || imageConfig.WorkingDir || '',
    User: input.config.User || imageConfig.User || '',
    Labels: { ...(imageConfig.Labels ?? {}), ...input.config.Labels },
    ExposedPorts: { ...(imageConfig.ExposedPorts ?? {}), ...(input.config.ExposedPorts ?? {}) },
    Volumes: imageConfig.Volumes || input.config.Volumes ? { ...(imageConfig.Volumes ?? {}), ...(input.config.Volumes ?? {}) } : null,
    StopSignal: input.config.StopSignal || imageConfig.StopSignal,
    Healthcheck: mergeHealthcheck(input.config.Healthcheck, imageConfig.Healthcheck),
    OnBuild: imageConfig.OnBuild ?? null,
  };
  const now = new Date().toISOString();
  const record: ContainerRecord = {
    Id: id,
    Name: `/${name}`,
    Created: now,
    Path: argv[0],
    Args: argv.slice(1),
    Image: image.record.id,
    ImageRef: input.config.Image,
    Config: config,
    // Without the network side (Step 1 wiring) every container is `none` unless it asks for host.
    HostConfig: { ...hostConfig, NetworkMode: ctx.networking || hostConfig.NetworkMode === 'host' ? hostConfig.NetworkMode : 'none' },
    State: { Status: 'created', Pid: 0, ExitCode: 0, Error: '', StartedAt: '0001-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z', OOMKilled: false },
    RestartCount: 0,
    ManuallyStopped: false,
    TopChainId: image.record.layers.at(-1)?.chainId,
  };
  try {
    await ctx.networking?.prepare(record, input.endpoints ?? {});
    await ctx.volumes?.prepare(record, Object.keys(imageConfig.Volumes ?? {}));
    await ctx.store.save(record);
  } catch (error) {
    ctx.store.releaseName(name, id);
    await ctx.volumes?.release(record, true).catch(() => undefined);
    await ctx.networking?.release(record).catch(() => undefined);
    throw error;
  }
  ctx.publish(record, 'create');
  return { Id: id, Warnings: [] };
}
