/* The operation kinds of batches, in one table: how each runs alone (the
 * sequential batch) and, when it is one statement, how its statement is
 * checked and built and how its rows become its result (the pipelined
 * batch). A new kind is one entry here. */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

/* ---- shared checks ---- */

int op_missing(query *q, const char *arg)
{
    err_set(&q->err, "P2009", "Failed to validate the query: Argument `%s` is missing.", arg);
    return PRISMA_ERROR;
}

int op_args_rule(query *q, int kind, const prisma_find_args *args)
{
    if (!args)
        return PRISMA_OK;
    if (args->skip < 0) {
        err_set(&q->err, "P2019", "Input error. Invalid value for skip argument: Value can only be positive, found: %lld",
                (long long)args->skip);
        return PRISMA_ERROR;
    }
    if (args->take_null) {
        err_set(&q->err, "P2012", "`take`: A value is required but not set.");
        return PRISMA_ERROR;
    }
    if (!args->has_take)
        return PRISMA_OK;
    if (args->take == INT64_MIN) {
        /* Its magnitude does not fit: no database could be asked for it. */
        err_set(&q->err, "P2019", "Input error. Invalid value for take argument: %lld is out of range.",
                (long long)args->take);
        return PRISMA_ERROR;
    }
    if ((kind == PRISMA_OP_FIND_FIRST || kind == PRISMA_OP_FIND_FIRST_OR_THROW) && args->take != 1 && args->take != -1) {
        err_set(&q->err, "P2019",
                "Input error. The 'findFirst' operation cannot be used with a 'take' argument that isn't 1 or -1, "
                "found: %lld",
                (long long)args->take);
        return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

int op_update_rule(query *q, const prisma_model_desc *m, const void *data, bool many, update_plan *plan)
{
    if (!data)
        return op_missing(q, "data");
    if (!many && nw_has_nested(m, data, true)) {
        /* Checked whole, nested inputs included, before the transaction opens. */
        if (nw_check_input(q, m, data, true, 0) != PRISMA_OK)
            return PRISMA_ERROR;
        *plan = UPDATE_NESTED;
        return PRISMA_OK;
    }
    /* One statement: whether the data gives any field is enough to choose
     * it (no walk of the whole input twice); an invalid value fails its
     * build, before it runs. Nothing to change: update reads the record,
     * update_many counts 0. */
    *plan = q_update_gives_fields(q, m, data) ? UPDATE_RUN : many ? UPDATE_NOTHING : UPDATE_READ;
    return PRISMA_OK;
}

int op_where_missing(query *q, int kind)
{
    const op_kind *k = op_kind_of(kind);
    return k && k->one_record ? op_missing(q, "where") : PRISMA_OK;
}

/* ---- running alone ---- */

static int run_create(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)count;
    return prisma_op_create(db, op->model, op->data, NULL, op->out ? rec : NULL);
}

static int run_create_many(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)rec;
    return prisma_op_create_many(db, op->model, op->data, op->n, op->flag, count);
}

static int run_find_unique(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)count;
    return prisma_op_find_unique_shaped(db, op->model, op->where, &op->args,
                                        op->kind == PRISMA_OP_FIND_UNIQUE_OR_THROW, op->out ? rec : NULL);
}

static int run_find_first(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)count;
    return prisma_op_find_first(db, op->model, &op->args, op->kind == PRISMA_OP_FIND_FIRST_OR_THROW,
                                op->out ? rec : NULL);
}

static int run_find_many(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)count;
    return prisma_op_find_many(db, op->model, &op->args, op->out ? rec : NULL);
}

static int run_count(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)rec;
    return prisma_op_count(db, op->model, &op->args, count);
}

static int run_update(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)count;
    return prisma_op_update(db, op->model, op->where, op->data, NULL, op->out ? rec : NULL);
}

static int run_update_many(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)rec;
    return prisma_op_update_many(db, op->model, op->where, op->data, count);
}

static int run_upsert(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)count;
    return prisma_op_upsert(db, op->model, op->where, op->data, op->data2, NULL, op->out ? rec : NULL);
}

static int run_delete(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)count;
    return prisma_op_delete(db, op->model, op->where, NULL, op->out ? rec : NULL);
}

static int run_delete_many(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)rec;
    return prisma_op_delete_many(db, op->model, op->where, count);
}

static int run_execute_raw(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)rec;
    return prisma_execute_raw(db, op->sql, op->params, op->n, count);
}

static int run_query_raw(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count)
{
    (void)count;
    return prisma_query_raw(db, op->sql, op->params, op->n, op->out ? (prisma_raw_rows **)rec : NULL);
}

/* ---- one statement: whether, and which ---- */

static bool always(const prisma_batch_op *op)
{
    (void)op;
    return true;
}

static bool create_is_one(const prisma_batch_op *op) { return !nw_has_nested(op->model, op->data, false); }
static bool update_is_one(const prisma_batch_op *op) { return !nw_has_nested(op->model, op->data, true); }
/* A read shape (include, select, omit: issue 13) or distinct runs alone. */
static bool find_unique_is_one(const prisma_batch_op *op)
{
    return !op->args.include && !op->args.select && !op->args.omit;
}

static bool find_is_one(const prisma_batch_op *op)
{
    /* A negative take flips the rows after; take 0 sends nothing: both run alone. */
    return find_unique_is_one(op) && !op->args.distinct_len && (!op->args.has_take || op->args.take > 0);
}

static int plan_create(op_stmt *s)
{
    query *q = &s->q;
    const prisma_batch_op *op = s->op;
    const prisma_model_desc *m = op->model;
    if (!op->data)
        return op_missing(q, "data");
    s->vals = (prisma_value *)(void *)q_temp(q, (m->n_fields + 1) * sizeof *s->vals);
    s->given = (bool *)q_temp(q, m->n_fields + 1);
    if (!s->vals || !s->given) {
        err_oom(&q->err);
        return PRISMA_ERROR;
    }
    if (!q_create_values(q, m, op->data, s->vals, s->given) || !q_check_required(q, m, s->given))
        return PRISMA_ERROR;
    s->cc = (create_ctx){ .m = m, .vals = s->vals, .given = s->given, .n_rows = 1, .returning = op->out != NULL };
    s->build = q_build_insert;
    s->ctx = &s->cc;
    return PRISMA_OK;
}

static int plan_find(op_stmt *s, find_ctx fc)
{
    s->fc = fc;
    s->build = q_build_find;
    s->ctx = &s->fc;
    return PRISMA_OK;
}

static int plan_find_unique(op_stmt *s)
{
    return plan_find(s, (find_ctx){ .m = s->op->model, .where_unique = s->op->where });
}

static int plan_find_first(op_stmt *s)
{
    return plan_find(s, (find_ctx){ .m = s->op->model, .args = &s->op->args, .take = 1 });
}

static int plan_find_many(op_stmt *s)
{
    const prisma_find_args *a = &s->op->args;
    return plan_find(s, (find_ctx){ .m = s->op->model, .args = a, .take = a->has_take ? a->take : 0 });
}

static int plan_count(op_stmt *s)
{
    return plan_find(s, (find_ctx){ .m = s->op->model, .args = &s->op->args, .count = true });
}

static int plan_update(op_stmt *s)
{
    const prisma_batch_op *op = s->op;
    bool many = op->kind == PRISMA_OP_UPDATE_MANY;
    update_plan plan;
    if (op_update_rule(&s->q, op->model, op->data, many, &plan) != PRISMA_OK)
        return PRISMA_ERROR;
    if (plan == UPDATE_NOTHING) {
        s->skip = true;
        return PRISMA_OK;
    }
    if (plan == UPDATE_READ)
        return plan_find(s, (find_ctx){ .m = op->model, .where_unique = op->where });
    /* (UPDATE_NESTED never comes: a batch's one statement has no nested writes.) */
    s->uc = (update_ctx){ .m = op->model, .data = op->data, .returning = !many };
    if (many)
        s->uc.where = op->where;
    else
        s->uc.where_unique = op->where;
    s->build = q_build_update;
    s->ctx = &s->uc;
    return PRISMA_OK;
}

static int plan_delete(op_stmt *s)
{
    const prisma_batch_op *op = s->op;
    bool many = op->kind == PRISMA_OP_DELETE_MANY;
    s->uc = (update_ctx){ .m = op->model, .is_delete = true, .returning = !many };
    if (many)
        s->uc.where = op->where;
    else
        s->uc.where_unique = op->where;
    s->build = q_build_update;
    s->ctx = &s->uc;
    return PRISMA_OK;
}

static int plan_raw(op_stmt *s)
{
    s->rc = (raw_ctx){ s->op->sql, s->op->params, s->op->n };
    s->build = q_build_raw;
    s->ctx = &s->rc;
    return PRISMA_OK;
}

/* ---- rows into results ---- */

static int finish_create(op_stmt *s, prisma_rows *rows, void **rec, int64_t *count)
{
    (void)count;
    if (!s->op->out) {
        s->q.be->done(rows);
        return PRISMA_OK;
    }
    return q_fetch_one(&s->q, s->op->model, rows, rec);
}

static int finish_one(op_stmt *s, prisma_rows *rows, void **rec, int64_t *count)
{
    (void)count;
    const prisma_batch_op *op = s->op;
    if (q_fetch_one(&s->q, op->model, rows, rec) != PRISMA_OK)
        return PRISMA_ERROR;
    if (*rec)
        return PRISMA_OK;
    switch (op->kind) {
    case PRISMA_OP_FIND_UNIQUE_OR_THROW:
    case PRISMA_OP_FIND_FIRST_OR_THROW: return q_not_found(&s->q, "No record was found for a query.");
    case PRISMA_OP_UPDATE: return q_not_found(&s->q, "No record was found for an update.");
    case PRISMA_OP_DELETE: return q_not_found(&s->q, "No record was found for a delete.");
    default: return PRISMA_OK;
    }
}

static int finish_list(op_stmt *s, prisma_rows *rows, void **rec, int64_t *count)
{
    (void)count;
    const prisma_find_args *a = &s->op->args;
    return q_fetch_list(&s->q, s->op->model, rows, a->has_take ? (size_t)a->take : 0, rec);
}

static int finish_count(op_stmt *s, prisma_rows *rows, void **rec, int64_t *count)
{
    (void)rec;
    query *q = &s->q;
    int st = q->be->next(rows, &q->err);
    *count = st == 1 ? q->be->col_int(rows, 0) : 0;
    q->be->done(rows);
    return st < 0 ? PRISMA_ERROR : PRISMA_OK;
}

static int finish_changes(op_stmt *s, prisma_rows *rows, void **rec, int64_t *count)
{
    (void)rec;
    *count = s->q.be->changes(rows);
    s->q.be->done(rows);
    return PRISMA_OK;
}

/* ---- the table ---- */

/* one_record (the last member): the operation's where names one record and
 * must be given (without it, its statement would read WHERE 1=1: every row). */
static const op_kind kinds[] = {
    [PRISMA_OP_CREATE] = { run_create, create_is_one, plan_create, finish_create, false },
    [PRISMA_OP_CREATE_MANY] = { run_create_many, NULL, NULL, NULL, false },
    [PRISMA_OP_FIND_UNIQUE] = { run_find_unique, find_unique_is_one, plan_find_unique, finish_one, true },
    [PRISMA_OP_FIND_UNIQUE_OR_THROW] = { run_find_unique, find_unique_is_one, plan_find_unique, finish_one, true },
    [PRISMA_OP_FIND_FIRST] = { run_find_first, find_is_one, plan_find_first, finish_one, false },
    [PRISMA_OP_FIND_FIRST_OR_THROW] = { run_find_first, find_is_one, plan_find_first, finish_one, false },
    [PRISMA_OP_FIND_MANY] = { run_find_many, find_is_one, plan_find_many, finish_list, false },
    [PRISMA_OP_COUNT] = { run_count, always, plan_count, finish_count, false },
    [PRISMA_OP_UPDATE] = { run_update, update_is_one, plan_update, finish_one, true },
    [PRISMA_OP_UPDATE_MANY] = { run_update_many, update_is_one, plan_update, finish_changes, false },
    [PRISMA_OP_UPSERT] = { run_upsert, NULL, NULL, NULL, true },
    [PRISMA_OP_DELETE] = { run_delete, always, plan_delete, finish_one, true },
    [PRISMA_OP_DELETE_MANY] = { run_delete_many, always, plan_delete, finish_changes, false },
    [PRISMA_OP_EXECUTE_RAW] = { run_execute_raw, always, plan_raw, finish_changes, false },
    [PRISMA_OP_QUERY_RAW] = { run_query_raw, NULL, NULL, NULL, false },
    /* issue 13: writes (op_update_many.c) */
    [PRISMA_OP_UPDATE_MANY_AND_RETURN] = { op_run_update_many_and_return, op_update_many_is_one, op_plan_write_many,
                                           op_finish_returned_list, false },
    [PRISMA_OP_UPDATE_MANY_WITH] = { op_run_update_many_with, op_update_many_is_one, op_plan_write_many,
                                     finish_changes, false },
    [PRISMA_OP_DELETE_MANY_WITH] = { op_run_delete_many_with, always, op_plan_write_many, finish_changes, false },
    /* issue 13: aggregate (run alone, in a sequential batch) */
    [PRISMA_OP_AGGREGATE] = { op_run_aggregate, NULL, NULL, NULL, false },
    [PRISMA_OP_GROUP_BY] = { op_run_group_by, NULL, NULL, NULL, false },
};

const op_kind *op_kind_of(int kind)
{
    if (kind < 0 || (size_t)kind >= sizeof kinds / sizeof kinds[0] || !kinds[kind].run)
        return NULL;
    return &kinds[kind];
}

bool op_is_one_statement(const prisma_schema_desc *schema, const prisma_batch_op *op)
{
    const op_kind *k = op_kind_of(op->kind);
    /* relationMode = "prisma": a delete or update of a model others hold keys
     * to may carry out referential actions: more than one statement. */
    if (k && (op->kind == PRISMA_OP_DELETE || op->kind == PRISMA_OP_DELETE_MANY || op->kind == PRISMA_OP_UPDATE ||
              op->kind == PRISMA_OP_UPDATE_MANY || op->kind == PRISMA_OP_UPDATE_MANY_AND_RETURN ||
              op->kind == PRISMA_OP_UPDATE_MANY_WITH || op->kind == PRISMA_OP_DELETE_MANY_WITH) &&
        ra_model_acts(schema, op->model))
        return false;
    return k && k->one_statement && k->one_statement(op);
}

int op_plan(op_stmt *s)
{
    const op_kind *k = op_kind_of(s->op->kind);
    if (op_where_rule(&s->q, s->op->kind, s->op->where) != PRISMA_OK ||
        op_args_rule(&s->q, s->op->kind, &s->op->args) != PRISMA_OK || k->plan(s) != PRISMA_OK)
        return PRISMA_ERROR;
    if (s->skip || q_prepare(&s->q, s->build, s->ctx, &s->stmt) == PRISMA_OK)
        return PRISMA_OK;
    if (s->op->kind == PRISMA_OP_EXECUTE_RAW || s->op->kind == PRISMA_OP_QUERY_RAW)
        q_raw_error(&s->q); /* refused as it was prepared: still a raw query's failure */
    return PRISMA_ERROR;
}
