/* create, create_many and create_many_and_return. */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int q_nested_body(query *q, void *vctx)
{
    nested_ctx *nc = vctx;
    if (nc->is_upsert)
        return nw_upsert_top(q, nc->m, nc->where_unique, nc->data, nc->update, &nc->rec);
    if (nc->is_update)
        return nw_update_top(q, nc->m, nc->where_unique, nc->data, &nc->rec);
    return nw_create_top(q, nc->m, nc->data, &nc->rec);
}

int prisma_op_create(prisma_client *db, const prisma_model_desc *m, const void *data, const void *include,
                     void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (!data)
        return q_op_end(q, op_missing(q, "data"));
    if (!q_include_check(q, m, include)) /* issue 13: include arguments checked before the write */
        return q_op_end(q, PRISMA_ERROR);
    void *rec = NULL;
    int rc;
    if (nw_has_nested(m, data, false)) {
        /* The whole input checked before the transaction opens. */
        if (nw_check_input(q, m, data, false, 0) != PRISMA_OK)
            return q_op_end(q, PRISMA_ERROR);
        nested_ctx nc = { .m = m, .data = data };
        rc = q_in_transaction_rerun(q, q_nested_body, &nc);
        rec = nc.rec;
    } else {
        prisma_value vals[MAX_FIELDS];
        bool given[MAX_FIELDS];
        if (!q_create_values(q, m, data, vals, given) || !q_check_required(q, m, given))
            return q_op_end(q, PRISMA_ERROR);
        create_ctx cc = { .m = m, .vals = vals, .given = given, .n_rows = 1, .returning = true };
        prisma_rows *rows;
        rc = q_run(q, q_build_insert, &cc, &rows);
        if (rc == PRISMA_OK)
            rc = q_fetch_one(q, m, rows, &rec);
    }
    if (rc == PRISMA_OK && rec && include && q_load_includes(q, m, rec, 1, include, result_arena_of(rec)) != PRISMA_OK) {
        result_free_root(rec);
        rec = NULL;
        rc = PRISMA_ERROR;
    }
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    else
        result_free_root(rec);
    return q_op_end(q, rc);
}

typedef struct create_many_ctx {
    const prisma_model_desc *m;
    const void *data;
    size_t n;
    bool skip_duplicates;
    int64_t count;
    /* create_many_and_return: the rows, in a list result */
    rec_list *list;
    size_t list_cap;
} create_many_ctx;

static int create_many_body(query *q, void *vctx)
{
    create_many_ctx *cm = vctx;
    const prisma_model_desc *m = cm->m;
    size_t nf = m->n_fields;
    prisma_value *vals = malloc_array(cm->n, (nf ? nf : 1) * sizeof *vals);
    bool *given = malloc_array(cm->n, (nf ? nf : 1) * sizeof *given);
    int rc = PRISMA_OK;
    if (!vals || !given) {
        err_oom(&q->err);
        rc = PRISMA_ERROR;
        goto done;
    }
    for (size_t r = 0; r < cm->n; r++) {
        const void *row = (const char *)cm->data + r * m->create_size;
        if (nw_has_nested(m, row, false)) {
            err_set(&q->err, "P2009",
                    "Failed to validate the query: create_many data cannot hold nested writes (row %zu of %s).", r,
                    m->name);
            rc = PRISMA_ERROR;
            goto done;
        }
        if (!q_create_values(q, m, row, vals + r * nf, given + r * nf) || !q_check_required(q, m, given + r * nf)) {
            rc = PRISMA_ERROR;
            goto done;
        }
    }
    rc = q_insert_rows(q, m, vals, given, cm->n, cm->skip_duplicates, NULL, cm->list, &cm->list_cap, &cm->count);
done:
    free(vals);
    free(given);
    return rc;
}

/* The array and its length: a length no array of create inputs can have is
 * refused before anything is read or sized from it. */
static bool create_many_args_ok(query *q, const prisma_model_desc *m, const void *data, size_t n)
{
    if (n && !data)
        return op_missing(q, "data") == PRISMA_OK;
    if (m->create_size && n > (size_t)PTRDIFF_MAX / m->create_size) {
        err_set(&q->err, "P2009", "Failed to validate the query: `data` has a length of %zu, longer than any array.", n);
        return false;
    }
    /* Every row's required fields, before the transaction begins: a null sends nothing. */
    for (size_t i = 0; i < n; i++)
        if (!q_refuse_nulls(q, m, (const char *)data + i * m->create_size, false))
            return false;
    return true;
}

int prisma_op_create_many(prisma_client *db, const prisma_model_desc *m, const void *data, size_t n,
                          bool skip_duplicates, int64_t *count)
{
    OP_PROLOGUE(db, m);
    if (count)
        *count = 0;
    if (!create_many_args_ok(q, m, data, n))
        return q_op_end(q, PRISMA_ERROR);
    create_many_ctx cm = { m, data, n, skip_duplicates, 0, NULL, 0 };
    int rc = n ? q_in_transaction(q, create_many_body, &cm) : PRISMA_OK;
    if (rc == PRISMA_OK && count)
        *count = cm.count;
    return q_op_end(q, rc);
}

int prisma_op_create_many_and_return(prisma_client *db, const prisma_model_desc *m, const void *data, size_t n,
                                     bool skip_duplicates, void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (!create_many_args_ok(q, m, data, n))
        return q_op_end(q, PRISMA_ERROR);
    rec_list *list;
    if (!result_new(sizeof *list, (void **)&list))
        return q_op_end(q, (err_oom(&q->err), PRISMA_ERROR));
    create_many_ctx cm = { m, data, n, skip_duplicates, 0, list, 0 };
    int rc = n ? q_in_transaction(q, create_many_body, &cm) : PRISMA_OK;
    if (rc == PRISMA_OK)
        q_hand_out(list, out);
    else
        result_free_root(list);
    return q_op_end(q, rc);
}
