/* The regression suite's main: a clean database and a fresh client around
 * every test (tests/regressions/regressions.h). */
#include "regressions.h"

prisma_client *db;
const char *url;

static const char *const tables[] = { "_PostToTag", "Post", "Profile", "users", "Tag", "Item", "Membership" };

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

void run_sql(const char *sql)
{
    ck_assert_msg(prisma_execute_raw(db, testdb_sql("%s", sql), NULL, 0, NULL) == PRISMA_OK, "%s: %s", sql,
                  prisma_error_message(db));
}

static void add_tests(TCase *tc, const testdb_backend *b)
{
    add_value_tests(tc, b);
    add_read_tests(tc, b);
    add_batch_tests(tc, b);
    add_nested_tests(tc, b);
    add_filter_tests(tc, b);
    add_error_tests(tc, b);
}

int main(int argc, char **argv)
{
    static const testmain_suite suite = { .name = "regressions", .timeout = 120, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
