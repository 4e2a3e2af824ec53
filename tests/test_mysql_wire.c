/* The MySQL/MariaDB backend's wire, driven through its prisma_backend struct
 * against a throwaway MariaDB server the test starts itself: statements and
 * every value type, matched-row counts, errors in Prisma's codes and words,
 * the transaction verbs and all four isolation levels (observed from a
 * second session in INNODB_TRX), savepoints, deadlocks, cancel by KILL
 * QUERY, a lost session, the url's parameters and connect errors, raw SQL's
 * placeholders, streams and the statement cache's limit.
 *
 * PRISMAC_TEST_MYSQL_URL: a server of one's own (a `test` database the test
 * may fill); PRISMAC_SKIP_MYSQL=1 skips (exit 77). */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>

#include "backend.h"

static const prisma_backend *B;
static char url[512];
static char sock_path[300];

/* ---- a throwaway server (until tests/support/myserver.h) ---- */

static char server_dir[256];
static pid_t server_pid;

static void server_stop(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        int st;
        for (int i = 0; i < 100 && waitpid(server_pid, &st, WNOHANG) == 0; i++)
            usleep(100000);
        kill(server_pid, SIGKILL);
        waitpid(server_pid, &st, 0);
        server_pid = 0;
    }
    if (server_dir[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", server_dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", server_dir);
        server_dir[0] = '\0';
    }
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    close(fd);
    return ntohs(a.sin_port);
}

/* Starts mariadbd in a temporary folder (as root: the user it runs as), a
 * user prisma/prisma and a database `test`. 0, or -1 with a reason on stderr. */
static int server_start(void)
{
    snprintf(server_dir, sizeof server_dir, "%s/prismac-mywire-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(server_dir)) {
        server_dir[0] = '\0';
        return -1;
    }
    chmod(server_dir, 0755);
    int port = free_port();
    bool root = geteuid() == 0;
    const char *user = root ? "nobody" : "";
    char cmd[1024];
    if (root) {
        snprintf(cmd, sizeof cmd, "chown nobody '%s'", server_dir);
        if (system(cmd) != 0)
            return -1;
    }
    snprintf(cmd, sizeof cmd,
             "mariadb-install-db --no-defaults %s%s --datadir='%s/data' --auth-root-authentication-method=normal "
             "--skip-test-db >'%s/install.log' 2>&1",
             root ? "--user=" : "", user, server_dir, server_dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "mariadb-install-db failed: see %s/install.log\n", server_dir);
        return -1;
    }
    snprintf(sock_path, sizeof sock_path, "%s/sock", server_dir);
    char datadir[300], socket_arg[320], port_arg[32], log[300], user_arg[64];
    snprintf(datadir, sizeof datadir, "--datadir=%s/data", server_dir);
    snprintf(socket_arg, sizeof socket_arg, "--socket=%s", sock_path);
    snprintf(port_arg, sizeof port_arg, "--port=%d", port);
    snprintf(log, sizeof log, "%s/server.log", server_dir);
    snprintf(user_arg, sizeof user_arg, "--user=%s", root ? "nobody" : "");
    server_pid = fork();
    if (server_pid == 0) {
        FILE *f = freopen(log, "w", stderr);
        (void)f;
        execlp("mariadbd", "mariadbd", "--no-defaults", datadir, socket_arg, port_arg, "--bind-address=127.0.0.1",
               "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci", "--skip-log-bin",
               "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M", root ? user_arg : "--log-warnings=1",
               (char *)NULL);
        _exit(127);
    }
    MYSQL *my = NULL;
    for (int i = 0; i < 300; i++) {
        my = mysql_init(NULL);
        if (mysql_real_connect(my, NULL, "root", "", NULL, 0, sock_path, 0))
            break;
        mysql_close(my);
        my = NULL;
        usleep(100000);
    }
    if (!my) {
        fprintf(stderr, "mariadbd did not start: see %s\n", log);
        return -1;
    }
    int rc = mysql_query(my, "CREATE USER 'prisma'@'%' IDENTIFIED BY 'prisma'") ||
             mysql_query(my, "GRANT ALL ON *.* TO 'prisma'@'%' WITH GRANT OPTION") ||
             mysql_query(my, "CREATE USER 'limited'@'%' IDENTIFIED BY 'limited'") ||
             mysql_query(my, "CREATE DATABASE test");
    mysql_close(my);
    snprintf(url, sizeof url, "mysql://prisma:prisma@127.0.0.1:%d/test", port);
    return rc ? -1 : 0;
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

/* The isolation level of session `id`'s open transaction, as InnoDB shows it
 * (cached ~100 ms: polled). */
static void expect_level(prisma_conn *observer, unsigned long id, const char *level)
{
    char sql[160], got[64] = "";
    snprintf(sql, sizeof sql,
             "SELECT trx_isolation_level FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = %lu", id);
    for (int i = 0; i < 50 && strcmp(got, level) != 0; i++) {
        void *st;
        prisma_rows *r = run_ok(observer, &st, sql, NULL, 0);
        prisma_err err = { 0 };
        if (B->next(r, &err) == 1) {
            size_t len;
            snprintf(got, sizeof got, "%s", B->col_text(r, 0, &len));
        }
        B->done(r);
        B->finalize(observer, st);
        if (strcmp(got, level) != 0)
            usleep(50000);
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
    e = connect_fail(url_with("/test", "/nosuchdb"));
    ck_assert_str_eq(e.code, "P1003");
    ck_assert_msg(strncmp(e.message, "Database `nosuchdb` does not exist on the database server at `127.0.0.1:", 70) ==
                      0,
                  "%s", e.message);
    e = connect_fail(url_with("prisma:prisma@", "limited:limited@"));
    ck_assert_str_eq(e.code, "P1010");
    ck_assert_str_eq(e.message, "User `limited` was denied access on the database `test`");
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
    snprintf(u, sizeof u, "%s?statement_cache_size=7", url);
    c = open_url(u);
    ck_assert_uint_eq(c->cache_limit, 7);
    B->close(c);
    /* A unix socket: socket=(/path), Prisma's parentheses. */
    snprintf(u, sizeof u, "mysql://prisma:prisma@localhost/test?socket=(%s)", sock_path);
    c = open_url(u);
    ck_assert_int_eq(scalar(c, "SELECT 7"), 7);
    B->close(c);
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
    ck_assert_str_eq(d.database, "test");
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
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    const char *skip = getenv("PRISMAC_SKIP_MYSQL");
    if (skip && strcmp(skip, "1") == 0)
        return 77;
    B = backend_named("mysql");
    if (!B) {
        fprintf(stderr, "no mysql backend\n");
        return 1;
    }
    const char *own = getenv("PRISMAC_TEST_MYSQL_URL");
    const char *own_sock = getenv("PRISMAC_TEST_MYSQL_SOCKET");
    if (own && *own) {
        snprintf(url, sizeof url, "%s", own);
        snprintf(sock_path, sizeof sock_path, "%s", own_sock ? own_sock : "");
    } else if (server_start() != 0) {
        server_stop();
        return 1;
    }
    if (setup_tables() != 0) {
        server_stop();
        return 1;
    }
    SRunner *sr = srunner_create(suite());
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    server_stop();
    mysql_library_end();
    return failed ? 1 : 0;
}
