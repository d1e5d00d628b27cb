// Every engine Berth knows, under one id each: Berth's own engine, every docker context (the CLI's
// store, contexts/context-store.ts), the endpoints the user added, and the one in use. A context
// whose address is already listed (e.g. the `berth` context of Berth's own engine) is the same
// engine, not a second row. Per-engine clients are cached so probes and per-engine calls reuse
// their connections.
import type Dockerode from 'dockerode';
import type { EngineEndpoint } from '../../common/desktop-api.ts';
import { badRequest } from '../backend-error.ts';
import { currentContextName, listContexts, readContext } from '../contexts/context-store.ts';
import type { EndpointSettings } from '../endpoint-settings.ts';
import { dockerFor, endpointUrl, parseEndpoint, withTls, type TlsMaterial } from '../engine-connection.ts';
import type { EngineControl } from '../engine/engine-control.ts';
import type { EngineTarget } from '../engine-target.ts';

export const CONTEXT_PREFIX = 'context:';

export interface KnownEngine extends EngineEndpoint {
  tls?: TlsMaterial;
}

export function labelFor(url: string): string {
  return url.startsWith('unix://') ? `Socket ${url.slice('unix://'.length)}` : url.startsWith('tcp://') ? `TCP ${url.slice('tcp://'.length)}` : url;
}

/** The canonical URL when it parses; the text as given otherwise (shown, and probed to its reason). */
function canonical(url: string): string {
  try {
    return endpointUrl(parseEndpoint(url));
  } catch {
    return url;
  }
}

/** An engine by id (`context:<name>` read from the store, else a URL) without a registry: what
 * the backend starts on. Throws (400) on an unknown context or a URL that does not parse. */
export function engineOf(id: string, env: NodeJS.ProcessEnv): KnownEngine {
  if (id.startsWith(CONTEXT_PREFIX)) {
    const name = id.slice(CONTEXT_PREFIX.length);
    const context = readContext(name, env);
    if (!context) throw badRequest(`there is no docker context "${name}"`);
    return { id, url: canonical(context.host), label: context.name, builtin: false, context: context.name, ...(context.tls ? { tls: context.tls } : {}) };
  }
  const url = endpointUrl(parseEndpoint(id));
  return { id: url, url, label: labelFor(url), builtin: false };
}

/** The docker CLI's current context as an engine. */
export function dockerCurrentEngine(env: NodeJS.ProcessEnv): KnownEngine {
  return engineOf(`${CONTEXT_PREFIX}${currentContextName(env)}`, env);
}

export interface RegistrySources {
  target: EngineTarget;
  localEngine?: EngineControl;
  settings: EndpointSettings;
  /** The environment the docker CLI would see (DOCKER_CONFIG, DOCKER_HOST, DOCKER_CONTEXT…). */
  env: NodeJS.ProcessEnv;
}

export class EngineRegistry {
  private readonly sources: RegistrySources;
  private readonly clients = new Map<string, { key: string; docker: Dockerode }>();
  private readonly session: KnownEngine[] = [];

  constructor(sources: RegistrySources) {
    this.sources = sources;
    this.list(); // remembers the engine the backend starts on
  }

  get env(): NodeJS.ProcessEnv {
    return this.sources.env;
  }

  list(): KnownEngine[] {
    const { target, localEngine, settings, env } = this.sources;
    const engines: KnownEngine[] = [];
    const byUrl = new Map<string, KnownEngine>();
    const add = (engine: KnownEngine) => {
      if (engines.some((e) => e.id === engine.id)) return;
      // Same address, no TLS of its own: the engine already listed (it gains the context's name).
      // Two contexts stay two rows: each is an engine the CLI names.
      const same = byUrl.get(engine.url);
      if (same && !engine.tls && !(same.context && engine.context)) {
        if (engine.context && !same.context) same.context = engine.context;
        if (engine.dockerCurrent) same.dockerCurrent = true;
        return;
      }
      engines.push(engine);
      if (!engine.tls && !byUrl.has(engine.url)) byUrl.set(engine.url, engine);
    };
    if (localEngine) add({ id: localEngine.endpoint, url: localEngine.endpoint, label: "Berth's engine", builtin: true });
    const current = currentContextName(env);
    for (const context of listContexts(env)) {
      add({
        id: `${CONTEXT_PREFIX}${context.name}`, url: canonical(context.host), label: context.name, builtin: false,
        context: context.name, ...(context.name === current ? { dockerCurrent: true } : {}), ...(context.tls ? { tls: context.tls } : {}),
      });
    }
    for (const stored of settings.endpoints) add({ id: stored.url, url: stored.url, label: stored.label, builtin: false });
    // An engine that was current in this session (e.g. `--engine URL`, which is not saved) stays
    // listed after a switch, so the user can switch back.
    if (!engines.some((e) => e.id === target.id) && !this.session.some((e) => e.id === target.id)) {
      this.session.push({ id: target.id, url: target.endpoint, label: labelFor(target.endpoint), builtin: false });
    }
    for (const engine of this.session) add({ ...engine });
    return engines;
  }

  /** The engine with this id; a URL nobody listed yet is an engine of its own (400 when it does not parse). */
  resolve(idOrUrl: unknown): KnownEngine {
    // parseEndpoint's 400 names the accepted forms.
    if (typeof idOrUrl !== 'string' || idOrUrl.trim() === '') parseEndpoint(idOrUrl);
    const id = (idOrUrl as string).trim();
    const listed = this.list().find((engine) => engine.id === id) ?? this.list().find((engine) => engine.url === id && !engine.tls && !id.startsWith(CONTEXT_PREFIX));
    if (listed) return listed;
    return engineOf(id, this.sources.env);
  }

  /** The id of the engine in use as the list shows it (a URL the user typed that is also a
   * context's address is that context's row). */
  currentId(engines: KnownEngine[] = this.list()): string {
    const { target } = this.sources;
    return (engines.find((e) => e.id === target.id) ?? engines.find((e) => e.url === target.endpoint && !e.tls))?.id ?? target.id;
  }

  /** A client for one engine: the current target's own for the engine in use. Throws (400) when
   * its address is not one Berth can speak to. */
  docker(engine: KnownEngine): Dockerode {
    const { target } = this.sources;
    if (engine.id === target.id) return target.docker;
    const key = JSON.stringify([engine.url, engine.tls ?? null]);
    const cached = this.clients.get(engine.id);
    if (cached?.key === key) return cached.docker;
    const docker = dockerFor(withTls(parseEndpoint(engine.url), engine.tls), target.dial);
    this.clients.set(engine.id, { key, docker });
    return docker;
  }

  /** The client for `engine` (an id or URL), or the current target's when it is absent. */
  dockerOf(engine: unknown): Dockerode {
    return engine === undefined || engine === null ? this.sources.target.docker : this.docker(this.resolve(engine));
  }
}
