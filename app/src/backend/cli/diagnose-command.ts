// `berth diagnose [--home DIR] [--out FILE] [--settings-dir DIR]`: writes the diagnostics bundle
// (diagnostics-bundle.ts) and prints where.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultBundlePath, writeDiagnosticsBundle } from '../diagnostics/diagnostics-bundle.ts';
import { resolveHomeDir, vmHome } from '../vm/vm-home.ts';
import { defaultSettingsDir } from './cli-paths.ts';
import { parseCommandArgs } from './parse-command-args.ts';

export async function diagnoseCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(() => parseArgs({
    args: argv, strict: true, allowPositionals: false,
    options: { home: { type: 'string' }, out: { type: 'string' }, 'settings-dir': { type: 'string' } },
  }));
  const result = await writeDiagnosticsBundle({
    home: vmHome(resolveHomeDir(values.home)),
    settingsDir: values['settings-dir'] ?? defaultSettingsDir(),
    out: resolve(values.out ?? defaultBundlePath()),
  });
  process.stderr.write(`wrote ${result.entries.length} files: ${result.entries.join(', ')}\n`);
  process.stdout.write(`${result.path}\n`);
  return 0;
}
