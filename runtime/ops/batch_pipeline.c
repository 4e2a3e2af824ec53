/* Pipelined batches: every statement of a batch in one round trip, where the
 * backend can. */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs a batch in pipeline mode, on a backend that has it: BEGIN and every
 * statement go out in one round trip, COMMIT in a second. Returns 2 when the
 * backend cannot, or the batch has an operation that needs more than one
 * statement (the caller then runs it one operation at a time). */
int batch_pipeline_run(prisma_client *db, const prisma_batch_op *ops, size_t n, const prisma_tx_options *opts,
                          void **recs, int64_t *counts, size_t *failed)
{
    client_shared *sh = db->sh;
    static const char sp[] = "prisma_batch";
    *failed = SIZE_MAX;
    if (!(sh->backend->caps & BACKEND_PIPELINE) || !sh->backend->pipeline || n == 0)
        return 2;
    for (size_t i = 0; i < n; i++)
        if (!op_is_one_statement(sh->schema, &ops[i]))
            return 2;
    prisma_err err;
    err_clear(&err);
    prisma_conn *conn = NULL;
    int rc = PRISMA_ERROR;
    bool nested = db->is_tx;
    op_stmt *p = calloc(n, sizeof *p);
    void **stmts = calloc(n, sizeof *stmts);
    const prisma_value **params = calloc(n, sizeof *params);
    size_t *n_params = calloc(n, sizeof *n_params);
    prisma_rows **rows = calloc(n, sizeof *rows);
    size_t *index = calloc(n, sizeof *index); /* sent statement -> operation */
    if (!p || !stmts || !params || !n_params || !rows || !index) {
        err_oom(&err);
        goto out;
    }
    /* The connection: the enclosing transaction's, or one from the pool. */
    tx_params tp = { 0, 0, 0 };
    int64_t started = clock_mono_ms();
    if (!nested && tx_params_of(sh, opts, &tp, &err) != PRISMA_OK)
        goto out;
    int timeout = tp.timeout_ms;
    if (nested) {
        if (tx_enter_batch(db, &conn, &err) != PRISMA_OK) {
            conn = NULL;
            goto out;
        }
        /* The savepoint first (held back by the backend until something goes
         * out), so that a statement failing as it is prepared fails inside
         * it and the enclosing transaction goes on. */
        if (sh_tx(sh, conn, TX_SAVEPOINT, 0, sp, 0, &err) != PRISMA_OK)
            goto out_rollback;
    } else {
        if (tx_conn_get(sh, tp.max_wait_ms, &conn, &err) != PRISMA_OK) {
            conn = NULL;
            goto out;
        }
    }
    /* Build and prepare everything first (a prepare is a round trip, once per shape). */
    size_t n_sent = 0;
    for (size_t i = 0; i < n; i++) {
        q_init(&p[i].q, db);
        p[i].q.conn = conn;
        p[i].op = &ops[i];
        p[i].q.defer_trace = true;
        if (op_plan(&p[i]) != PRISMA_OK) {
            err = p[i].q.err;
            *failed = i;
            goto out_rollback;
        }
        if (p[i].skip)
            continue;
        /* Held until the pipeline has run: preparing the next operations
         * must not evict it. */
        stmt_cache_pin(conn, p[i].q.stmt_slot);
        p[i].pinned = true;
        stmts[n_sent] = p[i].stmt;
        params[n_sent] = p[i].q.params;
        n_params[n_sent] = p[i].q.n_params;
        index[n_sent++] = i;
    }
    size_t bad;
    /* BEGIN after the statements are prepared (preparing may take round
     * trips of its own), held back by a backend that can so that it goes out
     * with them. */
    if (!nested && sh_tx(sh, conn, TX_BEGIN, tp.isolation, NULL, 0, &err) != PRISMA_OK)
        goto out_rollback;
    if (!nested) {
        /* The timeout: no statement may run past what is left of it. */
        int64_t left = timeout - (clock_mono_ms() - started);
        char sql[96];
        if (backend_statement_timeout(sh->backend, conn, left > 1 ? (int)left : 1, sql, sizeof sql, &err) != PRISMA_OK)
            goto out_rollback;
        if (sql[0])
            sh_trace(sh, conn, sql); /* issue 15: replicas: the connection */
    }
    /* The trace shows the statements in the order they go out. */
    for (size_t k = 0; k < n_sent; k++)
        sh_trace(sh, conn, p[index[k]].q.traced_sql); /* issue 15: replicas */
    if (sh->backend->pipeline(conn, n_sent, stmts, params, n_params, rows, &bad, &err) != PRISMA_OK) {
        *failed = bad == SIZE_MAX ? SIZE_MAX : index[bad];
        /* issue 15: wire: a raw operation refused as it runs (as it is parsed,
         * for unnamed statements) is a raw query's failure, as at prepare. */
        if (bad != SIZE_MAX &&
            (ops[index[bad]].kind == PRISMA_OP_EXECUTE_RAW || ops[index[bad]].kind == PRISMA_OP_QUERY_RAW)) {
            p[index[bad]].q.err = err;
            q_raw_error(&p[index[bad]].q);
            err = p[index[bad]].q.err;
        }
        if (!nested && strcmp(err.db_code, "57014") == 0) {
            prisma_err ignored;
            sh_tx(sh, conn, TX_ROLLBACK, 0, NULL, 0, &ignored);
            goto expired;
        }
        goto out_rollback;
    }
    rc = PRISMA_OK;
    for (size_t k = 0; k < n_sent; k++) {
        size_t i = index[k];
        if (rc != PRISMA_OK) {
            sh->backend->done(rows[k]);
            continue;
        }
        if (op_kind_of(ops[i].kind)->finish(&p[i], rows[k], &recs[i], &counts[i]) != PRISMA_OK) {
            err = p[i].q.err;
            *failed = i;
            rc = PRISMA_ERROR;
        }
    }
    if (rc == PRISMA_OK && !nested && clock_mono_ms() - started > timeout) {
        prisma_err ignored;
        sh_tx(sh, conn, TX_ROLLBACK, 0, NULL, 0, &ignored);
        goto expired;
    }
    if (rc == PRISMA_OK) {
        rc = sh_tx(sh, conn, nested ? TX_RELEASE : TX_COMMIT, 0, sp, 0, &err);
        if (rc != PRISMA_OK && !nested && conn->broken) /* issue 15: failover (docs/failover.md) */
            err_set(&err, "P1017",
                    "Server has closed the connection while the transaction was committing: whether it was "
                    "committed is unknown. It is not retried: check whether its writes are in the database before "
                    "running it again.");
        goto out;
    }
out_rollback:
    rc = PRISMA_ERROR;
    {
        prisma_err ignored;
        if (nested) {
            if (sh_tx(sh, conn, TX_ROLLBACK_TO, 0, sp, 0, &ignored) == PRISMA_OK)
                sh_tx(sh, conn, TX_RELEASE, 0, sp, 0, &ignored);
        } else {
            sh_tx(sh, conn, TX_ROLLBACK, 0, NULL, 0, &ignored);
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
            timeout, (long long)(clock_mono_ms() - started));
out:
    /* The pins go before the connection does (it may be closed, or taken by another thread). */
    for (size_t i = 0; p && i < n; i++) {
        if (p[i].pinned)
            stmt_cache_unpin(conn, p[i].q.stmt_slot);
        if (p[i].op)
            q_free(&p[i].q);
    }
    if (conn) {
        if (nested)
            tx_leave(db);
        else
            pool_put(sh, conn);
    }
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
