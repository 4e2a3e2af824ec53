/* distinct in find_many / find_first and in a to-many include's arguments.
 * Ported from query-engine-tests queries/distinct.rs (first_name, last_name
 * are name, city here). Prisma's in-memory distinct returns the rows in the
 * primary key's order when no order is given (its PostgreSQL DISTINCT ON
 * snapshots differ); prismac gives that order on every backend. */
#include "support.h"

#include <stdio.h>

static const UserScalarField name_city[] = { USER_FIELD_NAME, USER_FIELD_CITY };

static void ids(const UserList *l, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t i = 0; i < l->len; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%d", i ? "," : "", l->items[i].id);
}

static void expect_ids(const UserFindManyArgs *a, const char *want)
{
    UserList *l = NULL;
    OK(user_find_many(db, a, &l));
    char got[256];
    ids(l, got, sizeof got);
    ck_assert_str_eq(got, want);
    user_list_free(l);
}

static void three_users(void)
{
    seed_user(1, "1", "Joe", 0, "Doe");
    seed_user(2, "2", "Hans", 0, "Wurst");
    seed_user(3, "3", "Joe", 0, "Doe");
}

/* distinct.rs: empty_database */
START_TEST(empty_database)
{
    expect_ids(&(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2 }, "");
}
END_TEST

/* distinct.rs: no_panic (the distinct fields not selected) */
START_TEST(no_panic)
{
    seed_user(1, "1", "Joe", 0, "Doe");
    seed_user(2, "2", "Doe", 0, "Joe");
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2,
                                              .select = &(UserSelect){ .id = true } },
                      &l));
    ck_assert_int_eq((int)l->len, 2);
    ck_assert_int_eq(l->items[0].id, 1);
    ck_assert_ptr_null(l->items[0].name);
    user_list_free(l);
}
END_TEST

/* distinct.rs: shorthand_works */
START_TEST(shorthand_works)
{
    seed_user(1, "1", "Joe", 0, "Doe");
    seed_user(2, "2", "Joe", 0, "Doe");
    static const UserScalarField name_only[] = { USER_FIELD_NAME };
    expect_ids(&(UserFindManyArgs){ .distinct = name_only, .distinct_len = 1 }, "1");
}
END_TEST

/* distinct.rs: with_duplicates */
START_TEST(with_duplicates)
{
    three_users();
    expect_ids(&(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2 }, "1,2");
}
END_TEST

/* distinct.rs: with_orderby_basic, with_orderby_non_matching,
 * with_orderby_leftmost_non_matching, with_orderby_similar */
START_TEST(with_orderby)
{
    three_users();
    expect_ids(&(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2,
                                    .order_by = &(UserOrderByInput){ .name = PRISMA_DESC }, .order_by_len = 1 },
               "1,2");
    expect_ids(&(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2,
                                    .order_by = &(UserOrderByInput){ .id = PRISMA_DESC }, .order_by_len = 1 },
               "3,2");
    static const UserOrderByInput leftmost[] = { { .name = PRISMA_DESC }, { .id = PRISMA_DESC }, { .city = PRISMA_DESC } };
    expect_ids(&(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2, .order_by = leftmost, .order_by_len = 3 },
               "3,2");
    static const UserOrderByInput similar[] = { { .name = PRISMA_DESC }, { .city = PRISMA_DESC }, { .id = PRISMA_DESC } };
    expect_ids(&(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2, .order_by = similar, .order_by_len = 3 },
               "3,2");
}
END_TEST

/* distinct.rs: with_skip_basic, with_skip_orderby (skip after distinct) */
START_TEST(with_skip)
{
    three_users();
    expect_ids(&(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2, .skip = 1 }, "2");
    UserList *l = NULL;
    OK(user_find_many(db, &(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2, .skip = 1,
                                              .order_by = &(UserOrderByInput){ .name = PRISMA_ASC }, .order_by_len = 1 },
                      &l));
    ck_assert_int_eq((int)l->len, 1);
    ck_assert_str_eq(l->items[0].name, "Joe");
    ck_assert_str_eq(l->items[0].city, "Doe");
    user_list_free(l);
    /* take after distinct too; find_first takes the first distinct row. */
    expect_ids(&(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2, .take = PRISMA_TAKE(1),
                                    .order_by = &(UserOrderByInput){ .id = PRISMA_DESC }, .order_by_len = 1 },
               "3");
    User *u = NULL;
    OK(user_find_first(db, &(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2, .skip = 1 }, &u));
    ck_assert_int_eq(u->id, 2);
    user_free(u);
}
END_TEST

/* distinct.rs: nested_dataset */
static void nested_dataset(void)
{
    seed_user(1, "1", "Joe", 0, "Doe");
    seed_user(2, "2", "Joe", 0, "Doe");
    seed_user(3, "3", "Rocky", 0, "Balboa");
    seed_user(4, "4", "Papa", 0, "Elon");
    seed_user(5, "5", "Troll", 0, "Face");
    const char *t1[] = { "3", "1", "1", "2", "1" };
    for (int i = 0; i < 5; i++)
        seed_post(1 + i, 1, t1[i], false, 0);
    seed_post(6, 2, "1", false, 0);
    seed_post(7, 2, "2", false, 0);
    seed_post(8, 4, "1", false, 0);
    seed_post(9, 4, "1", false, 0);
    seed_post(10, 5, "2", false, 0);
    seed_post(11, 5, "3", false, 0);
    seed_post(12, 5, "2", false, 0);
}

static const PostScalarField title_only[] = { POST_FIELD_TITLE };

/* "1:3,1,2|3:|..." */
static void expect_nested(const UserFindManyArgs *a, const char *want)
{
    UserList *l = NULL;
    OK(user_find_many(db, a, &l));
    char got[512];
    size_t n = 0;
    got[0] = 0;
    for (size_t i = 0; i < l->len; i++) {
        n += (size_t)snprintf(got + n, sizeof got - n, "%s%d:", i ? "|" : "", l->items[i].id);
        for (size_t j = 0; j < l->items[i].posts->len; j++)
            n += (size_t)snprintf(got + n, sizeof got - n, "%s%s", j ? "," : "", l->items[i].posts->items[j].title);
    }
    ck_assert_str_eq(got, want);
    user_list_free(l);
}

/* distinct.rs: nested_distinct_id */
START_TEST(nested_distinct_id)
{
    nested_dataset();
    static const PostOrderByInput id_asc = { .id = PRISMA_ASC };
    expect_nested(&(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2,
                                       .select = &(UserSelect){ .id = true, .posts_args = &(PostFindManyArgs){
                                           .distinct = title_only, .distinct_len = 1, .order_by = &id_asc, .order_by_len = 1,
                                           .select = &(PostSelect){ .title = true } } } },
                  "1:3,1,2|3:|4:1|5:2,3");
}
END_TEST

/* distinct.rs: nested_distinct_title */
START_TEST(nested_distinct_title)
{
    nested_dataset();
    static const PostOrderByInput title_asc = { .title = PRISMA_ASC };
    expect_nested(&(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2,
                                       .order_by = &(UserOrderByInput){ .name = PRISMA_ASC }, .order_by_len = 1,
                                       .include = &(UserInclude){ .posts_args = &(PostFindManyArgs){
                                           .distinct = title_only, .distinct_len = 1, .order_by = &title_asc,
                                           .order_by_len = 1 } } },
                  "1:1,2,3|4:1|3:|5:2,3");
}
END_TEST

/* distinct.rs: nested_distinct_reversed */
START_TEST(nested_distinct_reversed)
{
    nested_dataset();
    static const PostOrderByInput id_desc = { .id = PRISMA_DESC };
    expect_nested(&(UserFindManyArgs){ .distinct = name_city, .distinct_len = 2,
                                       .order_by = &(UserOrderByInput){ .id = PRISMA_DESC }, .order_by_len = 1,
                                       .include = &(UserInclude){ .posts_args = &(PostFindManyArgs){
                                           .distinct = title_only, .distinct_len = 1, .order_by = &id_desc,
                                           .order_by_len = 1 } } },
                  "5:2,3|4:1|3:|2:2,1");
}
END_TEST

/* A field number that is no field of the model: refused, nothing sent. */
START_TEST(distinct_of_no_field_is_refused)
{
    static const UserScalarField bad[] = { (UserScalarField)99 };
    UserList *l = NULL;
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .distinct = bad, .distinct_len = 1 }, &l), "P2009");
    ck_assert_ptr_null(l);
}
END_TEST

void add_distinct_tests(TCase *tc)
{
    tcase_add_test(tc, empty_database);
    tcase_add_test(tc, no_panic);
    tcase_add_test(tc, shorthand_works);
    tcase_add_test(tc, with_duplicates);
    tcase_add_test(tc, with_orderby);
    tcase_add_test(tc, with_skip);
    tcase_add_test(tc, nested_distinct_id);
    tcase_add_test(tc, nested_distinct_title);
    tcase_add_test(tc, nested_distinct_reversed);
    tcase_add_test(tc, distinct_of_no_field_is_refused);
}
