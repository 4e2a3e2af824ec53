/* queries/filters/ported_filters.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/): every scalar
 * filter on every type of an optional field. ModelA, ModelB and Enum are
 * PortedA, PortedB and PortedEnum here.
 *
 * Each Prisma test runs every query twice, alone and with the relation filter
 * `b: { is: { int: { equals: 1 } } }`; the C API has no relation filters yet
 * (issue 13), so only the first half is ported (known-differences.md).
 * Prisma's `field: { not: { contains: x } }` (a nested `not` around a filter
 * other than equals) is written `NOT: [{ field: { contains: x } }]`: the same
 * SQL, NOT (condition). Results are ordered by idTest, which follows Prisma's
 * orderBy: { id: asc } (the rows are created in idTest order). */
#include "engine_tests.h"

#define DT1 INT64_C(1474633772342) /* 2016-09-23T12:29:32.342Z */
#define DT2 INT64_C(1474720172342) /* 2016-09-24T12:29:32.342Z */
#define DT3 INT64_C(1474806572342) /* 2016-09-25T12:29:32.342Z */

/* create_common_model_b */
static void common_b(void)
{
    OK(ported_b_create(db, &(PortedBCreateInput){ .int_ = PRISMA_INT(1) }, NULL));
}

/* create_model_a (string NULL: null), connected to the ModelB with int 1. */
static void model_a(const char *id, const char *string, int i, double f, bool b, PortedEnum e, int64_t dt)
{
    OK(ported_a_create(db, &(PortedACreateInput){
        .idTest = id, .optString = string ? string : PRISMA_NULL, .optInt = PRISMA_INT(i), .optFloat = PRISMA_FLOAT(f),
        .optBoolean = PRISMA_BOOL(b), .optEnum = e, .optDateTime = PRISMA_DATETIME(dt),
        .b = { .connect = &(PortedBWhereUniqueInput){ .int_ = PRISMA_INT(1) } } }, NULL));
}

/* findManyModelA(where: ...) { idTest } */
#define A(...) a_ids(&(PortedAWhereInput){ __VA_ARGS__ })
static const char *a_ids(const PortedAWhereInput *where)
{
    PortedAList *l = NULL;
    OK(ported_a_find_many(db, &(PortedAFindManyArgs){
        .where = where, .order_by = &(PortedAOrderByInput){ .idTest = PRISMA_ASC }, .order_by_len = 1 }, &l));
    const char *s = STRS(l, PortedA, idTest);
    prisma_free(l);
    return s;
}

#define NOT_(...) .NOT = (const PortedAWhereInput[]){ __VA_ARGS__ }, \
    .NOT_len = sizeof((const PortedAWhereInput[]){ __VA_ARGS__ }) / sizeof(PortedAWhereInput)

#define EA PORTED_ENUM_A
#define EB PORTED_ENUM_B

/* The three rows most tests start from: strings s1..s3, ints 1..3 (or all 1). */
static void three(const char *s1, const char *s2, const char *s3, int i2, int i3, double f2, double f3, PortedEnum e2,
                  int64_t dt2, int64_t dt3)
{
    common_b();
    model_a("id1", s1, 1, 1.0, true, EA, DT1);
    model_a("id2", s2, i2, f2, false, e2, dt2);
    model_a("id3", s3, i3, f3, false, e2, dt3);
}

/* The rows of the string and boolean tests: ints and floats 1, enum A, one date. */
#define STRINGS(s1, s2, s3) three(s1, s2, s3, 1, 1, 1.0, 1.0, EA, DT1, DT1)
/* The rows of the number, date and enum tests. */
#define NUMBERS(s1, s2, s3) three(s1, s2, s3, 2, 3, 2.0, 3.0, EB, DT2, DT3)

/* ported_filters.rs::l1_and */
START_TEST(l1_and)
{
    common_b();
    model_a("id1", "bar", 1, 1.0, true, EA, DT1);
    model_a("id2", "foo bar", 1, 1.0, false, EA, DT1);
    model_a("id3", "foo", 1, 1.0, false, EA, DT1);
    model_a("id4", "foo bar barz", 1, 1.0, false, EA, DT1);
    model_a("id5", "foo bar barz", 1, 1.0, false, EA, DT1);
    ck_assert_str_eq(A(.optString = { .starts_with = "foo" }, .optBoolean = { .equals = PRISMA_BOOL(false) },
                       .idTest = { .ends_with = "5" }),
                     "id5");
}
END_TEST

static void six_rows(void)
{
    common_b();
    model_a("id1", "bar", 1, 1.0, true, EA, DT1);
    model_a("id2", "foo bar", 1, 1.0, false, EA, DT1);
    model_a("id3", "foo", 1, 1.0, false, EA, DT1);
    model_a("id4", "foo bar barz", 1, 1.0, false, EA, DT1);
    model_a("id5", "foo bar barz", 1, 1.0, false, EA, DT1);
    model_a("id6", "foo bar barz", 1, 1.0, false, EA, DT1);
}

/* ported_filters.rs::l2_and */
START_TEST(l2_and)
{
    six_rows();
    ck_assert_str_eq(A(.AND = (const PortedAWhereInput[]){ {
                           .optBoolean = { .equals = PRISMA_BOOL(false) }, .idTest = { .ends_with = "5" },
                           .AND = (const PortedAWhereInput[]){ { .optString = { .starts_with = "foo" } } },
                           .AND_len = 1 } },
                       .AND_len = 1),
                     "id5");
}
END_TEST

/* ported_filters.rs::l1_or */
START_TEST(l1_or)
{
    common_b();
    model_a("id1", "bar", 1, 1.0, true, EA, DT1);
    model_a("id2", "foo bar", 1, 1.0, false, EA, DT1);
    model_a("id3", "foo", 1, 1.0, false, EA, DT1);
    model_a("id4", "foo bar barz", 1, 1.0, false, EA, DT1);
    model_a("id5", "foo bar barz", 1, 1.0, false, EA, DT1);
    ck_assert_str_eq(A(.optBoolean = { .equals = PRISMA_BOOL(false) },
                       .OR = (const PortedAWhereInput[]){ { .optString = { .starts_with = "foo" } },
                                                          { .idTest = { .ends_with = "5" } } },
                       .OR_len = 2),
                     "id2,id3,id4,id5");
}
END_TEST

/* ported_filters.rs::l2_or */
START_TEST(l2_or)
{
    six_rows();
    ck_assert_str_eq(A(.OR = (const PortedAWhereInput[]){ {
                           .optString = { .starts_with = "foo" },
                           .OR = (const PortedAWhereInput[]){ { .optBoolean = { .equals = PRISMA_BOOL(false) } },
                                                              { .idTest = { .ends_with = "5" } } },
                           .OR_len = 2 } },
                       .OR_len = 1),
                     "id2,id3,id4,id5,id6");
}
END_TEST

/* ported_filters.rs::filter_null: equals null, not: { equals: null },
 * not: null, in: null and not: { in: null } are, in C, is_null and
 * is_not_null (Prisma reads `in: null` as `equals: null`). */
START_TEST(filter_null)
{
    common_b();
    model_a("id1", NULL, 1, 1.0, true, EA, DT1);
    model_a("id2", "foo bar", 1, 1.0, false, EA, DT1);
    model_a("id3", NULL, 1, 1.0, false, EA, DT1);
    ck_assert_str_eq(A(.optString = { .is_null = true }), "id1,id3");
    ck_assert_str_eq(A(.optString = { .is_not_null = true }), "id2");
    /* not: { not: { not: { equals: null } } } */
    ck_assert_str_eq(A(NOT_({ NOT_({ NOT_({ .optString = { .is_null = true } }) }) })), "id2");
    /* A where on NULL is not the same as no where. */
    ck_assert_str_eq(A(0), "id1,id2,id3");
}
END_TEST

/* ported_filters.rs::str_eq */
START_TEST(str_eq)
{
    STRINGS("bar", "foo bar", "foo bar barz");
    ck_assert_str_eq(A(.optString = { .equals = "bar" }), "id1");
}
END_TEST

/* ported_filters.rs::str_not_eq */
START_TEST(str_not_eq)
{
    STRINGS("bar", "foo bar", "foo bar barz");
    ck_assert_str_eq(A(.optString = { .not_ = "bar" }), "id2,id3");
}
END_TEST

/* ported_filters.rs::str_contains */
START_TEST(str_contains)
{
    STRINGS("bara", "foo bar", "foo bar barz");
    ck_assert_str_eq(A(.optString = { .contains = "bara" }), "id1");
}
END_TEST

/* ported_filters.rs::str_not_contains */
START_TEST(str_not_contains)
{
    STRINGS("bara", "foo bar", "foo bar barz");
    ck_assert_str_eq(A(NOT_({ .optString = { .contains = "bara" } })), "id2,id3");
}
END_TEST

/* ported_filters.rs::str_starts_with */
START_TEST(str_starts_with)
{
    STRINGS("bara", "foo bar", "foo bar barz");
    ck_assert_str_eq(A(.optString = { .starts_with = "bar" }), "id1");
}
END_TEST

/* ported_filters.rs::str_not_starts_with */
START_TEST(str_not_starts_with)
{
    STRINGS("bara", "foo bar", "foo bar barz");
    ck_assert_str_eq(A(NOT_({ .optString = { .starts_with = "bar" } })), "id2,id3");
}
END_TEST

/* ported_filters.rs::str_ends_with */
START_TEST(str_ends_with)
{
    STRINGS("bara", "foo bar", "foo bar bar");
    ck_assert_str_eq(A(.optString = { .ends_with = "bara" }), "id1");
}
END_TEST

/* ported_filters.rs::str_not_ends_with */
START_TEST(str_not_ends_with)
{
    STRINGS("bara", "foo bar", "foo bar bar");
    ck_assert_str_eq(A(NOT_({ .optString = { .ends_with = "bara" } })), "id2,id3");
}
END_TEST

/* ported_filters.rs::str_lt */
START_TEST(str_lt)
{
    STRINGS("1", "2", "3");
    ck_assert_str_eq(A(.optString = { .lt = "2" }), "id1");
}
END_TEST

/* ported_filters.rs::str_lte */
START_TEST(str_lte)
{
    STRINGS("1", "2", "3");
    ck_assert_str_eq(A(.optString = { .lte = "2" }), "id1,id2");
}
END_TEST

/* ported_filters.rs::str_gt */
START_TEST(str_gt)
{
    STRINGS("1", "2", "3");
    ck_assert_str_eq(A(.optString = { .gt = "2" }), "id3");
}
END_TEST

/* ported_filters.rs::str_gte */
START_TEST(str_gte)
{
    STRINGS("1", "2", "3");
    ck_assert_str_eq(A(.optString = { .gte = "2" }), "id2,id3");
}
END_TEST

/* ported_filters.rs::str_in: in: [] matches nothing. */
START_TEST(str_in)
{
    STRINGS("a", "ab", "abc");
    ck_assert_str_eq(A(.optString = { .in = PRISMA_STRINGS("a") }), "id1");
    ck_assert_str_eq(A(.optString = { .in = PRISMA_STRINGS("a", "b") }), "id1");
    ck_assert_str_eq(A(.optString = { .in = PRISMA_STRINGS("a", "abc") }), "id1,id3");
    ck_assert_str_eq(A(.optString = { .in = PRISMA_EMPTY_LIST }), "");
}
END_TEST

/* ported_filters.rs::str_not_in: not: { in: [] } matches every row. */
START_TEST(str_not_in)
{
    STRINGS("a", "ab", "abc");
    ck_assert_str_eq(A(.optString = { .not_in = PRISMA_STRINGS("a") }), "id2,id3");
    ck_assert_str_eq(A(.optString = { .not_in = PRISMA_EMPTY_LIST }), "id1,id2,id3");
}
END_TEST

/* ported_filters.rs::int_eq */
START_TEST(int_eq)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optInt = { .equals = PRISMA_INT(1) }), "id1");
}
END_TEST

/* ported_filters.rs::int_not_eq */
START_TEST(int_not_eq)
{
    NUMBERS("a", "ab", "abc");
    ck_assert_str_eq(A(.optInt = { .not_ = PRISMA_INT(1) }), "id2,id3");
}
END_TEST

/* ported_filters.rs::int_lt */
START_TEST(int_lt)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optInt = { .lt = PRISMA_INT(2) }), "id1");
}
END_TEST

/* ported_filters.rs::int_lte */
START_TEST(int_lte)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optInt = { .lte = PRISMA_INT(2) }), "id1,id2");
}
END_TEST

/* ported_filters.rs::int_gt */
START_TEST(int_gt)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optInt = { .gt = PRISMA_INT(2) }), "id3");
}
END_TEST

/* ported_filters.rs::int_gte */
START_TEST(int_gte)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optInt = { .gte = PRISMA_INT(2) }), "id2,id3");
}
END_TEST

/* ported_filters.rs::int_in */
START_TEST(int_in)
{
    NUMBERS("a", "ab", "abc");
    ck_assert_str_eq(A(.optInt = { .in = PRISMA_INTS(1) }), "id1");
}
END_TEST

/* ported_filters.rs::int_not_in */
START_TEST(int_not_in)
{
    NUMBERS("a", "ab", "abc");
    ck_assert_str_eq(A(.optInt = { .not_in = PRISMA_INTS(1) }), "id2,id3");
}
END_TEST

/* ported_filters.rs::float_eq */
START_TEST(float_eq)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optFloat = { .equals = PRISMA_FLOAT(1.0) }), "id1");
}
END_TEST

/* ported_filters.rs::float_not_eq */
START_TEST(float_not_eq)
{
    NUMBERS("a", "ab", "abc");
    ck_assert_str_eq(A(.optFloat = { .not_ = PRISMA_FLOAT(1.0) }), "id2,id3");
}
END_TEST

/* ported_filters.rs::float_lt */
START_TEST(float_lt)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optFloat = { .lt = PRISMA_FLOAT(2.0) }), "id1");
}
END_TEST

/* ported_filters.rs::float_lte */
START_TEST(float_lte)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optFloat = { .lte = PRISMA_FLOAT(2.0) }), "id1,id2");
}
END_TEST

/* ported_filters.rs::float_gt */
START_TEST(float_gt)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optFloat = { .gt = PRISMA_FLOAT(2.0) }), "id3");
}
END_TEST

/* ported_filters.rs::float_gte */
START_TEST(float_gte)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optFloat = { .gte = PRISMA_FLOAT(2.0) }), "id2,id3");
}
END_TEST

/* ported_filters.rs::float_in */
START_TEST(float_in)
{
    NUMBERS("a", "ab", "abc");
    ck_assert_str_eq(A(.optFloat = { .in = PRISMA_FLOATS(1.0) }), "id1");
}
END_TEST

/* ported_filters.rs::float_not_in */
START_TEST(float_not_in)
{
    NUMBERS("a", "ab", "abc");
    ck_assert_str_eq(A(.optFloat = { .not_in = PRISMA_FLOATS(1.0) }), "id2,id3");
}
END_TEST

/* ported_filters.rs::bool_eq */
START_TEST(bool_eq)
{
    STRINGS("bar", "foo bar", "foo bar barz");
    ck_assert_str_eq(A(.optBoolean = { .equals = PRISMA_BOOL(true) }), "id1");
}
END_TEST

/* ported_filters.rs::bool_not_eq */
START_TEST(bool_not_eq)
{
    STRINGS("bar", "foo bar", "foo bar barz");
    ck_assert_str_eq(A(.optBoolean = { .not_ = PRISMA_BOOL(true) }), "id2,id3");
}
END_TEST

/* ported_filters.rs::dt_eq */
START_TEST(dt_eq)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optDateTime = { .equals = PRISMA_DATETIME(DT2) }), "id2");
}
END_TEST

/* ported_filters.rs::dt_not_eq */
START_TEST(dt_not_eq)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optDateTime = { .not_ = PRISMA_DATETIME(DT2) }), "id1,id3");
}
END_TEST

/* ported_filters.rs::dt_lt */
START_TEST(dt_lt)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optDateTime = { .lt = PRISMA_DATETIME(DT2) }), "id1");
}
END_TEST

/* ported_filters.rs::dt_lte */
START_TEST(dt_lte)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optDateTime = { .lte = PRISMA_DATETIME(DT2) }), "id1,id2");
}
END_TEST

/* ported_filters.rs::dt_gt */
START_TEST(dt_gt)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optDateTime = { .gt = PRISMA_DATETIME(DT2) }), "id3");
}
END_TEST

/* ported_filters.rs::dt_gte */
START_TEST(dt_gte)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optDateTime = { .gte = PRISMA_DATETIME(DT2) }), "id2,id3");
}
END_TEST

/* ported_filters.rs::dt_in */
START_TEST(dt_in)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optDateTime = { .in = PRISMA_DATETIMES(DT2) }), "id2");
}
END_TEST

/* ported_filters.rs::dt_not_in */
START_TEST(dt_not_in)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optDateTime = { .not_in = PRISMA_DATETIMES(DT2) }), "id1,id3");
}
END_TEST

/* ported_filters.rs::enum_eq */
START_TEST(enum_eq)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optEnum = { .equals = EA }), "id1");
}
END_TEST

/* ported_filters.rs::enum_not_eq */
START_TEST(enum_not_eq)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optEnum = { .not_ = EA }), "id2,id3");
}
END_TEST

/* ported_filters.rs::enum_in */
START_TEST(enum_in)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optEnum = { .in = PRISMA_ENUMS(EA) }), "id1");
}
END_TEST

/* ported_filters.rs::enum_not_in */
START_TEST(enum_not_in)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optEnum = { .not_in = PRISMA_ENUMS(EA) }), "id2,id3");
}
END_TEST

/* ported_filters.rs::not_alias_equal: Prisma's not: { equals: "1", gt: "2" }
 * negates each condition (NOT = "1" AND NOT > "2"): here not_ and a NOT; then
 * NOT: [{ equals: "1" }, { gt: "2" }]. */
START_TEST(not_alias_equal)
{
    NUMBERS("1", "2", "3");
    ck_assert_str_eq(A(.optString = { .not_ = "1" }, NOT_({ .optString = { .gt = "2" } })), "id2");
    ck_assert_str_eq(A(NOT_({ .optString = { .equals = "1" } }, { .optString = { .gt = "2" } })), "id2");
}
END_TEST

void ported_filters_tests(TCase *tc)
{
    tcase_add_test(tc, l1_and);
    tcase_add_test(tc, l2_and);
    tcase_add_test(tc, l1_or);
    tcase_add_test(tc, l2_or);
    tcase_add_test(tc, filter_null);
    tcase_add_test(tc, str_eq);
    tcase_add_test(tc, str_not_eq);
    tcase_add_test(tc, str_contains);
    tcase_add_test(tc, str_not_contains);
    tcase_add_test(tc, str_starts_with);
    tcase_add_test(tc, str_not_starts_with);
    tcase_add_test(tc, str_ends_with);
    tcase_add_test(tc, str_not_ends_with);
    tcase_add_test(tc, str_lt);
    tcase_add_test(tc, str_lte);
    tcase_add_test(tc, str_gt);
    tcase_add_test(tc, str_gte);
    tcase_add_test(tc, str_in);
    tcase_add_test(tc, str_not_in);
    tcase_add_test(tc, int_eq);
    tcase_add_test(tc, int_not_eq);
    tcase_add_test(tc, int_lt);
    tcase_add_test(tc, int_lte);
    tcase_add_test(tc, int_gt);
    tcase_add_test(tc, int_gte);
    tcase_add_test(tc, int_in);
    tcase_add_test(tc, int_not_in);
    tcase_add_test(tc, float_eq);
    tcase_add_test(tc, float_not_eq);
    tcase_add_test(tc, float_lt);
    tcase_add_test(tc, float_lte);
    tcase_add_test(tc, float_gt);
    tcase_add_test(tc, float_gte);
    tcase_add_test(tc, float_in);
    tcase_add_test(tc, float_not_in);
    tcase_add_test(tc, bool_eq);
    tcase_add_test(tc, bool_not_eq);
    tcase_add_test(tc, dt_eq);
    tcase_add_test(tc, dt_not_eq);
    tcase_add_test(tc, dt_lt);
    tcase_add_test(tc, dt_lte);
    tcase_add_test(tc, dt_gt);
    tcase_add_test(tc, dt_gte);
    tcase_add_test(tc, dt_in);
    tcase_add_test(tc, dt_not_in);
    tcase_add_test(tc, enum_eq);
    tcase_add_test(tc, enum_not_eq);
    tcase_add_test(tc, enum_in);
    tcase_add_test(tc, enum_not_in);
    tcase_add_test(tc, not_alias_equal);
}
