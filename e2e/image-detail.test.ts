// Image detail against a real berthd: History opens it; it shows the layers with the instruction
// and size of each (a pulled image's history has "<missing>" ids), the config the image was built
// with, the containers made from it (linking to them), and runs a container from there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ContainerDetailPage } from './pages/container-detail-page.ts';
import { ImageDetailPage } from './pages/image-detail-page.ts';
import { ImagesPage } from './pages/images-page.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('image-detail');
const IMAGE = 'e2e-detail/app:v1';
// 300 KiB of zeros in one RUN layer: its size shows, and tells this layer from the others.
const BLOB_KIB = 300;
let context: string;
let imageId: string;
let detail: ImageDetailPage;

beforeAll(async () => {
  context = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), 'berth-e2e-detail-'));
  writeFileSync(join(context, 'Dockerfile'), [
    `FROM ${s.busybox}`,
    `RUN dd if=/dev/zero of=/blob bs=1024 count=${BLOB_KIB}`,
    'ENV MODE=e2e GREETING="hello world"',
    'EXPOSE 8080/tcp 53/udp',
    'VOLUME /data',
    'LABEL org.example.team=berth',
    'WORKDIR /srv',
    'USER 1000:1000',
    'ENTRYPOINT ["/bin/sh", "-c"]',
    'CMD ["echo hi; sleep 300"]',
    '',
  ].join('\n'));
  await s.dockerOk(['build', '-q', '-t', IMAGE, context]);
  imageId = await s.dockerOk(['image', 'inspect', '--format', '{{.Id}}', IMAGE]);
  await s.dockerOk(['create', '--name', 'detail-user', IMAGE]);
  detail = new ImageDetailPage(s.page);
});

afterAll(() => {
  if (context) rmSync(context, { recursive: true, force: true });
});

describe('Image detail', () => {
  test('History opens the detail: the config as built, and the layers with instruction and size', async () => {
    const images = new ImagesPage(s.page);
    await s.app.goTo('Images');
    await images.rowButton(IMAGE, 'History').click();
    await detail.heading(IMAGE).waitFor({ state: 'visible' });
    expect(await s.page.evaluate('location.hash')).toBe(`#/images/${encodeURIComponent(imageId)}`);

    await detail.config.waitFor({ state: 'visible' });
    expect(await detail.configValue('Entrypoint')).toBe(`/bin/sh -c`);
    expect(await detail.configValue('Command')).toBe(`'echo hi; sleep 300'`);
    expect(await detail.configValue('Working directory')).toBe('/srv');
    expect(await detail.configValue('User')).toBe('1000:1000');
    expect((await detail.configValue('Environment')).split('\n')).toEqual(expect.arrayContaining(['MODE=e2e', 'GREETING=hello world']));
    expect((await detail.configValue('Exposed ports')).split('\n')).toEqual(['53/udp', '8080/tcp']);
    expect(await detail.configValue('Volumes')).toBe('/data');
    expect(await detail.configValue('Labels')).toBe('org.example.team=berth');

    // As many rows as `docker history` has entries, newest first; the RUN layer with its size.
    const cli = (await s.dockerOk(['history', '--no-trunc', '--format', '{{.CreatedBy}}', IMAGE])).split('\n');
    await expect.poll(async () => (await detail.layerRows()).length).toBe(cli.length);
    const rows = await detail.layerRows();
    expect(rows[0][0]).toBe('CMD ["echo hi; sleep 300"]');
    const run = rows.find((cells) => cells[0] === `RUN dd if=/dev/zero of=/blob bs=1024 count=${BLOB_KIB}`);
    expect(run, JSON.stringify(rows)).toBeDefined();
    expect(run![1]).toMatch(/^30\d(\.\d)? kB$|^300(\.\d)? KiB$/);
    // The base image's layers came from a registry: the engine knows no image id for them.
    expect(rows.at(-1)![3]).toBe('<missing>');
    await captureScreen(s.page, 'image-detail');
  });

  test('the containers made from the image are listed, and each links to its detail', async () => {
    await detail.userLink('detail-user').waitFor({ state: 'visible' });
    // A container of another image is not listed.
    await s.dockerOk(['create', '--name', 'other-image-user', s.busybox]);
    await s.dockerOk(['create', '--name', 'second-user', IMAGE]);
    await detail.userLink('second-user').waitFor({ state: 'visible' });
    expect(await detail.users.getByRole('link').allInnerTexts()).toEqual(expect.arrayContaining(['detail-user', 'second-user']));
    expect(await detail.userLink('other-image-user').count()).toBe(0);
    await detail.userLink('detail-user').click();
    await new ContainerDetailPage(s.page).heading('detail-user').waitFor({ state: 'visible' });
  });

  test('Run from the detail runs a container of this image and opens it', async () => {
    await s.page.goBack();
    await detail.heading(IMAGE).waitFor({ state: 'visible' });
    await detail.run.click();
    const dialog = s.page.getByRole('dialog', { name: `Run ${IMAGE}`, exact: true });
    await dialog.getByRole('textbox', { name: 'Container name', exact: true }).fill('from-detail');
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await new ContainerDetailPage(s.page).heading('from-detail').waitFor({ state: 'visible' });
    const inspect = JSON.parse(await s.dockerOk(['inspect', 'from-detail']))[0];
    expect(inspect.Image).toBe(imageId);
    expect(inspect.Config.Cmd).toEqual(['echo hi; sleep 300']);
  });
});
