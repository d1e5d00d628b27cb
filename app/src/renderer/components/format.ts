// Small formatters every view shares, so sizes, times and ids read the same everywhere.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** 1536 → "1.5 kB": decimal units, as `docker images` and `docker system df` print sizes. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits).replace(/\.0+$|(\.\d*[1-9])0+$/, '$1')} ${UNITS[unit]}`;
}

/** 12.345 → "12.3%". */
export function formatPercent(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return '—';
  return `${percent < 10 ? percent.toFixed(2) : percent.toFixed(1)}%`;
}

const RELATIVE_STEPS: [limit: number, divisor: number, unit: Intl.RelativeTimeFormatUnit][] = [
  [60, 1, 'second'],
  [3600, 60, 'minute'],
  [86_400, 3600, 'hour'],
  [7 * 86_400, 86_400, 'day'],
  [30 * 86_400, 7 * 86_400, 'week'],
  [365 * 86_400, 30 * 86_400, 'month'],
  [Infinity, 365 * 86_400, 'year'],
];

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** Seconds since the epoch (Docker's `Created`) → "3 minutes ago". */
export function formatRelativeTime(epochSeconds: number | null | undefined, now = Date.now()): string {
  if (!epochSeconds || !Number.isFinite(epochSeconds)) return '—';
  const delta = Math.round(epochSeconds - now / 1000);
  const magnitude = Math.abs(delta);
  if (magnitude < 10) return 'just now';
  for (const [limit, divisor, unit] of RELATIVE_STEPS) {
    if (magnitude < limit) return relativeFormat.format(Math.round(delta / divisor), unit);
  }
  return '—';
}

/** An RFC 3339 date (volumes' and networks' `CreatedAt`) → "3 minutes ago". */
export function formatRelativeDate(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const millis = Date.parse(iso);
  // Docker reports "0001-01-01T00:00:00Z" when it does not know.
  if (!Number.isFinite(millis) || millis <= 0) return '—';
  return formatRelativeTime(millis / 1000, now);
}

/** Full local date and time, for a tooltip next to a relative time. */
export function formatAbsoluteTime(epochSeconds: number): string {
  return epochSeconds > 0 ? new Date(epochSeconds * 1000).toLocaleString() : '';
}

/** "sha256:0123456789abcdef…" → "0123456789ab", as `docker ps` and `docker images` print ids. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** A container's name as users type it: Docker reports it with a leading "/". */
export function containerName(container: { Names?: string[] | null; Id: string }): string {
  const name = container.Names?.[0];
  return name ? name.replace(/^\//, '') : shortId(container.Id);
}

/** An image reference as people read it: without the registry host ("127.0.0.1:5000/",
 * "ghcr.io/"), which a narrow column would otherwise show instead of the name. The host is a first
 * path component with a dot or a port, or "localhost" (the reference grammar's rule). */
export function imageDisplayName(reference: string): string {
  const slash = reference.indexOf('/');
  if (slash < 0) return reference;
  const first = reference.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? reference.slice(slash + 1) : reference;
}
