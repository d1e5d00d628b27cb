// The engine every call and stream talks to right now. Switching engines re-targets later calls
// at once and tells the long-lived streams (events, engine status) to reconnect. An engine is
// named by its id (a URL, or `context:<name>` for a docker context: engines/engine-registry.ts)
// and reached at its URL with its TLS material.
import type Dockerode from 'dockerode';
import { closeConnections, dockerFor, endpointUrl, parseEndpoint, withTls, type DialOptions, type TlsMaterial, type EndpointTarget } from './engine-connection.ts';

export interface TargetChoice {
  /** Defaults to the canonical URL. */
  id?: string;
  tls?: TlsMaterial;
}

export class EngineTarget {
  private currentUrl: string;
  private currentId: string;
  private currentTarget: EndpointTarget;
  private currentDocker: Dockerode;
  private readonly listeners = new Set<() => void>();
  /** How every engine this target is switched to is dialled: the ssh options, and TLS material
   * for a tcp:// engine that brings none of its own (a context's own material wins). */
  readonly dial: DialOptions;

  constructor(url: string, choice: TargetChoice = {}, dial: DialOptions = {}) {
    this.dial = dial;
    const target = withTls(parseEndpoint(url), choice.tls);
    this.currentUrl = endpointUrl(target);
    this.currentId = choice.id ?? this.currentUrl;
    this.currentTarget = target;
    this.currentDocker = dockerFor(target, dial);
  }

  get endpoint(): string {
    return this.currentUrl;
  }

  /** Which engine (of engines/engine-registry.ts) this is. */
  get id(): string {
    return this.currentId;
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
  switchTo(url: unknown, choice: TargetChoice = {}): string {
    const target = withTls(parseEndpoint(url), choice.tls);
    const canonical = endpointUrl(target);
    const id = choice.id ?? canonical;
    if (canonical !== this.currentUrl || id !== this.currentId || choice.tls) {
      this.currentUrl = canonical;
      this.currentId = id;
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
