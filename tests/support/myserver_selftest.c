/*
 * Proves myserver works: start a server, connect to its url with
 * Connector/C as the test user over TCP, check the settings Prisma's users
 * run (utf8mb4, utf8mb4_unicode_ci, strict sql_mode, UTC), a restart after a
 * crash keeps committed rows, stop it and check its folder is gone; then the
 * shared server and two fresh databases on it.
 * Exits 0 on success, 77 (skipped) with PRISMAC_SKIP_MYSQL=1, 1 with the
 * reason on failure.
 */
#define _POSIX_C_SOURCE 200809L

#include "myserver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <mysql.h>

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first value of sql's first row on m, into out; 0 or 1 with the reason. */
static int query_value(MYSQL *m, const char *sql, char *out, size_t cap)
{
    MYSQL_RES *res;
    MYSQL_ROW row;
    int rc = 1;

    if (mysql_query(m, sql) != 0 || !(res = mysql_store_result(m))) {
        fprintf(stderr, "myserver_selftest: %s: %u: %s\n", sql, mysql_errno(m), mysql_error(m));
        return 1;
    }
    if ((row = mysql_fetch_row(res)) != NULL && row[0]) {
        snprintf(out, cap, "%s", row[0]);
        rc = 0;
    } else {
        fprintf(stderr, "myserver_selftest: %s returned no value\n", sql);
    }
    mysql_free_result(res);
    return rc;
}

/* sql's first value on m must be `want`. */
static int expect(MYSQL *m, const char *sql, const char *want)
{
    char got[512];

    if (query_value(m, sql, got, sizeof got) != 0)
        return 1;
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "myserver_selftest: %s gave \"%s\", not \"%s\"\n", sql, got, want);
        return 1;
    }
    printf("%s -> %s\n", sql, got);
    return 0;
}

static int exec(MYSQL *m, const char *sql)
{
    char why[512];

    if (myserver_exec(m, sql, why, sizeof why) != 0) {
        fprintf(stderr, "myserver_selftest: %s: %s\n", sql, why);
        return 1;
    }
    return 0;
}

/* The server's settings, as a client of the test user sees them. */
static int check_settings(const char *url)
{
    char why[512];
    MYSQL *m = myserver_connect(url, why, sizeof why);
    int bad = 0;

    if (!m) {
        fprintf(stderr, "myserver_selftest: %s\n", why);
        return 1;
    }
    bad |= expect(m, "SELECT CURRENT_USER()", MYSERVER_USER "@%");
    bad |= expect(m, "SELECT DATABASE()", MYSERVER_DATABASE);
    bad |= expect(m, "SELECT @@character_set_server", "utf8mb4");
    bad |= expect(m, "SELECT @@collation_server", "utf8mb4_unicode_ci");
    bad |= expect(m, "SELECT @@character_set_connection", "utf8mb4");
    bad |= expect(m, "SELECT @@tx_isolation", "REPEATABLE-READ");
    bad |= expect(m, "SELECT @@time_zone", "+00:00");
    bad |= expect(m, "SELECT FIND_IN_SET('STRICT_TRANS_TABLES', @@sql_mode) > 0", "1");
    bad |= expect(m, "SELECT FIND_IN_SET('ANSI_QUOTES', @@sql_mode)", "0");
    bad |= expect(m, "SELECT @@default_storage_engine", "InnoDB");
    bad |= expect(m, "SELECT @@bind_address", "127.0.0.1");
    /* Strict mode refuses what a lax one would truncate. */
    bad |= exec(m, "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, s VARCHAR(3) NOT NULL)");
    if (mysql_query(m, "INSERT INTO t (s) VALUES ('abcd')") == 0 || mysql_errno(m) != 1406) {
        fprintf(stderr, "myserver_selftest: an overlong value was not refused with 1406 (%u)\n", mysql_errno(m));
        bad = 1;
    }
    /* The collation ignores case, accents and trailing spaces; utf8mb4 keeps four-byte characters. */
    bad |= expect(m, "SELECT 'abc' = 'ABC' AND 'resume' = 'résumé' AND 'a' = 'a '", "1");
    bad |= exec(m, "INSERT INTO t (s) VALUES ('😀')");
    bad |= expect(m, "SELECT HEX(s) FROM t", "F09F9880");
    bad |= expect(m, "SELECT @@performance_schema", "1");
    mysql_close(m);
    return bad;
}

/* A row committed before a crash is there after the restart. */
static int check_restart(myserver *s)
{
    char why[1536];
    MYSQL *m = myserver_connect(myserver_url(s), why, sizeof why);
    int bad = 1;

    if (!m) {
        fprintf(stderr, "myserver_selftest: %s\n", why);
        return 1;
    }
    if (exec(m, "CREATE TABLE kept (id INT PRIMARY KEY); INSERT INTO kept VALUES (7)"))
        goto cleanup;
    myserver_halt(s);
    if (mysql_query(m, "SELECT 1") == 0 || (mysql_errno(m) != 2006 && mysql_errno(m) != 2013)) {
        fprintf(stderr, "myserver_selftest: a halted server still answered (%u)\n", mysql_errno(m));
        goto cleanup;
    }
    if (myserver_restart(s, why, sizeof why) != 0) {
        fprintf(stderr, "myserver_selftest: restart: %s\n", why);
        goto cleanup;
    }
    mysql_close(m);
    if (!(m = myserver_connect(myserver_url(s), why, sizeof why))) {
        fprintf(stderr, "myserver_selftest: after the restart: %s\n", why);
        goto cleanup;
    }
    bad = expect(m, "SELECT id FROM kept", "7");
cleanup:
    mysql_close(m);
    return bad;
}

int main(void)
{
    char err[1536], dir[512], url1[512], url2[512];
    myserver *s = NULL;
    const char *shared;
    struct stat st;
    int skipped = 0, bad = 0;
    double t0;
    MYSQL *m;

    if (getenv("PRISMAC_SKIP_MYSQL") && strcmp(getenv("PRISMAC_SKIP_MYSQL"), "1") == 0) {
        printf("myserver_selftest: skipped (PRISMAC_SKIP_MYSQL=1)\n");
        return 77;
    }
    t0 = now_s();
    if (myserver_start(&s, err, sizeof err) != 0) {
        fprintf(stderr, "myserver_selftest: myserver_start failed: %s\n", err);
        return 1;
    }
    printf("started %s in %.2f s (folder %s, socket %s)\n", myserver_url(s), now_s() - t0, myserver_dir(s),
           myserver_socket(s));
    snprintf(dir, sizeof dir, "%s", myserver_dir(s));
    bad |= check_settings(myserver_url(s));
    bad |= check_restart(s);
    t0 = now_s();
    myserver_stop(s);
    printf("stopped in %.2f s\n", now_s() - t0);
    if (stat(dir, &st) == 0 || errno != ENOENT) {
        fprintf(stderr, "myserver_selftest: %s still exists after myserver_stop\n", dir);
        bad = 1;
    }

    /* The shared server: started once, fresh databases on it. */
    if (!(shared = myserver_shared_url(&skipped, err, sizeof err))) {
        fprintf(stderr, "myserver_selftest: myserver_shared_url failed: %s\n", err);
        return 1;
    }
    if (myserver_shared_url(&skipped, err, sizeof err) != shared) {
        fprintf(stderr, "myserver_selftest: a second myserver_shared_url started another server\n");
        bad = 1;
    }
    if (myserver_fresh_database("selftest", url1, sizeof url1, &skipped, err, sizeof err) != 0 ||
        myserver_fresh_database("selftest", url2, sizeof url2, &skipped, err, sizeof err) != 0) {
        fprintf(stderr, "myserver_selftest: myserver_fresh_database failed: %s\n", err);
        return 1;
    }
    printf("fresh databases %s and %s\n", url1, url2);
    if (strcmp(url1, url2) == 0) {
        fprintf(stderr, "myserver_selftest: two fresh databases have one url\n");
        bad = 1;
    }
    if (!(m = myserver_connect(url2, err, sizeof err))) {
        fprintf(stderr, "myserver_selftest: %s\n", err);
        return 1;
    }
    bad |= expect(m, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()", "0");
    bad |= expect(m, "SELECT DATABASE()", strrchr(url2, '/') + 1);
    mysql_close(m);
    if (!bad)
        printf("myserver_selftest: ok\n");
    return bad;
}
