/* writes/top_level_mutations/create_many_and_return.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/): its schema_1 ..
 * schema_6 are create_many.rs' and are the same models here, Cm1 .. Cm6. */
#include "engine_tests.h"

/* "id:str1:str2:str3" per record, "null" for NULL. */
static const char *cm1_rows(const Cm1List *l)
{
    static char buf[512];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->len; i++) {
        const Cm1 *r = &l->items[i];
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%d:%s:%s:%s", i ? "," : "", (int)r->id, r->str1,
                                r->str2 ? r->str2 : "null", r->str3 ? r->str3 : "null");
    }
    return buf;
}

/* create_many_and_return.rs::basic_create_many */
START_TEST(cmr_basic_create_many)
{
    const Cm1CreateInput data[] = { { .id = PRISMA_INT(1), .str1 = "1", .str2 = "1", .str3 = "1" },
                                    { .id = PRISMA_INT(2), .str1 = "2", .str3 = PRISMA_NULL },
                                    { .id = PRISMA_INT(3), .str1 = "1" } };
    Cm1List *l = NULL;
    OK(cm1_create_many_and_return(db, data, 3, false, &l));
    ck_assert_str_eq(cm1_rows(l), "1:1:1:1,2:2:null:null,3:1:null:SOME_DEFAULT");
    prisma_free(l);
}
END_TEST

/* create_many_and_return.rs::basic_create_many_shorthand */
START_TEST(cmr_basic_create_many_shorthand)
{
    const Cm1CreateInput one = { .id = PRISMA_INT(1), .str1 = "1", .str2 = "1", .str3 = "1" };
    Cm1List *l = NULL;
    OK(cm1_create_many_and_return(db, &one, 1, false, &l));
    ck_assert_str_eq(cm1_rows(l), "1:1:1:1");
    prisma_free(l);
}
END_TEST

static int by_id(const void *a, const void *b)
{
    const Cm2 *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* create_many_and_return.rs::basic_create_many_autoincrement: sorted by id
 * (Prisma: the order is not deterministic on SQLite); the generated id is 1
 * (a sequence) or 322 (SQLite's MAX(id) + 1), as Prisma accepts. */
START_TEST(cmr_basic_create_many_autoincrement)
{
    const Cm2CreateInput data[] = { { .id = PRISMA_INT(123), .str1 = "1", .str2 = "1", .str3 = "1" },
                                    { .id = PRISMA_INT(321), .str1 = "2", .str3 = PRISMA_NULL },
                                    { .str1 = "1" } };
    Cm2List *l = NULL;
    OK(cm2_create_many_and_return(db, data, 3, false, &l));
    ck_assert_uint_eq(l->len, 3);
    qsort(l->items, l->len, sizeof l->items[0], by_id);
    char got[256];
    size_t len = 0;
    for (size_t i = 0; i < l->len; i++) {
        const Cm2 *r = &l->items[i];
        len += (size_t)snprintf(got + len, sizeof got - len, "%s%d:%s:%s:%s", i ? "," : "", (int)r->id, r->str1,
                                r->str2 ? r->str2 : "null", r->str3 ? r->str3 : "null");
    }
    prisma_free(l);
    ck_assert_msg(strcmp(got, "1:1:null:SOME_DEFAULT,123:1:1:1,321:2:null:null") == 0 ||
                      strcmp(got, "123:1:1:1,321:2:null:null,322:1:null:SOME_DEFAULT") == 0,
                  "got %s", got);
}
END_TEST

/* create_many_and_return.rs::create_many_defaults_nulls */
START_TEST(cmr_create_many_defaults_nulls)
{
    const Cm3CreateInput data[] = { { .id = PRISMA_INT(1) }, { .id = PRISMA_INT(2), .str = PRISMA_NULL } };
    Cm3List *l = NULL;
    OK(cm3_create_many_and_return(db, data, 2, false, &l));
    ck_assert_str_eq(INTS(l, Cm3, id), "1,2");
    ck_assert_str_eq(STRS(l, Cm3, str), "SOME_DEFAULT,null");
    prisma_free(l);
    OK(cm3_find_many(db, &(Cm3FindManyArgs){ .order_by = &(Cm3OrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 },
                     &l));
    ck_assert_str_eq(INTS(l, Cm3, id), "1,2");
    ck_assert_str_eq(STRS(l, Cm3, str), "SOME_DEFAULT,null");
    prisma_free(l);
}
END_TEST

/* create_many_and_return.rs::create_many_error_dups */
START_TEST(cmr_create_many_error_dups)
{
    const Cm4CreateInput data[] = { { .id = PRISMA_INT(1) }, { .id = PRISMA_INT(1) } };
    Cm4List *l = NULL;
    FAILS(cm4_create_many_and_return(db, data, 2, false, &l), "P2002", "Unique constraint failed");
    ck_assert_ptr_null(l);
    ck_assert_int_eq(rows("Cm4"), 0);
}
END_TEST

/* create_many_and_return.rs::create_many_no_error_skip_dup */
START_TEST(cmr_create_many_no_error_skip_dup)
{
    const Cm4CreateInput data[] = { { .id = PRISMA_INT(1) }, { .id = PRISMA_INT(1) } };
    Cm4List *l = NULL;
    OK(cm4_create_many_and_return(db, data, 2, true, &l));
    ck_assert_str_eq(INTS(l, Cm4, id), "1");
    prisma_free(l);
}
END_TEST

/* create_many_and_return.rs::large_num_records_horizontal */
START_TEST(cmr_large_num_records_horizontal)
{
    Cm4CreateInput *data = calloc(1000, sizeof *data);
    ck_assert_ptr_nonnull(data);
    for (int i = 0; i < 1000; i++)
        data[i].id = PRISMA_INT(i + 1);
    Cm4List *l = NULL;
    int rc = cm4_create_many_and_return(db, data, 1000, false, &l);
    free(data);
    OK(rc);
    ck_assert_uint_eq(l->len, 1000);
    prisma_free(l);
}
END_TEST

/* create_many_and_return.rs::large_num_records_vertical */
START_TEST(cmr_large_num_records_vertical)
{
    Cm5CreateInput *data = calloc(2000, sizeof *data);
    ck_assert_ptr_nonnull(data);
    for (int i = 0; i < 2000; i++)
        data[i] = (Cm5CreateInput){ .id = PRISMA_INT(i + 1), .a = PRISMA_INT(i + 1), .b = PRISMA_INT(i + 1),
                                    .c = PRISMA_INT(i + 1) };
    Cm5List *l = NULL;
    int rc = cm5_create_many_and_return(db, data, 2000, false, &l);
    free(data);
    OK(rc);
    ck_assert_uint_eq(l->len, 2000);
    prisma_free(l);
}
END_TEST

/* create_many_and_return.rs::create_many_map_behavior */
START_TEST(cmr_create_many_map_behavior)
{
    const int64_t aug_2009 = INT64_C(1249084800000);   /* 2009-08-01T00:00:00.000Z */
    const int64_t jan_1337 = INT64_C(-19975507200000); /* 1337-01-01T00:00:00.000Z */
    const Cm6CreateInput data[] = { { .id = PRISMA_INT(1), .updatedAt = PRISMA_DATETIME(aug_2009) },
                                    { .id = PRISMA_INT(2), .updatedAt = PRISMA_DATETIME(jan_1337) } };
    Cm6List *l = NULL;
    OK(cm6_create_many_and_return(db, data, 2, false, &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_int_eq(l->items[0].id, 1);
    ck_assert_int_eq(l->items[0].updatedAt, aug_2009);
    ck_assert_int_eq(l->items[1].id, 2);
    ck_assert_int_eq(l->items[1].updatedAt, jan_1337);
    prisma_free(l);
}
END_TEST

void create_many_and_return_tests(TCase *tc)
{
    tcase_add_test(tc, cmr_basic_create_many);
    tcase_add_test(tc, cmr_basic_create_many_shorthand);
    tcase_add_test(tc, cmr_basic_create_many_autoincrement);
    tcase_add_test(tc, cmr_create_many_defaults_nulls);
    tcase_add_test(tc, cmr_create_many_error_dups);
    tcase_add_test(tc, cmr_create_many_no_error_skip_dup);
    tcase_add_test(tc, cmr_large_num_records_horizontal);
    tcase_add_test(tc, cmr_large_num_records_vertical);
    tcase_add_test(tc, cmr_create_many_map_behavior);
}
