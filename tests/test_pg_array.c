/* PostgreSQL's array text (runtime/backend/backend_postgres_array.c): what
 * the server sends back is parsed exactly or refused, and what is sent reads
 * back as written (write, then parse, for every item kind). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "backend_postgres_array.h"

static pg_array_buf buf;

static void teardown(void)
{
    pg_array_buf_free(&buf);
}

/* Parses `text` as an array of `type`; returns the status, items in *items. */
static int parse(const char *text, int type, const prisma_value **items, size_t *n)
{
    return pg_array_parse(&buf, text, strlen(text), type, items, n);
}

START_TEST(server_text_is_read_exactly)
{
    const prisma_value *it;
    size_t n;
    ck_assert_int_eq(parse("{}", PRISMA_TYPE_STRING, &it, &n), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(parse("{a,\"\",\"NULL\",NULL,\"x y\",\"q\\\"b\\\\c,{}\"}", PRISMA_TYPE_STRING, &it, &n), 0);
    ck_assert_uint_eq(n, 6);
    ck_assert_str_eq(it[0].s, "a");
    ck_assert_str_eq(it[1].s, "");
    ck_assert_uint_eq(it[1].len, 0);
    ck_assert_str_eq(it[2].s, "NULL"); /* quoted: the text */
    ck_assert_int_eq(it[3].kind, V_NULL); /* bare: a NULL item */
    ck_assert_str_eq(it[4].s, "x y");
    ck_assert_str_eq(it[5].s, "q\"b\\c,{}");
    ck_assert_int_eq(parse("{-2147483648,0,9223372036854775807}", PRISMA_TYPE_BIGINT, &it, &n), 0);
    ck_assert(n == 3 && it[0].i == -2147483648LL && it[2].i == INT64_MAX);
    ck_assert_int_eq(parse("{1.5,-0,NaN,Infinity,-Infinity,4.9406564584124654e-324}", PRISMA_TYPE_FLOAT, &it, &n), 0);
    ck_assert(n == 6 && it[0].d == 1.5 && it[3].d > 1e308 && it[4].d < -1e308 && it[5].d > 0);
    ck_assert_int_eq(parse("{t,f}", PRISMA_TYPE_BOOLEAN, &it, &n), 0);
    ck_assert(n == 2 && it[0].i == 1 && it[1].i == 0);
    ck_assert_int_eq(parse("{\"\\\\x00ff22\",\"\\\\x\"}", PRISMA_TYPE_BYTES, &it, &n), 0);
    ck_assert(n == 2 && it[0].len == 3 && (unsigned char)it[0].s[1] == 0xff && it[0].s[2] == '"' && it[1].len == 0);
    ck_assert_int_eq(parse("{\"1970-01-01 00:00:00.001\",\"0044-03-15 00:00:00 BC\"}", PRISMA_TYPE_DATETIME, &it, &n), 0);
    ck_assert(n == 2 && it[0].i == 1);
    ck_assert_int_eq(parse("[0:1]={x,y}", PRISMA_TYPE_STRING, &it, &n), 0);
    ck_assert(n == 2 && strcmp(it[1].s, "y") == 0);
}
END_TEST

START_TEST(anything_else_is_refused)
{
    static const struct {
        const char *text;
        int type;
    } bad[] = {
        { "", PRISMA_TYPE_STRING },        { "{", PRISMA_TYPE_STRING },       { "{a", PRISMA_TYPE_STRING },
        { "{\"a}", PRISMA_TYPE_STRING },   { "{\"a\\", PRISMA_TYPE_STRING },   { "{a}x", PRISMA_TYPE_STRING },
        { "{{1,2},{3,4}}", PRISMA_TYPE_INT }, { "{a,}", PRISMA_TYPE_INT },    { "{1,x}", PRISMA_TYPE_INT },
        { "{99999999999999999999}", PRISMA_TYPE_BIGINT }, { "{1.5x}", PRISMA_TYPE_FLOAT },
        { "{true}", PRISMA_TYPE_BOOLEAN }, { "{\"\\\\x0}", PRISMA_TYPE_BYTES }, { "{\"\\\\xzz\"}", PRISMA_TYPE_BYTES },
        { "{abc}", PRISMA_TYPE_BYTES },    { "{infinity}", PRISMA_TYPE_DATETIME }, { "[1:2]{a}", PRISMA_TYPE_STRING },
        { "{\"a\"b}", PRISMA_TYPE_STRING },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const prisma_value *it;
        size_t n;
        ck_assert_msg(parse(bad[i].text, bad[i].type, &it, &n) == -1, "accepted %s", bad[i].text);
    }
}
END_TEST

/* What is sent (every text item quoted and escaped) parses back to the same items. */
START_TEST(written_text_reads_back)
{
    static const char *const strings[] = { "", "NULL", "\"", "\\", ",", "{", "}", "a b", "\t\n", "{\"x\":[1]}", "ü" };
    enum { N = sizeof strings / sizeof strings[0] };
    prisma_value items[N + 4];
    for (size_t i = 0; i < N; i++)
        items[i] = (prisma_value){ .kind = V_TEXT, .s = strings[i], .len = strlen(strings[i]) };
    prisma_value arr = { .kind = V_ARRAY, .items = items, .len = N };
    char *text = malloc(pg_array_text_cap(&arr));
    size_t len = pg_array_text(&arr, text);
    ck_assert_uint_eq(len, strlen(text));
    const prisma_value *it;
    size_t n;
    ck_assert_int_eq(pg_array_parse(&buf, text, len, PRISMA_TYPE_STRING, &it, &n), 0);
    ck_assert_uint_eq(n, N);
    for (size_t i = 0; i < N; i++)
        ck_assert_str_eq(it[i].s, strings[i]);
    free(text);

    static const unsigned char bytes[] = { 0, '"', '\\', 255 };
    items[0] = (prisma_value){ .kind = V_BLOB, .s = (const char *)bytes, .len = sizeof bytes };
    items[1] = (prisma_value){ .kind = V_BLOB, .s = "", .len = 0 };
    arr.len = 2;
    text = malloc(pg_array_text_cap(&arr));
    len = pg_array_text(&arr, text);
    ck_assert_int_eq(pg_array_parse(&buf, text, len, PRISMA_TYPE_BYTES, &it, &n), 0);
    ck_assert(n == 2 && it[0].len == 4 && memcmp(it[0].s, bytes, 4) == 0 && it[1].len == 0);
    free(text);

    items[0] = (prisma_value){ .kind = V_INT, .i = INT64_MIN };
    items[1] = (prisma_value){ .kind = V_DOUBLE, .d = -0.0 };
    items[2] = (prisma_value){ .kind = V_BOOL, .i = 1 };
    items[3] = (prisma_value){ .kind = V_DATETIME, .i = -62135596800000 };
    arr.len = 4;
    text = malloc(pg_array_text_cap(&arr));
    len = pg_array_text(&arr, text);
    ck_assert_str_eq(text, "{-9223372036854775808,-0,t,\"0001-01-01 00:00:00.000\"}");
    free(text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_array");
    TCase *tc = tcase_create("text");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, server_text_is_read_exactly);
    tcase_add_test(tc, anything_else_is_refused);
    tcase_add_test(tc, written_text_reads_back);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
