/* find_many, find_first, find_unique, count and find_each. */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int find_list(query *q, const prisma_model_desc *m, const prisma_find_args *args, void **out)
{
    find_ctx fc = { .m = m, .args = args };
    if (op_args_rule(q, PRISMA_OP_FIND_MANY, args) != PRISMA_OK)
        return PRISMA_ERROR;
    int64_t take = args && args->has_take ? args->take : 0;
    if (args && args->has_take && take == 0)
        return q_empty_list(q, out); /* take 0: no rows, as Prisma (nothing to ask) */
    if (take < 0) {
        fc.reverse = true;
        take = -take;
    }
    fc.take = take;
    prisma_rows *rows;
    if (q_run(q, q_build_find, &fc, &rows) != PRISMA_OK)
        return PRISMA_ERROR;
    if (q_fetch_list(q, m, rows, (size_t)take, out) != PRISMA_OK)
        return PRISMA_ERROR;
    rec_list *list = *out;
    if (fc.reverse && list->len > 1) {
        /* Back to the requested order. */
        char *tmp = malloc(m->rec_size);
        if (!tmp) {
            result_free_root(list);
            *out = NULL;
            err_oom(&q->err);
            return PRISMA_ERROR;
        }
        for (size_t i = 0, j = list->len - 1; i < j; i++, j--) {
            char *a = (char *)list->items + i * m->rec_size, *b = (char *)list->items + j * m->rec_size;
            memcpy(tmp, a, m->rec_size);
            memcpy(a, b, m->rec_size);
            memcpy(b, tmp, m->rec_size);
        }
        free(tmp);
    }
    if (args && args->include &&
        q_load_includes(q, m, list->items, list->len, args->include, result_arena_of(list)) != PRISMA_OK) {
        result_free_root(list);
        *out = NULL;
        return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

int prisma_op_find_many(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, void **out)
{
    OP_PROLOGUE(db, m);
    if (!out) /* nothing to read: the arguments are still checked */
        return q_op_end(q, op_args_rule(q, PRISMA_OP_FIND_MANY, args));
    *out = NULL;
    return q_op_end(q, find_list(q, m, args, out));
}


/* A single record: fetched into its own result, then its includes. A find
 * by one single-field unique tries the cached statement first. */
int q_find_one(query *q, const prisma_model_desc *m, find_ctx *fc, const void *include, void **out)
{
    prisma_rows *rows;
    int fast = fc->where_unique ? q_find_by_unique(q, fc, &rows) : 0;
    if (fast < 0 || (fast == 0 && q_run(q, q_build_find, fc, &rows) != PRISMA_OK))
        return PRISMA_ERROR;
    void *rec;
    if (q_fetch_one(q, m, rows, &rec) != PRISMA_OK)
        return PRISMA_ERROR;
    if (rec && include && q_load_includes(q, m, rec, 1, include, result_arena_of(rec)) != PRISMA_OK) {
        result_free_root(rec);
        return PRISMA_ERROR;
    }
    *out = rec;
    return PRISMA_OK;
}

int prisma_op_find_first(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, bool or_throw,
                         void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (op_args_rule(q, or_throw ? PRISMA_OP_FIND_FIRST_OR_THROW : PRISMA_OP_FIND_FIRST, args) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    find_ctx fc = { .m = m, .args = args, .take = 1 };
    if (args && args->has_take && args->take < 0)
        fc.reverse = true;
    void *rec = NULL;
    int rc = q_find_one(q, m, &fc, args ? args->include : NULL, &rec);
    if (rc == PRISMA_OK && !rec && or_throw)
        rc = q_not_found(q, "No record was found for a query.");
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    return q_op_end(q, rc);
}

int prisma_op_find_unique(prisma_client *db, const prisma_model_desc *m, const void *where_unique,
                          const void *include, bool or_throw, void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (op_where_rule(q, PRISMA_OP_FIND_UNIQUE, where_unique) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    find_ctx fc = { .m = m, .where_unique = where_unique };
    void *rec = NULL;
    int rc = q_find_one(q, m, &fc, include, &rec);
    if (rc == PRISMA_OK && !rec && or_throw)
        rc = q_not_found(q, "No record was found for a query.");
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    return q_op_end(q, rc);
}

int prisma_op_count(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, int64_t *out)
{
    OP_PROLOGUE(db, m);
    if (op_args_rule(q, PRISMA_OP_COUNT, args) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    find_ctx fc = { .m = m, .args = args, .count = true };
    prisma_rows *rows;
    int rc = q_run(q, q_build_find, &fc, &rows);
    if (rc == PRISMA_OK) {
        int st = q->be->next(rows, &q->err);
        int64_t n = st == 1 ? q->be->col_int(rows, 0) : 0;
        q->be->done(rows);
        if (st < 0)
            rc = PRISMA_ERROR;
        else if (out)
            *out = n;
    }
    return q_op_end(q, rc);
}

/* ---- streaming ---- */

int prisma_op_find_each(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args,
                        prisma_each_fn fn, void *arg)
{
    OP_PROLOGUE(db, m);
    if (!fn)
        return q_op_end(q, (err_set(&q->err, "P2009", "Failed to validate the query: the callback is NULL."), PRISMA_ERROR));
    if (op_args_rule(q, PRISMA_OP_FIND_MANY, args) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    if (args && (args->include || (args->has_take && args->take < 0)))
        return q_op_end(q, (err_set(&q->err, "P2009",
                                  "Failed to validate the query: streaming takes no include or negative take."),
                          PRISMA_ERROR));
    if (args && args->has_take && args->take == 0)
        return q_op_end(q, PRISMA_OK); /* take 0: no rows */
    find_ctx fc = { .m = m, .args = args, .take = args && args->has_take ? args->take : 0 };
    void *stmt;
    if (q_prepare(q, q_build_find, &fc, &stmt) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    prisma_rows *rows;
    if (q->be->execute_stream(q->conn, stmt, q->params, q->n_params, &rows, &q->err) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    /* The statement is read row by row while the callback runs: whatever
     * else the connection prepares meanwhile must not evict it. */
    uint32_t slot = q->stmt_slot;
    stmt_cache_pin(q->conn, slot);
    /* One record, reused for every row: memory stays bounded. */
    void *rec;
    result_arena *a = result_new(m->rec_size + 1024, &rec);
    int rc = PRISMA_OK, st, stop = PRISMA_OK;
    if (!a) {
        q->be->done(rows);
        stmt_cache_unpin(q->conn, slot);
        return q_op_end(q, (err_oom(&q->err), PRISMA_ERROR));
    }
    while ((st = q->be->next(rows, &q->err)) == 1) {
        result_reset(rec, m->rec_size);
        if (!q_decode_row(q, m, rows, 0, rec, a)) {
            if (!q->err.code[0])
                err_oom(&q->err);
            rc = PRISMA_ERROR;
            break;
        }
        stop = fn(rec, arg);
        if (stop != PRISMA_OK)
            break;
    }
    if (st < 0)
        rc = PRISMA_ERROR;
    q->be->done(rows);
    stmt_cache_unpin(q->conn, slot);
    result_free_root(rec);
    if (rc == PRISMA_OK && stop != PRISMA_OK) {
        /* The callback stopped it: its value, and no error of ours. */
        q_op_end(q, PRISMA_OK);
        return stop;
    }
    return q_op_end(q, rc);
}
