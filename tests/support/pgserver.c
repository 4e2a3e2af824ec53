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
#include "serverproc.h"

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
/* Unix socket paths are limited to ~107 bytes; longer $TMPDIR falls back to /tmp. */
#define MAX_TMPDIR_LEN 64

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

static int has_server_bins(const char *dir)
{
    return srv_is_exec_in(dir, "initdb") && srv_is_exec_in(dir, "postgres");
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
            srv_seterr(errbuf, errlen,
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
        srv_seterr(errbuf, errlen,
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

/* Stops the postmaster (if any) without freeing anything. */
static void stop_postmaster(pgserver *s)
{
    if (s->pid <= 0)
        return;
    /* Immediate shutdown: the data is thrown away, so skip the checkpoint. */
    if (kill(s->pid, SIGQUIT) == 0 && !srv_wait_exit(s->pid, s->pidfile, STOP_TIMEOUT_MS, NULL)) {
        kill(s->pid, SIGKILL);
        srv_wait_exit(s->pid, s->pidfile, KILL_TIMEOUT_MS, NULL);
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

    srv_read_tail(s->pidfile, buf, sizeof buf);
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
 * (the race srv_pick_port() cannot close), whose server would answer for ours or,
 * if it is not PostgreSQL, never answer at all; connect_timeout bounds that too.
 */
static int wait_ready(const pgserver *s, int *status)
{
    long long deadline = srv_now_ms() + READY_TIMEOUT_MS;
    char ping[sizeof s->url + 48];
    PGPing p;

    snprintf(ping, sizeof ping, "%s?connect_timeout=5&sslmode=disable", s->url);
    for (;;) {
        if (srv_wait_exit(s->pid, NULL, 0, status))
            return 1;
        if (pidfile_ready(s)) {
            if ((p = PQping(ping)) == PQPING_OK)
                return 0;
            if (p == PQPING_NO_ATTEMPT)
                return 3;
        }
        if (srv_now_ms() >= deadline)
            return 2;
        srv_sleep_ms(10);
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
        char *link = srv_pathjoin(s->bindir, "postgres"), *real = link ? realpath(link, NULL) : NULL;
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
            srv_seterr(errbuf, errlen,
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
        (s->ra.drop && !srv_reachable_by(base, s->ra.uid)))
        base = "/tmp";
    if (!(s->dir = srv_pathjoin(base, "prismac-pg-XXXXXX")))
        goto oom;
    if (!mkdtemp(s->dir)) {
        srv_seterr(errbuf, errlen, "cannot create a temporary folder %s: %s", s->dir, strerror(errno));
        free(s->dir);
        s->dir = NULL;
        goto fail;
    }
    /* The unprivileged user owns the folder: it holds data/ and the Unix socket. */
    if (s->ra.drop && chown(s->dir, s->ra.uid, s->ra.gid) != 0) {
        srv_seterr(errbuf, errlen, "cannot chown %s to user \"%s\": %s", s->dir, RUN_AS_USER,
               strerror(errno));
        goto fail;
    }

    s->datadir = srv_pathjoin(s->dir, "data");
    s->pidfile = srv_pathjoin(s->dir, "data/postmaster.pid");
    s->postgres = srv_pathjoin(s->bindir, "postgres");
    s->pglog = srv_pathjoin(s->dir, "postgres.log");
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
    srv_seterr(errbuf, errlen, "pgserver: out of memory");
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
    char *log = srv_pathjoin(s->dir, logname);
    int rc = -1, st;
    pid_t pid;

    if (!log) {
        srv_seterr(errbuf, errlen, "pgserver: out of memory");
        return -1;
    }
    if ((pid = srv_spawn(argv, s->envp, s->dir, log, &s->ra, 0, errbuf, errlen)) < 0)
        goto cleanup;
    if (!srv_wait_exit(pid, NULL, INITDB_TIMEOUT_MS, &st)) {
        kill(pid, SIGKILL);
        srv_wait_exit(pid, NULL, KILL_TIMEOUT_MS, &st);
        srv_log_summary(log, tail, sizeof tail);
        srv_seterr(errbuf, errlen, "%s (as %s) did not finish within %d s; its output: %s", argv[0],
               s->who, INITDB_TIMEOUT_MS / 1000, tail);
        goto cleanup;
    }
    if (st != -1 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
        srv_describe_status(st, how, sizeof how);
        srv_log_summary(log, tail, sizeof tail);
        srv_seterr(errbuf, errlen, "%s -D %s (as %s) failed with %s; its output: %s", argv[0],
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

        if (new_port && (s->port = srv_pick_port()) < 0) {
            srv_seterr(errbuf, errlen, "cannot find a free TCP port on 127.0.0.1: %s", strerror(errno));
            return -1;
        }
        snprintf(portstr, sizeof portstr, "%d", s->port);
        snprintf(s->url, sizeof s->url, "postgresql://%s@127.0.0.1:%d/postgres", PGSERVER_USER,
                 s->port);
        if ((s->pid = srv_spawn(argv, s->envp, s->dir, s->pglog, &s->ra, SIGQUIT, errbuf, errlen)) < 0) {
            s->pid = 0;
            return -1;
        }
        r = wait_ready(s, &st);
        if (r == 0)
            return 0;
        if (r == 1) {
            s->pid = 0;
            /* Someone grabbed the port between srv_pick_port() and the postmaster's bind(). */
            srv_read_tail(s->pglog, raw, sizeof raw);
            if (new_port && attempt < PORT_ATTEMPTS && strstr(raw, "already in use"))
                continue;
            srv_describe_status(st, how, sizeof how);
        } else {
            stop_postmaster(s);
            if (r == 3)
                snprintf(how, sizeof how, "libpq rejects the URL %s", s->url);
            else
                snprintf(how, sizeof how, "not ready within %d s", READY_TIMEOUT_MS / 1000);
        }
        srv_log_summary(s->pglog, tail, sizeof tail);
        srv_seterr(errbuf, errlen,
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

    srv_seterr(errbuf, errlen, "pgserver_start: unknown error");
    if (!out) {
        srv_seterr(errbuf, errlen, "pgserver_start: out is NULL");
        return -1;
    }
    *out = NULL;
    if (!(s = server_new(errbuf, errlen)))
        goto cleanup;
    if (!(initdb = srv_pathjoin(s->bindir, "initdb"))) {
        srv_seterr(errbuf, errlen, "pgserver_start: out of memory");
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
    if (kill(s->pid, SIGINT) == 0 && !srv_wait_exit(s->pid, s->pidfile, STOP_TIMEOUT_MS, NULL)) {
        kill(s->pid, SIGKILL);
        srv_wait_exit(s->pid, s->pidfile, KILL_TIMEOUT_MS, NULL);
    }
    s->pid = 0;
}

int pgserver_restart(pgserver *s, char *errbuf, size_t errlen)
{
    if (!s || !s->postgres) {
        srv_seterr(errbuf, errlen, "pgserver_restart: not a server pgserver_start started");
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
    char *tool = srv_pathjoin(s->bindir, "pg_basebackup");
    char port[16];
    int rc;

    if (!tool) {
        srv_seterr(errbuf, errlen, "pgserver: out of memory");
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

    srv_seterr(errbuf, errlen, "pgserver_start_standby: unknown error");
    if (!out || !primary || primary->pid <= 0) {
        srv_seterr(errbuf, errlen, "pgserver_start_standby: no running primary");
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
        srv_seterr(errbuf, errlen, "pgserver_rebuild_standby: no running primary");
        return -1;
    }
    stop_postmaster(s);
    nftw(s->datadir, srv_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
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
        srv_seterr(errbuf, errlen, "pgserver_promote: the server is not running");
        return -1;
    }
    snprintf(url, sizeof url, "%s?connect_timeout=5&sslmode=disable", s->url);
    pg = PQconnectdb(url);
    if (PQstatus(pg) != CONNECTION_OK) {
        srv_seterr(errbuf, errlen, "pgserver_promote: cannot connect to %s: %s", s->url, PQerrorMessage(pg));
        goto cleanup;
    }
    /* pg_promote waits (up to 60 s) until the server takes writes. */
    res = PQexec(pg, "SELECT pg_promote(true, 30)");
    if (PQresultStatus(res) == PGRES_TUPLES_OK && strcmp(PQgetvalue(res, 0, 0), "t") == 0)
        rc = 0;
    else
        srv_seterr(errbuf, errlen, "pgserver_promote: %s did not become a primary: %s", s->url,
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
        nftw(s->dir, srv_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
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
        srv_seterr(errbuf, errlen, "PostgreSQL tests skipped: PRISMAC_SKIP_POSTGRES=1");
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
    srv_seterr(errbuf, errlen, "%s", shared_err);
    return NULL;
}

void pgserver_database_url(const char *server_url, const char *database, char *out, size_t n)
{
    const char *host = strstr(server_url, "://");
    const char *slash = host ? strchr(host + 3, '/') : NULL;
    size_t head = slash ? (size_t)(slash - server_url) : strlen(server_url);
    snprintf(out, n, "%.*s/%s", (int)head, server_url, database);
}
