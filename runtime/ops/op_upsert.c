/* upsert: one INSERT ... ON CONFLICT DO UPDATE where it can, else a find
 * and a create or update. */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- upsert ---- */

typedef struct upsert_ctx {
    const prisma_model_desc *m;
    const void *where_unique, *create, *update;
    const void *include;
    void *rec;
    /* The where criterion's values, carried into the create where it leaves
     * them out (as the native upsert's row does). */
    const prisma_unique_desc *crit;
    const prisma_value *where_vals;
} upsert_ctx;

static int upsert_once(query *q, upsert_ctx *uc);

/* When the create data cannot carry the where criterion's values: update,
 * and create if nothing was updated, in one transaction. */
static int upsert_fallback(query *q, void *vctx)
{
    upsert_ctx *uc = vctx;
    /* A record created by another session between the update and the
     * create: the create meets its key (P2002) and, where the failed
     * statement leaves the transaction usable (MySQL), the update runs
     * again and finds it: the race ends as the native upsert's would. */
    for (int attempt = 0;; attempt++) {
        int rc = upsert_once(q, uc);
        if (rc == PRISMA_OK || attempt > 0 || strcmp(q->err.code, "P2002") != 0 || q->be->tx_aborted(q->conn))
            return rc;
        err_clear(&q->err);
    }
}

static int upsert_once(query *q, upsert_ctx *uc)
{
    const prisma_model_desc *m = uc->m;
    bool empty;
    if (q_update_is_empty(q, m, uc->update, &empty) != PRISMA_OK)
        return PRISMA_ERROR;
    prisma_rows *rows;
    if (empty) {
        find_ctx fc = { .m = m, .where_unique = uc->where_unique };
        if (q_run(q, q_build_find, &fc, &rows) != PRISMA_OK || q_fetch_one(q, m, rows, &uc->rec) != PRISMA_OK)
            return PRISMA_ERROR;
    } else if (ra_update_acts(q, m, uc->update, NULL, 0)) {
        if (ra_update_top(q, m, uc->where_unique, NULL, uc->update, &uc->rec, NULL) != PRISMA_OK)
            return PRISMA_ERROR;
    } else {
        update_ctx u = { .m = m, .where_unique = uc->where_unique, .data = uc->update, .returning = true };
        if (q_run(q, q_build_update, &u, &rows) != PRISMA_OK || q_fetch_one(q, m, rows, &uc->rec) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (uc->rec)
        return PRISMA_OK;
    prisma_value vals[MAX_FIELDS];
    bool given[MAX_FIELDS];
    if (!q_create_values(q, m, uc->create, vals, given))
        return PRISMA_ERROR;
    for (unsigned k = 0; uc->crit && k < uc->crit->n_fields && k < 16; k++) {
        unsigned fi = uc->crit->fields[k];
        if (!given[fi]) {
            vals[fi] = uc->where_vals[k];
            given[fi] = true;
        }
    }
    if (!q_check_required(q, m, given))
        return PRISMA_ERROR;
    create_ctx cc = { .m = m, .vals = vals, .given = given, .n_rows = 1, .returning = true };
    if (q_run(q, q_build_insert, &cc, &rows) != PRISMA_OK)
        return PRISMA_ERROR;
    return q_fetch_one(q, m, rows, &uc->rec);
}

int prisma_op_upsert(prisma_client *db, const prisma_model_desc *m, const void *where_unique, const void *create,
                     const void *update, const void *include, void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (!q_include_check(q, m, include) || op_where_rule(q, PRISMA_OP_UPSERT, where_unique) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    if (!create || !update)
        return q_op_end(q, op_missing(q, !create ? "create" : "update"));
    if (nw_has_nested(m, create, false) || nw_has_nested(m, update, true)) {
        if (nw_check_input(q, m, create, false, 0) != PRISMA_OK || nw_check_input(q, m, update, true, 0) != PRISMA_OK)
            return q_op_end(q, PRISMA_ERROR);
        nested_ctx nc = { .m = m, .where_unique = where_unique, .data = create, .update = update, .is_upsert = true };
        int rc = q_in_transaction_rerun(q, q_nested_body, &nc);
        if (rc == PRISMA_OK && nc.rec && include &&
            q_load_includes(q, m, nc.rec, 1, include, result_arena_of(nc.rec)) != PRISMA_OK)
            rc = PRISMA_ERROR;
        if (rc == PRISMA_OK)
            q_hand_out(nc.rec, out);
        else
            result_free_root(nc.rec);
        return q_op_end(q, rc);
    }
    /* The where criterion: exactly one, for ON CONFLICT to target it. */
    q_reset(q, false);
    const prisma_unique_desc *crit = NULL;
    if (!q_unique_walk(q, m, where_unique, false, &crit))
        return q_op_end(q, PRISMA_ERROR);
    prisma_value where_vals[16];
    size_t n_criteria = 0;
    bool crit_read = false; /* every value of crit is in where_vals */
    for (unsigned i = 0; i < m->n_uniques; i++) {
        const prisma_unique_desc *ud = &m->uniques[i];
        bool all = true;
        for (unsigned k = 0; k < ud->n_fields && k < 16; k++) {
            prisma_value v;
            const void *p = (const char *)where_unique + ud->member_offs[k];
            if (q_read_create_value(q, &m->fields[ud->fields[k]], p, &v) != 1)
                all = false;
            else if (ud == crit)
                where_vals[k] = v;
        }
        n_criteria += all;
        if (ud == crit)
            crit_read = all && ud->n_fields <= 16;
    }
    prisma_value vals[MAX_FIELDS];
    bool given[MAX_FIELDS];
    if (!q_create_values(q, m, create, vals, given))
        return q_op_end(q, PRISMA_ERROR);
    /* ON CONFLICT needs the create row to carry the where values; an update
     * with referential actions to carry out reads the row first. */
    /* A where-unique `filter` (issue 13) goes the update-else-create way, as
     * Prisma's non-native upsert: a record that fails it is not found, and
     * the create then runs (and meets the unique constraint). */
    /* issue 16: where the database upserts on whichever unique key a row
     * meets (ON DUPLICATE KEY UPDATE), only when the where's is the only
     * one the create row can meet. */
    bool native = n_criteria == 1 && crit->n_fields <= 16 && !ra_update_acts(q, m, update, NULL, 0) &&
                  !q_unique_filter(m, where_unique) &&
                  ((q->be->caps & BACKEND_CONFLICT_TARGET) ||
                   ((q->be->caps & BACKEND_UPSERT_ANY_KEY) && q_conflict_alone(q, m, crit, create)));
    for (unsigned k = 0; native && k < crit->n_fields; k++) {
        unsigned fi = crit->fields[k];
        if (!given[fi]) {
            vals[fi] = where_vals[k];
            given[fi] = true;
        } else {
            prisma_value a = vals[fi], b = where_vals[k];
            if (a.kind == V_TEXT)
                a.len = strlen(a.s);
            if (b.kind == V_TEXT)
                b.len = strlen(b.s);
            if (!(a.kind == b.kind && q_values_equal(a, b)))
                native = false;
        }
    }
    if (!q_check_required(q, m, given))
        return q_op_end(q, PRISMA_ERROR);
    int rc;
    void *rec = NULL;
    if (native) {
        create_ctx cc = { .m = m, .vals = vals, .given = given, .n_rows = 1, .returning = true, .conflict = crit,
                          .update = update };
        prisma_rows *rows;
        rc = q_run(q, q_build_insert, &cc, &rows);
        if (rc == PRISMA_OK)
            rc = q_fetch_one(q, m, rows, &rec);
    } else {
        /* Bad update input is refused before the transaction begins. */
        bool empty;
        if (q_update_is_empty(q, m, update, &empty) != PRISMA_OK)
            return q_op_end(q, PRISMA_ERROR);
        upsert_ctx uc = { .m = m, .where_unique = where_unique, .create = create, .update = update,
                          .crit = crit_read ? crit : NULL,
                          .where_vals = where_vals };
        rc = q_in_transaction(q, upsert_fallback, &uc);
        rec = uc.rec;
    }
    if (rc == PRISMA_OK && rec && include && q_load_includes(q, m, rec, 1, include, result_arena_of(rec)) != PRISMA_OK)
        rc = PRISMA_ERROR;
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    else
        result_free_root(rec);
    return q_op_end(q, rc);
}
