/* Streaming (issue 13): user_find_each over 1,000,000 rows must hold the
 * client's peak memory under 50 MB, on SQLite and PostgreSQL.
 *
 * The rows are loaded by the database itself (one INSERT ... SELECT over a
 * recursive CTE, not through the client). The streaming then runs in a
 * FRESH process (this program started again with --stream URL), so its peak
 * RSS (getrusage's ru_maxrss) is that of a program that connects and streams
 * and of nothing else: the loading, and PostgreSQL's server when the test
 * support starts one, stay in the parent. It prints
 *   BENCH backend=.. phase=STREAM rows=1000000 prismac_ops_s=.. raw_ops_s=.. ratio=..
 *         rss_connected_mb=.. peak_rss_mb=..
 * (ops = rows streamed per second; raw: the same SELECT read row by row by
 * hand-written sqlite3 / libpq single-row code, after the client's run, in
 * the same process) and fails when the peak reaches 50 MB or a row is
 * missing. PRISMAC_BENCH_ROWS changes the row count. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "client.h"
#include "testdb.h"

#if defined(BENCH_PG)
#include <libpq-fe.h>
#define BACKEND "postgresql"
#else
#include <sqlite3.h>
#define BACKEND "sqlite"
#endif

extern char **environ;

static long rows_wanted = 1000000;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "bench_stream: %s: %s\n", what, detail ? detail : "");
    exit(1);
}

static double max_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* kB on Linux */
}

typedef struct tally {
    long rows;
    long long sum;
} tally;

static int each_user(const User *u, void *arg)
{
    tally *t = arg;
    t->rows++;
    t->sum += u->balance + (long long)strlen(u->email);
    return PRISMA_OK;
}

static const char select_sql[] = "SELECT \"id\", \"email\", \"name\", \"balance\" FROM \"User\" ORDER BY \"id\"";

/* The hand-written side: the same rows, read one at a time. */
static double raw_stream(const char *url, tally *t)
{
    double t0 = now_s();
#if defined(BENCH_PG)
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK)
        die("raw connect", PQerrorMessage(c));
    t0 = now_s();
    if (!PQsendQueryParams(c, select_sql, 0, NULL, NULL, NULL, NULL, 0) || !PQsetSingleRowMode(c))
        die("raw query", PQerrorMessage(c));
    PGresult *res;
    while ((res = PQgetResult(c))) {
        if (PQresultStatus(res) == PGRES_SINGLE_TUPLE) {
            t->rows++;
            t->sum += strtoll(PQgetvalue(res, 0, 3), NULL, 10) + (long long)PQgetlength(res, 0, 1);
        }
        PQclear(res);
    }
    double dt = now_s() - t0;
    PQfinish(c);
#else
    sqlite3 *c;
    if (sqlite3_open(url + 5, &c) != SQLITE_OK)
        die("raw open", sqlite3_errmsg(c));
    t0 = now_s();
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(c, select_sql, -1, &s, NULL) != SQLITE_OK)
        die("raw prepare", sqlite3_errmsg(c));
    while (sqlite3_step(s) == SQLITE_ROW) {
        t->rows++;
        t->sum += sqlite3_column_int(s, 3) + (long long)sqlite3_column_bytes(s, 1);
        (void)sqlite3_column_text(s, 2);
    }
    sqlite3_finalize(s);
    double dt = now_s() - t0;
    sqlite3_close(c);
#endif
    return dt;
}

/* The child: connect, stream, report. */
static int stream(const char *url)
{
    prisma_client *db;
    if (prisma_connect(&db, url) != PRISMA_OK)
        die("connect", prisma_last_connect_error());
    int64_t n = 0;
    if (user_count(db, NULL, &n) != PRISMA_OK) /* the connection and the library warm */
        die("count", prisma_error_message(db));
    if (n != rows_wanted)
        die("count", "the table does not hold the rows loaded");
    double before = max_rss_mb();
    tally t = { 0, 0 };
    double t0 = now_s();
    int rc = user_find_each(db, &(UserFindManyArgs){ .order_by = &(UserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 },
                            each_user, &t);
    double dt = now_s() - t0;
    if (rc != PRISMA_OK)
        die("find_each", prisma_error_message(db));
    double peak = max_rss_mb();
    prisma_disconnect(db);
    tally r = { 0, 0 };
    double rdt = raw_stream(url, &r);
    if (t.rows != rows_wanted || r.rows != rows_wanted || t.sum != r.sum)
        die("rows", "the client and the hand-written code did not read the same rows");
    double p = (double)t.rows / dt, w = (double)r.rows / rdt;
    printf("BENCH backend=%s phase=STREAM rows=%ld prismac_ops_s=%.0f raw_ops_s=%.0f ratio=%.2f rss_connected_mb=%.1f "
           "peak_rss_mb=%.1f\n",
           BACKEND, t.rows, p, w, p / w, before, peak);
    fflush(stdout);
    if (peak >= 50.0) {
        fprintf(stderr, "bench_stream: peak RSS %.1f MB: not under 50 MB\n", peak);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *rows_env = getenv("PRISMAC_BENCH_ROWS");
    if (rows_env && (rows_wanted = atol(rows_env)) < 1)
        die("PRISMAC_BENCH_ROWS", "must be at least 1");
    if (argc == 3 && strcmp(argv[1], "--stream") == 0)
        return stream(argv[2]);
    if (argc != 3) {
        fprintf(stderr, "usage: %s PRISMAC SCHEMA\n", argv[0]);
        return 2;
    }
    bool skipped;
    char err[4096];
    const char *url = testdb_setup(BACKEND, argv[1], argv[2], &skipped, err, sizeof err);
    if (!url) {
        if (skipped) {
            printf("PostgreSQL benchmark skipped: PRISMAC_SKIP_POSTGRES=1\n");
            return 0;
        }
        die("setup", err);
    }
    char u[1024];
    snprintf(u, sizeof u, "%s", url);
    prisma_client *db;
    if (prisma_connect(&db, u) != PRISMA_OK)
        die("connect", prisma_last_connect_error());
    /* The rows, made by the database: ids 1..N, distinct emails. */
    char sql[512];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %ld) "
             "INSERT INTO \"User\" (\"id\", \"email\", \"name\", \"balance\") "
             "SELECT x, 'user' || CAST(x AS TEXT) || '@example.com', 'name ' || CAST(x AS TEXT), x %% 1000 FROM c",
             rows_wanted);
    double t0 = now_s();
    int64_t affected = 0;
    if (prisma_execute_raw(db, sql, NULL, 0, &affected) != PRISMA_OK)
        die("load", prisma_error_message(db));
    if (affected != rows_wanted)
        die("load", "not every row was inserted");
    printf("bench_stream: %ld rows loaded on %s in %.1f s\n", rows_wanted, BACKEND, now_s() - t0);
    fflush(stdout);
    prisma_disconnect(db);

    char flag[] = "--stream";
    char *args[] = { argv[0], flag, u, NULL };
    pid_t pid;
    if (posix_spawn(&pid, argv[0], NULL, NULL, args, environ) != 0)
        die("spawn", argv[0]);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid)
        die("wait", argv[0]);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
