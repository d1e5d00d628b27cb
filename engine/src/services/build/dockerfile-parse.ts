// Dockerfile → instruction list. The syntax (directives, comments, line continuations, the
// escape character, flags) comes from `dockerfile-ast` (rcjsuen, the parser behind the VS Code
// Docker language server); what the builder needs on top is Docker's own reading of it: the
// original line for "Step n/m : …", flags as a map, and JSON (exec) form detection.
import { createRequire } from 'node:module';
import { invalid } from '../../core/errors.ts';

type DockerfileAst = typeof import('dockerfile-ast');
let ast: DockerfileAst | undefined;
/** Loaded on the first build or commit, not at engine start: the parser and its language-server
 * types cost the idle engine ~7 MB of resident memory. (CommonJS, so a synchronous require.) */
function dockerfileAst(): DockerfileAst {
  ast ??= createRequire(import.meta.url)('dockerfile-ast') as DockerfileAst;
  return ast;
}

export const KNOWN_INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

export interface ParsedInstruction {
  /** 1-based line of the instruction's keyword. */
  line: number;
  /** Upper-case keyword. */
  keyword: string;
  /** Arguments after the flags, continuation lines joined (escape + newline removed). */
  args: string;
  flags: Map<string, string>;
  /** JSON (exec) form, when the arguments are a JSON array of strings. */
  json?: string[];
  /** The instruction as written on one line, as the CLI prints it. */
  original: string;
}

export interface ParsedDockerfile {
  escape: string;
  instructions: ParsedInstruction[];
}

export const parseError = (line: number, message: string) => invalid(`dockerfile parse error line ${line}: ${message}`);

export function parseJsonArray(args: string): string[] | undefined {
  const trimmed = args.trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // Not JSON: Docker then treats the text as shell form.
  }
  return undefined;
}

/** Parses Dockerfile text; unknown instructions fail with the line, as moby's parser does. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const { DockerfileParser, ModifiableInstruction } = dockerfileAst();
  const document = DockerfileParser.parse(text);
  const escape = document.getEscapeCharacter();
  const lines = text.split(/\r?\n/);
  const instructions: ParsedInstruction[] = [];
  for (const instruction of document.getInstructions()) {
    const range = instruction.getRange();
    const line = range.start.line + 1;
    const keyword = instruction.getKeyword().toUpperCase();
    if (!KNOWN_INSTRUCTIONS.has(keyword)) throw parseError(line, `unknown instruction: ${instruction.getKeyword()}`);
    const flags = new Map<string, string>();
    if (instruction instanceof ModifiableInstruction) {
      for (const flag of instruction.getFlags()) flags.set(flag.getName().toLowerCase(), flag.getValue() ?? '');
    }
    const original = joinContinuation(lines.slice(range.start.line, range.end.line + 1), escape);
    const args = keyword === 'ONBUILD' ? stripKeyword(original) : flagsStripped(original, flags.size);
    instructions.push({ line, keyword, args, flags, json: parseJsonArray(args), original });
  }
  return { escape, instructions };
}

/** Joins continuation lines: moby drops `escape` + newline and comment lines inside. */
function joinContinuation(lines: string[], escape: string): string {
  let out = '';
  lines.forEach((raw, i) => {
    const text = raw.replace(/\s+$/, '');
    if (i > 0 && /^\s*#/.test(text)) return;
    if (i > 0 && text.trim() === '') return;
    out += text.endsWith(escape) ? text.slice(0, -escape.length) : text;
  });
  return out.trim();
}

function stripKeyword(original: string): string {
  return original.replace(/^\S+\s*/, '');
}

/** The argument text after the keyword and `count` leading `--flag[=value]` words. */
function flagsStripped(original: string, count: number): string {
  let rest = stripKeyword(original);
  for (let i = 0; i < count; i++) rest = rest.replace(/^--\S*\s*/, '');
  return rest;
}

/** Parses one ONBUILD trigger text ("RUN echo hi") the same way, for its later execution. */
export function parseTrigger(text: string, line: number, escape: string): ParsedInstruction {
  const parsed = parseDockerfile(escape === '\\' ? text : `# escape=${escape}\n${text}`);
  const instruction = parsed.instructions[0];
  if (!instruction) throw parseError(line, `empty ONBUILD trigger`);
  if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(instruction.keyword)) throw parseError(line, `${instruction.keyword} isn't allowed as an ONBUILD trigger`);
  return { ...instruction, line };
}
