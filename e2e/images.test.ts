// Images view against a real berthd and the local registry: pulling shows per-layer progress and
// the new image, and a refused delete shows the engine's own message.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testImage, testRegistry } from '../engine/test/support/fixtures.ts';
import { ImagesPage } from './pages/images-page.ts';
import { layerIdsOf } from './support/registry-layers.ts';
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
});

const s = useDashboardSession('images');

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

  test('deleting an image a container uses shows the engine\'s conflict message', async () => {
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
    expect(await s.dockerOk(['image', 'inspect', '--format', '{{.Id}}', s.busybox])).toMatch(/^sha256:/);
    await s.app.dismissAlerts();
    await s.dockerOk(['rm', 'uses-busybox']);
  });
});
