/* writes/top_level_mutations/create_many.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/). The Test and
 * TestModel of schema_1 .. schema_8 are Cm1 .. Cm8 here. */
#include "engine_tests.h"

/* create_many.rs::basic_create_many */
START_TEST(basic_create_many)
{
    const Cm1CreateInput data[] = { { .id = PRISMA_INT(1), .str1 = "1", .str2 = "1", .str3 = "1" },
                                    { .id = PRISMA_INT(2), .str1 = "2", .str3 = PRISMA_NULL },
                                    { .id = PRISMA_INT(3), .str1 = "1" } };
    int64_t count = -1;
    OK(cm1_create_many(db, data, 3, false, &count));
    ck_assert_int_eq(count, 3);
    ck_assert_int_eq(rows("Cm1"), 3);
}
END_TEST

/* create_many.rs::basic_create_many_shorthand: data: { ... } (one record) */
START_TEST(basic_create_many_shorthand)
{
    const Cm1CreateInput one = { .id = PRISMA_INT(1), .str1 = "1", .str2 = "1", .str3 = "1" };
    int64_t count = -1;
    OK(cm1_create_many(db, &one, 1, false, &count));
    ck_assert_int_eq(count, 1);
}
END_TEST

/* create_many.rs::basic_create_many_autoincrement: given ids and a generated one. */
START_TEST(basic_create_many_autoincrement)
{
    const Cm2CreateInput data[] = { { .id = PRISMA_INT(123), .str1 = "1", .str2 = "1", .str3 = "1" },
                                    { .id = PRISMA_INT(321), .str1 = "2", .str3 = PRISMA_NULL },
                                    { .str1 = "1" } };
    int64_t count = -1;
    OK(cm2_create_many(db, data, 3, false, &count));
    ck_assert_int_eq(count, 3);
    ck_assert_int_eq(rows("Cm2"), 3);
}
END_TEST

/* create_many.rs::create_many_defaults_nulls: a field not given takes its
 * default, a field given null is null. */
START_TEST(create_many_defaults_nulls)
{
    const Cm3CreateInput data[] = { { .id = PRISMA_INT(1) }, { .id = PRISMA_INT(2), .str = PRISMA_NULL } };
    int64_t count = -1;
    OK(cm3_create_many(db, data, 2, false, &count));
    ck_assert_int_eq(count, 2);
    Cm3List *l = NULL;
    OK(cm3_find_many(db, &(Cm3FindManyArgs){ .order_by = &(Cm3OrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 },
                     &l));
    ck_assert_str_eq(INTS(l, Cm3, id), "1,2");
    ck_assert_str_eq(STRS(l, Cm3, str), "SOME_DEFAULT,null");
    prisma_free(l);
}
END_TEST

/* create_many.rs::create_many_error_dups */
START_TEST(create_many_error_dups)
{
    const Cm4CreateInput data[] = { { .id = PRISMA_INT(1) }, { .id = PRISMA_INT(1) } };
    FAILS(cm4_create_many(db, data, 2, false, NULL), "P2002", "Unique constraint failed");
    ck_assert_int_eq(rows("Cm4"), 0);
}
END_TEST

/* create_many.rs::create_many_no_error_skip_dup */
START_TEST(create_many_no_error_skip_dup)
{
    const Cm4CreateInput data[] = { { .id = PRISMA_INT(1) }, { .id = PRISMA_INT(1) } };
    int64_t count = -1;
    OK(cm4_create_many(db, data, 2, true, &count));
    ck_assert_int_eq(count, 1);
}
END_TEST

/* create_many.rs::large_num_records_horizontal: 1000 rows of one parameter. */
START_TEST(large_num_records_horizontal)
{
    Cm4CreateInput *data = calloc(1000, sizeof *data);
    ck_assert_ptr_nonnull(data);
    for (int i = 0; i < 1000; i++)
        data[i].id = PRISMA_INT(i + 1);
    int64_t count = -1;
    int rc = cm4_create_many(db, data, 1000, false, &count);
    free(data);
    OK(rc);
    ck_assert_int_eq(count, 1000);
}
END_TEST

/* create_many.rs::large_num_records_vertical: 2000 rows of four parameters. */
START_TEST(large_num_records_vertical)
{
    Cm5CreateInput *data = calloc(2000, sizeof *data);
    ck_assert_ptr_nonnull(data);
    for (int i = 0; i < 2000; i++)
        data[i] = (Cm5CreateInput){ .id = PRISMA_INT(i + 1), .a = PRISMA_INT(i + 1), .b = PRISMA_INT(i + 1),
                                    .c = PRISMA_INT(i + 1) };
    int64_t count = -1;
    int rc = cm5_create_many(db, data, 2000, false, &count);
    free(data);
    OK(rc);
    ck_assert_int_eq(count, 2000);
}
END_TEST

/* create_many.rs::create_many_map_behavior: a mapped column. */
START_TEST(create_many_map_behavior)
{
    const int64_t aug_2009 = INT64_C(1249084800000); /* date_iso_string(2009, 8, 1) */
    const Cm6CreateInput data[] = { { .id = PRISMA_INT(1), .updatedAt = PRISMA_DATETIME(aug_2009) },
                                    { .id = PRISMA_INT(2), .updatedAt = PRISMA_DATETIME((int64_t)time(NULL) * 1000) } };
    int64_t count = -1;
    OK(cm6_create_many(db, data, 2, false, &count));
    ck_assert_int_eq(count, 2);
}
END_TEST

/* create_many.rs::create_many_with_many_fields */
START_TEST(create_many_with_many_fields)
{
    Cm8CreateInput data[4];
    for (int i = 0; i < 4; i++)
        data[i] = (Cm8CreateInput){ .id = PRISMA_INT(i + 1), .field1 = PRISMA_INT(1), .field2 = PRISMA_INT(2),
                                    .field3 = PRISMA_INT(3), .field4 = PRISMA_INT(4), .field5 = PRISMA_INT(5),
                                    .field6 = PRISMA_INT(6), .field7 = PRISMA_INT(7), .field8 = PRISMA_INT(8),
                                    .field9 = PRISMA_INT(9), .field10 = PRISMA_INT(10), .field11 = PRISMA_INT(11),
                                    .field12 = PRISMA_INT(12) };
    int64_t count = -1;
    OK(cm8_create_many(db, data, 4, false, &count));
    ck_assert_int_eq(count, 4);
}
END_TEST

void create_many_tests(TCase *tc)
{
    tcase_add_test(tc, basic_create_many);
    tcase_add_test(tc, basic_create_many_shorthand);
    tcase_add_test(tc, basic_create_many_autoincrement);
    tcase_add_test(tc, create_many_defaults_nulls);
    tcase_add_test(tc, create_many_error_dups);
    tcase_add_test(tc, create_many_no_error_skip_dup);
    tcase_add_test(tc, large_num_records_horizontal);
    tcase_add_test(tc, large_num_records_vertical);
    tcase_add_test(tc, create_many_map_behavior);
    tcase_add_test(tc, create_many_with_many_fields);
}
