/* Input validation: the values a caller hands in, checked and read by type. */
#include "query.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- input validation ---- */

static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        int n = (*p >= 0xC2 && *p <= 0xDF) ? 1 : (*p >= 0xE0 && *p <= 0xEF) ? 2 : (*p >= 0xF0 && *p <= 0xF4) ? 3 : -1;
        if (n < 0)
            return false;
        uint32_t cp = *p & (0x3F >> n);
        for (int k = 1; k <= n; k++) {
            if ((p[k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n + 1;
    }
    return true;
}

static bool valid_decimal(const char *s)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    bool digits = false;
    while (*p >= '0' && *p <= '9') {
        p++;
        digits = true;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits = true;
        }
    }
    if (!digits)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

/* Rejects a value that cannot reach the database intact. */
bool q_check_text(query *q, const prisma_field_desc *f, const char *s)
{
    if (s == PRISMA_NULL)
        return true;
    if (q_json_null_kind(s)) {
        if (f->type == PRISMA_TYPE_JSON && !(f->flags & PRISMA_F_LIST))
            return true;
        err_set(&q->err, "P2009",
                "Failed to validate the query: Invalid value for argument `%s`: %s is a value of Json fields only.",
                f->name, s == PRISMA_DB_NULL ? "DbNull" : s == PRISMA_JSON_NULL ? "JsonNull" : "AnyNull");
        return false;
    }
    if (!valid_utf8(s)) {
        err_set(&q->err, "P2009",
                "Failed to validate the query: Invalid value for argument `%s`: the string is not valid UTF-8.",
                f->name);
        return false;
    }
    if (f->type == PRISMA_TYPE_DECIMAL && !valid_decimal(s)) {
        err_set(&q->err, "P2009", "Failed to validate the query: Invalid value for argument `%s`: \"%.60s\" is not a decimal number.",
                f->name, s);
        return false;
    }
    return true;
}

bool q_check_null(query *q, const prisma_field_desc *f)
{
    if (f->flags & (PRISMA_F_OPTIONAL | PRISMA_F_LIST))
        return true;
    err_set(&q->err, "P2009", "Failed to validate the query: `data.%s`: A value is required but not set.", f->name);
    return false;
}

bool q_check_double(query *q, const prisma_field_desc *f, double d)
{
    if (isnan(d) || isinf(d)) {
        err_set(&q->err, "P2009", "Failed to validate the query: Invalid value for argument `%s`: %s is not a finite number.",
                f->name, isnan(d) ? "NaN" : "Infinity");
        return false;
    }
    return true;
}


/* A pointer stored in an input struct. */
static const char *read_str(const void *p)
{
    const char *s;
    memcpy(&s, p, sizeof s);
    return s;
}

/* Whether the field's member at p is an explicit null: a create-shaped
 * member, or (update) an update input's member. */
static bool member_is_null(const prisma_field_desc *f, const void *p, bool update)
{
    switch (f->type) {
    case PRISMA_TYPE_STRING:
    case PRISMA_TYPE_JSON: return read_str(p) == PRISMA_NULL || read_str(p) == PRISMA_DB_NULL;
    case PRISMA_TYPE_DECIMAL: return read_str(update ? (const void *)&AT(p, 0, prisma_decimal_update)->set : p) == PRISMA_NULL;
    case PRISMA_TYPE_INT: {
        const prisma_int *x = update ? &AT(p, 0, prisma_int_update)->set : p;
        return x->set && x->null;
    }
    case PRISMA_TYPE_BIGINT: {
        const prisma_bigint *x = update ? &AT(p, 0, prisma_bigint_update)->set : p;
        return x->set && x->null;
    }
    case PRISMA_TYPE_FLOAT: {
        const prisma_float *x = update ? &AT(p, 0, prisma_float_update)->set : p;
        return x->set && x->null;
    }
    case PRISMA_TYPE_BOOLEAN: return ((const prisma_bool *)p)->set && ((const prisma_bool *)p)->null;
    case PRISMA_TYPE_DATETIME: return ((const prisma_datetime *)p)->set && ((const prisma_datetime *)p)->null;
    case PRISMA_TYPE_BYTES: return ((const prisma_bytes *)p)->set && ((const prisma_bytes *)p)->null;
    case PRISMA_TYPE_ENUM: return *AT(p, 0, int) == PRISMA_ENUM_NULL;
    default: return false;
    }
}

bool q_refuse_nulls(query *q, const prisma_model_desc *m, const void *data, bool update)
{
    for (unsigned i = 0; i < m->n_fields; i++) {
        const prisma_field_desc *f = &m->fields[i];
        uint32_t off = update ? f->update_off : f->create_off;
        if (off == PRISMA_NO_OFFSET || (f->flags & (PRISMA_F_OPTIONAL | PRISMA_F_LIST)))
            continue;
        if (member_is_null(f, (const char *)data + off, update))
            return q_check_null(q, f);
    }
    return true;
}

/* ---- scalar lists ---- */

/* Every prisma_*_list has this layout: the given mark, the items, their number. */
typedef struct list_input {
    const void *set;
    const void *items;
    size_t len;
} list_input;

bool q_lists_supported(query *q)
{
    if (q->be->lists)
        return true;
    err_set(&q->err, "P2026", "The current database provider doesn't support a feature that the query used: scalar lists");
    return false;
}

/* The items of a list input of field f as one value (V_ARRAY; the items in a
 * temporary array): 0 not given, 1 given, -1 invalid. */
int q_read_list(query *q, const prisma_field_desc *f, const void *p, prisma_value *v)
{
    list_input in;
    memcpy(&in, p, sizeof in);
    if (!in.set)
        return 0;
    if (!q_lists_supported(q))
        return -1;
    if (in.len && !in.items) {
        err_set(&q->err, "P2009", "Failed to validate the query: the list of `%s` has a length but no array.", f->name);
        return -1;
    }
    if (in.len > SIZE_MAX / 2 / sizeof(prisma_value)) {
        err_oom(&q->err);
        return -1;
    }
    prisma_value *items = (prisma_value *)(void *)q_temp(q, (in.len ? in.len : 1) * sizeof *items);
    if (!items)
        return -1;
    for (size_t i = 0; i < in.len; i++) {
        prisma_value *it = &items[i];
        switch (f->type) {
        case PRISMA_TYPE_INT: *it = v_int(((const int32_t *)in.items)[i]); break;
        case PRISMA_TYPE_BIGINT: *it = v_int(((const int64_t *)in.items)[i]); break;
        case PRISMA_TYPE_FLOAT:
            *it = v_double(((const double *)in.items)[i]);
            if (!q_check_double(q, f, it->d))
                return -1;
            break;
        case PRISMA_TYPE_BOOLEAN: *it = v_bool(((const bool *)in.items)[i]); break;
        case PRISMA_TYPE_DATETIME:
            *it = (prisma_value){ .kind = V_DATETIME, .i = ((const int64_t *)in.items)[i] };
            break;
        case PRISMA_TYPE_BYTES: {
            prisma_bytes_value b = ((const prisma_bytes_value *)in.items)[i];
            if (b.len && !b.data) {
                err_set(&q->err, "P2009", "Failed to validate the query: `%s`: bytes with a length but no data.",
                        f->name);
                return -1;
            }
            *it = (prisma_value){ .kind = V_BLOB, .s = (const char *)b.data, .len = b.len };
            break;
        }
        case PRISMA_TYPE_ENUM: {
            int e = ((const int *)in.items)[i];
            if (e < 1 || (uint32_t)e > f->enum_desc->n_values) {
                err_set(&q->err, "P2009", "Failed to validate the query: Invalid value %d for enum `%s` of argument `%s`.",
                        e, f->enum_desc->name, f->name);
                return -1;
            }
            *it = v_text(f->enum_desc->values[e - 1]);
            break;
        }
        default: { /* String, Decimal, Json */
            const char *s = ((const char *const *)in.items)[i];
            if (!s || s == PRISMA_NULL) {
                err_set(&q->err, "P2009", "Failed to validate the query: `%s`: the items of a list cannot be null.",
                        f->name);
                return -1;
            }
            if (!q_check_text(q, f, s))
                return -1;
            *it = v_text(s);
        }
        }
    }
    *v = (prisma_value){ .kind = V_ARRAY, .items = items, .len = in.len };
    return 1;
}

/* The value of a field in a create-shaped input (create data, where-unique
 * members): returns 0 not given, 1 given (in *v), -1 invalid. */
int q_read_create_value(query *q, const prisma_field_desc *f, const void *p, prisma_value *v)
{
    if (f->flags & PRISMA_F_LIST)
        return q_read_list(q, f, p, v);
    return q_read_item(q, f, p, v);
}

/* One value of the field's type (a list field: one item), create-shaped. */
int q_read_item(query *q, const prisma_field_desc *f, const void *p, prisma_value *v)
{
    switch (f->type) {
    case PRISMA_TYPE_STRING:
    case PRISMA_TYPE_DECIMAL:
    case PRISMA_TYPE_JSON: {
        const char *s = read_str(p);
        if (!s)
            return 0;
        if (!q_check_text(q, f, s))
            return -1;
        if (s == PRISMA_ANY_NULL) {
            err_set(&q->err, "P2009",
                    "Failed to validate the query: Invalid value for argument `%s`: AnyNull is a filter value; "
                    "write PRISMA_DB_NULL or PRISMA_JSON_NULL.", f->name);
            return -1;
        }
        /* Json: DbNull is SQL NULL, JsonNull the JSON text null. */
        *v = s == PRISMA_NULL || s == PRISMA_DB_NULL ? v_null() : s == PRISMA_JSON_NULL ? v_text("null") : v_text(s);
        return 1;
    }
    case PRISMA_TYPE_INT: {
        const prisma_int *x = p;
        if (!x->set)
            return 0;
        *v = x->null ? v_null() : v_int(x->v);
        return 1;
    }
    case PRISMA_TYPE_BIGINT: {
        const prisma_bigint *x = p;
        if (!x->set)
            return 0;
        *v = x->null ? v_null() : v_int(x->v);
        return 1;
    }
    case PRISMA_TYPE_FLOAT: {
        const prisma_float *x = p;
        if (!x->set)
            return 0;
        if (!x->null && !q_check_double(q, f, x->v))
            return -1;
        *v = x->null ? v_null() : v_double(x->v);
        return 1;
    }
    case PRISMA_TYPE_BOOLEAN: {
        const prisma_bool *x = p;
        if (!x->set)
            return 0;
        *v = x->null ? v_null() : v_bool(x->v);
        return 1;
    }
    case PRISMA_TYPE_DATETIME: {
        const prisma_datetime *x = p;
        if (!x->set)
            return 0;
        *v = x->null ? v_null() : (prisma_value){ .kind = V_DATETIME, .i = x->v };
        return 1;
    }
    case PRISMA_TYPE_BYTES: {
        const prisma_bytes *x = p;
        if (!x->set)
            return 0;
        if (!x->null && x->len && !x->data) {
            err_set(&q->err, "P2009", "Failed to validate the query: `%s`: bytes with a length but no data.", f->name);
            return -1;
        }
        *v = x->null ? v_null() : (prisma_value){ .kind = V_BLOB, .s = x->data, .len = x->len };
        return 1;
    }
    case PRISMA_TYPE_ENUM: {
        int e = *AT(p, 0, int);
        if (e == 0)
            return 0;
        if (e == PRISMA_ENUM_NULL) {
            *v = v_null();
            return 1;
        }
        if (e < 0 || (uint32_t)e > f->enum_desc->n_values) {
            err_set(&q->err, "P2009", "Failed to validate the query: Invalid value %d for enum `%s` of argument `%s`.", e,
                    f->enum_desc->name, f->name);
            return -1;
        }
        *v = v_text(f->enum_desc->values[e - 1]);
        return 1;
    }
    default:
        return 0;
    }
}
