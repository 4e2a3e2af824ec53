/* The statement cache of a connection: query shape -> prepared statement. */
#include "backend.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the statement cache ---- */

void conn_cache_clear(prisma_conn *c)
{
    for (size_t i = 0; i < c->cache_cap; i++) {
        if (c->cache[i].key) {
            c->backend->finalize(c, c->cache[i].stmt);
            free(c->cache[i].key);
            free(c->cache[i].sql);
        }
    }
    free(c->cache);
    c->cache = NULL;
    c->cache_cap = c->cache_len = 0;
}

void conn_close(prisma_conn *c)
{
    if (!c)
        return;
    conn_cache_clear(c);
    c->backend->close(c);
}
