// The CLI's help text and the error that prints it.
export const USAGE = `Usage: berth <command> [options]

Commands:
  dashboard   Serve the Berth UI to a browser on this machine (prints the URL to open)
  status      Show whether the engine answers, its version and its endpoint

Options of dashboard:
  --engine URL         Engine endpoint: unix:///path/to/docker.sock or tcp://host:port
                       (default: the last one chosen in the UI, else unix:///run/berth/docker.sock)
  --port N             Port to serve on, 0 for any free port (default 0)
  --host ADDR          Loopback address to bind: 127.0.0.1 (default), ::1 or localhost
  --settings-dir DIR   Where settings live (default $XDG_CONFIG_HOME/berth or ~/.config/berth)
  --manage-engine      Let the UI start and stop Berth's own engine, and start it now if none answers

Options of status:
  --engine URL         Engine endpoint (default as for dashboard)
  --settings-dir DIR   As for dashboard
`;

/** Bad command-line input: main() prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
