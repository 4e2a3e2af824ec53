/* The main function of every behaviour suite: reads the command line
 * (BACKEND PRISMAC SCHEMA [more...]), prepares the backend's database with
 * the schema pushed, and runs the suite's tests in one check TCase with a
 * checked fixture. */
#ifndef PRISMAC_TESTMAIN_H
#define PRISMAC_TESTMAIN_H

#include <check.h>

#include "testdb.h"

typedef struct testmain_suite {
    const char *name;        /* the check suite is "<name>_<backend>" */
    int timeout;             /* seconds, per test */
    const char *more_usage;  /* arguments after SCHEMA, e.g. "EXPECTED_DIR"; NULL: none */
    int n_more;              /* how many of them */
    const char **url;        /* receives the database URL */
    /* After the database is ready, before the tests (may be NULL): gets the
     * arguments after SCHEMA; nonzero fails the run. */
    int (*prepare)(char **more);
    void (*setup)(void);     /* checked fixture, around each test */
    void (*teardown)(void);
    /* Adds the tests; `b` says what the database can do. */
    void (*add_tests)(TCase *tc, const testdb_backend *b);
} testmain_suite;

/* Returns main's exit status: 0 when every test passed (or the backend was
 * skipped on purpose), 1 on a failure, 2 on a usage error. */
int testmain_run(const testmain_suite *suite, int argc, char **argv);

#endif
