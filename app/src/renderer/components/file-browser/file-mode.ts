// `ls -l` style renderings of a FileEntry's mode (the type letter and rwx string, setuid, setgid
// and sticky shown as s/S and t/T, as ls does), and path helpers for the breadcrumbs.
import type { FileEntry } from '../../../common/desktop-api.ts';

const TYPE_LETTER: Record<FileEntry['type'], string> = { dir: 'd', file: '-', symlink: 'l', other: '?' };

export function modeString(type: FileEntry['type'], mode: number): string {
  const triplet = (bits: number, special: boolean, specialLetter: string) => {
    const x = (bits & 1) !== 0;
    const exec = special ? (x ? specialLetter : specialLetter.toUpperCase()) : x ? 'x' : '-';
    return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${exec}`;
  };
  return TYPE_LETTER[type]
    + triplet((mode >> 6) & 7, (mode & 0o4000) !== 0, 's')
    + triplet((mode >> 3) & 7, (mode & 0o2000) !== 0, 's')
    + triplet(mode & 7, (mode & 0o1000) !== 0, 't');
}

/** The parent directory of an absolute path ("/" stays "/"). */
export function parentPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return cut <= 0 ? '/' : trimmed.slice(0, cut);
}

/** "/usr/local/bin" → [["/", "/"], ["usr", "/usr"], ["local", "/usr/local"], ["bin", "/usr/local/bin"]]. */
export function breadcrumbs(path: string): [name: string, path: string][] {
  const crumbs: [string, string][] = [['/', '/']];
  let at = '';
  for (const part of path.split('/').filter(Boolean)) {
    at += `/${part}`;
    crumbs.push([part, at]);
  }
  return crumbs;
}
