/* The native_types suite (PostgreSQL): shared by native_types.c (every @db.*
 * type) and multi_schema.c (several PostgreSQL schemas). */
#ifndef PRISMAC_TEST_NATIVE_TYPES_H
#define PRISMAC_TEST_NATIVE_TYPES_H

#include <check.h>

#include "testmain.h"

extern const char *nt_url;
extern prisma_client *nt_db;
extern const char *nt_prismac, *nt_schema; /* the command line's PRISMAC and SCHEMA */

#define NT_OK(call)                                                                                                   \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, prisma_error_code(nt_db) ? prisma_error_code(nt_db) : "-", \
                  prisma_error_message(nt_db))

/* multi_schema.c */
int multi_schema_prepare(void); /* once, after db push: the view */
void multi_schema_reset(void);
void multi_schema_add_tests(TCase *tc);

#endif
