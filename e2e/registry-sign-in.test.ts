// Registry sign-in against a real berthd and a registry with htpasswd auth: the dashboard finds
// the docker CLI's config (DOCKER_CONFIG, credsStore: a test credential helper on its PATH); a
// private pull fails with a message that says to sign in, a wrong password is refused in the
// dialog, a right one goes into the helper, and the private pull then succeeds.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestCredentialHelper, type TestCredentialHelper } from '../app/src/backend/testing/credential-helper-script.ts';
import { startLocalRegistry, type LocalRegistry } from '../engine/test/support/local-registry.ts';
import { ImagesPage, RegistrySignIn } from './pages/images-page.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

const SECRET = 'e2e-s3cret';
let registry: LocalRegistry;
let helper: TestCredentialHelper;
let dockerConfig: string;
let privateRef: string;

beforeAll(async () => {
  registry = await startLocalRegistry({ users: { alice: SECRET } });
  privateRef = `${registry.host}/private/app:v1`;
  helper = makeTestCredentialHelper('berthtest');
  dockerConfig = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-e2e-docker-config-'));
  writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify({ credsStore: helper.name }));
});

const s = useDashboardSession('registry-sign-in', {
  dashboardEnv: () => ({ DOCKER_CONFIG: dockerConfig, PATH: `${helper.dir}:${process.env.PATH}` }),
});

beforeAll(async () => {
  // The private image: pushed with the docker CLI's own login (a config of its own), then removed
  // from the engine so the UI has to pull it.
  const env = { DOCKER_CONFIG: mkdtempSync(join(dockerConfig, 'cli-')) };
  await s.dockerOk(['tag', s.busybox, privateRef]);
  const login = await s.engine.docker(['login', registry.host, '-u', 'alice', '--password-stdin'], { env, input: SECRET });
  expect(login.code, login.stderr).toBe(0);
  const push = await s.engine.docker(['push', privateRef], { env });
  expect(push.code, push.stdout + push.stderr).toBe(0);
  await s.dockerOk(['rmi', privateRef]);
});

afterAll(async () => {
  await registry?.stop();
  helper?.remove();
  if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
});

describe('Sign in to a registry', () => {
  test('a private pull asks to sign in; after signing in (kept by the credential helper) it succeeds', async () => {
    const images = new ImagesPage(s.page);
    const signIn = new RegistrySignIn(s.page);
    await s.app.goTo('Images');

    await images.pull(privateRef);
    const refused = images.pullRegion(privateRef).getByRole('alert');
    await refused.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await refused.innerText()).toContain(`No credentials for ${registry.host}`);

    await signIn.open();
    await signIn.fill(registry.host, 'alice', 'wrong');
    await signIn.submit();
    const alert = signIn.dialog.getByRole('alert');
    await alert.waitFor({ state: 'visible' });
    expect(await alert.innerText()).toContain('failed with status: 401 Unauthorized');

    await signIn.fill(registry.host, 'alice', SECRET);
    await captureScreen(s.page, 'registry-sign-in');
    await signIn.submit();
    await signIn.login(registry.host).waitFor({ state: 'visible' });
    expect(await signIn.login(registry.host).innerText()).toContain('docker-credential-berthtest');
    // Stored through the helper; the CLI's config.json keeps no secret.
    expect(helper.entries()).toEqual({ [registry.host]: { Username: 'alice', Secret: SECRET } });
    expect(readFileSync(join(dockerConfig, 'config.json'), 'utf8')).not.toContain(SECRET);

    await images.pull(privateRef);
    // The same image as busybox, so it shows as a second tag of that row: wait for the pull's end.
    await images.pullRegion(privateRef).getByText(/^Done\./).waitFor({ state: 'visible', timeout: 60_000 });
    expect(await s.dockerOk(['image', 'inspect', '--format', '{{.Id}}', privateRef])).toMatch(/^sha256:/);

    await signIn.login(registry.host).getByRole('button', { name: 'Sign out', exact: true }).click();
    await signIn.logins.waitFor({ state: 'detached' });
    expect(helper.entries()).toEqual({});
  });
});
