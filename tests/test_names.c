/* The golden `names` schema (models and fields named like C keywords, C
 * types, the runtime, and each other) does not only compile: it works. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "testdb.h"

static const char *url;

START_TEST(keyword_names_round_trip)
{
    prisma_client *db;
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "%s", prisma_last_connect_error());
    Int *i = NULL;
    ck_assert_int_eq(m_int_create(db, &(IntCreateInput){ .int_ = PRISMA_INT(7), .AND_ = "and",
                                                         .label = "mapped \\ column" }, &i),
                     PRISMA_OK);
    ck_assert_int_eq(i->int_, 7);
    ck_assert_str_eq(i->default_, "it's \"quoted\" */ ?\?=");
    ck_assert(i->struct_);
    ck_assert_str_eq(i->label, "mapped \\ column");
    Int *again = NULL;
    ck_assert_int_eq(m_int_find_unique(db, &(IntWhereUniqueInput){ .id = PRISMA_INT(i->id) }, &again), PRISMA_OK);
    ck_assert_str_eq(again->AND_, "and");
    m_int_free(i);
    m_int_free(again);

    n_prisma *p = NULL;
    ck_assert_int_eq(m_prisma_create(db, &(n_prismaCreateInput){ .data = "x" }, &p), PRISMA_OK);
    ck_assert_uint_eq(strlen(p->id), 36);
    m_prisma_free(p);

    ck_assert_int_eq(user_create(db, &(UserCreateInput){ .id = PRISMA_INT(1) }, NULL), PRISMA_OK);
    ck_assert_int_eq(user2_create(db, &(user2CreateInput){ .id = PRISMA_INT(1) }, NULL), PRISMA_OK);
    ck_assert_int_eq(user_list_create(db, &(UserListCreateInput){ .id = PRISMA_INT(5), .userId = PRISMA_INT(1) }, NULL),
                     PRISMA_OK);
    User_List *users = NULL;
    ck_assert_int_eq(user_find_many(db, &(UserFindManyArgs){ .include = &(UserInclude){ .lists = true } }, &users),
                     PRISMA_OK);
    ck_assert_uint_eq(users->len, 1);
    ck_assert_uint_eq(users->items[0].lists->len, 1);
    ck_assert_int_eq(users->items[0].lists->items[0].id, 5);
    user__list_free(users);

    COLOR_RED *c = NULL;
    ck_assert_int_eq(color_red_create(db, &(COLOR_REDCreateInput){ .id = PRISMA_INT(1), .color = COLOR_GREEN }, &c),
                     PRISMA_OK);
    ck_assert_int_eq(c->color, COLOR_GREEN);
    color_red_free(c);
    prisma_disconnect(db);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PRISMAC SCHEMA\n", argv[0]);
        return 2;
    }
    bool skipped;
    char err[4096];
    url = testdb_setup("sqlite", argv[1], argv[2], &skipped, err, sizeof err);
    if (!url) {
        fprintf(stderr, "cannot prepare the test database: %s\n", err);
        return 1;
    }
    Suite *s = suite_create("names");
    TCase *tc = tcase_create("names");
    tcase_add_test(tc, keyword_names_round_trip);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
