/*
 * rss_run.c - run a command and print "EXIT MAXRSS_KB": its exit status and
 * its peak resident set size from wait4(2).
 *
 * The measurement needs a small parent: Linux carries the peak RSS of a
 * process across exec, so a child forked from a large process (Python,
 * holding a 10 MB input) would report the parent's size, not the child's.
 * The command's stdin is inherited; its stdout and stderr are discarded.
 */
#define _DEFAULT_SOURCE

#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

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
  int status = 0;
  struct rusage usage;
  if (wait4(pid, &status, 0, &usage) < 0) {
    perror("wait4");
    return 2;
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  printf("%d %ld\n", code, usage.ru_maxrss);
  return 0;
}
