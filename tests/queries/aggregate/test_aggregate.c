/* aggregate and group_by (issue 13, items 6 and 7) through the generated
 * client, on every backend. Most cases are ported from prisma-engines'
 * query-engine-tests, queries/aggregation/ (count.rs, sum.rs, avg.rs,
 * min.rs, max.rs, combination_spec.rs, group_by.rs, group_by_having.rs):
 * each test names its source file and test function. The others check what
 * the C API adds: batches, transactions, one statement per call, nothing
 * sent when Prisma refuses the arguments.
 * Schema: tests/queries/aggregate/schema.prisma.in. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

static const char *url;
static prisma_client *db;

static const char *const tables[] = { "TestModel", "Item", "Account" };

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
}

#define OK(call)                                                                                                    \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, prisma_error_code(db) ? prisma_error_code(db) : "-", \
                  prisma_error_message(db))
#define FAILS_WITH(call, code)                                                                                      \
    do {                                                                                                            \
        ck_assert_int_eq((call), PRISMA_ERROR);                                                                     \
        ck_assert_msg(prisma_error_code(db) && strcmp(prisma_error_code(db), (code)) == 0, "%s: %s %s (want %s)", #call, \
                      prisma_error_code(db) ? prisma_error_code(db) : "-", prisma_error_message(db), (code));       \
    } while (0)
#define MESSAGE_HAS(text)                                                                                           \
    ck_assert_msg(strstr(prisma_error_message(db), (text)) != NULL, "message: %s (want %s)", prisma_error_message(db), \
                  (text))
#define DBL_EQ(p, want)                                                                                             \
    do {                                                                                                            \
        ck_assert_ptr_nonnull(p);                                                                                   \
        ck_assert_msg(fabs(*(p) - (want)) < 1e-9, "%s = %.17g, want %.17g", #p, *(p), (double)(want));              \
    } while (0)
#define I64_EQ(p, want)                                                                                             \
    do {                                                                                                            \
        ck_assert_ptr_nonnull(p);                                                                                   \
        ck_assert_int_eq(*(p), (want));                                                                             \
    } while (0)
#define STR_EQ(p, want)                                                                                             \
    do {                                                                                                            \
        ck_assert_ptr_nonnull(p);                                                                                   \
        ck_assert_str_eq((p), (want));                                                                              \
    } while (0)

/* Statements sent, counted by the trace. */
typedef struct trace_log {
    int n;
    char last[4096];
} trace_log;

static void on_sql(void *arg, const char *sql)
{
    trace_log *t = arg;
    t->n++;
    snprintf(t->last, sizeof t->last, "%s", sql);
}

/* ---- rows ---- */

/* A TestModel row: NAN / INT32_MIN / INT64_MIN / NULL leave a field null. */
static void tm(int id, double f, int32_t i, int64_t b, const char *dec, const char *s)
{
    TestModelCreateInput c = { .id = PRISMA_INT(id) };
    if (!isnan(f))
        c.float_ = PRISMA_FLOAT(f);
    if (i != INT32_MIN)
        c.int_ = PRISMA_INT(i);
    if (b != INT64_MIN)
        c.bInt = PRISMA_BIGINT(b);
    c.dec = dec;
    c.string = s;
    OK(test_model_create(db, &c, NULL));
}
#define NONE_F ((double)NAN)
#define NONE_I INT32_MIN
#define NONE_B INT64_MIN

static void item(const char *id, double f, int32_t i, const char *dec)
{
    OK(item_create(db, &(ItemCreateInput){ .id = id, .float_ = PRISMA_FLOAT(f), .int_ = PRISMA_INT(i), .dec = dec },
                   NULL));
}

/* The four rows of the "with query args" cases (ids 1..4). */
static void four_rows(void)
{
    tm(1, 5.5, 5, 5, "5.5", "2");
    tm(2, 4.5, 10, 10, "4.5", "f");
    tm(3, 1.5, 2, 2, "1.5", "z");
    tm(4, 0.0, 1, 1, "0", "g");
}

static const TestModelNumberAggregateInput nums = { .float_ = true, .int_ = true, .bInt = true, .dec = true };
static const TestModelMinMaxAggregateInput mm_nums = { .float_ = true, .int_ = true, .bInt = true, .dec = true,
                                                       .string = true };
static const TestModelCountAggregateInput count_all = { ._all = true };

/* Every aggregate of the numbers under args (its selections replaced). */
static TestModelAggregate *agg_all(TestModelAggregateArgs args)
{
    args._count = &count_all;
    args._sum = &nums;
    args._avg = &nums;
    args._min = &mm_nums;
    args._max = &mm_nums;
    TestModelAggregate *r = NULL;
    OK(test_model_aggregate(db, &args, &r));
    ck_assert_ptr_nonnull(r);
    return r;
}

/* ---- count.rs, sum.rs, avg.rs, min.rs, max.rs ---- */

/* count.rs, sum.rs, avg.rs, min.rs, max.rs: *_no_records (and the decimal
 * modules'): a count of 0 and nulls. */
START_TEST(aggregates_of_no_records)
{
    TestModelAggregate *r = agg_all((TestModelAggregateArgs){ 0 });
    ck_assert_int_eq(r->_count._all, 0);
    ck_assert_ptr_null(r->_sum.int_);
    ck_assert_ptr_null(r->_sum.bInt);
    ck_assert_ptr_null(r->_sum.float_);
    ck_assert_ptr_null(r->_sum.dec);
    ck_assert_ptr_null(r->_avg.int_);
    ck_assert_ptr_null(r->_avg.float_);
    ck_assert_ptr_null(r->_avg.dec);
    ck_assert_ptr_null(r->_min.int_);
    ck_assert_ptr_null(r->_min.bInt);
    ck_assert_ptr_null(r->_max.float_);
    ck_assert_ptr_null(r->_max.dec);
    test_model_aggregate_free(r);
}
END_TEST

/* sum.rs sum_some_records (and decimal_aggregation_sum's). */
START_TEST(sum_some_records)
{
    tm(1, 5.5, 5, 5, "5.5", NULL);
    tm(2, 4.5, 10, 10, "4.5", NULL);
    TestModelAggregate *r = agg_all((TestModelAggregateArgs){ 0 });
    I64_EQ(r->_sum.int_, 15);
    I64_EQ(r->_sum.bInt, 15);
    DBL_EQ(r->_sum.float_, 10.0);
    STR_EQ(r->_sum.dec, "10");
    test_model_aggregate_free(r);
}
END_TEST

/* avg.rs avg_some_records (and decimal_aggregation_avg's). */
START_TEST(avg_some_records)
{
    tm(1, 5.5, 5, 5, "5.5", NULL);
    tm(2, 4.5, 10, 10, "4.5", NULL);
    TestModelAggregate *r = agg_all((TestModelAggregateArgs){ 0 });
    DBL_EQ(r->_avg.int_, 7.5);
    DBL_EQ(r->_avg.bInt, 7.5);
    DBL_EQ(r->_avg.float_, 5.0);
    STR_EQ(r->_avg.dec, "5");
    test_model_aggregate_free(r);
}
END_TEST

/* min.rs min_some_records / max.rs max_some_records. */
START_TEST(min_max_some_records)
{
    tm(1, 5.5, 5, 5, "5.5", NULL);
    tm(2, 4.5, 10, 10, "4.5", NULL);
    TestModelAggregate *r = agg_all((TestModelAggregateArgs){ 0 });
    ck_assert_int_eq(*r->_min.int_, 5);
    ck_assert_int_eq(*r->_max.int_, 10);
    I64_EQ(r->_min.bInt, 5);
    I64_EQ(r->_max.bInt, 10);
    DBL_EQ(r->_min.float_, 4.5);
    DBL_EQ(r->_max.float_, 5.5);
    STR_EQ(r->_min.dec, "4.5");
    STR_EQ(r->_max.dec, "5.5");
    test_model_aggregate_free(r);
}
END_TEST

/* count.rs count_some_records: _all counts rows, a field its non-null values. */
START_TEST(count_some_records)
{
    tm(1, 5.5, 5, 5, NULL, "a");
    tm(2, NONE_F, 10, NONE_B, NULL, NULL);
    tm(3, NONE_F, NONE_I, NONE_B, NULL, "c");
    TestModelAggregate *r = NULL;
    OK(test_model_aggregate(db, &(TestModelAggregateArgs){ ._count = &(TestModelCountAggregateInput){
                                                                ._all = true, .int_ = true, .string = true,
                                                                .float_ = true, .dec = true } },
                            &r));
    ck_assert_int_eq(r->_count._all, 3);
    ck_assert_int_eq(r->_count.int_, 2);
    ck_assert_int_eq(r->_count.string, 2);
    ck_assert_int_eq(r->_count.float_, 1);
    ck_assert_int_eq(r->_count.dec, 0);
    ck_assert_int_eq(r->_count.id, 0); /* not asked */
    test_model_aggregate_free(r);
}
END_TEST

/* count.rs count_with_all_sorts_of_query_args (a where with an order too) and count_empty_result. */
START_TEST(count_with_all_sorts_of_query_args)
{
    TestModelAggregate *r = NULL;
    static const TestModelCountAggregateInput c = { ._all = true, .string = true, .int_ = true };
    OK(test_model_aggregate(db, &(TestModelAggregateArgs){ ._count = &c }, &r));
    ck_assert_int_eq(r->_count._all, 0);
    ck_assert_int_eq(r->_count.string, 0);
    ck_assert_int_eq(r->_count.int_, 0);
    test_model_aggregate_free(r);
    tm(1, NONE_F, NONE_I, NONE_B, NULL, "1");
    tm(2, NONE_F, NONE_I, NONE_B, NULL, "2");
    tm(3, NONE_F, NONE_I, NONE_B, NULL, "3");
    tm(4, NONE_F, NONE_I, NONE_B, NULL, "4");
    struct {
        TestModelAggregateArgs args;
        int64_t count;
    } cases[] = {
        { { .take = PRISMA_TAKE(2) }, 2 },
        { { .take = PRISMA_TAKE(5) }, 4 },
        { { .take = PRISMA_TAKE(-5) }, 4 },
        { { .where = &(TestModelWhereInput){ .string = { .gt = "2" } } }, 2 },
        { { .where = &(TestModelWhereInput){ .string = { .gt = "1" } },
            .order_by = &(TestModelOrderByInput){ .string = PRISMA_DESC }, .order_by_len = 1 }, 3 },
        { { .skip = 2 }, 2 },
        { { .cursor = &(TestModelWhereUniqueInput){ .id = PRISMA_INT(2) } }, 3 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cases[i].args._count = &c;
        OK(test_model_aggregate(db, &cases[i].args, &r));
        ck_assert_msg(r->_count._all == cases[i].count, "case %zu: %lld", i, (long long)r->_count._all);
        ck_assert_int_eq(r->_count.string, cases[i].count);
        ck_assert_int_eq(r->_count.int_, 0);
        test_model_aggregate_free(r);
    }
}
END_TEST

/* sum.rs, avg.rs, min.rs, max.rs, count.rs *_with_all_sorts_of_query_args:
 * take 2, take 5, take -5, where, skip 2, cursor 3 (the aggregates apply to
 * the rows those pick). */
START_TEST(aggregates_with_all_sorts_of_query_args)
{
    four_rows();
    struct {
        TestModelAggregateArgs args;
        int64_t count, isum;
        double fsum, iavg, favg;
        int32_t imin, imax;
        const char *dsum, *davg, *smin, *smax;
    } cases[] = {
        { { .take = PRISMA_TAKE(2) }, 2, 15, 10.0, 7.5, 5.0, 5, 10, "10", "5", "2", "f" },
        { { .take = PRISMA_TAKE(5) }, 4, 18, 11.5, 4.5, 2.875, 1, 10, "11.5", "2.875", "2", "z" },
        { { .take = PRISMA_TAKE(-5) }, 4, 18, 11.5, 4.5, 2.875, 1, 10, "11.5", "2.875", "2", "z" },
        { { .where = &(TestModelWhereInput){ .id = { .gt = PRISMA_INT(2) } } }, 2, 3, 1.5, 1.5, 0.75, 1, 2, "1.5", "0.75",
          "g", "z" },
        { { .skip = 2 }, 2, 3, 1.5, 1.5, 0.75, 1, 2, "1.5", "0.75", "g", "z" },
        { { .cursor = &(TestModelWhereUniqueInput){ .id = PRISMA_INT(3) } }, 2, 3, 1.5, 1.5, 0.75, 1, 2, "1.5", "0.75",
          "g", "z" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TestModelAggregate *r = agg_all(cases[i].args);
        ck_assert_msg(r->_count._all == cases[i].count, "case %zu: count %lld", i, (long long)r->_count._all);
        I64_EQ(r->_sum.int_, cases[i].isum);
        I64_EQ(r->_sum.bInt, cases[i].isum);
        DBL_EQ(r->_sum.float_, cases[i].fsum);
        DBL_EQ(r->_avg.int_, cases[i].iavg);
        DBL_EQ(r->_avg.float_, cases[i].favg);
        ck_assert_int_eq(*r->_min.int_, cases[i].imin);
        ck_assert_int_eq(*r->_max.int_, cases[i].imax);
        STR_EQ(r->_sum.dec, cases[i].dsum);
        STR_EQ(r->_avg.dec, cases[i].davg);
        STR_EQ(r->_min.string, cases[i].smin);
        STR_EQ(r->_max.string, cases[i].smax);
        test_model_aggregate_free(r);
    }
}
END_TEST

/* ---- combination_spec.rs ---- */

static ItemAggregate *item_all(ItemAggregateArgs args)
{
    static const ItemNumberAggregateInput n = { .float_ = true, .int_ = true, .dec = true };
    static const ItemMinMaxAggregateInput mm = { .float_ = true, .int_ = true, .dec = true };
    args._count = &(ItemCountAggregateInput){ ._all = true };
    args._sum = &n;
    args._avg = &n;
    args._min = &mm;
    args._max = &mm;
    ItemAggregate *r = NULL;
    OK(item_aggregate(db, &args, &r));
    return r;
}

/* combination_spec.rs combinations::no_records and decimal_combinations::no_records. */
START_TEST(combinations_no_records)
{
    ItemAggregate *r = item_all((ItemAggregateArgs){ 0 });
    ck_assert_int_eq(r->_count._all, 0);
    ck_assert_ptr_null(r->_sum.float_);
    ck_assert_ptr_null(r->_sum.int_);
    ck_assert_ptr_null(r->_sum.dec);
    ck_assert_ptr_null(r->_avg.float_);
    ck_assert_ptr_null(r->_avg.dec);
    ck_assert_ptr_null(r->_min.int_);
    ck_assert_ptr_null(r->_max.float_);
    ck_assert_ptr_null(r->_max.dec);
    item_aggregate_free(r);
}
END_TEST

/* combination_spec.rs combinations::some_records and decimal_combinations::some_records
 * (columns under @map names). */
START_TEST(combinations_some_records)
{
    item("a", 5.5, 5, "5.5");
    item("b", 4.5, 10, "4.5");
    ItemAggregate *r = item_all((ItemAggregateArgs){ 0 });
    ck_assert_int_eq(r->_count._all, 2);
    DBL_EQ(r->_sum.float_, 10.0);
    I64_EQ(r->_sum.int_, 15);
    DBL_EQ(r->_avg.float_, 5.0);
    DBL_EQ(r->_avg.int_, 7.5);
    DBL_EQ(r->_min.float_, 4.5);
    ck_assert_int_eq(*r->_min.int_, 5);
    DBL_EQ(r->_max.float_, 5.5);
    ck_assert_int_eq(*r->_max.int_, 10);
    STR_EQ(r->_sum.dec, "10");
    STR_EQ(r->_avg.dec, "5");
    STR_EQ(r->_min.dec, "4.5");
    STR_EQ(r->_max.dec, "5.5");
    item_aggregate_free(r);
}
END_TEST

/* combination_spec.rs combinations::with_query_args and decimal_combinations::with_query_args. */
START_TEST(combinations_with_query_args)
{
    item("1", 5.5, 5, "5.5");
    item("2", 4.5, 10, "4.5");
    item("3", 1.5, 2, "1.5");
    item("4", 0, 1, "0");
    struct {
        ItemAggregateArgs args;
        int64_t count, isum;
        double fmin;
        const char *dmin, *davg;
    } cases[] = {
        { { .take = PRISMA_TAKE(2) }, 2, 15, 4.5, "4.5", "5" },
        { { .take = PRISMA_TAKE(5) }, 4, 18, 0.0, "0", "2.875" },
        { { .take = PRISMA_TAKE(-5) }, 4, 18, 0.0, "0", "2.875" },
        { { .where = &(ItemWhereInput){ .id = { .gt = "2" } } }, 2, 3, 0.0, "0", "0.75" },
        { { .skip = 2 }, 2, 3, 0.0, "0", "0.75" },
        { { .cursor = &(ItemWhereUniqueInput){ .id = "3" } }, 2, 3, 0.0, "0", "0.75" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ItemAggregate *r = item_all(cases[i].args);
        ck_assert_msg(r->_count._all == cases[i].count, "case %zu", i);
        I64_EQ(r->_sum.int_, cases[i].isum);
        DBL_EQ(r->_min.float_, cases[i].fmin);
        STR_EQ(r->_min.dec, cases[i].dmin);
        STR_EQ(r->_avg.dec, cases[i].davg);
        item_aggregate_free(r);
    }
}
END_TEST

/* ---- group_by.rs ---- */

static TestModelGroupByList *group(const TestModelGroupByArgs *args)
{
    TestModelGroupByList *l = NULL;
    OK(test_model_group_by(db, args, &l));
    ck_assert_ptr_nonnull(l);
    return l;
}

static const TestModelScalarField by_string[] = { TEST_MODEL_FIELD_STRING };
static const TestModelScalarField by_string_int[] = { TEST_MODEL_FIELD_STRING, TEST_MODEL_FIELD_M_INT };
static const TestModelScalarField by_float[] = { TEST_MODEL_FIELD_M_FLOAT };

/* group_by.rs group_by_no_records. */
START_TEST(group_by_no_records)
{
    static const TestModelScalarField by[] = { TEST_MODEL_FIELD_ID, TEST_MODEL_FIELD_M_FLOAT, TEST_MODEL_FIELD_M_INT };
    TestModelGroupByList *l = group(&(TestModelGroupByArgs){
        .by = by, .by_len = 3, ._count = &(TestModelCountAggregateInput){ .id = true },
        ._sum = &(TestModelNumberAggregateInput){ .int_ = true } });
    ck_assert_uint_eq(l->len, 0);
    test_model_group_by_list_free(l);
}
END_TEST

static void group_rows(void)
{
    tm(1, 10.1, 5, NONE_B, NULL, "group1");
    tm(2, 5.5, 0, NONE_B, NULL, "group1");
    tm(3, 10, 5, NONE_B, NULL, "group2");
    tm(4, 10, 5, NONE_B, NULL, "group3");
}

/* group_by.rs group_by_some_records and group_by_rev_ordering. */
START_TEST(group_by_some_records_and_rev_ordering)
{
    group_rows();
    for (int rev = 0; rev < 2; rev++) {
        TestModelGroupByList *l = group(&(TestModelGroupByArgs){
            .by = by_string, .by_len = 1,
            .order_by = &(TestModelGroupByOrderByInput){ .string = rev ? PRISMA_DESC : PRISMA_ASC }, .order_by_len = 1,
            ._count = &(TestModelCountAggregateInput){ .string = true },
            ._sum = &(TestModelNumberAggregateInput){ .float_ = true } });
        ck_assert_uint_eq(l->len, 3);
        static const char *names[] = { "group1", "group2", "group3" };
        static const int64_t counts[] = { 2, 1, 1 };
        static const double sums[] = { 15.6, 10.0, 10.0 };
        for (size_t i = 0; i < 3; i++) {
            size_t k = rev ? 2 - i : i;
            ck_assert_str_eq(l->items[i].string, names[k]);
            ck_assert_int_eq(l->items[i]._count.string, counts[k]);
            DBL_EQ(l->items[i]._sum.float_, sums[k]);
            ck_assert_ptr_null(l->items[i].float_); /* not a `by` field */
        }
        test_model_group_by_list_free(l);
    }
}
END_TEST

/* group_by.rs group_by_multiple_ordering. */
START_TEST(group_by_multiple_ordering)
{
    group_rows();
    tm(5, 15, 5, NONE_B, NULL, "group3");
    TestModelGroupByList *l = group(&(TestModelGroupByArgs){
        .by = by_string_int, .by_len = 2,
        .order_by = (TestModelGroupByOrderByInput[]){ { .string = PRISMA_DESC }, { .int_ = PRISMA_ASC } },
        .order_by_len = 2, ._count = &(TestModelCountAggregateInput){ .string = true },
        ._sum = &(TestModelNumberAggregateInput){ .float_ = true },
        ._min = &(TestModelMinMaxAggregateInput){ .int_ = true } });
    ck_assert_uint_eq(l->len, 4);
    static const char *names[] = { "group3", "group2", "group1", "group1" };
    static const int64_t counts[] = { 2, 1, 1, 1 };
    static const double sums[] = { 25.0, 10.0, 5.5, 10.1 };
    static const int32_t mins[] = { 5, 5, 0, 5 };
    for (size_t i = 0; i < 4; i++) {
        ck_assert_str_eq(l->items[i].string, names[i]);
        ck_assert_int_eq(*l->items[i].int_, mins[i]);
        ck_assert_int_eq(l->items[i]._count.string, counts[i]);
        DBL_EQ(l->items[i]._sum.float_, sums[i]);
        ck_assert_int_eq(*l->items[i]._min.int_, mins[i]);
    }
    test_model_group_by_list_free(l);
}
END_TEST

/* group_by.rs group_by_take_skip. */
START_TEST(group_by_take_skip)
{
    tm(1, 10.1, 5, NONE_B, NULL, "group1");
    tm(3, 10, 5, NONE_B, NULL, "group2");
    tm(4, 10, 5, NONE_B, NULL, "group3");
    tm(5, 15, 5, NONE_B, NULL, "group3");
    struct {
        int64_t take, skip;
        size_t n;
        const char *first;
        int64_t count;
        double sum;
    } cases[] = { { 1, 1, 1, "group2", 1, 10.0 }, { -1, 2, 1, "group3", 2, 25.0 }, { 2, 1, 2, "group2", 1, 10.0 } };
    for (size_t i = 0; i < 3; i++) {
        TestModelGroupByList *l = group(&(TestModelGroupByArgs){
            .by = by_string_int, .by_len = 2, .order_by = &(TestModelGroupByOrderByInput){ .string = PRISMA_DESC },
            .order_by_len = 1, .take = PRISMA_TAKE(cases[i].take), .skip = cases[i].skip,
            ._count = &(TestModelCountAggregateInput){ .string = true },
            ._sum = &(TestModelNumberAggregateInput){ .float_ = true },
            ._min = &(TestModelMinMaxAggregateInput){ .int_ = true } });
        ck_assert_uint_eq(l->len, cases[i].n);
        ck_assert_str_eq(l->items[0].string, cases[i].first);
        ck_assert_int_eq(l->items[0]._count.string, cases[i].count);
        DBL_EQ(l->items[0]._sum.float_, cases[i].sum);
        if (cases[i].n == 2) {
            ck_assert_str_eq(l->items[1].string, "group1");
            DBL_EQ(l->items[1]._sum.float_, 10.1);
        }
        test_model_group_by_list_free(l);
    }
}
END_TEST

/* group_by.rs group_by_scalar_filters: where applies before grouping. */
START_TEST(group_by_scalar_filters)
{
    group_rows();
    tm(5, 15, 5, NONE_B, NULL, "group3");
    TestModelGroupByList *l = group(&(TestModelGroupByArgs){
        .by = by_string_int, .by_len = 2, .order_by = &(TestModelGroupByOrderByInput){ .string = PRISMA_DESC },
        .order_by_len = 1,
        .where = &(TestModelWhereInput){ .int_ = { .equals = PRISMA_INT(5) }, .float_ = { .lt = PRISMA_FLOAT(15) } },
        ._count = &(TestModelCountAggregateInput){ .string = true },
        ._sum = &(TestModelNumberAggregateInput){ .float_ = true } });
    ck_assert_uint_eq(l->len, 3);
    static const char *names[] = { "group3", "group2", "group1" };
    static const double sums[] = { 10.0, 10.0, 10.1 };
    for (size_t i = 0; i < 3; i++) {
        ck_assert_str_eq(l->items[i].string, names[i]);
        ck_assert_int_eq(l->items[i]._count.string, 1);
        DBL_EQ(l->items[i]._sum.float_, sums[i]);
    }
    test_model_group_by_list_free(l);
}
END_TEST

static void ordering_rows(void)
{
    tm(1, 1.1, 1, NONE_B, NULL, "group1");
    tm(2, 1.1, 2, NONE_B, NULL, "group1");
    tm(3, 1.1, 3, NONE_B, NULL, "group2");
    tm(4, 4.0, 3, NONE_B, NULL, "group3");
}

/* group_by.rs group_by_ordering_{count,sum,avg,min,max}_aggregation: by
 * float, ordered by an aggregate of float, both ways. */
START_TEST(group_by_ordering_by_each_aggregate)
{
    ordering_rows();
    for (int agg = 0; agg < 5; agg++) {
        for (int desc = 0; desc < 2; desc++) {
            TestModelGroupByOrderByInput ob = { 0 };
            prisma_sort s = desc ? PRISMA_DESC : PRISMA_ASC;
            TestModelOrderByInput *o[] = { &ob._count, &ob._sum, &ob._avg, &ob._min, &ob._max };
            o[agg]->float_ = s;
            TestModelGroupByList *l = group(&(TestModelGroupByArgs){
                .by = by_float, .by_len = 1, .order_by = &ob, .order_by_len = 1,
                ._count = &(TestModelCountAggregateInput){ .float_ = true },
                ._sum = &(TestModelNumberAggregateInput){ .float_ = true },
                ._avg = &(TestModelNumberAggregateInput){ .float_ = true },
                ._min = &(TestModelMinMaxAggregateInput){ .float_ = true },
                ._max = &(TestModelMinMaxAggregateInput){ .float_ = true } });
            ck_assert_uint_eq(l->len, 2);
            /* 1.1 x 3 (count 3, sum 3.3) and 4.0 x 1: every aggregate but
             * count puts 1.1 first ascending; count puts 4.0 first. */
            bool small_first = (agg == 0) == (desc != 0);
            const TestModelGroupBy *g11 = &l->items[small_first ? 0 : 1], *g4 = &l->items[small_first ? 1 : 0];
            DBL_EQ(g11->float_, 1.1);
            DBL_EQ(g4->float_, 4.0);
            ck_assert_int_eq(g11->_count.float_, 3);
            ck_assert_int_eq(g4->_count.float_, 1);
            DBL_EQ(g11->_sum.float_, 3.3);
            DBL_EQ(g11->_avg.float_, 1.1);
            DBL_EQ(g4->_min.float_, 4.0);
            DBL_EQ(g4->_max.float_, 4.0);
            test_model_group_by_list_free(l);
        }
    }
}
END_TEST

static void multiple_fields_rows(void)
{
    tm(1, 1.1, 1, NONE_B, NULL, "group1");
    tm(2, 1.1, 1, NONE_B, NULL, "group1");
    tm(3, 1.1, 1, NONE_B, NULL, "group2");
    tm(4, 3.0, 3, NONE_B, NULL, "group3");
    tm(5, 4.0, 4, NONE_B, NULL, "group3");
}

/* group_by.rs group_by_ordering_aggr_multiple_fields and group_by_ordering_aggr_and_having. */
START_TEST(group_by_ordering_aggr_multiple_fields_and_having)
{
    multiple_fields_rows();
    static const TestModelScalarField by[] = { TEST_MODEL_FIELD_M_FLOAT, TEST_MODEL_FIELD_M_INT };
    for (int having = 0; having < 2; having++) {
        TestModelGroupByOrderByInput ob[2] = { 0 };
        ob[0]._count.float_ = PRISMA_DESC;
        ob[1]._sum.int_ = PRISMA_ASC;
        TestModelGroupByList *l = group(&(TestModelGroupByArgs){
            .by = by, .by_len = 2, .order_by = ob, .order_by_len = 2,
            .having = having ? &(TestModelScalarWhereWithAggregatesInput){ .float_ = { .lt = PRISMA_FLOAT(4) } } : NULL,
            ._count = &(TestModelCountAggregateInput){ .float_ = true },
            ._sum = &(TestModelNumberAggregateInput){ .int_ = true } });
        ck_assert_uint_eq(l->len, having ? 2 : 3);
        static const double floats[] = { 1.1, 3.0, 4.0 };
        static const int64_t counts[] = { 3, 1, 1 }, sums[] = { 3, 3, 4 };
        for (size_t i = 0; i < l->len; i++) {
            DBL_EQ(l->items[i].float_, floats[i]);
            ck_assert_int_eq(l->items[i]._count.float_, counts[i]);
            I64_EQ(l->items[i]._sum.int_, sums[i]);
        }
        test_model_group_by_list_free(l);
    }
}
END_TEST

/* group_by.rs group_by_ordering_aggr_without_selecting. */
START_TEST(group_by_ordering_aggr_without_selecting)
{
    tm(1, 1.1, 1, NONE_B, NULL, "group1");
    tm(2, 1.1, 1, NONE_B, NULL, "group1");
    tm(3, 1.1, 1, NONE_B, NULL, "group2");
    TestModelGroupByOrderByInput ob = { 0 };
    ob._count.float_ = PRISMA_DESC;
    TestModelGroupByList *l = group(&(TestModelGroupByArgs){
        .by = by_float, .by_len = 1, .order_by = &ob, .order_by_len = 1,
        ._sum = &(TestModelNumberAggregateInput){ .int_ = true } });
    ck_assert_uint_eq(l->len, 1);
    I64_EQ(l->items[0]._sum.int_, 3);
    ck_assert_int_eq(l->items[0]._count.float_, 0); /* ordered by, not asked */
    test_model_group_by_list_free(l);
}
END_TEST

/* group_by.rs group_by_without_by_selection, group_by_by_args_order_by and
 * group_by_empty_aggregation_selection; group_by_having.rs
 * having_filter_mismatch_selection; combination_spec.rs unstable_cursor:
 * refused before anything is sent. */
START_TEST(refused_arguments_send_nothing)
{
    trace_log log = { 0 };
    prisma_set_trace(db, on_sql, &log);
    TestModelGroupByList *l = NULL;
    FAILS_WITH(test_model_group_by(db, &(TestModelGroupByArgs){ .by = by_string, .by_len = 0 }, &l), "P2019");
    MESSAGE_HAS("At least one selection is required for the `by` argument.");
    FAILS_WITH(test_model_group_by(db, NULL, &l), "P2019");
    static const TestModelScalarField by_int[] = { TEST_MODEL_FIELD_M_INT };
    FAILS_WITH(test_model_group_by(db, &(TestModelGroupByArgs){
                   .by = by_int, .by_len = 1,
                   .order_by = &(TestModelGroupByOrderByInput){ .string = PRISMA_DESC }, .order_by_len = 1,
                   ._count = &(TestModelCountAggregateInput){ .int_ = true } }, &l),
               "P2019");
    MESSAGE_HAS("Every field used for orderBy must be included in the by-arguments of the query. Missing fields: string");
    FAILS_WITH(test_model_group_by(db, &(TestModelGroupByArgs){ .by = by_string, .by_len = 1,
                                                             ._sum = &(TestModelNumberAggregateInput){ 0 } }, &l),
               "P2009");
    MESSAGE_HAS("Expected a minimum of 1 fields to be present, got 0.");
    FAILS_WITH(test_model_group_by(db, &(TestModelGroupByArgs){
                   .by = by_string, .by_len = 1,
                   .having = &(TestModelScalarWhereWithAggregatesInput){ .int_ = { .gt = PRISMA_INT(3) } },
                   ._sum = &(TestModelNumberAggregateInput){ .int_ = true } }, &l),
               "P2019");
    MESSAGE_HAS("Every field used in `having` filters must either be an aggregation filter or be included in the "
                "selection of the query. Missing fields: int");
    /* ...also inside AND / OR / NOT. */
    FAILS_WITH(test_model_group_by(db, &(TestModelGroupByArgs){
                   .by = by_string, .by_len = 1,
                   .having = &(TestModelScalarWhereWithAggregatesInput){
                       .OR = (TestModelScalarWhereWithAggregatesInput[]){ { .int_ = { .gt = PRISMA_INT(3) } } },
                       .OR_len = 1 } }, &l),
               "P2019");
    /* A `by` value that names no field, a negative skip, a null take. */
    static const TestModelScalarField bad_by[] = { (TestModelScalarField)99 };
    FAILS_WITH(test_model_group_by(db, &(TestModelGroupByArgs){ .by = bad_by, .by_len = 1 }, &l), "P2009");
    FAILS_WITH(test_model_group_by(db, &(TestModelGroupByArgs){ .by = by_string, .by_len = 1, .skip = -1 }, &l),
               "P2019");
    FAILS_WITH(test_model_aggregate(db, &(TestModelAggregateArgs){ ._count = &count_all, .skip = -1 }, NULL), "P2019");
    FAILS_WITH(test_model_aggregate(db, &(TestModelAggregateArgs){ ._count = &count_all, .take = PRISMA_BIGINT_NULL },
                                    NULL),
               "P2012");
    /* combination_spec.rs unstable_cursor: a cursor with a non-unique order. */
    FAILS_WITH(test_model_aggregate(db, &(TestModelAggregateArgs){
                   ._count = &count_all, .cursor = &(TestModelWhereUniqueInput){ .id = PRISMA_INT(3) },
                   .order_by = &(TestModelOrderByInput){ .float_ = PRISMA_ASC }, .order_by_len = 1 }, NULL),
               "P2019");
    MESSAGE_HAS("Unable to process combination of query arguments for aggregation query");
    /* Sums of text. */
    TestModelGroupByOrderByInput ob = { 0 };
    ob._sum.string = PRISMA_ASC;
    FAILS_WITH(test_model_group_by(db, &(TestModelGroupByArgs){ .by = by_string, .by_len = 1, .order_by = &ob,
                                                             .order_by_len = 1 }, &l),
               "P2009");
    ck_assert_ptr_null(l);
    ck_assert_int_eq(log.n, 0);
    prisma_set_trace(db, NULL, NULL);
}
END_TEST

/* ---- group_by_having.rs ---- */

/* group_by_having.rs basic_having_scalar_filter. */
START_TEST(basic_having_scalar_filter)
{
    tm(1, 10.1, 5, 12, NULL, "group1");
    tm(2, 5.5, 0, 3, NULL, "group1");
    tm(3, 10, 5, 3, NULL, "group2");
    tm(4, 10, 5, 3, NULL, "group3");
    TestModelGroupByList *l = group(&(TestModelGroupByArgs){
        .by = by_string_int, .by_len = 2,
        .order_by = &(TestModelGroupByOrderByInput){ .string = PRISMA_ASC }, .order_by_len = 1,
        .having = &(TestModelScalarWhereWithAggregatesInput){
            .string = { .in = PRISMA_STRINGS("group1", "group2") }, .int_ = { .equals = PRISMA_INT(5) } },
        ._count = &count_all, ._sum = &(TestModelNumberAggregateInput){ .int_ = true } });
    ck_assert_uint_eq(l->len, 2);
    ck_assert_str_eq(l->items[0].string, "group1");
    ck_assert_str_eq(l->items[1].string, "group2");
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(*l->items[i].int_, 5);
        ck_assert_int_eq(l->items[i]._count._all, 1);
        I64_EQ(l->items[i]._sum.int_, 5);
    }
    test_model_group_by_list_free(l);
}
END_TEST

/* The strings of a group_by by string, ordered by string, under `having`: "group1,group3". */
static const char *having_groups(const TestModelScalarWhereWithAggregatesInput *having)
{
    static char out[256];
    TestModelGroupByList *l = group(&(TestModelGroupByArgs){
        .by = by_string, .by_len = 1, .order_by = &(TestModelGroupByOrderByInput){ .string = PRISMA_ASC },
        .order_by_len = 1, .having = having, ._count = &(TestModelCountAggregateInput){ .int_ = true } });
    out[0] = '\0';
    for (size_t i = 0; i < l->len; i++) {
        strcat(out, i ? "," : "");
        strncat(out, l->items[i].string, sizeof out - strlen(out) - 2);
    }
    test_model_group_by_list_free(l);
    return out;
}

/* group_by_having.rs having_count_scalar_filter. */
START_TEST(having_count_scalar_filter)
{
    tm(1, NONE_F, 1, NONE_B, NULL, "group1");
    tm(2, NONE_F, 2, NONE_B, NULL, "group1");
    tm(3, NONE_F, 3, NONE_B, NULL, "group2");
    tm(4, NONE_F, NONE_I, NONE_B, NULL, "group2");
    tm(5, NONE_F, NONE_I, NONE_B, NULL, "group3");
    tm(6, NONE_F, NONE_I, NONE_B, NULL, "group3");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .int_ = { ._count = { .equals = PRISMA_BIGINT(2) } } }),
                     "group1");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .int_ = { ._count = { .not_ = PRISMA_BIGINT(2) } } }),
                     "group2,group3");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .int_ = { ._count = { .in = PRISMA_BIGINTS(0, 2) } } }),
                     "group1,group3");
}
END_TEST

static void having_rows(double a, double b, double c)
{
    tm(1, a, (int32_t)a, NONE_B, NULL, "group1");
    tm(2, b, (int32_t)b, NONE_B, NULL, "group1");
    tm(3, c, (int32_t)c, NONE_B, NULL, "group2");
    tm(4, NONE_F, NONE_I, NONE_B, NULL, "group2");
    tm(5, NONE_F, NONE_I, NONE_B, NULL, "group3");
    tm(6, NONE_F, NONE_I, NONE_B, NULL, "group3");
}

/* group_by_having.rs having_sum_scalar_filter. */
START_TEST(having_sum_scalar_filter)
{
    having_rows(10, 6, 5);
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .float_ = { ._sum = { .equals = PRISMA_FLOAT(16) } },
                         .int_ = { ._sum = { .equals = PRISMA_BIGINT(16) } } }),
                     "group1");
    /* SQL: a NULL sum (group3) matches neither. */
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .float_ = { ._sum = { .not_ = PRISMA_FLOAT(16) } },
                         .int_ = { ._sum = { .not_ = PRISMA_BIGINT(16) } } }),
                     "group2");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .float_ = { ._sum = { .in = PRISMA_FLOATS(16, 5) } },
                         .int_ = { ._sum = { .in = PRISMA_BIGINTS(16, 5) } } }),
                     "group1,group2");
}
END_TEST

/* group_by_having.rs having_min_scalar_filter. */
START_TEST(having_min_scalar_filter)
{
    having_rows(10, 0, 0);
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .float_ = { ._min = { .equals = PRISMA_FLOAT(0) } },
                         .int_ = { ._min = { .equals = PRISMA_INT(0) } } }),
                     "group1,group2");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .float_ = { ._min = { .not_ = PRISMA_FLOAT(0) } },
                         .int_ = { ._min = { .not_ = PRISMA_INT(0) } } }),
                     "");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .float_ = { ._min = { .in = PRISMA_FLOATS(0) } }, .int_ = { ._min = { .in = PRISMA_INTS(0) } } }),
                     "group1,group2");
}
END_TEST

/* group_by_having.rs having_max_scalar_filter. */
START_TEST(having_max_scalar_filter)
{
    having_rows(10, 0, 10);
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .float_ = { ._max = { .equals = PRISMA_FLOAT(10) } },
                         .int_ = { ._max = { .equals = PRISMA_INT(10) } } }),
                     "group1,group2");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .float_ = { ._max = { .not_ = PRISMA_FLOAT(10) } },
                         .int_ = { ._max = { .not_ = PRISMA_INT(10) } } }),
                     "");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .float_ = { ._max = { .in = PRISMA_FLOATS(10) } },
                         .int_ = { ._max = { .in = PRISMA_INTS(10) } } }),
                     "group1,group2");
}
END_TEST

/* group_by_having.rs decimal_aggregation_group_by_having::having_avg_scalar_filter
 * (the average as exact text). */
START_TEST(having_avg_decimal)
{
    tm(1, NONE_F, NONE_I, NONE_B, "10", "group1");
    tm(2, NONE_F, NONE_I, NONE_B, "6", "group1");
    tm(3, NONE_F, NONE_I, NONE_B, "5", "group2");
    tm(4, NONE_F, NONE_I, NONE_B, NULL, "group2");
    tm(5, NONE_F, NONE_I, NONE_B, NULL, "group3");
    TestModelGroupByList *l = group(&(TestModelGroupByArgs){
        .by = by_string, .by_len = 1, .order_by = &(TestModelGroupByOrderByInput){ .string = PRISMA_ASC },
        .order_by_len = 1, .having = &(TestModelScalarWhereWithAggregatesInput){ .dec = { ._avg = { .gt = "6" } } },
        ._avg = &(TestModelNumberAggregateInput){ .dec = true }, ._sum = &(TestModelNumberAggregateInput){ .dec = true } });
    ck_assert_uint_eq(l->len, 1);
    ck_assert_str_eq(l->items[0].string, "group1");
    STR_EQ(l->items[0]._avg.dec, "8");
    STR_EQ(l->items[0]._sum.dec, "16");
    test_model_group_by_list_free(l);
}
END_TEST

static void decimal_having_rows(const char *a, const char *b, const char *c)
{
    tm(1, NONE_F, NONE_I, NONE_B, a, "group1");
    tm(2, NONE_F, NONE_I, NONE_B, b, "group1");
    tm(3, NONE_F, NONE_I, NONE_B, c, "group2");
    tm(4, NONE_F, NONE_I, NONE_B, NULL, "group2");
    tm(5, NONE_F, NONE_I, NONE_B, NULL, "group3");
    tm(6, NONE_F, NONE_I, NONE_B, NULL, "group3");
}

/* group_by_having.rs decimal_aggregation_group_by_having::having_sum_scalar_filter,
 * having_min_scalar_filter and having_max_scalar_filter: Decimal aggregates
 * filtered with decimal text. */
START_TEST(having_decimal_sum_min_max)
{
    decimal_having_rows("10", "6", "5");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){ .dec = { ._sum = { .equals = "16" } } }),
                     "group1");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){ .dec = { ._sum = { .not_ = "16" } } }),
                     "group2");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .dec = { ._sum = { .in = PRISMA_STRINGS("16", "5") } } }),
                     "group1,group2");
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    decimal_having_rows("10", "0", "0");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){ .dec = { ._min = { .equals = "0" } } }),
                     "group1,group2");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){ .dec = { ._min = { .not_ = "0" } } }), "");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .dec = { ._min = { .in = PRISMA_STRINGS("0") } } }),
                     "group1,group2");
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    decimal_having_rows("10", "0", "10");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){ .dec = { ._max = { .equals = "10" } } }),
                     "group1,group2");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){ .dec = { ._max = { .not_ = "10" } } }),
                     "");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .dec = { ._max = { .in = PRISMA_STRINGS("10") } } }),
                     "group1,group2");
}
END_TEST

/* ---- what the C API adds ---- */

/* AND / OR / NOT in having, over aggregates and `by` fields. */
START_TEST(having_and_or_not)
{
    having_rows(10, 6, 5);
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .OR = (TestModelScalarWhereWithAggregatesInput[]){
                             { .int_ = { ._sum = { .gt = PRISMA_BIGINT(15) } } },
                             { .string = { .equals = "group3" } } },
                         .OR_len = 2 }),
                     "group1,group3");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .NOT = (TestModelScalarWhereWithAggregatesInput[]){ { .int_ = { ._count = { .gt = PRISMA_BIGINT(0) } } } },
                         .NOT_len = 1 }),
                     "group3");
    ck_assert_str_eq(having_groups(&(TestModelScalarWhereWithAggregatesInput){
                         .AND = (TestModelScalarWhereWithAggregatesInput[]){
                             { .float_ = { ._avg = { .gte = PRISMA_FLOAT(5) } } },
                             { .float_ = { ._max = { .lt = PRISMA_FLOAT(10) } } } },
                         .AND_len = 2 }),
                     "group2");
}
END_TEST

/* Min and max of text, booleans, dates and enums, and counts of them. */
START_TEST(min_max_of_other_types)
{
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(1), .string = "b", .bool_ = PRISMA_BOOL(true),
                                                      .dt = PRISMA_DATETIME(2000), .level = LEVEL_MID },
                         NULL));
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(2), .string = "a", .bool_ = PRISMA_BOOL(false),
                                                      .dt = PRISMA_DATETIME(1000), .level = LEVEL_HIGH },
                         NULL));
    OK(test_model_create(db, &(TestModelCreateInput){ .id = PRISMA_INT(3) }, NULL));
    static const TestModelMinMaxAggregateInput mm = { .string = true, .bool_ = true, .dt = true, .level = true,
                                                      .id = true };
    TestModelAggregate *r = NULL;
    OK(test_model_aggregate(db, &(TestModelAggregateArgs){ ._min = &mm, ._max = &mm,
                                                           ._count = &(TestModelCountAggregateInput){
                                                               .bool_ = true, .level = true, .dt = true } },
                            &r));
    STR_EQ(r->_min.string, "a");
    STR_EQ(r->_max.string, "b");
    ck_assert(r->_min.bool_ && !*r->_min.bool_);
    ck_assert(r->_max.bool_ && *r->_max.bool_);
    I64_EQ(r->_min.dt, 1000);
    I64_EQ(r->_max.dt, 2000);
    ck_assert_int_eq(*r->_min.id, 1);
    ck_assert_int_eq(*r->_max.id, 3);
    ck_assert(r->_min.level == LEVEL_MID || r->_min.level == LEVEL_HIGH);
    ck_assert(r->_max.level == LEVEL_MID || r->_max.level == LEVEL_HIGH);
    ck_assert_int_ne(r->_min.level, r->_max.level);
    ck_assert_int_eq(r->_count.bool_, 2);
    ck_assert_int_eq(r->_count.level, 2);
    ck_assert_int_eq(r->_count.dt, 2);
    test_model_aggregate_free(r);
    /* Grouped by an enum and a boolean: optional `by` values, 0 / NULL when null. */
    static const TestModelScalarField by[] = { TEST_MODEL_FIELD_LEVEL, TEST_MODEL_FIELD_M_BOOL };
    TestModelGroupByList *l = group(&(TestModelGroupByArgs){
        .by = by, .by_len = 2, .order_by = &(TestModelGroupByOrderByInput){ .id = PRISMA_SORT_NONE },
        .order_by_len = 0, ._count = &count_all });
    ck_assert_uint_eq(l->len, 3);
    int nulls = 0;
    for (size_t i = 0; i < l->len; i++) {
        ck_assert_int_eq(l->items[i]._count._all, 1);
        if (l->items[i].level == 0) {
            ck_assert_ptr_null(l->items[i].bool_);
            nulls++;
        } else {
            ck_assert_ptr_nonnull(l->items[i].bool_);
            ck_assert(*l->items[i].bool_ == (l->items[i].level == LEVEL_MID));
        }
    }
    ck_assert_int_eq(nulls, 1);
    test_model_group_by_list_free(l);
}
END_TEST

/* One statement per call, whatever the number of rows; take 0 and nothing
 * asked send none. */
START_TEST(one_statement_per_call)
{
    for (int i = 0; i < 50; i++)
        OK(account_create(db, &(AccountCreateInput){ .name = i % 2 ? "odd" : "even", .balance = PRISMA_INT(i) }, NULL));
    trace_log log = { 0 };
    prisma_set_trace(db, on_sql, &log);
    AccountAggregate *r = NULL;
    OK(account_aggregate(db, &(AccountAggregateArgs){ ._count = &(AccountCountAggregateInput){ ._all = true },
                                                      ._sum = &(AccountNumberAggregateInput){ .balance = true } },
                         &r));
    ck_assert_int_eq(log.n, 1);
    ck_assert_int_eq(r->_count._all, 50);
    I64_EQ(r->_sum.balance, 49 * 50 / 2);
    account_aggregate_free(r);
    static const AccountScalarField by[] = { ACCOUNT_FIELD_NAME };
    AccountGroupByList *l = NULL;
    OK(account_group_by(db, &(AccountGroupByArgs){ .by = by, .by_len = 1,
                                                   ._sum = &(AccountNumberAggregateInput){ .balance = true } },
                        &l));
    ck_assert_int_eq(log.n, 2);
    ck_assert_uint_eq(l->len, 2);
    account_group_by_list_free(l);
    /* take 0: no rows, nothing asked. */
    OK(account_aggregate(db, &(AccountAggregateArgs){ .take = PRISMA_TAKE(0),
                                                      ._count = &(AccountCountAggregateInput){ ._all = true } },
                         &r));
    ck_assert_int_eq(r->_count._all, 0);
    account_aggregate_free(r);
    OK(account_group_by(db, &(AccountGroupByArgs){ .by = by, .by_len = 1, .take = PRISMA_TAKE(0) }, &l));
    ck_assert_uint_eq(l->len, 0);
    account_group_by_list_free(l);
    ck_assert_int_eq(log.n, 2);
    /* out NULL: run, result freed. */
    OK(account_aggregate(db, &(AccountAggregateArgs){ ._count = &(AccountCountAggregateInput){ ._all = true } }, NULL));
    ck_assert_int_eq(log.n, 3);
    prisma_set_trace(db, NULL, NULL);
}
END_TEST

/* W10's query (bench/bench_aggregate.c): by name, sum, avg and count of
 * balance, having count > 10, ordered by the sum descending. */
START_TEST(w10_group_by)
{
    for (int i = 0; i < 100; i++) {
        char name[8];
        snprintf(name, sizeof name, "n%d", i % 7);
        OK(account_create(db, &(AccountCreateInput){ .name = name, .balance = PRISMA_INT(i) }, NULL));
    }
    static const AccountScalarField by[] = { ACCOUNT_FIELD_NAME };
    AccountGroupByOrderByInput ob = { 0 };
    ob._sum.balance = PRISMA_DESC;
    AccountGroupByList *l = NULL;
    OK(account_group_by(db, &(AccountGroupByArgs){
                                .by = by, .by_len = 1, .order_by = &ob, .order_by_len = 1,
                                .having = &(AccountScalarWhereWithAggregatesInput){
                                    .name = { ._count = { .gt = PRISMA_BIGINT(14) } } },
                                ._sum = &(AccountNumberAggregateInput){ .balance = true },
                                ._avg = &(AccountNumberAggregateInput){ .balance = true },
                                ._count = &(AccountCountAggregateInput){ ._all = true } },
                        &l));
    /* n0, n1: 15 rows each (i % 7 == 0: 0..98, 15 values; == 1: 1..99, 15); the rest 14. */
    ck_assert_uint_eq(l->len, 2);
    ck_assert_str_eq(l->items[0].name, "n1");
    ck_assert_str_eq(l->items[1].name, "n0");
    I64_EQ(l->items[0]._sum.balance, 15 * 50);
    I64_EQ(l->items[1]._sum.balance, 15 * 49);
    DBL_EQ(l->items[0]._avg.balance, 50.0);
    DBL_EQ(l->items[1]._avg.balance, 49.0);
    ck_assert_int_eq(l->items[0]._count._all, 15);
    account_group_by_list_free(l);
}
END_TEST

/* Batches and transactions: the same calls, queued or on a transaction client. */
START_TEST(batches_and_transactions)
{
    for (int i = 0; i < 10; i++)
        OK(account_create(db, &(AccountCreateInput){ .name = i < 4 ? "a" : "b", .balance = PRISMA_INT(10) }, NULL));
    static const AccountScalarField by[] = { ACCOUNT_FIELD_NAME };
    AccountAggregateArgs aa = { ._count = &(AccountCountAggregateInput){ ._all = true },
                                ._max = &(AccountMinMaxAggregateInput){ .balance = true } };
    AccountGroupByArgs ga = { .by = by, .by_len = 1, .order_by = &(AccountGroupByOrderByInput){ .name = PRISMA_ASC },
                              .order_by_len = 1, ._count = &(AccountCountAggregateInput){ ._all = true } };
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    AccountAggregate *r = NULL;
    AccountGroupByList *l = NULL;
    int64_t n = 0;
    OK(account_batch_update_many(b, &(AccountWhereInput){ .name = { .equals = "a" } },
                                 &(AccountUpdateInput){ .balance = { .increment = PRISMA_INT(5) } }, &n));
    OK(account_batch_aggregate(b, &aa, &r));
    OK(account_batch_group_by(b, &ga, &l));
    OK(prisma_batch_run(b, NULL, NULL));
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(r->_count._all, 10);
    ck_assert_int_eq(*r->_max.balance, 15); /* after the update, in the same transaction */
    ck_assert_uint_eq(l->len, 2);
    ck_assert_int_eq(l->items[0]._count._all, 4);
    ck_assert_int_eq(l->items[1]._count._all, 6);
    account_aggregate_free(r);
    account_group_by_list_free(l);
    /* A refused group_by fails the batch: nothing persists, results NULL. */
    prisma_batch_free(b);
    OK(prisma_batch_new(db, &b));
    AccountGroupByArgs bad = { .by = by, .by_len = 0 };
    OK(account_batch_update_many(b, NULL, &(AccountUpdateInput){ .balance = { .set = PRISMA_INT(0) } }, &n));
    OK(account_batch_group_by(b, &bad, &l));
    size_t failed = 0;
    FAILS_WITH(prisma_batch_run(b, NULL, &failed), "P2019");
    ck_assert_uint_eq(failed, 1);
    ck_assert_ptr_null(l);
    prisma_batch_free(b);
    /* An interactive transaction sees its own writes. */
    prisma_client *tx = NULL;
    OK(prisma_tx_begin(db, NULL, &tx));
    ck_assert_int_eq(account_update_many(tx, NULL, &(AccountUpdateInput){ .balance = { .set = PRISMA_INT(1) } }, &n),
                     PRISMA_OK);
    ck_assert_int_eq(account_aggregate(tx, &(AccountAggregateArgs){ ._sum = &(AccountNumberAggregateInput){ .balance = true } },
                                       &r),
                     PRISMA_OK);
    I64_EQ(r->_sum.balance, 10);
    account_aggregate_free(r);
    ck_assert_int_eq(account_group_by(tx, &ga, &l), PRISMA_OK);
    ck_assert_uint_eq(l->len, 2);
    account_group_by_list_free(l);
    ck_assert_int_eq(prisma_tx_rollback(tx), PRISMA_OK);
    prisma_tx_free(tx);
    OK(account_aggregate(db, &(AccountAggregateArgs){ ._sum = &(AccountNumberAggregateInput){ .balance = true } }, &r));
    I64_EQ(r->_sum.balance, 4 * 15 + 6 * 10);
    account_aggregate_free(r);
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, aggregates_of_no_records);
    tcase_add_test(tc, sum_some_records);
    tcase_add_test(tc, avg_some_records);
    tcase_add_test(tc, min_max_some_records);
    tcase_add_test(tc, count_some_records);
    tcase_add_test(tc, count_with_all_sorts_of_query_args);
    tcase_add_test(tc, aggregates_with_all_sorts_of_query_args);
    tcase_add_test(tc, combinations_no_records);
    tcase_add_test(tc, combinations_some_records);
    tcase_add_test(tc, combinations_with_query_args);
    tcase_add_test(tc, group_by_no_records);
    tcase_add_test(tc, group_by_some_records_and_rev_ordering);
    tcase_add_test(tc, group_by_multiple_ordering);
    tcase_add_test(tc, group_by_take_skip);
    tcase_add_test(tc, group_by_scalar_filters);
    tcase_add_test(tc, group_by_ordering_by_each_aggregate);
    tcase_add_test(tc, group_by_ordering_aggr_multiple_fields_and_having);
    tcase_add_test(tc, group_by_ordering_aggr_without_selecting);
    tcase_add_test(tc, refused_arguments_send_nothing);
    tcase_add_test(tc, basic_having_scalar_filter);
    tcase_add_test(tc, having_count_scalar_filter);
    tcase_add_test(tc, having_sum_scalar_filter);
    tcase_add_test(tc, having_min_scalar_filter);
    tcase_add_test(tc, having_max_scalar_filter);
    tcase_add_test(tc, having_avg_decimal);
    tcase_add_test(tc, having_decimal_sum_min_max);
    tcase_add_test(tc, having_and_or_not);
    tcase_add_test(tc, min_max_of_other_types);
    tcase_add_test(tc, one_statement_per_call);
    tcase_add_test(tc, w10_group_by);
    tcase_add_test(tc, batches_and_transactions);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "queries_aggregate", .timeout = 120, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
