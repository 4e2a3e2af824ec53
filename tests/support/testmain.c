#include "testmain.h"

#include <stdio.h>

int testmain_run(const testmain_suite *suite, int argc, char **argv)
{
    if (argc != 4 + suite->n_more) {
        fprintf(stderr, "usage: %s BACKEND PRISMAC SCHEMA%s%s\n", argv[0], suite->more_usage ? " " : "",
                suite->more_usage ? suite->more_usage : "");
        return 2;
    }
    bool skipped;
    char err[4096] = "";
    const char *url = testdb_setup(argv[1], argv[2], argv[3], &skipped, err, sizeof err);
    if (!url) {
        if (skipped) {
            printf("%s tests skipped: %s\n", testdb->title, err);
            return 0;
        }
        fprintf(stderr, "cannot prepare the %s test database: %s\n", argv[1], err);
        return 1;
    }
    *suite->url = url;
    if (suite->prepare && suite->prepare(argv + 4) != 0)
        return 1;
    char name[128];
    snprintf(name, sizeof name, "%s_%s", suite->name, testdb->name);
    Suite *s = suite_create(name);
    TCase *tc = tcase_create(suite->name);
    tcase_set_timeout(tc, suite->timeout);
    tcase_add_checked_fixture(tc, suite->setup, suite->teardown);
    suite->add_tests(tc, testdb);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
