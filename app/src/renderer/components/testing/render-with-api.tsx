// Renders a component as the app shell would: react-query, the DesktopApi, hash routing and the
// toast viewport, so tests find toasts by role like a user (and e2e) would.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Router } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import type { DesktopApi } from '../../../common/desktop-api.ts';
import { DesktopApiProvider } from '../../api/api-context.tsx';
import { useToasts } from '../../store/toast-store.ts';
import { ToastViewport } from '../toast-viewport.tsx';

export function renderWithApi(api: DesktopApi, ui: ReactNode) {
  useToasts.setState({ toasts: [] });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 0 } } });
  const result = render(
    <QueryClientProvider client={client}>
      <DesktopApiProvider api={api}>
        <Router hook={useHashLocation}>
          {ui}
          <ToastViewport />
        </Router>
      </DesktopApiProvider>
    </QueryClientProvider>,
  );
  return { ...result, client };
}

/** jsdom lays nothing out: give scroll containers a viewport so virtualized lists render rows. */
export function giveElementsASize(width = 1200, height = 800): void {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => height });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => width });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 36 });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => width });
}
