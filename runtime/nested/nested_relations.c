/* Nested writes: creates and updates that carry related records along.
 *
 * One call is one atomic unit: query.c opens a transaction (or a savepoint
 * inside one) around the functions here. For each record written:
 *  1. the to-one relations whose key this row holds: their create, connect or
 *     connect_or_create run first and give the foreign-key values to store;
 *  2. the row itself (INSERT or UPDATE ... RETURNING);
 *  3. the relations whose other side holds the key, and m-n join tables: the
 *     operations in Prisma's order (create, update, upsert, delete, connect,
 *     set, disconnect, update_many, delete_many).
 * Statement counts do not grow with the number of related records where SQL
 * allows it: k children are one multi-row INSERT, k connects one
 * UPDATE ... WHERE key IN (...), k m-n links one INSERT ... SELECT, each
 * chunked to the database's bound-parameter limit. Creating from
 * connect_or_create and upsert is INSERT ... ON CONFLICT DO NOTHING followed
 * by a retry of the lookup: race-free without locks. */
#include "query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the scope: records connected to one parent ---- */

struct nw_scope {
    const prisma_model_desc *parent;
    /* The parent's relation; NULL: the parent row itself, by its first unique. */
    const prisma_relation_desc *rel;
    /* TO_ONE_FK: the parent's foreign-key values; TO_ONE_BACK / TO_MANY: the
     * values of the parent's referenced fields; MANY_TO_MANY: [0] is the
     * parent's id; rel NULL: the values of parent->uniques[0]. */
    const prisma_value *vals;
};

static const char *join_self_col(const prisma_relation_desc *r) { return r->join_self_is_a ? "A" : "B"; }
static const char *join_other_col(const prisma_relation_desc *r) { return r->join_self_is_a ? "B" : "A"; }

/* The join table, with the schema of the model that is its "A" side. */
static void join_table(query *q, const prisma_model_desc *m, const prisma_relation_desc *r)
{
    const char *schema = r->join_self_is_a ? m->schema : r->target->schema;
    if (q->emit && schema && q->pg) {
        sb_ident(&q->sql, schema);
        sb_putc(&q->sql, '.');
    }
    q_sql_ident(q, r->join_table);
}

static const prisma_field_desc *id_field(const prisma_model_desc *m)
{
    return &m->fields[m->uniques[0].fields[0]];
}

void nw_scope_sql(query *q, const nw_scope *s)
{
    const prisma_relation_desc *r = s->rel;
    q_key_u8(q, 'S');
    q_key_u32(q, s->parent->index);
    q_key_u32(q, r ? (uint32_t)(r - s->parent->relations) : UINT32_MAX);
    if (!r) {
        const prisma_unique_desc *u = &s->parent->uniques[0];
        for (unsigned k = 0; k < u->n_fields; k++) {
            q_sql(q, k ? " AND " : "");
            q_sql_col(q, s->parent, &s->parent->fields[u->fields[k]], true);
            q_sql(q, " = ");
            q_param(q, s->vals[k]);
        }
        return;
    }
    const prisma_model_desc *t = r->target;
    if (r->kind == PRISMA_REL_MANY_TO_MANY) {
        q_sql_col(q, t, id_field(t), true);
        q_sql(q, " IN (SELECT ");
        q_sql_ident(q, join_other_col(r));
        q_sql(q, " FROM ");
        join_table(q, s->parent, r);
        q_sql(q, " WHERE ");
        q_sql_ident(q, join_self_col(r));
        q_sql(q, " = ");
        q_param(q, s->vals[0]);
        q_sql(q, ")");
        return;
    }
    /* The target's columns that match the values. */
    const uint16_t *cols = r->kind == PRISMA_REL_TO_ONE_FK ? r->references : r->fields;
    for (unsigned k = 0; k < r->n_fields; k++) {
        q_sql(q, k ? " AND " : "");
        q_sql_col(q, t, &t->fields[cols[k]], true);
        q_sql(q, " = ");
        q_param(q, s->vals[k]);
    }
}

/* ---- reading the generated inputs ---- */

static const prisma_relation_desc *inverse_of(const prisma_relation_desc *r)
{
    return r->inverse < r->target->n_relations ? &r->target->relations[r->inverse] : NULL;
}

static void read_one(const prisma_relation_desc *r, const void *data, bool upd, prisma_nested_one_update *o)
{
    memset(o, 0, sizeof *o);
    /* The create layout is the update layout's first members. */
    if (upd)
        memcpy(o, (const char *)data + r->update_off, sizeof *o);
    else
        memcpy(o, (const char *)data + r->create_off, sizeof(prisma_nested_one_create));
}

static void read_many(const prisma_relation_desc *r, const void *data, bool upd, prisma_nested_many_update *o)
{
    memset(o, 0, sizeof *o);
    if (upd)
        memcpy(o, (const char *)data + r->update_off, sizeof *o);
    else
        memcpy(o, (const char *)data + r->create_off, sizeof(prisma_nested_many_create));
}

static bool is_many(const prisma_relation_desc *r)
{
    return r->kind == PRISMA_REL_TO_MANY || r->kind == PRISMA_REL_MANY_TO_MANY;
}

static bool one_given(const prisma_nested_one_update *o)
{
    return o->create || o->connect || o->connect_or_create || o->update || o->upsert || o->disconnect || o->delete_;
}

static bool many_given(const prisma_nested_many_update *o)
{
    return o->create_len || o->create_many_len || o->connect_len || o->connect_or_create_len || o->update_len ||
           o->upsert_len || o->delete_len || o->set_given || o->set_len || o->disconnect_len || o->update_many_len ||
           o->delete_many_len;
}

static bool rel_given(const prisma_relation_desc *r, const void *data, bool upd)
{
    if (r->create_off == PRISMA_NO_OFFSET || (upd && r->update_off == PRISMA_NO_OFFSET))
        return false;
    if (is_many(r)) {
        prisma_nested_many_update o;
        read_many(r, data, upd, &o);
        return many_given(&o);
    }
    prisma_nested_one_update o;
    read_one(r, data, upd, &o);
    return one_given(&o);
}

bool nw_has_nested(const prisma_model_desc *m, const void *data, bool is_update)
{
    if (!m || !data)
        return false;
    for (unsigned i = 0; i < m->n_relations; i++)
        if (rel_given(&m->relations[i], data, is_update))
            return true;
    return false;
}

/* ---- errors, in Prisma's words ---- */

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int invalid(query *q, const char *fmt, ...)
{
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    err_set(&q->err, "P2009", "Failed to validate the query: %s", msg);
    return PRISMA_ERROR;
}

static const char *shape_of(const prisma_relation_desc *r)
{
    switch (r->kind) {
    case PRISMA_REL_MANY_TO_MANY: return "many-to-many";
    case PRISMA_REL_TO_MANY: return "one-to-many";
    case PRISMA_REL_TO_ONE_BACK: return "one-to-one";
    default: {
        const prisma_relation_desc *inv = inverse_of(r);
        return inv && inv->kind == PRISMA_REL_TO_ONE_BACK ? "one-to-one" : "one-to-many";
    }
    }
}

/* P2025 for a nested operation on a record that is not there (or not connected). */
static int missing_nested(query *q, const prisma_relation_desc *r, const char *op)
{
    char cause[320];
    snprintf(cause, sizeof cause, "No '%s' record was found for a nested %s on %s relation '%s'.", r->target->name, op,
             shape_of(r), r->relation);
    return q_not_found(q, cause);
}

/* P2025 for a to-one connect whose key this row would hold. */
static int missing_inline(query *q, const prisma_model_desc *m, const prisma_relation_desc *r, const char *op)
{
    char cause[384];
    snprintf(cause, sizeof cause,
             "No '%s' record (needed to inline the relation on '%s' record(s)) was found for a nested %s on %s "
             "relation '%s'.",
             r->target->name, m->name, op, shape_of(r), r->relation);
    return q_not_found(q, cause);
}

/* P2014: `holder` holds the required foreign key. */
static int required_relation(query *q, const prisma_relation_desc *r, const prisma_model_desc *holder,
                             const prisma_model_desc *other)
{
    err_set(&q->err, "P2014",
            "The change you are trying to make would violate the required relation '%s' between the `%s` and `%s` "
            "models.",
            r->relation, holder->name, other->name);
    return PRISMA_ERROR;
}

static int not_connected(query *q, const prisma_model_desc *m, const prisma_relation_desc *r)
{
    err_set(&q->err, "P2017", "The records for relation `%s` between the `%s` and `%s` models are not connected.",
            r->relation, m->name, r->target->name);
    return PRISMA_ERROR;
}

static int incomplete_connect(query *q, const prisma_relation_desc *r, size_t expected, int64_t found)
{
    if (r->kind == PRISMA_REL_MANY_TO_MANY) {
        char cause[160];
        snprintf(cause, sizeof cause, "Expected %zu records to be connected, found only %lld.", expected,
                 (long long)found);
        return q_not_found(q, cause);
    }
    err_set(&q->err, "P2018",
            "The required connected records were not found. Expected %zu records to be connected after connect "
            "operation on %s relation '%s', found %lld.",
            expected, shape_of(r), r->relation, (long long)found);
    return PRISMA_ERROR;
}

/* Whether the foreign key of relation r (a field of `holder`) is required. */
static bool fk_required(const prisma_model_desc *holder, const uint16_t *fields, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        if (!(holder->fields[fields[k]].flags & PRISMA_F_OPTIONAL))
            return true;
    return false;
}

/* ---- the operation's context ---- */

typedef struct nw {
    query *q;
    /* Records read along the way, kept until the operation ends: their
     * values are bound into later statements. */
    void **recs;
    size_t n_recs, cap;
} nw;

static bool keep(nw *w, void *rec)
{
    if (!rec)
        return true;
    if (w->n_recs == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        void **p = realloc(w->recs, cap * sizeof *p);
        if (!p) {
            result_free_root(rec);
            err_set(&w->q->err, "P1000", "out of memory");
            return false;
        }
        w->recs = p;
        w->cap = cap;
    }
    w->recs[w->n_recs++] = rec;
    return true;
}

/* Takes `rec` out of the kept ones: the caller owns it now. */
static void detach(nw *w, void *rec)
{
    for (size_t i = w->n_recs; i-- > 0;)
        if (w->recs[i] == rec) {
            w->recs[i] = w->recs[--w->n_recs];
            return;
        }
}

static void nw_free(nw *w)
{
    for (size_t i = 0; i < w->n_recs; i++)
        result_free_root(w->recs[i]);
    free(w->recs);
}

/* What ties a record being written to the parent that writes it. */
typedef struct link {
    const prisma_relation_desc *back; /* the record's relation to the parent: no nested writes on it */
    const uint16_t *fields;           /* foreign-key fields of the record the link sets */
    const prisma_value *vals;
    unsigned n;
} link;

static const link no_link = { NULL, NULL, NULL, 0 };

/* A record whose relation r the nested writes go through. */
typedef struct parent {
    const prisma_model_desc *m;
    const prisma_relation_desc *r;
    void *rec;
    prisma_value keys[16]; /* r->references of the parent; m-n: [0] its id */
    nw_scope scope;         /* the target records connected to it */
    link lk;                /* how a target record gets connected to it */
} parent;

static int run_one(nw *w, const prisma_model_desc *m, build_fn build, void *ctx, void **rec)
{
    prisma_rows *rows;
    *rec = NULL;
    if (q_run(w->q, build, ctx, &rows) != PRISMA_OK || q_fetch_one(w->q, m, rows, rec) != PRISMA_OK)
        return PRISMA_ERROR;
    return keep(w, *rec) ? PRISMA_OK : PRISMA_ERROR;
}

static int run_changes(nw *w, build_fn build, void *ctx, int64_t *changes)
{
    prisma_rows *rows;
    if (q_run(w->q, build, ctx, &rows) != PRISMA_OK)
        return PRISMA_ERROR;
    *changes = w->q->drv->changes(rows);
    w->q->drv->done(rows);
    return PRISMA_OK;
}

static int run_count(nw *w, build_fn build, void *ctx, int64_t *count)
{
    prisma_rows *rows;
    query *q = w->q;
    if (q_run(q, build, ctx, &rows) != PRISMA_OK)
        return PRISMA_ERROR;
    int st = q->drv->next(rows, &q->err);
    *count = st == 1 ? q->drv->col_int(rows, 0) : 0;
    q->drv->done(rows);
    return st < 0 ? PRISMA_ERROR : PRISMA_OK;
}

/* ---- statements on lists of where-uniques ---- */

/* The criterion of a where-unique input when it gives exactly one, of one
 * field (so that lists of them become `col IN (...)`). */
static const prisma_unique_desc *single_crit(query *q, const prisma_model_desc *t, const void *u, prisma_value *v)
{
    const prisma_unique_desc *found = NULL;
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

typedef struct ulist {
    const prisma_model_desc *t;
    const void *items; /* where-unique inputs */
    size_t n;
} ulist;

static const void *ulist_at(const ulist *l, size_t i)
{
    return (const char *)l->items + i * l->t->where_unique_size;
}

/* The criterion every item of the list names (one field each), so that the
 * list is `col IN (...)`; NULL when they differ (an OR of conditions). */
static const prisma_unique_desc *ulist_in(query *q, const ulist *l)
{
    prisma_value v;
    const prisma_unique_desc *crit = l->n ? single_crit(q, l->t, ulist_at(l, 0), &v) : NULL;
    for (size_t i = 1; crit && i < l->n; i++)
        if (single_crit(q, l->t, ulist_at(l, i), &v) != crit)
            crit = NULL;
    return crit;
}

/* Conditions in one OR list at most: SQLite's expression depth is 1000. */
enum { MAX_OR = 200 };

/* The most parameters one item of an OR list can bind (every unique given). */
static unsigned unique_width(const prisma_model_desc *t)
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
    const prisma_unique_desc *crit = ulist_in(q, l);
    q_key_u32(q, (uint32_t)l->n);
    if (crit) {
        q_key_u8(q, 'I');
        q_key_u32(q, (uint32_t)(crit - l->t->uniques));
        q_sql_col(q, l->t, &l->t->fields[crit->fields[0]], true);
        q_sql(q, " IN (");
        for (size_t i = 0; i < l->n; i++) {
            single_crit(q, l->t, ulist_at(l, i), &v);
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
        if (!q_unique_walk(q, l->t, ulist_at(l, i), true, NULL))
            return false;
        q_sql(q, ")");
    }
    q_sql(q, ")");
    return true;
}

/* How many items of a list go in one statement: bounded by the parameter
 * limit, and for OR lists by SQLite's expression depth (1000). */
static size_t chunk_of(query *q, const prisma_model_desc *t, const void *items, size_t n)
{
    ulist l = { t, items, n };
    size_t limit = q_param_limit(q) - 16;
    if (!ulist_in(q, &l)) {
        unsigned width = unique_width(t);
        limit = limit / width < MAX_OR ? limit / width : MAX_OR;
    }
    return limit ? limit : 1;
}

enum {
    N_SET,        /* UPDATE t SET cols WHERE [scope] [AND] [NOT] [(uniques)] */
    N_DELETE,     /* DELETE FROM t WHERE scope AND (uniques) */
    N_COUNT,      /* SELECT COUNT(*) FROM t WHERE [scope] [AND] [(uniques)] */
    N_LINK,       /* INSERT INTO join SELECT parent id, t.id FROM parent, t WHERE parent id = ? AND (uniques) */
    N_LINK_IDS,   /* INSERT INTO join VALUES (parent, id), ... */
    N_UNLINK,     /* DELETE FROM join WHERE self = ? [AND other IN (SELECT id FROM t WHERE (uniques))] */
    N_SELECT,     /* SELECT t's columns FROM t WHERE (uniques) */
    N_LINK_MULTI  /* N_LINK for several parents: one SELECT per parent, UNION ALL */
};

typedef struct nstmt {
    int op;
    const prisma_model_desc *m; /* the parent */
    const prisma_relation_desc *r;
    const nw_scope *scope;
    const ulist *uniques;       /* NULL: no condition of its own */
    bool negate;
    const uint16_t *set_fields; /* N_SET */
    const prisma_value *set_vals;
    unsigned n_set;
    prisma_value pid;           /* m-n: the parent's id */
    const prisma_value *pids;   /* N_LINK_IDS: the parents' ids, one per target; N_LINK_MULTI: per branch */
    const ulist *ulists;        /* N_LINK_MULTI: each parent's where-uniques */
    size_t n_branches;
    const prisma_value *ids;    /* N_LINK_IDS: the targets' ids */
    size_t n_ids;
} nstmt;

static bool where_sql(query *q, const nstmt *s)
{
    q_sql(q, " WHERE ");
    if (s->scope)
        nw_scope_sql(q, s->scope);
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

static bool build_nested(query *q, void *vctx)
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
        return where_sql(q, s);
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
        q_sql(q, "INSERT INTO ");
        join_table(q, s->m, r);
        q_sql(q, " (");
        q_sql_ident(q, join_self_col(r));
        q_sql(q, ", ");
        q_sql_ident(q, join_other_col(r));
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
            /* The parent's id comes from its table, so PostgreSQL knows the
             * parameter's type (and a self-relation needs the alias). */
            q_sql(q, ") SELECT prisma_parent.");
            q_sql_ident(q, id_field(s->m)->column);
            q_sql(q, ", ");
            q_sql_col(q, t, id_field(t), true);
            q_sql(q, " FROM ");
            q_sql_table(q, s->m);
            q_sql(q, " AS prisma_parent, ");
            q_sql_table(q, t);
            q_sql(q, " WHERE prisma_parent.");
            q_sql_ident(q, id_field(s->m)->column);
            q_sql(q, " = ");
            q_param(q, s->pid);
            q_sql(q, " AND ");
            if (!ulist_sql(q, s->uniques))
                return false;
        }
        q_sql(q, " ON CONFLICT DO NOTHING");
        return true;
    case N_LINK_MULTI:
        q_sql(q, "INSERT INTO ");
        join_table(q, s->m, r);
        q_sql(q, " (");
        q_sql_ident(q, join_self_col(r));
        q_sql(q, ", ");
        q_sql_ident(q, join_other_col(r));
        q_sql(q, ")");
        q_key_u32(q, (uint32_t)s->n_branches);
        for (size_t b = 0; b < s->n_branches; b++) {
            q_sql(q, b ? " UNION ALL SELECT prisma_parent." : " SELECT prisma_parent.");
            q_sql_ident(q, id_field(s->m)->column);
            q_sql(q, ", ");
            q_sql_col(q, t, id_field(t), true);
            q_sql(q, " FROM ");
            q_sql_table(q, s->m);
            q_sql(q, " AS prisma_parent, ");
            q_sql_table(q, t);
            q_sql(q, " WHERE prisma_parent.");
            q_sql_ident(q, id_field(s->m)->column);
            q_sql(q, " = ");
            q_param(q, s->pids[b]);
            q_sql(q, " AND ");
            if (!ulist_sql(q, &s->ulists[b]))
                return false;
        }
        q_sql(q, " ON CONFLICT DO NOTHING");
        return true;
    case N_UNLINK:
        q_sql(q, "DELETE FROM ");
        join_table(q, s->m, r);
        q_sql(q, " WHERE ");
        q_sql_ident(q, join_self_col(r));
        q_sql(q, " = ");
        q_param(q, s->pid);
        if (s->uniques) {
            q_key_u8(q, 'u');
            q_sql(q, " AND ");
            q_sql_ident(q, join_other_col(r));
            q_sql(q, " IN (SELECT ");
            q_sql_col(q, t, id_field(t), true);
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
static int run_chunked(nw *w, nstmt *s, const void *items, size_t n, int64_t *total)
{
    const prisma_model_desc *t = s->r->target;
    size_t chunk = chunk_of(w->q, t, items, n);
    *total = 0;
    for (size_t i = 0; i < n; i += chunk) {
        ulist l = { t, (const char *)items + i * t->where_unique_size, n - i < chunk ? n - i : chunk };
        s->uniques = &l;
        int64_t c;
        int rc = s->op == N_COUNT ? run_count(w, build_nested, s, &c) : run_changes(w, build_nested, s, &c);
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
static int check_list(query *q, const void *p, size_t n, size_t size, const char *what, const prisma_relation_desc *r)
{
    if (n && !p)
        return invalid(q, "`%s` on `%s` has a length but no array.", what, r->name);
    if (size && n > (size_t)PTRDIFF_MAX / size)
        return invalid(q, "`%s` on `%s` has a length of %zu, longer than any array.", what, r->name, n);
    return PRISMA_OK;
}

/* ---- finding ---- */

static int find_unique(nw *w, const prisma_model_desc *t, const void *where_unique, const nw_scope *scope, void **rec)
{
    find_ctx fc = { .m = t, .where_unique = where_unique, .scope = scope };
    return run_one(w, t, q_build_find, &fc, rec);
}

/* The where criterion, when the create input carries its values: the target
 * of ON CONFLICT for a race-free create-or-find. */
static const prisma_unique_desc *conflict_target(query *q, const prisma_model_desc *m, const void *where_unique,
                                                 const void *create)
{
    if (!where_unique)
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
    return crit;
}

/* The unique whose fields are exactly `fields` (a 1-1 foreign key). */
static const prisma_unique_desc *unique_on(const prisma_model_desc *t, const uint16_t *fields, unsigned n)
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

/* ---- creating ---- */

static int create_one(nw *w, const prisma_model_desc *m, const void *data, const link *lk,
                      const prisma_unique_desc *conflict, void **rec);
static int update_rec(nw *w, const prisma_model_desc *m, const void *where_unique, const nw_scope *scope,
                      const void *data, const link *lk, bool or_create, void **rec);
static int back_ops(nw *w, const prisma_model_desc *m, void *rec, const void *data, bool upd, const link *lk);

/* A link's foreign keys must not be given in the input too, nor nested
 * writes on the relation back to the parent. */
static int check_link(query *q, const prisma_model_desc *m, const void *data, bool upd, const link *lk)
{
    if (lk->back && rel_given(lk->back, data, upd))
        return invalid(q, "`%s.%s`: nested writes back to the record that nests this one are not allowed.", m->name,
                       lk->back->name);
    for (unsigned k = 0; k < lk->n && !upd; k++) {
        const prisma_field_desc *f = &m->fields[lk->fields[k]];
        prisma_value v;
        if (f->create_off != PRISMA_NO_OFFSET && q_read_create_value(q, f, (const char *)data + f->create_off, &v) != 0)
            return invalid(q, "Unknown argument `%s` in a nested create of `%s`: the relation to the parent sets it.",
                           f->name, m->name);
    }
    return PRISMA_OK;
}

/* Connects or creates a record `p->where` names, race-free. With a link
 * whose fields this record holds (its foreign key to the parent), "connect"
 * is UPDATE ... SET fk; otherwise it is a lookup. *created says which. */
static int connect_or_create(nw *w, const prisma_model_desc *t, const prisma_nested_pair *p, const link *lk,
                             void **rec, bool *created)
{
    query *q = w->q;
    if (!p->where || !p->data)
        return invalid(q, "`connect_or_create` on `%s` needs both `where` and `create`.", t->name);
    *created = false;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (lk->n) {
            update_ctx uc = { .m = t, .where_unique = p->where, .set_fields = lk->fields, .set_vals = lk->vals,
                              .n_set = lk->n, .returning = true };
            if (run_one(w, t, q_build_update, &uc, rec) != PRISMA_OK)
                return PRISMA_ERROR;
        } else if (find_unique(w, t, p->where, NULL, rec) != PRISMA_OK) {
            return PRISMA_ERROR;
        }
        if (*rec || attempt)
            break;
        /* Not there: create it, unless a concurrent writer just did. */
        if (create_one(w, t, p->data, lk, conflict_target(q, t, p->where, p->data), rec) != PRISMA_OK)
            return PRISMA_ERROR;
        if (*rec) {
            *created = true;
            return PRISMA_OK;
        }
    }
    if (!*rec)
        return q_not_found(q, "No record was found for a nested connect or create.");
    return PRISMA_OK;
}

/* Step 1: the to-one relations whose key this row holds. Their values go to
 * fields[] / vals[] (*n of them). In an update, the operations that need the
 * row (update, upsert, delete) come later (fk_after_ops). */
static int parent_init(query *q, parent *p, const prisma_model_desc *m, const prisma_relation_desc *r, void *rec);
static int release_current(nw *w, parent *p, const void *except);

/* The records a list of rows connects to, looked up together: pre[i] for
 * relation i (NULL: look it up alone). */
static char missing_mark;
#define MISSING ((void *)&missing_mark)

static int own_keys(nw *w, const prisma_model_desc *m, const void *data, bool upd, const link *lk,
                    const void *self_where, void *const *pre, uint16_t *fields, prisma_value *vals, unsigned *n)
{
    query *q = w->q;
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->kind != PRISMA_REL_TO_ONE_FK || r == lk->back)
            continue;
        prisma_nested_one_update o;
        read_one(r, data, upd, &o);
        int ops = !!o.create + !!o.connect + !!o.connect_or_create + !!o.disconnect;
        if (ops == 0)
            continue;
        if (ops > 1)
            return invalid(q, "`%s.%s`: give only one of create, connect, connect_or_create and disconnect.", m->name,
                           r->name);
        if (!upd)
            for (unsigned k = 0; k < r->n_fields; k++) {
                const prisma_field_desc *f = &m->fields[r->fields[k]];
                prisma_value v;
                if (f->create_off != PRISMA_NO_OFFSET &&
                    q_read_create_value(q, f, (const char *)data + f->create_off, &v) != 0)
                    return invalid(q, "`%s` and a nested write on `%s` both set the foreign key.", f->name, r->name);
            }
        const prisma_model_desc *t = r->target;
        link back = { inverse_of(r), NULL, NULL, 0 };
        void *trec = NULL;
        if (o.create) {
            if (create_one(w, t, o.create, &back, NULL, &trec) != PRISMA_OK)
                return PRISMA_ERROR;
        } else if (o.connect) {
            if (pre && pre[i])
                trec = pre[i] == MISSING ? NULL : pre[i];
            else if (find_unique(w, t, o.connect, NULL, &trec) != PRISMA_OK)
                return PRISMA_ERROR;
            if (!trec)
                return missing_inline(q, m, r, "connect");
        } else if (o.connect_or_create) {
            prisma_nested_pair p;
            memcpy(&p, o.connect_or_create, sizeof p);
            bool created;
            if (connect_or_create(w, t, &p, &back, &trec, &created) != PRISMA_OK)
                return PRISMA_ERROR;
        } else if (fk_required(m, r->fields, r->n_fields)) {
            return required_relation(q, r, m, t);
        }
        const prisma_relation_desc *inv = inverse_of(r);
        if (trec && !o.create && inv && inv->kind == PRISMA_REL_TO_ONE_BACK) {
            /* 1-1: the record connected may have another of ours; it lets
             * go of it (or P2014 when that one's key is required). */
            parent other;
            if (parent_init(q, &other, t, inv, trec) != PRISMA_OK || release_current(w, &other, self_where) != PRISMA_OK)
                return PRISMA_ERROR;
        }
        for (unsigned k = 0; k < r->n_fields; k++) {
            if (*n >= MAX_FIELDS)
                return invalid(q, "`%s`: too many foreign-key fields.", m->name);
            fields[*n] = r->fields[k];
            vals[*n] = trec ? q_rec_value(t, r->references[k], trec) : v_null();
            (*n)++;
        }
    }
    return PRISMA_OK;
}

/* The values of one row to insert: the input's, defaults, the keys of
 * step 1 and the link's. */
static int row_values(nw *w, const prisma_model_desc *m, const void *data, const link *lk, void *const *pre,
                      prisma_value *vals, bool *given)
{
    query *q = w->q;
    if (check_link(q, m, data, false, lk) != PRISMA_OK)
        return PRISMA_ERROR;
    if (!q_create_values(q, m, data, vals, given))
        return PRISMA_ERROR;
    uint16_t fields[64];
    prisma_value fvals[64];
    unsigned n = 0;
    if (own_keys(w, m, data, false, lk, NULL, pre, fields, fvals, &n) != PRISMA_OK)
        return PRISMA_ERROR;
    for (unsigned k = 0; k < n; k++) {
        vals[fields[k]] = fvals[k];
        given[fields[k]] = true;
    }
    for (unsigned k = 0; k < lk->n; k++) {
        vals[lk->fields[k]] = lk->vals[k];
        given[lk->fields[k]] = true;
    }
    return PRISMA_OK;
}

/* Whether a create input has nested writes that need the row first. */
static bool has_back_ops(const prisma_model_desc *m, const void *data, const link *lk)
{
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->kind != PRISMA_REL_TO_ONE_FK && r != lk->back && rel_given(r, data, false))
            return true;
    }
    return false;
}

/* Creates one record: steps 1 to 3. With `conflict`, the INSERT does nothing
 * on a conflict there and *rec is NULL. */
static int create_one(nw *w, const prisma_model_desc *m, const void *data, const link *lk,
                      const prisma_unique_desc *conflict, void **rec)
{
    *rec = NULL;
    if (!data)
        return invalid(w->q, "a nested create of `%s` has no data.", m->name);
    if (m->n_fields > MAX_FIELDS)
        return invalid(w->q, "`%s` has too many fields.", m->name);
    prisma_value vals[MAX_FIELDS];
    bool given[MAX_FIELDS];
    if (row_values(w, m, data, lk, NULL, vals, given) != PRISMA_OK)
        return PRISMA_ERROR;
    create_ctx cc = { .m = m, .vals = vals, .given = given, .n_rows = 1, .returning = true, .conflict = conflict,
                      .conflict_nothing = conflict != NULL };
    if (run_one(w, m, q_build_insert, &cc, rec) != PRISMA_OK)
        return PRISMA_ERROR;
    if (!*rec)
        return PRISMA_OK;
    return back_ops(w, m, *rec, data, false, lk);
}

static int value_cmp(prisma_value a, prisma_value b)
{
    switch (a.kind) {
    case V_TEXT:
    case V_BLOB: {
        size_t n = a.len < b.len ? a.len : b.len;
        int c = n ? memcmp(a.s, b.s, n) : 0;
        return c ? c : (a.len > b.len) - (a.len < b.len);
    }
    case V_DOUBLE: return (a.d > b.d) - (a.d < b.d);
    default: return (a.i > b.i) - (a.i < b.i);
    }
}

typedef struct keyed {
    prisma_value key;
    void *rec;
} keyed;

static int keyed_cmp(const void *pa, const void *pb)
{
    return value_cmp(((const keyed *)pa)->key, ((const keyed *)pb)->key);
}

static prisma_value text_len(prisma_value v)
{
    if (v.kind == V_TEXT)
        v.len = strlen(v.s);
    return v;
}

/* The to-one connects of k rows, one relation at a time: when at least two
 * rows connect by the same single-field unique, one SELECT ... IN (...) finds
 * them all (instead of a SELECT per row). pre[i * n_relations + r] gets the
 * record, or MISSING. */
static int lookup_connects(nw *w, const prisma_model_desc *m, const void *const *items, size_t k, const link *lk,
                           void **pre)
{
    query *q = w->q;
    int rc = PRISMA_ERROR;
    char *wheres = NULL;
    size_t *rows = NULL;
    keyed *found = NULL;
    for (unsigned ri = 0; ri < m->n_relations; ri++) {
        const prisma_relation_desc *r = &m->relations[ri];
        if (r->kind != PRISMA_REL_TO_ONE_FK || r == lk->back)
            continue;
        const prisma_model_desc *t = r->target;
        const prisma_unique_desc *crit = NULL;
        size_t n = 0;
        bool same = true;
        for (size_t i = 0; i < k && same; i++) {
            prisma_nested_one_update o;
            read_one(r, items[i], false, &o);
            if (!o.connect)
                continue;
            prisma_value v;
            const prisma_unique_desc *c = single_crit(q, t, o.connect, &v);
            same = c && (!crit || c == crit);
            crit = c;
            n++;
        }
        if (!same || n < 2)
            continue;
        free(wheres);
        free(rows);
        free(found);
        wheres = malloc_array(n, t->where_unique_size ? t->where_unique_size : 1);
        rows = malloc_array(n, sizeof *rows);
        found = malloc_array(n, sizeof *found);
        if (!wheres || !rows || !found) {
            err_set(&q->err, "P1000", "out of memory");
            goto done;
        }
        n = 0;
        for (size_t i = 0; i < k; i++) {
            prisma_nested_one_update o;
            read_one(r, items[i], false, &o);
            if (!o.connect)
                continue;
            memcpy(wheres + n * t->where_unique_size, o.connect, t->where_unique_size);
            rows[n++] = i;
        }
        /* The records, in chunks; then matched to the rows by the unique's value. */
        size_t n_found = 0, chunk = chunk_of(q, t, wheres, n);
        unsigned kf = crit->fields[0];
        for (size_t i = 0; i < n; i += chunk) {
            ulist l = { t, wheres + i * t->where_unique_size, n - i < chunk ? n - i : chunk };
            nstmt st = { .op = N_SELECT, .m = m, .r = r, .uniques = &l };
            prisma_rows *res;
            void *list;
            if (q_run(q, build_nested, &st, &res) != PRISMA_OK || q_fetch_list(q, t, res, l.n, &list) != PRISMA_OK)
                goto done;
            if (!keep(w, list))
                goto done;
            rec_list *rl = list;
            for (size_t j = 0; j < rl->len && n_found < n; j++) {
                void *rec = (char *)rl->items + j * t->rec_size;
                found[n_found++] = (keyed){ text_len(q_rec_value(t, kf, rec)), rec };
            }
        }
        qsort(found, n_found, sizeof *found, keyed_cmp);
        for (size_t j = 0; j < n; j++) {
            prisma_value v;
            single_crit(q, t, wheres + j * t->where_unique_size, &v);
            keyed probe = { text_len(v), NULL };
            keyed *hit = n_found ? bsearch(&probe, found, n_found, sizeof *found, keyed_cmp) : NULL;
            pre[rows[j] * m->n_relations + ri] = hit ? hit->rec : MISSING;
        }
    }
    rc = PRISMA_OK;
done:
    free(wheres);
    free(rows);
    free(found);
    return rc;
}

static int back_ops_multi(nw *w, const prisma_model_desc *m, void *const *recs, const void *const *datas,
                          const link *const *lks, size_t n);

/* Whether the rows a multi-row INSERT returns can be told apart: the
 * primary key is one autoincrement field none of the items gives (ids then
 * grow in the order of the rows), or one every row knows before the INSERT
 * (given, or a client-side default such as uuid()). */
static int key_order(query *q, const prisma_model_desc *t, const void *const *items, size_t k)
{
    if (!t->n_uniques || t->uniques[0].n_fields != 1)
        return 0;
    const prisma_field_desc *f = &t->fields[t->uniques[0].fields[0]];
    size_t given = 0;
    for (size_t i = 0; i < k; i++) {
        prisma_value v;
        if (f->create_off != PRISMA_NO_OFFSET && q_read_create_value(q, f, (const char *)items[i] + f->create_off, &v) == 1)
            given++;
    }
    err_clear(&q->err);
    if (given == 0 && f->default_kind == PRISMA_DEFAULT_AUTOINCREMENT)
        return 1; /* by increasing id */
    bool client_default = f->default_kind >= PRISMA_DEFAULT_UUID4 && f->default_kind <= PRISMA_DEFAULT_ULID;
    if (given == k || (given == 0 && client_default))
        return 2; /* by the known key */
    return 0;
}

/* Creates k records (create, or create_many when `plain`), items[i] linked
 * by lks[i]: rows go in multi-row INSERTs. When some have nested writes of
 * their own and the returned rows can be matched to the items (key_order),
 * all rows are inserted at once and the nested writes of every record run
 * together, level by level; otherwise such records are created one by one,
 * in order. recs (when not NULL) receives each item's record; without a key
 * order it is only the set of records, in no particular order. */
/* Whether a record of a list must be written after the ones before it, on
 * its own: it connects (or connects-or-creates) a record of its own model,
 * which may be one created just before it, or a 1-1 partner, which a record
 * before it may have taken (the later one takes it over, as in Prisma).
 * *creates: it creates records through keys it holds. */
static bool follows_the_others(const prisma_model_desc *t, const void *data, const link *lk, bool *creates)
{
    bool alone = false;
    for (unsigned i = 0; i < t->n_relations; i++) {
        const prisma_relation_desc *r = &t->relations[i];
        if (r->kind != PRISMA_REL_TO_ONE_FK || r == lk->back)
            continue;
        prisma_nested_one_update o;
        read_one(r, data, false, &o);
        if (o.create || o.connect_or_create)
            *creates = true;
        const prisma_relation_desc *inv = inverse_of(r);
        if ((o.connect || o.connect_or_create) && (r->target == t || (inv && inv->kind == PRISMA_REL_TO_ONE_BACK)))
            alone = true;
    }
    return alone;
}

enum { MODEL_BITS = 65536 / 64 };

static void mark(uint64_t *bits, const prisma_model_desc *m) { bits[m->index / 64] |= 1ull << (m->index % 64); }
static bool marked(const uint64_t *bits, const prisma_model_desc *m) { return bits[m->index / 64] >> (m->index % 64) & 1; }

/* Marks the models a create input makes records of, at any depth: by create
 * in `made`, by connect_or_create in `made_or_found`. */
static void models_created(const prisma_model_desc *m, const void *data, uint64_t *made, uint64_t *made_or_found,
                           int depth)
{
    if (!data || depth > 64)
        return;
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        const prisma_model_desc *t = r->target;
        if (is_many(r)) {
            prisma_nested_many_update o;
            read_many(r, data, false, &o);
            if (o.create_len || o.create_many_len)
                mark(made, t);
            if (o.connect_or_create_len)
                mark(made_or_found, t);
            for (size_t j = 0; o.create && j < o.create_len; j++)
                models_created(t, (const char *)o.create + j * t->create_size, made, made_or_found, depth + 1);
        } else {
            prisma_nested_one_update o;
            read_one(r, data, false, &o);
            if (o.create)
                mark(made, t);
            if (o.connect_or_create)
                mark(made_or_found, t);
            models_created(t, o.create, made, made_or_found, depth + 1);
        }
    }
}

/* Whether records of a list, written together, could show one of them a
 * record Prisma would not have made yet: one connects a record of a model
 * that a later one creates (or connects-or-creates), or of the list's own
 * model (a later row); or it connects-or-creates one that a later one
 * creates (Prisma: the later create collides). Prisma writes each record,
 * nested writes and all, before the next: then so does this list, one by
 * one. (Two connect_or_create of one record end the same in any order.) */
/* Whether a create input connects or connects-or-creates anything. */
static bool connects_any(const prisma_model_desc *t, const void *data)
{
    for (unsigned ri = 0; ri < t->n_relations; ri++) {
        const prisma_relation_desc *r = &t->relations[ri];
        if (is_many(r)) {
            prisma_nested_many_update o;
            read_many(r, data, false, &o);
            if (o.connect_len || o.connect_or_create_len)
                return true;
        } else {
            prisma_nested_one_update o;
            read_one(r, data, false, &o);
            if (o.connect || o.connect_or_create)
                return true;
        }
    }
    return false;
}

static bool must_go_in_order(const prisma_model_desc *t, const void *const *items, size_t k)
{
    bool any = false; /* the common list connects nothing: no more to see */
    for (size_t i = 0; !any && i + 1 < k; i++)
        any = connects_any(t, items[i]);
    if (!any)
        return false;
    uint64_t *made = calloc(2 * MODEL_BITS, sizeof *made); /* by the records after i */
    if (!made)
        return true; /* in order is always right */
    uint64_t *made_or_found = made + MODEL_BITS;
    bool in_order = false;
    for (size_t i = k; !in_order && i-- > 0;) {
        for (unsigned ri = 0; i + 1 < k && ri < t->n_relations; ri++) {
            const prisma_relation_desc *r = &t->relations[ri];
            bool connects, cocs;
            if (is_many(r)) {
                prisma_nested_many_update o;
                read_many(r, items[i], false, &o);
                connects = o.connect_len;
                cocs = o.connect_or_create_len;
            } else {
                prisma_nested_one_update o;
                read_one(r, items[i], false, &o);
                connects = o.connect;
                cocs = o.connect_or_create;
            }
            const prisma_model_desc *x = r->target;
            if ((connects && (x == t || marked(made, x) || marked(made_or_found, x))) || (cocs && (x == t || marked(made, x))))
                in_order = true;
        }
        models_created(t, items[i], made, made_or_found, 0);
    }
    free(made);
    return in_order;
}

static int create_rows(nw *w, const prisma_model_desc *t, const void *const *items, const link *const *lks, size_t k,
                       bool plain, bool skip_duplicates, void **recs)
{
    query *q = w->q;
    size_t nf = t->n_fields;
    if (!k)
        return PRISMA_OK;
    if (nf > MAX_FIELDS)
        return invalid(q, "`%s` has too many fields.", t->name);
    prisma_value *vals = malloc_array(k, (nf ? nf : 1) * sizeof *vals);
    bool *given = malloc_array(k, (nf ? nf : 1) * sizeof *given);
    bool *complex = calloc(k, sizeof *complex);
    bool want_pre = !plain && k > 1 && t->n_relations;
    void **pre = want_pre && k <= SIZE_MAX / t->n_relations ? calloc(k * t->n_relations, sizeof *pre) : NULL;
    keyed *order = NULL;
    void **mapped = NULL;
    const void **citems = NULL;
    const link **clks = NULL;
    rec_list *list = NULL;
    size_t cap = 0, n_complex = 0;
    int rc = PRISMA_ERROR;
    if (!vals || !given || !complex || (want_pre && !pre)) {
        err_set(&q->err, "P1000", "out of memory");
        goto done;
    }
    size_t n_alone = 0;
    bool own_creates = false;
    bool in_order = !plain && must_go_in_order(t, items, k);
    for (size_t i = 0; i < k; i++) {
        if (plain && nw_has_nested(t, items[i], false)) {
            invalid(q, "`create_many` items of `%s` cannot hold nested writes.", t->name);
            goto done;
        }
        bool alone = !plain && (follows_the_others(t, items[i], lks[i], &own_creates) ||
                                (in_order && nw_has_nested(t, items[i], false)));
        complex[i] = !plain && (alone || has_back_ops(t, items[i], lks[i]));
        n_complex += complex[i];
        n_alone += alone;
    }
    /* Connects looked up together, before any row is written: only when no
     * record of the list makes one another could connect to. */
    if (pre && !n_alone && !own_creates && lookup_connects(w, t, items, k, lks[0], pre) != PRISMA_OK)
        goto done;
    bool parents = false; /* more than one parent: recs must be matched to items */
    for (size_t i = 1; i < k && !parents; i++)
        parents = lks[i] != lks[0];
    int ko = !n_alone && (n_complex || (recs && parents)) && !skip_duplicates ? key_order(q, t, items, k) : 0;
    if (ko) {
        /* Every row in multi-row INSERTs, matched to the items by key. */
        for (size_t i = 0; i < k; i++)
            if (row_values(w, t, items[i], lks[i], pre ? pre + i * t->n_relations : NULL, vals + i * nf,
                           given + i * nf) != PRISMA_OK)
                goto done;
        if (!result_new(sizeof *list, (void **)&list)) {
            err_set(&q->err, "P1000", "out of memory");
            goto done;
        }
        if (!keep(w, list))
            goto done;
        if (q_insert_rows(q, t, vals, given, k, false, NULL, list, &cap, NULL) != PRISMA_OK)
            goto done;
        order = malloc_array(k, sizeof *order);
        mapped = malloc_array(k, sizeof *mapped);
        citems = malloc_array(k, sizeof *citems);
        clks = malloc_array(k, sizeof *clks);
        if (!order || !mapped || !citems || !clks || list->len != k) {
            err_set(&q->err, list->len != k ? "P2009" : "P1000",
                    list->len != k ? "internal error: rows returned do not match the rows inserted" : "out of memory");
            goto done;
        }
        unsigned pk = t->uniques[0].fields[0];
        for (size_t i = 0; i < k; i++) {
            void *rec = (char *)list->items + i * t->rec_size;
            order[i] = (keyed){ text_len(q_rec_value(t, pk, rec)), rec };
        }
        qsort(order, k, sizeof *order, keyed_cmp);
        for (size_t i = 0; i < k; i++) {
            keyed *hit = &order[i];
            if (ko == 2) {
                keyed probe = { text_len(vals[i * nf + pk]), NULL };
                hit = bsearch(&probe, order, k, sizeof *order, keyed_cmp);
            }
            if (!hit) {
                err_set(&q->err, "P2009", "internal error: a row inserted was not returned");
                goto done;
            }
            mapped[i] = hit->rec;
            if (recs)
                recs[i] = hit->rec;
        }
        size_t c = 0;
        for (size_t i = 0; i < k; i++)
            if (complex[i]) {
                citems[c] = items[i];
                clks[c] = lks[i];
                mapped[c] = mapped[i];
                c++;
            }
        if (c && back_ops_multi(w, t, mapped, citems, clks, c) != PRISMA_OK)
            goto done;
        rc = PRISMA_OK;
        goto done;
    }
    /* Runs of records without nested writes of their own share INSERTs; the others go alone. */
    bool want = recs != NULL;
    if (want) {
        if (!result_new(sizeof *list, (void **)&list)) {
            err_set(&q->err, "P1000", "out of memory");
            goto done;
        }
        if (!keep(w, list))
            goto done;
    }
    size_t run_from = 0, run_len = 0, n_recs = 0;
    for (size_t i = 0; i <= k; i++) {
        bool flush = i == k || complex[i];
        if (flush && run_len) {
            size_t before = want ? list->len : 0;
            if (q_insert_rows(q, t, vals + run_from * nf, given + run_from * nf, run_len, skip_duplicates, NULL,
                              list, &cap, NULL) != PRISMA_OK)
                goto done;
            for (size_t j = before; want && j < list->len; j++)
                recs[n_recs++] = (char *)list->items + j * t->rec_size;
            run_len = 0;
        }
        if (i == k)
            break;
        if (complex[i]) {
            void *rec;
            if (create_one(w, t, items[i], lks[i], NULL, &rec) != PRISMA_OK)
                goto done;
            if (want)
                recs[n_recs++] = rec;
            continue;
        }
        if (!run_len)
            run_from = i;
        if (row_values(w, t, items[i], lks[i], pre ? pre + i * t->n_relations : NULL, vals + i * nf,
                       given + i * nf) != PRISMA_OK)
            goto done;
        run_len++;
    }
    /* Records skipped as duplicates are not there: the rest reads NULL. */
    for (size_t i = n_recs; want && i < k; i++)
        recs[i] = NULL;
    rc = PRISMA_OK;
done:
    free(vals);
    free(given);
    free(complex);
    free(pre);
    free(order);
    free(mapped);
    free(citems);
    free(clks);
    return rc;
}

/* Creates k records from a contiguous array of create inputs, all linked by lk. */
static int create_list(nw *w, const prisma_model_desc *t, const void *items, size_t k, const link *lk, bool plain,
                       bool skip_duplicates, void **recs)
{
    const void **ptrs = malloc_array(k, sizeof *ptrs);
    const link **lks = malloc_array(k, sizeof *lks);
    int rc = PRISMA_ERROR;
    if (!ptrs || !lks) {
        err_set(&w->q->err, "P1000", "out of memory");
    } else {
        for (size_t i = 0; i < k; i++) {
            ptrs[i] = (const char *)items + i * t->create_size;
            lks[i] = lk;
        }
        rc = create_rows(w, t, ptrs, lks, k, plain, skip_duplicates, recs);
    }
    free(ptrs);
    free(lks);
    return rc;
}

/* Links parents to records in an m-n join table: pids[i] (pids[0] for all
 * when one_parent) to recs[i]; NULL records are skipped. */
static int link_records(nw *w, const prisma_model_desc *m, const prisma_relation_desc *r, const prisma_value *pids,
                        bool one_parent, void *const *recs, size_t n)
{
    const prisma_model_desc *t = r->target;
    size_t chunk = (q_param_limit(w->q) - 16) / 2;
    if (chunk > 1000)
        chunk = 1000;
    prisma_value ids[1000], ps[1000];
    for (size_t i = 0; i < n;) {
        size_t len = 0;
        for (; i < n && len < chunk; i++) {
            if (!recs[i])
                continue;
            ids[len] = q_rec_value(t, t->uniques[0].fields[0], recs[i]);
            ps[len] = one_parent ? pids[0] : pids[i];
            len++;
        }
        if (!len)
            break;
        nstmt s = { .op = N_LINK_IDS, .m = m, .r = r, .pids = ps, .ids = ids, .n_ids = len };
        int64_t c;
        if (run_changes(w, build_nested, &s, &c) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* ---- step 3: the relations whose other side holds the key ---- */


static int parent_init(query *q, parent *p, const prisma_model_desc *m, const prisma_relation_desc *r, void *rec)
{
    p->m = m;
    p->r = r;
    p->rec = rec;
    if (r->kind == PRISMA_REL_MANY_TO_MANY) {
        p->keys[0] = q_rec_value(m, m->uniques[0].fields[0], rec);
        p->lk = (link){ inverse_of(r), NULL, NULL, 0 };
    } else {
        if (r->n_fields > 16)
            return invalid(q, "`%s.%s`: too many key fields.", m->name, r->name);
        for (unsigned k = 0; k < r->n_fields; k++)
            p->keys[k] = q_rec_value(m, r->references[k], rec);
        p->lk = (link){ inverse_of(r), r->fields, p->keys, r->n_fields };
    }
    p->scope = (nw_scope){ m, r, p->keys };
    return PRISMA_OK;
}

/* A nested update of the connected record `where` names (NULL on a to-one). */
static int nested_update(nw *w, parent *p, const void *where, const void *data)
{
    link refuse = { p->lk.back, NULL, NULL, 0 };
    void *rec;
    if (!data)
        return invalid(w->q, "a nested update on `%s` has no data.", p->r->name);
    if (update_rec(w, p->r->target, where, &p->scope, data, &refuse, false, &rec) != PRISMA_OK)
        return PRISMA_ERROR;
    return rec ? PRISMA_OK : missing_nested(w->q, p->r, "update");
}

/* A nested upsert: update the connected record, or create a connected one;
 * a concurrent create of the same record makes the update run again. */
static int nested_upsert(nw *w, parent *p, const prisma_nested_upsert *u)
{
    query *q = w->q;
    const prisma_relation_desc *r = p->r;
    const prisma_model_desc *t = r->target;
    link refuse = { p->lk.back, NULL, NULL, 0 };
    if (!u->create || !u->update)
        return invalid(q, "a nested upsert on `%s` needs both `create` and `update`.", r->name);
    if (is_many(r) && !u->where)
        return invalid(q, "a nested upsert on the list `%s` needs `where`.", r->name);
    const prisma_unique_desc *conflict =
        u->where ? conflict_target(q, t, u->where, u->create)
                 : (r->kind == PRISMA_REL_TO_ONE_BACK ? unique_on(t, r->fields, r->n_fields) : NULL);
    for (int attempt = 0; attempt < 2; attempt++) {
        void *rec;
        if (update_rec(w, t, u->where, &p->scope, u->update, &refuse, true, &rec) != PRISMA_OK)
            return PRISMA_ERROR;
        if (rec)
            return PRISMA_OK;
        /* The first create does nothing on a conflict with the where (a
         * concurrent caller made the record: the update runs again); the
         * second is plain, so a record outside this relation that holds the
         * unique is P2002, as in Prisma. */
        if (create_one(w, t, u->create, &p->lk, attempt ? NULL : conflict, &rec) != PRISMA_OK)
            return PRISMA_ERROR;
        if (rec)
            return r->kind == PRISMA_REL_MANY_TO_MANY ? link_records(w, p->m, r, &p->keys[0], true, &rec, 1)
                                                      : PRISMA_OK;
    }
    return missing_nested(q, r, "upsert");
}

/* In an update, a to-one whose other side holds the key gets a new record:
 * the one connected now (but `except`) is let go, or P2014 when its key is
 * required. */
static int release_current(nw *w, parent *p, const void *except)
{
    const prisma_relation_desc *r = p->r;
    const prisma_model_desc *t = r->target;
    ulist l = { t, except, 1 };
    nstmt s = { .m = p->m, .r = r, .scope = &p->scope, .uniques = except ? &l : NULL, .negate = true };
    int64_t n;
    if (fk_required(t, r->fields, r->n_fields)) {
        s.op = N_COUNT;
        if (run_count(w, build_nested, &s, &n) != PRISMA_OK)
            return PRISMA_ERROR;
        return n ? required_relation(w->q, r, t, p->m) : PRISMA_OK;
    }
    prisma_value nulls[16];
    for (unsigned k = 0; k < r->n_fields && k < 16; k++)
        nulls[k] = v_null();
    s.op = N_SET;
    s.set_fields = r->fields;
    s.set_vals = nulls;
    s.n_set = r->n_fields;
    return run_changes(w, build_nested, &s, &n);
}

static int one_back_ops(nw *w, parent *p, const prisma_nested_one_update *o, bool upd)
{
    query *q = w->q;
    const prisma_relation_desc *r = p->r;
    const prisma_model_desc *t = r->target;
    void *rec;
    int64_t n;
    if (o->create) {
        if (upd && release_current(w, p, NULL) != PRISMA_OK)
            return PRISMA_ERROR;
        if (create_one(w, t, o->create, &p->lk, NULL, &rec) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (o->update && nested_update(w, p, NULL, o->update) != PRISMA_OK)
        return PRISMA_ERROR;
    if (o->upsert) {
        prisma_nested_upsert u;
        memcpy(&u, o->upsert, sizeof u);
        if (u.where)
            return invalid(q, "a nested upsert on the to-one `%s` takes no `where`.", r->name);
        if (nested_upsert(w, p, &u) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (o->delete_) {
        nstmt s = { .op = N_DELETE, .m = p->m, .r = r, .scope = &p->scope };
        if (run_changes(w, build_nested, &s, &n) != PRISMA_OK)
            return PRISMA_ERROR;
        if (!n)
            return missing_nested(q, r, "delete");
    }
    if (o->connect) {
        if (upd && release_current(w, p, o->connect) != PRISMA_OK)
            return PRISMA_ERROR;
        ulist l = { t, o->connect, 1 };
        nstmt s = { .op = N_SET, .m = p->m, .r = r, .uniques = &l, .set_fields = p->lk.fields,
                    .set_vals = p->lk.vals, .n_set = p->lk.n };
        if (run_changes(w, build_nested, &s, &n) != PRISMA_OK)
            return PRISMA_ERROR;
        if (!n)
            return incomplete_connect(q, r, 1, 0);
    }
    if (o->connect_or_create) {
        prisma_nested_pair pr;
        memcpy(&pr, o->connect_or_create, sizeof pr);
        if (upd && pr.where && release_current(w, p, pr.where) != PRISMA_OK)
            return PRISMA_ERROR;
        bool created;
        if (connect_or_create(w, t, &pr, &p->lk, &rec, &created) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (o->disconnect && release_current(w, p, NULL) != PRISMA_OK)
        return PRISMA_ERROR;
    return PRISMA_OK;
}

/* connect_or_create of k records in a constant number of statements: one
 * multi-row INSERT ... ON CONFLICT (the where's fields) DO NOTHING creates
 * those that are missing, then one statement connects all k. Possible when
 * every create carries its where's values (the same criterion) and has no
 * nested writes. Returns 1 when done, 0 when not possible, -1 on error. */
static int connect_or_create_many(nw *w, parent *p, const void *items, size_t k)
{
    query *q = w->q;
    const prisma_relation_desc *r = p->r;
    const prisma_model_desc *t = r->target;
    if (k < 2)
        return 0;
    const prisma_nested_pair *pairs = items;
    const prisma_unique_desc *crit = NULL;
    for (size_t i = 0; i < k; i++) {
        if (!pairs[i].where || !pairs[i].data || nw_has_nested(t, pairs[i].data, false))
            return 0;
        const prisma_unique_desc *c = conflict_target(q, t, pairs[i].where, pairs[i].data);
        if (!c || (crit && c != crit))
            return 0;
        crit = c;
    }
    size_t nf = t->n_fields ? t->n_fields : 1;
    prisma_value *vals = malloc_array(k, nf * sizeof *vals);
    bool *given = malloc_array(k, nf * sizeof *given);
    char *wheres = malloc_array(k, t->where_unique_size ? t->where_unique_size : 1);
    int rc = -1;
    if (!vals || !given || !wheres) {
        err_set(&q->err, "P1000", "out of memory");
        goto done;
    }
    for (size_t i = 0; i < k; i++) {
        if (row_values(w, t, pairs[i].data, &p->lk, NULL, vals + i * nf, given + i * nf) != PRISMA_OK)
            goto done;
        memcpy(wheres + i * t->where_unique_size, pairs[i].where, t->where_unique_size);
    }
    if (q_insert_rows(q, t, vals, given, k, false, crit, NULL, NULL, NULL) != PRISMA_OK)
        goto done;
    int64_t n;
    nstmt s = { .m = p->m, .r = r };
    if (r->kind == PRISMA_REL_MANY_TO_MANY) {
        s.op = N_LINK;
        s.pid = p->keys[0];
    } else {
        s.op = N_SET;
        s.set_fields = p->lk.fields;
        s.set_vals = p->lk.vals;
        s.n_set = p->lk.n;
    }
    if (run_chunked(w, &s, wheres, k, &n) != PRISMA_OK)
        goto done;
    /* Every where names a record now (found, or made by the INSERT), so
     * fewer rows than k means the list names one twice: then each goes
     * alone, which does again, harmlessly, what was done here. */
    rc = s.op == N_SET && (size_t)n < k ? 0 : 1;
done:
    free(vals);
    free(given);
    free(wheres);
    return rc;
}

static int many_ops(nw *w, parent *p, const prisma_nested_many_update *o)
{
    query *q = w->q;
    const prisma_relation_desc *r = p->r;
    const prisma_model_desc *t = r->target;
    bool m2m = r->kind == PRISMA_REL_MANY_TO_MANY;
    int64_t n;
    size_t cs = t->create_size, us = t->where_unique_size, ps = sizeof(prisma_nested_pair);
    if (check_list(q, o->create, o->create_len, cs, "create", r) ||
        check_list(q, o->create_many, o->create_many_len, cs, "create_many", r) ||
        check_list(q, o->connect, o->connect_len, us, "connect", r) ||
        check_list(q, o->connect_or_create, o->connect_or_create_len, ps, "connect_or_create", r) ||
        check_list(q, o->update, o->update_len, ps, "update", r) ||
        check_list(q, o->upsert, o->upsert_len, sizeof(prisma_nested_upsert), "upsert", r) ||
        check_list(q, o->delete_, o->delete_len, us, "delete_", r) || check_list(q, o->set, o->set_len, us, "set", r) ||
        check_list(q, o->disconnect, o->disconnect_len, us, "disconnect", r) ||
        check_list(q, o->update_many, o->update_many_len, ps, "update_many", r) ||
        check_list(q, o->delete_many, o->delete_many_len, t->where_size, "delete_many", r))
        return PRISMA_ERROR;
    if (o->create_many_len && m2m)
        return invalid(q, "`create_many` is not available on the many-to-many relation `%s`.", r->name);

    /* create, create_many: multi-row INSERTs; m-n rows are then linked in one statement. */
    for (int pass = 0; pass < 2; pass++) {
        const void *items = pass ? o->create_many : o->create;
        size_t k = pass ? o->create_many_len : o->create_len;
        if (!k)
            continue;
        void **recs = m2m ? malloc_array(k, sizeof *recs) : NULL;
        if (m2m && !recs)
            return err_set(&q->err, "P1000", "out of memory"), PRISMA_ERROR;
        int rc = create_list(w, t, items, k, &p->lk, pass == 1, pass == 1 && o->skip_duplicates, recs);
        if (rc == PRISMA_OK && m2m)
            rc = link_records(w, p->m, r, &p->keys[0], true, recs, k);
        free(recs);
        if (rc != PRISMA_OK)
            return PRISMA_ERROR;
    }
    for (size_t i = 0; i < o->update_len; i++) {
        const prisma_nested_pair *u = (const prisma_nested_pair *)o->update + i;
        if (!u->where)
            return invalid(q, "a nested update on the list `%s` needs `where`.", r->name);
        if (nested_update(w, p, u->where, u->data) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    for (size_t i = 0; i < o->upsert_len; i++)
        if (nested_upsert(w, p, (const prisma_nested_upsert *)o->upsert + i) != PRISMA_OK)
            return PRISMA_ERROR;
    if (o->delete_len) {
        nstmt s = { .op = N_DELETE, .m = p->m, .r = r, .scope = &p->scope };
        if (run_chunked(w, &s, o->delete_, o->delete_len, &n) != PRISMA_OK)
            return PRISMA_ERROR;
        if ((size_t)n < o->delete_len)
            return not_connected(q, p->m, r);
    }
    if (o->connect_len) {
        if (m2m) {
            nstmt s = { .op = N_LINK, .m = p->m, .r = r, .pid = p->keys[0] };
            if (run_chunked(w, &s, o->connect, o->connect_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
            if ((size_t)n < o->connect_len) {
                /* Fewer new links than records: some were linked already, or missing. */
                nstmt c = { .op = N_COUNT, .m = p->m, .r = r };
                if (run_chunked(w, &c, o->connect, o->connect_len, &n) != PRISMA_OK)
                    return PRISMA_ERROR;
                if ((size_t)n < o->connect_len)
                    return incomplete_connect(q, r, o->connect_len, n);
            }
        } else {
            nstmt s = { .op = N_SET, .m = p->m, .r = r, .set_fields = p->lk.fields, .set_vals = p->lk.vals,
                        .n_set = p->lk.n };
            if (run_chunked(w, &s, o->connect, o->connect_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
            if ((size_t)n < o->connect_len)
                return incomplete_connect(q, r, o->connect_len, n);
        }
    }
    int batched = connect_or_create_many(w, p, o->connect_or_create, o->connect_or_create_len);
    if (batched < 0)
        return PRISMA_ERROR;
    for (size_t i = 0; !batched && i < o->connect_or_create_len; i++) {
        prisma_nested_pair pr;
        memcpy(&pr, (const prisma_nested_pair *)o->connect_or_create + i, sizeof pr);
        void *rec;
        bool created;
        if (connect_or_create(w, t, &pr, &p->lk, &rec, &created) != PRISMA_OK)
            return PRISMA_ERROR;
        if (m2m && link_records(w, p->m, r, &p->keys[0], true, &rec, 1) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (o->set_given || o->set_len) {
        if (m2m) {
            nstmt s = { .op = N_UNLINK, .m = p->m, .r = r, .pid = p->keys[0] };
            if (run_changes(w, build_nested, &s, &n) != PRISMA_OK)
                return PRISMA_ERROR;
            s.op = N_LINK;
            if (run_chunked(w, &s, o->set, o->set_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
        } else {
            if (fk_required(t, r->fields, r->n_fields)) {
                /* Every connected record must stay: a required key cannot be let go. */
                int64_t all, kept;
                nstmt c = { .op = N_COUNT, .m = p->m, .r = r, .scope = &p->scope };
                if (run_count(w, build_nested, &c, &all) != PRISMA_OK ||
                    run_chunked(w, &c, o->set, o->set_len, &kept) != PRISMA_OK)
                    return PRISMA_ERROR;
                if (kept < all)
                    return required_relation(q, r, t, p->m);
            } else {
                prisma_value nulls[16];
                for (unsigned k = 0; k < r->n_fields && k < 16; k++)
                    nulls[k] = v_null();
                nstmt s = { .op = N_SET, .m = p->m, .r = r, .scope = &p->scope, .set_fields = r->fields,
                            .set_vals = nulls, .n_set = r->n_fields };
                if (run_changes(w, build_nested, &s, &n) != PRISMA_OK)
                    return PRISMA_ERROR;
            }
            nstmt s = { .op = N_SET, .m = p->m, .r = r, .set_fields = p->lk.fields, .set_vals = p->lk.vals,
                        .n_set = p->lk.n };
            if (run_chunked(w, &s, o->set, o->set_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
        }
    }
    if (o->disconnect_len) {
        if (m2m) {
            nstmt s = { .op = N_UNLINK, .m = p->m, .r = r, .pid = p->keys[0] };
            if (run_chunked(w, &s, o->disconnect, o->disconnect_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
        } else if (fk_required(t, r->fields, r->n_fields)) {
            nstmt c = { .op = N_COUNT, .m = p->m, .r = r, .scope = &p->scope };
            if (run_chunked(w, &c, o->disconnect, o->disconnect_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
            if (n)
                return required_relation(q, r, t, p->m);
        } else {
            prisma_value nulls[16];
            for (unsigned k = 0; k < r->n_fields && k < 16; k++)
                nulls[k] = v_null();
            nstmt s = { .op = N_SET, .m = p->m, .r = r, .scope = &p->scope, .set_fields = r->fields,
                        .set_vals = nulls, .n_set = r->n_fields };
            if (run_chunked(w, &s, o->disconnect, o->disconnect_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
        }
    }
    for (size_t i = 0; i < o->update_many_len; i++) {
        const prisma_nested_pair *u = (const prisma_nested_pair *)o->update_many + i;
        if (!u->data)
            return invalid(q, "a nested update_many on `%s` has no data.", r->name);
        if (nw_has_nested(t, u->data, true))
            return invalid(q, "a nested update_many on `%s` cannot hold nested writes.", r->name);
        bool empty;
        if (q_update_is_empty(q, t, u->data, &empty) != PRISMA_OK)
            return PRISMA_ERROR;
        if (empty)
            continue;
        update_ctx uc = { .m = t, .where = u->where, .scope = &p->scope, .data = u->data };
        if (run_changes(w, q_build_update, &uc, &n) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    for (size_t i = 0; i < o->delete_many_len; i++) {
        update_ctx uc = { .m = t, .where = (const char *)o->delete_many + i * t->where_size, .scope = &p->scope,
                          .is_delete = true };
        if (run_changes(w, q_build_update, &uc, &n) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* Step 3 for every relation of `m` but the link's. */
static int back_ops(nw *w, const prisma_model_desc *m, void *rec, const void *data, bool upd, const link *lk)
{
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->kind == PRISMA_REL_TO_ONE_FK || r == lk->back || !rel_given(r, data, upd))
            continue;
        parent p;
        if (parent_init(w->q, &p, m, r, rec) != PRISMA_OK)
            return PRISMA_ERROR;
        int rc;
        if (is_many(r)) {
            prisma_nested_many_update o;
            read_many(r, data, upd, &o);
            rc = many_ops(w, &p, &o);
        } else {
            prisma_nested_one_update o;
            read_one(r, data, upd, &o);
            rc = one_back_ops(w, &p, &o, upd);
        }
        if (rc != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* Step 3 for n new records of `m` at once (records created together by
 * create_rows): the creates of every record's relations go in shared
 * multi-row INSERTs, m-n connects in one statement; what remains runs per
 * record. */
/* Links parent pids[i] to the records uls[i] names (m-n), for b parents, in
 * INSERT ... SELECT ... UNION ALL ... statements; *linked: the links made.
 * *fits is false when one parent's list is too long for a branch (the
 * caller then goes record by record; what was linked stays, ON CONFLICT DO
 * NOTHING makes that harmless). */
static int link_multi(nw *w, const prisma_model_desc *m, const prisma_relation_desc *r, const ulist *uls,
                      const prisma_value *pids, size_t b, int64_t *linked, bool *fits)
{
    /* Branches per statement: SQLite's compound-SELECT limit, and the
     * parameter limit; a branch is an IN list, or an OR of at most MAX_OR. */
    size_t limit = q_param_limit(w->q) - 16;
    *linked = 0;
    for (size_t j = 0; j < b; j++)
        if (!ulist_in(w->q, &uls[j]) && uls[j].n > MAX_OR) {
            *fits = false;
            return PRISMA_OK;
        }
    for (size_t i = 0; i < b;) {
        size_t nb = 0, params = 0;
        for (; i + nb < b && nb < 100; nb++) {
            const ulist *l = &uls[i + nb];
            size_t cost = (ulist_in(w->q, l) ? l->n : l->n * unique_width(l->t)) + 1;
            if (params + cost > limit)
                break;
            params += cost;
        }
        if (!nb) {
            *fits = false;
            return PRISMA_OK;
        }
        nstmt st = { .op = N_LINK_MULTI, .m = m, .r = r, .ulists = uls + i, .pids = pids + i, .n_branches = nb };
        int64_t ch;
        if (run_changes(w, build_nested, &st, &ch) != PRISMA_OK)
            return PRISMA_ERROR;
        *linked += ch;
        i += nb;
    }
    return PRISMA_OK;
}

/* The m-n connect_or_create of records created together: the creates of all
 * of them in shared INSERTs that do nothing on a conflict with the where
 * (so a record another caller just made is found, not duplicated), then
 * every link in link_multi. Only when every item's create carries its
 * where's values on one unique and has no nested writes of its own; else
 * *batched stays false and each record does its own. */
static int connect_or_create_multi(nw *w, const prisma_model_desc *m, const prisma_relation_desc *r,
                                   const parent *ps, const size_t *who, size_t c, const void *const *datas,
                                   bool *batched)
{
    query *q = w->q;
    const prisma_model_desc *t = r->target;
    *batched = false;
    size_t total = 0, parents = 0;
    const prisma_unique_desc *crit = NULL;
    for (size_t j = 0; j < c; j++) {
        prisma_nested_many_update o;
        read_many(r, datas[who[j]], false, &o);
        if (!o.connect_or_create_len)
            continue;
        if (check_list(q, o.connect_or_create, o.connect_or_create_len, sizeof(prisma_nested_pair), "connect_or_create",
                       r) != PRISMA_OK)
            return PRISMA_ERROR;
        const prisma_nested_pair *pairs = o.connect_or_create;
        for (size_t i = 0; i < o.connect_or_create_len; i++) {
            if (!pairs[i].where || !pairs[i].data || nw_has_nested(t, pairs[i].data, false))
                return PRISMA_OK;
            const prisma_unique_desc *u = conflict_target(q, t, pairs[i].where, pairs[i].data);
            if (!u || (crit && u != crit))
                return PRISMA_OK;
            crit = u;
        }
        parents++;
        total = add_sat(total, o.connect_or_create_len);
    }
    if (parents < 2)
        return PRISMA_OK;
    size_t nf = t->n_fields ? t->n_fields : 1, ws = t->where_unique_size ? t->where_unique_size : 1;
    prisma_value *vals = malloc_array(total, nf * sizeof *vals);
    bool *given = malloc_array(total, nf * sizeof *given);
    char *wheres = malloc_array(total, ws);
    ulist *uls = malloc_array(parents, sizeof *uls);
    prisma_value *pids = malloc_array(parents, sizeof *pids);
    int rc = PRISMA_ERROR;
    if (!vals || !given || !wheres || !uls || !pids) {
        err_set(&q->err, "P1000", "out of memory");
        goto done;
    }
    size_t k = 0, b = 0;
    for (size_t j = 0; j < c; j++) {
        prisma_nested_many_update o;
        read_many(r, datas[who[j]], false, &o);
        if (!o.connect_or_create_len)
            continue;
        const prisma_nested_pair *pairs = o.connect_or_create;
        uls[b] = (ulist){ t, wheres + k * ws, o.connect_or_create_len };
        pids[b++] = ps[j].keys[0];
        for (size_t i = 0; i < o.connect_or_create_len; i++, k++) {
            if (row_values(w, t, pairs[i].data, &ps[j].lk, NULL, vals + k * nf, given + k * nf) != PRISMA_OK)
                goto done;
            memcpy(wheres + k * ws, pairs[i].where, ws);
        }
    }
    if (q_insert_rows(q, t, vals, given, total, false, crit, NULL, NULL, NULL) != PRISMA_OK)
        goto done;
    int64_t linked;
    bool fits = true;
    if (link_multi(w, m, r, uls, pids, b, &linked, &fits) != PRISMA_OK)
        goto done;
    *batched = fits;
    rc = PRISMA_OK;
done:
    free(vals);
    free(given);
    free(wheres);
    free(uls);
    free(pids);
    return rc;
}

static int back_ops_multi(nw *w, const prisma_model_desc *m, void *const *recs, const void *const *datas,
                          const link *const *lks, size_t n)
{
    query *q = w->q;
    const link *lk = lks[0]; /* every record here hangs on the same relation */
    parent *ps = malloc_array(n, sizeof *ps);
    size_t *who = malloc_array(n, sizeof *who);
    int rc = PRISMA_ERROR;
    if (!ps || !who) {
        err_set(&q->err, "P1000", "out of memory");
        goto done;
    }
    for (unsigned ri = 0; ri < m->n_relations; ri++) {
        const prisma_relation_desc *r = &m->relations[ri];
        if (r->kind == PRISMA_REL_TO_ONE_FK || r == lk->back)
            continue;
        const prisma_model_desc *t = r->target;
        bool m2m = r->kind == PRISMA_REL_MANY_TO_MANY, many = is_many(r);
        size_t c = 0, n_creates = 0, n_connect_parents = 0;
        for (size_t j = 0; j < n; j++) {
            if (!rel_given(r, datas[j], false))
                continue;
            if (parent_init(q, &ps[c], m, r, recs[j]) != PRISMA_OK)
                goto done;
            who[c++] = j;
        }
        if (!c)
            continue;
        /* The creates of every record, together. */
        for (size_t j = 0; j < c; j++) {
            if (many) {
                prisma_nested_many_update o;
                read_many(r, datas[who[j]], false, &o);
                if (check_list(q, o.create, o.create_len, t->create_size, "create", r) != PRISMA_OK)
                    goto done;
                n_creates = add_sat(n_creates, o.create_len);
                n_connect_parents += m2m && o.connect_len;
            } else {
                prisma_nested_one_update o;
                read_one(r, datas[who[j]], false, &o);
                n_creates += o.create != NULL;
            }
        }
        bool batch_creates = c > 1 && n_creates > 1;
        if (batch_creates) {
            const void **items = malloc_array(n_creates, sizeof *items);
            const link **clks = malloc_array(n_creates, sizeof *clks);
            void **made = malloc_array(n_creates, sizeof *made);
            prisma_value *pids = malloc_array(n_creates, sizeof *pids);
            int crc = PRISMA_ERROR;
            if (items && clks && made && pids) {
                size_t k = 0;
                for (size_t j = 0; j < c; j++) {
                    if (many) {
                        prisma_nested_many_update o;
                        read_many(r, datas[who[j]], false, &o);
                        for (size_t i = 0; i < o.create_len; i++, k++) {
                            items[k] = (const char *)o.create + i * t->create_size;
                            clks[k] = &ps[j].lk;
                            pids[k] = ps[j].keys[0];
                        }
                    } else {
                        prisma_nested_one_update o;
                        read_one(r, datas[who[j]], false, &o);
                        if (o.create) {
                            items[k] = o.create;
                            clks[k] = &ps[j].lk;
                            pids[k] = ps[j].keys[0];
                            k++;
                        }
                    }
                }
                /* m-n records must be told apart to link each to its parent. */
                if (m2m && !key_order(q, t, items, k))
                    batch_creates = false, crc = PRISMA_OK;
                else if (create_rows(w, t, items, clks, k, false, false, m2m ? made : NULL) == PRISMA_OK)
                    crc = m2m ? link_records(w, m, r, pids, false, made, k) : PRISMA_OK;
            } else {
                err_set(&q->err, "P1000", "out of memory");
            }
            free(items);
            free(clks);
            free(made);
            free(pids);
            if (crc != PRISMA_OK)
                goto done;
        }
        /* m-n connects of every record: one INSERT ... SELECT ... UNION ALL ... */
        bool batch_connects = m2m && n_connect_parents > 1 && (!n_creates || batch_creates);
        if (batch_connects) {
            ulist *uls = malloc_array(c, sizeof *uls);
            prisma_value *pids = malloc_array(c, sizeof *pids);
            int crc = PRISMA_ERROR;
            if (uls && pids) {
                size_t b = 0, expected = 0;
                int64_t linked = 0;
                for (size_t j = 0; j < c; j++) {
                    prisma_nested_many_update o;
                    read_many(r, datas[who[j]], false, &o);
                    if (!o.connect_len)
                        continue;
                    if (check_list(q, o.connect, o.connect_len, t->where_unique_size, "connect", r) != PRISMA_OK)
                        break;
                    uls[b] = (ulist){ t, o.connect, o.connect_len };
                    pids[b++] = ps[j].keys[0];
                    expected = add_sat(expected, o.connect_len);
                }
                crc = b == n_connect_parents ? PRISMA_OK : PRISMA_ERROR;
                if (crc == PRISMA_OK)
                    crc = link_multi(w, m, r, uls, pids, b, &linked, &batch_connects);
                if (crc == PRISMA_OK && batch_connects && (size_t)linked < expected) {
                    /* Someone's records are missing: find whose, for Prisma's message. */
                    for (size_t j = 0; j < b && crc == PRISMA_OK; j++) {
                        nstmt cs = { .op = N_COUNT, .m = m, .r = r };
                        int64_t found;
                        crc = run_chunked(w, &cs, uls[j].items, uls[j].n, &found);
                        if (crc == PRISMA_OK && (size_t)found < uls[j].n)
                            crc = incomplete_connect(q, r, uls[j].n, found);
                    }
                }
            } else {
                err_set(&q->err, "P1000", "out of memory");
            }
            free(uls);
            free(pids);
            if (crc != PRISMA_OK)
                goto done;
        }
        /* Batched only when what comes before it in Prisma's order (creates,
         * connects) already ran: the rest runs after it. */
        bool batch_cocs = false;
        if (m2m && (!n_creates || batch_creates) && (!n_connect_parents || batch_connects) &&
            connect_or_create_multi(w, m, r, ps, who, c, datas, &batch_cocs) != PRISMA_OK)
            goto done;
        /* The rest, record by record. */
        for (size_t j = 0; j < c; j++) {
            int orc;
            if (many) {
                prisma_nested_many_update o;
                read_many(r, datas[who[j]], false, &o);
                if (batch_creates) {
                    o.create = NULL;
                    o.create_len = 0;
                }
                if (batch_connects) {
                    o.connect = NULL;
                    o.connect_len = 0;
                }
                if (batch_cocs) {
                    o.connect_or_create = NULL;
                    o.connect_or_create_len = 0;
                }
                orc = many_given(&o) ? many_ops(w, &ps[j], &o) : PRISMA_OK;
            } else {
                prisma_nested_one_update o;
                read_one(r, datas[who[j]], false, &o);
                if (batch_creates)
                    o.create = NULL;
                orc = one_given(&o) ? one_back_ops(w, &ps[j], &o, false) : PRISMA_OK;
            }
            if (orc != PRISMA_OK)
                goto done;
        }
    }
    rc = PRISMA_OK;
done:
    free(ps);
    free(who);
    return rc;
}

/* ---- updating ---- */

/* What an update does through the to-one relations whose key the row holds:
 * OWN_WRITES, a create, connect or disconnect (own_keys has work to do);
 * OWN_UPSERT, an upsert. */
enum { OWN_WRITES = 1, OWN_UPSERT = 2 };

static unsigned own_key_ops(const prisma_model_desc *m, const void *data, const link *lk)
{
    unsigned ops = 0;
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->kind != PRISMA_REL_TO_ONE_FK || r == lk->back)
            continue;
        prisma_nested_one_update o;
        read_one(r, data, true, &o);
        if (o.create || o.connect || o.connect_or_create || o.disconnect)
            ops |= OWN_WRITES;
        if (o.upsert)
            ops |= OWN_UPSERT;
    }
    return ops;
}

/* In an update, the to-one relations whose key this row holds: update,
 * upsert and delete act on the record the row points to. *changed: the row's
 * key may have changed. */
static int fk_after_ops(nw *w, const prisma_model_desc *m, void *rec, const void *data, const link *lk, bool *changed)
{
    query *q = w->q;
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->kind != PRISMA_REL_TO_ONE_FK || r == lk->back)
            continue;
        prisma_nested_one_update o;
        read_one(r, data, true, &o);
        if (!o.update && !o.upsert && !o.delete_)
            continue;
        const prisma_model_desc *t = r->target;
        prisma_value fk[16];
        bool connected = r->n_fields <= 16;
        for (unsigned k = 0; k < r->n_fields && k < 16; k++) {
            fk[k] = q_rec_value(m, r->fields[k], rec);
            connected &= fk[k].kind != V_NULL;
        }
        nw_scope scope = { m, r, fk };
        link refuse = { inverse_of(r), NULL, NULL, 0 };
        void *trec = NULL;
        if (o.update) {
            if (connected && update_rec(w, t, NULL, &scope, o.update, &refuse, false, &trec) != PRISMA_OK)
                return PRISMA_ERROR;
            if (!trec)
                return missing_nested(q, r, "update");
        }
        if (o.upsert) {
            prisma_nested_upsert u;
            memcpy(&u, o.upsert, sizeof u);
            if (u.where)
                return invalid(q, "a nested upsert on the to-one `%s` takes no `where`.", r->name);
            if (!u.create || !u.update)
                return invalid(q, "a nested upsert on `%s` needs both `create` and `update`.", r->name);
            if (connected && update_rec(w, t, NULL, &scope, u.update, &refuse, false, &trec) != PRISMA_OK)
                return PRISMA_ERROR;
            if (!trec) {
                if (create_one(w, t, u.create, &refuse, NULL, &trec) != PRISMA_OK)
                    return PRISMA_ERROR;
                /* Point the row at it. */
                prisma_value vals[16], self[16];
                const prisma_unique_desc *pk = &m->uniques[0];
                for (unsigned k = 0; k < r->n_fields; k++)
                    vals[k] = q_rec_value(t, r->references[k], trec);
                for (unsigned k = 0; k < pk->n_fields && k < 16; k++)
                    self[k] = q_rec_value(m, pk->fields[k], rec);
                nw_scope me = { m, NULL, self };
                update_ctx uc = { .m = m, .scope = &me, .set_fields = r->fields, .set_vals = vals,
                                  .n_set = r->n_fields };
                int64_t n;
                if (run_changes(w, q_build_update, &uc, &n) != PRISMA_OK)
                    return PRISMA_ERROR;
                *changed = true;
            }
        }
        if (o.delete_) {
            if (fk_required(m, r->fields, r->n_fields))
                return required_relation(q, r, m, t);
            int64_t n = 0;
            if (connected) {
                update_ctx uc = { .m = t, .scope = &scope, .is_delete = true };
                if (run_changes(w, q_build_update, &uc, &n) != PRISMA_OK)
                    return PRISMA_ERROR;
            }
            if (!n)
                return missing_nested(q, r, "delete");
            *changed = true;
        }
    }
    return PRISMA_OK;
}

/* Updates the record `where_unique` (and/or `scope`) names, with its nested
 * writes. *rec is NULL when there is no such record; with or_create (an
 * upsert) nothing has been written then. */
static int update_rec(nw *w, const prisma_model_desc *m, const void *where_unique, const nw_scope *scope,
                      const void *data, const link *lk, bool or_create, void **rec)
{
    query *q = w->q;
    *rec = NULL;
    if (check_link(q, m, data, true, lk) != PRISMA_OK)
        return PRISMA_ERROR;
    uint16_t fields[64];
    prisma_value vals[64];
    unsigned n = 0;
    if (or_create && (own_key_ops(m, data, lk) & OWN_WRITES)) {
        /* The nested create, connect or disconnect that gives this row its
         * keys runs before the UPDATE: in an upsert, first make sure the row
         * is there, so that one that finds nothing (and creates instead)
         * leaves nothing of its update behind. (Elsewhere a missing row is
         * P2025 and the whole call rolls back.) Locked, as the UPDATE will. */
        find_ctx fc = { .m = m, .where_unique = where_unique, .scope = scope, .lock = q->pg };
        void *found;
        if (run_one(w, m, q_build_find, &fc, &found) != PRISMA_OK)
            return PRISMA_ERROR;
        if (!found)
            return PRISMA_OK;
    }
    if (own_keys(w, m, data, true, lk, where_unique, NULL, fields, vals, &n) != PRISMA_OK)
        return PRISMA_ERROR;
    bool empty;
    if (q_update_is_empty(q, m, data, &empty) != PRISMA_OK)
        return PRISMA_ERROR;
    if (empty && !n) {
        /* Nothing of the row itself changes, so it is only read; but an
         * upsert through a key it holds decides from that key whether to
         * create: two such calls at once would each create a record. The
         * read locks the row, as the UPDATE would have (SQLite's
         * BEGIN IMMEDIATE already lets one writer in at a time). */
        find_ctx fc = { .m = m, .where_unique = where_unique, .scope = scope,
                        .lock = q->pg && (own_key_ops(m, data, lk) & OWN_UPSERT) };
        if (run_one(w, m, q_build_find, &fc, rec) != PRISMA_OK)
            return PRISMA_ERROR;
    } else {
        update_ctx uc = { .m = m, .where_unique = where_unique, .scope = scope, .data = empty ? NULL : data,
                          .set_fields = fields, .set_vals = vals, .n_set = n, .returning = true };
        if (run_one(w, m, q_build_update, &uc, rec) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (!*rec)
        return PRISMA_OK;
    bool changed = false;
    if (fk_after_ops(w, m, *rec, data, lk, &changed) != PRISMA_OK || back_ops(w, m, *rec, data, true, lk) != PRISMA_OK)
        return PRISMA_ERROR;
    if (changed) {
        /* Read the row again: its foreign keys moved. */
        const prisma_unique_desc *pk = &m->uniques[0];
        prisma_value self[16];
        for (unsigned k = 0; k < pk->n_fields && k < 16; k++)
            self[k] = q_rec_value(m, pk->fields[k], *rec);
        nw_scope me = { m, NULL, self };
        find_ctx fc = { .m = m, .scope = &me };
        if (run_one(w, m, q_build_find, &fc, rec) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* ---- the entry points (in a transaction opened by query.c) ---- */

static int finish(nw *w, int rc, void *rec, void **out)
{
    if (rc == PRISMA_OK && rec) {
        detach(w, rec);
        *out = rec;
    }
    nw_free(w);
    return rc;
}

int nw_create_top(query *q, const prisma_model_desc *m, const void *data, void **out)
{
    nw w = { q, NULL, 0, 0 };
    void *rec;
    *out = NULL;
    int rc = create_one(&w, m, data, &no_link, NULL, &rec);
    return finish(&w, rc, rec, out);
}

int nw_update_top(query *q, const prisma_model_desc *m, const void *where_unique, const void *data, void **out)
{
    nw w = { q, NULL, 0, 0 };
    void *rec = NULL;
    *out = NULL;
    int rc = PRISMA_OK;
    if (!where_unique)
        rc = invalid(q, "Argument `where` is missing.");
    if (rc == PRISMA_OK)
        rc = update_rec(&w, m, where_unique, NULL, data, &no_link, false, &rec);
    if (rc == PRISMA_OK && !rec)
        rc = q_not_found(q, "Record to update not found.");
    return finish(&w, rc, rec, out);
}

int nw_upsert_top(query *q, const prisma_model_desc *m, const void *where_unique, const void *create,
                  const void *update, void **out)
{
    nw w = { q, NULL, 0, 0 };
    void *rec = NULL;
    *out = NULL;
    int rc = PRISMA_OK;
    if (!where_unique)
        rc = invalid(q, "Argument `where` is missing.");
    /* Update, else create (doing nothing on a conflict with the where
     * criterion), else a concurrent create won: update that one. */
    const prisma_unique_desc *conflict = rc == PRISMA_OK ? conflict_target(q, m, where_unique, create) : NULL;
    for (int attempt = 0; rc == PRISMA_OK && attempt < 2 && !rec; attempt++) {
        rc = update_rec(&w, m, where_unique, NULL, update, &no_link, true, &rec);
        if (rc == PRISMA_OK && !rec && !attempt)
            rc = create_one(&w, m, create, &no_link, conflict, &rec);
    }
    if (rc == PRISMA_OK && !rec)
        rc = q_not_found(q, "No record was found for an upsert.");
    return finish(&w, rc, rec, out);
}
