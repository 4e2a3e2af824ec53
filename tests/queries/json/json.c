/* The queries suite, Json area (issue 13, item 10): Json filters (path,
 * equals / not, string_*, array_*, lt / lte / gt / gte, mode) and the
 * DbNull / JsonNull / AnyNull distinction, on every backend, through the
 * generated client of tests/queries/json/schema.prisma.in.
 *
 * Ported from prisma-engines, query-engine/connector-test-kit-rs/
 * query-engine-tests/tests/queries/filters/: each test names its source as
 * `<file>::<test fn>`. A Prisma `*_runner` that runs on jsonb and on
 * PostgreSQL's json type (`*_pg_json`) runs here on JsonModel (jsonb; SQLite's
 * JSONB-declared text) and on JsonText (@db.Json on PostgreSQL). Prisma's path
 * ["a", "b"] is `.path = PRISMA_STRINGS("a", "b")` on both backends. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

static const char *url;
static prisma_client *db;

static const char *code_of(void)
{
    return prisma_error_code(db) ? prisma_error_code(db) : "-";
}

#define OK(call) ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, code_of(), prisma_error_message(db))

/* The statements sent, counted by the trace. */
static int statements;
static void count_statement(void *arg, const char *sql)
{
    (void)arg;
    (void)sql;
    statements++;
}

/* `call` fails with `code` and a message holding `part`, and sends nothing. */
#define REFUSED(call, code, part)                                                                                 \
    do {                                                                                                          \
        statements = 0;                                                                                           \
        prisma_set_trace(db, count_statement, NULL);                                                              \
        int rc_ = (call);                                                                                         \
        prisma_set_trace(db, NULL, NULL);                                                                         \
        ck_assert_msg(rc_ == PRISMA_ERROR, "%s: expected %s, got status %d", #call, code, rc_);                  \
        ck_assert_msg(strcmp(code_of(), code) == 0, "%s: expected %s, got %s %s", #call, code, code_of(),        \
                      prisma_error_message(db));                                                                   \
        ck_assert_msg(strstr(prisma_error_message(db), part), "%s: message '%s' lacks '%s'", #call,              \
                      prisma_error_message(db), part);                                                             \
        ck_assert_int_eq(statements, 0);                                                                          \
    } while (0)

/* The two models a runner works on: jsonb, and json (@db.Json) on PostgreSQL. */
enum { JSONB, JSON_TYPE };

/* A row: its json `data`, or {"a":{"b": data}} when nested (the test kit's create_row). */
static void create_row(int model, int id, const char *data, bool nested)
{
    char text[256];
    snprintf(text, sizeof text, nested ? "{ \"a\": { \"b\": %s } }" : "%s", data);
    if (model == JSONB)
        OK(json_model_create(db, &(JsonModelCreateInput){ .id = PRISMA_INT(id), .json = text }, NULL));
    else
        OK(json_text_create(db, &(JsonTextCreateInput){ .id = PRISMA_INT(id), .json = text }, NULL));
}

/* The ids that match, in order, joined by ','; in rotating buffers. */
static char *next_buf(void)
{
    static char bufs[8][256];
    static unsigned next;
    char *b = bufs[next++ % 8];
    b[0] = '\0';
    return b;
}

static void append_id(char *b, int id)
{
    size_t n = strlen(b);
    snprintf(b + n, 256 - n, "%s%d", n ? "," : "", id);
}

static const char *ids_of(int model, prisma_json_filter flt)
{
    char *b = next_buf();
    if (model == JSONB) {
        JsonModelList *l = NULL;
        OK(json_model_find_many(db, &(JsonModelFindManyArgs){
            .where = &(JsonModelWhereInput){ .json = flt },
            .order_by = &(JsonModelOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
        for (size_t i = 0; i < l->len; i++)
            append_id(b, l->items[i].id);
        prisma_free(l);
    } else {
        JsonTextList *l = NULL;
        OK(json_text_find_many(db, &(JsonTextFindManyArgs){
            .where = &(JsonTextWhereInput){ .json = flt },
            .order_by = &(JsonTextOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
        for (size_t i = 0; i < l->len; i++)
            append_id(b, l->items[i].id);
        prisma_free(l);
    }
    return b;
}

static const char *opt_ids(prisma_json_filter flt)
{
    char *b = next_buf();
    JsonOptList *l = NULL;
    OK(json_opt_find_many(db, &(JsonOptFindManyArgs){
        .where = &(JsonOptWhereInput){ .json = flt },
        .order_by = &(JsonOptOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
    for (size_t i = 0; i < l->len; i++)
        append_id(b, l->items[i].id);
    prisma_free(l);
    return b;
}

#define IDS(model, ...) ids_of(model, (prisma_json_filter){ __VA_ARGS__ })
#define OPT_IDS(...) opt_ids((prisma_json_filter){ __VA_ARGS__ })
/* The test kit's json_path: ["a", "b"]. */
#define AB .path = PRISMA_STRINGS("a", "b")

static void create_opt(int id, const char *json)
{
    OK(json_opt_create(db, &(JsonOptCreateInput){ .id = PRISMA_INT(id), .json = json }, NULL));
}

/* ---- json.rs ---- */

/* json.rs json::basic */
START_TEST(json_basic)
{
    create_opt(1, "{}");
    create_opt(2, "{\"a\":\"b\"}");
    create_opt(3, PRISMA_NULL);
    ck_assert_str_eq(OPT_IDS(.equals = "{}"), "1");
    /* AND: [{ json: { not: "{}" } }, { json: { not: null } }] */
    JsonOptList *l = NULL;
    OK(json_opt_find_many(db, &(JsonOptFindManyArgs){
        .where = &(JsonOptWhereInput){ .AND = (const JsonOptWhereInput[]){ { .json = { .not_ = "{}" } },
                                                                          { .json = { .not_ = PRISMA_DB_NULL } } },
                                       .AND_len = 2 } }, &l));
    ck_assert_uint_eq(l->len, 1);
    ck_assert_int_eq(l->items[0].id, 2);
    prisma_free(l);
    ck_assert_str_eq(OPT_IDS(.not_ = PRISMA_DB_NULL), "1,2");
    /* PRISMA_NULL is DbNull in a Json filter too. */
    ck_assert_str_eq(OPT_IDS(.not_ = PRISMA_NULL), "1,2");
    /* Equality is JSON's: whitespace and (PostgreSQL) key order aside. */
    ck_assert_str_eq(OPT_IDS(.equals = " { \"a\" : \"b\" } "), "2");
}
END_TEST

/* ---- json_filters.rs ---- */

/* json_filters.rs json_filters::no_path_without_filter */
START_TEST(no_path_without_filter)
{
    JsonModelList *l = NULL;
    REFUSED(json_model_find_many(db, &(JsonModelFindManyArgs){ .where = &(JsonModelWhereInput){ .json = { AB } } }, &l),
            "P2019", "A JSON path cannot be set without a scalar filter.");
    ck_assert_ptr_null(l);
}
END_TEST

/* json_filters.rs json_filters::extract_array_path_runner */
static void extract_array_path_runner(int m)
{
    create_row(m, 1, "{ \"a\": { \"b\": \"c\" } }", false);
    create_row(m, 2, "{ \"a\": { \"b\": [1, 2, 3] } }", false);
    create_row(m, 3, "{ \"a\": { \"b\": null } }", false);
    create_row(m, 4, "{ \"a\": { \"b\": [null] } }", false);
    create_row(m, 5, "{ }", false);
    ck_assert_str_eq(IDS(m, AB, .equals = "\"c\""), "1");
    ck_assert_str_eq(IDS(m, .path = PRISMA_STRINGS("a", "b", "0"), .equals = "1"), "2");
    /* (not in Prisma's test) an index from the end, and past the end */
    if (testdb->json_index_from_end) {
        ck_assert_str_eq(IDS(m, .path = PRISMA_STRINGS("a", "b", "-1"), .equals = "3"), "2");
    } else {
        JsonModelList *l = NULL;
        REFUSED(json_model_find_many(db, &(JsonModelFindManyArgs){ .where = &(JsonModelWhereInput){ .json = {
                    .path = PRISMA_STRINGS("a", "b", "-1"), .equals = "3" } } }, &l),
                "P2009", "counts from the end");
        ck_assert_ptr_null(l);
    }
    ck_assert_str_eq(IDS(m, .path = PRISMA_STRINGS("a", "b", "3"), .equals = PRISMA_DB_NULL), "1,2,3,4,5");
    /* (MySQL: $.a.b[0] of a null is that null) */
    ck_assert_str_eq(IDS(m, .path = PRISMA_STRINGS("a", "b", "0"), .equals = PRISMA_JSON_NULL),
                     testdb->json_index_wraps ? "3,4" : "4");
    ck_assert_str_eq(IDS(m, AB, .equals = PRISMA_JSON_NULL), "3");
    ck_assert_str_eq(IDS(m, AB, .equals = PRISMA_DB_NULL), "5");
    ck_assert_str_eq(IDS(m, AB, .equals = PRISMA_ANY_NULL), "3,5");
}

/* json_filters.rs json_filters::extract_array_path */
START_TEST(extract_array_path) { extract_array_path_runner(JSONB); }
END_TEST
/* json_filters.rs json_filters::extract_array_path_pg_json */
START_TEST(extract_array_path_pg_json) { extract_array_path_runner(JSON_TYPE); }
END_TEST

/* json_filters.rs json_filters::array_contains_runner */
static void array_contains_runner(int m)
{
    create_row(m, 1, "[1, 2, 3]", true);
    create_row(m, 2, "[3, 4, 5]", true);
    create_row(m, 3, "3", true);
    create_row(m, 4, "[\"a\", \"b\"]", true);
    create_row(m, 5, "\"a\"", true);
    create_row(m, 6, "[[1, 2]]", true);
    create_row(m, 7, "[1, null, 2]", true);
    create_row(m, 8, "[1, [null], 2]", true);
    ck_assert_str_eq(IDS(m, AB, .array_contains = "[3]"), "1,2");
    ck_assert_str_eq(IDS(m, AB, .array_contains = "[\"a\"]"), "4");
    /* Prisma: 7 (7,8 on MySQL, which coerces null to [null]). */
    const char *with_null = testdb->json_contains_nested ? "7,8" : "7";
    ck_assert_str_eq(IDS(m, AB, .array_contains = "null"), with_null);
    ck_assert_str_eq(IDS(m, AB, .array_contains = "[null]"), with_null);
    /* MariaDB's JSON_CONTAINS: [1, 2] is in [1, 2, 3] as well as in [[1, 2]]. */
    ck_assert_str_eq(IDS(m, AB, .array_contains = "[[1, 2]]"), testdb->json_contains_nested ? "1,6,7,8" : "6");
    ck_assert_str_eq(IDS(m, AB, .array_contains = "[[null]]"), testdb->json_contains_nested ? "7,8" : "8");
}

/* json_filters.rs json_filters::array_contains */
START_TEST(array_contains) { array_contains_runner(JSONB); }
END_TEST
/* json_filters.rs json_filters::array_contains_pg_json */
START_TEST(array_contains_pg_json) { array_contains_runner(JSON_TYPE); }
END_TEST

/* json_filters.rs json_filters::array_starts_with_runner */
static void array_starts_with_runner(int m)
{
    create_row(m, 1, "[1, 2, 3]", true);
    create_row(m, 2, "[3, 4, 5]", true);
    create_row(m, 3, "3", true);
    create_row(m, 4, "[\"a\", \"b\"]", true);
    create_row(m, 5, "\"a\"", true);
    create_row(m, 6, "[[1, 2]]", true);
    create_row(m, 7, "null", true);
    create_row(m, 8, "[null, \"test\"]", true);
    create_row(m, 9, "[[null], \"test\"]", true);
    ck_assert_str_eq(IDS(m, AB, .array_starts_with = "3"), "2");
    ck_assert_str_eq(IDS(m, AB, .array_starts_with = "\"a\""), "4");
    ck_assert_str_eq(IDS(m, AB, .array_starts_with = "[1, 2]"), "6");
    ck_assert_str_eq(IDS(m, AB, .array_starts_with = "null"), "8");
    ck_assert_str_eq(IDS(m, AB, .array_starts_with = "[null]"), "9");
}

/* json_filters.rs json_filters::array_starts_with */
START_TEST(array_starts_with) { array_starts_with_runner(JSONB); }
END_TEST
/* json_filters.rs json_filters::array_starts_with_pg_json */
START_TEST(array_starts_with_pg_json) { array_starts_with_runner(JSON_TYPE); }
END_TEST

/* json_filters.rs json_filters::array_ends_with_runner */
static void array_ends_with_runner(int m)
{
    create_row(m, 1, "[1, 2, 3]", true);
    create_row(m, 2, "[3, 4, 5]", true);
    create_row(m, 3, "[\"a\", \"b\"]", true);
    create_row(m, 4, "[[1, 2], [3, 4]]", true);
    create_row(m, 7, "null", true);
    create_row(m, 8, "[\"test\", null]", true);
    create_row(m, 9, "[\"test\", [null]]", true);
    ck_assert_str_eq(IDS(m, AB, .array_ends_with = "3"), "1");
    ck_assert_str_eq(IDS(m, AB, .array_ends_with = "\"b\""), "3");
    ck_assert_str_eq(IDS(m, AB, .array_ends_with = "[3, 4]"), "4");
    ck_assert_str_eq(IDS(m, AB, .array_ends_with = "null"), "8");
    ck_assert_str_eq(IDS(m, AB, .array_ends_with = "[null]"), "9");
}

/* json_filters.rs json_filters::array_ends_with */
START_TEST(array_ends_with) { array_ends_with_runner(JSONB); }
END_TEST
/* json_filters.rs json_filters::array_ends_with_pg_json */
START_TEST(array_ends_with_pg_json) { array_ends_with_runner(JSON_TYPE); }
END_TEST

/* json_filters.rs json_filters::string_{contains,starts_with,ends_with}_runner
 * (same rows; k: 0 contains "oo", 1 starts_with "foo", 2 ends_with "oo") */
static void string_runner(int m, int k)
{
    create_row(m, 1, "\"foo\"", true);
    create_row(m, 2, "\"fool\"", true);
    create_row(m, 3, "[\"foo\"]", true);
    if (k == 0)
        ck_assert_str_eq(IDS(m, AB, .string_contains = "oo"), "1,2");
    else if (k == 1)
        ck_assert_str_eq(IDS(m, AB, .string_starts_with = "foo"), "1,2");
    else
        ck_assert_str_eq(IDS(m, AB, .string_ends_with = "oo"), "1");
}

/* json_filters.rs json_filters::string_contains */
START_TEST(string_contains) { string_runner(JSONB, 0); }
END_TEST
/* json_filters.rs json_filters::string_contains_pg_json */
START_TEST(string_contains_pg_json) { string_runner(JSON_TYPE, 0); }
END_TEST
/* json_filters.rs json_filters::string_starts_with */
START_TEST(string_starts_with) { string_runner(JSONB, 1); }
END_TEST
/* json_filters.rs json_filters::string_starts_with_pg_json */
START_TEST(string_starts_with_pg_json) { string_runner(JSON_TYPE, 1); }
END_TEST
/* json_filters.rs json_filters::string_ends_with */
START_TEST(string_ends_with) { string_runner(JSONB, 2); }
END_TEST
/* json_filters.rs json_filters::string_ends_with_pg_json */
START_TEST(string_ends_with_pg_json) { string_runner(JSON_TYPE, 2); }
END_TEST

/* json_filters.rs json_filters::gt_gte_runner (Prisma runs it on PostgreSQL
 * only; prismac compares numbers and strings on SQLite too) */
static void gt_gte_runner(int m)
{
    create_row(m, 1, "\"foo\"", true);
    create_row(m, 2, "\"bar\"", true);
    create_row(m, 3, "1", true);
    create_row(m, 4, "2", true);
    create_row(m, 5, "1.4", true);
    create_row(m, 6, "100", true);
    create_row(m, 7, "[\"foo\"]", true);
    ck_assert_str_eq(IDS(m, AB, .gt = "\"b\""), "1,2");
    ck_assert_str_eq(IDS(m, AB, .gte = "\"b\""), "1,2");
    ck_assert_str_eq(IDS(m, AB, .gt = "1"), "4,5,6");
    ck_assert_str_eq(IDS(m, AB, .gte = "1"), "3,4,5,6");
}

/* json_filters.rs json_filters::gt_gte */
START_TEST(gt_gte) { gt_gte_runner(JSONB); }
END_TEST
/* json_filters.rs json_filters::gt_gte_pg_json */
START_TEST(gt_gte_pg_json) { gt_gte_runner(JSON_TYPE); }
END_TEST

/* json_filters.rs json_filters::lt_lte_runner */
static void lt_lte_runner(int m)
{
    create_row(m, 1, "\"foo\"", true);
    create_row(m, 2, "\"bar\"", true);
    create_row(m, 3, "1", true);
    create_row(m, 4, "2", true);
    create_row(m, 5, "1.4", true);
    create_row(m, 6, "100", true);
    create_row(m, 7, "[\"foo\"]", true);
    ck_assert_str_eq(IDS(m, AB, .lt = "\"f\""), "2");
    ck_assert_str_eq(IDS(m, AB, .lte = "\"foo\""), "1,2");
    ck_assert_str_eq(IDS(m, AB, .lt = "100"), "3,4,5");
    ck_assert_str_eq(IDS(m, AB, .lte = "100"), "3,4,5,6");
}

/* json_filters.rs json_filters::lt_lte */
START_TEST(lt_lte) { lt_lte_runner(JSONB); }
END_TEST
/* json_filters.rs json_filters::lt_lte_pg_json */
START_TEST(lt_lte_pg_json) { lt_lte_runner(JSON_TYPE); }
END_TEST

/* json_filters.rs json_filters::multi_filtering_runner (Prisma reads the
 * json back; here the ids, as each column type writes its text differently) */
static void multi_filtering_runner(int m)
{
    create_row(m, 1, "[1, 2, 3]", true);
    create_row(m, 2, "[3, 4, 5]", true);
    create_row(m, 3, "[3, 4, 6]", true);
    create_row(m, 4, "[5, 6, 7]", true);
    create_row(m, 5, "1", true);
    create_row(m, 6, "2.4", true);
    create_row(m, 7, "3", true);
    const prisma_json_filter both = { AB, .array_contains = "3", .array_starts_with = "3" };
    const prisma_json_filter gte1 = { AB, .gte = "1" }, lt3 = { AB, .lt = "3" };
    char *got[2] = { next_buf(), next_buf() };
    if (m == JSONB) {
        JsonModelList *l = NULL;
        OK(json_model_find_many(db, &(JsonModelFindManyArgs){ .where = &(JsonModelWhereInput){ .json = both },
                                                              .cursor = &(JsonModelWhereUniqueInput){ .id = PRISMA_INT(2) },
                                                              .take = PRISMA_TAKE(2) }, &l));
        for (size_t i = 0; i < l->len; i++)
            append_id(got[0], l->items[i].id);
        prisma_free(l);
        OK(json_model_find_many(db, &(JsonModelFindManyArgs){
            .where = &(JsonModelWhereInput){ .AND = (const JsonModelWhereInput[]){ { .json = gte1 }, { .json = lt3 } },
                                             .AND_len = 2 },
            .order_by = &(JsonModelOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
        for (size_t i = 0; i < l->len; i++)
            append_id(got[1], l->items[i].id);
        prisma_free(l);
    } else {
        JsonTextList *l = NULL;
        OK(json_text_find_many(db, &(JsonTextFindManyArgs){ .where = &(JsonTextWhereInput){ .json = both },
                                                            .cursor = &(JsonTextWhereUniqueInput){ .id = PRISMA_INT(2) },
                                                            .take = PRISMA_TAKE(2) }, &l));
        for (size_t i = 0; i < l->len; i++)
            append_id(got[0], l->items[i].id);
        prisma_free(l);
        OK(json_text_find_many(db, &(JsonTextFindManyArgs){
            .where = &(JsonTextWhereInput){ .AND = (const JsonTextWhereInput[]){ { .json = gte1 }, { .json = lt3 } },
                                            .AND_len = 2 },
            .order_by = &(JsonTextOrderByInput){ .id = PRISMA_ASC }, .order_by_len = 1 }, &l));
        for (size_t i = 0; i < l->len; i++)
            append_id(got[1], l->items[i].id);
        prisma_free(l);
    }
    /* Prisma: {"a":{"b":[3,4,5]}}, {"a":{"b":[3,4,6]}}; then {"a":{"b":1}}, {"a":{"b":2.4}} */
    ck_assert_str_eq(got[0], "2,3");
    ck_assert_str_eq(got[1], "5,6");
}

/* json_filters.rs json_filters::multi_filtering */
START_TEST(multi_filtering) { multi_filtering_runner(JSONB); }
END_TEST
/* json_filters.rs json_filters::multi_filtering_pg_json */
START_TEST(multi_filtering_pg_json) { multi_filtering_runner(JSON_TYPE); }
END_TEST

/* json_filters.rs json_filters::string_contains_does_not_error,
 * string_begins_with_does_not_error, string_ends_with_does_not_error (also
 * json_filter.rs): no path, and no row at all */
START_TEST(string_filters_do_not_error)
{
    JsonOpt *r = NULL;
    OK(json_opt_find_first(db, &(JsonOptFindManyArgs){ .where = &(JsonOptWhereInput){ .json = { .string_contains = "foo" } } }, &r));
    ck_assert_ptr_null(r);
    OK(json_opt_find_first(db, &(JsonOptFindManyArgs){ .where = &(JsonOptWhereInput){ .json = { .string_starts_with = "foo" } } }, &r));
    ck_assert_ptr_null(r);
    OK(json_opt_find_first(db, &(JsonOptFindManyArgs){ .where = &(JsonOptWhereInput){ .json = { .string_ends_with = "foo" } } }, &r));
    ck_assert_ptr_null(r);
    /* ... and with rows: a whole-column string, an object. */
    create_opt(1, "\"foo\"");
    create_opt(2, "{\"foo\": 1}");
    create_opt(3, PRISMA_DB_NULL);
    ck_assert_str_eq(OPT_IDS(.string_contains = "foo"), "1");
    ck_assert_str_eq(OPT_IDS(.string_starts_with = "fo"), "1");
    ck_assert_str_eq(OPT_IDS(.string_ends_with = "oo"), "1");
}
END_TEST

/* ---- insensitive_json_filters.rs ---- */

/* insensitive_json_filters.rs insensitive_json::string_matcher */
START_TEST(insensitive_string_matcher)
{
    create_row(JSONB, 1, "{ \"nested\": \"a test\" }", false);
    create_row(JSONB, 2, "{ \"nested\": \"A Test\" }", false);
    create_row(JSONB, 3, "{ \"nested\": \"b test\" }", false);
    if (testdb->insensitive_mode) {
        ck_assert_str_eq(IDS(JSONB, .path = PRISMA_STRINGS("nested"), .equals = "\"a test\"", .mode = PRISMA_INSENSITIVE),
                         "1,2");
        /* and the string filters (not in Prisma's test) */
        ck_assert_str_eq(IDS(JSONB, .path = PRISMA_STRINGS("nested"), .string_starts_with = "A T",
                             .mode = PRISMA_INSENSITIVE),
                         "1,2");
    } else { /* MySQL: Prisma has no mode there; refused, nothing sent */
        JsonModelList *l = NULL;
        REFUSED(json_model_find_many(db, &(JsonModelFindManyArgs){ .where = &(JsonModelWhereInput){ .json = {
                    .path = PRISMA_STRINGS("nested"), .equals = "\"a test\"", .mode = PRISMA_INSENSITIVE } } }, &l),
                "P2009", "insensitive");
        ck_assert_ptr_null(l);
        REFUSED(json_model_find_many(db, &(JsonModelFindManyArgs){ .where = &(JsonModelWhereInput){ .json = {
                    .path = PRISMA_STRINGS("nested"), .string_starts_with = "A T", .mode = PRISMA_INSENSITIVE } } },
                                     &l),
                "P2009", "insensitive");
        ck_assert_ptr_null(l);
    }
    /* The default mode compares Json text exactly, on every backend. */
    ck_assert_str_eq(IDS(JSONB, .path = PRISMA_STRINGS("nested"), .equals = "\"a test\""), "1");
    ck_assert_str_eq(IDS(JSONB, .path = PRISMA_STRINGS("nested"), .string_starts_with = "A T"), "2");
}
END_TEST

/* ---- DbNull / JsonNull / AnyNull (Prisma's null-values docs; json_filters.rs extract_array_path's nulls) ---- */

/* Writes keep the two nulls apart; filters tell them apart without a path. */
START_TEST(db_null_and_json_null_without_path)
{
    create_opt(1, PRISMA_DB_NULL);
    create_opt(2, PRISMA_JSON_NULL);
    create_opt(3, "null"); /* the JSON text null is JsonNull */
    create_opt(4, PRISMA_NULL); /* PRISMA_NULL is DbNull */
    create_opt(5, "{\"a\": null}");
    create_opt(6, "[null]");
    ck_assert_str_eq(OPT_IDS(.equals = PRISMA_DB_NULL), "1,4");
    ck_assert_str_eq(OPT_IDS(.equals = PRISMA_NULL), "1,4");
    ck_assert_str_eq(OPT_IDS(.equals = PRISMA_JSON_NULL), "2,3");
    ck_assert_str_eq(OPT_IDS(.equals = "null"), "2,3");
    ck_assert_str_eq(OPT_IDS(.equals = PRISMA_ANY_NULL), "1,2,3,4");
    ck_assert_str_eq(OPT_IDS(.not_ = PRISMA_DB_NULL), "2,3,5,6");
    ck_assert_str_eq(OPT_IDS(.not_ = PRISMA_JSON_NULL), "5,6");
    ck_assert_str_eq(OPT_IDS(.not_ = PRISMA_ANY_NULL), "5,6");
    /* read back: SQL NULL as a NULL pointer, JSON null as its text */
    JsonOpt *r = NULL;
    OK(json_opt_find_unique(db, &(JsonOptWhereUniqueInput){ .id = PRISMA_INT(1) }, &r));
    ck_assert_ptr_null(r->json);
    prisma_free(r);
    OK(json_opt_find_unique(db, &(JsonOptWhereUniqueInput){ .id = PRISMA_INT(2) }, &r));
    ck_assert_str_eq(r->json, "null");
    prisma_free(r);
}
END_TEST

/* With a path: DbNull is "nothing there", JsonNull a null there; `not` too. */
START_TEST(nulls_at_a_path)
{
    create_opt(1, "{\"a\": null}");
    create_opt(2, "{\"a\": 1}");
    create_opt(3, "{}");
    create_opt(4, PRISMA_DB_NULL);
    create_opt(5, "[{\"a\": null}]");
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("a"), .equals = PRISMA_JSON_NULL), "1");
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("a"), .equals = PRISMA_DB_NULL), "3,4,5");
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("a"), .equals = PRISMA_ANY_NULL), "1,3,4,5");
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("a"), .not_ = PRISMA_JSON_NULL), "2");
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("a"), .not_ = PRISMA_DB_NULL), "1,2");
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("a"), .not_ = "1"), "1");
    /* an index, then a key */
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("0", "a"), .equals = PRISMA_JSON_NULL),
                     testdb->json_index_wraps ? "1,5" : "5");
    /* an empty path is the whole value */
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_EMPTY_LIST, .equals = "{}"), "3");
}
END_TEST

/* Writes: create, create_many, update, update_many and upsert take both
 * nulls (json_null.c in prisma_engine_tests ports Prisma's write cases). */
START_TEST(writes_keep_the_nulls_apart)
{
    const JsonOptCreateInput rows[] = { { .id = PRISMA_INT(1), .json = PRISMA_DB_NULL },
                                        { .id = PRISMA_INT(2), .json = PRISMA_JSON_NULL },
                                        { .id = PRISMA_INT(3), .json = "[1]" } };
    int64_t count = 0;
    OK(json_opt_create_many(db, rows, 3, false, &count));
    ck_assert_int_eq(count, 3);
    ck_assert_str_eq(OPT_IDS(.equals = PRISMA_DB_NULL), "1");
    ck_assert_str_eq(OPT_IDS(.equals = PRISMA_JSON_NULL), "2");
    JsonOpt *r = NULL;
    OK(json_opt_update(db, &(JsonOptWhereUniqueInput){ .id = PRISMA_INT(3) }, &(JsonOptUpdateInput){ .json = PRISMA_JSON_NULL },
                       &r));
    ck_assert_str_eq(r->json, "null");
    prisma_free(r);
    OK(json_opt_update_many(db, &(JsonOptWhereInput){ .json = { .equals = PRISMA_JSON_NULL } },
                            &(JsonOptUpdateInput){ .json = PRISMA_DB_NULL }, &count));
    ck_assert_int_eq(count, 2);
    ck_assert_str_eq(OPT_IDS(.equals = PRISMA_DB_NULL), "1,2,3");
    OK(json_opt_upsert(db, &(JsonOptWhereUniqueInput){ .id = PRISMA_INT(4) },
                       &(JsonOptCreateInput){ .id = PRISMA_INT(4), .json = PRISMA_JSON_NULL },
                       &(JsonOptUpdateInput){ .json = PRISMA_DB_NULL }, &r));
    ck_assert_str_eq(r->json, "null");
    prisma_free(r);
    OK(json_opt_upsert(db, &(JsonOptWhereUniqueInput){ .id = PRISMA_INT(4) },
                       &(JsonOptCreateInput){ .id = PRISMA_INT(4), .json = PRISMA_JSON_NULL },
                       &(JsonOptUpdateInput){ .json = PRISMA_DB_NULL }, &r));
    ck_assert_ptr_null(r->json);
    prisma_free(r);
    /* A required Json field takes JsonNull, not DbNull. */
    OK(json_model_create(db, &(JsonModelCreateInput){ .id = PRISMA_INT(1), .json = PRISMA_JSON_NULL }, NULL));
    REFUSED(json_model_create(db, &(JsonModelCreateInput){ .id = PRISMA_INT(2), .json = PRISMA_DB_NULL }, NULL), "P2009",
            "json");
    ck_assert_str_eq(IDS(JSONB, .equals = PRISMA_JSON_NULL), "1");
    ck_assert_str_eq(IDS(JSONB, .equals = PRISMA_DB_NULL), "");
}
END_TEST

/* What Prisma refuses before asking the database. */
START_TEST(bad_arguments_are_refused)
{
    REFUSED(json_opt_create(db, &(JsonOptCreateInput){ .id = PRISMA_INT(1), .json = PRISMA_ANY_NULL }, NULL), "P2009",
            "AnyNull");
    REFUSED(note_create(db, &(NoteCreateInput){ .id = PRISMA_INT(1), .text = PRISMA_JSON_NULL }, NULL), "P2009",
            "JsonNull");
    REFUSED(note_create(db, &(NoteCreateInput){ .id = PRISMA_INT(1), .text = PRISMA_DB_NULL }, NULL), "P2009", "DbNull");
    NoteList *notes = NULL;
    REFUSED(note_find_many(db, &(NoteFindManyArgs){ .where = &(NoteWhereInput){ .text = { .equals = PRISMA_ANY_NULL } } },
                           &notes),
            "P2009", "AnyNull");
    JsonOptList *l = NULL;
    REFUSED(json_opt_find_many(db, &(JsonOptFindManyArgs){ .where = &(JsonOptWhereInput){ .json = { .equals = "{a:1}" } } }, &l),
            "P2009", "no JSON value");
    REFUSED(json_opt_find_many(db, &(JsonOptFindManyArgs){ .where = &(JsonOptWhereInput){ .json = { .array_contains = "[1" } } },
                               &l),
            "P2009", "array_contains");
    REFUSED(json_opt_find_many(db, &(JsonOptFindManyArgs){ .where = &(JsonOptWhereInput){ .json = { .gt = "[1]" } } }, &l),
            "P2009", "number or a string");
    REFUSED(json_opt_find_many(db, &(JsonOptFindManyArgs){ .where = &(JsonOptWhereInput){ .json = { .array_contains = PRISMA_DB_NULL } } },
                               &l),
            "P2009", "DbNull");
    REFUSED(json_opt_find_many(db, &(JsonOptFindManyArgs){ .where = &(JsonOptWhereInput){ .json = { .string_contains = PRISMA_JSON_NULL } } },
                               &l),
            "P2009", "string_contains");
    REFUSED(json_opt_find_many(db, &(JsonOptFindManyArgs){ .where = &(JsonOptWhereInput){ .json = { .path = PRISMA_STRINGS("a", NULL), .equals = "1" } } },
                               &l),
            "P2009", "path");
    int64_t n = 0;
    REFUSED(json_opt_count(db, &(JsonOptWhereInput){ .json = { .path = PRISMA_STRINGS("a") } }, &n), "P2019", "JSON path");
}
END_TEST

/* Special characters in path keys and values reach the database as bound values. */
START_TEST(keys_and_values_are_bound)
{
    create_opt(1, "{\"it's\": {\"a.b\": \"x'y\"}, \"k\": \"100%_\"}");
    create_opt(2, "{\"it's\": {\"a.b\": \"xy\"}, \"k\": \"100\"}");
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("it's", "a.b"), .equals = "\"x'y\""), "1");
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("k"), .string_contains = "%_"), "1");
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("k"), .string_ends_with = "0"), "2");
    /* The same shape with other values reuses the statement: one prepare per shape. */
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("it's", "a.b"), .equals = "\"xy\""), "2");
}
END_TEST

/* Json filters inside OR / NOT, beside other fields' filters. */
START_TEST(json_filters_combine)
{
    create_opt(1, "{\"tags\": [\"a\", \"b\"], \"n\": 1}");
    create_opt(2, "{\"tags\": [\"b\"], \"n\": 2}");
    create_opt(3, "{\"tags\": [], \"n\": 3}");
    JsonOptList *l = NULL;
    OK(json_opt_find_many(db, &(JsonOptFindManyArgs){
        .where = &(JsonOptWhereInput){
            .OR = (const JsonOptWhereInput[]){ { .json = { .path = PRISMA_STRINGS("tags"), .array_contains = "[\"a\"]" } },
                                               { .json = { .path = PRISMA_STRINGS("n"), .gte = "3" } } },
            .OR_len = 2,
            .NOT = (const JsonOptWhereInput[]){ { .id = { .equals = PRISMA_INT(3) } } }, .NOT_len = 1 } }, &l));
    ck_assert_uint_eq(l->len, 1);
    ck_assert_int_eq(l->items[0].id, 1);
    prisma_free(l);
    int64_t n = 0;
    OK(json_opt_count(db, &(JsonOptWhereInput){ .json = { .path = PRISMA_STRINGS("tags"), .array_contains = "\"b\"" } }, &n));
    ck_assert_int_eq(n, 2);
}
END_TEST

/* ---- data_types/json.rs ---- */

/* data_types/json.rs json::json_null: DbNull reads back as SQL NULL (a NULL
 * pointer), JsonNull as the JSON value null */
START_TEST(data_types_json_null)
{
    create_opt(1, PRISMA_DB_NULL);
    create_opt(2, PRISMA_JSON_NULL);
    JsonOptList *l = NULL;
    OK(json_opt_find_many(db, &(JsonOptFindManyArgs){ .order_by = &(JsonOptOrderByInput){ .id = PRISMA_ASC },
                                                      .order_by_len = 1 }, &l));
    ck_assert_uint_eq(l->len, 2);
    ck_assert_ptr_null(l->items[0].json);
    ck_assert_str_eq(l->items[1].json, "null");
    prisma_free(l);
}
END_TEST

/* data_types/json.rs json::json_null_must_not_be_confused_with_literal_string */
START_TEST(json_null_is_not_the_string_null)
{
    create_opt(1, "\"null\"");
    create_opt(2, PRISMA_JSON_NULL);
    JsonOpt *r = NULL;
    OK(json_opt_find_unique(db, &(JsonOptWhereUniqueInput){ .id = PRISMA_INT(1) }, &r));
    ck_assert_str_eq(r->json, "\"null\"");
    prisma_free(r);
    ck_assert_str_eq(OPT_IDS(.equals = PRISMA_JSON_NULL), "2");
    ck_assert_str_eq(OPT_IDS(.equals = "\"null\""), "1");
    ck_assert_str_eq(OPT_IDS(.string_contains = "null"), "1");
}
END_TEST

/* ---- clients, transactions and batches: the same filter ---- */

static int count_in_tx(prisma_client *tx, void *arg)
{
    int64_t *n = arg;
    return json_opt_count(tx, &(JsonOptWhereInput){ .json = { .path = PRISMA_STRINGS("a"), .gt = "1" } }, n);
}

START_TEST(json_filters_in_transactions_and_batches)
{
    create_opt(1, "{\"a\": 1}");
    create_opt(2, "{\"a\": 2}");
    create_opt(3, "{\"a\": 3}");
    int64_t n = 0;
    OK(prisma_transaction(db, count_in_tx, &n, NULL));
    ck_assert_int_eq(n, 2);
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    int64_t updated = 0, counted = 0;
    JsonOptList *l = NULL;
    OK(json_opt_batch_update_many(b, &(JsonOptWhereInput){ .json = { .path = PRISMA_STRINGS("a"), .lte = "2" } },
                                  &(JsonOptUpdateInput){ .json = PRISMA_JSON_NULL }, &updated));
    OK(json_opt_batch_count(b, &(JsonOptWhereInput){ .json = { .equals = PRISMA_JSON_NULL } }, &counted));
    OK(json_opt_batch_find_many(b, &(JsonOptFindManyArgs){ .where = &(JsonOptWhereInput){
                                    .json = { .path = PRISMA_STRINGS("a"), .equals = PRISMA_ANY_NULL } } }, &l));
    size_t failed = 0;
    OK(prisma_batch_run(b, NULL, &failed));
    prisma_batch_free(b);
    ck_assert_int_eq(updated, 2);
    ck_assert_int_eq(counted, 2);
    /* the JSON null has no key "a": its path leads nowhere (DbNull) */
    ck_assert_uint_eq(l->len, 2);
    prisma_free(l);
}
END_TEST

/* One statement per query, however many Json filters and path items (the
 * path is one bound value, whatever its length). */
static int prepares;
static void count_sql(void *arg, const char *sql)
{
    (void)arg;
    if (getenv("QUERIES_JSON_SQL"))
        fprintf(stderr, "%s\n", sql);
    prepares++;
}

START_TEST(one_statement_per_query)
{
    create_opt(1, "{\"a\": {\"b\": [1, 2]}}");
    prepares = 0;
    prisma_set_trace(db, count_sql, NULL);
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("a", "b"), .array_contains = "[2]", .array_starts_with = "1",
                             .array_ends_with = "2"), "1");
    ck_assert_str_eq(OPT_IDS(.path = PRISMA_STRINGS("a", "b", "1"), .array_contains = "[3]", .array_starts_with = "1",
                             .array_ends_with = "2"), "");
    prisma_set_trace(db, NULL, NULL);
    ck_assert_int_eq(prepares, 2);
}
END_TEST

static const char *const tables[] = { "JsonModel", "JsonText", "JsonOpt", "Note" };

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

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, json_basic);
    tcase_add_test(tc, no_path_without_filter);
    tcase_add_test(tc, extract_array_path);
    tcase_add_test(tc, extract_array_path_pg_json);
    tcase_add_test(tc, array_contains);
    tcase_add_test(tc, array_contains_pg_json);
    tcase_add_test(tc, array_starts_with);
    tcase_add_test(tc, array_starts_with_pg_json);
    tcase_add_test(tc, array_ends_with);
    tcase_add_test(tc, array_ends_with_pg_json);
    tcase_add_test(tc, string_contains);
    tcase_add_test(tc, string_contains_pg_json);
    tcase_add_test(tc, string_starts_with);
    tcase_add_test(tc, string_starts_with_pg_json);
    tcase_add_test(tc, string_ends_with);
    tcase_add_test(tc, string_ends_with_pg_json);
    tcase_add_test(tc, gt_gte);
    tcase_add_test(tc, gt_gte_pg_json);
    tcase_add_test(tc, lt_lte);
    tcase_add_test(tc, lt_lte_pg_json);
    tcase_add_test(tc, multi_filtering);
    tcase_add_test(tc, multi_filtering_pg_json);
    tcase_add_test(tc, string_filters_do_not_error);
    tcase_add_test(tc, insensitive_string_matcher);
    tcase_add_test(tc, db_null_and_json_null_without_path);
    tcase_add_test(tc, nulls_at_a_path);
    tcase_add_test(tc, writes_keep_the_nulls_apart);
    tcase_add_test(tc, bad_arguments_are_refused);
    tcase_add_test(tc, keys_and_values_are_bound);
    tcase_add_test(tc, json_filters_combine);
    tcase_add_test(tc, data_types_json_null);
    tcase_add_test(tc, json_null_is_not_the_string_null);
    tcase_add_test(tc, json_filters_in_transactions_and_batches);
    tcase_add_test(tc, one_statement_per_query);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = {
        .name = "queries_json", .timeout = 60, .url = &url, .setup = setup, .teardown = teardown,
        .add_tests = add_tests,
    };
    return testmain_run(&suite, argc, argv);
}
