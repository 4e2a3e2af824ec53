/* The benchmark of shared/bench/WORKLOAD.md: each phase through the
 * generated prismac client and through hand-written driver code, in the
 * same process, printing one BENCH line per phase with the ratio.
 * Built twice: for SQLite (a WAL file) and for PostgreSQL (a local server). */
#if defined(__linux__)
#define _GNU_SOURCE /* sched_setaffinity */
#include <sched.h>
#endif
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_w10.h"
#include "client.h"
#include "testdb.h"

#if defined(BENCH_PG)
#include <libpq-fe.h>
#define BACKEND "postgresql"
#elif defined(BENCH_MYSQL)
#include "bench_mysql.h"
#define BACKEND "mysql"
/* The workload's hand-written SQL quotes names as "name": backticks on MySQL,
 * on both sides (the prismac side's raw set-up statements too). */
#define BENCH_RAW_SQL(sql) bm_sql(sql)
#else
#include <sqlite3.h>
#define BACKEND "sqlite"
#endif

#ifndef BENCH_RAW_SQL
#define BENCH_RAW_SQL(sql) (sql)
#endif

/* Operations per phase: 2000, or PRISMAC_BENCH_N (e.g. a small count for
 * callgrind, see bench/README.md). */
static int N = 2000;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "bench: %s: %s\n", what, detail ? detail : "");
    exit(1);
}

static prisma_client *db;
static volatile int64_t sink; /* keeps the reads from being optimised away */

static void check(int rc, const char *what)
{
    if (rc != PRISMA_OK)
        die(what, prisma_error_message(db));
}

/* ---- the raw side ---- */
#if defined(BENCH_PG)
static PGconn *raw;

static void raw_open(const char *url)
{
    raw = PQconnectdb(url);
    if (PQstatus(raw) != CONNECTION_OK)
        die("raw connect", PQerrorMessage(raw));
    const char *stmts[][2] = {
        { "w1", "INSERT INTO \"User\" (\"email\", \"name\", \"balance\") VALUES ($1, $2, $3) RETURNING \"id\", \"email\", \"name\", \"balance\"" },
        { "w2", "SELECT \"id\", \"email\", \"name\", \"balance\" FROM \"User\" WHERE \"id\" = $1 LIMIT 1" },
        { "w3", "UPDATE \"User\" SET \"balance\" = \"balance\" + $1 WHERE \"id\" = $2 RETURNING \"id\", \"email\", \"name\", \"balance\"" },
        { "w7", "SELECT \"id\", \"title\", \"published\", \"views\", \"authorId\" FROM \"Post\" WHERE \"published\" = $1 AND \"views\" >= $2 ORDER BY \"id\" DESC LIMIT $3" },
    };
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++) {
        PGresult *r = PQprepare(raw, stmts[i][0], stmts[i][1], 0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die("raw prepare", PQerrorMessage(raw));
        PQclear(r);
    }
}

static void read_user_row(PGresult *r, int row)
{
    sink += strtol(PQgetvalue(r, row, 0), NULL, 10) + (int64_t)strlen(PQgetvalue(r, row, 1)) +
            (PQgetisnull(r, row, 2) ? 0 : (int64_t)strlen(PQgetvalue(r, row, 2))) + strtol(PQgetvalue(r, row, 3), NULL, 10);
}

static void raw_exec(const char *name, int n, const char *const *vals, bool user_row)
{
    PGresult *r = PQexecPrepared(raw, name, n, vals, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        die(name, PQerrorMessage(raw));
    if (user_row) {
        for (int i = 0; i < PQntuples(r); i++)
            read_user_row(r, i);
    } else {
        for (int i = 0; i < PQntuples(r); i++)
            sink += strtol(PQgetvalue(r, i, 0), NULL, 10) + (int64_t)strlen(PQgetvalue(r, i, 1)) +
                    (PQgetvalue(r, i, 2)[0] == 't') + strtol(PQgetvalue(r, i, 3), NULL, 10) +
                    strtol(PQgetvalue(r, i, 4), NULL, 10);
    }
    PQclear(r);
}

static void raw_w1(int i)
{
    char email[32];
    snprintf(email, sizeof email, "r%d@x", i);
    const char *v[] = { email, "n", "100" };
    raw_exec("w1", 3, v, true);
}

static void raw_w2(int id)
{
    char s[16];
    snprintf(s, sizeof s, "%d", id);
    const char *v[] = { s };
    raw_exec("w2", 1, v, true);
}

static void raw_w3(int id)
{
    char s[16];
    snprintf(s, sizeof s, "%d", id);
    const char *v[] = { "1", s };
    raw_exec("w3", 2, v, true);
}

static void raw_w7(void)
{
    const char *v[] = { "false", "0", "100" };
    raw_exec("w7", 3, v, false);
}

static void raw_simple(const char *sql)
{
    PGresult *r = PQexec(raw, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die(sql, PQerrorMessage(raw));
    PQclear(r);
}

static void raw_prepare_more(void)
{
    PGresult *r = PQprepare(raw, "w4", "UPDATE \"User\" SET \"balance\" = \"balance\" + $1 WHERE \"id\" = $2 RETURNING \"id\", \"email\", \"name\", \"balance\"", 0, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die("raw prepare", PQerrorMessage(raw));
    PQclear(r);
}

/* The docs' transfer: sender - 1, check, receiver + 1, in one transaction. */
static void raw_w4(int from, int to)
{
    char a[16], b[16];
    snprintf(a, sizeof a, "%d", from);
    snprintf(b, sizeof b, "%d", to);
    raw_simple("BEGIN");
    const char *v1[] = { "-1", a };
    PGresult *r = PQexecPrepared(raw, "w4", 2, v1, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        die("w4", PQerrorMessage(raw));
    long bal = strtol(PQgetvalue(r, 0, 3), NULL, 10);
    read_user_row(r, 0);
    PQclear(r);
    if (bal < 0) {
        raw_simple("ROLLBACK");
        return;
    }
    const char *v2[] = { "1", b };
    raw_exec("w4", 2, v2, true);
    raw_simple("COMMIT");
}

/* 100 creates in one transaction, one statement after the other. */
static void raw_w5(int base)
{
    raw_simple("BEGIN");
    for (int i = 0; i < 100; i++)
        raw_w1(base + i);
    raw_simple("COMMIT");
}

/* W6: the user and its two posts in one transaction. The posts go in one
 * two-row INSERT (prepared once): on a server every statement is a round
 * trip, so a careful hand-writer sends both rows together rather than
 * executing a single-row insert twice. */
static void raw_prepare_w6(void)
{
    const char *stmts[][2] = {
        { "w6u", "INSERT INTO \"User\" (\"email\", \"name\", \"balance\") VALUES ($1, $2, $3) RETURNING \"id\", \"email\", \"name\", \"balance\"" },
        { "w6p", "INSERT INTO \"Post\" (\"title\", \"authorId\") VALUES ($1, $3), ($2, $3)" },
    };
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++) {
        PGresult *r = PQprepare(raw, stmts[i][0], stmts[i][1], 0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die("raw prepare", PQerrorMessage(raw));
        PQclear(r);
    }
}

static void raw_w6(int i)
{
    char email[32];
    snprintf(email, sizeof email, "w6r%d@x", i);
    raw_simple("BEGIN");
    const char *v1[] = { email, "n", "100" };
    PGresult *r = PQexecPrepared(raw, "w6u", 3, v1, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        die("w6u", PQerrorMessage(raw));
    read_user_row(r, 0);
    char id[16];
    snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    const char *v2[] = { "first", "second", id };
    r = PQexecPrepared(raw, "w6p", 3, v2, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die("w6p", PQerrorMessage(raw));
    PQclear(r);
    raw_simple("COMMIT");
}

static void raw_close(void)
{
    PQfinish(raw);
}
#elif defined(BENCH_MYSQL)
/* The hand-written Connector/C side (bench_mysql.c): prepared statements
 * kept for reuse. MariaDB has INSERT ... RETURNING but no UPDATE ...
 * RETURNING: an update reads its row back with a SELECT. */
static MYSQL *raw;
static bm_stmt *s_w1, *s_w2, *s_w3, *s_w7, *s_w6p;

static void raw_open(const char *url)
{
    raw = bm_connect(url);
    s_w1 = bm_prepare(raw, "INSERT INTO \"User\" (\"email\", \"name\", \"balance\") VALUES (?, ?, ?) RETURNING \"id\", \"email\", \"name\", \"balance\"");
    s_w2 = bm_prepare(raw, "SELECT \"id\", \"email\", \"name\", \"balance\" FROM \"User\" WHERE \"id\" = ? LIMIT 1");
    s_w3 = bm_prepare(raw, "UPDATE \"User\" SET \"balance\" = \"balance\" + ? WHERE \"id\" = ?");
    s_w7 = bm_prepare(raw, "SELECT \"id\", \"title\", \"published\", \"views\", \"authorId\" FROM \"Post\" WHERE \"published\" = ? AND \"views\" >= ? ORDER BY \"id\" DESC LIMIT ?");
}

static void raw_w1(int i)
{
    char email[32];
    snprintf(email, sizeof email, "r%d@x", i);
    int64_t s = 0;
    bm_run(s_w1, (bm_param[]){ BM_S(email), BM_S("n"), BM_I(100) }, 3, &s, NULL, 0, NULL);
    sink += s;
}

static void raw_w2(int id)
{
    int64_t s = 0;
    bm_run(s_w2, (bm_param[]){ BM_I(id) }, 1, &s, NULL, 0, NULL);
    sink += s;
}

/* UPDATE, then the row read back (no UPDATE ... RETURNING). */
static long long raw_update_balance(int id, int delta)
{
    int64_t s = 0;
    uint64_t n = 0;
    bm_run(s_w3, (bm_param[]){ BM_I(delta), BM_I(id) }, 2, &s, NULL, 0, &n);
    if (n != 1)
        die("raw update", "no row");
    bm_run(s_w2, (bm_param[]){ BM_I(id) }, 1, &s, NULL, 0, NULL);
    sink += s;
    return bm_int(s_w2, 3);
}

/* The update and its read-back in one transaction, as prismac (and Prisma
 * on MySQL) runs them: the row read back is the one this update wrote, not
 * a later session's. */
static void raw_w3(int id)
{
    bm_query(raw, "BEGIN");
    raw_update_balance(id, 1);
    bm_query(raw, "COMMIT");
}

static void raw_w7(void)
{
    int64_t s = 0;
    bm_run(s_w7, (bm_param[]){ BM_I(0), BM_I(0), BM_I(100) }, 3, &s, NULL, 0, NULL);
    sink += s;
}

static void raw_simple(const char *sql)
{
    bm_query(raw, sql);
}

static void raw_prepare_more(void) {}

/* The docs' transfer: sender - 1, check, receiver + 1, in one transaction. */
static void raw_w4(int from, int to)
{
    raw_simple("BEGIN");
    if (raw_update_balance(from, -1) < 0) {
        raw_simple("ROLLBACK");
        return;
    }
    raw_update_balance(to, 1);
    raw_simple("COMMIT");
}

static void raw_w5(int base)
{
    raw_simple("BEGIN");
    for (int i = 0; i < 100; i++)
        raw_w1(base + i);
    raw_simple("COMMIT");
}

/* W6: the user (INSERT ... RETURNING) and its two posts in one two-row
 * INSERT, in one transaction: every statement is a round trip. */
static void raw_prepare_w6(void)
{
    s_w6p = bm_prepare(raw, "INSERT INTO \"Post\" (\"title\", \"authorId\") VALUES (?, ?), (?, ?)");
}

static void raw_w6(int i)
{
    char email[32];
    snprintf(email, sizeof email, "w6r%d@x", i);
    int64_t s = 0;
    long long id = 0;
    raw_simple("BEGIN");
    if (bm_run(s_w1, (bm_param[]){ BM_S(email), BM_S("n"), BM_I(100) }, 3, &s, &id, 1, NULL) != 1)
        die("w6u", "no row");
    bm_run(s_w6p, (bm_param[]){ BM_S("first"), BM_I(id), BM_S("second"), BM_I(id) }, 4, &s, NULL, 0, NULL);
    raw_simple("COMMIT");
    sink += s;
}

static void raw_close(void)
{
    bm_close(s_w1);
    bm_close(s_w2);
    bm_close(s_w3);
    bm_close(s_w7);
    bm_close(s_w6p);
    mysql_close(raw);
}
#else
static sqlite3 *raw;
static sqlite3_stmt *s_w1, *s_w2, *s_w3, *s_w7;

static void raw_open(const char *url)
{
    if (sqlite3_open_v2(url + 5, &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        die("raw open", sqlite3_errmsg(raw));
    sqlite3_exec(raw, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", NULL, NULL, NULL);
    sqlite3_busy_timeout(raw, 5000);
    struct {
        sqlite3_stmt **s;
        const char *sql;
    } stmts[] = {
        { &s_w1, "INSERT INTO \"User\" (\"email\", \"name\", \"balance\") VALUES (?, ?, ?) RETURNING \"id\", \"email\", \"name\", \"balance\"" },
        { &s_w2, "SELECT \"id\", \"email\", \"name\", \"balance\" FROM \"User\" WHERE \"id\" = ? LIMIT 1" },
        { &s_w3, "UPDATE \"User\" SET \"balance\" = \"balance\" + ? WHERE \"id\" = ? RETURNING \"id\", \"email\", \"name\", \"balance\"" },
        { &s_w7, "SELECT \"id\", \"title\", \"published\", \"views\", \"authorId\" FROM \"Post\" WHERE \"published\" = ? AND \"views\" >= ? ORDER BY \"id\" DESC LIMIT ?" },
    };
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++)
        if (sqlite3_prepare_v3(raw, stmts[i].sql, -1, SQLITE_PREPARE_PERSISTENT, stmts[i].s, NULL) != SQLITE_OK)
            die("raw prepare", sqlite3_errmsg(raw));
}

static void step_user_rows(sqlite3_stmt *s)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        sink += sqlite3_column_int(s, 0) + sqlite3_column_bytes(s, 1) + (int64_t)(sqlite3_column_text(s, 1) != NULL) +
                (sqlite3_column_type(s, 2) == SQLITE_NULL ? 0 : sqlite3_column_bytes(s, 2)) + sqlite3_column_int(s, 3);
    if (rc != SQLITE_DONE)
        die("raw step", sqlite3_errmsg(raw));
    sqlite3_reset(s);
}

static void raw_w1(int i)
{
    char email[32];
    snprintf(email, sizeof email, "r%d@x", i);
    sqlite3_bind_text(s_w1, 1, email, -1, SQLITE_STATIC);
    sqlite3_bind_text(s_w1, 2, "n", 1, SQLITE_STATIC);
    sqlite3_bind_int(s_w1, 3, 100);
    step_user_rows(s_w1);
}

static void raw_w2(int id)
{
    sqlite3_bind_int(s_w2, 1, id);
    step_user_rows(s_w2);
}

static void raw_w3(int id)
{
    sqlite3_bind_int(s_w3, 1, 1);
    sqlite3_bind_int(s_w3, 2, id);
    step_user_rows(s_w3);
}

static void raw_w7(void)
{
    sqlite3_bind_int(s_w7, 1, 0);
    sqlite3_bind_int(s_w7, 2, 0);
    sqlite3_bind_int(s_w7, 3, 100);
    int rc;
    while ((rc = sqlite3_step(s_w7)) == SQLITE_ROW)
        sink += sqlite3_column_int(s_w7, 0) + sqlite3_column_bytes(s_w7, 1) + (int64_t)(sqlite3_column_text(s_w7, 1) != NULL) +
                sqlite3_column_int(s_w7, 2) + sqlite3_column_int(s_w7, 3) + sqlite3_column_int(s_w7, 4);
    if (rc != SQLITE_DONE)
        die("raw step", sqlite3_errmsg(raw));
    sqlite3_reset(s_w7);
}

static sqlite3_stmt *s_w4;

static void raw_simple(const char *sql)
{
    if (sqlite3_exec(raw, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(sql, sqlite3_errmsg(raw));
}

static void raw_prepare_more(void)
{
    if (sqlite3_prepare_v3(raw, "UPDATE \"User\" SET \"balance\" = \"balance\" + ? WHERE \"id\" = ? RETURNING \"id\", \"email\", \"name\", \"balance\"",
                           -1, SQLITE_PREPARE_PERSISTENT, &s_w4, NULL) != SQLITE_OK)
        die("raw prepare", sqlite3_errmsg(raw));
}

static void raw_w4(int from, int to)
{
    raw_simple("BEGIN IMMEDIATE");
    sqlite3_bind_int(s_w4, 1, -1);
    sqlite3_bind_int(s_w4, 2, from);
    if (sqlite3_step(s_w4) != SQLITE_ROW)
        die("w4", sqlite3_errmsg(raw));
    int bal = sqlite3_column_int(s_w4, 3);
    sink += sqlite3_column_int(s_w4, 0) + sqlite3_column_bytes(s_w4, 1) + (int64_t)(sqlite3_column_text(s_w4, 1) != NULL) + bal;
    sqlite3_reset(s_w4);
    if (bal < 0) {
        raw_simple("ROLLBACK");
        return;
    }
    sqlite3_bind_int(s_w4, 1, 1);
    sqlite3_bind_int(s_w4, 2, to);
    step_user_rows(s_w4);
    raw_simple("COMMIT");
}

static void raw_w5(int base)
{
    raw_simple("BEGIN IMMEDIATE");
    for (int i = 0; i < 100; i++)
        raw_w1(base + i);
    raw_simple("COMMIT");
}

/* W6: the user and its two posts in one transaction. In-process SQLite has
 * no round trips, so a careful hand-writer keeps one prepared single-row
 * post insert and steps it once per post (it serves any number of posts);
 * BEGIN IMMEDIATE and COMMIT are prepared once too. */
static sqlite3_stmt *s_w6_begin, *s_w6_commit, *s_w6u, *s_w6p;

static void raw_prepare_w6(void)
{
    struct {
        sqlite3_stmt **s;
        const char *sql;
    } stmts[] = {
        { &s_w6_begin, "BEGIN IMMEDIATE" },
        { &s_w6_commit, "COMMIT" },
        { &s_w6u, "INSERT INTO \"User\" (\"email\", \"name\", \"balance\") VALUES (?, ?, ?) RETURNING \"id\", \"email\", \"name\", \"balance\"" },
        { &s_w6p, "INSERT INTO \"Post\" (\"title\", \"authorId\") VALUES (?, ?)" },
    };
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++)
        if (sqlite3_prepare_v3(raw, stmts[i].sql, -1, SQLITE_PREPARE_PERSISTENT, stmts[i].s, NULL) != SQLITE_OK)
            die("raw prepare", sqlite3_errmsg(raw));
}

static void step_done(sqlite3_stmt *s, const char *what)
{
    if (sqlite3_step(s) != SQLITE_DONE)
        die(what, sqlite3_errmsg(raw));
    sqlite3_reset(s);
}

static void raw_w6(int i)
{
    char email[32];
    snprintf(email, sizeof email, "w6r%d@x", i);
    step_done(s_w6_begin, "w6 begin");
    sqlite3_bind_text(s_w6u, 1, email, -1, SQLITE_STATIC);
    sqlite3_bind_text(s_w6u, 2, "n", 1, SQLITE_STATIC);
    sqlite3_bind_int(s_w6u, 3, 100);
    if (sqlite3_step(s_w6u) != SQLITE_ROW)
        die("w6u", sqlite3_errmsg(raw));
    int id = sqlite3_column_int(s_w6u, 0);
    sink += id + sqlite3_column_bytes(s_w6u, 1) + (int64_t)(sqlite3_column_text(s_w6u, 1) != NULL) +
            (sqlite3_column_type(s_w6u, 2) == SQLITE_NULL ? 0 : sqlite3_column_bytes(s_w6u, 2)) +
            sqlite3_column_int(s_w6u, 3);
    if (sqlite3_step(s_w6u) != SQLITE_DONE)
        die("w6u", sqlite3_errmsg(raw));
    sqlite3_reset(s_w6u);
    static const char *const titles[] = { "first", "second" };
    for (int k = 0; k < 2; k++) {
        sqlite3_bind_text(s_w6p, 1, titles[k], -1, SQLITE_STATIC);
        sqlite3_bind_int(s_w6p, 2, id);
        step_done(s_w6p, "w6p");
    }
    step_done(s_w6_commit, "w6 commit");
}

static void raw_close(void)
{
    sqlite3_finalize(s_w6_begin);
    sqlite3_finalize(s_w6_commit);
    sqlite3_finalize(s_w6u);
    sqlite3_finalize(s_w6p);
    sqlite3_finalize(s_w4);
    sqlite3_finalize(s_w1);
    sqlite3_finalize(s_w2);
    sqlite3_finalize(s_w3);
    sqlite3_finalize(s_w7);
    sqlite3_close(raw);
}
#endif

/* ---- the prismac side ---- */

static void read_user(const User *u)
{
    sink += u->id + (int64_t)strlen(u->email) + (u->name ? (int64_t)strlen(u->name) : 0) + u->balance;
}

static void p_w1(int i)
{
    char email[32];
    snprintf(email, sizeof email, "u%d@x", i);
    User *u;
    check(user_create(db, &(UserCreateInput){ .email = email, .name = "n", .balance = PRISMA_INT(100) }, &u), "W1");
    read_user(u);
    user_free(u);
}

static void p_w2(int id)
{
    User *u;
    check(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &u), "W2");
    if (u)
        read_user(u);
    user_free(u);
}

static void p_w3(int id)
{
    User *u;
    check(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) },
                      &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, &u),
          "W3");
    read_user(u);
    user_free(u);
}

static void p_w7(void)
{
    PostList *l;
    check(post_find_many(db,
                         &(PostFindManyArgs){ .where = &(PostWhereInput){ .published = { .equals = PRISMA_BOOL(false) },
                                                                          .views = { .gte = PRISMA_INT(0) } },
                                              .order_by = (PostOrderByInput[]){ { .id = PRISMA_DESC } },
                                              .order_by_len = 1, .take = PRISMA_TAKE(100) },
                         &l),
          "W7");
    for (size_t i = 0; i < l->len; i++) {
        const Post *p = &l->items[i];
        sink += p->id + (int64_t)strlen(p->title) + p->published + p->views + p->authorId;
    }
    post_list_free(l);
}

typedef struct transfer {
    int from, to, amount;
} transfer;

/* The bank transfer from Prisma's documentation. */
static int transfer_fn(prisma_client *tx, void *arg)
{
    const transfer *t = arg;
    User *sender;
    int rc = user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(t->from) },
                         &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(t->amount) } }, &sender);
    if (rc != PRISMA_OK)
        return rc;
    read_user(sender);
    if (sender->balance < 0)
        rc = prisma_fail(tx, "%d doesn't have enough to send %d", t->from, t->amount);
    user_free(sender);
    if (rc != PRISMA_OK)
        return rc;
    User *receiver;
    rc = user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(t->to) },
                     &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(t->amount) } }, &receiver);
    if (rc == PRISMA_OK) {
        read_user(receiver);
        user_free(receiver);
    }
    return rc;
}

static void p_w4(int from, int to)
{
    transfer t = { from, to, 1 };
    if (prisma_transaction(db, transfer_fn, &t, NULL) != PRISMA_OK && strcmp(prisma_error_code(db), "USER") != 0)
        die("W4", prisma_error_message(db));
}

static void p_w5(int base)
{
    prisma_batch *b;
    check(prisma_batch_new(db, &b), "W5");
    char emails[100][32];
    UserCreateInput in[100];
    User *out[100];
    for (int i = 0; i < 100; i++) {
        snprintf(emails[i], sizeof emails[i], "b%d@x", base + i);
        in[i] = (UserCreateInput){ .email = emails[i], .name = "n", .balance = PRISMA_INT(100) };
        check(user_batch_create(b, &in[i], &out[i]), "W5 add");
    }
    check(prisma_batch_run(b, NULL, NULL), "W5");
    for (int i = 0; i < 100; i++) {
        read_user(out[i]);
        user_free(out[i]);
    }
    prisma_batch_free(b);
}

/* W6: a user with two posts in one nested create (one atomic call). */
static void p_w6(int i)
{
    char email[32];
    snprintf(email, sizeof email, "w6p%d@x", i);
    User *u;
    check(user_create(db,
                      &(UserCreateInput){ .email = email, .name = "n", .balance = PRISMA_INT(100),
                                          .posts = { .create = (PostCreateInput[]){ { .title = "first" },
                                                                                    { .title = "second" } },
                                                     .create_len = 2 } },
                      &u),
          "W6");
    read_user(u);
    user_free(u);
}

/* ---- phases ---- */

static int n_users;
static void pw1(int i) { p_w1(i); }
static void rw1(int i) { raw_w1(i); }
static void pw2(int i) { p_w2(1 + i % n_users); }
static void rw2(int i) { raw_w2(1 + i % n_users); }
static void pw3(int i) { p_w3(1 + i % n_users); }
static void rw3(int i) { raw_w3(1 + i % n_users); }
static void pw7(int i) { (void)i; p_w7(); }
static void pw4(int i) { p_w4(1 + i % n_users, 1 + (i + 1) % n_users); }
static void rw4(int i) { raw_w4(1 + i % n_users, 1 + (i + 1) % n_users); }
static void pw5(int i) { p_w5(1000000 + i * 100); }
static void rw5(int i) { raw_w5(2000000 + i * 100); }
static void rw7(int i) { (void)i; raw_w7(); }
static void pw6(int i) { p_w6(i); }
static void rw6(int i) { raw_w6(i); }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Runs `n` operations of each side in alternating slices (which side goes
 * first alternates too), so both sides share the database's background work
 * (WAL checkpoints) and the machine's state evenly. Returns ops/s of each
 * side from its median slice: on a shared machine a slice now and then
 * loses the CPU to another process, and a sum over all slices would charge
 * that to whichever side it hit. */
static void measure(void (*p)(int), void (*r)(int), int base, int n, double *p_rate, double *r_rate)
{
    enum { MAX_SLICES = 20 };
    const int slices = n < MAX_SLICES ? n : MAX_SLICES;
    double tp[MAX_SLICES], tr[MAX_SLICES];
    int per = n / slices;
    for (int s = 0; s < slices; s++) {
        for (int k = 0; k < 2; k++) {
            bool prismac = (k == 0) == (s % 2 == 0);
            void (*f)(int) = prismac ? p : r;
            double t0 = now_s();
            for (int i = 0; i < per; i++)
                f(base + s * per + i);
            (prismac ? tp : tr)[s] = now_s() - t0;
        }
    }
    *p_rate = per / median(tp, slices);
    *r_rate = per / median(tr, slices);
}

/* The SQLite both sides link (one library per executable: the system's or
 * the current amalgamation, see bench/meson.build). */
#if defined(BENCH_PG)
#define VERSION_FIELD ""
#define VERSION_VALUE ""
#elif defined(BENCH_MYSQL)
#define VERSION_FIELD " server="
#define VERSION_VALUE mysql_get_server_info(raw)
#else
#define VERSION_FIELD " sqlite="
#define VERSION_VALUE sqlite3_libversion()
#endif

static void report(const char *phase, double p, double r)
{
    printf("BENCH backend=%s%s%s phase=%s prismac_ops_s=%.1f raw_ops_s=%.1f ratio=%.3f\n", BACKEND, VERSION_FIELD,
           VERSION_VALUE, phase, p, r, p / r);
    fflush(stdout);
}

#if defined(BENCH_PG) || defined(BENCH_MYSQL)
#include <pthread.h>

/* W8: 8 threads, 10 accounts, 10 s of transfers between random pairs. */
enum { W8_THREADS = 8, W8_ACCOUNTS = 10, W8_SECONDS = 10 };

typedef struct w8_thread {
    prisma_client *db;
    int first_id;
    prisma_isolation iso;
    unsigned seed;
    long committed, failed;
    char codes[256];
} w8_thread;

static void *w8_worker(void *arg)
{
    w8_thread *w = arg;
    double end = now_s() + W8_SECONDS;
    while (now_s() < end) {
        w->seed = w->seed * 1103515245u + 12345u;
        int a = (int)((w->seed >> 8) % W8_ACCOUNTS), b = (int)((w->seed >> 16) % (W8_ACCOUNTS - 1));
        if (b >= a)
            b++;
        transfer t = { w->first_id + a, w->first_id + b, 1 };
        if (prisma_transaction(w->db, transfer_fn, &t,
                               &(prisma_tx_options){ .isolation = w->iso, .max_retries = 50,
                                                     .timeout_ms = 30000, .max_wait_ms = 30000 }) == PRISMA_OK) {
            w->committed++;
        } else {
            const char *code = prisma_error_code(w->db);
            if (code && strcmp(code, "USER") == 0)
                continue; /* not enough money: the transfer's own rule */
            w->failed++;
            if (code && !strstr(w->codes, code) && strlen(w->codes) + strlen(code) + 2 < sizeof w->codes) {
                strcat(w->codes, w->codes[0] ? "," : "");
                strcat(w->codes, code);
            }
        }
    }
    return NULL;
}

static int64_t total_balance(int first_id)
{
    int64_t sum = 0;
    for (int i = 0; i < W8_ACCOUNTS; i++) {
        User *u;
        check(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(first_id + i) }, &u), "W8 read");
        sum += u->balance;
        user_free(u);
    }
    return sum;
}

/* Each side talks to its own server process. On a small machine a pair's
 * round trip depends on where the scheduler puts the two processes (the same
 * core or not, an idle core's wake-up), and it chooses differently for the
 * two pairs: unpinned, one side ran 6x "faster" than the other, then the
 * reverse on the next run. So both server processes go to one core and this
 * process to another, as a client and its database server on their own
 * machines (PRISMAC_BENCH_PIN=same puts all three on one core, =none leaves
 * them to the scheduler). W8's threads and server processes go anywhere. */
static cpu_set_t all_cpus;

#if defined(BENCH_PG)
static void pin(pid_t pid, int cpu)
{
    cpu_set_t s;
    CPU_ZERO(&s);
    CPU_SET(cpu, &s);
    if (sched_setaffinity(pid, sizeof s, &s) != 0)
        fprintf(stderr, "bench: cannot pin process %d to cpu %d: ratios may be noisy\n", (int)pid, cpu);
}

static void pin_backends(void)
{
    sched_getaffinity(0, sizeof all_cpus, &all_cpus);
    const char *how = getenv("PRISMAC_BENCH_PIN");
    if (how && strcmp(how, "none") == 0)
        return;
    int cpus[2], n = 0;
    for (int c = 0; c < CPU_SETSIZE && n < 2; c++)
        if (CPU_ISSET(c, &all_cpus))
            cpus[n++] = c;
    int server = n == 2 && !(how && strcmp(how, "same") == 0) ? cpus[1] : cpus[0];
    prisma_raw_rows *rows;
    /* The pool hands out its most recently used connection: this one, in
     * every single-threaded phase. */
    check(prisma_query_raw(db, "SELECT pg_backend_pid()", NULL, 0, &rows), "backend pid");
    pin((pid_t)rows->values[0].i, server);
    prisma_free(rows);
    pin(PQbackendPID(raw), server);
    pin(0, cpus[0]);
    printf("bench: client on cpu %d, both server processes on cpu %d\n", cpus[0], server);
}
#else
/* MariaDB serves every connection from a thread of one process: there is
 * no per-side server process to pin, so nothing is pinned. */
static void pin_backends(void)
{
    sched_getaffinity(0, sizeof all_cpus, &all_cpus);
}
#endif

static void w8(const char *url, prisma_isolation iso, const char *label)
{
#if defined(__linux__)
    sched_setaffinity(0, sizeof all_cpus, &all_cpus); /* the threads go anywhere */
#endif
    /* Fresh accounts for each run. */
    int first_id = 0;
    for (int i = 0; i < W8_ACCOUNTS; i++) {
        char email[48];
        snprintf(email, sizeof email, "w8-%s-%d@x", label, i);
        User *u;
        check(user_create(db, &(UserCreateInput){ .email = email, .balance = PRISMA_INT(1000) }, &u), "W8 setup");
        if (i == 0)
            first_id = u->id;
        user_free(u);
    }
    int64_t before = total_balance(first_id);
    prisma_client *pool;
    if (prisma_connect_with(&pool, url, &(prisma_options){ .pool_size = W8_THREADS }) != PRISMA_OK)
        die("W8 connect", prisma_last_connect_error());
    pthread_t th[W8_THREADS];
    w8_thread w[W8_THREADS];
    for (int i = 0; i < W8_THREADS; i++) {
        w[i] = (w8_thread){ .db = pool, .first_id = first_id, .iso = iso, .seed = 7919u * (unsigned)(i + 1) };
        pthread_create(&th[i], NULL, w8_worker, &w[i]);
    }
    long committed = 0, failed = 0;
    char codes[512] = "";
    for (int i = 0; i < W8_THREADS; i++) {
        pthread_join(th[i], NULL);
        committed += w[i].committed;
        failed += w[i].failed;
        if (w[i].codes[0] && !strstr(codes, w[i].codes) && strlen(codes) + strlen(w[i].codes) + 2 < sizeof codes) {
            strcat(codes, codes[0] ? "," : "");
            strcat(codes, w[i].codes);
        }
    }
    prisma_disconnect(pool);
    int64_t after = total_balance(first_id);
    printf("BENCH backend=%s phase=W8 isolation=%s committed_s=%.1f failed=%ld%s%s conserved=%s\n", BACKEND, label,
           (double)committed / W8_SECONDS, failed, codes[0] ? ":" : "", codes, before == after ? "yes" : "no");
    fflush(stdout);
}
#endif

/* issue 13: W11, a relation filter */
#include "bench_w11.c"

/* ---- W9 (issue 13): the include tree ---- */
#if defined(BENCH_PG)
#define W9_P1 "$1"
#define W9_FALSE "false"
#define W9_IN_USERS "= ANY($1::int[])"
#define W9_IN_POSTS "= ANY($1::int[])"
#elif defined(BENCH_MYSQL)
#define W9_P1 "?"
#define W9_FALSE "0"
#define W9_IN_USERS "IN (?L)"
#define W9_IN_POSTS "IN (?L)"
#else
#define W9_P1 "?1"
#define W9_FALSE "0"
#define W9_IN_USERS "IN (?L)"
#define W9_IN_POSTS "IN (?L)"
#endif
#include "bench_w9.c"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PRISMAC SCHEMA\n", argv[0]);
        return 2;
    }
    bool skipped;
    char err[4096];
    const char *n_env = getenv("PRISMAC_BENCH_N");
    if (n_env && (N = atoi(n_env)) < 100)
        die("PRISMAC_BENCH_N", "must be at least 100");
    N -= N % 100; /* W5 runs N/100 batches of 100 */
#if !defined(BENCH_PG) && defined(BENCH_NO_CURRENT_SQLITE)
    printf("bench: SQLite 3.53.2 not found at %s: only the system SQLite (%s) runs\n", BENCH_NO_CURRENT_SQLITE,
           sqlite3_libversion());
#endif
    const char *url = testdb_setup(BACKEND, argv[1], argv[2], &skipped, err, sizeof err);
    if (!url) {
        if (skipped) {
            printf("%s benchmark skipped: %s\n", BACKEND, err);
            return 0;
        }
        die("setup", err);
    }
    char p_url[1024];
    snprintf(p_url, sizeof p_url, "%s", url);
    /* issue 15: PRISMAC_BENCH_PARAMS (e.g. "pgbouncer=true") goes on prismac's
     * url only: the cost of unnamed statements against the raw side's named ones. */
    const char *extra = getenv("PRISMAC_BENCH_PARAMS");
    if (extra && *extra)
        snprintf(p_url, sizeof p_url, "%s%s%s", url, strchr(url, '?') ? "&" : "?", extra);
    if (prisma_connect(&db, p_url) != PRISMA_OK)
        die("connect", prisma_last_connect_error());
#if defined(BENCH_PG) || defined(BENCH_MYSQL)
    /* One server: each side has its own connection (and, on PostgreSQL, backend process). */
    raw_open(url); /* the hand-written side never takes prismac's parameters */
    pin_backends();
    int users_per_side = 2; /* both sides' users share the tables */
#else
    /* Each side on its own database file: two connections on one file hand
     * the WAL back and forth (each commit invalidates the other's page
     * cache), which measures the hand-over, not the client. */
    const char *raw_url = testdb_setup(BACKEND, argv[1], argv[2], &skipped, err, sizeof err);
    if (!raw_url)
        die("setup", err);
    raw_open(raw_url);
    int users_per_side = 1;
#endif

    /* W1 from empty tables; both sides insert N users (distinct emails). */
    double p, r;
    measure(pw1, rw1, 0, N, &p, &r);
    n_users = users_per_side * N;
    report("W1", p, r);
    /* A warm-up slice each, then the measured runs. */
    measure(pw2, rw2, 0, N / 10, &p, &r);
    measure(pw2, rw2, 0, N, &p, &r);
    report("W2", p, r);
    measure(pw3, rw3, 0, N, &p, &r);
    report("W3", p, r);
    raw_prepare_more();
    measure(pw4, rw4, 0, N, &p, &r);
    report("W4", p, r);
    /* W5: N/100 batches of 100 creates; rows/s. */
    measure(pw5, rw5, 0, N / 100, &p, &r);
    report("W5", p * 100, r * 100);

    /* W6: N users with two posts each per side (emails w6p<i>@x, w6r<i>@x). */
    raw_prepare_w6();
    measure(pw6, rw6, 0, N / 10, &p, &r); /* warm-up: both sides' statements prepared and cached */
    measure(pw6, rw6, N / 10, N, &p, &r);
    report("W6", p, r);

    /* W7 reads the posts W6 left: 2 per user, (N + N/10) users per side. */
    measure(pw7, rw7, 0, N / 10, &p, &r);
    report("W7", p, r);
    w11(); /* issue 13 */

    /* W10: group by (bench_w10.c), over every user of the phases above. */
    bench_w10(db, raw, N / 10, measure, report);

    /* W9: the include tree (bench_w9.c). */
#if defined(BENCH_PG) || defined(BENCH_MYSQL)
    w9(true);
#else
    w9(false);
#endif

#if defined(BENCH_PG) || defined(BENCH_MYSQL)
    w8(p_url, PRISMA_ISOLATION_DEFAULT, "default");
    w8(p_url, PRISMA_SERIALIZABLE, "serializable");
#endif
    raw_close();
    prisma_disconnect(db);
    return sink == 42 ? 1 : 0;
}
