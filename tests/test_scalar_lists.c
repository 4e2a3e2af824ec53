/* Scalar lists (String[], Int[], ... Color[]) through the generated client,
 * on the backends that have them (testdb's scalar_lists; tests/meson.build
 * builds the suite for the providers Prisma gives scalar lists): create,
 * create_many, set and push, every ScalarListFilter, reading back (find,
 * include, RETURNING, find_each, batches), NULL and empty lists, defaults,
 * hostile strings and the inputs refused before anything is sent.
 * The filter cases are those of prisma-engines' query-engine-tests
 * queries/filters/list_filters.rs, for every type and enum lists.
 * Schema: tests/schemas/scalar_lists.prisma.in. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

static const char *url;
static prisma_client *db;

static const char *const tables[] = { "Lists", "Owner", "Defaults" };

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

/* The labels of the Lists rows a where matches, in id order: "one,two". */
static const char *labels(const ListsWhereInput *where)
{
    static char out[256];
    ListsList *l = NULL;
    OK(lists_find_many(db, &(ListsFindManyArgs){ .where = where, .order_by = &(ListsOrderByInput){ .id = PRISMA_ASC },
                                                 .order_by_len = 1 },
                       &l));
    out[0] = '\0';
    for (size_t i = 0; i < l->len; i++) {
        strcat(out, i ? "," : "");
        strncat(out, l->items[i].label, sizeof out - strlen(out) - 2);
    }
    lists_list_free(l);
    return out;
}

static int64_t raw_count(const char *sql)
{
    prisma_raw_rows *rows = NULL;
    OK(prisma_query_raw(db, sql, NULL, 0, &rows));
    ck_assert_uint_eq(rows->n_rows, 1);
    int64_t n = rows->values[0].i;
    prisma_free(rows);
    return n;
}

/* ---- every type, written and read back ---- */

static const unsigned char blob_a[] = { 0, 1, 2, '"', '\\', ',', '{', '}', 255 };
static const unsigned char blob_b[] = { 'N', 'U', 'L', 'L' };
static const int64_t dates[] = { 0, -62135596800000 /* 0001-01-01 */, 1700000000123, 253402300799999 /* 9999-12-31T23:59:59.999Z */ };

/* The items of full_input, static: a compound literal would end with the function. */
static const char *const f_strings[] = { "a", "", "NULL", "x y" };
static const int32_t f_ints[] = { INT32_MIN, 0, INT32_MAX };
static const int64_t f_bigs[] = { INT64_MIN, 0, INT64_MAX };
static const double f_floats[] = { 1.5, -0.0, DBL_MAX, 5e-324, 0.1 };
static const char *const f_decimals[] = { "11.11", "-0.5", "12345678901234567890.123456789", "0" };
static const bool f_bools[] = { true, false, true };
static const char *const f_jsons[] = { "{\"a\": [1, \"x\"]}", "null", "\"s\"", "[]" };
static const prisma_bytes_value f_blobs[] = { { blob_a, sizeof blob_a }, { blob_b, 4 }, { blob_a, 0 } };
static const int f_colors[] = { COLOR_GREEN, COLOR_RED, COLOR_GREEN, COLOR_BLUE };
static const char *const f_short[] = { "0123456789", "ü" };

#define GIVEN_ARRAY(a) { .set = PRISMA_GIVEN_, .items = (a), .len = sizeof(a) / sizeof((a)[0]) }

static ListsCreateInput full_input(const char *label)
{
    return (ListsCreateInput){
        .label = label,
        .strings = GIVEN_ARRAY(f_strings),
        .ints = GIVEN_ARRAY(f_ints),
        .bigs = GIVEN_ARRAY(f_bigs),
        .floats = GIVEN_ARRAY(f_floats),
        .decimals = GIVEN_ARRAY(f_decimals),
        .bools = GIVEN_ARRAY(f_bools),
        .dates = GIVEN_ARRAY(dates),
        .jsons = GIVEN_ARRAY(f_jsons),
        .blobs = GIVEN_ARRAY(f_blobs),
        .colors = GIVEN_ARRAY(f_colors),
        .short_ = GIVEN_ARRAY(f_short),
    };
}

static void check_full(const Lists *r)
{
    ck_assert_uint_eq(r->strings.len, 4);
    ck_assert_str_eq(r->strings.items[0], "a");
    ck_assert_str_eq(r->strings.items[1], "");
    ck_assert_str_eq(r->strings.items[2], "NULL");
    ck_assert_str_eq(r->strings.items[3], "x y");
    ck_assert_uint_eq(r->ints.len, 3);
    ck_assert_int_eq(r->ints.items[0], INT32_MIN);
    ck_assert_int_eq(r->ints.items[1], 0);
    ck_assert_int_eq(r->ints.items[2], INT32_MAX);
    ck_assert_uint_eq(r->bigs.len, 3);
    ck_assert(r->bigs.items[0] == INT64_MIN && r->bigs.items[1] == 0 && r->bigs.items[2] == INT64_MAX);
    ck_assert_uint_eq(r->floats.len, 5);
    ck_assert(r->floats.items[0] == 1.5);
    ck_assert(r->floats.items[1] == 0.0 && signbit(r->floats.items[1]));
    ck_assert(r->floats.items[2] == DBL_MAX);
    ck_assert(r->floats.items[3] == 5e-324);
    ck_assert(r->floats.items[4] == 0.1);
    ck_assert_uint_eq(r->decimals.len, 4);
    ck_assert_str_eq(r->decimals.items[0], "11.11");
    ck_assert_str_eq(r->decimals.items[1], "-0.5");
    ck_assert_str_eq(r->decimals.items[2], "12345678901234567890.123456789");
    ck_assert_str_eq(r->decimals.items[3], "0");
    ck_assert_uint_eq(r->bools.len, 3);
    ck_assert(r->bools.items[0] && !r->bools.items[1] && r->bools.items[2]);
    ck_assert_uint_eq(r->dates.len, 4);
    for (size_t i = 0; i < 4; i++)
        ck_assert_msg(r->dates.items[i] == dates[i], "date %zu: %lld", i, (long long)r->dates.items[i]);
    ck_assert_uint_eq(r->jsons.len, 4);
    ck_assert_str_eq(r->jsons.items[0], "{\"a\": [1, \"x\"]}");
    ck_assert_str_eq(r->jsons.items[1], "null");
    ck_assert_str_eq(r->jsons.items[2], "\"s\"");
    ck_assert_str_eq(r->jsons.items[3], "[]");
    ck_assert_uint_eq(r->blobs.len, 3);
    ck_assert_uint_eq(r->blobs.items[0].len, sizeof blob_a);
    ck_assert_int_eq(memcmp(r->blobs.items[0].data, blob_a, sizeof blob_a), 0);
    ck_assert_uint_eq(r->blobs.items[1].len, 4);
    ck_assert_int_eq(memcmp(r->blobs.items[1].data, "NULL", 4), 0);
    ck_assert_uint_eq(r->blobs.items[2].len, 0);
    ck_assert_uint_eq(r->colors.len, 4);
    ck_assert(r->colors.items[0] == COLOR_GREEN && r->colors.items[1] == COLOR_RED &&
              r->colors.items[2] == COLOR_GREEN && r->colors.items[3] == COLOR_BLUE);
    ck_assert_uint_eq(r->short_.len, 2);
    ck_assert_str_eq(r->short_.items[0], "0123456789");
    ck_assert_str_eq(r->short_.items[1], "ü");
}

START_TEST(every_type_round_trips)
{
    ListsCreateInput in = full_input("one");
    Lists *c = NULL, *r = NULL;
    OK(lists_create(db, &in, &c));
    check_full(c); /* RETURNING */
    OK(lists_find_unique(db, &(ListsWhereUniqueInput){ .id = PRISMA_INT(c->id) }, &r));
    check_full(r);
    lists_free(r);
    r = NULL;
    OK(lists_find_first(db, &(ListsFindManyArgs){ .where = &(ListsWhereInput){ .label = { .equals = "one" } } }, &r));
    check_full(r);
    lists_free(c);
    lists_free(r);
}
END_TEST

/* Quotes, backslashes, commas, braces, the word NULL, empty and blank
 * strings, SQL-looking text, and a string of a megabyte: every one comes
 * back as written and matches `has` exactly, never spliced into SQL. */
START_TEST(hostile_strings_round_trip_and_match)
{
    enum { HUGE = 1 << 20 };
    char *huge = malloc(HUGE + 1);
    for (size_t i = 0; i < HUGE; i++)
        huge[i] = "a\"\\,{} NULL'"[i % 12];
    huge[HUGE] = '\0';
    const char *items[] = { "",    "NULL",     "null", "\"",      "\\",        "\\\"",  ",",  "{",    "}",
                            "{}",  "{a,b}",    " lead", "trail ", "\t\n",      "a\"b\\c,d{e}f", "ünïcødé ✓", "test¥฿😀😁ऀँ€₭⃀",
                            "'",   "'); DROP TABLE \"Lists\"; --", "$1", "ARRAY[1]", "\"NULL\"", huge };
    size_t n = sizeof items / sizeof items[0];
    trace_log log = { 0 };
    prisma_set_trace(db, on_sql, &log);
    Lists *c = NULL;
    OK(lists_create(db, &(ListsCreateInput){ .label = "hostile",
                                             .strings = { .set = PRISMA_GIVEN_, .items = items, .len = n } },
                    &c));
    ck_assert_ptr_null(strstr(log.last, "DROP"));
    ck_assert_ptr_null(strstr(log.last, "lead"));
    OK(lists_create(db, &(ListsCreateInput){ .label = "plain", .strings = PRISMA_STRINGS("a", "b", "NUL") }, NULL));
    prisma_set_trace(db, NULL, NULL);
    Lists *r = NULL;
    OK(lists_find_unique(db, &(ListsWhereUniqueInput){ .id = PRISMA_INT(c->id) }, &r));
    for (const Lists *x = c; x; x = x == c ? r : NULL) {
        ck_assert_uint_eq(x->strings.len, n);
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(strcmp(x->strings.items[i], items[i]) == 0, "item %zu differs", i);
    }
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(labels(&(ListsWhereInput){ .strings = { .has = items[i] } }), "hostile");
    ck_assert_str_eq(labels(&(ListsWhereInput){ .strings = { .has = "NUL" } }), "plain");
    ck_assert_str_eq(labels(&(ListsWhereInput){ .strings = { .has = "a" } }), "plain");
    ck_assert_str_eq(labels(&(ListsWhereInput){ .strings = { .equals = { .set = PRISMA_GIVEN_, .items = items, .len = n } } }),
                     "hostile");
    ck_assert_str_eq(labels(&(ListsWhereInput){ .strings = { .has_every = PRISMA_STRINGS("{a,b}", "\\\"", "") } }),
                     "hostile");
    lists_free(c);
    lists_free(r);
    free(huge);
}
END_TEST

/* Ten thousand items, one parameter whatever the length: the statement of
 * a list of 1 and of a list of 10,000 is the same. */
START_TEST(long_lists_are_one_parameter)
{
    enum { N = 10000 };
    static int32_t many[N];
    for (int i = 0; i < N; i++)
        many[i] = i * 7 - 5000;
    trace_log log = { 0 };
    prisma_set_trace(db, on_sql, &log);
    Lists *c = NULL;
    OK(lists_create(db, &(ListsCreateInput){ .label = "long", .ints = { .set = PRISMA_GIVEN_, .items = many, .len = N } },
                    &c));
    char long_sql[4096];
    snprintf(long_sql, sizeof long_sql, "%s", log.last);
    OK(lists_create(db, &(ListsCreateInput){ .label = "short", .ints = PRISMA_INTS(1) }, NULL));
    ck_assert_str_eq(log.last, long_sql);
    int64_t n = 0;
    OK(lists_count(db, &(ListsWhereInput){ .ints = { .has_some = { .set = PRISMA_GIVEN_, .items = many, .len = N } } }, &n));
    ck_assert_int_eq(n, 1);
    prisma_set_trace(db, NULL, NULL);
    ck_assert_uint_eq(c->ints.len, N);
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(c->ints.items[i], many[i]);
    lists_free(c);
}
END_TEST

/* ---- NULL, empty, not given ---- */

START_TEST(not_given_empty_and_null_lists)
{
    Lists *a = NULL, *b = NULL, *p = NULL;
    OK(lists_create(db, &(ListsCreateInput){ .label = "absent" }, &a));
    OK(lists_create(db, &(ListsCreateInput){ .label = "empty", .strings = PRISMA_EMPTY_LIST, .ints = PRISMA_EMPTY_LIST },
                    &b));
    /* Not given: the column's default, here NULL; given empty: an empty array. Both read as []. */
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM \"Lists\" WHERE \"strings\" IS NULL"), 1);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM \"Lists\" WHERE \"strings\" = '{}'"), 1);
    for (const Lists *x = a; x; x = x == a ? b : NULL) {
        ck_assert_uint_eq(x->strings.len, 0);
        ck_assert_ptr_null(x->strings.items);
        ck_assert_uint_eq(x->ints.len, 0);
        ck_assert_uint_eq(x->colors.len, 0);
        ck_assert_uint_eq(x->blobs.len, 0);
    }
    /* A NULL list is neither empty nor not (Prisma's "NULL values in arrays": isEmpty does not return
     * NULL arrays), nor equal to []; NOT has does not return it either. */
    ck_assert_str_eq(labels(&(ListsWhereInput){ .strings = { .is_empty = PRISMA_BOOL(true) } }), "empty");
    ck_assert_str_eq(labels(&(ListsWhereInput){ .NOT = &(ListsWhereInput){ .strings = { .has = "z" } }, .NOT_len = 1 }),
                     "empty");
    ck_assert_str_eq(labels(&(ListsWhereInput){ .strings = { .is_empty = PRISMA_BOOL(false) } }), "");
    ck_assert_str_eq(labels(&(ListsWhereInput){ .strings = { .equals = PRISMA_EMPTY_LIST } }), "empty");
    /* push onto a NULL list as onto an empty one. */
    OK(lists_update(db, &(ListsWhereUniqueInput){ .id = PRISMA_INT(a->id) },
                    &(ListsUpdateInput){ .strings = { .push = PRISMA_STRINGS("x") }, .colors = { .push = PRISMA_ENUMS(COLOR_BLUE) } },
                    &p));
    ck_assert_uint_eq(p->strings.len, 1);
    ck_assert_str_eq(p->strings.items[0], "x");
    ck_assert_uint_eq(p->colors.len, 1);
    ck_assert_int_eq(p->colors.items[0], COLOR_BLUE);
    /* set: [] empties a list. */
    lists_free(p);
    p = NULL;
    OK(lists_update(db, &(ListsWhereUniqueInput){ .id = PRISMA_INT(a->id) },
                    &(ListsUpdateInput){ .strings = { .set = PRISMA_EMPTY_LIST } }, &p));
    ck_assert_uint_eq(p->strings.len, 0);
    ck_assert_uint_eq(p->colors.len, 1);
    lists_free(a);
    lists_free(b);
    lists_free(p);
}
END_TEST

/* A NULL item written by someone else is refused on read (P2023): a C list has no null items. */
START_TEST(a_null_item_in_the_database_is_refused)
{
    Lists *c = NULL, *r = NULL;
    OK(lists_create(db, &(ListsCreateInput){ .label = "n", .ints = PRISMA_INTS(1) }, &c));
    OK(prisma_execute_raw(db, "UPDATE \"Lists\" SET \"ints\" = ARRAY[1, NULL, 3]", NULL, 0, NULL));
    FAILS_WITH(lists_find_unique(db, &(ListsWhereUniqueInput){ .id = PRISMA_INT(c->id) }, &r), "P2023");
    ck_assert_ptr_null(r);
    OK(prisma_execute_raw(db, "UPDATE \"Lists\" SET \"ints\" = NULL, \"strings\" = ARRAY['a', NULL]", NULL, 0, NULL));
    FAILS_WITH(lists_find_unique(db, &(ListsWhereUniqueInput){ .id = PRISMA_INT(c->id) }, &r), "P2023");
    /* Bounds other than 1 still read. */
    OK(prisma_execute_raw(db, "UPDATE \"Lists\" SET \"strings\" = '[0:1]={x,y}'", NULL, 0, NULL));
    OK(lists_find_unique(db, &(ListsWhereUniqueInput){ .id = PRISMA_INT(c->id) }, &r));
    ck_assert_uint_eq(r->strings.len, 2);
    ck_assert_str_eq(r->strings.items[1], "y");
    lists_free(c);
    lists_free(r);
}
END_TEST

/* ---- updates: set and push, for every type ---- */

START_TEST(set_and_push_every_type)
{
    Lists *c = NULL, *u = NULL;
    OK(lists_create(db, &(ListsCreateInput){ .label = "u", .strings = PRISMA_STRINGS("s"), .ints = PRISMA_INTS(1),
                                             .bigs = PRISMA_BIGINTS(1), .floats = PRISMA_FLOATS(1),
                                             .decimals = PRISMA_STRINGS("1"), .bools = PRISMA_BOOLS(true),
                                             .dates = PRISMA_DATETIMES(1000), .jsons = PRISMA_STRINGS("1"),
                                             .blobs = PRISMA_BYTES_LIST(PRISMA_BYTES_ITEM("a", 1)),
                                             .colors = PRISMA_ENUMS(COLOR_RED), .short_ = PRISMA_STRINGS("s") },
                    &c));
    /* push one item */
    OK(lists_update(db, &(ListsWhereUniqueInput){ .id = PRISMA_INT(c->id) },
                    &(ListsUpdateInput){ .strings = { .push = PRISMA_STRINGS("t") }, .ints = { .push = PRISMA_INTS(2) },
                                         .bigs = { .push = PRISMA_BIGINTS(INT64_MAX) }, .floats = { .push = PRISMA_FLOATS(2.5) },
                                         .decimals = { .push = PRISMA_STRINGS("2.25") }, .bools = { .push = PRISMA_BOOLS(false) },
                                         .dates = { .push = PRISMA_DATETIMES(2000) }, .jsons = { .push = PRISMA_STRINGS("{\"k\": 2}") },
                                         .blobs = { .push = PRISMA_BYTES_LIST(PRISMA_BYTES_ITEM("\\\"", 2)) },
                                         .colors = { .push = PRISMA_ENUMS(COLOR_GREEN) }, .short_ = { .push = PRISMA_STRINGS("t") } },
                    &u));
    ck_assert_uint_eq(u->strings.len, 2);
    ck_assert_str_eq(u->strings.items[1], "t");
    ck_assert_int_eq(u->ints.items[1], 2);
    ck_assert(u->bigs.items[1] == INT64_MAX);
    ck_assert(u->floats.items[1] == 2.5);
    ck_assert_str_eq(u->decimals.items[1], "2.25");
    ck_assert(u->bools.items[0] && !u->bools.items[1]);
    ck_assert_int_eq(u->dates.items[1], 2000);
    ck_assert_str_eq(u->jsons.items[1], "{\"k\": 2}");
    ck_assert_uint_eq(u->blobs.items[1].len, 2);
    ck_assert_int_eq(memcmp(u->blobs.items[1].data, "\\\"", 2), 0);
    ck_assert_int_eq(u->colors.items[1], COLOR_GREEN);
    ck_assert_str_eq(u->short_.items[1], "t");
    lists_free(u);
    u = NULL;
    /* push several, and push nothing (no change) */
    OK(lists_update(db, &(ListsWhereUniqueInput){ .id = PRISMA_INT(c->id) },
                    &(ListsUpdateInput){ .ints = { .push = PRISMA_INTS(3, 4, 5) }, .strings = { .push = PRISMA_EMPTY_LIST },
                                         .colors = { .push = PRISMA_ENUMS(COLOR_BLUE, COLOR_BLUE) } },
                    &u));
    ck_assert_uint_eq(u->ints.len, 5);
    ck_assert_int_eq(u->ints.items[4], 5);
    ck_assert_uint_eq(u->strings.len, 2);
    ck_assert_uint_eq(u->colors.len, 4);
    lists_free(u);
    u = NULL;
    /* set replaces, for every type */
    ListsCreateInput full = full_input("u");
    OK(lists_update(db, &(ListsWhereUniqueInput){ .id = PRISMA_INT(c->id) },
                    &(ListsUpdateInput){ .strings = { .set = full.strings }, .ints = { .set = full.ints },
                                         .bigs = { .set = full.bigs }, .floats = { .set = full.floats },
                                         .decimals = { .set = full.decimals }, .bools = { .set = full.bools },
                                         .dates = { .set = full.dates }, .jsons = { .set = full.jsons },
                                         .blobs = { .set = full.blobs }, .colors = { .set = full.colors },
                                         .short_ = { .set = full.short_ } },
                    &u));
    check_full(u);
    lists_free(u);
    u = NULL;
    /* update_many pushes on every row it matches */
    OK(lists_create(db, &(ListsCreateInput){ .label = "v" }, NULL));
    int64_t count = 0;
    OK(lists_update_many(db, NULL, &(ListsUpdateInput){ .colors = { .push = PRISMA_ENUMS(COLOR_RED) } }, &count));
    ck_assert_int_eq(count, 2);
    ck_assert_str_eq(labels(&(ListsWhereInput){ .colors = { .has = COLOR_RED } }), "u,v");
    ck_assert_str_eq(labels(&(ListsWhereInput){ .colors = { .equals = PRISMA_ENUMS(COLOR_RED) } }), "v");
    lists_free(c);
}
END_TEST

START_TEST(upsert_creates_with_lists_then_pushes)
{
    Lists *r = NULL;
    ListsWhereUniqueInput where = { .id = PRISMA_INT(1000) };
    ListsCreateInput create = { .id = PRISMA_INT(1000), .label = "up", .strings = PRISMA_STRINGS("created") };
    ListsUpdateInput update = { .strings = { .push = PRISMA_STRINGS("pushed") }, .ints = { .set = PRISMA_INTS(7) } };
    OK(lists_upsert(db, &where, &create, &update, &r));
    ck_assert_uint_eq(r->strings.len, 1);
    ck_assert_uint_eq(r->ints.len, 0);
    lists_free(r);
    r = NULL;
    OK(lists_upsert(db, &where, &create, &update, &r));
    ck_assert_uint_eq(r->strings.len, 2);
    ck_assert_str_eq(r->strings.items[0], "created");
    ck_assert_str_eq(r->strings.items[1], "pushed");
    ck_assert_uint_eq(r->ints.len, 1);
    ck_assert_int_eq(r->ints.items[0], 7);
    lists_free(r);
}
END_TEST

/* ---- filters: list_filters.rs, for every type ---- */

static void filter_data(void)
{
    ListsCreateInput one = full_input("one");
    /* list_filters.rs's first row, in this schema's types. */
    one.strings = PRISMA_STRINGS("a", "A", "c");
    one.ints = PRISMA_INTS(1, 2, 3);
    one.floats = PRISMA_FLOATS(1.1, 2.2, 3.3);
    one.bigs = PRISMA_BIGINTS(100, 200, 300);
    one.decimals = PRISMA_STRINGS("11.11", "22.22", "33.33");
    one.dates = PRISMA_DATETIMES(-31495561000 /* 1969-01-01T10:33:59Z */, 1544013263000 /* 2018-12-05T12:34:23Z */);
    one.bools = PRISMA_BOOLS(true);
    one.blobs = PRISMA_BYTES_LIST(PRISMA_BYTES_ITEM("test", 4), PRISMA_BYTES_ITEM("t", 1));
    one.jsons = PRISMA_STRINGS("{}", "{\"int\":5}", "[1, 2, 3]");
    one.colors = PRISMA_ENUMS(COLOR_RED, COLOR_GREEN, COLOR_GREEN, COLOR_RED);
    OK(lists_create(db, &one, NULL));
    OK(lists_create(db, &(ListsCreateInput){ .label = "two", .strings = PRISMA_EMPTY_LIST, .ints = PRISMA_EMPTY_LIST,
                                             .floats = PRISMA_EMPTY_LIST, .bigs = PRISMA_EMPTY_LIST,
                                             .decimals = PRISMA_EMPTY_LIST, .dates = PRISMA_EMPTY_LIST,
                                             .bools = PRISMA_EMPTY_LIST, .blobs = PRISMA_EMPTY_LIST,
                                             .jsons = PRISMA_EMPTY_LIST, .colors = PRISMA_EMPTY_LIST,
                                             .short_ = PRISMA_EMPTY_LIST },
                    NULL));
}

/* MATCH(want, where members...): the labels the where matches. */
#define MATCH(want, ...) ck_assert_str_eq(labels(&(ListsWhereInput){ __VA_ARGS__ }), want)

START_TEST(filter_equals)
{
    filter_data();
    MATCH("one", .strings = { .equals = PRISMA_STRINGS("a", "A", "c") });
    MATCH("", .strings = { .equals = PRISMA_STRINGS("A", "a", "c") }); /* in order */
    MATCH("one", .ints = { .equals = PRISMA_INTS(1, 2, 3) });
    MATCH("one", .floats = { .equals = PRISMA_FLOATS(1.1, 2.2, 3.3) });
    MATCH("one", .bigs = { .equals = PRISMA_BIGINTS(100, 200, 300) });
    MATCH("one", .decimals = { .equals = PRISMA_STRINGS("11.11", "22.22", "33.33") });
    MATCH("one", .bools = { .equals = PRISMA_BOOLS(true) });
    MATCH("one", .blobs = { .equals = PRISMA_BYTES_LIST(PRISMA_BYTES_ITEM("test", 4), PRISMA_BYTES_ITEM("t", 1)) });
    MATCH("one", .dates = { .equals = PRISMA_DATETIMES(-31495561000, 1544013263000) });
    MATCH("one", .jsons = { .equals = PRISMA_STRINGS("{}", "{\"int\":5}", "[1, 2, 3]") });
    MATCH("one", .colors = { .equals = PRISMA_ENUMS(COLOR_RED, COLOR_GREEN, COLOR_GREEN, COLOR_RED) });
    MATCH("two", .colors = { .equals = PRISMA_EMPTY_LIST });
}
END_TEST

START_TEST(filter_has)
{
    filter_data();
    MATCH("one", .strings = { .has = "A" });
    MATCH("", .strings = { .has = "b" });
    MATCH("one", .ints = { .has = PRISMA_INT(2) });
    MATCH("one", .floats = { .has = PRISMA_FLOAT(1.1) });
    MATCH("one", .bigs = { .has = PRISMA_BIGINT(200) });
    MATCH("one", .decimals = { .has = "33.33" });
    MATCH("one", .decimals = { .has = "33.330" }); /* a number, not text */
    MATCH("one", .dates = { .has = PRISMA_DATETIME(1544013263000) });
    MATCH("one", .bools = { .has = PRISMA_BOOL(true) });
    MATCH("", .bools = { .has = PRISMA_BOOL(false) });
    MATCH("one", .blobs = { .has = PRISMA_BYTES("test", 4) });
    MATCH("one", .jsons = { .has = "[1,2,3]" }); /* Json, compared as Json */
    MATCH("one", .colors = { .has = COLOR_RED });
    MATCH("", .colors = { .has = COLOR_BLUE });
}
END_TEST

START_TEST(filter_has_some)
{
    filter_data();
    MATCH("one", .strings = { .has_some = PRISMA_STRINGS("A", "c") });
    MATCH("one", .ints = { .has_some = PRISMA_INTS(2, 10) });
    MATCH("one", .floats = { .has_some = PRISMA_FLOATS(1.1, 5.5) });
    MATCH("one", .bigs = { .has_some = PRISMA_BIGINTS(200, 5000) });
    MATCH("one", .decimals = { .has_some = PRISMA_STRINGS("55.55", "33.33") });
    MATCH("one", .bools = { .has_some = PRISMA_BOOLS(true, false) });
    MATCH("", .strings = { .has_some = PRISMA_EMPTY_LIST });
    MATCH("one", .dates = { .has_some = PRISMA_DATETIMES(1544013263000, 1575549263000) });
    MATCH("one", .blobs = { .has_some = PRISMA_BYTES_LIST(PRISMA_BYTES_ITEM("test", 4), PRISMA_BYTES_ITEM("looking", 7)) });
    MATCH("one", .jsons = { .has_some = PRISMA_STRINGS("{}", "[1]") });
    MATCH("one", .colors = { .has_some = PRISMA_ENUMS(COLOR_RED) });
    MATCH("", .colors = { .has_some = PRISMA_ENUMS(COLOR_BLUE) });
}
END_TEST

START_TEST(filter_has_every)
{
    filter_data();
    MATCH("", .strings = { .has_every = PRISMA_STRINGS("A", "d") });
    MATCH("one", .strings = { .has_every = PRISMA_STRINGS("A") });
    MATCH("", .ints = { .has_every = PRISMA_INTS(2, 10) });
    MATCH("one", .ints = { .has_every = PRISMA_INTS(2) });
    MATCH("", .floats = { .has_every = PRISMA_FLOATS(1.1, 5.5) });
    MATCH("one", .floats = { .has_every = PRISMA_FLOATS(1.1) });
    MATCH("", .bigs = { .has_every = PRISMA_BIGINTS(200, 5000) });
    MATCH("one", .bigs = { .has_every = PRISMA_BIGINTS(200) });
    MATCH("", .decimals = { .has_every = PRISMA_STRINGS("55.55", "33.33") });
    MATCH("one", .decimals = { .has_every = PRISMA_STRINGS("33.33") });
    MATCH("one", .dates = { .has_every = PRISMA_DATETIMES(1544013263000) });
    MATCH("", .dates = { .has_every = PRISMA_DATETIMES(1544013263000, 1575549263000) });
    MATCH("", .bools = { .has_every = PRISMA_BOOLS(true, false) });
    MATCH("one", .bools = { .has_every = PRISMA_BOOLS(true) });
    MATCH("one", .blobs = { .has_every = PRISMA_BYTES_LIST(PRISMA_BYTES_ITEM("test", 4)) });
    MATCH("", .blobs = { .has_every = PRISMA_BYTES_LIST(PRISMA_BYTES_ITEM("test", 4), PRISMA_BYTES_ITEM("looking", 7)) });
    MATCH("", .jsons = { .has_every = PRISMA_STRINGS("{}", "[1]") });
    MATCH("one", .jsons = { .has_every = PRISMA_STRINGS("{}") });
    MATCH("one", .colors = { .has_every = PRISMA_ENUMS(COLOR_RED, COLOR_GREEN) });
    MATCH("one,two", .strings = { .has_every = PRISMA_EMPTY_LIST }); /* has_every_empty */
}
END_TEST

START_TEST(filter_is_empty_and_combinations)
{
    filter_data();
    MATCH("two", .strings = { .is_empty = PRISMA_BOOL(true) });
    MATCH("two", .ints = { .is_empty = PRISMA_BOOL(true) });
    MATCH("two", .floats = { .is_empty = PRISMA_BOOL(true) });
    MATCH("two", .bigs = { .is_empty = PRISMA_BOOL(true) });
    MATCH("two", .decimals = { .is_empty = PRISMA_BOOL(true) });
    MATCH("two", .dates = { .is_empty = PRISMA_BOOL(true) });
    MATCH("two", .bools = { .is_empty = PRISMA_BOOL(true) });
    MATCH("two", .blobs = { .is_empty = PRISMA_BOOL(true) });
    MATCH("two", .jsons = { .is_empty = PRISMA_BOOL(true) });
    MATCH("two", .colors = { .is_empty = PRISMA_BOOL(true) });
    MATCH("one", .strings = { .is_empty = PRISMA_BOOL(false) });
    MATCH("one", .ints = { .is_empty = PRISMA_BOOL(false) });
    MATCH("one", .floats = { .is_empty = PRISMA_BOOL(false) });
    MATCH("one", .bigs = { .is_empty = PRISMA_BOOL(false) });
    MATCH("one", .decimals = { .is_empty = PRISMA_BOOL(false) });
    MATCH("one", .dates = { .is_empty = PRISMA_BOOL(false) });
    MATCH("one", .bools = { .is_empty = PRISMA_BOOL(false) });
    MATCH("one", .blobs = { .is_empty = PRISMA_BOOL(false) });
    MATCH("one", .jsons = { .is_empty = PRISMA_BOOL(false) });
    MATCH("one", .colors = { .is_empty = PRISMA_BOOL(false) });
    /* several conditions on one list, and through AND / OR / NOT */
    MATCH("one", .strings = { .has = "a", .has_some = PRISMA_STRINGS("c"), .is_empty = PRISMA_BOOL(false) });
    MATCH("", .strings = { .has = "a", .is_empty = PRISMA_BOOL(true) });
    MATCH("two", .NOT = &(ListsWhereInput){ .ints = { .has = PRISMA_INT(2) } }, .NOT_len = 1);
    MATCH("two", .OR = (ListsWhereInput[]){ { .ints = { .has = PRISMA_INT(99) } }, { .colors = { .is_empty = PRISMA_BOOL(true) } } },
          .OR_len = 2);
    int64_t n = 0;
    OK(lists_delete_many(db, &(ListsWhereInput){ .bools = { .has = PRISMA_BOOL(true) } }, &n));
    ck_assert_int_eq(n, 1);
    MATCH("two", .id = { .gt = PRISMA_INT(0) });
}
END_TEST

/* ---- bulk writes, include, streaming, batches ---- */

START_TEST(create_many_include_find_each_and_batches)
{
    ListsCreateInput rows[3] = { full_input("m1"), { .label = "m2" },
                                 { .label = "m3", .colors = PRISMA_ENUMS(COLOR_BLUE), .strings = PRISMA_EMPTY_LIST } };
    int64_t count = 0;
    OK(lists_create_many(db, rows, 3, false, &count));
    ck_assert_int_eq(count, 3);
    ListsList *ret = NULL;
    rows[0].label = "r1";
    rows[1].label = "r2";
    rows[2].label = "r3";
    OK(lists_create_many_and_return(db, rows, 3, false, &ret));
    ck_assert_uint_eq(ret->len, 3);
    check_full(&ret->items[0]);
    ck_assert_uint_eq(ret->items[1].colors.len, 0);
    ck_assert_int_eq(ret->items[2].colors.items[0], COLOR_BLUE);
    lists_list_free(ret);
    MATCH("m1,m3,r1,r3", .colors = { .has = COLOR_BLUE });

    /* include: the lists of included records */
    Owner *o = NULL;
    OK(owner_create(db, &(OwnerCreateInput){ .name = "o", .lists = { .create = (ListsCreateInput[]){ full_input("i1"),
                                                                        { .label = "i2", .ints = PRISMA_INTS(42) } },
                                                                      .create_len = 2 } },
                    &o));
    Owner *oi = NULL;
    OK(owner_find_first(db, &(OwnerFindManyArgs){ .include = &(OwnerInclude){ .lists = true } }, &oi));
    ck_assert_uint_eq(oi->lists->len, 2);
    check_full(&oi->lists->items[0]);
    ck_assert_int_eq(oi->lists->items[1].ints.items[0], 42);
    owner_free(oi);
    owner_free(o);

    /* batches (pipelined where the backend can) */
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    Lists *bc = NULL;
    ListsList *bl = NULL;
    ListsCreateInput bin = full_input("batch");
    OK(lists_batch_create(b, &bin, &bc));
    OK(lists_batch_find_many(b, &(ListsFindManyArgs){ .where = &(ListsWhereInput){ .strings = { .has = "x y" }, .label = { .equals = "batch" } } },
                             &bl));
    OK(prisma_batch_run(b, NULL, NULL));
    check_full(bc);
    ck_assert_uint_eq(bl->len, 1);
    check_full(&bl->items[0]);
    lists_free(bc);
    lists_list_free(bl);
    prisma_batch_free(b);
}
END_TEST

typedef struct each_state {
    size_t n, items;
} each_state;

static int on_each(const Lists *r, void *arg)
{
    each_state *s = arg;
    s->n++;
    s->items += r->strings.len + r->ints.len + r->colors.len;
    if (r->strings.len)
        ck_assert_str_eq(r->strings.items[r->strings.len - 1], "last");
    return PRISMA_OK;
}

START_TEST(find_each_streams_lists)
{
    for (int i = 0; i < 50; i++)
        OK(lists_create(db, &(ListsCreateInput){ .label = "e", .strings = PRISMA_STRINGS("first", "\"q\"", "last"),
                                                 .ints = PRISMA_INTS(i), .colors = PRISMA_ENUMS(COLOR_RED, COLOR_BLUE) },
                        NULL));
    each_state s = { 0, 0 };
    OK(lists_find_each(db, &(ListsFindManyArgs){ .where = &(ListsWhereInput){ .ints = { .has_some = PRISMA_INTS(1, 2, 3, 49) } } },
                       on_each, &s));
    ck_assert_uint_eq(s.n, 4);
    ck_assert_uint_eq(s.items, 4 * 6);
}
END_TEST

/* ---- defaults ---- */

START_TEST(list_defaults_apply_when_not_given)
{
    Defaults *d = NULL, *e = NULL;
    OK(defaults_create(db, &(DefaultsCreateInput){ 0 }, &d));
    ck_assert_uint_eq(d->none.len, 0);
    ck_assert_uint_eq(d->empty.len, 0);
    ck_assert_uint_eq(d->words.len, 3);
    ck_assert_str_eq(d->words.items[0], "a");
    ck_assert_str_eq(d->words.items[1], "it's");
    ck_assert_str_eq(d->words.items[2], "b,c");
    ck_assert_uint_eq(d->nums.len, 2);
    ck_assert_int_eq(d->nums.items[0], 1);
    ck_assert_int_eq(d->nums.items[1], -2);
    ck_assert_uint_eq(d->bigs.len, 1);
    ck_assert(d->bigs.items[0] == 9007199254740993LL);
    ck_assert_uint_eq(d->ratios.len, 2);
    ck_assert(d->ratios.items[0] == 1.5 && d->ratios.items[1] == 2.0);
    ck_assert_uint_eq(d->flags.len, 2);
    ck_assert(d->flags.items[0] && !d->flags.items[1]);
    ck_assert_uint_eq(d->palette.len, 2);
    ck_assert(d->palette.items[0] == COLOR_GREEN && d->palette.items[1] == COLOR_BLUE);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM \"Defaults\" WHERE \"empty\" = '{}' AND \"none\" IS NULL"), 1);
    /* Given, even empty, the default does not apply. */
    OK(defaults_create(db, &(DefaultsCreateInput){ .words = PRISMA_EMPTY_LIST, .nums = PRISMA_INTS(5),
                                                   .palette = PRISMA_ENUMS(COLOR_RED) },
                       &e));
    ck_assert_uint_eq(e->words.len, 0);
    ck_assert_uint_eq(e->nums.len, 1);
    ck_assert_int_eq(e->palette.items[0], COLOR_RED);
    ck_assert_uint_eq(e->flags.len, 2);
    defaults_free(d);
    defaults_free(e);
}
END_TEST

/* ---- refused inputs: nothing is sent ---- */

START_TEST(bad_list_inputs_are_refused_before_sending)
{
    Lists *c = NULL;
    OK(lists_create(db, &(ListsCreateInput){ .label = "c" }, &c));
    ListsWhereUniqueInput w = { .id = PRISMA_INT(c->id) };
    trace_log log = { 0 };
    prisma_set_trace(db, on_sql, &log);
    const char *with_null[] = { "a", NULL };
    double nan_items[] = { 1, (double)NAN };
    int bad_enum[] = { 0 }, big_enum[] = { 99 };
    FAILS_WITH(lists_create(db, &(ListsCreateInput){ .strings = { .set = PRISMA_GIVEN_, .items = with_null, .len = 2 } }, NULL),
               "P2009");
    FAILS_WITH(lists_create(db, &(ListsCreateInput){ .strings = PRISMA_STRINGS("a", PRISMA_NULL) }, NULL), "P2009");
    FAILS_WITH(lists_create(db, &(ListsCreateInput){ .ints = { .set = PRISMA_GIVEN_, .items = NULL, .len = 3 } }, NULL),
               "P2009");
    FAILS_WITH(lists_create(db, &(ListsCreateInput){ .floats = { .set = PRISMA_GIVEN_, .items = nan_items, .len = 2 } }, NULL),
               "P2009");
    FAILS_WITH(lists_create(db, &(ListsCreateInput){ .colors = { .set = PRISMA_GIVEN_, .items = bad_enum, .len = 1 } }, NULL),
               "P2009");
    FAILS_WITH(lists_create(db, &(ListsCreateInput){ .colors = { .set = PRISMA_GIVEN_, .items = big_enum, .len = 1 } }, NULL),
               "P2009");
    FAILS_WITH(lists_create(db, &(ListsCreateInput){ .strings = PRISMA_STRINGS("ok", "\xff\xfe") }, NULL), "P2009");
    FAILS_WITH(lists_create(db, &(ListsCreateInput){ .decimals = PRISMA_STRINGS("1.5", "abc") }, NULL), "P2009");
    FAILS_WITH(lists_create(db, &(ListsCreateInput){ .blobs = PRISMA_BYTES_LIST(PRISMA_BYTES_ITEM(NULL, 4)) }, NULL), "P2009");
    FAILS_WITH(lists_update(db, &w, &(ListsUpdateInput){ .ints = { .set = PRISMA_INTS(1), .push = PRISMA_INTS(2) } }, NULL),
               "P2009");
    FAILS_WITH(lists_update(db, &w, &(ListsUpdateInput){ .strings = { .push = PRISMA_STRINGS(NULL) } }, NULL), "P2009");
    int64_t n;
    FAILS_WITH(lists_count(db, &(ListsWhereInput){ .strings = { .has = PRISMA_NULL } }, &n), "P2009");
    FAILS_WITH(lists_count(db, &(ListsWhereInput){ .ints = { .has = PRISMA_INT_NULL } }, &n), "P2009");
    FAILS_WITH(lists_count(db, &(ListsWhereInput){ .floats = { .has = PRISMA_FLOAT((double)INFINITY) } }, &n), "P2009");
    FAILS_WITH(lists_count(db, &(ListsWhereInput){ .colors = { .has_some = { .set = PRISMA_GIVEN_, .items = big_enum, .len = 1 } } }, &n),
               "P2009");
    FAILS_WITH(lists_count(db, &(ListsWhereInput){ .bools = { .is_empty = PRISMA_BOOL_NULL } }, &n), "P2009");
    ck_assert_int_eq(log.n, 0);
    prisma_set_trace(db, NULL, NULL);
    /* The database's own limits: VARCHAR(10) items. */
    FAILS_WITH(lists_update(db, &w, &(ListsUpdateInput){ .short_ = { .push = PRISMA_STRINGS("01234567890") } }, NULL),
               "P2000");
    lists_free(c);
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    if (!b->scalar_lists)
        return; /* no such fields there: the schema does not even validate */
    tcase_add_test(tc, every_type_round_trips);
    tcase_add_test(tc, hostile_strings_round_trip_and_match);
    tcase_add_test(tc, long_lists_are_one_parameter);
    tcase_add_test(tc, not_given_empty_and_null_lists);
    tcase_add_test(tc, a_null_item_in_the_database_is_refused);
    tcase_add_test(tc, set_and_push_every_type);
    tcase_add_test(tc, upsert_creates_with_lists_then_pushes);
    tcase_add_test(tc, filter_equals);
    tcase_add_test(tc, filter_has);
    tcase_add_test(tc, filter_has_some);
    tcase_add_test(tc, filter_has_every);
    tcase_add_test(tc, filter_is_empty_and_combinations);
    tcase_add_test(tc, create_many_include_find_each_and_batches);
    tcase_add_test(tc, find_each_streams_lists);
    tcase_add_test(tc, list_defaults_apply_when_not_given);
    tcase_add_test(tc, bad_list_inputs_are_refused_before_sending);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "scalar_lists", .timeout = 120, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}

