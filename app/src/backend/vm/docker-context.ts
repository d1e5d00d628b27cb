// The `berth` docker context, written into the docker CLI's own context store so `docker --context
// berth …` (and `docker context use berth`) reach the VM. The store is $DOCKER_CONFIG (else
// ~/.docker)/contexts/meta/<sha256 hex of the name>/meta.json, in the shape `docker context
// create` writes (docker/cli context/store/metadatastore.go). Written by us, atomically, rather
// than by running the CLI: the user may have no docker CLI yet, or another version. The store
// itself (read and write) is contexts/context-store.ts. The current
// context (config.json's currentContext) is never touched.
import { homedir } from 'node:os';
import { contextMetaPath, dockerConfigDir, writeContext } from '../contexts/context-store.ts';
import { homeTag, isDefaultHome } from './host-endpoints.ts';

export { contextMetaPath, dockerConfigDir };

/** `berth` for the default home; `berth-<home's basename>` for any other, so a test instance or
 * a second VM never overwrites the context the user's default VM owns. */
export function contextName(homeDir: string, home = homedir()): string {
  return isDefaultHome(homeDir, home) ? 'berth' : `berth-${homeTag(homeDir)}`;
}

/** Creates or updates the context (through the store's one writer); unchanged content is left alone. Returns the meta.json path. */
export function writeDockerContext(name: string, dockerHost: string, description: string, env: NodeJS.ProcessEnv = process.env): string {
  return writeContext({ name, description, host: dockerHost }, env);
}
