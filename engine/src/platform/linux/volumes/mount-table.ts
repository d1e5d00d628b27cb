// The host's mount table as the engine's mount namespace sees it (/proc/self/mountinfo), for
// "is this path a mount point?" and "what is mounted under here?" before unmounting or deleting.
import { readFile } from 'node:fs/promises';

/** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Mount points in mount order (field 5 of each line). */
export async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text.split('\n').filter(Boolean).map((line) => unescape(line.split(' ')[4]));
}

export async function isMountPoint(path: string): Promise<boolean> {
  return (await mountPoints()).includes(path);
}

/** Mount points at or under `root`, deepest (and latest) first: the order to unmount them in. */
export async function mountsUnder(root: string): Promise<string[]> {
  const points = (await mountPoints()).map((p, i) => ({ p, i })).filter(({ p }) => p === root || p.startsWith(`${root}/`));
  return points.sort((a, b) => b.p.split('/').length - a.p.split('/').length || b.i - a.i).map(({ p }) => p);
}
