/* Decoding: result rows straight into the generated structs. */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- decoding ---- */

void q_select_columns(query *q, const prisma_model_desc *m, bool qualified)
{
    for (unsigned i = 0; i < m->n_fields; i++) {
        if (i)
            q_sql(q, ", ");
        q_sql_col(q, m, &m->fields[i], qualified);
    }
}

/* A scalar field's value into the record: in place, or (optional fields)
 * behind a pointer, NULL for null. Inlined with a constant size per type. */
static inline bool put_scalar(result_arena *a, char *dst, bool opt, bool null, const void *v, size_t size)
{
    if (!opt) {
        memcpy(dst, v, size);
        return true;
    }
    void *pv = NULL;
    if (!null) {
        pv = result_alloc(a, size);
        if (!pv)
            return false;
        memcpy(pv, v, size);
    }
    memcpy(dst, &pv, sizeof pv);
    return true;
}

/* Writes one row into the record at `rec`; extra storage from the arena.
 * The row's strings are copied at the end, into one allocation: the
 * backend's text pointers stay valid while other columns are read (SQLite
 * converts only the column asked for; libpq's values live until PQclear). */
bool q_decode_row(query *q, const prisma_model_desc *m, prisma_rows *r, int first_col, void *rec,
                       result_arena *a)
{
    enum { PENDING = 32 };
    struct {
        char *dst;
        const char *text;
        size_t len;
    } pending[PENDING];
    unsigned n_pending = 0;
    size_t pending_bytes = 0;
    const prisma_backend *d = q->be;
    for (unsigned i = 0; i < m->n_fields; i++) {
        const prisma_field_desc *f = &m->fields[i];
        int col = first_col + (int)i;
        char *dst = (char *)rec + f->rec_off;
        bool opt = f->flags & PRISMA_F_OPTIONAL;
        /* A required column is NOT NULL: skip the test (a call per column). */
        bool null = opt ? d->col_null(r, col) : false;
        switch (f->type) {
        case PRISMA_TYPE_STRING:
        case PRISMA_TYPE_DECIMAL:
        case PRISMA_TYPE_JSON: {
            char *s = NULL;
            if (!null) {
                size_t len;
                const char *t = d->col_text(r, col, &len);
                if (!t)
                    return false; /* out of memory */
                if (f->type == PRISMA_TYPE_DECIMAL && memchr(t, '.', len) && !memchr(t, 'e', len) &&
                    !memchr(t, 'E', len)) {
                    /* DECIMAL(65,30) pads with zeros: the value, as Prisma prints it. */
                    while (len > 1 && t[len - 1] == '0')
                        len--;
                    if (len > 1 && t[len - 1] == '.')
                        len--;
                }
                if (n_pending < PENDING) {
                    pending[n_pending].dst = dst;
                    pending[n_pending].text = t;
                    pending[n_pending++].len = len;
                    pending_bytes += len + 1;
                    break;
                }
                s = result_strdup(a, t, len);
                if (!s)
                    return false;
            }
            memcpy(dst, &s, sizeof s);
            break;
        }
        case PRISMA_TYPE_ENUM: {
            int e = 0;
            if (!null) {
                size_t len;
                const char *t = d->col_text(r, col, &len);
                if (!t)
                    return false; /* out of memory */
                for (uint32_t k = 0; k < f->enum_desc->n_values; k++)
                    if (strlen(f->enum_desc->values[k]) == len && memcmp(f->enum_desc->values[k], t, len) == 0)
                        e = (int)k + 1;
            }
            memcpy(dst, &e, sizeof e);
            break;
        }
        case PRISMA_TYPE_BYTES: {
            prisma_bytes_value bv = { NULL, 0 };
            if (!null) {
                size_t len;
                const void *b = d->col_blob(r, col, &len);
                /* NULL with SIZE_MAX: the backend could not decode it (out of memory). */
                if (!b && len == SIZE_MAX)
                    return false;
                uint8_t *copy = result_alloc(a, len + 1);
                if (!copy || (!b && len))
                    return false;
                if (len)
                    memcpy(copy, b, len);
                bv.data = copy;
                bv.len = len;
            }
            if (opt) {
                prisma_bytes_value *pv = NULL;
                if (!null) {
                    pv = result_alloc(a, sizeof *pv);
                    if (!pv)
                        return false;
                    *pv = bv;
                }
                memcpy(dst, &pv, sizeof pv);
            } else {
                memcpy(dst, &bv, sizeof bv);
            }
            break;
        }
        default:
            /* The numbers and DateTime: a second switch, as a first one with
             * every type in it predicts worse (one indirect jump per column). */
            switch (f->type) {
            case PRISMA_TYPE_INT: {
                int64_t wide = null ? 0 : d->col_int(r, col);
                if (wide < INT32_MIN || wide > INT32_MAX) {
                    /* SQLite's INTEGER holds 64 bits; an Int is 32. */
                    err_set(&q->err, "P2020", "Value out of range for the type: The value %lld of `%s.%s` does not fit in an Int (32 bits).",
                            (long long)wide, m->name, f->name);
                    return false;
                }
                int32_t v = (int32_t)wide;
                if (!put_scalar(a, dst, opt, null, &v, sizeof v))
                    return false;
                break;
            }
            case PRISMA_TYPE_BIGINT: {
                int64_t v = null ? 0 : d->col_int(r, col);
                if (!put_scalar(a, dst, opt, null, &v, sizeof v))
                    return false;
                break;
            }
            case PRISMA_TYPE_FLOAT: {
                double v = null ? 0 : d->col_double(r, col);
                if (!put_scalar(a, dst, opt, null, &v, sizeof v))
                    return false;
                break;
            }
            case PRISMA_TYPE_BOOLEAN: {
                bool v = null ? false : d->col_int(r, col) != 0;
                if (!put_scalar(a, dst, opt, null, &v, sizeof v))
                    return false;
                break;
            }
            default: { /* DATETIME */
                int64_t v = 0;
                int dt = null ? 0 : backend_col_datetime(d, r, col, &v);
                if (dt == -2)
                    return false; /* out of memory */
                if (dt != 0) {
                    /* infinity, or text that is no date: refused, not read as 1970. */
                    size_t len;
                    const char *t = d->col_text(r, col, &len);
                    err_set(&q->err, "P2023",
                            "Inconsistent column data: The value `%.*s` of `%s.%s` is not a DateTime prismac can read.",
                            t ? (int)(len < 64 ? len : 64) : 0, t ? t : "", m->name, f->name);
                    return false;
                }
                if (!put_scalar(a, dst, opt, null, &v, sizeof v))
                    return false;
            }
            }
        }
    }
    if (n_pending) {
        char *buf = result_alloc_text(a, pending_bytes);
        if (!buf)
            return false;
        for (unsigned k = 0; k < n_pending; k++) {
            size_t len = pending[k].len;
            if (len)
                memcpy(buf, pending[k].text, len);
            buf[len] = '\0';
            memcpy(pending[k].dst, &buf, sizeof buf);
            buf += len + 1;
        }
    }
    return true;
}

/* A list being filled: records in a growable array the arena owns. */

bool q_list_push(result_arena *a, rec_list *l, size_t *cap, size_t rec_size, void **slot)
{
    if (l->len == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        void *items = malloc(ncap * rec_size);
        if (!items)
            return false;
        if (l->len)
            memcpy(items, l->items, l->len * rec_size);
        if (result_own(a, items) != 0) {
            free(items);
            return false;
        }
        /* The old array stays owned by the arena until the result is freed:
         * cheaper than tracking it, and bounded by a factor of two. */
        l->items = items;
        *cap = ncap;
    }
    *slot = (char *)l->items + l->len * rec_size;
    memset(*slot, 0, rec_size);
    l->len++;
    return true;
}
