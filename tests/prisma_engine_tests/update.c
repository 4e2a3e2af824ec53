/* writes/top_level_mutations/update.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/). Its
 * schema_1 .. schema_7 TestModels are Upd1 .. Upd7 here. */
#include "engine_tests.h"

static const char trouble[] = "test" TROUBLE_CHARS;

#define DT_2016_07_31 INT64_C(1470009541000) /* 2016-07-31T23:59:01.000Z */
#define DT_2000 INT64_C(946684800000)        /* 2000-01-01T00:00:00.000Z */
#define DT_2001 INT64_C(978307200000)        /* 2001-01-01T00:00:00.000Z */

static int64_t upd1_ids(void)
{
    Upd1List *l = NULL;
    OK(upd1_find_many(db, NULL, &l));
    ck_assert_uint_eq(l->len, 1);
    int64_t id = l->items[0].id;
    prisma_free(l);
    return id;
}

/* update.rs::update_an_item; and update.rs::update_with_shorthand_notation
 * (`{ set: x }` and `x` are one C spelling). */
START_TEST(update_an_item)
{
    OK(upd1_create(db, &(Upd1CreateInput){ .id = PRISMA_INT(1) }, NULL));
    Upd1 *r = NULL;
    OK(upd1_update(db, &(Upd1WhereUniqueInput){ .id = PRISMA_INT(1) },
                   &(Upd1UpdateInput){ .optString = trouble, .optInt = { .set = PRISMA_INT(1337) },
                                       .optFloat = { .set = PRISMA_FLOAT(1.234) }, .optBoolean = PRISMA_BOOL(true),
                                       .optDateTime = PRISMA_DATETIME(DT_2016_07_31) },
                   &r));
    ck_assert_str_eq(r->optString, trouble);
    ck_assert_int_eq(*r->optInt, 1337);
    ck_assert(*r->optFloat == 1.234);
    ck_assert(*r->optBoolean);
    ck_assert_int_eq(*r->optDateTime, DT_2016_07_31);
    prisma_free(r);
    ck_assert_int_eq(upd1_ids(), 1);
}
END_TEST

/* update.rs::update_noop: data: {} returns the record unchanged. */
START_TEST(update_noop)
{
    OK(upd1_create(db, &(Upd1CreateInput){ .id = PRISMA_INT(1), .optString = "hello" }, NULL));
    Upd1 *r = NULL;
    OK(upd1_update(db, &(Upd1WhereUniqueInput){ .id = PRISMA_INT(1) }, &(Upd1UpdateInput){ 0 }, &r));
    ck_assert_int_eq(r->id, 1);
    ck_assert_str_eq(r->optString, "hello");
    ck_assert_ptr_null(r->optInt);
    ck_assert_ptr_null(r->optFloat);
    ck_assert_ptr_null(r->optBoolean);
    ck_assert_ptr_null(r->optDateTime);
    prisma_free(r);
}
END_TEST

/* update.rs::update_by_uniq_field */
START_TEST(update_by_uniq_field)
{
    OK(upd2_create(db, &(Upd2CreateInput){ .id = PRISMA_INT(1), .strField = "test", .uniqField = "uniq" }, NULL));
    Upd2 *r = NULL;
    OK(upd2_update(db, &(Upd2WhereUniqueInput){ .uniqField = "uniq" }, &(Upd2UpdateInput){ .strField = "updated" }, &r));
    ck_assert_str_eq(r->strField, "updated");
    prisma_free(r);
}
END_TEST

/* update.rs::update_enums */
START_TEST(update_enums)
{
    OK(upd3_create(db, &(Upd3CreateInput){ .id = PRISMA_INT(1) }, NULL));
    Upd3 *r = NULL;
    OK(upd3_update(db, &(Upd3WhereUniqueInput){ .id = PRISMA_INT(1) }, &(Upd3UpdateInput){ .optEnum = MY_ENUM_A }, &r));
    ck_assert_int_eq(r->optEnum, MY_ENUM_A);
    prisma_free(r);
}
END_TEST

/* update.rs::update_fail_uniq_field_inexistant_value */
START_TEST(update_fail_uniq_field_inexistant_value)
{
    OK(upd2_create(db, &(Upd2CreateInput){ .id = PRISMA_INT(1), .strField = "test", .uniqField = "uniq" }, NULL));
    FAILS(upd2_update(db, &(Upd2WhereUniqueInput){ .uniqField = "doesn't exist" },
                      &(Upd2UpdateInput){ .strField = "updated" }, NULL),
          "P2025",
          "An operation failed because it depends on one or more records that were required but not found. "
          "No record was found for an update.");
}
END_TEST

/* update.rs::update_updated_at_datetime: after 50 ms, updatedAt moves past createdAt. */
START_TEST(update_updated_at_datetime)
{
    OK(upd4_create(db, &(Upd4CreateInput){ .id = PRISMA_INT(1), .field = "test" }, NULL));
    nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000 * 1000 }, NULL);
    Upd4 *r = NULL;
    OK(upd4_update(db, &(Upd4WhereUniqueInput){ .id = PRISMA_INT(1) }, &(Upd4UpdateInput){ .field = "test2" }, &r));
    ck_assert_int_ne(r->createdAt, r->updatedAt);
    prisma_free(r);
}
END_TEST

/* update.rs::updated_created_at_mutable_with_update */
START_TEST(updated_created_at_mutable_with_update)
{
    OK(upd5_create(db, &(Upd5CreateInput){ .id = PRISMA_INT(1) }, NULL));
    Upd5 *r = NULL;
    OK(upd5_update(db, &(Upd5WhereUniqueInput){ .id = PRISMA_INT(1) },
                   &(Upd5UpdateInput){ .createdAt = PRISMA_DATETIME(DT_2000), .updatedAt = PRISMA_DATETIME(DT_2001) }, &r));
    ck_assert_int_eq(r->createdAt, DT_2000);
    ck_assert_int_eq(r->updatedAt, DT_2001);
    prisma_free(r);
}
END_TEST

/* query_number_operation: updateOne(where: { id }, data: { <op> }) and the
 * returned field, "null" or its value (%.17g for floats). */
static const char *number_op(int id, const Upd6UpdateInput *data, bool floats)
{
    Upd6 *r = NULL;
    OK(upd6_update(db, &(Upd6WhereUniqueInput){ .id = PRISMA_INT(id) }, data, &r));
    static char buf[4][48];
    static unsigned next;
    char *b = buf[next++ % 4];
    if (floats)
        r->optFloat ? snprintf(b, 48, "%.17g", *r->optFloat) : snprintf(b, 48, "null");
    else
        r->optInt ? snprintf(b, 48, "%d", (int)*r->optInt) : snprintf(b, 48, "null");
    prisma_free(r);
    return b;
}

#define INT_OP(id, op, v) number_op(id, &(Upd6UpdateInput){ .optInt = { .op = v } }, false)
#define FLOAT_OP(id, op, v) number_op(id, &(Upd6UpdateInput){ .optFloat = { .op = v } }, true)

static const char *g17(double v)
{
    static char buf[4][48];
    static unsigned next;
    char *b = buf[next++ % 4];
    snprintf(b, 48, "%.17g", v);
    return b;
}

/* update.rs::update_apply_number_ops_for_int */
START_TEST(update_apply_number_ops_for_int)
{
    OK(upd6_create(db, &(Upd6CreateInput){ .id = PRISMA_INT(1) }, NULL));
    OK(upd6_create(db, &(Upd6CreateInput){ .id = PRISMA_INT(2), .optInt = PRISMA_INT(3) }, NULL));
    ck_assert_str_eq(INT_OP(1, increment, PRISMA_INT(10)), "null");
    ck_assert_str_eq(INT_OP(2, increment, PRISMA_INT(10)), "13");
    ck_assert_str_eq(INT_OP(1, decrement, PRISMA_INT(10)), "null");
    ck_assert_str_eq(INT_OP(2, decrement, PRISMA_INT(10)), "3");
    ck_assert_str_eq(INT_OP(1, multiply, PRISMA_INT(2)), "null");
    ck_assert_str_eq(INT_OP(2, multiply, PRISMA_INT(2)), "6");
    ck_assert_str_eq(INT_OP(1, divide, PRISMA_INT(3)), "null");
    ck_assert_str_eq(INT_OP(2, divide, PRISMA_INT(3)), "2");
    ck_assert_str_eq(INT_OP(1, set, PRISMA_INT(5)), "5");
    ck_assert_str_eq(INT_OP(2, set, PRISMA_INT(5)), "5");
    ck_assert_str_eq(INT_OP(1, set, PRISMA_INT_NULL), "null");
    ck_assert_str_eq(INT_OP(2, set, PRISMA_INT_NULL), "null");
}
END_TEST

/* update.rs::update_apply_number_ops_for_float */
START_TEST(update_apply_number_ops_for_float)
{
    OK(upd6_create(db, &(Upd6CreateInput){ .id = PRISMA_INT(1) }, NULL));
    OK(upd6_create(db, &(Upd6CreateInput){ .id = PRISMA_INT(2), .optFloat = PRISMA_FLOAT(5.5) }, NULL));
    ck_assert_str_eq(FLOAT_OP(1, increment, PRISMA_FLOAT(4.6)), "null");
    ck_assert_str_eq(FLOAT_OP(2, increment, PRISMA_FLOAT(4.6)), g17(10.1));
    ck_assert_str_eq(FLOAT_OP(1, decrement, PRISMA_FLOAT(4.6)), "null");
    ck_assert_str_eq(FLOAT_OP(2, decrement, PRISMA_FLOAT(4.6)), g17(5.5));
    ck_assert_str_eq(FLOAT_OP(1, multiply, PRISMA_FLOAT(2)), "null");
    ck_assert_str_eq(FLOAT_OP(2, multiply, PRISMA_FLOAT(2)), g17(11.0));
    ck_assert_str_eq(FLOAT_OP(1, divide, PRISMA_FLOAT(2)), "null");
    ck_assert_str_eq(FLOAT_OP(2, divide, PRISMA_FLOAT(2)), g17(5.5));
    ck_assert_str_eq(FLOAT_OP(1, set, PRISMA_FLOAT(5.1)), g17(5.1));
    ck_assert_str_eq(FLOAT_OP(2, set, PRISMA_FLOAT(5.1)), g17(5.1));
    ck_assert_str_eq(FLOAT_OP(1, set, PRISMA_FLOAT_NULL), "null");
    ck_assert_str_eq(FLOAT_OP(2, set, PRISMA_FLOAT_NULL), "null");
}
END_TEST

/* update.rs::update_number_ops_handle_id_change: a number operation on a
 * field of the primary key; the record is found again by its new id. */
START_TEST(update_number_ops_handle_id_change)
{
    OK(upd7_create(db, &(Upd7CreateInput){ .id1 = PRISMA_FLOAT(1.23456), .id2 = PRISMA_INT(2), .uniq = PRISMA_INT(3) },
                   NULL));
    Upd7 *r = NULL;
    OK(upd7_update(db, &(Upd7WhereUniqueInput){ .id1_id2 = { .id1 = PRISMA_FLOAT(1.23456), .id2 = PRISMA_INT(2) } },
                   &(Upd7UpdateInput){ .id1 = { .divide = PRISMA_FLOAT(2) }, .uniq = { .multiply = PRISMA_INT(3) } }, &r));
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(g17(r->id1), g17(0.61728));
    ck_assert_int_eq(r->id2, 2);
    ck_assert_int_eq(r->uniq, 9);
    prisma_free(r);
}
END_TEST

void update_tests(TCase *tc)
{
    tcase_add_test(tc, update_an_item);
    tcase_add_test(tc, update_noop);
    tcase_add_test(tc, update_by_uniq_field);
    tcase_add_test(tc, update_enums);
    tcase_add_test(tc, update_fail_uniq_field_inexistant_value);
    tcase_add_test(tc, update_updated_at_datetime);
    tcase_add_test(tc, updated_created_at_mutable_with_update);
    tcase_add_test(tc, update_apply_number_ops_for_int);
    tcase_add_test(tc, update_apply_number_ops_for_float);
    tcase_add_test(tc, update_number_ops_handle_id_change);
}
