/* issue 13: writes. update_many and delete_many with Prisma's `limit`, and
 * update_many_and_return; their batch kinds (one statement each).
 *
 * A limit picks its rows as Prisma does: the model's key IN (SELECT key
 * FROM table WHERE where LIMIT n), one statement on every database (SQLite,
 * as Debian builds it, has no UPDATE ... LIMIT). update_many_and_return is
 * one UPDATE ... RETURNING. */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prisma refuses a negative limit (P2019) before anything runs; 0 writes nothing. */
static int limit_rule(query *q, prisma_write_limit l)
{
    if (l.limit_null) {
        err_set(&q->err, "P2009", "Failed to validate the query: Argument `limit`: A value is required but not set.");
        return PRISMA_ERROR;
    }
    if (l.has_limit && l.limit < 0) {
        err_set(&q->err, "P2019", "Input error. Provided limit (%lld) must be a positive integer.",
                (long long)l.limit);
        return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* relationMode = "prisma" with referential actions to carry out: the
 * emulation reads and writes row sets of its own, without a limit or
 * RETURNING of the rows written; refused rather than done wrong. */
static int refuse_emulated(query *q, const char *what)
{
    err_set(&q->err, "P2026",
            "The current database provider doesn't support a feature that the query used: %s with relationMode = "
            "\"prisma\" referential actions to emulate.",
            what);
    return PRISMA_ERROR;
}

static int update_data_rule(query *q, const prisma_model_desc *m, const void *data, const char *op, update_plan *plan)
{
    if (!data)
        return op_missing(q, "data");
    if (nw_has_nested(m, data, true)) {
        err_set(&q->err, "P2009", "Failed to validate the query: %s data cannot hold nested writes.", op);
        return PRISMA_ERROR;
    }
    return op_update_rule(q, m, data, true, plan);
}

int prisma_op_update_many_with(prisma_client *db, const prisma_model_desc *m, const void *where, const void *data,
                               prisma_write_limit limit, int64_t *count)
{
    if (!limit.has_limit && !limit.limit_null)
        return prisma_op_update_many(db, m, where, data, count);
    OP_PROLOGUE(db, m);
    if (count)
        *count = 0;
    update_plan plan;
    if (limit_rule(q, limit) != PRISMA_OK || update_data_rule(q, m, data, "update_many", &plan) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    if (plan == UPDATE_NOTHING)
        return q_op_end(q, PRISMA_OK);
    if (ra_update_acts(q, m, data, NULL, 0))
        return q_op_end(q, refuse_emulated(q, "update_many with a limit"));
    update_ctx uc = { .m = m, .where = where, .data = data, .has_limit = true, .limit = limit.limit };
    return q_op_end(q, q_run_changes(q, &uc, count));
}

int prisma_op_delete_many_with(prisma_client *db, const prisma_model_desc *m, const void *where,
                               prisma_write_limit limit, int64_t *count)
{
    if (!limit.has_limit && !limit.limit_null)
        return prisma_op_delete_many(db, m, where, count);
    OP_PROLOGUE(db, m);
    if (count)
        *count = 0;
    if (limit_rule(q, limit) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    if (ra_delete_acts(q, m))
        return q_op_end(q, refuse_emulated(q, "delete_many with a limit"));
    update_ctx uc = { .m = m, .where = where, .is_delete = true, .has_limit = true, .limit = limit.limit };
    return q_op_end(q, q_run_changes(q, &uc, count));
}

int prisma_op_update_many_and_return(prisma_client *db, const prisma_model_desc *m, const void *where,
                                     const void *data, prisma_write_limit limit, void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    update_plan plan;
    if (limit_rule(q, limit) != PRISMA_OK ||
        update_data_rule(q, m, data, "update_many_and_return", &plan) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    void *list = NULL;
    int rc;
    if (plan == UPDATE_NOTHING) {
        /* Nothing to change: no statement, no rows (update_many counts 0). */
        rc = q_empty_list(q, &list);
    } else if (ra_update_acts(q, m, data, NULL, 0)) {
        rc = refuse_emulated(q, "update_many_and_return");
    } else {
        update_ctx uc = { .m = m, .where = where, .data = data, .returning = true, .has_limit = limit.has_limit,
                          .limit = limit.limit };
        prisma_rows *rows;
        rc = q_run(q, q_build_update, &uc, &rows);
        if (rc == PRISMA_OK)
            rc = q_fetch_list(q, m, rows, 0, &list);
    }
    if (rc == PRISMA_OK)
        q_hand_out(list, out);
    else
        result_free_root(list);
    return q_op_end(q, rc);
}

/* ---- the typed wrappers' entry points ---- */

static prisma_write_limit limit_of(prisma_bigint l)
{
    return (prisma_write_limit){ l.v, l.set && !l.null, l.set && l.null };
}

int prisma_op_update_many_args(prisma_client *db, const prisma_model_desc *m, const void *args, int64_t *count)
{
    prisma_update_many_args a = { NULL, NULL, { NULL, false, 0 } };
    if (args)
        memcpy(&a, args, sizeof a);
    return prisma_op_update_many_with(db, m, a.where, a.data, limit_of(a.limit), count);
}

int prisma_op_delete_many_args(prisma_client *db, const prisma_model_desc *m, const void *args, int64_t *count)
{
    prisma_delete_many_args a = { NULL, { NULL, false, 0 } };
    if (args)
        memcpy(&a, args, sizeof a);
    return prisma_op_delete_many_with(db, m, a.where, limit_of(a.limit), count);
}

int prisma_op_update_many_and_return_args(prisma_client *db, const prisma_model_desc *m, const void *args,
                                          void **out)
{
    prisma_update_many_args a = { NULL, NULL, { NULL, false, 0 } };
    if (args)
        memcpy(&a, args, sizeof a);
    return prisma_op_update_many_and_return(db, m, a.where, a.data, limit_of(a.limit), out);
}

int prisma_batch_add_write_many(prisma_batch *b, int kind, const prisma_model_desc *m, const void *args, void **out,
                                int64_t *count)
{
    prisma_batch_op op = { .kind = (uint8_t)kind, .model = m, .out = out, .count = count };
    if (kind == PRISMA_OP_DELETE_MANY_WITH) {
        prisma_delete_many_args a = { NULL, { NULL, false, 0 } };
        if (args)
            memcpy(&a, args, sizeof a);
        op.where = a.where;
        op.limit = limit_of(a.limit);
    } else if (kind == PRISMA_OP_UPDATE_MANY_WITH || kind == PRISMA_OP_UPDATE_MANY_AND_RETURN) {
        prisma_update_many_args a = { NULL, NULL, { NULL, false, 0 } };
        if (args)
            memcpy(&a, args, sizeof a);
        op.where = a.where;
        op.data = a.data;
        op.limit = limit_of(a.limit);
    } else {
        op.kind = 0; /* refused by prisma_batch_add */
    }
    return prisma_batch_add(b, &op);
}

/* ---- batches ---- */

int op_run_update_many_with(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)rec;
    return prisma_op_update_many_with(db, op->model, op->where, op->data, op->limit, count);
}

int op_run_delete_many_with(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)rec;
    return prisma_op_delete_many_with(db, op->model, op->where, op->limit, count);
}

int op_run_update_many_and_return(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)count;
    return prisma_op_update_many_and_return(db, op->model, op->where, op->data, op->limit, op->out ? rec : NULL);
}

bool op_update_many_is_one(const prisma_batch_op *op)
{
    return !nw_has_nested(op->model, op->data, true);
}

/* The statement of update_many_with / update_many_and_return / delete_many_with. */
int op_plan_write_many(op_stmt *s)
{
    const prisma_batch_op *op = s->op;
    query *q = &s->q;
    if (limit_rule(q, op->limit) != PRISMA_OK)
        return PRISMA_ERROR;
    s->uc = (update_ctx){ .m = op->model, .where = op->where, .has_limit = op->limit.has_limit,
                          .limit = op->limit.limit };
    if (op->kind == PRISMA_OP_DELETE_MANY_WITH) {
        s->uc.is_delete = true;
    } else {
        bool ret = op->kind == PRISMA_OP_UPDATE_MANY_AND_RETURN;
        update_plan plan;
        if (update_data_rule(q, op->model, op->data, ret ? "update_many_and_return" : "update_many", &plan) !=
            PRISMA_OK)
            return PRISMA_ERROR;
        if (plan == UPDATE_NOTHING) {
            s->skip = true;
            return PRISMA_OK;
        }
        s->uc.data = op->data;
        s->uc.returning = ret;
    }
    s->build = q_build_update;
    s->ctx = &s->uc;
    return PRISMA_OK;
}

int op_finish_returned_list(op_stmt *s, prisma_rows *rows, void **rec, int64_t *count)
{
    (void)count;
    return q_fetch_list(&s->q, s->op->model, rows, 0, rec);
}
