/* select and omit: only the chosen fields are read; the others are zero /
 * NULL in the record. prismac's own cases, after Prisma's documented
 * behaviour (the query-engine tests express select as GraphQL selections:
 * the ported tests of distinct.rs and uniq_count_relation.rs select too). */
#include "support.h"

#include <stdio.h>

static void two_users(void)
{
    seed_user(1, "a@x", "Alice", 30, "Paris");
    seed_user(2, "b@x", NULL, 40, "Rome");
}

/* Only the selected fields. */
START_TEST(select_reads_only_the_chosen_fields)
{
    two_users();
    UserList *l = NULL;
    trace_reset();
    OK(user_find_many(db, &(UserFindManyArgs){ .select = &(UserSelect){ .id = true, .email = true },
                                              .order_by = &(UserOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 },
                      &l));
    ck_assert_int_eq(trace_count(), 1);
    /* The statement names the chosen columns only. */
    ck_assert_ptr_null(strstr(trace_last(), testdb_sql("\"city\"")));
    ck_assert_ptr_nonnull(strstr(trace_last(), testdb_sql("\"email\"")));
    ck_assert_int_eq((int)l->len, 2);
    ck_assert_int_eq(l->items[0].id, 1);
    ck_assert_str_eq(l->items[0].email, "a@x");
    ck_assert_ptr_null(l->items[0].name);
    ck_assert_ptr_null(l->items[0].city);
    ck_assert_int_eq(l->items[0].age, 0);
    ck_assert_int_eq(l->items[1].id, 2);
    user_list_free(l);
}
END_TEST

/* omit: every field but the omitted ones. */
START_TEST(omit_leaves_out_the_omitted_fields)
{
    two_users();
    User *u = NULL;
    trace_reset();
    OK(user_find_first(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .id = { .equals = PRISMA_INT(1) } },
                                               .omit = &(UserOmit){ .email = true, .age = true } },
                       &u));
    ck_assert_ptr_nonnull(u);
    ck_assert_ptr_null(strstr(trace_last(), testdb_sql("\"email\"")));
    ck_assert_ptr_null(u->email);
    ck_assert_int_eq(u->age, 0);
    ck_assert_str_eq(u->name, "Alice");
    ck_assert_str_eq(u->city, "Paris");
    user_free(u);
}
END_TEST

/* find_unique_with: select and omit. */
START_TEST(find_unique_with_select_and_omit)
{
    two_users();
    User *u = NULL;
    OK(user_find_unique_with(db, &(UserFindUniqueArgs){ .where = &(UserWhereUniqueInput){ .email = "b@x" },
                                                        .select = &(UserSelect){ .age = true } },
                             &u));
    ck_assert_ptr_nonnull(u);
    ck_assert_int_eq(u->age, 40);
    ck_assert_int_eq(u->id, 0);
    ck_assert_ptr_null(u->email);
    user_free(u);
    OK(user_find_unique_with(db, &(UserFindUniqueArgs){ .where = &(UserWhereUniqueInput){ .id = PRISMA_INT(1) },
                                                        .omit = &(UserOmit){ .city = true } },
                             &u));
    ck_assert_str_eq(u->email, "a@x");
    ck_assert_ptr_null(u->city);
    user_free(u);
    /* Not found: NULL, as find_unique. */
    OK(user_find_unique_with(db, &(UserFindUniqueArgs){ .where = &(UserWhereUniqueInput){ .id = PRISMA_INT(9) },
                                                        .select = &(UserSelect){ .age = true } },
                             &u));
    ck_assert_ptr_null(u);
}
END_TEST

/* select with omit, select with include: refused with Prisma's messages
 * ("Please either use `include` or `select`, but not both at the same
 * time."), nothing sent. */
START_TEST(select_with_include_or_omit_is_refused)
{
    two_users();
    UserList *l = NULL;
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .select = &(UserSelect){ .id = true },
                                                   .include = &(UserInclude){ .posts = true } },
                           &l),
            "P2009");
    ck_assert_ptr_null(l);
    ck_assert_ptr_nonnull(strstr(prisma_error_message(db), "either use `include` or `select`"));
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .select = &(UserSelect){ .id = true },
                                                   .omit = &(UserOmit){ .email = true } },
                           &l),
            "P2009");
    ck_assert_ptr_nonnull(strstr(prisma_error_message(db), "either use `omit` or `select`"));
    /* Nested, in a relation's arguments too. */
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .include = &(UserInclude){
                                   .posts_args = &(PostFindManyArgs){ .select = &(PostSelect){ .id = true },
                                                                      .omit = &(PostOmit){ .title = true } } } },
                           &l),
            "P2009");
    User *u = NULL;
    REFUSED(user_find_unique_with(db, &(UserFindUniqueArgs){ .where = &(UserWhereUniqueInput){ .id = PRISMA_INT(1) },
                                                             .select = &(UserSelect){ .id = true },
                                                             .include = &(UserInclude){ .posts = true } },
                                  &u),
            "P2009");
}
END_TEST

/* A relation in select (nested select): the relation read
 * through select, its own fields chosen; the parent's key is read for it
 * but not handed out when not selected. */
START_TEST(select_reads_relations_with_their_own_select)
{
    two_users();
    seed_post(1, 1, "p1", true, 5);
    seed_post(2, 1, "p2", false, 7);
    User *u = NULL;
    OK(user_find_first(db, &(UserFindManyArgs){
                           .where = &(UserWhereInput){ .id = { .equals = PRISMA_INT(1) } },
                           .select = &(UserSelect){ .name = true,
                                                    .posts_args = &(PostFindManyArgs){
                                                        .select = &(PostSelect){ .title = true },
                                                        .order_by = &(PostOrderByInput){ .id = PRISMA_DESC },
                                                        .order_by_len = 1 } } },
                       &u));
    ck_assert_str_eq(u->name, "Alice");
    ck_assert_int_eq(u->id, 0); /* not selected: read for the relation, then cleared */
    ck_assert_ptr_nonnull(u->posts);
    ck_assert_int_eq((int)u->posts->len, 2);
    ck_assert_str_eq(u->posts->items[0].title, "p2");
    ck_assert_int_eq(u->posts->items[0].id, 0);
    ck_assert_int_eq(u->posts->items[0].authorId, 0);
    ck_assert_int_eq(u->posts->items[0].views, 0);
    user_free(u);
}
END_TEST

/* find_each reads the selected fields; a relation in its select is refused. */
static int sum_ages(const User *u, void *arg)
{
    ck_assert_ptr_null(u->email);
    *(int *)arg += u->age;
    return PRISMA_OK;
}

START_TEST(find_each_honours_select_and_omit)
{
    two_users();
    int total = 0;
    OK(user_find_each(db, &(UserFindManyArgs){ .select = &(UserSelect){ .age = true } }, sum_ages, &total));
    ck_assert_int_eq(total, 70);
    total = 0;
    OK(user_find_each(db, &(UserFindManyArgs){ .omit = &(UserOmit){ .email = true } }, sum_ages, &total));
    ck_assert_int_eq(total, 70);
    REFUSED(user_find_each(db, &(UserFindManyArgs){ .select = &(UserSelect){ .age = true, .posts = true } }, sum_ages,
                           &total),
            "P2009");
}
END_TEST

/* Batches and transactions: the same shapes. */
START_TEST(select_in_a_batch_and_a_transaction)
{
    two_users();
    prisma_batch *b = NULL;
    ck_assert_int_eq(prisma_batch_new(db, &b), PRISMA_OK);
    User *u = NULL;
    UserList *l = NULL;
    /* The inputs are read when the batch runs: they live until then. */
    const UserFindUniqueArgs ua = { .where = &(UserWhereUniqueInput){ .id = PRISMA_INT(2) },
                                    .select = &(UserSelect){ .city = true } };
    const UserFindManyArgs la = { .omit = &(UserOmit){ .city = true } };
    ck_assert_int_eq(user_batch_find_unique_with(b, &ua, &u), PRISMA_OK);
    ck_assert_int_eq(user_batch_find_many(b, &la, &l), PRISMA_OK);
    OK(prisma_batch_run(b, NULL, NULL));
    prisma_batch_free(b);
    ck_assert_str_eq(u->city, "Rome");
    ck_assert_ptr_null(u->email);
    ck_assert_int_eq((int)l->len, 2);
    ck_assert_ptr_null(l->items[0].city);
    ck_assert_ptr_nonnull(l->items[0].email);
    user_free(u);
    user_list_free(l);
    /* In an interactive transaction: the same functions on the transaction client. */
    prisma_client *tx = NULL;
    OK(prisma_tx_begin(db, NULL, &tx));
    u = NULL;
    ck_assert_int_eq(user_find_first(tx, &(UserFindManyArgs){ .select = &(UserSelect){ .email = true },
                                                              .where = &(UserWhereInput){ .id = { .equals = PRISMA_INT(1) } } },
                                     &u),
                     PRISMA_OK);
    ck_assert_str_eq(u->email, "a@x");
    ck_assert_ptr_null(u->name);
    user_free(u);
    OK(prisma_tx_commit(tx));
    prisma_tx_free(tx);
}
END_TEST

void add_select_omit_tests(TCase *tc)
{
    tcase_add_test(tc, select_reads_only_the_chosen_fields);
    tcase_add_test(tc, omit_leaves_out_the_omitted_fields);
    tcase_add_test(tc, find_unique_with_select_and_omit);
    tcase_add_test(tc, select_with_include_or_omit_is_refused);
    tcase_add_test(tc, select_reads_relations_with_their_own_select);
    tcase_add_test(tc, find_each_honours_select_and_omit);
    tcase_add_test(tc, select_in_a_batch_and_a_transaction);
}
