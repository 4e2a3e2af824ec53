/* The transaction suite (tests/transactions/support.c): C. Batch transactions. */
#include "transactions.h"

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
    OK(prisma_batch_query_raw(b, testdb_sql("SELECT email, balance FROM \"User\" ORDER BY email"), NULL, 0, &rows));
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
    OK(prisma_batch_query_raw(b, testdb_sql("DELETE FROM \"User\""), NULL, 0, &deleted));
    OK(prisma_batch_execute_raw(b, insert, one, 2, &n[1]));
    OK(prisma_batch_execute_raw(b, insert, one, 2, &n[2]));
    size_t failed = 0;
    FAILS(db, prisma_batch_run(b, NULL, &failed), "P2010",
          testdb_sql("Raw query failed. %s", testdb->raw_unique_violation("User", "id", "1", true)));
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

void tx_batch_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, a_batch_runs_in_order_and_sees_earlier_writes);
    tcase_add_test(tc, a_successful_batch_gives_one_result_per_operation);
    tcase_add_test(tc, a_failing_batch_is_all_or_nothing_and_names_the_failure);
    tcase_add_test(tc, raw_statements_in_a_batch_roll_back_together);
    tcase_add_test(tc, the_same_operation_twice_and_incomplete_operations);
    tcase_add_test(tc, find_unique_hit_and_miss_in_one_batch);
    tcase_add_test(tc, a_batch_inside_an_interactive_transaction_runs_in_it);
    tcase_add_test(tc, a_failed_batch_inside_a_transaction_is_undone_as_a_whole);
    tcase_add_test(tc, a_batch_failing_as_it_is_prepared_leaves_the_transaction_usable);
}
