// Browsing a volume's files (route /volumes/:name) with the shared FileBrowser.
import { useCallback } from 'react';
import { Link } from 'wouter';
import { useDesktopApi } from '../../api/api-context.tsx';
import { FileBrowser } from '../../components/file-browser/file-browser.tsx';
import { routes } from '../../routes.ts';

export function VolumeBrowseView({ name: rawName }: { name: string }) {
  const name = decodeURIComponent(rawName);
  const api = useDesktopApi();
  const load = useCallback((path: string) => api.listVolumeFiles(name, path), [api, name]);
  const download = useCallback((path: string) => api.readVolumeFile(name, path), [api, name]);
  return (
    <section aria-labelledby="volume-heading">
      <p><Link href={routes.volumes}>← Volumes</Link></p>
      <header className="view-header">
        <h1 id="volume-heading">Volume {name}</h1>
      </header>
      <FileBrowser queryKeyPrefix={['volumes', name, 'files']} load={load} download={download} />
    </section>
  );
}
