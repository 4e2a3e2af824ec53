/*
 * myserver: start a throwaway MariaDB server for tests.  See myserver.h.
 *
 * Layout of the temporary folder (<tmp>/prismac-my-XXXXXX):
 *   data/          data directory made by mariadb-install-db
 *   tmp/           the server's tmpdir
 *   install.log    stdout+stderr of mariadb-install-db
 *   server.log     the server's error log (--log-error) and its stdout+stderr
 *   sock           Unix socket
 *   mariadbd.pid   the server's pid file
 *
 * mariadbd is exec'd directly (not through mysqld_safe, which restarts it and
 * goes through /bin/sh): we then know its pid, notice at once when it dies
 * during startup (e.g. port taken), and stop it with a plain SIGKILL (the data
 * is thrown away, or kept for myserver_restart, which InnoDB recovers).
 *
 * The process helpers (srv_spawn, srv_wait_exit, logs, ports) are pgserver.c's.
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

#include "myserver.h"
#include "serverproc.h"

#include <arpa/inet.h>
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

#include <mysql.h>

#define RUN_AS_USER "nobody"
#define PORT_ATTEMPTS 5
#define INSTALL_TIMEOUT_MS 120000
#define READY_TIMEOUT_MS 30000
#define KILL_TIMEOUT_MS 10000
/* Unix socket paths are limited to ~107 bytes; longer $TMPDIR falls back to /tmp. */
#define MAX_TMPDIR_LEN 64

struct myserver {
    char *dir;      /* temporary folder; removed by myserver_stop */
    char *datadir;  /* dir/data */
    char *tmpdir;   /* dir/tmp */
    char *sock;     /* dir/sock */
    char *pidfile;  /* dir/mariadbd.pid */
    char *log;      /* dir/server.log */
    char *mariadbd, *install_db;
    char *pathenv, *homeenv, *ldenv;
    const char *envp[8];
    pid_t pid;   /* mariadbd, 0 when not running */
    pid_t reaper; /* removes dir once we are gone, however we go; 0: none */
    int reaper_fd; /* its pipe's write end (close-on-exec), -1: none */
    pid_t owner; /* process that started the server */
    int port;
    char url[128];
    runas ra;
    const char *who; /* the user it runs as, in messages */
};

/* First dir of `dirs` (colon-separated) holding an executable `name` or
 * `alt`: its absolute path (malloc'd), else NULL. */
static char *find_exec(const char *dirs, const char *name, const char *alt)
{
    char *copy = strdup(dirs), *tok, *save = NULL, *found = NULL, *real;

    for (tok = copy ? strtok_r(copy, ":", &save) : NULL; tok && !found; tok = strtok_r(NULL, ":", &save)) {
        /* Absolute paths only: children chdir before exec. */
        if (!*tok || !(real = realpath(tok, NULL)))
            continue;
        if (srv_is_exec_in(real, name))
            found = srv_pathjoin(real, name);
        else if (alt && srv_is_exec_in(real, alt))
            found = srv_pathjoin(real, alt);
        free(real);
    }
    free(copy);
    return found;
}

/*
 * Starts the reaper: `sh` reading a pipe whose write end only this process
 * (and its forks) hold; when they are all gone, however they went (a crash,
 * an abort, a kill), it removes the folder. mariadbd itself dies with us
 * (PR_SET_PDEATHSIG), but its folder would stay, in memory under /dev/shm.
 * myserver_stop removes the folder itself and ends the reaper. Best effort:
 * without a reaper only an abnormal exit leaves the folder behind.
 */
static void start_reaper(myserver *s)
{
    int fds[2];
    pid_t pid;

    s->reaper_fd = -1;
    if (pipe(fds) != 0)
        return;
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    pid = fork();
    if (pid == 0) {
        const char *argv[] = {"/bin/sh", "-c", "cat >/dev/null; rm -rf \"$1\"", "myserver-reaper", s->dir, NULL};
        union {
            const char *const *c;
            char *const *m;
        } av = {argv}, ev = {s->envp};

        /* Its own process group: a Ctrl-C of the tests must not end it before it cleans up. */
        setpgid(0, 0);
        if (dup2(fds[0], 0) < 0)
            _exit(127);
        close(fds[0]);
        close(fds[1]);
        execve(argv[0], av.m, ev.m);
        _exit(127);
    }
    close(fds[0]);
    if (pid < 0) {
        close(fds[1]);
        return;
    }
    s->reaper = pid;
    s->reaper_fd = fds[1];
}

/* mariadbd and mariadb-install-db into s, or -1 with errbuf. */
static int find_binaries(myserver *s, char *errbuf, size_t errlen)
{
    const char *env = getenv("PRISMAC_MARIADB_BINDIR");
    char *dirs = NULL;
    const char *path = getenv("PATH");
    int rc = -1;

    if (env && *env) {
        s->mariadbd = find_exec(env, "mariadbd", "mysqld");
        s->install_db = find_exec(env, "mariadb-install-db", "mysql_install_db");
        if (!s->mariadbd || !s->install_db)
            srv_seterr(errbuf, errlen,
                   "PRISMAC_MARIADB_BINDIR=%s does not contain executable mariadbd and mariadb-install-db", env);
        return s->mariadbd && s->install_db ? 0 : -1;
    }
    if (!path)
        path = "";
    if (!(dirs = malloc(strlen(path) + sizeof ":/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin"))) {
        srv_seterr(errbuf, errlen, "myserver: out of memory");
        return -1;
    }
    sprintf(dirs, "%s:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin", path);
    s->mariadbd = find_exec(dirs, "mariadbd", "mysqld");
    s->install_db = find_exec(dirs, "mariadb-install-db", "mysql_install_db");
    if (s->mariadbd && s->install_db)
        rc = 0;
    else
        srv_seterr(errbuf, errlen,
               "no MariaDB server binaries found: looked for %s on PATH, /usr/sbin and /usr/bin (install the "
               "mariadb-server package, set PRISMAC_MARIADB_BINDIR, point PRISMAC_TEST_MYSQL_URL at a server of "
               "your own, or set PRISMAC_SKIP_MYSQL=1 to skip these tests)",
               !s->mariadbd ? "mariadbd" : "mariadb-install-db");
    free(dirs);
    return rc;
}

/* Kills the server (if any) without freeing anything. */
static void kill_server(myserver *s)
{
    if (s->pid <= 0)
        return;
    if (kill(s->pid, SIGKILL) == 0)
        srv_wait_exit(s->pid, NULL, KILL_TIMEOUT_MS, NULL);
    s->pid = 0;
}

static void server_free(myserver *s)
{
    free(s->dir);
    free(s->datadir);
    free(s->tmpdir);
    free(s->sock);
    free(s->pidfile);
    free(s->log);
    free(s->mariadbd);
    free(s->install_db);
    free(s->pathenv);
    free(s->homeenv);
    free(s->ldenv);
    free(s);
}

/* A connection as root over the server's own socket (no password: the
 * install's root@localhost), or NULL; *why gets the client's error. */
static MYSQL *connect_root(const myserver *s, char *why, size_t whylen)
{
    MYSQL *m = mysql_init(NULL);
    unsigned int timeout = 5;

    if (!m) {
        snprintf(why, whylen, "mysql_init: out of memory");
        return NULL;
    }
    mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    if (!mysql_real_connect(m, "localhost", "root", NULL, NULL, 0, s->sock, CLIENT_MULTI_STATEMENTS)) {
        snprintf(why, whylen, "%u: %s", mysql_errno(m), mysql_error(m));
        mysql_close(m);
        return NULL;
    }
    return m;
}

/*
 * Waits until our server accepts connections on its socket.  Returns 0 when
 * ready, 1 if it exited (wait status in *status), 2 on timeout.  The socket
 * is private to our folder, so whoever answers there is our server; the TCP
 * port is checked by the server itself (it exits when it cannot bind).
 */
static int wait_ready(const myserver *s, int *status, char *why, size_t whylen)
{
    long long deadline = srv_now_ms() + READY_TIMEOUT_MS;
    struct stat st;
    MYSQL *m;

    why[0] = '\0';
    for (;;) {
        if (srv_wait_exit(s->pid, NULL, 0, status))
            return 1;
        if (stat(s->sock, &st) == 0 && (m = connect_root(s, why, whylen)) != NULL) {
            mysql_close(m);
            return 0;
        }
        if (srv_now_ms() >= deadline)
            return 2;
        srv_sleep_ms(20);
    }
}

/*
 * A server not started yet: its temporary folder (owned by the user the
 * server runs as), its paths and environment.  NULL with errbuf on failure.
 */
static myserver *server_new(char *errbuf, size_t errlen)
{
    myserver *s = NULL;
    const char *base, *env;
    int n = 0;

    if (!(s = calloc(1, sizeof *s)))
        goto oom;
    s->reaper_fd = -1;
    s->owner = getpid();
    if (find_binaries(s, errbuf, errlen) != 0)
        goto fail;
    s->who = "the current user";
    if (geteuid() == 0) {
        /* mariadbd refuses root unless told --user=root; a test server needs no root. */
        struct passwd *pw = getpwnam(RUN_AS_USER);

        if (!pw) {
            srv_seterr(errbuf, errlen, "running as root, but user \"%s\" to run MariaDB as does not exist",
                   RUN_AS_USER);
            goto fail;
        }
        s->ra.drop = 1;
        s->ra.uid = pw->pw_uid;
        s->ra.gid = pw->pw_gid;
        s->who = "user \"" RUN_AS_USER "\"";
    }
    /* Memory (/dev/shm) when there is no TMPDIR: every DDL statement syncs
     * the table's files and the DDL log, some 50 ms each on a busy disk, and
     * the tests create and reset many tables of data they throw away. */
    base = getenv("TMPDIR");
    if (!base || !*base || strlen(base) > MAX_TMPDIR_LEN || (s->ra.drop && !srv_reachable_by(base, s->ra.uid)))
        base = access("/dev/shm", W_OK | X_OK) == 0 && (!s->ra.drop || srv_reachable_by("/dev/shm", s->ra.uid))
                   ? "/dev/shm"
                   : "/tmp";
    if (!(s->dir = srv_pathjoin(base, "prismac-my-XXXXXX")))
        goto oom;
    if (!mkdtemp(s->dir)) {
        srv_seterr(errbuf, errlen, "cannot create a temporary folder %s: %s", s->dir, strerror(errno));
        free(s->dir);
        s->dir = NULL;
        goto fail;
    }
    s->datadir = srv_pathjoin(s->dir, "data");
    s->tmpdir = srv_pathjoin(s->dir, "tmp");
    s->sock = srv_pathjoin(s->dir, "sock");
    s->pidfile = srv_pathjoin(s->dir, "mariadbd.pid");
    s->log = srv_pathjoin(s->dir, "server.log");
    env = getenv("PATH");
    s->pathenv = malloc(strlen(env ? env : "") + sizeof "PATH=/usr/sbin:/usr/bin:/bin");
    s->homeenv = malloc(strlen(s->dir) + sizeof "HOME=");
    if (!s->datadir || !s->tmpdir || !s->sock || !s->pidfile || !s->log || !s->pathenv || !s->homeenv)
        goto oom;
    if (mkdir(s->tmpdir, 0700) != 0) {
        srv_seterr(errbuf, errlen, "cannot create %s: %s", s->tmpdir, strerror(errno));
        goto fail;
    }
    /* The unprivileged user owns the folder: it holds data/, tmp/ and the socket. */
    if (s->ra.drop && (chown(s->dir, s->ra.uid, s->ra.gid) != 0 || chown(s->tmpdir, s->ra.uid, s->ra.gid) != 0)) {
        srv_seterr(errbuf, errlen, "cannot chown %s to user \"%s\": %s", s->dir, RUN_AS_USER, strerror(errno));
        goto fail;
    }
    /* mariadb-install-db is a shell script: it needs PATH for its helpers. */
    sprintf(s->pathenv, "PATH=%s", env && *env ? env : "/usr/sbin:/usr/bin:/bin");
    /* nobody's home does not exist: the folder is the servers' home. */
    sprintf(s->homeenv, "HOME=%s", s->dir);

    /* Minimal environment: no MYSQL_* variables or LD_PRELOAD (valgrind's) leak in; fixed TZ/locale. */
    s->envp[n++] = s->pathenv;
    s->envp[n++] = s->homeenv;
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
    start_reaper(s);
    return s;

oom:
    srv_seterr(errbuf, errlen, "myserver: out of memory");
fail:
    myserver_stop(s);
    return NULL;
}

/* mariadb-install-db into s->datadir, as the server's user.  0, or -1 with errbuf. */
static int install(myserver *s, char *errbuf, size_t errlen)
{
    char tail[LOG_TAIL_BYTES + 64], how[160], datadir[4200];
    char *log = srv_pathjoin(s->dir, "install.log");
    int rc = -1, st;
    pid_t pid;

    if (!log) {
        srv_seterr(errbuf, errlen, "myserver: out of memory");
        return -1;
    }
    snprintf(datadir, sizeof datadir, "--datadir=%s", s->datadir);
    {
        char tmpdir[4200];
        /* The server's own temporary folder: the bootstrap server clears
         * `#sql*` files from its tmpdir when it starts, so two servers set up
         * at once in the shared /tmp removed each other's temporary tables
         * (mariadb-install-db then failed with 1051). */
        snprintf(tmpdir, sizeof tmpdir, "--tmpdir=%s", s->tmpdir);
        /* --auth-root-authentication-method=normal: root@localhost without a
         * password (not unix_socket, which would want the OS user root). */
        const char *argv[] = {s->install_db, "--no-defaults", datadir, tmpdir, "--auth-root-authentication-method=normal",
                              "--skip-test-db", "--skip-name-resolve", "--innodb-log-file-size=8M",
                              "--innodb-doublewrite=0", "--innodb-flush-log-at-trx-commit=0", NULL};

        if ((pid = srv_spawn(argv, s->envp, s->dir, log, &s->ra, SIGKILL, errbuf, errlen)) < 0)
            goto cleanup;
    }
    if (!srv_wait_exit(pid, NULL, INSTALL_TIMEOUT_MS, &st)) {
        kill(pid, SIGKILL);
        srv_wait_exit(pid, NULL, KILL_TIMEOUT_MS, &st);
        srv_log_summary(log, tail, sizeof tail);
        srv_seterr(errbuf, errlen, "%s (as %s) did not finish within %d s; its output: %s", s->install_db, s->who,
               INSTALL_TIMEOUT_MS / 1000, tail);
        goto cleanup;
    }
    if (st != -1 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
        srv_describe_status(st, how, sizeof how);
        srv_log_summary(log, tail, sizeof tail);
        srv_seterr(errbuf, errlen, "%s %s (as %s) failed with %s; its output: %s", s->install_db, datadir, s->who,
               how, tail);
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(log);
    return rc;
}

/*
 * Starts mariadbd on s->datadir: on a new free port (new_port), else on
 * s->port.  0, or -1 with errbuf (the server log's tail).
 */
static int launch(myserver *s, int new_port, char *errbuf, size_t errlen)
{
    char tail[LOG_TAIL_BYTES + 64], how[512], why[256], raw[4096];
    char datadir[4200], sock[4200], pidfile[4200], log[4200], tmpdir[4200], port[32];
    int attempt, r, st;

    snprintf(datadir, sizeof datadir, "--datadir=%s", s->datadir);
    snprintf(sock, sizeof sock, "--socket=%s", s->sock);
    snprintf(pidfile, sizeof pidfile, "--pid-file=%s", s->pidfile);
    snprintf(log, sizeof log, "--log-error=%s", s->log);
    snprintf(tmpdir, sizeof tmpdir, "--tmpdir=%s", s->tmpdir);
    for (attempt = 1;; attempt++) {
        const char *argv[] = {s->mariadbd, "--no-defaults", datadir, sock, port, pidfile, log, tmpdir,
                              "--bind-address=127.0.0.1", "--skip-name-resolve",
                              "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
                              /* MariaDB's default, spelled out: the mode Prisma's users run. */
                              "--sql-mode=STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
                              "NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION",
                              "--default-time-zone=+00:00",
                              "--skip-log-bin", "--innodb-doublewrite=0",
                              "--innodb-flush-log-at-trx-commit=2", "--innodb-flush-method=nosync", "--innodb-buffer-pool-size=32M",
                              "--innodb-log-file-size=8M", "--key-buffer-size=1M",
                              "--max-connections=300", "--skip-symbolic-links",
                              /* The statement cache tests count a session's prepared
                               * statements in performance_schema.prepared_statements_instances. */
                              "--performance-schema=ON", "--performance-schema-max-prepared-statements-instances=20000",
                              NULL};

        if (new_port && (s->port = srv_pick_port()) < 0) {
            srv_seterr(errbuf, errlen, "cannot find a free TCP port on 127.0.0.1: %s", strerror(errno));
            return -1;
        }
        snprintf(port, sizeof port, "--port=%d", s->port);
        snprintf(s->url, sizeof s->url, "mysql://%s:%s@127.0.0.1:%d/%s", MYSERVER_USER, MYSERVER_PASSWORD,
                 s->port, MYSERVER_DATABASE);
        unlink(s->log);
        if ((s->pid = srv_spawn(argv, s->envp, s->dir, s->log, &s->ra, SIGKILL, errbuf, errlen)) < 0) {
            s->pid = 0;
            return -1;
        }
        r = wait_ready(s, &st, why, sizeof why);
        if (r == 0)
            return 0;
        if (r == 1) {
            s->pid = 0;
            /* Someone grabbed the port between srv_pick_port() and the server's bind(). */
            srv_read_tail(s->log, raw, sizeof raw);
            if (new_port && attempt < PORT_ATTEMPTS && strstr(raw, "already in use"))
                continue;
            srv_describe_status(st, how, sizeof how);
        } else {
            kill_server(s);
            snprintf(how, sizeof how, "not ready within %d s (last connect: %s)", READY_TIMEOUT_MS / 1000,
                     why[0] ? why : "no socket yet");
        }
        srv_log_summary(s->log, tail, sizeof tail);
        srv_seterr(errbuf, errlen, "%s --datadir=%s --port=%d (as %s, attempt %d) did not start: %s; server log: %s",
               s->mariadbd, s->datadir, s->port, s->who, attempt, how, tail);
        return -1;
    }
}

/* The test account and database, as root over the socket.  0, or -1 with errbuf. */
static int create_account(myserver *s, char *errbuf, size_t errlen)
{
    char why[512];
    MYSQL *m = connect_root(s, why, sizeof why);
    int rc = -1;

    if (!m) {
        srv_seterr(errbuf, errlen, "myserver: cannot connect as root over %s: %s", s->sock, why);
        return -1;
    }
    if (myserver_exec(m,
                      "CREATE USER '" MYSERVER_USER "'@'%' IDENTIFIED BY '" MYSERVER_PASSWORD "';"
                      "GRANT ALL PRIVILEGES ON *.* TO '" MYSERVER_USER "'@'%' WITH GRANT OPTION;"
                      "CREATE DATABASE `" MYSERVER_DATABASE "`",
                      why, sizeof why) != 0) {
        srv_seterr(errbuf, errlen, "myserver: creating the test account on %s failed: %s", s->sock, why);
        goto cleanup;
    }
    rc = 0;
cleanup:
    mysql_close(m);
    return rc;
}

int myserver_start(myserver **out, char *errbuf, size_t errlen)
{
    myserver *s = NULL;
    int rc = -1;

    srv_seterr(errbuf, errlen, "myserver_start: unknown error");
    if (!out) {
        srv_seterr(errbuf, errlen, "myserver_start: out is NULL");
        return -1;
    }
    *out = NULL;
    if (!(s = server_new(errbuf, errlen)) || install(s, errbuf, errlen) != 0 || launch(s, 1, errbuf, errlen) != 0 ||
        create_account(s, errbuf, errlen) != 0)
        goto cleanup;
    *out = s;
    s = NULL;
    rc = 0;
cleanup:
    myserver_stop(s);
    return rc;
}

void myserver_halt(myserver *s)
{
    if (s)
        kill_server(s);
}

int myserver_restart(myserver *s, char *errbuf, size_t errlen)
{
    if (!s || !s->mariadbd) {
        srv_seterr(errbuf, errlen, "myserver_restart: not a server myserver_start started");
        return -1;
    }
    kill_server(s);
    return launch(s, 0, errbuf, errlen);
}

const char *myserver_url(const myserver *s)
{
    return s ? s->url : NULL;
}

int myserver_port(const myserver *s)
{
    return s ? s->port : -1;
}

const char *myserver_dir(const myserver *s)
{
    return s ? s->dir : NULL;
}

const char *myserver_socket(const myserver *s)
{
    return s ? s->sock : NULL;
}

void myserver_stop(myserver *s)
{
    if (!s)
        return;
    kill_server(s);
    if (s->dir)
        nftw(s->dir, srv_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (s->reaper > 0) {
        kill(s->reaper, SIGKILL);
        waitpid(s->reaper, NULL, 0);
    }
    if (s->reaper_fd >= 0)
        close(s->reaper_fd);
    server_free(s);
}

/* ---- connections ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* [from, to) percent-decoded into out (cap bytes).  0, or -1 if it does not fit. */
static int decode(const char *from, const char *to, char *out, size_t cap)
{
    size_t o = 0;

    for (; from < to; from++) {
        char c = *from;

        if (c == '%' && to - from >= 3 && hexval(from[1]) >= 0 && hexval(from[2]) >= 0) {
            c = (char)(hexval(from[1]) * 16 + hexval(from[2]));
            from += 2;
        }
        if (o + 1 >= cap)
            return -1;
        out[o++] = c;
    }
    out[o] = '\0';
    return 0;
}

void *myserver_connect(const char *url, char *errbuf, size_t errlen)
{
    char user[256] = "", password[256] = "", host[256] = "", database[256] = "";
    const char *p, *end, *at, *colon, *slash, *hp;
    unsigned int port = 3306, timeout = 10;
    MYSQL *m = NULL;

    if (!url || strncmp(url, "mysql://", 8) != 0) {
        srv_seterr(errbuf, errlen, "myserver_connect: not a mysql:// url: %s", url ? url : "(null)");
        return NULL;
    }
    p = url + 8;
    end = p + strcspn(p, "?#");
    slash = memchr(p, '/', (size_t)(end - p));
    if (!slash)
        slash = end;
    at = NULL;
    for (const char *q = p; q < slash; q++)
        if (*q == '@')
            at = q; /* the last '@' before the path ends the credentials */
    hp = p;
    if (at) {
        colon = memchr(p, ':', (size_t)(at - p));
        if (decode(p, colon ? colon : at, user, sizeof user) != 0 ||
            (colon && decode(colon + 1, at, password, sizeof password) != 0))
            goto toolong;
        hp = at + 1;
    }
    if (*hp == '[') { /* [IPv6]:port */
        const char *close = memchr(hp, ']', (size_t)(slash - hp));

        if (!close || decode(hp + 1, close, host, sizeof host) != 0)
            goto bad;
        colon = close + 1 < slash && close[1] == ':' ? close + 1 : NULL;
    } else {
        colon = memchr(hp, ':', (size_t)(slash - hp));
        if (decode(hp, colon ? colon : slash, host, sizeof host) != 0)
            goto toolong;
    }
    if (colon) {
        char *stop;
        long v = strtol(colon + 1, &stop, 10);

        if (stop != slash || v <= 0 || v > 65535)
            goto bad;
        port = (unsigned int)v;
    }
    if (slash < end && decode(slash + 1, end, database, sizeof database) != 0)
        goto toolong;

    if (!(m = mysql_init(NULL))) {
        srv_seterr(errbuf, errlen, "myserver_connect: out of memory");
        return NULL;
    }
    mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    /* "localhost" would mean the default socket: always TCP, as the url says. */
    if (!mysql_real_connect(m, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, user, password,
                            database[0] ? database : NULL, port, NULL, CLIENT_FOUND_ROWS | CLIENT_MULTI_STATEMENTS)) {
        srv_seterr(errbuf, errlen, "cannot connect to %s:%u as %s: %u: %s", host, port, user, mysql_errno(m),
               mysql_error(m));
        mysql_close(m);
        return NULL;
    }
    return m;

toolong:
    srv_seterr(errbuf, errlen, "myserver_connect: a part of the url is too long: %s", url);
    return NULL;
bad:
    srv_seterr(errbuf, errlen, "myserver_connect: bad host or port in %s", url);
    return NULL;
}

int myserver_exec(void *mysql, const char *sql, char *errbuf, size_t errlen)
{
    MYSQL *m = mysql;
    MYSQL_RES *res;
    int more;

    if (mysql_real_query(m, sql, (unsigned long)strlen(sql)) != 0)
        goto fail;
    do {
        /* Every result is read, or the connection stays out of sync. */
        if ((res = mysql_store_result(m)) != NULL)
            mysql_free_result(res);
        else if (mysql_field_count(m) != 0)
            goto fail;
        if ((more = mysql_next_result(m)) > 0)
            goto fail;
    } while (more == 0);
    return 0;
fail:
    srv_seterr(errbuf, errlen, "%u: %s", mysql_errno(m), mysql_error(m));
    return -1;
}

/* ---- process-wide shared server ---- */

static myserver *shared_server;
static int shared_failed;
static int shared_atexit_registered;
static char shared_err[1536];
/* Databases myserver_fresh_database made on a server of one's own
 * (PRISMAC_TEST_MYSQL_URL), dropped at exit by the process that made them. */
static char **made_urls;
static size_t n_made;
static pid_t made_by;

static void drop_made_databases(void)
{
    for (size_t i = 0; i < n_made; i++) {
        if (made_by == getpid()) {
            char why[256], sql[512];
            const char *db = strrchr(made_urls[i], '/') + 1;
            void *m = myserver_connect(made_urls[i], why, sizeof why);

            snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`", db);
            if (m)
                (void)myserver_exec(m, sql, why, sizeof why);
            mysql_close(m);
        }
        free(made_urls[i]);
    }
    free(made_urls);
    made_urls = NULL;
    n_made = 0;
}

static void shared_atexit(void)
{
    myserver *s = shared_server;

    drop_made_databases();
    shared_server = NULL;
    if (!s)
        return;
    /* A forked child (check's fork mode) must not stop its parent's server. */
    if (s->owner == getpid())
        myserver_stop(s);
    else
        server_free(s);
}

const char *myserver_shared_url(int *skipped, char *errbuf, size_t errlen)
{
    const char *env;

    if (skipped)
        *skipped = 0;
    env = getenv("PRISMAC_SKIP_MYSQL");
    if (env && strcmp(env, "1") == 0) {
        if (skipped)
            *skipped = 1;
        srv_seterr(errbuf, errlen, "MySQL tests skipped: PRISMAC_SKIP_MYSQL=1");
        return NULL;
    }
    if (!shared_atexit_registered && atexit(shared_atexit) == 0)
        shared_atexit_registered = 1;
    env = getenv("PRISMAC_TEST_MYSQL_URL");
    if (env && *env)
        return env;
    if (shared_server)
        return shared_server->url;
    if (!shared_failed) {
        if (!shared_atexit_registered)
            snprintf(shared_err, sizeof shared_err, "myserver_shared_url: atexit failed");
        else if (myserver_start(&shared_server, shared_err, sizeof shared_err) == 0)
            return shared_server->url;
        shared_failed = 1;
    }
    srv_seterr(errbuf, errlen, "%s", shared_err);
    return NULL;
}

int myserver_fresh_database(const char *prefix, char *url, size_t cap, int *skipped, char *errbuf, size_t errlen)
{
    static unsigned counter;
    const char *base = myserver_shared_url(skipped, errbuf, errlen);
    char name[64], sql[200], why[512];
    void *m = NULL;
    int rc = -1;

    if (!base)
        return -1;
    if (!(m = myserver_connect(base, why, sizeof why))) {
        srv_seterr(errbuf, errlen, "myserver_fresh_database: %s", why);
        return -1;
    }
    snprintf(name, sizeof name, "%.24s_%ld_%u", prefix && *prefix ? prefix : "test", (long)getpid(), ++counter);
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`; CREATE DATABASE `%s`", name, name);
    if (myserver_exec(m, sql, why, sizeof why) != 0) {
        srv_seterr(errbuf, errlen, "myserver_fresh_database: %s on %s: %s", sql, base, why);
        goto cleanup;
    }
    myserver_database_url(base, name, url, cap);
    if (!shared_server) {
        /* A server of one's own outlives us: leave it as we found it. */
        char **grown = realloc(made_urls, (n_made + 1) * sizeof *grown);

        if (grown) {
            made_urls = grown;
            if ((made_urls[n_made] = malloc(strlen(url) + 1)) != NULL)
                strcpy(made_urls[n_made++], url);
            made_by = getpid();
        }
        /* The query part stays in the url; the copy to drop must end at the name. */
        if (n_made && made_urls[n_made - 1])
            made_urls[n_made - 1][strcspn(made_urls[n_made - 1], "?#")] = '\0';
    }
    rc = 0;
cleanup:
    mysql_close(m);
    return rc;
}

void myserver_database_url(const char *server_url, const char *database, char *out, size_t n)
{
    const char *host = strstr(server_url, "://");
    const char *end = host ? host + 3 + strcspn(host + 3, "/?#") : server_url + strlen(server_url);
    const char *query = strpbrk(end, "?#");

    snprintf(out, n, "%.*s/%s%s", (int)(end - server_url), server_url, database, query ? query : "");
}
