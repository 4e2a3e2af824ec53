/* Transactions on a real database: the behaviours Prisma's own tests assert
 * (shared/reference/prisma-transaction-behaviour.md, sections A to C,
 * items 1-45), in C. Every test names the item(s) it covers; items that do
 * not apply to C or to SQL databases, or that C does differently on purpose,
 * are listed at the end of this comment and next to the nearest test.
 *
 * Built once per backend of tests/meson.build's test_backends, on the
 * generated client of tests/schemas/bank.prisma.in; what a backend can do
 * (isolation levels, concurrent writers...) decides which tests it runs
 * (support/testdb.h). One file per section of the reference: options.c (A),
 * interactive.c (B), nested.c (B3), isolation.c (isolation levels, write
 * conflicts, retries), hooks_raw.c, batch.c (C), deferred_begin.c; this header
 * and support.c hold what they share, the fixture and main.
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
#ifndef PRISMAC_TESTS_TRANSACTIONS_H
#define PRISMAC_TESTS_TRANSACTIONS_H

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

/* The database of the run and the client of the current test (support.c). */
extern const char *url;
extern prisma_client *db;

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

#define EXPIRED(c, op, timeout, lo, hi)                                                                           \
    do {                                                                                                          \
        long n_ = expired_ms(prisma_error_message(c), op, timeout);                                              \
        ck_assert_msg(n_ >= (lo) && n_ < (hi), "expected the expired-%s message (%d ms, %ld..%ld ms passed): %s %s", \
                      op, timeout, (long)(lo), (long)(hi), code_of(c), prisma_error_message(c));                 \
        ck_assert_str_eq(code_of(c), "P2028");                                                                    \
    } while (0)

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

typedef struct hook_probe {
    int commits, rollbacks;
} hook_probe;

/* ---- helpers (support.c) ---- */

const char *code_of(const prisma_client *c);
bool has_prefix(const char *s, const char *prefix);
/* N in "... however N ms passed ..." when msg is exactly Prisma's message for
 * operation `op` on an expired transaction whose timeout was `timeout`; else -1. */
long expired_ms(const char *msg, const char *op, int timeout);
int64_t now_ms(void);
void sleep_ms(int64_t ms);
/* A new client on the test database with these options. */
prisma_client *client_with(prisma_options o);
int64_t count_users(prisma_client *c);
bool user_exists(prisma_client *c, const char *email);
int balance_of(prisma_client *c, const char *email);
void add_user(prisma_client *c, const char *email, int balance);
/* A statement that takes about `ms` milliseconds. */
const char *slow_sql(int ms);
int sleepy_cb(prisma_client *tx, void *arg);
/* A transaction body that counts its calls in *(int *)arg. */
int count_calls(prisma_client *tx, void *arg);
/* Item 17's C analog: written against prisma_client *, it works on either. */
int64_t visible_users(prisma_client *c);
int do_nothing(prisma_client *tx, void *arg);
/* Rollback hooks counted by count_watchdog_rollback. */
extern atomic_int watchdog_rollbacks;
void count_watchdog_rollback(void *arg);
void probe_commit(void *arg);
void probe_rollback(void *arg);

/* ---- each section's tests ---- */

void tx_options_tests(TCase *tc, const testdb_backend *b);
void tx_interactive_tests(TCase *tc, const testdb_backend *b);
void tx_nested_tests(TCase *tc, const testdb_backend *b);
void tx_isolation_tests(TCase *tc, const testdb_backend *b);
void tx_hooks_raw_tests(TCase *tc, const testdb_backend *b);
void tx_batch_tests(TCase *tc, const testdb_backend *b);
void tx_deferred_begin_tests(TCase *tc, const testdb_backend *b);

#endif
