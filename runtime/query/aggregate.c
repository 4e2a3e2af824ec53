/* aggregate and group_by (issue 13): the columns a call asks for, checked
 * as Prisma checks them, then one statement and its decoding.
 *
 * aggregate: SELECT COUNT(*), SUM("x")... FROM "T" WHERE ...; with a cursor,
 * skip or take, over the page of rows a find_many would read, as Prisma
 * does: SELECT ... FROM (SELECT ... LIMIT ? OFFSET ?) AS "t".
 *
 * group_by: the groups in a subquery whose columns have short aliases ("f3"
 * a `by` field, "s3" the sum of field 3...), so that `having` is an ordinary
 * where input over them (a where over a descriptor of those columns: the
 * same filters as where) and ORDER BY names them on every database:
 *   SELECT "f1", "s3" FROM (SELECT "name" AS "f1", SUM("balance") AS "s3",
 *   COUNT("name") AS "c1" FROM "User" WHERE ... GROUP BY "name") AS "g"
 *   WHERE ("c1" > ?) ORDER BY "s3" DESC LIMIT ? OFFSET ? */
#include "aggregate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Statement kinds (the first byte of the shape key), out of query.h's range. */
enum { K_AGGREGATE = 0xA0, K_GROUP_BY = 0xA1 };

static const char agg_prefix[] = { 'c', 's', 'a', 'n', 'x' };
static const char *const agg_names[] = { "_count", "_sum", "_avg", "_min", "_max" };

static bool is_number(const prisma_field_desc *f)
{
    return !(f->flags & PRISMA_F_LIST) && (f->type == PRISMA_TYPE_INT || f->type == PRISMA_TYPE_BIGINT ||
                                           f->type == PRISMA_TYPE_FLOAT || f->type == PRISMA_TYPE_DECIMAL);
}

/* The type of an aggregate's value (its output, its having filter). */
static void agg_type(const prisma_field_desc *f, int agg, prisma_field_desc *out)
{
    *out = *f;
    out->flags = PRISMA_F_OPTIONAL;
    switch (agg) {
    case PRISMA_AGG_COUNT:
    case AGG_COUNT_ALL:
        out->type = PRISMA_TYPE_BIGINT;
        out->flags = 0;
        out->enum_desc = NULL;
        break;
    case PRISMA_AGG_SUM:
        out->type = f->type == PRISMA_TYPE_INT ? PRISMA_TYPE_BIGINT : f->type;
        break;
    case PRISMA_AGG_AVG:
        out->type = f->type == PRISMA_TYPE_DECIMAL ? PRISMA_TYPE_DECIMAL : PRISMA_TYPE_FLOAT;
        break;
    case AGG_BY:
        out->flags = f->flags & (PRISMA_F_OPTIONAL | PRISMA_F_LIST | PRISMA_F_CAST_COMPARE);
        break;
    default: /* min, max */
        break;
    }
}

static bool sel_bool(const void *sel, uint32_t off)
{
    bool b = false;
    if (sel && off != PRISMA_NO_OFFSET)
        memcpy(&b, (const char *)sel + off, sizeof b);
    return b;
}

/* The alias of a column: "f3", "s3", "c_". */
static void alias(char *buf, size_t cap, agg_col c)
{
    if (c.agg == AGG_COUNT_ALL)
        snprintf(buf, cap, "c_");
    else
        snprintf(buf, cap, "%c%u", c.agg == AGG_BY ? 'f' : agg_prefix[c.agg], (unsigned)c.field);
}

/* Whether a filter of that type gives anything (its wrapped values' marks,
 * its pointers, its tests). */
/* A having filter begins with the field's where filter (read by where.c):
 * the prefixes must keep the same layout. */
#define SAME_PREFIX_(T, last) \
    _Static_assert(offsetof(prisma_##T##_with_aggregates_filter, last) == offsetof(prisma_##T##_filter, last), "layout")
SAME_PREFIX_(int, ref);
SAME_PREFIX_(bigint, ref);
SAME_PREFIX_(float, ref);
SAME_PREFIX_(datetime, ref);
SAME_PREFIX_(bool, ref);
SAME_PREFIX_(bytes, ref);
SAME_PREFIX_(enum, ref);
SAME_PREFIX_(string, search);
SAME_PREFIX_(json, mode);
_Static_assert(offsetof(prisma_decimal_with_aggregates_filter, search) == offsetof(prisma_string_filter, search),
               "layout");
#undef SAME_PREFIX_

/* Whether a having filter names another field (a field reference): the
 * grouped subquery has no such columns, so it is refused. */
static bool ref_given(int type, const void *p)
{
    const char *base = p;
    size_t off, n;
    switch (type) {
    case PRISMA_TYPE_INT: off = offsetof(prisma_int_filter, ref), n = sizeof(prisma_field_ref); break;
    case PRISMA_TYPE_BIGINT: off = offsetof(prisma_bigint_filter, ref), n = sizeof(prisma_field_ref); break;
    case PRISMA_TYPE_FLOAT: off = offsetof(prisma_float_filter, ref), n = sizeof(prisma_field_ref); break;
    case PRISMA_TYPE_DATETIME: off = offsetof(prisma_datetime_filter, ref), n = sizeof(prisma_field_ref); break;
    case PRISMA_TYPE_BOOLEAN: off = offsetof(prisma_bool_filter, ref), n = sizeof(prisma_equality_ref); break;
    case PRISMA_TYPE_BYTES: off = offsetof(prisma_bytes_filter, ref), n = sizeof(prisma_equality_ref); break;
    case PRISMA_TYPE_ENUM: off = offsetof(prisma_enum_filter, ref), n = sizeof(prisma_equality_ref); break;
    case PRISMA_TYPE_JSON: return false;
    default: {
        const prisma_string_filter *x = p;
        if (x->search)
            return true;
        off = offsetof(prisma_string_filter, ref), n = sizeof(prisma_string_field_ref);
        break;
    }
    }
    for (size_t i = 0; i < n; i++)
        if (base[off + i])
            return true;
    return false;
}

static bool filter_given(int type, const void *p)
{
#define ORD_GIVEN(FT)                                                                                        \
    do {                                                                                                     \
        const FT *x = p;                                                                                     \
        return x->equals.set || x->not_.set || x->lt.set || x->lte.set || x->gt.set || x->gte.set ||          \
               x->in.set || x->not_in.set || x->is_null || x->is_not_null;                                   \
    } while (0)
    switch (type) {
    case PRISMA_TYPE_INT: ORD_GIVEN(prisma_int_filter);
    case PRISMA_TYPE_BIGINT: ORD_GIVEN(prisma_bigint_filter);
    case PRISMA_TYPE_FLOAT: ORD_GIVEN(prisma_float_filter);
    case PRISMA_TYPE_DATETIME: ORD_GIVEN(prisma_datetime_filter);
    case PRISMA_TYPE_BOOLEAN: {
        const prisma_bool_filter *x = p;
        return x->equals.set || x->not_.set || x->is_null || x->is_not_null;
    }
    case PRISMA_TYPE_BYTES: {
        const prisma_bytes_filter *x = p;
        return x->equals.set || x->not_.set || x->is_null || x->is_not_null;
    }
    case PRISMA_TYPE_ENUM: {
        const prisma_enum_filter *x = p;
        return x->equals || x->not_ || x->in.set || x->not_in.set || x->is_null || x->is_not_null;
    }
    case PRISMA_TYPE_JSON: {
        const prisma_json_filter *x = p;
        return x->equals || x->not_ || x->path.set || x->string_contains || x->string_starts_with ||
               x->string_ends_with || x->array_contains || x->array_starts_with || x->array_ends_with || x->lt ||
               x->lte || x->gt || x->gte;
    }
    default: {
        const prisma_string_filter *x = p;
        return x->equals || x->not_ || x->lt || x->lte || x->gt || x->gte || x->contains || x->starts_with ||
               x->ends_with || x->in.set || x->not_in.set || x->is_null || x->is_not_null;
    }
    }
#undef ORD_GIVEN
}

/* ---- planning ---- */

typedef struct need_set {
    uint8_t *bits; /* [agg * n_fields + field], agg in 0..AGG_BY */
    unsigned n;
} need_set;

static bool need_get(const need_set *s, int agg, unsigned k) { return s->bits[(unsigned)agg * s->n + k] != 0; }
static void need_put(need_set *s, int agg, unsigned k) { s->bits[(unsigned)agg * s->n + k] = 1; }

#define fail(q, code, ...) (err_set(&(q)->err, code, __VA_ARGS__), PRISMA_ERROR)

/* The selected aggregates into `need`; -1 (P2009) for a selection that asks nothing. */
static int read_selection(query *q, const agg_plan *p, const prisma_agg_select *sel, need_set *need, bool *count_all,
                          size_t *n)
{
    const void *s[PRISMA_AGG_N] = { sel->count, sel->sum, sel->avg, sel->min, sel->max };
    for (int a = 0; a < PRISMA_AGG_N; a++) {
        if (!s[a])
            continue;
        size_t before = *n;
        if (a == PRISMA_AGG_COUNT && sel_bool(s[a], p->l->count_all_in)) {
            *count_all = true;
            (*n)++;
        }
        for (unsigned k = 0; k < p->m->n_fields; k++)
            if (sel_bool(s[a], p->l->fields[k].in[a])) {
                need_put(need, a, k);
                (*n)++;
            }
        if (*n == before)
            return fail(q, "P2009", "Failed to validate the query: `%s`: Expected a minimum of 1 fields to be present, got 0.",
                        agg_names[a]);
    }
    return PRISMA_OK;
}

static int alloc_cols(query *q, agg_plan *p, size_t n_out, size_t n_inner)
{
    p->out = (agg_col *)(void *)q_temp(q, (n_out + 1) * sizeof *p->out);
    p->inner = (agg_col *)(void *)q_temp(q, (n_inner + 1) * sizeof *p->inner);
    prisma_field_desc *df = (prisma_field_desc *)(void *)q_temp(q, (n_out + 1) * sizeof *df);
    if (!p->out || !p->inner || !df) {
        err_oom(&q->err);
        return PRISMA_ERROR;
    }
    p->dec = *p->m;
    p->dec_fields = df;
    p->dec.fields = df;
    p->dec.n_fields = 0;
    return PRISMA_OK;
}

/* A column read into the result at `off`. */
static void add_out(agg_plan *p, agg_col c, uint32_t off)
{
    prisma_field_desc *df = p->dec_fields;
    p->out[p->n_out++] = c;
    if (c.agg == AGG_COUNT_ALL) /* of no field (a model may have none) */
        df[p->dec.n_fields] = (prisma_field_desc){ .name = "_all", .column = "", .type = PRISMA_TYPE_BIGINT };
    else
        agg_type(&p->m->fields[c.field], c.agg, &df[p->dec.n_fields]);
    df[p->dec.n_fields++].rec_off = off;
}

/* The read columns, in one order for both calls: count(*), then each
 * aggregate's fields; group_by's `by` fields first. */
static void collect_out(agg_plan *p, const need_set *sel, bool count_all)
{
    const prisma_agg_layout *l = p->l;
    const uint32_t *base = p->group ? l->row_off : l->result_off;
    if (p->group)
        for (unsigned k = 0; k < p->m->n_fields; k++)
            if (need_get(sel, AGG_BY, k))
                add_out(p, (agg_col){ AGG_BY, (uint16_t)k }, l->fields[k].group_off);
    if (count_all)
        add_out(p, (agg_col){ AGG_COUNT_ALL, 0 }, base[PRISMA_AGG_COUNT] + l->count_all_out);
    for (int a = 0; a < PRISMA_AGG_N; a++)
        for (unsigned k = 0; k < p->m->n_fields; k++)
            if (need_get(sel, a, k))
                add_out(p, (agg_col){ (uint8_t)a, (uint16_t)k }, base[a] + l->fields[k].out[a]);
}

static prisma_sort sort_at(const void *base, uint32_t off)
{
    prisma_sort s = PRISMA_SORT_NONE;
    if (off != PRISMA_NO_OFFSET)
        memcpy(&s, (const char *)base + off, sizeof s);
    return s;
}

int agg_plan_aggregate(query *q, agg_plan *p, const prisma_model_desc *m, const prisma_agg_layout *l,
                       const prisma_aggregate_args *args)
{
    memset(p, 0, sizeof *p);
    p->m = m;
    p->l = l;
    if (args)
        p->aa = *args;
    if (m->n_fields > MAX_FIELDS)
        return fail(q, "P2009", "Failed to validate the query: %s has too many fields.", m->name);
    need_set sel = { (uint8_t *)q_temp(q, (AGG_BY + 1u) * m->n_fields + 1), m->n_fields };
    if (!sel.bits)
        return (err_oom(&q->err), PRISMA_ERROR);
    memset(sel.bits, 0, (AGG_BY + 1u) * m->n_fields + 1);
    bool count_all = false;
    size_t n = 0;
    if (read_selection(q, p, &p->aa.sel, &sel, &count_all, &n) != PRISMA_OK || alloc_cols(q, p, n, 0) != PRISMA_OK)
        return PRISMA_ERROR;
    collect_out(p, &sel, count_all);
    /* The window, as find_many reads it. */
    p->fa.where = p->aa.where;
    p->fa.order_by = p->aa.order_by;
    p->fa.order_by_len = p->aa.order_by_len;
    p->fa.cursor = p->aa.cursor;
    p->fa.skip = p->aa.skip;
    p->fa.take = p->aa.take.v;
    p->fa.has_take = p->aa.take.set && !p->aa.take.null;
    p->fa.take_null = p->aa.take.set && p->aa.take.null;
    if (p->fa.order_by_len && !p->fa.order_by)
        return fail(q, "P2009", "Failed to validate the query: `%s` has a length but no array.", "orderBy");
    /* As Prisma: a cursor with an ordering that is not unique has no stable
     * page to aggregate over. */
    for (size_t i = 0; p->fa.cursor && i < p->fa.order_by_len; i++)
        for (unsigned k = 0; k < m->n_fields; k++) {
            const prisma_field_desc *f = &m->fields[k];
            if (f->order_off != PRISMA_NO_OFFSET &&
                sort_at((const char *)p->fa.order_by + i * m->order_size, f->order_off) != PRISMA_SORT_NONE &&
                !(f->flags & (PRISMA_F_UNIQUE | PRISMA_F_ID)))
                return fail(q, "P2019",
                            "Input error. Unable to process combination of query arguments for aggregation query. "
                            "Please note that it is not possible at the moment to have a null-cursor, or a cursor "
                            "and orderBy combination that not stable (unique).");
        }
    p->fc.m = m;
    p->fc.args = &p->fa;
    int64_t take = p->fa.has_take ? p->fa.take : 0;
    if (take < 0) {
        p->fc.reverse = true;
        take = -take;
    }
    p->fc.take = take;
    p->window = p->fa.cursor || p->fa.skip > 0 || p->fa.has_take;
    p->empty = n == 0 || (p->fa.has_take && p->fa.take == 0);
    return PRISMA_OK;
}

/* The fields and aggregates a having input uses (into need), checked. */
static int scan_having(query *q, agg_plan *p, const void *w, need_set *need, unsigned depth)
{
    if (!w)
        return PRISMA_OK;
    if (depth > 64)
        return fail(q, "P2009", "Failed to validate the query: `%s` is nested too deep.", "having");
    const prisma_agg_layout *l = p->l;
    for (unsigned k = 0; k < p->m->n_fields; k++) {
        const prisma_agg_field *af = &l->fields[k];
        const prisma_field_desc *f = &p->m->fields[k];
        if (af->having_off != PRISMA_NO_OFFSET && ref_given(f->type, (const char *)w + af->having_off))
            return fail(q, "P2009", "Failed to validate the query: `having.%s` cannot use field references or search.",
                        f->name);
        if (af->having_off != PRISMA_NO_OFFSET && filter_given(f->type, (const char *)w + af->having_off) &&
            !need_get(need, AGG_BY, k)) {
            return fail(q, "P2019",
                        "Input error. Every field used in `having` filters must either be an aggregation filter or be "
                        "included in the selection of the query. Missing fields: %s",
                        f->name);
        }
        for (int a = 0; a < PRISMA_AGG_N; a++) {
            if (af->having_agg[a] == PRISMA_NO_OFFSET)
                continue;
            prisma_field_desc t;
            agg_type(f, a, &t);
            if (ref_given(t.type, (const char *)w + af->having_agg[a]))
                return fail(q, "P2009",
                            "Failed to validate the query: `having.%s.%s` cannot use field references or search.",
                            f->name, agg_names[a]);
            if (filter_given(t.type, (const char *)w + af->having_agg[a]))
                need_put(need, a, k);
        }
    }
    struct {
        const void *AND;
        size_t AND_len;
        const void *OR;
        size_t OR_len;
        const void *NOT;
        size_t NOT_len;
    } h;
    memcpy(&h, w, sizeof h);
    const void *arr[3] = { h.AND, h.OR, h.NOT };
    size_t len[3] = { h.AND_len, h.OR_len, h.NOT_len };
    for (int j = 0; j < 3; j++) {
        if (len[j] && !arr[j])
            return fail(q, "P2009", "Failed to validate the query: `having.%s` has a length but no array.",
                        j == 0 ? "AND" : j == 1 ? "OR" : "NOT");
        for (size_t i = 0; i < len[j]; i++)
            if (scan_having(q, p, (const char *)arr[j] + i * l->having_size, need, depth + 1) != PRISMA_OK)
                return PRISMA_ERROR;
    }
    return PRISMA_OK;
}


/* order_by: its fields must be `by` fields, its sums and averages of numbers. */
static int scan_order(query *q, agg_plan *p, need_set *need)
{
    const prisma_agg_layout *l = p->l;
    if (p->ga.order_by_len && !p->ga.order_by)
        return fail(q, "P2009", "Failed to validate the query: `%s` has a length but no array.", "orderBy");
    for (size_t i = 0; i < p->ga.order_by_len; i++) {
        const char *ob = (const char *)p->ga.order_by + i * l->order_size;
        for (unsigned k = 0; k < p->m->n_fields; k++) {
            const prisma_field_desc *f = &p->m->fields[k];
            if (sort_at(ob, l->fields[k].order_off) != PRISMA_SORT_NONE && !need_get(need, AGG_BY, k))
                return fail(q, "P2019",
                            "Input error. Every field used for orderBy must be included in the by-arguments of the "
                            "query. Missing fields: %s",
                            f->name);
            for (int a = 0; a < PRISMA_AGG_N; a++) {
                if (f->order_off == PRISMA_NO_OFFSET ||
                    sort_at(ob + l->order_agg_off[a], f->order_off) == PRISMA_SORT_NONE)
                    continue;
                if ((a == PRISMA_AGG_SUM || a == PRISMA_AGG_AVG) && !is_number(f))
                    return fail(q, "P2009",
                                "Failed to validate the query: `orderBy`: `%s` has no sum or average (not a number).",
                                f->name);
                if ((a == PRISMA_AGG_MIN || a == PRISMA_AGG_MAX) && l->fields[k].out[a] == PRISMA_NO_OFFSET)
                    return fail(q, "P2009", "Failed to validate the query: `orderBy`: `%s` has no minimum or maximum.",
                                f->name);
                need_put(need, a, k);
            }
        }
    }
    return PRISMA_OK;
}

int agg_plan_group_by(query *q, agg_plan *p, const prisma_model_desc *m, const prisma_agg_layout *l,
                      const prisma_group_by_args *args)
{
    memset(p, 0, sizeof *p);
    p->m = m;
    p->l = l;
    p->group = true;
    if (args)
        p->ga = *args;
    if (!args || p->ga.by_len == 0)
        return fail(q, "P2019", "Input error. At least one selection is required for the `by` argument.");
    if (!p->ga.by)
        return fail(q, "P2009", "Failed to validate the query: `%s` has a length but no array.", "by");
    if (m->n_fields > MAX_FIELDS)
        return fail(q, "P2009", "Failed to validate the query: %s has too many fields.", m->name);
    size_t bytes = (AGG_BY + 1u) * m->n_fields + 1;
    need_set sel = { (uint8_t *)q_temp(q, bytes), m->n_fields };
    need_set all = { (uint8_t *)q_temp(q, bytes), m->n_fields };
    if (!sel.bits || !all.bits)
        return (err_oom(&q->err), PRISMA_ERROR);
    memset(sel.bits, 0, bytes);
    for (size_t i = 0; i < p->ga.by_len; i++) {
        int v;
        memcpy(&v, (const char *)p->ga.by + i * sizeof(int), sizeof v);
        if (v < 1 || (unsigned)v > m->n_fields) {
            err_set(&q->err, "P2009", "Failed to validate the query: `by`: %d is not a field of %s.", v, m->name);
            return PRISMA_ERROR;
        }
        need_put(&sel, AGG_BY, (unsigned)v - 1);
    }
    bool count_all = false;
    size_t n = 0;
    if (read_selection(q, p, &p->ga.sel, &sel, &count_all, &n) != PRISMA_OK)
        return PRISMA_ERROR;
    memcpy(all.bits, sel.bits, bytes);
    if (scan_having(q, p, p->ga.having, &all, 0) != PRISMA_OK || scan_order(q, p, &all) != PRISMA_OK)
        return PRISMA_ERROR;
    size_t n_by = 0, n_inner = count_all;
    for (unsigned k = 0; k < m->n_fields; k++) {
        n_by += need_get(&sel, AGG_BY, k);
        for (int a = 0; a <= AGG_BY; a++)
            n_inner += need_get(&all, a, k);
    }
    if (alloc_cols(q, p, n + n_by, n_inner) != PRISMA_OK)
        return PRISMA_ERROR;
    collect_out(p, &sel, count_all);
    /* The subquery's columns: the `by` fields, then every aggregate used. */
    for (unsigned k = 0; k < m->n_fields; k++)
        if (need_get(&all, AGG_BY, k))
            p->inner[p->n_inner++] = (agg_col){ AGG_BY, (uint16_t)k };
    if (count_all)
        p->inner[p->n_inner++] = (agg_col){ AGG_COUNT_ALL, 0 };
    for (int a = 0; a < PRISMA_AGG_N; a++)
        for (unsigned k = 0; k < m->n_fields; k++)
            if (need_get(&all, a, k))
                p->inner[p->n_inner++] = (agg_col){ (uint8_t)a, (uint16_t)k };
    /* having: a where input over the subquery's columns. */
    if (p->ga.having) {
        size_t nh = (size_t)m->n_fields * (PRISMA_AGG_N + 1);
        prisma_field_desc *hf = (prisma_field_desc *)(void *)q_temp(q, (nh + 1) * sizeof *hf);
        char *names = q_temp(q, nh * 8 + 1);
        if (!hf || !names)
            return (err_oom(&q->err), PRISMA_ERROR);
        p->hav = *m;
        p->hav.fields = hf;
        p->hav.n_fields = 0;
        p->hav.where_size = l->having_size;
        for (unsigned k = 0; k < m->n_fields; k++) {
            const prisma_agg_field *af = &l->fields[k];
            for (int a = -1; a < PRISMA_AGG_N; a++) {
                uint32_t off = a < 0 ? af->having_off : af->having_agg[a];
                if (off == PRISMA_NO_OFFSET)
                    continue;
                prisma_field_desc *t = &hf[p->hav.n_fields++];
                agg_type(&m->fields[k], a < 0 ? AGG_BY : a, t);
                t->where_off = off;
                t->order_off = PRISMA_NO_OFFSET;
                alias(names, 8, (agg_col){ (uint8_t)(a < 0 ? AGG_BY : a), (uint16_t)k });
                t->column = names;
                names += 8;
            }
        }
    }
    p->fa.skip = p->ga.skip;
    p->fa.take = p->ga.take.v;
    p->fa.has_take = p->ga.take.set && !p->ga.take.null;
    p->fa.take_null = p->ga.take.set && p->ga.take.null;
    p->take = p->fa.has_take ? p->fa.take : 0;
    if (p->take < 0) {
        p->reverse = true;
        p->take = -p->take;
    }
    p->has_skip = p->ga.skip > 0;
    p->empty = p->fa.has_take && p->fa.take == 0;
    return PRISMA_OK;
}

/* ---- the statement ---- */

static void col_expr(query *q, const agg_plan *p, agg_col c)
{
    if (c.agg == AGG_COUNT_ALL) {
        q_sql(q, "COUNT(*)");
        return;
    }
    const prisma_field_desc *f = &p->m->fields[c.field];
    if (c.agg == AGG_BY) {
        q_sql_col(q, p->m, f, false);
        return;
    }
    static const char *const fn[] = { "COUNT(", "SUM(", "AVG(", "MIN(", "MAX(" };
    const char *name = fn[c.agg];
    /* A database without MIN / MAX of booleans names other functions. */
    if ((c.agg == PRISMA_AGG_MIN || c.agg == PRISMA_AGG_MAX) && f->type == PRISMA_TYPE_BOOLEAN &&
        q->be->bool_min_max[c.agg - PRISMA_AGG_MIN])
        name = q->be->bool_min_max[c.agg - PRISMA_AGG_MIN];
    bool wrap = c.agg != PRISMA_AGG_COUNT && f->type == PRISMA_TYPE_DECIMAL && q->be->decimal_agg[0];
    if (wrap)
        q_sql(q, q->be->decimal_agg[0]);
    q_sql(q, name);
    q_sql_col(q, p->m, f, false);
    q_sql(q, ")");
    if (wrap)
        q_sql(q, q->be->decimal_agg[1]);
}

static void key_col(query *q, agg_col c)
{
    q_key_u8(q, c.agg);
    q_key_u32(q, c.field);
}

static void sql_alias(query *q, agg_col c)
{
    char buf[16];
    alias(buf, sizeof buf, c);
    q_sql_ident(q, buf);
}

static bool build_aggregate(query *q, agg_plan *p)
{
    const prisma_model_desc *m = p->m;
    q_key_u8(q, K_AGGREGATE);
    q_key_u32(q, m->index);
    q_key_u32(q, (uint32_t)p->n_out);
    q_sql(q, "SELECT ");
    for (size_t i = 0; i < p->n_out; i++) {
        key_col(q, p->out[i]);
        if (i)
            q_sql(q, ", ");
        col_expr(q, p, p->out[i]);
    }
    q_sql(q, " FROM ");
    if (p->window) {
        /* The page of rows find_many would read. */
        q_key_u8(q, 'w');
        q_sql(q, "(");
        if (!q_build_find(q, &p->fc))
            return false;
        q_sql(q, ") AS ");
        q_sql_ident(q, "t");
        return true;
    }
    q_sql_table(q, m);
    q_sql(q, " WHERE ");
    return q_where_walk(q, m, p->aa.where, true);
}

/* ORDER BY of group_by, over the subquery's aliases. */
static void group_order(query *q, const agg_plan *p)
{
    const prisma_agg_layout *l = p->l;
    bool any = false;
    for (size_t i = 0; i < p->ga.order_by_len; i++) {
        const char *ob = (const char *)p->ga.order_by + i * l->order_size;
        for (unsigned k = 0; k < p->m->n_fields; k++) {
            const prisma_field_desc *f = &p->m->fields[k];
            for (int a = -1; a < PRISMA_AGG_N; a++) {
                prisma_sort s = a < 0 ? sort_at(ob, l->fields[k].order_off)
                                      : f->order_off == PRISMA_NO_OFFSET ? PRISMA_SORT_NONE
                                                                         : sort_at(ob + l->order_agg_off[a], f->order_off);
                if (s == PRISMA_SORT_NONE)
                    continue;
                bool desc = (s == PRISMA_DESC) != p->reverse;
                agg_col c = { (uint8_t)(a < 0 ? AGG_BY : a), (uint16_t)k };
                key_col(q, c);
                q_key_u8(q, desc);
                q_sql(q, any ? ", " : " ORDER BY ");
                sql_alias(q, c);
                q_sql(q, desc ? " DESC" : " ASC");
                any = true;
            }
        }
    }
    if (!any && p->reverse) {
        /* A negative take without an order: the groups' last, by their fields. */
        for (size_t i = 0; i < p->n_inner; i++) {
            if (p->inner[i].agg != AGG_BY)
                continue;
            q_key_u8(q, 'r');
            q_sql(q, any ? ", " : " ORDER BY ");
            sql_alias(q, p->inner[i]);
            q_sql(q, " DESC");
            any = true;
        }
    }
}

static bool build_group_by(query *q, agg_plan *p)
{
    const prisma_model_desc *m = p->m;
    q_key_u8(q, K_GROUP_BY);
    q_key_u32(q, m->index);
    q_key_u32(q, (uint32_t)p->n_out);
    q_sql(q, "SELECT ");
    for (size_t i = 0; i < p->n_out; i++) {
        key_col(q, p->out[i]);
        if (i)
            q_sql(q, ", ");
        sql_alias(q, p->out[i]);
    }
    q_key_u32(q, (uint32_t)p->n_inner);
    q_sql(q, " FROM (SELECT ");
    for (size_t i = 0; i < p->n_inner; i++) {
        key_col(q, p->inner[i]);
        if (i)
            q_sql(q, ", ");
        col_expr(q, p, p->inner[i]);
        q_sql(q, " AS ");
        sql_alias(q, p->inner[i]);
    }
    q_sql(q, " FROM ");
    q_sql_table(q, m);
    q_sql(q, " WHERE ");
    if (!q_where_walk(q, m, p->ga.where, true))
        return false;
    q_sql(q, " GROUP BY ");
    bool first = true;
    for (size_t i = 0; i < p->n_inner; i++) {
        if (p->inner[i].agg != AGG_BY)
            continue;
        if (!first)
            q_sql(q, ", ");
        q_sql_col(q, m, &m->fields[p->inner[i].field], false);
        first = false;
    }
    q_sql(q, ") AS ");
    q_sql_ident(q, "g");
    if (p->ga.having) {
        q_key_u8(q, 'h');
        q_sql(q, " WHERE ");
        if (!q_where_walk(q, &p->hav, p->ga.having, false))
            return false;
    }
    group_order(q, p);
    q_key_u8(q, (unsigned)(p->take > 0) | (unsigned)p->has_skip << 1);
    if (p->take > 0) {
        q_sql(q, backend_sql_limit(q->be));
        q_param(q, v_int(p->take));
    } else if (p->has_skip && q->be->no_limit) {
        q_sql(q, q->be->no_limit);
    }
    if (p->has_skip) {
        q_sql(q, " OFFSET ");
        q_param(q, v_int(p->ga.skip));
    }
    return true;
}

bool agg_build(query *q, void *vctx)
{
    agg_plan *p = vctx;
    return p->group ? build_group_by(q, p) : build_aggregate(q, p);
}

/* ---- the results ---- */

int agg_empty(query *q, agg_plan *p, void **out)
{
    void *root;
    size_t size = p->group ? sizeof(rec_list) : p->l->result_size;
    result_arena *a = result_new(size, &root);
    if (!a)
        return (err_oom(&q->err), PRISMA_ERROR);
    memset(root, 0, size);
    *out = root;
    return PRISMA_OK;
}

int agg_fetch(query *q, agg_plan *p, prisma_rows *rows, void **out)
{
    *out = NULL;
    if (!p->group) {
        void *root;
        result_arena *a = result_new(p->l->result_size, &root);
        if (!a) {
            q->be->done(rows);
            return (err_oom(&q->err), PRISMA_ERROR);
        }
        memset(root, 0, p->l->result_size);
        int st = q->be->next(rows, &q->err);
        if (st == 1 && !q_decode_row(q, &p->dec, rows, 0, root, a))
            st = -2;
        q->be->done(rows);
        if (st < 0) {
            if (st == -2 && !q->err.code[0])
                err_oom(&q->err);
            result_free_root(root);
            return PRISMA_ERROR;
        }
        *out = root;
        return PRISMA_OK;
    }
    rec_list *list;
    result_arena *a = result_new(sizeof *list, (void **)&list);
    if (!a) {
        q->be->done(rows);
        return (err_oom(&q->err), PRISMA_ERROR);
    }
    list->len = 0;
    list->items = NULL;
    size_t cap = 0, size = p->l->row_size;
    int st;
    while ((st = q->be->next(rows, &q->err)) == 1) {
        void *slot;
        if (!q_list_push(a, list, &cap, size, &slot) || !q_decode_row(q, &p->dec, rows, 0, slot, a)) {
            st = -2;
            break;
        }
    }
    q->be->done(rows);
    if (st < 0) {
        if (st == -2 && !q->err.code[0])
            err_oom(&q->err);
        result_free_root(list);
        return PRISMA_ERROR;
    }
    if (p->reverse && list->len > 1) {
        /* Back to the requested order. */
        char *tmp = malloc(size);
        if (!tmp) {
            result_free_root(list);
            return (err_oom(&q->err), PRISMA_ERROR);
        }
        for (size_t i = 0, j = list->len - 1; i < j; i++, j--) {
            char *x = (char *)list->items + i * size, *y = (char *)list->items + j * size;
            memcpy(tmp, x, size);
            memcpy(x, y, size);
            memcpy(y, tmp, size);
        }
        free(tmp);
    }
    *out = list;
    return PRISMA_OK;
}
