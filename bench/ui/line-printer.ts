// The busybox awk program the streaming UI benches run in a container (ui-logs) or a build's RUN
// (ui-build): numbered lines in bursts, at most `rate` per wall-clock second (srand() returns the
// previous seed, so srand(); srand() reads the time in seconds). `stopAfterSeconds` ends it on its
// own, so a forgotten build finishes; `prefix` goes before each line's number.
export function linePrinter(opts: { rate: number; burst: number; prefix?: string; stopAfterSeconds?: number }): string {
  const stop = opts.stopAfterSeconds === undefined ? '' : `\n    if (now - t0 > ${opts.stopAfterSeconds}) exit 0;`;
  const prefix = opts.prefix ? `"${opts.prefix}" ` : '';
  return `BEGIN {
  srand(); t0 = srand(); n = 0;
  while (1) {
    srand(); now = srand();${stop}
    if (n < (now - t0 + 1) * ${opts.rate}) {
      for (i = 0; i < ${opts.burst}; i++) print ${prefix}n++, "the quick brown fox jumps over the lazy dog 0123456789";
      fflush();
    } else system("usleep 20000");
  }
}`;
}
