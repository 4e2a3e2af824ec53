/* ORDER BY and cursors of finds (moved out of select.c; issue 13 adds
 * ordering by a related record's fields, by a relation's _count, and nulls
 * first / last).
 *
 * An order-by input holds, in this order, its scalar fields (a prisma_sort),
 * its to-one relations (a pointer to the target's order-by input: any depth)
 * and its to-many relations (their _count). Each criterion becomes a term: a
 * path of to-one relations, then a field of the last model or the _count of
 * one of its to-many relations. A term with a path is a correlated scalar
 * subquery on the row, `(SELECT "_r2"."name" FROM "Post" AS "_r1" JOIN "User"
 * AS "_r2" ON ... WHERE "_r1"."id" = "Comment"."postId")`: NULL when a
 * related record is missing, as Prisma's LEFT JOINs give; a count is 0 then.
 * One statement, with no join in the FROM clause (the select list stays the
 * model's columns), and the same expressions serve the cursor. */
#include "query.h"

#include <string.h>

enum { MAX_TERMS = 64, MAX_HOPS = 8 };

typedef struct order_term {
    const prisma_relation_desc *hops[MAX_HOPS]; /* to-one relations from the find's model */
    const prisma_model_desc *models[MAX_HOPS + 1]; /* models[0]: the find's; models[i + 1]: hops[i]'s target */
    unsigned n_hops;
    const prisma_field_desc *f;         /* a field of models[n_hops], or NULL: */
    unsigned fi;
    const prisma_relation_desc *count;  /* the to-many relation of models[n_hops] whose records are counted */
    unsigned ci;
    int sort;                           /* prisma_sort as given */
    bool nullable;                      /* the value may be NULL (an optional field, or a missing related record) */
} order_term;

typedef struct order_terms {
    order_term t[MAX_TERMS];
    size_t n;
} order_terms;

static bool sort_valid(query *q, const char *name, int s, bool nulls_ok)
{
    if (s < PRISMA_SORT_NONE || s > PRISMA_DESC_NULLS_LAST) {
        err_set(&q->err, "P2009", "Failed to validate the query: `orderBy.%s`: Invalid value %d for SortOrder.", name,
                s);
        return false;
    }
    if (s > PRISMA_DESC && !nulls_ok) {
        /* Prisma: SortOrderInput ({ sort, nulls }) on optional fields only. */
        err_set(&q->err, "P2009",
                "Failed to validate the query: Invalid argument type: `orderBy.%s` takes a SortOrder: `nulls` "
                "applies to optional fields only.",
                name);
        return false;
    }
    return true;
}

static bool push_term(query *q, order_terms *ts, const order_term *proto)
{
    if (ts->n == MAX_TERMS) {
        err_set(&q->err, "P2009", "Failed to validate the query: `orderBy` has more than %d criteria.", MAX_TERMS);
        return false;
    }
    ts->t[ts->n++] = *proto;
    return true;
}

/* The criteria of one order-by input of model path->models[path->n_hops]. */
static bool collect(query *q, order_terms *ts, order_term *path, const void *ob)
{
    const prisma_model_desc *m = path->models[path->n_hops];
    bool via_optional = false;
    for (unsigned h = 0; h < path->n_hops; h++)
        via_optional |= path->hops[h]->optional || path->hops[h]->kind == PRISMA_REL_TO_ONE_BACK;
    for (unsigned k = 0; k < m->n_fields; k++) {
        const prisma_field_desc *f = &m->fields[k];
        if (f->order_off == PRISMA_NO_OFFSET)
            continue;
        prisma_sort s;
        memcpy(&s, (const char *)ob + f->order_off, sizeof s);
        if (s == PRISMA_SORT_NONE)
            continue;
        bool optional = f->flags & PRISMA_F_OPTIONAL;
        if (!sort_valid(q, f->name, (int)s, optional))
            return false;
        order_term t = *path;
        t.f = f;
        t.fi = k;
        t.count = NULL;
        t.sort = (int)s;
        t.nullable = optional || via_optional;
        if (!push_term(q, ts, &t))
            return false;
    }
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->order_off == PRISMA_NO_OFFSET || !r->target)
            continue;
        if (r->kind == PRISMA_REL_TO_MANY || r->kind == PRISMA_REL_MANY_TO_MANY) {
            prisma_relation_count_order c;
            memcpy(&c, (const char *)ob + r->order_off, sizeof c);
            if (c._count == PRISMA_SORT_NONE)
                continue;
            if (!sort_valid(q, r->name, (int)c._count, false))
                return false;
            order_term t = *path;
            t.f = NULL;
            t.count = r;
            t.ci = i;
            t.sort = (int)c._count;
            t.nullable = false; /* a count is 0 when nothing is related */
            if (!push_term(q, ts, &t))
                return false;
            continue;
        }
        const void *sub;
        memcpy(&sub, (const char *)ob + r->order_off, sizeof sub);
        if (!sub)
            continue;
        if (path->n_hops == MAX_HOPS) {
            err_set(&q->err, "P2009", "Failed to validate the query: `orderBy` goes through more than %d relations.",
                    MAX_HOPS);
            return false;
        }
        path->hops[path->n_hops] = r;
        path->models[++path->n_hops] = r->target;
        bool ok = collect(q, ts, path, sub);
        path->n_hops--;
        if (!ok)
            return false;
    }
    return true;
}

static bool collect_args(query *q, const find_ctx *fc, order_terms *ts)
{
    const prisma_model_desc *m = fc->m;
    ts->n = 0;
    for (size_t i = 0; fc->args && i < fc->args->order_by_len; i++) {
        if (!fc->args->order_by) {
            err_set(&q->err, "P2009", "Failed to validate the query: `orderBy` has a length but no array.");
            return false;
        }
        order_term path;
        memset(&path, 0, sizeof path);
        path.models[0] = m;
        if (!collect(q, ts, &path, (const char *)fc->args->order_by + i * m->order_size))
            return false;
    }
    return true;
}

static bool term_desc(const order_term *t, bool reverse)
{
    bool desc = t->sort == PRISMA_DESC || t->sort == PRISMA_DESC_NULLS_FIRST || t->sort == PRISMA_DESC_NULLS_LAST;
    return desc != reverse;
}

/* 0: the database's place for nulls; 1 first; 2 last (after reversal). */
static int term_nulls(const order_term *t, bool reverse)
{
    int n = t->sort == PRISMA_ASC_NULLS_FIRST || t->sort == PRISMA_DESC_NULLS_FIRST ? 1
            : t->sort == PRISMA_ASC_NULLS_LAST || t->sort == PRISMA_DESC_NULLS_LAST ? 2
                                                                                     : 0;
    return n && reverse ? 3 - n : n;
}

/* The key of a term's shape (a field alone keeps the key it always had). */
static void term_key(query *q, const order_term *t)
{
    if (!t->n_hops && t->f) {
        q_key_u32(q, t->fi);
        return;
    }
    q_key_u32(q, 0x80000000u | t->n_hops);
    for (unsigned h = 0; h < t->n_hops; h++)
        q_key_u32(q, (uint32_t)(t->hops[h] - t->models[h]->relations));
    q_key_u32(q, t->f ? t->fi : 0x40000000u | t->ci);
}

/* The link from row `pref` of model pm through relation r to row `cref`
 * (of r's target, or of the join table of an m-n). */
static void link(query *q, const prisma_model_desc *pm, uint32_t pref, const prisma_relation_desc *r, uint32_t cref)
{
    if (r->kind == PRISMA_REL_MANY_TO_MANY) {
        q_sql_ref(q, cref, pm);
        q_sql(q, ".");
        q_sql_ident(q, q_join_self_col(r));
        q_sql(q, " = ");
        q_sql_ref_col(q, pref, pm, q_id_field(pm));
        return;
    }
    q_relation_link(q, pm, pref, r, cref);
}

/* A term with a path: its correlated subquery on the row of the find's
 * model, referred to by its table's name. */
static void path_sub(query *q, const order_term *t)
{
    const prisma_relation_desc *steps[MAX_HOPS + 1];
    const prisma_model_desc *from[MAX_HOPS + 1];
    uint32_t alias[MAX_HOPS + 1];
    unsigned n = 0;
    for (unsigned h = 0; h < t->n_hops; h++) {
        steps[n] = t->hops[h];
        from[n++] = t->models[h];
    }
    if (t->count) {
        steps[n] = t->count;
        from[n++] = t->models[t->n_hops];
    }
    for (unsigned i = 0; i < n; i++)
        alias[i] = q_new_alias(q);
    q_sql(q, "(SELECT ");
    if (t->count)
        q_sql(q, "COUNT(*)");
    else
        q_sql_ref_col(q, alias[n - 1], t->models[t->n_hops], t->f);
    q_sql(q, " FROM ");
    for (unsigned i = 0; i < n; i++) {
        const prisma_relation_desc *r = steps[i];
        if (i)
            q_sql(q, " JOIN ");
        if (r->kind == PRISMA_REL_MANY_TO_MANY)
            q_join_table(q, from[i], r);
        else
            q_sql_table(q, r->target);
        q_sql(q, " AS ");
        q_sql_ref(q, alias[i], r->target);
        if (i) {
            q_sql(q, " ON ");
            link(q, from[i], alias[i - 1], r, alias[i]);
        }
    }
    q_sql(q, " WHERE ");
    link(q, from[0], 0, steps[0], alias[0]);
    q_sql(q, ")");
}

/* The term's value on the find's row: the column (qualified with the
 * table's name or not), or its subquery. */
static void term_expr(query *q, const order_term *t, bool qualified)
{
    if (!t->n_hops && t->f)
        q_sql_col(q, t->models[0], t->f, qualified);
    else
        path_sub(q, t);
}

bool q_order_by(query *q, const find_ctx *fc, bool with_pk)
{
    const prisma_model_desc *m = fc->m;
    order_terms tsv, *ts = &tsv;
    ts->n = 0;
    if (fc->args && fc->args->order_by_len && !collect_args(q, fc, ts))
        return false;
    bool any = false;
    bool used_pk = false;
    for (size_t i = 0; i < ts->n; i++) {
        const order_term *t = &ts->t[i];
        bool desc = term_desc(t, fc->reverse);
        int nulls = term_nulls(t, fc->reverse);
        term_key(q, t);
        q_key_u8(q, (unsigned)desc | (unsigned)nulls << 1);
        q_sql(q, any ? ", " : " ORDER BY ");
        if (nulls && q->be->nulls_by_is_null) {
            /* issue 16: no NULLS FIRST / LAST (MySQL): Prisma's `x IS [NOT] NULL, x` */
            term_expr(q, t, false);
            q_sql(q, nulls == 1 ? " IS NOT NULL, " : " IS NULL, ");
        }
        term_expr(q, t, false);
        q_sql(q, desc ? " DESC" : " ASC");
        if (nulls && !q->be->nulls_by_is_null)
            q_sql(q, nulls == 1 ? " NULLS FIRST" : " NULLS LAST");
        if (!t->n_hops && t->f && m->n_uniques && m->uniques[0].n_fields == 1 && m->uniques[0].fields[0] == t->fi)
            used_pk = true;
        any = true;
    }
    if (with_pk && !used_pk && m->n_uniques) {
        const prisma_unique_desc *pk = &m->uniques[0];
        for (unsigned k = 0; k < pk->n_fields; k++) {
            q_key_u8(q, 'p');
            q_sql(q, any ? ", " : " ORDER BY ");
            q_sql_col(q, m, &m->fields[pk->fields[k]], false);
            q_sql(q, fc->reverse ? " DESC" : " ASC");
            any = true;
        }
    }
    return true;
}

/* The term's value on the cursor row: a subquery on the find's table by the
 * cursor's unique criterion (inside it, the table's name is the cursor row). */
static bool cursor_value(query *q, const find_ctx *fc, const order_term *t)
{
    const prisma_model_desc *m = fc->m;
    q_sql(q, "(SELECT ");
    term_expr(q, t, false);
    q_sql(q, " FROM ");
    q_sql_table(q, m);
    q_sql(q, " WHERE ");
    if (!q_unique_walk(q, m, fc->args->cursor, false, NULL))
        return false;
    q_sql(q, ")");
    return true;
}

/* row OP cursor (OP " = ", " < " or " > "). A nullable term:
 * - with nulls first / last said, exactly: nulls equal each other and sort
 *   before (first) or after (last) every value;
 * - else, as Prisma, a null on either side passes: no statement can be made
 *   about its place relative to the cursor. */
static bool cursor_cmp(query *q, const find_ctx *fc, const order_term *t, const char *op)
{
    int nulls = term_nulls(t, fc->reverse);
    bool eq = op[1] == '=';
    if (t->nullable)
        q_sql(q, "(");
    term_expr(q, t, true);
    q_sql(q, op);
    if (!cursor_value(q, fc, t))
        return false;
    if (!t->nullable)
        return true;
    if (!nulls) {
        q_sql(q, " OR ");
        term_expr(q, t, true);
        q_sql(q, " IS NULL OR ");
        if (!cursor_value(q, fc, t))
            return false;
        q_sql(q, " IS NULL)");
        return true;
    }
    /* equal: both null; after the cursor: a value after a null cursor
     * (nulls first), a null after a value (nulls last) */
    q_sql(q, " OR (");
    term_expr(q, t, true);
    q_sql(q, eq ? " IS NULL AND " : nulls == 1 ? " IS NOT NULL AND " : " IS NULL AND ");
    if (!cursor_value(q, fc, t))
        return false;
    q_sql(q, eq ? " IS NULL))" : nulls == 1 ? " IS NULL))" : " IS NOT NULL))");
    return true;
}

/* The cursor: rows at or after the cursor row in the ordering. */
bool q_cursor_cond(query *q, const find_ctx *fc)
{
    const prisma_model_desc *m = fc->m;
    order_terms tsv, *ts = &tsv;
    ts->n = 0;
    if (fc->args->order_by_len && !collect_args(q, fc, ts))
        return false;
    /* The ordering, then the primary key. */
    bool desc[MAX_TERMS];
    size_t n = ts->n;
    bool any_nullable = false;
    for (size_t i = 0; i < n; i++) {
        desc[i] = term_desc(&ts->t[i], fc->reverse);
        any_nullable |= ts->t[i].nullable;
        if (ts->t[i].n_hops || !ts->t[i].f) {
            /* a relation term: its shape in the key */
            q_key_u8(q, 'r');
            term_key(q, &ts->t[i]);
        } else if (ts->t[i].nullable) {
            q_key_u8(q, 'n');
            q_key_u32(q, ts->t[i].fi);
            q_key_u8(q, (unsigned)term_nulls(&ts->t[i], fc->reverse));
        }
    }
    if (m->n_uniques)
        for (unsigned k = 0; k < m->uniques[0].n_fields && n < MAX_TERMS; k++) {
            order_term *t = &ts->t[n];
            memset(t, 0, sizeof *t);
            t->models[0] = m;
            t->fi = m->uniques[0].fields[k];
            t->f = &m->fields[t->fi];
            t->sort = PRISMA_ASC;
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
            if (!cursor_cmp(q, fc, &ts->t[k], " = "))
                return false;
        }
        if (i < n) {
            if (i)
                q_sql(q, " AND ");
            if (!cursor_cmp(q, fc, &ts->t[i], desc[i] ? " < " : " > "))
                return false;
        } else if (n == 0) {
            q_sql(q, "1=1");
        }
        q_sql(q, ")");
    }
    q_sql(q, ")");
    if (any_nullable) {
        /* A null passes the comparisons, a missing cursor row too: it must exist. */
        q_sql(q, " AND EXISTS (SELECT 1 FROM ");
        q_sql_table(q, m);
        q_sql(q, " WHERE ");
        if (!q_unique_walk(q, m, fc->args->cursor, false, NULL))
            return false;
        q_sql(q, ")");
    }
    return true;
}
