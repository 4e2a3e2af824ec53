/* update, update_many, delete and delete_many. */
#include "ops.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* relationMode = "prisma": a delete or an update that changes a key others
 * hold, with the referential actions it causes, in one transaction. */
typedef struct ref_op {
    const prisma_model_desc *m;
    const void *where_unique, *where, *data;
    bool is_delete, want_rec;
    void *rec;
    int64_t count;
} ref_op;

static int ref_op_body(query *q, void *vctx)
{
    ref_op *o = vctx;
    void **rec = o->want_rec ? &o->rec : NULL;
    if (o->is_delete)
        return ra_delete_top(q, o->m, o->where_unique, o->where, rec, &o->count);
    return ra_update_top(q, o->m, o->where_unique, o->where, o->data, rec, &o->count);
}

int prisma_op_update(prisma_client *db, const prisma_model_desc *m, const void *where_unique, const void *data,
                     const void *include, void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    update_plan plan;
    if (!q_include_check(q, m, include) || op_where_rule(q, PRISMA_OP_UPDATE, where_unique) != PRISMA_OK ||
        op_update_rule(q, m, data, false, &plan) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    void *rec = NULL;
    int rc;
    if (plan == UPDATE_NESTED) {
        nested_ctx nc = { .m = m, .where_unique = where_unique, .data = data, .is_update = true };
        rc = q_in_transaction_rerun(q, q_nested_body, &nc);
        rec = nc.rec;
        if (rc == PRISMA_OK && rec && include &&
            q_load_includes(q, m, rec, 1, include, result_arena_of(rec)) != PRISMA_OK) {
            result_free_root(rec);
            rec = NULL;
            rc = PRISMA_ERROR;
        }
        if (rc != PRISMA_OK) {
            result_free_root(rec);
            rec = NULL;
        }
    } else if (plan == UPDATE_READ) {
        find_ctx fc = { .m = m, .where_unique = where_unique };
        rc = q_find_one(q, m, &fc, include, &rec);
    } else {
        update_ctx uc = { .m = m, .where_unique = where_unique, .data = data, .returning = true };
        prisma_rows *rows;
        if (ra_update_acts(q, m, data, NULL, 0)) {
            ref_op o = { .m = m, .where_unique = where_unique, .data = data, .want_rec = true };
            rc = q_in_transaction(q, ref_op_body, &o);
            rec = rc == PRISMA_OK ? o.rec : NULL;
            if (rc != PRISMA_OK)
                result_free_root(o.rec);
        } else {
            rc = q_run(q, q_build_update, &uc, &rows);
            if (rc == PRISMA_OK)
                rc = q_fetch_one(q, m, rows, &rec);
        }
        if (rc == PRISMA_OK && rec && include &&
            q_load_includes(q, m, rec, 1, include, result_arena_of(rec)) != PRISMA_OK) {
            result_free_root(rec);
            rec = NULL;
            rc = PRISMA_ERROR;
        }
    }
    if (rc == PRISMA_OK && !rec)
        rc = q_not_found(q, "No record was found for an update.");
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    return q_op_end(q, rc);
}

/* Runs an UPDATE or DELETE of update_many / delete_many (with or without
 * a limit) and gives the number of rows it changed. */
int q_run_changes(query *q, update_ctx *uc, int64_t *count)
{
    prisma_rows *rows;
    int rc = q_run(q, q_build_update, uc, &rows);
    if (rc == PRISMA_OK) {
        if (count)
            *count = q->be->changes(rows);
        q->be->done(rows);
    }
    return rc;
}

int prisma_op_update_many(prisma_client *db, const prisma_model_desc *m, const void *where, const void *data,
                          int64_t *count)
{
    OP_PROLOGUE(db, m);
    if (count)
        *count = 0;
    if (!data)
        return q_op_end(q, op_missing(q, "data"));
    if (nw_has_nested(m, data, true))
        return q_op_end(q, (err_set(&q->err, "P2009",
                                  "Failed to validate the query: update_many data cannot hold nested writes."),
                          PRISMA_ERROR));
    update_plan plan;
    if (op_update_rule(q, m, data, true, &plan) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    if (plan == UPDATE_NOTHING)
        return q_op_end(q, PRISMA_OK); /* nothing to change: Prisma reports a count of 0 */
    if (ra_update_acts(q, m, data, NULL, 0)) {
        ref_op o = { .m = m, .where = where, .data = data };
        int rc = q_in_transaction(q, ref_op_body, &o);
        if (rc == PRISMA_OK && count)
            *count = o.count;
        return q_op_end(q, rc);
    }
    update_ctx uc = { .m = m, .where = where, .data = data };
    return q_op_end(q, q_run_changes(q, &uc, count));
}

int prisma_op_delete(prisma_client *db, const prisma_model_desc *m, const void *where_unique, const void *include,
                     void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (!q_include_check(q, m, include) || op_where_rule(q, PRISMA_OP_DELETE, where_unique) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    void *rec = NULL;
    int rc = PRISMA_OK;
    if (ra_delete_acts(q, m)) {
        /* The related records an include names are read before the row goes. */
        if (include) {
            find_ctx fc = { .m = m, .where_unique = where_unique };
            rc = q_find_one(q, m, &fc, include, &rec);
        }
        ref_op o = { .m = m, .where_unique = where_unique, .is_delete = true, .want_rec = !include };
        if (rc == PRISMA_OK)
            rc = q_in_transaction(q, ref_op_body, &o);
        if (rc == PRISMA_OK && !include)
            rec = o.rec;
        else
            result_free_root(o.rec);
        if (rc == PRISMA_OK && (!o.count || !rec))
            rc = q_not_found(q, "No record was found for a delete.");
    } else if (include) {
        /* The related records must be read before the row goes. */
        find_ctx fc = { .m = m, .where_unique = where_unique };
        rc = q_find_one(q, m, &fc, include, &rec);
        if (rc == PRISMA_OK && !rec)
            rc = q_not_found(q, "No record was found for a delete.");
        if (rc == PRISMA_OK) {
            update_ctx uc = { .m = m, .where_unique = where_unique, .is_delete = true };
            prisma_rows *rows;
            rc = q_run(q, q_build_update, &uc, &rows);
            if (rc == PRISMA_OK)
                q->be->done(rows);
        }
    } else {
        update_ctx uc = { .m = m, .where_unique = where_unique, .is_delete = true, .returning = true };
        prisma_rows *rows;
        rc = q_run(q, q_build_update, &uc, &rows);
        if (rc == PRISMA_OK)
            rc = q_fetch_one(q, m, rows, &rec);
        if (rc == PRISMA_OK && !rec)
            rc = q_not_found(q, "No record was found for a delete.");
    }
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    else
        result_free_root(rec);
    return q_op_end(q, rc);
}

int prisma_op_delete_many(prisma_client *db, const prisma_model_desc *m, const void *where, int64_t *count)
{
    OP_PROLOGUE(db, m);
    if (count)
        *count = 0;
    if (ra_delete_acts(q, m)) {
        ref_op o = { .m = m, .where = where, .is_delete = true };
        int rc = q_in_transaction(q, ref_op_body, &o);
        if (rc == PRISMA_OK && count)
            *count = o.count;
        return q_op_end(q, rc);
    }
    update_ctx uc = { .m = m, .where = where, .is_delete = true };
    return q_op_end(q, q_run_changes(q, &uc, count));
}
