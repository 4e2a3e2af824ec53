/* queries/filters/bigint_filter.rs, decimal_filter.rs, bytes_filter.rs and
 * insensitive_filters.rs (prisma-engines
 * query-engine/connector-test-kit-rs/query-engine-tests/tests/). The generic
 * common_nullable_types TestModel is NullableTypes here, insensitive_filters'
 * TestModel is InsensitiveModel. Results are ordered by id (the insertion
 * order of Prisma's snapshots). */
#include "engine_tests.h"

/* filters/mod.rs common_test_data:
 *   id | bInt | decimal | bytes
 *   1  | 5    | 5.5     | "test" (dGVzdA==)
 *   2  | 1    | 1       | "t"    (dA==)
 *   3  | null | null    | null */
static void common_test_data(void)
{
    OK(nullable_types_create(db, &(NullableTypesCreateInput){ .id = PRISMA_INT(1), .bInt = PRISMA_BIGINT(5),
                                                              .decimal = "5.5", .bytes = PRISMA_BYTES("test", 4) },
                             NULL));
    OK(nullable_types_create(db, &(NullableTypesCreateInput){ .id = PRISMA_INT(2), .bInt = PRISMA_BIGINT(1),
                                                              .decimal = "1", .bytes = PRISMA_BYTES("t", 1) },
                             NULL));
    OK(nullable_types_create(db, &(NullableTypesCreateInput){ .id = PRISMA_INT(3) }, NULL));
}

#define IDS(...) ids_of(&(NullableTypesWhereInput){ __VA_ARGS__ })
static const char *ids_of(const NullableTypesWhereInput *where)
{
    NullableTypesList *l = NULL;
    OK(nullable_types_find_many(db, &(NullableTypesFindManyArgs){
        .where = where, .order_by = &(NullableTypesOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
    const char *s = INTS(l, NullableTypes, id);
    prisma_free(l);
    return s;
}

#define AND_(...) .AND = (const NullableTypesWhereInput[]){ __VA_ARGS__ }, \
    .AND_len = sizeof((const NullableTypesWhereInput[]){ __VA_ARGS__ }) / sizeof(NullableTypesWhereInput)
#define NOT_(...) .NOT = (const NullableTypesWhereInput[]){ __VA_ARGS__ }, \
    .NOT_len = sizeof((const NullableTypesWhereInput[]){ __VA_ARGS__ }) / sizeof(NullableTypesWhereInput)
#define B(x) PRISMA_BIGINT(x)

/* ---- bigint_filter.rs ---- */

/* bigint_filter.rs::basic_where */
START_TEST(bigint_basic_where)
{
    common_test_data();
    ck_assert_str_eq(IDS(.bInt = { .equals = B(5) }), "1");
    ck_assert_str_eq(IDS(AND_({ .bInt = { .not_ = B(1) } }, { .bInt = { .is_not_null = true } })), "1");
    ck_assert_str_eq(IDS(.bInt = { .is_not_null = true }), "1,2");
}
END_TEST

/* bigint_filter.rs::where_shorthands */
START_TEST(bigint_where_shorthands)
{
    common_test_data();
    ck_assert_str_eq(IDS(.bInt = { .equals = B(5) }), "1");
    ck_assert_str_eq(IDS(.bInt = { .is_null = true }), "3");
}
END_TEST

/* bigint_filter.rs::inclusion_filter; also the bInt half of
 * bytes_filter.rs::inclusion_filter, which repeats it. */
START_TEST(bigint_inclusion_filter)
{
    common_test_data();
    ck_assert_str_eq(IDS(.bInt = { .in = PRISMA_BIGINTS(5, 1) }), "1,2");
    ck_assert_str_eq(IDS(AND_({ .bInt = { .not_in = PRISMA_BIGINTS(1) } }, { .bInt = { .is_not_null = true } })), "1");
}
END_TEST

/* bigint_filter.rs::numeric_comparison_filters; and
 * bytes_filter.rs::numeric_comparison_filters, which repeats it on bInt.
 * `not: { gt: x }` is NOT (> x). */
START_TEST(bigint_numeric_comparison_filters)
{
    common_test_data();
    ck_assert_str_eq(IDS(.bInt = { .gt = B(1) }), "1");
    ck_assert_str_eq(IDS(NOT_({ .bInt = { .gt = B(1) } })), "2");
    ck_assert_str_eq(IDS(.bInt = { .gte = B(1) }), "1,2");
    ck_assert_str_eq(IDS(NOT_({ .bInt = { .gte = B(5) } })), "2");
    ck_assert_str_eq(IDS(.bInt = { .lt = B(6) }), "1,2");
    ck_assert_str_eq(IDS(NOT_({ .bInt = { .lt = B(5) } })), "1");
    ck_assert_str_eq(IDS(.bInt = { .lte = B(5) }), "1,2");
    ck_assert_str_eq(IDS(NOT_({ .bInt = { .lte = B(1) } })), "1");
}
END_TEST

/* ---- decimal_filter.rs: Decimal compares as a number ("1" equals "1.0") ---- */

/* decimal_filter.rs::basic_where */
START_TEST(decimal_basic_where)
{
    common_test_data();
    ck_assert_str_eq(IDS(.decimal = { .equals = "5.5" }), "1");
    ck_assert_str_eq(IDS(AND_({ .decimal = { .not_ = "1.0" } }, { .decimal = { .is_not_null = true } })), "1");
    ck_assert_str_eq(IDS(.decimal = { .is_not_null = true }), "1,2");
}
END_TEST

/* decimal_filter.rs::where_shorthands */
START_TEST(decimal_where_shorthands)
{
    common_test_data();
    ck_assert_str_eq(IDS(.decimal = { .equals = "5.5" }), "1");
    ck_assert_str_eq(IDS(.decimal = { .is_null = true }), "3");
}
END_TEST

/* decimal_filter.rs::inclusion_filter */
START_TEST(decimal_inclusion_filter)
{
    common_test_data();
    ck_assert_str_eq(IDS(.decimal = { .in = PRISMA_STRINGS("5.5", "1.0") }), "1,2");
    ck_assert_str_eq(IDS(AND_({ .decimal = { .not_in = PRISMA_STRINGS("1.0") } }, { .decimal = { .is_not_null = true } })),
                     "1");
}
END_TEST

/* decimal_filter.rs::numeric_comparison_filters */
START_TEST(decimal_numeric_comparison_filters)
{
    common_test_data();
    ck_assert_str_eq(IDS(.decimal = { .gt = "1.0" }), "1");
    ck_assert_str_eq(IDS(NOT_({ .decimal = { .gt = "1.0" } })), "2");
    ck_assert_str_eq(IDS(.decimal = { .gte = "1.0" }), "1,2");
    ck_assert_str_eq(IDS(NOT_({ .decimal = { .gte = "5.5" } })), "2");
    ck_assert_str_eq(IDS(.decimal = { .lt = "6" }), "1,2");
    ck_assert_str_eq(IDS(NOT_({ .decimal = { .lt = "5.5" } })), "1");
    ck_assert_str_eq(IDS(.decimal = { .lte = "5.5" }), "1,2");
    ck_assert_str_eq(IDS(NOT_({ .decimal = { .lte = "1" } })), "1");
}
END_TEST

/* ---- bytes_filter.rs ---- */

/* bytes_filter.rs::basic_where */
START_TEST(bytes_basic_where)
{
    common_test_data();
    ck_assert_str_eq(IDS(.bytes = { .equals = PRISMA_BYTES("test", 4) }), "1");
    ck_assert_str_eq(IDS(AND_({ .bytes = { .not_ = PRISMA_BYTES("test", 4) } }, { .bytes = { .is_not_null = true } })),
                     "2");
    ck_assert_str_eq(IDS(.bytes = { .is_not_null = true }), "1,2");
}
END_TEST

/* bytes_filter.rs::where_shorthands */
START_TEST(bytes_where_shorthands)
{
    common_test_data();
    ck_assert_str_eq(IDS(.bytes = { .equals = PRISMA_BYTES("test", 4) }), "1");
    ck_assert_str_eq(IDS(.bytes = { .is_null = true }), "3");
}
END_TEST

/* ---- insensitive_filters.rs (mode: insensitive) ---- */

static void insensitive_rows(const char *const *strs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        OK(insensitive_model_create(db, &(InsensitiveModelCreateInput){ .str = strs[i] }, NULL));
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The matching strs, sorted by their bytes in C: Prisma's list is in insertion
 * order and the ids are cuids, so both sides are compared as sorted sets. */
#define STRS_OF(...) strs_of(&(InsensitiveModelWhereInput){ __VA_ARGS__ })
static const char *strs_of(const InsensitiveModelWhereInput *where)
{
    InsensitiveModelList *l = NULL;
    InsensitiveModelWhereInput plain, inner;
    if (!testdb->insensitive_mode) {
        /* No mode on this database (Prisma on MySQL): refused, and the same
         * filter without it finds the same, text comparing ignoring case. */
        ck_assert_int_eq(insensitive_model_find_many(db, &(InsensitiveModelFindManyArgs){ .where = where }, &l),
                         PRISMA_ERROR);
        ck_assert_str_eq(prisma_error_code(db), "P2009");
        ck_assert(testdb->case_insensitive_text);
        plain = *where;
        plain.str.mode = PRISMA_MODE_DEFAULT;
        if (plain.NOT_len == 1) {
            inner = plain.NOT[0];
            inner.str.mode = PRISMA_MODE_DEFAULT;
            plain.NOT = &inner;
        }
        where = &plain;
    }
    OK(insensitive_model_find_many(db, &(InsensitiveModelFindManyArgs){ .where = where }, &l));
    const char *strs[16];
    ck_assert_uint_le(l->len, 16);
    for (size_t i = 0; i < l->len; i++)
        strs[i] = l->items[i].str;
    qsort(strs, l->len, sizeof strs[0], by_bytes);
    static char buf[256];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->len; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? "," : "", strs[i]);
    prisma_free(l);
    return buf;
}

#define I PRISMA_INSENSITIVE
#define NOT_I(...) .NOT = (const InsensitiveModelWhereInput[]){ __VA_ARGS__ }, .NOT_len = 1

/* insensitive_filters.rs::string_matchers */
START_TEST(insensitive_string_matchers)
{
    insensitive_rows((const char *const[]){ "a test", "A Test", "b test" }, 3);
    ck_assert_str_eq(STRS_OF(.str = { .starts_with = "a", .mode = I }), "A Test,a test");
    ck_assert_str_eq(STRS_OF(.str = { .ends_with = "Test", .mode = I }), "A Test,a test,b test");
    ck_assert_str_eq(STRS_OF(.str = { .contains = "Te", .mode = I }), "A Test,a test,b test");
}
END_TEST

/* insensitive_filters.rs::neg_string_matchers: not: { startsWith: "a" } with
 * mode: insensitive is NOT (insensitive startsWith). */
START_TEST(insensitive_neg_string_matchers)
{
    insensitive_rows((const char *const[]){ "a test", "A Test", "b test" }, 3);
    ck_assert_str_eq(STRS_OF(NOT_I({ .str = { .starts_with = "a", .mode = I } })), "b test");
    ck_assert_str_eq(STRS_OF(NOT_I({ .str = { .ends_with = "Test", .mode = I } })), "");
    ck_assert_str_eq(STRS_OF(NOT_I({ .str = { .contains = "Te", .mode = I } })), "");
}
END_TEST

void type_filters_tests(TCase *tc)
{
    tcase_add_test(tc, bigint_basic_where);
    tcase_add_test(tc, bigint_where_shorthands);
    tcase_add_test(tc, bigint_inclusion_filter);
    tcase_add_test(tc, bigint_numeric_comparison_filters);
    tcase_add_test(tc, decimal_basic_where);
    tcase_add_test(tc, decimal_where_shorthands);
    tcase_add_test(tc, decimal_inclusion_filter);
    tcase_add_test(tc, decimal_numeric_comparison_filters);
    tcase_add_test(tc, bytes_basic_where);
    tcase_add_test(tc, bytes_where_shorthands);
    tcase_add_test(tc, insensitive_string_matchers);
    tcase_add_test(tc, insensitive_neg_string_matchers);
}
