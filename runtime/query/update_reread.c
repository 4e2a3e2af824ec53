/* issue 16: UPDATE ... RETURNING on a database that has none (MySQL), the
 * way Prisma runs it there: the rows the update would write are read with
 * their row locks, updated by their primary keys, and read again by those
 * keys (the new ones where the update sets a key field), in one transaction:
 * the caller's, or one of its own. The rows of the last read stand for
 * RETURNING's: the same columns, in the same order (q_select_columns). */
#include "query.h"

#include <stdlib.h>
#include <string.h>

bool q_update_needs_reread(const query *q, const update_ctx *uc)
{
    return uc->returning && !uc->is_delete && uc->select == UPDATE_WRITE && !uc->keys &&
           !(q->be->caps & BACKEND_UPDATE_RETURNING);
}

/* Key values per statement: the parameter limit, less room for the SET list. */
static size_t keys_per_stmt(const query *q, unsigned width)
{
    size_t limit = q_param_limit(q);
    size_t room = limit > 2 * (size_t)MAX_FIELDS ? limit - 2 * (size_t)MAX_FIELDS : limit / 2;
    return room / (width ? width : 1);
}

/* The value key field fi has after the update (Prisma's mapRecord: set and
 * integer or double arithmetic on the old value). Returns false (P2026) for
 * an arithmetic the runtime cannot follow (on a Decimal key). */
static bool new_key_value(query *q, const update_ctx *uc, unsigned fi, prisma_value old, prisma_value *out)
{
    const prisma_model_desc *m = uc->m;
    const prisma_field_desc *f = &m->fields[fi];
    *out = old;
    for (unsigned k = 0; k < uc->n_set; k++)
        if (uc->set_fields[k] == fi)
            *out = uc->set_vals[k];
    if (!uc->data || !q_update_gives_field(q, m, uc->data, fi))
        return true;
    if (f->type == PRISMA_TYPE_INT || f->type == PRISMA_TYPE_BIGINT) {
        int64_t v[5];
        bool given[5];
        if (f->type == PRISMA_TYPE_INT) {
            const prisma_int_update *u = AT(uc->data, f->update_off, prisma_int_update);
            const prisma_int *ops[5] = { &u->set, &u->increment, &u->decrement, &u->multiply, &u->divide };
            for (int k = 0; k < 5; k++)
                given[k] = ops[k]->set && !ops[k]->null, v[k] = ops[k]->v;
        } else {
            const prisma_bigint_update *u = AT(uc->data, f->update_off, prisma_bigint_update);
            const prisma_bigint *ops[5] = { &u->set, &u->increment, &u->decrement, &u->multiply, &u->divide };
            for (int k = 0; k < 5; k++)
                given[k] = ops[k]->set && !ops[k]->null, v[k] = ops[k]->v;
        }
        /* The database refused an overflow or a division by zero before this
         * runs (the UPDATE failed); unsigned arithmetic keeps C defined. */
        uint64_t o = (uint64_t)old.i;
        if (given[0])
            o = (uint64_t)v[0];
        else if (given[1])
            o += (uint64_t)v[1];
        else if (given[2])
            o -= (uint64_t)v[2];
        else if (given[3])
            o *= (uint64_t)v[3];
        else if (given[4] && v[4] != 0)
            o = (uint64_t)(old.i / v[4]);
        *out = v_int((int64_t)o);
        return true;
    }
    if (f->type == PRISMA_TYPE_FLOAT) {
        /* Double arithmetic, as the database's on a DOUBLE column. */
        const prisma_float_update *u = AT(uc->data, f->update_off, prisma_float_update);
        double o = old.d;
        if (u->set.set && !u->set.null)
            o = u->set.v;
        else if (u->increment.set && !u->increment.null)
            o += u->increment.v;
        else if (u->decrement.set && !u->decrement.null)
            o -= u->decrement.v;
        else if (u->multiply.set && !u->multiply.null)
            o *= u->multiply.v;
        else if (u->divide.set && !u->divide.null && u->divide.v != 0)
            o /= u->divide.v;
        *out = v_double(o);
        return true;
    }
    if (f->type == PRISMA_TYPE_DECIMAL) {
        err_set(&q->err, "P2026",
                "The current database provider doesn't support a feature that the query used: an update of the "
                "Decimal key field `%s` (the record is read back by its key, which the runtime does not compute "
                "for this type)",
                f->name);
        return false;
    }
    prisma_value v;
    int r = q_read_create_value(q, f, (const char *)uc->data + f->update_off, &v);
    if (r < 0)
        return false;
    if (r == 1)
        *out = v;
    return true;
}

/* Whether the update keeps the values of the where-unique's criteria, so
 * that the same where finds the row again after it (no `filter`: one on an
 * updated field might no longer hold). */
static bool keeps_where_unique(query *q, const update_ctx *uc)
{
    const prisma_model_desc *m = uc->m;
    if (!uc->where_unique || q_unique_filter(m, uc->where_unique))
        return false;
    for (unsigned i = 0; i < m->n_uniques; i++) {
        const prisma_unique_desc *ud = &m->uniques[i];
        for (unsigned k = 0; k < ud->n_fields; k++) {
            unsigned fi = ud->fields[k];
            if (uc->data && q_update_gives_field(q, m, uc->data, fi))
                return false;
            for (unsigned j = 0; j < uc->n_set; j++)
                if (uc->set_fields[j] == fi)
                    return false;
        }
    }
    return true;
}

typedef struct reread {
    update_ctx *uc;
    prisma_rows **rows;
} reread;

static int reread_body(query *q, void *vctx)
{
    reread *rr = vctx;
    update_ctx *uc = rr->uc;
    const prisma_model_desc *m = uc->m;
    const prisma_unique_desc *pk = &m->uniques[0];
    unsigned width = pk->n_fields;
    rec_list *old = NULL;
    prisma_value *keys = NULL;
    int rc = PRISMA_ERROR;
    prisma_rows *rows;

    /* One record by a unique criterion the update leaves alone: the UPDATE
     * locks it, and the same where reads it back (two statements, not three). */
    if (keeps_where_unique(q, uc)) {
        update_ctx up = *uc;
        up.returning = false;
        if (q_run(q, q_build_update, &up, &rows) != PRISMA_OK)
            return PRISMA_ERROR;
        int64_t matched = q->be->changes(rows);
        q->be->done(rows);
        /* A locking (current) read: a row the UPDATE matched but left as it
         * was is not this transaction's version, and a plain read would see
         * its snapshot (REPEATABLE READ), not the row the update locked. */
        update_ctx again = { .m = m, .select = UPDATE_SELECT_LOCKED, .scope = uc->scope, .where_unique = uc->where_unique };
        static const prisma_value no_key;
        update_ctx none = { .m = m, .select = UPDATE_SELECT_LOCKED, .keys = &no_key, .n_keys = 0 };
        return q_run(q, q_build_update, matched ? &again : &none, rr->rows);
    }

    /* 1. The rows it would write, locked. */
    update_ctx sel = *uc;
    sel.select = UPDATE_SELECT_LOCKED;
    sel.returning = false;
    if (q_run(q, q_build_update, &sel, &rows) != PRISMA_OK || q_fetch_list(q, m, rows, 0, (void **)&old) != PRISMA_OK)
        goto done;
    size_t n = old->len;
    size_t per = keys_per_stmt(q, width);
    if (n > per) {
        err_set(&q->err, "P2029",
                "Query parameter limit exceeded error: %zu records to read back after an update, more than the %zu "
                "one statement can name.",
                n, per);
        goto done;
    }
    keys = malloc((n ? n : 1) * width * sizeof *keys);
    if (!keys) {
        err_oom(&q->err);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (unsigned k = 0; k < width; k++)
            keys[i * width + k] = q_rec_value(m, pk->fields[k], (const char *)old->items + i * m->rec_size);

    /* 2. The update, by those keys. */
    if (n) {
        update_ctx up = *uc;
        up.where = up.where_unique = NULL;
        up.scope = NULL;
        up.has_limit = false;
        up.returning = false;
        up.keys = keys;
        up.n_keys = n;
        if (q_run(q, q_build_update, &up, &rows) != PRISMA_OK)
            goto done;
        q->be->done(rows);
    }

    /* 3. The rows again, by their keys after the update. */
    for (size_t i = 0; i < n; i++)
        for (unsigned k = 0; k < width; k++)
            if (!new_key_value(q, uc, pk->fields[k], keys[i * width + k], &keys[i * width + k]))
                goto done;
    update_ctx again = { .m = m, .select = UPDATE_SELECT_LOCKED, .keys = keys, .n_keys = n }; /* current rows, as above */
    rc = q_run(q, q_build_update, &again, rr->rows);
done:
    free(keys);
    result_free_root(old); /* after the last use of keys (they point into it) */
    return rc;
}

int q_update_reread(query *q, update_ctx *uc, prisma_rows **rows)
{
    /* Prisma refuses bad input before any statement: the UPDATE's walk (its
     * SET list, then its where), without SQL, before the BEGIN and the locked
     * read that would otherwise reach the database first. */
    update_ctx check = *uc;
    check.returning = false;
    q_reset(q, false);
    if (!q_build_update(q, &check) || q->oom) {
        if (!q->err.code[0])
            err_oom(&q->err);
        return PRISMA_ERROR;
    }
    reread rr = { uc, rows };
    if (q->db->is_tx || q->in_unit)
        return reread_body(q, &rr);
    return q_in_transaction(q, reread_body, &rr);
}
