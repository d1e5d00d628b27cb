// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { ContainerSummary, Network } from '../../../common/docker-types.ts';
import { engineError, inMemoryApi } from '../../components/testing/in-memory-api.ts';
import { renderWithApi } from '../../components/testing/render-with-api.tsx';
import { NetworksView } from './networks-view.tsx';

const network = (Name: string, subnet?: string): Network => ({
  Id: `${Name}-id`, Name, Driver: Name === 'host' ? 'host' : 'bridge', Scope: 'local', Created: '2025-01-01T00:00:00Z', Internal: false,
  IPAM: { Driver: 'default', Config: subnet ? [{ Subnet: subnet, Gateway: subnet.replace(/0\/\d+$/, '1') }] : [] }, Labels: {},
});
const netbox = {
  Id: 'c'.repeat(64), Names: ['/netbox'], Image: 'busybox', ImageID: 'sha256:b', Command: 'sh', Created: 0, State: 'running', Status: 'Up',
  Ports: [], Labels: {}, NetworkSettings: { Networks: { bridge: { NetworkID: 'bridge-id' }, 'e2e-net': { NetworkID: 'e2e-net-id' } } },
} satisfies ContainerSummary;

afterEach(cleanup);

describe('Networks view', () => {
  test('lists networks with subnet and connected containers; built-ins have no Delete', async () => {
    const { api } = inMemoryApi({ calls: { listNetworks: () => [network('bridge', '10.1.0.0/24'), network('host'), network('e2e-net', '10.9.0.0/24')], listContainers: () => [netbox] } });
    renderWithApi(api, <NetworksView />);
    const row = await screen.findByRole('row', { name: 'e2e-net' });
    expect(row.textContent).toContain('10.9.0.0/24');
    await waitFor(() => expect(row.textContent).toContain('netbox'));
    expect(within(row).getByRole('button', { name: 'Delete' })).toBeTruthy();
    expect(within(screen.getByRole('row', { name: 'bridge' })).queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(within(screen.getByRole('row', { name: 'host' })).queryByRole('button', { name: 'Delete' })).toBeNull();
  });

  test('the create dialog checks its fields before sending, and a refused delete shows the engine\'s message', async () => {
    const created: unknown[] = [];
    const { api } = inMemoryApi({
      calls: {
        listNetworks: () => [network('e2e-net')], listContainers: () => [],
        createNetwork: (spec) => { created.push(spec); return { id: 'n1' }; },
        removeNetwork: () => { throw engineError('error while removing network: network e2e-net id e2e-net-id has active endpoints', 403); },
      },
    });
    renderWithApi(api, <NetworksView />);
    fireEvent.click(await screen.findByRole('button', { name: 'Create network' }));
    const dialog = screen.getByRole('dialog', { name: 'Create network' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Network name' }), { target: { value: 'backend' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Subnet' }), { target: { value: '10.42.0.0' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(dialog.textContent).toContain('CIDR');
    expect(created).toEqual([]);
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Subnet' }), { target: { value: '10.42.0.0/24' } });
    fireEvent.click(within(dialog).getByRole('checkbox', { name: /Internal/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(created).toEqual([{ name: 'backend', driver: 'bridge', subnet: '10.42.0.0/24', internal: true }]));

    fireEvent.click(within(screen.getByRole('row', { name: 'e2e-net' })).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Delete network e2e-net?' })).getByRole('button', { name: 'Delete' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not delete network e2e-net');
    expect(alert.textContent).toContain('has active endpoints');
  });
});
