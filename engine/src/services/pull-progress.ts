// The JSON progress messages of `POST /images/create`, shaped as dockerd writes them
// (moby pkg/jsonmessage JSONProgress and pkg/streamformatter): clients such as the docker CLI,
// compose and the desktop app render `progress` verbatim and read `progressDetail` for bars.

export interface ProgressDetail {
  current?: number;
  total?: number;
}

export interface ProgressMessage {
  status: string;
  id?: string;
  progressDetail?: ProgressDetail;
  progress?: string;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** go-units HumanSize: decimal units, 4 significant digits, trailing zeros dropped (`%.4g`). */
export function humanSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < UNITS.length - 1) {
    size /= 1000;
    unit++;
  }
  let text = size.toPrecision(4);
  if (!text.includes('e') && text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text + UNITS[unit];
}

/** JSONProgress.String() as the daemon renders it: no terminal, so the width is taken as 200,
 * which includes the bar; the daemon sets no start time, so there is no time-left part. */
export function progressBar(current: number, total: number): string {
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return humanSize(current).padStart(8);
  const percentage = Math.min(50, Math.trunc(Math.trunc((current / total) * 100) / 2));
  const bar = `[${'='.repeat(percentage)}>${' '.repeat(Math.max(0, 50 - percentage))}] `;
  const numbers = current > total ? humanSize(current).padStart(8) : `${humanSize(current).padStart(8)}/${humanSize(total)}`;
  return bar + numbers;
}

/** First 12 hex digits of a digest: the id dockerd gives a layer's progress lines. */
export function shortId(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** Minimum gap between two byte-progress lines for one layer (dockerd throttles similarly, so a
 * fast local pull does not flood the client with thousands of lines). */
const PROGRESS_INTERVAL_MS = 100;

export class PullProgress {
  private readonly sink: (message: ProgressMessage) => void;
  private readonly lastSent = new Map<string, number>();

  constructor(sink: (message: ProgressMessage) => void) {
    this.sink = sink;
  }

  /** A plain status line (`Pulling from …`, `Digest: …`, `Status: …`). */
  status(status: string, id?: string): void {
    this.sink(id === undefined ? { status } : { status, id });
  }

  /** A per-layer status with empty progressDetail, as dockerd sends them. */
  layer(id: string, status: string): void {
    this.sink({ status, progressDetail: {}, id });
  }

  /** Byte progress for `Downloading` / `Extracting`, throttled except for the final update. */
  bytes(id: string, status: 'Downloading' | 'Extracting', current: number, total: number): void {
    const key = `${status}\n${id}`;
    const now = Date.now();
    const last = this.lastSent.get(key);
    if (current < total && last !== undefined && now - last < PROGRESS_INTERVAL_MS) return;
    this.lastSent.set(key, now);
    this.sink({ status, progressDetail: { current, total }, progress: progressBar(current, total), id });
  }
}
