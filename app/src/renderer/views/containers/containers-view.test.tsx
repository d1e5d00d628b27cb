// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { ContainerAction } from '../../../common/desktop-api.ts';
import type { ContainerSummary } from '../../../common/docker-types.ts';
import { engineError, inMemoryApi } from '../../components/testing/in-memory-api.ts';
import { giveElementsASize, renderWithApi } from '../../components/testing/render-with-api.tsx';
import { ContainersView } from './containers-view.tsx';

function container(name: string, state: ContainerSummary['State'], extra: Partial<ContainerSummary> = {}): ContainerSummary {
  const id = `${name.replace(/[^a-z0-9]/g, '').padEnd(12, '0')}${'f'.repeat(52)}`;
  return {
    Id: id, Names: [`/${name}`], Image: 'busybox:latest', ImageID: 'sha256:abc', Command: 'sh', Created: Math.floor(Date.now() / 1000) - 120,
    State: state, Status: state === 'exited' ? 'Exited (137) 1 minute ago' : 'Up 2 minutes', Ports: [], Labels: {}, ...extra,
  };
}

/** A tiny engine: a container list whose states the actions change, as berthd would. */
function engineWith(list: ContainerSummary[], failures: Record<string, string> = {}) {
  const next: Record<ContainerAction, ContainerSummary['State']> = { start: 'running', stop: 'exited', restart: 'running', pause: 'paused', unpause: 'running', kill: 'exited' };
  return inMemoryApi({
    calls: {
      listContainers: () => list.map((c) => ({ ...c })),
      containerAction: (id, action) => {
        const found = list.find((c) => c.Id === id)!;
        const failure = failures[`${found.Names[0].slice(1)}:${action}`];
        if (failure) throw engineError(failure, 500);
        found.State = next[action];
      },
      removeContainer: (id) => { list.splice(list.findIndex((c) => c.Id === id), 1); },
    },
    streams: { statsAll: () => undefined },
  });
}

beforeAll(() => giveElementsASize());
afterEach(cleanup);

const table = () => screen.getByRole('table', { name: 'Containers' });
const row = (name: string) => within(table()).getByRole('row', { name });
const buttonsOf = (name: string) => within(row(name)).getAllByRole('button').map((b) => b.textContent);

describe('Containers view', () => {
  test('lists each container as a row named by its name, with the buttons its state allows and its state as a word', async () => {
    const { api } = engineWith([container('web', 'running'), container('old', 'exited'), container('held', 'paused')]);
    renderWithApi(api, <ContainersView />);
    await within(await screen.findByRole('table', { name: 'Containers' })).findByRole('row', { name: 'web' });
    expect(buttonsOf('web')).toEqual(['Stop', 'Restart', 'Pause', 'Delete']);
    expect(buttonsOf('old')).toEqual(['Start', 'Delete']);
    expect(buttonsOf('held')).toEqual(['Resume', 'Stop', 'Delete']);
    expect(row('old').textContent).toContain('Exited (137)');
    expect(row('held').textContent).toContain('Paused');
    expect(within(row('web')).getByRole('link', { name: 'web' }).getAttribute('href')).toBe(`#/containers/${container('web', 'running').Id}/logs`);
    expect(table().getAttribute('aria-rowcount')).toBe('4');
  });

  test('published ports are links to localhost that open in a new tab', async () => {
    const { api } = engineWith([container('web', 'running', {
      Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { PrivatePort: 443, Type: 'tcp' }],
    })]);
    renderWithApi(api, <ContainersView />);
    const link = await screen.findByRole('link', { name: '8080:80' });
    expect(link.getAttribute('href')).toBe('http://localhost:8080');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    expect(within(row('web')).getAllByRole('link')).toHaveLength(2); // the name and one port, once
  });

  test('groups a compose project\'s containers in a rowgroup named by the project, and collapses it', async () => {
    const compose = { 'com.docker.compose.project': 'shop' };
    const { api } = engineWith([container('shop-db-1', 'running', { Labels: compose }), container('shop-web-1', 'running', { Labels: compose }), container('loose', 'running')]);
    renderWithApi(api, <ContainersView />);
    const group = await screen.findByRole('rowgroup', { name: 'shop' });
    expect(within(group).getByRole('row', { name: 'shop-db-1' })).toBeTruthy();
    expect(within(group).getByRole('row', { name: 'shop-web-1' })).toBeTruthy();
    expect(within(group).queryByRole('row', { name: 'loose' })).toBeNull();
    fireEvent.click(within(group).getByRole('button', { name: 'shop' }));
    await waitFor(() => expect(screen.queryByRole('row', { name: 'shop-db-1' })).toBeNull());
    expect(screen.getByRole('row', { name: 'loose' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'shop' }));
    await screen.findByRole('row', { name: 'shop-db-1' });
  });

  test('search matches name, image or id, and the state filter keeps only the chosen state', async () => {
    const { api } = engineWith([container('web', 'running'), container('worker', 'exited'), container('cache', 'paused', { Image: 'redis:7' })]);
    renderWithApi(api, <ContainersView />);
    await screen.findByRole('row', { name: 'web' });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search containers' }), { target: { value: 'redis' } });
    await waitFor(() => expect(screen.queryByRole('row', { name: 'web' })).toBeNull());
    expect(screen.getByRole('row', { name: 'cache' })).toBeTruthy();
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search containers' }), { target: { value: '' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'State filter' }), { target: { value: 'stopped' } });
    await waitFor(() => expect(screen.queryByRole('row', { name: 'web' })).toBeNull());
    expect(screen.getByRole('row', { name: 'worker' })).toBeTruthy();
    expect(screen.queryByRole('row', { name: 'cache' })).toBeNull();
  });

  test('the Selection toolbar stops every selected container and leaves the others alone', async () => {
    const { api, calls } = engineWith([container('a', 'running'), container('b', 'running'), container('c', 'running')].map((c, i) => ({ ...c, Names: [`/${['bulk-a', 'bulk-b', 'keep'][i]}`] })));
    renderWithApi(api, <ContainersView />);
    await screen.findByRole('row', { name: 'bulk-a' });
    fireEvent.click(within(row('bulk-a')).getByRole('checkbox', { name: 'Select bulk-a' }));
    fireEvent.click(within(row('bulk-b')).getByRole('checkbox', { name: 'Select bulk-b' }));
    const toolbar = screen.getByRole('toolbar', { name: 'Selection' });
    expect((within(toolbar).getByRole('button', { name: 'Start' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(toolbar).getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(calls.filter((c) => c.name === 'containerAction').map((c) => c.args[1])).toEqual(['stop', 'stop']));
    await waitFor(() => expect(row('bulk-a').textContent).toContain('Exited'));
    expect(row('bulk-b').textContent).toContain('Exited');
    expect(row('keep').textContent).toContain('Running');
  });

  test('a failed action shows the engine\'s message in an alert with a Dismiss button', async () => {
    const { api } = engineWith([container('badcmd', 'created')], { 'badcmd:start': 'exec: "/no/such/command": stat /no/such/command: no such file or directory' });
    renderWithApi(api, <ContainersView />);
    fireEvent.click(within(await screen.findByRole('row', { name: 'badcmd' })).getByRole('button', { name: 'Start' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not start badcmd');
    expect(alert.textContent).toContain('stat /no/such/command: no such file or directory');
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  test('Delete asks first, then removes the container and its row', async () => {
    const { api, calls } = engineWith([container('gone', 'running')]);
    renderWithApi(api, <ContainersView />);
    fireEvent.click(within(await screen.findByRole('row', { name: 'gone' })).getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete gone?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(calls.find((c) => c.name === 'removeContainer')?.args[1]).toEqual({ force: true, volumes: false }));
    await act(() => Promise.resolve());
    expect(await screen.findByText(/Run your first container/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Images' }).getAttribute('href')).toBe('#/images');
  });

  test('1,000 containers render only the rows in view, with their row indexes', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => container(`c${String(i).padStart(4, '0')}`, 'running'));
    const { api } = engineWith(many);
    renderWithApi(api, <ContainersView />);
    await screen.findByRole('row', { name: 'c0000' });
    const rows = within(table()).getAllByRole('row');
    expect(rows.length).toBeLessThan(80);
    expect(table().getAttribute('aria-rowcount')).toBe('1001');
    expect(rows[1].getAttribute('aria-rowindex')).toBe('2');
  });
});
