// listEndpoints / selectEndpoint: every engine the registry knows (Berth's own, docker contexts,
// the endpoints the user added) and the one in use. A switch is validated first (400 on a bad URL
// or an unknown context), then re-targets everything and is saved.
import type { EndpointList, EngineStatus } from '../../common/desktop-api.ts';
import type { BackendContext } from '../backend-context.ts';
import { saveEndpointSettings, type EndpointSettings } from '../endpoint-settings.ts';
import type { EngineRegistry } from '../engines/engine-registry.ts';
import { readEngineStatus } from './engine-status.ts';

export class EndpointCalls {
  private readonly context: BackendContext;
  private readonly settings: EndpointSettings;
  private readonly registry: EngineRegistry;
  /** Saves run one after another so the file always holds the latest choice. */
  private saving: Promise<void> = Promise.resolve();

  constructor(context: BackendContext, settings: EndpointSettings, registry: EngineRegistry) {
    this.context = context;
    this.settings = settings;
    this.registry = registry;
  }

  listEndpoints(): EndpointList {
    const engines = this.registry.list();
    return {
      current: this.context.target.endpoint,
      currentId: this.registry.currentId(engines),
      endpoints: engines.map(({ tls: _tls, ...engine }) => engine),
    };
  }

  async selectEndpoint(idOrUrl: unknown): Promise<EngineStatus> {
    const engine = this.registry.resolve(idOrUrl);
    this.context.target.switchTo(engine.url, { id: engine.id, ...(engine.tls ? { tls: engine.tls } : {}) });
    this.settings.current = engine.id;
    if (!engine.builtin && !engine.context && !this.settings.endpoints.some((e) => e.url === engine.url)) {
      this.settings.endpoints.push({ url: engine.url, label: engine.label });
    }
    await this.save();
    return readEngineStatus(this.context);
  }

  /** Writes the settings as they are now (after this one and every earlier save). */
  save(): Promise<void> {
    const snapshot: EndpointSettings = { current: this.settings.current, endpoints: [...this.settings.endpoints] };
    this.saving = this.saving.catch(() => {}).then(() => saveEndpointSettings(this.context.settingsDir, snapshot));
    return this.saving;
  }

  /** Lets dispose() wait for a save in flight. */
  flush(): Promise<void> {
    return this.saving.catch(() => {});
  }
}
