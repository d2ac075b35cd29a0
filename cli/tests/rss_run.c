/*
 * rss_run.c - run a command and print "EXIT MAXRSS_KB RCHAR": its exit
 * status, its peak resident set size from wait4(2), and the bytes it read
 * with read(2) and its kind ("rchar" of /proc/PID/io, -1 when unreadable).
 *
 * The measurement needs a small parent: Linux carries the peak RSS of a
 * process across exec, so a child forked from a large process (Python,
 * holding a 10 MB input) would report the parent's size, not the child's.
 * rchar is read while the child is a zombie (waitid with WNOWAIT): it has
 * stopped reading, and its counters are still there until wait4 reaps it.
 * The command's stdin is inherited; its stdout and stderr are discarded.
 */
#define _DEFAULT_SOURCE

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* The "rchar:" line of /proc/PID/io, or -1. */
static long long read_chars(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%ld/io", (long)pid);
  FILE *f = fopen(path, "r");
  if (!f)
    return -1;
  long long rchar = -1;
  char line[128];
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "rchar: %lld", &rchar) == 1)
      break;
  fclose(f);
  return rchar;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs("usage: rss_run COMMAND [ARGS...]\n", stderr);
    return 2;
  }
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 2;
  }
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    execv(argv[1], argv + 1);
    _exit(127);
  }
  /* The parent does not read stdin: the child owns it. */
  close(STDIN_FILENO);
  siginfo_t ended;
  memset(&ended, 0, sizeof ended);
  if (waitid(P_PID, (id_t)pid, &ended, WEXITED | WNOWAIT) != 0) {
    perror("waitid");
    return 2;
  }
  long long rchar = read_chars(pid);
  int status = 0;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) {
    perror("wait4");
    return 2;
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  printf("%d %ld %lld\n", code, usage.ru_maxrss, rchar);
  return 0;
}
