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

/* A read starts the same way, on a replica when the client has some
 * (client_acquire_read). */
int q_op_begin_read(query *q, prisma_client *db, const prisma_model_desc *m)
{
    q_init(q, db);
    q->op_model = m;
    if (client_acquire_read(db, &q->conn, &q->err) != PRISMA_OK)
        return PRISMA_ERROR;
    return PRISMA_OK;
}

/* Set by q_op_end when a read failed because its replica went away (its
 * connection was lost): the read is rerun elsewhere (q_read_rerun). Per
 * thread: set and consumed within one call. */
static _Thread_local bool read_lost_replica;

bool q_read_rerun(prisma_client *db, int attempt)
{
    bool lost = read_lost_replica;
    read_lost_replica = false;
    /* Each lost replica is marked down first, so the reruns end on the
     * primary at the latest: the bound only guards against a replica that
     * keeps coming back just to fail again. */
    return lost && db && (size_t)attempt <= db->sh->n_replicas + 1;
}

void q_read_keep_error(void)
{
    read_lost_replica = false;
}

/* Ends it: gives the connection back and records the outcome on the handle. */
int q_op_end(query *q, int rc)
{
    if (rc != PRISMA_OK && q->conn && q->conn->broken && conn_on_replica(q->conn)) {
        /* The replica went away mid-read: down for a while, and the read,
         * safe to rerun, runs again on another server. */
        pool_mark_down(q->conn->pool);
        read_lost_replica = true;
    }
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
