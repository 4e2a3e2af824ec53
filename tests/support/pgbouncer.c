/* Debian's PgBouncer in transaction mode in front of a test server (see
 * pgbouncer.h). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "pgbouncer.h"
#include "pgserver.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>

struct pgbouncer {
    pid_t pid;
    int port;
    char dir[256];
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    {
    }
}

static int free_port(void)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;
    if (fd < 0)
        return -1;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

/* The port of "scheme://user@host:PORT/db...", or -1. */
static int url_port(const char *url)
{
    const char *at = strchr(url, '@');
    const char *colon = at ? strchr(at, ':') : NULL;
    return colon ? atoi(colon + 1) : -1;
}

static int write_file(const char *path, const char *text, uid_t uid, gid_t gid)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = fputs(text, f) >= 0;
    ok = fclose(f) == 0 && ok;
    return ok && (getuid() != 0 || chown(path, uid, gid) == 0) ? 0 : -1;
}

static void log_tail(const char *dir, char *out, size_t n)
{
    char path[300];
    snprintf(path, sizeof path, "%s/pgbouncer.log", dir);
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    long from = size > (long)n - 1 ? size - (long)n + 1 : 0;
    fseek(f, from, SEEK_SET);
    size_t got = fread(out, 1, n - 1, f);
    out[got] = '\0';
    fclose(f);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void pgbouncer_stop(pgbouncer *b)
{
    if (!b)
        return;
    if (b->pid > 0) {
        /* SIGTERM: immediate shutdown (SIGINT would wait for the clients). */
        kill(b->pid, SIGTERM);
        long long deadline = now_ms() + 5000;
        while (waitpid(b->pid, NULL, WNOHANG) == 0 && now_ms() < deadline)
            sleep_ms(5);
        if (kill(b->pid, 0) == 0) {
            kill(b->pid, SIGKILL);
            waitpid(b->pid, NULL, 0);
        }
    }
    if (b->dir[0])
        nftw(b->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(b);
}

int pgbouncer_start(const char *server_url, pgbouncer **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    const char *bin = getenv("PRISMAC_PGBOUNCER");
    if (!bin || !*bin)
        bin = "/usr/sbin/pgbouncer";
    if (access(bin, X_OK) != 0) {
        snprintf(errbuf, errlen, "pgbouncer: %s is not an executable (install Debian's pgbouncer, or set "
                 "PRISMAC_PGBOUNCER): %s", bin, strerror(errno));
        return -1;
    }
    int server_port = url_port(server_url);
    pgbouncer *b = calloc(1, sizeof *b);
    if (!b || server_port <= 0) {
        snprintf(errbuf, errlen, "pgbouncer: %s", b ? "no port in the server's url" : "out of memory");
        free(b);
        return -1;
    }
    /* PgBouncer refuses to run as root: as root, it runs as nobody, which
     * must own its folder. */
    uid_t uid = getuid();
    gid_t gid = getgid();
    if (uid == 0) {
        struct passwd *pw = getpwnam("nobody");
        if (!pw) {
            snprintf(errbuf, errlen, "pgbouncer: running as root and there is no user `nobody` to run it as");
            free(b);
            return -1;
        }
        uid = pw->pw_uid;
        gid = pw->pw_gid;
    }
    snprintf(b->dir, sizeof b->dir, "/tmp/prismac-pgbouncer-XXXXXX");
    if (!mkdtemp(b->dir) || (getuid() == 0 && chown(b->dir, uid, gid) != 0)) {
        snprintf(errbuf, errlen, "pgbouncer: cannot make its folder %s: %s", b->dir, strerror(errno));
        b->dir[0] = '\0';
        pgbouncer_stop(b);
        return -1;
    }
    char ini[2048], path[320], user[64];
    const char *u0 = strstr(server_url, "://");
    const char *u1 = u0 ? strchr(u0, '@') : NULL;
    snprintf(user, sizeof user, "%.*s", u0 && u1 ? (int)(u1 - u0 - 3) : 0, u0 ? u0 + 3 : "");
    b->port = free_port();
    /* Pools large enough for the tests' threads; `*` passes every database
     * name through; no reset query (transaction mode runs none anyway). */
    snprintf(ini, sizeof ini,
             "[databases]\n"
             "* = host=127.0.0.1 port=%d\n"
             "[pgbouncer]\n"
             "listen_addr = 127.0.0.1\n"
             "listen_port = %d\n"
             "unix_socket_dir =\n"
             "auth_type = trust\n"
             "auth_file = %s/userlist.txt\n"
             "pool_mode = transaction\n"
             "max_client_conn = 200\n"
             "default_pool_size = 40\n"
             "max_db_connections = 0\n"
             "server_reset_query =\n"
             "logfile = %s/pgbouncer.log\n"
             "pidfile = %s/pgbouncer.pid\n",
             server_port, b->port, b->dir, b->dir, b->dir);
    char users[160];
    snprintf(users, sizeof users, "\"%s\" \"\"\n", user[0] ? user : PGSERVER_USER);
    snprintf(path, sizeof path, "%s/userlist.txt", b->dir);
    int wrote = write_file(path, users, uid, gid);
    snprintf(path, sizeof path, "%s/pgbouncer.ini", b->dir);
    if (wrote != 0 || write_file(path, ini, uid, gid) != 0) {
        snprintf(errbuf, errlen, "pgbouncer: cannot write its files in %s: %s", b->dir, strerror(errno));
        pgbouncer_stop(b);
        return -1;
    }
    pid_t parent = getpid();
    b->pid = fork();
    if (b->pid < 0) {
        snprintf(errbuf, errlen, "pgbouncer: fork: %s", strerror(errno));
        b->pid = 0;
        pgbouncer_stop(b);
        return -1;
    }
    if (b->pid == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        if (getuid() == 0 && (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0))
            _exit(126);
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
            _exit(126);
        execl(bin, bin, path, (char *)NULL);
        _exit(127);
    }
    /* Ready when it answers on its port (it exits at once on a bad config). */
    char ping[512];
    snprintf(ping, sizeof ping, "postgresql://%s@127.0.0.1:%d/postgres?connect_timeout=2&sslmode=disable",
             user[0] ? user : PGSERVER_USER, b->port);
    long long deadline = now_ms() + 10000;
    for (;;) {
        int status;
        if (waitpid(b->pid, &status, WNOHANG) == b->pid) {
            char tail[600];
            log_tail(b->dir, tail, sizeof tail);
            snprintf(errbuf, errlen, "pgbouncer exited at start (status %d): %s", status, tail);
            b->pid = 0;
            pgbouncer_stop(b);
            return -1;
        }
        if (PQping(ping) == PQPING_OK)
            break;
        if (now_ms() > deadline) {
            char tail[600];
            log_tail(b->dir, tail, sizeof tail);
            snprintf(errbuf, errlen, "pgbouncer did not answer on port %d within 10 s: %s", b->port, tail);
            pgbouncer_stop(b);
            return -1;
        }
        sleep_ms(10);
    }
    *out = b;
    return 0;
}

int pgbouncer_port(const pgbouncer *b)
{
    return b->port;
}

void pgbouncer_url(const pgbouncer *b, const char *server_url, const char *database, const char *params, char *out,
                   size_t n)
{
    char base[512];
    if (database)
        pgserver_database_url(server_url, database, base, sizeof base);
    else
        snprintf(base, sizeof base, "%s", server_url);
    const char *at = strchr(base, '@');
    const char *colon = at ? strchr(at, ':') : NULL;
    const char *rest = colon ? colon + 1 + strspn(colon + 1, "0123456789") : "";
    snprintf(out, n, "%.*s%d%s%s%s", colon ? (int)(colon + 1 - base) : 0, base, b->port, rest,
             params ? (strchr(rest, '?') ? "&" : "?") : "", params ? params : "");
}

static pgbouncer *shared;
static pid_t shared_owner;
static char shared_url[512], shared_err[1024];
static const char *shared_direct;

static void shared_atexit(void)
{
    /* A forked child (check's fork mode) must not stop its parent's
     * PgBouncer: it only frees its copy of the handle. */
    if (shared && getpid() == shared_owner)
        pgbouncer_stop(shared);
    else
        free(shared);
    shared = NULL;
}

const char *pgbouncer_shared_url(const char **direct, int *skipped, char *errbuf, size_t errlen)
{
    *skipped = 0;
    if (!shared && !shared_err[0]) {
        const char *server = pgserver_shared_url(skipped, errbuf, errlen);
        if (!server)
            return NULL;
        shared_direct = server;
        if (pgbouncer_start(server, &shared, shared_err, sizeof shared_err) != 0) {
            snprintf(errbuf, errlen, "%s", shared_err);
            return NULL;
        }
        shared_owner = getpid();
        atexit(shared_atexit);
        pgbouncer_url(shared, server, NULL, NULL, shared_url, sizeof shared_url);
    }
    if (!shared) {
        snprintf(errbuf, errlen, "%s", shared_err);
        return NULL;
    }
    if (direct)
        *direct = shared_direct;
    return shared_url;
}
