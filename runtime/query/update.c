/* UPDATE and DELETE statements: the SET list of an update input. */
#include "query.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- update ---- */

enum { U_SET = 1, U_INC, U_DEC, U_MUL, U_DIV };

static void set_arith(query *q, const prisma_model_desc *m, const prisma_field_desc *f, unsigned fi, int op,
                      prisma_value v, bool *any)
{
    q_key_u32(q, fi);
    q_key_u8(q, op);
    q_sql(q, *any ? ", " : "");
    *any = true;
    q_sql_col(q, m, f, false);
    q_sql(q, " = ");
    if (op == U_SET) {
        q_param(q, v);
        return;
    }
    /* Integer arithmetic the database would not refuse on overflow: guarded
     * in the statement (the backend's spelling), so it fails unwritten. */
    bool is_int = f->type == PRISMA_TYPE_INT || f->type == PRISMA_TYPE_BIGINT;
    const char *guard = is_int ? q->be->int_guard_open[f->type == PRISMA_TYPE_BIGINT] : NULL;
    if (guard)
        q_sql(q, guard);
    q_sql_col(q, m, f, true);
    q_sql(q, op == U_INC ? " + " : op == U_DEC ? " - " : op == U_MUL ? " * " : " / ");
    q_param(q, v);
    if (guard)
        q_sql(q, q->be->int_guard_close);
}

static bool too_many_ops(query *q, const prisma_field_desc *f)
{
    err_set(&q->err, "P2009",
            "Failed to validate the query: Argument `%s`: give one of set, increment, decrement, multiply or divide.",
            f->name);
    return false;
}

#define NUMERIC_UPDATE(UT, VT, CONV)                                                                      \
    do {                                                                                                \
        const UT *u = AT(data, f->update_off, UT);                                                      \
        const VT *ops[5] = { &u->set, &u->increment, &u->decrement, &u->multiply, &u->divide };          \
        int n_ops = 0;                                                                                  \
        for (int k = 0; k < 5; k++)                                                                     \
            n_ops += ops[k]->set != NULL;                                                               \
        if (n_ops > 1)                                                                                  \
            return too_many_ops(q, f);                                                                  \
        for (int k = 0; k < 5; k++) {                                                                   \
            if (!ops[k]->set)                                                                           \
                continue;                                                                               \
            if (ops[k]->null && k > 0) {                                                                \
                err_set(&q->err, "P2009", "Failed to validate the query: `%s`: arithmetic with null.", f->name); \
                return false;                                                                           \
            }                                                                                           \
            if (ops[k]->null && !q_check_null(q, f))                                                    \
                return false;                                                                           \
            prisma_value v = ops[k]->null ? v_null() : CONV(ops[k]->v);                                  \
            if (v.kind == V_DOUBLE && !q_check_double(q, f, v.d))                                          \
                return false;                                                                           \
            set_arith(q, m, f, i, U_SET + k, v, any);                                                   \
        }                                                                                               \
    } while (0)

/* ---- scalar lists: set replaces, push appends ---- */

typedef struct list_update {
    prisma_string_list set, push; /* the layout of every prisma_*_list_update */
} list_update;

bool q_list_update_given(const prisma_field_desc *f, const void *data)
{
    const list_update *u = AT(data, f->update_off, list_update);
    return u->set.set || u->push.set;
}

bool q_list_update(query *q, const prisma_model_desc *m, const prisma_field_desc *f, unsigned fi, const void *data,
                   bool *any)
{
    const list_update *u = AT(data, f->update_off, list_update);
    if (u->set.set && u->push.set) {
        err_set(&q->err, "P2009", "Failed to validate the query: Argument `%s`: give one of set or push.", f->name);
        return false;
    }
    prisma_value v;
    bool push = u->push.set != NULL;
    int r = q_read_list(q, f, push ? &u->push : &u->set, &v);
    if (r <= 0)
        return r == 0;
    if (!push) {
        set_arith(q, m, f, fi, U_SET, v, any);
        return true;
    }
    const backend_lists *L = q->be->lists;
    q_key_u32(q, fi);
    q_key_u8(q, 'p');
    q_sql(q, *any ? ", " : "");
    *any = true;
    q_sql_col(q, m, f, false);
    q_sql(q, " = ");
    q_sql(q, L->push_open);
    q_sql_col(q, m, f, true);
    q_sql(q, L->push_mid);
    q_param(q, v);
    q_sql(q, L->push_close);
    return true;
}

bool q_build_update_sets(query *q, const prisma_model_desc *m, const void *data, bool *any)
{
    *any = false;
    bool touched_updated_at[MAX_FIELDS] = { false };
    for (unsigned i = 0; i < m->n_fields && i < MAX_FIELDS; i++) {
        const prisma_field_desc *f = &m->fields[i];
        if (f->update_off == PRISMA_NO_OFFSET)
            continue;
        bool before = *any;
        size_t params_before = q->n_params;
        if (f->flags & PRISMA_F_LIST) {
            if (!q_list_update(q, m, f, i, data, any))
                return false;
            continue;
        }
        switch (f->type) {
        case PRISMA_TYPE_INT:
            NUMERIC_UPDATE(prisma_int_update, prisma_int, q_conv_int);
            break;
        case PRISMA_TYPE_BIGINT:
            NUMERIC_UPDATE(prisma_bigint_update, prisma_bigint, q_conv_int);
            break;
        case PRISMA_TYPE_FLOAT:
            NUMERIC_UPDATE(prisma_float_update, prisma_float, q_conv_double);
            break;
        case PRISMA_TYPE_DECIMAL: {
            const prisma_decimal_update *u = AT(data, f->update_off, prisma_decimal_update);
            const char *ops[5] = { u->set, u->increment, u->decrement, u->multiply, u->divide };
            int n_ops = 0;
            for (int k = 0; k < 5; k++)
                n_ops += ops[k] != NULL;
            if (n_ops > 1)
                return too_many_ops(q, f);
            for (int k = 0; k < 5; k++) {
                if (!ops[k])
                    continue;
                if (!q_check_text(q, f, ops[k]))
                    return false;
                if (ops[k] == PRISMA_NULL && k > 0) {
                    err_set(&q->err, "P2009", "Failed to validate the query: `%s`: arithmetic with null.", f->name);
                    return false;
                }
                if (ops[k] == PRISMA_NULL && !q_check_null(q, f))
                    return false;
                set_arith(q, m, f, i, U_SET + k, ops[k] == PRISMA_NULL ? v_null() : v_text(ops[k]), any);
            }
            break;
        }
        default: {
            /* The other types only set: the update field has the create-input shape. */
            prisma_value v;
            int r = q_read_create_value(q, f, (const char *)data + f->update_off, &v);
            if (r < 0 || (r == 1 && v.kind == V_NULL && !q_check_null(q, f)))
                return false;
            if (r == 1)
                set_arith(q, m, f, i, U_SET, v, any);
        }
        }
        if (f->flags & PRISMA_F_UPDATED_AT)
            touched_updated_at[i] = *any != before || q->n_params != params_before;
    }
    if (*any) {
        /* @updatedAt fields the caller did not set. */
        int64_t now = clock_now_ms();
        for (unsigned i = 0; i < m->n_fields && i < MAX_FIELDS; i++)
            if ((m->fields[i].flags & PRISMA_F_UPDATED_AT) && !touched_updated_at[i])
                set_arith(q, m, &m->fields[i], i, U_SET, (prisma_value){ .kind = V_DATETIME, .i = now }, any);
    }
    return true;
}


/* issue 13: writes. The key Prisma picks limited rows by: the primary key,
 * else the first unique whose fields are all required. */
static const prisma_unique_desc *limit_key(const prisma_model_desc *m)
{
    for (unsigned i = 0; i < m->n_uniques; i++) {
        bool required = true;
        for (unsigned k = 0; k < m->uniques[i].n_fields; k++)
            if (m->fields[m->uniques[i].fields[k]].flags & PRISMA_F_OPTIONAL)
                required = false;
        if (required)
            return &m->uniques[i];
    }
    return m->n_uniques ? &m->uniques[0] : NULL;
}

static void limit_cols(query *q, const prisma_model_desc *m, const prisma_unique_desc *key)
{
    if (key->n_fields > 1)
        q_sql(q, "(");
    for (unsigned k = 0; k < key->n_fields; k++) {
        q_sql(q, k ? ", " : "");
        q_sql_col(q, m, &m->fields[key->fields[k]], true);
    }
    if (key->n_fields > 1)
        q_sql(q, ")");
}

/* (key) IN (SELECT key FROM table WHERE where LIMIT n): at most n rows, in
 * one statement on every database, as Prisma writes it. */
static bool limit_subquery(query *q, const update_ctx *uc)
{
    const prisma_model_desc *m = uc->m;
    const prisma_unique_desc *key = limit_key(m);
    if (!key) {
        err_set(&q->err, "P2026", "`limit` needs a model with a unique criterion: %s has none.", m->name);
        return false;
    }
    q_key_u8(q, 'L');
    limit_cols(q, m, key);
    q_sql(q, " IN (");
    if (q->be->limited_in[0])
        q_sql(q, q->be->limited_in[0]);
    q_sql(q, "SELECT ");
    for (unsigned k = 0; k < key->n_fields; k++) {
        q_sql(q, k ? ", " : "");
        q_sql_col(q, m, &m->fields[key->fields[k]], true);
    }
    q_sql(q, " FROM ");
    q_sql_table(q, m);
    q_sql(q, " WHERE ");
    if (!q_where_walk(q, m, uc->where, true))
        return false;
    q_sql(q, backend_sql_limit(q->be));
    q_param(q, v_int(uc->limit));
    if (q->be->limited_in[1])
        q_sql(q, q->be->limited_in[1]);
    q_sql(q, ")");
    return true;
}

bool q_build_update(query *q, void *vctx)
{
    update_ctx *uc = vctx;
    const prisma_model_desc *m = uc->m;
    q_key_u8(q, uc->is_delete ? (uc->where_unique ? K_DELETE : K_DELETE_MANY) : (uc->where_unique ? K_UPDATE : K_UPDATE_MANY));
    q_key_u32(q, m->index);
    q_key_u8(q, uc->returning);
    q_key_u8(q, uc->select);
    if (uc->select != UPDATE_WRITE) {
        /* issue 16: the reads of an update without RETURNING */
        q_sql(q, "SELECT ");
        q_select_columns(q, m, true);
        q_sql(q, " FROM ");
        q_sql_table(q, m);
    } else if (uc->is_delete) {
        q_sql(q, "DELETE FROM ");
        q_sql_table(q, m);
    } else {
        q_sql(q, "UPDATE ");
        q_sql_table(q, m);
        q_sql(q, " SET ");
        bool any = false;
        if (uc->data && !q_build_update_sets(q, m, uc->data, &any))
            return false;
        if (uc->n_set) {
            /* Foreign keys set by nested writes; @updatedAt too when nothing else did. */
            bool touched = any;
            q_key_u8(q, 'F');
            for (unsigned k = 0; k < uc->n_set; k++) {
                q_key_u32(q, uc->set_fields[k]);
                q_sql(q, any ? ", " : "");
                any = true;
                q_sql_col(q, m, &m->fields[uc->set_fields[k]], false);
                q_sql(q, " = ");
                q_param(q, uc->set_vals[k]);
            }
            if (!touched) {
                int64_t now = 0;
                for (unsigned i = 0; i < m->n_fields; i++) {
                    if (!(m->fields[i].flags & PRISMA_F_UPDATED_AT))
                        continue;
                    if (!now)
                        now = clock_now_ms();
                    q_sql(q, ", ");
                    q_sql_col(q, m, &m->fields[i], false);
                    q_sql(q, " = ");
                    q_param(q, (prisma_value){ .kind = V_DATETIME, .i = now });
                }
            }
        }
    }
    q_sql(q, " WHERE ");
    if (uc->keys) {
        q_key_u8(q, 'K');
        q_key_u32(q, (uint32_t)uc->n_keys);
        q_keys_sql(q, m, uc->keys, uc->n_keys);
        goto returning;
    }
    if (uc->scope) {
        q_scope_sql(q, uc->scope);
        if (!uc->where_unique && !uc->where)
            goto returning;
        q_sql(q, " AND ");
    }
    if (!uc->where_unique && uc->has_limit) {
        if (!limit_subquery(q, uc))
            return false;
    } else if (uc->where_unique ? !q_unique_walk(q, m, uc->where_unique, true, NULL)
                                : !q_where_walk(q, m, uc->where, true)) {
        return false;
    }
returning:
    if (uc->select == UPDATE_SELECT_LOCKED && q->be->lock_rows)
        q_sql(q, q->be->lock_rows);
    if (uc->select != UPDATE_WRITE || !uc->returning)
        return true;
    return q_returning(q, m, uc->is_delete ? BACKEND_DELETE_RETURNING : BACKEND_UPDATE_RETURNING);
}

/* issue 16: `pk IN (?, ...)`, or `(a, b) IN ((?, ?), ...)` for a compound
 * primary key: the rows of n keys (n x the key's fields); none when n is 0. */
void q_keys_sql(query *q, const prisma_model_desc *m, const prisma_value *keys, size_t n)
{
    const prisma_unique_desc *pk = &m->uniques[0];
    if (!n) {
        q_sql(q, "1 = 0");
        return;
    }
    q_sql(q, pk->n_fields > 1 ? "(" : "");
    for (unsigned k = 0; k < pk->n_fields; k++) {
        q_sql(q, k ? ", " : "");
        q_sql_col(q, m, &m->fields[pk->fields[k]], true);
    }
    q_sql(q, pk->n_fields > 1 ? ") IN (" : " IN (");
    for (size_t i = 0; i < n; i++) {
        q_sql(q, i ? ", " : "");
        q_sql(q, pk->n_fields > 1 ? "(" : "");
        for (unsigned k = 0; k < pk->n_fields; k++) {
            q_sql(q, k ? ", " : "");
            q_param(q, keys[i * pk->n_fields + k]);
        }
        q_sql(q, pk->n_fields > 1 ? ")" : "");
    }
    q_sql(q, ")");
}

/* Whether an update input changes anything (an empty update only reads). */
int q_update_is_empty(query *q, const prisma_model_desc *m, const void *data, bool *empty)
{
    q_reset(q, false);
    bool any;
    if (!q_build_update_sets(q, m, data, &any))
        return PRISMA_ERROR;
    *empty = !any;
    return PRISMA_OK;
}

/* Whether an update input gives any field: q_update_is_empty without its
 * walk (no key, no values, no checks). A given but invalid value counts as
 * given; building the statement then reports it, before anything runs, with
 * the error q_update_is_empty would have given. */
bool q_update_gives_field(query *q, const prisma_model_desc *m, const void *data, unsigned i)
{
    const prisma_field_desc *f = &m->fields[i];
    if (f->update_off == PRISMA_NO_OFFSET)
        return false;
    if (f->flags & PRISMA_F_LIST)
        return q_list_update_given(f, data);
    switch (f->type) {
    case PRISMA_TYPE_INT: {
        const prisma_int_update *u = AT(data, f->update_off, prisma_int_update);
        return u->set.set || u->increment.set || u->decrement.set || u->multiply.set || u->divide.set;
    }
    case PRISMA_TYPE_BIGINT: {
        const prisma_bigint_update *u = AT(data, f->update_off, prisma_bigint_update);
        return u->set.set || u->increment.set || u->decrement.set || u->multiply.set || u->divide.set;
    }
    case PRISMA_TYPE_FLOAT: {
        const prisma_float_update *u = AT(data, f->update_off, prisma_float_update);
        return u->set.set || u->increment.set || u->decrement.set || u->multiply.set || u->divide.set;
    }
    case PRISMA_TYPE_DECIMAL: {
        const prisma_decimal_update *u = AT(data, f->update_off, prisma_decimal_update);
        return u->set || u->increment || u->decrement || u->multiply || u->divide;
    }
    default: {
        prisma_value v;
        if (q_read_create_value(q, f, (const char *)data + f->update_off, &v) != 0) {
            err_clear(&q->err);
            return true;
        }
        return false;
    }
    }
}

bool q_update_gives_fields(query *q, const prisma_model_desc *m, const void *data)
{
    for (unsigned i = 0; i < m->n_fields && i < MAX_FIELDS; i++)
        if (q_update_gives_field(q, m, data, i))
            return true;
    return false;
}
