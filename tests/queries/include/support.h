/* tests/queries/include: shared by its files (main.c). */
#ifndef QUERIES_INCLUDE_SUPPORT_H
#define QUERIES_INCLUDE_SUPPORT_H

#include <check.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

extern prisma_client *db;
extern const testdb_backend *backend;

#define OK(call)                                                                                                   \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, prisma_error_code(db) ? prisma_error_code(db) : "-", \
                  prisma_error_message(db))
#define REFUSED(call, code)                                                                                        \
    do {                                                                                                           \
        trace_reset();                                                                                             \
        ck_assert_int_eq((call), PRISMA_ERROR);                                                                    \
        ck_assert_str_eq(prisma_error_code(db), code);                                                             \
        ck_assert_int_eq(trace_count(), 0);                                                                        \
    } while (0)

/* Statements sent since the last trace_reset(). */
void trace_reset(void);
int trace_count(void);
const char *trace_last(void);

void seed_user(int id, const char *email, const char *name, int age, const char *city);
void seed_post(int id, int author, const char *title, bool published, int views);
void seed_comment(int id, int post, const char *text);
void seed_tag(int id, const char *name);
void link_tag(int post, int tag);
void seed_profile(int id, int user, const char *bio);

void add_select_omit_tests(TCase *tc);
void add_include_args_tests(TCase *tc);
void add_count_tests(TCase *tc);
void add_distinct_tests(TCase *tc);
void add_statement_tests(TCase *tc);
void add_combined_tests(TCase *tc);

#endif
