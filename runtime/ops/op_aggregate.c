/* aggregate and group_by (issue 13): the calls and their batch kinds. */
#include "aggregate.h"
#include "ops.h"

#include <string.h>

static int aggregate(query *q, const prisma_model_desc *m, const prisma_agg_layout *l,
                     const prisma_aggregate_args *args, void **out)
{
    agg_plan p;
    if (agg_plan_aggregate(q, &p, m, l, args) != PRISMA_OK ||
        op_args_rule(q, PRISMA_OP_AGGREGATE, &p.fa) != PRISMA_OK)
        return PRISMA_ERROR;
    if (p.empty) /* nothing asked, or take 0: no rows, nothing to send */
        return agg_empty(q, &p, out);
    prisma_rows *rows;
    if (q_run(q, agg_build, &p, &rows) != PRISMA_OK)
        return PRISMA_ERROR;
    return agg_fetch(q, &p, rows, out);
}

static int group_by(query *q, const prisma_model_desc *m, const prisma_agg_layout *l,
                    const prisma_group_by_args *args, void **out)
{
    agg_plan p;
    if (agg_plan_group_by(q, &p, m, l, args) != PRISMA_OK || op_args_rule(q, PRISMA_OP_GROUP_BY, &p.fa) != PRISMA_OK)
        return PRISMA_ERROR;
    if (p.empty)
        return agg_empty(q, &p, out);
    prisma_rows *rows;
    if (q_run(q, agg_build, &p, &rows) != PRISMA_OK)
        return PRISMA_ERROR;
    return agg_fetch(q, &p, rows, out);
}

static int no_layout(query *q)
{
    err_set(&q->err, "P2009", "Failed to validate the query: the aggregate layout is NULL.");
    return PRISMA_ERROR;
}

static int aggregate_once(prisma_client *db, const prisma_model_desc *m, const prisma_agg_layout *l,
                        const prisma_aggregate_args *args, void **out)
{
    OP_READ_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (!l)
        return q_op_end(q, no_layout(q));
    void *rec = NULL;
    int rc = aggregate(q, m, l, args, &rec);
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    return q_op_end(q, rc);
}

int prisma_op_aggregate(prisma_client *db, const prisma_model_desc *m, const prisma_agg_layout *l,
                        const prisma_aggregate_args *args, void **out)
{
    OP_READ_RERUN(db, aggregate_once(db, m, l, args, out));
}

static int group_by_once(prisma_client *db, const prisma_model_desc *m, const prisma_agg_layout *l,
                       const prisma_group_by_args *args, void **out)
{
    OP_READ_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (!l)
        return q_op_end(q, no_layout(q));
    void *rec = NULL;
    int rc = group_by(q, m, l, args, &rec);
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    return q_op_end(q, rc);
}

int prisma_op_group_by(prisma_client *db, const prisma_model_desc *m, const prisma_agg_layout *l,
                       const prisma_group_by_args *args, void **out)
{
    OP_READ_RERUN(db, group_by_once(db, m, l, args, out));
}

/* ---- batch kinds: the typed arguments (data) have the runtime's layouts ---- */

int op_run_aggregate(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)count;
    prisma_aggregate_args a;
    if (op->data)
        memcpy(&a, op->data, sizeof a);
    return prisma_op_aggregate(db, op->model, op->data2, op->data ? &a : NULL, op->out ? rec : NULL);
}

int op_run_group_by(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)count;
    prisma_group_by_args a;
    if (op->data)
        memcpy(&a, op->data, sizeof a);
    return prisma_op_group_by(db, op->model, op->data2, op->data ? &a : NULL, op->out ? rec : NULL);
}
