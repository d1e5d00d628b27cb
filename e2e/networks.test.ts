// Networks view against a real berthd: create with a subnet, see a connected container, the
// engine's refusal to delete a network in use, delete.
import { describe, expect, test } from 'vitest';
import { NetworksPage } from './pages/networks-page.ts';
import { captureScreen } from './support/screenshots.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('networks');

describe('Networks view', () => {
  test('a network created with a subnet is listed and has that subnet in the engine', async () => {
    const subnet = s.engine.network.spareSubnet;
    const networks = new NetworksPage(s.page);
    await s.app.goTo('Networks');
    await networks.create({ name: 'e2e-net', subnet });
    await networks.row('e2e-net').waitFor({ state: 'visible' });
    expect(await s.dockerOk(['network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Subnet}}{{end}}', 'e2e-net'])).toBe(subnet);
  });

  test('Cancel in the Create network and Delete dialogs changes nothing', async () => {
    const networks = new NetworksPage(s.page);
    await s.app.goTo('Networks');
    const before = await s.dockerOk(['network', 'ls', '--format', '{{.ID}} {{.Name}}']);
    await networks.createButton.click();
    await networks.dialog.getByRole('textbox', { name: 'Network name', exact: true }).fill('never-created');
    await networks.dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await networks.dialog.waitFor({ state: 'hidden' });
    await networks.deleteButton('e2e-net').click();
    const confirm = s.page.getByRole('dialog', { name: 'Delete network e2e-net?', exact: true });
    await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await networks.row('e2e-net').waitFor({ state: 'visible' });
    expect(await networks.row('never-created').count()).toBe(0);
    expect(await s.dockerOk(['network', 'ls', '--format', '{{.ID}} {{.Name}}'])).toBe(before);
  });

  test('a container connected with docker network connect shows in the network\'s row', async () => {
    await s.dockerOk(['run', '-d', '--name', 'netbox', s.busybox, 'sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.2; done']);
    await s.dockerOk(['network', 'connect', 'e2e-net', 'netbox']);
    const networks = new NetworksPage(s.page);
    await expect.poll(() => networks.row('e2e-net').innerText(), { timeout: 10_000 }).toContain('netbox');
    await captureScreen(s.page, 'networks');
  });

  test('deleting a network in use shows the engine\'s error, and it deletes once free', async () => {
    const networks = new NetworksPage(s.page);
    const cli = await s.engine.docker(['network', 'rm', 'e2e-net']);
    expect(cli.code).not.toBe(0);
    const engineMessage = /Error response from daemon: (.*)/.exec(cli.stderr)?.[1]?.trim() ?? cli.stderr.trim();

    await networks.deleteButton('e2e-net').click();
    await s.app.confirm('Delete network e2e-net?', 'Delete');
    const alert = s.app.alert('e2e-net');
    await alert.waitFor({ state: 'visible' });
    expect((await alert.innerText()).replace(/\s+/g, ' ')).toContain(engineMessage.replace(/\s+/g, ' '));
    await s.app.dismissAlerts();

    await s.dockerOk(['network', 'disconnect', 'e2e-net', 'netbox']);
    await expect.poll(() => networks.row('e2e-net').innerText(), { timeout: 10_000 }).not.toContain('netbox');
    await networks.deleteButton('e2e-net').click();
    await s.app.confirm('Delete network e2e-net?', 'Delete');
    await networks.row('e2e-net').waitFor({ state: 'detached' });
    const left = await s.dockerOk(['network', 'ls', '--format', '{{.Name}}']);
    expect(left.split('\n')).not.toContain('e2e-net');
  });
});
