// Volumes view against a real berthd: create, list, browse what a container wrote, delete.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { VolumesPage } from './pages/volumes-page.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('volumes');

describe('Volumes view', () => {
  test('a volume created in the dialog is listed and exists in the engine', async () => {
    const volumes = new VolumesPage(s.page);
    await s.app.goTo('Volumes');
    await volumes.create('e2e-data');
    await volumes.row('e2e-data').waitFor({ state: 'visible' });
    expect(await s.dockerOk(['volume', 'inspect', '--format', '{{.Name}}', 'e2e-data'])).toBe('e2e-data');
    await captureScreen(s.page, 'volumes');
  });

  test('browsing a volume shows the file a container wrote into it, and downloads it', async () => {
    await s.dockerOk(['run', '--rm', '-v', 'e2e-data:/data', s.busybox, 'sh', '-c', 'echo written-by-a-container > /data/hello.txt']);
    const volumes = new VolumesPage(s.page);
    await volumes.rowButton('e2e-data', 'Browse').click();
    await volumes.files.row('hello.txt').waitFor({ state: 'visible' });
    await captureScreen(s.page, 'volume-browse');
    const download = await volumes.files.download('hello.txt');
    expect(download.suggestedFilename()).toBe('hello.txt');
    expect(readFileSync((await download.path())!, 'utf8')).toBe('written-by-a-container\n');
  });

  test('Cancel in the Create volume and Delete dialogs changes nothing', async () => {
    const volumes = new VolumesPage(s.page);
    await s.app.goTo('Volumes');
    const before = await s.dockerOk(['volume', 'ls', '-q']);
    await volumes.createButton.click();
    await volumes.dialog.getByRole('textbox', { name: 'Volume name', exact: true }).fill('never-created');
    await volumes.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await volumes.dialog.waitFor({ state: 'hidden' });
    await volumes.rowButton('e2e-data', 'Delete').click();
    const confirm = s.page.getByRole('dialog', { name: 'Delete volume e2e-data?', exact: true });
    await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await volumes.row('e2e-data').waitFor({ state: 'visible' });
    expect(await volumes.row('never-created').count()).toBe(0);
    expect(await s.dockerOk(['volume', 'ls', '-q'])).toBe(before);
  });

  test('Delete removes the volume from the list and the engine', async () => {
    const volumes = new VolumesPage(s.page);
    await s.app.goTo('Volumes');
    await volumes.rowButton('e2e-data', 'Delete').click();
    await s.app.confirm('Delete volume e2e-data?', 'Delete');
    await volumes.row('e2e-data').waitFor({ state: 'detached' });
    const left = await s.dockerOk(['volume', 'ls', '-q']);
    expect(left.split('\n')).not.toContain('e2e-data');
  });
});
