// `docker create`: merge the request with the image's defaults as dockerd does, claim the name,
// persist the record. Nothing runs and nothing is mounted until start.
import type { ContainerConfig, ContainerRecord, EndpointSettings, HostConfig } from '../../core/container-types.ts';
import { invalid, notFound } from '../../core/errors.ts';
import { newId, VALID_CONTAINER_NAME } from '../../core/ids.ts';
import { generateName } from '../../core/name-generator.ts';
import type { ImageRunConfig } from '../../core/oci-types.ts';
import { ociArch, parsePlatformSpec, platformMatches, platformMismatchMessage } from '../../core/platform-spec.ts';
import { hostname } from 'node:os';
import type { ContainerContext } from './context.ts';
import { mergeHealthcheck } from '../observability/health-state.ts';
import { verifyLogConfig } from './verify-settings.ts';

export interface CreateInput {
  name?: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  entrypointGiven: boolean;
  cmdGiven: boolean;
  endpoints?: Record<string, EndpointSettings>;
  /** `--platform` (the create query's `platform`): the local image must be for it. */
  platform?: string;
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

const isEmptySet = (set: Record<string, object> | null | undefined): boolean => !set || Object.keys(set).length === 0;

export async function createContainer(ctx: ContainerContext, input: CreateInput): Promise<{ Id: string; Warnings: string[] }> {
  if (input.name !== undefined && input.name !== '' && !VALID_CONTAINER_NAME.test(input.name)) {
    throw invalid(`Invalid container name (${input.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  const { hostConfig } = input;
  // The settings themselves were checked by verifyContainerSettings (the API edge has the host's
  // limits); what needs the image comes here, in dockerd's order: platform, command, log config.
  const wanted = input.platform ? parsePlatformSpec(input.platform, ociArch(process.arch)) : undefined;
  const image = await ctx.images.resolve(input.config.Image);
  if (wanted && !platformMatches(wanted, image.config)) throw notFound(platformMismatchMessage(input.config.Image, wanted, image.config));
  const imageConfig = image.config.config ?? {};
  const { entrypoint, cmd } = mergeCommand(input, imageConfig);
  const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
  if (argv.length === 0) throw invalid('No command specified');
  verifyLogConfig(hostConfig.LogConfig);

  const id = newId();
  const name = input.name ? input.name.replace(/^\//, '') : generateName((n) => ctx.store.nameTaken(n));
  ctx.store.reserveName(name, id);
  const config: ContainerConfig = {
    ...input.config,
    // dockerd newContainer: a host-network container is named after the host.
    Hostname: input.config.Hostname || (hostConfig.NetworkMode === 'host' ? hostname() : id.slice(0, 12)),
    Env: mergeEnv(imageConfig.Env ?? [], input.config.Env ?? []),
    Entrypoint: entrypoint,
    Cmd: cmd,
    WorkingDir: input.config.WorkingDir || imageConfig.WorkingDir || '',
    User: input.config.User || imageConfig.User || '',
    Labels: { ...(imageConfig.Labels ?? {}), ...input.config.Labels },
    // dockerd's merge: the union, or the image's own value (often none) when the client sent an
    // empty set, so inspect shows null or leaves the field out as dockerd does.
    ExposedPorts: isEmptySet(input.config.ExposedPorts) ? imageConfig.ExposedPorts ?? undefined : { ...(imageConfig.ExposedPorts ?? {}), ...input.config.ExposedPorts },
    Volumes: isEmptySet(input.config.Volumes) ? imageConfig.Volumes ?? null : { ...(imageConfig.Volumes ?? {}), ...input.config.Volumes },
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
