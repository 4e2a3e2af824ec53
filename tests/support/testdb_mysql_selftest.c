/*
 * Proves the `mysql` test backend (testdb_mysql.c) against a real server:
 * prepare gives an empty database of its own, reset empties tables linked by
 * foreign keys and restarts their AUTO_INCREMENT, and what the backend says
 * about the database (its spelling of hand-written SQL, the statements it
 * holds prepared, its error texts, its unreachable url) is what the server
 * does.  Exits 0 on success, 77 with PRISMAC_SKIP_MYSQL=1, 1 on failure.
 */
#define _POSIX_C_SOURCE 200809L

#include <mysql.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "myserver.h"
#include "testdb.h"

extern const testdb_backend testdb_mysql;

static int failures;

#define CHECK(cond, ...)                                                                                       \
    do {                                                                                                       \
        if (!(cond)) {                                                                                         \
            fprintf(stderr, "testdb_mysql_selftest:%d: ", __LINE__);                                          \
            fprintf(stderr, __VA_ARGS__);                                                                      \
            fputc('\n', stderr);                                                                               \
            failures++;                                                                                        \
        }                                                                                                      \
    } while (0)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void exec(MYSQL *m, const char *sql)
{
    char why[512];
    CHECK(myserver_exec(m, sql, why, sizeof why) == 0, "%s: %s", sql, why);
}

/* sql's first value as text ("" when none or on error). */
static const char *value(MYSQL *m, const char *sql)
{
    static char out[512];
    MYSQL_RES *res;
    MYSQL_ROW row;
    out[0] = '\0';
    if (mysql_query(m, sql) != 0 || !(res = mysql_store_result(m))) {
        CHECK(0, "%s: %s", sql, mysql_error(m));
        return out;
    }
    if ((row = mysql_fetch_row(res)) != NULL && row[0])
        snprintf(out, sizeof out, "%s", row[0]);
    mysql_free_result(res);
    return out;
}

/* The P2010 words of sql's failure: "Code: `errno`. Message: `text`". */
static const char *failure(MYSQL *m, const char *sql)
{
    static char out[1024];
    MYSQL_RES *res;
    if (mysql_query(m, sql) == 0) {
        if ((res = mysql_store_result(m)) != NULL)
            mysql_free_result(res);
        CHECK(0, "%s succeeded", sql);
        return "";
    }
    snprintf(out, sizeof out, "Code: `%u`. Message: `%s`", mysql_errno(m), mysql_error(m));
    return out;
}

int main(void)
{
    char url[1024], url2[1024], err[1536];
    bool skipped = false;
    MYSQL *m = NULL;

    testdb = &testdb_mysql;
    if (testdb_mysql.prepare(url, sizeof url, &skipped, err, sizeof err) != 0) {
        if (skipped) {
            printf("testdb_mysql_selftest: skipped (%s)\n", err);
            return 77;
        }
        fprintf(stderr, "testdb_mysql_selftest: prepare: %s\n", err);
        return 1;
    }
    CHECK(testdb_mysql.prepare(url2, sizeof url2, &skipped, err, sizeof err) == 0, "second prepare: %s", err);
    CHECK(strcmp(url, url2) != 0, "two prepares gave one database: %s", url);
    printf("databases %s and %s\n", url, url2);
    if (!(m = myserver_connect(url, err, sizeof err))) {
        fprintf(stderr, "testdb_mysql_selftest: %s\n", err);
        return 1;
    }
    CHECK(strcmp(value(m, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"), "0") == 0,
          "a prepared database is not empty");

    /* Hand-written SQL in the tests' spelling: "names", $n, FOR UPDATE, savepoints. */
    const char *create_user = testdb_sql("CREATE TABLE \"User\" (\"id\" INT AUTO_INCREMENT PRIMARY KEY, "
                                         "\"email\" VARCHAR(191) NOT NULL, CONSTRAINT \"User_email_key\" UNIQUE (\"email\"), "
                                         "\"views\" INT NOT NULL DEFAULT 0, CONSTRAINT \"views_check\" CHECK (\"views\" >= 0))");
    CHECK(strstr(create_user, "`User`") && !strchr(create_user, '"'), "not translated: %s", create_user);
    exec(m, create_user);
    exec(m, testdb_sql("CREATE TABLE \"Post\" (\"id\" INT AUTO_INCREMENT PRIMARY KEY, \"authorId\" INT NOT NULL, "
                       "\"title\" VARCHAR(191) NOT NULL DEFAULT 'it''s \"quoted\"', "
                       "CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\" (\"id\"))"));
    exec(m, "INSERT INTO `User` (email) VALUES ('m1'), ('M2'), ('a@x'); INSERT INTO Post (authorId) VALUES (1), (2)");
    /* A literal keeps its double quotes; the parameter mark is `?`. */
    CHECK(strcmp(value(m, "SELECT title FROM Post WHERE id = 1"), "it's \"quoted\"") == 0, "default: %s",
          value(m, "SELECT title FROM Post WHERE id = 1"));
    CHECK(strcmp(testdb_sql("SELECT \"id\" FROM \"User\" WHERE \"email\" = $1 AND 'a$1\"' <> $2"),
                 "SELECT `id` FROM `User` WHERE `email` = ? AND 'a$1\"' <> ?") == 0,
          "spelling: %s", testdb_sql("SELECT \"id\" FROM \"User\" WHERE \"email\" = $1 AND 'a$1\"' <> $2"));
    exec(m, testdb_sql("BEGIN; SELECT \"id\" FROM \"User\"%s; SAVEPOINT s1; DELETE FROM \"Post\"; %ss1; COMMIT",
                       testdb_mysql.for_update, testdb_mysql.rollback_to));
    CHECK(strcmp(value(m, "SELECT COUNT(*) FROM Post"), "2") == 0, "ROLLBACK TO did not keep the posts");
    /* Byte order: upper case before lower case, where the collation would mix them. */
    CHECK(strcmp(value(m, testdb_sql("SELECT GROUP_CONCAT(\"email\" ORDER BY \"email\"%s) FROM \"User\" WHERE \"email\" <> 'a@x'",
                                     testdb_mysql.byte_order)), "M2,m1") == 0,
          "byte order is not M2,m1");

    /* The database's own words. */
    CHECK(strcmp(failure(m, "INSERT INTO `User` (email) VALUES ('a@x')"),
                 testdb_mysql.raw_unique_violation("User", "email", "a@x", false)) == 0,
          "unique: %s", failure(m, "INSERT INTO `User` (email) VALUES ('a@x')"));
    CHECK(strcmp(failure(m, "INSERT INTO `User` (id, email) VALUES (1, 'new')"),
                 testdb_mysql.raw_unique_violation("User", "id", "1", true)) == 0,
          "primary key: %s", failure(m, "INSERT INTO `User` (id, email) VALUES (1, 'new')"));
    CHECK(strcmp(failure(m, "SELEKT 1"), testdb_mysql.raw_syntax_error("SELEKT 1")) == 0, "syntax: %s",
          failure(m, "SELEKT 1"));
    CHECK(strstr(failure(m, "UPDATE `User` SET views = -1"), testdb_mysql.check_violation("views_check")) != NULL,
          "check: %s", failure(m, "UPDATE `User` SET views = -1"));
    CHECK(strstr(failure(m, "INSERT INTO `User` (email) VALUES ('a@x')"), testdb_mysql.unique_code) != NULL,
          "unique code");

    /* The statements this session holds prepared, as the server counts them. */
    MYSQL_STMT *st = mysql_stmt_init(m);
    const char *hot = "SELECT 1 AS hot";
    CHECK(st && mysql_stmt_prepare(st, hot, (unsigned long)strlen(hot)) == 0, "prepare: %s", mysql_error(m));
    char count[512];
    snprintf(count, sizeof count, "%s WHERE statement = 'SELECT 1 AS hot'", testdb_mysql.count_prepared_sql);
    CHECK(strcmp(value(m, count), "1") == 0, "%s gave %s", count, value(m, count));
    mysql_stmt_close(st);
    CHECK(strcmp(value(m, count), "0") == 0, "a closed statement is still counted");
    CHECK(strcmp(value(m, testdb_mysql.count_prepared_sql), "0") == 0, "prepared statements left");

    /* Sleep. */
    char sleep[128];
    testdb_mysql.sleep_sql(sleep, sizeof sleep, 250);
    double t0 = now_s();
    CHECK(strcmp(value(m, sleep), "0") == 0, "%s", sleep);
    CHECK(now_s() - t0 >= 0.24, "%s took %.3f s", sleep, now_s() - t0);

    /* Reset: every row gone (foreign keys or not), ids from 1 again, quickly. */
    const char *tables[] = {"User", "Post"};
    t0 = now_s();
    CHECK(testdb_mysql.reset(url, tables, 2) == 0, "reset failed");
    printf("reset of 2 tables: %.1f ms\n", (now_s() - t0) * 1000);
    CHECK(strcmp(value(m, "SELECT (SELECT COUNT(*) FROM `User`) + (SELECT COUNT(*) FROM Post)"), "0") == 0,
          "rows left after reset");
    exec(m, "INSERT INTO `User` (email) VALUES ('again'); INSERT INTO Post (authorId) VALUES (1)");
    CHECK(strcmp(value(m, "SELECT MAX(id) FROM `User`"), "1") == 0, "User ids do not restart at 1");
    CHECK(strcmp(value(m, "SELECT MAX(id) FROM Post"), "1") == 0, "Post ids do not restart at 1");
    CHECK(strcmp(value(m, "SELECT @@foreign_key_checks"), "1") == 0, "foreign key checks left off");
    CHECK(strstr(failure(m, "INSERT INTO Post (authorId) VALUES (99)"), "Code: `1452`") != NULL,
          "foreign keys are not checked after a reset");
    /* Many tables, as the largest suites reset before each test. */
    char sql[256];
    const char *many[80];
    char names[80][16];
    for (int i = 0; i < 80; i++) {
        snprintf(names[i], sizeof names[i], "T%d", i);
        many[i] = names[i];
        snprintf(sql, sizeof sql, "CREATE TABLE T%d (id INT AUTO_INCREMENT PRIMARY KEY, v INT); INSERT INTO T%d (v) VALUES (1)", i, i);
        exec(m, sql);
    }
    t0 = now_s();
    CHECK(testdb_mysql.reset(url, many, 80) == 0, "reset of 80 tables failed");
    printf("reset of 80 tables, each written: %.1f ms\n", (now_s() - t0) * 1000);
    exec(m, "INSERT INTO T3 (v) VALUES (1)");
    t0 = now_s();
    CHECK(testdb_mysql.reset(url, many, 80) == 0, "reset of 80 tables failed");
    printf("reset of 80 tables, one written: %.1f ms\n", (now_s() - t0) * 1000);
    exec(m, "INSERT INTO T3 (v) VALUES (1)");
    CHECK(strcmp(value(m, "SELECT MAX(id) FROM T3"), "1") == 0, "T3's ids do not restart at 1");
    CHECK(strcmp(value(m, "SELECT COUNT(*) FROM T79"), "0") == 0, "T79 not emptied");
    CHECK(testdb_mysql.reset(url, (const char *[]){"Nope"}, 1) != 0, "a reset of a missing table succeeded");
    mysql_close(m);

    /* The unreachable url cannot be reached. */
    CHECK(myserver_connect(testdb_mysql.unreachable_url, err, sizeof err) == NULL, "%s was reached",
          testdb_mysql.unreachable_url);
    CHECK(strstr(err, "2002") != NULL || strstr(err, "2003") != NULL, "unreachable: %s", err);

    if (failures == 0)
        printf("testdb_mysql_selftest: ok\n");
    return failures ? 1 : 0;
}
