/* The transaction suite (tests/transactions/support.c): Where BEGIN travels with the first statement. */
#include "transactions.h"

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

void tx_deferred_begin_tests(TCase *tc, const testdb_backend *b)
{
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
