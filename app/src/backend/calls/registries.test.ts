// Registry credentials against a real berthd and a registry with htpasswd auth: pulls and pushes
// use what the docker CLI's config names (a credential helper, or config.json's auths), sign-in is
// checked by the engine's POST /auth and stored as `docker login` stores it, and the real docker
// CLI pulls with what Berth stored.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngineWithBusybox } from '../../../../engine/test/support/engine-fixture.ts';
import { startLocalRegistry, type LocalRegistry } from '../../../../engine/test/support/local-registry.ts';
import type { ProgressMessage } from '../../common/docker-types.ts';
import { createDesktopBackend } from '../create-desktop-backend.ts';
import { CollectingSink } from '../testing/collecting-sink.ts';
import { makeTestCredentialHelper, type TestCredentialHelper } from '../testing/credential-helper-script.ts';

const fixture = useEngineWithBusybox();
let registry: LocalRegistry;
let work: string;
let privateRef: string;
const helpers: TestCredentialHelper[] = [];
const SECRET = 's3cret-Berth';

beforeAll(async () => {
  work = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-registries-'));
  registry = await startLocalRegistry({ users: { alice: SECRET } });
  privateRef = `${registry.host}/private/app:v1`;
  // The private image, pushed with the docker CLI's own login (a config of its own).
  const env = { DOCKER_CONFIG: mkdtempSync(join(work, 'cli-')) };
  const { engine, busybox } = fixture;
  expect((await engine.docker(['tag', busybox, privateRef])).code).toBe(0);
  const login = await engine.docker(['login', registry.host, '-u', 'alice', '--password-stdin'], { env, input: SECRET });
  expect(login.code, login.stderr).toBe(0);
  const push = await engine.docker(['push', privateRef], { env });
  expect(push.code, push.stdout + push.stderr).toBe(0);
});

afterAll(async () => {
  await registry?.stop();
  for (const helper of helpers) helper.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

function newHelper(): TestCredentialHelper {
  const helper = makeTestCredentialHelper('berthtest');
  helpers.push(helper);
  return helper;
}

/** A DOCKER_CONFIG dir with this config.json (none when undefined). */
function configDir(config?: Record<string, unknown>): string {
  const dir = mkdtempSync(join(work, 'config-'));
  if (config) writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

function readConfig(dir: string): { auths?: Record<string, Record<string, unknown>> } & Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as never;
}

/** A backend whose environment has this DOCKER_CONFIG and (when given) the helper first on PATH. */
async function withBackend<T>(dockerConfig: string, helper: TestCredentialHelper | undefined, body: (b: ReturnType<typeof createDesktopBackend>) => Promise<T>): Promise<T> {
  const settingsDir = mkdtempSync(join(work, 'settings-'));
  const env = { ...process.env, DOCKER_CONFIG: dockerConfig, PATH: helper ? `${helper.dir}:${process.env.PATH}` : process.env.PATH };
  const backend = createDesktopBackend({ settingsDir, endpoint: `unix://${fixture.engine.socket}`, hostTerminal: false, shell: 'dashboard', dockerEnv: env });
  try {
    return await body(backend);
  } finally {
    await backend.dispose();
  }
}

/** Runs a pull or push stream to its end; the error it ended with, if any. */
async function transfer(backend: ReturnType<typeof createDesktopBackend>, kind: 'pull' | 'push', reference: string): Promise<{ message: string; statusCode?: number } | undefined> {
  const sink = new CollectingSink<ProgressMessage>();
  try {
    await backend.streams[kind]([reference], sink);
  } catch (error) {
    return error as { message: string };
  }
  await sink.waitForEnd(120_000);
  return sink.failure as { message: string } | undefined;
}

async function failure(promise: Promise<unknown>): Promise<{ statusCode?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; message: string };
  }
  throw new Error('expected the call to fail');
}

async function removeLocal(reference: string): Promise<void> {
  await fixture.engine.docker(['rmi', '-f', reference]);
  expect((await fixture.engine.docker(['image', 'inspect', reference])).code).not.toBe(0);
}

describe('pulls and pushes use the docker CLI\'s credentials', () => {
  it('pulls a private image with the credentials a credHelpers helper gives', async () => {
    const helper = newHelper();
    helper.seed(registry.host, 'alice', SECRET);
    const dir = configDir({ credHelpers: { [registry.host]: helper.name } });
    await removeLocal(privateRef);
    const error = await withBackend(dir, helper, (b) => transfer(b, 'pull', privateRef));
    expect(error?.message).toBeUndefined();
    expect((await fixture.engine.docker(['image', 'inspect', privateRef])).code).toBe(0);
    // Asked for exactly the key the CLI asks for: the registry's host:port.
    expect(helper.calls()).toContainEqual({ action: 'get', input: registry.host });
  });

  it('without credentials the pull fails with the registry\'s refusal and says to sign in', async () => {
    await removeLocal(privateRef);
    for (const [dir, helper] of [[configDir(), undefined], [configDir({ credsStore: 'berthtest' }), newHelper()]] as const) {
      const error = await withBackend(dir, helper, (b) => transfer(b, 'pull', privateRef));
      expect(error?.message).toMatch(/unauthorized|authentication required|denied/i);
      expect(error?.message).toContain(`No credentials for ${registry.host}`);
      expect(error?.message).toMatch(/sign in/i);
    }
    expect((await fixture.engine.docker(['image', 'inspect', privateRef])).code).not.toBe(0);
  });

  it('a credential helper that is not installed is named in the error', async () => {
    const dir = configDir({ credsStore: 'berth-no-such-helper' });
    const error = await withBackend(dir, undefined, (b) => transfer(b, 'pull', privateRef));
    expect(error?.message).toMatch(/docker-credential-berth-no-such-helper is not installed/);
  });
});

describe('sign in, list, sign out', () => {
  it('signs in through the configured helper: the helper stores the secret, config.json keeps none', async () => {
    const helper = newHelper();
    const dir = configDir({ credsStore: helper.name, psFormat: 'table {{.Names}}' });
    await withBackend(dir, helper, async (b) => {
      const result = await b.calls.registrySignIn({ serverAddress: `http://${registry.host}/`, username: 'alice', password: SECRET });
      expect(result).toEqual({ serverAddress: registry.host, status: 'Login Succeeded', store: 'docker-credential-berthtest' });
      const stored = helper.calls().filter((call) => call.action === 'store');
      expect(stored.map((call) => JSON.parse(call.input))).toEqual([{ ServerURL: registry.host, Username: 'alice', Secret: SECRET }]);
      const text = readFileSync(join(dir, 'config.json'), 'utf8');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(Buffer.from(`alice:${SECRET}`).toString('base64'));
      const config = readConfig(dir);
      expect(config.auths).toEqual({ [registry.host]: {} });
      expect(config.psFormat).toBe('table {{.Names}}');
      expect((await b.calls.registryLogins()).logins).toEqual([{ serverAddress: registry.host, username: 'alice', store: 'docker-credential-berthtest' }]);

      // A push then carries the helper's credentials.
      const pushed = `${registry.host}/private/pushed:v1`;
      expect((await fixture.engine.docker(['tag', fixture.busybox, pushed])).code).toBe(0);
      expect((await transfer(b, 'push', pushed))?.message).toBeUndefined();

      expect(await b.calls.registrySignOut(registry.host)).toEqual({ removed: [registry.host] });
      expect(helper.calls()).toContainEqual({ action: 'erase', input: registry.host });
      expect(helper.entries()).toEqual({});
      expect(readConfig(dir).auths).toEqual({});
      expect((await b.calls.registryLogins()).logins).toEqual([]);
    });
  });

  it('with no helper, signs in to config.json auths in the form the docker CLI then pulls with', async () => {
    const dir = configDir();
    await withBackend(dir, undefined, async (b) => {
      const result = await b.calls.registrySignIn({ serverAddress: registry.host, username: 'alice', password: SECRET });
      expect(result.store).toBe('config.json');
      expect(readConfig(dir).auths).toEqual({ [registry.host]: { auth: Buffer.from(`alice:${SECRET}`).toString('base64') } });
      expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
      expect((await b.calls.registryLogins()).logins).toEqual([{ serverAddress: registry.host, username: 'alice', store: 'config.json' }]);
    });
    // The real docker CLI reads what Berth wrote.
    await removeLocal(privateRef);
    const pulled = await fixture.engine.docker(['pull', privateRef], { env: { DOCKER_CONFIG: dir } });
    expect(pulled.code, pulled.stdout + pulled.stderr).toBe(0);

    await withBackend(dir, undefined, async (b) => {
      expect(await b.calls.registrySignOut(registry.host)).toEqual({ removed: [registry.host] });
    });
    expect(readConfig(dir).auths).toEqual({});
    await removeLocal(privateRef);
    const refused = await fixture.engine.docker(['pull', privateRef], { env: { DOCKER_CONFIG: dir } });
    expect(refused.code).not.toBe(0);
  });

  it('uses a `docker login` made by the CLI for its own pulls', async () => {
    const dir = configDir();
    const login = await fixture.engine.docker(['login', registry.host, '-u', 'alice', '--password-stdin'], { env: { DOCKER_CONFIG: dir }, input: SECRET });
    expect(login.code, login.stderr).toBe(0);
    await removeLocal(privateRef);
    expect((await withBackend(dir, undefined, (b) => transfer(b, 'pull', privateRef)))?.message).toBeUndefined();
  });

  it('a wrong password is refused with the registry\'s reason, and nothing is stored', async () => {
    const helper = newHelper();
    for (const [dir, h] of [[configDir(), undefined], [configDir({ credsStore: helper.name }), helper]] as const) {
      const error = await withBackend(dir, h, (b) => failure(Promise.resolve().then(() => b.calls.registrySignIn({ serverAddress: registry.host, username: 'alice', password: 'wrong' }))));
      expect(error.statusCode).toBe(401);
      expect(error.message).toContain(`${registry.host} refused the sign-in`);
      expect(error.message).toContain(`failed with status: 401 Unauthorized`);
    }
    expect(helper.calls().filter((call) => call.action === 'store')).toEqual([]);
  });

  it('bad input gets a 400 that says what is wrong', async () => {
    const dir = configDir();
    await withBackend(dir, undefined, async (b) => {
      const call = (request: unknown) => failure(Promise.resolve().then(() => (b.calls.registrySignIn as (r: unknown) => unknown)(request)));
      const cases: [unknown, RegExp][] = [
        [null, /sign-in request must be an object/],
        [{ serverAddress: registry.host, password: 'x' }, /username is required/],
        [{ serverAddress: registry.host, username: '  ', password: 'x' }, /username is required/],
        [{ serverAddress: registry.host, username: 'a:b', password: 'x' }, /must not contain ":"/],
        [{ serverAddress: registry.host, username: 'alice', password: '' }, /password is required/],
        [{ serverAddress: 'not a registry', username: 'alice', password: 'x' }, /is not a registry address/],
        [{ serverAddress: 5000, username: 'alice', password: 'x' }, /registry must be a string/],
      ];
      for (const [request, message] of cases) {
        const error = await call(request);
        expect(error.statusCode, JSON.stringify(request)).toBe(400);
        expect(error.message).toMatch(message);
      }
    });
  });
});
