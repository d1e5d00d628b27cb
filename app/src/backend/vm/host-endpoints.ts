// Where the host's Docker endpoint of one VM instance lives, as data: a unix socket under the home
// on Linux and macOS; on Windows named pipes (Node's net module listens on `\\.\pipe\name`).
// Windows' docker CLI dials `\\.\pipe\docker_engine` when nothing else is set (Docker's own
// default), so the default home takes that name too, but only when no one is listening on it: a
// Docker Desktop that is installed and running keeps its pipe.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { VmHome } from './vm-home.ts';

export const BERTH_PIPE = '\\\\.\\pipe\\berth_engine';
export const DOCKER_PIPE = '\\\\.\\pipe\\docker_engine';

/** The home every user gets when they give no --home or BERTH_HOME. */
export function isDefaultHome(dir: string, home = homedir()): boolean {
  return resolve(dir) === resolve(join(home, '.berth'));
}

/** A home's basename in the characters docker context names and pipe names both accept
 * (the CLI validates context names against ^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$). */
export function homeTag(dir: string): string {
  // The last segment by either separator: the same answer for a Windows path on any host.
  const name = dir.split(/[\\/]+/).filter(Boolean).pop() ?? '';
  return name.replace(/[^a-zA-Z0-9_.+-]/g, '-') || 'home';
}

export interface EndpointChoice {
  platform: NodeJS.Platform;
  homeDir: string;
  socketPath: string;
  defaultHome: boolean;
  /** Windows only: nothing answers on \\.\pipe\docker_engine right now. */
  dockerPipeFree: boolean;
}

/** The endpoints the forwarder listens on, the primary (the one Berth names to users) first.
 * Another home than the default gets a pipe of its own and never takes docker_engine, so a test
 * instance or a second VM cannot capture the user's default Docker endpoint. */
export function forwarderEndpoints(choice: EndpointChoice): string[] {
  if (choice.platform !== 'win32') return [choice.socketPath];
  if (!choice.defaultHome) return [`${BERTH_PIPE}_${homeTag(choice.homeDir)}`];
  return choice.dockerPipeFree ? [BERTH_PIPE, DOCKER_PIPE] : [BERTH_PIPE];
}

export function isPipe(endpoint: string): boolean {
  return endpoint.startsWith('\\\\.\\pipe\\');
}

/** DOCKER_HOST for an endpoint: unix:///path, or npipe:////./pipe/name as the docker CLI spells it. */
export function dockerHostUrl(endpoint: string): string {
  if (isPipe(endpoint)) return `npipe:////./pipe/${endpoint.slice('\\\\.\\pipe\\'.length)}`;
  return `unix://${endpoint}`;
}

/** The endpoint Berth tells users and pings itself (docker_engine is only ever an extra). */
export function primaryEndpoint(home: VmHome, platform: NodeJS.Platform = process.platform): string {
  return forwarderEndpoints({ platform, homeDir: home.dir, socketPath: home.dockerSocket, defaultHome: isDefaultHome(home.dir), dockerPipeFree: false })[0];
}
