/* The queries suite's relation filters and ordering (issue 13, items 3 and
 * 4): tests/queries/relfilter.
 *
 * Ported from prisma-engines, query-engine/connector-test-kit-rs/
 * query-engine-tests/tests/queries/filters/{one_relation,many_relation}.rs
 * and queries/order_and_pagination/{order_by_dependent,order_by_nulls,
 * relation_filter_ordering}.rs (relation _count cases are our own, after
 * order_by_aggregation.rs): every test names the Rust test it ports (file ::
 * test fn); the cases of our own say so. Built per backend on the client of
 * schema.prisma.in. */
#ifndef PRISMAC_TESTS_RELFILTER_H
#define PRISMAC_TESTS_RELFILTER_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include TEST_CLIENT_H
#include "testmain.h"

extern const char *url;
extern prisma_client *db;
extern const testdb_backend *backend;

const char *code_of(const prisma_client *c);

#define OK(call) \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, code_of(db), prisma_error_message(db))

#define FAILS(call, code, part)                                                                                   \
    do {                                                                                                          \
        int rc_ = (call);                                                                                         \
        ck_assert_msg(rc_ == PRISMA_ERROR, "%s: expected %s, got status %d", #call, code, rc_);                  \
        ck_assert_msg(strcmp(code_of(db), code) == 0, "%s: expected %s, got %s %s", #call, code, code_of(db),    \
                      prisma_error_message(db));                                                                   \
        const char *part_ = (part);                                                                               \
        ck_assert_msg(!part_ || strstr(prisma_error_message(db), part_), "%s: message '%s' lacks '%s'", #call,   \
                      prisma_error_message(db), part_);                                                            \
    } while (0)

/* A list's Int ids / String names joined with ',' (rotating buffers). */
const char *join_i32(const void *items, size_t n, size_t stride, size_t off);
const char *join_str(const void *items, size_t n, size_t stride, size_t off);
#define IDS(l, T) join_i32((l)->items, (l)->len, sizeof(T), offsetof(T, id))
#define NAMES(l, T, f) join_str((l)->items, (l)->len, sizeof(T), offsetof(T, f))

/* Statements seen by the trace hook since trace_start(). */
void trace_start(void);
int trace_stop(void);
/* The text of the last traced statement. */
const char *trace_last(void);

void relfilter_filter_tests(TCase *tc);
void relfilter_order_tests(TCase *tc);

#endif
