/* Read shapes (issue 13): which fields and relations include, select and
 * omit ask for, checked whole before anything is sent; and the parent
 * index the relation loaders match rows with. */
#include "query.h"

#include <stdlib.h>
#include <string.h>

static bool flag_at(const void *base, uint32_t off)
{
    if (!base || off == PRISMA_NO_OFFSET)
        return false;
    bool b;
    memcpy(&b, (const char *)base + off, sizeof b);
    return b;
}

static const void *ptr_at(const void *base, uint32_t off)
{
    if (!base || off == PRISMA_NO_OFFSET)
        return NULL;
    const void *p;
    memcpy(&p, (const char *)base + off, sizeof p);
    return p;
}

bool q_shape_partial(const q_shape *s)
{
    return s && (s->select || s->omit);
}

bool q_shape_relation(const prisma_model_desc *m, const q_shape *s, unsigned ri, const void **typed_args)
{
    const prisma_relation_desc *r = &m->relations[ri];
    const void *src = s->select ? s->select : s->include;
    *typed_args = NULL;
    if (!src)
        return false;
    *typed_args = ptr_at(src, s->select ? r->select_args_off : r->include_args_off);
    return *typed_args || flag_at(src, s->select ? r->select_off : r->include_off);
}

bool q_shape_count(const prisma_model_desc *m, const q_shape *s, unsigned ri, const void **where)
{
    const prisma_relation_desc *r = &m->relations[ri];
    const void *src = s->select ? s->select : s->include;
    *where = NULL;
    if (!src || r->count_off == PRISMA_NO_OFFSET || m->include_count_off == PRISMA_NO_OFFSET)
        return false;
    const void *cs = ptr_at(src, s->select ? m->select_count_select_off : m->include_count_select_off);
    if (cs) {
        *where = ptr_at(cs, r->count_where_off);
        return *where || flag_at(cs, r->count_select_off);
    }
    return flag_at(src, s->select ? m->select_count_off : m->include_count_off);
}

unsigned q_rel_parent_cols(const prisma_model_desc *m, const prisma_relation_desc *r, const uint16_t **cols)
{
    switch (r->kind) {
    case PRISMA_REL_TO_ONE_FK: *cols = r->fields; return r->n_fields;
    case PRISMA_REL_MANY_TO_MANY: *cols = m->uniques[0].fields; return 1;
    default: *cols = r->references; return r->n_fields;
    }
}

void q_shape_fields(const prisma_model_desc *m, const q_shape *s, uint8_t *want, uint8_t *need)
{
    for (unsigned i = 0; i < m->n_fields; i++) {
        const prisma_field_desc *f = &m->fields[i];
        bool w = true;
        if (s->select)
            w = flag_at(s->select, f->select_off);
        else if (s->omit)
            w = !flag_at(s->omit, f->omit_off);
        want[i] = need[i] = w;
    }
    for (unsigned ri = 0; ri < m->n_relations; ri++) {
        const void *x;
        if (!q_shape_relation(m, s, ri, &x) && !q_shape_count(m, s, ri, &x))
            continue;
        const uint16_t *cols;
        unsigned n = q_rel_parent_cols(m, &m->relations[ri], &cols);
        for (unsigned k = 0; k < n; k++)
            need[cols[k]] = 1;
    }
}

static size_t field_size(const prisma_field_desc *f)
{
    if (f->flags & PRISMA_F_LIST)
        return sizeof(prisma_string_array);
    if ((f->flags & PRISMA_F_OPTIONAL) && f->type != PRISMA_TYPE_ENUM)
        return sizeof(void *);
    switch (f->type) {
    case PRISMA_TYPE_INT: return sizeof(int32_t);
    case PRISMA_TYPE_BIGINT:
    case PRISMA_TYPE_DATETIME: return sizeof(int64_t);
    case PRISMA_TYPE_FLOAT: return sizeof(double);
    case PRISMA_TYPE_BOOLEAN: return sizeof(bool);
    case PRISMA_TYPE_ENUM: return sizeof(int);
    case PRISMA_TYPE_BYTES: return sizeof(prisma_bytes_value);
    default: return sizeof(char *);
    }
}

void q_clear_fields(const prisma_model_desc *m, void *recs, size_t n, const uint8_t *want, const uint8_t *need)
{
    for (unsigned i = 0; i < m->n_fields; i++) {
        if (want[i] || !need[i])
            continue;
        const prisma_field_desc *f = &m->fields[i];
        size_t size = field_size(f);
        for (size_t r = 0; r < n; r++)
            memset((char *)recs + r * m->rec_size + f->rec_off, 0, size);
    }
}

/* ---- checks ---- */

#define refuse(q, code, ...) (err_set(&(q)->err, code, __VA_ARGS__), false)

bool q_distinct_check(query *q, const prisma_model_desc *m, const prisma_find_args *a)
{
    if (a->distinct_len && !a->distinct)
        return refuse(q, "P2009", "Failed to validate the query: `distinct` of `%s` has a length but no fields.%s",
                      m->name, "");
    for (size_t i = 0; i < a->distinct_len; i++) {
        int v = a->distinct[i];
        if (v < 1 || v > (int)m->n_fields || (m->fields[v - 1].flags & PRISMA_F_LIST))
            return refuse(q, "P2009", "Failed to validate the query: `distinct` of `%s` names no scalar field of it%s.",
                          m->name, v >= 1 && v <= (int)m->n_fields ? " (a scalar list cannot be distinct)" : "");
    }
    return true;
}

static bool check_args(query *q, const prisma_model_desc *t, const prisma_relation_desc *r, const prisma_find_args *fa,
                       unsigned depth)
{
    bool to_many = r->kind == PRISMA_REL_TO_MANY || r->kind == PRISMA_REL_MANY_TO_MANY;
    if (!to_many) {
        const char *arg = fa->where ? "where" : fa->order_by_len ? "orderBy" : fa->cursor ? "cursor"
                        : fa->skip ? "skip" : (fa->has_take || fa->take_null) ? "take" : fa->distinct_len ? "distinct" : NULL;
        if (arg)
            return refuse(q, "P2009",
                          "Failed to validate the query: Argument `%s` does not exist on the to-one relation `%s` "
                          "(it takes only include, select and omit).",
                          arg, r->name);
    } else {
        if (fa->skip < 0) {
            err_set(&q->err, "P2019", "Input error. Invalid value for skip argument: Value can only be positive, found: %lld",
                    (long long)fa->skip);
            return false;
        }
        if (fa->take_null)
            return refuse(q, "P2012", "`take`: A value is required but not set.%s%s", "", "");
        if (fa->has_take && fa->take == INT64_MIN) {
            err_set(&q->err, "P2019", "Input error. Invalid value for take argument: %lld is out of range.",
                    (long long)fa->take);
            return false;
        }
        if (!q_distinct_check(q, t, fa))
            return false;
    }
    q_shape s = { fa->include, fa->select, fa->omit };
    return q_shape_check(q, t, &s, depth + 1);
}

bool q_shape_check(query *q, const prisma_model_desc *m, const q_shape *s, unsigned depth)
{
    if (depth > 64)
        return refuse(q, "P2009", "Failed to validate the query: `%s`: includes nest deeper than 64 levels%s.", m->name, "");
    if (s->select && s->include)
        return refuse(q, "P2009",
                      "Failed to validate the query: Please either use `include` or `select`, but not both at the "
                      "same time.%s%s", "", "");
    if (s->select && s->omit)
        return refuse(q, "P2009",
                      "Failed to validate the query: Please either use `omit` or `select`, but not both at the "
                      "same time.%s%s", "", "");
    for (unsigned ri = 0; ri < m->n_relations; ri++) {
        const void *typed;
        if (!q_shape_relation(m, s, ri, &typed) || !typed)
            continue;
        const prisma_relation_desc *r = &m->relations[ri];
        prisma_find_args fa;
        memset(&fa, 0, sizeof fa);
        r->target->find_args(typed, &fa);
        if (!check_args(q, r->target, r, &fa, depth))
            return false;
    }
    return true;
}

bool q_include_check(query *q, const prisma_model_desc *m, const void *include)
{
    q_shape s = { include, NULL, NULL };
    return !include || q_shape_check(q, m, &s, 0);
}

/* ---- matching rows to their parents ---- */

static uint64_t hash_value(prisma_value v)
{
    uint64_t h = 1469598103934665603ull;
    switch (v.kind) {
    case V_NULL: return 0;
    case V_TEXT:
    case V_BLOB:
        for (size_t i = 0; i < v.len; i++)
            h = (h ^ (unsigned char)v.s[i]) * 1099511628211ull;
        return h;
    case V_DOUBLE: {
        uint64_t b;
        memcpy(&b, &v.d, sizeof b);
        return b * 0x9E3779B97F4A7C15ull;
    }
    default: return (uint64_t)v.i * 0x9E3779B97F4A7C15ull;
    }
}

static uint64_t hash_key(const prisma_value *vals, unsigned n)
{
    uint64_t h = 0;
    for (unsigned k = 0; k < n; k++)
        h = h * 31 + hash_value(vals[k]);
    return h ^ (h >> 29);
}

static void parent_key(const q_parent_index *ix, size_t i, prisma_value *vals)
{
    for (unsigned k = 0; k < ix->n_cols; k++)
        vals[k] = q_rec_value(ix->m, ix->cols[k], ix->recs + i * ix->m->rec_size);
}

bool q_parent_index_build(q_parent_index *ix, const prisma_model_desc *m, const uint16_t *cols, unsigned n_cols,
                          const void *recs, size_t n)
{
    memset(ix, 0, sizeof *ix);
    ix->m = m;
    ix->cols = cols;
    ix->n_cols = n_cols;
    ix->recs = recs;
    ix->n = n;
    size_t nh = 16;
    while (nh < 2 * n)
        nh *= 2;
    ix->n_heads = nh;
    ix->heads = malloc(nh * sizeof *ix->heads);
    ix->next = malloc((n ? n : 1) * sizeof *ix->next);
    if (!ix->heads || !ix->next || n_cols > 16) {
        q_parent_index_free(ix);
        return false;
    }
    for (size_t i = 0; i < nh; i++)
        ix->heads[i] = SIZE_MAX;
    prisma_value vals[16];
    /* From the last parent to the first: chains run in the parents' order. */
    for (size_t i = n; i-- > 0;) {
        parent_key(ix, i, vals);
        size_t b = hash_key(vals, n_cols) & (nh - 1);
        ix->next[i] = ix->heads[b];
        ix->heads[b] = i;
    }
    return true;
}

void q_parent_index_free(q_parent_index *ix)
{
    free(ix->heads);
    free(ix->next);
    ix->heads = ix->next = NULL;
}

static bool key_equal(const q_parent_index *ix, size_t i, const prisma_value *vals)
{
    prisma_value pv[16];
    parent_key(ix, i, pv);
    for (unsigned k = 0; k < ix->n_cols; k++) {
        prisma_value a = pv[k], b = vals[k];
        if (a.kind == V_TEXT || a.kind == V_BLOB || b.kind == V_TEXT || b.kind == V_BLOB) {
            if (!((a.kind == V_TEXT || a.kind == V_BLOB) && (b.kind == V_TEXT || b.kind == V_BLOB)))
                return false;
            a.kind = b.kind = V_TEXT;
        } else if (a.kind == V_DOUBLE || b.kind == V_DOUBLE) {
            if (a.kind != b.kind)
                return false;
        } else {
            a.kind = b.kind = V_INT;
        }
        if (!q_values_equal(a, b))
            return false;
    }
    return true;
}

size_t q_parent_find(const q_parent_index *ix, const prisma_value *vals)
{
    if (!ix->n)
        return SIZE_MAX;
    for (size_t i = ix->heads[hash_key(vals, ix->n_cols) & (ix->n_heads - 1)]; i != SIZE_MAX; i = ix->next[i])
        if (key_equal(ix, i, vals))
            return i;
    return SIZE_MAX;
}

size_t q_parent_next(const q_parent_index *ix, size_t i)
{
    prisma_value vals[16];
    parent_key(ix, i, vals);
    for (size_t j = ix->next[i]; j != SIZE_MAX; j = ix->next[j])
        if (key_equal(ix, j, vals))
            return j;
    return SIZE_MAX;
}

prisma_value q_row_key(query *q, prisma_rows *rows, int col, const prisma_field_desc *f)
{
    const prisma_backend *d = q->be;
    if (d->col_null(rows, col))
        return v_null();
    switch (f->type) {
    case PRISMA_TYPE_STRING:
    case PRISMA_TYPE_DECIMAL:
    case PRISMA_TYPE_JSON:
    case PRISMA_TYPE_ENUM: {
        size_t len = 0;
        const char *s = d->col_text(rows, col, &len);
        return s ? (prisma_value){ .kind = V_TEXT, .s = s, .len = len } : v_null();
    }
    case PRISMA_TYPE_BYTES: {
        size_t len = 0;
        const void *b = d->col_blob(rows, col, &len);
        return (prisma_value){ .kind = V_BLOB, .s = b ? b : "", .len = b ? len : 0 };
    }
    case PRISMA_TYPE_FLOAT: return v_double(d->col_double(rows, col));
    case PRISMA_TYPE_DATETIME: {
        int64_t v = 0;
        backend_col_datetime(d, rows, col, &v);
        return v_int(v);
    }
    default: return v_int(d->col_int(rows, col));
    }
}

size_t q_parents_per_stmt(const query *q, unsigned n_cols)
{
    size_t limit = q_param_limit(q);
    /* Room for the arguments' own values (where, cursor, skip, take). */
    size_t room = limit > 2000 ? limit - 1000 : limit / 2;
    size_t per = room / (n_cols ? n_cols : 1);
    return per ? per : 1;
}
