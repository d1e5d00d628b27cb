// Shell patterns as Go's path.Match reads them, which is how dockerd matches `docker images
// PATTERN` and `--filter reference=PATTERN` against image names (distribution's FamiliarMatch):
// `*` and `?` stop at `/`, `[a-z]` / `[^a-z]` are classes (which may match `/`), `\` escapes.
// A malformed pattern is dockerd's "syntax error in pattern".
import { invalid } from '../../../core/errors.ts';

const badPattern = () => invalid('syntax error in pattern');
const literal = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const codePoint = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/** Compiles `pattern` to an anchored RegExp; throws "syntax error in pattern" as Go would. */
export function pathMatchRegExp(pattern: string): RegExp {
  const chars = [...pattern];
  let i = 0;
  let out = '';
  // One possibly escaped character of a class; `-` and `]` must be escaped where a range starts.
  const classChar = (): string => {
    let c = chars[i];
    if (c === undefined || c === '-' || c === ']') throw badPattern();
    if (c === '\\') c = chars[++i];
    if (c === undefined) throw badPattern();
    i++;
    if (i >= chars.length) throw badPattern(); // The class never closes.
    return c;
  };
  while (i < chars.length) {
    const c = chars[i++];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      if (i >= chars.length) throw badPattern();
      out += literal(chars[i++]);
    } else if (c === '[') {
      const negated = chars[i] === '^';
      if (negated) i++;
      const ranges: string[] = [];
      do {
        const lo = classChar();
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          hi = classChar();
        }
        // Go keeps a range whose ends are reversed: it matches nothing.
        if (lo.codePointAt(0)! <= hi.codePointAt(0)!) ranges.push(`${codePoint(lo)}-${codePoint(hi)}`);
      } while (chars[i] !== ']');
      i++;
      out += negated ? `[^${ranges.join('')}]` : ranges.length > 0 ? `[${ranges.join('')}]` : '(?!)';
    } else out += literal(c);
  }
  return new RegExp(`^${out}$`, 'u');
}
