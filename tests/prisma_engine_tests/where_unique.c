/* queries/filters/where_unique.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/): findUnique's
 * where. The generic schema's User is WuUser here. */
#include "engine_tests.h"

static void test_users(void)
{
    OK(wu_user_create(db, &(WuUserCreateInput){ .id = PRISMA_INT(1), .email = "a@b.com", .first_name = "Elongated",
                                                .last_name = "Muskrat" }, NULL));
    OK(wu_user_create(db, &(WuUserCreateInput){ .id = PRISMA_INT(2), .email = "b@a.com", .first_name = "John",
                                                .last_name = "Cena" }, NULL));
}

/* where_unique.rs::no_unique_fields: where: {} is refused (P2009). */
START_TEST(no_unique_fields)
{
    WuUser *u = NULL;
    FAILS(wu_user_find_unique(db, &(WuUserWhereUniqueInput){ 0 }, &u), "P2009", NULL);
    ck_assert_ptr_null(u);
}
END_TEST

/* where_unique.rs::one_unique_field; and where_unique.rs::implicit_unique_and
 * (the same query). */
START_TEST(one_unique_field)
{
    test_users();
    WuUser *u = NULL;
    OK(wu_user_find_unique(db, &(WuUserWhereUniqueInput){ .id = PRISMA_INT(1) }, &u));
    ck_assert_ptr_nonnull(u);
    ck_assert_int_eq(u->id, 1);
    prisma_free(u);
}
END_TEST

void where_unique_tests(TCase *tc)
{
    tcase_add_test(tc, no_unique_fields);
    tcase_add_test(tc, one_unique_field);
}
