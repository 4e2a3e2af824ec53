/* PostgreSQL behind PgBouncer in transaction mode (issue 15), with
 * pgbouncer=true and without it (tests/support/pgbouncer.h starts Debian's
 * PgBouncer in front of the test server):
 *   - 8 threads x 20 s of W4 transfers through PgBouncer: no failure, the
 *     total conserved; the same on a direct connection, both throughputs
 *     printed;
 *   - without the flag the pooler's failure mode (a named statement made by
 *     another client, or missing) is a clear error naming the flag, never a
 *     wrong result, and the client carries on;
 *   - the url's ?schema= (search_path) holds through the pooler: outside a
 *     transaction, in one, in a batch and in a stream;
 *   - socket_timeout: a statement the server does not finish in time fails
 *     with P1008, directly and through PgBouncer, and the client carries on.
 * Run as `test_pg_pgbouncer pgbouncer PRISMAC SCHEMA` (support/testmain.c). */
#include <check.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include TEST_CLIENT_H
#include "pgbouncer.h"
#include "testmain.h"

enum { ACCOUNTS = 100, START_BALANCE = 1000000, LOAD_THREADS = 8, LOAD_MS = 20000 };

static const char *url; /* through PgBouncer, with pgbouncer=true */
static const char *direct;
static const char *const tables[] = { "User", "Post", "Ledger" };
static int32_t account_ids[ACCOUNTS];

static const char *code_of(const prisma_client *c)
{
    const char *s = prisma_error_code(c);
    return s ? s : "-";
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* `base` with its pgbouncer=true replaced by `params` (NULL: none). */
static void url_with(const char *base, const char *params, char *out, size_t n)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", base);
    char *q = strstr(tmp, "?pgbouncer=true");
    if (!q)
        q = strstr(tmp, "&pgbouncer=true");
    if (q)
        *q = '\0';
    snprintf(out, n, "%s%s%s", tmp, params ? (strchr(tmp, '?') ? "&" : "?") : "", params ? params : "");
}

/* Runs SQL on the server directly (test set-up). */
static void direct_sql(const char *sql)
{
    PGconn *pg = PQconnectdb(direct);
    ck_assert_msg(PQstatus(pg) == CONNECTION_OK, "direct connection: %s", PQerrorMessage(pg));
    PGresult *res = PQexec(pg, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql,
                  PQerrorMessage(pg));
    PQclear(res);
    PQfinish(pg);
}

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
}

/* ---- W4 under load ---- */

typedef struct worker {
    prisma_client *db;
    int64_t deadline;
    unsigned seed;
    long committed, refused, failed;
    char first_failure[256];
} worker;

/* W4, the bank transfer of Prisma's docs: decrement the sender by 1, check
 * its balance is not negative (else roll back), increment the receiver. The
 * sender is the lower id, so transfers lock rows in one order (no
 * deadlock: PostgreSQL's 1 s detection would measure itself). */
typedef struct transfer_arg {
    int32_t from, to;
} transfer_arg;

static int transfer(prisma_client *tx, void *arg)
{
    transfer_arg *t = arg;
    User *u = NULL;
    int rc = user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(t->from) },
                         &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(1) } }, &u);
    if (rc != PRISMA_OK)
        return rc;
    int32_t balance = u->balance;
    user_free(u);
    if (balance < 0)
        return prisma_fail(tx, "insufficient funds");
    return user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(t->to) },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
}

static void *run_worker(void *p)
{
    worker *w = p;
    prisma_tx_options opts = { .max_wait_ms = 10000, .timeout_ms = 10000 };
    while (now_ms() < w->deadline) {
        int a = rand_r(&w->seed) % ACCOUNTS, b = (a + 1 + rand_r(&w->seed) % (ACCOUNTS - 1)) % ACCOUNTS;
        transfer_arg t = { account_ids[a < b ? a : b], account_ids[a < b ? b : a] };
        if (prisma_transaction(w->db, transfer, &t, &opts) == PRISMA_OK) {
            w->committed++;
        } else if (strstr(prisma_error_message(w->db), "insufficient funds")) {
            w->refused++;
        } else if (w->failed++ == 0) {
            snprintf(w->first_failure, sizeof w->first_failure, "%s %s", code_of(w->db),
                     prisma_error_message(w->db));
        }
    }
    return NULL;
}

/* 8 threads of W4 for `ms` on one client of `u`: transfers per second. */
static double w4_load(const char *u, const char *label, int ms)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    prisma_client *db = NULL;
    char opened[1100];
    snprintf(opened, sizeof opened, "%s%sconnection_limit=%d", u, strchr(u, '?') ? "&" : "?", LOAD_THREADS);
    ck_assert_msg(prisma_connect(&db, opened) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    for (int i = 0; i < ACCOUNTS; i++) {
        char email[32];
        snprintf(email, sizeof email, "account%d@bank", i);
        User *us = NULL;
        ck_assert_msg(user_create(db, &(UserCreateInput){ .email = email, .balance = PRISMA_INT(START_BALANCE) },
                                  &us) == PRISMA_OK,
                      "create: %s", prisma_error_message(db));
        account_ids[i] = us->id;
        user_free(us);
    }
    worker w[LOAD_THREADS];
    pthread_t th[LOAD_THREADS];
    int64_t start = now_ms();
    for (int i = 0; i < LOAD_THREADS; i++) {
        w[i] = (worker){ .db = db, .deadline = start + ms, .seed = 1234u + (unsigned)i };
        ck_assert_int_eq(pthread_create(&th[i], NULL, run_worker, &w[i]), 0);
    }
    long committed = 0, refused = 0, failed = 0;
    const char *first = NULL;
    for (int i = 0; i < LOAD_THREADS; i++) {
        pthread_join(th[i], NULL);
        committed += w[i].committed;
        refused += w[i].refused;
        failed += w[i].failed;
        if (w[i].failed && !first)
            first = w[i].first_failure;
    }
    double secs = (double)(now_ms() - start) / 1000.0;
    prisma_raw_rows *rows = NULL;
    ck_assert_int_eq(prisma_query_raw(db, "SELECT sum(balance)::bigint AS s, count(*)::bigint AS n FROM \"User\"", NULL,
                                      0, &rows),
                     PRISMA_OK);
    int64_t sum = rows->values[0].i, n = rows->values[1].i;
    prisma_free(rows);
    prisma_disconnect(db);
    printf("W4 load, %s: %d threads x %.1f s: %ld transfers committed (%.0f/s), %ld refused, %ld failed\n", label,
           LOAD_THREADS, secs, committed, committed / secs, refused, failed);
    fflush(stdout);
    ck_assert_msg(failed == 0, "%s: %ld transfers failed; the first: %s", label, failed, first ? first : "");
    ck_assert_msg(committed > 0, "%s: nothing committed", label);
    ck_assert_int_eq(n, ACCOUNTS);
    ck_assert_int_eq(sum, (int64_t)ACCOUNTS * START_BALANCE);
    return committed / secs;
}

START_TEST(w4_load_through_pgbouncer_and_direct)
{
    char d[1024];
    url_with(direct, NULL, d, sizeof d);
    double pooled = w4_load(url, "PgBouncer (transaction mode), pgbouncer=true", LOAD_MS);
    double plain = w4_load(d, "direct", LOAD_MS);
    printf("W4 through PgBouncer: %.0f transfers/s, %.0f%% of direct (%.0f/s)\n", pooled, 100.0 * pooled / plain,
           plain);
}
END_TEST

/* ---- without the flag ---- */

START_TEST(missing_flag_is_a_clear_error)
{
    char bare[1024];
    url_with(url, NULL, bare, sizeof bare);
    /* Two clients take turns: PgBouncer hands the server session the first
     * just left to the second, whose statement "s0" is then already there
     * (or, the other way round, missing). */
    prisma_client *db[2] = { NULL, NULL };
    for (int i = 0; i < 2; i++)
        ck_assert_msg(prisma_connect(&db[i], bare) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    int detected = 0, ok = 0;
    for (int k = 0; k < 40; k++) {
        prisma_client *c = db[k % 2];
        prisma_raw_rows *rows = NULL;
        /* Each client its own statement text: a mixed-up statement would
         * answer with the other's result. */
        const char *sql = k % 2 ? "SELECT $1::int + 1000 AS v" : "SELECT $1::int + 2000 AS v";
        if (prisma_query_raw(c, sql, (prisma_raw_value[]){ PRISMA_RAW_INT_V(k) }, 1, &rows) == PRISMA_OK) {
            ck_assert_int_eq(rows->n_rows, 1);
            ck_assert_int_eq(rows->values[0].i, k + (k % 2 ? 1000 : 2000));
            prisma_free(rows);
            ok++;
            continue;
        }
        const char *m = prisma_error_message(c), *dbc = prisma_error_db_code(c);
        ck_assert_msg(strstr(m, "pgbouncer=true") && strstr(m, "PgBouncer"), "unclear error: %s %s", code_of(c), m);
        ck_assert_msg(dbc && (strcmp(dbc, "42P05") == 0 || strcmp(dbc, "26000") == 0), "db code %s",
                      dbc ? dbc : "(none)");
        detected++;
    }
    printf("without pgbouncer=true: %d of 40 calls refused with the clear error, %d right\n", detected, ok);
    ck_assert_msg(detected > 0, "PgBouncer's shared sessions never showed (40 calls went through)");
    ck_assert_msg(ok > 0, "the client did not carry on after the error");
    for (int i = 0; i < 2; i++)
        prisma_disconnect(db[i]);
    /* statement_cache_size=0 is Prisma's other way to say it: no error. */
    url_with(url, "statement_cache_size=0", bare, sizeof bare);
    for (int i = 0; i < 2; i++)
        ck_assert_msg(prisma_connect(&db[i], bare) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    for (int k = 0; k < 40; k++) {
        prisma_client *c = db[k % 2];
        prisma_raw_rows *rows = NULL;
        const char *sql = k % 2 ? "SELECT $1::int + 1000 AS v" : "SELECT $1::int + 2000 AS v";
        ck_assert_msg(prisma_query_raw(c, sql, (prisma_raw_value[]){ PRISMA_RAW_INT_V(k) }, 1, &rows) == PRISMA_OK,
                      "statement_cache_size=0: %s %s", code_of(c), prisma_error_message(c));
        ck_assert_int_eq(rows->values[0].i, k + (k % 2 ? 1000 : 2000));
        prisma_free(rows);
    }
    for (int i = 0; i < 2; i++)
        prisma_disconnect(db[i]);
}
END_TEST

/* ---- the url's schema ---- */

static int read_in_tx(prisma_client *tx, void *arg)
{
    char *out = arg;
    prisma_raw_rows *rows = NULL;
    int rc = prisma_query_raw(tx, "SELECT name FROM \"Thing\"", NULL, 0, &rows);
    if (rc != PRISMA_OK)
        return rc;
    snprintf(out, 32, "%s", rows->n_rows ? rows->values[0].s : "");
    prisma_free(rows);
    /* A savepoint rolled back keeps the schema (it was set before). */
    rc = prisma_execute_raw(tx, "SAVEPOINT sp", NULL, 0, NULL);
    if (rc == PRISMA_OK)
        rc = prisma_execute_raw(tx, "ROLLBACK TO SAVEPOINT sp", NULL, 0, NULL);
    if (rc == PRISMA_OK)
        rc = prisma_query_raw(tx, "SELECT name FROM \"Thing\"", NULL, 0, &rows);
    if (rc != PRISMA_OK)
        return rc;
    snprintf(out + 32, 32, "%s", rows->n_rows ? rows->values[0].s : "");
    prisma_free(rows);
    return PRISMA_OK;
}

typedef struct stream_sum {
    int n;
    int64_t sum;
} stream_sum;

static int add_balance(const User *u, void *arg)
{
    stream_sum *s = arg;
    s->n++;
    s->sum += u->balance;
    return 0;
}

static int stream_in_tx(prisma_client *tx, void *arg)
{
    return user_find_each(tx, NULL, add_balance, arg);
}

START_TEST(schema_holds_through_pgbouncer)
{
    direct_sql("DROP SCHEMA IF EXISTS \"other one\" CASCADE; CREATE SCHEMA \"other one\";"
               "CREATE TABLE \"other one\".\"Thing\" (name text); INSERT INTO \"other one\".\"Thing\" VALUES ('other');"
               "DROP TABLE IF EXISTS public.\"Thing\"; CREATE TABLE public.\"Thing\" (name text);"
               "INSERT INTO public.\"Thing\" VALUES ('public')");
    char u[1100];
    url_with(url, "pgbouncer=true&schema=other%20one", u, sizeof u);
    /* Two clients with different schemas share PgBouncer's server sessions. */
    char pu[1100];
    url_with(url, "pgbouncer=true", pu, sizeof pu);
    prisma_client *db = NULL, *pub = NULL;
    ck_assert_msg(prisma_connect(&db, u) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    ck_assert_msg(prisma_connect(&pub, pu) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    for (int k = 0; k < 10; k++) {
        prisma_raw_rows *rows = NULL;
        ck_assert_msg(prisma_query_raw(db, "SELECT name FROM \"Thing\"", NULL, 0, &rows) == PRISMA_OK, "%s",
                      prisma_error_message(db));
        ck_assert_str_eq(rows->values[0].s, "other");
        prisma_free(rows);
        ck_assert_int_eq(prisma_query_raw(pub, "SELECT name FROM \"Thing\"", NULL, 0, &rows), PRISMA_OK);
        ck_assert_str_eq(rows->values[0].s, "public");
        prisma_free(rows);
    }
    char got[64] = "";
    ck_assert_msg(prisma_transaction(db, read_in_tx, got, NULL) == PRISMA_OK, "%s", prisma_error_message(db));
    ck_assert_str_eq(got, "other");
    ck_assert_str_eq(got + 32, "other");
    /* A batch: pipelined after its held-back BEGIN. */
    prisma_batch *b = NULL;
    prisma_raw_rows *r1 = NULL, *r2 = NULL;
    ck_assert_int_eq(prisma_batch_new(db, &b), PRISMA_OK);
    ck_assert_int_eq(prisma_batch_execute_raw(b, "INSERT INTO \"Thing\" VALUES ('batched')", NULL, 0, NULL), PRISMA_OK);
    ck_assert_int_eq(prisma_batch_query_raw(b, "SELECT count(*)::int AS n FROM \"Thing\"", NULL, 0, &r1), PRISMA_OK);
    ck_assert_msg(prisma_batch_run(b, NULL, NULL) == PRISMA_OK, "%s", prisma_error_message(db));
    ck_assert_int_eq(r1->values[0].i, 2);
    prisma_free(r1);
    prisma_batch_free(b);
    ck_assert_int_eq(prisma_execute_raw(db, "DELETE FROM \"Thing\" WHERE name = 'batched'", NULL, 0, NULL), PRISMA_OK);
    ck_assert_int_eq(prisma_query_raw(pub, "SELECT count(*)::int AS n FROM \"Thing\"", NULL, 0, &r2), PRISMA_OK);
    ck_assert_int_eq(r2->values[0].i, 1);
    prisma_free(r2);
    /* A stream (single-row mode) after the held-back setting, outside a
     * transaction and after a held-back BEGIN: the schema's own User rows. */
    direct_sql("CREATE TABLE \"other one\".\"User\" (LIKE public.\"User\" INCLUDING ALL);"
               "INSERT INTO \"other one\".\"User\" (email, balance) SELECT 'u' || g || '@other', g "
               "FROM generate_series(1, 50) g");
    stream_sum s = { 0, 0 };
    ck_assert_msg(user_find_each(db, NULL, add_balance, &s) == PRISMA_OK, "%s", prisma_error_message(db));
    ck_assert_int_eq(s.n, 50);
    ck_assert_int_eq(s.sum, 50 * 51 / 2);
    s = (stream_sum){ 0, 0 };
    ck_assert_msg(prisma_transaction(db, stream_in_tx, &s, NULL) == PRISMA_OK, "%s", prisma_error_message(db));
    ck_assert_int_eq(s.n, 50);
    ck_assert_int_eq(s.sum, 50 * 51 / 2);
    prisma_disconnect(db);
    prisma_disconnect(pub);
    direct_sql("DROP SCHEMA \"other one\" CASCADE; DROP TABLE public.\"Thing\"");
}
END_TEST

/* ---- socket_timeout ---- */

static void times_out(const char *u, const char *label)
{
    prisma_client *db = NULL;
    ck_assert_msg(prisma_connect(&db, u) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    prisma_raw_rows *rows = NULL;
    int64_t t0 = now_ms();
    int rc = prisma_query_raw(db, "SELECT pg_sleep(4)", NULL, 0, &rows);
    int64_t took = now_ms() - t0;
    ck_assert_msg(rc != PRISMA_OK, "%s: pg_sleep(4) returned within socket_timeout=1", label);
    ck_assert_str_eq(code_of(db), "P1008");
    ck_assert_str_eq(prisma_error_message(db), "Operations timed out after `1s`");
    ck_assert_msg(took >= 900 && took < 3000, "%s: gave up after %lld ms", label, (long long)took);
    /* The connection was dropped; the next call gets another. */
    ck_assert_msg(prisma_query_raw(db, "SELECT 1 AS one", NULL, 0, &rows) == PRISMA_OK, "%s",
                  prisma_error_message(db));
    ck_assert_int_eq(rows->values[0].i, 1);
    prisma_free(rows);
    /* In a batch (a pipeline) too. */
    prisma_batch *b = NULL;
    ck_assert_int_eq(prisma_batch_new(db, &b), PRISMA_OK);
    ck_assert_int_eq(prisma_batch_query_raw(b, "SELECT 1 AS one", NULL, 0, &rows), PRISMA_OK);
    ck_assert_int_eq(prisma_batch_query_raw(b, "SELECT pg_sleep(4)", NULL, 0, &rows), PRISMA_OK);
    t0 = now_ms();
    ck_assert_int_ne(prisma_batch_run(b, NULL, NULL), PRISMA_OK);
    took = now_ms() - t0;
    ck_assert_str_eq(code_of(db), "P1008");
    ck_assert_msg(took < 3000, "%s: the batch gave up after %lld ms", label, (long long)took);
    prisma_batch_free(b);
    prisma_disconnect(db);
}

START_TEST(socket_timeout_direct_and_pooled)
{
    char u[1100];
    url_with(url, "pgbouncer=true&socket_timeout=1", u, sizeof u);
    times_out(u, "through PgBouncer");
    url_with(direct, "socket_timeout=1", u, sizeof u);
    times_out(u, "direct");
}
END_TEST

static int prepare(char **more)
{
    (void)more;
    int skipped = 0;
    char err[1024];
    if (!pgbouncer_shared_url(&direct, &skipped, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    return 0;
}

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, missing_flag_is_a_clear_error);
    tcase_add_test(tc, schema_holds_through_pgbouncer);
    tcase_add_test(tc, socket_timeout_direct_and_pooled);
    tcase_add_test(tc, w4_load_through_pgbouncer_and_direct);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "pg_pgbouncer", .timeout = 120, .url = &url, .prepare = prepare,
                                          .setup = setup, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
