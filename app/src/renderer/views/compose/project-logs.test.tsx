// @vitest-environment jsdom
// The merged log of a compose project has what a container's Logs tab has: search with a match
// count, a Timestamps toggle (the lines carry them), and exports that keep each line's service.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine } from '../../../common/desktop-api.ts';
import { inMemoryApi } from '../../components/testing/in-memory-api.ts';
import { giveElementsASize, renderWithApi } from '../../components/testing/render-with-api.tsx';
import { exportParts } from '../container-detail/logs/log-export.ts';
import { LogBuffer } from '../container-detail/logs/log-buffer.ts';
import { ProjectLogs } from './project-logs.tsx';

beforeAll(() => {
  giveElementsASize();
  // jsdom lays nothing out and has no ResizeObserver; the viewport only needs it to exist.
  globalThis.ResizeObserver ??= class { observe() {} unobserve() {} disconnect() {} } as unknown as typeof ResizeObserver;
});
afterEach(cleanup);

const LINES: LogLine[] = [
  { stream: 'stdout', text: 'db ready', source: 'db', timestamp: '2026-01-02T03:04:05.000000001Z' },
  { stream: 'stdout', text: 'web listening', source: 'web', timestamp: '2026-01-02T03:04:06.000000002Z' },
  { stream: 'stderr', text: 'web ready too', source: 'web', timestamp: '2026-01-02T03:04:07.000000003Z' },
];

describe('ProjectLogs', () => {
  it('searches the merged log and shows the lines\' timestamps when asked, without reopening the stream', async () => {
    let opened = 0;
    const server = inMemoryApi({ streams: { composeLogs: (args, sink) => { opened++; expect(args[0]).toBe('shop'); sink.next(LINES); } } });
    renderWithApi(server.api, <ProjectLogs project="shop" services={['db', 'web']} />);
    const log = await screen.findByRole('log', { name: 'Project logs' });
    await waitFor(() => expect(log.textContent).toContain('web | web listening'));
    expect(log.textContent).not.toContain('2026-01-02T03:04:06');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search logs' }), { target: { value: 'ready' } });
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/2$/));
    expect(within(log).getAllByText('ready')).toHaveLength(2);

    await act(async () => { fireEvent.click(screen.getByRole('checkbox', { name: 'Timestamps' })); });
    await waitFor(() => expect(log.textContent).toContain('2026-01-02T03:04:06.000000002Z web | web listening'));
    expect(opened).toBe(1);
  });

  it('exports each line with its service, and its timestamp when shown', () => {
    const buffer = new LogBuffer(10);
    buffer.append(LINES);
    expect(exportParts(buffer, false).join('')).toBe('db | db ready\nweb | web listening\nweb | web ready too\n');
    expect(exportParts(buffer, true).join('').split('\n')[0]).toBe('2026-01-02T03:04:05.000000001Z db | db ready');
  });
});
