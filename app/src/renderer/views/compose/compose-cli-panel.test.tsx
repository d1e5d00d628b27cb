// @vitest-environment jsdom
// The Compose CLI panel: Cancel while a run goes (closing its stream, which stops the CLI in the
// backend), a long output capped with a count of what was dropped; and the Compose view's note
// when the engine is on another machine.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComposeOutput, EngineStatus } from '../../../common/desktop-api.ts';
import { inMemoryApi } from '../../components/testing/in-memory-api.ts';
import { renderWithApi } from '../../components/testing/render-with-api.tsx';
import { ComposeCliPanel } from './compose-open.tsx';
import { MAX_LINES, useComposeRun } from './compose-run-store.ts';
import { ComposeView } from './compose-view.tsx';

afterEach(() => {
  cleanup();
  useComposeRun.setState({ run: undefined });
});

const FILES = { files: ['/src/shop/compose.yaml'] };

describe('ComposeCliPanel', () => {
  it('keeps the newest lines of a long output, says how many it dropped, and Cancel closes the run\'s stream', async () => {
    let closed = 0;
    const server = inMemoryApi({
      streams: {
        compose: (_args, sink) => {
          // Far more than the panel keeps, in CLI-sized batches; the run never ends by itself.
          for (let batch = 0; batch < 12; batch++) {
            sink.next(Array.from({ length: 1000 }, (_, i): ComposeOutput => ({ stream: 'stderr', text: `line ${batch * 1000 + i}` })));
          }
          return () => { closed++; };
        },
      },
    });
    renderWithApi(server.api, <ComposeCliPanel files={FILES} />);
    act(() => useComposeRun.getState().start(server.api, FILES, 'up'));
    const output = await screen.findByRole('log', { name: 'Compose output' });
    await waitFor(() => expect(output.textContent).toContain('line 11999'));
    expect(output.textContent).toContain(`${(12_000 - MAX_LINES).toLocaleString()} earlier lines not shown`);
    expect(within(output).queryByText('line 0')).toBeNull();
    expect(useComposeRun.getState().run?.lines).toHaveLength(MAX_LINES);

    const region = screen.getByRole('region', { name: 'Compose CLI' });
    expect(within(region).queryByRole('button', { name: 'Close' })).toBeNull();
    fireEvent.click(within(region).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(closed).toBe(1));
    expect(output.textContent).toMatch(/compose up cancelled/);
    expect(within(region).getByRole('button', { name: 'Up' })).toHaveProperty('disabled', false);
    expect(within(region).getByRole('button', { name: 'Close' })).toBeTruthy();
  });
});

describe('ComposeView on a remote engine', () => {
  const status = (endpoint: string): EngineStatus => ({ state: 'running', endpoint, dockerHostLine: '', controllable: false });
  const view = (endpoint: string) => inMemoryApi({
    calls: {
      engineStatus: () => status(endpoint),
      capabilities: () => ({ hostTerminal: false, platform: 'linux', shell: 'dashboard' }),
      listContainers: () => [],
      rememberedComposeProjects: () => [],
    },
  });

  it('says the files are read here and bind mounts are the engine\'s, only when the engine is elsewhere', async () => {
    renderWithApi(view('tcp://build-box:2376').api, <ComposeView />);
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('tcp://build-box:2376');
    expect(note.textContent).toMatch(/read on the machine Berth runs on/);
    cleanup();

    renderWithApi(view('unix:///run/berth/docker.sock').api, <ComposeView />);
    await screen.findByText('No compose projects yet');
    expect(screen.queryByRole('note')).toBeNull();
  });
});
