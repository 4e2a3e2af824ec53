/* The queries suite, issue 13 items 11 and 12 ("misc"): field references in
 * filters, full-text search (PostgreSQL) and raw queries with typed results,
 * on every backend. Schema: tests/queries/misc/schema.prisma.in.
 *
 * Ported from prisma-engines, query-engine/connector-test-kit-rs/
 * query-engine-tests/tests/queries/filters/: field_reference/ (one file per type) and
 * search_filter.rs. Each such test names its source as `<file>::<fn>`;
 * Prisma's `not: { gt: { _ref } }` is written NOT: [{ gt ref }] (the C
 * filter's `not_` takes a value, not a nested filter): the same SQL. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

static const char *url;
static prisma_client *db;

static const char *const tables[] = { "Child", "TestModel", "SearchModel", "Kinds",
#if defined(MISC_LISTS)
                                      "MixedModel",
#endif
};

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

prisma_client *misc_db(void);
prisma_client *misc_db(void)
{
    return db;
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

static const char *code_of(void)
{
    return prisma_error_code(db) ? prisma_error_code(db) : "-";
}

#define OK(call) ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, code_of(), prisma_error_message(db))
#define FAILS(call, code, part)                                                                                   \
    do {                                                                                                          \
        ck_assert_int_eq((call), PRISMA_ERROR);                                                                   \
        ck_assert_msg(strcmp(code_of(), (code)) == 0, "%s: %s %s (want %s)", #call, code_of(),                    \
                      prisma_error_message(db), (code));                                                          \
        ck_assert_msg(strstr(prisma_error_message(db), (part)), "%s: message '%s' lacks '%s'", #call,             \
                      prisma_error_message(db), (part));                                                          \
    } while (0)

/* Statements sent, counted by the trace. */
static int n_sql;
static char last_sql[4096];
static void on_sql(void *arg, const char *sql)
{
    (void)arg;
    n_sql++;
    snprintf(last_sql, sizeof last_sql, "%s", sql);
}

/* The ids a where matches, in order: "1,2" ("" for none). */
static const char *ids(const TestModelWhereInput *where)
{
    static char out[8][128];
    static unsigned next;
    char *o = out[next++ % 8];
    TestModelList *l = NULL;
    OK(test_model_find_many(db, &(TestModelFindManyArgs){ .where = where, .order_by = &(TestModelOrderByInput){ .id = PRISMA_ASC },
                                                         .order_by_len = 1 },
                            &l));
    o[0] = '\0';
    for (size_t i = 0; i < l->len; i++)
        snprintf(o + strlen(o), 128 - strlen(o), "%s%d", i ? "," : "", l->items[i].id);
    test_model_list_free(l);
    return o;
}
#define W(...) (&(TestModelWhereInput){ __VA_ARGS__ })
#define NOT1(...) .NOT = W(__VA_ARGS__), .NOT_len = 1
#define IDS(expected, ...) ck_assert_str_eq(ids(W(__VA_ARGS__)), expected)

static const uint8_t b123[] = { 1, 2, 3 }, b1234[] = { 1, 2, 3, 4 };
enum { DT1 = 0 };
static const int64_t dt_1900 = -2184619789999LL, dt_1901 = -2153083789999LL;

/* field_reference/setup.rs::test_data_common_types (with Decimal and enum
 * columns in the same pattern). */
static void common_types(void)
{
    OK(test_model_create(db, &(TestModelCreateInput){
        .id = PRISMA_INT(1), .string = "abc", .string2 = "abc", .int_ = PRISMA_INT(1), .int2 = PRISMA_INT(1),
        .bInt = PRISMA_BIGINT(1), .bInt2 = PRISMA_BIGINT(1), .float_ = PRISMA_FLOAT(1.5), .float2 = PRISMA_FLOAT(1.5),
        .bytes = PRISMA_BYTES(b123, 3), .bytes2 = PRISMA_BYTES(b123, 3), .bool_ = PRISMA_BOOL(false),
        .bool2 = PRISMA_BOOL(false), .dt = PRISMA_DATETIME(dt_1900), .dt2 = PRISMA_DATETIME(dt_1900),
        .dec = "1.5", .dec2 = "1.5", .color = COLOR_RED, .color2 = COLOR_RED }, NULL));
    OK(test_model_create(db, &(TestModelCreateInput){
        .id = PRISMA_INT(2), .string = "abc", .string2 = "bcd", .int_ = PRISMA_INT(1), .int2 = PRISMA_INT(2),
        .bInt = PRISMA_BIGINT(1), .bInt2 = PRISMA_BIGINT(2), .float_ = PRISMA_FLOAT(1.5), .float2 = PRISMA_FLOAT(2.4),
        .bytes = PRISMA_BYTES(b123, 3), .bytes2 = PRISMA_BYTES(b1234, 4), .bool_ = PRISMA_BOOL(false),
        .bool2 = PRISMA_BOOL(true), .dt = PRISMA_DATETIME(dt_1900), .dt2 = PRISMA_DATETIME(dt_1901),
        .dec = "1.5", .dec2 = "2.4", .color = COLOR_RED, .color2 = COLOR_GREEN }, NULL));
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(3) }, NULL));
}

/* <type>_filter.rs::basic_where for a pair of fields a, a2 (constants A, A2). */
#define BASIC_WHERE(a, A, A2)                                                                 \
    do {                                                                                      \
        common_types();                                                                       \
        IDS("1,2", .a = { .ref = { .equals = A } });                                          \
        IDS("1", .a = { .ref = { .equals = A2 } });                                           \
        IDS("2", .AND = W(.a = { .ref = { .not_ = A2 } }), .AND_len = 1);                     \
    } while (0)

/* <type>_filter.rs::numeric_comparison_filters. */
#define NUMERIC_COMPARISONS(a, a2, A, A2)                                      \
    do {                                                                       \
        common_types();                                                        \
        IDS("", .a = { .ref = { .gt = A } });                                  \
        IDS("2", .a2 = { .ref = { .gt = A } });                                \
        IDS("1,2", NOT1(.a = { .ref = { .gt = A } }));                         \
        IDS("1,2", NOT1(.a = { .ref = { .gt = A2 } }));                        \
        IDS("1,2", .a = { .ref = { .gte = A } });                              \
        IDS("1,2", .a2 = { .ref = { .gte = A } });                             \
        IDS("", NOT1(.a = { .ref = { .gte = A } }));                           \
        IDS("2", NOT1(.a = { .ref = { .gte = A2 } }));                         \
        IDS("", .a = { .ref = { .lt = A } });                                  \
        IDS("2", .a = { .ref = { .lt = A2 } });                                \
        IDS("1,2", NOT1(.a = { .ref = { .lt = A } }));                         \
        IDS("1,2", NOT1(.a2 = { .ref = { .lt = A } }));                        \
        IDS("1,2", .a = { .ref = { .lte = A } });                              \
        IDS("1,2", .a = { .ref = { .lte = A2 } });                             \
        IDS("", NOT1(.a = { .ref = { .lte = A } }));                           \
        IDS("2", NOT1(.a2 = { .ref = { .lte = A } }));                         \
    } while (0)

/* field_reference/int_filter.rs::basic_where */
START_TEST(int_basic_where) { BASIC_WHERE(int_, TEST_MODEL_FIELD_M_INT, TEST_MODEL_FIELD_INT2); }
END_TEST
/* field_reference/int_filter.rs::numeric_comparison_filters */
START_TEST(int_numeric_comparison_filters) { NUMERIC_COMPARISONS(int_, int2, TEST_MODEL_FIELD_M_INT, TEST_MODEL_FIELD_INT2); }
END_TEST
/* field_reference/bigint_filter.rs::basic_where */
START_TEST(bigint_basic_where) { BASIC_WHERE(bInt, TEST_MODEL_FIELD_B_INT, TEST_MODEL_FIELD_B_INT2); }
END_TEST
/* field_reference/bigint_filter.rs::numeric_comparison_filters */
START_TEST(bigint_numeric_comparison_filters) { NUMERIC_COMPARISONS(bInt, bInt2, TEST_MODEL_FIELD_B_INT, TEST_MODEL_FIELD_B_INT2); }
END_TEST
/* field_reference/float_filter.rs::basic_where */
START_TEST(float_basic_where) { BASIC_WHERE(float_, TEST_MODEL_FIELD_M_FLOAT, TEST_MODEL_FIELD_FLOAT2); }
END_TEST
/* field_reference/float_filter.rs::numeric_comparison_filters */
START_TEST(float_numeric_comparison_filters) { NUMERIC_COMPARISONS(float_, float2, TEST_MODEL_FIELD_M_FLOAT, TEST_MODEL_FIELD_FLOAT2); }
END_TEST
/* field_reference/datetime_filter.rs::basic_where */
START_TEST(datetime_basic_where) { BASIC_WHERE(dt, TEST_MODEL_FIELD_DT, TEST_MODEL_FIELD_DT2); }
END_TEST
/* field_reference/datetime_filter.rs::numeric_comparison_filters */
START_TEST(datetime_numeric_comparison_filters) { NUMERIC_COMPARISONS(dt, dt2, TEST_MODEL_FIELD_DT, TEST_MODEL_FIELD_DT2); }
END_TEST
/* field_reference/decimal_filter.rs::basic_where (Prisma has 1.2 / 2.4 where these rows have 1.5 / 2.4: the same order) */
START_TEST(decimal_basic_where) { BASIC_WHERE(dec, TEST_MODEL_FIELD_DEC, TEST_MODEL_FIELD_DEC2); }
END_TEST
/* field_reference/decimal_filter.rs::numeric_comparison_filters */
START_TEST(decimal_numeric_comparison_filters) { NUMERIC_COMPARISONS(dec, dec2, TEST_MODEL_FIELD_DEC, TEST_MODEL_FIELD_DEC2); }
END_TEST
/* field_reference/string_filter.rs::basic_where_sensitive */
START_TEST(string_basic_where_sensitive) { BASIC_WHERE(string, TEST_MODEL_FIELD_STRING, TEST_MODEL_FIELD_STRING2); }
END_TEST
/* field_reference/string_filter.rs::numeric_comparison_filters_sensitive */
START_TEST(string_numeric_comparison_filters_sensitive)
{
    NUMERIC_COMPARISONS(string, string2, TEST_MODEL_FIELD_STRING, TEST_MODEL_FIELD_STRING2);
}
END_TEST
/* field_reference/bytes_filter.rs::basic_where (equality: Bytes has no order) */
START_TEST(bytes_basic_where) { BASIC_WHERE(bytes, TEST_MODEL_FIELD_BYTES, TEST_MODEL_FIELD_BYTES2); }
END_TEST
/* After field_reference/enum_filter.rs::basic_where, on common_types' pattern (RED / GREEN) */
START_TEST(enum_basic_where) { BASIC_WHERE(color, TEST_MODEL_FIELD_COLOR, TEST_MODEL_FIELD_COLOR2); }
END_TEST
/* Booleans: equality (Prisma's BoolFilter takes field references too). */
START_TEST(bool_basic_where) { BASIC_WHERE(bool_, TEST_MODEL_FIELD_M_BOOL, TEST_MODEL_FIELD_BOOL2); }
END_TEST

#define S TEST_MODEL_FIELD_STRING
#define S2 TEST_MODEL_FIELD_STRING2

/* string_filter.rs::test_data_insensitive. Where the backend has no `mode:
 * insensitive` (MySQL: Prisma refuses it, the collation of Prisma's tables
 * already ignores case), the mode is refused with nothing sent, and the tests
 * below run in the default mode and must get the same, case-insensitive,
 * results. */
static void insensitive_data(void)
{
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(1), .string = "abc", .string2 = "aBC" }, NULL));
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(2), .string = "aBC", .string2 = "Bcd" }, NULL));
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(3) }, NULL));
    if (!testdb->insensitive_mode) {
        TestModelList *l = NULL;
        n_sql = 0;
        prisma_set_trace(db, on_sql, NULL);
        FAILS(test_model_find_many(db, &(TestModelFindManyArgs){
                  .where = W(.string = { .mode = PRISMA_INSENSITIVE, .ref = { .equals = S2 } }) }, &l),
              "P2009", "insensitive");
        prisma_set_trace(db, NULL, NULL);
        ck_assert_int_eq(n_sql, 0);
        ck_assert_ptr_null(l);
    }
}

#define INS .mode = testdb->insensitive_mode ? PRISMA_INSENSITIVE : PRISMA_MODE_DEFAULT

/* field_reference/string_filter.rs::basic_where_insensitive */
START_TEST(string_basic_where_insensitive)
{
    insensitive_data();
    IDS("1,2", .string = { INS, .ref = { .equals = S } });
    IDS("1", .string = { INS, .ref = { .equals = S2 } });
    IDS("2", .AND = W(.string = { INS, .ref = { .not_ = S2 } }), .AND_len = 1);
}
END_TEST

/* field_reference/string_filter.rs::numeric_comparison_filters_insensitive */
START_TEST(string_numeric_comparison_filters_insensitive)
{
    insensitive_data();
    IDS("", .string = { INS, .ref = { .gt = S } });
    IDS("2", .string2 = { INS, .ref = { .gt = S } });
    IDS("1,2", NOT1(.string = { INS, .ref = { .gt = S } }));
    IDS("1,2", NOT1(.string = { INS, .ref = { .gt = S2 } }));
    IDS("1,2", .string = { INS, .ref = { .gte = S } });
    IDS("1,2", .string2 = { INS, .ref = { .gte = S } });
    IDS("", NOT1(.string = { INS, .ref = { .gte = S } }));
    IDS("2", NOT1(.string = { INS, .ref = { .gte = S2 } }));
    IDS("", .string = { INS, .ref = { .lt = S } });
    IDS("2", .string = { INS, .ref = { .lt = S2 } });
    IDS("1,2", NOT1(.string = { INS, .ref = { .lt = S } }));
    IDS("1,2", NOT1(.string2 = { INS, .ref = { .lt = S } }));
    IDS("1,2", .string = { INS, .ref = { .lte = S } });
    IDS("1,2", .string = { INS, .ref = { .lte = S2 } });
    IDS("", NOT1(.string = { INS, .ref = { .lte = S } }));
    IDS("2", NOT1(.string2 = { INS, .ref = { .lte = S } }));
}
END_TEST

/* field_reference/string_filter.rs::string_comparison_filters_sensitive */
START_TEST(string_comparison_filters_sensitive)
{
    common_types();
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(4), .string = "abc", .string2 = "ab" }, NULL));
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(5), .string = "abc", .string2 = "bc" }, NULL));
    IDS("1,2,4,5", .string = { .ref = { .contains = S } });
    IDS("1,4,5", .string = { .ref = { .contains = S2 } });
    IDS("", NOT1(.string = { .ref = { .contains = S } }));
    IDS("2", NOT1(.string = { .ref = { .contains = S2 } }));
    IDS("1,2,4,5", .string = { .ref = { .starts_with = S } });
    IDS("1,4", .string = { .ref = { .starts_with = S2 } });
    IDS("", NOT1(.string = { .ref = { .starts_with = S } }));
    IDS("2,5", NOT1(.string = { .ref = { .starts_with = S2 } }));
    IDS("1,2,4,5", .string = { .ref = { .ends_with = S } });
    IDS("1,5", .string = { .ref = { .ends_with = S2 } });
    IDS("", NOT1(.string = { .ref = { .ends_with = S } }));
    IDS("2,4", NOT1(.string = { .ref = { .ends_with = S2 } }));
}
END_TEST

/* field_reference/string_filter.rs::string_comparison_filters_insensitive */
START_TEST(string_comparison_filters_insensitive)
{
    insensitive_data();
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(4), .string = "aBc", .string2 = "AB" }, NULL));
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(5), .string = "aBC", .string2 = "bC" }, NULL));
    IDS("1,2,4,5", .string = { INS, .ref = { .contains = S } });
    IDS("1,4,5", .string = { INS, .ref = { .contains = S2 } });
    IDS("", NOT1(.string = { INS, .ref = { .contains = S } }));
    IDS("2", NOT1(.string = { INS, .ref = { .contains = S2 } }));
    IDS("1,2,4,5", .string = { INS, .ref = { .starts_with = S } });
    IDS("1,4", .string = { INS, .ref = { .starts_with = S2 } });
    IDS("", NOT1(.string = { INS, .ref = { .starts_with = S } }));
    IDS("2,5", NOT1(.string = { INS, .ref = { .starts_with = S2 } }));
    IDS("1,2,4,5", .string = { INS, .ref = { .ends_with = S } });
    IDS("1,5", .string = { INS, .ref = { .ends_with = S2 } });
    IDS("", NOT1(.string = { INS, .ref = { .ends_with = S } }));
    IDS("2,4", NOT1(.string = { INS, .ref = { .ends_with = S2 } }));
}
END_TEST

/* The referenced text is text, not a pattern: % and _ in it match only themselves. */
START_TEST(string_ref_wildcards_are_literal)
{
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(1), .string = "a%c", .string2 = "%" }, NULL));
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(2), .string = "abc", .string2 = "%" }, NULL));
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(3), .string = "abc", .string2 = "_" }, NULL));
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(4), .string = "a\\c", .string2 = "\\" }, NULL));
    IDS("1,4", .string = { .ref = { .contains = S2 } });
    IDS("", .string = { .ref = { .starts_with = S2 } });
    IDS("1,4", .string = { INS, .ref = { .contains = S2 } });
}
END_TEST

/* field_reference/failure.rs::unknown_field_name_fails (a number no field has) */
START_TEST(unknown_field_fails)
{
    common_types();
    n_sql = 0;
    prisma_set_trace(db, on_sql, NULL);
    TestModelList *l = NULL;
    FAILS(test_model_find_many(db, &(TestModelFindManyArgs){ .where = W(.id = { .ref = { .equals = 99 } }) }, &l),
          "P2019", "The referenced scalar field TestModel.");
    ck_assert_ptr_null(l);
    FAILS(test_model_find_many(db, &(TestModelFindManyArgs){ .where = W(.id = { .ref = { .equals = -1 } }) }, &l),
          "P2019", "does not exist");
    ck_assert_int_eq(n_sql, 0);
}
END_TEST

/* field_reference/failure.rs::fields_of_different_type_fails */
START_TEST(fields_of_different_type_fail)
{
    n_sql = 0;
    prisma_set_trace(db, on_sql, NULL);
    int64_t n = -1;
    FAILS(test_model_count(db, W(.id = { .ref = { .equals = S } }), &n), "P2019",
          "Expected a referenced scalar field of type Int but found TestModel.string of type String.");
    FAILS(test_model_count(db, W(.int_ = { .ref = { .gt = TEST_MODEL_FIELD_B_INT } }), &n), "P2019",
          "Expected a referenced scalar field of type Int but found TestModel.bInt of type BigInt.");
    FAILS(test_model_count(db, W(.string = { .ref = { .contains = TEST_MODEL_FIELD_DEC } }), &n), "P2019",
          "of type String but found TestModel.dec of type Decimal.");
    FAILS(test_model_count(db, W(.color = { .ref = { .equals = TEST_MODEL_FIELD_STRING } }), &n), "P2019",
          "of type Color but found TestModel.string of type String.");
    int64_t count = -1;
    FAILS(test_model_delete_many(db, W(.bool_ = { .ref = { .not_ = TEST_MODEL_FIELD_BYTES } }), &count), "P2019",
          "of type Boolean but found TestModel.bytes of type Bytes.");
    ck_assert_int_eq(n_sql, 0);
}
END_TEST

/* A reference works in every where: count, update_many, delete_many, OR,
 * and on another model; each shape is its own cached statement. */
START_TEST(refs_in_every_where)
{
    common_types();
    int64_t n = -1;
    OK(test_model_count(db, W(.int2 = { .ref = { .gt = TEST_MODEL_FIELD_M_INT } }), &n));
    ck_assert_int_eq(n, 1);
    OK(test_model_count(db, W(.int2 = { .ref = { .lt = TEST_MODEL_FIELD_M_INT } }), &n));
    ck_assert_int_eq(n, 0);
    OK(test_model_count(db, W(.int2 = { .ref = { .equals = TEST_MODEL_FIELD_M_INT } }), &n));
    ck_assert_int_eq(n, 1);
    OK(test_model_count(db, W(.int2 = { .ref = { .equals = TEST_MODEL_FIELD_ID } }), &n));
    ck_assert_int_eq(n, 2);
    IDS("1,3", .OR = (TestModelWhereInput[]){ { .string2 = { .ref = { .equals = S } } }, { .int_ = { .is_null = true } } },
        .OR_len = 2);
    OK(test_model_update_many(db, W(.float2 = { .ref = { .gt = TEST_MODEL_FIELD_M_FLOAT } }),
                              &(TestModelUpdateInput){ .string = "changed" }, &n));
    ck_assert_int_eq(n, 1);
    IDS("2", .string = { .equals = "changed" });
    OK(test_model_delete_many(db, W(.dt2 = { .ref = { .equals = TEST_MODEL_FIELD_DT } }), &n));
    ck_assert_int_eq(n, 1);
    ck_assert_str_eq(ids(NULL), "2,3");
    /* Another model: Child.name against Child.other. */
    OK(child_create(db, &(ChildCreateInput){ .id = PRISMA_INT(1), .name = "x", .other = "x", .test = { .connect = &(TestModelWhereUniqueInput){ .id = PRISMA_INT(2) } } }, NULL));
    OK(child_create(db, &(ChildCreateInput){ .id = PRISMA_INT(2), .name = "x", .other = "y", .test = { .connect = &(TestModelWhereUniqueInput){ .id = PRISMA_INT(2) } } }, NULL));
    OK(child_count(db, &(ChildWhereInput){ .name = { .ref = { .equals = CHILD_FIELD_OTHER } } }, &n));
    ck_assert_int_eq(n, 1);
    OK(child_count(db, &(ChildWhereInput){ .name = { .ref = { .lt = CHILD_FIELD_OTHER } } }, &n));
    ck_assert_int_eq(n, 1);
    /* In a transaction and a batch too. */
    prisma_batch *b = NULL;
    int64_t c1 = -1;
    OK(prisma_batch_new(db, &b));
    OK(child_batch_count(b, &(ChildWhereInput){ .name = { .ref = { .not_ = CHILD_FIELD_OTHER } } }, &c1));
    OK(prisma_batch_run(b, NULL, NULL));
    prisma_batch_free(b);
    ck_assert_int_eq(c1, 1);
}
END_TEST

/* ---- full-text search: search_filter.rs (search_filter_without_index) ---- */

static bool fts(void)
{
    return prisma_client_schema(db)->full_text_search;
}

static void search_refused(void);

static void search_data(void)
{
    OK(search_model_create(db, &(SearchModelCreateInput){ .id = PRISMA_INT(1), .fieldA = "Chicken Masala",
                                                          .fieldB = "Chicken, Rice, Masala Sauce" }, NULL));
    OK(search_model_create(db, &(SearchModelCreateInput){ .id = PRISMA_INT(2), .fieldA = "Chicken Curry",
                                                          .fieldB = "Chicken, Curry" }, NULL));
    OK(search_model_create(db, &(SearchModelCreateInput){ .id = PRISMA_INT(3), .fieldA = "Caesar Salad",
                                                          .fieldB = "Salad, Chicken, Caesar Sauce", .fieldC = "Chicken" }, NULL));
    OK(search_model_create(db, &(SearchModelCreateInput){ .id = PRISMA_INT(4), .fieldA = "Beef Sandwich",
                                                          .fieldB = "Bread, Beef", .fieldC = "Beef" }, NULL));
}

static const char *sids(const SearchModelWhereInput *where)
{
    static char out[8][64];
    static unsigned next;
    char *o = out[next++ % 8];
    SearchModelList *l = NULL;
    OK(search_model_find_many(db, &(SearchModelFindManyArgs){ .where = where, .order_by = &(SearchModelOrderByInput){ .id = PRISMA_ASC },
                                                             .order_by_len = 1 },
                              &l));
    o[0] = '\0';
    for (size_t i = 0; i < l->len; i++)
        snprintf(o + strlen(o), 64 - strlen(o), "%s%d", i ? "," : "", l->items[i].id);
    search_model_list_free(l);
    return o;
}
#define SW(...) (&(SearchModelWhereInput){ __VA_ARGS__ })
#define SIDS(expected, ...) ck_assert_str_eq(sids(SW(__VA_ARGS__)), expected)

/* search_filter.rs::search_single_field */
START_TEST(search_single_field)
{
    search_data();
    if (!fts()) {
        search_refused();
        return;
    }
    SIDS("1,2", .fieldA = { .search = "Chicken" });
}
END_TEST

/* search_filter.rs::search_many_fields (searched together: one document) */
START_TEST(search_many_fields)
{
    search_data();
    if (!fts()) {
        search_refused();
        return;
    }
    n_sql = 0;
    prisma_set_trace(db, on_sql, NULL);
    SIDS("1,2,3", .fieldA = { .search = "Chicken" }, .fieldB = { .search = "Chicken" });
    ck_assert_int_eq(n_sql, 1);
    ck_assert_msg(strstr(last_sql, "to_tsvector(concat_ws(' ', \"SearchModel\".\"fieldA\", \"SearchModel\".\"fieldB\")) @@ to_tsquery(?)") ||
                      strstr(last_sql, "to_tsvector(concat_ws(' ', \"fieldA\", \"fieldB\")) @@ to_tsquery(?)"),
                  "%s", last_sql);
}
END_TEST

/* search_filter.rs::search_nullable_field */
START_TEST(search_nullable_field)
{
    search_data();
    if (!fts()) {
        search_refused();
        return;
    }
    SIDS("1,2,3", .fieldA = { .search = "Chicken" }, .fieldC = { .search = "Chicken" });
}
END_TEST

/* search_filter.rs::search_with_other_filters */
START_TEST(search_with_other_filters)
{
    search_data();
    if (!fts()) {
        search_refused();
        return;
    }
    SIDS("1", .fieldA = { .search = "Chicken", .starts_with = "Chicken" }, .fieldB = { .search = "Chicken" },
         .id = { .equals = PRISMA_INT(1) });
}
END_TEST

/* search_filter.rs::search_many_fields_not */
START_TEST(search_many_fields_not)
{
    search_data();
    if (!fts()) {
        search_refused();
        return;
    }
    SIDS("3,4", .NOT = (SearchModelWhereInput[]){ { .fieldA = { .search = "Chicken" } }, { .fieldB = { .search = "Carrot" } } },
         .NOT_len = 2);
}
END_TEST

/* search_filter.rs::ensure_filter_tree_shake_works */
START_TEST(search_filter_tree_shake)
{
    search_data();
    if (!fts()) {
        search_refused();
        return;
    }
    SIDS("1,2", .AND = (SearchModelWhereInput[]){
                    { .fieldA = { .search = "Chicken", .starts_with = "Chicken" } },
                    { .OR = (SearchModelWhereInput[]){ { .fieldB = { .search = "Chicken" } }, { .id = { .equals = PRISMA_INT(3) } } },
                      .OR_len = 2 } },
         .AND_len = 2);
    SIDS("3", .AND = (SearchModelWhereInput[]){
                  { .NOT = (SearchModelWhereInput[]){ { .fieldA = { .search = "Chicken" } }, { .fieldB = { .search = "Beef" } } },
                    .NOT_len = 2 },
                  { .fieldA = { .search = "Salad" } } },
         .AND_len = 2);
}
END_TEST

/* The query text is to_tsquery's, bound; different texts are separate conditions. */
START_TEST(search_operators_and_texts)
{
    search_data();
    if (!fts()) {
        search_refused();
        return;
    }
    SIDS("1", .fieldA = { .search = "Chicken & Masala" });
    SIDS("1,2,4", .fieldA = { .search = "Masala | Curry | Beef" });
    SIDS("3,4", .fieldA = { .search = "!Chicken" });
    SIDS("1", .fieldA = { .search = "Chicken" }, .fieldB = { .search = "Rice" });
    SIDS("", .fieldA = { .search = "it's" });
}
END_TEST

/* Where the schema has no fullTextSearchPostgres (SQLite: Prisma refuses
 * the feature there), `search` is an unknown argument: P2009, nothing sent.
 * The search tests assert this instead where the schema has no search. */
static void search_refused(void)
{
    n_sql = 0;
    prisma_set_trace(db, on_sql, NULL);
    SearchModelList *l = NULL;
    FAILS(search_model_find_many(db, &(SearchModelFindManyArgs){ .where = SW(.fieldA = { .search = "Chicken" }) }, &l),
          "P2009", "Unknown argument `search`");
    ck_assert_int_eq(n_sql, 0);
}

START_TEST(search_null_is_refused)
{
    SearchModelList *l = NULL;
    FAILS(search_model_find_many(db, &(SearchModelFindManyArgs){ .where = SW(.fieldA = { .search = PRISMA_NULL }) }, &l),
          "P2009", "search");
}
END_TEST


#if defined(MISC_LISTS)
/* ---- `in` / `not_in` a list field (where the database has lists) ---- */

/* field_reference/setup.rs::test_data_common_mixed_types. Row 3 is written
 * by raw SQL, as Prisma's `createOneTestModel(data: { id: 3 })` leaves its
 * lists NULL (the generated client writes empty lists). */
static void mixed_types(void)
{
    OK(mixed_model_create(db, &(MixedModelCreateInput){
        .id = PRISMA_INT(1), .string = "a", .string2 = PRISMA_STRINGS("a"), .int_ = PRISMA_INT(1), .int2 = PRISMA_INTS(1),
        .bInt = PRISMA_BIGINT(1), .bInt2 = PRISMA_BIGINTS(1), .float_ = PRISMA_FLOAT(1.5), .float2 = PRISMA_FLOATS(1.5),
        .dt = PRISMA_DATETIME(dt_1900), .dt2 = PRISMA_DATETIMES(dt_1900), .dec = "1.2", .dec2 = PRISMA_STRINGS("1.2"),
        .color = COLOR_RED, .color2 = PRISMA_ENUMS(COLOR_RED) }, NULL));
    OK(mixed_model_create(db, &(MixedModelCreateInput){
        .id = PRISMA_INT(2), .string = "a", .string2 = PRISMA_STRINGS("b"), .int_ = PRISMA_INT(1), .int2 = PRISMA_INTS(2),
        .bInt = PRISMA_BIGINT(1), .bInt2 = PRISMA_BIGINTS(2), .float_ = PRISMA_FLOAT(1.5), .float2 = PRISMA_FLOATS(2.4),
        .dt = PRISMA_DATETIME(dt_1900), .dt2 = PRISMA_DATETIMES(dt_1901), .dec = "1.2", .dec2 = PRISMA_STRINGS("2.4"),
        .color = COLOR_RED, .color2 = PRISMA_ENUMS(COLOR_GREEN) }, NULL));
    int64_t n = 0;
    OK(prisma_execute_raw(db, "INSERT INTO \"MixedModel\" (\"id\") VALUES ($1)", (prisma_raw_value[]){ PRISMA_RAW_INT_V(3) }, 1, &n));
}

static const char *mids(const MixedModelWhereInput *where)
{
    static char out[8][64];
    static unsigned next;
    char *o = out[next++ % 8];
    MixedModelList *l = NULL;
    OK(mixed_model_find_many(db, &(MixedModelFindManyArgs){ .where = where, .order_by = &(MixedModelOrderByInput){ .id = PRISMA_ASC },
                                                           .order_by_len = 1 },
                             &l));
    o[0] = '\0';
    for (size_t i = 0; i < l->len; i++)
        snprintf(o + strlen(o), 64 - strlen(o), "%s%d", i ? "," : "", l->items[i].id);
    mixed_model_list_free(l);
    return o;
}
#define MW(...) (&(MixedModelWhereInput){ __VA_ARGS__ })
/* <type>_filter.rs::inclusion_filter: in, notIn, not: { in } (as NOT). */
#define INCLUSION(a, A2)                                                                         \
    do {                                                                                         \
        mixed_types();                                                                           \
        ck_assert_str_eq(mids(MW(.a = { .ref = { .in = A2 } })), "1");                           \
        ck_assert_str_eq(mids(MW(.a = { .ref = { .not_in = A2 } })), "2");                       \
        ck_assert_str_eq(mids(MW(.NOT = MW(.a = { .ref = { .in = A2 } }), .NOT_len = 1)), "2");  \
    } while (0)

/* field_reference/int_filter.rs::inclusion_filter */
START_TEST(int_inclusion_filter) { INCLUSION(int_, MIXED_MODEL_FIELD_INT2); }
END_TEST
/* field_reference/bigint_filter.rs::inclusion_filter */
START_TEST(bigint_inclusion_filter) { INCLUSION(bInt, MIXED_MODEL_FIELD_B_INT2); }
END_TEST
/* field_reference/float_filter.rs::inclusion_filter */
START_TEST(float_inclusion_filter) { INCLUSION(float_, MIXED_MODEL_FIELD_FLOAT2); }
END_TEST
/* field_reference/datetime_filter.rs::inclusion_filter */
START_TEST(datetime_inclusion_filter) { INCLUSION(dt, MIXED_MODEL_FIELD_DT2); }
END_TEST
/* field_reference/decimal_filter.rs::inclusion_filter */
START_TEST(decimal_inclusion_filter) { INCLUSION(dec, MIXED_MODEL_FIELD_DEC2); }
END_TEST
/* field_reference/string_filter.rs::inclusion_filter_sensitive */
START_TEST(string_inclusion_filter_sensitive) { INCLUSION(string, MIXED_MODEL_FIELD_STRING2); }
END_TEST
/* Enums: in / not_in an enum list. */
START_TEST(enum_inclusion_filter) { INCLUSION(color, MIXED_MODEL_FIELD_COLOR2); }
END_TEST

/* field_reference/failure.rs::field_of_different_arity_fails (and `in` a scalar field) */
START_TEST(field_of_different_arity_fails)
{
    n_sql = 0;
    prisma_set_trace(db, on_sql, NULL);
    int64_t n = -1;
    FAILS(mixed_model_count(db, MW(.string = { .ref = { .equals = MIXED_MODEL_FIELD_STRING2 } }), &n), "P2019",
          "Expected a referenced scalar field of type String but found MixedModel.string2 of type String[].");
    FAILS(mixed_model_count(db, MW(.int_ = { .ref = { .in = MIXED_MODEL_FIELD_M_INT } }), &n), "P2019",
          "Expected a referenced scalar field of type Int[] but found MixedModel.int of type Int.");
    FAILS(mixed_model_count(db, MW(.int_ = { .ref = { .in = MIXED_MODEL_FIELD_B_INT2 } }), &n), "P2019",
          "of type Int[] but found MixedModel.bInt2 of type BigInt[].");
    ck_assert_int_eq(n_sql, 0);
}
END_TEST
#endif

void raw_tests(TCase *tc, const testdb_backend *b);

static void add_tests(TCase *tc, const testdb_backend *b)
{
    tcase_add_test(tc, int_basic_where);
    tcase_add_test(tc, int_numeric_comparison_filters);
    tcase_add_test(tc, bigint_basic_where);
    tcase_add_test(tc, bigint_numeric_comparison_filters);
    tcase_add_test(tc, float_basic_where);
    tcase_add_test(tc, float_numeric_comparison_filters);
    tcase_add_test(tc, datetime_basic_where);
    tcase_add_test(tc, datetime_numeric_comparison_filters);
    tcase_add_test(tc, decimal_basic_where);
    tcase_add_test(tc, decimal_numeric_comparison_filters);
    tcase_add_test(tc, string_basic_where_sensitive);
    tcase_add_test(tc, string_numeric_comparison_filters_sensitive);
    tcase_add_test(tc, bytes_basic_where);
    tcase_add_test(tc, enum_basic_where);
    tcase_add_test(tc, bool_basic_where);
    tcase_add_test(tc, string_basic_where_insensitive);
    tcase_add_test(tc, string_numeric_comparison_filters_insensitive);
    tcase_add_test(tc, string_comparison_filters_sensitive);
    tcase_add_test(tc, string_comparison_filters_insensitive);
    tcase_add_test(tc, string_ref_wildcards_are_literal);
    tcase_add_test(tc, unknown_field_fails);
    tcase_add_test(tc, fields_of_different_type_fail);
    tcase_add_test(tc, refs_in_every_where);
    /* Where the schema's generator has no search (SQLite), each asserts the refusal. */
    tcase_add_test(tc, search_single_field);
    tcase_add_test(tc, search_many_fields);
    tcase_add_test(tc, search_nullable_field);
    tcase_add_test(tc, search_with_other_filters);
    tcase_add_test(tc, search_many_fields_not);
    tcase_add_test(tc, search_filter_tree_shake);
    tcase_add_test(tc, search_operators_and_texts);
    tcase_add_test(tc, search_null_is_refused);
#if defined(MISC_LISTS)
    tcase_add_test(tc, int_inclusion_filter);
    tcase_add_test(tc, bigint_inclusion_filter);
    tcase_add_test(tc, float_inclusion_filter);
    tcase_add_test(tc, datetime_inclusion_filter);
    tcase_add_test(tc, decimal_inclusion_filter);
    tcase_add_test(tc, string_inclusion_filter_sensitive);
    tcase_add_test(tc, enum_inclusion_filter);
    tcase_add_test(tc, field_of_different_arity_fails);
#endif
    raw_tests(tc, b);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "queries_misc", .timeout = 120, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
