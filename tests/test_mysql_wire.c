/* The MySQL/MariaDB backend's wire, driven through its prisma_backend struct
 * against a throwaway MariaDB server the test starts itself: statements and
 * every value type, matched-row counts, errors in Prisma's codes and words,
 * the transaction verbs and all four isolation levels (observed from a
 * second session in INNODB_TRX), savepoints, deadlocks, cancel by KILL
 * QUERY, a lost session, the url's parameters and connect errors, raw SQL's
 * placeholders, streams and the statement cache's limit.
 *
 * The server is support/myserver.h's (a fresh database of the test's own):
 * PRISMAC_TEST_MYSQL_URL uses a server of one's own, PRISMAC_SKIP_MYSQL=1
 * skips (exit 77). */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>

#include "backend.h"
#include "myserver.h"

static const prisma_backend *B;
static char url[512];
static char sock_path[300];

/* ---- the server (support/myserver.h) ---- */

static char dbname[128];
static void *admin; /* a Connector/C session of the test's own, for users */

/* A fresh database on the process's server, the server's socket, and a user
 * without rights on it. 0, 77 (skipped), or -1 with the reason on stderr. */
static int server_start(void)
{
    char why[1024];
    int skipped = 0;
    if (myserver_fresh_database("wire", url, sizeof url, &skipped, why, sizeof why) != 0) {
        if (skipped)
            return 77;
        fprintf(stderr, "%s\n", why);
        return -1;
    }
    const char *slash = strrchr(url, '/');
    snprintf(dbname, sizeof dbname, "%.*s", (int)strcspn(slash + 1, "?"), slash + 1);
    if (!(admin = myserver_connect(url, why, sizeof why)) ||
        myserver_exec(admin, "DROP USER IF EXISTS 'limited'@'%'; CREATE USER 'limited'@'%' IDENTIFIED BY 'limited'",
                      why, sizeof why) != 0) {
        fprintf(stderr, "%s\n", why);
        return -1;
    }
    /* The server's socket, when it runs on this machine. */
    MYSQL *my = admin;
    if (mysql_query(my, "SELECT @@socket") == 0) {
        MYSQL_RES *res = mysql_store_result(my);
        MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;
        if (row && row[0])
            snprintf(sock_path, sizeof sock_path, "%s", row[0]);
        mysql_free_result(res);
    }
    return 0;
}

static void server_stop(void)
{
    char why[256];
    if (admin)
        myserver_exec(admin, "DROP USER IF EXISTS 'limited'@'%'", why, sizeof why);
    mysql_close(admin);
    admin = NULL;
}

/* ---- helpers ---- */

static prisma_conn *open_url(const char *u)
{
    prisma_conn *c = NULL;
    prisma_err err = { 0 };
    int rc = B->connect(u, 0, &c, &err);
    ck_assert_msg(rc == PRISMA_OK, "connect %s: %s %s", u, err.code, err.message);
    return c;
}

static prisma_conn *open_conn(void)
{
    return open_url(url);
}

static void exec_ok(prisma_conn *c, const char *sql)
{
    prisma_err err = { 0 };
    ck_assert_msg(B->exec(c, sql, &err) == PRISMA_OK, "%s: %s %s", sql, err.code, err.message);
}

/* Runs sql with params; returns the rows (execute), asserting success. */
static prisma_rows *run_ok(prisma_conn *c, void **stmt, const char *sql, const prisma_value *p, size_t n)
{
    prisma_err err = { 0 };
    ck_assert_msg(B->prepare(c, sql, (int)n, stmt, &err) == PRISMA_OK, "prepare %s: %s", sql, err.message);
    prisma_rows *r = NULL;
    ck_assert_msg(B->execute(c, *stmt, p, n, &r, &err) == PRISMA_OK, "execute %s: %s %s", sql, err.code,
                  err.message);
    return r;
}

/* Runs sql expecting a failure; returns its error. */
static prisma_err run_fail(prisma_conn *c, const char *sql, const prisma_value *p, size_t n)
{
    prisma_err err = { 0 };
    void *stmt = NULL;
    prisma_rows *r = NULL;
    int rc = B->prepare(c, sql, (int)n, &stmt, &err);
    if (rc == PRISMA_OK) {
        rc = B->execute(c, stmt, p, n, &r, &err);
        if (rc == PRISMA_OK)
            B->done(r);
        B->finalize(c, stmt);
    }
    ck_assert_msg(rc != PRISMA_OK, "%s did not fail", sql);
    return err;
}

/* The first column of the first row as an integer. */
static int64_t scalar(prisma_conn *c, const char *sql)
{
    void *stmt;
    prisma_rows *r = run_ok(c, &stmt, sql, NULL, 0);
    prisma_err err = { 0 };
    ck_assert_int_eq(B->next(r, &err), 1);
    int64_t v = B->col_int(r, 0);
    B->done(r);
    B->finalize(c, stmt);
    return v;
}

static unsigned long session_id(prisma_conn *c)
{
    return (unsigned long)scalar(c, "SELECT CONNECTION_ID()");
}

#define TXT(text) ((prisma_value){ .kind = V_TEXT, .s = (text), .len = strlen(text) })
#define INT(x) ((prisma_value){ .kind = V_INT, .i = (x) })

/* The tables, made outside the tests (no check context yet). 0, or -1 with
 * the reason on stderr. */
static int setup_tables(void)
{
    static const char *const ddl[] = {
        "DROP TABLE IF EXISTS Post, User, Kinds, Nums",
        "CREATE TABLE User (id INTEGER NOT NULL AUTO_INCREMENT, email VARCHAR(20) NOT NULL, name VARCHAR(191) NULL, "
        "UNIQUE INDEX User_email_key(email), PRIMARY KEY (id)) DEFAULT CHARACTER SET utf8mb4 COLLATE "
        "utf8mb4_unicode_ci",
        "CREATE TABLE Post (id INTEGER NOT NULL AUTO_INCREMENT, authorId INTEGER NOT NULL, PRIMARY KEY (id)) DEFAULT "
        "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
        "ALTER TABLE Post ADD CONSTRAINT Post_authorId_fkey FOREIGN KEY (authorId) REFERENCES User(id) ON DELETE "
        "RESTRICT ON UPDATE CASCADE",
        "CREATE TABLE Kinds (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, i INTEGER, b BIGINT, f DOUBLE, d "
        "DECIMAL(65,30), s VARCHAR(191), t LONGTEXT, bytes LONGBLOB, dt DATETIME(3), ts TIMESTAMP(3) NULL, day DATE, "
        "tm TIME(3), flag BOOLEAN, j JSON) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
        "CREATE TABLE Nums (n INTEGER NOT NULL PRIMARY KEY, v INTEGER NOT NULL)",
    };
    prisma_conn *c = NULL;
    prisma_err err = { 0 };
    if (B->connect(url, 0, &c, &err) != PRISMA_OK) {
        fprintf(stderr, "connect %s: %s %s\n", url, err.code, err.message);
        return -1;
    }
    for (size_t i = 0; i < sizeof ddl / sizeof ddl[0]; i++)
        if (B->exec(c, ddl[i], &err) != PRISMA_OK) {
            fprintf(stderr, "%s: %s %s\n", ddl[i], err.code, err.message);
            B->close(c);
            return -1;
        }
    B->close(c);
    return 0;
}

/* ---- statements and values ---- */

START_TEST(values_round_trip)
{
    prisma_conn *c = open_conn();
    exec_ok(c, "DELETE FROM Kinds");
    static const char bytes[] = { 'a', 0, 'b', (char)0xff };
    const char *emoji = "h\xc3\xa9llo \xf0\x9f\x98\x80";
    int64_t when = 1718000000123; /* 2024-06-10T06:13:20.123Z */
    prisma_value p[] = {
        INT(-2147483647),
        INT(9007199254740993LL),
        { .kind = V_DOUBLE, .d = 1.5e-7 },
        TXT("12345678901234567890.123456789012345678901234567890"),
        TXT(emoji),
        { .kind = V_NULL },
        { .kind = V_BLOB, .s = bytes, .len = sizeof bytes },
        { .kind = V_DATETIME, .i = when },
        { .kind = V_DATETIME, .i = when },
        { .kind = V_DATETIME, .i = when },
        { .kind = V_DATETIME, .i = when },
        { .kind = V_BOOL, .i = 1 },
        TXT("{\"a\": [1, 2]}"),
    };
    void *ins;
    prisma_rows *r = run_ok(c, &ins,
                            "INSERT INTO Kinds (i, b, f, d, s, t, bytes, dt, ts, day, tm, flag, j) VALUES "
                            "(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            p, sizeof p / sizeof p[0]);
    ck_assert_int_eq(B->changes(r), 1);
    B->done(r);
    void *sel;
    r = run_ok(c, &sel, "SELECT i, b, f, d, s, t, bytes, dt, ts, day, tm, flag, j FROM Kinds", NULL, 0);
    prisma_err err = { 0 };
    ck_assert_int_eq(B->next(r, &err), 1);
    ck_assert_int_eq(B->n_cols(r), 13);
    ck_assert_str_eq(B->col_name(r, 3), "d");
    ck_assert_int_eq(B->col_int(r, 0), -2147483647);
    ck_assert_int_eq(B->col_type(r, 0), PRISMA_RAW_INT);
    ck_assert_int_eq(B->col_int(r, 1), 9007199254740993LL);
    ck_assert(B->col_double(r, 2) == 1.5e-7);
    ck_assert_int_eq(B->col_type(r, 2), PRISMA_RAW_FLOAT);
    size_t len;
    ck_assert_str_eq(B->col_text(r, 3, &len), "12345678901234567890.123456789012345678901234567890");
    ck_assert_int_eq(B->col_type(r, 3), PRISMA_RAW_DECIMAL);
    ck_assert_str_eq(B->col_text(r, 4, &len), emoji);
    ck_assert_uint_eq(len, strlen(emoji));
    ck_assert(B->col_null(r, 5));
    ck_assert_int_eq(B->col_type(r, 5), PRISMA_RAW_NULL);
    const void *b = B->col_blob(r, 6, &len);
    ck_assert_uint_eq(len, sizeof bytes);
    ck_assert(memcmp(b, bytes, sizeof bytes) == 0);
    ck_assert_int_eq(B->col_type(r, 6), PRISMA_RAW_BYTES);
    int64_t ms;
    ck_assert_int_eq(backend_col_datetime(B, r, 7, &ms), 0);
    ck_assert_int_eq(ms, when);
    ck_assert_int_eq(B->col_type(r, 7), PRISMA_RAW_DATETIME);
    ck_assert_int_eq(backend_col_datetime(B, r, 8, &ms), 0); /* TIMESTAMP: the session is UTC */
    ck_assert_int_eq(ms, when);
    ck_assert_int_eq(backend_col_datetime(B, r, 9, &ms), 0); /* DATE: midnight */
    ck_assert_int_eq(ms, when - when % 86400000);
    ck_assert_int_eq(backend_col_datetime(B, r, 10, &ms), 0); /* TIME: the time of day on 1970-01-01 */
    ck_assert_int_eq(ms, when % 86400000);
    ck_assert_int_eq(B->col_int(r, 11), 1);
    ck_assert_str_eq(B->col_text(r, 12, &len), "{\"a\": [1, 2]}");
    ck_assert_int_eq(B->col_type(r, 12), PRISMA_RAW_JSON); /* MariaDB: LONGTEXT, format name json */
    ck_assert_int_eq(B->next(r, &err), 0);
    B->done(r);
    /* The statement runs again (cached), with other values. */
    p[4] = TXT("second");
    r = NULL;
    ck_assert_int_eq(B->execute(c, ins, p, sizeof p / sizeof p[0], &r, &err), PRISMA_OK);
    B->done(r);
    ck_assert_int_eq(scalar(c, "SELECT COUNT(*) FROM Kinds WHERE s = 'SECOND'"), 1); /* the collation ignores case */
    B->finalize(c, ins);
    B->finalize(c, sel);
    B->close(c);
}
END_TEST

/* CLIENT_FOUND_ROWS: an update counts the rows it matched, changed or not
 * (Prisma's updateMany count). */
START_TEST(changes_count_matched_rows)
{
    prisma_conn *c = open_conn();
    exec_ok(c, "DELETE FROM Nums");
    exec_ok(c, "INSERT INTO Nums VALUES (1, 5), (2, 5), (3, 6)");
    void *st;
    prisma_value p[] = { INT(5), INT(6) };
    prisma_rows *r = run_ok(c, &st, "UPDATE Nums SET v = ? WHERE v <= ?", p, 2);
    ck_assert_int_eq(B->changes(r), 3); /* two of them already held 5 */
    B->done(r);
    B->finalize(c, st);
    r = run_ok(c, &st, "DELETE FROM Nums WHERE n > ?", (prisma_value[]){ INT(1) }, 1);
    ck_assert_int_eq(B->changes(r), 2);
    B->done(r);
    B->finalize(c, st);
    /* INSERT ... RETURNING (MariaDB >= 10.5) */
    r = run_ok(c, &st, "INSERT INTO Nums VALUES (7, 1), (8, 2) RETURNING n", NULL, 0);
    prisma_err err = { 0 };
    ck_assert_int_eq(B->next(r, &err), 1);
    ck_assert_int_eq(B->col_int(r, 0), 7);
    ck_assert_int_eq(B->next(r, &err), 1);
    ck_assert_int_eq(B->col_int(r, 0), 8);
    ck_assert_int_eq(B->next(r, &err), 0);
    ck_assert_int_eq(B->changes(r), 2);
    B->done(r);
    B->finalize(c, st);
    B->close(c);
}
END_TEST

/* ---- errors ---- */

START_TEST(errors_in_prisma_words)
{
    prisma_conn *c = open_conn();
    exec_ok(c, "DELETE FROM Post");
    exec_ok(c, "DELETE FROM User");
    exec_ok(c, "INSERT INTO User (id, email) VALUES (1, 'a@x.com')");
    prisma_err e = run_fail(c, "INSERT INTO User (email) VALUES (?)", (prisma_value[]){ TXT("A@X.COM") }, 1);
    ck_assert_str_eq(e.code, "P2002");
    ck_assert_str_eq(e.message, "Unique constraint failed on the fields: (`email`)");
    ck_assert_str_eq(e.db_code, "1062");
    ck_assert_msg(strstr(e.db_message, "for key 'User_email_key'"), "%s", e.db_message);
    /* The primary key: the server names no table, the error the constraint. */
    e = run_fail(c, "INSERT INTO User (id, email) VALUES (1, 'b@x.com')", NULL, 0);
    ck_assert_str_eq(e.code, "P2002");
    ck_assert_str_eq(e.message, "Unique constraint failed on the constraint: `PRIMARY`");
    e = run_fail(c, "INSERT INTO Post (authorId) VALUES (?)", (prisma_value[]){ INT(99) }, 1);
    ck_assert_str_eq(e.code, "P2003");
    ck_assert_str_eq(e.message, "Foreign key constraint violated on the fields: (`authorId`)");
    exec_ok(c, "INSERT INTO Post (authorId) VALUES (1)");
    e = run_fail(c, "DELETE FROM User WHERE id = 1", NULL, 0);
    ck_assert_str_eq(e.code, "P2003");
    e = run_fail(c, "INSERT INTO User (email) VALUES (?)", (prisma_value[]){ { .kind = V_NULL } }, 1);
    ck_assert_str_eq(e.code, "P2011");
    ck_assert_str_eq(e.message, "Null constraint violation on the fields: (`email`)");
    e = run_fail(c, "INSERT INTO User (email) VALUES (?)", (prisma_value[]){ TXT("far-too-long-for-twenty@x.com") },
                 1);
    ck_assert_str_eq(e.code, "P2000");
    ck_assert_str_eq(e.message, "The provided value for the column is too long for the column's type. Column: email");
    e = run_fail(c, "INSERT INTO Nums VALUES (?, 1)", (prisma_value[]){ INT(1LL << 40) }, 1);
    ck_assert_str_eq(e.code, "P2020");
    exec_ok(c, "DELETE FROM Nums");
    exec_ok(c, "INSERT INTO Nums VALUES (1, 2147483647)");
    e = run_fail(c, "UPDATE Nums SET v = v + 1", NULL, 0); /* strict mode: no silent overflow */
    ck_assert_str_eq(e.code, "P2020");
    e = run_fail(c, "SELECT * FROM Nope", NULL, 0);
    ck_assert_str_eq(e.code, "P2021");
    ck_assert_str_eq(e.message, "The table `Nope` does not exist in the current database.");
    e = run_fail(c, "SELECT nope FROM User", NULL, 0);
    ck_assert_str_eq(e.code, "P2022");
    ck_assert_str_eq(e.message, "The column `nope` does not exist in the current database.");
    e = run_fail(c, "SELEC 1", NULL, 0);
    ck_assert_str_eq(e.code, "P2039");
    ck_assert_str_eq(e.db_code, "1064");
    ck_assert_msg(strncmp(e.message, "Database error. Code: `1064`. Message: `You have an error in your SQL syntax",
                          70) == 0,
                  "%s", e.message);
    ck_assert(!c->broken);
    B->close(c);
}
END_TEST

/* ---- transactions ---- */

/* The isolation level of session `id`'s open transaction, as InnoDB shows it.
 * INNODB_TRX is a cache refreshed only when nobody read it for 100 ms: each
 * read waits longer than that. */
static void expect_level(prisma_conn *observer, unsigned long id, const char *level)
{
    char sql[160], got[64] = "";
    snprintf(sql, sizeof sql,
             "SELECT trx_isolation_level FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = %lu", id);
    for (int i = 0; i < 10 && strcmp(got, level) != 0; i++) {
        usleep(150000);
        void *st;
        prisma_rows *r = run_ok(observer, &st, sql, NULL, 0);
        prisma_err err = { 0 };
        if (B->next(r, &err) == 1) {
            size_t len;
            snprintf(got, sizeof got, "%s", B->col_text(r, 0, &len));
        }
        B->done(r);
        B->finalize(observer, st);
    }
    ck_assert_str_eq(got, level);
}

START_TEST(isolation_levels_seen_from_another_session)
{
    prisma_conn *c = open_conn(), *o = open_conn();
    unsigned long id = session_id(c);
    /* A read of an empty table leaves InnoDB's view of the session's
     * transaction as it was: there is a row to read. */
    exec_ok(c, "DELETE FROM Nums");
    exec_ok(c, "INSERT INTO Nums VALUES (1, 1)");
    static const struct {
        prisma_isolation level;
        const char *innodb;
    } levels[] = {
        { PRISMA_READ_UNCOMMITTED, "READ UNCOMMITTED" },
        { PRISMA_READ_COMMITTED, "READ COMMITTED" },
        { PRISMA_REPEATABLE_READ, "REPEATABLE READ" },
        { PRISMA_SERIALIZABLE, "SERIALIZABLE" },
    };
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        ck_assert(backend_isolation_ok(B, levels[i].level));
        prisma_err err = { 0 };
        ck_assert_int_eq(backend_tx(B, c, TX_BEGIN, levels[i].level, NULL, 0, &err), PRISMA_OK);
        ck_assert(!B->tx_aborted(c));
        ck_assert_int_eq(scalar(c, "SELECT COUNT(*) FROM Nums") >= 0, 1);
        expect_level(o, id, levels[i].innodb);
        ck_assert_int_eq(backend_tx(B, c, TX_COMMIT, 0, NULL, 0, &err), PRISMA_OK);
        ck_assert(B->tx_aborted(c)); /* none open */
    }
    /* The level applies to one transaction only: the next is the default. */
    prisma_err err = { 0 };
    ck_assert_int_eq(backend_tx(B, c, TX_BEGIN, 0, NULL, 0, &err), PRISMA_OK);
    ck_assert_int_eq(scalar(c, "SELECT COUNT(*) FROM Nums") >= 0, 1);
    expect_level(o, id, "REPEATABLE READ");
    ck_assert_int_eq(backend_tx(B, c, TX_ROLLBACK, 0, NULL, 0, &err), PRISMA_OK);
    char sql[128];
    backend_tx_sql(B, TX_BEGIN, PRISMA_SERIALIZABLE, NULL, sql, sizeof sql);
    ck_assert_str_eq(sql, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; BEGIN");
    B->close(c);
    B->close(o);
}
END_TEST

START_TEST(savepoints_and_errors_inside)
{
    prisma_conn *c = open_conn();
    exec_ok(c, "DELETE FROM Nums");
    prisma_err err = { 0 };
    ck_assert_int_eq(backend_tx(B, c, TX_BEGIN, 0, NULL, 0, &err), PRISMA_OK);
    exec_ok(c, "INSERT INTO Nums VALUES (1, 1)");
    ck_assert_int_eq(backend_tx(B, c, TX_SAVEPOINT, 0, "s1", 0, &err), PRISMA_OK);
    exec_ok(c, "INSERT INTO Nums VALUES (2, 2)");
    ck_assert_int_eq(backend_tx(B, c, TX_ROLLBACK_TO, 0, "s1", 0, &err), PRISMA_OK);
    ck_assert_int_eq(backend_tx(B, c, TX_RELEASE, 0, "s1", 0, &err), PRISMA_OK);
    /* A failed statement undoes itself only: the transaction goes on. */
    prisma_err e = run_fail(c, "INSERT INTO Nums VALUES (1, 1)", NULL, 0);
    ck_assert_str_eq(e.code, "P2002");
    ck_assert(!B->tx_aborted(c));
    ck_assert_int_eq(backend_tx(B, c, TX_COMMIT, 0, NULL, 0, &err), PRISMA_OK);
    ck_assert_int_eq(scalar(c, "SELECT COUNT(*) FROM Nums"), 1);
    B->close(c);
}
END_TEST

typedef struct blocked {
    prisma_conn *c;
    const char *sql;
    prisma_err err;
    int rc;
} blocked;

static void *run_blocked(void *arg)
{
    blocked *b = arg;
    b->rc = B->exec(b->c, b->sql, &b->err);
    return NULL;
}

START_TEST(deadlock_is_p2034_and_ends_the_transaction)
{
    prisma_conn *a = open_conn(), *b = open_conn();
    exec_ok(a, "DELETE FROM Nums");
    exec_ok(a, "INSERT INTO Nums VALUES (1, 0), (2, 0)");
    prisma_err err = { 0 };
    ck_assert_int_eq(backend_tx(B, a, TX_BEGIN, 0, NULL, 0, &err), PRISMA_OK);
    ck_assert_int_eq(backend_tx(B, b, TX_BEGIN, 0, NULL, 0, &err), PRISMA_OK);
    exec_ok(a, "UPDATE Nums SET v = 1 WHERE n = 1");
    exec_ok(b, "UPDATE Nums SET v = 1 WHERE n = 2");
    blocked ba = { .c = a, .sql = "UPDATE Nums SET v = 2 WHERE n = 2" };
    pthread_t t;
    pthread_create(&t, NULL, run_blocked, &ba);
    usleep(300000); /* a waits for b's lock */
    blocked bb = { .c = b, .sql = "UPDATE Nums SET v = 2 WHERE n = 1" };
    run_blocked(&bb);
    pthread_join(t, NULL);
    /* One of the two is the victim; the other goes on. */
    ck_assert_msg((ba.rc == PRISMA_OK) != (bb.rc == PRISMA_OK), "a %d b %d", ba.rc, bb.rc);
    blocked *victim = ba.rc != PRISMA_OK ? &ba : &bb;
    ck_assert_str_eq(victim->err.code, "P2034");
    ck_assert_str_eq(victim->err.message,
                     "Transaction failed due to a write conflict or a deadlock. Please retry your transaction");
    ck_assert(backend_retryable(B, victim->err.code, victim->err.db_code));
    ck_assert(B->retryable("1213") && B->retryable("1205") && !B->retryable("1062"));
    ck_assert(B->tx_aborted(victim->c)); /* InnoDB rolled it back whole */
    prisma_conn *winner = victim == &ba ? b : a;
    ck_assert(!B->tx_aborted(winner));
    ck_assert_int_eq(backend_tx(B, winner, TX_COMMIT, 0, NULL, 0, &err), PRISMA_OK);
    ck_assert_int_eq(backend_tx(B, victim->c, TX_ROLLBACK, 0, NULL, 0, &err), PRISMA_OK);
    B->close(a);
    B->close(b);
}
END_TEST

typedef struct sleeper {
    prisma_conn *c;
    prisma_err err;
    int rc;
} sleeper;

static void *sleep_long(void *arg)
{
    sleeper *s = arg;
    void *st = NULL;
    prisma_rows *r = NULL;
    s->rc = B->prepare(s->c, "SELECT SLEEP(20)", 0, &st, &s->err);
    if (s->rc == PRISMA_OK) {
        s->rc = B->execute(s->c, st, NULL, 0, &r, &s->err);
        /* SLEEP returns 1 when interrupted rather than failing the statement. */
        if (s->rc == PRISMA_OK && B->next(r, &s->err) == 1 && B->col_int(r, 0) == 1) {
            s->rc = PRISMA_ERROR;
            snprintf(s->err.code, sizeof s->err.code, "SLEEP=1");
        }
        if (r)
            B->done(r);
        B->finalize(s->c, st);
    }
    return NULL;
}

static void *lock_wait(void *arg)
{
    sleeper *s = arg;
    s->rc = B->exec(s->c, "SELECT * FROM Nums WHERE n = 1 FOR UPDATE", &s->err);
    return NULL;
}

START_TEST(cancel_kills_the_query_not_the_session)
{
    prisma_conn *c = open_conn();
    sleeper s = { .c = c };
    pthread_t t;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_create(&t, NULL, sleep_long, &s);
    usleep(300000);
    B->cancel(c);
    pthread_join(t, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(secs < 5, "the cancelled statement ran %.1f s", secs);
    ck_assert_int_ne(s.rc, PRISMA_OK);
    /* A statement waiting for a lock fails with 1317: P1008. */
    prisma_conn *holder = open_conn();
    exec_ok(holder, "DELETE FROM Nums");
    exec_ok(holder, "INSERT INTO Nums VALUES (1, 0)");
    prisma_err err = { 0 };
    ck_assert_int_eq(backend_tx(B, holder, TX_BEGIN, 0, NULL, 0, &err), PRISMA_OK);
    exec_ok(holder, "UPDATE Nums SET v = 1 WHERE n = 1");
    ck_assert_int_eq(backend_tx(B, c, TX_BEGIN, 0, NULL, 0, &err), PRISMA_OK);
    sleeper w = { .c = c };
    pthread_create(&t, NULL, lock_wait, &w);
    usleep(300000);
    B->cancel(c);
    pthread_join(t, NULL);
    ck_assert_int_ne(w.rc, PRISMA_OK);
    ck_assert_str_eq(w.err.code, "P1008");
    ck_assert_str_eq(w.err.db_code, "1317");
    ck_assert(!c->broken);
    ck_assert_int_eq(backend_tx(B, c, TX_ROLLBACK, 0, NULL, 0, &err), PRISMA_OK);
    ck_assert_int_eq(backend_tx(B, holder, TX_ROLLBACK, 0, NULL, 0, &err), PRISMA_OK);
    ck_assert_int_eq(scalar(c, "SELECT 41 + 1"), 42); /* the session still works */
    /* A cancel that comes late, to an idle session, hits nothing later. */
    B->cancel(c);
    ck_assert_int_eq(scalar(c, "SELECT 43"), 43);
    B->close(holder);
    B->close(c);
}
END_TEST

START_TEST(lost_session_is_p1017)
{
    prisma_conn *c = open_conn(), *k = open_conn();
    ck_assert(backend_idle_alive(B, c));
    char sql[64];
    snprintf(sql, sizeof sql, "KILL %lu", session_id(c));
    exec_ok(k, sql);
    usleep(200000);
    ck_assert(!backend_idle_alive(B, c)); /* the server's word arrived: no round trip needed */
    prisma_err e = run_fail(c, "SELECT 1", NULL, 0);
    ck_assert_str_eq(e.code, "P1017");
    ck_assert_str_eq(e.message, "Server has closed the connection.");
    ck_assert(c->broken);
    B->close(c);
    B->close(k);
}
END_TEST

/* ---- the url ---- */

static prisma_err connect_fail(const char *u)
{
    prisma_conn *c = NULL;
    prisma_err err = { 0 };
    ck_assert_msg(B->connect(u, 0, &c, &err) != PRISMA_OK, "%s connected", u);
    ck_assert_ptr_null(c);
    return err;
}

/* url with `old` replaced by `new` (the first time). */
static const char *url_with(const char *old, const char *new)
{
    static char out[600];
    const char *p = strstr(url, old);
    ck_assert_ptr_nonnull(p);
    snprintf(out, sizeof out, "%.*s%s%s", (int)(p - url), url, new, p + strlen(old));
    return out;
}

START_TEST(url_parameters_and_connect_errors)
{
    char u[700];
    prisma_err e = connect_fail(url_with("prisma:prisma@", "prisma:wrong@"));
    ck_assert_str_eq(e.code, "P1000");
    ck_assert_msg(strstr(e.message, "the provided database credentials for `prisma` are not valid"), "%s", e.message);
    char path[160];
    snprintf(path, sizeof path, "/%s", dbname);
    e = connect_fail(url_with(path, "/nosuchdb"));
    ck_assert_str_eq(e.code, "P1003");
    ck_assert_msg(strncmp(e.message, "Database `nosuchdb` does not exist on the database server at `127.0.0.1:", 70) ==
                      0,
                  "%s", e.message);
    e = connect_fail(url_with("prisma:prisma@", "limited:limited@"));
    ck_assert_str_eq(e.code, "P1010");
    char want[256];
    snprintf(want, sizeof want, "User `limited` was denied access on the database `%s`", dbname);
    ck_assert_str_eq(e.message, want);
    e = connect_fail("mysql://nobody@127.0.0.1:1/none");
    ck_assert_str_eq(e.code, "P1001");
    ck_assert_str_eq(e.message, "Can't reach database server at `127.0.0.1`:`1`\n\nPlease make sure your database "
                                "server is running at `127.0.0.1`:`1`.");
    snprintf(u, sizeof u, "%s?nosuch=1", url);
    e = connect_fail(u);
    ck_assert_str_eq(e.code, "P1013");
    ck_assert_msg(strstr(e.message, "Unknown parameter `nosuch`"), "%s", e.message);
    snprintf(u, sizeof u, "%s?schema=public", url);
    ck_assert_str_eq(connect_fail(u).code, "P1013");
    snprintf(u, sizeof u, "%s?connect_timeout=abc", url);
    ck_assert_str_eq(connect_fail(u).code, "P1013");
    snprintf(u, sizeof u, "%s?sslaccept=maybe", url);
    ck_assert_str_eq(connect_fail(u).code, "P1013");
    /* Prisma's parameters that apply: accepted. */
    snprintf(u, sizeof u,
             "%s?connection_limit=3&pool_timeout=2&connect_timeout=3&socket_timeout=30&statement_cache_size=0&"
             "max_connection_lifetime=60&max_idle_connection_lifetime=30",
             url);
    prisma_conn *c = open_url(u);
    void *st;
    prisma_rows *r = run_ok(c, &st, "SELECT ? + 1", (prisma_value[]){ INT(41) }, 1);
    prisma_err err = { 0 };
    ck_assert_int_eq(B->next(r, &err), 1);
    ck_assert_int_eq(B->col_int(r, 0), 42);
    B->done(r);
    B->finalize(c, st);
    /* statement_cache_size=0: nothing stays prepared on the server (the
     * server's count holds only the statement asking). */
    ck_assert_int_eq(scalar(c, "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = "
                               "'Prepared_stmt_count'"),
                     1);
    ck_assert_uint_eq(c->cache_limit, 100);
    B->close(c);
    /* socket_timeout: a statement the server is silent on for longer is P1008. */
    snprintf(u, sizeof u, "%s?socket_timeout=1", url);
    c = open_url(u);
    e = run_fail(c, "SELECT SLEEP(3)", NULL, 0);
    ck_assert_str_eq(e.code, "P1008");
    ck_assert_str_eq(e.message, "Operations timed out after `1s`");
    ck_assert(c->broken);
    B->close(c);
    snprintf(u, sizeof u, "%s?statement_cache_size=7", url);
    c = open_url(u);
    ck_assert_uint_eq(c->cache_limit, 7);
    B->close(c);
    /* A unix socket: socket=(/path), Prisma's parentheses. */
    if (sock_path[0] && access(sock_path, F_OK) == 0) {
        snprintf(u, sizeof u, "%s?socket=(%s)", url_with("127.0.0.1", "localhost"), sock_path);
        /* the host part is ignored: the socket wins */
        c = open_url(u);
        ck_assert_int_eq(scalar(c, "SELECT 7"), 7);
        B->close(c);
    }
    /* prefer_socket=true: the server's own socket, found by @@socket. */
    snprintf(u, sizeof u, "%s?prefer_socket=true", url);
    c = open_url(u);
    ck_assert_int_eq(scalar(c, "SELECT 8"), 8);
    B->close(c);
    /* The same url naming another database. */
    dburl d;
    char why[256];
    ck_assert_int_eq(backend_parse_url(url, &d, why, sizeof why), 0);
    ck_assert_ptr_eq(d.backend, B);
    ck_assert_str_eq(d.database, dbname);
    char *other = backend_url_with_database(&d, "other db");
    ck_assert_ptr_nonnull(strstr(other, "/other%20db"));
    free(other);
    dburl_free(&d);
}
END_TEST

/* ---- raw SQL ---- */

static void raw_is(const char *sql, size_t n, const char *want)
{
    strbuf out;
    sb_init(&out);
    prisma_err err = { 0 };
    ck_assert_msg(B->raw_sql(sql, n, &out, &err) == PRISMA_OK, "%s: %s", sql, err.message);
    ck_assert_str_eq(out.data ? out.data : "", want);
    sb_free(&out);
}

START_TEST(raw_placeholders)
{
    raw_is("SELECT ?, '?', \"?\", `?` # ?\n, 'it\\'s ?' -- ?\n", 1, "SELECT ?, '?', \"?\", `?` # ?\n, 'it\\'s ?' -- ?\n");
    raw_is("SELECT $1, $2", 2, "SELECT ?, ?");
    raw_is("SELECT ?1, ?2", 2, "SELECT ?, ?");
    strbuf out;
    sb_init(&out);
    prisma_err err = { 0 };
    ck_assert_int_eq(B->raw_sql("SELECT $2, $1", 2, &out, &err), PRISMA_ERROR);
    ck_assert_str_eq(err.code, "P2010");
    ck_assert_int_eq(B->raw_sql("SELECT ?, ?", 1, &out, &err), PRISMA_ERROR);
    ck_assert_str_eq(err.code, "P1016");
    sb_free(&out);
    /* The spelling the query layer writes. */
    strbuf id;
    sb_init(&id);
    backend_sql_ident(B, &id, "we`ird");
    ck_assert_str_eq(id.data, "`we``ird`");
    sb_free(&id);
}
END_TEST

/* ---- streams ---- */

START_TEST(stream_rows_one_at_a_time)
{
    prisma_conn *c = open_conn();
    ck_assert(B->caps & BACKEND_STREAM);
    exec_ok(c, "DELETE FROM Kinds");
    exec_ok(c, "INSERT INTO Kinds (s, t) SELECT seq, REPEAT('x', seq * 100) FROM seq_1_to_300");
    void *st;
    prisma_err err = { 0 };
    ck_assert_int_eq(B->prepare(c, "SELECT s, t FROM Kinds ORDER BY id", 0, &st, &err), PRISMA_OK);
    prisma_rows *r = NULL;
    ck_assert_int_eq(B->execute_stream(c, st, NULL, 0, &r, &err), PRISMA_OK);
    int n = 0;
    size_t len;
    while (B->next(r, &err) == 1) {
        n++;
        B->col_text(r, 1, &len); /* longer than the first buffer: read again whole */
        ck_assert_uint_eq(len, (size_t)n * 100);
    }
    ck_assert_int_eq(n, 300);
    B->done(r);
    /* Stopped early: the rest is dropped and the session goes on. */
    ck_assert_int_eq(B->execute_stream(c, st, NULL, 0, &r, &err), PRISMA_OK);
    ck_assert_int_eq(B->next(r, &err), 1);
    ck_assert_str_eq(B->col_text(r, 0, &len), "1");
    B->done(r);
    ck_assert_int_eq(scalar(c, "SELECT COUNT(*) FROM Kinds"), 300);
    B->finalize(c, st);
    B->close(c);
}
END_TEST

/* ---- Json filters ---- */

/* The backend's Json templates expanded as the query layer's where_json.c
 * expands them (%C the column, %P the bound path, %X the value tested, %V the
 * bound JSON value, %O an operator), run against rows of the server. */
typedef struct jx {
    const char *path; /* the bound path text, NULL: the whole column */
    const char *v;
    const char *op;
    strbuf sql;
    prisma_value params[16];
    size_t n;
} jx;

static void jexpand(jx *x, const char *t)
{
    for (; *t; t++) {
        if (*t != '%') {
            sb_putc(&x->sql, *t);
            continue;
        }
        t++;
        switch (*t) {
        case 'C': sb_puts(&x->sql, "j"); break;
        case 'P': sb_putc(&x->sql, '?'); x->params[x->n++] = TXT(x->path); break;
        case 'X': jexpand(x, x->path ? B->json->at_path : B->json->whole); break;
        case 'V': sb_putc(&x->sql, '?'); x->params[x->n++] = TXT(x->v); break;
        case 'O': sb_puts(&x->sql, x->op); break;
        default: break;
        }
    }
}

/* The ids (as digits, "12") of the Kinds rows where the filter holds. */
static void json_rows(prisma_conn *c, const char *const *items, size_t n_items, int op, const char *v, const char *cmp,
                      const char *want)
{
    char path[128] = "", why[200];
    if (items) {
        strbuf pb;
        sb_init(&pb);
        ck_assert_msg(B->json->path(&pb, items, n_items, why, sizeof why), "%s", why);
        snprintf(path, sizeof path, "%s", pb.data);
        sb_free(&pb);
    }
    jx x = { .path = items ? path : NULL, .v = v, .op = cmp };
    sb_init(&x.sql);
    sb_puts(&x.sql, "SELECT id FROM Kinds WHERE ");
    jexpand(&x, B->json->op[op]);
    sb_puts(&x.sql, " ORDER BY id");
    void *st;
    prisma_rows *r = run_ok(c, &st, x.sql.data, x.params, x.n);
    char got[32] = "";
    prisma_err err = { 0 };
    while (B->next(r, &err) == 1)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%lld", (long long)B->col_int(r, 0));
    B->done(r);
    B->finalize(c, st);
    ck_assert_msg(strcmp(got, want) == 0, "%s [%s] %s: rows %s, not %s", x.sql.data, path, v, got, want);
    sb_free(&x.sql);
}

START_TEST(json_filters)
{
    prisma_conn *c = open_conn();
    ck_assert_ptr_nonnull(B->json);
    exec_ok(c, "DELETE FROM Kinds");
    exec_ok(c, "INSERT INTO Kinds (id, j) VALUES (1, '{\"a\": {\"b\": 1.5}, \"s\": \"Hello\", \"arr\": [1, 2, "
               "\"x\"], \"n\": null}'), (2, '{\"a\": {\"b\": 10}, \"s\": \"abc\", \"arr\": [3], \"n\": 1}')");
    static const char *const ab[] = { "a", "b" }, *const s_[] = { "s" }, *const arr[] = { "arr" },
                             *const arr_last[] = { "arr", "-1" }, *const arr_0[] = { "arr", "0" }, *const n_[] = { "n" },
                             *const none[] = { "zzz" };
    /* Equality is JSON's: key order and spacing do not matter. */
    json_rows(c, NULL, 0, BJ_EQ, "{\"s\":\"abc\",\"n\":1,\"arr\":[3],\"a\":{\"b\":10}}", NULL, "2");
    json_rows(c, NULL, 0, BJ_NE, "{\"s\":\"abc\",\"n\":1,\"arr\":[3],\"a\":{\"b\":10}}", NULL, "1");
    json_rows(c, ab, 2, BJ_EQ, "1.5", NULL, "1");
    json_rows(c, n_, 1, BJ_EQ, "null", NULL, "1");
    json_rows(c, none, 1, BJ_EQ, "1", NULL, "");  /* a path leading nowhere: neither equal */
    json_rows(c, none, 1, BJ_NE, "1", NULL, "");  /* nor unequal */
    json_rows(c, s_, 1, BJ_EQ_CI, "\"HELLO\"", NULL, "1");
    json_rows(c, s_, 1, BJ_IS_STRING, "", NULL, "12");
    json_rows(c, ab, 2, BJ_IS_NUMBER, "", NULL, "12");
    json_rows(c, arr, 1, BJ_IS_ARRAY, "", NULL, "12");
    /* Numbers compare as numbers (10 > 2, not "10" < "2"), strings as text. */
    json_rows(c, ab, 2, BJ_CMP, "2", " > ", "2");
    json_rows(c, ab, 2, BJ_CMP, "2", " < ", "1");
    json_rows(c, s_, 1, BJ_CMP, "\"abc\"", " >= ", "2");
    json_rows(c, arr, 1, BJ_ARRAY_HAS, "2", NULL, "1");
    json_rows(c, arr, 1, BJ_ARRAY_HAS, "[1, \"x\"]", NULL, "1");
    json_rows(c, arr, 1, BJ_ARRAY_HAS, "[3]", NULL, "2");
    json_rows(c, arr, 1, BJ_ARRAY_FIRST, "1", NULL, "1");
    json_rows(c, arr, 1, BJ_ARRAY_LAST, "\"x\"", NULL, "1");
    json_rows(c, arr, 1, BJ_ARRAY_LAST, "3", NULL, "2");
    json_rows(c, arr_0, 2, BJ_EQ, "3", NULL, "2");
    /* The text of a JSON string, for LIKE (the JSON column's collation: utf8mb4_bin). */
    strbuf like;
    sb_init(&like);
    sb_puts(&like, B->json->op[BJ_TEXT]);
    jx x = { .path = "$.\"s\"" };
    sb_init(&x.sql);
    sb_puts(&x.sql, "SELECT COUNT(*) FROM Kinds WHERE ");
    jexpand(&x, like.data);
    sb_puts(&x.sql, " LIKE 'Hel%'");
    ck_assert_int_eq(x.n, 1);
    void *st;
    prisma_rows *r = run_ok(c, &st, x.sql.data, x.params, x.n);
    prisma_err err = { 0 };
    ck_assert_int_eq(B->next(r, &err), 1);
    ck_assert_int_eq(B->col_int(r, 0), 1);
    B->done(r);
    B->finalize(c, st);
    sb_free(&x.sql);
    sb_free(&like);
    char why[200];
    strbuf pb;
    sb_init(&pb);
    ck_assert(!B->json->path(&pb, (const char *const[]){ "a\"b" }, 1, why, sizeof why));
    ck_assert(!B->json->path(&pb, arr_last, 2, why, sizeof why)); /* MariaDB reads [last] once a statement */
    sb_free(&pb);
    B->close(c);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("mysql_wire");
    TCase *tc = tcase_create("wire");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, values_round_trip);
    tcase_add_test(tc, changes_count_matched_rows);
    tcase_add_test(tc, errors_in_prisma_words);
    tcase_add_test(tc, isolation_levels_seen_from_another_session);
    tcase_add_test(tc, savepoints_and_errors_inside);
    tcase_add_test(tc, deadlock_is_p2034_and_ends_the_transaction);
    tcase_add_test(tc, cancel_kills_the_query_not_the_session);
    tcase_add_test(tc, lost_session_is_p1017);
    tcase_add_test(tc, url_parameters_and_connect_errors);
    tcase_add_test(tc, raw_placeholders);
    tcase_add_test(tc, stream_rows_one_at_a_time);
    tcase_add_test(tc, json_filters);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    B = backend_named("mysql");
    if (!B) {
        fprintf(stderr, "no mysql backend\n");
        return 1;
    }
    int rc = server_start();
    if (rc != 0 || setup_tables() != 0) {
        server_stop();
        return rc == 77 ? 77 : 1;
    }
    SRunner *sr = srunner_create(suite());
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    server_stop();
    return failed ? 1 : 0;
}
