// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { ImageSummary } from '../../../common/docker-types.ts';
import { engineError, inMemoryApi, type TestCalls } from '../../components/testing/in-memory-api.ts';
import { renderWithApi } from '../../components/testing/render-with-api.tsx';
import { ImagesView } from './images-view.tsx';
import { useTransfers } from './transfer-store.ts';

const BUSYBOX: ImageSummary = {
  Id: 'sha256:70621f32ef70aaaa', ParentId: '', RepoTags: ['registry.test:5000/busybox:latest'], RepoDigests: null,
  Created: 1_700_000_000, Size: 1_980_000, Containers: -1, Labels: null,
};

function setup(calls: TestCalls = {}) {
  useTransfers.setState({ transfers: [] });
  const server = inMemoryApi({
    calls: { listImages: () => [BUSYBOX], listContainers: () => [], listNetworks: () => [], ...calls },
    streams: { pull: () => undefined },
  });
  renderWithApi(server.api, <ImagesView />);
  return server;
}

afterEach(cleanup);

describe('Images view', () => {
  test('pull shows a region with one progressbar per layer, updated from the stream\'s messages', async () => {
    const { sinks, calls } = setup();
    await screen.findByRole('row', { name: 'registry.test:5000/busybox:latest' });
    fireEvent.change(screen.getByRole('textbox', { name: 'Image to pull' }), { target: { value: 'registry.test:5000/app:1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pull' }));
    const region = await screen.findByRole('region', { name: 'Pull registry.test:5000/app:1' });
    await waitFor(() => expect(sinks.get('pull')).toHaveLength(1));
    const pull = sinks.get('pull')![0];
    pull.next({ status: 'Pulling from app', id: '1' });
    pull.next({ status: 'Pulling fs layer', id: 'aaaaaaaaaaaa' });
    pull.next({ status: 'Pulling fs layer', id: 'bbbbbbbbbbbb' });
    pull.next({ status: 'Downloading', id: 'aaaaaaaaaaaa', progressDetail: { current: 250, total: 1000 } });
    pull.next({ status: 'Already exists', id: 'bbbbbbbbbbbb' });
    const first = await within(region).findByRole('progressbar', { name: 'aaaaaaaaaaaa' });
    await waitFor(() => expect(first.getAttribute('aria-valuenow')).toBe('250'));
    expect(first.getAttribute('aria-valuemax')).toBe('1000');
    const second = within(region).getByRole('progressbar', { name: 'bbbbbbbbbbbb' });
    expect(second.getAttribute('aria-valuenow')).toBe(second.getAttribute('aria-valuemax'));
    expect(region.textContent).toContain('1: Pulling from app');

    pull.next({ status: 'Pull complete', id: 'aaaaaaaaaaaa' });
    pull.next({ status: 'Status: Downloaded newer image for registry.test:5000/app:1' });
    pull.end();
    await waitFor(() => expect(first.getAttribute('aria-valuenow')).toBe('1000'));
    expect(screen.getByText('Pulled registry.test:5000/app:1')).toBeTruthy();
    // The list was asked again once the pull ended.
    await waitFor(() => expect(calls.filter((c) => c.name === 'listImages').length).toBeGreaterThan(1));
  });

  test('a failed pull says why in an alert inside its region', async () => {
    const { sinks } = setup();
    fireEvent.change(await screen.findByRole('textbox', { name: 'Image to pull' }), { target: { value: 'nope:1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Pull' }));
    await waitFor(() => expect(sinks.get('pull')).toHaveLength(1));
    sinks.get('pull')![0].next({ error: 'manifest unknown', errorDetail: { message: 'manifest for nope:1 not found: manifest unknown' } });
    sinks.get('pull')![0].end();
    const region = await screen.findByRole('region', { name: 'Pull nope:1' });
    expect((await within(region).findByRole('alert')).textContent).toContain('manifest for nope:1 not found');
  });

  test('the Run dialog names each bad field and sends nothing until all are valid', async () => {
    const { calls } = setup({ runContainer: () => ({ id: 'c0ffee', warnings: [] }) });
    fireEvent.click(within(await screen.findByRole('row', { name: 'registry.test:5000/busybox:latest' })).getByRole('button', { name: 'Run' }));
    const dialog = screen.getByRole('dialog', { name: 'Run registry.test:5000/busybox:latest' });
    const field = (name: string) => within(dialog).getByRole('textbox', { name }) as HTMLInputElement;
    fireEvent.change(field('Ports'), { target: { value: '8080:http' } });
    fireEvent.change(field('Environment variables'), { target: { value: 'GREETING' } });
    fireEvent.change(field('Command'), { target: { value: `sh -c 'echo hi` } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Run' }));
    expect(field('Ports').getAttribute('aria-invalid')).toBe('true');
    expect(dialog.textContent).toContain('"8080:http": the container port must be a number from 1 to 65535');
    expect(dialog.textContent).toContain('line 1: write KEY=value');
    expect(dialog.textContent).toContain('the single quote is never closed');
    expect(calls.some((c) => c.name === 'runContainer')).toBe(false);

    fireEvent.change(field('Ports'), { target: { value: '8080:80' } });
    fireEvent.change(field('Environment variables'), { target: { value: 'GREETING=hello world' } });
    fireEvent.change(field('Command'), { target: { value: `sh -c 'echo hi'` } });
    fireEvent.change(field('Container name'), { target: { value: 'web' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(calls.find((c) => c.name === 'runContainer')?.args[0]).toEqual({
      image: 'registry.test:5000/busybox:latest', name: 'web', command: ['sh', '-c', 'echo hi'],
      ports: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }], env: ['GREETING=hello world'],
    }));
    await waitFor(() => expect(window.location.hash).toBe('#/containers/c0ffee/logs'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  test('a delete the engine refuses shows its conflict message and offers Delete anyway (force)', async () => {
    const removals: { force: boolean }[] = [];
    setup({
      removeImage: (_id, options) => {
        removals.push(options);
        if (!options.force) throw engineError('conflict: unable to remove repository reference (must force) - container 0123456789ab is using its referenced image 70621f32ef70', 409);
        return { untagged: ['registry.test:5000/busybox:latest'], deleted: ['sha256:70621f32ef70aaaa'] };
      },
    });
    fireEvent.click(within(await screen.findByRole('row', { name: 'registry.test:5000/busybox:latest' })).getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(screen.getByRole('dialog', { name: 'Delete registry.test:5000/busybox:latest?' })).getByRole('button', { name: 'Delete' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('container 0123456789ab is using its referenced image');
    await act(async () => fireEvent.click(within(alert).getByRole('button', { name: 'Delete anyway' })));
    await waitFor(() => expect(removals).toEqual([{ force: false }, { force: true }]));
    expect(await screen.findByText('Deleted registry.test:5000/busybox:latest')).toBeTruthy();
  });
});
