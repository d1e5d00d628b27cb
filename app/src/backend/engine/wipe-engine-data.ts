// "Reset to factory defaults" for an engine that has no disk of its own to throw away (berthd on
// this kernel, as root or through pkexec): everything is removed through the engine's API, as
// `docker rm -f -v`, `docker network rm`, `docker volume rm -f`, `docker rmi -f` and
// `docker builder prune -a` would, so the engine's own bookkeeping (mounts, cgroups, firewall
// rules, conmon) is undone by the engine itself. Afterwards the lists are read again: whatever is
// left is named in the error, never passed over.
import type Dockerode from 'dockerode';
import type { ContainerSummary, ImageSummary, Network, Volume } from '../../common/docker-types.ts';
import { BackendError } from '../backend-error.ts';
import { engineJson } from '../engine-request.ts';

/** The networks every engine has and never lets anyone remove. */
const PREDEFINED_NETWORKS = new Set(['bridge', 'host', 'none']);
/** Removals in flight at once: enough to overlap the engine's work, few enough not to flood it. */
const PARALLEL = 6;

interface EngineContents {
  containers: ContainerSummary[];
  networks: Network[];
  volumes: Volume[];
  images: ImageSummary[];
}

const listImages = (docker: Dockerode) => engineJson<ImageSummary[]>(docker, { method: 'GET', path: '/images/json', query: { all: 1 } });

async function readContents(docker: Dockerode): Promise<EngineContents> {
  const [containers, networks, volumes, images] = await Promise.all([
    engineJson<ContainerSummary[]>(docker, { method: 'GET', path: '/containers/json', query: { all: 1 } }),
    engineJson<Network[]>(docker, { method: 'GET', path: '/networks' }),
    engineJson<{ Volumes: Volume[] | null }>(docker, { method: 'GET', path: '/volumes' }),
    listImages(docker),
  ]);
  return {
    containers,
    networks: networks.filter((n) => !PREDEFINED_NETWORKS.has(n.Name)),
    volumes: volumes.Volumes ?? [],
    images,
  };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Runs `remove` over `items`, PARALLEL at a time; returns the first failure's message per item. */
async function removeAll<T>(items: T[], remove: (item: T) => Promise<unknown>): Promise<string[]> {
  const failures: string[] = [];
  for (let i = 0; i < items.length; i += PARALLEL) {
    const results = await Promise.allSettled(items.slice(i, i + PARALLEL).map(remove));
    for (const r of results) if (r.status === 'rejected') failures.push(messageOf(r.reason));
  }
  return failures;
}

function describeLeft(left: EngineContents): string {
  const parts: string[] = [];
  const named = (count: number, noun: string, names: string[]) => {
    if (count > 0) parts.push(`${count} ${noun}${count === 1 ? '' : 's'} (${names.slice(0, 3).join(', ')}${count > 3 ? ', …' : ''})`);
  };
  named(left.containers.length, 'container', left.containers.map((c) => c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12)));
  named(left.networks.length, 'network', left.networks.map((n) => n.Name));
  named(left.volumes.length, 'volume', left.volumes.map((v) => v.Name));
  named(left.images.length, 'image', left.images.map((i) => i.RepoTags?.[0] ?? i.Id.replace(/^sha256:/, '').slice(0, 12)));
  return parts.join(', ');
}

/** Removes every container, user network, volume, image and the build cache of the engine. */
export async function wipeEngineData(docker: Dockerode): Promise<void> {
  const failures: string[] = [];
  const before = await readContents(docker);
  // Containers first: they hold networks, volumes and images in use.
  failures.push(...await removeAll(before.containers, (c) =>
    engineJson(docker, { method: 'DELETE', path: `/containers/${c.Id}`, query: { force: 1, v: 1 } })));
  failures.push(...await removeAll(before.networks, (n) => engineJson(docker, { method: 'DELETE', path: `/networks/${n.Id}` })));
  failures.push(...await removeAll(before.volumes, (v) =>
    engineJson(docker, { method: 'DELETE', path: `/volumes/${encodeURIComponent(v.Name)}`, query: { force: 1 } })));
  // An image can be refused while a child image still exists; each round removes the leaves, so
  // a chain of n images goes in at most n rounds. A round that removes nothing ends it.
  let images = await listImages(docker);
  let imageFailures: string[] = [];
  while (images.length > 0) {
    imageFailures = await removeAll(images, (i) => engineJson(docker, { method: 'DELETE', path: `/images/${i.Id}`, query: { force: 1 } }));
    const remaining = await listImages(docker);
    if (remaining.length >= images.length) break;
    images = remaining;
  }
  failures.push(...imageFailures);
  await engineJson(docker, { method: 'POST', path: '/build/prune', query: { all: 1 } }).catch((error: unknown) => {
    failures.push(`build cache: ${messageOf(error)}`);
  });

  const left = await readContents(docker);
  const leftText = describeLeft(left);
  if (leftText || failures.length > 0) {
    const reason = failures[0] ? `: ${failures[0]}` : '';
    throw new BackendError(500, `The reset could not remove everything${leftText ? `; still there: ${leftText}` : ''}${reason}`);
  }
}
