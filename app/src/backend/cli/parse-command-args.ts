// node:util parseArgs throws TypeErrors with codes for unknown or malformed flags; the CLI turns
// them into usage errors (exit 2) rather than stack traces.
import { UsageError } from './usage.ts';

export function parseCommandArgs<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw new UsageError((error as Error).message);
    throw error;
  }
}
