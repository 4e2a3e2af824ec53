/* SELECT statements of finds and counts, distinct, row locks (ORDER BY and cursors: order.c). */
#include "query.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- issue 13, include: distinct ---- */

/* distinct: FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY the distinct
 * fields ORDER BY the query's order) AS "__dn" FROM t WHERE ...) AS t WHERE
 * "__dn" = 1: the first row of each combination in the query's order (where
 * and cursor before, skip and take after, as Prisma). Returns whether the
 * rest of the statement (order, limit) follows. */
static bool distinct_from(query *q, const find_ctx *fc)
{
    const prisma_model_desc *m = fc->m;
    const prisma_find_args *args = fc->args;
    q_key_u8(q, 'D');
    q_sql(q, " FROM (SELECT ");
    q_sql_table(q, m);
    q_sql(q, ".*, ROW_NUMBER() OVER (PARTITION BY ");
    for (size_t i = 0; i < args->distinct_len; i++) {
        q_key_u32(q, (uint32_t)args->distinct[i]);
        if (i)
            q_sql(q, ", ");
        q_sql_col(q, m, &m->fields[args->distinct[i] - 1], true);
    }
    if (!q_order_by(q, fc, true))
        return false;
    q_sql(q, ") AS ");
    q_sql_ident(q, "__dn");
    q_sql(q, " FROM ");
    q_sql_table(q, m);
    q_sql(q, " WHERE ");
    if (fc->scope) {
        q_scope_sql(q, fc->scope);
        q_sql(q, " AND ");
    }
    if (!q_where_walk(q, m, args->where, true))
        return false;
    if (args->cursor) {
        q_key_u8(q, 'C');
        q_sql(q, " AND ");
        if (!q_cursor_cond(q, fc))
            return false;
    }
    q_sql(q, ") AS ");
    q_sql_ident(q, m->table);
    q_sql(q, " WHERE ");
    q_sql_ident(q, "__dn");
    q_sql(q, " = 1");
    return true;
}

/* A row read in order to be written keeps other writers out until the
 * transaction ends, as an UPDATE would (read-then-write without a race).
 * The statement's kind byte (K_FIND_LOCKED) tells its shape apart. */
static void lock_clause(query *q, const find_ctx *fc)
{
    if (fc->lock && q->be->lock_rows)
        q_sql(q, q->be->lock_rows);
}

bool q_build_find(query *q, void *vctx)
{
    find_ctx *fc = vctx;
    const prisma_model_desc *m = fc->m;
    const prisma_find_args *args = fc->args;
    q_key_u8(q, fc->count ? K_COUNT : fc->lock ? K_FIND_LOCKED : K_FIND);
    q_key_u32(q, m->index);
    q_sql(q, fc->count ? "SELECT COUNT(*) FROM " : "SELECT ");
    bool cursor = args && args->cursor;
    if (!fc->count && !fc->where_unique && args && args->distinct_len) {
        q_select_columns_of(q, m, true, fc->cols);
        if (!distinct_from(q, fc))
            return false;
    } else {
        if (!fc->count) {
            q_select_columns_of(q, m, false, fc->cols);
            q_sql(q, " FROM ");
        }
        q_sql_table(q, m);
        q_sql(q, " WHERE ");
        if (fc->scope) {
            q_scope_sql(q, fc->scope);
            q_sql(q, " AND ");
        }
        if (fc->where_unique) {
            q_key_u8(q, 'U');
            if (!q_unique_walk(q, m, fc->where_unique, true, NULL))
                return false;
            q_sql(q, " LIMIT 1");
            lock_clause(q, fc);
            return true;
        }
        if (!q_where_walk(q, m, args ? args->where : NULL, true))
            return false;
        if (cursor) {
            q_key_u8(q, 'C');
            q_sql(q, " AND ");
            if (!q_cursor_cond(q, fc))
                return false;
        }
        if (fc->count)
            return true;
    }
    bool has_take = fc->take > 0, has_skip = args && args->skip > 0;
    /* As Prisma: a page (cursor, take or skip) is cut from a total order,
     * the primary key breaking ties, so pages neither overlap nor skip rows. */
    if (!q_order_by(q, fc, cursor || fc->reverse || has_take || has_skip || (args && args->distinct_len && !fc->count)))
        return false;
    /* The direction too: without an order_by, the primary key's ASC / DESC is all that differs. */
    q_key_u8(q, (unsigned)has_take | (unsigned)has_skip << 1 | (unsigned)fc->reverse << 2);
    if (has_take) {
        /* The backend's spelling: SQLite's `LIMIT +?` keeps it from preparing
         * the statement again whenever the bound take changes. */
        q_sql(q, backend_sql_limit(q->be));
        q_param(q, v_int(fc->take));
    } else if (has_skip && q->be->no_limit) {
        q_sql(q, q->be->no_limit);
    }
    if (has_skip) {
        q_sql(q, " OFFSET ");
        q_param(q, v_int(args->skip));
    }
    lock_clause(q, fc);
    return true;
}

/* A find by one single-field unique criterion (the id, an @unique field):
 * its shape key is the eight bytes q_build_find records for it (above),
 * written here at once, and its one value is read straight from the input,
 * instead of the builder's walk on every call. Anything else (several or
 * compound criteria, a null or invalid value, a scope, a row lock, the
 * shape's first run) goes down the generic path, which builds the same key
 * and reports the same errors. */
int q_find_by_unique(query *q, const find_ctx *fc, prisma_rows **rows)
{
    const prisma_model_desc *m = fc->m;
    if (fc->scope || fc->lock || fc->count || fc->cols || m->n_uniques > 255 || q_unique_filter(m, fc->where_unique))
        return 0; /* a filter (issue 13) is part of the shape: the generic path keys it */
    int which = -1;
    prisma_value v = v_null();
    for (unsigned i = 0; i < m->n_uniques; i++) {
        const prisma_unique_desc *ud = &m->uniques[i];
        for (unsigned k = 0; k < ud->n_fields; k++) {
            prisma_value got;
            int r = q_read_create_value(q, &m->fields[ud->fields[k]], (const char *)fc->where_unique + ud->member_offs[k],
                                        &got);
            if (r == 0)
                continue;
            /* A second criterion, a compound one, a null or an invalid value:
             * the generic walk keys it (or reports it). */
            if (r < 0 || which >= 0 || ud->n_fields != 1 || got.kind == V_NULL) {
                err_clear(&q->err);
                return 0;
            }
            which = (int)i;
            v = got;
        }
    }
    if (which < 0)
        return 0;
    /* As q_build_find records it: kind, model, 'U', then q_unique_walk's 'u', index. */
    uint8_t key[8];
    uint32_t index = m->index;
    key[0] = K_FIND;
    memcpy(key + 1, &index, sizeof index);
    key[5] = 'U';
    key[6] = 'u';
    key[7] = (uint8_t)which;
    q_reset(q, false);
    q->stmt_model = m;
    q_param(q, v);
    return q_run_cached(q, key, sizeof key, rows);
}
