// How the docker CLI is pointed at the engine in use (the host terminal's environment, the Engine
// view's export line). DOCKER_HOST names an address only: a docker context's TLS files (and its
// name in `docker context ls`) come with DOCKER_CONTEXT, so an engine that is a context is named
// that way. `default` is DOCKER_HOST itself; DOCKER_HOST would override DOCKER_CONTEXT, so it is
// left out then.
import { DEFAULT_CONTEXT } from '../contexts/context-store.ts';
import { CONTEXT_PREFIX } from './engine-registry.ts';

export interface CliTarget {
  /** The engine's id: `context:<name>` for a docker context, else its URL. */
  id: string;
  endpoint: string;
}

/** The context the CLI should use for this engine, when it is a stored one. */
export function cliContextName(target: CliTarget): string | undefined {
  if (!target.id.startsWith(CONTEXT_PREFIX)) return undefined;
  const name = target.id.slice(CONTEXT_PREFIX.length);
  return name === DEFAULT_CONTEXT ? undefined : name;
}

/** The variables to set; `DOCKER_HOST: undefined` means remove it. DOCKER_CONFIG is the store the
 * backend read the context from, when it is not the CLI's default. */
export function dockerCliEnv(target: CliTarget, dockerEnv: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const context = cliContextName(target);
  if (!context) return { DOCKER_HOST: target.endpoint };
  return { DOCKER_HOST: undefined, DOCKER_CONTEXT: context, ...(dockerEnv.DOCKER_CONFIG ? { DOCKER_CONFIG: dockerEnv.DOCKER_CONFIG } : {}) };
}

/** The shell line that points a CLI at this engine (what "Copy DOCKER_HOST" copies). */
export function dockerCliExportLine(target: CliTarget): string {
  const context = cliContextName(target);
  return context ? `export DOCKER_CONTEXT=${context}` : `export DOCKER_HOST=${target.endpoint}`;
}

/** `base` with `changes` applied (undefined removes). */
export function applyEnv(base: NodeJS.ProcessEnv, changes: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}
