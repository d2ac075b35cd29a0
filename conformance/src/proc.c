#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

void proc_init(adapter_proc *p, char **argv, const char *cwd, const char *stderr_path) {
  memset(p, 0, sizeof *p);
  p->argv = argv;
  p->cwd = cwd;
  p->stderr_path = stderr_path;
  p->to_child = -1;
  p->from_child = -1;
}

bool proc_running(const adapter_proc *p) {
  return p->pid > 0;
}

static void set_flag(int fd, int cmd_get, int cmd_set, int flag) {
  int flags = fcntl(fd, cmd_get);
  if (flags >= 0)
    fcntl(fd, cmd_set, flags | flag);
}

static bool make_pipe(int fds[2]) {
  if (pipe(fds) != 0)
    return false;
  set_flag(fds[0], F_GETFD, F_SETFD, FD_CLOEXEC);
  set_flag(fds[1], F_GETFD, F_SETFD, FD_CLOEXEC);
  return true;
}

static void close_fd(int *fd) {
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

/* In the child: wire the pipes, become a process group leader (so a kill
 * reaches whatever the adapter starts, e.g. an interpreter), exec. On
 * failure the errno goes back through exec_err, which exec closes. */
static void child_exec(const adapter_proc *p, int in_fd, int out_fd, int err_fd, int exec_err) {
  setpgid(0, 0);
  signal(SIGPIPE, SIG_DFL);
  if (dup2(in_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
      (err_fd >= 0 && dup2(err_fd, STDERR_FILENO) < 0) || (p->cwd && chdir(p->cwd) != 0)) {
    int e = errno;
    ssize_t ignored = write(exec_err, &e, sizeof e);
    (void)ignored;
    _exit(127);
  }
  execvp(p->argv[0], p->argv);
  int e = errno;
  ssize_t ignored = write(exec_err, &e, sizeof e);
  (void)ignored;
  _exit(127);
}

bool proc_start(adapter_proc *p, sbuf *err) {
  int in_pipe[2], out_pipe[2], exec_pipe[2];
  if (!make_pipe(in_pipe))
    goto sys_error;
  if (!make_pipe(out_pipe)) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    goto sys_error;
  }
  if (!make_pipe(exec_pipe)) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(out_pipe[1]);
    goto sys_error;
  }
  int err_fd = -1;
  if (p->stderr_path)
    err_fd = open(p->stderr_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_t pid = fork();
  if (pid == 0)
    child_exec(p, in_pipe[0], out_pipe[1], err_fd, exec_pipe[1]);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(exec_pipe[1]);
  if (err_fd >= 0)
    close(err_fd);
  if (pid < 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(exec_pipe[0]);
    goto sys_error;
  }
  setpgid(pid, pid); /* also here: whichever of parent and child runs first */
  int child_errno = 0;
  ssize_t got;
  do
    got = read(exec_pipe[0], &child_errno, sizeof child_errno);
  while (got < 0 && errno == EINTR);
  close(exec_pipe[0]);
  p->pid = pid;
  p->to_child = in_pipe[1];
  p->from_child = out_pipe[0];
  p->len = p->consumed = 0;
  if (got > 0) {
    sb_printf(err, "cannot execute %s: %s", p->argv[0], strerror(child_errno));
    proc_kill(p, 0, NULL);
    return false;
  }
  set_flag(p->to_child, F_GETFL, F_SETFL, O_NONBLOCK);
  set_flag(p->from_child, F_GETFL, F_SETFL, O_NONBLOCK);
  return true;

sys_error:
  sb_printf(err, "cannot start %s: %s", p->argv[0], strerror(errno));
  return false;
}

static void drop_consumed(adapter_proc *p) {
  if (p->consumed) {
    memmove(p->buf, p->buf + p->consumed, p->len - p->consumed);
    p->len -= p->consumed;
    p->consumed = 0;
  }
}

/* Reads what is available. Returns false at EOF or on a read error. */
static bool fill(adapter_proc *p) {
  if (p->cap - p->len < 65536) {
    p->cap = p->cap ? p->cap * 2 : 131072;
    p->buf = xrealloc(p->buf, p->cap);
  }
  ssize_t r = read(p->from_child, p->buf + p->len, p->cap - p->len);
  if (r > 0) {
    p->len += (size_t)r;
    return true;
  }
  return r < 0 && (errno == EAGAIN || errno == EINTR);
}

proc_status proc_exchange(adapter_proc *p, const char *req, size_t req_len, int timeout_ms,
                          const char **line, size_t *line_len) {
  drop_consumed(p);
  double deadline = now_seconds() + timeout_ms / 1000.0;
  size_t written = 0;
  size_t scanned = 0;
  for (;;) {
    const char *nl = p->len > scanned ? memchr(p->buf + scanned, '\n', p->len - scanned) : NULL;
    if (!nl)
      scanned = p->len;
    if (nl && written == req_len) {
      *line = p->buf;
      *line_len = (size_t)(nl - p->buf);
      p->consumed = *line_len + 1;
      return PROC_OK;
    }
    if (p->len > PROC_MAX_LINE)
      return PROC_TOO_LONG;
    double left = deadline - now_seconds();
    if (left <= 0)
      return PROC_TIMEOUT;
    struct pollfd fds[2];
    nfds_t n = 0;
    int read_slot = -1, write_slot = -1;
    if (!nl) {
      read_slot = (int)n;
      fds[n++] = (struct pollfd){.fd = p->from_child, .events = POLLIN};
    }
    if (written < req_len) {
      write_slot = (int)n;
      fds[n++] = (struct pollfd){.fd = p->to_child, .events = POLLOUT};
    }
    int rc = poll(fds, n, (int)(left * 1000.0) + 1);
    if (rc < 0 && errno != EINTR)
      return PROC_EOF;
    if (rc <= 0)
      continue; /* EINTR, or the deadline check above ends it */
    if (read_slot >= 0 && fds[read_slot].revents && !fill(p))
      return PROC_EOF;
    if (write_slot >= 0 && fds[write_slot].revents) {
      ssize_t w = write(p->to_child, req + written, req_len - written);
      if (w > 0)
        written += (size_t)w;
      else if (w < 0 && errno != EAGAIN && errno != EINTR)
        return PROC_WRITE;
    }
  }
}

static void describe_status(int status, sbuf *how) {
  if (!how)
    return;
  if (WIFEXITED(status))
    sb_printf(how, "exited with status %d", WEXITSTATUS(status));
  else if (WIFSIGNALED(status))
    sb_printf(how, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
  else
    sb_puts(how, "ended");
}

/* True when the child has ended (still a zombie: not reaped, so its
 * process group id cannot be reused before we kill the group). */
static bool has_ended(pid_t pid) {
  siginfo_t info;
  memset(&info, 0, sizeof info);
  if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
    return true; /* not our child any more: nothing to wait for */
  return info.si_pid == pid;
}

static void reap(adapter_proc *p, bool ended_by_itself, sbuf *how) {
  /* The group may hold the adapter's own children (an interpreter's
   * helpers); they go with it. */
  kill(-p->pid, SIGKILL);
  int status = 0;
  while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (how) {
    if (ended_by_itself)
      describe_status(status, how);
    else
      sb_puts(how, "killed by the runner");
  }
  close_fd(&p->to_child);
  close_fd(&p->from_child);
  p->pid = 0;
  p->len = p->consumed = 0;
}

void proc_kill(adapter_proc *p, int grace_ms, sbuf *how) {
  if (p->pid <= 0)
    return;
  close_fd(&p->to_child);
  bool ended = has_ended(p->pid);
  for (int waited = 0; !ended && waited < grace_ms; waited += 5) {
    sleep_ms(5);
    ended = has_ended(p->pid);
  }
  reap(p, ended, how);
}

static void release_buffer(adapter_proc *p) {
  free(p->buf);
  p->buf = NULL;
  p->len = p->cap = p->consumed = 0;
}

bool proc_finish(adapter_proc *p, int grace_ms, sbuf *how) {
  if (p->pid <= 0) {
    release_buffer(p);
    return true;
  }
  close_fd(&p->to_child);
  bool ended = has_ended(p->pid);
  for (int waited = 0; !ended && waited < grace_ms; waited += 5) {
    p->len = p->consumed = 0; /* output after the last answer is ignored */
    fill(p);
    sleep_ms(5);
    ended = has_ended(p->pid);
  }
  sbuf status;
  sb_init(&status);
  reap(p, ended, &status);
  release_buffer(p);
  bool clean = strcmp(sb_str(&status), "exited with status 0") == 0;
  if (!clean && how)
    sb_puts(how, sb_str(&status));
  sb_free(&status);
  return clean;
}

bool proc_probe(char **argv, const char *cwd, int timeout_ms) {
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    if (cwd && chdir(cwd) != 0)
      _exit(127);
    execvp(argv[0], argv);
    _exit(127);
  }
  if (pid < 0)
    return false;
  setpgid(pid, pid);
  bool ended = has_ended(pid);
  for (int waited = 0; !ended && waited < timeout_ms; waited += 5) {
    sleep_ms(5);
    ended = has_ended(pid);
  }
  kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return ended && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
