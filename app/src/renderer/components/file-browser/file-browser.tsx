// Browses a file tree — a container's or a volume's — through a `load(path)` the caller supplies:
// "Path" breadcrumbs, a "Files" table with one row per entry (named by the file name), links into
// directories (and symlinks, which may point at one), and a Download button per file.
import { useQuery } from '@tanstack/react-query';
import { useState, type MouseEvent } from 'react';
import type { FileContent, FileEntry, FileListing } from '../../../common/desktop-api.ts';
import { toastError } from '../../store/toast-store.ts';
import { formatBytes } from '../format.ts';
import { breadcrumbs, modeString, parentPath } from './file-mode.ts';
import { base64ToBytes, saveBlob } from './save-blob.ts';
import '../../terminal/palette.css';
import './file-browser.css';

export interface FileBrowserProps {
  /** The table's accessible name; "Files" unless the page has several. */
  label?: string;
  /** The react-query key the listings live under; the path is appended. */
  queryKeyPrefix: readonly unknown[];
  load(path: string): Promise<FileListing>;
  /** Omitted: no Download buttons. */
  download?(path: string): Promise<FileContent>;
  initialPath?: string;
}

const TYPE_TEXT: Record<FileEntry['type'], string> = { dir: 'Directory', file: 'File', symlink: 'Link', other: 'Other' };
// Small inline outlines (no icon font, no emoji font needed): folder, page, arrow, square.
const TYPE_ICON_PATH: Record<FileEntry['type'], string> = {
  dir: 'M1.5 3.5h4l1.5 1.5h7.5v8h-13z',
  file: 'M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3',
  symlink: 'M2.5 12.5c0-5 3-7 8-7 M8 2.5l3 3-3 3',
  other: 'M3.5 3.5h9v9h-9z',
};

function TypeIcon({ type }: { type: FileEntry['type'] }) {
  return (
    <svg className="file-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={TYPE_ICON_PATH[type]} fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round" />
    </svg>
  );
}

function byDirectoryThenName(a: FileEntry, b: FileEntry): number {
  const rank = (entry: FileEntry) => (entry.type === 'dir' ? 0 : 1);
  return rank(a) - rank(b) || a.name.localeCompare(b.name);
}

/** A link that changes the browsed path (its href is only there to make it a real, focusable link). */
function PathLink({ path, onOpen, children }: { path: string; onOpen(path: string): void; children: string }) {
  const open = (event: MouseEvent) => {
    event.preventDefault();
    onOpen(path);
  };
  return <a href={`#${encodeURI(path)}`} onClick={open}>{children}</a>;
}

export function FileBrowser(props: FileBrowserProps) {
  const { load, download } = props;
  const [path, setPath] = useState(props.initialPath ?? '/');
  const [downloading, setDownloading] = useState<string | null>(null);
  const listing = useQuery({ queryKey: [...props.queryKeyPrefix, path], queryFn: () => load(path), retry: false });

  const save = async (entry: FileEntry) => {
    if (!download) return;
    setDownloading(entry.path);
    try {
      const content = await download(entry.path);
      saveBlob(new Blob([base64ToBytes(content.base64)], { type: 'application/octet-stream' }), content.name || entry.name);
    } catch (error) {
      toastError(`Could not download ${entry.name}`, error);
    } finally {
      setDownloading(null);
    }
  };

  const crumbs = breadcrumbs(path);
  const entries = listing.data ? [...listing.data.entries].sort(byDirectoryThenName) : [];
  return (
    <div className="file-browser">
      <nav aria-label="Path" className="file-breadcrumbs">
        <ol>
          {crumbs.map(([name, at], i) => (
            <li key={at}>
              {i === crumbs.length - 1
                ? <span aria-current="page">{name}</span>
                : <PathLink path={at} onOpen={setPath}>{name}</PathLink>}
            </li>
          ))}
        </ol>
      </nav>
      {listing.isPending && <p role="status">Loading {path}…</p>}
      {listing.isError && (
        <div className="file-error">
          <p role="alert">{listing.error.message}</p>
          {path !== '/' && <p><PathLink path={parentPath(path)} onOpen={setPath}>Back to the parent directory</PathLink></p>}
        </div>
      )}
      {listing.data?.truncated && (
        <p className="file-note">This directory has more entries than can be listed; only the first {entries.length.toLocaleString()} are shown.</p>
      )}
      {listing.data && (
        <table aria-label={props.label ?? 'Files'} className="file-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col" className="file-number">Size</th>
              <th scope="col">Mode</th>
              <th scope="col">Modified</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {entries.length === 0 && (
              <tr><td colSpan={6} className="file-empty">This directory is empty.</td></tr>
            )}
            {entries.map((entry) => (
              <tr key={entry.name} aria-label={entry.name}>
                <td>
                  <TypeIcon type={entry.type} />
                  {entry.type === 'dir' || entry.type === 'symlink'
                    ? <PathLink path={entry.path} onOpen={setPath}>{entry.name}</PathLink>
                    : entry.name}
                  {entry.linkTarget !== undefined && <span className="file-link-target"> → {entry.linkTarget}</span>}
                </td>
                <td>{TYPE_TEXT[entry.type]}</td>
                <td className="file-number">{entry.type === 'dir' ? '' : formatBytes(entry.size)}</td>
                <td><code>{modeString(entry.type, entry.mode)}</code></td>
                <td>{entry.modified > 0 ? new Date(entry.modified).toLocaleString() : ''}</td>
                <td>
                  {download && entry.type === 'file' && (
                    <button type="button" aria-label={`Download ${entry.name}`} disabled={downloading === entry.path} onClick={() => void save(entry)}>
                      Download
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
