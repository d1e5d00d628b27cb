// @vitest-environment jsdom
// The sign-in dialog and the list of registries signed in, over the real DesktopApi client.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { RegistryLogin } from '../../../common/desktop-api.ts';
import { engineError, inMemoryApi } from '../../components/testing/in-memory-api.ts';
import { renderWithApi } from '../../components/testing/render-with-api.tsx';
import { ImagesView } from './images-view.tsx';

afterEach(cleanup);

function setup(password: string) {
  let logins: RegistryLogin[] = [];
  const server = inMemoryApi({
    calls: {
      listImages: () => [], listContainers: () => [],
      registryLogins: () => ({ logins, problems: [], configPath: '/home/me/.docker/config.json' }),
      registrySignIn: (request) => {
        if (request.password !== password) throw engineError('127.0.0.1:5000 refused the sign-in: login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized', 401);
        logins = [{ serverAddress: '127.0.0.1:5000', username: request.username, store: 'docker-credential-pass' }];
        return { serverAddress: '127.0.0.1:5000', status: 'Login Succeeded', store: 'docker-credential-pass' };
      },
      registrySignOut: () => { logins = []; return { removed: ['127.0.0.1:5000'] }; },
    },
  });
  renderWithApi(server.api, <ImagesView />);
  return server;
}

describe('Sign in to a registry', () => {
  test('a refused sign-in keeps the dialog open with the reason; a good one lists the registry, which Sign out removes', async () => {
    const { calls } = setup('right');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in to a registry' }));
    const dialog = await screen.findByRole('dialog', { name: 'Sign in to a registry' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Registry' }), { target: { value: '127.0.0.1:5000' } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Username' }), { target: { value: 'alice' } });
    fireEvent.change(within(dialog).getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Sign in' }));
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/refused the sign-in: .*401 Unauthorized/);

    fireEvent.change(within(dialog).getByLabelText('Password'), { target: { value: 'right' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Sign in' }));
    const list = await screen.findByRole('list', { name: 'Registries signed in' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Sign in to a registry' })).toBeNull());
    const item = within(list).getByRole('listitem', { name: '127.0.0.1:5000' });
    expect(item.textContent).toContain('as alice');
    expect(item.textContent).toContain('docker-credential-pass');
    expect(calls.filter((c) => c.name === 'registrySignIn').map((c) => c.args[0])).toEqual([
      { serverAddress: '127.0.0.1:5000', username: 'alice', password: 'wrong' },
      { serverAddress: '127.0.0.1:5000', username: 'alice', password: 'right' },
    ]);

    fireEvent.click(within(item).getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Registries signed in' })).toBeNull());
    expect(calls.filter((c) => c.name === 'registrySignOut').map((c) => c.args[0])).toEqual(['127.0.0.1:5000']);
  });

  test('an empty user name or password is caught before anything is sent', async () => {
    const { calls } = setup('right');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in to a registry' }));
    const dialog = await screen.findByRole('dialog', { name: 'Sign in to a registry' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Sign in' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Enter a user name.');
    expect(calls.some((c) => c.name === 'registrySignIn')).toBe(false);
  });
});
