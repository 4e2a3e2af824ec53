/* Filters: where and where-unique inputs compiled to SQL conditions. */
#include "query.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- where ---- */


/* LIKE patterns: the value with % _ \ escaped. */
const char *q_like_pattern(query *q, const char *s, bool lead, bool trail)
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

/* The column, cast for comparing when its type has no `=` (xml, json). */
static void cmp_col(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified)
{
    q_sql_col(q, m, f, qualified);
    if (f->flags & PRISMA_F_CAST_COMPARE) {
        const char *cast = q->be->compare_cast[f->type == PRISMA_TYPE_JSON];
        if (cast)
            q_sql(q, cast);
    }
}

/* col OP value, with case folding in insensitive mode. A null compares only
 * an optional field: a required field's filter takes no null in Prisma
 * (P2009, before the database is asked). */
static bool cmp(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified, cond_state *c,
                int op, prisma_value v, bool insensitive, unsigned fi)
{
    if (v.kind == V_NULL && !(f->flags & (PRISMA_F_OPTIONAL | PRISMA_F_LIST))) {
        err_set(&q->err, "P2009", "Failed to validate the query: `where.%s.%s`: A value is required but not set.",
                f->name, op == OP_NE ? "not" : "equals");
        return false;
    }
    q_key_u32(q, fi);
    q_key_u8(q, op);
    cond_begin(q, c);
    if (v.kind == V_NULL) {
        /* equals: null / not: null */
        q_key_u8(q, 0xFF);
        q_sql_col(q, m, f, qualified);
        q_sql(q, op == OP_NE ? " IS NOT NULL" : " IS NULL");
        return true;
    }
    if (insensitive) {
        q_sql(q, "LOWER(");
        cmp_col(q, m, f, qualified);
        q_sql(q, ")");
        q_sql(q, op_sql(op));
        q_sql(q, "LOWER(");
        q_param(q, v);
        q_sql(q, ")");
        return true;
    }
    cmp_col(q, m, f, qualified);
    q_sql(q, op_sql(op));
    q_param(q, v);
    return true;
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
    cmp_col(q, m, f, qualified);
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

/* ---- field references (issue 13): `col OP other_col` ---- */

static const char *type_name(const prisma_field_desc *f)
{
    static const char *const names[] = { "?", "String", "Int", "BigInt", "Float", "Decimal", "Boolean",
                                         "DateTime", "Json", "Bytes" };
    if (f->type == PRISMA_TYPE_ENUM && f->enum_desc)
        return f->enum_desc->name;
    return f->type < sizeof names / sizeof names[0] ? names[f->type] : "?";
}

/* The field `ref` names (its ScalarField constant: index + 1), checked as
 * Prisma checks a field reference: it exists and has f's type. NULL with
 * P2019 otherwise. */
static const prisma_field_desc *ref_field_of(query *q, const prisma_model_desc *m, const prisma_field_desc *f, int ref,
                                             bool want_list)
{
    if (ref < 1 || (unsigned)ref > m->n_fields) {
        err_set(&q->err, "P2019", "Input error. The referenced scalar field %s.<field %d> does not exist.", m->name, ref);
        return NULL;
    }
    const prisma_field_desc *rf = &m->fields[ref - 1];
    bool list = want_list || (f->flags & PRISMA_F_LIST);
    if (rf->type != f->type || (f->type == PRISMA_TYPE_ENUM && rf->enum_desc != f->enum_desc) ||
        !(rf->flags & PRISMA_F_LIST) != !list) {
        err_set(&q->err, "P2019", "Input error. Expected a referenced scalar field of type %s%s but found %s.%s of type %s%s.",
                type_name(f), list ? "[]" : "", m->name, rf->name, type_name(rf),
                rf->flags & PRISMA_F_LIST ? "[]" : "");
        return NULL;
    }
    return rf;
}

static const prisma_field_desc *ref_field(query *q, const prisma_model_desc *m, const prisma_field_desc *f, int ref)
{
    return ref_field_of(q, m, f, ref, false);
}

/* `in` / `not_in` a list field: `(col = ANY(list_col))`, `(NOT (col = ANY(list_col)) AND col IS NOT NULL)`. */
static bool ref_in(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified, cond_state *c,
                   int in, int not_in, unsigned fi)
{
    const int refs[2] = { in, not_in };
    for (int k = 0; k < 2; k++) {
        if (!refs[k])
            continue;
        const prisma_field_desc *rf = ref_field_of(q, m, f, refs[k], true);
        if (!rf || !q_lists_supported(q))
            return false;
        q_key_u32(q, fi);
        q_key_u8(q, 'r');
        q_key_u8(q, k ? OP_NOT_IN : OP_IN);
        q_key_u32(q, (uint32_t)refs[k]);
        cond_begin(q, c);
        /* not_in: a NULL value (or list) matches nothing, as for every reference. */
        q_sql(q, k ? "(NOT (" : "(");
        cmp_col(q, m, f, qualified);
        q_sql(q, q->be->lists->any_open);
        q_sql_col(q, m, rf, qualified);
        q_sql(q, q->be->lists->any_close);
        q_sql(q, ")");
        if (k) {
            q_sql(q, " AND ");
            q_sql_col(q, m, f, qualified);
            q_sql(q, " IS NOT NULL)");
        }
    }
    return true;
}

/* `col OP other` (case folded in insensitive mode). */
static bool ref_cmp(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified, cond_state *c,
                    int op, int ref, bool insensitive, unsigned fi)
{
    const prisma_field_desc *rf = ref_field(q, m, f, ref);
    if (!rf)
        return false;
    q_key_u32(q, fi);
    q_key_u8(q, 'r');
    q_key_u8(q, op);
    q_key_u32(q, (uint32_t)ref);
    cond_begin(q, c);
    q_sql(q, insensitive ? "LOWER(" : "");
    cmp_col(q, m, f, qualified);
    q_sql(q, insensitive ? ")" : "");
    q_sql(q, op_sql(op));
    q_sql(q, insensitive ? "LOWER(" : "");
    cmp_col(q, m, rf, qualified);
    q_sql(q, insensitive ? ")" : "");
    return true;
}

/* The comparisons of a prisma_field_ref (or of equals, not_ only). */
#define REF6(r) ((const int[6]){ (r).equals, (r).not_, (r).lt, (r).lte, (r).gt, (r).gte })
static bool ref_ops(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified, cond_state *c,
                    const int *refs, int n, bool insensitive, unsigned fi)
{
    static const int codes[6] = { OP_EQ, OP_NE, OP_LT, OP_LTE, OP_GT, OP_GTE };
    for (int k = 0; k < n; k++)
        if (refs[k] && !ref_cmp(q, m, f, qualified, c, codes[k], refs[k], insensitive, fi))
            return false;
    return true;
}

/* contains / starts_with / ends_with another field: its text, wildcards
 * escaped in the statement itself (or the backend's function of both). */
static bool ref_match(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified, cond_state *c,
                      int k, int ref, bool insensitive, unsigned fi)
{
    static const int like_codes[3] = { OP_CONTAINS, OP_STARTS, OP_ENDS };
    const prisma_field_desc *rf = ref_field(q, m, f, ref);
    if (!rf)
        return false;
    q_key_u32(q, fi);
    q_key_u8(q, 'r');
    q_key_u8(q, like_codes[k]);
    q_key_u32(q, (uint32_t)ref);
    cond_begin(q, c);
    const backend_match *match = &q->be->match[insensitive];
    if (match->fn[k]) {
        q_sql(q, match->fn[k]);
        q_sql(q, "(");
        q_sql_col(q, m, f, qualified);
        q_sql(q, ", ");
        q_sql_col(q, m, rf, qualified);
        q_sql(q, ")");
        return true;
    }
    q_sql_col(q, m, f, qualified);
    q_sql(q, match->op);
    q_sql(q, "(");
    if (k != 1)
        q_sql(q, "'%' || ");
    q_sql(q, "REPLACE(REPLACE(REPLACE(");
    q_sql_col(q, m, rf, qualified);
    q_sql(q, ", '\\', '\\\\'), '%', '\\%'), '_', '\\_')");
    if (k != 2)
        q_sql(q, " || '%'");
    q_sql(q, ") ESCAPE '\\'");
    return true;
}

/* ---- full-text search (issue 13): Prisma's `search`, PostgreSQL ---- */

/* The text f searches in where input w, or NULL. */
static const char *search_of(const prisma_field_desc *f, const void *w)
{
    if (f->where_off == PRISMA_NO_OFFSET || (f->flags & PRISMA_F_LIST) || f->type != PRISMA_TYPE_STRING)
        return NULL;
    return AT(w, f->where_off, prisma_string_filter)->search;
}

/* `search`: the fields of this where input that search the same text are
 * searched together, as one document (Prisma merges them): the first of
 * them writes the condition, the others none. */
static bool search_filter(query *q, const prisma_model_desc *m, const prisma_field_desc *f, const void *w,
                          bool qualified, cond_state *c, unsigned fi)
{
    const char *text = AT(w, f->where_off, prisma_string_filter)->search;
    if (f->type != PRISMA_TYPE_STRING) {
        err_set(&q->err, "P2009", "Failed to validate the query: Unknown argument `search` in `where.%s`: only String "
                "fields are searched.", f->name);
        return false;
    }
    if (text == PRISMA_NULL || !q_check_text(q, f, text)) {
        if (text == PRISMA_NULL)
            err_set(&q->err, "P2009", "Failed to validate the query: `where.%s.search`: A value is required but not set.",
                    f->name);
        return false;
    }
    if (!q->be->search_open || !q->db->sh->schema->full_text_search) {
        err_set(&q->err, "P2009",
                "Failed to validate the query: Unknown argument `search` in `where.%s`: full-text search needs "
                "previewFeatures = [\"fullTextSearchPostgres\"] and a PostgreSQL database.",
                f->name);
        return false;
    }
    for (unsigned i = 0; i < fi; i++) {
        const char *other = search_of(&m->fields[i], w);
        if (other && strcmp(other, text) == 0)
            return true; /* searched with an earlier field */
    }
    q_key_u32(q, fi);
    q_key_u8(q, 's');
    cond_begin(q, c);
    q_sql(q, q->be->search_open);
    q_sql_col(q, m, f, qualified);
    for (unsigned i = fi + 1; i < m->n_fields; i++) {
        const char *other = search_of(&m->fields[i], w);
        if (other && other != PRISMA_NULL && strcmp(other, text) == 0) {
            q_key_u32(q, i);
            q_sql(q, ", ");
            q_sql_col(q, m, &m->fields[i], qualified);
        }
    }
    q_sql(q, q->be->search_mid);
    q_param(q, v_text(text));
    q_sql(q, q->be->search_close);
    return true;
}

/* Values of an `in` list, converted into a temporary array. */
static prisma_value *list_values(query *q, const prisma_field_desc *f, const void *items, size_t n)
{
    if (n && !items) {
        err_set(&q->err, "P2009", "Failed to validate the query: a list filter of `%s` has a length but no array.",
                f->name);
        return NULL;
    }
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
            if (!s || !q_check_text(q, f, s)) {
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
            if (f->type == PRISMA_TYPE_FLOAT && !ops[k]->null && !q_check_double(q, f, v.d))                   \
                return false;                                                                                \
            if (!cmp(q, m, f, qualified, &c, codes[k], v, false, fi))                                        \
                return false;                                                                                \
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
        if (!ref_ops(q, m, f, qualified, &c, REF6(flt->ref), 6, false, fi) ||                                \
            !ref_in(q, m, f, qualified, &c, flt->ref.in, flt->ref.not_in, fi))                                 \
            return false;                                                                                    \
    } while (0)

prisma_value q_conv_int(int64_t x) { return v_int(x); }
prisma_value q_conv_double(double x) { return v_double(x); }
static prisma_value conv_dt(int64_t x) { return (prisma_value){ .kind = V_DATETIME, .i = x }; }

static bool string_filter(query *q, const prisma_model_desc *m, const prisma_field_desc *f, const void *w,
                          bool qualified, cond_state *c, unsigned fi)
{
    const prisma_string_filter *flt = AT(w, f->where_off, prisma_string_filter);
    bool ins = flt->mode == PRISMA_INSENSITIVE;
    if (ins && !q->be->match[1].op && !q->be->match[1].fn[0]) {
        /* issue 16: Prisma has no `mode` on MySQL: its collation ignores case already. */
        err_set(&q->err, "P2009",
                "Failed to validate the query: Argument `mode` on `%s`: `insensitive` is not available on %s, whose "
                "text comparisons follow the column's collation (case-insensitive in the tables Prisma creates).",
                f->name, q->be->display_name);
        return false;
    }
    q_key_u8(q, ins);
    const char *ops[6] = { flt->equals, flt->not_, flt->lt, flt->lte, flt->gt, flt->gte };
    static const int codes[6] = { OP_EQ, OP_NE, OP_LT, OP_LTE, OP_GT, OP_GTE };
    for (int k = 0; k < 6; k++) {
        if (!ops[k])
            continue;
        if (!q_check_text(q, f, ops[k]))
            return false;
        if (ops[k] == PRISMA_NULL && k > 1) {
            err_set(&q->err, "P2009", "Failed to validate the query: `%s` cannot be compared with null.", f->name);
            return false;
        }
        if (!cmp(q, m, f, qualified, c, codes[k], ops[k] == PRISMA_NULL ? v_null() : v_text(ops[k]), ins && k < 2, fi))
            return false;
    }
    const char *likes[3] = { flt->contains, flt->starts_with, flt->ends_with };
    static const int like_codes[3] = { OP_CONTAINS, OP_STARTS, OP_ENDS };
    for (int k = 0; k < 3; k++) {
        if (!likes[k])
            continue;
        if (likes[k] == PRISMA_NULL || !q_check_text(q, f, likes[k])) {
            if (likes[k] == PRISMA_NULL)
                err_set(&q->err, "P2009", "Failed to validate the query: `%s`: a string filter cannot take null.",
                        f->name);
            return false;
        }
        bool lead = k != 1, trail = k != 2;
        q_key_u32(q, fi);
        q_key_u8(q, like_codes[k]);
        cond_begin(q, c);
        const backend_match *match = &q->be->match[ins];
        if (match->fn[k]) { /* fn(col, text): the text as given */
            q_sql(q, match->fn[k]);
            q_sql(q, "(");
            q_sql_col(q, m, f, qualified);
            q_sql(q, ", ");
            q_param(q, v_text(likes[k]));
            q_sql(q, ")");
            continue;
        }
        q_sql_col(q, m, f, qualified);
        q_sql(q, match->op);
        q_param(q, v_text(q_like_pattern(q, likes[k], lead, trail)));
        q_sql(q, match->escape ? match->escape : " ESCAPE '\\'");
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
    if (!ref_ops(q, m, f, qualified, c, REF6(flt->ref), 6, ins, fi) ||
        !ref_in(q, m, f, qualified, c, flt->ref.in, flt->ref.not_in, fi))
        return false;
    const int ref_likes[3] = { flt->ref.contains, flt->ref.starts_with, flt->ref.ends_with };
    for (int k = 0; k < 3; k++)
        if (ref_likes[k] && !ref_match(q, m, f, qualified, c, k, ref_likes[k], ins, fi))
            return false;
    if (flt->search && !search_filter(q, m, f, w, qualified, c, fi))
        return false;
    return true;
}

/* ---- scalar lists (Prisma's ScalarListFilter) ---- */

/* The members every prisma_*_list_filter begins with; `has` follows, of the
 * item's create-input type (its offset: list_has_offset). */
typedef struct list_filter_head {
    prisma_string_list equals, has_every, has_some; /* the layout of every prisma_*_list */
    prisma_bool is_empty;
} list_filter_head;

static size_t list_has_offset(int type)
{
    switch (type) {
    case PRISMA_TYPE_INT: return offsetof(prisma_int_list_filter, has);
    case PRISMA_TYPE_BIGINT: return offsetof(prisma_bigint_list_filter, has);
    case PRISMA_TYPE_FLOAT: return offsetof(prisma_float_list_filter, has);
    case PRISMA_TYPE_BOOLEAN: return offsetof(prisma_bool_list_filter, has);
    case PRISMA_TYPE_DATETIME: return offsetof(prisma_datetime_list_filter, has);
    case PRISMA_TYPE_BYTES: return offsetof(prisma_bytes_list_filter, has);
    case PRISMA_TYPE_ENUM: return offsetof(prisma_enum_list_filter, has);
    default: return offsetof(prisma_string_list_filter, has); /* String, Decimal, Json */
    }
}

enum { L_EQUALS = 0x41, L_HAS, L_HAS_EVERY, L_HAS_SOME, L_EMPTY, L_NOT_EMPTY };

static void list_cond(query *q, const prisma_model_desc *m, const prisma_field_desc *f, bool qualified, bool *first,
                      unsigned fi, int op, const char *sql_op, const prisma_value *v)
{
    const backend_lists *L = q->be->lists;
    q_key_u32(q, fi);
    q_key_u8(q, op);
    if (!*first)
        q_sql(q, " AND ");
    *first = false;
    if (!v) { /* is_empty */
        q_sql(q, L->empty_open);
        q_sql_col(q, m, f, qualified);
        q_sql(q, L->empty_close[op == L_NOT_EMPTY]);
        return;
    }
    q_sql_col(q, m, f, qualified);
    q_sql(q, sql_op);
    q_param(q, *v);
}

bool q_list_filter(query *q, const prisma_model_desc *m, const prisma_field_desc *f, const void *w, bool qualified,
                   bool *first, unsigned fi)
{
    const char *base = (const char *)w + f->where_off;
    const list_filter_head *flt = AT(base, 0, list_filter_head);
    const void *has = base + list_has_offset(f->type);
    prisma_value item, v;
    int has_given = q_read_item(q, f, has, &item);
    if (has_given < 0)
        return false;
    if (!flt->equals.set && !flt->has_every.set && !flt->has_some.set && !flt->is_empty.set && !has_given)
        return true;
    if (!q_lists_supported(q))
        return false;
    const backend_lists *L = q->be->lists;
    if (flt->equals.set) {
        if (q_read_list(q, f, &flt->equals, &v) < 0)
            return false;
        list_cond(q, m, f, qualified, first, fi, L_EQUALS, " = ", &v);
    }
    if (has_given) {
        if (item.kind == V_NULL) {
            err_set(&q->err, "P2009", "Failed to validate the query: `where.%s.has`: A value is required but not set.",
                    f->name);
            return false;
        }
        if (item.kind == V_DOUBLE && !q_check_double(q, f, item.d))
            return false;
        prisma_value *one = (prisma_value *)(void *)q_temp(q, sizeof *one);
        if (!one)
            return false;
        *one = item;
        v = (prisma_value){ .kind = V_ARRAY, .items = one, .len = 1 };
        list_cond(q, m, f, qualified, first, fi, L_HAS, L->contains, &v);
    }
    if (flt->has_every.set) {
        if (q_read_list(q, f, &flt->has_every, &v) < 0)
            return false;
        list_cond(q, m, f, qualified, first, fi, L_HAS_EVERY, L->contains, &v);
    }
    if (flt->has_some.set) {
        if (q_read_list(q, f, &flt->has_some, &v) < 0)
            return false;
        list_cond(q, m, f, qualified, first, fi, L_HAS_SOME, L->overlaps, &v);
    }
    if (flt->is_empty.set) {
        if (flt->is_empty.null) {
            err_set(&q->err, "P2009", "Failed to validate the query: `where.%s.isEmpty`: A value is required but not set.",
                    f->name);
            return false;
        }
        list_cond(q, m, f, qualified, first, fi, flt->is_empty.v ? L_EMPTY : L_NOT_EMPTY, NULL, NULL);
    }
    return true;
}

static bool field_filter(query *q, const prisma_model_desc *m, const prisma_field_desc *f, const void *w,
                         bool qualified, cond_state *cs, unsigned fi)
{
    if (f->flags & PRISMA_F_LIST)
        return q_list_filter(q, m, f, w, qualified, &cs->first, fi);
    cond_state c = *cs;
    switch (f->type) {
    case PRISMA_TYPE_JSON:
        if (!q_json_filter(q, m, f, w, qualified, &c.first, fi))
            return false;
        break;
    case PRISMA_TYPE_STRING:
    case PRISMA_TYPE_DECIMAL:
        if (!string_filter(q, m, f, w, qualified, &c, fi))
            return false;
        break;
    case PRISMA_TYPE_INT:
        ORDERED_FILTER(prisma_int_filter, prisma_int, prisma_int_list, q_conv_int);
        break;
    case PRISMA_TYPE_BIGINT:
        ORDERED_FILTER(prisma_bigint_filter, prisma_bigint, prisma_bigint_list, q_conv_int);
        break;
    case PRISMA_TYPE_FLOAT:
        ORDERED_FILTER(prisma_float_filter, prisma_float, prisma_float_list, q_conv_double);
        break;
    case PRISMA_TYPE_DATETIME:
        ORDERED_FILTER(prisma_datetime_filter, prisma_datetime, prisma_datetime_list, conv_dt);
        break;
    case PRISMA_TYPE_BOOLEAN: {
        const prisma_bool_filter *flt = AT(w, f->where_off, prisma_bool_filter);
        if (flt->equals.set &&
            !cmp(q, m, f, qualified, &c, OP_EQ, flt->equals.null ? v_null() : v_bool(flt->equals.v), false, fi))
            return false;
        if (flt->not_.set &&
            !cmp(q, m, f, qualified, &c, OP_NE, flt->not_.null ? v_null() : v_bool(flt->not_.v), false, fi))
            return false;
        if (flt->is_null)
            null_test(q, m, f, qualified, &c, true, fi);
        if (flt->is_not_null)
            null_test(q, m, f, qualified, &c, false, fi);
        if (!ref_ops(q, m, f, qualified, &c, (const int[2]){ flt->ref.equals, flt->ref.not_ }, 2, false, fi) ||
            !ref_in(q, m, f, qualified, &c, flt->ref.in, flt->ref.not_in, fi))
            return false;
        break;
    }
    case PRISMA_TYPE_BYTES: {
        const prisma_bytes_filter *flt = AT(w, f->where_off, prisma_bytes_filter);
        const prisma_bytes *ops[2] = { &flt->equals, &flt->not_ };
        for (int k = 0; k < 2; k++)
            if (ops[k]->set &&
                !cmp(q, m, f, qualified, &c, k ? OP_NE : OP_EQ,
                     ops[k]->null ? v_null() : (prisma_value){ .kind = V_BLOB, .s = ops[k]->data, .len = ops[k]->len },
                     false, fi))
                return false;
        if (flt->is_null)
            null_test(q, m, f, qualified, &c, true, fi);
        if (flt->is_not_null)
            null_test(q, m, f, qualified, &c, false, fi);
        if (!ref_ops(q, m, f, qualified, &c, (const int[2]){ flt->ref.equals, flt->ref.not_ }, 2, false, fi) ||
            !ref_in(q, m, f, qualified, &c, flt->ref.in, flt->ref.not_in, fi))
            return false;
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
            if (!cmp(q, m, f, qualified, &c, k ? OP_NE : OP_EQ, v, false, fi))
                return false;
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
        if (!ref_ops(q, m, f, qualified, &c, (const int[2]){ flt->ref.equals, flt->ref.not_ }, 2, false, fi) ||
            !ref_in(q, m, f, qualified, &c, flt->ref.in, flt->ref.not_in, fi))
            return false;
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
    /* issue 13: relation filters (where_relation.c) */
    if (m->n_relations && !q_relation_filters(q, m, w, &c.first))
        return false;
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
                err_set(&q->err, "P2012", "`where.%s`: A value is required but not set.",
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
    /* issue 13: writes. The conditions of `filter`, ANDed: part of the shape. */
    const void *filter = q_unique_filter(m, u);
    if (filter) {
        q_key_u8(q, 'F');
        q_sql(q, " AND ");
        if (!q_where_walk(q, m, filter, qualified))
            return false;
    }
    return true;
}
