/*
 * pgserver: start a throwaway PostgreSQL server for tests.  See pgserver.h.
 *
 * Layout of the temporary folder (<tmp>/prismac-pg-XXXXXX):
 *   data/          cluster created by initdb
 *   initdb.log     stdout+stderr of initdb
 *   postgres.log   stdout+stderr of the postmaster
 *   .s.PGSQL.PORT  Unix socket (unix_socket_directories points here)
 *
 * The postmaster is exec'd directly (not through pg_ctl, which goes through
 * /bin/sh and daemonizes): we then know its pid, notice at once when it dies
 * during startup (e.g. port taken), and can stop it with a plain SIGQUIT.
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* nftw, realpath */
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* setgroups, syscall on glibc */
#endif
#ifndef _DARWIN_C_SOURCE
#define _DARWIN_C_SOURCE /* setgroups on macOS */
#endif

#include "pgserver.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#include <libpq-fe.h>

#define RUN_AS_USER "nobody"
#define PORT_ATTEMPTS 5
#define INITDB_TIMEOUT_MS 120000
#define READY_TIMEOUT_MS 15000
#define STOP_TIMEOUT_MS 10000
#define KILL_TIMEOUT_MS 2000
#define LOG_TAIL_BYTES 700
/* Unix socket paths are limited to ~107 bytes; longer $TMPDIR falls back to /tmp. */
#define MAX_TMPDIR_LEN 64

#if defined(__GNUC__) || defined(__clang__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* Identity child processes switch to; drop == 0 means stay as we are. */
typedef struct {
    int drop;
    uid_t uid;
    gid_t gid;
} runas;

struct pgserver {
    char *dir;     /* temporary folder; removed by pgserver_stop */
    char *datadir; /* dir/data */
    char *pidfile; /* datadir/postmaster.pid */
    pid_t pid;     /* postmaster, 0 when not running */
    pid_t owner;   /* process that started the server */
    int port;
    char url[96];
    /* To start the postmaster (again: pgserver_restart) and its tools. */
    char *bindir, *postgres, *sockopt, *pglog, *pathenv, *ldenv;
    const char *envp[6];
    runas ra;
    const char *who; /* the user it runs as, in messages */
};

static void seterr(char *buf, size_t len, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void seterr(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;

    if (!buf || len == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

static char *pathjoin(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);

    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* Last bytes of a log file, NUL-terminated; "" if unreadable. */
static void read_tail(const char *path, char *buf, size_t len)
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
static void log_summary(const char *path, char *out, size_t outlen)
{
    char raw[LOG_TAIL_BYTES + 1];
    const char *p = raw;
    size_t o = 0;
    int pending_sep = 0;

    read_tail(path, raw, sizeof raw);
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

static void describe_status(int st, char *buf, size_t len)
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

static int is_exec_in(const char *dir, const char *name)
{
    char *p = pathjoin(dir, name);
    struct stat st;
    int ok;

    if (!p)
        return 0;
    ok = stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
    free(p);
    return ok;
}

static int has_server_bins(const char *dir)
{
    return is_exec_in(dir, "initdb") && is_exec_in(dir, "postgres");
}

/* Major*1000+minor for "15" or "9.6"; -1 if the name is not a version. */
static long parse_version(const char *name)
{
    char *end;
    long major, minor = 0;

    major = strtol(name, &end, 10);
    if (end == name || major < 0)
        return -1;
    if (*end == '.') {
        const char *m = end + 1;
        minor = strtol(m, &end, 10);
        if (end == m || minor < 0 || minor > 999)
            return -1;
    }
    return *end ? -1 : major * 1000 + minor;
}

/* Directory holding initdb and postgres (malloc'd), or NULL with errbuf set. */
static char *find_bindir(char *errbuf, size_t errlen)
{
    const char *env = getenv("PRISMAC_PG_BINDIR");
    char *path = NULL, *tok, *save = NULL, *found = NULL, *cand;
    DIR *d = NULL;
    struct dirent *de;
    long best = -1, v;

    if (env && *env) {
        if (has_server_bins(env))
            found = strdup(env);
        else
            seterr(errbuf, errlen,
                   "PRISMAC_PG_BINDIR=%s does not contain executable initdb and postgres", env);
        goto cleanup;
    }

    env = getenv("PATH");
    if (env && (path = strdup(env)) != NULL) {
        for (tok = strtok_r(path, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
            /* Absolute path needed: children chdir before exec. */
            if (*tok && has_server_bins(tok) && (found = realpath(tok, NULL)) != NULL)
                goto cleanup;
        }
    }

    d = opendir("/usr/lib/postgresql");
    while (d && (de = readdir(d)) != NULL) {
        if ((v = parse_version(de->d_name)) <= best)
            continue;
        cand = malloc(strlen(de->d_name) + sizeof "/usr/lib/postgresql//bin");
        if (!cand)
            continue;
        sprintf(cand, "/usr/lib/postgresql/%s/bin", de->d_name);
        if (has_server_bins(cand)) {
            free(found);
            found = cand;
            best = v;
        } else {
            free(cand);
        }
    }
    if (!found)
        seterr(errbuf, errlen,
               "no PostgreSQL server binaries found: looked for initdb and postgres on PATH and "
               "in /usr/lib/postgresql/*/bin (install the postgresql server package, set "
               "PRISMAC_PG_BINDIR, point PRISMAC_TEST_PG_URL at an existing server, or set "
               "PRISMAC_SKIP_POSTGRES=1 to skip these tests)");

cleanup:
    if (d)
        closedir(d);
    free(path);
    return found;
}

/* A port that was free a moment ago on 127.0.0.1 (the kernel picks it). */
static int pick_port(void)
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
static int reachable_by(const char *dir, uid_t uid)
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
static int open_high(const char *path, int flags, mode_t mode)
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
static void child_fail(const char *what)
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
    strncat(msg, "pgserver child: ", sizeof msg - 1);
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
static pid_t spawn(const char *const argv[], const char *const envp[], const char *cwd,
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
    logfd = open_high(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    nullfd = open_high("/dev/null", O_RDONLY, 0);
    if (logfd < 0 || nullfd < 0) {
        seterr(errbuf, errlen, "cannot open %s: %s", logfd < 0 ? logpath : "/dev/null",
               strerror(errno));
        goto cleanup;
    }

    pid = fork();
    if (pid < 0) {
        seterr(errbuf, errlen, "fork failed for %s: %s", argv[0], strerror(errno));
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
                child_fail("setgroups");
            if (setgid(ra->gid) != 0)
                child_fail("setgid");
            if (setuid(ra->uid) != 0)
                child_fail("setuid");
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
            child_fail("chdir");
        /* execve's prototype predates const; it does not write through them. */
        union {
            const char *const *c;
            char *const *m;
        } av = { argv }, ev = { envp };
        execve(argv[0], av.m, ev.m);
        child_fail("execve");
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
static int wait_exit(pid_t pid, const char *pidfile, long timeout_ms, int *status)
{
    long long deadline = now_ms() + timeout_ms;
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
        if (now_ms() >= deadline)
            return 0;
        sleep_ms(5);
    }
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0; /* keep going: remove as much as possible */
}

/* Stops the postmaster (if any) without freeing anything. */
static void stop_postmaster(pgserver *s)
{
    if (s->pid <= 0)
        return;
    /* Immediate shutdown: the data is thrown away, so skip the checkpoint. */
    if (kill(s->pid, SIGQUIT) == 0 && !wait_exit(s->pid, s->pidfile, STOP_TIMEOUT_MS, NULL)) {
        kill(s->pid, SIGKILL);
        wait_exit(s->pid, s->pidfile, KILL_TIMEOUT_MS, NULL);
    }
    s->pid = 0;
}

static void server_free(pgserver *s)
{
    free(s->bindir);
    free(s->postgres);
    free(s->sockopt);
    free(s->pglog);
    free(s->pathenv);
    free(s->ldenv);
    free(s->dir);
    free(s->datadir);
    free(s->pidfile);
    free(s);
}

/*
 * Has our postmaster declared itself ready?  postmaster.pid line 1 is its pid,
 * line 8 its status ("ready" once it accepts connections; PostgreSQL >= 10).
 */
static int pidfile_ready(const pgserver *s)
{
    char buf[1024], *line = buf, *nl;
    int n;

    read_tail(s->pidfile, buf, sizeof buf);
    if (atol(buf) != (long)s->pid)
        return 0;
    /* Walk by hand: lines may be empty (strtok would skip them). */
    for (n = 1; n < 8; n++) {
        if (!(nl = strchr(line, '\n')))
            return 0;
        line = nl + 1;
    }
    /* A hot standby says "standby" once it takes read-only sessions. */
    return strncmp(line, "ready", 5) == 0 || strncmp(line, "standby", 7) == 0;
}

/*
 * Polls until the server answers (0), the postmaster exits (1, *status set),
 * timeout (2) or the URL is unusable (3).  PQping only runs once our own
 * postmaster.pid says ready: until then the port may belong to someone else
 * (the race pick_port() cannot close), whose server would answer for ours or,
 * if it is not PostgreSQL, never answer at all; connect_timeout bounds that too.
 */
static int wait_ready(const pgserver *s, int *status)
{
    long long deadline = now_ms() + READY_TIMEOUT_MS;
    char ping[sizeof s->url + 48];
    PGPing p;

    snprintf(ping, sizeof ping, "%s?connect_timeout=5&sslmode=disable", s->url);
    for (;;) {
        if (wait_exit(s->pid, NULL, 0, status))
            return 1;
        if (pidfile_ready(s)) {
            if ((p = PQping(ping)) == PQPING_OK)
                return 0;
            if (p == PQPING_NO_ATTEMPT)
                return 3;
        }
        if (now_ms() >= deadline)
            return 2;
        sleep_ms(10);
    }
}

/*
 * A server not started yet: its temporary folder (owned by the user the
 * server runs as), its paths and environment.  NULL with errbuf on failure.
 */
static pgserver *server_new(char *errbuf, size_t errlen)
{
    pgserver *s = NULL;
    const char *base, *env;
    int n = 0;

    if (!(s = calloc(1, sizeof *s)))
        goto oom;
    s->owner = getpid();
    if (!(s->bindir = find_bindir(errbuf, errlen)))
        goto fail;
    {
        /* A PATH folder may hold links to just initdb and postgres: the
         * other tools (pg_basebackup) are beside the real postgres. */
        char *link = pathjoin(s->bindir, "postgres"), *real = link ? realpath(link, NULL) : NULL;
        char *slash = real ? strrchr(real, '/') : NULL;

        free(link);
        if (slash && slash != real) {
            *slash = '\0';
            free(s->bindir);
            s->bindir = real;
        } else {
            free(real);
        }
    }
    s->who = "the current user";
    if (geteuid() == 0) {
        /* PostgreSQL refuses to run as root. */
        struct passwd *pw = getpwnam(RUN_AS_USER);

        if (!pw) {
            seterr(errbuf, errlen,
                   "running as root, and PostgreSQL refuses to run as root, but user \"%s\" to "
                   "run it as does not exist",
                   RUN_AS_USER);
            goto fail;
        }
        s->ra.drop = 1;
        s->ra.uid = pw->pw_uid;
        s->ra.gid = pw->pw_gid;
        s->who = "user \"" RUN_AS_USER "\"";
    }
    base = getenv("TMPDIR");
    if (!base || !*base || strlen(base) > MAX_TMPDIR_LEN ||
        (s->ra.drop && !reachable_by(base, s->ra.uid)))
        base = "/tmp";
    if (!(s->dir = pathjoin(base, "prismac-pg-XXXXXX")))
        goto oom;
    if (!mkdtemp(s->dir)) {
        seterr(errbuf, errlen, "cannot create a temporary folder %s: %s", s->dir, strerror(errno));
        free(s->dir);
        s->dir = NULL;
        goto fail;
    }
    /* The unprivileged user owns the folder: it holds data/ and the Unix socket. */
    if (s->ra.drop && chown(s->dir, s->ra.uid, s->ra.gid) != 0) {
        seterr(errbuf, errlen, "cannot chown %s to user \"%s\": %s", s->dir, RUN_AS_USER,
               strerror(errno));
        goto fail;
    }

    s->datadir = pathjoin(s->dir, "data");
    s->pidfile = pathjoin(s->dir, "data/postmaster.pid");
    s->postgres = pathjoin(s->bindir, "postgres");
    s->pglog = pathjoin(s->dir, "postgres.log");
    s->sockopt = malloc(strlen(s->dir) + sizeof "unix_socket_directories=");
    env = getenv("PATH");
    s->pathenv = malloc(strlen(env ? env : "") + sizeof "PATH=/usr/bin:/bin");
    if (!s->datadir || !s->pidfile || !s->postgres || !s->pglog || !s->sockopt || !s->pathenv)
        goto oom;
    sprintf(s->sockopt, "unix_socket_directories=%s", s->dir);
    sprintf(s->pathenv, "PATH=%s", env && *env ? env : "/usr/bin:/bin");

    /* Minimal environment: no PG* variables or LD_PRELOAD (valgrind's) leak in; fixed TZ/locale. */
    s->envp[n++] = s->pathenv;
    s->envp[n++] = "TZ=UTC";
    s->envp[n++] = "LC_ALL=C";
    s->envp[n++] = "LANG=C";
    if ((env = getenv("LD_LIBRARY_PATH")) != NULL) {
        if (!(s->ldenv = malloc(strlen(env) + sizeof "LD_LIBRARY_PATH=")))
            goto oom;
        sprintf(s->ldenv, "LD_LIBRARY_PATH=%s", env);
        s->envp[n++] = s->ldenv;
    }
    s->envp[n] = NULL;
    return s;

oom:
    seterr(errbuf, errlen, "pgserver: out of memory");
fail:
    pgserver_stop(s);
    return NULL;
}

/*
 * Runs a PostgreSQL program of the server's bindir (initdb, pg_basebackup)
 * as the server's user, its output in dir/<logname>.  0, or -1 with errbuf.
 */
static int run_tool(pgserver *s, const char *const argv[], const char *logname, char *errbuf,
                    size_t errlen)
{
    char tail[LOG_TAIL_BYTES + 64], how[160];
    char *log = pathjoin(s->dir, logname);
    int rc = -1, st;
    pid_t pid;

    if (!log) {
        seterr(errbuf, errlen, "pgserver: out of memory");
        return -1;
    }
    if ((pid = spawn(argv, s->envp, s->dir, log, &s->ra, 0, errbuf, errlen)) < 0)
        goto cleanup;
    if (!wait_exit(pid, NULL, INITDB_TIMEOUT_MS, &st)) {
        kill(pid, SIGKILL);
        wait_exit(pid, NULL, KILL_TIMEOUT_MS, &st);
        log_summary(log, tail, sizeof tail);
        seterr(errbuf, errlen, "%s (as %s) did not finish within %d s; its output: %s", argv[0],
               s->who, INITDB_TIMEOUT_MS / 1000, tail);
        goto cleanup;
    }
    if (st != -1 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
        describe_status(st, how, sizeof how);
        log_summary(log, tail, sizeof tail);
        seterr(errbuf, errlen, "%s -D %s (as %s) failed with %s; its output: %s", argv[0],
               s->datadir, s->who, how, tail);
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(log);
    return rc;
}

/*
 * Starts the postmaster on s->datadir: on a new free port (new_port), else on
 * s->port.  0, or -1 with errbuf (the server log's tail).
 */
static int launch(pgserver *s, int new_port, char *errbuf, size_t errlen)
{
    char tail[LOG_TAIL_BYTES + 64], how[160], portstr[16], raw[4096];
    int attempt, r, st;

    for (attempt = 1;; attempt++) {
        const char *argv[] = {s->postgres, "-D", s->datadir, "-p", portstr,
                              "-c", "listen_addresses=127.0.0.1",
                              "-c", s->sockopt,
                              "-c", "fsync=off",
                              "-c", "synchronous_commit=off",
                              "-c", "full_page_writes=off",
                              "-c", "max_connections=100",
                              NULL};

        if (new_port && (s->port = pick_port()) < 0) {
            seterr(errbuf, errlen, "cannot find a free TCP port on 127.0.0.1: %s", strerror(errno));
            return -1;
        }
        snprintf(portstr, sizeof portstr, "%d", s->port);
        snprintf(s->url, sizeof s->url, "postgresql://%s@127.0.0.1:%d/postgres", PGSERVER_USER,
                 s->port);
        if ((s->pid = spawn(argv, s->envp, s->dir, s->pglog, &s->ra, SIGQUIT, errbuf, errlen)) < 0) {
            s->pid = 0;
            return -1;
        }
        r = wait_ready(s, &st);
        if (r == 0)
            return 0;
        if (r == 1) {
            s->pid = 0;
            /* Someone grabbed the port between pick_port() and the postmaster's bind(). */
            read_tail(s->pglog, raw, sizeof raw);
            if (new_port && attempt < PORT_ATTEMPTS && strstr(raw, "already in use"))
                continue;
            describe_status(st, how, sizeof how);
        } else {
            stop_postmaster(s);
            if (r == 3)
                snprintf(how, sizeof how, "libpq rejects the URL %s", s->url);
            else
                snprintf(how, sizeof how, "not ready within %d s", READY_TIMEOUT_MS / 1000);
        }
        log_summary(s->pglog, tail, sizeof tail);
        seterr(errbuf, errlen,
               "%s -D %s -p %d (as %s, attempt %d) did not start: %s; server log: %s", s->postgres,
               s->datadir, s->port, s->who, attempt, how, tail);
        return -1;
    }
}

int pgserver_start(pgserver **out, char *errbuf, size_t errlen)
{
    pgserver *s = NULL;
    char *initdb = NULL;
    int rc = -1;

    seterr(errbuf, errlen, "pgserver_start: unknown error");
    if (!out) {
        seterr(errbuf, errlen, "pgserver_start: out is NULL");
        return -1;
    }
    *out = NULL;
    if (!(s = server_new(errbuf, errlen)))
        goto cleanup;
    if (!(initdb = pathjoin(s->bindir, "initdb"))) {
        seterr(errbuf, errlen, "pgserver_start: out of memory");
        goto cleanup;
    }
    {
        const char *argv[] = {initdb, "-D", s->datadir, "-U", PGSERVER_USER, "--auth=trust",
                              "--no-sync", "-E", "UTF8", "--locale=C", NULL};

        if (run_tool(s, argv, "initdb.log", errbuf, errlen) != 0)
            goto cleanup;
    }
    if (launch(s, 1, errbuf, errlen) != 0)
        goto cleanup;
    *out = s;
    s = NULL;
    rc = 0;
cleanup:
    pgserver_stop(s);
    free(initdb);
    return rc;
}

void pgserver_halt(pgserver *s)
{
    if (s)
        stop_postmaster(s);
}

void pgserver_shutdown(pgserver *s)
{
    if (!s || s->pid <= 0)
        return;
    /* Fast shutdown: sessions end, a checkpoint is written, and the WAL
     * senders hand every record to the standbys before they go. */
    if (kill(s->pid, SIGINT) == 0 && !wait_exit(s->pid, s->pidfile, STOP_TIMEOUT_MS, NULL)) {
        kill(s->pid, SIGKILL);
        wait_exit(s->pid, s->pidfile, KILL_TIMEOUT_MS, NULL);
    }
    s->pid = 0;
}

int pgserver_restart(pgserver *s, char *errbuf, size_t errlen)
{
    if (!s || !s->postgres) {
        seterr(errbuf, errlen, "pgserver_restart: not a server pgserver_start started");
        return -1;
    }
    stop_postmaster(s);
    return launch(s, 0, errbuf, errlen);
}

/* ---- standbys ---- */

/* pg_basebackup of primary into s->datadir (which must not exist), as a
 * standby that streams from it (-R: standby.signal and primary_conninfo). */
static int basebackup(pgserver *s, const pgserver *primary, char *errbuf, size_t errlen)
{
    char *tool = pathjoin(s->bindir, "pg_basebackup");
    char port[16];
    int rc;

    if (!tool) {
        seterr(errbuf, errlen, "pgserver: out of memory");
        return -1;
    }
    snprintf(port, sizeof port, "%d", primary->port);
    {
        const char *argv[] = {tool, "-h", "127.0.0.1", "-p", port, "-U", PGSERVER_USER,
                              "-D", s->datadir, "-R", "-X", "stream", "-c", "fast", "--no-sync",
                              NULL};

        rc = run_tool(s, argv, "basebackup.log", errbuf, errlen);
    }
    free(tool);
    return rc;
}

int pgserver_start_standby(pgserver **out, const pgserver *primary, char *errbuf, size_t errlen)
{
    pgserver *s = NULL;
    int rc = -1;

    seterr(errbuf, errlen, "pgserver_start_standby: unknown error");
    if (!out || !primary || primary->pid <= 0) {
        seterr(errbuf, errlen, "pgserver_start_standby: no running primary");
        return -1;
    }
    *out = NULL;
    if (!(s = server_new(errbuf, errlen)) || basebackup(s, primary, errbuf, errlen) != 0 ||
        launch(s, 1, errbuf, errlen) != 0)
        goto cleanup;
    *out = s;
    s = NULL;
    rc = 0;
cleanup:
    pgserver_stop(s);
    return rc;
}

int pgserver_rebuild_standby(pgserver *s, const pgserver *primary, char *errbuf, size_t errlen)
{
    if (!s || !primary || primary->pid <= 0) {
        seterr(errbuf, errlen, "pgserver_rebuild_standby: no running primary");
        return -1;
    }
    stop_postmaster(s);
    nftw(s->datadir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (basebackup(s, primary, errbuf, errlen) != 0)
        return -1;
    return launch(s, 0, errbuf, errlen);
}

int pgserver_promote(pgserver *s, char *errbuf, size_t errlen)
{
    char url[sizeof s->url + 48];
    PGconn *pg;
    PGresult *res;
    int rc = -1;

    if (!s || s->pid <= 0) {
        seterr(errbuf, errlen, "pgserver_promote: the server is not running");
        return -1;
    }
    snprintf(url, sizeof url, "%s?connect_timeout=5&sslmode=disable", s->url);
    pg = PQconnectdb(url);
    if (PQstatus(pg) != CONNECTION_OK) {
        seterr(errbuf, errlen, "pgserver_promote: cannot connect to %s: %s", s->url, PQerrorMessage(pg));
        goto cleanup;
    }
    /* pg_promote waits (up to 60 s) until the server takes writes. */
    res = PQexec(pg, "SELECT pg_promote(true, 30)");
    if (PQresultStatus(res) == PGRES_TUPLES_OK && strcmp(PQgetvalue(res, 0, 0), "t") == 0)
        rc = 0;
    else
        seterr(errbuf, errlen, "pgserver_promote: %s did not become a primary: %s", s->url,
               PQresultStatus(res) == PGRES_TUPLES_OK ? "pg_promote returned false" : PQerrorMessage(pg));
    PQclear(res);
cleanup:
    PQfinish(pg);
    return rc;
}

const char *pgserver_url(const pgserver *s)
{
    return s ? s->url : NULL;
}

int pgserver_port(const pgserver *s)
{
    return s ? s->port : -1;
}

const char *pgserver_dir(const pgserver *s)
{
    return s ? s->dir : NULL;
}

void pgserver_stop(pgserver *s)
{
    if (!s)
        return;
    stop_postmaster(s);
    if (s->dir)
        nftw(s->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    server_free(s);
}

/* ---- process-wide shared server ---- */

static pgserver *shared_server;
static int shared_failed;
static int shared_atexit_registered;
static char shared_err[1024];

static void shared_atexit(void)
{
    pgserver *s = shared_server;

    shared_server = NULL;
    if (!s)
        return;
    /* A forked child (check's fork mode) must not stop its parent's server. */
    if (s->owner == getpid())
        pgserver_stop(s);
    else
        server_free(s);
}

const char *pgserver_shared_url(int *skipped, char *errbuf, size_t errlen)
{
    const char *env;

    if (skipped)
        *skipped = 0;
    env = getenv("PRISMAC_SKIP_POSTGRES");
    if (env && strcmp(env, "1") == 0) {
        if (skipped)
            *skipped = 1;
        seterr(errbuf, errlen, "PostgreSQL tests skipped: PRISMAC_SKIP_POSTGRES=1");
        return NULL;
    }
    env = getenv("PRISMAC_TEST_PG_URL");
    if (env && *env)
        return env;
    if (shared_server)
        return shared_server->url;
    if (!shared_failed) {
        if (!shared_atexit_registered && atexit(shared_atexit) == 0)
            shared_atexit_registered = 1;
        if (!shared_atexit_registered)
            snprintf(shared_err, sizeof shared_err, "pgserver_shared_url: atexit failed");
        else if (pgserver_start(&shared_server, shared_err, sizeof shared_err) == 0)
            return shared_server->url;
        shared_failed = 1;
    }
    seterr(errbuf, errlen, "%s", shared_err);
    return NULL;
}

void pgserver_database_url(const char *server_url, const char *database, char *out, size_t n)
{
    const char *host = strstr(server_url, "://");
    const char *slash = host ? strchr(host + 3, '/') : NULL;
    size_t head = slash ? (size_t)(slash - server_url) : strlen(server_url);
    snprintf(out, n, "%.*s/%s", (int)head, server_url, database);
}
