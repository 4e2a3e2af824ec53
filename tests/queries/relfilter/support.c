/* The relfilter suite's fixture, helpers and main (relfilter.h). */
#include "relfilter.h"

const char *url;
prisma_client *db;
const testdb_backend *backend;

static const char *const tables[] = {
    "OrComment", "OrPost", "OrBlog", "MrComment", "MrPost", "MrBlog", "M2Comment", "M2Post", "M2Blog",
    "_MmPostToMmUser", "MmPost", "MmUser", "_Friends", "SrUser", "OdC", "OdB", "OdA", "NlModel",
    "_OaCategoryToOaUser", "OaPost", "OaCategory", "OaUser", "_RfoBlogToRfoLabel", "RfoBlog", "RfoLabel",
    "MsA", "MsB",
};

static void setup(void)
{
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

static void teardown(void)
{
    prisma_set_trace(db, NULL, NULL);
    prisma_disconnect(db);
    db = NULL;
}

const char *code_of(const prisma_client *c)
{
    const char *s = prisma_error_code(c);
    return s ? s : "-";
}

static char *next_buffer(void)
{
    static char bufs[16][4096];
    static unsigned next;
    char *b = bufs[next++ % 16];
    b[0] = '\0';
    return b;
}

const char *join_i32(const void *items, size_t n, size_t stride, size_t off)
{
    char *b = next_buffer();
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t v;
        memcpy(&v, (const char *)items + i * stride + off, sizeof v);
        len += (size_t)snprintf(b + len, 4096 - len, "%s%d", i ? "," : "", (int)v);
        ck_assert_uint_lt(len, 4096);
    }
    return b;
}

const char *join_str(const void *items, size_t n, size_t stride, size_t off)
{
    char *b = next_buffer();
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s;
        memcpy(&s, (const char *)items + i * stride + off, sizeof s);
        len += (size_t)snprintf(b + len, 4096 - len, "%s%s", i ? "," : "", s ? s : "null");
        ck_assert_uint_lt(len, 4096);
    }
    return b;
}

static int n_traced;
static char last_sql[16384];

static void on_trace(void *arg, const char *sql)
{
    (void)arg;
    n_traced++;
    snprintf(last_sql, sizeof last_sql, "%s", sql);
}

void trace_start(void)
{
    n_traced = 0;
    last_sql[0] = '\0';
    prisma_set_trace(db, on_trace, NULL);
}

int trace_stop(void)
{
    prisma_set_trace(db, NULL, NULL);
    return n_traced;
}

const char *trace_last(void)
{
    return last_sql;
}

static void add_tests(TCase *tc, const testdb_backend *b)
{
    backend = b;
    relfilter_filter_tests(tc);
    relfilter_order_tests(tc);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "queries_relfilter", .timeout = 120, .url = &url,
                                          .setup = setup, .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
