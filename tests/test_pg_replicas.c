/* Read replicas (docs/read-replicas.md) on real servers: a primary and a
 * streaming hot standby (pg_basebackup) on loopback, the generated client of
 * tests/replicas/schema.prisma. The statement trace (prisma_set_statement_trace)
 * shows where every statement ran: reads on the replica; writes,
 * transactions, batches and raw SQL on the primary; prisma_primary's reads on
 * the primary. A replica halted while threads read costs no failed read, and
 * is used again once it is back; a replica url that never worked does not
 * fail prisma_connect and its reads still succeed. */
#include <check.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pgserver.h"
#include "replicas_postgresql_client.h"

static pgserver *primary_srv, *standby_srv;

/* ---- the statement trace, collected ---- */

enum { TRACE_MAX = 4096 };
static pthread_mutex_t trace_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char sql[160];
    int replica; /* -1: the primary */
} trace[TRACE_MAX];
static size_t n_trace;
static atomic_size_t on_primary_total, on_replica_total, wrong_role;

static void on_statement(void *arg, const prisma_statement_info *info)
{
    (void)arg;
    /* Counted, not asserted: it runs on the readers' threads too. */
    if (strcmp(info->role, info->replica >= 0 ? "replica" : "primary") != 0)
        atomic_fetch_add(&wrong_role, 1);
    atomic_fetch_add(info->replica >= 0 ? &on_replica_total : &on_primary_total, 1);
    pthread_mutex_lock(&trace_mu);
    if (n_trace < TRACE_MAX) {
        snprintf(trace[n_trace].sql, sizeof trace[n_trace].sql, "%s", info->sql);
        trace[n_trace].replica = info->replica;
        n_trace++;
    }
    pthread_mutex_unlock(&trace_mu);
}

static void trace_clear(void)
{
    pthread_mutex_lock(&trace_mu);
    n_trace = 0;
    pthread_mutex_unlock(&trace_mu);
}

/* Every statement traced since trace_clear ran where `replica` says (-1: the
 * primary); and at least one did. */
static void trace_expect_all(int replica, const char *what)
{
    ck_assert_uint_eq(atomic_load(&wrong_role), 0);
    pthread_mutex_lock(&trace_mu);
    ck_assert_msg(n_trace > 0, "%s: no statement traced", what);
    for (size_t i = 0; i < n_trace; i++)
        ck_assert_msg(trace[i].replica == replica, "%s: `%s` ran on %s %d, expected %d", what, trace[i].sql,
                      trace[i].replica >= 0 ? "replica" : "the primary", trace[i].replica, replica);
    pthread_mutex_unlock(&trace_mu);
}

/* ---- helpers ---- */

static prisma_client *connect_replicas(const char *const *replicas)
{
    prisma_options o = { .replica_urls = replicas, .pool_size = 4 };
    prisma_client *db = NULL;
    ck_assert_msg(prisma_connect_with(&db, pgserver_url(primary_srv), &o) == PRISMA_OK, "connect: %s",
                  prisma_last_connect_error());
    prisma_set_statement_trace(db, on_statement, NULL);
    return db;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits (at most 10 s) until the replica has replayed the user `email`:
 * polled through the client, whose reads go to the replica. */
static void wait_for_replay(prisma_client *db, const char *email)
{
    int64_t deadline = now_ms() + 10000;
    for (;;) {
        User *u = NULL;
        ck_assert_msg(user_find_unique(db, &(UserWhereUniqueInput){ .email = email }, &u) == PRISMA_OK, "%s",
                      prisma_error_message(db));
        bool found = u != NULL;
        user_free(u);
        if (found)
            return;
        ck_assert_msg(now_ms() < deadline, "the replica did not replay %s within 10 s", email);
        usleep(20000);
    }
}

static int create_user(prisma_client *db, const char *email, int32_t *id)
{
    User *u = NULL;
    int rc = user_create(db, &(UserCreateInput){ .email = email }, &u);
    if (rc == PRISMA_OK && id)
        *id = u->id;
    user_free(u);
    return rc;
}

/* ---- tests ---- */

static int count_in_tx(prisma_client *tx, void *arg)
{
    return user_count(tx, NULL, (int64_t *)arg);
}

START_TEST(reads_on_replica_writes_on_primary)
{
    const char *replicas[] = { pgserver_url(standby_srv), NULL };
    prisma_client *db = connect_replicas(replicas);

    /* A write: the primary. */
    trace_clear();
    int32_t id;
    ck_assert_msg(create_user(db, "route@x", &id) == PRISMA_OK, "%s", prisma_error_message(db));
    Post *p = NULL;
    ck_assert(post_create(db, &(PostCreateInput){ .title = "t", .authorId = PRISMA_INT(id) }, &p) == PRISMA_OK);
    post_free(p);
    trace_expect_all(-1, "create");
    wait_for_replay(db, "route@x");

    /* Reads outside a transaction, relation loads and streams: the replica. */
    trace_clear();
    UserList *list = NULL;
    UserInclude inc = { .posts = true };
    ck_assert(user_find_many(db, &(UserFindManyArgs){ .include = &inc }, &list) == PRISMA_OK);
    ck_assert_uint_ge(list->len, 1);
    bool with_post = false;
    for (size_t i = 0; i < list->len; i++)
        if (list->items[i].id == id)
            with_post = list->items[i].posts && list->items[i].posts->len == 1;
    ck_assert_msg(with_post, "the replica's user has its post");
    user_list_free(list);
    int64_t n = 0;
    ck_assert(user_count(db, NULL, &n) == PRISMA_OK);
    ck_assert_int_ge(n, 1);
    User *u = NULL;
    ck_assert(user_find_first(db, NULL, &u) == PRISMA_OK && u);
    user_free(u);
    UserAggregate *agg = NULL;
    ck_assert(user_aggregate(db, &(UserAggregateArgs){ ._count = &(UserCountAggregateInput){ ._all = true } }, &agg) ==
              PRISMA_OK);
    user_aggregate_free(agg);
    trace_expect_all(0, "reads");

    /* Writes, transactions (interactive, manual, batch) and raw SQL: the primary. */
    trace_clear();
    ck_assert(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(id) }, &(UserUpdateInput){ .email = "route@x" },
                          NULL) == PRISMA_OK);
    int64_t in_tx = 0;
    ck_assert_msg(prisma_transaction(db, count_in_tx, &in_tx, NULL) == PRISMA_OK, "%s", prisma_error_message(db));
    ck_assert_int_ge(in_tx, 1);
    prisma_client *tx = NULL;
    ck_assert(prisma_tx_begin(db, NULL, &tx) == PRISMA_OK);
    ck_assert(user_find_many(tx, NULL, &list) == PRISMA_OK);
    user_list_free(list);
    ck_assert(prisma_tx_commit(tx) == PRISMA_OK);
    prisma_tx_free(tx);
    prisma_batch *b = NULL;
    int64_t batch_count = 0;
    ck_assert(prisma_batch_new(db, &b) == PRISMA_OK);
    ck_assert(user_batch_count(b, NULL, &batch_count) == PRISMA_OK);
    ck_assert(user_batch_find_many(b, NULL, &list) == PRISMA_OK);
    ck_assert_msg(prisma_batch_run(b, NULL, NULL) == PRISMA_OK, "%s", prisma_error_message(db));
    prisma_batch_free(b);
    user_list_free(list);
    ck_assert_int_ge(batch_count, 1);
    prisma_raw_rows *rows = NULL;
    ck_assert(prisma_query_raw(db, "SELECT pg_is_in_recovery()", NULL, 0, &rows) == PRISMA_OK);
    prisma_free(rows);
    ck_assert(prisma_execute_raw(db, "SELECT 1", NULL, 0, NULL) == PRISMA_OK);
    trace_expect_all(-1, "writes, transactions, raw");

    /* The replica really is the standby: it is in recovery (asked of the
     * server behind a read, with a raw query on the replica's own url). */
    prisma_client *direct = NULL;
    ck_assert(prisma_connect(&direct, pgserver_url(standby_srv)) == PRISMA_OK);
    ck_assert(prisma_query_raw(direct, "SELECT pg_is_in_recovery()::text AS r", NULL, 0, &rows) == PRISMA_OK);
    ck_assert_uint_eq(rows->n_rows, 1);
    ck_assert_str_eq(rows->values[0].s, "true");
    prisma_free(rows);
    prisma_disconnect(direct);
    prisma_disconnect(db);
}
END_TEST

START_TEST(primary_form)
{
    const char *replicas[] = { pgserver_url(standby_srv), NULL };
    prisma_client *db = connect_replicas(replicas);
    prisma_client *onp = prisma_primary(db);
    ck_assert_ptr_nonnull(onp);
    ck_assert_ptr_ne(onp, db);
    ck_assert_ptr_eq(prisma_primary(onp), onp);

    /* Read-your-writes: each new user is found at once through the primary
     * form, whatever the replica's lag. */
    trace_clear();
    for (int i = 0; i < 20; i++) {
        char email[32];
        snprintf(email, sizeof email, "ryw%d@x", i);
        ck_assert(create_user(db, email, NULL) == PRISMA_OK);
        User *u = NULL;
        ck_assert_msg(user_find_unique(onp, &(UserWhereUniqueInput){ .email = email }, &u) == PRISMA_OK, "%s",
                      prisma_error_message(onp));
        ck_assert_msg(u != NULL, "%s read back on the primary", email);
        user_free(u);
        int64_t n = 0;
        ck_assert(user_count(onp, NULL, &n) == PRISMA_OK && n >= i + 1);
    }
    int64_t in_tx = 0;
    ck_assert(prisma_transaction(onp, count_in_tx, &in_tx, NULL) == PRISMA_OK && in_tx >= 20);
    trace_expect_all(-1, "the primary form");

    /* Its errors are the client's; it cannot be disconnected (a no-op). */
    ck_assert(user_create(onp, &(UserCreateInput){ .email = "ryw0@x" }, NULL) == PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(onp), "P2002");
    ck_assert_str_eq(prisma_error_code(db), "P2002");
    prisma_disconnect(onp);

    /* A transaction client is on the primary already. */
    prisma_client *tx = NULL;
    ck_assert(prisma_tx_begin(db, NULL, &tx) == PRISMA_OK);
    ck_assert_ptr_eq(prisma_primary(tx), tx);
    ck_assert(prisma_tx_rollback(tx) == PRISMA_OK);
    prisma_tx_free(tx);
    prisma_disconnect(db);

    /* Without replicas: the client itself, every statement on the primary. */
    const char *none[] = { NULL };
    db = connect_replicas(none);
    ck_assert_ptr_eq(prisma_primary(db), db);
    trace_clear();
    int64_t n = 0;
    ck_assert(user_count(db, NULL, &n) == PRISMA_OK);
    trace_expect_all(-1, "no replicas");
    prisma_disconnect(db);
}
END_TEST

START_TEST(replica_never_up)
{
    /* Port 1 on loopback: refused. prisma_connect succeeds (replicas are
     * not contacted there), and every read succeeds on the other replica or
     * the primary. */
    const char *dead[] = { "postgresql://prismac@127.0.0.1:1/postgres", NULL };
    prisma_client *db = connect_replicas(dead);
    trace_clear();
    for (int i = 0; i < 20; i++) {
        int64_t n = -1;
        ck_assert_msg(user_count(db, NULL, &n) == PRISMA_OK, "%s", prisma_error_message(db));
        ck_assert_int_ge(n, 0);
    }
    trace_expect_all(-1, "a dead replica's reads");
    prisma_disconnect(db);

    const char *mixed[] = { "postgresql://prismac@127.0.0.1:1/postgres", pgserver_url(standby_srv), NULL };
    db = connect_replicas(mixed);
    trace_clear();
    for (int i = 0; i < 20; i++)
        ck_assert(user_count(db, NULL, &(int64_t){ 0 }) == PRISMA_OK);
    trace_expect_all(1, "reads with one dead replica of two");
    prisma_disconnect(db);

    /* A replica url that is not a url is refused at connect (P1013). */
    const char *bad[] = { "postgresql://prismac@127.0.0.1:1/postgres?connection_limit=many", NULL };
    prisma_options o = { .replica_urls = bad };
    db = NULL;
    ck_assert(prisma_connect_with(&db, pgserver_url(primary_srv), &o) == PRISMA_ERROR);
    ck_assert_ptr_null(db);
    ck_assert_str_eq(prisma_last_connect_error_code(), "P1013");
    ck_assert_msg(strstr(prisma_last_connect_error(), "read replica url number 1") != NULL, "%s",
                  prisma_last_connect_error());
}
END_TEST

START_TEST(replicas_from_environment)
{
    char value[600];
    snprintf(value, sizeof value, "  %s \n", pgserver_url(standby_srv));
    ck_assert(setenv(PRISMA_REPLICA_URLS_ENV, value, 1) == 0);
    prisma_client *db = connect_replicas(NULL);
    trace_clear();
    ck_assert(user_count(db, NULL, &(int64_t){ 0 }) == PRISMA_OK);
    trace_expect_all(0, "DATABASE_REPLICA_URLS");
    prisma_disconnect(db);
    /* An empty list in the options: no replicas, whatever the environment says. */
    const char *none[] = { NULL };
    db = connect_replicas(none);
    trace_clear();
    ck_assert(user_count(db, NULL, &(int64_t){ 0 }) == PRISMA_OK);
    trace_expect_all(-1, "an empty replica list");
    prisma_disconnect(db);
    unsetenv(PRISMA_REPLICA_URLS_ENV);
}
END_TEST

/* ---- a replica halted while threads read ---- */

typedef struct reader {
    prisma_client *db;
    atomic_bool *stop;
    long reads, failures;
    char first_failure[300];
} reader;

static int on_row(const User *u, void *arg)
{
    (void)u;
    (*(long *)arg)++;
    return PRISMA_OK;
}

static void *read_loop(void *arg)
{
    reader *r = arg;
    for (long i = 0; !atomic_load(r->stop); i++) {
        int rc;
        if (i % 3 == 0) {
            UserList *list = NULL;
            UserInclude inc = { .posts = true };
            rc = user_find_many(r->db, &(UserFindManyArgs){ .include = &inc }, &list);
            user_list_free(list);
        } else if (i % 3 == 1) {
            rc = user_count(r->db, NULL, &(int64_t){ 0 });
        } else {
            long rows = 0;
            rc = user_find_each(r->db, NULL, on_row, &rows);
        }
        r->reads++;
        if (rc != PRISMA_OK && r->failures++ == 0)
            snprintf(r->first_failure, sizeof r->first_failure, "%s %s", prisma_error_code(r->db),
                     prisma_error_message(r->db));
    }
    return NULL;
}

START_TEST(replica_halted_mid_run)
{
    const char *replicas[] = { pgserver_url(standby_srv), NULL };
    prisma_client *db = connect_replicas(replicas);
    enum { THREADS = 4 };
    atomic_bool stop = false;
    reader rd[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        rd[i] = (reader){ .db = db, .stop = &stop };
        ck_assert(pthread_create(&th[i], NULL, read_loop, &rd[i]) == 0);
    }
    usleep(700000);
    size_t replica_before = atomic_load(&on_replica_total);
    pgserver_halt(standby_srv);
    usleep(300000);
    size_t primary_mark = atomic_load(&on_primary_total);
    usleep(1200000);
    size_t primary_after = atomic_load(&on_primary_total);
    /* Back up: after the back-off, reads find the replica again. */
    char err[2048];
    ck_assert_msg(pgserver_restart(standby_srv, err, sizeof err) == 0, "%s", err);
    size_t replica_mark = atomic_load(&on_replica_total);
    int64_t deadline = now_ms() + 12000;
    while (atomic_load(&on_replica_total) == replica_mark && now_ms() < deadline)
        usleep(50000);
    size_t replica_again = atomic_load(&on_replica_total) - replica_mark;
    atomic_store(&stop, true);
    long reads = 0, failures = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        reads += rd[i].reads;
        failures += rd[i].failures;
        ck_assert_msg(rd[i].failures == 0, "thread %d: %ld failed reads of %ld, the first: %s", i, rd[i].failures,
                      rd[i].reads, rd[i].first_failure);
    }
    fprintf(stderr, "replica halted mid-run: %ld reads by %d threads, %ld failed; %zu statements on the replica "
            "before the halt, %zu on the primary while it was down, %zu on the replica once back\n",
            reads, THREADS, failures, replica_before, primary_after - primary_mark, replica_again);
    ck_assert_uint_gt(replica_before, 0);
    ck_assert_uint_gt(primary_after - primary_mark, 0);
    ck_assert_msg(replica_again > 0, "the replica was not used again after it came back");
    prisma_disconnect(db);
}
END_TEST

/* ---- main ---- */

int main(void)
{
    const char *skip = getenv("PRISMAC_SKIP_POSTGRES");
    if (skip && strcmp(skip, "1") == 0) {
        printf("PRISMAC_SKIP_POSTGRES=1: skipped\n");
        return 77;
    }
    char err[4096];
    if (pgserver_start(&primary_srv, err, sizeof err) != 0 ||
        pgserver_start_standby(&standby_srv, primary_srv, err, sizeof err) != 0) {
        fprintf(stderr, "test_pg_replicas: cannot start the servers: %s\n", err);
        pgserver_stop(primary_srv);
        return 1;
    }
    /* The tables, by raw SQL on the primary (what db push would make). */
    prisma_client *db = NULL;
    int rc = prisma_connect(&db, pgserver_url(primary_srv));
    if (rc == PRISMA_OK)
        rc = prisma_execute_raw(db, "CREATE TABLE \"User\" (id SERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE)",
                                NULL, 0, NULL);
    if (rc == PRISMA_OK)
        rc = prisma_execute_raw(db,
                                "CREATE TABLE \"Post\" (id SERIAL PRIMARY KEY, title TEXT NOT NULL, "
                                "\"authorId\" INTEGER NOT NULL REFERENCES \"User\"(id))",
                                NULL, 0, NULL);
    if (rc != PRISMA_OK) {
        fprintf(stderr, "test_pg_replicas: the tables: %s\n", db ? prisma_error_message(db) : prisma_last_connect_error());
        prisma_disconnect(db);
        pgserver_stop(standby_srv);
        pgserver_stop(primary_srv);
        return 1;
    }
    prisma_disconnect(db);
    /* The standby replays the tables before the tests read there (bounded). */
    rc = prisma_connect(&db, pgserver_url(standby_srv));
    for (int64_t deadline = now_ms() + 10000; rc == PRISMA_OK;) {
        prisma_raw_rows *rows = NULL;
        rc = prisma_query_raw(db, "SELECT (to_regclass('\"Post\"') IS NOT NULL)::text", NULL, 0, &rows);
        bool there = rc == PRISMA_OK && rows->n_rows == 1 && rows->values[0].s && strcmp(rows->values[0].s, "true") == 0;
        prisma_free(rows);
        if (there)
            break;
        if (now_ms() > deadline) {
            fprintf(stderr, "test_pg_replicas: the standby did not replay the tables within 10 s\n");
            rc = PRISMA_ERROR;
        }
        usleep(20000);
    }
    prisma_disconnect(db);
    if (rc != PRISMA_OK) {
        pgserver_stop(standby_srv);
        pgserver_stop(primary_srv);
        return 1;
    }

    Suite *s = suite_create("pg_replicas");
    TCase *tc = tcase_create("replicas");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, reads_on_replica_writes_on_primary);
    tcase_add_test(tc, primary_form);
    tcase_add_test(tc, replica_never_up);
    tcase_add_test(tc, replicas_from_environment);
    tcase_add_test(tc, replica_halted_mid_run);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK); /* the servers belong to this process */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    pgserver_stop(standby_srv);
    pgserver_stop(primary_srv);
    return failed ? 1 : 0;
}
