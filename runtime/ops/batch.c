/* Batch transactions: a queue of operations run in order in one
 * transaction (a savepoint inside an open one), all or nothing. */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct prisma_batch {
    prisma_client *db;
    prisma_batch_op *ops;
    size_t len, cap;
};

int prisma_batch_new(prisma_client *db, prisma_batch **out)
{
    if (!out)
        return db ? client_fail(db, "P2009", "prisma_batch_new: the output pointer is NULL") : PRISMA_ERROR;
    *out = NULL;
    if (!db)
        return PRISMA_ERROR;
    prisma_batch *b = calloc(1, sizeof *b);
    if (!b)
        return client_fail(db, ERR_OOM_CODE, ERR_OOM_MESSAGE);
    b->db = db;
    *out = b;
    return PRISMA_OK;
}

void prisma_batch_free(prisma_batch *b)
{
    if (!b)
        return;
    free(b->ops);
    free(b);
}

size_t prisma_batch_len(const prisma_batch *b)
{
    return b ? b->len : 0;
}

int prisma_batch_add(prisma_batch *b, const prisma_batch_op *op)
{
    if (!b || !op)
        return PRISMA_ERROR;
    bool raw = op->kind == PRISMA_OP_EXECUTE_RAW || op->kind == PRISMA_OP_QUERY_RAW;
    if (!op_kind_of(op->kind) || (!raw && !op->model) || (raw && !op->sql))
        return client_fail(b->db, "P2009", "prisma_batch_add: an incomplete operation");
    if (b->len == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        prisma_batch_op *ops = realloc(b->ops, cap * sizeof *ops);
        if (!ops)
            return client_fail(b->db, ERR_OOM_CODE, ERR_OOM_MESSAGE);
        b->ops = ops;
        b->cap = cap;
    }
    b->ops[b->len++] = *op;
    return PRISMA_OK;
}

int prisma_batch_execute_raw(prisma_batch *b, const char *sql, const prisma_raw_value *params, size_t n_params,
                             int64_t *affected)
{
    prisma_batch_op op = { .kind = PRISMA_OP_EXECUTE_RAW, .sql = sql, .params = params, .n = n_params,
                           .count = affected };
    return prisma_batch_add(b, &op);
}

int prisma_batch_query_raw(prisma_batch *b, const char *sql, const prisma_raw_value *params, size_t n_params,
                           prisma_raw_rows **rows)
{
    prisma_batch_op op = { .kind = PRISMA_OP_QUERY_RAW, .sql = sql, .params = params, .n = n_params,
                           .out = (void **)(void *)rows };
    return prisma_batch_add(b, &op);
}

/* Copies the transaction's last error to the batch's client. */
static void copy_error(prisma_client *from, prisma_client *to)
{
    prisma_err e;
    if (!client_get_error(from, &e))
        err_set(&e, "UNKNOWN", "the batch failed");
    client_set_error(to, &e);
}

/* Gives each operation its result, once the batch committed. */
static void deliver(const prisma_batch_op *ops, void **recs, const int64_t *counts, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (ops[k].out)
            *ops[k].out = recs[k];
        else
            prisma_free(recs[k]);
        if (ops[k].count)
            *ops[k].count = counts[k];
    }
}

static void discard(const prisma_batch_op *ops, void **recs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        prisma_free(recs[i]);
        recs[i] = NULL;
        if (ops[i].out)
            *ops[i].out = NULL;
        if (ops[i].count)
            *ops[i].count = 0;
    }
}

int prisma_batch_run(prisma_batch *b, const prisma_tx_options *opts, size_t *failed_index)
{
    if (failed_index)
        *failed_index = SIZE_MAX;
    if (!b)
        return PRISMA_ERROR;
    prisma_client *db = b->db;
    void **recs = calloc(b->len ? b->len : 1, sizeof *recs);
    int64_t *counts = calloc(b->len ? b->len : 1, sizeof *counts);
    if (!recs || !counts) {
        free(recs);
        free(counts);
        return client_fail(db, ERR_OOM_CODE, ERR_OOM_MESSAGE);
    }
    int retries = opts && opts->max_retries > 0 && !db->is_tx ? opts->max_retries : 0;
    int rc = PRISMA_ERROR;
    for (int attempt = 0;; attempt++) {
        /* A backend that pipelines: the whole queue in one round trip when every operation is one statement. */
        size_t failed = SIZE_MAX;
        int prc = batch_pipeline_run(db, b->ops, b->len, opts, recs, counts, &failed);
        if (prc != 2) {
            rc = prc;
            if (rc == PRISMA_OK) {
                deliver(b->ops, recs, counts, b->len);
                break;
            }
            if (failed_index)
                *failed_index = failed;
            discard(b->ops, recs, b->len);
            if (sh_retryable(db->sh, prisma_error_code(db), prisma_error_db_code(db)) && attempt < retries) {
                tx_backoff(attempt + 1);
                continue;
            }
            break;
        }
        prisma_client *tx;
        prisma_err berr;
        err_clear(&berr);
        if (tx_begin_batch(db, opts, &tx, &berr) != PRISMA_OK) {
            client_set_error(db, &berr);
            break;
        }
        size_t i = 0;
        rc = PRISMA_OK;
        for (; i < b->len; i++) {
            if (op_kind_of(b->ops[i].kind)->run(tx, &b->ops[i], &recs[i], &counts[i]) != PRISMA_OK) {
                rc = PRISMA_ERROR;
                break;
            }
        }
        bool conflict = false;
        if (rc == PRISMA_OK) {
            if (prisma_tx_commit(tx) != PRISMA_OK) {
                rc = PRISMA_ERROR;
                copy_error(tx, db);
                conflict = sh_retryable(db->sh, prisma_error_code(tx), prisma_error_db_code(tx));
            }
        } else {
            copy_error(tx, db);
            conflict = sh_retryable(db->sh, prisma_error_code(tx), prisma_error_db_code(tx));
            if (failed_index)
                *failed_index = i;
            /* A statement cancelled by the timeout reports the expiry. */
            prisma_err expired;
            err_clear(&expired);
            if (tx_expired(tx, true, &expired)) {
                client_set_error(db, &expired);
                conflict = false;
            }
            prisma_tx_rollback(tx);
        }
        if (!db->is_tx)
            prisma_tx_free(tx);
        if (rc == PRISMA_OK) {
            deliver(b->ops, recs, counts, b->len);
            client_clear_error(db);
            break;
        }
        discard(b->ops, recs, b->len);
        if (conflict && attempt < retries) {
            if (failed_index)
                *failed_index = SIZE_MAX;
            tx_backoff(attempt + 1);
            continue;
        }
        break;
    }
    free(recs);
    free(counts);
    return rc;
}
