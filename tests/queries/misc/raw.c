/* Raw queries (issue 13 item 12): typed results, the same on every backend,
 * and placeholders written the same way on every backend (prisma.h, "raw
 * SQL"). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

extern prisma_client *misc_db(void);
#define db (misc_db())

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

static int n_sql;
static void on_sql(void *arg, const char *sql)
{
    (void)arg;
    (void)sql;
    n_sql++;
}

/* `sql` with its "quoted" names in the backend's identifier quotes (outside
 * '...' literals); its placeholders, what these tests are about, untouched.
 * In rotating buffers. */
static const char *Q(const char *sql)
{
    static char bufs[4][512];
    static unsigned next;
    char *out = bufs[next++ % 4];
    bool literal = false;
    size_t o = 0;
    for (const char *p = sql; *p && o + 1 < sizeof bufs[0]; p++) {
        if (*p == '\'')
            literal = !literal;
        out[o++] = (*p == '"' && !literal && testdb->identifier_quote) ? testdb->identifier_quote : *p;
    }
    out[o] = '\0';
    ck_assert_uint_lt(o + 1, sizeof bufs[0]);
    return out;
}

/* What a Boolean column reads back as. */
#define BOOL_COLUMN (testdb->raw_boolean_columns ? PRISMA_RAW_BOOL : PRISMA_RAW_INT)

static const uint8_t blob[] = { 0, 1, 0xfe, 0xff };
static const int64_t when = 1709210096789LL; /* 2024-02-29T12:34:56.789Z */

static void one_kinds_row(void)
{
    OK(kinds_create(db, &(KindsCreateInput){ .id = PRISMA_INT(1), .b = PRISMA_BOOL(true), .dt = PRISMA_DATETIME(when),
                                             .dec = "12.5", .js = "{\"a\":1}", .by = PRISMA_BYTES(blob, sizeof blob),
                                             .f = PRISMA_FLOAT(0.25), .big = PRISMA_BIGINT(9007199254740993LL),
                                             .s = "text", .e = COLOR_GREEN },
                    NULL));
}

/* Every Prisma type's column, read by raw SQL, comes back as prisma.h's table says, on every backend. */
START_TEST(raw_columns_of_every_type)
{
    one_kinds_row();
    prisma_raw_rows *r = NULL;
    OK(prisma_query_raw(db, Q("SELECT id, b, dt, \"dec\", js, \"by\", f, big, s, e, k.b AS flag FROM \"Kinds\" k"), NULL, 0, &r));
    ck_assert_uint_eq(r->n_rows, 1);
    ck_assert_uint_eq(r->n_cols, 11);
    const prisma_raw_value *v = r->values;
    ck_assert_int_eq(v[0].type, PRISMA_RAW_INT);
    ck_assert_int_eq(v[0].i, 1);
    ck_assert_int_eq(v[1].type, BOOL_COLUMN);
    ck_assert_int_eq(v[1].i, 1);
    ck_assert_int_eq(v[2].type, PRISMA_RAW_DATETIME);
    ck_assert_int_eq(v[2].i, when);
    ck_assert_int_eq(v[3].type, PRISMA_RAW_DECIMAL);
    ck_assert_msg(strtod(v[3].s, NULL) == 12.5, "decimal %s", v[3].s);
    ck_assert_int_eq(v[4].type, PRISMA_RAW_JSON);
    ck_assert_msg(strstr(v[4].s, "\"a\"") && strchr(v[4].s, '1'), "json %s", v[4].s);
    ck_assert_int_eq(v[5].type, PRISMA_RAW_BYTES);
    ck_assert_uint_eq(v[5].len, sizeof blob);
    ck_assert_mem_eq(v[5].s, blob, sizeof blob);
    ck_assert_int_eq(v[6].type, PRISMA_RAW_FLOAT);
    ck_assert(v[6].f == 0.25);
    ck_assert_int_eq(v[7].type, PRISMA_RAW_INT);
    ck_assert_int_eq(v[7].i, 9007199254740993LL);
    ck_assert_int_eq(v[8].type, PRISMA_RAW_TEXT);
    ck_assert_str_eq(v[8].s, "text");
    ck_assert_uint_eq(v[8].len, 4);
    ck_assert_int_eq(v[9].type, PRISMA_RAW_TEXT); /* an enum: its database name */
    ck_assert_str_eq(v[9].s, "GREEN");
    ck_assert_int_eq(v[10].type, BOOL_COLUMN); /* through an alias, still the column */
    prisma_free(r);

    /* false, and the values of computed columns both backends type alike. */
    OK(kinds_update(db, &(KindsWhereUniqueInput){ .id = PRISMA_INT(1) }, &(KindsUpdateInput){ .b = PRISMA_BOOL(false) }, NULL));
    OK(prisma_query_raw(db,
                        Q("SELECT b, NULL AS n, 2 * 3 AS i, CAST(1.5 AS FLOAT) AS f, 'x' AS t, "
                        "count(*) AS c FROM \"Kinds\" GROUP BY b"),
                        NULL, 0, &r));
    v = r->values;
    ck_assert_int_eq(v[0].type, BOOL_COLUMN);
    ck_assert_int_eq(v[0].i, 0);
    ck_assert_int_eq(v[1].type, PRISMA_RAW_NULL);
    ck_assert_int_eq(v[2].type, PRISMA_RAW_INT);
    ck_assert_int_eq(v[2].i, 6);
    ck_assert_int_eq(v[3].type, PRISMA_RAW_FLOAT);
    ck_assert(v[3].f == 1.5);
    ck_assert_int_eq(v[4].type, PRISMA_RAW_TEXT);
    ck_assert_str_eq(v[4].s, "x");
    ck_assert_int_eq(v[5].type, PRISMA_RAW_INT);
    ck_assert_int_eq(v[5].i, 1);
    prisma_free(r);
}
END_TEST

/* The same SQL text, with $n or ?, runs on every backend; literals and comments keep theirs. */
START_TEST(raw_placeholders_are_the_same_everywhere)
{
    one_kinds_row();
    prisma_raw_value p2[] = { PRISMA_RAW_INT_V(1), PRISMA_RAW_TEXT_V("text") };
    prisma_raw_rows *r = NULL;
    static const char *const forms[] = {
        "SELECT id FROM \"Kinds\" WHERE id = $1 AND s = $2",
        "SELECT id FROM \"Kinds\" WHERE s = $2 AND id = $1",
        "SELECT id FROM \"Kinds\" WHERE id = ? AND s = ?",
        "SELECT id FROM \"Kinds\" WHERE id = ?1 AND s = ?2",
        "SELECT id FROM \"Kinds\" WHERE id = $1 AND s = $2 AND s <> '$3 ? $1' -- ? $4\n",
        "SELECT id /* $9 ? */ FROM \"Kinds\" WHERE \"s\" = $2 AND id = $1 AND '?' <> ''",
    };
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        if (testdb->unnumbered_placeholders && strstr(forms[k], "$2 AND id = $1")) {
            /* MySQL binds by position: $2 before $1 is refused, nothing sent. */
            FAILS(prisma_query_raw(db, Q(forms[k]), p2, 2, &r), "P2010", "numbered placeholders must appear in order");
            ck_assert_ptr_null(r);
            continue;
        }
        OK(prisma_query_raw(db, Q(forms[k]), p2, 2, &r));
        ck_assert_msg(r->n_rows == 1 && r->values[0].i == 1, "form %zu", k);
        prisma_free(r);
    }
    OK(prisma_query_raw(db, Q("SELECT '$1' AS a, '?' AS b, \"s\" AS \"$1?\" FROM \"Kinds\""), NULL, 0, &r));
    ck_assert_str_eq(r->values[0].s, "$1");
    ck_assert_str_eq(r->values[1].s, "?");
    ck_assert_str_eq(r->columns[2], "$1?");
    prisma_free(r);

    /* Writes, in a batch too, and a DateTime parameter. */
    int64_t n = -1;
    OK(prisma_execute_raw(db, Q("UPDATE \"Kinds\" SET s = ?, dt = ? WHERE id = ?"),
                          (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("new"), PRISMA_RAW_DATETIME_V(86400000), PRISMA_RAW_INT_V(1) }, 3, &n));
    ck_assert_int_eq(n, 1);
    Kinds *k = NULL;
    OK(kinds_find_unique(db, &(KindsWhereUniqueInput){ .id = PRISMA_INT(1) }, &k));
    ck_assert_str_eq(k->s, "new");
    ck_assert_int_eq(k->dt, 86400000);
    kinds_free(k);
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    OK(prisma_batch_execute_raw(b, Q("UPDATE \"Kinds\" SET s = $1 WHERE id = $2"), (prisma_raw_value[]){ PRISMA_RAW_TEXT_V("b"), PRISMA_RAW_INT_V(1) }, 2, &n));
    OK(prisma_batch_query_raw(b, Q("SELECT s FROM \"Kinds\" WHERE id = ?"), (prisma_raw_value[]){ PRISMA_RAW_INT_V(1) }, 1, &r));
    OK(prisma_batch_run(b, NULL, NULL));
    prisma_batch_free(b);
    ck_assert_str_eq(r->values[0].s, "b");
    prisma_free(r);
}
END_TEST

/* Placeholders and parameters that disagree: P1016, nothing sent. */
START_TEST(raw_parameter_count_mismatch)
{
    one_kinds_row();
    n_sql = 0;
    prisma_set_trace(db, on_sql, NULL);
    prisma_raw_rows *r = NULL;
    int64_t n = -1;
    prisma_raw_value p3[] = { PRISMA_RAW_INT_V(1), PRISMA_RAW_INT_V(2), PRISMA_RAW_INT_V(3) };
    FAILS(prisma_query_raw(db, Q("SELECT id FROM \"Kinds\" WHERE id = $1 AND id = $2"), p3, 1, &r), "P1016",
          "Your raw query had an incorrect number of parameters. Expected: `2`, actual: `1`.");
    ck_assert_ptr_null(r);
    FAILS(prisma_query_raw(db, Q("SELECT id FROM \"Kinds\" WHERE id = ?"), p3, 2, &r), "P1016", "Expected: `1`, actual: `2`.");
    FAILS(prisma_execute_raw(db, Q("UPDATE \"Kinds\" SET s = 'x' WHERE id = $1 OR id = $3"), p3, 3, &n), "P1016",
          "Expected: `2`, actual: `3`.");
    FAILS(prisma_execute_raw(db, Q("UPDATE \"Kinds\" SET s = 'x'"), p3, 1, &n), "P1016", "Expected: `0`, actual: `1`.");
    FAILS(prisma_execute_raw(db, Q("UPDATE \"Kinds\" SET s = '$1' WHERE id = 1"), p3, 1, &n), "P1016", "Expected: `0`");
    /* The same statement again (a cached one) is checked again. */
    OK(prisma_query_raw(db, Q("SELECT id FROM \"Kinds\" WHERE id = $1"), p3, 1, &r));
    prisma_free(r);
    r = NULL;
    int before = n_sql;
    FAILS(prisma_query_raw(db, Q("SELECT id FROM \"Kinds\" WHERE id = $1"), p3, 2, &r), "P1016", "Expected: `1`, actual: `2`.");
    ck_assert_int_eq(n_sql, before);
    ck_assert_int_eq(before, 1);
    /* In a batch: the batch fails at that operation, nothing persists. */
    prisma_batch *b = NULL;
    OK(prisma_batch_new(db, &b));
    OK(prisma_batch_execute_raw(b, Q("UPDATE \"Kinds\" SET s = 'gone' WHERE id = $1"), p3, 1, &n));
    OK(prisma_batch_execute_raw(b, Q("UPDATE \"Kinds\" SET s = 'x' WHERE id = $1"), p3, 2, &n));
    size_t failed = 99;
    ck_assert_int_eq(prisma_batch_run(b, NULL, &failed), PRISMA_ERROR);
    prisma_batch_free(b);
    ck_assert_str_eq(code_of(), "P1016");
    OK(prisma_query_raw(db, Q("SELECT s FROM \"Kinds\""), NULL, 0, &r));
    ck_assert_str_eq(r->values[0].s, "text");
    prisma_free(r);
}
END_TEST

/* ? and $n in one statement: P2010 (on PostgreSQL the ? is left to the server, which refuses it). */
START_TEST(raw_mixed_placeholders_fail)
{
    prisma_raw_rows *r = NULL;
    FAILS(prisma_query_raw(db, Q("SELECT id FROM \"Kinds\" WHERE id = $1 AND s = ?"),
                           (prisma_raw_value[]){ PRISMA_RAW_INT_V(1), PRISMA_RAW_TEXT_V("x") }, 1, &r),
          "P2010", "Raw query failed.");
    ck_assert_ptr_null(r);
}
END_TEST

/* A computed boolean has no declared type on SQLite: an integer there (prisma.h). */
START_TEST(raw_computed_boolean)
{
    const testdb_backend *b = testdb;
    prisma_raw_rows *r = NULL;
    OK(prisma_query_raw(db, Q("SELECT 1 = 1 AS yes"), NULL, 0, &r));
    ck_assert_int_eq(r->values[0].type, b->has_boolean ? PRISMA_RAW_BOOL : PRISMA_RAW_INT);
    ck_assert_int_eq(r->values[0].i, 1);
    prisma_free(r);
}
END_TEST

void raw_tests(TCase *tc, const testdb_backend *b);
void raw_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, raw_columns_of_every_type);
    tcase_add_test(tc, raw_placeholders_are_the_same_everywhere);
    tcase_add_test(tc, raw_parameter_count_mismatch);
    tcase_add_test(tc, raw_mixed_placeholders_fail);
    tcase_add_test(tc, raw_computed_boolean);
}
