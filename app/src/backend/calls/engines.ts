// The Engines view's calls: every engine with its state (probed in parallel, each with its own
// timeout), adding one (as a docker context when asked), and the merged container list.
import type { ContainerSummary } from '../../common/docker-types.ts';
import type { EngineContainers, EngineEndpoint, EngineOverview, NewEngineSpec } from '../../common/desktop-api.ts';
import { optionsObject, optionalBoolean } from '../argument-checks.ts';
import { badRequest } from '../backend-error.ts';
import { writeContext } from '../contexts/context-store.ts';
import type { EndpointSettings } from '../endpoint-settings.ts';
import { endpointUrl, parseEndpoint, type TlsMaterial } from '../engine-connection.ts';
import { engineJson } from '../engine-request.ts';
import { probeEngine, PROBE_TIMEOUT_MS, withEngineTimeout } from '../engines/engine-probe.ts';
import { CONTEXT_PREFIX, type EngineRegistry, type KnownEngine } from '../engines/engine-registry.ts';

function publicView(engine: KnownEngine): EngineEndpoint {
  const { tls: _tls, ...rest } = engine;
  return rest;
}

function optionalPem(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !value.includes('-----BEGIN ')) throw badRequest(`${field} must be PEM text (-----BEGIN …)`);
  return value;
}

function checkSpec(value: unknown): NewEngineSpec & { tls?: TlsMaterial } {
  const spec = optionsObject(value, 'engine');
  if (typeof spec.name !== 'string' || spec.name.trim() === '') throw badRequest('name must be a non-empty string');
  const url = endpointUrl(parseEndpoint(spec.url));
  const saveAsContext = optionalBoolean(spec.saveAsContext, 'saveAsContext') ?? false;
  let tls: TlsMaterial | undefined;
  if (spec.tls !== undefined && spec.tls !== null) {
    const raw = optionsObject(spec.tls, 'tls');
    tls = { verify: optionalBoolean(raw.verify, 'tls.verify') ?? true, ca: optionalPem(raw.ca, 'tls.ca'), cert: optionalPem(raw.cert, 'tls.cert'), key: optionalPem(raw.key, 'tls.key') };
    for (const field of ['ca', 'cert', 'key'] as const) if (tls[field] === undefined) delete tls[field];
    if (!saveAsContext) throw badRequest('TLS material is kept only in a docker context: tick "Save as docker context"');
    if (!url.startsWith('tcp://')) throw badRequest('TLS applies to tcp:// engines only');
  }
  return { name: spec.name.trim(), url, saveAsContext, ...(tls ? { tls } : {}) };
}

export class EngineCalls {
  private readonly registry: EngineRegistry;
  private readonly settings: EndpointSettings;
  private readonly save: () => Promise<void>;
  private readonly timeoutMs: number;

  constructor(registry: EngineRegistry, settings: EndpointSettings, save: () => Promise<void>, timeoutMs = PROBE_TIMEOUT_MS) {
    this.registry = registry;
    this.settings = settings;
    this.save = save;
    this.timeoutMs = timeoutMs;
  }

  async listEngines(): Promise<EngineOverview[]> {
    const engines = this.registry.list();
    const current = this.registry.currentId(engines);
    return Promise.all(engines.map(async (engine) => ({
      ...publicView(engine),
      current: engine.id === current,
      ...(await probeEngine(() => this.registry.docker(engine), this.timeoutMs)),
    })));
  }

  async addEngine(value: unknown): Promise<EngineEndpoint> {
    const spec = checkSpec(value);
    if (spec.saveAsContext) {
      try {
        writeContext({ name: spec.name, description: 'Added in Berth', host: spec.url, ...(spec.tls ? { tls: spec.tls } : {}) }, this.registry.env);
      } catch (error) {
        throw badRequest((error as Error).message);
      }
      return publicView(this.registry.resolve(`${CONTEXT_PREFIX}${spec.name}`));
    }
    const stored = this.settings.endpoints.find((e) => e.url === spec.url);
    if (stored) stored.label = spec.name;
    else this.settings.endpoints.push({ url: spec.url, label: spec.name });
    await this.save();
    return publicView(this.registry.resolve(spec.url));
  }

  async listAllContainers(): Promise<EngineContainers[]> {
    const engines = this.registry.list();
    const current = this.registry.currentId(engines);
    return Promise.all(engines.map(async (engine): Promise<EngineContainers> => {
      const base = { engine: engine.id, label: engine.label, current: engine.id === current };
      const answer = await withEngineTimeout(this.timeoutMs, (signal) => engineJson<ContainerSummary[]>(this.registry.docker(engine), {
        method: 'GET', path: '/containers/json', query: { all: 1 }, signal,
      }));
      return 'reason' in answer ? { ...base, error: answer.reason } : { ...base, containers: answer.value };
    }));
  }
}
