/* The generic operations: typed inputs are read through the model
 * descriptors, turned into SQL per dialect (every value bound, every
 * identifier quoted), prepared once per query shape and per connection, and
 * rows are decoded straight into the generated structs. */
#include "query.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* ---- the query context ---- */

void q_init(query *q, prisma_client *db)
{
    memset(q, 0, offsetof(query, key_inline));
    q->db = db;
    q->drv = db->sh->driver;
    q->pg = q->drv == &prisma_pg_driver;
    q->key = q->key_inline;
    q->key_cap = sizeof q->key_inline;
    q->key_len = 0;
    q->params = q->params_inline;
    q->params_cap = sizeof q->params_inline / sizeof q->params_inline[0];
    q->n_params = 0;
    sb_init(&q->sql);
    q->emit = false;
    q->temps = NULL;
    q->n_temps = q->temps_cap = 0;
    err_clear(&q->err);
    q->oom = false;
    q->op_model = q->stmt_model = NULL;
}

void q_reset(query *q, bool emit)
{
    q->key_len = 0;
    q->n_params = 0;
    q->sql.len = 0;
    if (q->sql.data)
        q->sql.data[0] = '\0';
    q->emit = emit;
    q->stmt_model = NULL;
}

void q_free(query *q)
{
    if (q->key != q->key_inline)
        free(q->key);
    if (q->params != q->params_inline)
        free(q->params);
    sb_free(&q->sql);
    for (size_t i = 0; i < q->n_temps; i++)
        free(q->temps[i]);
    free(q->temps);
}

static void key_put(query *q, const void *p, size_t n)
{
    if (q->key_len + n > q->key_cap) {
        size_t cap = q->key_cap * 2;
        while (cap < q->key_len + n)
            cap *= 2;
        uint8_t *k = q->key == q->key_inline ? malloc(cap) : realloc(q->key, cap);
        if (!k) {
            q->oom = true;
            return;
        }
        if (q->key == q->key_inline)
            memcpy(k, q->key_inline, q->key_len);
        q->key = k;
        q->key_cap = cap;
    }
    memcpy(q->key + q->key_len, p, n);
    q->key_len += n;
}

void q_key_u8(query *q, unsigned v)
{
    uint8_t b = (uint8_t)v;
    key_put(q, &b, 1);
}

void q_key_u32(query *q, uint32_t v)
{
    key_put(q, &v, sizeof v);
}

void q_sql(query *q, const char *s)
{
    if (q->emit)
        sb_puts(&q->sql, s);
}

void q_sql_ident(query *q, const char *s)
{
    if (q->emit)
        sb_ident(&q->sql, s);
}

/* The table, schema-qualified when the model has @@schema. */
void q_sql_table(query *q, const prisma_model_desc *m)
{
    if (!q->stmt_model)
        q->stmt_model = m;
    if (!q->emit)
        return;
    if (m->schema && q->pg) {
        sb_ident(&q->sql, m->schema);
        sb_putc(&q->sql, '.');
    }
    sb_ident(&q->sql, m->table);
}

void q_sql_col(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified)
{
    if (!q->emit)
        return;
    if (qualified) {
        sb_ident(&q->sql, m->table);
        sb_putc(&q->sql, '.');
    }
    sb_ident(&q->sql, f->column);
}

/* Binds a value and writes its placeholder. */
void q_param(query *q, prisma_value v)
{
    if (q->n_params == q->params_cap) {
        size_t cap = q->params_cap * 2;
        prisma_value *p = q->params == q->params_inline ? malloc(cap * sizeof *p) : realloc(q->params, cap * sizeof *p);
        if (!p) {
            q->oom = true;
            return;
        }
        if (q->params == q->params_inline)
            memcpy(p, q->params_inline, q->n_params * sizeof *p);
        q->params = p;
        q->params_cap = cap;
    }
    q->params[q->n_params++] = v;
    if (q->emit) {
        if (q->drv->numbered_params)
            sb_printf(&q->sql, "$%zu", q->n_params);
        else
            sb_putc(&q->sql, '?');
    }
}

char *q_temp(query *q, size_t n)
{
    if (q->n_temps == q->temps_cap) {
        size_t cap = q->temps_cap ? q->temps_cap * 2 : 4;
        char **t = realloc(q->temps, cap * sizeof *t);
        if (!t) {
            q->oom = true;
            return NULL;
        }
        q->temps = t;
        q->temps_cap = cap;
    }
    char *s = malloc(n);
    if (!s) {
        q->oom = true;
        return NULL;
    }
    q->temps[q->n_temps++] = s;
    return s;
}


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
static bool check_text(query *q, const prisma_field_desc *f, const char *s)
{
    if (s == PRISMA_NULL)
        return true;
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

static bool check_double(query *q, const prisma_field_desc *f, double d)
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

/* The value of a field in a create-shaped input (create data, where-unique
 * members): returns 0 not given, 1 given (in *v), -1 invalid. */
int q_read_create_value(query *q, const prisma_field_desc *f, const void *p, prisma_value *v)
{
    switch (f->type) {
    case PRISMA_TYPE_STRING:
    case PRISMA_TYPE_DECIMAL:
    case PRISMA_TYPE_JSON: {
        const char *s = read_str(p);
        if (!s)
            return 0;
        if (!check_text(q, f, s))
            return -1;
        *v = s == PRISMA_NULL ? v_null() : v_text(s);
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
        if (!x->null && !check_double(q, f, x->v))
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

/* ---- where ---- */


/* LIKE patterns: the value with % _ \ escaped. */
static const char *like_pattern(query *q, const char *s, bool lead, bool trail)
{
    size_t n = strlen(s);
    char *p = q_temp(q, n * 2 + 3);
    if (!p)
        return "";
    size_t o = 0;
    if (lead)
        p[o++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' || s[i] == '_' || s[i] == '\\')
            p[o++] = '\\';
        p[o++] = s[i];
    }
    if (trail)
        p[o++] = '%';
    p[o] = '\0';
    return p;
}

/* GLOB patterns (SQLite, case-sensitive): * ? [ wrapped in brackets. */
static const char *glob_pattern(query *q, const char *s, bool lead, bool trail)
{
    size_t n = strlen(s);
    char *p = q_temp(q, n * 3 + 3);
    if (!p)
        return "";
    size_t o = 0;
    if (lead)
        p[o++] = '*';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '*' || s[i] == '?' || s[i] == '[') {
            p[o++] = '[';
            p[o++] = s[i];
            p[o++] = ']';
        } else {
            p[o++] = s[i];
        }
    }
    if (trail)
        p[o++] = '*';
    p[o] = '\0';
    return p;
}

typedef struct cond_state {
    bool first;
} cond_state;

static void cond_begin(query *q, cond_state *c)
{
    if (!c->first)
        q_sql(q, " AND ");
    c->first = false;
}

enum {
    OP_EQ = 1, OP_NE, OP_LT, OP_LTE, OP_GT, OP_GTE, OP_IN, OP_NOT_IN, OP_IS_NULL, OP_NOT_NULL,
    OP_CONTAINS, OP_STARTS, OP_ENDS, OP_EQ_NULL, OP_NE_NULL
};

static const char *op_sql(int op)
{
    switch (op) {
    case OP_EQ: return " = ";
    case OP_NE: return " <> ";
    case OP_LT: return " < ";
    case OP_LTE: return " <= ";
    case OP_GT: return " > ";
    default: return " >= ";
    }
}

/* col OP value, with case folding in insensitive mode. */
static void cmp(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified, cond_state *c,
                int op, prisma_value v, bool insensitive, unsigned fi)
{
    q_key_u32(q, fi);
    q_key_u8(q, op);
    cond_begin(q, c);
    if (v.kind == V_NULL) {
        /* equals: null / not: null */
        q_key_u8(q, 0xFF);
        q_sql_col(q, m, f, qualified);
        q_sql(q, op == OP_NE ? " IS NOT NULL" : " IS NULL");
        return;
    }
    if (insensitive) {
        q_sql(q, "LOWER(");
        q_sql_col(q, m, f, qualified);
        q_sql(q, ")");
        q_sql(q, op_sql(op));
        q_sql(q, "LOWER(");
        q_param(q, v);
        q_sql(q, ")");
        return;
    }
    q_sql_col(q, m, f, qualified);
    q_sql(q, op_sql(op));
    q_param(q, v);
}

static void in_list(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified, cond_state *c,
                    bool negate, size_t n, const prisma_value *vals, bool insensitive, unsigned fi)
{
    q_key_u32(q, fi);
    q_key_u8(q, negate ? OP_NOT_IN : OP_IN);
    q_key_u32(q, (uint32_t)n);
    cond_begin(q, c);
    if (n == 0) {
        q_sql(q, negate ? "1=1" : "1=0");
        return;
    }
    if (insensitive)
        q_sql(q, "LOWER(");
    q_sql_col(q, m, f, qualified);
    if (insensitive)
        q_sql(q, ")");
    q_sql(q, negate ? " NOT IN (" : " IN (");
    for (size_t i = 0; i < n; i++) {
        if (i)
            q_sql(q, ", ");
        if (insensitive)
            q_sql(q, "LOWER(");
        q_param(q, vals[i]);
        if (insensitive)
            q_sql(q, ")");
    }
    q_sql(q, ")");
}

static void null_test(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified,
                      cond_state *c, bool is_null, unsigned fi)
{
    q_key_u32(q, fi);
    q_key_u8(q, is_null ? OP_IS_NULL : OP_NOT_NULL);
    cond_begin(q, c);
    q_sql_col(q, m, f, qualified);
    q_sql(q, is_null ? " IS NULL" : " IS NOT NULL");
}

/* Values of an `in` list, converted into a temporary array. */
static prisma_value *list_values(query *q, const prisma_field_desc *f, const void *items, size_t n)
{
    prisma_value *vals = (prisma_value *)(void *)q_temp(q, (n ? n : 1) * sizeof *vals);
    if (!vals)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        switch (f->type) {
        case PRISMA_TYPE_INT: vals[i] = v_int(((const int32_t *)items)[i]); break;
        case PRISMA_TYPE_BIGINT: vals[i] = v_int(((const int64_t *)items)[i]); break;
        case PRISMA_TYPE_FLOAT: vals[i] = v_double(((const double *)items)[i]); break;
        case PRISMA_TYPE_DATETIME: vals[i] = (prisma_value){ .kind = V_DATETIME, .i = ((const int64_t *)items)[i] }; break;
        case PRISMA_TYPE_ENUM: {
            int e = ((const int *)items)[i];
            if (e < 1 || (uint32_t)e > f->enum_desc->n_values) {
                err_set(&q->err, "P2009", "Failed to validate the query: Invalid value %d for enum `%s`.", e,
                        f->enum_desc->name);
                return NULL;
            }
            vals[i] = v_text(f->enum_desc->values[e - 1]);
            break;
        }
        default: {
            const char *s = ((const char *const *)items)[i];
            if (!s || !check_text(q, f, s)) {
                if (!s)
                    err_set(&q->err, "P2009", "Failed to validate the query: a NULL string in the `in` list of `%s`.",
                            f->name);
                return NULL;
            }
            vals[i] = v_text(s);
        }
        }
    }
    return vals;
}

/* Ordered scalar filters share one layout per C type: six wrapped values,
 * two lists, two null tests. */
#define ORDERED_FILTER(FT, VT, LT, CONV)                                                                       \
    do {                                                                                                     \
        const FT *flt = AT(w, f->where_off, FT);                                                             \
        const VT *ops[6] = { &flt->equals, &flt->not_, &flt->lt, &flt->lte, &flt->gt, &flt->gte };            \
        static const int codes[6] = { OP_EQ, OP_NE, OP_LT, OP_LTE, OP_GT, OP_GTE };                          \
        for (int k = 0; k < 6; k++) {                                                                        \
            if (!ops[k]->set)                                                                                \
                continue;                                                                                    \
            if (ops[k]->null && k > 1) {                                                                     \
                err_set(&q->err, "P2009", "Failed to validate the query: `%s` cannot be compared with null.", \
                        f->name);                                                                            \
                return false;                                                                                \
            }                                                                                                \
            prisma_value v = ops[k]->null ? v_null() : CONV(ops[k]->v);                                       \
            if (f->type == PRISMA_TYPE_FLOAT && !ops[k]->null && !check_double(q, f, v.d))                   \
                return false;                                                                                \
            cmp(q, m, f, qualified, &c, codes[k], v, false, fi);                                             \
        }                                                                                                    \
        const LT *lists[2] = { &flt->in, &flt->not_in };                                                     \
        for (int k = 0; k < 2; k++) {                                                                        \
            if (!lists[k]->set)                                                                              \
                continue;                                                                                    \
            prisma_value *vals = list_values(q, f, lists[k]->items, lists[k]->len);                          \
            if (!vals)                                                                                       \
                return false;                                                                                \
            in_list(q, m, f, qualified, &c, k == 1, lists[k]->len, vals, false, fi);                         \
        }                                                                                                    \
        if (flt->is_null)                                                                                    \
            null_test(q, m, f, qualified, &c, true, fi);                                                     \
        if (flt->is_not_null)                                                                                \
            null_test(q, m, f, qualified, &c, false, fi);                                                    \
    } while (0)

static prisma_value conv_int(int64_t x) { return v_int(x); }
static prisma_value conv_double(double x) { return v_double(x); }
static prisma_value conv_dt(int64_t x) { return (prisma_value){ .kind = V_DATETIME, .i = x }; }

static bool string_filter(query *q, const prisma_model_desc *m, const prisma_field_desc *f, const void *w,
                          bool qualified, cond_state *c, unsigned fi)
{
    const prisma_string_filter *flt = AT(w, f->where_off, prisma_string_filter);
    bool ins = flt->mode == PRISMA_INSENSITIVE;
    q_key_u8(q, ins);
    const char *ops[6] = { flt->equals, flt->not_, flt->lt, flt->lte, flt->gt, flt->gte };
    static const int codes[6] = { OP_EQ, OP_NE, OP_LT, OP_LTE, OP_GT, OP_GTE };
    for (int k = 0; k < 6; k++) {
        if (!ops[k])
            continue;
        if (!check_text(q, f, ops[k]))
            return false;
        if (ops[k] == PRISMA_NULL && k > 1) {
            err_set(&q->err, "P2009", "Failed to validate the query: `%s` cannot be compared with null.", f->name);
            return false;
        }
        cmp(q, m, f, qualified, c, codes[k], ops[k] == PRISMA_NULL ? v_null() : v_text(ops[k]), ins && k < 2, fi);
    }
    const char *likes[3] = { flt->contains, flt->starts_with, flt->ends_with };
    static const int like_codes[3] = { OP_CONTAINS, OP_STARTS, OP_ENDS };
    for (int k = 0; k < 3; k++) {
        if (!likes[k])
            continue;
        if (likes[k] == PRISMA_NULL || !check_text(q, f, likes[k])) {
            if (likes[k] == PRISMA_NULL)
                err_set(&q->err, "P2009", "Failed to validate the query: `%s`: a string filter cannot take null.",
                        f->name);
            return false;
        }
        bool lead = k != 1, trail = k != 2;
        q_key_u32(q, fi);
        q_key_u8(q, like_codes[k]);
        cond_begin(q, c);
        q_sql_col(q, m, f, qualified);
        if (q->pg) {
            q_sql(q, ins ? " ILIKE " : " LIKE ");
            q_param(q, v_text(like_pattern(q, likes[k], lead, trail)));
            q_sql(q, " ESCAPE '\\'");
        } else if (ins) {
            q_sql(q, " LIKE ");
            q_param(q, v_text(like_pattern(q, likes[k], lead, trail)));
            q_sql(q, " ESCAPE '\\'");
        } else {
            /* SQLite's LIKE ignores ASCII case: GLOB is case-sensitive. */
            q_sql(q, " GLOB ");
            q_param(q, v_text(glob_pattern(q, likes[k], lead, trail)));
        }
    }
    const prisma_string_list *lists[2] = { &flt->in, &flt->not_in };
    for (int k = 0; k < 2; k++) {
        if (!lists[k]->set)
            continue;
        prisma_value *vals = list_values(q, f, lists[k]->items, lists[k]->len);
        if (!vals)
            return false;
        in_list(q, m, f, qualified, c, k == 1, lists[k]->len, vals, ins, fi);
    }
    if (flt->is_null)
        null_test(q, m, f, qualified, c, true, fi);
    if (flt->is_not_null)
        null_test(q, m, f, qualified, c, false, fi);
    return true;
}

static bool field_filter(query *q, const prisma_model_desc *m, const prisma_field_desc *f, const void *w,
                         bool qualified, cond_state *cs, unsigned fi)
{
    cond_state c = *cs;
    switch (f->type) {
    case PRISMA_TYPE_STRING:
    case PRISMA_TYPE_DECIMAL:
    case PRISMA_TYPE_JSON:
        if (!string_filter(q, m, f, w, qualified, &c, fi))
            return false;
        break;
    case PRISMA_TYPE_INT:
        ORDERED_FILTER(prisma_int_filter, prisma_int, prisma_int_list, conv_int);
        break;
    case PRISMA_TYPE_BIGINT:
        ORDERED_FILTER(prisma_bigint_filter, prisma_bigint, prisma_bigint_list, conv_int);
        break;
    case PRISMA_TYPE_FLOAT:
        ORDERED_FILTER(prisma_float_filter, prisma_float, prisma_float_list, conv_double);
        break;
    case PRISMA_TYPE_DATETIME:
        ORDERED_FILTER(prisma_datetime_filter, prisma_datetime, prisma_datetime_list, conv_dt);
        break;
    case PRISMA_TYPE_BOOLEAN: {
        const prisma_bool_filter *flt = AT(w, f->where_off, prisma_bool_filter);
        if (flt->equals.set)
            cmp(q, m, f, qualified, &c, OP_EQ, flt->equals.null ? v_null() : v_bool(flt->equals.v), false, fi);
        if (flt->not_.set)
            cmp(q, m, f, qualified, &c, OP_NE, flt->not_.null ? v_null() : v_bool(flt->not_.v), false, fi);
        if (flt->is_null)
            null_test(q, m, f, qualified, &c, true, fi);
        if (flt->is_not_null)
            null_test(q, m, f, qualified, &c, false, fi);
        break;
    }
    case PRISMA_TYPE_BYTES: {
        const prisma_bytes_filter *flt = AT(w, f->where_off, prisma_bytes_filter);
        const prisma_bytes *ops[2] = { &flt->equals, &flt->not_ };
        for (int k = 0; k < 2; k++)
            if (ops[k]->set)
                cmp(q, m, f, qualified, &c, k ? OP_NE : OP_EQ,
                    ops[k]->null ? v_null() : (prisma_value){ .kind = V_BLOB, .s = ops[k]->data, .len = ops[k]->len },
                    false, fi);
        if (flt->is_null)
            null_test(q, m, f, qualified, &c, true, fi);
        if (flt->is_not_null)
            null_test(q, m, f, qualified, &c, false, fi);
        break;
    }
    case PRISMA_TYPE_ENUM: {
        const prisma_enum_filter *flt = AT(w, f->where_off, prisma_enum_filter);
        int ops[2] = { flt->equals, flt->not_ };
        for (int k = 0; k < 2; k++) {
            if (!ops[k])
                continue;
            prisma_value v;
            if (ops[k] == PRISMA_ENUM_NULL) {
                v = v_null();
            } else if (ops[k] < 0 || (uint32_t)ops[k] > f->enum_desc->n_values) {
                err_set(&q->err, "P2009", "Failed to validate the query: Invalid value %d for enum `%s`.", ops[k],
                        f->enum_desc->name);
                return false;
            } else {
                v = v_text(f->enum_desc->values[ops[k] - 1]);
            }
            cmp(q, m, f, qualified, &c, k ? OP_NE : OP_EQ, v, false, fi);
        }
        const prisma_enum_list *lists[2] = { &flt->in, &flt->not_in };
        for (int k = 0; k < 2; k++) {
            if (!lists[k]->set)
                continue;
            prisma_value *vals = list_values(q, f, lists[k]->items, lists[k]->len);
            if (!vals)
                return false;
            in_list(q, m, f, qualified, &c, k == 1, lists[k]->len, vals, false, fi);
        }
        if (flt->is_null)
            null_test(q, m, f, qualified, &c, true, fi);
        if (flt->is_not_null)
            null_test(q, m, f, qualified, &c, false, fi);
        break;
    }
    default:
        break;
    }
    *cs = c;
    return true;
}

typedef struct where_header {
    const void *AND;
    size_t AND_len;
    const void *OR;
    size_t OR_len;
    const void *NOT;
    size_t NOT_len;
} where_header;

/* Writes the conditions of `w`, or "1=1" when it has none. */
bool q_where_walk(query *q, const prisma_model_desc *m, const void *w, bool qualified)
{
    static const char none[] = "1=1";
    if (!w) {
        q_sql(q, none);
        return true;
    }
    size_t mark = q->sql.len;
    cond_state c = { true };
    q_key_u8(q, '(');
    q_sql(q, "(");
    for (unsigned i = 0; i < m->n_fields; i++) {
        const prisma_field_desc *f = &m->fields[i];
        if (f->where_off == PRISMA_NO_OFFSET)
            continue;
        if (!field_filter(q, m, f, w, qualified, &c, i))
            return false;
    }
    where_header h;
    memcpy(&h, w, sizeof h);
    if (h.AND_len && !h.AND) {
        err_set(&q->err, "P2009", "Failed to validate the query: `AND` has a length but no array.");
        return false;
    }
    for (size_t i = 0; i < h.AND_len; i++) {
        q_key_u8(q, '&');
        cond_begin(q, &c);
        if (!q_where_walk(q, m, (const char *)h.AND + i * m->where_size, qualified))
            return false;
    }
    if (h.OR) {
        q_key_u8(q, '|');
        q_key_u32(q, (uint32_t)h.OR_len);
        cond_begin(q, &c);
        q_sql(q, "(");
        if (h.OR_len == 0)
            q_sql(q, "1=0");
        for (size_t i = 0; i < h.OR_len; i++) {
            if (i)
                q_sql(q, " OR ");
            if (!q_where_walk(q, m, (const char *)h.OR + i * m->where_size, qualified))
                return false;
        }
        q_sql(q, ")");
    }
    if (h.NOT_len && !h.NOT) {
        err_set(&q->err, "P2009", "Failed to validate the query: `NOT` has a length but no array.");
        return false;
    }
    for (size_t i = 0; i < h.NOT_len; i++) {
        q_key_u8(q, '!');
        cond_begin(q, &c);
        q_sql(q, "NOT ");
        if (!q_where_walk(q, m, (const char *)h.NOT + i * m->where_size, qualified))
            return false;
    }
    if (c.first && q->emit) {
        /* Nothing was written after "(": replace it. */
        q->sql.len = mark;
        sb_puts(&q->sql, none);
    } else {
        q_sql(q, ")");
    }
    q_key_u8(q, ')');
    return true;
}

/* ---- where unique ---- */

/* Conditions for every fully given unique criterion. At least one is required. */
bool q_unique_walk(query *q, const prisma_model_desc *m, const void *u, bool qualified,
                        const prisma_unique_desc **used)
{
    if (!u) {
        err_set(&q->err, "P2009", "Failed to validate the query: Argument `where` is missing.");
        return false;
    }
    bool any = false;
    cond_state c = { true };
    if (used)
        *used = NULL;
    for (unsigned i = 0; i < m->n_uniques; i++) {
        const prisma_unique_desc *ud = &m->uniques[i];
        prisma_value vals[16];
        unsigned given = 0;
        for (unsigned k = 0; k < ud->n_fields && k < 16; k++) {
            const prisma_field_desc *f = &m->fields[ud->fields[k]];
            const void *p = (const char *)u + ud->member_offs[k];
            int r = q_read_create_value(q, f, p, &vals[k]);
            if (r < 0)
                return false;
            given += r == 1;
        }
        if (given == 0)
            continue;
        if (given != ud->n_fields) {
            err_set(&q->err, "P2009", "Failed to validate the query: every field of the unique criterion `%s` must be given.",
                    ud->name);
            return false;
        }
        q_key_u8(q, 'u');
        q_key_u8(q, i);
        for (unsigned k = 0; k < ud->n_fields; k++) {
            if (vals[k].kind == V_NULL) {
                err_set(&q->err, "P2009", "Failed to validate the query: Argument `%s` of a unique criterion must not be null.",
                        m->fields[ud->fields[k]].name);
                return false;
            }
            cond_begin(q, &c);
            q_sql_col(q, m, &m->fields[ud->fields[k]], qualified);
            q_sql(q, " = ");
            q_param(q, vals[k]);
        }
        if (used && !*used)
            *used = ud;
        any = true;
    }
    if (!any) {
        char names[256] = "";
        size_t o = 0;
        for (unsigned i = 0; i < m->n_uniques && o < sizeof names - 40; i++)
            o += (size_t)snprintf(names + o, sizeof names - o, "%s`%s`", i ? (i + 1 == m->n_uniques ? " or " : ", ") : "",
                                  m->uniques[i].name);
        err_set(&q->err, "P2009",
                "Failed to validate the query: Argument `where` of type %sWhereUniqueInput needs at least one of %s "
                "arguments.",
                m->name, names);
        return false;
    }
    return true;
}

/* ---- statements ---- */

static uint64_t hash_key(const uint8_t *k, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= k[i];
        h *= 1099511628211ull;
    }
    return h;
}

static stmt_entry *cache_find(prisma_conn *c, uint64_t h, const uint8_t *key, size_t n)
{
    if (!c->cache_cap)
        return NULL;
    size_t mask = c->cache_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        stmt_entry *e = &c->cache[i];
        if (!e->key)
            return NULL;
        if (e->hash == h && e->key_len == n && memcmp(e->key, key, n) == 0)
            return e;
    }
}

static stmt_entry *cache_insert(prisma_conn *c, uint64_t h, const uint8_t *key, size_t n, void *stmt,
                                const char *sql)
{
    enum { CACHE_LIMIT = 1024 };
    if (c->cache_len + 1 > c->cache_cap / 2) {
        if (c->cache_len >= CACHE_LIMIT) {
            /* Too many shapes: start over rather than grow without bound. */
            conn_cache_clear(c);
        }
        size_t cap = c->cache_cap ? c->cache_cap * 2 : 64;
        stmt_entry *old = c->cache;
        size_t old_cap = c->cache_cap;
        stmt_entry *t = calloc(cap, sizeof *t);
        if (!t)
            return NULL;
        c->cache = t;
        c->cache_cap = cap;
        for (size_t i = 0; i < old_cap; i++) {
            if (!old[i].key)
                continue;
            size_t j = old[i].hash & (cap - 1);
            while (t[j].key)
                j = (j + 1) & (cap - 1);
            t[j] = old[i];
        }
        free(old);
    }
    uint8_t *k = malloc(n ? n : 1);
    char *text = strdup(sql ? sql : "");
    if (!k || !text) {
        free(k);
        free(text);
        return NULL;
    }
    memcpy(k, key, n);
    size_t j = h & (c->cache_cap - 1);
    while (c->cache[j].key)
        j = (j + 1) & (c->cache_cap - 1);
    c->cache[j] = (stmt_entry){ .hash = h, .key = k, .key_len = n, .stmt = stmt, .sql = text };
    c->cache_len++;
    return &c->cache[j];
}


/* Builds a statement's shape and values, and finds (or prepares, once per
 * shape and connection) its prepared statement. */
static int prepare_shape(query *q, build_fn build, void *ctx, void **stmt)
{
    q_reset(q, false);
    if (!build(q, ctx))
        return PRISMA_ERROR;
    if (q->oom) {
        err_set(&q->err, "P1000", "out of memory");
        return PRISMA_ERROR;
    }
    uint64_t h = hash_key(q->key, q->key_len);
    stmt_entry *e = cache_find(q->conn, h, q->key, q->key_len);
    if (!e) {
        /* A miss: the same walk again, this time writing the SQL. */
        size_t key_len = q->key_len;
        q_reset(q, true);
        if (!build(q, ctx))
            return PRISMA_ERROR;
        if (q->oom || q->sql.oom || q->key_len != key_len) {
            err_set(&q->err, "P1000", q->key_len != key_len ? "internal error: unstable query shape" : "out of memory");
            return PRISMA_ERROR;
        }
        void *st;
        if (q->drv->prepare(q->conn, q->sql.data, (int)q->n_params, &st, &q->err) != PRISMA_OK)
            return PRISMA_ERROR;
        e = cache_insert(q->conn, h, q->key, q->key_len, st, q->sql.data);
        if (!e) {
            q->drv->finalize(q->conn, st);
            err_set(&q->err, "P1000", "out of memory");
            return PRISMA_ERROR;
        }
    }
    *stmt = e->stmt;
    sh_trace(q->db->sh, e->sql);
    return PRISMA_OK;
}

/* Builds, prepares (once per shape and connection) and runs a statement. */
int q_run(query *q, build_fn build, void *ctx, prisma_rows **rows)
{
    void *stmt;
    if (prepare_shape(q, build, ctx, &stmt) != PRISMA_OK)
        return PRISMA_ERROR;
    if (q->drv->execute(q->conn, stmt, q->params, q->n_params, rows, &q->err) == PRISMA_OK)
        return PRISMA_OK;
    /* The database refused this statement: in a nested write, the error
     * belongs to the nested model (Prisma's meta.modelName). */
    if (q->stmt_model && !q->err.model)
        q->err.model = q->stmt_model->name;
    return PRISMA_ERROR;
}

/* ---- decoding ---- */

void q_select_columns(query *q, const prisma_model_desc *m, bool qualified)
{
    for (unsigned i = 0; i < m->n_fields; i++) {
        if (i)
            q_sql(q, ", ");
        q_sql_col(q, m, &m->fields[i], qualified);
    }
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
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
 * The row's strings are copied at the end, into one allocation: the driver's
 * pointers stay valid while other columns are read (SQLite converts only the
 * column asked for; libpq's values live until PQclear). */
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
    const prisma_driver *d = q->drv;
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
                const char *b = d->col_blob(r, col, &len);
                uint8_t *copy;
                if (q->pg && len >= 2 && b[0] == '\\' && b[1] == 'x') {
                    size_t n = (len - 2) / 2;
                    copy = result_alloc(a, n + 1);
                    if (!copy)
                        return false;
                    for (size_t k = 0; k < n; k++)
                        copy[k] = (uint8_t)(hexval(b[2 + 2 * k]) << 4 | hexval(b[3 + 2 * k]));
                    len = n;
                } else {
                    copy = result_alloc(a, len + 1);
                    if (!copy)
                        return false;
                    if (len)
                        memcpy(copy, b, len);
                }
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
                    err_set(&q->err, "P2020", "Value out of range for the type. The value %lld of `%s.%s` does not fit in an Int (32 bits).",
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
                if (!null) {
                    size_t len;
                    if (q->pg) {
                        const char *t = d->col_text(r, col, &len);
                        if (prisma_parse_datetime(t, len, &v) != 0)
                            v = 0;
                    } else {
                        /* SQLite: ms as an integer, or text written by something else. */
                        const char *t = d->col_text(r, col, &len);
                        if (prisma_parse_datetime(t, len, &v) != 0)
                            v = d->col_int(r, col);
                    }
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

/* ---- includes ---- */


typedef struct include_ctx {
    const prisma_model_desc *m;      /* the parent model */
    const prisma_relation_desc *rel;
    const prisma_model_desc *t;      /* the target model */
    void *recs;
    size_t from, n;                  /* a chunk of parents */
} include_ctx;

/* The value of field `fi` of record `rec` as a bind value (NULL when null). */
prisma_value q_rec_value(const prisma_model_desc *m, unsigned fi, const void *rec)
{
    const prisma_field_desc *f = &m->fields[fi];
    const char *p = (const char *)rec + f->rec_off;
    bool opt = f->flags & PRISMA_F_OPTIONAL;
    const void *vp = p;
    if (opt && f->type != PRISMA_TYPE_STRING && f->type != PRISMA_TYPE_DECIMAL && f->type != PRISMA_TYPE_JSON &&
        f->type != PRISMA_TYPE_ENUM) {
        memcpy(&vp, p, sizeof vp);
        if (!vp)
            return v_null();
    }
    switch (f->type) {
    case PRISMA_TYPE_INT: { int32_t x; memcpy(&x, vp, sizeof x); return v_int(x); }
    case PRISMA_TYPE_BIGINT: { int64_t x; memcpy(&x, vp, sizeof x); return v_int(x); }
    case PRISMA_TYPE_DATETIME: { int64_t x; memcpy(&x, vp, sizeof x); return (prisma_value){ .kind = V_DATETIME, .i = x }; }
    case PRISMA_TYPE_FLOAT: { double x; memcpy(&x, vp, sizeof x); return v_double(x); }
    case PRISMA_TYPE_BOOLEAN: { bool x; memcpy(&x, vp, sizeof x); return v_bool(x); }
    case PRISMA_TYPE_ENUM: {
        int e;
        memcpy(&e, p, sizeof e);
        return e > 0 ? v_text(f->enum_desc->values[e - 1]) : v_null();
    }
    case PRISMA_TYPE_BYTES: {
        prisma_bytes_value bv;
        memcpy(&bv, vp, sizeof bv);
        return (prisma_value){ .kind = V_BLOB, .s = (const char *)bv.data, .len = bv.len };
    }
    default: {
        const char *s;
        memcpy(&s, p, sizeof s);
        return s ? v_text(s) : v_null();
    }
    }
}

bool q_values_equal(prisma_value a, prisma_value b)
{
    if (a.kind == V_NULL || b.kind == V_NULL)
        return false;
    switch (a.kind) {
    case V_TEXT:
    case V_BLOB: return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
    case V_DOUBLE: return a.d == b.d;
    default: return a.i == b.i;
    }
}

/* The parent's key columns (references of a back relation, fields of a
 * forward one) and the matching target columns. */
static void include_keys(const include_ctx *ic, const uint16_t **parent_cols, const uint16_t **target_cols)
{
    if (ic->rel->kind == PRISMA_REL_TO_ONE_FK) {
        *parent_cols = ic->rel->fields;
        *target_cols = ic->rel->references;
    } else {
        *parent_cols = ic->rel->references;
        *target_cols = ic->rel->fields;
    }
}

static bool build_include(query *q, void *vctx)
{
    include_ctx *ic = vctx;
    const prisma_relation_desc *rel = ic->rel;
    size_t rec_size = ic->m->rec_size;
    q_key_u8(q, K_INCLUDE);
    q_key_u32(q, ic->m->index);
    q_key_u32(q, (uint32_t)(rel - ic->m->relations));
    q_key_u32(q, (uint32_t)ic->n);
    q_sql(q, "SELECT ");
    q_select_columns(q, ic->t, true);
    if (rel->kind == PRISMA_REL_MANY_TO_MANY) {
        const char *self_col = rel->join_self_is_a ? "A" : "B", *other_col = rel->join_self_is_a ? "B" : "A";
        q_sql(q, ", j.");
        q_sql_ident(q, self_col);
        q_sql(q, " FROM ");
        q_sql_table(q, ic->t);
        q_sql(q, " JOIN ");
        if (q->emit && ic->m->schema && q->pg) {
            sb_ident(&q->sql, ic->m->schema);
            sb_putc(&q->sql, '.');
        }
        q_sql_ident(q, rel->join_table);
        q_sql(q, " AS j ON j.");
        q_sql_ident(q, other_col);
        q_sql(q, " = ");
        /* The target's primary key (single column: implicit m-n needs an @id). */
        q_sql_col(q, ic->t, &ic->t->fields[ic->t->uniques[0].fields[0]], true);
        q_sql(q, " WHERE j.");
        q_sql_ident(q, self_col);
        q_sql(q, " IN (");
        unsigned pk = ic->m->uniques[0].fields[0];
        for (size_t i = 0; i < ic->n; i++) {
            if (i)
                q_sql(q, ", ");
            q_param(q, q_rec_value(ic->m, pk, (const char *)ic->recs + (ic->from + i) * rec_size));
        }
        q_sql(q, ")");
        return true;
    }
    const uint16_t *pcols, *tcols;
    include_keys(ic, &pcols, &tcols);
    q_sql(q, " FROM ");
    q_sql_table(q, ic->t);
    q_sql(q, " WHERE ");
    if (rel->n_fields == 1) {
        q_sql_col(q, ic->t, &ic->t->fields[tcols[0]], true);
        q_sql(q, " IN (");
        for (size_t i = 0; i < ic->n; i++) {
            if (i)
                q_sql(q, ", ");
            q_param(q, q_rec_value(ic->m, pcols[0], (const char *)ic->recs + (ic->from + i) * rec_size));
        }
        q_sql(q, ")");
    } else {
        q_sql(q, "(");
        for (size_t i = 0; i < ic->n; i++) {
            q_sql(q, i ? " OR (" : "(");
            for (unsigned k = 0; k < rel->n_fields; k++) {
                if (k)
                    q_sql(q, " AND ");
                q_sql_col(q, ic->t, &ic->t->fields[tcols[k]], true);
                q_sql(q, " = ");
                q_param(q, q_rec_value(ic->m, pcols[k], (const char *)ic->recs + (ic->from + i) * rec_size));
            }
            q_sql(q, ")");
        }
        q_sql(q, ")");
    }
    return true;
}

/* Rows per include statement: well within both databases' parameter limits. */
enum { INCLUDE_CHUNK = 500 };

static int load_relation(query *q, const prisma_model_desc *m, const prisma_relation_desc *rel, void *recs, size_t n,
                         result_arena *a)
{
    const prisma_model_desc *t = rel->target;
    bool to_many = rel->kind == PRISMA_REL_TO_MANY || rel->kind == PRISMA_REL_MANY_TO_MANY;
    /* Per parent: its list (to-many) or record pointer (to-one), filled as rows arrive. */
    rec_list *lists = NULL;
    size_t *caps = NULL;
    if (to_many) {
        lists = calloc(n ? n : 1, sizeof *lists);
        caps = calloc(n ? n : 1, sizeof *caps);
        if (!lists || !caps) {
            free(lists);
            free(caps);
            err_set(&q->err, "P1000", "out of memory");
            return PRISMA_ERROR;
        }
    }
    int rc = PRISMA_OK;
    for (size_t from = 0; from < n && rc == PRISMA_OK; from += INCLUDE_CHUNK) {
        include_ctx ic = { m, rel, t, recs, from, n - from < INCLUDE_CHUNK ? n - from : INCLUDE_CHUNK };
        prisma_rows *rows;
        if (q_run(q, build_include, &ic, &rows) != PRISMA_OK) {
            rc = PRISMA_ERROR;
            break;
        }
        const uint16_t *pcols, *tcols;
        include_keys(&ic, &pcols, &tcols);
        void *tmp = malloc(t->rec_size);
        if (!tmp) {
            q->drv->done(rows);
            err_set(&q->err, "P1000", "out of memory");
            rc = PRISMA_ERROR;
            break;
        }
        int st;
        while ((st = q->drv->next(rows, &q->err)) == 1) {
            memset(tmp, 0, t->rec_size);
            if (!q_decode_row(q, t, rows, 0, tmp, a)) {
                st = -2;
                break;
            }
            for (size_t i = from; i < from + ic.n; i++) {
                void *parent = (char *)recs + i * m->rec_size;
                bool match = true;
                if (rel->kind == PRISMA_REL_MANY_TO_MANY) {
                    unsigned pk = m->uniques[0].fields[0];
                    prisma_value pv = q_rec_value(m, pk, parent);
                    /* The join column comes after the target's fields. */
                    const prisma_field_desc *pf = &m->fields[pk];
                    prisma_value jv;
                    if (pf->type == PRISMA_TYPE_STRING || pf->type == PRISMA_TYPE_DECIMAL || pf->type == PRISMA_TYPE_JSON) {
                        size_t len;
                        const char *s = q->drv->col_text(rows, t->n_fields, &len);
                        jv = (prisma_value){ .kind = V_TEXT, .s = s, .len = len };
                    } else {
                        jv = v_int(q->drv->col_int(rows, t->n_fields));
                        if (pv.kind == V_DATETIME)
                            jv.kind = V_DATETIME;
                    }
                    if (pv.kind == V_TEXT)
                        pv.len = strlen(pv.s);
                    match = q_values_equal(pv, jv);
                } else {
                    for (unsigned k = 0; k < rel->n_fields && match; k++)
                        match = q_values_equal(q_rec_value(m, pcols[k], parent), q_rec_value(t, tcols[k], tmp));
                }
                if (!match)
                    continue;
                if (to_many) {
                    void *slot;
                    if (!q_list_push(a, &lists[i], &caps[i], t->rec_size, &slot)) {
                        st = -2;
                        break;
                    }
                    memcpy(slot, tmp, t->rec_size);
                } else {
                    void *copy = result_alloc(a, t->rec_size);
                    if (!copy) {
                        st = -2;
                        break;
                    }
                    memcpy(copy, tmp, t->rec_size);
                    memcpy((char *)parent + rel->rec_off, &copy, sizeof copy);
                }
                if (rel->kind == PRISMA_REL_TO_ONE_BACK)
                    break; /* 1-1: this row belongs to one parent */
            }
            if (st == -2)
                break;
        }
        free(tmp);
        q->drv->done(rows);
        if (st < 0) {
            if (st == -2 && !q->err.code[0])
                err_set(&q->err, "P1000", "out of memory");
            rc = PRISMA_ERROR;
        }
    }
    if (to_many && rc == PRISMA_OK) {
        for (size_t i = 0; i < n; i++) {
            rec_list *l = result_alloc(a, sizeof *l);
            if (!l) {
                err_set(&q->err, "P1000", "out of memory");
                rc = PRISMA_ERROR;
                break;
            }
            *l = lists[i];
            memcpy((char *)recs + i * m->rec_size + rel->rec_off, &l, sizeof l);
        }
    }
    free(lists);
    free(caps);
    return rc;
}

int q_load_includes(query *q, const prisma_model_desc *m, void *recs, size_t n, const void *include,
                         result_arena *a)
{
    if (!include || n == 0)
        return PRISMA_OK;
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *rel = &m->relations[i];
        bool want;
        memcpy(&want, (const char *)include + rel->include_off, sizeof want);
        if (want && load_relation(q, m, rel, recs, n, a) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* Reads at most one row into a new single-record result. */
int q_fetch_one(query *q, const prisma_model_desc *m, prisma_rows *rows, void **out)
{
    *out = NULL;
    int st = q->drv->next(rows, &q->err);
    if (st <= 0) {
        q->drv->done(rows);
        return st < 0 ? PRISMA_ERROR : PRISMA_OK;
    }
    /* One block for the record and, usually, everything it points to: room
     * after it for its strings and optional values (more goes to a further
     * block). The guess used to be part of the root itself, which left no
     * room: every string went to a new 8 KiB block. */
    void *rec;
    result_arena *a = result_new_room(m->rec_size, 64 + 32 * (size_t)m->n_fields, &rec);
    if (!a) {
        q->drv->done(rows);
        err_set(&q->err, "P1000", "out of memory");
        return PRISMA_ERROR;
    }
    bool ok = q_decode_row(q, m, rows, 0, rec, a);
    /* Drain: the statement may still have rows (RETURNING); they are not ours. */
    q->drv->done(rows);
    if (!ok) {
        result_free_root(rec);
        if (!q->err.code[0])
            err_set(&q->err, "P1000", "out of memory");
        return PRISMA_ERROR;
    }
    *out = rec;
    return PRISMA_OK;
}

/* Reads every row into a new list result; `expect` (the take) sizes it. */
int q_fetch_list(query *q, const prisma_model_desc *m, prisma_rows *rows, size_t expect, void **out)
{
    *out = NULL;
    rec_list *list;
    result_arena *a = result_new(sizeof *list, (void **)&list);
    if (!a) {
        q->drv->done(rows);
        err_set(&q->err, "P1000", "out of memory");
        return PRISMA_ERROR;
    }
    size_t cap = 0;
    if (expect > 0 && expect <= 4096) {
        list->items = malloc(expect * m->rec_size);
        if (list->items && result_own(a, list->items) == 0) {
            cap = expect;
        } else {
            free(list->items);
            list->items = NULL;
        }
    }
    int st;
    while ((st = q->drv->next(rows, &q->err)) == 1) {
        void *slot;
        if (!q_list_push(a, list, &cap, m->rec_size, &slot) || !q_decode_row(q, m, rows, 0, slot, a)) {
            st = -2;
            break;
        }
    }
    q->drv->done(rows);
    if (st < 0) {
        if (st == -2 && !q->err.code[0])
            err_set(&q->err, "P1000", "out of memory");
        result_free_root(list);
        return PRISMA_ERROR;
    }
    *out = list;
    return PRISMA_OK;
}

/* ---- operation plumbing ---- */

/* Starts an operation: a connection and a clean error. */
static int op_begin(query *q, prisma_client *db, const prisma_model_desc *m)
{
    q_init(q, db);
    q->op_model = m;
    if (client_acquire(db, &q->conn, &q->err) != PRISMA_OK)
        return PRISMA_ERROR;
    return PRISMA_OK;
}

/* Ends it: gives the connection back and records the outcome on the handle. */
static int op_end(query *q, int rc)
{
    if (q->conn)
        client_release(q->db, q->conn);
    if (rc == PRISMA_OK) {
        client_clear_error(q->db);
    } else {
        if (!q->err.model && q->op_model)
            q->err.model = q->op_model->name;
        client_set_error(q->db, &q->err);
    }
    q_free(q);
    return rc;
}

/* Runs `fn` atomically on the operation's connection: in BEGIN/COMMIT, or
 * in a savepoint when a transaction is already open there. */
int q_in_transaction(query *q, int (*fn)(query *q, void *ctx), void *ctx)
{
    bool nested = q->db->is_tx;
    const char *begin = nested ? "SAVEPOINT prisma_op" : q->pg ? "BEGIN" : "BEGIN IMMEDIATE";
    if (sh_exec(q->db->sh, q->conn, begin, &q->err) != PRISMA_OK)
        return PRISMA_ERROR;
    int rc = fn(q, ctx);
    if (rc == PRISMA_OK && sh_exec(q->db->sh, q->conn, nested ? "RELEASE SAVEPOINT prisma_op" : "COMMIT", &q->err) == PRISMA_OK)
        return PRISMA_OK;
    prisma_err keep = q->err;
    prisma_err ignored;
    if (nested) {
        sh_exec(q->db->sh, q->conn, q->pg ? "ROLLBACK TO SAVEPOINT prisma_op" : "ROLLBACK TO prisma_op", &ignored);
        sh_exec(q->db->sh, q->conn, "RELEASE SAVEPOINT prisma_op", &ignored);
    } else {
        sh_exec(q->db->sh, q->conn, "ROLLBACK", &ignored);
    }
    q->err = keep;
    return PRISMA_ERROR;
}

static bool check_args(prisma_client *db, const prisma_model_desc *m, prisma_err *err)
{
    if (!db) {
        err_set(err, "P2009", "the client is NULL");
        return false;
    }
    if (!m) {
        err_set(err, "P2009", "the model descriptor is NULL");
        return false;
    }
    return true;
}

#define OP_PROLOGUE(db, m)                                 \
    query q_;                                              \
    query *q = &q_;                                        \
    if (!db)                                               \
        return PRISMA_ERROR;                               \
    if (!check_args(db, m, &q_.err)) {                     \
        client_set_error(db, &q_.err);                     \
        return PRISMA_ERROR;                               \
    }                                                      \
    if (op_begin(q, db, m) != PRISMA_OK)                   \
        return op_end(q, PRISMA_ERROR)

/* ---- find ---- */


/* ORDER BY from the args' array, reversed for a negative take. Returns
 * whether anything was written. */
static bool order_by(query *q, const find_ctx *fc, bool with_pk)
{
    const prisma_model_desc *m = fc->m;
    bool any = false;
    bool used_pk = false;
    for (size_t i = 0; fc->args && i < fc->args->order_by_len; i++) {
        const char *ob = (const char *)fc->args->order_by + i * m->order_size;
        for (unsigned k = 0; k < m->n_fields; k++) {
            const prisma_field_desc *f = &m->fields[k];
            if (f->order_off == PRISMA_NO_OFFSET)
                continue;
            prisma_sort s;
            memcpy(&s, ob + f->order_off, sizeof s);
            if (s == PRISMA_SORT_NONE)
                continue;
            bool desc = (s == PRISMA_DESC) != fc->reverse;
            q_key_u32(q, k);
            q_key_u8(q, desc);
            q_sql(q, any ? ", " : " ORDER BY ");
            q_sql_col(q, m, f, false);
            q_sql(q, desc ? " DESC" : " ASC");
            if (m->n_uniques && m->uniques[0].n_fields == 1 && m->uniques[0].fields[0] == k)
                used_pk = true;
            any = true;
        }
    }
    if (with_pk && !used_pk && m->n_uniques) {
        /* Cursors and negative takes need a total order: the primary key breaks ties. */
        const prisma_unique_desc *pk = &m->uniques[0];
        for (unsigned k = 0; k < pk->n_fields; k++) {
            q_key_u8(q, 'p');
            q_sql(q, any ? ", " : " ORDER BY ");
            q_sql_col(q, m, &m->fields[pk->fields[k]], false);
            q_sql(q, fc->reverse ? " DESC" : " ASC");
            any = true;
        }
    }
    return any;
}

/* The cursor: rows at or after the cursor row in the ordering. */
static bool cursor_cond(query *q, const find_ctx *fc)
{
    const prisma_model_desc *m = fc->m;
    /* The ordering columns, then the primary key. */
    unsigned cols[64];
    bool desc[64];
    size_t n = 0;
    for (size_t i = 0; i < fc->args->order_by_len && n < 60; i++) {
        const char *ob = (const char *)fc->args->order_by + i * m->order_size;
        for (unsigned k = 0; k < m->n_fields && n < 60; k++) {
            const prisma_field_desc *f = &m->fields[k];
            if (f->order_off == PRISMA_NO_OFFSET)
                continue;
            prisma_sort s;
            memcpy(&s, ob + f->order_off, sizeof s);
            if (s == PRISMA_SORT_NONE)
                continue;
            cols[n] = k;
            desc[n++] = (s == PRISMA_DESC) != fc->reverse;
        }
    }
    if (m->n_uniques)
        for (unsigned k = 0; k < m->uniques[0].n_fields && n < 64; k++) {
            cols[n] = m->uniques[0].fields[k];
            desc[n++] = fc->reverse;
        }
    /* (c1 > v1) OR (c1 = v1 AND c2 > v2) OR ... OR (all equal), where vi is
     * the cursor row's value, read by a subquery. */
    q_sql(q, "(");
    for (size_t i = 0; i <= n; i++) {
        if (i)
            q_sql(q, " OR ");
        q_sql(q, "(");
        for (size_t k = 0; k < i && k < n; k++) {
            if (k)
                q_sql(q, " AND ");
            q_sql_col(q, m, &m->fields[cols[k]], true);
            q_sql(q, " = (SELECT ");
            q_sql_col(q, m, &m->fields[cols[k]], false);
            q_sql(q, " FROM ");
            q_sql_table(q, m);
            q_sql(q, " WHERE ");
            if (!q_unique_walk(q, m, fc->args->cursor, false, NULL))
                return false;
            q_sql(q, ")");
        }
        if (i < n) {
            if (i)
                q_sql(q, " AND ");
            q_sql_col(q, m, &m->fields[cols[i]], true);
            q_sql(q, desc[i] ? " < " : " > ");
            q_sql(q, "(SELECT ");
            q_sql_col(q, m, &m->fields[cols[i]], false);
            q_sql(q, " FROM ");
            q_sql_table(q, m);
            q_sql(q, " WHERE ");
            if (!q_unique_walk(q, m, fc->args->cursor, false, NULL))
                return false;
            q_sql(q, ")");
        } else if (n == 0) {
            q_sql(q, "1=1");
        }
        q_sql(q, ")");
    }
    q_sql(q, ")");
    return true;
}

/* A row read in order to be written keeps other writers out until the
 * transaction ends, as an UPDATE would (read-then-write without a race).
 * The statement's kind byte (K_FIND_LOCKED) tells its shape apart. */
static void lock_clause(query *q, const find_ctx *fc)
{
    if (fc->lock)
        q_sql(q, " FOR NO KEY UPDATE");
}

bool q_build_find(query *q, void *vctx)
{
    find_ctx *fc = vctx;
    const prisma_model_desc *m = fc->m;
    q_key_u8(q, fc->count ? K_COUNT : fc->lock ? K_FIND_LOCKED : K_FIND);
    q_key_u32(q, m->index);
    q_sql(q, fc->count ? "SELECT COUNT(*) FROM " : "SELECT ");
    if (!fc->count) {
        q_select_columns(q, m, false);
        q_sql(q, " FROM ");
    }
    q_sql_table(q, m);
    q_sql(q, " WHERE ");
    if (fc->scope) {
        nw_scope_sql(q, fc->scope);
        q_sql(q, " AND ");
    }
    if (fc->where_unique) {
        q_key_u8(q, 'U');
        if (!q_unique_walk(q, m, fc->where_unique, true, NULL))
            return false;
        q_sql(q, " LIMIT 1");
        lock_clause(q, fc);
        return true;
    }
    const prisma_find_args *args = fc->args;
    if (!q_where_walk(q, m, args ? args->where : NULL, true))
        return false;
    bool cursor = args && args->cursor;
    if (cursor) {
        q_key_u8(q, 'C');
        q_sql(q, " AND ");
        if (!cursor_cond(q, fc))
            return false;
    }
    if (fc->count)
        return true;
    order_by(q, fc, cursor || fc->reverse);
    bool has_take = fc->take > 0, has_skip = args && args->skip > 0;
    q_key_u8(q, (unsigned)has_take | (unsigned)has_skip << 1);
    if (has_take) {
        /* Current SQLite (3.53) reads a bound `LIMIT ?` while planning, so
         * binding it again (every run) expires the statement and the next
         * step re-prepares it. Under a unary plus the value is read when the
         * statement runs, as SQLite 3.40 does: same rows, no re-prepare.
         * (PostgreSQL plans `LIMIT $n` once and has no unary plus for an
         * untyped parameter.) */
        q_sql(q, q->pg ? " LIMIT " : " LIMIT +");
        q_param(q, v_int(fc->take));
    } else if (has_skip && !q->pg) {
        q_sql(q, " LIMIT -1");
    }
    if (has_skip) {
        q_sql(q, " OFFSET ");
        q_param(q, v_int(args->skip));
    }
    lock_clause(q, fc);
    return true;
}

static int find_list(query *q, const prisma_model_desc *m, const prisma_find_args *args, int64_t take_override,
                     void **out)
{
    find_ctx fc = { .m = m, .args = args };
    if (args && args->skip < 0) {
        err_set(&q->err, "P2009", "Failed to validate the query: `skip` must not be negative.");
        return PRISMA_ERROR;
    }
    int64_t take = args ? args->take : 0;
    if (take_override)
        take = take_override;
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
            err_set(&q->err, "P1000", "out of memory");
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
    if (!out)
        return op_end(q, PRISMA_OK);
    *out = NULL;
    return op_end(q, find_list(q, m, args, 0, out));
}


/* A find by one single-field unique criterion (the id, an @unique field):
 * its shape key is the eight bytes q_build_find records for it, written here
 * at once, and its one value is read straight from the input, instead of the
 * generic walk over the input on every call. Returns 1 when the statement ran
 * (*rows), 0 when the generic path must run it (another kind of criterion,
 * anything invalid, the shape's first run), -1 when the driver failed. */
static int find_unique_fast(query *q, const find_ctx *fc, prisma_rows **rows)
{
    const prisma_model_desc *m = fc->m;
    if (fc->scope || fc->lock || fc->count || m->n_uniques > 255)
        return 0;
    int which = -1;
    prisma_value v = v_null();
    for (unsigned i = 0; i < m->n_uniques; i++) {
        const prisma_unique_desc *ud = &m->uniques[i];
        for (unsigned k = 0; k < ud->n_fields; k++) {
            prisma_value got;
            int r = q_read_create_value(q, &m->fields[ud->fields[k]], (const char *)fc->where_unique + ud->member_offs[k],
                                        &got);
            if (r == 0)
                continue;
            /* A second criterion, a compound one, a null or an invalid value:
             * the generic walk keys it (or reports it). */
            if (r < 0 || which >= 0 || ud->n_fields != 1 || got.kind == V_NULL) {
                err_clear(&q->err);
                return 0;
            }
            which = (int)i;
            v = got;
        }
    }
    if (which < 0)
        return 0;
    /* As q_build_find records it: kind, model, 'U', then q_unique_walk's 'u', index. */
    uint8_t key[8];
    uint32_t index = m->index;
    key[0] = K_FIND;
    memcpy(key + 1, &index, sizeof index);
    key[5] = 'U';
    key[6] = 'u';
    key[7] = (uint8_t)which;
    uint64_t h = hash_key(key, sizeof key);
    stmt_entry *e = cache_find(q->conn, h, key, sizeof key);
    if (!e)
        return 0;
    q_reset(q, false);
    q->stmt_model = m;
    q_param(q, v);
    sh_trace(q->db->sh, e->sql);
    if (q->drv->execute(q->conn, e->stmt, q->params, q->n_params, rows, &q->err) == PRISMA_OK)
        return 1;
    if (!q->err.model)
        q->err.model = m->name;
    return -1;
}

/* A single record: fetched into its own result, then its includes. */
static int find_one(query *q, const prisma_model_desc *m, find_ctx *fc, const void *include, void **out)
{
    prisma_rows *rows;
    int fast = fc->where_unique ? find_unique_fast(q, fc, &rows) : 0;
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

int q_not_found(query *q, const char *cause)
{
    err_set(&q->err, "P2025",
            "An operation failed because it depends on one or more records that were required but not found. %s",
            cause);
    return PRISMA_ERROR;
}

/* Gives the record to the caller, or frees it when they did not ask. */
void q_hand_out(void *rec, void **out)
{
    if (out)
        *out = rec;
    else
        result_free_root(rec);
}

int prisma_op_find_first(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, bool or_throw,
                         void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    find_ctx fc = { .m = m, .args = args, .take = 1 };
    if (args && args->take < 0)
        fc.reverse = true;
    if (args && args->skip < 0)
        return op_end(q, (err_set(&q->err, "P2009", "Failed to validate the query: `skip` must not be negative."),
                          PRISMA_ERROR));
    void *rec = NULL;
    int rc = find_one(q, m, &fc, args ? args->include : NULL, &rec);
    if (rc == PRISMA_OK && !rec && or_throw)
        rc = q_not_found(q, "No record was found for a query.");
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    return op_end(q, rc);
}

int prisma_op_find_unique(prisma_client *db, const prisma_model_desc *m, const void *where_unique,
                          const void *include, bool or_throw, void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (!where_unique)
        return op_end(q, (err_set(&q->err, "P2009", "Failed to validate the query: Argument `where` is missing."),
                          PRISMA_ERROR));
    find_ctx fc = { .m = m, .where_unique = where_unique };
    void *rec = NULL;
    int rc = find_one(q, m, &fc, include, &rec);
    if (rc == PRISMA_OK && !rec && or_throw)
        rc = q_not_found(q, "No record was found for a query.");
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    return op_end(q, rc);
}

int prisma_op_count(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args, int64_t *out)
{
    OP_PROLOGUE(db, m);
    find_ctx fc = { .m = m, .args = args, .count = true };
    prisma_rows *rows;
    int rc = q_run(q, q_build_find, &fc, &rows);
    if (rc == PRISMA_OK) {
        int st = q->drv->next(rows, &q->err);
        int64_t n = st == 1 ? q->drv->col_int(rows, 0) : 0;
        q->drv->done(rows);
        if (st < 0)
            rc = PRISMA_ERROR;
        else if (out)
            *out = n;
    }
    return op_end(q, rc);
}

/* ---- create ---- */


/* The values of one create input, with the client-side defaults filled in.
 * given[i] says whether field i gets a column. */
bool q_create_values(query *q, const prisma_model_desc *m, const void *data, prisma_value *vals, bool *given)
{
    if (m->n_fields > MAX_FIELDS) {
        err_set(&q->err, "P2009", "Model %s has more than %d fields.", m->name, MAX_FIELDS);
        return false;
    }
    int64_t now = 0;
    for (unsigned i = 0; i < m->n_fields; i++) {
        const prisma_field_desc *f = &m->fields[i];
        given[i] = false;
        if (f->create_off != PRISMA_NO_OFFSET) {
            int r = q_read_create_value(q, f, (const char *)data + f->create_off, &vals[i]);
            if (r < 0)
                return false;
            if (r == 1) {
                given[i] = true;
                continue;
            }
        }
        if ((f->flags & PRISMA_F_UPDATED_AT) || f->default_kind == PRISMA_DEFAULT_NOW) {
            if (!now)
                now = prisma_now_ms();
            vals[i] = (prisma_value){ .kind = V_DATETIME, .i = now };
            given[i] = true;
            continue;
        }
        char *id = NULL;
        switch (f->default_kind) {
        case PRISMA_DEFAULT_UUID4:
            if ((id = q_temp(q, 37)))
                prisma_gen_uuid4(id);
            break;
        case PRISMA_DEFAULT_UUID7:
            if ((id = q_temp(q, 37)))
                prisma_gen_uuid7(id);
            break;
        case PRISMA_DEFAULT_CUID:
            if ((id = q_temp(q, 32)))
                prisma_gen_cuid(id);
            break;
        case PRISMA_DEFAULT_CUID2:
            if ((id = q_temp(q, 32)))
                prisma_gen_cuid2(id);
            break;
        case PRISMA_DEFAULT_NANOID: {
            int len = f->default_arg ? f->default_arg : 21;
            if ((id = q_temp(q, (size_t)len + 1)))
                prisma_gen_nanoid(id, len);
            break;
        }
        case PRISMA_DEFAULT_ULID:
            if ((id = q_temp(q, 27)))
                prisma_gen_ulid(id);
            break;
        default:
            continue; /* the database's default, or NULL */
        }
        if (!id)
            return false;
        vals[i] = v_text(id);
        given[i] = true;
    }
    return true;
}



bool q_build_insert(query *q, void *vctx)
{
    create_ctx *cc = vctx;
    const prisma_model_desc *m = cc->m;
    q_key_u8(q, cc->conflict ? K_UPSERT : cc->n_rows > 1 || cc->skip_duplicates ? K_CREATE_MANY : K_CREATE);
    q_key_u32(q, m->index);
    q_key_u32(q, (uint32_t)cc->n_rows);
    q_key_u8(q, (unsigned)cc->returning | (unsigned)cc->skip_duplicates << 1);
    q_sql(q, "INSERT INTO ");
    q_sql_table(q, m);
    unsigned ncols = 0;
    for (unsigned i = 0; i < m->n_fields; i++) {
        q_key_u8(q, cc->given[i]);
        if (!cc->given[i])
            continue;
        q_sql(q, ncols ? ", " : " (");
        q_sql_col(q, m, &m->fields[i], false);
        ncols++;
    }
    if (ncols == 0) {
        q_sql(q, " DEFAULT VALUES");
    } else {
        q_sql(q, ") VALUES ");
        for (size_t r = 0; r < cc->n_rows; r++) {
            q_sql(q, r ? ", (" : "(");
            unsigned k = 0;
            for (unsigned i = 0; i < m->n_fields; i++) {
                if (!cc->given[i])
                    continue;
                if (k++)
                    q_sql(q, ", ");
                q_param(q, cc->vals[r * m->n_fields + i]);
            }
            q_sql(q, ")");
        }
    }
    if (cc->skip_duplicates)
        q_sql(q, " ON CONFLICT DO NOTHING");
    if (cc->conflict) {
        q_key_u8(q, 'c');
        q_key_u32(q, (uint32_t)(cc->conflict - m->uniques));
        q_key_u8(q, cc->conflict_nothing);
        q_sql(q, " ON CONFLICT (");
        for (unsigned k = 0; k < cc->conflict->n_fields; k++) {
            if (k)
                q_sql(q, ", ");
            q_sql_col(q, m, &m->fields[cc->conflict->fields[k]], false);
        }
        if (cc->conflict_nothing) {
            q_sql(q, ") DO NOTHING");
            goto returning;
        }
        q_sql(q, ") DO UPDATE SET ");
        bool any = false;
        if (cc->update && !q_build_update_sets(q, m, cc->update, &any))
            return false;
        if (!any) {
            /* Nothing to change: touch the key so the row is returned. */
            const prisma_field_desc *f = &m->fields[cc->conflict->fields[0]];
            q_sql_col(q, m, f, false);
            q_sql(q, " = ");
            q_sql_col(q, m, f, true);
        }
    }
returning:
    if (cc->returning) {
        q_sql(q, " RETURNING ");
        q_select_columns(q, m, false);
    }
    return true;
}

/* A create, update or upsert with nested writes: one atomic unit. */
typedef struct nested_ctx {
    const prisma_model_desc *m;
    const void *where_unique;
    const void *data;   /* create: the create input; update: the update input */
    const void *update; /* upsert: the update input (data is the create) */
    bool is_update, is_upsert;
    void *rec;
} nested_ctx;

static int nested_body(query *q, void *vctx)
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
        return op_end(q, (err_set(&q->err, "P2009", "Failed to validate the query: Argument `data` is missing."),
                          PRISMA_ERROR));
    void *rec = NULL;
    int rc;
    if (nw_has_nested(m, data, false)) {
        nested_ctx nc = { .m = m, .data = data };
        rc = q_in_transaction(q, nested_body, &nc);
        rec = nc.rec;
    } else {
        prisma_value vals[MAX_FIELDS];
        bool given[MAX_FIELDS];
        if (!q_create_values(q, m, data, vals, given))
            return op_end(q, PRISMA_ERROR);
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
    return op_end(q, rc);
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

/* Bound-parameter limits: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766 since
 * 3.32) and PostgreSQL's protocol limit (65535). */
size_t q_param_limit(const query *q)
{
    return q->pg ? 65535 : 32766;
}

int q_insert_rows(query *q, const prisma_model_desc *m, const prisma_value *vals, const bool *given, size_t n,
                  bool skip_duplicates, const prisma_unique_desc *conflict_nothing, rec_list *list, size_t *list_cap,
                  int64_t *count)
{
    size_t nf = m->n_fields;
    /* Consecutive rows with the same columns share a statement, chunked to the parameter limit. */
    size_t r = 0;
    while (r < n) {
        size_t end = r + 1, cols = 0;
        for (size_t i = 0; i < nf; i++)
            cols += given[r * nf + i];
        size_t max_rows = cols ? q_param_limit(q) / cols : 500;
        if (max_rows > 1000)
            max_rows = 1000;
        while (end < n && end - r < max_rows && memcmp(given + end * nf, given + r * nf, nf * sizeof *given) == 0)
            end++;
        create_ctx cc = { .m = m, .vals = vals + r * nf, .given = given + r * nf, .n_rows = end - r,
                          .skip_duplicates = skip_duplicates, .returning = list != NULL,
                          .conflict = conflict_nothing, .conflict_nothing = conflict_nothing != NULL };
        if (cols == 0)
            cc.n_rows = 1; /* DEFAULT VALUES inserts one row per statement */
        prisma_rows *rows;
        if (q_run(q, q_build_insert, &cc, &rows) != PRISMA_OK)
            return PRISMA_ERROR;
        if (list) {
            result_arena *a = result_arena_of(list);
            int st;
            while ((st = q->drv->next(rows, &q->err)) == 1) {
                void *slot;
                if (!q_list_push(a, list, list_cap, m->rec_size, &slot) || !q_decode_row(q, m, rows, 0, slot, a)) {
                    st = -2;
                    break;
                }
                if (count)
                    (*count)++;
            }
            q->drv->done(rows);
            if (st < 0) {
                if (!q->err.code[0])
                    err_set(&q->err, "P1000", "out of memory");
                return PRISMA_ERROR;
            }
        } else {
            if (count)
                *count += q->drv->changes(rows);
            q->drv->done(rows);
        }
        r = cols == 0 ? r + 1 : end;
    }
    return PRISMA_OK;
}

static int create_many_body(query *q, void *vctx)
{
    create_many_ctx *cm = vctx;
    const prisma_model_desc *m = cm->m;
    size_t nf = m->n_fields;
    prisma_value *vals = malloc_array(cm->n, (nf ? nf : 1) * sizeof *vals);
    bool *given = malloc_array(cm->n, (nf ? nf : 1) * sizeof *given);
    int rc = PRISMA_OK;
    if (!vals || !given) {
        err_set(&q->err, "P1000", "out of memory");
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
        if (!q_create_values(q, m, row, vals + r * nf, given + r * nf)) {
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
    if (n && !data) {
        err_set(&q->err, "P2009", "Failed to validate the query: Argument `data` is missing.");
        return false;
    }
    if (m->create_size && n > (size_t)PTRDIFF_MAX / m->create_size) {
        err_set(&q->err, "P2009", "Failed to validate the query: `data` has a length of %zu, longer than any array.", n);
        return false;
    }
    return true;
}

int prisma_op_create_many(prisma_client *db, const prisma_model_desc *m, const void *data, size_t n,
                          bool skip_duplicates, int64_t *count)
{
    OP_PROLOGUE(db, m);
    if (count)
        *count = 0;
    if (!create_many_args_ok(q, m, data, n))
        return op_end(q, PRISMA_ERROR);
    create_many_ctx cm = { m, data, n, skip_duplicates, 0, NULL, 0 };
    int rc = n ? q_in_transaction(q, create_many_body, &cm) : PRISMA_OK;
    if (rc == PRISMA_OK && count)
        *count = cm.count;
    return op_end(q, rc);
}

int prisma_op_create_many_and_return(prisma_client *db, const prisma_model_desc *m, const void *data, size_t n,
                                     bool skip_duplicates, void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (!create_many_args_ok(q, m, data, n))
        return op_end(q, PRISMA_ERROR);
    rec_list *list;
    if (!result_new(sizeof *list, (void **)&list))
        return op_end(q, (err_set(&q->err, "P1000", "out of memory"), PRISMA_ERROR));
    create_many_ctx cm = { m, data, n, skip_duplicates, 0, list, 0 };
    int rc = n ? q_in_transaction(q, create_many_body, &cm) : PRISMA_OK;
    if (rc == PRISMA_OK)
        q_hand_out(list, out);
    else
        result_free_root(list);
    return op_end(q, rc);
}

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
    q_sql_col(q, m, f, true);
    q_sql(q, op == U_INC ? " + " : op == U_DEC ? " - " : op == U_MUL ? " * " : " / ");
    q_param(q, v);
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
            n_ops += ops[k]->set;                                                                       \
        if (n_ops > 1)                                                                                  \
            return too_many_ops(q, f);                                                                  \
        for (int k = 0; k < 5; k++) {                                                                   \
            if (!ops[k]->set)                                                                           \
                continue;                                                                               \
            if (ops[k]->null && k > 0) {                                                                \
                err_set(&q->err, "P2009", "Failed to validate the query: `%s`: arithmetic with null.", f->name); \
                return false;                                                                           \
            }                                                                                           \
            prisma_value v = ops[k]->null ? v_null() : CONV(ops[k]->v);                                  \
            if (v.kind == V_DOUBLE && !check_double(q, f, v.d))                                          \
                return false;                                                                           \
            set_arith(q, m, f, i, U_SET + k, v, any);                                                   \
        }                                                                                               \
    } while (0)

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
        switch (f->type) {
        case PRISMA_TYPE_INT:
            NUMERIC_UPDATE(prisma_int_update, prisma_int, conv_int);
            break;
        case PRISMA_TYPE_BIGINT:
            NUMERIC_UPDATE(prisma_bigint_update, prisma_bigint, conv_int);
            break;
        case PRISMA_TYPE_FLOAT:
            NUMERIC_UPDATE(prisma_float_update, prisma_float, conv_double);
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
                if (!check_text(q, f, ops[k]))
                    return false;
                if (ops[k] == PRISMA_NULL && k > 0) {
                    err_set(&q->err, "P2009", "Failed to validate the query: `%s`: arithmetic with null.", f->name);
                    return false;
                }
                set_arith(q, m, f, i, U_SET + k, ops[k] == PRISMA_NULL ? v_null() : v_text(ops[k]), any);
            }
            break;
        }
        default: {
            /* The other types only set: the update field has the create-input shape. */
            prisma_value v;
            int r = q_read_create_value(q, f, (const char *)data + f->update_off, &v);
            if (r < 0)
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
        int64_t now = prisma_now_ms();
        for (unsigned i = 0; i < m->n_fields && i < MAX_FIELDS; i++)
            if ((m->fields[i].flags & PRISMA_F_UPDATED_AT) && !touched_updated_at[i])
                set_arith(q, m, &m->fields[i], i, U_SET, (prisma_value){ .kind = V_DATETIME, .i = now }, any);
    }
    return true;
}


bool q_build_update(query *q, void *vctx)
{
    update_ctx *uc = vctx;
    const prisma_model_desc *m = uc->m;
    q_key_u8(q, uc->is_delete ? (uc->where_unique ? K_DELETE : K_DELETE_MANY) : (uc->where_unique ? K_UPDATE : K_UPDATE_MANY));
    q_key_u32(q, m->index);
    q_key_u8(q, uc->returning);
    if (uc->is_delete) {
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
                        now = prisma_now_ms();
                    q_sql(q, ", ");
                    q_sql_col(q, m, &m->fields[i], false);
                    q_sql(q, " = ");
                    q_param(q, (prisma_value){ .kind = V_DATETIME, .i = now });
                }
            }
        }
    }
    q_sql(q, " WHERE ");
    if (uc->scope) {
        nw_scope_sql(q, uc->scope);
        if (!uc->where_unique && !uc->where)
            goto returning;
        q_sql(q, " AND ");
    }
    if (uc->where_unique ? !q_unique_walk(q, m, uc->where_unique, true, NULL) : !q_where_walk(q, m, uc->where, true))
        return false;
returning:
    if (uc->returning) {
        q_sql(q, " RETURNING ");
        q_select_columns(q, m, false);
    }
    return true;
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

/* Whether an update input gives any field (q_update_is_empty without its
 * walk: no key, no values, no checks). A given but invalid value counts as
 * given; building the statement then reports it, as q_update_is_empty
 * would have. */
static bool update_gives_fields(query *q, const prisma_model_desc *m, const void *data)
{
    for (unsigned i = 0; i < m->n_fields && i < MAX_FIELDS; i++) {
        const prisma_field_desc *f = &m->fields[i];
        if (f->update_off == PRISMA_NO_OFFSET)
            continue;
        switch (f->type) {
        case PRISMA_TYPE_INT: {
            const prisma_int_update *u = AT(data, f->update_off, prisma_int_update);
            if (u->set.set || u->increment.set || u->decrement.set || u->multiply.set || u->divide.set)
                return true;
            break;
        }
        case PRISMA_TYPE_BIGINT: {
            const prisma_bigint_update *u = AT(data, f->update_off, prisma_bigint_update);
            if (u->set.set || u->increment.set || u->decrement.set || u->multiply.set || u->divide.set)
                return true;
            break;
        }
        case PRISMA_TYPE_FLOAT: {
            const prisma_float_update *u = AT(data, f->update_off, prisma_float_update);
            if (u->set.set || u->increment.set || u->decrement.set || u->multiply.set || u->divide.set)
                return true;
            break;
        }
        case PRISMA_TYPE_DECIMAL: {
            const prisma_decimal_update *u = AT(data, f->update_off, prisma_decimal_update);
            if (u->set || u->increment || u->decrement || u->multiply || u->divide)
                return true;
            break;
        }
        default: {
            prisma_value v;
            if (q_read_create_value(q, f, (const char *)data + f->update_off, &v) != 0) {
                err_clear(&q->err);
                return true;
            }
        }
        }
    }
    return false;
}

int prisma_op_update(prisma_client *db, const prisma_model_desc *m, const void *where_unique, const void *data,
                     const void *include, void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (!where_unique || !data)
        return op_end(q, (err_set(&q->err, "P2009", "Failed to validate the query: Argument `%s` is missing.",
                                  !where_unique ? "where" : "data"),
                          PRISMA_ERROR));
    bool nested = nw_has_nested(m, data, true);
    bool empty;
    if (nested) {
        /* Checked before the transaction opens. */
        if (q_update_is_empty(q, m, data, &empty) != PRISMA_OK)
            return op_end(q, PRISMA_ERROR);
    } else {
        /* An invalid value fails the statement's build below, before it runs. */
        empty = !update_gives_fields(q, m, data);
    }
    void *rec = NULL;
    int rc;
    if (nested) {
        nested_ctx nc = { .m = m, .where_unique = where_unique, .data = data, .is_update = true };
        rc = q_in_transaction(q, nested_body, &nc);
        rec = nc.rec;
        if (rc == PRISMA_OK && rec && include &&
            q_load_includes(q, m, rec, 1, include, result_arena_of(rec)) != PRISMA_OK) {
            result_free_root(rec);
            rec = NULL;
            rc = PRISMA_ERROR;
        }
        if (rc != PRISMA_OK) {
            result_free_root(rec);
            rec = NULL;
        }
    } else if (empty) {
        find_ctx fc = { .m = m, .where_unique = where_unique };
        rc = find_one(q, m, &fc, include, &rec);
    } else {
        update_ctx uc = { .m = m, .where_unique = where_unique, .data = data, .returning = true };
        prisma_rows *rows;
        rc = q_run(q, q_build_update, &uc, &rows);
        if (rc == PRISMA_OK)
            rc = q_fetch_one(q, m, rows, &rec);
        if (rc == PRISMA_OK && rec && include &&
            q_load_includes(q, m, rec, 1, include, result_arena_of(rec)) != PRISMA_OK) {
            result_free_root(rec);
            rec = NULL;
            rc = PRISMA_ERROR;
        }
    }
    if (rc == PRISMA_OK && !rec)
        rc = q_not_found(q, "Record to update not found.");
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    return op_end(q, rc);
}

int prisma_op_update_many(prisma_client *db, const prisma_model_desc *m, const void *where, const void *data,
                          int64_t *count)
{
    OP_PROLOGUE(db, m);
    if (count)
        *count = 0;
    if (!data)
        return op_end(q, (err_set(&q->err, "P2009", "Failed to validate the query: Argument `data` is missing."),
                          PRISMA_ERROR));
    if (nw_has_nested(m, data, true))
        return op_end(q, (err_set(&q->err, "P2009",
                                  "Failed to validate the query: update_many data cannot hold nested writes."),
                          PRISMA_ERROR));
    bool empty;
    if (q_update_is_empty(q, m, data, &empty) != PRISMA_OK)
        return op_end(q, PRISMA_ERROR);
    if (empty)
        return op_end(q, PRISMA_OK); /* nothing to change: Prisma reports a count of 0 */
    update_ctx uc = { .m = m, .where = where, .data = data };
    prisma_rows *rows;
    int rc = q_run(q, q_build_update, &uc, &rows);
    if (rc == PRISMA_OK) {
        if (count)
            *count = q->drv->changes(rows);
        q->drv->done(rows);
    }
    return op_end(q, rc);
}

int prisma_op_delete(prisma_client *db, const prisma_model_desc *m, const void *where_unique, const void *include,
                     void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    /* Without it the statement would read "WHERE 1=1": every row. */
    if (!where_unique)
        return op_end(q, (err_set(&q->err, "P2009", "Failed to validate the query: Argument `where` is missing."),
                          PRISMA_ERROR));
    void *rec = NULL;
    int rc = PRISMA_OK;
    if (include) {
        /* The related records must be read before the row goes. */
        find_ctx fc = { .m = m, .where_unique = where_unique };
        rc = find_one(q, m, &fc, include, &rec);
        if (rc == PRISMA_OK && !rec)
            rc = q_not_found(q, "Record to delete does not exist.");
        if (rc == PRISMA_OK) {
            update_ctx uc = { .m = m, .where_unique = where_unique, .is_delete = true };
            prisma_rows *rows;
            rc = q_run(q, q_build_update, &uc, &rows);
            if (rc == PRISMA_OK)
                q->drv->done(rows);
        }
    } else {
        update_ctx uc = { .m = m, .where_unique = where_unique, .is_delete = true, .returning = true };
        prisma_rows *rows;
        rc = q_run(q, q_build_update, &uc, &rows);
        if (rc == PRISMA_OK)
            rc = q_fetch_one(q, m, rows, &rec);
        if (rc == PRISMA_OK && !rec)
            rc = q_not_found(q, "Record to delete does not exist.");
    }
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    else
        result_free_root(rec);
    return op_end(q, rc);
}

int prisma_op_delete_many(prisma_client *db, const prisma_model_desc *m, const void *where, int64_t *count)
{
    OP_PROLOGUE(db, m);
    if (count)
        *count = 0;
    update_ctx uc = { .m = m, .where = where, .is_delete = true };
    prisma_rows *rows;
    int rc = q_run(q, q_build_update, &uc, &rows);
    if (rc == PRISMA_OK) {
        if (count)
            *count = q->drv->changes(rows);
        q->drv->done(rows);
    }
    return op_end(q, rc);
}

/* ---- upsert ---- */

typedef struct upsert_ctx {
    const prisma_model_desc *m;
    const void *where_unique, *create, *update;
    const void *include;
    void *rec;
} upsert_ctx;

/* When the create data cannot carry the where criterion's values: update,
 * and create if nothing was updated, in one transaction. */
static int upsert_fallback(query *q, void *vctx)
{
    upsert_ctx *uc = vctx;
    const prisma_model_desc *m = uc->m;
    bool empty;
    if (q_update_is_empty(q, m, uc->update, &empty) != PRISMA_OK)
        return PRISMA_ERROR;
    prisma_rows *rows;
    if (empty) {
        find_ctx fc = { .m = m, .where_unique = uc->where_unique };
        if (q_run(q, q_build_find, &fc, &rows) != PRISMA_OK || q_fetch_one(q, m, rows, &uc->rec) != PRISMA_OK)
            return PRISMA_ERROR;
    } else {
        update_ctx u = { .m = m, .where_unique = uc->where_unique, .data = uc->update, .returning = true };
        if (q_run(q, q_build_update, &u, &rows) != PRISMA_OK || q_fetch_one(q, m, rows, &uc->rec) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (uc->rec)
        return PRISMA_OK;
    prisma_value vals[MAX_FIELDS];
    bool given[MAX_FIELDS];
    if (!q_create_values(q, m, uc->create, vals, given))
        return PRISMA_ERROR;
    create_ctx cc = { .m = m, .vals = vals, .given = given, .n_rows = 1, .returning = true };
    if (q_run(q, q_build_insert, &cc, &rows) != PRISMA_OK)
        return PRISMA_ERROR;
    return q_fetch_one(q, m, rows, &uc->rec);
}

int prisma_op_upsert(prisma_client *db, const prisma_model_desc *m, const void *where_unique, const void *create,
                     const void *update, const void *include, void **out)
{
    OP_PROLOGUE(db, m);
    if (out)
        *out = NULL;
    if (!where_unique || !create || !update)
        return op_end(q, (err_set(&q->err, "P2009", "Failed to validate the query: Argument `%s` is missing.",
                                  !where_unique ? "where" : !create ? "create" : "update"),
                          PRISMA_ERROR));
    if (nw_has_nested(m, create, false) || nw_has_nested(m, update, true)) {
        nested_ctx nc = { .m = m, .where_unique = where_unique, .data = create, .update = update, .is_upsert = true };
        int rc = q_in_transaction(q, nested_body, &nc);
        if (rc == PRISMA_OK && nc.rec && include &&
            q_load_includes(q, m, nc.rec, 1, include, result_arena_of(nc.rec)) != PRISMA_OK)
            rc = PRISMA_ERROR;
        if (rc == PRISMA_OK)
            q_hand_out(nc.rec, out);
        else
            result_free_root(nc.rec);
        return op_end(q, rc);
    }
    /* The where criterion: exactly one, for ON CONFLICT to target it. */
    q_reset(q, false);
    const prisma_unique_desc *crit = NULL;
    if (!q_unique_walk(q, m, where_unique, false, &crit))
        return op_end(q, PRISMA_ERROR);
    prisma_value where_vals[16];
    size_t n_criteria = 0;
    for (unsigned i = 0; i < m->n_uniques; i++) {
        const prisma_unique_desc *ud = &m->uniques[i];
        bool all = true;
        for (unsigned k = 0; k < ud->n_fields && k < 16; k++) {
            prisma_value v;
            const void *p = (const char *)where_unique + ud->member_offs[k];
            if (q_read_create_value(q, &m->fields[ud->fields[k]], p, &v) != 1)
                all = false;
            else if (ud == crit)
                where_vals[k] = v;
        }
        n_criteria += all;
    }
    prisma_value vals[MAX_FIELDS];
    bool given[MAX_FIELDS];
    if (!q_create_values(q, m, create, vals, given))
        return op_end(q, PRISMA_ERROR);
    /* ON CONFLICT needs the create row to carry the where values. */
    bool native = n_criteria == 1 && crit->n_fields <= 16;
    for (unsigned k = 0; native && k < crit->n_fields; k++) {
        unsigned fi = crit->fields[k];
        if (!given[fi]) {
            vals[fi] = where_vals[k];
            given[fi] = true;
        } else {
            prisma_value a = vals[fi], b = where_vals[k];
            if (a.kind == V_TEXT)
                a.len = strlen(a.s);
            if (b.kind == V_TEXT)
                b.len = strlen(b.s);
            if (!(a.kind == b.kind && q_values_equal(a, b)))
                native = false;
        }
    }
    int rc;
    void *rec = NULL;
    if (native) {
        create_ctx cc = { .m = m, .vals = vals, .given = given, .n_rows = 1, .returning = true, .conflict = crit,
                          .update = update };
        prisma_rows *rows;
        rc = q_run(q, q_build_insert, &cc, &rows);
        if (rc == PRISMA_OK)
            rc = q_fetch_one(q, m, rows, &rec);
    } else {
        upsert_ctx uc = { .m = m, .where_unique = where_unique, .create = create, .update = update };
        rc = q_in_transaction(q, upsert_fallback, &uc);
        rec = uc.rec;
    }
    if (rc == PRISMA_OK && rec && include && q_load_includes(q, m, rec, 1, include, result_arena_of(rec)) != PRISMA_OK)
        rc = PRISMA_ERROR;
    if (rc == PRISMA_OK)
        q_hand_out(rec, out);
    else
        result_free_root(rec);
    return op_end(q, rc);
}

/* ---- raw SQL ---- */

typedef struct raw_ctx {
    const char *sql;
    const prisma_raw_value *params;
    size_t n;
} raw_ctx;

static bool build_raw(query *q, void *vctx)
{
    raw_ctx *rc = vctx;
    q_key_u8(q, 'R');
    key_put(q, rc->sql, strlen(rc->sql));
    if (q->emit)
        sb_puts(&q->sql, rc->sql);
    for (size_t i = 0; i < rc->n; i++) {
        const prisma_raw_value *v = &rc->params[i];
        prisma_value pv;
        switch (v->type) {
        case PRISMA_RAW_INT: pv = v_int(v->i); break;
        case PRISMA_RAW_BOOL: pv = v_bool(v->i != 0); break;
        case PRISMA_RAW_FLOAT: pv = v_double(v->f); break;
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
static void raw_error(query *q)
{
    if (strcmp(q->err.code, "P2028") == 0 || strcmp(q->err.code, "P2009") == 0 || strcmp(q->err.code, "P1000") == 0 ||
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
    if (op_begin(q, db, NULL) != PRISMA_OK)
        return op_end(q, PRISMA_ERROR);
    raw_ctx rc = { sqltext, params, n_params };
    prisma_rows *rows;
    int st = q_run(q, build_raw, &rc, &rows);
    if (st == PRISMA_OK) {
        int r;
        while ((r = q->drv->next(rows, &q->err)) == 1) {
        }
        if (affected)
            *affected = q->drv->changes(rows);
        q->drv->done(rows);
        if (r < 0)
            st = PRISMA_ERROR;
    }
    if (st != PRISMA_OK)
        raw_error(q);
    return op_end(q, st);
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
    if (op_begin(q, db, NULL) != PRISMA_OK)
        return op_end(q, PRISMA_ERROR);
    raw_ctx rc = { sqltext, params, n_params };
    prisma_rows *rows;
    int st = q_run(q, build_raw, &rc, &rows);
    if (st != PRISMA_OK) {
        raw_error(q);
        return op_end(q, st);
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
    int nc = q->drv->n_cols(rows);
    res->n_cols = (size_t)(nc > 0 ? nc : 0);
    const char **cols = result_alloc(a, (res->n_cols ? res->n_cols : 1) * sizeof *cols);
    if (!cols) {
        r = -2;
        goto fail;
    }
    for (size_t i = 0; i < res->n_cols; i++) {
        const char *n = q->drv->col_name(rows, (int)i);
        if (!(cols[i] = result_strdup(a, n, strlen(n)))) {
            r = -2;
            goto fail;
        }
    }
    res->columns = cols;
    while ((r = q->drv->next(rows, &q->err)) == 1) {
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
            v->type = q->drv->col_type(rows, (int)c);
            size_t len;
            switch (v->type) {
            case PRISMA_RAW_INT: v->i = q->drv->col_int(rows, (int)c); break;
            case PRISMA_RAW_BOOL: v->i = q->drv->col_int(rows, (int)c); break;
            case PRISMA_RAW_FLOAT: v->f = q->drv->col_double(rows, (int)c); break;
            case PRISMA_RAW_NULL: break;
            case PRISMA_RAW_BYTES: {
                const char *b = q->drv->col_blob(rows, (int)c, &len);
                uint8_t *copy;
                if (q->pg && len >= 2 && b[0] == '\\' && b[1] == 'x') {
                    size_t n = (len - 2) / 2;
                    copy = result_alloc(a, n + 1);
                    for (size_t k = 0; copy && k < n; k++)
                        copy[k] = (uint8_t)(hexval(b[2 + 2 * k]) << 4 | hexval(b[3 + 2 * k]));
                    len = n;
                } else {
                    copy = result_alloc(a, len + 1);
                    if (copy && len)
                        memcpy(copy, b, len);
                }
                if (!copy) {
                    r = -2;
                    break;
                }
                v->s = (const char *)copy;
                v->len = len;
                break;
            }
            default: {
                const char *t = q->drv->col_text(rows, (int)c, &len);
                if (!(v->s = result_strdup(a, t, len)))
                    r = -2;
                v->len = len;
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
    q->drv->done(rows);
    if (r < 0) {
        if (r == -2)
            err_set(&q->err, "P1000", "out of memory");
        else
            raw_error(q);
        if (a)
            result_free_root(res);
        return op_end(q, PRISMA_ERROR);
    }
    if (out)
        *out = res;
    else
        result_free_root(res);
    return op_end(q, PRISMA_OK);
}

/* ---- pipelined batches (PostgreSQL) ---- */

/* One queued operation's statement, built before anything is sent. */
typedef struct pipe_op {
    query q;
    const prisma_batch_op *op;
    find_ctx fc;
    create_ctx cc;
    update_ctx uc;
    raw_ctx rc;
    prisma_value *vals; /* create: one per field, freed with q */
    bool *given;
    void *stmt;
    bool skip; /* nothing to send (an update_many with no data) */
} pipe_op;

static bool pipelineable(const prisma_batch_op *op)
{
    switch (op->kind) {
    case PRISMA_OP_CREATE:
        return !nw_has_nested(op->model, op->data, false);
    case PRISMA_OP_UPDATE:
    case PRISMA_OP_UPDATE_MANY:
        return !nw_has_nested(op->model, op->data, true);
    case PRISMA_OP_COUNT:
    case PRISMA_OP_DELETE:
    case PRISMA_OP_DELETE_MANY:
    case PRISMA_OP_EXECUTE_RAW:
        return true;
    case PRISMA_OP_FIND_UNIQUE:
    case PRISMA_OP_FIND_UNIQUE_OR_THROW:
        return !op->args.include;
    case PRISMA_OP_FIND_FIRST:
    case PRISMA_OP_FIND_FIRST_OR_THROW:
    case PRISMA_OP_FIND_MANY:
        return !op->args.include && op->args.take >= 0 && op->args.skip >= 0;
    default:
        return false;
    }
}

/* Builds and prepares one operation's statement. */
static int pipe_build(pipe_op *p)
{
    query *q = &p->q;
    const prisma_batch_op *op = p->op;
    const prisma_model_desc *m = op->model;
    build_fn build;
    void *ctx;
    switch (op->kind) {
    case PRISMA_OP_CREATE:
        if (!op->data) {
            err_set(&q->err, "P2009", "Failed to validate the query: Argument `data` is missing.");
            return PRISMA_ERROR;
        }
        p->vals = (prisma_value *)(void *)q_temp(q, (m->n_fields + 1) * sizeof *p->vals);
        p->given = (bool *)q_temp(q, m->n_fields + 1);
        if (!p->vals || !p->given) {
            err_set(&q->err, "P1000", "out of memory");
            return PRISMA_ERROR;
        }
        if (!q_create_values(q, m, op->data, p->vals, p->given))
            return PRISMA_ERROR;
        p->cc = (create_ctx){ .m = m, .vals = p->vals, .given = p->given, .n_rows = 1, .returning = op->out != NULL };
        build = q_build_insert;
        ctx = &p->cc;
        break;
    case PRISMA_OP_FIND_UNIQUE:
    case PRISMA_OP_FIND_UNIQUE_OR_THROW:
        if (!op->where) {
            err_set(&q->err, "P2009", "Failed to validate the query: Argument `where` is missing.");
            return PRISMA_ERROR;
        }
        p->fc = (find_ctx){ .m = m, .where_unique = op->where };
        build = q_build_find;
        ctx = &p->fc;
        break;
    case PRISMA_OP_FIND_FIRST:
    case PRISMA_OP_FIND_FIRST_OR_THROW:
        p->fc = (find_ctx){ .m = m, .args = &op->args, .take = 1 };
        build = q_build_find;
        ctx = &p->fc;
        break;
    case PRISMA_OP_FIND_MANY:
        p->fc = (find_ctx){ .m = m, .args = &op->args, .take = op->args.take };
        build = q_build_find;
        ctx = &p->fc;
        break;
    case PRISMA_OP_COUNT:
        p->fc = (find_ctx){ .m = m, .args = &op->args, .count = true };
        build = q_build_find;
        ctx = &p->fc;
        break;
    case PRISMA_OP_UPDATE:
    case PRISMA_OP_UPDATE_MANY: {
        if ((op->kind == PRISMA_OP_UPDATE && !op->where) || !op->data) {
            err_set(&q->err, "P2009", "Failed to validate the query: Argument `%s` is missing.",
                    op->data ? "where" : "data");
            return PRISMA_ERROR;
        }
        bool empty;
        if (q_update_is_empty(q, m, op->data, &empty) != PRISMA_OK)
            return PRISMA_ERROR;
        if (empty && op->kind == PRISMA_OP_UPDATE_MANY) {
            p->skip = true;
            return PRISMA_OK;
        }
        if (empty) {
            /* Reads the record, as prisma_op_update does. */
            p->fc = (find_ctx){ .m = m, .where_unique = op->where };
            build = q_build_find;
            ctx = &p->fc;
            break;
        }
        p->uc = (update_ctx){ .m = m, .data = op->data, .returning = op->kind == PRISMA_OP_UPDATE };
        if (op->kind == PRISMA_OP_UPDATE)
            p->uc.where_unique = op->where;
        else
            p->uc.where = op->where;
        build = q_build_update;
        ctx = &p->uc;
        break;
    }
    case PRISMA_OP_DELETE:
    case PRISMA_OP_DELETE_MANY:
        if (op->kind == PRISMA_OP_DELETE && !op->where) {
            err_set(&q->err, "P2009", "Failed to validate the query: Argument `where` is missing.");
            return PRISMA_ERROR;
        }
        p->uc = (update_ctx){ .m = m, .is_delete = true, .returning = op->kind == PRISMA_OP_DELETE };
        if (op->kind == PRISMA_OP_DELETE)
            p->uc.where_unique = op->where;
        else
            p->uc.where = op->where;
        build = q_build_update;
        ctx = &p->uc;
        break;
    default: /* EXECUTE_RAW */
        p->rc = (raw_ctx){ op->sql, op->params, op->n };
        build = build_raw;
        ctx = &p->rc;
        break;
    }
    if (prepare_shape(q, build, ctx, &p->stmt) == PRISMA_OK)
        return PRISMA_OK;
    if (op->kind == PRISMA_OP_EXECUTE_RAW || op->kind == PRISMA_OP_QUERY_RAW)
        raw_error(q); /* refused as it was prepared: still a raw query's failure */
    return PRISMA_ERROR;
}

/* Turns one operation's rows into its result. */
static int pipe_finish(pipe_op *p, prisma_rows *rows, void **rec, int64_t *count)
{
    query *q = &p->q;
    const prisma_batch_op *op = p->op;
    const prisma_model_desc *m = op->model;
    switch (op->kind) {
    case PRISMA_OP_CREATE:
        if (!op->out) {
            q->drv->done(rows);
            return PRISMA_OK;
        }
        return q_fetch_one(q, m, rows, rec);
    case PRISMA_OP_FIND_UNIQUE:
    case PRISMA_OP_FIND_UNIQUE_OR_THROW:
    case PRISMA_OP_FIND_FIRST:
    case PRISMA_OP_FIND_FIRST_OR_THROW:
        if (q_fetch_one(q, m, rows, rec) != PRISMA_OK)
            return PRISMA_ERROR;
        if (!*rec && (op->kind == PRISMA_OP_FIND_UNIQUE_OR_THROW || op->kind == PRISMA_OP_FIND_FIRST_OR_THROW))
            return q_not_found(q, "No record was found for a query.");
        return PRISMA_OK;
    case PRISMA_OP_FIND_MANY:
        return q_fetch_list(q, m, rows, (size_t)op->args.take, rec);
    case PRISMA_OP_COUNT: {
        int st = q->drv->next(rows, &q->err);
        *count = st == 1 ? q->drv->col_int(rows, 0) : 0;
        q->drv->done(rows);
        return st < 0 ? PRISMA_ERROR : PRISMA_OK;
    }
    case PRISMA_OP_UPDATE:
    case PRISMA_OP_DELETE:
        if (q_fetch_one(q, m, rows, rec) != PRISMA_OK)
            return PRISMA_ERROR;
        if (!*rec)
            return q_not_found(q, op->kind == PRISMA_OP_UPDATE ? "Record to update not found."
                                                             : "Record to delete does not exist.");
        return PRISMA_OK;
    default: /* the counts */
        *count = q->drv->changes(rows);
        q->drv->done(rows);
        return PRISMA_OK;
    }
}

/* Runs a batch on PostgreSQL in pipeline mode: BEGIN and every statement go
 * out in one round trip, COMMIT in a second. Returns 2 when the batch has an
 * operation that needs more than one statement (the caller then runs it one
 * operation at a time). */
int prisma_batch_pipeline(prisma_client *db, const prisma_batch_op *ops, size_t n, const prisma_tx_options *opts,
                          void **recs, int64_t *counts, size_t *failed)
{
    client_shared *sh = db->sh;
    *failed = SIZE_MAX;
    if (!sh->driver->pipeline || n == 0)
        return 2;
    for (size_t i = 0; i < n; i++)
        if (!pipelineable(&ops[i]))
            return 2;
    prisma_err err;
    err_clear(&err);
    prisma_conn *conn = NULL;
    int rc = PRISMA_ERROR;
    bool nested = db->is_tx;
    pipe_op *p = calloc(n, sizeof *p);
    void **stmts = calloc(n, sizeof *stmts);
    const prisma_value **params = calloc(n, sizeof *params);
    size_t *n_params = calloc(n, sizeof *n_params);
    prisma_rows **rows = calloc(n, sizeof *rows);
    size_t *index = calloc(n, sizeof *index); /* sent statement -> operation */
    if (!p || !stmts || !params || !n_params || !rows || !index) {
        err_set(&err, "P1000", "out of memory");
        goto out;
    }
    /* The connection: the enclosing transaction's, or one from the pool. */
    char begin[96];
    int max_wait = opts && opts->max_wait_ms ? opts->max_wait_ms : sh->opts.max_wait_ms;
    int timeout = opts && opts->timeout_ms ? opts->timeout_ms : sh->opts.timeout_ms;
    int64_t started = prisma_mono_ms();
    if (!nested && (max_wait <= 0 || timeout <= 0)) {
        err_set(&err, "P2028", "Transaction API error: Invalid value %d for %s. %s needs to be greater than 0",
                max_wait <= 0 ? max_wait : timeout, max_wait <= 0 ? "maxWait" : "timeout",
                max_wait <= 0 ? "maxWait" : "timeout");
        goto out;
    }
    if (nested) {
        if (tx_enter_batch(db, &conn, &err) != PRISMA_OK) {
            conn = NULL;
            goto out;
        }
        /* The savepoint first (held back by the driver until something goes
         * out), so that a statement failing as it is prepared fails inside
         * it and the enclosing transaction goes on. */
        if (sh_exec(sh, conn, "SAVEPOINT prisma_batch", &err) != PRISMA_OK)
            goto out_rollback;
    } else {
        if (pool_get(sh, max_wait, &conn, &err) != PRISMA_OK) {
            if (strcmp(err.code, "P2024") == 0)
                err_set(&err, "P2028",
                        "Transaction API error: Unable to start a transaction in the given time. No connection was "
                        "free in the pool (connection limit %zu) within max_wait %d ms.",
                        sh->max_open, max_wait);
            conn = NULL;
            goto out;
        }
        prisma_isolation iso = opts && opts->isolation ? opts->isolation : sh->opts.isolation;
        static const char *const levels[] = { NULL, "READ UNCOMMITTED", "READ COMMITTED", "REPEATABLE READ",
                                              "SERIALIZABLE" };
        if ((int)iso < 0 || iso > PRISMA_SERIALIZABLE) {
            err_set(&err, "P2023", "Inconsistent column data: Conversion failed: Invalid isolation level `%d`", (int)iso);
            goto out;
        }
        snprintf(begin, sizeof begin, iso ? "BEGIN ISOLATION LEVEL %s" : "BEGIN", iso ? levels[iso] : "");
    }
    /* Build and prepare everything first (a prepare is a round trip, once per shape). */
    size_t n_sent = 0;
    for (size_t i = 0; i < n; i++) {
        q_init(&p[i].q, db);
        p[i].q.conn = conn;
        p[i].op = &ops[i];
        if (pipe_build(&p[i]) != PRISMA_OK) {
            err = p[i].q.err;
            *failed = i;
            goto out_rollback;
        }
        if (p[i].skip)
            continue;
        stmts[n_sent] = p[i].stmt;
        params[n_sent] = p[i].q.params;
        n_params[n_sent] = p[i].q.n_params;
        index[n_sent++] = i;
    }
    size_t bad;
    if (!nested) {
        /* The timeout: no statement may run past what is left of it. */
        int64_t left = timeout - (prisma_mono_ms() - started);
        snprintf(begin + strlen(begin), sizeof begin - strlen(begin), "; SET LOCAL statement_timeout = %lld",
                 (long long)(left > 1 ? left : 1));
    }
    if (sh->driver->pipeline(conn, nested ? NULL : begin, NULL, n_sent, stmts, params, n_params, rows, &bad, &err) !=
        PRISMA_OK) {
        *failed = bad == SIZE_MAX ? SIZE_MAX : index[bad];
        if (!nested && strcmp(err.db_code, "57014") == 0) {
            prisma_err ignored;
            sh_exec(sh, conn, "ROLLBACK", &ignored);
            goto expired;
        }
        goto out_rollback;
    }
    rc = PRISMA_OK;
    for (size_t k = 0; k < n_sent; k++) {
        size_t i = index[k];
        if (rc != PRISMA_OK) {
            sh->driver->done(rows[k]);
            continue;
        }
        if (pipe_finish(&p[i], rows[k], &recs[i], &counts[i]) != PRISMA_OK) {
            err = p[i].q.err;
            *failed = i;
            rc = PRISMA_ERROR;
        }
    }
    if (rc == PRISMA_OK && !nested && prisma_mono_ms() - started > timeout) {
        prisma_err ignored;
        sh_exec(sh, conn, "ROLLBACK", &ignored);
        goto expired;
    }
    if (rc == PRISMA_OK) {
        rc = sh_exec(sh, conn, nested ? "RELEASE SAVEPOINT prisma_batch" : "COMMIT", &err);
        goto out;
    }
out_rollback:
    rc = PRISMA_ERROR;
    {
        prisma_err ignored;
        if (nested) {
            if (sh_exec(sh, conn, "ROLLBACK TO SAVEPOINT prisma_batch", &ignored) == PRISMA_OK)
                sh_exec(sh, conn, "RELEASE SAVEPOINT prisma_batch", &ignored);
        } else {
            sh_exec(sh, conn, "ROLLBACK", &ignored);
        }
    }
    goto out;
expired:
    rc = PRISMA_ERROR;
    for (size_t i = 0; i < n; i++) {
        prisma_free(recs[i]);
        recs[i] = NULL;
    }
    err_set(&err, "P2028",
            "Transaction API error: Transaction already closed: A batch query cannot be executed on an expired "
            "transaction. The timeout for this transaction was %d ms, however %lld ms passed since the start of the "
            "transaction. Consider increasing the interactive transaction timeout or doing less work in the "
            "transaction.",
            timeout, (long long)(prisma_mono_ms() - started));
out:
    if (conn) {
        if (nested)
            tx_leave(db);
        else
            pool_put(sh, conn);
    }
    for (size_t i = 0; p && i < n; i++)
        if (p[i].op)
            q_free(&p[i].q);
    free(p);
    free(stmts);
    free(params);
    free(n_params);
    free(rows);
    free(index);
    if (rc == PRISMA_OK) {
        client_clear_error(db);
    } else {
        /* Prisma's meta.modelName: the model of the operation that failed. */
        if (!err.model && *failed < n && ops[*failed].model)
            err.model = ops[*failed].model->name;
        client_set_error(db, &err);
    }
    return rc;
}

/* ---- streaming ---- */

int prisma_op_find_each(prisma_client *db, const prisma_model_desc *m, const prisma_find_args *args,
                        prisma_each_fn fn, void *arg)
{
    OP_PROLOGUE(db, m);
    if (!fn)
        return op_end(q, (err_set(&q->err, "P2009", "Failed to validate the query: the callback is NULL."), PRISMA_ERROR));
    if (args && (args->include || args->take < 0 || args->skip < 0))
        return op_end(q, (err_set(&q->err, "P2009",
                                  "Failed to validate the query: streaming takes no include, negative take or skip."),
                          PRISMA_ERROR));
    find_ctx fc = { .m = m, .args = args, .take = args ? args->take : 0 };
    void *stmt;
    if (prepare_shape(q, q_build_find, &fc, &stmt) != PRISMA_OK)
        return op_end(q, PRISMA_ERROR);
    prisma_rows *rows;
    if (q->drv->execute_stream(q->conn, stmt, q->params, q->n_params, &rows, &q->err) != PRISMA_OK)
        return op_end(q, PRISMA_ERROR);
    /* One record, reused for every row: memory stays bounded. */
    void *rec;
    result_arena *a = result_new(m->rec_size + 1024, &rec);
    int rc = PRISMA_OK, st, stop = PRISMA_OK;
    if (!a) {
        q->drv->done(rows);
        return op_end(q, (err_set(&q->err, "P1000", "out of memory"), PRISMA_ERROR));
    }
    while ((st = q->drv->next(rows, &q->err)) == 1) {
        result_reset(rec, m->rec_size);
        if (!q_decode_row(q, m, rows, 0, rec, a)) {
            if (!q->err.code[0])
                err_set(&q->err, "P1000", "out of memory");
            rc = PRISMA_ERROR;
            break;
        }
        stop = fn(rec, arg);
        if (stop != PRISMA_OK)
            break;
    }
    if (st < 0)
        rc = PRISMA_ERROR;
    q->drv->done(rows);
    result_free_root(rec);
    if (rc == PRISMA_OK && stop != PRISMA_OK) {
        /* The callback stopped it: its value, and no error of ours. */
        op_end(q, PRISMA_OK);
        return stop;
    }
    return op_end(q, rc);
}
