// The CLI's help text and the error that prints it.
export const USAGE = `Usage: berth <command> [options]

Commands:
  dashboard   Serve the Berth UI to a browser on this machine (prints the URL to open)
  status      Show whether the engine answers, its version and its endpoint
  vm start|stop|restart|status|logs|reset
              The Berth VM: boot it (prints export DOCKER_HOST=…), power it off, power it off
              and boot it again, report it, print its console log, wipe its data disk
  diagnose    Write a diagnostics bundle (.tar.gz: versions, settings, logs, vm status; secrets
              removed) for a bug report. Options: --home DIR, --out FILE, --settings-dir DIR

Options of dashboard:
  --engine URL         Engine endpoint: unix:///path/to/docker.sock or tcp://host:port
                       (default: the last one chosen in the UI, else unix:///run/berth/docker.sock)
  --port N             Port to serve on, 0 for any free port (default 0)
  --host ADDR          Loopback address to bind: 127.0.0.1 (default), ::1 or localhost
  --settings-dir DIR   Where settings live (default $XDG_CONFIG_HOME/berth or ~/.config/berth)
  --manage-engine      Let the UI start and stop Berth's own engine, and start it now if none answers
  --data-root DIR, --exec-root DIR
                       With --manage-engine: the engine's roots (default /var/lib/berth, /run/berth);
                       berthd flags may follow a final -- (e.g. -- --bridge br1 --bip 10.9.0.1/24)
  --vm                 The same with the Berth VM as the engine (boots it now unless it runs)
  --home DIR           With --vm (or status --vm): the VM's instance home (default $BERTH_HOME, else ~/.berth)

Options of status:
  --engine URL         Engine endpoint (default as for dashboard)
  --settings-dir DIR   As for dashboard
  --vm, --home DIR     Report the Berth VM as the engine (default: where the app runs it, per settings)

Options of vm (every subcommand takes --home):
  --home DIR           The instance's home: disk, logs, run/docker.sock (default $BERTH_HOME, else ~/.berth)
  start, restart (restart keeps the last boot's resources unless given again):
  --cpus N             CPUs for the VM (default half the host's)
  --memory SIZE        Memory, e.g. 2G or 2048 (MiB) (default 2G)
  --disk SIZE          Data disk, created sparse on first start (default 64G)
  --insecure-registry HOST:PORT
                       A registry the VM's engine may use over plain HTTP
  --resource-saver MIN Power the VM off after MIN minutes without a running container; the next
                       connection to the socket boots it again (default 0: off)
  --share DIR          Also share DIR with the VM at the same path (repeatable; your home
                       always is): binds from anywhere else are refused
  --timeout SECONDS    start, restart: how long to wait for the engine (600);
                       stop, reset: how long to wait for power-off before killing QEMU (120)
  logs:
  -f, --follow         Keep printing what the log gains until Ctrl-C
  --qemu               QEMU's own log instead of the guest's console
  reset (deletes the data disk: images, containers, volumes; keeps logs):
  -y, --yes            Do not ask (required when there is no terminal to ask on)
  start writes a docker context ("berth", or "berth-<home's name>" for another --home) into the
  docker CLI's store ($DOCKER_CONFIG, else ~/.docker); the current context is left as it is.
  Environment: BERTH_QEMU (QEMU binary), BERTH_VM_ASSETS (guest image dir), BERTH_VM_ACCEL
  (kvm, tcg or auto; default auto: on Linux KVM when /dev/kvm opens and the guest makes progress
  under it at the first boot, else TCG, remembered in the home for this kernel and QEMU)
`;

/** Bad command-line input: main() prints the message and the usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
