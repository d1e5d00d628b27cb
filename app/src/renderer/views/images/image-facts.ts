// What the image detail shows, read from GET /images/{name}/json and /history as they arrive from
// any engine. Images made by other tools (BuildKit, buildah, kaniko, a pulled image) have history
// entries whose Id is "<missing>" or empty and whose CreatedBy, Tags, Comment or even Size are null
// or absent; their config may be null or lack any field (image-spec config.md: every field of
// `config` is OPTIONAL). Nothing here throws on such input.

export interface HistoryRow {
  /** The layer's image id when the engine knows it (only for images built on this engine). */
  layerId?: string;
  /** The Dockerfile instruction as written ("RUN apk add curl", "CMD [\"sh\"]"), or '' when none was recorded. */
  instruction: string;
  /** The whole CreatedBy, for a tooltip. */
  createdBy: string;
  size: number;
  /** Seconds since the epoch; 0 when unknown. */
  created: number;
  tags: string[];
  comment: string;
}

export interface ImageConfigFacts {
  entrypoint: string[];
  cmd: string[];
  env: string[];
  /** "80/tcp", sorted. */
  exposedPorts: string[];
  volumes: string[];
  labels: [string, string][];
  workdir: string;
  user: string;
}

type Loose = Record<string, unknown>;

function record(value: unknown): Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The instruction as it appears in a Dockerfile. The classic builder records
 * "/bin/sh -c #(nop)  CMD [\"sh\"]" for metadata and "/bin/sh -c apk add …" (after "|N ARG=v …"
 * when build args were in scope) for RUN; BuildKit records "RUN /bin/sh -c apk add … # buildkit".
 */
export function instructionOf(createdBy: string): string {
  let line = createdBy.trim().replace(/\s+# buildkit$/, '');
  line = line.replace(/^\|\d+(?:\s+\S+=\S*)*\s+(?=\/bin\/sh -c )/, '');
  line = line.replace(/^RUN (?:\|\d+(?:\s+\S+=\S*)*\s+)?\/bin\/sh -c /, 'RUN ');
  if (line.startsWith('/bin/sh -c #(nop)')) return line.slice('/bin/sh -c #(nop)'.length).trim();
  if (line.startsWith('/bin/sh -c ')) return `RUN ${line.slice('/bin/sh -c '.length).trim()}`;
  return line;
}

export function historyRows(entries: unknown): HistoryRow[] {
  if (!Array.isArray(entries)) return [];
  return entries.map((entry) => {
    const e = record(entry);
    const id = text(e.Id);
    const createdBy = text(e.CreatedBy);
    return {
      ...(id && id !== '<missing>' ? { layerId: id } : {}),
      instruction: instructionOf(createdBy),
      createdBy,
      size: count(e.Size),
      created: count(e.Created),
      tags: strings(e.Tags),
      comment: text(e.Comment),
    };
  });
}

export function imageConfigFacts(inspect: unknown): ImageConfigFacts {
  const config = record(record(inspect).Config);
  const labels = Object.entries(record(config.Labels))
    .filter((pair): pair is [string, string] => typeof pair[1] === 'string')
    .sort(([a], [b]) => a.localeCompare(b));
  return {
    entrypoint: strings(config.Entrypoint),
    cmd: strings(config.Cmd),
    env: strings(config.Env),
    exposedPorts: Object.keys(record(config.ExposedPorts)).sort(),
    volumes: Object.keys(record(config.Volumes)).sort(),
    labels,
    workdir: text(config.WorkingDir),
    user: text(config.User),
  };
}

/** An argv as a shell line people can read and paste: words with spaces or quotes are quoted. */
export function argvText(argv: string[]): string {
  return argv.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}
