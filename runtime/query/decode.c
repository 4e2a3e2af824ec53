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

/* The columns of the fields cols[i] sets (NULL: all), in field order; their
 * number. The set is part of the statement's shape key. */
unsigned q_select_columns_of(query *q, const prisma_model_desc *m, bool qualified, const uint8_t *cols)
{
    if (!cols) {
        q_select_columns(q, m, qualified);
        return m->n_fields;
    }
    q_key_u8(q, 'S');
    q_key_put(q, cols, m->n_fields);
    unsigned n = 0;
    for (unsigned i = 0; i < m->n_fields; i++) {
        if (!cols[i])
            continue;
        if (n++)
            q_sql(q, ", ");
        q_sql_col(q, m, &m->fields[i], qualified);
    }
    if (!n)
        q_sql(q, "1"); /* no field read (a select of relations only) */
    return n ? n : 1;
}

bool q_returning(query *q, const prisma_model_desc *m, unsigned cap)
{
    if (!q_need(q, cap, "RETURNING"))
        return false;
    q_sql(q, " RETURNING ");
    q_select_columns(q, m, false);
    return true;
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

/* An enum's C value (1 + its index) from its database name; 0 for a name
 * the schema does not have. */
static int enum_value(const prisma_enum_desc *e, const char *t, size_t len)
{
    int found = 0;
    for (uint32_t k = 0; k < e->n_values; k++)
        if (strlen(e->values[k]) == len && memcmp(e->values[k], t, len) == 0)
            found = (int)k + 1;
    return found;
}

/* A Decimal's text as Prisma prints it: DECIMAL(65,30) pads with zeros. */
static size_t decimal_len(const char *t, size_t len)
{
    if (memchr(t, '.', len) && !memchr(t, 'e', len) && !memchr(t, 'E', len)) {
        while (len > 1 && t[len - 1] == '0')
            len--;
        if (len > 1 && t[len - 1] == '.')
            len--;
    }
    return len;
}

static size_t list_item_size(int type)
{
    switch (type) {
    case PRISMA_TYPE_INT: return sizeof(int32_t);
    case PRISMA_TYPE_BIGINT:
    case PRISMA_TYPE_DATETIME: return sizeof(int64_t);
    case PRISMA_TYPE_FLOAT: return sizeof(double);
    case PRISMA_TYPE_BOOLEAN: return sizeof(bool);
    case PRISMA_TYPE_BYTES: return sizeof(prisma_bytes_value);
    case PRISMA_TYPE_ENUM: return sizeof(int);
    default: return sizeof(char *);
    }
}

/* A list column into the record's prisma_*_array (items, len): the items in
 * the record's arena. A NULL column is an empty list, as in Prisma. Not
 * static: kept out of q_decode_row, whose loop stays as tight as without
 * lists. */
bool q_decode_list(query *q, const prisma_model_desc *m, const prisma_field_desc *f, prisma_rows *r, int col,
                   char *dst, result_arena *a)
{
    const backend_lists *L = q->be->lists;
    const prisma_value *items = NULL;
    size_t n = 0;
    int rc = L ? L->col_list(r, col, f->type, &items, &n) : -1;
    if (rc == -2)
        return false; /* out of memory */
    if (rc != 0) {
        err_set(&q->err, "P2023", "Inconsistent column data: The value of `%s.%s` is not a list prismac can read.",
                m->name, f->name);
        return false;
    }
    size_t size = list_item_size(f->type);
    char *out = NULL;
    if (n) {
        if (n > SIZE_MAX / size || !(out = result_alloc(a, n * size)))
            return false;
    }
    for (size_t k = 0; k < n; k++) {
        const prisma_value *v = &items[k];
        char *slot = out + k * size;
        if (v->kind == V_NULL) {
            err_set(&q->err, "P2023",
                    "Inconsistent column data: `%s.%s` holds a NULL item; the items of a scalar list cannot be null.",
                    m->name, f->name);
            return false;
        }
        switch (f->type) {
        case PRISMA_TYPE_INT: {
            if (v->i < INT32_MIN || v->i > INT32_MAX) {
                err_set(&q->err, "P2020", "Value out of range for the type: The value %lld of `%s.%s` does not fit in an Int (32 bits).",
                        (long long)v->i, m->name, f->name);
                return false;
            }
            int32_t x = (int32_t)v->i;
            memcpy(slot, &x, sizeof x);
            break;
        }
        case PRISMA_TYPE_BIGINT:
        case PRISMA_TYPE_DATETIME: memcpy(slot, &v->i, sizeof v->i); break;
        case PRISMA_TYPE_FLOAT: memcpy(slot, &v->d, sizeof v->d); break;
        case PRISMA_TYPE_BOOLEAN: {
            bool x = v->i != 0;
            memcpy(slot, &x, sizeof x);
            break;
        }
        case PRISMA_TYPE_BYTES: {
            prisma_bytes_value bv = { NULL, 0 };
            uint8_t *copy = result_alloc(a, v->len + 1);
            if (!copy)
                return false;
            if (v->len)
                memcpy(copy, v->s, v->len);
            bv.data = copy;
            bv.len = v->len;
            memcpy(slot, &bv, sizeof bv);
            break;
        }
        case PRISMA_TYPE_ENUM: {
            int e = enum_value(f->enum_desc, v->s, v->len);
            memcpy(slot, &e, sizeof e);
            break;
        }
        default: { /* String, Decimal, Json */
            size_t len = f->type == PRISMA_TYPE_DECIMAL ? decimal_len(v->s, v->len) : v->len;
            char *s = result_strdup(a, v->s, len);
            if (!s)
                return false;
            memcpy(slot, &s, sizeof s);
        }
        }
    }
    memcpy(dst, &out, sizeof out);
    memcpy(dst + sizeof out, &n, sizeof n);
    return true;
}

/* Writes one row into the record at `rec`; extra storage from the arena.
 * The row's strings are copied at the end, into one allocation: the
 * backend's text pointers stay valid while other columns are read (SQLite
 * converts only the column asked for; libpq's values live until PQclear). */
bool q_decode_row(query *q, const prisma_model_desc *m, prisma_rows *r, int first_col, void *rec,
                       result_arena *a)
{
    return q_decode_row_cols(q, m, r, first_col, rec, a, NULL);
}

/* The same, reading only the fields cols[i] sets (NULL: every field), from
 * consecutive columns (q_select_columns_of's). */
bool q_decode_row_cols(query *q, const prisma_model_desc *m, prisma_rows *r, int first_col, void *rec,
                       result_arena *a, const uint8_t *cols)
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
    int next_col = first_col;
    for (unsigned i = 0; i < m->n_fields; i++) {
        const prisma_field_desc *f = &m->fields[i];
        if (cols && !cols[i])
            continue;
        int col = next_col++;
        char *dst = (char *)rec + f->rec_off;
        bool opt = f->flags & PRISMA_F_OPTIONAL;
        /* A required column is NOT NULL: skip the test (a call per column). */
        bool null = false;
        if (opt) { /* a list field is marked optional too: its column may be NULL */
            if (f->flags & PRISMA_F_LIST) {
                if (!q_decode_list(q, m, f, r, col, dst, a))
                    return false;
                continue;
            }
            null = d->col_null(r, col);
        }
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
                if (f->type == PRISMA_TYPE_DECIMAL)
                    len = decimal_len(t, len);
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
                e = enum_value(f->enum_desc, t, len);
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
