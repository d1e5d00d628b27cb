// The `berth` command (app/bin/berth runs this with the pinned Node, straight from TypeScript).
import { dashboardCommand } from './dashboard-command.ts';
import { diagnoseCommand } from './diagnose-command.ts';
import { statusCommand } from './status-command.ts';
import { USAGE, UsageError } from './usage.ts';
import { vmCommand } from './vm-command.ts';

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  dashboard: dashboardCommand,
  diagnose: diagnoseCommand,
  status: statusCommand,
  vm: vmCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stderr.write(USAGE);
    return 2;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stderr.write(USAGE);
    return 2;
  }
  return command(rest);
}

main(process.argv.slice(2)).then(
  // Exit explicitly: keep-alive agents or a detached engine's handles must not keep the CLI alive.
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`berth: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`berth: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
