// The `berth` docker context, written into the docker CLI's own context store so `docker --context
// berth …` (and `docker context use berth`) reach the VM. The store is $DOCKER_CONFIG (else
// ~/.docker)/contexts/meta/<sha256 hex of the name>/meta.json, in the shape `docker context
// create` writes (docker/cli context/store/metadatastore.go). Written by us, atomically, rather
// than by running the CLI: the user may have no docker CLI yet, or another version. The current
// context (config.json's currentContext) is never touched.
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { homeTag, isDefaultHome } from './host-endpoints.ts';

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || join(homedir(), '.docker');
}

/** `berth` for the default home; `berth-<home's basename>` for any other, so a test instance or
 * a second VM never overwrites the context the user's default VM owns. */
export function contextName(homeDir: string, home = homedir()): string {
  return isDefaultHome(homeDir, home) ? 'berth' : `berth-${homeTag(homeDir)}`;
}

export function contextMetaPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash('sha256').update(name).digest('hex');
  return join(dockerConfigDir(env), 'contexts', 'meta', id, 'meta.json');
}

export function contextMeta(name: string, dockerHost: string, description: string): string {
  return JSON.stringify({ Name: name, Metadata: { Description: description }, Endpoints: { docker: { Host: dockerHost, SkipTLSVerify: false } } });
}

/** Creates or updates the context; unchanged content is left alone. Returns the meta.json path. */
export function writeDockerContext(name: string, dockerHost: string, description: string, env: NodeJS.ProcessEnv = process.env): string {
  const path = contextMetaPath(name, env);
  const content = contextMeta(name, dockerHost, description);
  try {
    if (readFileSync(path, 'utf8') === content) return path;
  } catch {
    // not there yet
  }
  // The CLI makes these directories 0755 and the file 0644: the context names only a socket path.
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o755 });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  return path;
}
