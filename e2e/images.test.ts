// Images view against a real berthd and the local registry: pulling shows per-layer progress and
// the new image; Tag names an image, Push sends it to the registry, Prune removes exactly the
// dangling image; a refused delete shows the engine's own message and "Delete anyway" forces it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testImage, testRegistry } from '../engine/test/support/fixtures.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImagesPage, RegistrySignIn } from './pages/images-page.ts';
import { deleteManifest, layerIdsOf, manifestOf } from './support/registry-layers.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';
import { startSlowProxy, type SlowProxy } from './support/slow-proxy.ts';

let proxy: SlowProxy;
beforeAll(async () => {
  // The local registry answers in milliseconds; through this proxy (2 s per round trip) a pull lasts
  // long enough to watch, and to photograph, its progress.
  proxy = await startSlowProxy(testRegistry().host, { latencyMs: 2_000, bytesPerSecond: 48 * 1024 });
});
afterAll(async () => {
  await proxy?.stop();
  await deleteManifest(testRegistry().url, PUSHED_REPO, 'v1');
});

const s = useDashboardSession('images');
// Unique in the registry every test file of this run shares.
const PUSHED_REPO = `e2e-push-${process.pid}`;
const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** A new image of its own (a commit of a busybox container with a distinct label), untagged. */
async function untaggedImage(label: string): Promise<string> {
  const source = await s.dockerOk(['create', s.busybox, 'true']);
  const id = await s.dockerOk(['commit', '--change', `LABEL e2e=${label}`, source]);
  await s.dockerOk(['rm', source]);
  return id;
}

describe('Images view', () => {
  test('pulling an image shows one progress bar per layer, then the image in the list', async () => {
    const multilayer = testImage('multilayer');
    const repository = multilayer.repository.slice(testRegistry().host.length + 1); // "multilayer"
    const reference = `${proxy.host}/${repository}:${multilayer.tag}`;
    const layerIds = await layerIdsOf(testRegistry().url, repository, multilayer.tag);
    const images = new ImagesPage(s.page);
    await s.app.goTo('Images');
    await images.pull(reference);

    const region = images.pullRegion(reference);
    await region.waitFor({ state: 'visible' });
    await Promise.all(layerIds.map((id) => region.getByRole('progressbar', { name: id, exact: true }).waitFor({ state: 'visible' })));
    await captureScreen(s.page, 'images');

    await images.row(reference).waitFor({ state: 'visible', timeout: 60_000 });
    const listed = await s.dockerOk(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(listed.split('\n')).toContain(reference);
  });

  test('Tag names an untagged image: its row takes the new name, and the engine has the tag', async () => {
    const id = await untaggedImage('tag');
    const reference = `${testRegistry().host}/${PUSHED_REPO}:v1`;
    const images = new ImagesPage(s.page);
    await s.app.goTo('Images');
    await images.row(short(id)).waitFor({ state: 'visible' });
    await images.rowButton(short(id), 'Tag').click();
    const dialog = images.tagDialog(short(id));
    await dialog.getByRole('textbox', { name: 'New tag', exact: true }).fill(reference);
    await dialog.getByRole('button', { name: 'Tag', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await images.row(reference).waitFor({ state: 'visible' });
    expect(await images.row(short(id)).count()).toBe(0);
    expect(JSON.parse(await s.dockerOk(['image', 'inspect', '--format', '{{json .RepoTags}}', id]))).toEqual([reference]);
  });

  test('Push sends the image to the registry: the Push region says Done and the registry serves it', async () => {
    const reference = `${testRegistry().host}/${PUSHED_REPO}:v1`;
    const id = await s.dockerOk(['image', 'inspect', '--format', '{{.Id}}', reference]);
    const images = new ImagesPage(s.page);
    await images.rowButton(reference, 'Push').click();
    const region = s.page.getByRole('region', { name: `Push ${reference}`, exact: true });
    await region.waitFor({ state: 'visible' });
    await expect.poll(() => region.innerText(), { timeout: 60_000 }).toMatch(/\bDone\./);
    expect(await region.getByRole('alert').count()).toBe(0);
    // The registry now has the manifest whose config is this image.
    const manifest = await manifestOf(testRegistry().url, PUSHED_REPO, 'v1');
    expect(manifest.config.digest).toBe(id);
    await region.getByRole('button', { name: 'Close', exact: true }).click();
    await region.waitFor({ state: 'detached' });
  });

  test('Prune dangling images asks, then removes exactly the dangling image and keeps the tagged ones', async () => {
    const dangling = await untaggedImage('prune');
    const before = (await s.dockerOk(['image', 'ls', '-q', '--no-trunc'])).split('\n');
    expect(before).toContain(dangling);
    const images = new ImagesPage(s.page);
    await s.app.goTo('Images');
    await images.row(short(dangling)).waitFor({ state: 'visible' });
    await images.pruneDangling.click();
    await s.app.confirm('Prune dangling images?', 'Prune');
    await s.page.getByRole('status').filter({ hasText: 'Removed 1 dangling image' }).waitFor({ state: 'visible' });
    await images.row(short(dangling)).waitFor({ state: 'detached' });
    const after = (await s.dockerOk(['image', 'ls', '-q', '--no-trunc'])).split('\n');
    expect(before.filter((id) => !after.includes(id))).toEqual([dangling]);
    await images.row(s.busybox).waitFor({ state: 'visible' });
    await images.row(`${testRegistry().host}/${PUSHED_REPO}:v1`).waitFor({ state: 'visible' });
  });

  test('Cancel in the Run, Tag and Delete dialogs changes nothing', async () => {
    const images = new ImagesPage(s.page);
    await s.app.goTo('Images');
    const before = await s.dockerOk(['image', 'ls', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}']);
    const run = await images.openRunDialog(s.busybox);
    await run.fill({ name: 'never-run' });
    await run.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await run.dialog.waitFor({ state: 'hidden' });
    await images.rowButton(s.busybox, 'Tag').click();
    const tag = images.tagDialog(s.busybox);
    await tag.getByRole('textbox', { name: 'New tag', exact: true }).fill('never/tagged:v1');
    await tag.getByRole('button', { name: 'Cancel', exact: true }).click();
    await tag.waitFor({ state: 'hidden' });
    await images.rowButton(s.busybox, 'Delete').click();
    const confirm = s.page.getByRole('dialog', { name: `Delete ${s.busybox}?`, exact: true });
    await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await images.row(s.busybox).waitFor({ state: 'visible' });
    expect(await s.dockerOk(['image', 'ls', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'])).toBe(before);
    expect(await s.dockerOk(['ps', '-a', '--filter', 'name=never-run', '--format', '{{.Names}}'])).toBe('');
  });

  test('Cancel in the Sign in to a registry dialog stores no credentials', async () => {
    const config = join(s.dashboard.dockerConfig, 'config.json');
    const before = existsSync(config) ? readFileSync(config, 'utf8') : undefined;
    const signIn = new RegistrySignIn(s.page);
    await s.app.goTo('Images');
    await signIn.open();
    await signIn.fill(testRegistry().host, 'never', 'signed-in');
    await signIn.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await signIn.dialog.waitFor({ state: 'hidden' });
    expect(await signIn.logins.count()).toBe(0);
    expect(existsSync(config) ? readFileSync(config, 'utf8') : undefined).toBe(before);
  });

  test('deleting an image a container uses shows the engine\'s conflict message; "Delete anyway" then forces it', async () => {
    const containerId = await s.dockerOk(['create', '--name', 'uses-busybox', s.busybox, 'true']);
    const images = new ImagesPage(s.page);
    await s.app.goTo('Images');
    await images.rowButton(s.busybox, 'Delete').click();
    await s.app.confirm(`Delete ${s.busybox}?`, 'Delete');
    const alert = s.app.alert(containerId.slice(0, 12));
    await alert.waitFor({ state: 'visible' });
    expect(await alert.innerText()).toMatch(/conflict/i);
    // Nothing was lost: the image is still there.
    await images.row(s.busybox).waitFor({ state: 'visible' });
    const busyboxId = await s.dockerOk(['image', 'inspect', '--format', '{{.Id}}', s.busybox]);
    expect(busyboxId).toMatch(/^sha256:/);

    // The alert offers to force it, as `docker rmi -f` does: the image goes, the container stays.
    await alert.getByRole('button', { name: 'Delete anyway', exact: true }).click();
    await alert.waitFor({ state: 'detached' });
    await images.row(s.busybox).waitFor({ state: 'detached' });
    expect((await s.engine.docker(['image', 'inspect', s.busybox])).code).not.toBe(0);
    expect(await s.dockerOk(['ps', '-a', '--format', '{{.ID}}'])).toContain(containerId.slice(0, 12));
    await s.app.dismissAlerts();
    await s.dockerOk(['rm', 'uses-busybox']);
  });
});
