// listEndpoints / selectEndpoint: Berth's own engine, the endpoints the user added, and the one in
// use. A switch is validated first (400 on a bad URL), then re-targets everything and is saved.
import type { EndpointList, EngineEndpoint, EngineStatus } from '../../common/desktop-api.ts';
import type { BackendContext } from '../backend-context.ts';
import { saveEndpointSettings, type EndpointSettings } from '../endpoint-settings.ts';
import { endpointUrl, parseEndpoint } from '../engine-connection.ts';
import { readEngineStatus } from './engine-status.ts';

function labelFor(url: string): string {
  return url.startsWith('unix://') ? `Socket ${url.slice('unix://'.length)}` : `TCP ${url.slice('tcp://'.length)}`;
}

export class EndpointCalls {
  private readonly context: BackendContext;
  private readonly settings: EndpointSettings;
  /** Saves run one after another so the file always holds the latest choice. */
  private saving: Promise<void> = Promise.resolve();

  constructor(context: BackendContext, settings: EndpointSettings) {
    this.context = context;
    this.settings = settings;
  }

  listEndpoints(): EndpointList {
    const endpoints: EngineEndpoint[] = [];
    const seen = new Set<string>();
    const add = (endpoint: EngineEndpoint) => {
      if (seen.has(endpoint.url)) return;
      seen.add(endpoint.url);
      endpoints.push(endpoint);
    };
    if (this.context.localEngine) add({ url: this.context.localEngine.endpoint, label: "Berth's engine", builtin: true });
    for (const stored of this.settings.endpoints) add({ url: stored.url, label: stored.label, builtin: false });
    const current = this.context.target.endpoint;
    add({ url: current, label: labelFor(current), builtin: false });
    return { current, endpoints };
  }

  async selectEndpoint(url: unknown): Promise<EngineStatus> {
    const canonical = endpointUrl(parseEndpoint(url));
    this.context.target.switchTo(canonical);
    this.settings.current = canonical;
    const builtin = this.context.localEngine?.endpoint === canonical;
    if (!builtin && !this.settings.endpoints.some((e) => e.url === canonical)) {
      this.settings.endpoints.push({ url: canonical, label: labelFor(canonical) });
    }
    const snapshot: EndpointSettings = { current: this.settings.current, endpoints: [...this.settings.endpoints] };
    this.saving = this.saving.catch(() => {}).then(() => saveEndpointSettings(this.context.settingsDir, snapshot));
    await this.saving;
    return readEngineStatus(this.context);
  }

  /** Lets dispose() wait for a save in flight. */
  flush(): Promise<void> {
    return this.saving.catch(() => {});
  }
}
