/* Raw SQL: execute_raw and query_raw. */
#include "ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- raw SQL ---- */

bool q_build_raw(query *q, void *vctx)
{
    raw_ctx *rc = vctx;
    q_key_u8(q, 'R');
    q_key_put(q, rc->sql, strlen(rc->sql));
    /* The placeholders, in the database's spelling; checked against the
     * parameters on every call (a cached statement too): nothing is sent
     * when they disagree. */
    if (q->be->raw_sql(rc->sql, rc->n, q->emit ? &q->sql : NULL, &q->err) != PRISMA_OK)
        return false;
    for (size_t i = 0; i < rc->n; i++) {
        const prisma_raw_value *v = &rc->params[i];
        prisma_value pv;
        switch (v->type) {
        case PRISMA_RAW_INT: pv = v_int(v->i); break;
        case PRISMA_RAW_BOOL: pv = v_bool(v->i != 0); break;
        case PRISMA_RAW_DATETIME: pv = (prisma_value){ .kind = V_DATETIME, .i = v->i }; break;
        case PRISMA_RAW_FLOAT: pv = v_double(v->f); break;
        case PRISMA_RAW_DECIMAL:
        case PRISMA_RAW_JSON:
        case PRISMA_RAW_TEXT:
            if (!v->s) {
                err_set(&q->err, "P2009", "Raw query parameter %zu: text without a string.", i + 1);
                return false;
            }
            pv = v_text(v->s);
            break;
        case PRISMA_RAW_BYTES: pv = (prisma_value){ .kind = V_BLOB, .s = v->s, .len = v->len }; break;
        default: pv = v_null(); break;
        }
        /* The SQL carries its own placeholders: bind without writing any. */
        bool emit = q->emit;
        q->emit = false;
        q_param(q, pv);
        q->emit = emit;
    }
    return true;
}

/* A failed raw statement is P2010 with the database's own code and words. */
void q_raw_error(query *q)
{
    if (strcmp(q->err.code, "P2028") == 0 || strcmp(q->err.code, "P2009") == 0 || strcmp(q->err.code, "P1000") == 0 || strcmp(q->err.code, ERR_OOM_CODE) == 0 ||
        !q->err.db_code[0])
        return;
    char msg[sizeof q->err.db_message];
    const char *src = q->err.db_message[0] ? q->err.db_message : q->err.message;
    size_t n = strnlen(src, sizeof msg - 1);
    memcpy(msg, src, n);
    msg[n] = '\0';
    err_set(&q->err, "P2010", "Raw query failed. Code: `%s`. Message: `%.700s`", q->err.db_code, msg);
}

int prisma_execute_raw(prisma_client *db, const char *sqltext, const prisma_raw_value *params, size_t n_params,
                       int64_t *affected)
{
    if (!db)
        return PRISMA_ERROR;
    if (affected)
        *affected = 0;
    query q_, *q = &q_;
    if (!sqltext || (n_params && !params))
        return client_fail(db, "P2009", "prisma_execute_raw: %s is NULL", !sqltext ? "the SQL" : "the parameter array");
    if (q_op_begin(q, db, NULL) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    raw_ctx rc = { sqltext, params, n_params };
    prisma_rows *rows;
    int st = q_run(q, q_build_raw, &rc, &rows);
    if (st == PRISMA_OK) {
        int r;
        while ((r = q->be->next(rows, &q->err)) == 1) {
        }
        if (affected)
            *affected = q->be->changes(rows);
        q->be->done(rows);
        if (r < 0)
            st = PRISMA_ERROR;
    }
    if (st != PRISMA_OK)
        q_raw_error(q);
    return q_op_end(q, st);
}

int prisma_query_raw(prisma_client *db, const char *sqltext, const prisma_raw_value *params, size_t n_params,
                     prisma_raw_rows **out)
{
    if (!db)
        return PRISMA_ERROR;
    if (out)
        *out = NULL;
    if (!sqltext || (n_params && !params))
        return client_fail(db, "P2009", "prisma_query_raw: %s is NULL", !sqltext ? "the SQL" : "the parameter array");
    query q_, *q = &q_;
    if (q_op_begin(q, db, NULL) != PRISMA_OK)
        return q_op_end(q, PRISMA_ERROR);
    raw_ctx rc = { sqltext, params, n_params };
    prisma_rows *rows;
    int st = q_run(q, q_build_raw, &rc, &rows);
    if (st != PRISMA_OK) {
        q_raw_error(q);
        return q_op_end(q, st);
    }
    prisma_raw_rows *res;
    result_arena *a = result_new(sizeof *res, (void **)&res);
    size_t cap = 0;
    prisma_raw_value *vals = NULL;
    int r = 0;
    if (!a) {
        r = -2;
        goto fail;
    }
    int nc = q->be->n_cols(rows);
    res->n_cols = (size_t)(nc > 0 ? nc : 0);
    const char **cols = result_alloc(a, (res->n_cols ? res->n_cols : 1) * sizeof *cols);
    if (!cols) {
        r = -2;
        goto fail;
    }
    for (size_t i = 0; i < res->n_cols; i++) {
        const char *n = q->be->col_name(rows, (int)i);
        if (!(cols[i] = result_strdup(a, n, strlen(n)))) {
            r = -2;
            goto fail;
        }
    }
    res->columns = cols;
    while ((r = q->be->next(rows, &q->err)) == 1) {
        if ((res->n_rows + 1) * res->n_cols > cap) {
            size_t ncap = cap ? cap * 2 : 16 * (res->n_cols ? res->n_cols : 1);
            prisma_raw_value *nv = malloc(ncap * sizeof *nv);
            if (!nv || result_own(a, nv) != 0) {
                free(nv);
                r = -2;
                break;
            }
            if (vals)
                memcpy(nv, vals, res->n_rows * res->n_cols * sizeof *nv);
            vals = nv;
            cap = ncap;
        }
        for (size_t c = 0; c < res->n_cols; c++) {
            prisma_raw_value *v = &vals[res->n_rows * res->n_cols + c];
            memset(v, 0, sizeof *v);
            v->type = q->be->col_type(rows, (int)c);
            size_t len;
            if (v->type == PRISMA_RAW_DATETIME) {
                int dr = backend_col_datetime(q->be, rows, (int)c, &v->i);
                if (dr == -2) {
                    r = -2;
                    break;
                }
                if (dr != 0)
                    v->type = PRISMA_RAW_TEXT; /* infinity, or text that is no date: as text */
            }
            switch (v->type) {
            case PRISMA_RAW_INT: v->i = q->be->col_int(rows, (int)c); break;
            case PRISMA_RAW_BOOL: v->i = q->be->col_int(rows, (int)c); break;
            case PRISMA_RAW_FLOAT: v->f = q->be->col_double(rows, (int)c); break;
            case PRISMA_RAW_NULL: break;
            case PRISMA_RAW_DATETIME: break;
            default: {
                const char *t = q->be->col_text(rows, (int)c, &len);
                if (!t || !(v->s = result_strdup(a, t, len)))
                    r = -2;
                v->len = len;
                break;
            }
            case PRISMA_RAW_BYTES: {
                const void *b = q->be->col_blob(rows, (int)c, &len);
                uint8_t *copy = b || len != SIZE_MAX ? result_alloc(a, len + 1) : NULL;
                if (copy && len && b)
                    memcpy(copy, b, len);
                if (!copy || (!b && len)) {
                    r = -2;
                    break;
                }
                v->s = (const char *)copy;
                v->len = len;
                break;
            }
            }
            if (r == -2)
                break;
        }
        if (r == -2)
            break;
        res->n_rows++;
    }
    res->values = vals;
fail:
    q->be->done(rows);
    if (r < 0) {
        if (r == -2)
            err_oom(&q->err);
        else
            q_raw_error(q);
        if (a)
            result_free_root(res);
        return q_op_end(q, PRISMA_ERROR);
    }
    if (out)
        *out = res;
    else
        result_free_root(res);
    return q_op_end(q, PRISMA_OK);
}
