// The engine every call and stream talks to right now. Switching endpoints re-targets later
// calls at once and tells the long-lived streams (events, engine status) to reconnect.
import type Dockerode from 'dockerode';
import { dockerFor, endpointUrl, parseEndpoint } from './engine-connection.ts';

export class EngineTarget {
  private currentUrl: string;
  private currentDocker: Dockerode;
  private readonly listeners = new Set<() => void>();

  constructor(url: string) {
    const target = parseEndpoint(url);
    this.currentUrl = endpointUrl(target);
    this.currentDocker = dockerFor(target);
  }

  get endpoint(): string {
    return this.currentUrl;
  }

  get docker(): Dockerode {
    return this.currentDocker;
  }

  /** Validates (400 on a bad URL) and switches; returns the canonical URL. */
  switchTo(url: unknown): string {
    const target = parseEndpoint(url);
    const canonical = endpointUrl(target);
    if (canonical !== this.currentUrl) {
      this.currentUrl = canonical;
      this.currentDocker = dockerFor(target);
      for (const listener of [...this.listeners]) listener();
    }
    return canonical;
  }

  /** Called after every switch; returns the unsubscribe function. */
  onSwitch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
