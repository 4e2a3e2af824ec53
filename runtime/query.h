/* One operation in flight: its connection, the shape key of its SQL, its
 * bound values and, on a statement-cache miss, the SQL text itself. */
#ifndef PRISMA_QUERY_H
#define PRISMA_QUERY_H

#include "internal.h"

typedef struct query {
    prisma_client *db;
    prisma_conn *conn;
    const prisma_driver *drv;
    bool pg;
    /* The shape key: what the SQL depends on (not the values). */
    uint8_t key_inline[256];
    uint8_t *key;
    size_t key_len, key_cap;
    /* Bound values. */
    prisma_value params_inline[32];
    prisma_value *params;
    size_t n_params, params_cap;
    /* SQL text: built only when `emit` is set (a cache miss). */
    strbuf sql;
    bool emit;
    /* Strings made for this operation (patterns, generated ids), freed at the end. */
    char **temps;
    size_t n_temps, temps_cap;
    prisma_err err;
    bool oom;
} query;

void q_init(query *q, prisma_client *db);
void q_reset(query *q, bool emit); /* forget key, params and SQL for a new statement */
void q_free(query *q);

#endif
