/* issue 13, item 9 (writes): update_many_and_return, `limit` on update_many
 * and delete_many, and where-unique inputs with further non-unique
 * conditions (`filter`, Prisma's WhereUniqueInput) on find_unique, update,
 * delete, upsert, cursors, nested writes and batches; on every backend.
 *
 * Ported from prisma-engines, query-engine/connector-test-kit-rs/
 * query-engine-tests/tests/ (each test names its source):
 *   writes/top_level_mutations/update_many_and_return.rs  7 cases
 *   writes/top_level_mutations/delete_many.rs             2 cases (the limit ones)
 *   queries/filters/where_unique.rs                       2 cases (the extended where-unique ones)
 * The other tests here are prismac's own (statement counts, the batch kinds,
 * limit on update_many and update_many_and_return, upsert and nested writes
 * with a filter, refused inputs).
 * Schema: tests/queries/writes/schema.prisma.in. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

static const char *url;
static prisma_client *db;

static const char *const tables[] = { "TestModel", "Todo", "Uniq", "Child", "Parent", "Pair", "Odd" };

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
    char last[2048];
    char verbs[512]; /* each statement's first word, space separated */
} trace_log;

static void on_sql(void *arg, const char *sql)
{
    trace_log *t = arg;
    t->n++;
    snprintf(t->last, sizeof t->last, "%s", sql);
    size_t o = strlen(t->verbs), w = strcspn(sql, " ");
    snprintf(t->verbs + o, sizeof t->verbs - o, "%s%.*s", o ? " " : "", (int)w, sql);
}

/* An update whose rows come back: one UPDATE ... RETURNING, or where the
 * database has none (MySQL) Prisma's emulation: the rows read locked, updated
 * by key, read again, in a transaction. */
#define UPDATE_RETURNING_VERBS (testdb->update_returning ? "UPDATE" : "BEGIN SELECT UPDATE SELECT COMMIT")

static trace_log tlog;

static void trace_on(void)
{
    memset(&tlog, 0, sizeof tlog);
    prisma_set_trace(db, on_sql, &tlog);
}

static void trace_off(void)
{
    prisma_set_trace(db, NULL, NULL);
}

/* ---- TestModel ---- */

static void tm_create(int id, const char *s, const int32_t *i, const double *f)
{
    TestModelCreateInput in = { .id = PRISMA_INT(id), .optStr = s };
    if (i)
        in.optInt = PRISMA_INT(*i);
    if (f)
        in.optFloat = PRISMA_FLOAT(*f);
    OK(test_model_create(db, &in, NULL));
}

static int cmp_tm(const void *a, const void *b)
{
    const TestModel *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* The rows of a list in id order (RETURNING's order is the database's). */
static TestModelList *sorted(TestModelList *l)
{
    qsort(l->items, l->len, sizeof l->items[0], cmp_tm);
    return l;
}

/* "null" or the value, per row of a sorted list: "null,12,13". */
static const char *ints_of(const TestModelList *l)
{
    static char out[256];
    out[0] = '\0';
    for (size_t i = 0; i < l->len; i++) {
        char v[32];
        if (l->items[i].optInt)
            snprintf(v, sizeof v, "%d", *l->items[i].optInt);
        else
            snprintf(v, sizeof v, "null");
        strcat(out, i ? "," : "");
        strcat(out, v);
    }
    return out;
}

static const char *floats_of(const TestModelList *l)
{
    static char out[256];
    out[0] = '\0';
    for (size_t i = 0; i < l->len; i++) {
        char v[32];
        if (l->items[i].optFloat)
            snprintf(v, sizeof v, "%g", *l->items[i].optFloat);
        else
            snprintf(v, sizeof v, "null");
        strcat(out, i ? "," : "");
        strcat(out, v);
    }
    return out;
}

/* update_many_and_return.rs: update_recs_matching_where */
START_TEST(umar_update_recs_matching_where)
{
    tm_create(1, "str1", NULL, NULL);
    tm_create(2, "str2", NULL, NULL);
    TestModelList *l = NULL;
    OK(test_model_update_many_and_return(
        db,
        &(TestModelUpdateManyArgs){ .where = &(TestModelWhereInput){ .optStr = { .equals = "str1" } },
                                    .data = &(TestModelUpdateInput){ .optStr = "str1new",
                                                                     .optInt = { .set = PRISMA_INT(1) },
                                                                     .optFloat = { .multiply = PRISMA_FLOAT(2) } } },
        &l));
    ck_assert_uint_eq(l->len, 1);
    ck_assert_str_eq(l->items[0].optStr, "str1new");
    ck_assert_ptr_nonnull(l->items[0].optInt);
    ck_assert_int_eq(*l->items[0].optInt, 1);
    ck_assert_ptr_null(l->items[0].optFloat);
    test_model_list_free(l);
}
END_TEST

/* update_many_and_return.rs: update_recs_matching_where_shorthands */
START_TEST(umar_update_recs_matching_where_shorthands)
{
    tm_create(1, "str1", NULL, NULL);
    tm_create(2, "str2", NULL, NULL);
    TestModelList *l = NULL;
    OK(test_model_update_many_and_return(
        db,
        &(TestModelUpdateManyArgs){ .where = &(TestModelWhereInput){ .optStr = { .equals = "str1" } },
                                    .data = &(TestModelUpdateInput){ .optStr = "str1new", .optInt = { .set = PRISMA_INT_NULL },
                                                                     .optFloat = { .multiply = PRISMA_FLOAT(2) } } },
        &l));
    ck_assert_uint_eq(l->len, 1);
    ck_assert_str_eq(l->items[0].optStr, "str1new");
    ck_assert_ptr_null(l->items[0].optInt);
    ck_assert_ptr_null(l->items[0].optFloat);
    test_model_list_free(l);
}
END_TEST

/* update_many_and_return.rs: update_all_items_if_where_empty */
START_TEST(umar_update_all_items_if_where_empty)
{
    int32_t two = 2, three = 3;
    double f = 3.1;
    tm_create(2, "str2", &two, NULL);
    tm_create(3, "str3", &three, &f);
    TestModelList *l = NULL;
    OK(test_model_update_many_and_return(
        db,
        &(TestModelUpdateManyArgs){ .where = &(TestModelWhereInput){ .AND_len = 0 },
                                    .data = &(TestModelUpdateInput){ .optStr = "updated",
                                                                     .optFloat = { .divide = PRISMA_FLOAT(2) },
                                                                     .optInt = { .decrement = PRISMA_INT(1) } } },
        &l));
    sorted(l);
    ck_assert_uint_eq(l->len, 2);
    ck_assert_str_eq(l->items[0].optStr, "updated");
    ck_assert_str_eq(l->items[1].optStr, "updated");
    ck_assert_str_eq(ints_of(l), "1,2");
    ck_assert_str_eq(floats_of(l), "null,1.55");
    test_model_list_free(l);
}
END_TEST

/* update_many_and_return.rs: query_number_operation, the rows returned in id order. */
static const char *int_op(TestModelUpdateInput data)
{
    static char out[256];
    TestModelList *l = NULL;
    OK(test_model_update_many_and_return(db, &(TestModelUpdateManyArgs){ .data = &data }, &l));
    ck_assert_uint_eq(l->len, 3);
    snprintf(out, sizeof out, "%s", ints_of(sorted(l)));
    test_model_list_free(l);
    return out;
}

static const char *float_op(TestModelUpdateInput data)
{
    static char out[256];
    TestModelList *l = NULL;
    OK(test_model_update_many_and_return(db, &(TestModelUpdateManyArgs){ .data = &data }, &l));
    ck_assert_uint_eq(l->len, 3);
    snprintf(out, sizeof out, "%s", floats_of(sorted(l)));
    test_model_list_free(l);
    return out;
}

/* update_many_and_return.rs: apply_number_ops_for_int */
START_TEST(umar_apply_number_ops_for_int)
{
    int32_t two = 2, three = 3;
    double f = 3.1;
    tm_create(1, "str1", NULL, NULL);
    tm_create(2, "str2", &two, NULL);
    tm_create(3, "str3", &three, &f);
    ck_assert_str_eq(int_op((TestModelUpdateInput){ .optInt = { .increment = PRISMA_INT(10) } }), "null,12,13");
    ck_assert_str_eq(int_op((TestModelUpdateInput){ .optInt = { .decrement = PRISMA_INT(10) } }), "null,2,3");
    ck_assert_str_eq(int_op((TestModelUpdateInput){ .optInt = { .multiply = PRISMA_INT(2) } }), "null,4,6");
    ck_assert_str_eq(int_op((TestModelUpdateInput){ .optInt = { .divide = PRISMA_INT(3) } }), "null,1,2");
    ck_assert_str_eq(int_op((TestModelUpdateInput){ .optInt = { .set = PRISMA_INT(5) } }), "5,5,5");
    ck_assert_str_eq(int_op((TestModelUpdateInput){ .optInt = { .set = PRISMA_INT_NULL } }), "null,null,null");
}
END_TEST

/* update_many_and_return.rs: apply_number_ops_for_float */
START_TEST(umar_apply_number_ops_for_float)
{
    double two = 2, f = 3.1;
    tm_create(1, "str1", NULL, NULL);
    tm_create(2, "str2", NULL, &two);
    tm_create(3, "str3", NULL, &f);
    ck_assert_str_eq(float_op((TestModelUpdateInput){ .optFloat = { .increment = PRISMA_FLOAT(1.1) } }), "null,3.1,4.2");
    ck_assert_str_eq(float_op((TestModelUpdateInput){ .optFloat = { .decrement = PRISMA_FLOAT(1.1) } }), "null,2,3.1");
    ck_assert_str_eq(float_op((TestModelUpdateInput){ .optFloat = { .multiply = PRISMA_FLOAT(5.5) } }), "null,11,17.05");
    ck_assert_str_eq(float_op((TestModelUpdateInput){ .optFloat = { .divide = PRISMA_FLOAT(2) } }), "null,5.5,8.525");
    ck_assert_str_eq(float_op((TestModelUpdateInput){ .optFloat = { .set = PRISMA_FLOAT(5) } }), "5,5,5");
    ck_assert_str_eq(float_op((TestModelUpdateInput){ .optFloat = { .set = PRISMA_FLOAT_NULL } }), "null,null,null");
}
END_TEST

static void parents_and_children(void)
{
    int64_t n = 0;
    OK(parent_create_many(db,
                          (ParentCreateInput[]){ { .id = PRISMA_INT(1), .str1 = "1" }, { .id = PRISMA_INT(2), .str1 = "2" } },
                          2, false, &n));
    ck_assert_int_eq(n, 2);
    OK(child_create_many(db,
                         (ChildCreateInput[]){ { .id = PRISMA_INT(1), .str1 = "1", .testId = PRISMA_INT(1) },
                                               { .id = PRISMA_INT(2), .str1 = "2", .testId = PRISMA_INT(2) } },
                         2, false, &n));
    ck_assert_int_eq(n, 2);
}

static int cmp_child(const void *a, const void *b)
{
    const Child *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* update_many_and_return.rs: update_many_1m_inline_rel_read_works */
START_TEST(umar_update_many_1m_inline_rel_read_works)
{
    parents_and_children();
    ChildList *l = NULL;
    OK(child_update_many_and_return(db, &(ChildUpdateManyArgs){ .data = &(ChildUpdateInput){ .str1 = "updated" } }, &l));
    ck_assert_uint_eq(l->len, 2);
    qsort(l->items, l->len, sizeof l->items[0], cmp_child);
    ck_assert_int_eq(l->items[0].id, 1);
    ck_assert_str_eq(l->items[0].str1, "updated");
    ck_assert_int_eq(l->items[1].id, 2);
    ck_assert_str_eq(l->items[1].str1, "updated");
    child_list_free(l);
}
END_TEST

/* update_many_and_return.rs: update_many_11_inline_rel_read_works (the
 * relation read becomes a read of the key: update_many_and_return reads no
 * relations, as its C signature has no include). */
START_TEST(umar_update_many_11_inline_rel_read_works)
{
    parents_and_children();
    ChildList *l = NULL;
    OK(child_update_many_and_return(db, &(ChildUpdateManyArgs){ .data = &(ChildUpdateInput){ .testId = { .set = PRISMA_INT(1) } } },
                                    &l));
    ck_assert_uint_eq(l->len, 2);
    qsort(l->items, l->len, sizeof l->items[0], cmp_child);
    for (size_t i = 0; i < 2; i++) {
        ck_assert_int_eq(l->items[i].id, (int)i + 1);
        ck_assert_ptr_nonnull(l->items[i].testId);
        ck_assert_int_eq(*l->items[i].testId, 1);
        ck_assert_ptr_null(l->items[i].test); /* not read */
    }
    child_list_free(l);
    Parent *p = NULL;
    OK(parent_find_unique(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(1) }, &p));
    ck_assert_ptr_nonnull(p);
    parent_free(p);
}
END_TEST

/* One UPDATE ... RETURNING, whatever the number of rows; empty data sends nothing. */
START_TEST(umar_is_one_statement)
{
    for (int i = 1; i <= 50; i++)
        tm_create(i, i % 2 ? "odd" : "even", NULL, NULL);
    trace_on();
    TestModelList *l = NULL;
    OK(test_model_update_many_and_return(
        db,
        &(TestModelUpdateManyArgs){ .where = &(TestModelWhereInput){ .optStr = { .equals = "odd" } },
                                    .data = &(TestModelUpdateInput){ .optInt = { .set = PRISMA_INT(7) } } },
        &l));
    ck_assert_str_eq(tlog.verbs, UPDATE_RETURNING_VERBS);
    if (testdb->update_returning)
        ck_assert_ptr_nonnull(strstr(tlog.last, " RETURNING "));
    ck_assert_uint_eq(l->len, 25);
    for (size_t i = 0; i < l->len; i++) {
        ck_assert_str_eq(l->items[i].optStr, "odd");
        ck_assert_int_eq(*l->items[i].optInt, 7);
    }
    test_model_list_free(l);
    /* Nothing to change: no statement, an empty list (as update_many counts 0). */
    tlog.n = 0;
    OK(test_model_update_many_and_return(db, &(TestModelUpdateManyArgs){ .data = &(TestModelUpdateInput){ .optStr = NULL } }, &l));
    ck_assert_int_eq(tlog.n, 0);
    ck_assert_ptr_nonnull(l);
    ck_assert_uint_eq(l->len, 0);
    test_model_list_free(l);
    /* No match: one statement (or the emulation's), an empty list. */
    memset(&tlog, 0, sizeof tlog);
    OK(test_model_update_many_and_return(
        db,
        &(TestModelUpdateManyArgs){ .where = &(TestModelWhereInput){ .optStr = { .equals = "none" } },
                                    .data = &(TestModelUpdateInput){ .optInt = { .set = PRISMA_INT(1) } } },
        &l));
    /* (the emulation: the locked read finds nothing, no UPDATE; the read-back
     * of no keys, WHERE 1 = 0, stands for RETURNING's empty result) */
    ck_assert_str_eq(tlog.verbs, testdb->update_returning ? "UPDATE" : "BEGIN SELECT SELECT COMMIT");
    ck_assert_uint_eq(l->len, 0);
    test_model_list_free(l);
    trace_off();
}
END_TEST

/* Refused before anything is sent: missing data, nested writes, a negative limit. */
START_TEST(umar_bad_inputs_are_refused)
{
    parents_and_children();
    trace_on();
    ParentList *l = NULL;
    FAILS_WITH(parent_update_many_and_return(db, &(ParentUpdateManyArgs){ .data = NULL }, &l), "P2009");
    ck_assert_ptr_null(l);
    FAILS_WITH(parent_update_many_and_return(
                   db,
                   &(ParentUpdateManyArgs){ .data = &(ParentUpdateInput){
                                                .children = { .delete_many = (ChildWhereInput[]){ { .AND_len = 0 } },
                                                              .delete_many_len = 1 } } },
                   &l),
               "P2009");
    FAILS_WITH(parent_update_many_and_return(db, &(ParentUpdateManyArgs){ .data = &(ParentUpdateInput){ .str1 = "x" },
                                                                           .limit = PRISMA_LIMIT(-1) },
                                             &l),
               "P2019");
    ck_assert_str_eq(prisma_error_message(db), "Input error. Provided limit (-1) must be a positive integer.");
    FAILS_WITH(parent_update_many_and_return(db, &(ParentUpdateManyArgs){ .data = &(ParentUpdateInput){ .str1 = "x" },
                                                                           .limit = PRISMA_BIGINT_NULL },
                                             &l),
               "P2009");
    ck_assert_int_eq(tlog.n, 0);
    trace_off();
    int64_t n = -1;
    OK(child_count(db, &(ChildWhereInput){ .str1 = { .equals = "1" } }, &n));
    ck_assert_int_eq(n, 1); /* nothing changed */
}
END_TEST

/* ---- limit ---- */

static void todos(int n)
{
    for (int i = 1; i <= n; i++) {
        char title[16];
        snprintf(title, sizeof title, "title%d", i);
        OK(todo_create(db, &(TodoCreateInput){ .id = PRISMA_INT(i), .title = title }, NULL));
    }
}

static int64_t todo_total(void)
{
    int64_t n = -1;
    OK(todo_count(db, NULL, &n));
    return n;
}

/* delete_many.rs: should_delete_max_limit_items */
START_TEST(dm_should_delete_max_limit_items)
{
    todos(4);
    ck_assert_int_eq(todo_total(), 4);
    int64_t n = 0;
    trace_on();
    OK(todo_delete_many_with(db, &(TodoDeleteManyArgs){ .limit = PRISMA_LIMIT(3) }, &n));
    ck_assert_int_eq(tlog.n, 1); /* one DELETE ... WHERE key IN (SELECT ... LIMIT) */
    ck_assert_ptr_nonnull(strstr(tlog.last, "DELETE FROM "));
    ck_assert_ptr_nonnull(strstr(tlog.last, " IN (SELECT "));
    trace_off();
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(todo_total(), 1);
}
END_TEST

/* delete_many.rs: should_fail_with_negative_limit */
START_TEST(dm_should_fail_with_negative_limit)
{
    todos(4);
    int64_t n = 9;
    trace_on();
    FAILS_WITH(todo_delete_many_with(db, &(TodoDeleteManyArgs){ .limit = PRISMA_LIMIT(-3) }, &n), "P2019");
    ck_assert_str_eq(prisma_error_message(db), "Input error. Provided limit (-3) must be a positive integer.");
    ck_assert_int_eq(tlog.n, 0);
    trace_off();
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(todo_total(), 4);
}
END_TEST

/* A limit with a where, limit 0, a limit above the matches, no limit, NULL args. */
START_TEST(delete_many_limit_with_where)
{
    todos(6);
    int64_t n = -1;
    TodoWhereInput big = { .id = { .gt = PRISMA_INT(2) } };
    OK(todo_delete_many_with(db, &(TodoDeleteManyArgs){ .where = &big, .limit = PRISMA_LIMIT(0) }, &n));
    ck_assert_int_eq(n, 0);
    OK(todo_delete_many_with(db, &(TodoDeleteManyArgs){ .where = &big, .limit = PRISMA_LIMIT(2) }, &n));
    ck_assert_int_eq(n, 2);
    int64_t left = -1;
    OK(todo_count(db, &big, &left));
    ck_assert_int_eq(left, 2); /* 2 of the 4 above 2 are gone, 1 and 2 untouched */
    OK(todo_count(db, &(TodoWhereInput){ .id = { .lte = PRISMA_INT(2) } }, &left));
    ck_assert_int_eq(left, 2);
    OK(todo_delete_many_with(db, &(TodoDeleteManyArgs){ .where = &big, .limit = PRISMA_LIMIT(100) }, &n));
    ck_assert_int_eq(n, 2);
    OK(todo_delete_many_with(db, &(TodoDeleteManyArgs){ .where = NULL }, &n)); /* no limit: every row */
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(todo_total(), 0);
    OK(todo_delete_many_with(db, NULL, &n));
    ck_assert_int_eq(n, 0);
}
END_TEST

/* update_many's limit: as delete_many.rs's limit cases, for update_many. */
START_TEST(update_many_limit)
{
    todos(4);
    int64_t n = 0;
    trace_on();
    OK(todo_update_many_with(db,
                             &(TodoUpdateManyArgs){ .data = &(TodoUpdateInput){ .title = "changed" },
                                                    .limit = PRISMA_LIMIT(3) },
                             &n));
    ck_assert_int_eq(tlog.n, 1);
    ck_assert_ptr_nonnull(strstr(tlog.last, "UPDATE "));
    ck_assert_ptr_nonnull(strstr(tlog.last, " IN (SELECT "));
    ck_assert_int_eq(n, 3);
    int64_t changed = -1;
    OK(todo_count(db, &(TodoWhereInput){ .title = { .equals = "changed" } }, &changed));
    ck_assert_int_eq(changed, 3);
    tlog.n = 0;
    FAILS_WITH(todo_update_many_with(db,
                                     &(TodoUpdateManyArgs){ .data = &(TodoUpdateInput){ .title = "x" },
                                                            .limit = PRISMA_LIMIT(-3) },
                                     &n),
               "P2019");
    ck_assert_str_eq(prisma_error_message(db), "Input error. Provided limit (-3) must be a positive integer.");
    ck_assert_int_eq(tlog.n, 0);
    OK(todo_update_many_with(db,
                             &(TodoUpdateManyArgs){ .where = &(TodoWhereInput){ .title = { .not_ = "changed" } },
                                                    .data = &(TodoUpdateInput){ .title = "changed" },
                                                    .limit = PRISMA_LIMIT(0) },
                             &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(tlog.n, 1); /* limit 0 still runs its statement, as Prisma's LIMIT 0 */
    trace_off();
    /* Empty data: a count of 0, nothing sent. */
    OK(todo_update_many_with(db, &(TodoUpdateManyArgs){ .data = &(TodoUpdateInput){ .title = NULL }, .limit = PRISMA_LIMIT(2) },
                             &n));
    ck_assert_int_eq(n, 0);
    /* No limit: every match. */
    OK(todo_update_many_with(db, &(TodoUpdateManyArgs){ .data = &(TodoUpdateInput){ .title = "all" } }, &n));
    ck_assert_int_eq(n, 4);
}
END_TEST

/* update_many_and_return with a limit: the limited rows come back. */
START_TEST(update_many_and_return_limit)
{
    for (int i = 1; i <= 10; i++)
        tm_create(i, "s", NULL, NULL);
    TestModelList *l = NULL;
    trace_on();
    OK(test_model_update_many_and_return(
        db,
        &(TestModelUpdateManyArgs){ .where = &(TestModelWhereInput){ .id = { .gt = PRISMA_INT(3) } },
                                    .data = &(TestModelUpdateInput){ .optStr = "picked" }, .limit = PRISMA_LIMIT(4) },
        &l));
    ck_assert_str_eq(tlog.verbs, UPDATE_RETURNING_VERBS);
    trace_off();
    ck_assert_uint_eq(l->len, 4);
    for (size_t i = 0; i < l->len; i++) {
        ck_assert_str_eq(l->items[i].optStr, "picked");
        ck_assert_int_gt(l->items[i].id, 3);
    }
    test_model_list_free(l);
    int64_t n = -1;
    OK(test_model_count(db, &(TestModelWhereInput){ .optStr = { .equals = "picked" } }, &n));
    ck_assert_int_eq(n, 4);
}
END_TEST

/* A compound primary key: the rows are picked by (a, b). */
START_TEST(limit_with_compound_key)
{
    for (int a = 1; a <= 3; a++)
        for (int b = 1; b <= 3; b++)
            OK(pair_create(db, &(PairCreateInput){ .a = PRISMA_INT(a), .b = PRISMA_INT(b) }, NULL));
    int64_t n = 0;
    OK(pair_update_many_with(db,
                             &(PairUpdateManyArgs){ .where = &(PairWhereInput){ .a = { .equals = PRISMA_INT(2) } },
                                                    .data = &(PairUpdateInput){ .v = { .set = PRISMA_INT(9) } },
                                                    .limit = PRISMA_LIMIT(2) },
                             &n));
    ck_assert_int_eq(n, 2);
    int64_t c = -1;
    OK(pair_count(db, &(PairWhereInput){ .v = { .equals = PRISMA_INT(9) }, .a = { .equals = PRISMA_INT(2) } }, &c));
    ck_assert_int_eq(c, 2);
    OK(pair_delete_many_with(db, &(PairDeleteManyArgs){ .limit = PRISMA_LIMIT(5) }, &n));
    ck_assert_int_eq(n, 5);
    OK(pair_count(db, NULL, &c));
    ck_assert_int_eq(c, 4);
}
END_TEST

/* The batch kinds: update_many_and_return, update_many_with, delete_many_with. */
START_TEST(batch_kinds)
{
    todos(5);
    for (int i = 1; i <= 3; i++)
        tm_create(i, "b", NULL, NULL);
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    TestModelList *ret = NULL, *none = NULL;
    int64_t upd = -1, del = -1;
    OK(test_model_batch_update_many_and_return(
        b, &(TestModelUpdateManyArgs){ .data = &(TestModelUpdateInput){ .optStr = "B" }, .limit = PRISMA_LIMIT(2) }, &ret));
    OK(test_model_batch_update_many_and_return(b, &(TestModelUpdateManyArgs){ .data = &(TestModelUpdateInput){ .optStr = NULL } },
                                               &none));
    OK(todo_batch_update_many_with(
        b, &(TodoUpdateManyArgs){ .data = &(TodoUpdateInput){ .title = "u" }, .limit = PRISMA_LIMIT(4) }, &upd));
    OK(todo_batch_delete_many_with(
        b, &(TodoDeleteManyArgs){ .where = &(TodoWhereInput){ .title = { .equals = "u" } }, .limit = PRISMA_LIMIT(3) },
        &del));
    size_t failed = 0;
    OK(prisma_batch_run(b, NULL, &failed));
    prisma_batch_free(b);
    ck_assert_ptr_nonnull(ret);
    ck_assert_uint_eq(ret->len, 2);
    ck_assert_str_eq(ret->items[0].optStr, "B");
    ck_assert_ptr_nonnull(none);
    ck_assert_uint_eq(none->len, 0);
    ck_assert_int_eq(upd, 4);
    ck_assert_int_eq(del, 3);
    ck_assert_int_eq(todo_total(), 2);
    test_model_list_free(ret);
    test_model_list_free(none);
    /* A negative limit fails the batch at its index, nothing written. */
    OK(prisma_batch_new(db, &b));
    OK(todo_batch_update_many_with(b, &(TodoUpdateManyArgs){ .data = &(TodoUpdateInput){ .title = "v" } }, &upd));
    OK(todo_batch_delete_many_with(b, &(TodoDeleteManyArgs){ .limit = PRISMA_LIMIT(-1) }, &del));
    FAILS_WITH(prisma_batch_run(b, NULL, &failed), "P2019");
    ck_assert_uint_eq(failed, 1);
    prisma_batch_free(b);
    int64_t v = -1;
    OK(todo_count(db, &(TodoWhereInput){ .title = { .equals = "v" } }, &v));
    ck_assert_int_eq(v, 0);
}
END_TEST

/* ---- where-unique filters ---- */

static const UniqUpdateInput empty_uniq_update;

static void uniq_row(void)
{
    OK(uniq_create(db,
                   &(UniqCreateInput){ .id = PRISMA_INT(1), .unique1 = PRISMA_INT(1), .unique2 = PRISMA_INT(1),
                                       .unique3 = PRISMA_INT(1), .unique4 = PRISMA_INT(1), .non_unique = PRISMA_INT(0) },
                   NULL));
}

/* where_unique.rs: where_unique_fails_if_not_unique */
START_TEST(wu_where_unique_fails_if_not_unique)
{
    Uniq *u = NULL;
    UniqWhereInput nu = { .non_unique = { .equals = PRISMA_INT(1) } };
    trace_on();
    FAILS_WITH(uniq_find_unique(db, &(UniqWhereUniqueInput){ .filter = &nu }, &u), "P2009");
    ck_assert_ptr_nonnull(strstr(prisma_error_message(db), "needs at least one of"));
    /* unique3 alone, unique4 alone: half a compound criterion. */
    FAILS_WITH(uniq_find_unique(db, &(UniqWhereUniqueInput){ .unique3_unique4 = { .unique3 = PRISMA_INT(1) } }, &u),
               "P2009");
    FAILS_WITH(uniq_find_unique(db, &(UniqWhereUniqueInput){ .unique3_unique4 = { .unique4 = PRISMA_INT(1) } }, &u),
               "P2009");
    /* AND / OR / NOT of a unique criterion are conditions, not the criterion. */
    UniqWhereInput id1 = { .id = { .equals = PRISMA_INT(1) } };
    FAILS_WITH(uniq_find_unique(db, &(UniqWhereUniqueInput){ .filter = &(UniqWhereInput){ .AND = &id1, .AND_len = 1 } }, &u),
               "P2009");
    FAILS_WITH(uniq_find_unique(db, &(UniqWhereUniqueInput){ .filter = &(UniqWhereInput){ .OR = &id1, .OR_len = 1 } }, &u),
               "P2009");
    FAILS_WITH(uniq_find_unique(db, &(UniqWhereUniqueInput){ .filter = &(UniqWhereInput){ .NOT = &id1, .NOT_len = 1 } }, &u),
               "P2009");
    ck_assert_int_eq(tlog.n, 0);
    trace_off();
    ck_assert_ptr_null(u);
}
END_TEST

/* where_unique.rs: where_unique_works_if_unique */
START_TEST(wu_where_unique_works_if_unique)
{
    uniq_row();
    /* The second create of the Prisma test meets the unique constraints. */
    FAILS_WITH(uniq_create(db,
                           &(UniqCreateInput){ .id = PRISMA_INT(2), .unique1 = PRISMA_INT(1), .unique2 = PRISMA_INT(1),
                                               .unique3 = PRISMA_INT(1), .unique4 = PRISMA_INT(1),
                                               .non_unique = PRISMA_INT(0) },
                           NULL),
               "P2002");
    UniqWhereInput nu0 = { .non_unique = { .equals = PRISMA_INT(0) } };
    UniqWhereUniqueInput cases[] = {
        { .id = PRISMA_INT(1), .filter = &nu0 },
        { .unique1 = PRISMA_INT(1), .filter = &nu0 },
        { .unique2 = PRISMA_INT(1), .filter = &nu0 },
        { .unique3_unique4 = { .unique3 = PRISMA_INT(1), .unique4 = PRISMA_INT(1) }, .filter = &nu0 },
        { .id = PRISMA_INT(1),
          .filter = &(UniqWhereInput){ .OR = (UniqWhereInput[]){ { .non_unique = { .equals = PRISMA_INT(1) } },
                                                                 { .non_unique = { .equals = PRISMA_INT(0) } } },
                                       .OR_len = 2 } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Uniq *u = NULL;
        OK(uniq_find_unique(db, &cases[i], &u));
        ck_assert_msg(u != NULL, "case %zu", i);
        ck_assert_int_eq(u->id, 1);
        uniq_free(u);
    }
}
END_TEST

/* A record that fails the filter is not found: find_unique NULL, _or_throw,
 * update and delete P2025; the filter is part of the cached shape. */
START_TEST(filter_fails_is_not_found)
{
    uniq_row();
    UniqWhereInput nu5 = { .non_unique = { .equals = PRISMA_INT(5) } };
    UniqWhereInput nu0 = { .non_unique = { .equals = PRISMA_INT(0) } };
    Uniq *u = NULL;
    for (int round = 0; round < 2; round++) { /* the second round runs from the statement cache */
        OK(uniq_find_unique(db, &(UniqWhereUniqueInput){ .id = PRISMA_INT(1) }, &u));
        ck_assert_ptr_nonnull(u);
        uniq_free(u);
        OK(uniq_find_unique(db, &(UniqWhereUniqueInput){ .id = PRISMA_INT(1), .filter = &nu5 }, &u));
        ck_assert_ptr_null(u);
        OK(uniq_find_unique(db, &(UniqWhereUniqueInput){ .id = PRISMA_INT(1), .filter = &nu0 }, &u));
        ck_assert_ptr_nonnull(u);
        uniq_free(u);
        u = NULL;
    }
    FAILS_WITH(uniq_find_unique_or_throw(db, &(UniqWhereUniqueInput){ .unique1 = PRISMA_INT(1), .filter = &nu5 }, &u),
               "P2025");
    FAILS_WITH(uniq_update(db, &(UniqWhereUniqueInput){ .id = PRISMA_INT(1), .filter = &nu5 },
                           &(UniqUpdateInput){ .non_unique = { .set = PRISMA_INT(9) } }, &u),
               "P2025");
    FAILS_WITH(uniq_delete(db, &(UniqWhereUniqueInput){ .unique2 = PRISMA_INT(1), .filter = &nu5 }, &u), "P2025");
    /* An empty update reads: the filter still applies. */
    FAILS_WITH(uniq_update(db, &(UniqWhereUniqueInput){ .id = PRISMA_INT(1), .filter = &nu5 }, &empty_uniq_update, &u),
               "P2025");
    int64_t n = -1;
    OK(uniq_count(db, &nu0, &n));
    ck_assert_int_eq(n, 1); /* untouched */
    /* Matching: one statement each (the update: one UPDATE ... RETURNING, or its emulation). */
    trace_on();
    OK(uniq_update(db, &(UniqWhereUniqueInput){ .id = PRISMA_INT(1), .filter = &nu0 },
                   &(UniqUpdateInput){ .non_unique = { .increment = PRISMA_INT(5) } }, &u));
    ck_assert_str_eq(tlog.verbs, UPDATE_RETURNING_VERBS);
    int after_update = tlog.n;
    ck_assert_int_eq(u->non_unique, 5);
    uniq_free(u);
    OK(uniq_delete(db, &(UniqWhereUniqueInput){ .id = PRISMA_INT(1), .filter = &nu5 }, &u));
    ck_assert_int_eq(tlog.n, after_update + 1);
    trace_off();
    ck_assert_int_eq(u->id, 1);
    uniq_free(u);
    OK(uniq_count(db, NULL, &n));
    ck_assert_int_eq(n, 0);
}
END_TEST

/* upsert with a filter: updates a record that meets it, creates when there is
 * none, and a record that fails it is not found: the create then meets the
 * unique constraint (P2002), as Prisma's upsert (find, then update or create). */
START_TEST(upsert_with_filter)
{
    Odd *o = NULL;
    OddWhereInput n0 = { .n = { .equals = PRISMA_INT(0) } };
    OK(odd_upsert(db, &(OddWhereUniqueInput){ .id = PRISMA_INT(1), .filter_ = &n0 },
                  &(OddCreateInput){ .id = PRISMA_INT(1), .filter = "a" },
                  &(OddUpdateInput){ .n = { .increment = PRISMA_INT(1) } }, &o));
    ck_assert_int_eq(o->n, 0); /* created */
    odd_free(o);
    OK(odd_upsert(db, &(OddWhereUniqueInput){ .id = PRISMA_INT(1), .filter_ = &n0 },
                  &(OddCreateInput){ .id = PRISMA_INT(1), .filter = "a" },
                  &(OddUpdateInput){ .n = { .increment = PRISMA_INT(1) } }, &o));
    ck_assert_int_eq(o->n, 1); /* updated */
    odd_free(o);
    o = NULL;
    FAILS_WITH(odd_upsert(db, &(OddWhereUniqueInput){ .filter = "a", .filter_ = &n0 },
                          &(OddCreateInput){ .id = PRISMA_INT(2), .filter = "a" },
                          &(OddUpdateInput){ .n = { .increment = PRISMA_INT(1) } }, &o),
               "P2002");
    ck_assert_ptr_null(o);
    /* An empty update with a filter the record meets reads it. */
    OddWhereInput n1 = { .n = { .equals = PRISMA_INT(1) } };
    OK(odd_upsert(db, &(OddWhereUniqueInput){ .filter = "a", .filter_ = &n1 },
                  &(OddCreateInput){ .id = PRISMA_INT(3), .filter = "c" }, &(OddUpdateInput){ .filter = NULL }, &o));
    ck_assert_int_eq(o->id, 1);
    odd_free(o);
    int64_t n = -1;
    OK(odd_count(db, NULL, &n));
    ck_assert_int_eq(n, 1);
}
END_TEST

/* Nested writes take the where-unique whole: connect, update and
 * delete of a child that fails the filter find nothing (P2018, P2025, P2017). */
START_TEST(nested_writes_with_filter)
{
    parents_and_children();
    ChildWhereInput s2 = { .str1 = { .equals = "2" } };
    ChildWhereInput s9 = { .str1 = { .equals = "9" } };
    Parent *p = NULL;
    /* connect child 2 to parent 1 when its str1 is "9": not found. */
    FAILS_WITH(parent_update(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(1) },
                             &(ParentUpdateInput){ .children = { .connect = (ChildWhereUniqueInput[]){ { .id = PRISMA_INT(2), .filter = &s9 } },
                                                                 .connect_len = 1 } },
                             &p),
               "P2018"); /* Prisma's error for a to-many connect that finds nothing */
    Child *c = NULL;
    OK(child_find_unique(db, &(ChildWhereUniqueInput){ .id = PRISMA_INT(2) }, &c));
    ck_assert_int_eq(*c->testId, 2);
    child_free(c);
    /* with the filter it meets: connected. */
    OK(parent_update(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(1) },
                     &(ParentUpdateInput){ .children = { .connect = (ChildWhereUniqueInput[]){ { .id = PRISMA_INT(2), .filter = &s2 } },
                                                         .connect_len = 1 } },
                     &p));
    parent_free(p);
    OK(child_find_unique(db, &(ChildWhereUniqueInput){ .id = PRISMA_INT(2) }, &c));
    ck_assert_int_eq(*c->testId, 1);
    child_free(c);
    /* nested update and delete through the filter */
    FAILS_WITH(parent_update(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(1) },
                             &(ParentUpdateInput){ .children = { .update = (ChildUpdateWithWhereInput[]){ { .where = &(ChildWhereUniqueInput){ .id = PRISMA_INT(2), .filter = &s9 },
                                                                                                            .data = &(ChildUpdateInput){ .str1 = "x" } } },
                                                                 .update_len = 1 } },
                             &p),
               "P2025");
    FAILS_WITH(parent_update(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(1) },
                             &(ParentUpdateInput){ .children = { .delete_ = (ChildWhereUniqueInput[]){ { .id = PRISMA_INT(2), .filter = &s9 } },
                                                                 .delete_len = 1 } },
                             &p),
               "P2017"); /* as a child that is not connected */
    OK(parent_update(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(1) },
                     &(ParentUpdateInput){ .children = { .delete_ = (ChildWhereUniqueInput[]){ { .id = PRISMA_INT(2), .filter = &s2 } },
                                                         .delete_len = 1 } },
                     &p));
    parent_free(p);
    int64_t n = -1;
    OK(child_count(db, NULL, &n));
    ck_assert_int_eq(n, 1);
}
END_TEST

/* set, disconnect and connect_or_create with a filter. */
START_TEST(nested_set_disconnect_coc_with_filter)
{
    parents_and_children();
    ChildWhereInput s1 = { .str1 = { .equals = "1" } };
    ChildWhereInput s9 = { .str1 = { .equals = "9" } };
    Parent *p = NULL;
    Child *c = NULL;
    /* disconnect child 1 from parent 1 only when its str1 is "9": nothing to disconnect. */
    OK(parent_update(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(1) },
                     &(ParentUpdateInput){ .children = { .disconnect = (ChildWhereUniqueInput[]){ { .id = PRISMA_INT(1), .filter = &s9 } },
                                                         .disconnect_len = 1 } },
                     &p));
    parent_free(p);
    OK(child_find_unique(db, &(ChildWhereUniqueInput){ .id = PRISMA_INT(1) }, &c));
    ck_assert_ptr_nonnull(c->testId);
    child_free(c);
    OK(parent_update(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(1) },
                     &(ParentUpdateInput){ .children = { .disconnect = (ChildWhereUniqueInput[]){ { .id = PRISMA_INT(1), .filter = &s1 } },
                                                         .disconnect_len = 1 } },
                     &p));
    parent_free(p);
    OK(child_find_unique(db, &(ChildWhereUniqueInput){ .id = PRISMA_INT(1) }, &c));
    ck_assert_ptr_null(c->testId);
    child_free(c);
    /* set parent 2's children to child 1 only if its str1 is "9": child 1 fails it, so
     * parent 2 ends with no children (set connects the records it finds, as this runtime's set
     * does for a missing id). */
    OK(parent_update(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(2) },
                     &(ParentUpdateInput){ .children = { .set = (ChildWhereUniqueInput[]){ { .id = PRISMA_INT(1), .filter = &s9 } },
                                                         .set_len = 1, .set_given = true } },
                     &p));
    parent_free(p);
    int64_t n = -1;
    OK(child_count(db, &(ChildWhereInput){ .testId = { .equals = PRISMA_INT(2) } }, &n));
    ck_assert_int_eq(n, 0);
    OK(child_find_unique(db, &(ChildWhereUniqueInput){ .id = PRISMA_INT(1) }, &c));
    ck_assert_ptr_null(c->testId);
    child_free(c);
    OK(parent_update(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(2) },
                     &(ParentUpdateInput){ .children = { .set = (ChildWhereUniqueInput[]){ { .id = PRISMA_INT(1), .filter = &s1 } },
                                                         .set_len = 1, .set_given = true } },
                     &p));
    parent_free(p);
    OK(child_count(db, &(ChildWhereInput){ .testId = { .equals = PRISMA_INT(2) } }, &n));
    ck_assert_int_eq(n, 1);
    OK(child_find_unique(db, &(ChildWhereUniqueInput){ .id = PRISMA_INT(1) }, &c));
    ck_assert_int_eq(*c->testId, 2);
    child_free(c);
    /* connect_or_create: the filter met connects; a record that fails it is not found: the create
     * meets the unique constraint. */
    OK(parent_update(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(1) },
                     &(ParentUpdateInput){ .children = { .connect_or_create = (ChildConnectOrCreateInput[]){
                                                             { .where = &(ChildWhereUniqueInput){ .id = PRISMA_INT(1), .filter = &s1 },
                                                               .create = &(ChildCreateInput){ .id = PRISMA_INT(1) } } },
                                                         .connect_or_create_len = 1 } },
                     &p));
    parent_free(p);
    OK(child_find_unique(db, &(ChildWhereUniqueInput){ .id = PRISMA_INT(1) }, &c));
    ck_assert_int_eq(*c->testId, 1);
    child_free(c);
    FAILS_WITH(parent_update(db, &(ParentWhereUniqueInput){ .id = PRISMA_INT(2) },
                             &(ParentUpdateInput){ .children = { .connect_or_create = (ChildConnectOrCreateInput[]){
                                                                     { .where = &(ChildWhereUniqueInput){ .id = PRISMA_INT(1), .filter = &s9 },
                                                                       .create = &(ChildCreateInput){ .id = PRISMA_INT(1) } } },
                                                                 .connect_or_create_len = 1 } },
                             &p),
               "P2002");
    OK(child_find_unique(db, &(ChildWhereUniqueInput){ .id = PRISMA_INT(1) }, &c));
    ck_assert_int_eq(*c->testId, 1);
    child_free(c);
}
END_TEST

/* A cursor is a where-unique too: its filter applies to the cursor's record. */
START_TEST(cursor_with_filter)
{
    for (int i = 1; i <= 5; i++)
        tm_create(i, "c", NULL, NULL);
    TestModelList *l = NULL;
    TestModelWhereInput c = { .optStr = { .equals = "c" } };
    TestModelWhereInput x = { .optStr = { .equals = "x" } };
    OK(test_model_find_many(db, &(TestModelFindManyArgs){ .cursor = &(TestModelWhereUniqueInput){ .id = PRISMA_INT(3), .filter = &c },
                                                          .order_by = &(TestModelOrderByInput){ .id = PRISMA_ASC },
                                                          .order_by_len = 1 },
                            &l));
    ck_assert_uint_eq(l->len, 3);
    ck_assert_int_eq(l->items[0].id, 3);
    test_model_list_free(l);
    OK(test_model_find_many(db, &(TestModelFindManyArgs){ .cursor = &(TestModelWhereUniqueInput){ .id = PRISMA_INT(3), .filter = &x },
                                                          .order_by = &(TestModelOrderByInput){ .id = PRISMA_ASC },
                                                          .order_by_len = 1 },
                            &l));
    ck_assert_uint_eq(l->len, 0); /* the cursor's record is not found: no rows */
    test_model_list_free(l);
}
END_TEST

/* The batch's find_unique / update / delete carry the filter. */
START_TEST(batch_with_filter)
{
    uniq_row();
    UniqWhereInput nu5 = { .non_unique = { .equals = PRISMA_INT(5) } };
    UniqWhereInput nu0 = { .non_unique = { .equals = PRISMA_INT(0) } };
    prisma_batch *b = NULL;
    Uniq *miss = (Uniq *)1, *hit = NULL;
    OK(prisma_batch_new(db, &b));
    OK(uniq_batch_find_unique(b, &(UniqWhereUniqueInput){ .id = PRISMA_INT(1), .filter = &nu5 }, &miss));
    OK(uniq_batch_find_unique(b, &(UniqWhereUniqueInput){ .id = PRISMA_INT(1), .filter = &nu0 }, &hit));
    size_t failed = 0;
    OK(prisma_batch_run(b, NULL, &failed));
    prisma_batch_free(b);
    ck_assert_ptr_null(miss);
    ck_assert_ptr_nonnull(hit);
    uniq_free(hit);
    OK(prisma_batch_new(db, &b));
    Uniq *upd = NULL;
    OK(uniq_batch_update(b, &(UniqWhereUniqueInput){ .id = PRISMA_INT(1), .filter = &nu5 },
                         &(UniqUpdateInput){ .non_unique = { .set = PRISMA_INT(3) } }, &upd));
    FAILS_WITH(prisma_batch_run(b, NULL, &failed), "P2025");
    ck_assert_uint_eq(failed, 0);
    prisma_batch_free(b);
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, umar_update_recs_matching_where);
    tcase_add_test(tc, umar_update_recs_matching_where_shorthands);
    tcase_add_test(tc, umar_update_all_items_if_where_empty);
    tcase_add_test(tc, umar_apply_number_ops_for_int);
    tcase_add_test(tc, umar_apply_number_ops_for_float);
    tcase_add_test(tc, umar_update_many_1m_inline_rel_read_works);
    tcase_add_test(tc, umar_update_many_11_inline_rel_read_works);
    tcase_add_test(tc, umar_is_one_statement);
    tcase_add_test(tc, umar_bad_inputs_are_refused);
    tcase_add_test(tc, dm_should_delete_max_limit_items);
    tcase_add_test(tc, dm_should_fail_with_negative_limit);
    tcase_add_test(tc, delete_many_limit_with_where);
    tcase_add_test(tc, update_many_limit);
    tcase_add_test(tc, update_many_and_return_limit);
    tcase_add_test(tc, limit_with_compound_key);
    tcase_add_test(tc, batch_kinds);
    tcase_add_test(tc, wu_where_unique_fails_if_not_unique);
    tcase_add_test(tc, wu_where_unique_works_if_unique);
    tcase_add_test(tc, filter_fails_is_not_found);
    tcase_add_test(tc, upsert_with_filter);
    tcase_add_test(tc, nested_writes_with_filter);
    tcase_add_test(tc, nested_set_disconnect_coc_with_filter);
    tcase_add_test(tc, cursor_with_filter);
    tcase_add_test(tc, batch_with_filter);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "queries_writes", .timeout = 120, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
