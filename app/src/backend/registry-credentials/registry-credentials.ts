// Registry credentials where the docker CLI keeps them, read and written the way it does, so a
// sign-in in Berth works for `docker pull` and a `docker login` works for Berth's pulls:
// - the store for a key is config.json's credHelpers[key] if set, else its credsStore, else the
//   `auths` of config.json itself (base64 "user:password" in `auth`);
// - a helper-backed store keeps the secret in the helper and leaves an empty `auths` entry for the
//   key in config.json (where the CLI keeps an email, if any); a sign-out erases both;
// - `auths` lookups try the key, then any entry whose host[:port] is the key (old files keyed by
//   https://host/ URLs).
// Nothing is ever written to Berth's own files.
import { CredentialHelper, TOKEN_USERNAME } from './credential-helper.ts';
import { decodeFileAuth, encodeFileAuth, readDockerConfig, writeDockerConfigAuths, type DockerConfigFile, type FileAuthEntry } from './docker-config-file.ts';
import { convertToHostname, keyForReference } from './registry-key.ts';

/** What X-Registry-Auth carries (Docker API "Authentication"). */
export interface RegistryAuthConfig {
  username?: string;
  password?: string;
  identitytoken?: string;
  registrytoken?: string;
  serveraddress: string;
}

export interface StoredLogin {
  /** The key: host[:port], or https://index.docker.io/v1/ for Docker Hub. */
  serverAddress: string;
  username: string;
  /** "config.json" or the helper program (docker-credential-pass…). */
  store: string;
}

function fileEntryFor(config: DockerConfigFile, key: string): [string, FileAuthEntry] | undefined {
  if (config.auths[key]) return [key, config.auths[key]];
  return Object.entries(config.auths).find(([name]) => convertToHostname(name) === key);
}

export class RegistryCredentials {
  /** Where DOCKER_CONFIG, HOME and PATH (to find helpers) come from: the backend's environment. */
  readonly env: NodeJS.ProcessEnv;

  constructor(env: NodeJS.ProcessEnv) {
    this.env = env;
  }

  /** The helper that keeps `key`'s credentials, or undefined for config.json itself. */
  #helperFor(config: DockerConfigFile, key: string): CredentialHelper | undefined {
    const name = config.credHelpers[key] ?? config.credsStore;
    return name ? new CredentialHelper(name, this.env) : undefined;
  }

  /** Where a sign-in to `key` is kept: "config.json" or the helper program. */
  storeName(key: string): string {
    return this.#helperFor(readDockerConfig(this.env), key)?.program ?? 'config.json';
  }

  /** The credentials a pull or push of `reference` uses, or undefined when there are none. */
  forReference(reference: string): Promise<RegistryAuthConfig | undefined> {
    return this.get(keyForReference(reference));
  }

  async get(key: string): Promise<RegistryAuthConfig | undefined> {
    const config = readDockerConfig(this.env);
    const helper = this.#helperFor(config, key);
    if (helper) {
      const found = await helper.get(key);
      if (!found) return undefined;
      return found.username === TOKEN_USERNAME
        ? { identitytoken: found.secret, serveraddress: key }
        : { username: found.username, password: found.secret, serveraddress: key };
    }
    const entry = fileEntryFor(config, key);
    if (!entry) return undefined;
    const { username, password } = decodeFileAuth(entry[0], config.path, entry[1]);
    const identitytoken = typeof entry[1].identitytoken === 'string' && entry[1].identitytoken ? entry[1].identitytoken : undefined;
    const registrytoken = typeof entry[1].registrytoken === 'string' && entry[1].registrytoken ? entry[1].registrytoken : undefined;
    if (!username && !password && !identitytoken && !registrytoken) return undefined;
    return { username, password, identitytoken, registrytoken, serveraddress: key };
  }

  /** Keeps a sign-in as `docker login` does; answers where it went. */
  async store(key: string, login: { username: string; password?: string; identitytoken?: string }): Promise<string> {
    let config = readDockerConfig(this.env);
    const helper = this.#helperFor(config, key);
    if (helper) {
      await helper.store(key, login.identitytoken
        ? { username: TOKEN_USERNAME, secret: login.identitytoken }
        : { username: login.username, secret: login.password ?? '' });
      // The helper may have taken a while (a passphrase prompt): what the CLI wrote to
      // config.json meanwhile (a context switch, another login) is kept, not overwritten.
      config = readDockerConfig(this.env);
    }
    const auths = { ...config.auths };
    if (helper) {
      // The secret is in the helper; config.json keeps only the key (and an email, if one was there).
      const email = config.auths[key]?.email;
      auths[key] = typeof email === 'string' && email ? { email } : {};
    } else {
      auths[key] = login.identitytoken
        ? { auth: encodeFileAuth(login.username, ''), identitytoken: login.identitytoken }
        : { auth: encodeFileAuth(login.username, login.password ?? '') };
    }
    writeDockerConfigAuths(config, auths);
    return helper?.program ?? 'config.json';
  }

  /** `docker logout`: erases every key given from its store; answers the keys that held something. */
  async erase(keys: string[]): Promise<{ removed: string[]; problems: string[] }> {
    const removed: string[] = [];
    const problems: string[] = [];
    for (const key of keys) {
      let config = readDockerConfig(this.env);
      const helper = this.#helperFor(config, key);
      let held = false;
      if (helper) {
        try {
          held = await helper.erase(key);
        } catch (error) {
          problems.push(`${key}: ${(error as Error).message}`);
          continue;
        }
        // As in store(): what changed in the file while the helper ran is kept.
        config = readDockerConfig(this.env);
      }
      if (config.auths[key]) {
        held ||= !helper;
        const auths = { ...config.auths };
        delete auths[key];
        writeDockerConfigAuths(config, auths);
      }
      if (held) removed.push(key);
    }
    return { removed, problems };
  }

  /** Every registry with stored credentials (no secrets), and what could not be read. */
  async list(): Promise<{ logins: StoredLogin[]; problems: string[] }> {
    const config = readDockerConfig(this.env);
    const logins = new Map<string, StoredLogin>();
    const problems: string[] = [];
    if (config.credsStore) {
      const helper = new CredentialHelper(config.credsStore, this.env);
      try {
        for (const [url, username] of Object.entries(await helper.list())) {
          // A key with its own helper is listed from that helper below.
          if (!config.credHelpers[url]) logins.set(url, { serverAddress: url, username, store: helper.program });
        }
      } catch (error) {
        problems.push((error as Error).message);
      }
    } else {
      for (const [key, entry] of Object.entries(config.auths)) {
        if (config.credHelpers[key]) continue;
        try {
          const { username } = decodeFileAuth(key, config.path, entry);
          if (username || entry.identitytoken) logins.set(key, { serverAddress: key, username: username ?? '', store: 'config.json' });
        } catch (error) {
          problems.push((error as Error).message);
        }
      }
    }
    const byHelper = new Map<string, string[]>();
    for (const [key, name] of Object.entries(config.credHelpers)) byHelper.set(name, [...(byHelper.get(name) ?? []), key]);
    for (const [name, keys] of byHelper) {
      try {
        const helper = new CredentialHelper(name, this.env);
        const listed = await helper.list();
        for (const key of keys) {
          const match = Object.entries(listed).find(([url]) => url === key || convertToHostname(url) === key);
          if (match) logins.set(key, { serverAddress: key, username: match[1], store: helper.program });
        }
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    return { logins: [...logins.values()].sort((a, b) => a.serverAddress.localeCompare(b.serverAddress)), problems };
  }
}
