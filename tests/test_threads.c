/* Threads (issue 15; docs/threads.md): what the docs say may be shared
 * between threads, shared by many.
 *   - One root client, 16 threads: each creates its own users, finds them
 *     back, increments one shared counter row, runs interactive
 *     transactions (a ledger row and the counter, or a deliberate failure
 *     that must leave nothing) and counts, all at once. The final counts
 *     and sums are exact, and every thread's errors are its own.
 *   - One transaction client, 8 threads inside its callback: their calls
 *     take turns on the transaction's connection, and the transaction
 *     commits (or rolls back) all of them as one.
 *   - Nested transactions on one transaction from two threads at once: one
 *     at a time; the other is refused (P2028), never a crash.
 * A few seconds on each backend; it also runs under ASan (build-asan) and
 * was checked once under -Db_sanitize=thread. Built once per backend of
 * tests/meson.build's test_backends. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

enum { THREADS = 16, CREATES = 20, INCREMENTS = 20, TXS = 10, TX_THREADS = 8, TX_CALLS = 15 };

static const char *url;
static prisma_client *db;
static int32_t counter_id;

static const char *const tables[] = { "User", "Post", "Ledger" };

static const char *code_of(const prisma_client *c)
{
    const char *s = prisma_error_code(c);
    return s ? s : "-";
}

#define OK(c, call) ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, code_of(c), prisma_error_message(c))

/* Generous waits: 16 threads share 4 SQLite connections and one write lock. */
static const prisma_tx_options tx_opts = { .max_wait_ms = 30000, .timeout_ms = 30000, .max_retries = 5 };

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    User *u = NULL;
    OK(db, user_create(db, &(UserCreateInput){ .email = "counter@threads" }, &u));
    counter_id = u->id;
    user_free(u);
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

static int64_t counter_balance(prisma_client *c)
{
    User *u = NULL;
    OK(c, user_find_unique(c, &(UserWhereUniqueInput){ .id = PRISMA_INT(counter_id) }, &u));
    ck_assert_ptr_nonnull(u);
    int64_t b = u->balance;
    user_free(u);
    return b;
}

/* ---- many threads on one root client ---- */

typedef struct tx_job {
    const char *ledger_id;
    bool fail; /* fail after the writes: nothing of it may stay */
} tx_job;

static int ledger_and_counter(prisma_client *tx, void *arg)
{
    tx_job *j = arg;
    int rc = ledger_create(tx, &(LedgerCreateInput){ .id = j->ledger_id, .fromId = PRISMA_INT(0),
                                                     .toId = PRISMA_INT(counter_id), .amount = PRISMA_INT(1) },
                           NULL);
    if (rc == PRISMA_OK)
        rc = user_update(tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(counter_id) },
                         &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
    if (rc == PRISMA_OK && j->fail)
        return prisma_fail(tx, "failed on purpose");
    return rc;
}

typedef struct mixed_worker {
    int index;
    char failure[256]; /* the first thing that went wrong, for the main thread to report */
} mixed_worker;

#define WORKER_CHECK(w, cond, ...)                                                                                   \
    do {                                                                                                               \
        if (!(cond)) {                                                                                                 \
            if (!(w)->failure[0])                                                                                      \
                snprintf((w)->failure, sizeof (w)->failure, __VA_ARGS__);                                             \
            return NULL;                                                                                               \
        }                                                                                                              \
    } while (0)

static void *run_mixed(void *p)
{
    mixed_worker *w = p;
    int32_t ids[CREATES];
    char email[64], prefix[32];
    snprintf(prefix, sizeof prefix, "t%d-", w->index);
    for (int k = 0; k < CREATES; k++) {
        snprintf(email, sizeof email, "t%d-%d@threads", w->index, k);
        User *u = NULL;
        int rc = user_create(db, &(UserCreateInput){ .email = email, .balance = PRISMA_INT(k) }, &u);
        WORKER_CHECK(w, rc == PRISMA_OK, "create %s: %s %s", email, code_of(db), prisma_error_message(db));
        ids[k] = u->id;
        user_free(u);
    }
    /* This thread's own error stays its own: a duplicate email is P2002
     * here, while the other threads carry on without errors. */
    snprintf(email, sizeof email, "t%d-0@threads", w->index);
    int rc = user_create(db, &(UserCreateInput){ .email = email }, NULL);
    WORKER_CHECK(w, rc != PRISMA_OK && strcmp(code_of(db), "P2002") == 0, "duplicate: rc %d, %s", rc, code_of(db));
    for (int k = 0; k < CREATES; k++) {
        User *u = NULL;
        rc = user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(ids[k]) }, &u);
        WORKER_CHECK(w, rc == PRISMA_OK && u, "find %d: %s", ids[k], code_of(db));
        snprintf(email, sizeof email, "t%d-%d@threads", w->index, k);
        WORKER_CHECK(w, strcmp(u->email, email) == 0 && u->balance == k, "found %s / %d, not %s / %d", u->email,
                     u->balance, email, k);
        user_free(u);
        WORKER_CHECK(w, prisma_error_code(db) == NULL, "a successful call left error %s", code_of(db));
    }
    for (int k = 0; k < INCREMENTS; k++) {
        rc = user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(counter_id) },
                         &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
        WORKER_CHECK(w, rc == PRISMA_OK, "increment: %s %s", code_of(db), prisma_error_message(db));
    }
    for (int k = 0; k < TXS; k++) {
        char id[32];
        snprintf(id, sizeof id, "t%d-tx%d", w->index, k);
        tx_job j = { id, k % 5 == 4 };
        rc = prisma_transaction(db, ledger_and_counter, &j, &tx_opts);
        if (j.fail)
            WORKER_CHECK(w, rc != PRISMA_OK && strcmp(code_of(db), "USER") == 0, "deliberate failure: rc %d, %s", rc,
                         code_of(db));
        else
            WORKER_CHECK(w, rc == PRISMA_OK, "transaction %s: %s %s", id, code_of(db), prisma_error_message(db));
    }
    int64_t mine = -1;
    rc = user_count(db, &(UserWhereInput){ .email = { .starts_with = prefix } }, &mine);
    WORKER_CHECK(w, rc == PRISMA_OK && mine == CREATES, "count %s: %lld (%s)", prefix, (long long)mine, code_of(db));
    return NULL;
}

START_TEST(many_threads_share_one_root_client)
{
    mixed_worker w[THREADS];
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (mixed_worker){ .index = i };
        ck_assert_int_eq(pthread_create(&th[i], NULL, run_mixed, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < THREADS; i++)
        ck_assert_msg(!w[i].failure[0], "thread %d: %s", i, w[i].failure);

    int64_t n = -1;
    OK(db, user_count(db, NULL, &n));
    ck_assert_int_eq(n, 1 + THREADS * CREATES);
    int committed_txs = TXS - TXS / 5; /* one in five failed on purpose */
    OK(db, ledger_count(db, NULL, &n));
    ck_assert_int_eq(n, THREADS * committed_txs);
    ck_assert_int_eq(counter_balance(db), THREADS * (INCREMENTS + committed_txs));
    /* Sum of the created balances: 0 + 1 + ... + CREATES-1 per thread, plus the counter. */
    UserAggregate *agg = NULL;
    OK(db, user_aggregate(db, &(UserAggregateArgs){ ._sum = &(UserNumberAggregateInput){ .balance = true } }, &agg));
    ck_assert_ptr_nonnull(agg->_sum.balance);
    ck_assert_int_eq(*agg->_sum.balance,
                     THREADS * (CREATES * (CREATES - 1) / 2) + THREADS * (INCREMENTS + committed_txs));
    prisma_free(agg);
}
END_TEST

/* ---- many threads on one transaction client ---- */

typedef struct tx_worker {
    prisma_client *tx;
    int index;
    char failure[256];
} tx_worker;

static void *run_in_tx(void *p)
{
    tx_worker *w = p;
    for (int k = 0; k < TX_CALLS; k++) {
        char id[32];
        snprintf(id, sizeof id, "in-tx-%d-%d", w->index, k);
        int rc = ledger_create(w->tx, &(LedgerCreateInput){ .id = id, .fromId = PRISMA_INT(w->index),
                                                            .toId = PRISMA_INT(counter_id), .amount = PRISMA_INT(1) },
                               NULL);
        WORKER_CHECK(w, rc == PRISMA_OK, "ledger %s: %s %s", id, code_of(w->tx), prisma_error_message(w->tx));
        rc = user_update(w->tx, &(UserWhereUniqueInput){ .id = PRISMA_INT(counter_id) },
                         &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
        WORKER_CHECK(w, rc == PRISMA_OK, "increment: %s %s", code_of(w->tx), prisma_error_message(w->tx));
        /* The transaction sees its own writes, whoever made them. */
        int64_t mine = -1;
        rc = ledger_count(w->tx, &(LedgerWhereInput){ .fromId = { .equals = PRISMA_INT(w->index) } }, &mine);
        WORKER_CHECK(w, rc == PRISMA_OK && mine == k + 1, "count: %lld (%s)", (long long)mine, code_of(w->tx));
    }
    return NULL;
}

typedef struct shared_tx_job {
    bool fail;
} shared_tx_job;

/* The callback hands its transaction to TX_THREADS threads and waits for
 * them all before it returns (the transaction ends after their calls). */
static int fan_out(prisma_client *tx, void *arg)
{
    shared_tx_job *job = arg;
    tx_worker w[TX_THREADS];
    pthread_t th[TX_THREADS];
    for (int i = 0; i < TX_THREADS; i++) {
        w[i] = (tx_worker){ .tx = tx, .index = i + 1 };
        ck_assert_int_eq(pthread_create(&th[i], NULL, run_in_tx, &w[i]), 0);
    }
    for (int i = 0; i < TX_THREADS; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < TX_THREADS; i++)
        ck_assert_msg(!w[i].failure[0], "thread %d: %s", i, w[i].failure);
    return job->fail ? prisma_fail(tx, "failed on purpose") : PRISMA_OK;
}

START_TEST(threads_take_turns_on_one_transaction)
{
    /* Rolled back: none of the threads' writes stay. */
    shared_tx_job job = { .fail = true };
    ck_assert_int_ne(prisma_transaction(db, fan_out, &job, &tx_opts), PRISMA_OK);
    ck_assert_str_eq(code_of(db), "USER");
    int64_t n = -1;
    OK(db, ledger_count(db, NULL, &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(counter_balance(db), 0);
    /* Committed: all of them, once. */
    job.fail = false;
    OK(db, prisma_transaction(db, fan_out, &job, &tx_opts));
    OK(db, ledger_count(db, NULL, &n));
    ck_assert_int_eq(n, TX_THREADS * TX_CALLS);
    ck_assert_int_eq(counter_balance(db), TX_THREADS * TX_CALLS);
}
END_TEST

/* ---- nested transactions from two threads ---- */

typedef struct nest_worker {
    prisma_client *tx;
    pthread_barrier_t *start;
    int rc;
    char code[16];
    char failure[256];
} nest_worker;

static void *run_nested(void *p)
{
    nest_worker *w = p;
    pthread_barrier_wait(w->start);
    prisma_client *inner = NULL;
    w->rc = prisma_tx_begin(w->tx, NULL, &inner);
    if (w->rc != PRISMA_OK) {
        snprintf(w->code, sizeof w->code, "%s", code_of(w->tx));
        return NULL;
    }
    snprintf(w->code, sizeof w->code, "OK");
    int rc = user_update(inner, &(UserWhereUniqueInput){ .id = PRISMA_INT(counter_id) },
                         &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
    WORKER_CHECK(w, rc == PRISMA_OK, "nested increment: %s", code_of(inner));
    WORKER_CHECK(w, prisma_tx_commit(inner) == PRISMA_OK, "nested commit: %s", code_of(inner));
    return NULL;
}

START_TEST(nested_transactions_from_two_threads_take_turns)
{
    int committed = 0;
    for (int round = 0; round < 20; round++) {
        prisma_client *tx = NULL;
        OK(db, prisma_tx_begin(db, &tx_opts, &tx));
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, 2);
        nest_worker w[2] = { { .tx = tx, .start = &start }, { .tx = tx, .start = &start } };
        pthread_t th[2];
        for (int i = 0; i < 2; i++)
            ck_assert_int_eq(pthread_create(&th[i], NULL, run_nested, &w[i]), 0);
        for (int i = 0; i < 2; i++)
            pthread_join(th[i], NULL);
        pthread_barrier_destroy(&start);
        int ok = 0;
        for (int i = 0; i < 2; i++) {
            ck_assert_msg(!w[i].failure[0], "%s", w[i].failure);
            if (w[i].rc == PRISMA_OK)
                ok++;
            else /* the other one's savepoint was still open */
                ck_assert_str_eq(w[i].code, "P2028");
        }
        ck_assert_int_ge(ok, 1);
        committed += ok;
        OK(tx, prisma_tx_commit(tx));
        prisma_tx_free(tx);
    }
    ck_assert_int_eq(counter_balance(db), committed);
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, many_threads_share_one_root_client);
    tcase_add_test(tc, threads_take_turns_on_one_transaction);
    tcase_add_test(tc, nested_transactions_from_two_threads_take_turns);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "threads", .timeout = 120, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
