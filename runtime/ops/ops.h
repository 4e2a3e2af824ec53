/* The operations (prisma_op_*, raw SQL, batches), shared by the files of
 * runtime/ops. They sit above query/ and nested/, and nothing below calls
 * them. */
#ifndef PRISMA_OPS_H
#define PRISMA_OPS_H

#include "nested.h"

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
/* The start of a read (find*, count, aggregate, group_by, streams and their
 * relation loads): on a read replica when the client has some and is
 * neither a transaction nor prisma_primary's handle. */
int q_op_begin_read(query *q, prisma_client *db, const prisma_model_desc *m);
int q_op_end(query *q, int rc);
/* After a read failed: whether it lost its replica mid-read and may run
 * again (attempt: 1, 2, ...); consumes the mark q_op_end left. */
bool q_read_rerun(prisma_client *db, int attempt);
/* A failed read that must not run again (a stream that already handed rows
 * to its callback): forgets the mark. */
void q_read_keep_error(void);
/* Runs uc (update_many / delete_many) and gives the rows it changed. */
int q_run_changes(query *q, update_ctx *uc, int64_t *count);

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

/* `begin` is q_op_begin, or q_op_begin_read for a read (a replica may serve it). */
#define OP_PROLOGUE_WITH(db, m, begin)                     \
    query q_;                                              \
    query *q = &q_;                                        \
    if (!db)                                               \
        return PRISMA_ERROR;                               \
    if (!q_check_args(db, m, &q_.err)) {                   \
        client_set_error(db, &q_.err);                     \
        return PRISMA_ERROR;                               \
    }                                                      \
    if (begin(q, db, m) != PRISMA_OK)                      \
        return q_op_end(q, PRISMA_ERROR)

#define OP_PROLOGUE(db, m) OP_PROLOGUE_WITH(db, m, q_op_begin)
#define OP_READ_PROLOGUE(db, m) OP_PROLOGUE_WITH(db, m, q_op_begin_read)

/* The body of a public read: `call` (the read once), run again while it
 * failed because its replica went away (a read is safe to rerun; the next
 * run goes to another replica or the primary). */
#define OP_READ_RERUN(db, call)                                      \
    do {                                                             \
        int rc_, attempt_ = 0;                                       \
        while ((rc_ = (call)) != PRISMA_OK && q_read_rerun(db, ++attempt_)) \
            ;                                                        \
        return rc_;                                                  \
    } while (0)

/* ---- the operation kinds (op_table.c): one dispatcher for batches ---- */

/* P2009 "Argument `arg` is missing." */
int op_missing(query *q, const char *arg);

/* The find arguments Prisma refuses before asking the database, for an
 * operation of `kind` (args may be NULL): a negative skip (P2019), a null
 * take (P2012), a find_first take other than 1 or -1 (P2019). */
int op_args_rule(query *q, int kind, const prisma_find_args *args);

/* What an update without nested writes runs. */
typedef enum update_plan {
    UPDATE_RUN,    /* the UPDATE */
    UPDATE_READ,   /* empty data: update reads the record */
    UPDATE_NOTHING, /* empty data: update_many counts 0, no statement */
    UPDATE_NESTED   /* update with nested writes (its data checked whole): a transaction */
} update_plan;
/* The update rule, for update (many false) and update_many (whose nested
 * writes its caller refuses): data must be given; with nothing to change, no
 * UPDATE. */
int op_update_rule(query *q, const prisma_model_desc *m, const void *data, bool many, update_plan *plan);
/* The where rule: an operation whose where names one record (find_unique,
 * update, upsert, delete: op_kind's one_record) refuses a missing one with
 * P2009. Single calls and both kinds of batch ask it. */
int op_where_missing(query *q, int kind);
static inline int op_where_rule(query *q, int kind, const void *where)
{
    return where ? PRISMA_OK : op_where_missing(q, kind);
}

/* One operation as one statement. */
typedef struct op_stmt {
    query q;
    const prisma_batch_op *op;
    find_ctx fc;
    create_ctx cc;
    update_ctx uc;
    raw_ctx rc;
    prisma_value *vals; /* create: one per field, freed with q */
    bool *given;
    build_fn build;
    void *ctx;
    void *stmt; /* prepared */
    bool skip;  /* nothing to send (an update_many with no data) */
    bool pinned; /* stmt is pinned in the connection's statement cache */
} op_stmt;

typedef struct op_kind {
    /* Runs the operation alone on a client (a transaction's): the sequential batch. */
    int (*run)(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count);
    /* Whether this operation is one statement; NULL: never (then the members below are NULL). */
    bool (*one_statement)(const prisma_batch_op *op);
    /* Checks the operation and picks its statement: s->build and s->ctx, or s->skip. */
    int (*plan)(op_stmt *s);
    /* The statement's rows into the operation's result; done() is called on them. */
    int (*finish)(op_stmt *s, prisma_rows *rows, void **rec, int64_t *count);
    /* Its where names one record: required (op_where_rule). */
    bool one_record;
} op_kind;

/* The kind's entry; NULL for a kind that does not exist. */
const op_kind *op_kind_of(int kind);
/* op_aggregate.c (issue 13: aggregate): the batch kinds of aggregate and group_by. */
int op_run_aggregate(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count);
int op_run_group_by(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count);
bool op_is_one_statement(const prisma_schema_desc *schema, const prisma_batch_op *op);
/* Plans s->op (s->q initialised, on its connection) and prepares its statement. */
int op_plan(op_stmt *s);

/* ---- issue 13: writes (op_update_many.c): the batch kinds ---- */
int op_run_update_many_with(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count);
int op_run_delete_many_with(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count);
int op_run_update_many_and_return(prisma_client *db, const prisma_batch_op *op, void **rec, int64_t *count);
bool op_update_many_is_one(const prisma_batch_op *op);
int op_plan_write_many(op_stmt *s);
int op_finish_returned_list(op_stmt *s, prisma_rows *rows, void **rec, int64_t *count);

#endif
