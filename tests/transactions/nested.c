/* The transaction suite (tests/transactions/support.c): B3. Nested transactions (savepoints). */
#include "transactions.h"

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

void tx_nested_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, nested_transactions_are_savepoints_named_like_prisma);
    tcase_add_test(tc, an_inner_rollback_restores_the_parent_state);
    tcase_add_test(tc, nested_commits_keep_state_and_the_outer_transaction_open);
    tcase_add_test(tc, a_nested_database_error_can_be_caught_and_the_outer_continues);
    tcase_add_test(tc, an_outer_failure_rolls_back_committed_inner_work);
    tcase_add_test(tc, concurrent_nested_transactions_are_refused);
    tcase_add_test(tc, nested_transactions_in_concurrent_top_level_ones);
    tcase_add_test(tc, nested_transactions_close_in_order);
}
