// The engine every call and stream talks to right now. Switching endpoints re-targets later
// calls at once and tells the long-lived streams (events, engine status) to reconnect.
import type Dockerode from 'dockerode';
import { closeConnections, dockerFor, endpointUrl, parseEndpoint, type DialOptions, type EndpointTarget } from './engine-connection.ts';

export class EngineTarget {
  private currentUrl: string;
  private currentTarget: EndpointTarget;
  private currentDocker: Dockerode;
  private readonly listeners = new Set<() => void>();

  /** `dial`: TLS material and ssh options used for every endpoint this target is switched to. */
  private readonly dial: DialOptions;

  constructor(url: string, dial: DialOptions = {}) {
    this.dial = dial;
    const target = parseEndpoint(url);
    this.currentUrl = endpointUrl(target);
    this.currentTarget = target;
    this.currentDocker = dockerFor(target, dial);
  }

  get endpoint(): string {
    return this.currentUrl;
  }

  get docker(): Dockerode {
    return this.currentDocker;
  }

  /** The current engine and how it is dialled (TLS material, ssh options): what a CLI run
   * against it needs besides the URL (remote/cli-engine-env.ts). */
  get connection(): { target: EndpointTarget; dial: DialOptions } {
    return { target: this.currentTarget, dial: this.dial };
  }

  /** Validates (400 on a bad URL) and switches; returns the canonical URL. */
  switchTo(url: unknown): string {
    const target = parseEndpoint(url);
    const canonical = endpointUrl(target);
    if (canonical !== this.currentUrl) {
      this.currentUrl = canonical;
      this.currentTarget = target;
      this.currentDocker = dockerFor(target, this.dial);
      for (const listener of [...this.listeners]) listener();
    }
    return canonical;
  }

  /** Ends the current engine's idle connections (ssh processes for ssh:// engines). */
  closeConnections(): void {
    closeConnections(this.currentDocker);
  }

  /** Called after every switch; returns the unsubscribe function. */
  onSwitch(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
