/* Nested writes: creates and updates that carry related records along.
 *
 * One call is one atomic unit: the query layer (query/op.c) opens a transaction (or a savepoint
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
#include "nested.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading the generated inputs ---- */

const prisma_relation_desc *nw_inverse_of(const prisma_relation_desc *r)
{
    return r->inverse < r->target->n_relations ? &r->target->relations[r->inverse] : NULL;
}

void nw_read_one(const prisma_relation_desc *r, const void *data, bool upd, prisma_nested_one_update *o)
{
    memset(o, 0, sizeof *o);
    /* The create layout is the update layout's first members. */
    if (upd)
        memcpy(o, (const char *)data + r->update_off, sizeof *o);
    else
        memcpy(o, (const char *)data + r->create_off, sizeof(prisma_nested_one_create));
}

void nw_read_many(const prisma_relation_desc *r, const void *data, bool upd, prisma_nested_many_update *o)
{
    memset(o, 0, sizeof *o);
    if (upd)
        memcpy(o, (const char *)data + r->update_off, sizeof *o);
    else
        memcpy(o, (const char *)data + r->create_off, sizeof(prisma_nested_many_create));
}

bool nw_is_many(const prisma_relation_desc *r)
{
    return r->kind == PRISMA_REL_TO_MANY || r->kind == PRISMA_REL_MANY_TO_MANY;
}

bool nw_one_given(const prisma_nested_one_update *o)
{
    return o->create || o->connect || o->connect_or_create || o->update || o->upsert || o->disconnect || o->delete_;
}

bool nw_many_given(const prisma_nested_many_update *o)
{
    return o->create_len || o->create_many_len || o->connect_len || o->connect_or_create_len || o->update_len ||
           o->upsert_len || o->delete_len || o->set_given || o->set_len || o->disconnect_len || o->update_many_len ||
           o->delete_many_len;
}

bool nw_rel_given(const prisma_relation_desc *r, const void *data, bool upd)
{
    if (r->create_off == PRISMA_NO_OFFSET || (upd && r->update_off == PRISMA_NO_OFFSET))
        return false;
    if (nw_is_many(r)) {
        prisma_nested_many_update o;
        nw_read_many(r, data, upd, &o);
        return nw_many_given(&o);
    }
    prisma_nested_one_update o;
    nw_read_one(r, data, upd, &o);
    return nw_one_given(&o);
}

bool nw_has_nested(const prisma_model_desc *m, const void *data, bool is_update)
{
    if (!m || !data)
        return false;
    for (unsigned i = 0; i < m->n_relations; i++)
        if (nw_rel_given(&m->relations[i], data, is_update))
            return true;
    return false;
}

/* ---- duplicates in a list of where-uniques ---- */

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211u; /* FNV-1a */
    return h;
}

/* A hash of the record a where-unique names: its criteria and their values. */
static uint64_t unique_hash(query *q, const prisma_model_desc *t, const void *u)
{
    uint64_t h = 14695981039346656037u;
    for (unsigned i = 0; i < t->n_uniques; i++) {
        const prisma_unique_desc *ud = &t->uniques[i];
        for (unsigned k = 0; k < ud->n_fields; k++) {
            prisma_value v;
            if (q_read_create_value(q, &t->fields[ud->fields[k]], (const char *)u + ud->member_offs[k], &v) != 1)
                continue;
            h = mix(h, &i, sizeof i);
            h = mix(h, &k, sizeof k);
            h = mix(h, &v.kind, sizeof v.kind);
            if (v.kind == V_TEXT || v.kind == V_BLOB)
                h = mix(h, v.s, v.len);
            else if (v.kind == V_DOUBLE)
                h = mix(h, &v.d, sizeof v.d);
            else
                h = mix(h, &v.i, sizeof v.i);
        }
    }
    return h;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

size_t nw_distinct(query *q, const prisma_model_desc *t, const void *list, size_t n)
{
    uint64_t *h = n ? malloc(n * sizeof *h) : NULL;
    if (!h)
        return n;
    for (size_t i = 0; i < n; i++)
        h[i] = unique_hash(q, t, (const char *)list + i * t->where_unique_size);
    err_clear(&q->err); /* the values were checked as the statements were built */
    qsort(h, n, sizeof *h, cmp_u64);
    size_t d = 1;
    for (size_t i = 1; i < n; i++)
        d += h[i] != h[i - 1];
    free(h);
    return d;
}

/* ---- the values of a whole input, checked before anything runs ---- */

/* Each list is checked as many_ops checks it (a length no array can have
 * is refused) before its items are read. */
static int check_creates(query *q, const prisma_relation_desc *r, const char *what, const void *arr, size_t n,
                         int depth)
{
    const prisma_model_desc *t = r->target;
    if (nw_check_list(q, arr, n, t->create_size, what, r) != PRISMA_OK)
        return PRISMA_ERROR;
    for (size_t i = 0; arr && i < n; i++)
        if (nw_check_input(q, t, (const char *)arr + i * t->create_size, false, depth) != PRISMA_OK)
            return PRISMA_ERROR;
    return PRISMA_OK;
}

static int check_pairs(query *q, const prisma_relation_desc *r, const char *what, const prisma_nested_pair *p, size_t n,
                       bool is_update, int depth)
{
    const prisma_model_desc *t = r->target;
    if (nw_check_list(q, p, n, sizeof *p, what, r) != PRISMA_OK)
        return PRISMA_ERROR;
    for (size_t i = 0; p && i < n; i++)
        if (nw_check_input(q, t, p[i].data, is_update, depth) != PRISMA_OK)
            return PRISMA_ERROR;
    return PRISMA_OK;
}

static int check_upserts(query *q, const prisma_relation_desc *r, const prisma_nested_upsert *u, size_t n, int depth)
{
    const prisma_model_desc *t = r->target;
    if (nw_check_list(q, u, n, sizeof *u, "upsert", r) != PRISMA_OK)
        return PRISMA_ERROR;
    for (size_t i = 0; u && i < n; i++)
        if (nw_check_input(q, t, u[i].create, false, depth) != PRISMA_OK ||
            nw_check_input(q, t, u[i].update, true, depth) != PRISMA_OK)
            return PRISMA_ERROR;
    return PRISMA_OK;
}

int nw_check_input(query *q, const prisma_model_desc *m, const void *data, bool is_update, int depth)
{
    if (!data || depth > 32) /* deeper levels are checked as they run */
        return PRISMA_OK;
    /* The top level whole (as a plain update checks it); below it only the
     * nulls of required fields: their other values are checked as their
     * statements are built, inside the transaction. */
    bool empty;
    if (depth == 0 && is_update ? q_update_is_empty(q, m, data, &empty) != PRISMA_OK
                                : !q_refuse_nulls(q, m, data, is_update))
        return PRISMA_ERROR;
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        const prisma_model_desc *t = r->target;
        bool many = r->kind == PRISMA_REL_TO_MANY || r->kind == PRISMA_REL_MANY_TO_MANY;
        uint32_t off = is_update ? r->update_off : r->create_off;
        if (off == PRISMA_NO_OFFSET || !nw_rel_given(r, data, is_update))
            continue;
        int rc;
        if (many && !is_update) {
            const prisma_nested_many_create *n = AT(data, off, prisma_nested_many_create);
            rc = check_creates(q, r, "create", n->create, n->create_len, depth + 1) ||
                 check_creates(q, r, "create_many", n->create_many, n->create_many_len, depth + 1) ||
                 check_pairs(q, r, "connect_or_create", n->connect_or_create, n->connect_or_create_len, false, depth + 1);
        } else if (many) {
            const prisma_nested_many_update *n = AT(data, off, prisma_nested_many_update);
            rc = check_creates(q, r, "create", n->create, n->create_len, depth + 1) ||
                 check_creates(q, r, "create_many", n->create_many, n->create_many_len, depth + 1) ||
                 check_pairs(q, r, "connect_or_create", n->connect_or_create, n->connect_or_create_len, false, depth + 1) ||
                 check_pairs(q, r, "update", n->update, n->update_len, true, depth + 1) ||
                 check_upserts(q, r, n->upsert, n->upsert_len, depth + 1) ||
                 check_pairs(q, r, "update_many", n->update_many, n->update_many_len, true, depth + 1);
        } else if (!is_update) {
            const prisma_nested_one_create *n = AT(data, off, prisma_nested_one_create);
            rc = nw_check_input(q, t, n->create, false, depth + 1) ||
                 check_pairs(q, r, "connect_or_create", n->connect_or_create, n->connect_or_create != NULL, false,
                             depth + 1);
        } else {
            const prisma_nested_one_update *n = AT(data, off, prisma_nested_one_update);
            rc = nw_check_input(q, t, n->create, false, depth + 1) ||
                 check_pairs(q, r, "connect_or_create", n->connect_or_create, n->connect_or_create != NULL, false,
                             depth + 1) ||
                 nw_check_input(q, t, n->update, true, depth + 1) ||
                 check_upserts(q, r, n->upsert, n->upsert != NULL, depth + 1);
        }
        if (rc != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* ---- errors, in Prisma's words ---- */

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int nw_invalid(query *q, const char *fmt, ...)
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
        const prisma_relation_desc *inv = nw_inverse_of(r);
        return inv && inv->kind == PRISMA_REL_TO_ONE_BACK ? "one-to-one" : "one-to-many";
    }
    }
}

/* P2025 for a nested operation on a record that is not there (or not connected). */
int nw_missing_nested(query *q, const prisma_relation_desc *r, const char *op)
{
    char cause[320];
    snprintf(cause, sizeof cause, "No '%s' record was found for a nested %s on %s relation '%s'.", r->target->name, op,
             shape_of(r), r->relation);
    return q_not_found(q, cause);
}

/* P2025 for a to-one connect whose key this row would hold. */
int nw_missing_inline(query *q, const prisma_model_desc *m, const prisma_relation_desc *r, const char *op)
{
    char cause[384];
    snprintf(cause, sizeof cause,
             "No '%s' record (needed to inline the relation on '%s' record(s)) was found for a nested %s on %s "
             "relation '%s'.",
             r->target->name, m->name, op, shape_of(r), r->relation);
    return q_not_found(q, cause);
}

/* P2014: `holder` holds the required foreign key. */
int nw_required_relation(query *q, const prisma_relation_desc *r, const prisma_model_desc *holder,
                             const prisma_model_desc *other)
{
    err_set(&q->err, "P2014",
            "The change you are trying to make would violate the required relation '%s' between the `%s` and `%s` "
            "models.",
            r->relation, holder->name, other->name);
    return PRISMA_ERROR;
}

int nw_not_connected(query *q, const prisma_model_desc *m, const prisma_relation_desc *r)
{
    err_set(&q->err, "P2017", "The records for relation `%s` between the `%s` and `%s` models are not connected.",
            r->relation, m->name, r->target->name);
    return PRISMA_ERROR;
}

int nw_incomplete_connect(query *q, const prisma_relation_desc *r, size_t expected, int64_t found)
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
bool nw_fk_required(const prisma_model_desc *holder, const uint16_t *fields, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        if (!(holder->fields[fields[k]].flags & PRISMA_F_OPTIONAL))
            return true;
    return false;
}

/* ---- the operation's context ---- */


bool nw_keep(nw *w, void *rec)
{
    if (!rec)
        return true;
    if (w->n_recs == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        void **p = realloc(w->recs, cap * sizeof *p);
        if (!p) {
            result_free_root(rec);
            err_oom(&w->q->err);
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


int nw_run_one(nw *w, const prisma_model_desc *m, build_fn build, void *ctx, void **rec)
{
    prisma_rows *rows;
    *rec = NULL;
    if (q_run(w->q, build, ctx, &rows) != PRISMA_OK || q_fetch_one(w->q, m, rows, rec) != PRISMA_OK)
        return PRISMA_ERROR;
    return nw_keep(w, *rec) ? PRISMA_OK : PRISMA_ERROR;
}

int nw_run_changes(nw *w, build_fn build, void *ctx, int64_t *changes)
{
    prisma_rows *rows;
    if (q_run(w->q, build, ctx, &rows) != PRISMA_OK)
        return PRISMA_ERROR;
    *changes = w->q->be->changes(rows);
    w->q->be->done(rows);
    return PRISMA_OK;
}

int nw_run_count(nw *w, build_fn build, void *ctx, int64_t *count)
{
    prisma_rows *rows;
    query *q = w->q;
    if (q_run(q, build, ctx, &rows) != PRISMA_OK)
        return PRISMA_ERROR;
    int st = q->be->next(rows, &q->err);
    *count = st == 1 ? q->be->col_int(rows, 0) : 0;
    q->be->done(rows);
    return st < 0 ? PRISMA_ERROR : PRISMA_OK;
}

/* ---- the entry points (in a transaction opened by ops/op.c) ---- */

int nw_finish(nw *w, int rc, void *rec, void **out)
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
    int rc = nw_create_one(&w, m, data, &no_link, NULL, &rec);
    return nw_finish(&w, rc, rec, out);
}

int nw_update_top(query *q, const prisma_model_desc *m, const void *where_unique, const void *data, void **out)
{
    nw w = { q, NULL, 0, 0 };
    void *rec = NULL;
    *out = NULL;
    int rc = PRISMA_OK;
    if (!where_unique)
        rc = nw_invalid(q, "Argument `where` is missing.");
    if (rc == PRISMA_OK)
        rc = nw_update_rec(&w, m, where_unique, NULL, data, &no_link, false, &rec);
    if (rc == PRISMA_OK && !rec)
        rc = q_not_found(q, "No record was found for an update.");
    return nw_finish(&w, rc, rec, out);
}

int nw_upsert_top(query *q, const prisma_model_desc *m, const void *where_unique, const void *create,
                  const void *update, void **out)
{
    nw w = { q, NULL, 0, 0 };
    void *rec = NULL;
    *out = NULL;
    int rc = PRISMA_OK;
    if (!where_unique)
        rc = nw_invalid(q, "Argument `where` is missing.");
    /* Update, else create (doing nothing on a conflict with the where
     * criterion), else a concurrent create won: update that one. */
    const prisma_unique_desc *conflict = rc == PRISMA_OK ? nw_conflict_target(q, m, where_unique, create) : NULL;
    for (int attempt = 0; rc == PRISMA_OK && attempt < 2 && !rec; attempt++) {
        rc = nw_update_rec(&w, m, where_unique, NULL, update, &no_link, true, &rec);
        if (rc == PRISMA_OK && !rec && !attempt)
            rc = nw_create_one(&w, m, create, &no_link, conflict, &rec);
    }
    if (rc == PRISMA_OK && !rec)
        rc = q_not_found(q, "No record was found for an upsert.");
    return nw_finish(&w, rc, rec, out);
}
