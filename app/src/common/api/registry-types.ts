// Part of the DesktopApi contract, re-exported by desktop-api.ts:
// Registry sign-in as the docker CLI keeps credentials.

/** What the "Sign in to a registry" dialog sends. */
export interface RegistrySignIn {
  /** host[:port] (a URL is cut to its host); empty or "docker.io" for Docker Hub. */
  serverAddress: string;
  username: string;
  password: string;
}

/** A registry with stored credentials, as the docker CLI's config keeps it (no secrets). */
export interface RegistryLogin {
  /** The CLI's key: host[:port], or https://index.docker.io/v1/ for Docker Hub. */
  serverAddress: string;
  username: string;
  /** "config.json" or the credential helper (docker-credential-pass…) that holds the secret. */
  store: string;
}

export interface RegistryLoginList {
  logins: RegistryLogin[];
  /** Stores that could not be read (a helper that is missing or failed), in words. */
  problems: string[];
  /** The config.json read: $DOCKER_CONFIG/config.json or ~/.docker/config.json. */
  configPath: string;
}
