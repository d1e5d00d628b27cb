// Which Compose CLI runs a project: the `docker compose` plugin when the docker CLI has it, else
// Debian's standalone `docker-compose` (1.29, the one scripts/bootstrap.mjs installs). Both take
// the same top-level flags used here (--ansi, -p, -f) and read DOCKER_HOST, so the rest of the
// backend does not care which one it got.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ComposeCliInfo } from '../../common/desktop-api.ts';
import { findOnPath, isExecutable } from '../executables.ts';

/** The docker CLI the project installs for a checkout (scripts/setup/docker-cli.mjs); absent in a packaged app. */
const CHECKOUT_DOCKER = fileURLToPath(new URL('../../../../.berth/bin/docker', import.meta.url));

const PROBE_TIMEOUT_MS = 15_000;

function versionOf(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: PROBE_TIMEOUT_MS, env: { ...process.env, DOCKER_CLI_HINTS: 'false' } }, (error, stdout) => {
      resolve(error ? undefined : stdout.trim().split('\n')[0] || 'unknown');
    });
  });
}

export interface ComposeCliSearch {
  /** docker CLIs to ask for the compose plugin, in order. */
  dockerClis: string[];
  /** The standalone binary, when there is one. */
  standalone?: string;
}

export function defaultSearch(): ComposeCliSearch {
  const dockerClis = [CHECKOUT_DOCKER, findOnPath('docker')].filter((p): p is string => p !== undefined && isExecutable(p));
  return { dockerClis: [...new Set(dockerClis)], standalone: findOnPath('docker-compose') };
}

/** Probes in order: each docker CLI's `compose` plugin, then `docker-compose`. */
export async function findComposeCli(search: ComposeCliSearch = defaultSearch()): Promise<ComposeCliInfo> {
  for (const docker of search.dockerClis) {
    const version = await versionOf(docker, ['compose', 'version', '--short']);
    if (version) return { command: [docker, 'compose'], version };
  }
  if (search.standalone) {
    const version = await versionOf(search.standalone, ['version', '--short']);
    if (version) return { command: [search.standalone], version };
  }
  const asked = search.dockerClis.length > 0 ? `${search.dockerClis.join(', ')} has no compose plugin` : 'no docker CLI was found';
  return { message: `No Compose CLI on this machine: ${asked}, and docker-compose is not on the PATH. Install the docker compose plugin or Debian's docker-compose package.` };
}

/** Remembers a found CLI for the backend's life; a missing one is looked for again next time (the user may install it). */
export class ComposeCliLocator {
  private found: ComposeCliInfo | undefined;
  private readonly search: () => ComposeCliSearch;

  constructor(search: () => ComposeCliSearch = defaultSearch) {
    this.search = search;
  }

  async get(): Promise<ComposeCliInfo> {
    if (this.found) return this.found;
    const info = await findComposeCli(this.search());
    if (info.command) this.found = info;
    return info;
  }
}
