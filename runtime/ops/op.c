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
    bool nested = q->db->is_tx;
    const char *begin = nested ? "SAVEPOINT prisma_op" : q->pg ? "BEGIN" : "BEGIN IMMEDIATE";
    if (sh_exec(q->db->sh, q->conn, begin, &q->err) != PRISMA_OK)
        return PRISMA_ERROR;
    int rc = fn(q, ctx);
    if (rc == PRISMA_OK && sh_exec(q->db->sh, q->conn, nested ? "RELEASE SAVEPOINT prisma_op" : "COMMIT", &q->err) == PRISMA_OK)
        return PRISMA_OK;
    prisma_err keep = q->err;
    prisma_err ignored;
    if (nested) {
        sh_exec(q->db->sh, q->conn, q->pg ? "ROLLBACK TO SAVEPOINT prisma_op" : "ROLLBACK TO prisma_op", &ignored);
        sh_exec(q->db->sh, q->conn, "RELEASE SAVEPOINT prisma_op", &ignored);
    } else {
        sh_exec(q->db->sh, q->conn, "ROLLBACK", &ignored);
    }
    q->err = keep;
    return PRISMA_ERROR;
}
