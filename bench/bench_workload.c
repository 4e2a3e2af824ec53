/* The benchmark of shared/bench/WORKLOAD.md: each phase through the
 * generated prismac client and through hand-written driver code, in the
 * same process, printing one BENCH line per phase with the ratio.
 * Built twice: for SQLite (a WAL file) and for PostgreSQL (a local server). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

enum { N = 2000 };

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

static void raw_close(void)
{
    PQfinish(raw);
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

static void raw_close(void)
{
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
                                              .order_by_len = 1, .take = 100 },
                         &l),
          "W7");
    for (size_t i = 0; i < l->len; i++) {
        const Post *p = &l->items[i];
        sink += p->id + (int64_t)strlen(p->title) + p->published + p->views + p->authorId;
    }
    post_list_free(l);
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
static void rw7(int i) { (void)i; raw_w7(); }

/* Runs `n` operations of each side in alternating slices, so both sides
 * share the machine's noise and the database's background work (WAL
 * checkpoints) evenly. Returns ops/s of each side. */
static void measure(void (*p)(int), void (*r)(int), int base, int n, double *p_rate, double *r_rate)
{
    enum { SLICES = 10 };
    double tp = 0, tr = 0;
    int per = n / SLICES;
    for (int s = 0; s < SLICES; s++) {
        double t0 = now_s();
        for (int i = 0; i < per; i++)
            p(base + s * per + i);
        double t1 = now_s();
        for (int i = 0; i < per; i++)
            r(base + s * per + i);
        double t2 = now_s();
        tp += t1 - t0;
        tr += t2 - t1;
    }
    *p_rate = per * SLICES / tp;
    *r_rate = per * SLICES / tr;
}

static void report(const char *phase, double p, double r)
{
    printf("BENCH backend=%s phase=%s prismac_ops_s=%.1f raw_ops_s=%.1f ratio=%.3f\n", BACKEND, phase, p, r, p / r);
    fflush(stdout);
}

int main(int argc, char **argv)
{
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
    if (prisma_connect(&db, url) != PRISMA_OK)
        die("connect", prisma_last_connect_error());
    raw_open(url);

    /* W1 from empty tables; both sides insert N users (distinct emails). */
    double p, r;
    measure(pw1, rw1, 0, N, &p, &r);
    n_users = 2 * N;
    report("W1", p, r);
    /* A warm-up slice each, then the measured runs. */
    measure(pw2, rw2, 0, N / 10, &p, &r);
    measure(pw2, rw2, 0, N, &p, &r);
    report("W2", p, r);
    measure(pw3, rw3, 0, N, &p, &r);
    report("W3", p, r);

    /* W7 reads posts: 2 per user, as W6 (nested creates) would leave them. */
    PostCreateInput *posts = calloc(2 * (size_t)n_users, sizeof *posts);
    for (int i = 0; i < 2 * n_users; i++)
        posts[i] = (PostCreateInput){ .title = "hello", .authorId = PRISMA_INT(1 + i / 2) };
    int64_t created;
    check(post_create_many(db, posts, 2 * (size_t)n_users, false, &created), "seed posts");
    free(posts);
    measure(pw7, rw7, 0, 200, &p, &r);
    report("W7", p, r);

    raw_close();
    prisma_disconnect(db);
    return sink == 42 ? 1 : 0;
}
