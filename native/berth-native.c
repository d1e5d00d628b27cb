/*
 * berth-native: the few system calls and socket types Node.js cannot reach.
 *
 *   berth-native attach <socket>     relay between stdio and conmon's attach socket
 *   berth-native whiteout <path>...  create overlayfs whiteouts (character device 0:0)
 *   berth-native opaque <dir>...     mark directories opaque (xattr trusted.overlay.opaque=y)
 *
 * Why a separate binary: conmon's attach socket is AF_UNIX SOCK_SEQPACKET, which libuv cannot
 * wrap ("Unsupported fd type"), and Node has neither mknod(2) nor setxattr(2). Built by
 * scripts/setup/native-helper.mjs with the system C compiler; no libraries beyond libc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

/* conmon reads at most 8192 bytes per packet (CONN_SOCK_BUF_SIZE); its packets to us carry one
 * leading byte naming the stream (2 = stdout, 3 = stderr) followed by the payload. */
#define STDIN_PACKET_MAX 8192
#define RECV_MAX (64 * 1024)

static int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static int connect_seqpacket(const char *path) {
  struct sockaddr_un addr;
  if (strlen(path) >= sizeof(addr.sun_path)) {
    fprintf(stderr, "berth-native: socket path too long: %s\n", path);
    return -1;
  }
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  strcpy(addr.sun_path, path);
  if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

/* Output is written in Docker's multiplexed framing (8-byte header: stream, 0, 0, 0, length as
 * big-endian uint32), so the engine can split stdout from stderr without knowing conmon. */
static int relay_packet(const unsigned char *buf, ssize_t n) {
  if (n < 1) return 0;
  unsigned char header[8] = {0};
  header[0] = buf[0] == 3 ? 2 : 1;
  uint32_t len = (uint32_t)(n - 1);
  header[4] = (unsigned char)(len >> 24);
  header[5] = (unsigned char)(len >> 16);
  header[6] = (unsigned char)(len >> 8);
  header[7] = (unsigned char)len;
  if (write_all(STDOUT_FILENO, header, sizeof(header)) < 0) return -1;
  return write_all(STDOUT_FILENO, buf + 1, (size_t)len);
}

static int cmd_attach(const char *path) {
  int sock = connect_seqpacket(path);
  if (sock < 0) {
    fprintf(stderr, "berth-native: connect %s: %s\n", path, strerror(errno));
    return 1;
  }
  /* One empty frame tells the engine the connection is up, so it can start the process knowing
   * no output will be missed. */
  static const unsigned char ready[8] = {0};
  if (write_all(STDOUT_FILENO, ready, sizeof(ready)) < 0) return 1;
  static unsigned char buf[RECV_MAX];
  int stdin_open = 1;
  for (;;) {
    struct pollfd fds[2] = {{.fd = sock, .events = POLLIN}, {.fd = STDIN_FILENO, .events = POLLIN}};
    int nfds = stdin_open ? 2 : 1;
    if (poll(fds, (nfds_t)nfds, -1) < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = recv(sock, buf, sizeof(buf), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return 0; /* conmon closed the attach: the container's stdio is gone */
      if (relay_packet(buf, n) < 0) return 0;
    }
    if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = read(STDIN_FILENO, buf, STDIN_PACKET_MAX);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        /* A zero-length read on conmon's side means "stdin closed": shutdown sends exactly that. */
        shutdown(sock, SHUT_WR);
        stdin_open = 0;
        continue;
      }
      if (send(sock, buf, (size_t)n, MSG_NOSIGNAL) < 0 && errno != EINTR) {
        stdin_open = 0;
      }
    }
  }
}

/* OCI image spec "Whiteouts": overlayfs represents a deleted entry as a 0:0 character device. */
static int cmd_whiteout(int argc, char **argv) {
  int status = 0;
  for (int i = 0; i < argc; i++) {
    /* A file of the same name from this layer is replaced; a directory is the caller's job. */
    (void)unlink(argv[i]);
    if (mknod(argv[i], S_IFCHR | 0, makedev(0, 0)) < 0) {
      fprintf(stderr, "berth-native: mknod %s: %s\n", argv[i], strerror(errno));
      status = 1;
    }
  }
  return status;
}

/* Opaque directory: overlayfs hides the lower layers' contents of a directory with this xattr. */
static int cmd_opaque(int argc, char **argv) {
  int status = 0;
  for (int i = 0; i < argc; i++) {
    if (lsetxattr(argv[i], "trusted.overlay.opaque", "y", 1, 0) < 0) {
      fprintf(stderr, "berth-native: setxattr %s: %s\n", argv[i], strerror(errno));
      status = 1;
    }
  }
  return status;
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "attach") == 0) return cmd_attach(argv[2]);
  if (argc >= 2 && strcmp(argv[1], "whiteout") == 0) return cmd_whiteout(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "opaque") == 0) return cmd_opaque(argc - 2, argv + 2);
  fprintf(stderr, "usage: berth-native attach <socket> | whiteout <path>... | opaque <dir>...\n");
  return 2;
}
