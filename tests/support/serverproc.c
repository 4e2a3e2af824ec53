/* What the throwaway test servers (pgserver.c, myserver.c) share
 * (serverproc.h): child processes started as another user, ports, logs,
 * waits, the removal of their folders. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* nftw, realpath */
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* setgroups, syscall on glibc */
#endif

#include "serverproc.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

void srv_seterr(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;

    if (!buf || len == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

char *srv_pathjoin(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);

    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

long long srv_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void srv_sleep_ms(long ms)
{
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* Last bytes of a log file, NUL-terminated; "" if unreadable. */
void srv_read_tail(const char *path, char *buf, size_t len)
{
    int fd;
    struct stat st;
    ssize_t n;

    buf[0] = '\0';
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    if (fstat(fd, &st) == 0 && st.st_size > (off_t)(len - 1))
        lseek(fd, st.st_size - (off_t)(len - 1), SEEK_SET);
    n = read(fd, buf, len - 1);
    buf[n > 0 ? n : 0] = '\0';
    close(fd);
}

/* Log tail squeezed onto one line, for a one-paragraph error message. */
void srv_log_summary(const char *path, char *out, size_t outlen)
{
    char raw[LOG_TAIL_BYTES + 1];
    const char *p = raw;
    size_t o = 0;
    int pending_sep = 0;

    srv_read_tail(path, raw, sizeof raw);
    /* Drop a partial first line when the tail starts mid-file. */
    if (strlen(raw) == LOG_TAIL_BYTES && strchr(raw, '\n'))
        p = strchr(raw, '\n') + 1;
    for (; *p && o + 4 < outlen; p++) {
        if (*p == '\n' || *p == '\r') {
            pending_sep = o > 0;
            continue;
        }
        if (pending_sep) {
            memcpy(out + o, " | ", 3);
            o += 3;
            pending_sep = 0;
        }
        out[o++] = *p == '\t' ? ' ' : *p;
    }
    out[o] = '\0';
    if (o == 0)
        snprintf(out, outlen, "(log %s is empty)", path);
}

void srv_describe_status(int st, char *buf, size_t len)
{
    if (st == -1)
        snprintf(buf, len, "exit status unknown");
    else if (WIFEXITED(st))
        snprintf(buf, len, "exit status %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(buf, len, "killed by signal %d", WTERMSIG(st));
    else
        snprintf(buf, len, "wait status %d", st);
}

int srv_is_exec_in(const char *dir, const char *name)
{
    char *p = srv_pathjoin(dir, name);
    struct stat st;
    int ok;

    if (!p)
        return 0;
    ok = stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
    free(p);
    return ok;
}

/* A port that was free a moment ago on 127.0.0.1 (the kernel picks it). */
int srv_pick_port(void)
{
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    int fd, port = -1;

    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &salen) == 0)
        port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

/* Can uid traverse every component of dir?  (Group bits ignored: conservative.) */
int srv_reachable_by(const char *dir, uid_t uid)
{
    char *real = realpath(dir, NULL);
    struct stat st;
    size_t i, len;
    int ok = real != NULL;

    len = ok ? strlen(real) : 0;
    for (i = 1; ok && i <= len; i++) {
        char c;

        if (real[i] != '/' && real[i] != '\0')
            continue;
        c = real[i];
        real[i] = '\0';
        ok = stat(real, &st) == 0 && S_ISDIR(st.st_mode) &&
             (st.st_mode & (st.st_uid == uid ? S_IXUSR : S_IXOTH));
        real[i] = c;
    }
    free(real);
    return ok;
}

/* open() that never returns 0-2, so the child's dup2 onto 0-2 cannot clobber it. */
int srv_open_high(const char *path, int flags, mode_t mode)
{
    int fd = open(path, flags | O_CLOEXEC, mode), hi;

    if (fd >= 0 && fd < 3) {
        hi = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        close(fd);
        fd = hi;
    }
    return fd;
}

/* Async-signal-safe failure report from a forked child (its stderr is the log). */
static void srv_child_fail(const char *what)
{
    char msg[96], num[12];
    int e = errno, i = (int)sizeof num - 1;
    ssize_t r;

    num[i] = '\0';
    do {
        num[--i] = (char)('0' + e % 10);
        e /= 10;
    } while (e && i > 0);
    msg[0] = '\0';
    strncat(msg, "test server child: ", sizeof msg - 1);
    strncat(msg, what, sizeof msg - strlen(msg) - 1);
    strncat(msg, " failed, errno ", sizeof msg - strlen(msg) - 1);
    strncat(msg, num + i, sizeof msg - strlen(msg) - 1);
    strncat(msg, "\n", sizeof msg - strlen(msg) - 1);
    r = write(2, msg, strlen(msg));
    (void)r;
    _exit(127);
}

/*
 * fork+execve argv[0] with stdin=/dev/null and stdout/stderr appended to
 * logpath, in cwd, as ra.  pdeathsig != 0 asks Linux to send that signal to
 * the child when we die, so a crashed test does not leave a server behind.
 * Returns the pid, or -1 with errbuf set.
 */
pid_t srv_spawn(const char *const argv[], const char *const envp[], const char *cwd,
                   const char *logpath, const runas *ra, int pdeathsig, char *errbuf,
                   size_t errlen)
{
    int logfd = -1, nullfd = -1, fd;
    long maxfd = sysconf(_SC_OPEN_MAX);
    pid_t parent = getpid(), pid = -1;
    sigset_t none;

    if (maxfd < 0 || maxfd > 65536)
        maxfd = 65536;
    sigemptyset(&none);
    logfd = srv_open_high(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    nullfd = srv_open_high("/dev/null", O_RDONLY, 0);
    if (logfd < 0 || nullfd < 0) {
        srv_seterr(errbuf, errlen, "cannot open %s: %s", logfd < 0 ? logpath : "/dev/null",
               strerror(errno));
        goto cleanup;
    }

    pid = fork();
    if (pid < 0) {
        srv_seterr(errbuf, errlen, "fork failed for %s: %s", argv[0], strerror(errno));
        goto cleanup;
    }
    if (pid == 0) {
        /* Child: async-signal-safe calls only (the parent may be threaded). */
        if (dup2(nullfd, 0) < 0 || dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0)
            _exit(127);
        /* Inherited descriptors (e.g. a test runner's pipes) must not outlive us in the server. */
#if defined(__linux__) && defined(SYS_close_range)
        if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
#endif
            for (fd = 3; fd < maxfd; fd++)
                close(fd);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (ra->drop) {
            if (setgroups(0, NULL) != 0)
                srv_child_fail("setgroups");
            if (setgid(ra->gid) != 0)
                srv_child_fail("setgid");
            if (setuid(ra->uid) != 0)
                srv_child_fail("setuid");
        }
#ifdef __linux__
        /* After setuid: credential changes clear the parent-death signal. */
        if (pdeathsig && (prctl(PR_SET_PDEATHSIG, pdeathsig) != 0 || getppid() != parent))
            _exit(127);
#else
        (void)parent;
        (void)pdeathsig;
#endif
        if (chdir(cwd) != 0)
            srv_child_fail("chdir");
        /* execve's prototype predates const; it does not write through them. */
        union {
            const char *const *c;
            char *const *m;
        } av = { argv }, ev = { envp };
        execve(argv[0], av.m, ev.m);
        srv_child_fail("execve");
    }

cleanup:
    if (logfd >= 0)
        close(logfd);
    if (nullfd >= 0)
        close(nullfd);
    return pid;
}

/*
 * Waits up to timeout_ms for pid to exit.  Returns 1 if it exited (wait status
 * in *status, -1 if unknown), 0 on timeout.  Also works when pid is not our
 * child (pgserver_stop called from a forked process): then it watches the
 * process and, if given, pidfile (the postmaster removes postmaster.pid last).
 */
int srv_wait_exit(pid_t pid, const char *pidfile, long timeout_ms, int *status)
{
    long long deadline = srv_now_ms() + timeout_ms;
    int st;
    pid_t r;

    if (status)
        *status = -1;
    for (;;) {
        r = waitpid(pid, &st, WNOHANG);
        if (r == pid) {
            if (status)
                *status = st;
            return 1;
        }
        if (r < 0 && errno == ECHILD) {
            if (kill(pid, 0) != 0 && errno == ESRCH)
                return 1;
            if (pidfile && access(pidfile, F_OK) != 0 && errno == ENOENT)
                return 1;
        }
        if (srv_now_ms() >= deadline)
            return 0;
        srv_sleep_ms(5);
    }
}

int srv_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0; /* keep going: remove as much as possible */
}
