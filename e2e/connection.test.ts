// The lost-connection banner: when the page's WebSocket to `berth dashboard` is cut (here the
// kernel destroys the dashboard's established TCP sockets with `ss -K`, while the dashboard keeps
// listening, as after a laptop's network stack drops them), every view shows the `alert` "Lost the
// connection to Berth." with a Reload button; Reload loads the page again, signed in by its
// cookie, and the app works with the banner gone.
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { VolumesPage } from './pages/volumes-page.ts';
import { useDashboardSession } from './support/session.ts';

const s = useDashboardSession('connection', { pullBusybox: false });

describe('Lost connection banner', () => {
  test('cutting the page\'s connection shows the banner; Reload brings the app back', async () => {
    await s.app.goTo('Volumes');
    const volumes = new VolumesPage(s.page);
    await volumes.createButton.waitFor({ state: 'visible' });
    const banner = s.page.getByRole('alert').filter({ hasText: 'Lost the connection to Berth.' });
    expect(await banner.count()).toBe(0);

    const port = new URL(s.dashboard.url).port;
    execFileSync('ss', ['-K', 'state', 'established', '(', 'sport', '=', `:${port}`, ')'], { stdio: 'ignore' });
    await banner.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await banner.innerText()).toMatch(/If the dashboard is still running, reload; if it was restarted, open the new address it printed/);

    const reloaded = s.page.waitForEvent('load');
    await banner.getByRole('button', { name: 'Reload', exact: true }).click();
    await reloaded;
    await s.app.nav.waitFor({ state: 'visible' });
    // Signed in again and talking to the engine: a volume made now shows in the list.
    await s.dockerOk(['volume', 'create', 'after-reload']);
    await volumes.row('after-reload').waitFor({ state: 'visible' });
    expect(await banner.count()).toBe(0);
  });
});
