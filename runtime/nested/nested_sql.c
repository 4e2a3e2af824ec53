/* The statements of nested writes on lists of where-uniques, and lookups. */
#include "nested.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- statements on lists of where-uniques ---- */

/* The criterion of a where-unique input when it gives exactly one, of one
 * field (so that lists of them become `col IN (...)`). */
const prisma_unique_desc *nw_single_crit(query *q, const prisma_model_desc *t, const void *u, prisma_value *v)
{
    const prisma_unique_desc *found = NULL;
    if (q_unique_filter(t, u))
        return NULL; /* issue 13: with a filter, its own condition (q_unique_walk) */
    for (unsigned i = 0; i < t->n_uniques; i++) {
        const prisma_unique_desc *ud = &t->uniques[i];
        for (unsigned k = 0; k < ud->n_fields; k++) {
            prisma_value x;
            int r = q_read_create_value(q, &t->fields[ud->fields[k]], (const char *)u + ud->member_offs[k], &x);
            if (r < 0) {
                err_clear(&q->err); /* reported again, and properly, by q_unique_walk */
                return NULL;
            }
            if (r == 0)
                continue;
            if (found || ud->n_fields != 1 || x.kind == V_NULL)
                return NULL;
            found = ud;
            *v = x;
        }
    }
    return found;
}



/* The criterion every item of the list names (one field each), so that the
 * list is `col IN (...)`; NULL when they differ (an OR of conditions). */
const prisma_unique_desc *nw_ulist_in(query *q, const ulist *l)
{
    prisma_value v;
    const prisma_unique_desc *crit = l->n ? nw_single_crit(q, l->t, nw_ulist_at(l, 0), &v) : NULL;
    for (size_t i = 1; crit && i < l->n; i++)
        if (nw_single_crit(q, l->t, nw_ulist_at(l, i), &v) != crit)
            crit = NULL;
    return crit;
}


/* The most parameters one item of an OR list can bind (every unique given). */
unsigned nw_unique_width(const prisma_model_desc *t)
{
    unsigned width = 1;
    for (unsigned i = 0; i < t->n_uniques; i++)
        width += t->uniques[i].n_fields;
    return width;
}

/* (u1) OR (u2) ..., or `col IN (...)` when every item names the same single field. */
static bool ulist_sql(query *q, const ulist *l)
{
    if (l->n == 0) {
        q_key_u8(q, '0');
        q_sql(q, "1=0");
        return true;
    }
    prisma_value v;
    const prisma_unique_desc *crit = nw_ulist_in(q, l);
    q_key_u32(q, (uint32_t)l->n);
    if (crit) {
        q_key_u8(q, 'I');
        q_key_u32(q, (uint32_t)(crit - l->t->uniques));
        q_sql_col(q, l->t, &l->t->fields[crit->fields[0]], true);
        q_sql(q, " IN (");
        for (size_t i = 0; i < l->n; i++) {
            nw_single_crit(q, l->t, nw_ulist_at(l, i), &v);
            q_sql(q, i ? ", " : "");
            q_param(q, v);
        }
        q_sql(q, ")");
        return true;
    }
    q_key_u8(q, 'O');
    q_sql(q, "(");
    for (size_t i = 0; i < l->n; i++) {
        q_sql(q, i ? " OR (" : "(");
        if (!q_unique_walk(q, l->t, nw_ulist_at(l, i), true, NULL))
            return false;
        q_sql(q, ")");
    }
    q_sql(q, ")");
    return true;
}

/* How many items of a list go in one statement: bounded by the parameter
 * limit, and for OR lists by SQLite's expression depth (1000). */
size_t nw_chunk_of(query *q, const prisma_model_desc *t, const void *items, size_t n)
{
    ulist l = { t, items, n };
    /* issue 13: a filter binds any number of values: such lists go one item a statement. */
    for (size_t i = 0; i < n; i++)
        if (q_unique_filter(t, nw_ulist_at(&l, i)))
            return 1;
    size_t limit = q_param_limit(q) - 16;
    if (!nw_ulist_in(q, &l)) {
        unsigned width = nw_unique_width(t);
        limit = limit / width < MAX_OR ? limit / width : MAX_OR;
    }
    return limit ? limit : 1;
}


static bool where_sql(query *q, const nstmt *s)
{
    q_sql(q, " WHERE ");
    if (s->scope)
        q_scope_sql(q, s->scope);
    if (s->uniques) {
        q_key_u8(q, s->negate ? '!' : '&');
        q_sql(q, s->scope ? " AND " : "");
        q_sql(q, s->negate ? "NOT " : "");
        return ulist_sql(q, s->uniques);
    }
    if (!s->scope)
        q_sql(q, "1=1");
    return true;
}

/* "INSERT INTO join (self, other": an m-n link's head; its rows follow.
 * A link that exists already is kept (link_on_conflict): where the database
 * has no ON CONFLICT, by INSERT IGNORE (the join table's one unique key). */
static void link_insert_head(query *q, const nstmt *s, const prisma_relation_desc *r)
{
    bool ignore = !(q->be->caps & BACKEND_CONFLICT_TARGET) && (q->be->caps & BACKEND_INSERT_IGNORE);
    q_sql(q, ignore ? "INSERT IGNORE INTO " : "INSERT INTO ");
    q_join_table(q, s->m, r);
    q_sql(q, " (");
    q_sql_ident(q, q_join_self_col(r));
    q_sql(q, ", ");
    q_sql_ident(q, q_join_other_col(r));
}

/* A link that exists already is kept: connect is idempotent. */
static bool link_on_conflict(query *q)
{
    if (q->be->caps & BACKEND_CONFLICT_TARGET) {
        q_sql(q, " ON CONFLICT DO NOTHING");
        return true;
    }
    return q_need(q, BACKEND_INSERT_IGNORE, "ON CONFLICT DO NOTHING");
}

/* " SELECT parent id, target id FROM parent, target WHERE parent id = pid
 * AND uniques": the rows an m-n link inserts. The parent's id comes from its
 * table, so PostgreSQL knows the parameter's type (and a self-relation
 * needs the alias). */
static bool link_select(query *q, const nstmt *s, const prisma_model_desc *t, prisma_value pid, const ulist *uniques)
{
    q_sql(q, " SELECT prisma_parent.");
    q_sql_ident(q, q_id_field(s->m)->column);
    q_sql(q, ", ");
    q_sql_col(q, t, q_id_field(t), true);
    q_sql(q, " FROM ");
    q_sql_table(q, s->m);
    q_sql(q, " AS prisma_parent, ");
    q_sql_table(q, t);
    q_sql(q, " WHERE prisma_parent.");
    q_sql_ident(q, q_id_field(s->m)->column);
    q_sql(q, " = ");
    q_param(q, pid);
    q_sql(q, " AND ");
    return ulist_sql(q, uniques);
}

bool nw_build_nested(query *q, void *vctx)
{
    const nstmt *s = vctx;
    const prisma_relation_desc *r = s->r;
    const prisma_model_desc *t = r->target;
    q_key_u8(q, K_NESTED);
    q_key_u8(q, (unsigned)s->op);
    q_key_u32(q, s->m->index);
    q_key_u32(q, (uint32_t)(r - s->m->relations));
    switch (s->op) {
    case N_SET:
        q_sql(q, "UPDATE ");
        q_sql_table(q, t);
        q_sql(q, " SET ");
        for (unsigned k = 0; k < s->n_set; k++) {
            q_key_u32(q, s->set_fields[k]);
            q_sql(q, k ? ", " : "");
            q_sql_col(q, t, &t->fields[s->set_fields[k]], false);
            q_sql(q, " = ");
            q_param(q, s->set_vals[k]);
        }
        return where_sql(q, s);
    case N_DELETE:
        q_sql(q, "DELETE FROM ");
        q_sql_table(q, t);
        if (!where_sql(q, s))
            return false;
        if (s->returning) {
            /* relationMode = "prisma": the rows deleted, for their referential actions */
            q_key_u8(q, 'R');
            return q_returning(q, t, BACKEND_DELETE_RETURNING);
        }
        return true;
    case N_COUNT:
        q_sql(q, "SELECT COUNT(*) FROM ");
        q_sql_table(q, t);
        return where_sql(q, s);
    case N_SELECT:
        q_sql(q, "SELECT ");
        q_select_columns(q, t, false);
        q_sql(q, " FROM ");
        q_sql_table(q, t);
        return where_sql(q, s);
    case N_LINK:
    case N_LINK_IDS:
        link_insert_head(q, s, r);
        if (s->op == N_LINK_IDS) {
            q_key_u32(q, (uint32_t)s->n_ids);
            q_sql(q, ") VALUES ");
            for (size_t i = 0; i < s->n_ids; i++) {
                q_sql(q, i ? ", (" : "(");
                q_param(q, s->pids[i]);
                q_sql(q, ", ");
                q_param(q, s->ids[i]);
                q_sql(q, ")");
            }
        } else {
            q_sql(q, ")");
            if (!link_select(q, s, t, s->pid, s->uniques))
                return false;
        }
        return link_on_conflict(q);
    case N_LINK_MULTI:
        link_insert_head(q, s, r);
        q_sql(q, ")");
        q_key_u32(q, (uint32_t)s->n_branches);
        for (size_t b = 0; b < s->n_branches; b++) {
            if (b)
                q_sql(q, " UNION ALL");
            if (!link_select(q, s, t, s->pids[b], &s->ulists[b]))
                return false;
        }
        return link_on_conflict(q);
    case N_UNLINK:
        q_sql(q, "DELETE FROM ");
        q_join_table(q, s->m, r);
        q_sql(q, " WHERE ");
        q_sql_ident(q, q_join_self_col(r));
        q_sql(q, " = ");
        q_param(q, s->pid);
        if (s->uniques) {
            q_key_u8(q, 'u');
            q_sql(q, " AND ");
            q_sql_ident(q, q_join_other_col(r));
            q_sql(q, " IN (SELECT ");
            q_sql_col(q, t, q_id_field(t), true);
            q_sql(q, " FROM ");
            q_sql_table(q, t);
            q_sql(q, " WHERE ");
            if (!ulist_sql(q, s->uniques))
                return false;
            q_sql(q, ")");
        }
        return true;
    default:
        return false;
    }
}

/* Runs a list statement over chunks of `items`; *total sums the changes
 * (or counts). */
int nw_run_chunked(nw *w, nstmt *s, const void *items, size_t n, int64_t *total)
{
    const prisma_model_desc *t = s->r->target;
    size_t chunk = nw_chunk_of(w->q, t, items, n);
    *total = 0;
    for (size_t i = 0; i < n; i += chunk) {
        ulist l = { t, (const char *)items + i * t->where_unique_size, n - i < chunk ? n - i : chunk };
        s->uniques = &l;
        int64_t c;
        int rc = s->op == N_COUNT                   ? nw_run_count(w, nw_build_nested, s, &c)
                 : s->op == N_DELETE && s->returning ? ra_run_delete(w, t, nw_build_nested, s, &c, NULL)
                                                     : nw_run_changes(w, nw_build_nested, s, &c);
        s->uniques = NULL;
        if (rc != PRISMA_OK)
            return PRISMA_ERROR;
        *total += c;
    }
    return PRISMA_OK;
}

/* A list given as an array and a length: the length must be one an array of
 * items of `size` bytes can have (a garbage length is refused here, before
 * any item is read or any size is computed from it). */
int nw_check_list(query *q, const void *p, size_t n, size_t size, const char *what, const prisma_relation_desc *r)
{
    if (n && !p)
        return nw_invalid(q, "`%s` on `%s` has a length but no array.", what, r->name);
    if (size && n > (size_t)PTRDIFF_MAX / size)
        return nw_invalid(q, "`%s` on `%s` has a length of %zu, longer than any array.", what, r->name, n);
    return PRISMA_OK;
}

/* ---- finding ---- */

int nw_find_unique(nw *w, const prisma_model_desc *t, const void *where_unique, const q_scope *scope, void **rec)
{
    find_ctx fc = { .m = t, .where_unique = where_unique, .scope = scope };
    return nw_run_one(w, t, q_build_find, &fc, rec);
}

/* The where criterion, when the create input carries its values: the target
 * of ON CONFLICT for a race-free create-or-find. */
const prisma_unique_desc *nw_conflict_target(query *q, const prisma_model_desc *m, const void *where_unique,
                                                 const void *create)
{
    /* A filter (issue 13) makes the where stricter than ON CONFLICT: a record
     * that fails it is not found, and the create meets the constraint (P2002), as Prisma. */
    if (!where_unique || q_unique_filter(m, where_unique))
        return NULL;
    const prisma_unique_desc *crit = NULL;
    for (unsigned i = 0; i < m->n_uniques; i++) {
        const prisma_unique_desc *ud = &m->uniques[i];
        bool all = true;
        for (unsigned k = 0; k < ud->n_fields && all; k++) {
            prisma_value a, b;
            const prisma_field_desc *f = &m->fields[ud->fields[k]];
            if (q_read_create_value(q, f, (const char *)where_unique + ud->member_offs[k], &a) != 1 ||
                f->create_off == PRISMA_NO_OFFSET ||
                q_read_create_value(q, f, (const char *)create + f->create_off, &b) != 1) {
                all = false;
                break;
            }
            if (a.kind == V_TEXT)
                a.len = strlen(a.s);
            if (b.kind == V_TEXT)
                b.len = strlen(b.s);
            all = a.kind == b.kind && q_values_equal(a, b);
        }
        if (all) {
            if (crit)
                return NULL; /* more than one criterion: the where is stricter than ON CONFLICT */
            crit = ud;
        }
    }
    err_clear(&q->err);
    /* issue 16: where the database ignores a conflict on any key (INSERT
     * IGNORE), only when the where's key is the only one the row can meet. */
    if (crit && !(q->be->caps & BACKEND_CONFLICT_TARGET) &&
        (!(q->be->caps & BACKEND_INSERT_IGNORE) || !q_conflict_alone(q, m, crit, create)))
        return NULL;
    return crit;
}

/* The unique whose fields are exactly `fields` (a 1-1 foreign key). */
const prisma_unique_desc *nw_unique_on(const prisma_model_desc *t, const uint16_t *fields, unsigned n)
{
    for (unsigned i = 0; i < t->n_uniques; i++) {
        const prisma_unique_desc *ud = &t->uniques[i];
        if (ud->n_fields != n)
            continue;
        bool same = true;
        for (unsigned k = 0; k < n && same; k++) {
            bool in = false;
            for (unsigned j = 0; j < n; j++)
                in |= ud->fields[k] == fields[j];
            same = in;
        }
        if (same)
            return ud;
    }
    return NULL;
}
