// The docker-credential-helpers protocol, as the docker CLI drives a `docker-credential-<name>`
// program found on PATH: one action per run as its argument, input on stdin, JSON on stdout.
//   get    stdin: the server URL        stdout: {"ServerURL","Username","Secret"}
//   store  stdin: {"ServerURL","Username","Secret"}
//   erase  stdin: the server URL
//   list   stdin: ignored               stdout: {"<server URL>": "<username>", …}
// A helper that has nothing for a server exits non-zero printing exactly
// "credentials not found in native keychain"; the CLI then goes on without credentials. An
// identity token is kept with the user name "<token>".
import { spawn } from 'node:child_process';
import { BackendError } from '../backend-error.ts';

export const NOT_FOUND_MESSAGE = 'credentials not found in native keychain';
export const TOKEN_USERNAME = '<token>';
/** A helper may ask for a passphrase (pass, gpg's pinentry): long enough for a person, not forever. */
const HELPER_TIMEOUT_MS = 60_000;

export interface HelperCredentials {
  username: string;
  secret: string;
}

export class CredentialHelper {
  readonly program: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #timeoutMs: number;

  constructor(name: string, env: NodeJS.ProcessEnv, options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? HELPER_TIMEOUT_MS;
    // The name comes from config.json; a path in it would run something other than a helper.
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      throw new BackendError(500, `config.json names the credential helper "${name}", which is not a helper name (docker-credential-<name>, letters, digits, . _ -)`);
    }
    this.program = `docker-credential-${name}`;
    this.#env = env;
  }

  /** The stored credentials, or undefined when the helper has none for `serverUrl`. */
  async get(serverUrl: string): Promise<HelperCredentials | undefined> {
    const result = await this.#run('get', serverUrl);
    if (result.code !== 0) {
      if (result.stdout.trim() === NOT_FOUND_MESSAGE) return undefined;
      throw this.#failure('get', result);
    }
    // What `get` prints is the secret: an error never quotes it.
    const parsed = this.#json(result.stdout, 'get', false) as { Username?: unknown; Secret?: unknown };
    const username = typeof parsed.Username === 'string' ? parsed.Username : '';
    const secret = typeof parsed.Secret === 'string' ? parsed.Secret : '';
    return username || secret ? { username, secret } : undefined;
  }

  async store(serverUrl: string, credentials: HelperCredentials): Promise<void> {
    const result = await this.#run('store', JSON.stringify({ ServerURL: serverUrl, Username: credentials.username, Secret: credentials.secret }));
    if (result.code !== 0) throw this.#failure('store', result);
  }

  /** False when the helper had nothing for `serverUrl`. */
  async erase(serverUrl: string): Promise<boolean> {
    const result = await this.#run('erase', serverUrl);
    if (result.code === 0) return true;
    if (result.stdout.trim() === NOT_FOUND_MESSAGE) return false;
    throw this.#failure('erase', result);
  }

  /** Server URL → user name, for every server the helper keeps. */
  async list(): Promise<Record<string, string>> {
    const result = await this.#run('list', 'unused');
    if (result.code !== 0) throw this.#failure('list', result);
    const parsed = this.#json(result.stdout, 'list');
    const out: Record<string, string> = {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [url, user] of Object.entries(parsed)) out[url] = typeof user === 'string' ? user : '';
    }
    return out;
  }

  #json(text: string, action: string, quote = true): unknown {
    try {
      return JSON.parse(text);
    } catch {
      const what = quote ? `: ${text.trim().slice(0, 200)}` : ` (${text.length} characters, not shown: they may hold the secret)`;
      throw new BackendError(502, `${this.program} ${action} printed something that is not JSON${what}`);
    }
  }

  #failure(action: string, result: { code: number | null; stdout: string; stderr: string; error?: Error }): BackendError {
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      return new BackendError(502, `${this.program} is not installed (not found on PATH), but the docker CLI's config.json names it as a credential store: install it, or remove it from credsStore/credHelpers`);
    }
    // `get` prints the secret on stdout: a helper failing after printing it must not put it in an
    // error (errors reach the UI and the logs). Other actions' stdout is its message.
    const stdout = action === 'get' ? '' : result.stdout.trim();
    const said = (result.error?.message || stdout || result.stderr.trim() || `exit code ${result.code}`).slice(0, 500);
    return new BackendError(502, `${this.program} ${action} failed: ${said}`);
  }

  #run(action: string, input: string): Promise<{ code: number | null; stdout: string; stderr: string; error?: Error }> {
    return new Promise((resolve) => {
      // spawn looks the program up on env.PATH (the backend's, or the one a test gives). Its own
      // process group, so a timeout ends whatever it started too (a shell script's children).
      const child = spawn(this.program, [action], { env: this.#env, stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let failure: Error | undefined;
      const timer = setTimeout(() => {
        failure = new Error(`no answer within ${this.#timeoutMs / 1000} s`);
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
        // Do not wait for 'close': a process that escaped the group may hold the pipes open.
        for (const pipe of [child.stdin, child.stdout, child.stderr]) pipe.destroy();
        settle(null);
      }, this.#timeoutMs);
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.stdin.on('error', () => { /* a helper that exits without reading stdin */ });
      let settled = false;
      const settle = (code: number | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ code: failure ? null : code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), error: failure });
      };
      child.once('error', (error) => {
        failure ??= error;
        // Not started at all (ENOENT, EACCES): no 'close' is owed.
        if (child.pid === undefined) settle(null);
      });
      child.once('close', (code) => settle(code));
      child.stdin.end(input);
    });
  }
}
