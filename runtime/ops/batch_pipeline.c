/* Pipelined batches: every statement of a batch in one round trip, where the
 * backend can. */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- pipelined batches (PostgreSQL) ---- */

/* One queued operation's statement, built before anything is sent. */
typedef struct pipe_op {
    query q;
    const prisma_batch_op *op;
    find_ctx fc;
    create_ctx cc;
    update_ctx uc;
    raw_ctx rc;
    prisma_value *vals; /* create: one per field, freed with q */
    bool *given;
    void *stmt;
    bool skip; /* nothing to send (an update_many with no data) */
} pipe_op;

static bool pipelineable(const prisma_batch_op *op)
{
    switch (op->kind) {
    case PRISMA_OP_CREATE:
        return !nw_has_nested(op->model, op->data, false);
    case PRISMA_OP_UPDATE:
    case PRISMA_OP_UPDATE_MANY:
        return !nw_has_nested(op->model, op->data, true);
    case PRISMA_OP_COUNT:
    case PRISMA_OP_DELETE:
    case PRISMA_OP_DELETE_MANY:
    case PRISMA_OP_EXECUTE_RAW:
        return true;
    case PRISMA_OP_FIND_UNIQUE:
    case PRISMA_OP_FIND_UNIQUE_OR_THROW:
        return !op->args.include;
    case PRISMA_OP_FIND_FIRST:
    case PRISMA_OP_FIND_FIRST_OR_THROW:
    case PRISMA_OP_FIND_MANY:
        return !op->args.include && op->args.take >= 0 && op->args.skip >= 0;
    default:
        return false;
    }
}

/* Builds and prepares one operation's statement. */
static int pipe_build(pipe_op *p)
{
    query *q = &p->q;
    const prisma_batch_op *op = p->op;
    const prisma_model_desc *m = op->model;
    build_fn build;
    void *ctx;
    switch (op->kind) {
    case PRISMA_OP_CREATE:
        if (!op->data) {
            err_set(&q->err, "P2009", "Failed to validate the query: Argument `data` is missing.");
            return PRISMA_ERROR;
        }
        p->vals = (prisma_value *)(void *)q_temp(q, (m->n_fields + 1) * sizeof *p->vals);
        p->given = (bool *)q_temp(q, m->n_fields + 1);
        if (!p->vals || !p->given) {
            err_set(&q->err, "P1000", "out of memory");
            return PRISMA_ERROR;
        }
        if (!q_create_values(q, m, op->data, p->vals, p->given))
            return PRISMA_ERROR;
        p->cc = (create_ctx){ .m = m, .vals = p->vals, .given = p->given, .n_rows = 1, .returning = op->out != NULL };
        build = q_build_insert;
        ctx = &p->cc;
        break;
    case PRISMA_OP_FIND_UNIQUE:
    case PRISMA_OP_FIND_UNIQUE_OR_THROW:
        if (!op->where) {
            err_set(&q->err, "P2009", "Failed to validate the query: Argument `where` is missing.");
            return PRISMA_ERROR;
        }
        p->fc = (find_ctx){ .m = m, .where_unique = op->where };
        build = q_build_find;
        ctx = &p->fc;
        break;
    case PRISMA_OP_FIND_FIRST:
    case PRISMA_OP_FIND_FIRST_OR_THROW:
        p->fc = (find_ctx){ .m = m, .args = &op->args, .take = 1 };
        build = q_build_find;
        ctx = &p->fc;
        break;
    case PRISMA_OP_FIND_MANY:
        p->fc = (find_ctx){ .m = m, .args = &op->args, .take = op->args.take };
        build = q_build_find;
        ctx = &p->fc;
        break;
    case PRISMA_OP_COUNT:
        p->fc = (find_ctx){ .m = m, .args = &op->args, .count = true };
        build = q_build_find;
        ctx = &p->fc;
        break;
    case PRISMA_OP_UPDATE:
    case PRISMA_OP_UPDATE_MANY: {
        if (!op->data) {
            err_set(&q->err, "P2009", "Failed to validate the query: Argument `data` is missing.");
            return PRISMA_ERROR;
        }
        bool empty;
        if (q_update_is_empty(q, m, op->data, &empty) != PRISMA_OK)
            return PRISMA_ERROR;
        if (empty && op->kind == PRISMA_OP_UPDATE_MANY) {
            p->skip = true;
            return PRISMA_OK;
        }
        if (empty) {
            /* Reads the record, as prisma_op_update does. */
            p->fc = (find_ctx){ .m = m, .where_unique = op->where };
            build = q_build_find;
            ctx = &p->fc;
            break;
        }
        p->uc = (update_ctx){ .m = m, .data = op->data, .returning = op->kind == PRISMA_OP_UPDATE };
        if (op->kind == PRISMA_OP_UPDATE)
            p->uc.where_unique = op->where;
        else
            p->uc.where = op->where;
        build = q_build_update;
        ctx = &p->uc;
        break;
    }
    case PRISMA_OP_DELETE:
    case PRISMA_OP_DELETE_MANY:
        p->uc = (update_ctx){ .m = m, .is_delete = true, .returning = op->kind == PRISMA_OP_DELETE };
        if (op->kind == PRISMA_OP_DELETE)
            p->uc.where_unique = op->where;
        else
            p->uc.where = op->where;
        build = q_build_update;
        ctx = &p->uc;
        break;
    default: /* EXECUTE_RAW */
        p->rc = (raw_ctx){ op->sql, op->params, op->n };
        build = q_build_raw;
        ctx = &p->rc;
        break;
    }
    if (q_prepare(q, build, ctx, &p->stmt) == PRISMA_OK)
        return PRISMA_OK;
    if (op->kind == PRISMA_OP_EXECUTE_RAW || op->kind == PRISMA_OP_QUERY_RAW)
        q_raw_error(q); /* refused as it was prepared: still a raw query's failure */
    return PRISMA_ERROR;
}

/* Turns one operation's rows into its result. */
static int pipe_finish(pipe_op *p, prisma_rows *rows, void **rec, int64_t *count)
{
    query *q = &p->q;
    const prisma_batch_op *op = p->op;
    const prisma_model_desc *m = op->model;
    switch (op->kind) {
    case PRISMA_OP_CREATE:
        if (!op->out) {
            q->drv->done(rows);
            return PRISMA_OK;
        }
        return q_fetch_one(q, m, rows, rec);
    case PRISMA_OP_FIND_UNIQUE:
    case PRISMA_OP_FIND_UNIQUE_OR_THROW:
    case PRISMA_OP_FIND_FIRST:
    case PRISMA_OP_FIND_FIRST_OR_THROW:
        if (q_fetch_one(q, m, rows, rec) != PRISMA_OK)
            return PRISMA_ERROR;
        if (!*rec && (op->kind == PRISMA_OP_FIND_UNIQUE_OR_THROW || op->kind == PRISMA_OP_FIND_FIRST_OR_THROW))
            return q_not_found(q, "No record was found for a query.");
        return PRISMA_OK;
    case PRISMA_OP_FIND_MANY:
        return q_fetch_list(q, m, rows, (size_t)op->args.take, rec);
    case PRISMA_OP_COUNT: {
        int st = q->drv->next(rows, &q->err);
        *count = st == 1 ? q->drv->col_int(rows, 0) : 0;
        q->drv->done(rows);
        return st < 0 ? PRISMA_ERROR : PRISMA_OK;
    }
    case PRISMA_OP_UPDATE:
    case PRISMA_OP_DELETE:
        if (q_fetch_one(q, m, rows, rec) != PRISMA_OK)
            return PRISMA_ERROR;
        if (!*rec)
            return q_not_found(q, op->kind == PRISMA_OP_UPDATE ? "Record to update not found."
                                                             : "Record to delete does not exist.");
        return PRISMA_OK;
    default: /* the counts */
        *count = q->drv->changes(rows);
        q->drv->done(rows);
        return PRISMA_OK;
    }
}

/* Runs a batch on PostgreSQL in pipeline mode: BEGIN and every statement go
 * out in one round trip, COMMIT in a second. Returns 2 when the batch has an
 * operation that needs more than one statement (the caller then runs it one
 * operation at a time). */
int prisma_batch_pipeline(prisma_client *db, const prisma_batch_op *ops, size_t n, const prisma_tx_options *opts,
                          void **recs, int64_t *counts, size_t *failed)
{
    client_shared *sh = db->sh;
    *failed = SIZE_MAX;
    if (!sh->driver->pipeline || n == 0)
        return 2;
    for (size_t i = 0; i < n; i++)
        if (!pipelineable(&ops[i]))
            return 2;
    prisma_err err;
    err_clear(&err);
    prisma_conn *conn = NULL;
    int rc = PRISMA_ERROR;
    bool nested = db->is_tx;
    pipe_op *p = calloc(n, sizeof *p);
    void **stmts = calloc(n, sizeof *stmts);
    const prisma_value **params = calloc(n, sizeof *params);
    size_t *n_params = calloc(n, sizeof *n_params);
    prisma_rows **rows = calloc(n, sizeof *rows);
    size_t *index = calloc(n, sizeof *index); /* sent statement -> operation */
    if (!p || !stmts || !params || !n_params || !rows || !index) {
        err_set(&err, "P1000", "out of memory");
        goto out;
    }
    /* The connection: the enclosing transaction's, or one from the pool. */
    char begin[96];
    int max_wait = opts && opts->max_wait_ms ? opts->max_wait_ms : sh->opts.max_wait_ms;
    int timeout = opts && opts->timeout_ms ? opts->timeout_ms : sh->opts.timeout_ms;
    int64_t started = prisma_mono_ms();
    if (!nested && (max_wait <= 0 || timeout <= 0)) {
        err_set(&err, "P2028", "Transaction API error: Invalid value %d for %s. %s needs to be greater than 0",
                max_wait <= 0 ? max_wait : timeout, max_wait <= 0 ? "maxWait" : "timeout",
                max_wait <= 0 ? "maxWait" : "timeout");
        goto out;
    }
    if (nested) {
        if (tx_enter_batch(db, &conn, &err) != PRISMA_OK) {
            conn = NULL;
            goto out;
        }
        /* The savepoint first (held back by the driver until something goes
         * out), so that a statement failing as it is prepared fails inside
         * it and the enclosing transaction goes on. */
        if (sh_exec(sh, conn, "SAVEPOINT prisma_batch", &err) != PRISMA_OK)
            goto out_rollback;
    } else {
        if (pool_get(sh, max_wait, &conn, &err) != PRISMA_OK) {
            if (strcmp(err.code, "P2024") == 0)
                err_set(&err, "P2028",
                        "Transaction API error: Unable to start a transaction in the given time. No connection was "
                        "free in the pool (connection limit %zu) within max_wait %d ms.",
                        sh->max_open, max_wait);
            conn = NULL;
            goto out;
        }
        prisma_isolation iso = opts && opts->isolation ? opts->isolation : sh->opts.isolation;
        static const char *const levels[] = { NULL, "READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ",
                                              "SERIALIZABLE" };
        if ((int)iso < 0 || iso > PRISMA_SERIALIZABLE) {
            err_set(&err, "P2023", "Inconsistent column data: Conversion failed: Invalid isolation level `%d`", (int)iso);
            goto out;
        }
        snprintf(begin, sizeof begin, iso ? "BEGIN ISOLATION LEVEL %s" : "BEGIN", iso ? levels[iso] : "");
    }
    /* Build and prepare everything first (a prepare is a round trip, once per shape). */
    size_t n_sent = 0;
    for (size_t i = 0; i < n; i++) {
        q_init(&p[i].q, db);
        p[i].q.conn = conn;
        p[i].op = &ops[i];
        if (pipe_build(&p[i]) != PRISMA_OK) {
            err = p[i].q.err;
            *failed = i;
            goto out_rollback;
        }
        if (p[i].skip)
            continue;
        stmts[n_sent] = p[i].stmt;
        params[n_sent] = p[i].q.params;
        n_params[n_sent] = p[i].q.n_params;
        index[n_sent++] = i;
    }
    size_t bad;
    if (!nested) {
        /* The timeout: no statement may run past what is left of it. */
        int64_t left = timeout - (prisma_mono_ms() - started);
        snprintf(begin + strlen(begin), sizeof begin - strlen(begin), "; SET LOCAL statement_timeout = %lld",
                 (long long)(left > 1 ? left : 1));
    }
    if (sh->driver->pipeline(conn, nested ? NULL : begin, NULL, n_sent, stmts, params, n_params, rows, &bad, &err) !=
        PRISMA_OK) {
        *failed = bad == SIZE_MAX ? SIZE_MAX : index[bad];
        if (!nested && strcmp(err.db_code, "57014") == 0) {
            prisma_err ignored;
            sh_exec(sh, conn, "ROLLBACK", &ignored);
            goto expired;
        }
        goto out_rollback;
    }
    rc = PRISMA_OK;
    for (size_t k = 0; k < n_sent; k++) {
        size_t i = index[k];
        if (rc != PRISMA_OK) {
            sh->driver->done(rows[k]);
            continue;
        }
        if (pipe_finish(&p[i], rows[k], &recs[i], &counts[i]) != PRISMA_OK) {
            err = p[i].q.err;
            *failed = i;
            rc = PRISMA_ERROR;
        }
    }
    if (rc == PRISMA_OK && !nested && prisma_mono_ms() - started > timeout) {
        prisma_err ignored;
        sh_exec(sh, conn, "ROLLBACK", &ignored);
        goto expired;
    }
    if (rc == PRISMA_OK) {
        rc = sh_exec(sh, conn, nested ? "RELEASE SAVEPOINT prisma_batch" : "COMMIT", &err);
        goto out;
    }
out_rollback:
    rc = PRISMA_ERROR;
    {
        prisma_err ignored;
        if (nested) {
            if (sh_exec(sh, conn, "ROLLBACK TO SAVEPOINT prisma_batch", &ignored) == PRISMA_OK)
                sh_exec(sh, conn, "RELEASE SAVEPOINT prisma_batch", &ignored);
        } else {
            sh_exec(sh, conn, "ROLLBACK", &ignored);
        }
    }
    goto out;
expired:
    rc = PRISMA_ERROR;
    for (size_t i = 0; i < n; i++) {
        prisma_free(recs[i]);
        recs[i] = NULL;
    }
    err_set(&err, "P2028",
            "Transaction API error: Transaction already closed: A batch query cannot be executed on an expired "
            "transaction. The timeout for this transaction was %d ms, however %lld ms passed since the start of the "
            "transaction. Consider increasing the interactive transaction timeout or doing less work in the "
            "transaction.",
            timeout, (long long)(prisma_mono_ms() - started));
out:
    if (conn) {
        if (nested)
            tx_leave(db);
        else
            pool_put(sh, conn);
    }
    for (size_t i = 0; p && i < n; i++)
        if (p[i].op)
            q_free(&p[i].q);
    free(p);
    free(stmts);
    free(params);
    free(n_params);
    free(rows);
    free(index);
    if (rc == PRISMA_OK) {
        client_clear_error(db);
    } else {
        /* Prisma's meta.modelName: the model of the operation that failed. */
        if (!err.model && *failed < n && ops[*failed].model)
            err.model = ops[*failed].model->name;
        client_set_error(db, &err);
    }
    return rc;
}
