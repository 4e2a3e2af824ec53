/* The transaction suite (tests/transactions/support.c): B. Interactive and manual transactions. */
#include "transactions.h"

/* ==== B. Interactive transactions ==== */

typedef struct two_users {
    int32_t ids[2];
    int64_t inside, outside;
} two_users;

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

void tx_interactive_tests(TCase *tc, const testdb_backend *b)
{
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
}
