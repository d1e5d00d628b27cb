// Recent builds (kept by the backend in builds.json): outcome, what was built, duration, when.
import { memo } from 'react';
import type { BuildRecord } from '../../../common/desktop-api.ts';
import { formatRelativeTime } from '../../components/format.ts';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

const OUTCOME_TEXT: Record<BuildRecord['outcome'], string> = { succeeded: 'Succeeded', failed: 'Failed', cancelled: 'Cancelled' };

export const RecentBuilds = memo(function RecentBuilds({ builds }: { builds: BuildRecord[] }) {
  if (builds.length === 0) return null;
  return (
    <section className="recent-builds" aria-labelledby="recent-builds-heading">
      <h2 id="recent-builds-heading">Recent builds</h2>
      <table className="data-table" aria-label="Recent builds">
        <thead>
          <tr><th>Outcome</th><th>Image</th><th>Folder</th><th className="number">Duration</th><th>When</th></tr>
        </thead>
        <tbody>
          {builds.map((b) => (
            <tr key={b.buildId}>
              <td><span className={`build-badge badge-${b.outcome}`}>{OUTCOME_TEXT[b.outcome]}</span></td>
              <td>{b.tags.join(', ') || (b.imageId ? b.imageId.slice(7, 19) : '—')}{b.target ? ` (target ${b.target})` : ''}</td>
              <td className="build-folder-cell" title={`${b.folder}/${b.dockerfile}`}>{b.folder}</td>
              <td className="number">{formatDuration(b.durationMs)}</td>
              <td>{formatRelativeTime(Math.floor(b.startedAt / 1000))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
});
