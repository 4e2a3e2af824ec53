/* Prisma's query-engine tests, ported to the C API (issue 11, item 4).
 *
 * Source: prisma-engines, query-engine/connector-test-kit-rs/query-engine-tests/
 * tests/ (the folders queries/filters, queries/order_and_pagination and
 * writes/top_level_mutations). Every C test names the Rust test it ports, as
 * `<file>::<test name>` in its leading comment; one C test per Prisma test,
 * asserting the values, order, counts and error codes of Prisma's expected
 * JSON. known-differences.md lists the Prisma tests not ported, and why.
 *
 * Built once per backend of tests/meson.build's test_backends on the client
 * of tests/schemas/prisma_engine_tests.prisma.in. */
#ifndef PRISMAC_TESTS_ENGINE_TESTS_H
#define PRISMAC_TESTS_ENGINE_TESTS_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include TEST_CLIENT_H
#include "testmain.h"

extern const char *url;
extern prisma_client *db;

const char *code_of(const prisma_client *c);

#define OK(call) \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, code_of(db), prisma_error_message(db))

/* `call` fails with `code`, and a message that contains `part` (unless NULL). */
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

/* The test kit's TROUBLE_CHARS (query-engine-tests), as its snapshots show them. */
#define TROUBLE_CHARS \
    "¥฿😀😁😂😃😄😅😆😇😈😉😊😋😌😍😎😏😐😑😒😓😔😕😖😗😘😙😚😛😜😝😞😟😠😡😢😣😤😥😦😧😨😩😪😫😬😭😮😯😰😱😲😳😴😵😶😷😸😹😺😻😼😽😾😿🙀🙁🙂🙃🙄🙅🙆🙇🙈🙉🙊🙋🙌🙍🙎🙏" \
    "ऀँंःऄअआइईउऊऋऌऍऎएऐऑऒओऔकखगघङचछजझञटठडढणतथदधनऩपफबभमयर€₭₮₯₰₱₲₳₴₵₶₷₸₹₺₻₼₽₾₿⃀"

/* Prisma's `take: n` (take 0 returns no rows). */
#define TAKE(n) .take = PRISMA_TAKE(n)

/* An empty list for AND / OR / NOT (`OR: []`): a pointer with no members. */
#define NONE_OF(T) ((const T *)&empty_where_storage)
extern const max_align_t empty_where_storage[64];

/* A list's values joined with ',' (NULL strings as "null"), in rotating
 * buffers, so several fit in one assertion: INTS(list, Model, field). */
const char *join_i32(const void *items, size_t n, size_t stride, size_t off, bool pointer);
const char *join_str(const void *items, size_t n, size_t stride, size_t off);
#define INTS(l, T, f) join_i32((l)->items, (l)->len, sizeof(T), offsetof(T, f), false)
#define OPT_INTS(l, T, f) join_i32((l)->items, (l)->len, sizeof(T), offsetof(T, f), true)
#define STRS(l, T, f) join_str((l)->items, (l)->len, sizeof(T), offsetof(T, f))

/* A count of a table's rows, by raw SQL (the database, not the client). */
int64_t rows(const char *table);

/* ---- each file's tests ---- */
void pagination_tests(TCase *tc);
void order_by_tests(TCase *tc);
void filters_tests(TCase *tc);
void ported_filters_tests(TCase *tc);
void where_unique_tests(TCase *tc);
void type_filters_tests(TCase *tc);
void top_level_writes_tests(TCase *tc);
void upsert_tests(TCase *tc);
void update_tests(TCase *tc);
void create_tests(TCase *tc);
void create_many_tests(TCase *tc);
void json_null_tests(TCase *tc);
void non_embedded_upsert_tests(TCase *tc);
void default_value_tests(TCase *tc);
void create_many_and_return_tests(TCase *tc);
void delete_relations_tests(TCase *tc);
void filter_unwrap_tests(TCase *tc);

#endif
