/* The operations (prisma_op_*, raw SQL, batches), shared by the files of
 * runtime/ops. They sit above query/ and nested/, and nothing below calls
 * them. */
#ifndef PRISMA_OPS_H
#define PRISMA_OPS_H

#include "nested.h"

/* Runs `fn` atomically on the operation's connection: in a transaction, or
 * in a savepoint when a transaction is already open there. */
int q_in_transaction(query *q, int (*fn)(query *q, void *ctx), void *ctx);

/* A create, update or upsert with nested writes, run by q_in_transaction. */
typedef struct nested_ctx {
    const prisma_model_desc *m;
    const void *where_unique;
    const void *data;   /* create: the create input; update: the update input */
    const void *update; /* upsert: the update input (data is the create) */
    bool is_update, is_upsert;
    void *rec;
} nested_ctx;

/* op.c */
int q_op_begin(query *q, prisma_client *db, const prisma_model_desc *m);
int q_op_end(query *q, int rc);

/* op_find.c */
int q_find_one(query *q, const prisma_model_desc *m, find_ctx *fc, const void *include, void **out);

/* op_create.c */
int q_nested_body(query *q, void *vctx);

/* raw.c: a raw statement and its parameters */
typedef struct raw_ctx {
    const char *sql;
    const prisma_raw_value *params;
    size_t n;
} raw_ctx;

bool q_build_raw(query *q, void *vctx);
void q_raw_error(query *q);

/* The start of every model call: the checks, the query `q`, a connection. */
static inline bool q_check_args(prisma_client *db, const prisma_model_desc *m, prisma_err *err)
{
    if (!db) {
        err_set(err, "P2009", "the client is NULL");
        return false;
    }
    if (!m) {
        err_set(err, "P2009", "the model descriptor is NULL");
        return false;
    }
    return true;
}

#define OP_PROLOGUE(db, m)                                 \
    query q_;                                              \
    query *q = &q_;                                        \
    if (!db)                                               \
        return PRISMA_ERROR;                               \
    if (!q_check_args(db, m, &q_.err)) {                     \
        client_set_error(db, &q_.err);                     \
        return PRISMA_ERROR;                               \
    }                                                      \
    if (q_op_begin(q, db, m) != PRISMA_OK)                 \
        return q_op_end(q, PRISMA_ERROR)

#endif
