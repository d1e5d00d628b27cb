// Docker's default seccomp policy as data: which system calls an unprivileged container may make.
// The facts (which syscalls, which capability unlocks which, the clone/personality/socket argument
// filters) follow moby's profiles/seccomp default profile; the structure is Berth's own: a base
// allowlist grouped by purpose, then rules that apply only with/without a capability, on an
// architecture, or from a kernel version. seccomp.ts turns this into the OCI `linux.seccomp`.
// https://docs.docker.com/engine/security/seccomp/
import type { OciSeccompArg } from './types.ts';

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

/** Allowed for everyone. Names the kernel or libseccomp lacks are skipped by runc.
 * name_to_handle_at is here on purpose: it only names a file (systemd uses it on cgroupfs), and
 * moby allows it for everyone since 23.0.7/24.0.3 (moby#45766, #45837); Debian's dockerd 20.10
 * still put it behind CAP_SYS_ADMIN. Its dangerous sister open_by_handle_at stays behind
 * CAP_DAC_READ_SEARCH (the "shocker" escape). */
export const BASE_ALLOWED: readonly string[] = words(`
  access faccessat faccessat2 chdir fchdir getcwd chmod fchmod fchmodat fchmodat2
  chown chown32 fchown fchown32 fchownat lchown lchown32
  creat open openat openat2 close close_range dup dup2 dup3 fcntl fcntl64 flock
  read readv pread64 preadv preadv2 write writev pwrite64 pwritev pwritev2
  lseek _llseek readahead fadvise64 fadvise64_64 fallocate ftruncate ftruncate64 truncate truncate64
  fsync fdatasync sync syncfs sync_file_range copy_file_range sendfile sendfile64 splice tee vmsplice
  stat stat64 lstat lstat64 fstat fstat64 fstatat64 newfstatat statx statfs statfs64 fstatfs fstatfs64
  getdents getdents64 mkdir mkdirat mknod mknodat rmdir link linkat symlink symlinkat
  unlink unlinkat rename renameat renameat2 readlink readlinkat umask name_to_handle_at
  utime utimes utimensat utimensat_time64 futimesat
  getxattr lgetxattr fgetxattr getxattrat setxattr lsetxattr fsetxattr setxattrat
  listxattr llistxattr flistxattr listxattrat removexattr lremovexattr fremovexattr removexattrat
  inotify_init inotify_init1 inotify_add_watch inotify_rm_watch fanotify_mark
  listmount statmount cachestat

  poll ppoll ppoll_time64 select _newselect pselect6 pselect6_time64
  epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_wait epoll_wait_old epoll_pwait epoll_pwait2
  eventfd eventfd2 signalfd signalfd4 timerfd_create timerfd_settime timerfd_settime64
  timerfd_gettime timerfd_gettime64 pipe pipe2
  io_setup io_destroy io_submit io_cancel io_getevents io_pgetevents io_pgetevents_time64 ioctl

  execve execveat fork vfork exit exit_group wait4 waitid waitpid
  getpid getppid gettid getpgid setpgid getpgrp getsid setsid
  getuid getuid32 geteuid geteuid32 getgid getgid32 getegid getegid32
  getresuid getresuid32 getresgid getresgid32 getgroups getgroups32
  setuid setuid32 setgid setgid32 setreuid setreuid32 setregid setregid32
  setresuid setresuid32 setresgid setresgid32 setfsuid setfsuid32 setfsgid setfsgid32
  setgroups setgroups32 capget capset prctl seccomp landlock_create_ruleset landlock_add_rule
  landlock_restrict_self getrlimit setrlimit ugetrlimit prlimit64 getrusage getpriority setpriority
  ioprio_get ioprio_set sched_yield sched_getaffinity sched_setaffinity sched_getattr sched_setattr
  sched_getparam sched_setparam sched_getscheduler sched_setscheduler
  sched_get_priority_max sched_get_priority_min sched_rr_get_interval sched_rr_get_interval_time64
  getcpu set_tid_address get_robust_list set_robust_list rseq restart_syscall
  get_thread_area set_thread_area map_shadow_stack uretprobe riscv_hwprobe
  pidfd_open pidfd_send_signal process_mrelease

  kill tkill tgkill pause sigaltstack sigprocmask sigreturn rt_sigaction rt_sigpending
  rt_sigprocmask rt_sigqueueinfo rt_tgsigqueueinfo rt_sigreturn rt_sigsuspend
  rt_sigtimedwait rt_sigtimedwait_time64 alarm getitimer setitimer
  futex futex_time64 futex_wait futex_wake futex_requeue futex_waitv

  brk mmap mmap2 munmap mremap mprotect madvise mincore msync remap_file_pages mseal
  mlock mlock2 mlockall munlock munlockall membarrier memfd_create memfd_secret
  pkey_alloc pkey_free pkey_mprotect

  time times gettimeofday adjtimex clock_adjtime clock_adjtime64 clock_getres clock_getres_time64
  clock_gettime clock_gettime64 clock_nanosleep clock_nanosleep_time64 nanosleep
  timer_create timer_delete timer_getoverrun timer_gettime timer_gettime64 timer_settime timer_settime64

  ipc msgget msgctl msgsnd msgrcv semget semctl semop semtimedop semtimedop_time64
  shmget shmctl shmat shmdt mq_open mq_unlink mq_notify mq_getsetattr
  mq_timedsend mq_timedsend_time64 mq_timedreceive mq_timedreceive_time64

  socketcall socketpair bind connect listen accept accept4 shutdown getsockname getpeername
  getsockopt setsockopt send sendto sendmsg sendmmsg recv recvfrom recvmsg recvmmsg recvmmsg_time64

  uname sysinfo getrandom
`);

/** One conditional rule: allows (or, with errnoRet, fails) `names` when every condition holds. */
export interface SyscallRule {
  names: readonly string[];
  /** Applies only when the container's bounding set holds this capability. */
  withCap?: string;
  /** Applies only when the container's bounding set lacks this capability. */
  withoutCap?: string;
  /** Applies only on these architectures (Node `process.arch` names). */
  arches?: readonly string[];
  /** Applies everywhere except these architectures. */
  notArches?: readonly string[];
  /** Applies only on kernels at least this version. */
  minKernel?: readonly [number, number];
  /** Argument filters (all must match), as OCI `linux.seccomp.syscalls[].args`. */
  args?: readonly OciSeccompArg[];
  /** Fail with this errno instead of allowing. */
  errnoRet?: number;
}

const eq = (index: number, value: number): OciSeccompArg => ({ index, value, op: 'SCMP_CMP_EQ' });

// CLONE_NEWNS | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWCGROUP: without CAP_SYS_ADMIN a
// container may clone(2) only if none of these bits is set (no new namespaces).
const CLONE_NEW_FLAGS = 0x00020000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x02000000;
const noNewNamespaces = (index: number): OciSeccompArg => ({ index, value: CLONE_NEW_FLAGS, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' });

// AF_ALG (38) and AF_VSOCK (40) are refused (kernel attack surface); every other family works.
const AF_ALG = 38;
const AF_VSOCK = 40;

const ENOSYS = 38;

export const CONDITIONAL_RULES: readonly SyscallRule[] = [
  // Tracing one's own children became safe with the 4.8 seccomp/ptrace ordering fix.
  { names: ['ptrace', 'process_vm_readv', 'process_vm_writev'], minKernel: [4, 8] },
  { names: ['socket'], args: [{ index: 0, value: AF_ALG, op: 'SCMP_CMP_LT' }] },
  { names: ['socket'], args: [eq(0, AF_ALG + 1)] },
  { names: ['socket'], args: [{ index: 0, value: AF_VSOCK, op: 'SCMP_CMP_GT' }] },
  // personality(2) only for the harmless domains: PER_LINUX, UNAME26, PER_LINUX32, their
  // combination, and the 0xffffffff query.
  ...[0x0, 0x0008, 0x20000, 0x20008, 0xffffffff].map((v): SyscallRule => ({ names: ['personality'], args: [eq(0, v)] })),
  // Architecture-specific calls.
  { names: ['sync_file_range2', 'swapcontext'], arches: ['ppc64'] },
  { names: ['arm_fadvise64_64', 'arm_sync_file_range', 'sync_file_range2', 'breakpoint', 'cacheflush', 'set_tls'], arches: ['arm', 'arm64'] },
  { names: ['arch_prctl'], arches: ['x64'] },
  { names: ['modify_ldt'], arches: ['x64', 'ia32'] },
  { names: ['s390_pci_mmio_read', 's390_pci_mmio_write', 's390_runtime_instr'], arches: ['s390x'] },
  { names: ['riscv_flush_icache'], arches: ['riscv64'] },
  // Capability-gated calls: granting the capability (CapAdd) lets the calls through seccomp too.
  { names: ['open_by_handle_at'], withCap: 'CAP_DAC_READ_SEARCH' },
  {
    names: words(`bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie
      lsm_get_self_attr lsm_list_modules lsm_set_self_attr mount mount_setattr move_mount open_tree
      perf_event_open quotactl quotactl_fd setdomainname sethostname setns syslog umount umount2 unshare`),
    withCap: 'CAP_SYS_ADMIN',
  },
  // s390 swaps clone's first two arguments, so the flags sit at index 1 there.
  { names: ['clone'], withoutCap: 'CAP_SYS_ADMIN', notArches: ['s390x'], args: [noNewNamespaces(0)] },
  { names: ['clone'], withoutCap: 'CAP_SYS_ADMIN', arches: ['s390x'], args: [noNewNamespaces(1)] },
  // clone3 passes flags in a struct seccomp cannot inspect: answer ENOSYS so libc falls back to clone.
  { names: ['clone3'], withoutCap: 'CAP_SYS_ADMIN', errnoRet: ENOSYS },
  { names: ['reboot'], withCap: 'CAP_SYS_BOOT' },
  { names: ['chroot'], withCap: 'CAP_SYS_CHROOT' },
  { names: ['delete_module', 'init_module', 'finit_module'], withCap: 'CAP_SYS_MODULE' },
  { names: ['acct'], withCap: 'CAP_SYS_PACCT' },
  { names: ['kcmp', 'pidfd_getfd', 'process_madvise', 'process_vm_readv', 'process_vm_writev', 'ptrace'], withCap: 'CAP_SYS_PTRACE' },
  { names: ['iopl', 'ioperm'], withCap: 'CAP_SYS_RAWIO' },
  { names: ['settimeofday', 'stime', 'clock_settime', 'clock_settime64'], withCap: 'CAP_SYS_TIME' },
  { names: ['vhangup'], withCap: 'CAP_SYS_TTY_CONFIG' },
  { names: ['get_mempolicy', 'mbind', 'set_mempolicy', 'set_mempolicy_home_node'], withCap: 'CAP_SYS_NICE' },
  { names: ['syslog'], withCap: 'CAP_SYSLOG' },
  { names: ['bpf'], withCap: 'CAP_BPF' },
  { names: ['perf_event_open'], withCap: 'CAP_PERFMON' },
];

/** Seccomp architectures per engine architecture: the native ABI plus the compat ABIs it runs. */
export const SECCOMP_ARCHES: Readonly<Record<string, readonly string[]>> = {
  x64: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  arm64: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
  s390x: ['SCMP_ARCH_S390X', 'SCMP_ARCH_S390'],
  riscv64: ['SCMP_ARCH_RISCV64'],
  loong64: ['SCMP_ARCH_LOONGARCH64'],
};

/** Unlisted syscalls fail with EPERM (Docker's defaultErrnoRet 1). */
export const DEFAULT_ERRNO = 1;
