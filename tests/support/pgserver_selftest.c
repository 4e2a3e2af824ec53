/*
 * Proves pgserver works: start a server, run SELECT 1 over libpq, stop it,
 * check its folder is gone; then exercise pgserver_shared_url; then a
 * primary and its standby: replication, promotion, and the old primary
 * rebuilt as the new one's standby.
 * Exits 0 on success, 1 with the reason on failure.
 */
#define _POSIX_C_SOURCE 200809L

#include "pgserver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <libpq-fe.h>

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs SELECT 1 on url; returns 0 and prints the value, or 1 with the reason. */
static int select_one(const char *url)
{
    PGconn *conn = PQconnectdb(url);
    PGresult *res = NULL;
    int rc = 1;

    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(stderr, "pgserver_selftest: connect to %s failed: %s", url, PQerrorMessage(conn));
        goto cleanup;
    }
    res = PQexec(conn, "SELECT 1");
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
        strcmp(PQgetvalue(res, 0, 0), "1") != 0) {
        fprintf(stderr, "pgserver_selftest: SELECT 1 failed: %s", PQerrorMessage(conn));
        goto cleanup;
    }
    printf("SELECT 1 -> %s\n", PQgetvalue(res, 0, 0));
    rc = 0;

cleanup:
    PQclear(res);
    PQfinish(conn);
    return rc;
}

/* Runs sql on url; 0 when its status is `want` (and, for rows, the first
 * value is `value` when given), else 1 with the reason. */
static int run_sql(const char *url, const char *sql, ExecStatusType want, const char *value)
{
    PGconn *conn = PQconnectdb(url);
    PGresult *res = PQexec(conn, sql);
    int rc = 1;

    if (PQresultStatus(res) != want)
        fprintf(stderr, "pgserver_selftest: %s on %s: %s%s\n", sql, url, PQresStatus(PQresultStatus(res)),
                PQerrorMessage(conn));
    else if (value && (PQntuples(res) < 1 || strcmp(PQgetvalue(res, 0, 0), value) != 0))
        fprintf(stderr, "pgserver_selftest: %s on %s gave %s, not %s\n", sql, url,
                PQntuples(res) ? PQgetvalue(res, 0, 0) : "no row", value);
    else
        rc = 0;
    PQclear(res);
    PQfinish(conn);
    return rc;
}

/* Waits up to 10 s for sql's first value on url to be `value`. */
static int wait_value(const char *url, const char *sql, const char *value)
{
    double end = now_s() + 10;

    while (now_s() < end) {
        PGconn *conn = PQconnectdb(url);
        PGresult *res = PQexec(conn, sql);
        int ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
                 strcmp(PQgetvalue(res, 0, 0), value) == 0;
        PQclear(res);
        PQfinish(conn);
        if (ok)
            return 0;
        nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
    }
    fprintf(stderr, "pgserver_selftest: %s on %s never gave %s\n", sql, url, value);
    return 1;
}

/* A primary, a standby that follows it, a promotion, and the old primary
 * back as a standby of the new one. */
static int standby_selftest(void)
{
    pgserver *a = NULL, *b = NULL;
    char err[2048];
    int rc = 1;

    if (pgserver_start(&a, err, sizeof err) != 0 ||
        run_sql(pgserver_url(a), "CREATE TABLE t (v int); INSERT INTO t VALUES (1)", PGRES_COMMAND_OK, NULL) ||
        pgserver_start_standby(&b, a, err, sizeof err) != 0) {
        fprintf(stderr, "pgserver_selftest: standby: %s\n", err);
        goto cleanup;
    }
    if (run_sql(pgserver_url(a), "INSERT INTO t VALUES (2)", PGRES_COMMAND_OK, NULL) ||
        wait_value(pgserver_url(b), "SELECT sum(v) FROM t", "3") ||
        run_sql(pgserver_url(b), "SELECT pg_is_in_recovery()", PGRES_TUPLES_OK, "t") ||
        run_sql(pgserver_url(b), "INSERT INTO t VALUES (4)", PGRES_FATAL_ERROR, NULL))
        goto cleanup;
    pgserver_shutdown(a);
    if (pgserver_promote(b, err, sizeof err) != 0) {
        fprintf(stderr, "pgserver_selftest: %s\n", err);
        goto cleanup;
    }
    if (run_sql(pgserver_url(b), "INSERT INTO t VALUES (4)", PGRES_COMMAND_OK, NULL) ||
        pgserver_rebuild_standby(a, b, err, sizeof err) != 0) {
        fprintf(stderr, "pgserver_selftest: rebuild: %s\n", err);
        goto cleanup;
    }
    if (run_sql(pgserver_url(b), "INSERT INTO t VALUES (8)", PGRES_COMMAND_OK, NULL) ||
        wait_value(pgserver_url(a), "SELECT sum(v) FROM t", "15") ||
        run_sql(pgserver_url(a), "SELECT pg_is_in_recovery()", PGRES_TUPLES_OK, "t"))
        goto cleanup;
    printf("standby: replicated, promoted, rebuilt\n");
    rc = 0;
cleanup:
    pgserver_stop(b);
    pgserver_stop(a);
    return rc;
}

int main(void)
{
    pgserver *s = NULL;
    char err[2048], *dir = NULL;
    const char *url, *url2;
    struct stat st;
    double t0, t1, t2;
    int rc = 1, skipped;
    const char *skip = getenv("PRISMAC_SKIP_POSTGRES");

    if (skip && strcmp(skip, "1") == 0) {
        printf("skipped: PRISMAC_SKIP_POSTGRES=1\n");
        return 77; /* meson's "skipped" */
    }
    t0 = now_s();
    if (pgserver_start(&s, err, sizeof err) != 0) {
        fprintf(stderr, "pgserver_selftest: %s\n", err);
        goto cleanup;
    }
    t1 = now_s();
    printf("url: %s\ndir: %s\nstart: %.0f ms\n", pgserver_url(s), pgserver_dir(s),
           (t1 - t0) * 1000);
    if (!(dir = strdup(pgserver_dir(s)))) {
        fprintf(stderr, "pgserver_selftest: out of memory\n");
        goto cleanup;
    }
    if (select_one(pgserver_url(s)) != 0)
        goto cleanup;
    t1 = now_s();
    pgserver_stop(s);
    s = NULL;
    t2 = now_s();
    printf("stop: %.0f ms\n", (t2 - t1) * 1000);
    if (stat(dir, &st) == 0 || errno != ENOENT) {
        fprintf(stderr, "pgserver_selftest: %s still exists after pgserver_stop\n", dir);
        goto cleanup;
    }
    pgserver_stop(NULL);

    /* Shared server: opt-out, then a real start reused across calls (atexit stops it). */
    if (setenv("PRISMAC_SKIP_POSTGRES", "1", 1) != 0 ||
        pgserver_shared_url(&skipped, err, sizeof err) != NULL || skipped != 1) {
        fprintf(stderr, "pgserver_selftest: PRISMAC_SKIP_POSTGRES=1 was not honoured\n");
        goto cleanup;
    }
    unsetenv("PRISMAC_SKIP_POSTGRES");
    if (!getenv("PRISMAC_TEST_PG_URL")) {
        url = pgserver_shared_url(&skipped, err, sizeof err);
        if (!url) {
            fprintf(stderr, "pgserver_selftest: shared server: %s\n", err);
            goto cleanup;
        }
        url2 = pgserver_shared_url(&skipped, err, sizeof err);
        if (url2 != url) {
            fprintf(stderr, "pgserver_selftest: shared server started twice\n");
            goto cleanup;
        }
        printf("shared url: %s\n", url);
        if (select_one(url) != 0)
            goto cleanup;
    }
    if (standby_selftest() != 0)
        goto cleanup;
    printf("ok\n");
    rc = 0;

cleanup:
    pgserver_stop(s);
    free(dir);
    return rc;
}
