/* Transactions on a real database: the behaviours Prisma's own tests assert
 * (/work/shared/reference/prisma-transaction-behaviour.md, sections A to C,
 * items 1-45), in C. Every test names the item(s) it covers; items that do
 * not apply to C or to SQL databases, or that C does differently on purpose,
 * are listed at the end of this comment and next to the nearest test.
 *
 * Built once per backend of tests/meson.build's test_backends, on the
 * generated client of tests/schemas/bank.prisma.in; what a backend can do
 * (isolation levels, concurrent writers...) decides which tests it runs
 * (support/testdb.h).
 *
 * Not applicable, or done differently on purpose:
 *  - 6  (a non-async callback): JS only. The C analog, a callback that does
 *       nothing and returns PRISMA_OK, is checked in commit_on_success.
 *  - 8  (throwing a non-Error value): C has no exceptions; a callback that
 *       returns a status other than PRISMA_OK without an error on the handle
 *       rolls back and reports the value in a "USER" error (the int cannot be
 *       the return value of prisma_transaction, which is PRISMA_ERROR).
 *  - 10 (.then/.catch/.finally chains): JS promises only.
 *  - 11 for interactive transactions: the handle given to a callback is freed
 *       when prisma_transaction returns, so "using tx after commit" is shown
 *       with manual transactions, whose handles outlive commit.
 *  - 14 (methods removed from tx): JS only; the C analog is that
 *       prisma_disconnect() ignores a transaction client.
 *  - 17 (client extensions on tx): JS only; the C analog is a helper written
 *       against prisma_client * that works unchanged on tx (and sees the
 *       uncommitted rows there, and not outside).
 *  - 23 a batch inside an open transaction is a SAVEPOINT in C, so it is all
 *       or nothing on every database (Prisma keeps the rows before the
 *       failure on SQLite, and loses the whole transaction on PostgreSQL);
 *       the enclosing transaction stays usable on both.
 *  - 25 (P2034) and 26 (several open transactions): PostgreSQL only, as in
 *       Prisma. On SQLite writers are serialised by BEGIN IMMEDIATE, so there
 *       are no write conflicts, and a second transaction waits max_wait and
 *       fails to start (P2028), which is what is checked there.
 *  - 27 (unknown transaction id): C handles are pointers, not ids; a freed
 *       handle cannot be named. The closest case, a handle obtained before
 *       disconnecting, is item 28.
 *  - 35 (MongoDB), 36 (adapters without savepoints): both databases here
 *       have savepoints.
 *  - 41 (the same PrismaPromise twice) and 42 (non-Prisma elements): the C
 *       analogs are the same input queued twice (it runs twice) and an
 *       incomplete operation given to prisma_batch_add (rejected).
 *  - 44 (non-transactional batches of findUnique): C has no
 *       non-transactional batch; every prisma_batch_run is all or nothing.
 *  - 3  a zero option means "the default" in C (zero-initialised structs), so
 *       only negative values are invalid.
 *  - 19 in a batch: the generator emits no <model>_batch_find_unique_or_throw
 *       (and the model descriptors are static), so only the interactive
 *       form can be written.
 *  - 22/23 on PostgreSQL: a database error aborts the transaction there and
 *       its COMMIT silently becomes a ROLLBACK; Prisma then reports nothing.
 *       Here a commit that committed nothing must not report success
 *       (a_commit_of_an_aborted_postgresql_transaction_is_not_a_success).
 *  - 12/21/29 messages: the expired-transaction texts are the Rust engine's
 *       ("Transaction API error: Transaction already closed: A <op> cannot be
 *       executed on an expired transaction. The timeout ..."), which Prisma 7's
 *       TS manager words without "Transaction already closed: ".
 * Isolation levels (section D) are checked too: all four with SHOW
 * transaction_isolation on PostgreSQL, only Serializable on SQLite. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include TEST_CLIENT_H
#include "testmain.h"


static const char *url;
static prisma_client *db;

static const char *const tables[] = { "User", "Post", "Ledger" };

/* ---- helpers ---- */

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

static const char *code_of(const prisma_client *c)
{
    const char *s = prisma_error_code(c);
    return s ? s : "-";
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

#define OKC(c, call) \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, code_of(c), prisma_error_message(c))
#define OK(call) OKC(db, call)

/* `call` fails with `code` and exactly the message `msg`. */
#define FAILS(c, call, code, msg)                                                                                 \
    do {                                                                                                          \
        int rc_ = (call);                                                                                         \
        ck_assert_msg(rc_ == PRISMA_ERROR, "%s: expected %s, got %d", #call, code, rc_);                         \
        ck_assert_msg(strcmp(code_of(c), code) == 0, "%s: expected %s, got %s %s", #call, code, code_of(c),      \
                      prisma_error_message(c));                                                                    \
        ck_assert_str_eq(prisma_error_message(c), msg);                                                           \
    } while (0)

/* `call` fails with `code` and a message that starts with `prefix`. */
#define FAILS_WITH_PREFIX(c, call, code, prefix)                                                                  \
    do {                                                                                                          \
        int rc_ = (call);                                                                                         \
        ck_assert_msg(rc_ == PRISMA_ERROR, "%s: expected %s, got %d", #call, code, rc_);                         \
        ck_assert_msg(strcmp(code_of(c), code) == 0, "%s: expected %s, got %s %s", #call, code, code_of(c),      \
                      prisma_error_message(c));                                                                    \
        ck_assert_msg(has_prefix(prisma_error_message(c), prefix), "%s: message '%s'", #call,                    \
                      prisma_error_message(c));                                                                    \
    } while (0)

#define CLOSED(op, how) "Transaction API error: Transaction already closed: A " op " cannot be executed on " how "."
#define COMMITTED "a committed transaction"
#define ROLLED_BACK "a transaction that was rolled back"
#define START_TIMEOUT "Transaction API error: Unable to start a transaction in the given time."
#define P2034_MSG "Transaction failed due to a write conflict or a deadlock. Please retry your transaction"
#define P2002_EMAIL "Unique constraint failed on the fields: (`email`)"
#define P2025_QUERY                                                                                               \
    "An operation failed because it depends on one or more records that were required but not found. No record " \
    "was found for a query."

/* N in "... however N ms passed ..." when msg is exactly Prisma's message for
 * operation `op` on an expired transaction whose timeout was `timeout`; else -1. */
static long expired_ms(const char *msg, const char *op, int timeout)
{
    char head[512];
    snprintf(head, sizeof head,
             "Transaction API error: Transaction already closed: A %s cannot be executed on an expired transaction. "
             "The timeout for this transaction was %d ms, however ",
             op, timeout);
    size_t hl = strlen(head);
    if (strncmp(msg, head, hl) != 0)
        return -1;
    char *end;
    long n = strtol(msg + hl, &end, 10);
    if (end == msg + hl)
        return -1;
    if (strcmp(end, " ms passed since the start of the transaction. Consider increasing the interactive transaction "
                    "timeout or doing less work in the transaction.") != 0)
        return -1;
    return n;
}

#define EXPIRED(c, op, timeout, lo, hi)                                                                           \
    do {                                                                                                          \
        long n_ = expired_ms(prisma_error_message(c), op, timeout);                                              \
        ck_assert_msg(n_ >= (lo) && n_ < (hi), "expected the expired-%s message (%d ms, %ld..%ld ms passed): %s %s", \
                      op, timeout, (long)(lo), (long)(hi), code_of(c), prisma_error_message(c));                 \
        ck_assert_str_eq(code_of(c), "P2028");                                                                    \
    } while (0)

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static prisma_client *client_with(prisma_options o)
{
    prisma_client *c = NULL;
    ck_assert_msg(prisma_connect_with(&c, url, &o) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    return c;
}

static int64_t count_users(prisma_client *c)
{
    int64_t n = -1;
    OKC(c, user_count(c, NULL, &n));
    return n;
}

static bool user_exists(prisma_client *c, const char *email)
{
    User *u = NULL;
    OKC(c, user_find_unique(c, &(UserWhereUniqueInput){ .email = email }, &u));
    bool found = u != NULL;
    user_free(u);
    return found;
}

static int balance_of(prisma_client *c, const char *email)
{
    User *u = NULL;
    OKC(c, user_find_unique(c, &(UserWhereUniqueInput){ .email = email }, &u));
    ck_assert_msg(u != NULL, "no user %s", email);
    int b = u->balance;
    user_free(u);
    return b;
}

static void add_user(prisma_client *c, const char *email, int balance)
{
    OKC(c, user_create(c, &(UserCreateInput){ .email = email, .balance = PRISMA_INT(balance) }, NULL));
}

/* SQL that runs for about `ms` milliseconds and can be interrupted. On SQLite
 * a recursive count, sized by timing it once. */
static const char *slow_sql(int ms)
{
    static char sql[256];
    if (testdb->sleep_sql) {
        testdb->sleep_sql(sql, sizeof sql, ms);
        return sql;
    }
    static double per_ms;
    if (per_ms == 0) {
        for (long long n = 20000;; n *= 2) {
            snprintf(sql, sizeof sql,
                     "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %lld) "
                     "SELECT count(*) FROM c",
                     n);
            int64_t t0 = now_ms();
            OK(prisma_execute_raw(db, sql, NULL, 0, NULL));
            int64_t t = now_ms() - t0;
            if (t >= 60) {
                per_ms = (double)n / (double)t;
                break;
            }
        }
    }
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %lld) SELECT count(*) FROM c",
             (long long)(per_ms * ms));
    return sql;
}

/* A callback that creates a user, sleeps, then (optionally) creates another. */
typedef struct sleepy {
    const char *email;
    int sleep_ms;
    const char *after;  /* created after the sleep, or NULL */
    bool return_error;  /* return the status of the `after` create */
    int after_rc;
    char after_code[16];
    char after_msg[1024];
} sleepy;

static int sleepy_cb(prisma_client *tx, void *arg)
{
    sleepy *s = arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = s->email }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    sleep_ms(s->sleep_ms);
    if (!s->after)
        return PRISMA_OK;
    s->after_rc = user_create(tx, &(UserCreateInput){ .email = s->after }, NULL);
    snprintf(s->after_code, sizeof s->after_code, "%s", code_of(tx));
    snprintf(s->after_msg, sizeof s->after_msg, "%s", prisma_error_message(tx));
    return s->return_error ? s->after_rc : PRISMA_OK;
}

/* ==== A. Defaults and options ==== */

/* Items 1 and 13: maxWait defaults to 2000 ms and timeout to 5000 ms (the
 * expired message names 5000 ms); a transaction that cannot get the only
 * connection gives up after the default max_wait. */
START_TEST(defaults_are_max_wait_2000_and_timeout_5000)
{
    prisma_client *c = client_with((prisma_options){ .pool_size = 1 });
    prisma_client *a = NULL, *b = NULL;
    int64_t started = now_ms();
    OKC(c, prisma_tx_begin(c, NULL, &a));
    OKC(a, user_create(a, &(UserCreateInput){ .email = "held@x" }, NULL));
    int64_t t0 = now_ms();
    FAILS_WITH_PREFIX(c, prisma_tx_begin(c, NULL, &b), "P2028", START_TIMEOUT);
    int64_t waited = now_ms() - t0;
    ck_assert_ptr_null(b);
    ck_assert_msg(strstr(prisma_error_message(c), "2000 ms") != NULL, "%s", prisma_error_message(c));
    ck_assert_int_ge(waited, 1900);
    ck_assert_int_lt(waited, 4500);
    /* The first one is rolled back 5000 ms after it started. */
    sleep_ms(5400 - (now_ms() - started));
    ck_assert_int_eq(user_create(a, &(UserCreateInput){ .email = "late@x" }, NULL), PRISMA_ERROR);
    EXPIRED(a, "query", 5000, 5000, 7500);
    ck_assert_int_eq(prisma_tx_commit(a), PRISMA_ERROR);
    EXPIRED(a, "commit", 5000, 5000, 7500);
    ck_assert(!user_exists(c, "held@x"));
    ck_assert(!user_exists(c, "late@x"));
    prisma_tx_free(a);
    prisma_disconnect(c);
}
END_TEST

/* Items 2 and 4: client-wide defaults (prisma_connect_with) apply to manual,
 * interactive and batch transactions, and a per-call option overrides them
 * ("timeout override", "timeout override by PrismaClient", "batching timeout
 * override": a client-level timeout of 1 ms, a batch with 5000 ms succeeds). */
START_TEST(client_wide_options_apply_and_each_call_overrides_them)
{
    prisma_client *c = client_with((prisma_options){ .timeout_ms = 300, .pool_size = 2 });
    /* Manual, the client's 300 ms. */
    prisma_client *t = NULL;
    OKC(c, prisma_tx_begin(c, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "manual@x" }, NULL));
    sleep_ms(600);
    ck_assert_int_eq(prisma_tx_commit(t), PRISMA_ERROR);
    EXPIRED(t, "commit", 300, 300, 2300);
    prisma_tx_free(t);
    ck_assert(!user_exists(c, "manual@x"));
    /* Interactive, the client's 300 ms ... */
    sleepy s = { .email = "interactive@x", .sleep_ms = 600 };
    ck_assert_int_eq(prisma_transaction(c, sleepy_cb, &s, NULL), PRISMA_ERROR);
    EXPIRED(c, "commit", 300, 300, 2300);
    ck_assert(!user_exists(c, "interactive@x"));
    /* ... overridden per call. */
    s = (sleepy){ .email = "override@x", .sleep_ms = 600 };
    OKC(c, prisma_transaction(c, sleepy_cb, &s, &(prisma_tx_options){ .timeout_ms = 10000 }));
    ck_assert(user_exists(c, "override@x"));
    /* A batch that takes longer than the client's timeout finishes with a
     * per-call one (see a_batch_past_its_timeout_is_rolled_back for the
     * client's timeout on a batch). */
    prisma_batch *b = NULL;
    OKC(c, prisma_batch_new(c, &b));
    OKC(c, user_batch_create(b, &(UserCreateInput){ .email = "batch@x" }, NULL));
    OKC(c, prisma_batch_execute_raw(b, slow_sql(600), NULL, 0, NULL));
    OKC(c, prisma_batch_run(b, &(prisma_tx_options){ .timeout_ms = 30000 }, NULL));
    ck_assert(user_exists(c, "batch@x"));
    prisma_batch_free(b);
    prisma_disconnect(c);

    /* "batching timeout override": timeout 1 ms on the client, 5000 per call. */
    c = client_with((prisma_options){ .timeout_ms = 1 });
    OKC(c, prisma_batch_new(c, &b));
    User *u1 = NULL, *u2 = NULL;
    OKC(c, user_batch_create(b, &(UserCreateInput){ .email = "one@x" }, &u1));
    OKC(c, user_batch_create(b, &(UserCreateInput){ .email = "two@x" }, &u2));
    OKC(c, prisma_batch_run(b, &(prisma_tx_options){ .timeout_ms = 5000 }, NULL));
    ck_assert_ptr_nonnull(u1);
    ck_assert_ptr_nonnull(u2);
    ck_assert_str_eq(u2->email, "two@x");
    user_free(u1);
    user_free(u2);
    prisma_batch_free(b);
    ck_assert_int_eq(count_users(c), 4);
    prisma_disconnect(c);
}
END_TEST

/* Items 4 and 12: a batch takes the timeout too (the client's, or its own):
 * a statement still running at the timeout is interrupted, the batch reports
 * the expiry (P2028) and none of its writes persist. Both the one-round-trip
 * form (only single statements) and the statement-by-statement form (with a
 * raw query). */
START_TEST(a_batch_past_its_timeout_is_rolled_back)
{
    prisma_client *c = client_with((prisma_options){ .timeout_ms = 300 });
    for (int form = 0; form < 2; form++) {
        for (int own = 0; own < 2; own++) {
            prisma_batch *b = NULL;
            prisma_raw_rows *rows = NULL;
            prisma_client *on = own ? db : c;
            OKC(on, prisma_batch_new(on, &b));
            OKC(on, user_batch_create(b, &(UserCreateInput){ .email = "batch@x" }, NULL));
            if (form == 0)
                OKC(on, prisma_batch_execute_raw(b, slow_sql(1500), NULL, 0, NULL));
            else
                OKC(on, prisma_batch_query_raw(b, slow_sql(1500), NULL, 0, &rows));
            int64_t t0 = now_ms();
            int rc = prisma_batch_run(b, own ? &(prisma_tx_options){ .timeout_ms = 300 } : NULL, NULL);
            int64_t took = now_ms() - t0;
            prisma_batch_free(b);
            prisma_free(rows);
            ck_assert_msg(rc == PRISMA_ERROR, "form %d, %s timeout: the batch ran past its timeout (%lld ms)", form,
                          own ? "its own" : "the client's", (long long)took);
            ck_assert_msg(strcmp(code_of(on), "P2028") == 0 && strstr(prisma_error_message(on), "expired transaction") &&
                              strstr(prisma_error_message(on), "The timeout for this transaction was 300 ms"),
                          "form %d: a batch past its timeout: %s %s", form, code_of(on), prisma_error_message(on));
            ck_assert_int_lt(took, 1400);
            ck_assert(!user_exists(c, "batch@x"));
        }
    }
    prisma_disconnect(c);
}
END_TEST

/* Item 2, max_wait: the client's default applies and a per-call value
 * overrides it (on one connection held by another transaction). */
START_TEST(client_wide_max_wait_is_overridden_per_call)
{
    prisma_client *c = client_with((prisma_options){ .pool_size = 1, .max_wait_ms = 150 });
    prisma_client *hold = NULL, *t = NULL;
    OKC(c, prisma_tx_begin(c, &(prisma_tx_options){ .timeout_ms = 20000 }, &hold));
    int64_t t0 = now_ms();
    FAILS_WITH_PREFIX(c, prisma_tx_begin(c, NULL, &t), "P2028", START_TIMEOUT);
    int64_t w1 = now_ms() - t0;
    ck_assert_msg(strstr(prisma_error_message(c), "150 ms") != NULL, "%s", prisma_error_message(c));
    t0 = now_ms();
    FAILS_WITH_PREFIX(c, prisma_tx_begin(c, &(prisma_tx_options){ .max_wait_ms = 700 }, &t), "P2028",
                      START_TIMEOUT);
    int64_t w2 = now_ms() - t0;
    ck_assert_msg(strstr(prisma_error_message(c), "700 ms") != NULL, "%s", prisma_error_message(c));
    ck_assert_int_ge(w1, 140);
    ck_assert_int_lt(w1, 650);
    ck_assert_int_ge(w2, 690);
    ck_assert_int_lt(w2, 2500);
    OKC(hold, prisma_tx_commit(hold));
    prisma_tx_free(hold);
    prisma_disconnect(c);
}
END_TEST

static int count_calls(prisma_client *tx, void *arg)
{
    (void)tx;
    (*(int *)arg)++;
    return PRISMA_OK;
}

/* Item 3 (and 48): invalid values fail at construction with Prisma's words;
 * per call they fail before anything runs. Zero means "the default" in C. */
START_TEST(invalid_option_values_are_rejected)
{
    prisma_client *c = NULL;
    ck_assert_int_eq(prisma_connect_with(&c, url, &(prisma_options){ .max_wait_ms = -1 }), PRISMA_ERROR);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(prisma_last_connect_error(),
                     "Invalid value -1 for maxWait in \"transactionOptions\" provided to PrismaClient constructor. "
                     "maxWait needs to be greater than 0");
    ck_assert_int_eq(prisma_connect_with(&c, url, &(prisma_options){ .timeout_ms = -5 }), PRISMA_ERROR);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(prisma_last_connect_error(),
                     "Invalid value -5 for timeout in \"transactionOptions\" provided to PrismaClient constructor. "
                     "timeout needs to be greater than 0");

    /* Per call: nothing starts, the callback is not called, the batch does not run. */
    prisma_client *t = NULL;
    ck_assert_int_eq(prisma_tx_begin(db, &(prisma_tx_options){ .max_wait_ms = -1 }, &t), PRISMA_ERROR);
    ck_assert_ptr_null(t);
    ck_assert_msg(strstr(prisma_error_message(db), "Invalid value -1 for maxWait") &&
                      strstr(prisma_error_message(db), "maxWait needs to be greater than 0"),
                  "%s", prisma_error_message(db));
    int calls = 0;
    ck_assert_int_eq(prisma_transaction(db, count_calls, &calls, &(prisma_tx_options){ .timeout_ms = -7 }),
                     PRISMA_ERROR);
    ck_assert_int_eq(calls, 0);
    ck_assert_msg(strstr(prisma_error_message(db), "Invalid value -7 for timeout") &&
                      strstr(prisma_error_message(db), "timeout needs to be greater than 0"),
                  "%s", prisma_error_message(db));
    /* Item 48: a level that is not one. */
    const char *bad_level = "Inconsistent column data: Conversion failed: Invalid isolation level `42`";
    FAILS(db, prisma_tx_begin(db, &(prisma_tx_options){ .isolation = (prisma_isolation)42 }, &t), "P2023",
          bad_level);
    ck_assert_ptr_null(t);
    FAILS(db, prisma_transaction(db, count_calls, &calls, &(prisma_tx_options){ .isolation = (prisma_isolation)42 }),
          "P2023", bad_level);
    ck_assert_int_eq(calls, 0);
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "never@x" }, NULL));
    size_t failed = 0;
    FAILS(db, prisma_batch_run(b, &(prisma_tx_options){ .isolation = (prisma_isolation)42 }, &failed), "P2023",
          bad_level);
    ck_assert(!user_exists(db, "never@x"));
    /* Negative times on a batch. */
    ck_assert_int_eq(prisma_batch_run(b, &(prisma_tx_options){ .timeout_ms = -7 }, &failed), PRISMA_ERROR);
    ck_assert_msg(strstr(prisma_error_message(db), "Invalid value -7 for timeout") != NULL, "batch: %s %s",
                  code_of(db), prisma_error_message(db));
    ck_assert_uint_eq(failed, SIZE_MAX);
    ck_assert_int_eq(prisma_batch_run(b, &(prisma_tx_options){ .max_wait_ms = -3 }, &failed), PRISMA_ERROR);
    ck_assert_msg(strstr(prisma_error_message(db), "Invalid value -3 for maxWait") != NULL, "batch: %s %s",
                  code_of(db), prisma_error_message(db));
    ck_assert(!user_exists(db, "never@x"));
    prisma_batch_free(b);
}
END_TEST

/* ==== B. Interactive transactions ==== */

typedef struct two_users {
    int32_t ids[2];
    int64_t inside, outside;
} two_users;

/* Item 17's C analog: written against prisma_client *, it works on either. */
static int64_t visible_users(prisma_client *c)
{
    int64_t n = -1;
    return user_count(c, NULL, &n) == PRISMA_OK ? n : -1;
}

static int create_two(prisma_client *tx, void *arg)
{
    two_users *r = arg;
    const char *emails[2] = { "a@x", "b@x" };
    for (int i = 0; i < 2; i++) {
        User *u = NULL;
        int rc = user_create(tx, &(UserCreateInput){ .email = emails[i] }, &u);
        if (rc != PRISMA_OK)
            return rc;
        r->ids[i] = u->id;
        user_free(u);
    }
    UserList *l = NULL;
    int rc = user_find_many(tx, NULL, &l);
    if (rc != PRISMA_OK)
        return rc;
    r->inside = (int64_t)l->len;
    user_list_free(l);
    r->outside = visible_users(db);
    return PRISMA_OK;
}

static int do_nothing(prisma_client *tx, void *arg)
{
    (void)tx;
    (void)arg;
    return PRISMA_OK;
}

/* Items 5, 6 (C analog), 17 (C analog), 20: commit on success; the writes are
 * visible inside the transaction and not outside until it commits. */
START_TEST(commit_on_success)
{
    two_users r = { { 0, 0 }, -1, -1 };
    OK(prisma_transaction(db, create_two, &r, NULL));
    ck_assert_ptr_null(prisma_error_code(db));
    ck_assert_int_eq(r.inside, 2);
    ck_assert_int_eq(r.outside, 0);
    ck_assert_int_eq(count_users(db), 2);
    User *u = NULL;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(r.ids[1]) }, &u));
    ck_assert_ptr_nonnull(u);
    ck_assert_str_eq(u->email, "b@x");
    user_free(u);
    /* Item 6's analog: a callback that does nothing commits. */
    OK(prisma_transaction(db, do_nothing, NULL, NULL));
    /* Item 20: manual begin / commit. */
    prisma_client *t = NULL;
    OK(prisma_tx_begin(db, NULL, &t));
    ck_assert_ptr_nonnull(t);
    OKC(t, user_create(t, &(UserCreateInput){ .email = "manual@x" }, NULL));
    ck_assert_int_eq(visible_users(t), 3);
    ck_assert_int_eq(visible_users(db), 2);
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    ck_assert(user_exists(db, "manual@x"));
    /* And begin / rollback. */
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "gone@x" }, NULL));
    OKC(t, prisma_tx_rollback(t));
    prisma_tx_free(t);
    ck_assert(!user_exists(db, "gone@x"));
    ck_assert_int_eq(count_users(db), 3);
}
END_TEST

typedef struct fail_arg {
    const char *email;
    int rc;           /* what to return without an error (item 8), or 0 */
    char code_inside[16];
    char msg_inside[256];
} fail_arg;

static int create_then_fail(prisma_client *tx, void *arg)
{
    fail_arg *f = arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = f->email }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    if (f->rc)
        return f->rc;
    rc = prisma_fail(tx, "you better rollback now");
    snprintf(f->code_inside, sizeof f->code_inside, "%s", code_of(tx));
    snprintf(f->msg_inside, sizeof f->msg_inside, "%s", prisma_error_message(tx));
    return rc;
}

/* Items 7 and 8 (C analog): a failure the callback raises rolls back, and
 * its message stays on the handle, unchanged. */
START_TEST(a_failing_callback_rolls_back_and_keeps_its_message)
{
    fail_arg f = { .email = "a@x" };
    FAILS(db, prisma_transaction(db, create_then_fail, &f, NULL), "USER", "you better rollback now");
    ck_assert_ptr_null(prisma_error_db_code(db));
    ck_assert_str_eq(f.code_inside, "USER");
    ck_assert_str_eq(f.msg_inside, "you better rollback now");
    /* It stays readable until the next call on db. */
    ck_assert_str_eq(prisma_error_message(db), "you better rollback now");
    ck_assert_int_eq(count_users(db), 0);
    ck_assert_ptr_null(prisma_error_code(db));
    /* Item 8: a status other than PRISMA_OK and no error on the handle. */
    f = (fail_arg){ .email = "b@x", .rc = 42 };
    ck_assert_int_eq(prisma_transaction(db, create_then_fail, &f, NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(db), "USER");
    ck_assert_msg(strstr(prisma_error_message(db), "42") != NULL, "%s", prisma_error_message(db));
    ck_assert_int_eq(count_users(db), 0);
}
END_TEST

static int create_three_with_a_duplicate(prisma_client *tx, void *arg)
{
    (void)arg;
    const char *emails[] = { "a@x", "b@x", "a@x" };
    for (int i = 0; i < 3; i++) {
        int rc = user_create(tx, &(UserCreateInput){ .email = emails[i] }, NULL);
        if (rc != PRISMA_OK)
            return rc;
    }
    return PRISMA_OK;
}

/* Item 9: a failing query rolls back the earlier writes; the error is the
 * query's own (P2002 with its message and the database's code). */
START_TEST(a_failing_query_rolls_back_with_its_error)
{
    FAILS(db, prisma_transaction(db, create_three_with_a_duplicate, NULL, NULL), "P2002", P2002_EMAIL);
    ck_assert_ptr_nonnull(prisma_error_db_code(db));
    ck_assert_str_eq(prisma_error_db_code(db), testdb->unique_code);
    ck_assert_int_eq(count_users(db), 0);
}
END_TEST

/* Items 11 and 24: a committed or rolled-back transaction refuses every
 * further call with Prisma's messages, and nothing is written. */
START_TEST(a_closed_transaction_refuses_work)
{
    prisma_client *t = NULL;
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "kept@x" }, NULL));
    OKC(t, prisma_tx_commit(t));
    FAILS(t, user_create(t, &(UserCreateInput){ .email = "late@x" }, NULL), "P2028", CLOSED("query", COMMITTED));
    FAILS(t, user_count(t, NULL, &(int64_t){ 0 }), "P2028", CLOSED("query", COMMITTED));
    FAILS(t, prisma_execute_raw(t, "DELETE FROM \"User\"", NULL, 0, NULL), "P2028", CLOSED("query", COMMITTED));
    FAILS(t, prisma_tx_commit(t), "P2028", CLOSED("commit", COMMITTED));
    FAILS(t, prisma_tx_commit(t), "P2028", CLOSED("commit", COMMITTED));
    FAILS(t, prisma_tx_rollback(t), "P2028", CLOSED("rollback", COMMITTED));
    prisma_tx_free(t);
    ck_assert(user_exists(db, "kept@x"));
    ck_assert(!user_exists(db, "late@x"));
    ck_assert_int_eq(count_users(db), 1);

    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "dropped@x" }, NULL));
    OKC(t, prisma_tx_rollback(t));
    FAILS(t, prisma_tx_rollback(t), "P2028", CLOSED("rollback", ROLLED_BACK));
    FAILS(t, prisma_tx_commit(t), "P2028", CLOSED("commit", ROLLED_BACK));
    FAILS(t, user_create(t, &(UserCreateInput){ .email = "late@x" }, NULL), "P2028", CLOSED("query", ROLLED_BACK));
    /* A nested transaction cannot start on it either. */
    prisma_client *n = NULL;
    FAILS(t, prisma_tx_begin(t, NULL, &n), "P2028", CLOSED("query", ROLLED_BACK));
    ck_assert_ptr_null(n);
    prisma_tx_free(t);
    ck_assert(!user_exists(db, "dropped@x"));
    ck_assert(!user_exists(db, "late@x"));
    ck_assert_int_eq(count_users(db), 1);
}
END_TEST

/* Items 21 and 24: a batch sent to a closed transaction is "a batch query". */
START_TEST(a_batch_on_a_closed_transaction_is_a_batch_query)
{
    prisma_client *t = NULL;
    prisma_batch *b = NULL;
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_commit(t));
    OKC(t, prisma_batch_new(t, &b));
    OKC(t, user_batch_create(b, &(UserCreateInput){ .email = "late@x" }, NULL));
    FAILS(t, prisma_batch_run(b, NULL, NULL), "P2028", CLOSED("batch query", COMMITTED));
    prisma_batch_free(b);
    prisma_tx_free(t);

    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_rollback(t));
    OKC(t, prisma_batch_new(t, &b));
    OKC(t, user_batch_count(b, NULL, &(int64_t){ 0 }));
    FAILS(t, prisma_batch_run(b, NULL, NULL), "P2028", CLOSED("batch query", ROLLED_BACK));
    prisma_batch_free(b);
    prisma_tx_free(t);

    OK(prisma_tx_begin(db, &(prisma_tx_options){ .timeout_ms = 200 }, &t));
    sleep_ms(450);
    OKC(t, prisma_batch_new(t, &b));
    OKC(t, user_batch_create(b, &(UserCreateInput){ .email = "late@x" }, NULL));
    ck_assert_int_eq(prisma_batch_run(b, NULL, NULL), PRISMA_ERROR);
    EXPIRED(t, "batch query", 200, 200, 2200);
    prisma_batch_free(b);
    prisma_tx_free(t);
    ck_assert_int_eq(count_users(db), 0);
}
END_TEST

/* Item 12: an interactive transaction past its timeout is rolled back; its
 * commit gives Prisma's expired message with the real times; none of its
 * writes persist, and a statement attempted after the rollback did not run. */
START_TEST(an_interactive_transaction_past_its_timeout_is_rolled_back)
{
    /* The callback ignores the failure of its late statement: the commit reports the expiry. */
    sleepy s = { .email = "before@x", .sleep_ms = 800, .after = "after@x" };
    int64_t t0 = now_ms();
    ck_assert_int_eq(prisma_transaction(db, sleepy_cb, &s, &(prisma_tx_options){ .max_wait_ms = 200, .timeout_ms = 500 }),
                     PRISMA_ERROR);
    int64_t took = now_ms() - t0;
    EXPIRED(db, "commit", 500, 500, 2500);
    ck_assert_int_eq(s.after_rc, PRISMA_ERROR);
    ck_assert_str_eq(s.after_code, "P2028");
    long n = expired_ms(s.after_msg, "query", 500);
    ck_assert_msg(n >= 500 && n <= took + 5, "the late statement: %s", s.after_msg); /* clocks differ by a ms */
    ck_assert(!user_exists(db, "before@x"));
    ck_assert(!user_exists(db, "after@x"));

    /* The callback returns the late statement's error: that is what is reported. */
    s = (sleepy){ .email = "before@x", .sleep_ms = 800, .after = "after@x", .return_error = true };
    ck_assert_int_eq(prisma_transaction(db, sleepy_cb, &s, &(prisma_tx_options){ .timeout_ms = 500 }), PRISMA_ERROR);
    EXPIRED(db, "query", 500, 500, 2500);
    ck_assert_str_eq(prisma_error_message(db), s.after_msg);
    ck_assert_int_eq(count_users(db), 0);
}
END_TEST

typedef struct slow_arg {
    const char *sql;
    int rc;
} slow_arg;

static int create_then_slow(prisma_client *tx, void *arg)
{
    slow_arg *a = arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = "slow@x" }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    a->rc = prisma_execute_raw(tx, a->sql, NULL, 0, NULL);
    return a->rc;
}

/* Item 12: a statement still running at the timeout is interrupted, and the
 * transaction reports the expiry (not the interrupted statement's error). */
START_TEST(a_statement_running_at_the_timeout_is_interrupted)
{
    slow_arg a = { .sql = slow_sql(4000) };
    int64_t t0 = now_ms();
    ck_assert_int_eq(prisma_transaction(db, create_then_slow, &a, &(prisma_tx_options){ .timeout_ms = 300 }),
                     PRISMA_ERROR);
    int64_t took = now_ms() - t0;
    ck_assert_int_eq(a.rc, PRISMA_ERROR);
    ck_assert_msg(took < 2500, "the statement ran to its end: %lld ms", (long long)took);
    ck_assert_str_eq(code_of(db), "P2028");
    ck_assert_msg(strstr(prisma_error_message(db), "expired transaction") &&
                      strstr(prisma_error_message(db), "The timeout for this transaction was 300 ms"),
                  "%s", prisma_error_message(db));
    ck_assert(!user_exists(db, "slow@x"));
}
END_TEST

static atomic_int watchdog_rollbacks;

static void count_watchdog_rollback(void *arg)
{
    (void)arg;
    atomic_fetch_add(&watchdog_rollbacks, 1);
}

/* Item 21: after `timeout` the transaction is rolled back by itself (its
 * locks are released without any call on the handle); then commit (every
 * time), rollback and queries give the expired messages with the same times. */
START_TEST(an_expired_manual_transaction_is_rolled_back_by_itself)
{
    add_user(db, "locked@x", 10);
    prisma_client *c = client_with((prisma_options){ .pool_size = 2 });
    prisma_client *t = NULL;
    atomic_store(&watchdog_rollbacks, 0);
    OKC(c, prisma_tx_begin(c, &(prisma_tx_options){ .timeout_ms = 400 }, &t));
    OKC(t, prisma_tx_on_rollback(t, count_watchdog_rollback, NULL));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "pending@x" }, NULL));
    OKC(t, user_update(t, &(UserWhereUniqueInput){ .email = "locked@x" },
                       &(UserUpdateInput){ .balance = { .set = PRISMA_INT(99) } }, NULL));
    sleep_ms(700);
    /* No call on t yet: the row lock (PostgreSQL) / write lock (SQLite) is free. */
    ck_assert_int_eq(atomic_load(&watchdog_rollbacks), 1);
    int64_t t0 = now_ms();
    OKC(c, user_update(c, &(UserWhereUniqueInput){ .email = "locked@x" },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL));
    ck_assert_int_lt(now_ms() - t0, 1000);
    ck_assert_int_eq(balance_of(c, "locked@x"), 11);
    ck_assert(!user_exists(c, "pending@x"));

    ck_assert_int_eq(prisma_tx_commit(t), PRISMA_ERROR);
    EXPIRED(t, "commit", 400, 400, 2400);
    char first[1024];
    snprintf(first, sizeof first, "%s", prisma_error_message(t));
    ck_assert_int_eq(prisma_tx_commit(t), PRISMA_ERROR);
    EXPIRED(t, "commit", 400, 400, 2400);
    ck_assert_str_eq(prisma_error_message(t), first);
    ck_assert_int_eq(prisma_tx_rollback(t), PRISMA_ERROR);
    EXPIRED(t, "rollback", 400, 400, 2400);
    ck_assert_int_eq(user_create(t, &(UserCreateInput){ .email = "after@x" }, NULL), PRISMA_ERROR);
    EXPIRED(t, "query", 400, 400, 2400);
    ck_assert_int_eq(atomic_load(&watchdog_rollbacks), 1);
    prisma_tx_free(t);
    ck_assert(!user_exists(c, "after@x"));
    ck_assert_int_eq(count_users(c), 1);
    prisma_disconnect(c);
}
END_TEST

/* Item 29: a commit racing the timeout either commits (and the row is there)
 * or reports the expiry (and the row is not): never both, never neither. */
START_TEST(a_commit_racing_the_timeout_is_truthful)
{
    int committed = 0, expired = 0;
    for (int i = 0; i < 24; i++) {
        char email[32];
        snprintf(email, sizeof email, "race%d@x", i);
        prisma_client *t = NULL;
        OK(prisma_tx_begin(db, &(prisma_tx_options){ .timeout_ms = 60 }, &t));
        OKC(t, user_create(t, &(UserCreateInput){ .email = email }, NULL));
        sleep_ms(48 + i % 12 * 2);
        int rc = prisma_tx_commit(t);
        if (rc == PRISMA_OK) {
            committed++;
            ck_assert_msg(user_exists(db, email), "%s: the commit succeeded but the row is missing", email);
        } else {
            expired++;
            EXPIRED(t, "commit", 60, 60, 2060);
            ck_assert_msg(!user_exists(db, email), "%s: the commit failed but the row is there", email);
        }
        prisma_tx_free(t);
    }
    ck_assert_int_eq(committed + expired, 24);
    ck_assert_int_eq(count_users(db), committed);
}
END_TEST

typedef struct holder {
    prisma_client *c;
    int hold_ms;
    int rc;
} holder;

static void *hold_a_transaction(void *p)
{
    holder *h = p;
    prisma_client *t = NULL;
    h->rc = prisma_tx_begin(h->c, &(prisma_tx_options){ .timeout_ms = 20000 }, &t);
    if (h->rc == PRISMA_OK) {
        sleep_ms(h->hold_ms);
        h->rc = prisma_tx_commit(t);
    }
    prisma_tx_free(t);
    return NULL;
}

/* Item 29: the time reported as passed counts from the start of the
 * transaction, including the wait for a connection, not from when the
 * connection was acquired (Prisma 7's startedAt is taken before the wait). */
START_TEST(the_time_taken_counts_the_wait_for_a_connection)
{
    prisma_client *c = client_with((prisma_options){ .pool_size = 1 });
    holder h = { c, 500, -1 };
    pthread_t th;
    pthread_create(&th, NULL, hold_a_transaction, &h);
    sleep_ms(100);
    prisma_client *t = NULL;
    int64_t t0 = now_ms();
    OKC(c, prisma_tx_begin(c, &(prisma_tx_options){ .max_wait_ms = 5000, .timeout_ms = 300 }, &t));
    int64_t waited = now_ms() - t0;
    sleep_ms(600);
    ck_assert_int_eq(prisma_tx_commit(t), PRISMA_ERROR);
    pthread_join(th, NULL);
    ck_assert_int_eq(h.rc, PRISMA_OK);
    ck_assert_int_ge(waited, 300);
    EXPIRED(t, "commit", 300, 300 + waited - 50, 300 + waited + 2000);
    prisma_tx_free(t);
    prisma_disconnect(c);
}
END_TEST

/* Item 13: no transaction can start in max_wait: P2028 "Unable to start a
 * transaction in the given time" naming the cause; nothing runs; the
 * connection is not leaked (a later transaction starts at once). Manual,
 * interactive and batch. */
START_TEST(max_wait_without_a_free_connection)
{
    prisma_client *c = client_with((prisma_options){ .pool_size = 1 });
    prisma_client *a = NULL, *b = NULL;
    OKC(c, prisma_tx_begin(c, &(prisma_tx_options){ .timeout_ms = 20000 }, &a));
    OKC(a, user_create(a, &(UserCreateInput){ .email = "first@x" }, NULL));
    prisma_tx_options quick = { .max_wait_ms = 300 };
    int64_t t0 = now_ms();
    FAILS_WITH_PREFIX(c, prisma_tx_begin(c, &quick, &b), "P2028", START_TIMEOUT);
    int64_t waited = now_ms() - t0;
    ck_assert_ptr_null(b);
    ck_assert_msg(strstr(prisma_error_message(c), "300 ms") && strstr(prisma_error_message(c), "connection"),
                  "the cause: %s", prisma_error_message(c));
    ck_assert_int_ge(waited, 290);
    ck_assert_int_lt(waited, 2000);
    int calls = 0;
    FAILS_WITH_PREFIX(c, prisma_transaction(c, count_calls, &calls, &quick), "P2028", START_TIMEOUT);
    ck_assert_int_eq(calls, 0);
    prisma_batch *bt = NULL;
    OKC(c, prisma_batch_new(c, &bt));
    OKC(c, user_batch_create(bt, &(UserCreateInput){ .email = "batch@x" }, NULL));
    size_t failed = 0;
    FAILS_WITH_PREFIX(c, prisma_batch_run(bt, &quick, &failed), "P2028", START_TIMEOUT);
    ck_assert_uint_eq(failed, SIZE_MAX);
    OKC(a, prisma_tx_commit(a));
    prisma_tx_free(a);
    /* The one connection is free again at once. */
    OKC(c, prisma_tx_begin(c, &(prisma_tx_options){ .max_wait_ms = 100 }, &b));
    ck_assert_int_eq(visible_users(b), 1);
    OKC(b, prisma_tx_commit(b));
    prisma_tx_free(b);
    OKC(c, prisma_batch_run(bt, &(prisma_tx_options){ .max_wait_ms = 100 }, NULL));
    prisma_batch_free(bt);
    ck_assert(user_exists(c, "batch@x"));
    prisma_disconnect(c);
}
END_TEST

/* Items 13 and 26 on SQLite: a second writer cannot take the write lock while
 * a transaction holds it; it fails after max_wait naming the lock, gives its
 * connection back, and starts once the first one ends. */
START_TEST(max_wait_for_the_sqlite_write_lock)
{
    prisma_client *c = client_with((prisma_options){ .pool_size = 2 });
    prisma_client *a = NULL, *b = NULL;
    OKC(c, prisma_tx_begin(c, &(prisma_tx_options){ .timeout_ms = 20000 }, &a));
    int64_t t0 = now_ms();
    FAILS_WITH_PREFIX(c, prisma_tx_begin(c, &(prisma_tx_options){ .max_wait_ms = 300 }, &b), "P2028", START_TIMEOUT);
    int64_t waited = now_ms() - t0;
    ck_assert_ptr_null(b);
    ck_assert_msg(strstr(prisma_error_message(c), "locked") && strstr(prisma_error_message(c), "300 ms"),
                  "the cause: %s", prisma_error_message(c));
    ck_assert_int_ge(waited, 250);
    ck_assert_int_lt(waited, 2000);
    /* Both connections still serve: one in a, one for a read. */
    ck_assert_int_eq(visible_users(c), 0);
    OKC(a, user_create(a, &(UserCreateInput){ .email = "a@x" }, NULL));
    OKC(a, prisma_tx_commit(a));
    prisma_tx_free(a);
    OKC(c, prisma_tx_begin(c, &(prisma_tx_options){ .max_wait_ms = 300 }, &b));
    OKC(b, user_create(b, &(UserCreateInput){ .email = "b@x" }, NULL));
    OKC(b, prisma_tx_commit(b));
    prisma_tx_free(b);
    ck_assert_int_eq(count_users(c), 2);
    prisma_disconnect(c);
}
END_TEST

/* Item 26: several transactions open at once on one client (PostgreSQL; on
 * SQLite see max_wait_for_the_sqlite_write_lock). */
START_TEST(several_transactions_open_at_once)
{
    prisma_client *a = NULL, *b = NULL;
    OK(prisma_tx_begin(db, NULL, &a));
    OK(prisma_tx_begin(db, NULL, &b));
    OKC(a, user_create(a, &(UserCreateInput){ .email = "a@x" }, NULL));
    OKC(b, user_create(b, &(UserCreateInput){ .email = "b@x" }, NULL));
    OKC(b, prisma_tx_commit(b));
    int64_t seen = visible_users(a); /* read committed: its own row and b's */
    ck_assert_int_eq(seen, 2);
    OKC(a, prisma_tx_commit(a));
    prisma_tx_free(a);
    prisma_tx_free(b);
    ck_assert_int_eq(count_users(db), 2);
}
END_TEST

static void *batch_create_one(void *p)
{
    const char *email = p;
    prisma_batch *b = NULL;
    UserCreateInput data = { .email = email }; /* read when the batch runs */
    intptr_t rc = prisma_batch_new(db, &b);
    if (rc == PRISMA_OK)
        rc = user_batch_create(b, &data, NULL);
    if (rc == PRISMA_OK)
        rc = prisma_batch_run(b, &(prisma_tx_options){ .max_wait_ms = 10000 }, NULL);
    prisma_batch_free(b);
    return (void *)rc;
}

/* Item 15: concurrent top-level transactions each commit (two batches from two threads). */
START_TEST(concurrent_transactions_each_commit)
{
    pthread_t t1, t2;
    pthread_create(&t1, NULL, batch_create_one, (void *)(uintptr_t)"user_1@website.com");
    pthread_create(&t2, NULL, batch_create_one, (void *)(uintptr_t)"user_2@website.com");
    void *r1, *r2;
    pthread_join(t1, &r1);
    pthread_join(t2, &r2);
    ck_assert_int_eq((intptr_t)r1, PRISMA_OK);
    ck_assert_int_eq((intptr_t)r2, PRISMA_OK);
    ck_assert_int_eq(count_users(db), 2);
}
END_TEST

typedef struct worker {
    prisma_client *c;
    prisma_tx_options opts;
    int rc;
    char code[16];
} worker;

static int locked_increment(prisma_client *tx, void *arg)
{
    (void)arg;
    prisma_raw_rows *rows = NULL;
    int rc = prisma_query_raw(tx, testdb_sql("SELECT id, balance FROM \"User\" WHERE email = $1%s", testdb->for_update),
                              (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("val@x") }, 1, &rows);
    if (rc != PRISMA_OK)
        return rc;
    int64_t val = rows->n_rows == 1 ? rows->values[1].i : -1;
    prisma_free(rows);
    if (val < 0)
        return prisma_fail(tx, "the row is missing");
    User *u = NULL;
    rc = user_find_unique(tx, &(UserWhereUniqueInput){ .email = "val@x" }, &u);
    if (rc != PRISMA_OK)
        return rc;
    bool same = u && u->balance == val;
    user_free(u);
    if (!same)
        return prisma_fail(tx, "the locked row changed under the lock");
    return user_update(tx, &(UserWhereUniqueInput){ .email = "val@x" },
                       &(UserUpdateInput){ .balance = { .set = PRISMA_INT((int32_t)val + 1) } }, NULL);
}

static int atomic_increment(prisma_client *tx, void *arg)
{
    (void)arg;
    return user_update(tx, &(UserWhereUniqueInput){ .email = "val@x" },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
}

static int read_only(prisma_client *tx, void *arg)
{
    (void)arg;
    UserList *l = NULL;
    int rc = user_find_many(tx, NULL, &l);
    user_list_free(l);
    return rc;
}

static prisma_tx_fn worker_fn;

static void *run_worker(void *p)
{
    worker *w = p;
    w->rc = prisma_transaction(w->c, worker_fn, NULL, &w->opts);
    snprintf(w->code, sizeof w->code, "%s", code_of(w->c));
    return NULL;
}

static void run_workers(worker *w, int n, prisma_tx_fn fn)
{
    pthread_t th[16];
    worker_fn = fn;
    for (int i = 0; i < n; i++)
        pthread_create(&th[i], NULL, run_worker, &w[i]);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
}

/* Item 16: twelve concurrent transactions lock the row (SELECT ... FOR UPDATE
 * on PostgreSQL; the write lock on SQLite), read it and write val + 1: they
 * serialise, the final value is 13, nothing deadlocks. Ten conflicting ones
 * with a 25 ms timeout may fail but the process does not hang, and what they
 * report is true. Fifty read-only ones (5 x 10) never fail. */
START_TEST(high_concurrency)
{
    add_user(db, "val@x", 1);
    worker w[12];
    for (int i = 0; i < 12; i++)
        w[i] = (worker){ .c = db, .opts = { .max_wait_ms = 60000, .timeout_ms = 60000 } };
    run_workers(w, 12, locked_increment);
    for (int i = 0; i < 12; i++)
        ck_assert_msg(w[i].rc == PRISMA_OK, "worker %d: %s", i, w[i].code);
    ck_assert_int_eq(balance_of(db, "val@x"), 13);

    for (int i = 0; i < 10; i++)
        w[i] = (worker){ .c = db, .opts = { .max_wait_ms = 25, .timeout_ms = 25 } };
    run_workers(w, 10, atomic_increment);
    int ok = 0;
    for (int i = 0; i < 10; i++) {
        if (w[i].rc == PRISMA_OK)
            ok++;
        else
            ck_assert_msg(strcmp(w[i].code, "P2028") == 0 || strcmp(w[i].code, "P2034") == 0 ||
                              strcmp(w[i].code, "P1008") == 0,
                          "worker %d failed with %s", i, w[i].code);
    }
    ck_assert_int_eq(balance_of(db, "val@x"), 13 + ok);

    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 10; i++)
            w[i] = (worker){ .c = db, .opts = { .max_wait_ms = 20000, .timeout_ms = 20000 } };
        run_workers(w, 10, read_only);
        for (int i = 0; i < 10; i++)
            ck_assert_msg(w[i].rc == PRISMA_OK, "read-only worker %d failed: %s", i, w[i].code);
    }
}
END_TEST

/* Item 18: a CHECK violation keeps its cause inside transactions: the same
 * code and message from a plain call, a batch and an interactive transaction. */
static int create_bad_post(prisma_client *tx, void *arg)
{
    (void)arg;
    return post_create(tx, &(PostCreateInput){ .viewCount = PRISMA_INT(-1) }, NULL);
}

START_TEST(errors_keep_their_cause_inside_transactions)
{
    ck_assert_int_eq(post_create(db, &(PostCreateInput){ .viewCount = PRISMA_INT(-1) }, NULL), PRISMA_ERROR);
    char code[16], msg[1024];
    snprintf(code, sizeof code, "%s", code_of(db));
    snprintf(msg, sizeof msg, "%s", prisma_error_message(db));
    ck_assert_msg(strstr(msg, "post_viewcount_check") != NULL, "%s %s", code, msg);
    if (testdb->check_violation)
        ck_assert_msg(strstr(msg, testdb->check_violation("post_viewcount_check")) != NULL, "%s", msg);
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    OK(post_batch_create(b, &(PostCreateInput){ .viewCount = PRISMA_INT(1) }, NULL));
    OK(post_batch_create(b, &(PostCreateInput){ .viewCount = PRISMA_INT(-1) }, NULL));
    size_t failed = 0;
    FAILS(db, prisma_batch_run(b, NULL, &failed), code, msg);
    ck_assert_uint_eq(failed, 1);
    prisma_batch_free(b);
    FAILS(db, prisma_transaction(db, create_bad_post, NULL, NULL), code, msg);
    int64_t n = -1;
    OK(post_count(db, NULL, &n));
    ck_assert_int_eq(n, 0);
}
END_TEST

static int create_then_find_missing(prisma_client *tx, void *arg)
{
    (void)arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = "created@x" }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    User *u = (User *)&rc; /* must be overwritten */
    rc = user_find_unique_or_throw(tx, &(UserWhereUniqueInput){ .email = "missing@x" }, &u);
    if (u)
        return prisma_fail(tx, "find_unique_or_throw left a record behind");
    return rc;
}

/* Item 19: findUniqueOrThrow inside a transaction rejects with P2025 and the
 * earlier create is rolled back. (The batch form cannot be written: there is
 * no generated <model>_batch_find_unique_or_throw.) */
START_TEST(find_unique_or_throw_inside_a_transaction)
{
    FAILS(db, prisma_transaction(db, create_then_find_missing, NULL, NULL), "P2025", P2025_QUERY);
    ck_assert_int_eq(count_users(db), 0);
}
END_TEST

/* Item 22: a failed query does not roll back a manual transaction by itself:
 * a later commit keeps the rows written before (and after) the error. A
 * validation error never reaches the database; on SQLite a constraint error
 * does not abort the transaction either. */
START_TEST(no_automatic_rollback_on_a_query_error)
{
    prisma_client *t = NULL;
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "a@x" }, NULL));
    User *u = NULL;
    ck_assert_int_eq(user_find_unique(t, &(UserWhereUniqueInput){ 0 }, &u), PRISMA_ERROR);
    ck_assert_str_eq(code_of(t), "P2009");
    OKC(t, user_create(t, &(UserCreateInput){ .email = "b@x" }, NULL));
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    ck_assert(user_exists(db, "a@x"));
    ck_assert(user_exists(db, "b@x"));
    if (!testdb->error_aborts_transaction) {
        OK(prisma_tx_begin(db, NULL, &t));
        OKC(t, user_create(t, &(UserCreateInput){ .email = "c@x" }, NULL));
        FAILS(t, user_create(t, &(UserCreateInput){ .email = "a@x" }, NULL), "P2002", P2002_EMAIL);
        OKC(t, user_create(t, &(UserCreateInput){ .email = "d@x" }, NULL));
        OKC(t, prisma_tx_commit(t));
        prisma_tx_free(t);
        ck_assert(user_exists(db, "c@x"));
        ck_assert(user_exists(db, "d@x"));
        ck_assert_int_eq(count_users(db), 4);
    }
}
END_TEST

static int swallow_a_duplicate(prisma_client *tx, void *arg)
{
    (void)arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = "new@x" }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    (void)user_create(tx, &(UserCreateInput){ .email = "taken@x" }, NULL); /* P2002, ignored */
    return PRISMA_OK;
}

/* Items 22 and 23 on PostgreSQL: a database error aborts the transaction
 * there, so its COMMIT is in fact a ROLLBACK. Prisma then reports nothing
 * (the data is silently lost); a truthful client must not report success for
 * a commit that committed nothing. Manual and interactive. */
START_TEST(a_commit_of_an_aborted_postgresql_transaction_is_not_a_success)
{
    add_user(db, "taken@x", 0);
    prisma_client *t = NULL;
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "new@x" }, NULL));
    FAILS(t, user_create(t, &(UserCreateInput){ .email = "taken@x" }, NULL), "P2002", P2002_EMAIL);
    /* The transaction is aborted: later statements fail. */
    ck_assert_int_eq(user_create(t, &(UserCreateInput){ .email = "later@x" }, NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(t), "P2028");
    int rc = prisma_tx_commit(t);
    bool kept = user_exists(db, "new@x");
    ck_assert(!kept);
    ck_assert_msg(rc == PRISMA_ERROR, "the commit reported success, but nothing was committed");
    ck_assert_str_eq(code_of(t), "P2028");
    prisma_tx_free(t);

    rc = prisma_transaction(db, swallow_a_duplicate, NULL, NULL);
    kept = user_exists(db, "new@x");
    ck_assert(!kept);
    ck_assert_msg(rc == PRISMA_ERROR, "prisma_transaction reported success, but nothing was committed");
    ck_assert_int_eq(count_users(db), 1);
}
END_TEST

/* Item 28: disconnecting rolls back every open transaction (hooks run); the
 * handles stay valid until freed and then report the rollback; no connection
 * is kept. */
START_TEST(disconnect_rolls_back_open_transactions)
{
    prisma_client *c = client_with((prisma_options){ .pool_size = 2 });
    prisma_client *t1 = NULL, *nested = NULL;
    atomic_store(&watchdog_rollbacks, 0);
    OKC(c, prisma_tx_begin(c, &(prisma_tx_options){ .timeout_ms = 20000 }, &t1));
    OKC(t1, prisma_tx_on_rollback(t1, count_watchdog_rollback, NULL));
    OKC(t1, user_create(t1, &(UserCreateInput){ .email = "one@x" }, NULL));
    OKC(t1, prisma_tx_begin(t1, NULL, &nested));
    OKC(nested, user_create(nested, &(UserCreateInput){ .email = "nested@x" }, NULL));
    /* A second one where writers run at once. */
    prisma_client *t2 = NULL;
    int open = 1;
    if (testdb->concurrent_write_transactions) {
        OKC(c, prisma_tx_begin(c, &(prisma_tx_options){ .timeout_ms = 20000 }, &t2));
        OKC(t2, prisma_tx_on_rollback(t2, count_watchdog_rollback, NULL));
        OKC(t2, user_create(t2, &(UserCreateInput){ .email = "two@x" }, NULL));
        open = 2;
    }
    int64_t t0 = now_ms();
    prisma_disconnect(c);
    ck_assert_int_lt(now_ms() - t0, 3000);
    ck_assert_int_eq(atomic_load(&watchdog_rollbacks), open);
    FAILS(t1, prisma_tx_commit(t1), "P2028", CLOSED("commit", ROLLED_BACK));
    FAILS(t1, prisma_tx_rollback(t1), "P2028", CLOSED("rollback", ROLLED_BACK));
    FAILS(t1, user_create(t1, &(UserCreateInput){ .email = "late@x" }, NULL), "P2028", CLOSED("query", ROLLED_BACK));
    FAILS(nested, prisma_tx_commit(nested), "P2028", CLOSED("commit", ROLLED_BACK));
    prisma_tx_free(nested);
    prisma_tx_free(t1);
    if (t2) {
        FAILS(t2, prisma_tx_commit(t2), "P2028", CLOSED("commit", ROLLED_BACK));
        prisma_tx_free(t2);
    }
    ck_assert_int_eq(count_users(db), 0);

    /* Freeing an open handle rolls it back and gives its connection back. */
    c = client_with((prisma_options){ .pool_size = 1 });
    OKC(c, prisma_tx_begin(c, NULL, &t1));
    OKC(t1, user_create(t1, &(UserCreateInput){ .email = "freed@x" }, NULL));
    prisma_tx_free(t1);
    OKC(c, prisma_tx_begin(c, &(prisma_tx_options){ .max_wait_ms = 100 }, &t1));
    ck_assert_int_eq(visible_users(t1), 0);
    /* Item 14's analog: prisma_disconnect ignores a transaction client. */
    prisma_disconnect(t1);
    OKC(t1, user_create(t1, &(UserCreateInput){ .email = "still@x" }, NULL));
    OKC(t1, prisma_tx_commit(t1));
    prisma_tx_free(t1);
    ck_assert(user_exists(c, "still@x"));
    prisma_disconnect(c);
}
END_TEST

/* ==== B3. Nested transactions (savepoints) ==== */

/* Item 30: a nested transaction is a SAVEPOINT named prisma_sp_<n>, n counted
 * per top-level transaction from 0 as Prisma 7 does (savepointCounter++ from
 * 0), released by its commit. */
START_TEST(nested_transactions_are_savepoints_named_like_prisma)
{
    prisma_client *t = NULL, *n = NULL;
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_begin(t, NULL, &n));
    OKC(n, user_create(n, &(UserCreateInput){ .email = "undone@x" }, NULL));
    OKC(n, prisma_execute_raw(n, testdb_sql("%sprisma_sp_0", testdb->rollback_to), NULL, 0, NULL));
    ck_assert_int_eq(visible_users(n), 0);
    OKC(n, prisma_tx_commit(n));
    OKC(t, prisma_tx_begin(t, NULL, &n));
    OKC(n, prisma_execute_raw(n, testdb_sql("%sprisma_sp_1", testdb->rollback_to), NULL, 0, NULL));
    OKC(n, prisma_tx_commit(n));
    /* Released: prisma_sp_0 is gone (the failure is undone by the third one's rollback). */
    OKC(t, prisma_tx_begin(t, NULL, &n));
    ck_assert_int_eq(prisma_execute_raw(n, testdb_sql("%sprisma_sp_0", testdb->rollback_to), NULL, 0, NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(n), "P2010");
    OKC(n, prisma_tx_rollback(n));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "kept@x" }, NULL));
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    /* The counter starts again in the next transaction. */
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_begin(t, NULL, &n));
    OKC(n, prisma_execute_raw(n, testdb_sql("%sprisma_sp_0", testdb->rollback_to), NULL, 0, NULL));
    OKC(n, prisma_tx_commit(n));
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    ck_assert_int_eq(count_users(db), 1);
}
END_TEST

typedef struct level {
    const char *email;
    int64_t seen_before, seen_after; /* rows visible before / after the level below ran */
    bool fail;                       /* this level fails after its work */
    struct level *below;
    int below_rc;
    char below_code[16];
} level;

static int run_level(prisma_client *tx, void *arg)
{
    level *l = arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = l->email }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    l->seen_before = visible_users(tx);
    if (l->below) {
        l->below_rc = prisma_transaction(tx, run_level, l->below, NULL);
        snprintf(l->below_code, sizeof l->below_code, "%s", code_of(tx));
        l->seen_after = visible_users(tx);
    }
    return l->fail ? prisma_fail(tx, "%s fails", l->email) : PRISMA_OK;
}

/* Item 31: an inner rollback restores the parent's state and the parent
 * continues, at 3 levels (grandchild rollback: 2 rows; child rollback: 1). */
START_TEST(an_inner_rollback_restores_the_parent_state)
{
    level grandchild = { .email = "grandchild@x", .fail = true };
    level child = { .email = "child@x", .fail = true, .below = &grandchild };
    level outer = { .email = "outer@x", .below = &child };
    OK(prisma_transaction(db, run_level, &outer, NULL));
    ck_assert_int_eq(grandchild.seen_before, 3);
    ck_assert_int_eq(child.seen_before, 2);
    ck_assert_int_eq(child.below_rc, PRISMA_ERROR);
    ck_assert_str_eq(child.below_code, "USER");
    ck_assert_int_eq(child.seen_after, 2);
    ck_assert_int_eq(outer.below_rc, PRISMA_ERROR);
    ck_assert_str_eq(outer.below_code, "USER");
    ck_assert_int_eq(outer.seen_after, 1);
    ck_assert_int_eq(count_users(db), 1);
    ck_assert(user_exists(db, "outer@x"));
}
END_TEST

/* Item 31: nested commits keep their state at 3 levels and keep the outer
 * transaction open; sequential nested transactions work. */
START_TEST(nested_commits_keep_state_and_the_outer_transaction_open)
{
    level grandchild = { .email = "grandchild@x" };
    level child = { .email = "child@x", .below = &grandchild };
    level outer = { .email = "outer@x", .below = &child };
    OK(prisma_transaction(db, run_level, &outer, NULL));
    ck_assert_int_eq(child.below_rc, PRISMA_OK);
    ck_assert_int_eq(child.seen_after, 3);
    ck_assert_int_eq(outer.seen_after, 3);
    ck_assert_int_eq(count_users(db), 3);

    /* Sequential siblings, then more work on the outer one. */
    prisma_client *t = NULL;
    OK(prisma_tx_begin(db, NULL, &t));
    level s1 = { .email = "s1@x" }, s2 = { .email = "s2@x" };
    OKC(t, prisma_transaction(t, run_level, &s1, NULL));
    OKC(t, prisma_transaction(t, run_level, &s2, NULL));
    ck_assert_int_eq(s2.seen_before, 5);
    OKC(t, user_create(t, &(UserCreateInput){ .email = "after@x" }, NULL));
    /* Not visible outside until the outer commit. */
    ck_assert_int_eq(visible_users(db), 3);
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    ck_assert_int_eq(count_users(db), 6);
}
END_TEST

static int nested_fails_on_a_database_error(prisma_client *tx, void *arg)
{
    (void)arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = "inner@x" }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    return user_create(tx, &(UserCreateInput){ .email = "outer@x" }, NULL); /* P2002 */
}

/* Items 31 and 9: a nested transaction that fails on a database error can be
 * caught and the outer one continues (on PostgreSQL the savepoint rollback
 * also clears the aborted state). */
START_TEST(a_nested_database_error_can_be_caught_and_the_outer_continues)
{
    prisma_client *t = NULL;
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "outer@x" }, NULL));
    FAILS(t, prisma_transaction(t, nested_fails_on_a_database_error, NULL, NULL), "P2002", P2002_EMAIL);
    OKC(t, user_create(t, &(UserCreateInput){ .email = "continued@x" }, NULL));
    ck_assert_int_eq(visible_users(t), 2);
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    ck_assert(user_exists(db, "outer@x"));
    ck_assert(user_exists(db, "continued@x"));
    ck_assert(!user_exists(db, "inner@x"));
}
END_TEST

/* Item 32: when the outer transaction fails after an inner one committed,
 * everything rolls back. */
START_TEST(an_outer_failure_rolls_back_committed_inner_work)
{
    level child = { .email = "child@x" };
    level outer = { .email = "outer@x", .fail = true, .below = &child };
    FAILS(db, prisma_transaction(db, run_level, &outer, NULL), "USER", "outer@x fails");
    ck_assert_int_eq(outer.below_rc, PRISMA_OK);
    ck_assert_int_eq(outer.seen_after, 2);
    ck_assert_int_eq(count_users(db), 0);
}
END_TEST

typedef struct concurrent_nested {
    int rc_interactive, rc_manual;
    char msg_interactive[256], msg_manual[256];
    int calls;
} concurrent_nested;

static int open_two_children(prisma_client *tx, void *arg)
{
    concurrent_nested *r = arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = "outer@x" }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    prisma_client *first = NULL, *second = NULL;
    rc = prisma_tx_begin(tx, NULL, &first);
    if (rc != PRISMA_OK)
        return rc;
    rc = user_create(first, &(UserCreateInput){ .email = "first@x" }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    r->rc_interactive = prisma_transaction(tx, count_calls, &r->calls, NULL);
    snprintf(r->msg_interactive, sizeof r->msg_interactive, "%s", prisma_error_message(tx));
    r->rc_manual = prisma_tx_begin(tx, NULL, &second);
    snprintf(r->msg_manual, sizeof r->msg_manual, "%s", prisma_error_message(tx));
    if (second)
        return prisma_fail(tx, "a second nested transaction started");
    return r->rc_manual;
}

#define CONCURRENT_NESTED "Transaction API error: Concurrent nested transactions are not supported."

/* Item 33: a second nested transaction while one is open fails with
 * "Concurrent nested transactions are not supported"; the error propagates
 * and the whole transaction rolls back (0 rows). */
START_TEST(concurrent_nested_transactions_are_refused)
{
    concurrent_nested r = { 0 };
    FAILS(db, prisma_transaction(db, open_two_children, &r, NULL), "P2028", CONCURRENT_NESTED);
    ck_assert_int_eq(r.rc_interactive, PRISMA_ERROR);
    ck_assert_str_eq(r.msg_interactive, CONCURRENT_NESTED);
    ck_assert_int_eq(r.calls, 0);
    ck_assert_int_eq(r.rc_manual, PRISMA_ERROR);
    ck_assert_str_eq(r.msg_manual, CONCURRENT_NESTED);
    ck_assert_int_eq(count_users(db), 0);
}
END_TEST

static int create_nested(prisma_client *tx, void *arg)
{
    level *l = arg;
    return prisma_transaction(tx, run_level, l, NULL);
}

typedef struct nested_worker {
    level l;
    int rc;
} nested_worker;

static void *run_nested_worker(void *p)
{
    nested_worker *w = p;
    w->rc = prisma_transaction(db, create_nested, &w->l, &(prisma_tx_options){ .max_wait_ms = 10000 });
    return NULL;
}

/* Item 33: nested transactions inside different concurrent top-level ones are fine. */
START_TEST(nested_transactions_in_concurrent_top_level_ones)
{
    nested_worker w[2] = { { .l = { .email = "n1@x" } }, { .l = { .email = "n2@x" } } };
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&th[i], NULL, run_nested_worker, &w[i]);
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
        ck_assert_int_eq(w[i].rc, PRISMA_OK);
    }
    ck_assert_int_eq(count_users(db), 2);
}
END_TEST

/* Item 34: close order. A parent closing while its child is open fails with
 * "Cannot close transaction while a nested transaction is still active.",
 * everything rolls back and the child fails with P2028; a nested parent
 * closing before its grandchild gives "Nested transactions must be closed in
 * reverse order of creation."; a parent rolling back makes the child fail. */
START_TEST(nested_transactions_close_in_order)
{
    prisma_client *t = NULL, *child = NULL, *grandchild = NULL;
    /* The parent commits while the child is open. */
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "parent@x" }, NULL));
    OKC(t, prisma_tx_begin(t, NULL, &child));
    OKC(child, user_create(child, &(UserCreateInput){ .email = "child@x" }, NULL));
    FAILS(t, prisma_tx_commit(t), "P2028",
          "Transaction API error: Cannot close transaction while a nested transaction is still active.");
    FAILS(child, user_create(child, &(UserCreateInput){ .email = "late@x" }, NULL), "P2028",
          CLOSED("query", ROLLED_BACK));
    FAILS(child, prisma_tx_commit(child), "P2028", CLOSED("commit", ROLLED_BACK));
    FAILS(t, prisma_tx_commit(t), "P2028", CLOSED("commit", ROLLED_BACK));
    prisma_tx_free(t);
    ck_assert_int_eq(count_users(db), 0);

    /* A nested parent commits before its grandchild. */
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "parent@x" }, NULL));
    OKC(t, prisma_tx_begin(t, NULL, &child));
    OKC(child, prisma_tx_begin(child, NULL, &grandchild));
    OKC(grandchild, user_create(grandchild, &(UserCreateInput){ .email = "grandchild@x" }, NULL));
    FAILS(child, prisma_tx_commit(child), "P2028",
          "Transaction API error: Nested transactions must be closed in reverse order of creation.");
    FAILS(grandchild, user_create(grandchild, &(UserCreateInput){ .email = "late@x" }, NULL), "P2028",
          CLOSED("query", ROLLED_BACK));
    FAILS(t, user_create(t, &(UserCreateInput){ .email = "late@x" }, NULL), "P2028", CLOSED("query", ROLLED_BACK));
    prisma_tx_free(t);
    ck_assert_int_eq(count_users(db), 0);

    /* The parent rolls back while the child is open: the child fails. */
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_begin(t, NULL, &child));
    OKC(child, user_create(child, &(UserCreateInput){ .email = "child@x" }, NULL));
    (void)prisma_tx_rollback(t);
    FAILS(child, user_create(child, &(UserCreateInput){ .email = "late@x" }, NULL), "P2028",
          CLOSED("query", ROLLED_BACK));
    FAILS(t, prisma_tx_commit(t), "P2028", CLOSED("commit", ROLLED_BACK));
    prisma_tx_free(t);
    ck_assert_int_eq(count_users(db), 0);

    /* While a child is open the parent runs nothing. */
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_begin(t, NULL, &child));
    ck_assert_int_eq(user_create(t, &(UserCreateInput){ .email = "parent@x" }, NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(t), "P2028");
    OKC(child, prisma_tx_commit(child));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "parent@x" }, NULL));
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    ck_assert_int_eq(count_users(db), 1);
}
END_TEST

/* ==== Isolation levels (section D, as asked for these suites) ==== */

static const char *isolation_in(prisma_client *tx, char *out, size_t cap)
{
    prisma_raw_rows *rows = NULL;
    OKC(tx, prisma_query_raw(tx, "SHOW transaction_isolation", NULL, 0, &rows));
    ck_assert_uint_eq(rows->n_rows, 1);
    ck_assert_uint_eq(rows->n_cols, 1);
    ck_assert_str_eq(rows->columns[0], "transaction_isolation");
    ck_assert_int_eq(rows->values[0].type, PRISMA_RAW_TEXT);
    snprintf(out, cap, "%s", rows->values[0].s);
    prisma_free(rows);
    return out;
}

static int record_isolation(prisma_client *tx, void *arg)
{
    isolation_in(tx, arg, 32);
    return PRISMA_OK;
}

/* Every level on PostgreSQL, checked with SHOW transaction_isolation inside
 * the transaction: manual, interactive, batch (one-statement batches and
 * mixed ones), the client-wide default and a per-call override. */
START_TEST(isolation_levels_on_postgresql)
{
    static const struct {
        prisma_isolation level;
        const char *name;
    } levels[] = {
        { PRISMA_ISOLATION_DEFAULT, "read committed" },
        { PRISMA_READ_UNCOMMITTED, "read uncommitted" },
        { PRISMA_READ_COMMITTED, "read committed" },
        { PRISMA_REPEATABLE_READ, "repeatable read" },
        { PRISMA_SERIALIZABLE, "serializable" },
    };
    char got[32];
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        prisma_tx_options o = { .isolation = levels[i].level };
        prisma_client *t = NULL;
        OK(prisma_tx_begin(db, &o, &t));
        ck_assert_str_eq(isolation_in(t, got, sizeof got), levels[i].name);
        OKC(t, prisma_tx_commit(t));
        prisma_tx_free(t);
        got[0] = '\0';
        OK(prisma_transaction(db, record_isolation, got, &o));
        ck_assert_str_eq(got, levels[i].name);
        /* A batch with a raw query ... */
        prisma_batch *b = NULL;
        prisma_raw_rows *rows = NULL;
        OK(prisma_batch_new(db, &b));
        OK(prisma_batch_query_raw(b, "SHOW transaction_isolation", NULL, 0, &rows));
        OK(prisma_batch_run(b, &o, NULL));
        ck_assert_ptr_nonnull(rows);
        ck_assert_str_eq(rows->values[0].s, levels[i].name);
        prisma_free(rows);
        prisma_batch_free(b);
        /* ... and one of single statements (the pipelined path). */
        OK(prisma_batch_new(db, &b));
        int64_t affected = 0;
        OK(prisma_batch_execute_raw(b,
                                    testdb_sql("INSERT INTO \"User\" (email) SELECT $1"
                                    " || current_setting('transaction_isolation')"),
                                    (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("iso:") }, 1, &affected));
        OK(user_batch_count(b, NULL, &(int64_t){ 0 }));
        OK(prisma_batch_run(b, &o, NULL));
        ck_assert_int_eq(affected, 1);
        prisma_batch_free(b);
        char email[64];
        snprintf(email, sizeof email, "iso:%s", levels[i].name);
        ck_assert_msg(user_exists(db, email), "batch at %s", levels[i].name);
        OK(user_delete_many(db, NULL, NULL));
    }
    /* Client-wide Serializable, overridden per call. */
    prisma_client *c = client_with((prisma_options){ .isolation = PRISMA_SERIALIZABLE });
    OKC(c, prisma_transaction(c, record_isolation, got, NULL));
    ck_assert_str_eq(got, "serializable");
    OKC(c, prisma_transaction(c, record_isolation, got, &(prisma_tx_options){ .isolation = PRISMA_READ_COMMITTED }));
    ck_assert_str_eq(got, "read committed");
    prisma_disconnect(c);
}
END_TEST

/* SQLite has only Serializable: the other levels are refused with a clear
 * P2023 (item 49's "Error in connector: Conversion error: <LEVEL>"), for
 * manual, interactive and batch transactions and as a client default. */
START_TEST(isolation_levels_on_sqlite)
{
    static const struct {
        prisma_isolation level;
        const char *prefix;
    } refused[] = {
        { PRISMA_READ_UNCOMMITTED, "Error in connector: Conversion error: READ UNCOMMITTED" },
        { PRISMA_READ_COMMITTED, "Error in connector: Conversion error: READ COMMITTED" },
        { PRISMA_REPEATABLE_READ, "Error in connector: Conversion error: REPEATABLE READ" },
    };
    int calls = 0;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        prisma_tx_options o = { .isolation = refused[i].level };
        prisma_client *t = NULL;
        FAILS_WITH_PREFIX(db, prisma_tx_begin(db, &o, &t), "P2023", refused[i].prefix);
        ck_assert_ptr_null(t);
        FAILS_WITH_PREFIX(db, prisma_transaction(db, count_calls, &calls, &o), "P2023", refused[i].prefix);
        prisma_batch *b = NULL;
        OK(prisma_batch_new(db, &b));
        OK(user_batch_create(b, &(UserCreateInput){ .email = "never@x" }, NULL));
        FAILS_WITH_PREFIX(db, prisma_batch_run(b, &o, NULL), "P2023", refused[i].prefix);
        prisma_batch_free(b);
        prisma_client *c = client_with((prisma_options){ .isolation = refused[i].level });
        FAILS_WITH_PREFIX(c, prisma_transaction(c, count_calls, &calls, NULL), "P2023", refused[i].prefix);
        prisma_disconnect(c);
    }
    ck_assert_int_eq(calls, 0);
    ck_assert_int_eq(count_users(db), 0);
    /* Serializable (and the default) work. */
    OK(prisma_transaction(db, count_calls, &calls, &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE }));
    OK(prisma_transaction(db, count_calls, &calls, NULL));
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "serializable@x" }, NULL));
    OK(prisma_batch_run(b, &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE }, NULL));
    prisma_batch_free(b);
    ck_assert_int_eq(calls, 2);
    ck_assert_int_eq(count_users(db), 1);
}
END_TEST

/* ==== Write conflicts (item 25) and retries ==== */

typedef struct hook_probe {
    int commits, rollbacks;
} hook_probe;

static void probe_commit(void *arg)
{
    ((hook_probe *)arg)->commits++;
}

static void probe_rollback(void *arg)
{
    ((hook_probe *)arg)->rollbacks++;
}


typedef struct retry_arg {
    prisma_client *root;
    int attempts;
    int interfere; /* attempts that see a concurrent committed update */
    bool user_failure;
} retry_arg;

static int conflicting_increment(prisma_client *tx, void *arg)
{
    retry_arg *a = arg;
    a->attempts++;
    if (a->user_failure)
        return prisma_fail(tx, "not a conflict");
    User *u = NULL;
    int rc = user_find_unique(tx, &(UserWhereUniqueInput){ .email = "c@x" }, &u);
    user_free(u);
    if (rc != PRISMA_OK)
        return rc;
    if (a->attempts <= a->interfere &&
        user_update(a->root, &(UserWhereUniqueInput){ .email = "c@x" },
                    &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(100) } }, NULL) != PRISMA_OK)
        return prisma_fail(tx, "the concurrent update failed: %s", prisma_error_message(a->root));
    return user_update(tx, &(UserWhereUniqueInput){ .email = "c@x" },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
}

/* max_retries re-runs only after P2034: a callback failure is not retried. */
START_TEST(max_retries_does_not_retry_other_failures)
{
    retry_arg a = { .root = db, .user_failure = true };
    FAILS(db, prisma_transaction(db, conflicting_increment, &a, &(prisma_tx_options){ .max_retries = 5 }), "USER",
          "not a conflict");
    ck_assert_int_eq(a.attempts, 1);
}
END_TEST

/* Item 25: two Serializable transactions read the row; A updates and
 * commits; B's update fails with P2034 (SQLSTATE 40001). */
START_TEST(a_write_conflict_is_p2034)
{
    add_user(db, "c@x", 0);
    prisma_tx_options ser = { .isolation = PRISMA_SERIALIZABLE };
    prisma_client *a = NULL, *b = NULL;
    OK(prisma_tx_begin(db, &ser, &a));
    OK(prisma_tx_begin(db, &ser, &b));
    ck_assert_int_eq(balance_of(a, "c@x"), 0);
    ck_assert_int_eq(balance_of(b, "c@x"), 0);
    int64_t n = 0;
    OKC(a, user_update_many(a, NULL, &(UserUpdateInput){ .balance = { .set = PRISMA_INT(1) } }, &n));
    ck_assert_int_eq(n, 1);
    OKC(a, prisma_tx_commit(a));
    FAILS(b, user_update_many(b, NULL, &(UserUpdateInput){ .balance = { .set = PRISMA_INT(2) } }, &n), "P2034",
          P2034_MSG);
    ck_assert_str_eq(prisma_error_db_code(b), "40001");
    OKC(b, prisma_tx_rollback(b));
    prisma_tx_free(a);
    prisma_tx_free(b);
    ck_assert_int_eq(balance_of(db, "c@x"), 1);
}
END_TEST

/* Item 25 at commit time: write skew between two Serializable transactions
 * is detected at the second COMMIT, which fails with P2034; nothing of it
 * persists, its rollback hooks run and the handle is closed. */
START_TEST(a_serialization_failure_at_commit_is_p2034)
{
    add_user(db, "x@x", 50);
    add_user(db, "y@x", 50);
    prisma_tx_options ser = { .isolation = PRISMA_SERIALIZABLE };
    prisma_client *a = NULL, *b = NULL;
    OK(prisma_tx_begin(db, &ser, &a));
    OK(prisma_tx_begin(db, &ser, &b));
    UserList *l = NULL;
    OKC(a, user_find_many(a, NULL, &l));
    user_list_free(l);
    OKC(b, user_find_many(b, NULL, &l));
    user_list_free(l);
    OKC(a, user_update(a, &(UserWhereUniqueInput){ .email = "x@x" },
                       &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(100) } }, NULL));
    OKC(b, user_update(b, &(UserWhereUniqueInput){ .email = "y@x" },
                       &(UserUpdateInput){ .balance = { .decrement = PRISMA_INT(100) } }, NULL));
    hook_probe p = { 0, 0 };
    OKC(b, prisma_tx_on_commit(b, probe_commit, &p));
    OKC(b, prisma_tx_on_rollback(b, probe_rollback, &p));
    OKC(a, prisma_tx_commit(a));
    FAILS(b, prisma_tx_commit(b), "P2034", P2034_MSG);
    ck_assert_str_eq(prisma_error_db_code(b), "40001");
    ck_assert_int_eq(p.commits, 0);
    ck_assert_int_eq(p.rollbacks, 1);
    FAILS(b, prisma_tx_commit(b), "P2028", CLOSED("commit", ROLLED_BACK));
    prisma_tx_free(a);
    prisma_tx_free(b);
    ck_assert_int_eq(balance_of(db, "x@x"), -50);
    ck_assert_int_eq(balance_of(db, "y@x"), 50);
}
END_TEST

/* Item 25 with retries (issue 9678: retry on P2034): max_retries re-runs the
 * callback after a conflict and finally succeeds; without retries, or when
 * every attempt conflicts, P2034 is reported after max_retries + 1 attempts. */
START_TEST(max_retries_reruns_after_a_write_conflict)
{
    add_user(db, "c@x", 0);
    prisma_client *c = client_with((prisma_options){ .pool_size = 3 });
    retry_arg a = { .root = c, .interfere = 1 };
    OKC(c, prisma_transaction(c, conflicting_increment, &a,
                              &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE, .max_retries = 3 }));
    ck_assert_int_eq(a.attempts, 2);
    ck_assert_int_eq(balance_of(c, "c@x"), 101);

    a = (retry_arg){ .root = c, .interfere = 1 };
    FAILS(c, prisma_transaction(c, conflicting_increment, &a, &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE }),
          "P2034", P2034_MSG);
    ck_assert_int_eq(a.attempts, 1);
    ck_assert_int_eq(balance_of(c, "c@x"), 201);

    a = (retry_arg){ .root = c, .interfere = 99 };
    FAILS(c,
          prisma_transaction(c, conflicting_increment, &a,
                             &(prisma_tx_options){ .isolation = PRISMA_SERIALIZABLE, .max_retries = 2 }),
          "P2034", P2034_MSG);
    ck_assert_int_eq(a.attempts, 3);
    ck_assert_int_eq(balance_of(c, "c@x"), 501);
    prisma_disconnect(c);
}
END_TEST

static int conflicting_raw_lock(prisma_client *tx, void *arg)
{
    retry_arg *a = arg;
    a->attempts++;
    User *u = NULL;
    int rc = user_find_unique(tx, &(UserWhereUniqueInput){ .email = "c@x" }, &u);
    user_free(u);
    if (rc != PRISMA_OK)
        return rc;
    if (a->attempts <= a->interfere &&
        user_update(a->root, &(UserWhereUniqueInput){ .email = "c@x" },
                    &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(100) } }, NULL) != PRISMA_OK)
        return prisma_fail(tx, "the concurrent update failed: %s", prisma_error_message(a->root));
    /* The row changed since the snapshot: locking it is a serialization failure (40001). */
    rc = prisma_execute_raw(tx, "SELECT balance FROM \"User\" WHERE email = $1 FOR UPDATE",
                            (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("c@x") }, 1, NULL);
    if (rc != PRISMA_OK)
        return rc;
    return user_update(tx, &(UserWhereUniqueInput){ .email = "c@x" },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
}

/* Item 25 with retries, the conflict raised by raw SQL (a locking read at
 * Repeatable Read, SQLSTATE 40001): the failure itself is P2010 with the
 * database's code, as Prisma reports raw errors, and it is still a write
 * conflict that max_retries re-runs. */
START_TEST(max_retries_reruns_a_conflict_raised_by_raw_sql)
{
    add_user(db, "c@x", 0);
    prisma_client *c = client_with((prisma_options){ .pool_size = 3 });
    retry_arg a = { .root = c, .interfere = 1 };
    FAILS(c, prisma_transaction(c, conflicting_raw_lock, &a, &(prisma_tx_options){ .isolation = PRISMA_REPEATABLE_READ }),
          "P2010", "Raw query failed. Code: `40001`. Message: `could not serialize access due to concurrent update`");
    ck_assert_int_eq(a.attempts, 1);
    ck_assert_int_eq(balance_of(c, "c@x"), 100);
    a = (retry_arg){ .root = c, .interfere = 1 };
    int rc = prisma_transaction(c, conflicting_raw_lock, &a,
                                &(prisma_tx_options){ .isolation = PRISMA_REPEATABLE_READ, .max_retries = 3 });
    ck_assert_msg(rc == PRISMA_OK && a.attempts == 2, "not retried: %d attempt(s), %s %s", a.attempts, code_of(c),
                  prisma_error_message(c));
    ck_assert_int_eq(balance_of(c, "c@x"), 201);
    prisma_disconnect(c);
}
END_TEST

typedef struct deadlocker {
    prisma_client *tx;
    int rc;
    char code[16], db_code[16];
} deadlocker;

static void *update_y(void *p)
{
    deadlocker *d = p;
    d->rc = user_update(d->tx, &(UserWhereUniqueInput){ .email = "y@x" },
                        &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
    snprintf(d->code, sizeof d->code, "%s", code_of(d->tx));
    const char *dbc = prisma_error_db_code(d->tx); /* errors are per thread */
    snprintf(d->db_code, sizeof d->db_code, "%s", dbc ? dbc : "-");
    return NULL;
}

/* Item 25: a deadlock (SQLSTATE 40P01) is P2034 too. */
START_TEST(a_deadlock_is_p2034)
{
    add_user(db, "x@x", 0);
    add_user(db, "y@x", 0);
    prisma_client *a = NULL, *b = NULL;
    prisma_tx_options o = { .timeout_ms = 20000 };
    OK(prisma_tx_begin(db, &o, &a));
    OK(prisma_tx_begin(db, &o, &b));
    OKC(a, user_update(a, &(UserWhereUniqueInput){ .email = "x@x" },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL));
    OKC(b, user_update(b, &(UserWhereUniqueInput){ .email = "y@x" },
                       &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL));
    deadlocker d = { a, -1, "", "" };
    pthread_t th;
    pthread_create(&th, NULL, update_y, &d); /* waits for b */
    sleep_ms(200);
    int rc = user_update(b, &(UserWhereUniqueInput){ .email = "x@x" },
                         &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) } }, NULL);
    char code[16];
    snprintf(code, sizeof code, "%s", code_of(b));
    const char *dbcode = rc == PRISMA_OK ? NULL : prisma_error_db_code(b);
    char dbc[16];
    snprintf(dbc, sizeof dbc, "%s", dbcode ? dbcode : "-");
    if (rc != PRISMA_OK)
        (void)prisma_tx_rollback(b); /* lets a go on */
    pthread_join(th, NULL);
    ck_assert_msg((rc == PRISMA_OK) != (d.rc == PRISMA_OK), "one of the two is the victim: %s / %s", code, d.code);
    if (rc != PRISMA_OK) {
        ck_assert_str_eq(code, "P2034");
        ck_assert_str_eq(dbc, "40P01");
    } else {
        ck_assert_str_eq(d.code, "P2034");
        ck_assert_str_eq(d.db_code, "40P01");
    }
    (void)prisma_tx_rollback(a);
    (void)prisma_tx_rollback(b);
    prisma_tx_free(a);
    prisma_tx_free(b);
}
END_TEST

/* ==== Hooks ==== */


typedef struct seen_probe {
    hook_probe counts;
    const char *email;
    int seen;          /* the row, seen from outside at hook time */
    int wrote;         /* a write through db from the hook succeeded */
} seen_probe;

static void seen_on_commit(void *arg)
{
    seen_probe *p = arg;
    p->counts.commits++;
    p->seen = user_exists(db, p->email);
}

static void seen_on_rollback(void *arg)
{
    seen_probe *p = arg;
    p->counts.rollbacks++;
    p->seen = user_exists(db, p->email);
    /* The write lock (SQLite) / row locks are released: this does not wait. */
    p->wrote = user_create(db, &(UserCreateInput){ .email = "from-hook@x" }, NULL) == PRISMA_OK;
}

static int hooks_in_callback(prisma_client *tx, void *arg)
{
    seen_probe *p = arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = p->email }, NULL);
    if (rc == PRISMA_OK)
        rc = prisma_tx_on_commit(tx, seen_on_commit, p);
    if (rc == PRISMA_OK)
        rc = prisma_tx_on_rollback(tx, seen_on_rollback, p);
    if (rc == PRISMA_OK && p->counts.commits + p->counts.rollbacks != 0)
        return prisma_fail(tx, "a hook ran early");
    return rc;
}

/* Hooks: on_commit runs once after the commit (the row is visible from
 * outside), on_rollback after the rollback (locks released); for a nested
 * transaction, commit hooks wait for the outermost commit and are dropped by
 * an outer rollback; the timeout's rollback runs them too. */
START_TEST(hooks_run_after_commit_and_after_rollback)
{
    prisma_client *t = NULL, *n = NULL;
    seen_probe p = { .email = "c@x", .seen = -1 };
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "c@x" }, NULL));
    OKC(t, prisma_tx_on_commit(t, seen_on_commit, &p));
    OKC(t, prisma_tx_on_rollback(t, seen_on_rollback, &p));
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    ck_assert_int_eq(p.counts.commits, 1);
    ck_assert_int_eq(p.counts.rollbacks, 0);
    ck_assert_int_eq(p.seen, 1);

    p = (seen_probe){ .email = "r@x", .seen = -1 };
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "r@x" }, NULL));
    OKC(t, prisma_tx_on_commit(t, seen_on_commit, &p));
    OKC(t, prisma_tx_on_rollback(t, seen_on_rollback, &p));
    OKC(t, prisma_tx_rollback(t));
    prisma_tx_free(t);
    ck_assert_int_eq(p.counts.commits, 0);
    ck_assert_int_eq(p.counts.rollbacks, 1);
    ck_assert_int_eq(p.seen, 0);
    ck_assert_int_eq(p.wrote, 1);

    /* Interactive: after prisma_transaction commits, or rolls back. */
    p = (seen_probe){ .email = "i@x", .seen = -1 };
    OK(prisma_transaction(db, hooks_in_callback, &p, NULL));
    ck_assert_int_eq(p.counts.commits, 1);
    ck_assert_int_eq(p.seen, 1);
    p = (seen_probe){ .email = "i@x", .seen = -1 }; /* a duplicate: fails */
    FAILS(db, prisma_transaction(db, hooks_in_callback, &p, NULL), "P2002", P2002_EMAIL);
    ck_assert_int_eq(p.counts.commits + p.counts.rollbacks, 0); /* registered after the failure: never */

    /* Nested: commit hooks wait for the outermost commit. */
    hook_probe h = { 0, 0 };
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_begin(t, NULL, &n));
    OKC(n, prisma_tx_on_commit(n, probe_commit, &h));
    OKC(n, prisma_tx_on_rollback(n, probe_rollback, &h));
    OKC(n, prisma_tx_commit(n));
    ck_assert_int_eq(h.commits, 0);
    OKC(t, prisma_tx_commit(t));
    ck_assert_int_eq(h.commits, 1);
    ck_assert_int_eq(h.rollbacks, 0);
    prisma_tx_free(t);
    /* A nested rollback runs its own rollback hooks at once. */
    h = (hook_probe){ 0, 0 };
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_begin(t, NULL, &n));
    OKC(n, prisma_tx_on_commit(n, probe_commit, &h));
    OKC(n, prisma_tx_on_rollback(n, probe_rollback, &h));
    OKC(n, prisma_tx_rollback(n));
    ck_assert_int_eq(h.rollbacks, 1);
    OKC(t, prisma_tx_commit(t));
    ck_assert_int_eq(h.commits, 0);
    ck_assert_int_eq(h.rollbacks, 1);
    prisma_tx_free(t);
    /* An outer rollback after a nested commit: rollback hooks only. */
    h = (hook_probe){ 0, 0 };
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, prisma_tx_begin(t, NULL, &n));
    OKC(n, prisma_tx_on_commit(n, probe_commit, &h));
    OKC(n, prisma_tx_on_rollback(n, probe_rollback, &h));
    OKC(n, prisma_tx_commit(n));
    OKC(t, prisma_tx_rollback(t));
    ck_assert_int_eq(h.commits, 0);
    ck_assert_int_eq(h.rollbacks, 1);
    prisma_tx_free(t);

    /* The timeout's rollback runs the rollback hooks (on the watchdog's thread). */
    atomic_store(&watchdog_rollbacks, 0);
    OK(prisma_tx_begin(db, &(prisma_tx_options){ .timeout_ms = 150 }, &t));
    OKC(t, prisma_tx_on_rollback(t, count_watchdog_rollback, NULL));
    for (int i = 0; i < 100 && atomic_load(&watchdog_rollbacks) == 0; i++)
        sleep_ms(20);
    ck_assert_int_eq(atomic_load(&watchdog_rollbacks), 1);
    prisma_tx_free(t);
    ck_assert_int_eq(atomic_load(&watchdog_rollbacks), 1);

    /* A hook needs a function and a transaction. */
    ck_assert_int_eq(prisma_tx_on_commit(db, probe_commit, &h), PRISMA_ERROR);
    OK(prisma_tx_begin(db, NULL, &t));
    ck_assert_int_eq(prisma_tx_on_commit(t, NULL, NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(t), "P2009");
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
}
END_TEST

/* ==== Raw SQL ==== */

static int raw_inside(prisma_client *tx, void *arg)
{
    int64_t *out = arg;
    int64_t affected = -1;
    int rc = prisma_execute_raw(tx, testdb_sql("INSERT INTO \"User\" (email, balance) VALUES ($1, $2)"),
                                (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("raw-tx@x"), PRISMA_RAW_INT_V(7) }, 2,
                                &affected);
    if (rc != PRISMA_OK)
        return rc;
    out[0] = affected;
    prisma_raw_rows *rows = NULL;
    rc = prisma_query_raw(tx, testdb_sql("SELECT balance FROM \"User\" WHERE email = $1"),
                          (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("raw-tx@x") }, 1, &rows);
    if (rc != PRISMA_OK)
        return rc;
    out[1] = rows->n_rows == 1 && rows->values[0].type == PRISMA_RAW_INT ? rows->values[0].i : -1;
    prisma_free(rows);
    out[2] = visible_users(db);
    return PRISMA_OK;
}

static int raw_failure_inside(prisma_client *tx, void *arg)
{
    (void)arg;
    int rc = prisma_execute_raw(tx, "INSERT INTO \"User\" (email) VALUES ('first@x')", NULL, 0, NULL);
    if (rc != PRISMA_OK)
        return rc;
    return prisma_execute_raw(tx, "INSERT INTO \"User\" (email) VALUES ('first@x')", NULL, 0, NULL);
}

#define RAW_DUPLICATE testdb_sql("Raw query failed. %s", testdb->raw_unique_violation("User", "email", false))
#define RAW_SYNTAX testdb_sql("Raw query failed. %s", testdb->raw_syntax_error("SELEC"))

/* Raw SQL: execute_raw returns affected counts and query_raw rows (column
 * names, types, values), both with bound parameters, outside and inside
 * interactive transactions; failures are P2010 "Raw query failed. Code: ..."
 * with the database's own code. */
START_TEST(raw_sql_counts_rows_and_errors)
{
    int64_t affected = -1;
    for (int i = 1; i <= 3; i++) {
        char email[16];
        snprintf(email, sizeof email, "r%d@x", i);
        OK(prisma_execute_raw(db, testdb_sql("INSERT INTO \"User\" (email, balance) VALUES ($1, $2)"),
                              (prisma_raw_value[]){ PRISMA_RAW_TEXT_V(email), PRISMA_RAW_INT_V(i * 100) }, 2,
                              &affected));
        ck_assert_int_eq(affected, 1);
    }
    OK(prisma_execute_raw(db, testdb_sql("UPDATE \"User\" SET balance = balance + $1 WHERE balance >= $2"),
                          (prisma_raw_value[]){ PRISMA_RAW_INT_V(1), PRISMA_RAW_INT_V(200) }, 2, &affected));
    ck_assert_int_eq(affected, 2);
    OK(prisma_execute_raw(db, testdb_sql("UPDATE \"User\" SET balance = 0 WHERE email = $1"),
                          (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("nobody@x") }, 1, &affected));
    ck_assert_int_eq(affected, 0);

    prisma_raw_rows *rows = NULL;
    OK(prisma_query_raw(db,
                        testdb_sql("SELECT id, email, balance, CAST(balance AS REAL) / 2 AS half, NULL AS empty "
                        "FROM \"User\" WHERE balance > $1 ORDER BY id"),
                        (prisma_raw_value[]){ PRISMA_RAW_INT_V(150) }, 1, &rows));
    ck_assert_uint_eq(rows->n_rows, 2);
    ck_assert_uint_eq(rows->n_cols, 5);
    static const char *const names[] = { "id", "email", "balance", "half", "empty" };
    for (int i = 0; i < 5; i++)
        ck_assert_str_eq(rows->columns[i], names[i]);
    const prisma_raw_value *r0 = &rows->values[0], *r1 = &rows->values[5];
    ck_assert_int_eq(r0[0].type, PRISMA_RAW_INT);
    ck_assert_int_eq(r0[1].type, PRISMA_RAW_TEXT);
    ck_assert_str_eq(r0[1].s, "r2@x");
    ck_assert_uint_eq(r0[1].len, 4);
    ck_assert_int_eq(r0[2].type, PRISMA_RAW_INT);
    ck_assert_int_eq(r0[2].i, 201);
    ck_assert_int_eq(r0[3].type, PRISMA_RAW_FLOAT);
    ck_assert(r0[3].f == 100.5);
    ck_assert_int_eq(r0[4].type, PRISMA_RAW_NULL);
    ck_assert_str_eq(r1[1].s, "r3@x");
    ck_assert_int_eq(r1[2].i, 301);
    ck_assert_int_gt(r1[0].i, r0[0].i);
    prisma_free(rows);

    /* Bytes, text with quotes and a float round-trip as bound parameters. */
    static const char blob[] = { 0, 1, '\'', 2, (char)0xff };
    prisma_raw_value params[] = { { .type = PRISMA_RAW_BYTES, .s = blob, .len = sizeof blob },
                                  PRISMA_RAW_TEXT_V("it's \"quoted\""), PRISMA_RAW_FLOAT_V(0.25) };
    OK(prisma_query_raw(db,
                        testdb_sql("SELECT $1%s AS b, $2%s AS t, $3%s AS f%s", testdb->cast_bytes, testdb->cast_text,
                                   testdb->cast_float, testdb->has_boolean ? ", true AS yes" : ""),
                        params, 3, &rows));
    if (testdb->has_boolean) {
        ck_assert_int_eq(rows->values[3].type, PRISMA_RAW_BOOL);
        ck_assert_int_eq(rows->values[3].i, 1);
    }
    ck_assert_uint_eq(rows->n_rows, 1);
    ck_assert_int_eq(rows->values[0].type, PRISMA_RAW_BYTES);
    ck_assert_uint_eq(rows->values[0].len, sizeof blob);
    ck_assert_mem_eq(rows->values[0].s, blob, sizeof blob);
    ck_assert_str_eq(rows->values[1].s, "it's \"quoted\"");
    ck_assert(rows->values[2].f == 0.25);
    prisma_free(rows);

    /* Inside an interactive transaction. */
    int64_t inside[3] = { -1, -1, -1 };
    OK(prisma_transaction(db, raw_inside, inside, NULL));
    ck_assert_int_eq(inside[0], 1);
    ck_assert_int_eq(inside[1], 7);
    ck_assert_int_eq(inside[2], 3);
    ck_assert(user_exists(db, "raw-tx@x"));

    /* Failures: P2010 with the database's code and words. */
    FAILS(db, prisma_query_raw(db, "SELEC 1", NULL, 0, &rows), "P2010", RAW_SYNTAX);
    ck_assert_ptr_null(rows);
    FAILS(db, prisma_execute_raw(db, "SELEC 1", NULL, 0, &affected), "P2010", RAW_SYNTAX);
    FAILS(db,
          prisma_execute_raw(db, testdb_sql("INSERT INTO \"User\" (email) VALUES ($1)"),
                             (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("r1@x") }, 1, &affected),
          "P2010", RAW_DUPLICATE);
    ck_assert_str_eq(prisma_error_db_code(db), testdb->unique_code);
    /* ... inside a transaction, which rolls back. */
    FAILS(db, prisma_transaction(db, raw_failure_inside, NULL, NULL), "P2010", RAW_DUPLICATE);
    ck_assert(!user_exists(db, "first@x"));
    ck_assert_int_eq(count_users(db), 4);
}
END_TEST

/* ==== C. Batch transactions ==== */

/* Item 37: operations run in order and each sees the earlier ones:
 * [create(email), findUnique(email)] gives the same record twice. */
START_TEST(a_batch_runs_in_order_and_sees_earlier_writes)
{
    prisma_batch *b = NULL;
    User *created = NULL, *found = NULL;
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "user_1@website.com" }, &created));
    OK(user_batch_find_unique(b, &(UserWhereUniqueInput){ .email = "user_1@website.com" }, &found));
    ck_assert_uint_eq(prisma_batch_len(b), 2);
    ck_assert_ptr_null(created); /* results land once the batch committed */
    OK(prisma_batch_run(b, NULL, NULL));
    ck_assert_ptr_nonnull(created);
    ck_assert_ptr_nonnull(found);
    ck_assert_int_eq(created->id, found->id);
    ck_assert_str_eq(found->email, "user_1@website.com");
    user_free(created);
    user_free(found);
    prisma_batch_free(b);
}
END_TEST

/* Item 38: a successful batch gives one result per operation, in order, in
 * the typed out-pointers; an empty batch is fine. */
START_TEST(a_successful_batch_gives_one_result_per_operation)
{
    prisma_batch *b = NULL;
    User *a = NULL, *updated = NULL, *deleted = NULL;
    UserList *list = NULL;
    int64_t count = -1, many = -1, removed = -1, created_many = -1, raw = -1;
    prisma_raw_rows *rows = NULL;
    UserCreateInput more[] = { { .email = "m1@x" }, { .email = "m2@x" } };
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "a@x", .balance = PRISMA_INT(10) }, &a));
    OK(user_batch_create_many(b, more, 2, false, &created_many));
    OK(user_batch_count(b, NULL, &count));
    OK(user_batch_update(b, &(UserWhereUniqueInput){ .email = "a@x" },
                         &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(5) } }, &updated));
    OK(user_batch_update_many(b, &(UserWhereInput){ .email = { .starts_with = "m" } },
                              &(UserUpdateInput){ .balance = { .set = PRISMA_INT(3) } }, &many));
    OK(user_batch_find_many(b, &(UserFindManyArgs){ .order_by = &(UserOrderByInput){ .email = PRISMA_ASC },
                                                    .order_by_len = 1 },
                            &list));
    OK(user_batch_delete(b, &(UserWhereUniqueInput){ .email = "m2@x" }, &deleted));
    OK(user_batch_delete_many(b, &(UserWhereInput){ .email = { .equals = "nobody@x" } }, &removed));
    OK(prisma_batch_execute_raw(b, testdb_sql("UPDATE \"User\" SET balance = balance * 2 WHERE email = $1"),
                                (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("m1@x") }, 1, &raw));
    OK(prisma_batch_query_raw(b, "SELECT email, balance FROM \"User\" ORDER BY email", NULL, 0, &rows));
    ck_assert_uint_eq(prisma_batch_len(b), 10);
    OK(prisma_batch_run(b, NULL, NULL));
    ck_assert_int_eq(a->balance, 10);
    ck_assert_int_eq(created_many, 2);
    ck_assert_int_eq(count, 3);
    ck_assert_int_eq(updated->balance, 15);
    ck_assert_int_eq(many, 2);
    ck_assert_uint_eq(list->len, 3);
    ck_assert_str_eq(list->items[0].email, "a@x");
    ck_assert_int_eq(list->items[1].balance, 3);
    ck_assert_str_eq(deleted->email, "m2@x");
    ck_assert_int_eq(removed, 0);
    ck_assert_int_eq(raw, 1);
    ck_assert_uint_eq(rows->n_rows, 2);
    ck_assert_str_eq(rows->values[2].s, "m1@x");
    ck_assert_int_eq(rows->values[3].i, 6);
    user_free(a);
    user_free(updated);
    user_free(deleted);
    user_list_free(list);
    prisma_free(rows);
    prisma_batch_free(b);
    /* An empty batch. */
    OK(prisma_batch_new(db, &b));
    OK(prisma_batch_run(b, NULL, NULL));
    prisma_batch_free(b);
    ck_assert_int_eq(count_users(db), 2);
}
END_TEST

/* Items 38 and 40: all or nothing. Operation 2 of 3 violates a unique
 * constraint: the batch fails with its error, reports index 1, no row
 * exists, every out-pointer is NULL. Run again, it fails the same way. The
 * failing operation is named for an update of a missing record too. */
START_TEST(a_failing_batch_is_all_or_nothing_and_names_the_failure)
{
    prisma_batch *b = NULL;
    User *u[3] = { NULL, NULL, NULL };
    int64_t count = -1;
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "user_1@website.com" }, &u[0]));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "user_1@website.com" }, &u[1]));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "user_2@website.com" }, &u[2]));
    OK(user_batch_count(b, NULL, &count));
    size_t failed = 0;
    for (int run = 0; run < 2; run++) {
        FAILS(db, prisma_batch_run(b, NULL, &failed), "P2002", P2002_EMAIL);
        ck_assert_uint_eq(failed, 1);
        for (int i = 0; i < 3; i++)
            ck_assert_ptr_null(u[i]);
        ck_assert_int_eq(count, 0);
        ck_assert_int_eq(count_users(db), 0);
    }
    prisma_batch_free(b);

    /* Item 40: an update of a missing record, element 2. */
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "a@x" }, NULL));
    OK(user_batch_update(b, &(UserWhereUniqueInput){ .email = "missing@x" },
                         &(UserUpdateInput){ .balance = { .set = PRISMA_INT(1) } }, NULL));
    OK(user_batch_create(b, &(UserCreateInput){ .email = "b@x" }, NULL));
    FAILS_WITH_PREFIX(db, prisma_batch_run(b, NULL, &failed), "P2025",
                      "An operation failed because it depends on one or more records that were required but not "
                      "found.");
    ck_assert_uint_eq(failed, 1);
    prisma_batch_free(b);
    ck_assert_int_eq(count_users(db), 0);
}
END_TEST

/* Item 39: raw statements in a batch: [executeRaw INSERT id 2, queryRaw
 * DELETE, executeRaw INSERT id 1, executeRaw INSERT id 1] fails on the 4th
 * with P2010 and the database's code; everything rolls back, so the row
 * created before the batch is still there. */
START_TEST(raw_statements_in_a_batch_roll_back_together)
{
    OK(user_create(db, &(UserCreateInput){ .id = PRISMA_INT(1), .email = "user_1@website.com" }, NULL));
    char insert[128];
    snprintf(insert, sizeof insert, "%s", testdb_sql("INSERT INTO \"User\" (id, email) VALUES ($1, $2)"));
    prisma_raw_value two[] = { PRISMA_RAW_INT_V(2), PRISMA_RAW_TEXT_V("user_2@website.com") };
    prisma_raw_value one[] = { PRISMA_RAW_INT_V(1), PRISMA_RAW_TEXT_V("user_1@website.com") };
    prisma_batch *b = NULL;
    int64_t n[3] = { -1, -1, -1 };
    prisma_raw_rows *deleted = NULL;
    OK(prisma_batch_new(db, &b));
    OK(prisma_batch_execute_raw(b, insert, two, 2, &n[0]));
    OK(prisma_batch_query_raw(b, "DELETE FROM \"User\"", NULL, 0, &deleted));
    OK(prisma_batch_execute_raw(b, insert, one, 2, &n[1]));
    OK(prisma_batch_execute_raw(b, insert, one, 2, &n[2]));
    size_t failed = 0;
    FAILS(db, prisma_batch_run(b, NULL, &failed), "P2010",
          testdb_sql("Raw query failed. %s", testdb->raw_unique_violation("User", "id", true)));
    ck_assert_uint_eq(failed, 3);
    ck_assert_ptr_null(deleted);
    ck_assert_int_eq(n[0], 0);
    prisma_batch_free(b);
    ck_assert_int_eq(count_users(db), 1);
    ck_assert(user_exists(db, "user_1@website.com"));

    /* Engine test raw_mix: a model create, executeRaw and queryRaw in one batch succeed. */
    User *u = NULL;
    prisma_raw_rows *rows = NULL;
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, &(UserCreateInput){ .id = PRISMA_INT(3), .email = "mix@x" }, &u));
    OK(prisma_batch_execute_raw(b, testdb_sql("UPDATE \"User\" SET balance = 5 WHERE email = $1"),
                                (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("mix@x") }, 1, &n[0]));
    OK(prisma_batch_query_raw(b, testdb_sql("SELECT balance FROM \"User\" WHERE email = $1"),
                              (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("mix@x") }, 1, &rows));
    OK(prisma_batch_run(b, NULL, NULL));
    ck_assert_int_eq(u->balance, 0);
    ck_assert_int_eq(n[0], 1);
    ck_assert_int_eq(rows->values[0].i, 5);
    user_free(u);
    prisma_free(rows);
    prisma_batch_free(b);
}
END_TEST

/* Items 41 and 42 (C analogs): the same input queued twice runs twice (the
 * second is a duplicate, nothing crashes); an incomplete operation is
 * refused by prisma_batch_add. */
START_TEST(the_same_operation_twice_and_incomplete_operations)
{
    UserCreateInput same = { .email = "twice@x" };
    prisma_batch *b = NULL;
    User *first = NULL, *second = NULL;
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, &same, &first));
    OK(user_batch_create(b, &same, &second));
    size_t failed = 0;
    FAILS(db, prisma_batch_run(b, NULL, &failed), "P2002", P2002_EMAIL);
    ck_assert_uint_eq(failed, 1);
    ck_assert_ptr_null(first);
    ck_assert_ptr_null(second);
    ck_assert_int_eq(prisma_batch_add(b, &(prisma_batch_op){ .kind = 0 }), PRISMA_ERROR);
    ck_assert_str_eq(code_of(db), "P2009");
    ck_assert_int_eq(prisma_batch_add(b, &(prisma_batch_op){ .kind = PRISMA_OP_CREATE }), PRISMA_ERROR);
    ck_assert_int_eq(prisma_batch_add(b, &(prisma_batch_op){ .kind = PRISMA_OP_EXECUTE_RAW }), PRISMA_ERROR);
    ck_assert_str_eq(code_of(db), "P2009");
    ck_assert_uint_eq(prisma_batch_len(b), 2);
    prisma_batch_free(b);
    ck_assert_int_eq(count_users(db), 0);
}
END_TEST

/* Item 43: findUnique hit and miss in one batch give [row, NULL], on the
 * one-round-trip path and with a raw query in the batch. */
START_TEST(find_unique_hit_and_miss_in_one_batch)
{
    add_user(db, "hit@x", 1);
    for (int raw = 0; raw < 2; raw++) {
        prisma_batch *b = NULL;
        User *hit = NULL, *miss = (User *)&raw, *hit2 = NULL;
        prisma_raw_rows *rows = NULL;
        OK(prisma_batch_new(db, &b));
        OK(user_batch_find_unique(b, &(UserWhereUniqueInput){ .email = "hit@x" }, &hit));
        OK(user_batch_find_unique(b, &(UserWhereUniqueInput){ .email = "miss@x" }, &miss));
        OK(user_batch_find_unique(b, &(UserWhereUniqueInput){ .email = "hit@x" }, &hit2));
        if (raw)
            OK(prisma_batch_query_raw(b, "SELECT 1 AS one", NULL, 0, &rows));
        OK(prisma_batch_run(b, NULL, NULL));
        ck_assert_ptr_nonnull(hit);
        ck_assert_str_eq(hit->email, "hit@x");
        ck_assert_ptr_null(miss);
        ck_assert_ptr_nonnull(hit2);
        ck_assert_int_eq(hit2->id, hit->id);
        ck_assert_ptr_ne(hit2, hit);
        if (raw)
            ck_assert_int_eq(rows->values[0].i, 1);
        user_free(hit);
        user_free(hit2);
        prisma_free(rows);
        prisma_batch_free(b);
    }
}
END_TEST

typedef struct batch_in_tx {
    bool fail;
    int batch_rc;
    size_t failed;
    int64_t outside;
    bool found_own_write, saw_batch_write;
} batch_in_tx;

static int batch_inside(prisma_client *tx, void *arg)
{
    batch_in_tx *r = arg;
    int rc = user_create(tx, &(UserCreateInput){ .email = "u1@x" }, NULL);
    if (rc != PRISMA_OK)
        return rc;
    prisma_batch *b = NULL;
    if ((rc = prisma_batch_new(tx, &b)) != PRISMA_OK)
        return rc;
    /* Inputs are read when the batch runs: they live in this block. */
    User *found = NULL;
    UserWhereUniqueInput u1 = { .email = "u1@x" };
    UserCreateInput u2_data = { .email = "u2@x" }, dup = { .email = "u1@x" };
    rc = user_batch_find_unique(b, &u1, &found);
    if (rc == PRISMA_OK)
        rc = user_batch_create(b, &u2_data, NULL);
    if (rc == PRISMA_OK && r->fail)
        rc = user_batch_create(b, &dup, NULL);
    if (rc == PRISMA_OK)
        rc = r->batch_rc = prisma_batch_run(b, NULL, &r->failed);
    prisma_batch_free(b);
    r->found_own_write = found != NULL;
    user_free(found);
    if (rc != PRISMA_OK)
        return rc;
    User *u2 = NULL;
    rc = user_find_unique(tx, &(UserWhereUniqueInput){ .email = "u2@x" }, &u2);
    r->saw_batch_write = u2 != NULL;
    user_free(u2);
    r->outside = visible_users(db);
    return rc;
}

/* Item 45: a batch inside an interactive transaction runs in it (it sees the
 * transaction's writes, the transaction sees its writes, nothing is visible
 * outside before the commit); one failure, propagated, rolls back all. */
START_TEST(a_batch_inside_an_interactive_transaction_runs_in_it)
{
    batch_in_tx r = { 0 };
    OK(prisma_transaction(db, batch_inside, &r, NULL));
    ck_assert(r.found_own_write);
    ck_assert(r.saw_batch_write);
    ck_assert_int_eq(r.outside, 0);
    ck_assert_int_eq(count_users(db), 2);
    OK(user_delete_many(db, NULL, NULL));

    r = (batch_in_tx){ .fail = true };
    FAILS(db, prisma_transaction(db, batch_inside, &r, NULL), "P2002", P2002_EMAIL);
    ck_assert_int_eq(r.batch_rc, PRISMA_ERROR);
    ck_assert_uint_eq(r.failed, 2);
    ck_assert(!r.found_own_write);
    ck_assert_int_eq(count_users(db), 0);
}
END_TEST

/* A batch inside an open transaction whose statement fails as it is
 * prepared (a table that does not exist), first or after others: undone as
 * a whole, and the transaction goes on, on both databases. So does one whose
 * operation is refused before anything is sent. */
START_TEST(a_batch_failing_as_it_is_prepared_leaves_the_transaction_usable)
{
    for (int first = 0; first < 2; first++) {
        OK(user_delete_many(db, NULL, NULL));
        prisma_client *t = NULL;
        OK(prisma_tx_begin(db, NULL, &t));
        if (!first)
            OKC(t, user_create(t, &(UserCreateInput){ .email = "before@x" }, NULL));
        prisma_batch *b = NULL;
        OKC(t, prisma_batch_new(t, &b));
        OKC(t, user_batch_create(b, &(UserCreateInput){ .email = "1@x" }, NULL));
        OKC(t, prisma_batch_execute_raw(b, "INSERT INTO \"NoSuchTable\" VALUES (1)", NULL, 0, NULL));
        size_t failed = 0;
        ck_assert_int_eq(prisma_batch_run(b, NULL, &failed), PRISMA_ERROR);
        ck_assert_str_eq(code_of(t), "P2010");
        prisma_batch_free(b);
        /* Refused before anything is sent: a where-unique without a value. */
        OKC(t, prisma_batch_new(t, &b));
        OKC(t, user_batch_create(b, &(UserCreateInput){ .email = "2@x" }, NULL));
        OKC(t, user_batch_update(b, &(UserWhereUniqueInput){ .email = NULL }, &(UserUpdateInput){ .balance = { .set = PRISMA_INT(1) } }, NULL));
        ck_assert_int_eq(prisma_batch_run(b, NULL, &failed), PRISMA_ERROR);
        ck_assert_str_eq(code_of(t), "P2009");
        prisma_batch_free(b);
        OKC(t, user_create(t, &(UserCreateInput){ .email = "after@x" }, NULL));
        OKC(t, prisma_tx_commit(t));
        prisma_tx_free(t);
        ck_assert_int_eq(count_users(db), first ? 1 : 2);
        ck_assert(user_exists(db, "after@x"));
        ck_assert(!user_exists(db, "1@x"));
        ck_assert(!user_exists(db, "2@x"));
    }
}
END_TEST

/* Item 23 (done differently in C): a batch that fails halfway inside an open
 * transaction is undone as a whole (it is a savepoint) and the transaction
 * stays usable, on both databases; the rows written before the batch and
 * after it commit. */
START_TEST(a_failed_batch_inside_a_transaction_is_undone_as_a_whole)
{
    prisma_client *t = NULL;
    OK(prisma_tx_begin(db, NULL, &t));
    OKC(t, user_create(t, &(UserCreateInput){ .email = "before@x" }, NULL));
    prisma_batch *b = NULL;
    OKC(t, prisma_batch_new(t, &b));
    OKC(t, user_batch_create(b, &(UserCreateInput){ .email = "1@x" }, NULL));
    OKC(t, user_batch_create(b, &(UserCreateInput){ .email = "2@x" }, NULL));
    OKC(t, user_batch_create(b, &(UserCreateInput){ .email = "2@x" }, NULL));
    OKC(t, user_batch_create(b, &(UserCreateInput){ .email = "3@x" }, NULL));
    size_t failed = 0;
    FAILS(t, prisma_batch_run(b, NULL, &failed), "P2002", P2002_EMAIL);
    ck_assert_uint_eq(failed, 2);
    prisma_batch_free(b);
    ck_assert_int_eq(visible_users(t), 1);
    OKC(t, user_create(t, &(UserCreateInput){ .email = "after@x" }, NULL));
    OKC(t, prisma_tx_commit(t));
    prisma_tx_free(t);
    ck_assert_int_eq(count_users(db), 2);
    ck_assert(user_exists(db, "before@x"));
    ck_assert(user_exists(db, "after@x"));
}
END_TEST

/* Prepares the Post table's CHECK constraint (item 18). */
static int add_check_constraint(void)
{
    prisma_client *c = NULL;
    if (prisma_connect(&c, url) != PRISMA_OK) {
        fprintf(stderr, "connect: %s\n", prisma_last_connect_error());
        return -1;
    }
    static const char *const alter[] = {
        "ALTER TABLE \"Post\" ADD CONSTRAINT post_viewcount_check CHECK (\"viewCount\" >= 0)",
    };
    /* SQLite's ALTER TABLE adds no constraint: the table is made anew. */
    static const char *const rebuild[] = {
        "DROP TABLE \"Post\"",
        "CREATE TABLE \"Post\" (\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "
        "\"viewCount\" INTEGER NOT NULL DEFAULT 0, CONSTRAINT post_viewcount_check CHECK (\"viewCount\" >= 0))",
    };
    const char *const *sql = testdb->alter_adds_constraints ? alter : rebuild;
    size_t n = testdb->alter_adds_constraints ? sizeof alter / sizeof alter[0] : sizeof rebuild / sizeof rebuild[0];
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        if (prisma_execute_raw(c, sql[i], NULL, 0, NULL) != PRISMA_OK) {
            fprintf(stderr, "%s: %s\n", sql[i], prisma_error_message(c));
            rc = -1;
        }
    prisma_disconnect(c);
    return rc;
}

/* ---- PostgreSQL: BEGIN travels with the first statement ----
 * The driver holds BEGIN (and SAVEPOINT) back and sends it with the
 * transaction's first statement, one round trip fewer per transaction. What
 * that must not change: it is one transaction from its first statement on, a
 * transaction without statements leaves nothing open on its connection, a
 * failing first statement fails as before, and streaming works first. */

static double seconds_into_the_transaction(prisma_client *c)
{
    prisma_raw_rows *rows = NULL;
    OKC(c, prisma_query_raw(c, "SELECT EXTRACT(EPOCH FROM clock_timestamp() - transaction_timestamp())::float8", NULL,
                            0, &rows));
    ck_assert_uint_eq(rows->n_rows, 1);
    double s = rows->values[0].f;
    prisma_free(rows);
    return s;
}

START_TEST(the_transaction_begins_with_its_first_statement)
{
    prisma_client *tx = NULL;
    OK(prisma_tx_begin(db, NULL, &tx));
    sleep_ms(300);
    /* It began when this statement went out, not at prisma_tx_begin... */
    double first = seconds_into_the_transaction(tx);
    ck_assert_msg(first < 0.2, "the transaction began %.3f s before its first statement", first);
    sleep_ms(300);
    /* ...and the next statement is in the same transaction. */
    double second = seconds_into_the_transaction(tx);
    ck_assert_msg(second >= 0.25, "a new transaction (%.3f s) for the second statement", second);
    OKC(tx, prisma_tx_commit(tx));
    prisma_tx_free(tx);
}
END_TEST

static int nothing_then_nested_nothing(prisma_client *tx, void *arg)
{
    (void)arg;
    int rc = prisma_transaction(tx, do_nothing, NULL, NULL);
    if (rc != PRISMA_OK)
        return rc;
    /* A savepoint rolled back before anything ran in it. */
    prisma_client *inner = NULL;
    if ((rc = prisma_tx_begin(tx, NULL, &inner)) != PRISMA_OK)
        return rc;
    rc = prisma_tx_rollback(inner);
    prisma_tx_free(inner);
    if (rc != PRISMA_OK)
        return rc;
    add_user(tx, "inside@x", 1);
    return PRISMA_OK;
}

/* The pool hands out the same connection again: were a BEGIN left on it,
 * this write would sit in an open transaction, unseen by `other`. */
static void nothing_left_open(prisma_client *other, const char *email)
{
    add_user(db, email, 1);
    ck_assert_msg(user_exists(other, email), "%s: written inside a transaction left open", email);
}

START_TEST(transactions_without_statements_leave_nothing_open)
{
    prisma_client *other = client_with((prisma_options){ 0 });
    OK(prisma_transaction(db, do_nothing, NULL, NULL));
    nothing_left_open(other, "1@x");
    prisma_client *tx = NULL;
    OK(prisma_tx_begin(db, NULL, &tx));
    OKC(tx, prisma_tx_rollback(tx));
    prisma_tx_free(tx);
    nothing_left_open(other, "2@x");
    OK(prisma_tx_begin(db, NULL, &tx));
    OKC(tx, prisma_tx_commit(tx));
    prisma_tx_free(tx);
    nothing_left_open(other, "3@x");
    OK(prisma_transaction(db, nothing_then_nested_nothing, NULL, NULL));
    ck_assert(user_exists(other, "inside@x"));
    nothing_left_open(other, "4@x");
    prisma_disconnect(other);
}
END_TEST

START_TEST(a_failing_first_statement_fails_the_transaction_as_before)
{
    add_user(db, "taken@x", 1);
    prisma_client *tx = NULL;
    OK(prisma_tx_begin(db, NULL, &tx));
    FAILS(tx, user_create(tx, &(UserCreateInput){ .email = "taken@x" }, NULL), "P2002", P2002_EMAIL);
    /* The database aborted it: a commit must not report success. */
    ck_assert_int_eq(prisma_tx_commit(tx), PRISMA_ERROR);
    ck_assert_str_eq(code_of(tx), "P2028");
    prisma_tx_free(tx);
    add_user(db, "next@x", 1);
    ck_assert_int_eq(count_users(db), 2);
}
END_TEST

/* A statement prepared for the first time is parsed inside the transaction
 * or savepoint held back for it, so its errors land there. In a nested
 * transaction the failure is undone with the savepoint, and the outer one
 * goes on. */
static int fails_at_parse(prisma_client *tx, void *arg)
{
    (void)arg;
    int64_t n = 0;
    return prisma_execute_raw(tx, "UPDATE \"NoSuchTable\" SET x = 1", NULL, 0, &n);
}

static int outer_goes_on(prisma_client *tx, void *arg)
{
    (void)arg;
    add_user(tx, "outer@x", 1);
    ck_assert_int_eq(prisma_transaction(tx, fails_at_parse, NULL, NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(tx), "P2010");
    add_user(tx, "after@x", 1);
    return PRISMA_OK;
}

START_TEST(a_statement_failing_at_parse_fails_where_it_ran)
{
    OK(prisma_transaction(db, outer_goes_on, NULL, NULL));
    ck_assert(user_exists(db, "outer@x"));
    ck_assert(user_exists(db, "after@x"));
    /* As the first statement of a transaction it aborts the transaction, as
     * it does anywhere else in it: what follows fails, and so does COMMIT. */
    prisma_client *tx = NULL;
    OK(prisma_tx_begin(db, NULL, &tx));
    int64_t n = 0;
    ck_assert_int_eq(prisma_execute_raw(tx, "INSERT INTO \"NoSuchTable\" VALUES (1)", NULL, 0, &n), PRISMA_ERROR);
    ck_assert_int_eq(user_create(tx, &(UserCreateInput){ .email = "later@x" }, NULL), PRISMA_ERROR);
    ck_assert_str_eq(code_of(tx), "P2028");
    ck_assert_int_eq(prisma_tx_commit(tx), PRISMA_ERROR);
    prisma_tx_free(tx);
    ck_assert(!user_exists(db, "later@x"));
}
END_TEST

/* The server ends the connection before the transaction's first statement:
 * the statement fails and so does the commit, which must not report a
 * success it cannot know. */
START_TEST(a_transaction_whose_connection_died_does_not_commit)
{
    prisma_client *other = client_with((prisma_options){ 0 });
    /* The pool hands out its most recently used connection: the one the
     * transaction gets next. */
    prisma_raw_rows *rows = NULL;
    OK(prisma_query_raw(db, "SELECT pg_backend_pid()", NULL, 0, &rows));
    int64_t pid = rows->values[0].i;
    prisma_free(rows);
    prisma_client *tx = NULL;
    OK(prisma_tx_begin(db, NULL, &tx));
    int64_t n = 0;
    OKC(other, prisma_execute_raw(other, "SELECT pg_terminate_backend($1::int)", &PRISMA_RAW_INT_V(pid), 1, &n));
    sleep_ms(200);
    ck_assert_int_eq(prisma_execute_raw(tx, "SELECT 42", NULL, 0, &n), PRISMA_ERROR);
    ck_assert_int_eq(prisma_tx_commit(tx), PRISMA_ERROR);
    prisma_tx_free(tx);
    prisma_disconnect(other);
    /* The pool replaces the dead connection. */
    add_user(db, "alive@x", 1);
    ck_assert(user_exists(db, "alive@x"));
}
END_TEST

static int each_user(const User *u, void *arg)
{
    (void)u;
    ++*(int *)arg;
    return 0;
}

static int stream_first(prisma_client *tx, void *arg)
{
    int rc = user_find_each(tx, NULL, each_user, arg);
    if (rc != PRISMA_OK)
        return rc;
    add_user(tx, "streamed@x", 1);
    return PRISMA_OK;
}

START_TEST(streaming_can_be_the_first_statement)
{
    add_user(db, "a@x", 1);
    add_user(db, "b@x", 1);
    int seen = 0;
    OK(prisma_transaction(db, stream_first, &seen, NULL));
    ck_assert_int_eq(seen, 2);
    ck_assert_int_eq(count_users(db), 3);
}
END_TEST

static int prepare(char **more)
{
    (void)more;
    return add_check_constraint();
}

static void add_tests(TCase *tc, const testdb_backend *b)
{
    /* A. defaults and options */
    tcase_add_test(tc, defaults_are_max_wait_2000_and_timeout_5000);
    tcase_add_test(tc, client_wide_options_apply_and_each_call_overrides_them);
    tcase_add_test(tc, a_batch_past_its_timeout_is_rolled_back);
    tcase_add_test(tc, client_wide_max_wait_is_overridden_per_call);
    tcase_add_test(tc, invalid_option_values_are_rejected);
    /* B. interactive and manual transactions */
    tcase_add_test(tc, commit_on_success);
    tcase_add_test(tc, a_failing_callback_rolls_back_and_keeps_its_message);
    tcase_add_test(tc, a_failing_query_rolls_back_with_its_error);
    tcase_add_test(tc, a_closed_transaction_refuses_work);
    tcase_add_test(tc, a_batch_on_a_closed_transaction_is_a_batch_query);
    tcase_add_test(tc, an_interactive_transaction_past_its_timeout_is_rolled_back);
    tcase_add_test(tc, a_statement_running_at_the_timeout_is_interrupted);
    tcase_add_test(tc, an_expired_manual_transaction_is_rolled_back_by_itself);
    tcase_add_test(tc, a_commit_racing_the_timeout_is_truthful);
    tcase_add_test(tc, the_time_taken_counts_the_wait_for_a_connection);
    tcase_add_test(tc, max_wait_without_a_free_connection);
    if (b->concurrent_write_transactions)
        tcase_add_test(tc, several_transactions_open_at_once);
    else
        tcase_add_test(tc, max_wait_for_the_sqlite_write_lock);
    tcase_add_test(tc, concurrent_transactions_each_commit);
    tcase_add_test(tc, high_concurrency);
    tcase_add_test(tc, errors_keep_their_cause_inside_transactions);
    tcase_add_test(tc, find_unique_or_throw_inside_a_transaction);
    tcase_add_test(tc, no_automatic_rollback_on_a_query_error);
    if (b->error_aborts_transaction)
        tcase_add_test(tc, a_commit_of_an_aborted_postgresql_transaction_is_not_a_success);
    tcase_add_test(tc, disconnect_rolls_back_open_transactions);
    /* B3. nested transactions */
    tcase_add_test(tc, nested_transactions_are_savepoints_named_like_prisma);
    tcase_add_test(tc, an_inner_rollback_restores_the_parent_state);
    tcase_add_test(tc, nested_commits_keep_state_and_the_outer_transaction_open);
    tcase_add_test(tc, a_nested_database_error_can_be_caught_and_the_outer_continues);
    tcase_add_test(tc, an_outer_failure_rolls_back_committed_inner_work);
    tcase_add_test(tc, concurrent_nested_transactions_are_refused);
    tcase_add_test(tc, nested_transactions_in_concurrent_top_level_ones);
    tcase_add_test(tc, nested_transactions_close_in_order);
    /* isolation, conflicts, retries, hooks, raw SQL */
    if (b->every_isolation_level)
        tcase_add_test(tc, isolation_levels_on_postgresql);
    else
        tcase_add_test(tc, isolation_levels_on_sqlite);
    if (b->serialization_conflicts) {
        tcase_add_test(tc, a_write_conflict_is_p2034);
        tcase_add_test(tc, a_serialization_failure_at_commit_is_p2034);
        tcase_add_test(tc, max_retries_reruns_after_a_write_conflict);
        tcase_add_test(tc, max_retries_reruns_a_conflict_raised_by_raw_sql);
        tcase_add_test(tc, a_deadlock_is_p2034);
    }
    tcase_add_test(tc, max_retries_does_not_retry_other_failures);
    tcase_add_test(tc, hooks_run_after_commit_and_after_rollback);
    tcase_add_test(tc, raw_sql_counts_rows_and_errors);
    /* C. batch transactions */
    tcase_add_test(tc, a_batch_runs_in_order_and_sees_earlier_writes);
    tcase_add_test(tc, a_successful_batch_gives_one_result_per_operation);
    tcase_add_test(tc, a_failing_batch_is_all_or_nothing_and_names_the_failure);
    tcase_add_test(tc, raw_statements_in_a_batch_roll_back_together);
    tcase_add_test(tc, the_same_operation_twice_and_incomplete_operations);
    tcase_add_test(tc, find_unique_hit_and_miss_in_one_batch);
    tcase_add_test(tc, a_batch_inside_an_interactive_transaction_runs_in_it);
    tcase_add_test(tc, a_failed_batch_inside_a_transaction_is_undone_as_a_whole);
    tcase_add_test(tc, a_batch_failing_as_it_is_prepared_leaves_the_transaction_usable);
    if (b->deferred_begin) {
        tcase_add_test(tc, the_transaction_begins_with_its_first_statement);
        tcase_add_test(tc, transactions_without_statements_leave_nothing_open);
        tcase_add_test(tc, a_failing_first_statement_fails_the_transaction_as_before);
        tcase_add_test(tc, streaming_can_be_the_first_statement);
        tcase_add_test(tc, a_statement_failing_at_parse_fails_where_it_ran);
        if (b->sessions_have_pids)
            tcase_add_test(tc, a_transaction_whose_connection_died_does_not_commit);
    }
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "transactions", .timeout = 60, .url = &url, .prepare = prepare,
                                          .setup = setup, .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
