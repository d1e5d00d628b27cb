// `.dockerignore` as Docker reads it (moby/patternmatcher and its ignorefile package): one
// pattern per line, `#` comments, paths cleaned and made relative to the context root, `!`
// re-includes, the last matching pattern wins, `**` spans any number of directories, and a
// pattern that matches a parent directory matches everything below it.

interface Pattern {
  regex: RegExp;
  exclusion: boolean;
}

export class IgnoreMatcher {
  readonly #patterns: Pattern[];

  constructor(text: string) {
    this.#patterns = [];
    for (const raw of text.split(/\r?\n/)) {
      let line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      let exclusion = false;
      if (line.startsWith('!')) {
        exclusion = true;
        line = line.slice(1).trim();
      }
      const cleaned = cleanPath(line);
      if (cleaned === '' || cleaned === '.') continue;
      this.#patterns.push({ regex: patternRegex(cleaned), exclusion });
    }
  }

  get empty(): boolean {
    return this.#patterns.length === 0;
  }

  /** Whether the context path `rel` (slash-separated, no leading slash) is left out. */
  ignores(rel: string): boolean {
    const path = cleanPath(rel);
    const parents: string[] = [];
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) parents.push(parts.slice(0, i).join('/'));
    let ignored = false;
    for (const pattern of this.#patterns) {
      if (pattern.exclusion === !ignored) continue; // cannot change the outcome
      const hit = pattern.regex.test(path) || parents.some((p) => pattern.regex.test(p));
      if (hit) ignored = !pattern.exclusion;
    }
    return ignored;
  }
}

/** Go's filepath.Clean, then the leading "/" dropped (patterns are relative to the context). */
export function cleanPath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** patternmatcher's regexpMatch translation: `**` any path, `*` and `?` within one component. */
export function patternRegex(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        // "**/" at a component start also matches zero directories.
        if (pattern[i + 1] === '/') {
          i++;
          re += '(.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
      } else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      re += escapeRegex(pattern[++i]);
    } else {
      re += escapeRegex(ch);
    }
  }
  return new RegExp(`${re}$`);
}

function escapeRegex(ch: string): string {
  return /[.+^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}
