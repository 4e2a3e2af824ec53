/* Operation plumbing: the start and end of every model call, and its
 * atomic unit. */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

/* ---- operation plumbing ---- */

/* Starts an operation: a connection and a clean error. */
int q_op_begin(query *q, prisma_client *db, const prisma_model_desc *m)
{
    q_init(q, db);
    q->op_model = m;
    if (client_acquire(db, &q->conn, &q->err) != PRISMA_OK)
        return PRISMA_ERROR;
    return PRISMA_OK;
}

/* Ends it: gives the connection back and records the outcome on the handle. */
int q_op_end(query *q, int rc)
{
    if (q->conn)
        client_release(q->db, q->conn);
    if (rc == PRISMA_OK) {
        client_clear_error(q->db);
    } else {
        if (!q->err.model && q->op_model)
            q->err.model = q->op_model->name;
        client_set_error(q->db, &q->err);
    }
    q_free(q);
    return rc;
}

/* Runs `fn` atomically on the operation's connection: in BEGIN/COMMIT, or
 * in a savepoint when a transaction is already open there. */
int q_in_transaction(query *q, int (*fn)(query *q, void *ctx), void *ctx)
{
    client_shared *sh = q->db->sh;
    bool nested = q->db->is_tx;
    static const char sp[] = "prisma_op";
    if (sh_tx(sh, q->conn, nested ? TX_SAVEPOINT : TX_BEGIN, 0, sp, 0, &q->err) != PRISMA_OK)
        return PRISMA_ERROR;
    int rc = fn(q, ctx);
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
