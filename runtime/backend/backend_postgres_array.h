/* PostgreSQL arrays in their text form (part of the PostgreSQL backend):
 * a scalar list bound as one parameter, and an array column read back.
 * Kept apart from backend_postgres.c so that libpq stays out of it. */
#ifndef PRISMA_BACKEND_POSTGRES_ARRAY_H
#define PRISMA_BACKEND_POSTGRES_ARRAY_H

#include "base.h"

/* An upper bound of the text of a V_ARRAY value, its NUL included. */
size_t pg_array_text_cap(const prisma_value *v);
/* Writes the text of a V_ARRAY value ("{1,2}", "{\"a\",\"b\\\"c\"}") to out,
 * which has pg_array_text_cap(v) bytes; returns its length. Every text item
 * is quoted, so no item can read as NULL or split. */
size_t pg_array_text(const prisma_value *v, char *out);

/* What a parsed array lives in: reused from row to row. */
typedef struct pg_array_buf {
    prisma_value *items;
    size_t items_cap;
    char *text;
    size_t text_cap;
} pg_array_buf;

/* Parses the text of a one-dimensional array whose items are of `type`
 * (prisma_type): *items / *n point into b until the next parse. A NULL item
 * is V_NULL. Returns 0; -1 when the text is no such array; -2 out of memory. */
int pg_array_parse(pg_array_buf *b, const char *text, size_t len, int type, const prisma_value **items, size_t *n);
void pg_array_buf_free(pg_array_buf *b);

#endif
