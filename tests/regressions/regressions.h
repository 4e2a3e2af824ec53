/* The regression suite (tests/regressions/): one test per planted bug the
 * rest of the suite let through, on the generated client of
 * tests/schemas/crud.prisma.in, on every backend. Each file adds its tests
 * with its own add_* function (main.c runs them). */
#ifndef PRISMAC_REGRESSIONS_H
#define PRISMAC_REGRESSIONS_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

extern prisma_client *db; /* connected around each test */
extern const char *url;

#define OK(call)                                                                                                       \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call,                                                      \
                  prisma_error_code(db) ? prisma_error_code(db) : "-", prisma_error_message(db))

/* Runs raw SQL written in testdb_sql's spelling, or fails the test. */
void run_sql(const char *sql);

void add_value_tests(TCase *tc, const testdb_backend *b);
void add_read_tests(TCase *tc, const testdb_backend *b);
void add_batch_tests(TCase *tc, const testdb_backend *b);
void add_nested_tests(TCase *tc, const testdb_backend *b);
void add_filter_tests(TCase *tc, const testdb_backend *b);
void add_error_tests(TCase *tc, const testdb_backend *b);

#endif
