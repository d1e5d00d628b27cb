// Pulls and pushes the user gives up on, and one that fails: Cancel on a running pull or push
// closes it all the way down (berthd hangs up on the registry, no image and no partial blob
// stay, the registry never gets the pushed tag), and Dismiss clears a failed pull's alert with
// its region. The registry sits behind a proxy that holds its answers back while the test acts,
// so a transfer that went on after Cancel would keep its registry connection open.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { testImage, testRegistry } from '../engine/test/support/fixtures.ts';
import { ImagesPage } from './pages/images-page.ts';
import { useDashboardSession } from './support/session.ts';
import { startSlowProxy, type SlowProxy } from './support/slow-proxy.ts';

let proxy: SlowProxy;
beforeAll(async () => {
  proxy = await startSlowProxy(testRegistry().host, { latencyMs: 0, bytesPerSecond: 16 * 1024 });
});
afterAll(async () => {
  proxy?.release();
  await proxy?.stop();
});

const s = useDashboardSession('transfers', { pullBusybox: false });

async function registryConnectionsClosed(): Promise<void> {
  await expect.poll(() => proxy.openConnections(), { timeout: 30_000, interval: 100 }).toBe(0);
  proxy.release();
}

describe('Transfers: Cancel and Dismiss', () => {
  test('Cancel on a running pull stops it in the engine: no image, no partial blob, no error', async () => {
    const repository = testImage('busybox').repository.slice(testRegistry().host.length + 1);
    const reference = `${proxy.host}/${repository}:latest`;
    const images = new ImagesPage(s.page);
    await s.app.goTo('Images');
    await images.pull(reference);
    const region = images.pullRegion(reference);
    // A layer's bar shows once its download has begun.
    await region.getByRole('progressbar').first().waitFor({ state: 'visible', timeout: 30_000 });
    proxy.hold();
    expect(proxy.openConnections()).toBeGreaterThan(0);
    await region.getByRole('button', { name: 'Cancel', exact: true }).click();
    await region.waitFor({ state: 'detached' });

    await registryConnectionsClosed();
    expect((await s.engine.docker(['image', 'inspect', reference])).code).not.toBe(0);
    expect(readdirSync(join(s.engine.dataRoot, 'content', 'ingest'))).toEqual([]);
    expect(await s.page.getByRole('alert').count()).toBe(0);
    expect(await images.row(reference).count()).toBe(0);
  });

  test('Cancel on a running push stops it: the registry never gets the tag', async () => {
    await s.dockerOk(['pull', '-q', testImage('busybox').ref]);
    const repository = `e2e-cancel-push-${process.pid}`;
    const reference = `${proxy.host}/${repository}:v1`;
    const source = await s.dockerOk(['create', testImage('busybox').ref, 'true']);
    await s.dockerOk(['commit', '--change', 'LABEL e2e=cancel-push', source, reference]);
    await s.dockerOk(['rm', source]);
    const images = new ImagesPage(s.page);
    await s.app.goTo('Images');
    await images.row(reference).waitFor({ state: 'visible' });

    // Held from the start: the push's first registry call waits until the test is done.
    proxy.hold();
    await images.rowButton(reference, 'Push').click();
    const region = s.page.getByRole('region', { name: `Push ${reference}`, exact: true });
    await region.waitFor({ state: 'visible' });
    await expect.poll(() => proxy.openConnections()).toBeGreaterThan(0);
    await region.getByRole('button', { name: 'Cancel', exact: true }).click();
    await region.waitFor({ state: 'detached' });

    await registryConnectionsClosed();
    const manifest = await fetch(`${testRegistry().url}/v2/${repository}/manifests/v1`, {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    });
    expect(manifest.status).toBe(404);
    expect(await s.page.getByRole('alert').count()).toBe(0);
  });

  test('a failed pull shows its error in the region; Dismiss removes the alert and the region', async () => {
    const reference = `${testRegistry().host}/e2e-missing-${process.pid}:v1`;
    const images = new ImagesPage(s.page);
    await s.app.goTo('Images');
    await images.pull(reference);
    const region = images.pullRegion(reference);
    const alert = region.getByRole('alert');
    await alert.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await alert.innerText()).toMatch(/not found|unknown|manifest/i);
    await alert.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await region.waitFor({ state: 'detached' });
    // The toast said it too; it has its own Dismiss.
    await s.app.dismissAlerts();
    expect(await s.page.getByRole('alert').count()).toBe(0);
  });
});
