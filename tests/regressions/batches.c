/* Batch transactions a planted bug got past the rest of the suite with: the
 * failing index when an operation was skipped, and max_retries re-running. */
#include "regressions.h"

/* An update_many with nothing to change sends no statement (a pipelining
 * backend leaves it out): the index of a later failure is still the
 * operation's place in the batch. */
START_TEST(failing_index_counts_a_skipped_no_op)
{
    prisma_batch *b = NULL;
    int64_t n = -1;
    size_t failed = 0;
    OK(prisma_batch_new(db, &b));
    OK(tag_batch_create(b, &(TagCreateInput){ .name = "t" }, NULL));
    OK(tag_batch_update_many(b, NULL, &(TagUpdateInput){ 0 }, &n));
    OK(tag_batch_update_many(b, NULL, &(TagUpdateInput){ 0 }, &n));
    OK(tag_batch_create(b, &(TagCreateInput){ .name = "u" }, NULL));
    OK(tag_batch_create(b, &(TagCreateInput){ .name = "t" }, NULL));
    ck_assert_int_eq(prisma_batch_run(b, NULL, &failed), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2002");
    ck_assert_uint_eq(failed, 4);
    prisma_batch_free(b);
    int64_t tags = -1;
    OK(tag_count(db, NULL, &tags));
    ck_assert_int_eq(tags, 0);

    /* Skipped in the middle, the failure before it keeps its index too. */
    OK(tag_create(db, &(TagCreateInput){ .name = "t" }, NULL));
    OK(prisma_batch_new(db, &b));
    OK(tag_batch_update_many(b, NULL, &(TagUpdateInput){ 0 }, &n));
    OK(tag_batch_create(b, &(TagCreateInput){ .name = "t" }, NULL));
    OK(tag_batch_update_many(b, NULL, &(TagUpdateInput){ 0 }, &n));
    ck_assert_int_eq(prisma_batch_run(b, NULL, &failed), PRISMA_ERROR);
    ck_assert_uint_eq(failed, 1);
    prisma_batch_free(b);
}
END_TEST

/* A statement that fails with a serialization failure (40001) the first
 * `fails` times it runs, whatever the transaction: a sequence does not roll
 * back. */
static void make_flaky_statement(int fails)
{
    const char *sql;
    for (int k = 0; (sql = testdb->flaky_setup(fails, k)) != NULL; k++)
        run_sql(sql);
}

static int64_t attempts(void)
{
    prisma_raw_rows *rows = NULL;
    OK(prisma_query_raw(db, testdb->flaky_runs_sql, NULL, 0, &rows));
    ck_assert_uint_eq(rows->n_rows, 1);
    int64_t n = rows->values[0].i;
    prisma_free(rows);
    return n;
}

/* max_retries re-runs a batch after a write conflict, as well when the
 * backend pipelines the batch (every operation one statement) as when it
 * runs operation by operation (a nested create takes several). */
static void retried_batch(bool pipelined)
{
    make_flaky_statement(1);
    prisma_batch *b = NULL;
    User *u = NULL;
    int64_t affected = -1;
    /* The inputs live until the last run (a batch reads them as it runs). */
    const PostCreateInput post = { .title = "p" };
    const UserCreateInput plain = { .email = "r@x" };
    const UserCreateInput nested = { .email = "r@x", .posts = { .create = &post, .create_len = 1 } };
    OK(prisma_batch_new(db, &b));
    OK(user_batch_create(b, pipelined ? &plain : &nested, &u));
    OK(prisma_batch_execute_raw(b, "SELECT regressions_flaky()", NULL, 0, &affected));
    size_t failed = 0;
    OK(prisma_batch_run(b, &(prisma_tx_options){ .max_retries = 2 }, &failed));
    ck_assert_ptr_nonnull(u);
    ck_assert_str_eq(u->email, "r@x");
    ck_assert_int_eq(attempts(), 2);
    int64_t n = -1;
    OK(user_count(db, NULL, &n));
    ck_assert_int_eq(n, 1);
    user_free(u);
    u = NULL;

    /* Without retries the conflict is the batch's failure, at its index. */
    make_flaky_statement(1);
    OK(user_delete_many(db, NULL, NULL));
    ck_assert_int_eq(prisma_batch_run(b, NULL, &failed), PRISMA_ERROR);
    ck_assert_uint_eq(failed, 1);
    ck_assert_ptr_null(u);
    ck_assert_int_eq(attempts(), 1);
    OK(user_count(db, NULL, &n));
    ck_assert_int_eq(n, 0);

    /* Conflicting every time: max_retries + 1 runs, then the failure. */
    make_flaky_statement(100);
    ck_assert_int_eq(prisma_batch_run(b, &(prisma_tx_options){ .max_retries = 2 }, &failed), PRISMA_ERROR);
    ck_assert_int_eq(attempts(), 3);
    OK(user_count(db, NULL, &n));
    ck_assert_int_eq(n, 0);
    prisma_batch_free(b);
}

START_TEST(max_retries_reruns_a_pipelined_batch)
{
    retried_batch(true);
}
END_TEST

START_TEST(max_retries_reruns_a_batch_run_operation_by_operation)
{
    retried_batch(false);
}
END_TEST

void add_batch_tests(TCase *tc, const testdb_backend *b)
{
    tcase_add_test(tc, failing_index_counts_a_skipped_no_op);
    /* A statement that fails with a write conflict on demand needs a stored
     * procedure and a sequence: where the database has serialization
     * conflicts (SQLite has one writer, and no conflict to retry). */
    if (b->serialization_conflicts && b->flaky_setup) {
        tcase_add_test(tc, max_retries_reruns_a_pipelined_batch);
        tcase_add_test(tc, max_retries_reruns_a_batch_run_operation_by_operation);
    }
}
