/* issue 15, items 1 and 2: Prisma's PostgreSQL connection url, each
 * parameter, and each connection error code, against a real server of this
 * test's own made to fail that way (pg_hba.conf rewritten, roles and
 * passwords, a database without CONNECT, TLS switched on with a certificate
 * made here by `openssl`, a closed port, a listener that never answers).
 * docs/connection-url.md describes what is checked here. */
#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include TEST_CLIENT_H
#include "pgserver.h"

#if defined(__GNUC__)
#define PG_URL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PG_URL_PRINTF(f, a)
#endif

static pgserver *srv;
static char tls_dir[512]; /* certificates made by the test; its TMPDIR too */

#define CODE(c) (prisma_error_code(c) ? prisma_error_code(c) : "-")
#define LAST_CODE() (prisma_last_connect_error_code() ? prisma_last_connect_error_code() : "-")

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* "postgresql://USER@127.0.0.1:PORT/DB?QUERY" */
static const char *url_for(char *buf, size_t cap, const char *userinfo, const char *db, const char *query)
{
    snprintf(buf, cap, "postgresql://%s@127.0.0.1:%d/%s%s%s", userinfo, pgserver_port(srv), db,
             query && *query ? "?" : "", query ? query : "");
    return buf;
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* Runs sql as the superuser, over libpq; returns the first value (static). */
static const char *su(const char *fmt, ...) PG_URL_PRINTF(1, 2);
static const char *su(const char *fmt, ...)
{
    static char value[256];
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    PGconn *c = PQconnectdb(pgserver_url(srv));
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
    PQsetNoticeProcessor(c, quiet, NULL);
    PGresult *r = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql,
                  PQresultErrorMessage(r));
    snprintf(value, sizeof value, "%s", PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    PQfinish(c);
    return value;
}

/* A file of the data folder, owned by the server's user (nobody when root). */
static void write_data_file(const char *name, const char *text, mode_t mode)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/data/%s", pgserver_dir(srv), name);
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "%s", path);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
    struct stat st;
    char data[1024];
    snprintf(data, sizeof data, "%s/data", pgserver_dir(srv));
    ck_assert_int_eq(stat(data, &st), 0);
    ck_assert_int_eq(chown(path, st.st_uid, st.st_gid), 0);
}

static void set_hba(const char *lines)
{
    char text[2048];
    snprintf(text, sizeof text, "local all all trust\nhost all prismac 127.0.0.1/32 trust\n%s", lines);
    write_data_file("pg_hba.conf", text, 0600);
    su("SELECT pg_reload_conf()");
    usleep(200 * 1000); /* the postmaster rereads it on SIGHUP */
}

static int64_t query_int(prisma_client *c, const char *sql)
{
    prisma_raw_rows *rows = NULL;
    ck_assert_msg(prisma_query_raw(c, sql, NULL, 0, &rows) == PRISMA_OK, "%s: %s %s", sql, CODE(c),
                  prisma_error_message(c));
    int64_t v = rows->values[0].type == PRISMA_RAW_BOOL || rows->values[0].type == PRISMA_RAW_INT
                    ? rows->values[0].i
                    : atoll(rows->values[0].s);
    prisma_free(rows);
    return v;
}

static void query_text(prisma_client *c, const char *sql, char *out, size_t cap)
{
    prisma_raw_rows *rows = NULL;
    ck_assert_msg(prisma_query_raw(c, sql, NULL, 0, &rows) == PRISMA_OK, "%s: %s %s", sql, CODE(c),
                  prisma_error_message(c));
    snprintf(out, cap, "%.*s", (int)rows->values[0].len, rows->values[0].s ? rows->values[0].s : "");
    prisma_free(rows);
}

/* prisma_connect must fail with `code`; returns the client's message. */
static const char *connect_fails(const char *url, const prisma_options *o, const char *code)
{
    prisma_client *c = NULL;
    int rc = o ? prisma_connect_with(&c, url, o) : prisma_connect(&c, url);
    ck_assert_msg(rc == PRISMA_ERROR, "%s connected", url);
    ck_assert_ptr_null(c);
    ck_assert_msg(strcmp(LAST_CODE(), code) == 0, "%s: %s, not %s: %s [%s]", url, LAST_CODE(), code,
                  prisma_last_connect_error(), prisma_last_connect_error_db_message());
    return prisma_last_connect_error();
}

static prisma_client *connect_ok(const char *url, const prisma_options *o)
{
    prisma_client *c = NULL;
    int rc = o ? prisma_connect_with(&c, url, o) : prisma_connect(&c, url);
    ck_assert_msg(rc == PRISMA_OK, "%s: %s %s [%s]", url, LAST_CODE(), prisma_last_connect_error(),
                  prisma_last_connect_error_db_message());
    return c;
}

/* A free loopback port nothing listens on. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

/* ---- the parameters ---- */

START_TEST(parameters_reach_the_session)
{
    su("DROP SCHEMA IF EXISTS app CASCADE; CREATE SCHEMA app");
    char url[512], v[256];
    prisma_client *c = connect_ok(url_for(url, sizeof url, "prismac", "postgres",
                                          "schema=app&application_name=prismac-url&connect_timeout=3"
                                          "&options=-c%20statement_timeout%3D1234&sslmode=disable"
                                          "&target_session_attrs=read-write&keepalives=1&statement_cache_size=7"
                                          "&socket_timeout=9&pool_timeout=3&connection_limit=2"),
                                  NULL);
    query_text(c, "SHOW search_path", v, sizeof v);
    ck_assert_str_eq(v, "app");
    query_text(c, "SHOW application_name", v, sizeof v);
    ck_assert_str_eq(v, "prismac-url");
    query_text(c, "SHOW statement_timeout", v, sizeof v);
    ck_assert_str_eq(v, "1234ms");
    ck_assert_int_eq(query_int(c, "SELECT count(*) FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl"), 0);
    prisma_disconnect(c);

    /* Without ?schema=: Prisma's default, public (not "$user", public). */
    su("DROP ROLE IF EXISTS carol; CREATE ROLE carol LOGIN; DROP SCHEMA IF EXISTS carol; "
       "CREATE SCHEMA carol AUTHORIZATION carol");
    c = connect_ok(url_for(url, sizeof url, "carol", "postgres", NULL), NULL);
    query_text(c, "SELECT current_schema()", v, sizeof v);
    ck_assert_str_eq(v, "public");
    prisma_disconnect(c);
    su("DROP SCHEMA carol; DROP ROLE carol");
}
END_TEST

START_TEST(bad_and_unknown_parameters_are_p1013)
{
    char url[512];
    const char *m = connect_fails(url_for(url, sizeof url, "prismac", "postgres", "conection_limit=2"), NULL, "P1013");
    ck_assert_msg(strstr(m, "The provided database string is invalid. Unknown parameter `conection_limit`"), "%s", m);
    static const char *const bad[][2] = {
        { "connection_limit=abc", "connection_limit" }, { "pool_timeout=-1", "pool_timeout" },
        { "sslmode=bogus", "sslmode" },                 { "sslaccept=x", "sslaccept" },
        { "pgbouncer=yes", "pgbouncer" },               { "statement_cache_size=many", "statement_cache_size" },
        { "connect_timeout=soon", "connect_timeout" },  { "socket_timeout=1.5", "socket_timeout" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        m = connect_fails(url_for(url, sizeof url, "prismac", "postgres", bad[i][0]), NULL, "P1013");
        ck_assert_msg(strncmp(m, "The provided database string is invalid. ", 41) == 0 && strstr(m, bad[i][1]),
                      "%s: %s", bad[i][0], m);
    }
    /* libpq's own parameters pass, and libpq judges their values. */
    m = connect_fails(url_for(url, sizeof url, "prismac", "postgres", "target_session_attrs=sometimes"), NULL,
                      "P1001");
    ck_assert_msg(strstr(prisma_last_connect_error_db_message(), "target_session_attrs"), "%s",
                  prisma_last_connect_error_db_message());
}
END_TEST

/* A sampler of the sessions named `app`, counting the most seen at once. */
typedef struct sampler {
    const char *app;
    atomic_bool stop;
    int max;
    pthread_t thread;
} sampler;

static void *sample(void *arg)
{
    sampler *s = arg;
    PGconn *c = PQconnectdb(pgserver_url(srv));
    const char *params[] = { s->app };
    while (!atomic_load(&s->stop)) {
        PGresult *r = PQexecParams(c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", 1, NULL,
                                   params, NULL, NULL, 0);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && atoi(PQgetvalue(r, 0, 0)) > s->max)
            s->max = atoi(PQgetvalue(r, 0, 0));
        PQclear(r);
        usleep(2000);
    }
    PQfinish(c);
    return NULL;
}

static int hold_and_sleep(prisma_client *tx, void *arg)
{
    (void)arg;
    int64_t n = 0;
    return prisma_execute_raw(tx, "SELECT pg_sleep(2)", NULL, 0, &n);
}

/* connection_limit=1: one session, whatever runs (calls, a transaction, a
 * batch, a transaction's timeout and its cancel request); a call waiting
 * past pool_timeout gets P2024 in Prisma's words. */
START_TEST(connection_limit_one_is_one_session_and_pool_timeout_is_p2024)
{
    char url[512];
    sampler s = { .app = "limit-one" };
    atomic_init(&s.stop, false);
    ck_assert_int_eq(pthread_create(&s.thread, NULL, sample, &s), 0);
    prisma_client *c = connect_ok(
        url_for(url, sizeof url, "prismac", "postgres", "connection_limit=1&pool_timeout=1&application_name=limit-one"),
        NULL);
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(query_int(c, "SELECT 1"), 1);
    prisma_client *tx = NULL;
    ck_assert_int_eq(prisma_tx_begin(c, &(prisma_tx_options){ .max_wait_ms = 1000 }, &tx), PRISMA_OK);
    ck_assert_int_eq(query_int(tx, "SELECT 2"), 2);
    /* The one connection is the transaction's: a call waits pool_timeout. */
    double t0 = now_s();
    prisma_raw_rows *rows = NULL;
    ck_assert_int_eq(prisma_query_raw(c, "SELECT 3", NULL, 0, &rows), PRISMA_ERROR);
    double waited = now_s() - t0;
    ck_assert_str_eq(CODE(c), "P2024");
    ck_assert_str_eq(prisma_error_message(c), "Timed out fetching a new connection from the connection pool. More "
                                              "info: http://pris.ly/d/connection-pool (Current connection pool "
                                              "timeout: 1, connection limit: 1)");
    ck_assert_msg(waited > 0.9 && waited < 3, "waited %.2f s", waited);
    ck_assert_int_eq(prisma_tx_commit(tx), PRISMA_OK);
    prisma_tx_free(tx);
    /* A batch, then a transaction cancelled by its timeout. */
    prisma_batch *b = NULL;
    ck_assert_int_eq(prisma_batch_new(c, &b), PRISMA_OK);
    int64_t n1 = 0, n2 = 0;
    ck_assert_int_eq(prisma_batch_execute_raw(b, "SELECT 1", NULL, 0, &n1), PRISMA_OK);
    ck_assert_int_eq(prisma_batch_execute_raw(b, "SELECT 2", NULL, 0, &n2), PRISMA_OK);
    ck_assert_int_eq(prisma_batch_run(b, NULL, NULL), PRISMA_OK);
    prisma_batch_free(b);
    ck_assert_int_eq(prisma_transaction(c, hold_and_sleep, NULL, &(prisma_tx_options){ .timeout_ms = 300 }),
                     PRISMA_ERROR);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(query_int(c, "SELECT 4"), 4);
    usleep(50 * 1000);
    atomic_store(&s.stop, true);
    pthread_join(s.thread, NULL);
    ck_assert_msg(s.max == 1, "%d sessions at once with connection_limit=1", s.max);
    prisma_disconnect(c);

    /* pool_size (prisma_options) wins over connection_limit: two at once. */
    c = connect_ok(url_for(url, sizeof url, "prismac", "postgres", "connection_limit=1&pool_timeout=1"),
                   &(prisma_options){ .pool_size = 2 });
    prisma_client *t1 = NULL, *t2 = NULL;
    ck_assert_int_eq(prisma_tx_begin(c, NULL, &t1), PRISMA_OK);
    ck_assert_int_eq(query_int(t1, "SELECT 1"), 1);
    ck_assert_int_eq(prisma_tx_begin(c, NULL, &t2), PRISMA_OK);
    ck_assert_int_eq(query_int(t2, "SELECT 1"), 1);
    prisma_tx_free(t1);
    prisma_tx_free(t2);
    prisma_disconnect(c);
}
END_TEST

/* ---- connection errors ---- */

START_TEST(wrong_password_is_p1000_at_connect_and_at_a_later_connect)
{
    su("DROP ROLE IF EXISTS alice; CREATE ROLE alice LOGIN PASSWORD 'right'");
    set_hba("host all all 127.0.0.1/32 scram-sha-256\n");
    char url[512];
    const char *m = connect_fails(url_for(url, sizeof url, "alice:wrong", "postgres", NULL), NULL, "P1000");
    ck_assert_str_eq(m, "Authentication failed against database server at `127.0.0.1`, the provided database "
                        "credentials for `alice` are not valid.\n\nPlease make sure to provide valid database "
                        "credentials for the database server at `127.0.0.1`.");
    ck_assert_msg(strstr(prisma_last_connect_error_db_message(), "password authentication failed for user \"alice\""),
                  "%s", prisma_last_connect_error_db_message());
    /* No password at all. */
    connect_fails(url_for(url, sizeof url, "alice", "postgres", NULL), NULL, "P1000");

    /* The pool's later connects map the same way. */
    prisma_client *c = connect_ok(url_for(url, sizeof url, "alice:right", "postgres", "connection_limit=2"), NULL);
    prisma_client *tx = NULL;
    ck_assert_int_eq(prisma_tx_begin(c, NULL, &tx), PRISMA_OK);
    ck_assert_int_eq(query_int(tx, "SELECT 1"), 1);
    su("ALTER ROLE alice PASSWORD 'changed'");
    prisma_raw_rows *rows = NULL;
    ck_assert_int_eq(prisma_query_raw(c, "SELECT 1", NULL, 0, &rows), PRISMA_ERROR);
    ck_assert_str_eq(CODE(c), "P1000");
    ck_assert_str_eq(prisma_error_db_code(c), "28P01");
    ck_assert_msg(strstr(prisma_error_db_message(c), "password authentication failed"), "%s",
                  prisma_error_db_message(c));
    prisma_tx_free(tx);
    prisma_disconnect(c);
    set_hba("host all all 127.0.0.1/32 trust\n");
}
END_TEST

START_TEST(missing_database_is_p1003_and_access_denied_is_p1010)
{
    char url[512], want[512];
    const char *m = connect_fails(url_for(url, sizeof url, "prismac", "nope", NULL), NULL, "P1003");
    snprintf(want, sizeof want, "Database `nope` does not exist on the database server at `127.0.0.1:%d`.",
             pgserver_port(srv));
    ck_assert_str_eq(m, want);
    ck_assert_msg(strstr(prisma_last_connect_error_db_message(), "database \"nope\" does not exist"), "%s",
                  prisma_last_connect_error_db_message());

    su("DROP DATABASE IF EXISTS locked");
    su("CREATE DATABASE locked");
    su("REVOKE CONNECT ON DATABASE locked FROM PUBLIC");
    su("DROP ROLE IF EXISTS dave; CREATE ROLE dave LOGIN");
    m = connect_fails(url_for(url, sizeof url, "dave", "locked", "schema=app"), NULL, "P1010");
    ck_assert_str_eq(m, "User `dave` was denied access on the database `locked.app`");
    ck_assert_msg(strstr(prisma_last_connect_error_db_message(), "permission denied for database"), "%s",
                  prisma_last_connect_error_db_message());
    /* pg_hba.conf's reject, and a role that does not exist (28000, as Prisma). */
    set_hba("host all dave 127.0.0.1/32 reject\nhost all all 127.0.0.1/32 trust\n");
    m = connect_fails(url_for(url, sizeof url, "dave", "postgres", NULL), NULL, "P1010");
    ck_assert_str_eq(m, "User `dave` was denied access on the database `postgres.public`");
    connect_fails(url_for(url, sizeof url, "nobody_here", "postgres", NULL), NULL, "P1010");
    set_hba("host all all 127.0.0.1/32 trust\n");
    su("DROP DATABASE locked");
    su("DROP ROLE dave");
}
END_TEST

START_TEST(closed_port_is_p1001_and_multi_host_finds_the_server)
{
    int a = closed_port(), b = closed_port();
    char url[512], want[512];
    snprintf(url, sizeof url, "postgresql://prismac@127.0.0.1:%d/postgres", a);
    const char *m = connect_fails(url, NULL, "P1001");
    snprintf(want, sizeof want,
             "Can't reach database server at `127.0.0.1`:`%d`\n\nPlease make sure your database server is running at "
             "`127.0.0.1`:`%d`.",
             a, a);
    ck_assert_str_eq(m, want);
    ck_assert_msg(strstr(prisma_last_connect_error_db_message(), "Connection refused"), "%s",
                  prisma_last_connect_error_db_message());

    /* Every host down: libpq's lists in the message, a line per host in db_message. */
    snprintf(url, sizeof url, "postgresql://prismac@127.0.0.1:%d,localhost:%d/postgres?target_session_attrs=read-write",
             a, b);
    m = connect_fails(url, NULL, "P1001");
    snprintf(want, sizeof want, "Can't reach database server at `127.0.0.1,localhost`:`%d,%d`", a, b);
    ck_assert_msg(strncmp(m, want, strlen(want)) == 0, "%s", m);

    /* One host down, the next one the server: libpq goes on to it. */
    snprintf(url, sizeof url,
             "postgresql://prismac@127.0.0.1:%d,127.0.0.1:%d/postgres?target_session_attrs=read-write"
             "&connection_limit=2",
             a, pgserver_port(srv));
    prisma_client *c = connect_ok(url, NULL);
    ck_assert_int_eq(query_int(c, "SELECT 7"), 7);
    prisma_disconnect(c);
}
END_TEST

/* A loopback listener that accepts (the kernel does) and never answers. */
START_TEST(a_server_that_never_answers_is_p1002_and_the_option_wins)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(fd, 16), 0);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    int port = ntohs(a.sin_port);
    char url[512], want[512];
    snprintf(url, sizeof url, "postgresql://prismac@127.0.0.1:%d/postgres?connect_timeout=1", port);
    double t0 = now_s();
    const char *m = connect_fails(url, NULL, "P1002");
    double took = now_s() - t0;
    snprintf(want, sizeof want,
             "The database server at `127.0.0.1`:`%d` was reached but timed out.\n\nPlease try again.\n\nPlease make "
             "sure your database server is running at `127.0.0.1`:`%d`.\n\nContext: no connection within "
             "connect_timeout (1 s)",
             port, port);
    ck_assert_str_eq(m, want);
    ck_assert_msg(strstr(prisma_last_connect_error_db_message(), "timeout expired"), "%s",
                  prisma_last_connect_error_db_message());
    ck_assert_msg(took < 4, "took %.1f s", took); /* libpq waits at least 2 s */

    /* prisma_options.connect_timeout_ms wins over the url's 30 s. */
    snprintf(url, sizeof url, "postgresql://prismac@127.0.0.1:%d/postgres?connect_timeout=30", port);
    t0 = now_s();
    m = connect_fails(url, &(prisma_options){ .connect_timeout_ms = 1000 }, "P1002");
    took = now_s() - t0;
    ck_assert_msg(strstr(m, "connect_timeout (1 s)") && took < 4, "%.1f s: %s", took, m);
    close(fd);
}
END_TEST

/* A statement on a pooled connection the server ended: P1017. */
START_TEST(a_terminated_pooled_connection_is_p1017)
{
    char url[512];
    prisma_client *c = connect_ok(url_for(url, sizeof url, "prismac", "postgres", "application_name=doomed"), NULL);
    prisma_client *tx = NULL;
    ck_assert_int_eq(prisma_tx_begin(c, NULL, &tx), PRISMA_OK);
    ck_assert_int_eq(query_int(tx, "SELECT 1"), 1);
    ck_assert_str_eq(su("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = "
                        "'doomed'"),
                     "1");
    prisma_raw_rows *rows = NULL;
    ck_assert_int_eq(prisma_query_raw(tx, "SELECT 2", NULL, 0, &rows), PRISMA_ERROR);
    ck_assert_str_eq(CODE(tx), "P1017");
    ck_assert_str_eq(prisma_error_message(tx), "Server has closed the connection.");
    ck_assert_msg(prisma_error_db_message(tx)[0], "libpq's words are kept");
    prisma_tx_free(tx);
    ck_assert_int_eq(query_int(c, "SELECT 3"), 3); /* a fresh connection takes its place */
    prisma_disconnect(c);
}
END_TEST

/* ---- TLS ---- */

static void sh(const char *fmt, ...) PG_URL_PRINTF(1, 2);
static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    ck_assert_msg(system(cmd) == 0, "%s", cmd);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "%s", path);
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int tls_leftovers(void)
{
    int n = 0;
    DIR *d = opendir(tls_dir);
    for (struct dirent *e; d && (e = readdir(d));)
        n += strncmp(e->d_name, "prismac-tls-", 12) == 0;
    if (d)
        closedir(d);
    return n;
}

static bool session_uses_tls(prisma_client *c)
{
    return query_int(c, "SELECT count(*) FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl") == 1;
}

START_TEST(tls_modes_certificates_and_identities)
{
    char url[1024], q[768];
    /* The server has no TLS yet. */
    const char *m = connect_fails(url_for(url, sizeof url, "prismac", "postgres", "sslmode=require"), NULL, "P1011");
    ck_assert_str_eq(m, "Error opening a TLS connection: server does not support SSL, but SSL was required");

    /* A self-signed server certificate (127.0.0.1 and localhost), and a
     * client identity (CN=erin) the server trusts as its own CA. */
    sh("cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.crt -days 2 "
       "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost >/dev/null 2>&1",
       tls_dir);
    sh("cd %s && openssl req -x509 -newkey rsa:2048 -nodes -keyout erin.key -out erin.crt -days 2 -subj /CN=erin "
       ">/dev/null 2>&1 && openssl pkcs12 -export -inkey erin.key -in erin.crt -out erin.p12 -passout pass:s3cret",
       tls_dir);
    char path[1024];
    snprintf(path, sizeof path, "%s/server.crt", tls_dir);
    write_data_file("server.crt", slurp(path), 0644);
    snprintf(path, sizeof path, "%s/server.key", tls_dir);
    write_data_file("server.key", slurp(path), 0600);
    snprintf(path, sizeof path, "%s/erin.crt", tls_dir);
    write_data_file("clients.crt", slurp(path), 0644);
    su("ALTER SYSTEM SET ssl = on");
    su("ALTER SYSTEM SET ssl_cert_file = 'server.crt'");
    su("ALTER SYSTEM SET ssl_key_file = 'server.key'");
    su("ALTER SYSTEM SET ssl_ca_file = 'clients.crt'");
    su("DROP ROLE IF EXISTS erin; CREATE ROLE erin LOGIN");
    set_hba("hostssl all erin 127.0.0.1/32 cert\nhost all all 127.0.0.1/32 trust\n");

    /* prefer (the default) and require use TLS and check nothing. */
    prisma_client *c = connect_ok(url_for(url, sizeof url, "prismac", "postgres", NULL), NULL);
    ck_assert(session_uses_tls(c));
    prisma_disconnect(c);
    c = connect_ok(url_for(url, sizeof url, "prismac", "postgres", "sslmode=require"), NULL);
    ck_assert(session_uses_tls(c));
    prisma_disconnect(c);
    c = connect_ok(url_for(url, sizeof url, "prismac", "postgres", "sslmode=disable"), NULL);
    ck_assert(!session_uses_tls(c));
    prisma_disconnect(c);

    /* strict: the system's roots do not know this certificate... */
    m = connect_fails(url_for(url, sizeof url, "prismac", "postgres", "sslaccept=strict"), NULL, "P1011");
    ck_assert_msg(strstr(m, "Error opening a TLS connection: ") && strstr(m, "certificate verify failed"), "%s", m);
    /* ...sslcert (the server's certificate) does. */
    snprintf(q, sizeof q, "sslaccept=strict&sslcert=%s/server.crt", tls_dir);
    c = connect_ok(url_for(url, sizeof url, "prismac", "postgres", q), NULL);
    ck_assert(session_uses_tls(c));
    prisma_disconnect(c);
    /* libpq's verify-full with Prisma's sslcert as its root. */
    snprintf(q, sizeof q, "sslmode=verify-full&sslcert=%s/server.crt", tls_dir);
    c = connect_ok(url_for(url, sizeof url, "prismac", "postgres", q), NULL);
    ck_assert(session_uses_tls(c));
    prisma_disconnect(c);
    /* strict checks the host name: localhost is in the certificate, a name
     * that is not (the server's address written another way) fails. */
    snprintf(q, sizeof q, "sslaccept=strict&sslcert=%s/server.crt&host=127.0.0.1&hostaddr=127.0.0.1", tls_dir);
    c = connect_ok(url_for(url, sizeof url, "prismac", "postgres", q), NULL);
    prisma_disconnect(c);
    snprintf(url, sizeof url, "postgresql://prismac@127.0.0.1:%d/postgres?sslaccept=strict&sslcert=%s/server.crt"
             "&host=not-in-the-cert.example&hostaddr=127.0.0.1", pgserver_port(srv), tls_dir);
    m = connect_fails(url, NULL, "P1011");
    ck_assert_msg(strstr(m, "does not match host name"), "%s", m);
    snprintf(q, sizeof q, "sslcert=%s/absent.crt", tls_dir);
    m = connect_fails(url_for(url, sizeof url, "prismac", "postgres", q), NULL, "P1011");
    ck_assert_msg(strstr(m, "Error opening a TLS connection: cert file not found"), "%s", m);

    /* sslidentity + sslpassword: a PKCS#12 client identity; its PEM copies
     * are gone once connected. */
    snprintf(q, sizeof q, "sslidentity=%s/erin.p12&sslpassword=s3cret", tls_dir);
    c = connect_ok(url_for(url, sizeof url, "erin", "postgres", q), NULL);
    ck_assert(session_uses_tls(c));
    char who[64];
    query_text(c, "SELECT current_user", who, sizeof who);
    ck_assert_str_eq(who, "erin");
    ck_assert_int_eq(tls_leftovers(), 0);
    prisma_disconnect(c);
    snprintf(q, sizeof q, "sslidentity=%s/erin.p12&sslpassword=wrong", tls_dir);
    m = connect_fails(url_for(url, sizeof url, "erin", "postgres", q), NULL, "P1011");
    ck_assert_msg(strstr(m, "could not be read with the given sslpassword"), "%s", m);
    ck_assert_int_eq(tls_leftovers(), 0);
    /* Without the identity the server's `cert` rule refuses erin. */
    connect_fails(url_for(url, sizeof url, "erin", "postgres", "sslmode=require"), NULL, "P1011");

    su("ALTER SYSTEM RESET ALL");
    set_hba("host all all 127.0.0.1/32 trust\n");
    su("DROP ROLE erin");
}
END_TEST

int main(void)
{
    const char *skip = getenv("PRISMAC_SKIP_POSTGRES");
    if (skip && strcmp(skip, "1") == 0) {
        printf("test_pg_url: PRISMAC_SKIP_POSTGRES=1: not run\n");
        return 77;
    }
    char why[2048];
    if (pgserver_start(&srv, why, sizeof why) != 0) {
        fprintf(stderr, "test_pg_url: %s\n", why);
        return 1;
    }
    snprintf(tls_dir, sizeof tls_dir, "%s/tls", pgserver_dir(srv));
    mkdir(tls_dir, 0700);
    setenv("TMPDIR", tls_dir, 1); /* where the identity's PEM copies go */
    Suite *s = suite_create("pg_url");
    TCase *tc = tcase_create("pg_url");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, parameters_reach_the_session);
    tcase_add_test(tc, bad_and_unknown_parameters_are_p1013);
    tcase_add_test(tc, connection_limit_one_is_one_session_and_pool_timeout_is_p2024);
    tcase_add_test(tc, wrong_password_is_p1000_at_connect_and_at_a_later_connect);
    tcase_add_test(tc, missing_database_is_p1003_and_access_denied_is_p1010);
    tcase_add_test(tc, closed_port_is_p1001_and_multi_host_finds_the_server);
    tcase_add_test(tc, a_server_that_never_answers_is_p1002_and_the_option_wins);
    tcase_add_test(tc, a_terminated_pooled_connection_is_p1017);
    tcase_add_test(tc, tls_modes_certificates_and_identities);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    pgserver_stop(srv);
    return failed ? 1 : 0;
}
