/* Statements: a shape built, found in (or prepared into) the connection's
 * statement cache, and run. */
#include "query.h"

#include <stdlib.h>
#include <string.h>

/* ---- statements ---- */

static uint64_t hash_key(const uint8_t *k, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= k[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Builds a statement's shape and values, and finds (or prepares, once per
 * shape and connection) its prepared statement. */
/* A build refuses its input with an error; without one, an allocation failed. */
static int build_failed(query *q)
{
    if (!q->err.code[0])
        err_oom(&q->err);
    return PRISMA_ERROR;
}

int q_prepare(query *q, build_fn build, void *ctx, void **stmt)
{
    q_reset(q, false);
    if (!build(q, ctx))
        return build_failed(q);
    if (q->oom) {
        err_oom(&q->err);
        return PRISMA_ERROR;
    }
    uint64_t h = hash_key(q->key, q->key_len);
    stmt_entry *e = stmt_cache_get(q->conn, h, q->key, q->key_len, &q->stmt_slot);
    if (!e) {
        /* A miss: the same walk again, this time writing the SQL. */
        size_t key_len = q->key_len;
        q_reset(q, true);
        if (!build(q, ctx))
            return build_failed(q);
        if (q->oom || q->sql.oom || q->key_len != key_len) {
            if (q->key_len != key_len)
                err_set(&q->err, "P1000", "internal error: unstable query shape");
            else
                err_oom(&q->err);
            return PRISMA_ERROR;
        }
        void *st;
        if (q->be->prepare(q->conn, q->sql.data, (int)q->n_params, &st, &q->err) != PRISMA_OK)
            return PRISMA_ERROR;
        e = stmt_cache_put(q->conn, h, q->key, q->key_len, st, q->sql.data, &q->stmt_slot);
        if (!e) {
            q->be->finalize(q->conn, st);
            err_oom(&q->err);
            return PRISMA_ERROR;
        }
    }
    *stmt = e->stmt;
    if (q->defer_trace)
        q->traced_sql = e->sql;
    else
        sh_trace(q->db->sh, q->conn, e->sql); /* issue 15: replicas: the connection */
    return PRISMA_OK;
}

/* Runs the statement cached for a shape whose key the caller wrote itself
 * (it must equal the key the shape's builder records), with the values
 * already bound in q->params. Returns 1 when it ran (*rows), 0 when no
 * statement of that shape is cached yet, -1 when the database refused it. */
int q_run_cached(query *q, const uint8_t *key, size_t key_len, prisma_rows **rows)
{
    stmt_entry *e = stmt_cache_get(q->conn, hash_key(key, key_len), key, key_len, &q->stmt_slot);
    if (!e)
        return 0;
    if (q->defer_trace)
        q->traced_sql = e->sql;
    else
        sh_trace(q->db->sh, q->conn, e->sql); /* issue 15: replicas: the connection */
    if (q->be->execute(q->conn, e->stmt, q->params, q->n_params, rows, &q->err) == PRISMA_OK)
        return 1;
    if (q->stmt_model && !q->err.model)
        q->err.model = q->stmt_model->name;
    return -1;
}

/* Builds, prepares (once per shape and connection) and runs a statement. */
int q_run(query *q, build_fn build, void *ctx, prisma_rows **rows)
{
    /* An UPDATE ... RETURNING where the database has no such thing (issue
     * 16): every caller's update takes Prisma's three statements here. */
    if (build == q_build_update && q_update_needs_reread(q, ctx))
        return q_update_reread(q, ctx, rows);
    void *stmt;
    if (q_prepare(q, build, ctx, &stmt) != PRISMA_OK)
        return PRISMA_ERROR;
    if (q->be->execute(q->conn, stmt, q->params, q->n_params, rows, &q->err) == PRISMA_OK)
        return PRISMA_OK;
    /* The database refused this statement: in a nested write, the error
     * belongs to the nested model (Prisma's meta.modelName). */
    if (q->stmt_model && !q->err.model)
        q->err.model = q->stmt_model->name;
    return PRISMA_ERROR;
}

int q_not_found(query *q, const char *cause)
{
    err_set(&q->err, "P2025",
            "An operation failed because it depends on one or more records that were required but not found. %s",
            cause);
    return PRISMA_ERROR;
}

/* Gives the record to the caller, or frees it when they did not ask. */
void q_hand_out(void *rec, void **out)
{
    if (out)
        *out = rec;
    else
        result_free_root(rec);
}

int q_in_transaction(query *q, int (*fn)(query *q, void *ctx), void *ctx)
{
    client_shared *sh = q->db->sh;
    bool nested = q->db->is_tx || q->in_unit;
    static const char sp[] = "prisma_op";
    if (sh_tx(sh, q->conn, nested ? TX_SAVEPOINT : TX_BEGIN, 0, sp, 0, &q->err) != PRISMA_OK)
        return PRISMA_ERROR;
    bool outer = q->in_unit;
    q->in_unit = true;
    int rc = fn(q, ctx);
    q->in_unit = outer;
    if (rc == PRISMA_OK && sh_tx(sh, q->conn, nested ? TX_RELEASE : TX_COMMIT, 0, sp, 0, &q->err) == PRISMA_OK)
        return PRISMA_OK;
    prisma_err keep = q->err;
    prisma_err ignored;
    if (nested) {
        sh_tx(sh, q->conn, TX_ROLLBACK_TO, 0, sp, 0, &ignored);
        sh_tx(sh, q->conn, TX_RELEASE, 0, sp, 0, &ignored);
    } else {
        sh_tx(sh, q->conn, TX_ROLLBACK, 0, NULL, 0, &ignored);
    }
    q->err = keep;
    return PRISMA_ERROR;
}

/* issue 16: an operation's own transaction that lost a write conflict or a
 * deadlock (P2034) is run again, up to twice, after tx_backoff's jittered pause:
 * nothing of it was kept. InnoDB's gap locks make two sessions that look for
 * the same missing row, then insert it, deadlock (MySQL); the rerun finds the
 * row the other created, as the other databases' ON CONFLICT does in one
 * statement. Inside the caller's transaction the error is the caller's. */
int q_in_transaction_rerun(query *q, int (*fn)(query *q, void *ctx), void *ctx)
{
    for (int attempt = 0;; attempt++) {
        int rc = q_in_transaction(q, fn, ctx);
        if (rc == PRISMA_OK || attempt == 2 || q->db->is_tx || q->in_unit || strcmp(q->err.code, "P2034") != 0 ||
            (q->conn && q->conn->broken))
            return rc;
        err_clear(&q->err);
        tx_backoff(attempt + 1);
    }
}
