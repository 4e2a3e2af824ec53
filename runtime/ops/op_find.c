/* find_many, find_first, find_unique, count and find_each. */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- issue 13, include: read shapes ---- */

/* The fields a shape reads: want / need (q_shape_fields) in one block, or
 * none when every field is read and nothing is cleared. */
typedef struct shape_cols {
    q_shape s;
    uint8_t *want, *need; /* NULL: every field */
} shape_cols;

static int shape_begin(query *q, const prisma_model_desc *m, const q_shape *s, shape_cols *sc)
{
    sc->s = *s;
    sc->want = sc->need = NULL;
    if (!s->include && !s->select && !s->omit)
        return PRISMA_OK; /* the common read: every field, no relation */
    if (!q_shape_check(q, m, s, 0))
        return PRISMA_ERROR;
    if (!q_shape_partial(s))
        return PRISMA_OK;
    sc->want = malloc(2 * (size_t)m->n_fields + 2);
    if (!sc->want)
        return (err_oom(&q->err), PRISMA_ERROR);
    sc->need = sc->want + m->n_fields + 1;
    q_shape_fields(m, s, sc->want, sc->need);
    return PRISMA_OK;
}

/* Relations and counts of the records read, then the fields read only for them cleared. */
static int shape_finish(query *q, const prisma_model_desc *m, shape_cols *sc, void *recs, size_t n, result_arena *a)
{
    if (!sc->s.include && !sc->s.select && !sc->want)
        return PRISMA_OK; /* nothing to load, nothing read only for loading */
    if (n && q_load_shape(q, m, recs, n, &sc->s, a) != PRISMA_OK)
        return PRISMA_ERROR;
    if (sc->want)
        q_clear_fields(m, recs, n, sc->want, sc->need);
    return PRISMA_OK;
}

static int find_list(query *q, const prisma_model_desc *m, const prisma_find_args *args, void **out)
{
    find_ctx fc = { .m = m, .args = args };
    if (op_args_rule(q, PRISMA_OP_FIND_MANY, args) != PRISMA_OK)
        return PRISMA_ERROR;
    q_shape s = { args ? args->include : NULL, args ? args->select : NULL, args ? args->omit : NULL };
    shape_cols sc;
    if ((args && !q_distinct_check(q, m, args)) || shape_begin(q, m, &s, &sc) != PRISMA_OK)
        return PRISMA_ERROR;
    fc.cols = sc.need;
    int64_t take = args && args->has_take ? args->take : 0;
    if (args && args->has_take && take == 0) {
        free(sc.want);
        return q_empty_list(q, out); /* take 0: no rows, as Prisma (nothing to ask) */
    }
    if (take < 0) {
        fc.reverse = true;
        take = -take;
    }
    fc.take = take;
    prisma_rows *rows;
    if (q_run(q, q_build_find, &fc, &rows) != PRISMA_OK || q_fetch_list_cols(q, m, rows, (size_t)take, sc.need, out) != PRISMA_OK) {
        free(sc.want);
        return PRISMA_ERROR;
    }
    rec_list *list = *out;
    if (fc.reverse && list->len > 1) {
        /* Back to the requested order. */
        char *tmp = malloc(m->rec_size);
        if (!tmp) {
            result_free_root(list);
            *out = NULL;
            free(sc.want);
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
    int rc = shape_finish(q, m, &sc, list->items, list->len, result_arena_of(list));
    free(sc.want);
    if (rc != PRISMA_OK) {
        result_free_root(list);
        *out = NULL;
    }
    return rc;
}

static int find_many_once(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, void **out)
{
    OP_READ_PROLOGUE(db, m);
    if (!out) /* nothing to read: the arguments are still checked */
        return q_op_end(q, op_args_rule(q, PRISMA_OP_FIND_MANY, args));
    *out = NULL;
    return q_op_end(q, find_list(q, m, args, out));
}

int prisma_op_find_many(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, void **out)
{
    OP_READ_RERUN(db, find_many_once(db, m, args, out));
}

/* A single record in the shape s: fetched into its own result, then its
 * relations. A find by one single-field unique tries the cached statement first. */
static int find_one_shaped(query *q, const prisma_model_desc *m, find_ctx *fc, const q_shape *s, void **out)
{
    shape_cols sc;
    if (shape_begin(q, m, s, &sc) != PRISMA_OK)
        return PRISMA_ERROR;
    fc->cols = sc.need;
    prisma_rows *rows;
    int fast = fc->where_unique ? q_find_by_unique(q, fc, &rows) : 0;
    void *rec = NULL;
    if (fast < 0 || (fast == 0 && q_run(q, q_build_find, fc, &rows) != PRISMA_OK) ||
        q_fetch_one_cols(q, m, rows, sc.need, &rec) != PRISMA_OK) {
        free(sc.want);
        return PRISMA_ERROR;
    }
    if (rec && shape_finish(q, m, &sc, rec, 1, result_arena_of(rec)) != PRISMA_OK) {
        result_free_root(rec);
        free(sc.want);
        return PRISMA_ERROR;
    }
    free(sc.want);
    *out = rec;
    return PRISMA_OK;
}

int q_find_one(query *q, const prisma_model_desc *m, find_ctx *fc, const void *include, void **out)
{
    q_shape s = { include, NULL, NULL };
    return find_one_shaped(q, m, fc, &s, out);
}

static int find_first_once(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, bool or_throw,
                         void **out)
{
    OP_READ_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (op_args_rule(q, or_throw ? PRISMA_OP_FIND_FIRST_OR_THROW : PRISMA_OP_FIND_FIRST, args) != PRISMA_OK ||
        (args && !q_distinct_check(q, m, args)))
        return q_op_end(q, PRISMA_ERROR);
    find_ctx fc = { .m = m, .args = args, .take = 1 };
    if (args && args->has_take && args->take < 0)
        fc.reverse = true;
    q_shape s = { args ? args->include : NULL, args ? args->select : NULL, args ? args->omit : NULL };
    void *rec = NULL;
    int rc = find_one_shaped(q, m, &fc, &s, &rec);
    if (rc == PRISMA_OK && !rec && or_throw)
        rc = q_not_found(q, "No record was found for a query.");
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    return q_op_end(q, rc);
}

int prisma_op_find_first(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, bool or_throw,
                         void **out)
{
    OP_READ_RERUN(db, find_first_once(db, m, args, or_throw, out));
}

static int find_unique_shaped_once(prisma_client *db, const prisma_model_desc *m, const void *where_unique,
                                 const prisma_find_args *shape, bool or_throw, void **out)
{
    OP_READ_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (op_where_rule(q, PRISMA_OP_FIND_UNIQUE, where_unique) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    find_ctx fc = { .m = m, .where_unique = where_unique };
    q_shape s = { shape ? shape->include : NULL, shape ? shape->select : NULL, shape ? shape->omit : NULL };
    void *rec = NULL;
    int rc = find_one_shaped(q, m, &fc, &s, &rec);
    if (rc == PRISMA_OK && !rec && or_throw)
        rc = q_not_found(q, "No record was found for a query.");
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    return q_op_end(q, rc);
}

int prisma_op_find_unique_shaped(prisma_client *db, const prisma_model_desc *m, const void *where_unique,
                                 const prisma_find_args *shape, bool or_throw, void **out)
{
    OP_READ_RERUN(db, find_unique_shaped_once(db, m, where_unique, shape, or_throw, out));
}

int prisma_op_find_unique(prisma_client *db, const prisma_model_desc *m, const void *where_unique,
                          const void *include, bool or_throw, void **out)
{
    prisma_find_args shape = { .include = include };
    return prisma_op_find_unique_shaped(db, m, where_unique, &shape, or_throw, out);
}

static int count_once(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, int64_t *out)
{
    OP_READ_PROLOGUE(db, m);
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

int prisma_op_count(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, int64_t *out)
{
    OP_READ_RERUN(db, count_once(db, m, args, out));
}

/* ---- streaming ---- */

static int find_each_once(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args,
                        prisma_each_fn fn, void *arg)
{
    OP_READ_PROLOGUE(db, m);
    if (!fn)
        return q_op_end(q, (err_set(&q->err, "P2009", "Failed to validate the query: the callback is NULL."), PRISMA_ERROR));
    if (op_args_rule(q, PRISMA_OP_FIND_MANY, args) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    if (args && (args->include || (args->has_take && args->take < 0)))
        return q_op_end(q, (err_set(&q->err, "P2009",
                                  "Failed to validate the query: streaming takes no include or negative take."),
                          PRISMA_ERROR));
    q_shape s = { NULL, args ? args->select : NULL, args ? args->omit : NULL };
    if (!q_shape_check(q, m, &s, 0))
        return q_op_end(q, PRISMA_ERROR);
    if (args && args->select) {
        /* Streaming reads fields only: a relation or _count in select is an include. */
        for (unsigned ri = 0; ri < m->n_relations; ri++) {
            const void *x;
            if (q_shape_relation(m, &s, ri, &x) || q_shape_count(m, &s, ri, &x))
                return q_op_end(q, (err_set(&q->err, "P2009",
                                            "Failed to validate the query: streaming takes no include (a relation "
                                            "or _count in select)."),
                                    PRISMA_ERROR));
        }
    }
    if (args && !q_distinct_check(q, m, args))
        return q_op_end(q, PRISMA_ERROR);
    if (args && args->has_take && args->take == 0)
        return q_op_end(q, PRISMA_OK); /* take 0: no rows */
    uint8_t *want = NULL, *need = NULL;
    if (q_shape_partial(&s)) {
        if (!(want = malloc(2 * (size_t)m->n_fields + 2)))
            return q_op_end(q, (err_oom(&q->err), PRISMA_ERROR));
        need = want + m->n_fields + 1;
        q_shape_fields(m, &s, want, need);
    }
    find_ctx fc = { .m = m, .args = args, .take = args && args->has_take ? args->take : 0, .cols = need };
    void *stmt;
    if (q_prepare(q, q_build_find, &fc, &stmt) != PRISMA_OK) {
        free(want);
        return q_op_end(q, PRISMA_ERROR);
    }
    prisma_rows *rows;
    if (q->be->execute_stream(q->conn, stmt, q->params, q->n_params, &rows, &q->err) != PRISMA_OK) {
        free(want);
        return q_op_end(q, PRISMA_ERROR);
    }
    /* The statement is read row by row while the callback runs: whatever
     * else the connection prepares meanwhile must not evict it. */
    uint32_t slot = q->stmt_slot;
    stmt_cache_pin(q->conn, slot);
    /* One record, reused for every row: memory stays bounded. */
    void *rec;
    result_arena *a = result_new(m->rec_size + 1024, &rec);
    int rc = PRISMA_OK, st, stop = PRISMA_OK;
    bool delivered = false; /* the callback has had rows: the stream cannot be rerun */
    if (!a) {
        q->be->done(rows);
        stmt_cache_unpin(q->conn, slot);
        free(want);
        return q_op_end(q, (err_oom(&q->err), PRISMA_ERROR));
    }
    while ((st = q->be->next(rows, &q->err)) == 1) {
        result_reset(rec, m->rec_size);
        if (!q_decode_row_cols(q, m, rows, 0, rec, a, need)) {
            if (!q->err.code[0])
                err_oom(&q->err);
            rc = PRISMA_ERROR;
            break;
        }
        delivered = true;
        stop = fn(rec, arg);
        if (stop != PRISMA_OK)
            break;
    }
    if (st < 0)
        rc = PRISMA_ERROR;
    q->be->done(rows);
    stmt_cache_unpin(q->conn, slot);
    result_free_root(rec);
    free(want);
    if (rc == PRISMA_OK && stop != PRISMA_OK) {
        /* The callback stopped it: its value, and no error of ours. */
        q_op_end(q, PRISMA_OK);
        return stop;
    }
    rc = q_op_end(q, rc);
    if (rc != PRISMA_OK && delivered)
        q_read_keep_error(); /* its replica went away mid-stream: P1017, as on the primary */
    return rc;
}

int prisma_op_find_each(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args,
                        prisma_each_fn fn, void *arg)
{
    OP_READ_RERUN(db, find_each_once(db, m, args, fn, arg));
}
