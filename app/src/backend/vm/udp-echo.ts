// A UDP echo server for tests of published UDP ports: busybox (the test image) has no UDP server,
// so a tiny static C program is built with the machine's gcc (the project installs it) and copied
// into the container. It answers every datagram with "echo:" + the datagram, to its sender.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = `#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
int main(int argc, char **argv) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])), .sin_addr.s_addr = htonl(INADDR_ANY) };
  if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof me) != 0) return 1;
  char in[2048], out[2053];
  for (;;) {
    struct sockaddr_in peer; socklen_t len = sizeof peer;
    ssize_t n = recvfrom(fd, in, sizeof in, 0, (struct sockaddr *)&peer, &len);
    if (n < 0) continue;
    memcpy(out, "echo:", 5); memcpy(out + 5, in, (size_t)n);
    sendto(fd, out, (size_t)n + 5, 0, (struct sockaddr *)&peer, len);
  }
}
`;

/** Builds <dir>/udp-echo (static, so it runs in any container); returns its path. */
export function buildUdpEcho(dir: string): string {
  const source = join(dir, 'udp-echo.c');
  const binary = join(dir, 'udp-echo');
  writeFileSync(source, SOURCE);
  const built = spawnSync('gcc', ['-static', '-O2', '-o', binary, source], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`gcc could not build the UDP echo server: ${built.stderr || built.error?.message}`);
  return binary;
}
