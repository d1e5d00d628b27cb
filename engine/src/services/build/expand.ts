// Dockerfile variable expansion and word splitting, after moby's shell lexer
// (frontend/dockerfile/shell/lex.go, which the classic builder uses too): `$VAR`, `${VAR}`,
// `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`, single quotes literal,
// double quotes expanding, and the escape character (`\` or the `# escape=` directive's).

export type Env = ReadonlyMap<string, string>;

const NAME_CHAR = /[A-Za-z0-9_]/;

/** Expands one word and removes its quotes, as ProcessWord does. */
export function expandWord(word: string, env: Env, escape = '\\'): string {
  const lexer = new Lexer(word, env, escape);
  return lexer.word();
}

/** Splits on unquoted whitespace keeping quotes (moby parser parseWords), for ENV/LABEL pairs. */
export function splitWords(text: string, escape = '\\'): string[] {
  const words: string[] = [];
  let current = '';
  let quote = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (!quote && /\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === escape && i + 1 < text.length && quote !== "'") {
      current += ch + text[++i];
      continue;
    }
    if (quote && ch === quote) quote = '';
    else if (!quote && (ch === '"' || ch === "'")) quote = ch;
    current += ch;
  }
  if (inWord) words.push(current);
  return words;
}

/** Splits then expands every word: FROM, COPY, EXPOSE, VOLUME, USER and other word lists. */
export function expandWords(text: string, env: Env, escape = '\\'): string[] {
  return splitWords(text, escape).map((w) => expandWord(w, env, escape));
}

class Lexer {
  readonly #text: string;
  readonly #env: Env;
  readonly #escape: string;
  #pos = 0;

  constructor(text: string, env: Env, escape: string) {
    this.#text = text;
    this.#env = env;
    this.#escape = escape;
  }

  /** Reads until the end, or (nested in ${…}) until an unescaped `}` it leaves unread. */
  word(stopAtBrace = false): string {
    let out = '';
    while (this.#pos < this.#text.length) {
      const ch = this.#text[this.#pos];
      if (stopAtBrace && ch === '}') break;
      if (ch === this.#escape) {
        this.#pos++;
        if (this.#pos < this.#text.length) out += this.#text[this.#pos++];
        else out += ch;
      } else if (ch === "'") {
        out += this.#single();
      } else if (ch === '"') {
        out += this.#double();
      } else if (ch === '$') {
        out += this.#dollar();
      } else {
        out += ch;
        this.#pos++;
      }
    }
    return out;
  }

  #single(): string {
    const end = this.#text.indexOf("'", this.#pos + 1);
    if (end < 0) throw new Error('unexpected end of statement while looking for matching single-quote');
    const value = this.#text.slice(this.#pos + 1, end);
    this.#pos = end + 1;
    return value;
  }

  #double(): string {
    this.#pos++; // opening quote
    let out = '';
    while (this.#pos < this.#text.length) {
      const ch = this.#text[this.#pos];
      if (ch === '"') {
        this.#pos++;
        return out;
      }
      if (ch === '$') {
        out += this.#dollar();
        continue;
      }
      if (ch === this.#escape && this.#pos + 1 < this.#text.length) {
        const next = this.#text[this.#pos + 1];
        // Inside double quotes the escape only protects `"`, `$` and itself (lex.go processDoubleQuote).
        if (next === '"' || next === '$' || next === this.#escape) {
          out += next;
          this.#pos += 2;
          continue;
        }
      }
      out += ch;
      this.#pos++;
    }
    throw new Error('unexpected end of statement while looking for matching double-quote');
  }

  #dollar(): string {
    this.#pos++; // '$'
    const ch = this.#text[this.#pos];
    if (ch === '{') return this.#braced();
    const start = this.#pos;
    while (this.#pos < this.#text.length && NAME_CHAR.test(this.#text[this.#pos])) this.#pos++;
    if (this.#pos === start) return '$';
    return this.#env.get(this.#text.slice(start, this.#pos)) ?? '';
  }

  #braced(): string {
    this.#pos++; // '{'
    const start = this.#pos;
    while (this.#pos < this.#text.length && NAME_CHAR.test(this.#text[this.#pos])) this.#pos++;
    const name = this.#text.slice(start, this.#pos);
    if (name === '') throw new Error(`bad substitution: missing variable name in ${this.#text}`);
    const value = this.#env.get(name);
    let ch = this.#text[this.#pos];
    if (ch === '}') {
      this.#pos++;
      return value ?? '';
    }
    let colon = false;
    if (ch === ':') {
      colon = true;
      ch = this.#text[++this.#pos];
    }
    if (ch !== '-' && ch !== '+' && ch !== '?') throw new Error(`unsupported modifier (${ch ?? 'end'}) in substitution: ${this.#text}`);
    this.#pos++;
    const word = this.word(true);
    if (this.#text[this.#pos] !== '}') throw new Error(`missing '}' in substitution: ${this.#text}`);
    this.#pos++;
    const set = colon ? value !== undefined && value !== '' : value !== undefined;
    if (ch === '-') return set ? value! : word;
    if (ch === '+') return set ? word : '';
    if (!set) throw new Error(`${name}: ${word || 'is not allowed to be unset'}`);
    return value!;
  }
}

/** `KEY=value` lines (an image's Env) as a lookup map. */
export function envMap(...lists: Array<readonly string[] | undefined>): Map<string, string> {
  const map = new Map<string, string>();
  for (const list of lists) {
    for (const entry of list ?? []) {
      const eq = entry.indexOf('=');
      if (eq > 0) map.set(entry.slice(0, eq), entry.slice(eq + 1));
    }
  }
  return map;
}

/** ENV/LABEL/ARG arguments: `k=v k2="v 2"`, or the legacy `ENV k v with spaces`. */
export function parseKeyValues(text: string, env: Env, escape: string, legacyAllowed: boolean): Array<[string, string]> {
  const words = splitWords(text, escape);
  if (words.length === 0) return [];
  if (!words[0].includes('=')) {
    if (!legacyAllowed) throw new Error(`key=value expected, got ${words[0]}`);
    const rest = text.trim().slice(words[0].length).trim();
    if (rest === '') throw new Error(`ENV must have two arguments`);
    return [[words[0], expandWord(rest, env, escape)]];
  }
  return words.map((word) => {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new Error(`key=value expected, got ${word}`);
    return [expandWord(word.slice(0, eq), env, escape), expandWord(word.slice(eq + 1), env, escape)];
  });
}
