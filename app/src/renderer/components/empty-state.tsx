// What a view shows when it has nothing to list: what this is, and the first thing to do.
import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** The loading / failed line of a list whose query has not produced data yet. */
export function QueryStatus({ what, isPending, error }: { what: string; isPending: boolean; error: Error | null }) {
  // A status, not an alert: the banner already says when the engine is down, and alerts are for
  // outcomes of the user's own actions (each with a Dismiss button).
  if (error) return <p role="status" className="query-error">Could not load {what}: {error.message}</p>;
  if (isPending) return <p role="status" className="muted">Loading {what}…</p>;
  return null;
}
