// ANSI escape sequences in log lines (ECMA-48): SGR "ESC [ … m" sets colour and weight, which we
// render for the basic 16 colours and bold; every other control sequence is dropped. Lines are
// stored raw, so only the rows on screen pay for parsing.

// CSI sequences (ESC [ params intermediates final) and two-byte escapes (ESC + one char).
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]/g;

export function hasEscapes(text: string): boolean {
  return text.includes('\x1b');
}

export function stripAnsi(text: string): string {
  return hasEscapes(text) ? text.replace(ESCAPES, '') : text;
}

export interface AnsiStyle {
  /** 0–15: the basic colours and their bright variants. */
  fg?: number;
  bg?: number;
  bold?: boolean;
}

export interface AnsiSegment {
  /** Plain text (no escapes). */
  text: string;
  style: AnsiStyle;
}

function applySgr(params: string, style: AnsiStyle): AnsiStyle {
  const codes = params === '' ? [0] : params.split(';').map((code) => Number(code) || 0);
  let next = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) next = {};
    else if (code === 1) next.bold = true;
    else if (code === 22) delete next.bold;
    else if (code >= 30 && code <= 37) next.fg = code - 30;
    else if (code >= 90 && code <= 97) next.fg = code - 90 + 8;
    else if (code === 39) delete next.fg;
    else if (code >= 40 && code <= 47) next.bg = code - 40;
    else if (code >= 100 && code <= 107) next.bg = code - 100 + 8;
    else if (code === 49) delete next.bg;
    // 256-colour and true-colour forms (38;5;n / 38;2;r;g;b): skip their arguments.
    else if (code === 38 || code === 48) i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
  }
  return next;
}

/** Splits a raw line into styled runs of plain text. */
export function parseAnsi(text: string): AnsiSegment[] {
  if (!hasEscapes(text)) return [{ text, style: {} }];
  const segments: AnsiSegment[] = [];
  let style: AnsiStyle = {};
  let last = 0;
  for (const match of text.matchAll(ESCAPES)) {
    if (match.index > last) segments.push({ text: text.slice(last, match.index), style });
    const sequence = match[0];
    if (sequence.startsWith('\x1b[') && sequence.endsWith('m')) style = applySgr(sequence.slice(2, -1), style);
    last = match.index + sequence.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), style });
  return segments;
}
