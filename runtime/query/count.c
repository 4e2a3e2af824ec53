/* `_count` of relations (issue 13): per to-many relation, one grouped
 * statement over the parents (an IN-list, cut at the parameter limit), never
 * one per parent. */
#include "query.h"

#include <string.h>

typedef struct count_ctx {
    const prisma_model_desc *m;
    const prisma_relation_desc *rel;
    unsigned ri;
    const void *recs;
    size_t from, n;
    const void *where; /* the target's where input, or NULL */
} count_ctx;

/* The relation's key columns on the target side (m-n: the join table's). */
static void group_key(query *q, const count_ctx *cc)
{
    const prisma_relation_desc *rel = cc->rel;
    const prisma_model_desc *t = rel->target;
    if (rel->kind == PRISMA_REL_MANY_TO_MANY) {
        q_sql(q, "j.");
        q_sql_ident(q, q_join_self_col(rel));
        return;
    }
    for (unsigned k = 0; k < rel->n_fields; k++) {
        if (k)
            q_sql(q, ", ");
        q_sql_col(q, t, &t->fields[rel->fields[k]], true);
    }
}

/* SELECT key, COUNT(*) FROM target WHERE key IN (...) AND (where) GROUP BY key */
static bool build_count(query *q, void *vctx)
{
    count_ctx *cc = vctx;
    q_key_u8(q, K_INCLUDE);
    q_key_u8(q, 'N');
    q_key_u32(q, cc->m->index);
    q_key_u32(q, cc->ri);
    q_key_u32(q, (uint32_t)cc->n);
    q_sql(q, "SELECT ");
    group_key(q, cc);
    q_sql(q, ", COUNT(*)");
    q_include_from_sql(q, cc->m, cc->rel);
    q_sql(q, " WHERE ");
    q_include_parents_sql(q, cc->m, cc->rel, cc->recs, cc->from, cc->n);
    if (cc->where) {
        q_key_u8(q, 'W');
        q_sql(q, " AND (");
        if (!q_where_walk(q, cc->rel->target, cc->where, true))
            return false;
        q_sql(q, ")");
    }
    q_sql(q, " GROUP BY ");
    group_key(q, cc);
    return true;
}

static int count_relation(query *q, const prisma_model_desc *m, unsigned ri, void *recs, size_t n, const void *where)
{
    const prisma_relation_desc *rel = &m->relations[ri];
    const uint16_t *pcols;
    unsigned np = q_rel_parent_cols(m, rel, &pcols);
    q_parent_index ix;
    if (np > 16 || !q_parent_index_build(&ix, m, pcols, np, recs, n)) {
        err_oom(&q->err);
        return PRISMA_ERROR;
    }
    /* 0 for the parents no row names. */
    for (size_t i = 0; i < n; i++)
        memset((char *)recs + i * m->rec_size + rel->count_off, 0, sizeof(int64_t));
    int rc = PRISMA_OK;
    size_t per = q_parents_per_stmt(q, np);
    for (size_t from = 0; from < n && rc == PRISMA_OK; from += per) {
        count_ctx cc = { m, rel, ri, recs, from, n - from < per ? n - from : per, where };
        prisma_rows *rows;
        if (q_run(q, build_count, &cc, &rows) != PRISMA_OK) {
            rc = PRISMA_ERROR;
            break;
        }
        int st;
        while ((st = q->be->next(rows, &q->err)) == 1) {
            prisma_value key[16];
            for (unsigned k = 0; k < np; k++)
                key[k] = q_row_key(q, rows, (int)k, &m->fields[pcols[k]]);
            int64_t count = q->be->col_int(rows, (int)np);
            for (size_t p = q_parent_find(&ix, key); p != SIZE_MAX; p = q_parent_next(&ix, p))
                memcpy((char *)recs + p * m->rec_size + rel->count_off, &count, sizeof count);
        }
        q->be->done(rows);
        if (st < 0)
            rc = PRISMA_ERROR;
    }
    q_parent_index_free(&ix);
    return rc;
}

int q_load_counts(query *q, const prisma_model_desc *m, void *recs, size_t n, const q_shape *s)
{
    for (unsigned ri = 0; ri < m->n_relations; ri++) {
        const void *where;
        if (q_shape_count(m, s, ri, &where) && count_relation(q, m, ri, recs, n, where) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return PRISMA_OK;
}
