// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { Volume } from '../../../common/docker-types.ts';
import { engineError, inMemoryApi } from '../../components/testing/in-memory-api.ts';
import { renderWithApi } from '../../components/testing/render-with-api.tsx';
import { VolumesView } from './volumes-view.tsx';

const volume = (Name: string): Volume => ({
  Name, Driver: 'local', Mountpoint: `/var/lib/berth/volumes/${Name}/_data`, CreatedAt: new Date().toISOString(), Labels: null, Scope: 'local',
  UsageData: { Size: 2048, RefCount: 1 },
});

afterEach(cleanup);

describe('Volumes view', () => {
  test('an empty engine says how to start; a created volume is listed with its size and users', async () => {
    const volumes: Volume[] = [];
    const { api } = inMemoryApi({
      calls: {
        listVolumes: () => volumes.map((v) => ({ ...v })),
        listContainers: () => [{
          Id: 'a'.repeat(64), Names: ['/db'], Image: 'postgres', ImageID: 'sha256:p', Command: '', Created: 0, State: 'running', Status: 'Up',
          Ports: [], Labels: {}, Mounts: [{ Type: 'volume', Name: 'e2e-data', Source: '', Destination: '/data', RW: true }],
        }],
        createVolume: (spec) => { volumes.push(volume(spec.name!)); return volumes.at(-1)!; },
      },
    });
    renderWithApi(api, <VolumesView />);
    expect(await screen.findByText('No volumes yet')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Create volume' }));
    const dialog = screen.getByRole('dialog', { name: 'Create volume' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Volume name' }), { target: { value: 'e2e-data' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
    const row = await screen.findByRole('row', { name: 'e2e-data' });
    expect(row.textContent).toContain('2.05 kB');
    await waitFor(() => expect(row.textContent).toContain('db'));
    expect(within(row).getByRole('button', { name: 'Browse' })).toBeTruthy();
  });

  test('deleting a volume in use shows the engine\'s refusal and keeps the row', async () => {
    const { api } = inMemoryApi({
      calls: {
        listVolumes: () => [volume('busy')], listContainers: () => [],
        removeVolume: () => { throw engineError('remove busy: volume is in use - [abc123]', 409); },
      },
    });
    renderWithApi(api, <VolumesView />);
    fireEvent.click(within(await screen.findByRole('row', { name: 'busy' })).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Delete volume busy?' })).getByRole('button', { name: 'Delete' }));
    expect((await screen.findByRole('alert')).textContent).toContain('volume is in use');
    expect(screen.getByRole('row', { name: 'busy' })).toBeTruthy();
  });
});
