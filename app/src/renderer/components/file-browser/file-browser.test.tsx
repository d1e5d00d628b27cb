// @vitest-environment jsdom
// The file browser against a DesktopApi built with the real RPC client over an in-memory channel;
// at the far end, an in-test responder answers the two calls the browser makes with data shaped
// exactly as the backend's (FileListing / FileContent). Real-engine coverage is in e2e/.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { DesktopApi, FileContent, FileListing } from '../../../common/desktop-api.ts';
import { createRpcClient } from '../../../common/rpc-client.ts';
import type { ClientMessage, ServerMessage } from '../../../common/rpc-protocol.ts';
import { FileBrowser } from './file-browser.tsx';
import { modeString } from './file-mode.ts';

afterEach(cleanup);

const T = Date.UTC(2024, 0, 1);
const TREE: Record<string, FileListing> = {
  '/': {
    path: '/',
    entries: [
      { name: 'etc', path: '/etc', type: 'dir', size: 4096, mode: 0o755, modified: T },
      { name: 'bin', path: '/bin', type: 'symlink', size: 7, mode: 0o777, modified: T, linkTarget: 'usr/bin' },
      { name: 'init', path: '/init', type: 'file', size: 2048, mode: 0o4755, modified: T },
    ],
  },
  '/etc': {
    path: '/etc',
    entries: [
      { name: 'passwd', path: '/etc/passwd', type: 'file', size: 11, mode: 0o644, modified: T },
      { name: 'ssl', path: '/etc/ssl', type: 'dir', size: 4096, mode: 0o755, modified: T },
    ],
    truncated: true,
  },
  '/etc/ssl': { path: '/etc/ssl', entries: [] },
};
const FILES: Record<string, string> = { '/etc/passwd': 'root:x:0:0\n' };

/** A DesktopApi whose far end answers listContainerFiles / readContainerFile from TREE and FILES. */
function apiOverChannel(): { api: DesktopApi; calls: string[] } {
  const calls: string[] = [];
  let toClient: (message: ServerMessage) => void = () => {};
  const answer = (message: Extract<ClientMessage, { t: 'call' }>) => {
    const [, path] = message.args as [string, string];
    calls.push(`${message.name} ${path}`);
    if (message.name === 'listContainerFiles' && TREE[path]) return { t: 'result', id: message.id, value: TREE[path] } as const;
    if (message.name === 'readContainerFile' && FILES[path] !== undefined) {
      const content: FileContent = { name: path.split('/').pop()!, size: FILES[path].length, base64: btoa(FILES[path]) };
      return { t: 'result', id: message.id, value: content } as const;
    }
    return { t: 'error', id: message.id, error: { message: `${path} does not exist in the container`, status: 404 } } as const;
  };
  const api = createRpcClient({
    send(message) {
      if (message.t === 'call') queueMicrotask(() => toClient(answer(message)));
    },
    onMessage(listener) { toClient = listener; },
    onClose() {},
  });
  return { api, calls };
}

function renderBrowser(api: DesktopApi, initialPath?: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <FileBrowser
        queryKeyPrefix={['containers', 'c1', 'files']}
        load={(path) => api.listContainerFiles('c1', path)}
        download={(path) => api.readContainerFile('c1', path)}
        {...(initialPath ? { initialPath } : {})}
      />
    </QueryClientProvider>,
  );
}

describe('FileBrowser', () => {
  test('lists a directory with rows named by file name, directories first, modes as rwx', async () => {
    const { api } = apiOverChannel();
    renderBrowser(api);
    const table = await screen.findByRole('table', { name: 'Files' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.getAttribute('aria-label'))).toEqual(['etc', 'bin', 'init']);
    const init = within(table).getByRole('row', { name: 'init' });
    expect(init.textContent).toContain('-rwsr-xr-x');
    expect(init.textContent).toContain('2.05 kB');
    expect(within(table).getByRole('row', { name: 'bin' }).textContent).toContain('→ usr/bin');
  });

  test('directory links and breadcrumbs navigate; the truncated note shows', async () => {
    const { api, calls } = apiOverChannel();
    renderBrowser(api);
    const table = await screen.findByRole('table', { name: 'Files' });
    fireEvent.click(within(within(table).getByRole('row', { name: 'etc' })).getByRole('link', { name: 'etc' }));
    expect(await screen.findByRole('row', { name: 'passwd' })).toBeTruthy();
    expect(screen.getByText(/more entries than can be listed/)).toBeTruthy();
    fireEvent.click(within(screen.getByRole('row', { name: 'ssl' })).getByRole('link', { name: 'ssl' }));
    expect(await screen.findByText('This directory is empty.')).toBeTruthy();
    const path = screen.getByRole('navigation', { name: 'Path' });
    expect(within(path).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['/', 'etc', 'ssl']);
    fireEvent.click(within(path).getByRole('link', { name: '/' }));
    expect(await screen.findByRole('row', { name: 'init' })).toBeTruthy();
    expect(calls.slice(0, 3)).toEqual(['listContainerFiles /', 'listContainerFiles /etc', 'listContainerFiles /etc/ssl']);
  });

  test('Download <name> fetches the file and saves it under its name with its exact bytes', async () => {
    const { api, calls } = apiOverChannel();
    const saved: { name: string; blob: Blob }[] = [];
    const createObjectURL = vi.fn((blob: Blob) => { saved.push({ name: '', blob }); return 'blob:test'; });
    Object.assign(URL, { createObjectURL, revokeObjectURL: () => {} });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved[saved.length - 1].name = this.download;
    });
    try {
      renderBrowser(api, '/etc');
      fireEvent.click(await screen.findByRole('button', { name: 'Download passwd' }));
      await waitFor(() => expect(saved).toHaveLength(1));
      expect(saved[0].name).toBe('passwd');
      expect(await saved[0].blob.text()).toBe('root:x:0:0\n');
      expect(calls).toContain('readContainerFile /etc/passwd');
    } finally {
      click.mockRestore();
    }
  });

  test('a listing error is shown with a way back to the parent', async () => {
    const { api } = apiOverChannel();
    renderBrowser(api, '/nope/deeper');
    expect((await screen.findByRole('alert')).textContent).toBe('/nope/deeper does not exist in the container');
    fireEvent.click(screen.getByRole('link', { name: 'Back to the parent directory' }));
    expect((await screen.findByRole('alert')).textContent).toBe('/nope does not exist in the container');
  });
});

describe('modeString', () => {
  test('renders type, permissions and the special bits as ls does', () => {
    expect(modeString('dir', 0o755)).toBe('drwxr-xr-x');
    expect(modeString('file', 0o644)).toBe('-rw-r--r--');
    expect(modeString('symlink', 0o777)).toBe('lrwxrwxrwx');
    expect(modeString('dir', 0o1777)).toBe('drwxrwxrwt');
    expect(modeString('file', 0o2644)).toBe('-rw-r-Sr--');
  });
});
