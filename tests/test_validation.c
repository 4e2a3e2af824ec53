/* Arguments Prisma refuses before asking the database: each is refused with
 * Prisma's code and message, and NOTHING reaches the database (the statement
 * trace sees no statement, and the data is unchanged). On every backend of
 * tests/meson.build's test_backends, on tests/schemas/crud.prisma.in. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

static const char *url;
static prisma_client *db;
static int user_id;
static UserList *list; /* where refused finds would put their rows */

static const char *const tables[] = { "_PostToTag", "Post", "Profile", "users", "Tag", "Item", "Membership" };

#define OK(call)                                                                                                   \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, prisma_error_code(db) ? prisma_error_code(db) : "-", \
                  prisma_error_message(db))

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
    User *u = NULL;
    OK(user_create(db, &(UserCreateInput){ .email = "a@x", .name = "A", .balance = PRISMA_INT(5), .price = "1.5" }, &u));
    user_id = u->id;
    user_free(u);
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

static void count_statement(void *arg, const char *sql)
{
    (void)sql;
    ++*(int *)arg;
}

/* The call fails with `code` and `message` exactly, and sends no statement. */
#define REFUSED(call, code, message)                                                                      \
    do {                                                                                                  \
        int sent_ = 0;                                                                                    \
        prisma_set_trace(db, count_statement, &sent_);                                                    \
        int rc_ = (call);                                                                                 \
        prisma_set_trace(db, NULL, NULL);                                                                 \
        ck_assert_msg(rc_ == PRISMA_ERROR, "%s was not refused", #call);                                  \
        ck_assert_str_eq(prisma_error_code(db), code);                                                    \
        ck_assert_str_eq(prisma_error_message(db), message);                                              \
        ck_assert_msg(sent_ == 0, "%s sent %d statement(s) before refusing", #call, sent_);               \
    } while (0)

/* The row of setup() is as it was. */
static void assert_unchanged(void)
{
    User *u = NULL;
    OK(user_find_unique(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(user_id) }, &u));
    ck_assert_ptr_nonnull(u);
    ck_assert_str_eq(u->email, "a@x");
    ck_assert_int_eq(u->balance, 5);
    ck_assert_str_eq(u->price, "1.5");
    ck_assert(u->active);
    ck_assert_int_eq(u->role, ROLE_USER);
    user_free(u);
    int64_t n = -1;
    OK(user_count(db, NULL, &n));
    ck_assert_int_eq(n, 1);
}

START_TEST(the_trace_sees_a_valid_call)
{
    /* The control: the counting hook does see statements. */
    int sent = 0;
    UserList *l = NULL;
    prisma_set_trace(db, count_statement, &sent);
    OK(user_find_many(db, NULL, &l));
    user_list_free(l);
    prisma_set_trace(db, NULL, NULL);
    ck_assert_int_ge(sent, 1);
}
END_TEST

START_TEST(create_refuses_null_for_a_required_field)
{
    REFUSED(user_create(db, &(UserCreateInput){ .email = PRISMA_NULL }, NULL), "P2009",
            "Failed to validate the query: `data.email`: A value is required but not set.");
    REFUSED(user_create(db, &(UserCreateInput){ .email = "b@x", .role = PRISMA_ENUM_NULL }, NULL), "P2009",
            "Failed to validate the query: `data.role`: A value is required but not set.");
    REFUSED(user_create(db, &(UserCreateInput){ .email = "b@x", .balance = PRISMA_INT_NULL }, NULL), "P2009",
            "Failed to validate the query: `data.balance`: A value is required but not set.");
    REFUSED(user_create(db, &(UserCreateInput){ .email = "b@x", .active = PRISMA_BOOL_NULL }, NULL), "P2009",
            "Failed to validate the query: `data.active`: A value is required but not set.");
    REFUSED(user_create(db, &(UserCreateInput){ .email = "b@x", .price = PRISMA_NULL }, NULL), "P2009",
            "Failed to validate the query: `data.price`: A value is required but not set.");
    REFUSED(user_create_many(db, (UserCreateInput[]){ { .email = "b@x" }, { .email = PRISMA_NULL } }, 2, false, NULL),
            "P2009", "Failed to validate the query: `data.email`: A value is required but not set.");
    /* An optional field takes null. */
    OK(user_create(db, &(UserCreateInput){ .email = "c@x", .name = PRISMA_NULL, .score = PRISMA_INT_NULL }, NULL));
}
END_TEST

START_TEST(create_refuses_a_missing_required_field)
{
    /* email has no default; a post's title and author key neither. */
    REFUSED(user_create(db, &(UserCreateInput){ .name = "no email" }, NULL), "P2012",
            "`data.email`: A value is required but not set.");
    REFUSED(post_create(db, &(PostCreateInput){ .title = "t" }, NULL), "P2012",
            "`data.authorId`: A value is required but not set.");
    REFUSED(user_upsert(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(user_id + 100) }, &(UserCreateInput){ .name = "x" },
                        &(UserUpdateInput){ .name = "y" }, NULL),
            "P2012", "`data.email`: A value is required but not set.");
    /* In a batch: refused before it begins. */
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    const UserCreateInput ok = { .email = "ok@x" }, missing = { .name = "m" };
    OK(user_batch_create(b, &ok, NULL));
    OK(user_batch_create(b, &missing, NULL));
    size_t failed = 0;
    ck_assert_int_eq(prisma_batch_run(b, NULL, &failed), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2012");
    ck_assert_uint_eq(failed, 1);
    prisma_batch_free(b);
    assert_unchanged();
    /* The author's key given through the relation is enough. */
    OK(post_create(db, &(PostCreateInput){ .title = "t", .author = { .connect = &(UserWhereUniqueInput){ .id = PRISMA_INT(user_id) } } },
                   NULL));
    /* An upsert's where value fills the create's unique field. */
    OK(user_upsert(db, &(UserWhereUniqueInput){ .email = "filled@x" }, &(UserCreateInput){ .name = "f" },
                   &(UserUpdateInput){ .name = "g" }, NULL));
}
END_TEST

START_TEST(update_refuses_null_for_a_required_field)
{
    const UserWhereUniqueInput where = { .id = PRISMA_INT(user_id) };
    REFUSED(user_update(db, &where, &(UserUpdateInput){ .email = PRISMA_NULL }, NULL), "P2009",
            "Failed to validate the query: `data.email`: A value is required but not set.");
    REFUSED(user_update(db, &where, &(UserUpdateInput){ .balance = { .set = PRISMA_INT_NULL } }, NULL), "P2009",
            "Failed to validate the query: `data.balance`: A value is required but not set.");
    REFUSED(user_update(db, &where, &(UserUpdateInput){ .big = { .set = PRISMA_BIGINT_NULL } }, NULL), "P2009",
            "Failed to validate the query: `data.big`: A value is required but not set.");
    REFUSED(user_update(db, &where, &(UserUpdateInput){ .price = { .set = PRISMA_NULL } }, NULL), "P2009",
            "Failed to validate the query: `data.price`: A value is required but not set.");
    REFUSED(user_update(db, &where, &(UserUpdateInput){ .active = PRISMA_BOOL_NULL }, NULL), "P2009",
            "Failed to validate the query: `data.active`: A value is required but not set.");
    REFUSED(user_update(db, &where, &(UserUpdateInput){ .role = PRISMA_ENUM_NULL }, NULL), "P2009",
            "Failed to validate the query: `data.role`: A value is required but not set.");
    REFUSED(user_update_many(db, NULL, &(UserUpdateInput){ .email = PRISMA_NULL }, NULL), "P2009",
            "Failed to validate the query: `data.email`: A value is required but not set.");
    REFUSED(user_upsert(db, &where, &(UserCreateInput){ .email = "u@x" }, &(UserUpdateInput){ .email = PRISMA_NULL },
                        NULL),
            "P2009", "Failed to validate the query: `data.email`: A value is required but not set.");
    assert_unchanged();
    /* An optional field takes null. */
    OK(user_update(db, &where, &(UserUpdateInput){ .name = PRISMA_NULL, .score = { .set = PRISMA_INT_NULL } }, NULL));
}
END_TEST

START_TEST(nested_writes_refuse_null_for_a_required_field_before_anything_runs)
{
    const UserWhereUniqueInput where = { .id = PRISMA_INT(user_id) };
    REFUSED(user_update(db, &where,
                        &(UserUpdateInput){ .balance = { .increment = PRISMA_INT(1) },
                                            .posts = { .create = (PostCreateInput[]){ { .title = PRISMA_NULL } },
                                                       .create_len = 1 } },
                        NULL),
            "P2009", "Failed to validate the query: `data.title`: A value is required but not set.");
    assert_unchanged();
}
END_TEST

START_TEST(arithmetic_Prisma_refuses)
{
    const UserWhereUniqueInput where = { .id = PRISMA_INT(user_id) };
    REFUSED(user_update(db, &where,
                        &(UserUpdateInput){ .balance = { .set = PRISMA_INT(1), .increment = PRISMA_INT(1) } }, NULL),
            "P2009",
            "Failed to validate the query: Argument `balance`: give one of set, increment, decrement, multiply or divide.");
    REFUSED(user_update(db, &where, &(UserUpdateInput){ .balance = { .multiply = PRISMA_INT_NULL } }, NULL), "P2009",
            "Failed to validate the query: `balance`: arithmetic with null.");
    REFUSED(user_update(db, &where, &(UserUpdateInput){ .price = { .increment = "1.5.2" } }, NULL), "P2009",
            "Failed to validate the query: Invalid value for argument `price`: \"1.5.2\" is not a decimal number.");
    REFUSED(user_update(db, &where, &(UserUpdateInput){ .price = { .increment = "abc" } }, NULL), "P2009",
            "Failed to validate the query: Invalid value for argument `price`: \"abc\" is not a decimal number.");
    REFUSED(user_update(db, &where, &(UserUpdateInput){ .ratio = { .multiply = PRISMA_FLOAT((double)NAN) } }, NULL), "P2009",
            "Failed to validate the query: Invalid value for argument `ratio`: NaN is not a finite number.");
    REFUSED(user_update_many(db, NULL, &(UserUpdateInput){ .balance = { .divide = PRISMA_INT_NULL } }, NULL), "P2009",
            "Failed to validate the query: `balance`: arithmetic with null.");
    assert_unchanged();
}
END_TEST

static int count_user(const User *u, void *arg)
{
    (void)u;
    (void)arg;
    return PRISMA_OK;
}

START_TEST(skip_and_take_Prisma_refuses)
{
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .skip = -1 }, &list), "P2019",
            "Input error. Invalid value for skip argument: Value can only be positive, found: -1");
    REFUSED(user_find_first(db, &(UserFindManyArgs){ .skip = -20 }, NULL), "P2019",
            "Input error. Invalid value for skip argument: Value can only be positive, found: -20");
    REFUSED(user_find_each(db, &(UserFindManyArgs){ .skip = -3 }, count_user, NULL), "P2019",
            "Input error. Invalid value for skip argument: Value can only be positive, found: -3");
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .take = PRISMA_BIGINT_NULL }, &list), "P2012",
            "`take`: A value is required but not set.");
    REFUSED(user_find_first(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(2) }, NULL), "P2019",
            "Input error. The 'findFirst' operation cannot be used with a 'take' argument that isn't 1 or -1, found: 2");
    REFUSED(user_find_first_or_throw(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(0) }, NULL), "P2019",
            "Input error. The 'findFirst' operation cannot be used with a 'take' argument that isn't 1 or -1, found: 0");
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(INT64_MIN) }, &list), "P2019",
            "Input error. Invalid value for take argument: -9223372036854775808 is out of range.");
    /* find_first's own takes run. */
    User *u = NULL;
    OK(user_find_first(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(1) }, &u));
    ck_assert_ptr_nonnull(u);
    user_free(u);
    OK(user_find_first(db, &(UserFindManyArgs){ .take = PRISMA_TAKE(-1) }, &u));
    ck_assert_ptr_nonnull(u);
    user_free(u);
}
END_TEST

START_TEST(a_batch_refuses_before_it_begins)
{
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    UserList *l = NULL;
    /* The inputs live until the batch runs. */
    const UserWhereUniqueInput where = { .id = PRISMA_INT(user_id) };
    const UserUpdateInput data = { .balance = { .increment = PRISMA_INT(1) } };
    const UserFindManyArgs args = { .skip = -1 };
    OK(user_batch_update(b, &where, &data, NULL));
    OK(user_batch_find_many(b, &args, &l));
    size_t failed = 0;
    ck_assert_int_eq(prisma_batch_run(b, NULL, &failed), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_message(db), "Input error. Invalid value for skip argument: Value can only be positive, found: -1");
    ck_assert_str_eq(prisma_error_code(db), "P2019");
    ck_assert_uint_eq(failed, 1);
    ck_assert_ptr_null(l);
    prisma_batch_free(b);
    assert_unchanged();
}
END_TEST

START_TEST(unique_criteria_Prisma_refuses)
{
    REFUSED(user_find_unique(db, &(UserWhereUniqueInput){ .email = NULL }, NULL), "P2009",
            "Failed to validate the query: Argument `where` of type UserWhereUniqueInput needs at least one of `id` or "
            "`email` arguments.");
    REFUSED(user_update(db, &(UserWhereUniqueInput){ .email = NULL }, &(UserUpdateInput){ .name = "x" }, NULL), "P2009",
            "Failed to validate the query: Argument `where` of type UserWhereUniqueInput needs at least one of `id` or "
            "`email` arguments.");
    REFUSED(user_delete(db, &(UserWhereUniqueInput){ .email = PRISMA_NULL }, NULL), "P2012",
            "`where.email`: A value is required but not set.");
    /* A required field's filter takes no null (its "is null" is never true). */
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .email = { .equals = PRISMA_NULL } } },
                           &list), "P2009", "Failed to validate the query: `where.email.equals`: A value is required but not set.");
    REFUSED(user_count(db, &(UserWhereInput){ .balance = { .not_ = PRISMA_INT_NULL } }, &(int64_t){ 0 }), "P2009",
            "Failed to validate the query: `where.balance.not`: A value is required but not set.");
    /* A cursor names one record the same way. */
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .cursor = &(UserWhereUniqueInput){ .email = NULL } }, &list), "P2009",
            "Failed to validate the query: Argument `where` of type UserWhereUniqueInput needs at least one of `id` or "
            "`email` arguments.");
    REFUSED(user_update(db, NULL, &(UserUpdateInput){ .name = "x" }, NULL), "P2009",
            "Failed to validate the query: Argument `where` is missing.");
    REFUSED(user_update(db, &(UserWhereUniqueInput){ .id = PRISMA_INT(user_id) }, NULL, NULL), "P2009",
            "Failed to validate the query: Argument `data` is missing.");
    assert_unchanged();
}
END_TEST

START_TEST(filters_Prisma_refuses)
{
    /* A list with a length but no array (built from a given list, whatever marks it given). */
    prisma_string_list no_array = PRISMA_STRINGS("a@x");
    no_array.items = NULL;
    no_array.len = 2;
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .email = { .in = no_array } } }, &list),
            "P2009", "Failed to validate the query: a list filter of `email` has a length but no array.");
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .email = { .in = PRISMA_STRINGS("a@x", NULL) } } }, &list),
            "P2009", "Failed to validate the query: a NULL string in the `in` list of `email`.");
    REFUSED(user_find_many(db, &(UserFindManyArgs){ .where = &(UserWhereInput){ .AND_len = 1 } }, &list), "P2009",
            "Failed to validate the query: `AND` has a length but no array.");
    REFUSED(user_count(db, &(UserWhereInput){ .role = { .equals = 42 } }, NULL), "P2009",
            "Failed to validate the query: Invalid value 42 for enum `Role`.");
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, the_trace_sees_a_valid_call);
    tcase_add_test(tc, create_refuses_null_for_a_required_field);
    tcase_add_test(tc, create_refuses_a_missing_required_field);
    tcase_add_test(tc, update_refuses_null_for_a_required_field);
    tcase_add_test(tc, nested_writes_refuse_null_for_a_required_field_before_anything_runs);
    tcase_add_test(tc, arithmetic_Prisma_refuses);
    tcase_add_test(tc, skip_and_take_Prisma_refuses);
    tcase_add_test(tc, a_batch_refuses_before_it_begins);
    tcase_add_test(tc, unique_criteria_Prisma_refuses);
    tcase_add_test(tc, filters_Prisma_refuses);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "validation", .timeout = 60, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
