/* The prisma_engine_tests suite's fixture, helpers and main (engine_tests.h). */
#include "engine_tests.h"

const char *url;
prisma_client *db;
const max_align_t empty_where_storage[64];

static const char *const tables[] = { "PageTestModel", "ComboUnique", "Combo",  "OrderTest",
                                      "NullsModel",    "FilterUser",  "FilterVehicle", "ParkingLot",
                                      "Todo",          "ZChild",      "Parent",        "UpdManyModel",
                                      "ScalarModel",   "InsNullA",    "InsNullUniqueA", "InsNullOptA",
                                      "PortedA",       "PortedB",     "UpsTodo",       "WithDefaultValue",
                                      "MultipleFields", "UpsNumber",  "Upd1",          "Upd2",
                                      "Upd3",          "Upd4",        "Upd5",          "Upd6",
                                      "Upd7",          "CrScalarModel", "CrRelatedModel", "CrA",
                                      "GoodModel",     "AModel",      "BModel",        "CModel",
                                      "Cm1",           "Cm2",         "Cm3",           "Cm4",
                                      "Cm5",           "Cm6",         "Cm8",           "JsonOpt",
                                      "WuUser",        "NullableTypes", "InsensitiveModel", "NeList",
                                      "NeTodo",        "MmList",      "MmTodo",        "MmTag",
                                      "_MmListToMmTodo", "_MmTagToMmTodo", "DvScalar", "DvServiceInt",
                                      "DvServiceEnum", "DvUser",     "DvNamed",
                                      "RlOoChild", "RlOoParent", "RlMrChild", "RlMrParent", "RlOrChild",
                                      "RlOrParent", "RlMoChild", "RlMoParent", "RlRmParent", "RlRmChild",
                                      "RlOmParent", "RlOmChild", "_RlMmChildToRlMmParent", "RlMmParent",
                                      "RlMmChild", "_RoChildToRoParent", "RoParent", "RoChild", "RoStepChild",
                                      "_RsChildToRsParent", "RsStepChild", "RsParent", "RsChild",
                                      "FuSubItem", "FuItem" };

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

const char *code_of(const prisma_client *c)
{
    const char *s = prisma_error_code(c);
    return s ? s : "-";
}

static char *next_buffer(void)
{
    static char bufs[16][2048];
    static unsigned next;
    char *b = bufs[next++ % 16];
    b[0] = '\0';
    return b;
}

const char *join_i32(const void *items, size_t n, size_t stride, size_t off, bool pointer)
{
    char *b = next_buffer();
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *field = (const char *)items + i * stride + off;
        char item[32];
        if (pointer) {
            const int32_t *p;
            memcpy(&p, field, sizeof p);
            if (p)
                snprintf(item, sizeof item, "%d", (int)*p);
            else
                snprintf(item, sizeof item, "null");
        } else {
            int32_t v;
            memcpy(&v, field, sizeof v);
            snprintf(item, sizeof item, "%d", (int)v);
        }
        len += (size_t)snprintf(b + len, 2048 - len, "%s%s", i ? "," : "", item);
        ck_assert_uint_lt(len, 2048);
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
        len += (size_t)snprintf(b + len, 2048 - len, "%s%s", i ? "," : "", s ? s : "null");
        ck_assert_uint_lt(len, 2048);
    }
    return b;
}

int64_t rows(const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", table);
    prisma_raw_rows *r = NULL;
    OK(prisma_query_raw(db, testdb_sql("%s", sql), NULL, 0, &r));
    ck_assert_uint_eq(r->n_rows, 1);
    const prisma_raw_value *v = &r->values[0];
    int64_t n = v->type == PRISMA_RAW_INT ? v->i : strtoll(v->s, NULL, 10);
    prisma_free(r);
    return n;
}

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    pagination_tests(tc);
    order_by_tests(tc);
    filters_tests(tc);
    ported_filters_tests(tc);
    where_unique_tests(tc);
    type_filters_tests(tc);
    top_level_writes_tests(tc);
    upsert_tests(tc);
    update_tests(tc);
    create_tests(tc);
    create_many_tests(tc);
    json_null_tests(tc);
    non_embedded_upsert_tests(tc);
    default_value_tests(tc);
    create_many_and_return_tests(tc);
    delete_relations_tests(tc);
    filter_unwrap_tests(tc);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "prisma_engine_tests", .timeout = 60, .url = &url,
                                          .setup = setup, .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
