/* Nested writes, steps 1 and 2: the keys a row holds, and the rows created
 * together. */
#include "nested.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- creating ---- */


/* A link's foreign keys must not be given in the input too, nor nested
 * writes on the relation back to the parent. */
int nw_check_link(query *q, const prisma_model_desc *m, const void *data, bool upd, const link *lk)
{
    if (lk->back && nw_rel_given(lk->back, data, upd))
        return nw_invalid(q, "`%s.%s`: nested writes back to the record that nests this one are not allowed.", m->name,
                       lk->back->name);
    for (unsigned k = 0; k < lk->n && !upd; k++) {
        const prisma_field_desc *f = &m->fields[lk->fields[k]];
        prisma_value v;
        if (f->create_off != PRISMA_NO_OFFSET && q_read_create_value(q, f, (const char *)data + f->create_off, &v) != 0)
            return nw_invalid(q, "Unknown argument `%s` in a nested create of `%s`: the relation to the parent sets it.",
                           f->name, m->name);
    }
    return PRISMA_OK;
}

/* Connects or creates a record `p->where` names, race-free. With a link
 * whose fields this record holds (its foreign key to the parent), "connect"
 * is UPDATE ... SET fk; otherwise it is a lookup. *created says which. */
int nw_connect_or_create(nw *w, const prisma_model_desc *t, const prisma_nested_pair *p, const link *lk,
                             void **rec, bool *created)
{
    query *q = w->q;
    if (!p->where || !p->data)
        return nw_invalid(q, "`connect_or_create` on `%s` needs both `where` and `create`.", t->name);
    *created = false;
    for (int attempt = 0; attempt < 2; attempt++) {
        if (lk->n) {
            update_ctx uc = { .m = t, .where_unique = p->where, .set_fields = lk->fields, .set_vals = lk->vals,
                              .n_set = lk->n, .returning = true };
            if (nw_run_one(w, t, q_build_update, &uc, rec) != PRISMA_OK)
                return PRISMA_ERROR;
        } else {
            /* Again after a create a concurrent writer beat: a locking read,
             * which sees its row where a plain one reads the transaction's
             * snapshot (MySQL's REPEATABLE READ). */
            find_ctx fc = { .m = t, .where_unique = p->where, .lock = attempt > 0 && q->be->lock_rows != NULL };
            if (nw_run_one(w, t, q_build_find, &fc, rec) != PRISMA_OK)
                return PRISMA_ERROR;
        }
        if (*rec || attempt)
            break;
        /* Not there: create it, unless a concurrent writer just did. */
        if (nw_create_one(w, t, p->data, lk, nw_conflict_target(q, t, p->where, p->data), rec) != PRISMA_OK)
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

/* The records a list of rows connects to, looked up together: pre[i] for
 * relation i (NULL: look it up alone). */
static char missing_mark;
#define MISSING ((void *)&missing_mark)

int nw_own_keys(nw *w, const prisma_model_desc *m, const void *data, bool upd, const link *lk,
                    const void *self_where, void *const *pre, uint16_t *fields, prisma_value *vals, unsigned *n)
{
    query *q = w->q;
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->kind != PRISMA_REL_TO_ONE_FK || r == lk->back)
            continue;
        prisma_nested_one_update o;
        nw_read_one(r, data, upd, &o);
        int ops = !!o.create + !!o.connect + !!o.connect_or_create + !!o.disconnect;
        if (ops == 0)
            continue;
        if (ops > 1)
            return nw_invalid(q, "`%s.%s`: give only one of create, connect, connect_or_create and disconnect.", m->name,
                           r->name);
        if (!upd)
            for (unsigned k = 0; k < r->n_fields; k++) {
                const prisma_field_desc *f = &m->fields[r->fields[k]];
                prisma_value v;
                if (f->create_off != PRISMA_NO_OFFSET &&
                    q_read_create_value(q, f, (const char *)data + f->create_off, &v) != 0)
                    return nw_invalid(q, "`%s` and a nested write on `%s` both set the foreign key.", f->name, r->name);
            }
        const prisma_model_desc *t = r->target;
        link back = { nw_inverse_of(r), NULL, NULL, 0 };
        void *trec = NULL;
        if (o.create) {
            if (nw_create_one(w, t, o.create, &back, NULL, &trec) != PRISMA_OK)
                return PRISMA_ERROR;
        } else if (o.connect) {
            if (pre && pre[i])
                trec = pre[i] == MISSING ? NULL : pre[i];
            else if (nw_find_unique(w, t, o.connect, NULL, &trec) != PRISMA_OK)
                return PRISMA_ERROR;
            if (!trec)
                return nw_missing_inline(q, m, r, "connect");
        } else if (o.connect_or_create) {
            prisma_nested_pair p;
            memcpy(&p, o.connect_or_create, sizeof p);
            bool created;
            if (nw_connect_or_create(w, t, &p, &back, &trec, &created) != PRISMA_OK)
                return PRISMA_ERROR;
        } else if (nw_fk_required(m, r->fields, r->n_fields)) {
            return nw_required_relation(q, r, m, t);
        }
        const prisma_relation_desc *inv = nw_inverse_of(r);
        if (trec && !o.create && inv && inv->kind == PRISMA_REL_TO_ONE_BACK) {
            /* 1-1: the record connected may have another of ours; it lets
             * go of it (or P2014 when that one's key is required). */
            parent other;
            if (nw_parent_init(q, &other, t, inv, trec) != PRISMA_OK || nw_release_current(w, &other, self_where) != PRISMA_OK)
                return PRISMA_ERROR;
        }
        for (unsigned k = 0; k < r->n_fields; k++) {
            if (*n >= MAX_FIELDS)
                return nw_invalid(q, "`%s`: too many foreign-key fields.", m->name);
            fields[*n] = r->fields[k];
            vals[*n] = trec ? q_rec_value(t, r->references[k], trec) : v_null();
            (*n)++;
        }
    }
    return PRISMA_OK;
}

/* The values of one row to insert: the input's, defaults, the keys of
 * step 1 and the link's. */
int nw_row_values(nw *w, const prisma_model_desc *m, const void *data, const link *lk, void *const *pre,
                      prisma_value *vals, bool *given)
{
    query *q = w->q;
    if (nw_check_link(q, m, data, false, lk) != PRISMA_OK)
        return PRISMA_ERROR;
    if (!q_create_values(q, m, data, vals, given))
        return PRISMA_ERROR;
    uint16_t fields[64];
    prisma_value fvals[64];
    unsigned n = 0;
    if (nw_own_keys(w, m, data, false, lk, NULL, pre, fields, fvals, &n) != PRISMA_OK)
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
        if (r->kind != PRISMA_REL_TO_ONE_FK && r != lk->back && nw_rel_given(r, data, false))
            return true;
    }
    return false;
}

/* Creates one record: steps 1 to 3. With `conflict`, the INSERT does nothing
 * on a conflict there and *rec is NULL. */
int nw_create_one(nw *w, const prisma_model_desc *m, const void *data, const link *lk,
                      const prisma_unique_desc *conflict, void **rec)
{
    *rec = NULL;
    if (!data)
        return nw_invalid(w->q, "a nested create of `%s` has no data.", m->name);
    if (m->n_fields > MAX_FIELDS)
        return nw_invalid(w->q, "`%s` has too many fields.", m->name);
    prisma_value vals[MAX_FIELDS];
    bool given[MAX_FIELDS];
    if (nw_row_values(w, m, data, lk, NULL, vals, given) != PRISMA_OK)
        return PRISMA_ERROR;
    create_ctx cc = { .m = m, .vals = vals, .given = given, .n_rows = 1, .returning = true, .conflict = conflict,
                      .conflict_nothing = conflict != NULL };
    if (nw_run_one(w, m, q_build_insert, &cc, rec) != PRISMA_OK)
        return PRISMA_ERROR;
    if (!*rec)
        return PRISMA_OK;
    return nw_back_ops(w, m, *rec, data, false, lk);
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
            nw_read_one(r, items[i], false, &o);
            if (!o.connect)
                continue;
            prisma_value v;
            const prisma_unique_desc *c = nw_single_crit(q, t, o.connect, &v);
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
            err_oom(&q->err);
            goto done;
        }
        n = 0;
        for (size_t i = 0; i < k; i++) {
            prisma_nested_one_update o;
            nw_read_one(r, items[i], false, &o);
            if (!o.connect)
                continue;
            memcpy(wheres + n * t->where_unique_size, o.connect, t->where_unique_size);
            rows[n++] = i;
        }
        /* The records, in chunks; then matched to the rows by the unique's value. */
        size_t n_found = 0, chunk = nw_chunk_of(q, t, wheres, n);
        unsigned kf = crit->fields[0];
        for (size_t i = 0; i < n; i += chunk) {
            ulist l = { t, wheres + i * t->where_unique_size, n - i < chunk ? n - i : chunk };
            nstmt st = { .op = N_SELECT, .m = m, .r = r, .uniques = &l };
            prisma_rows *res;
            void *list;
            if (q_run(q, nw_build_nested, &st, &res) != PRISMA_OK || q_fetch_list(q, t, res, l.n, &list) != PRISMA_OK)
                goto done;
            if (!nw_keep(w, list))
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
            nw_single_crit(q, t, wheres + j * t->where_unique_size, &v);
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


/* Whether the rows a multi-row INSERT returns can be told apart: the
 * primary key is one autoincrement field none of the items gives (ids then
 * grow in the order of the rows), or one every row knows before the INSERT
 * (given, or a client-side default such as uuid()). */
int nw_key_order(query *q, const prisma_model_desc *t, const void *const *items, size_t k)
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
        nw_read_one(r, data, false, &o);
        if (o.create || o.connect_or_create)
            *creates = true;
        const prisma_relation_desc *inv = nw_inverse_of(r);
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
        if (nw_is_many(r)) {
            prisma_nested_many_update o;
            nw_read_many(r, data, false, &o);
            if (o.create_len || o.create_many_len)
                mark(made, t);
            if (o.connect_or_create_len)
                mark(made_or_found, t);
            for (size_t j = 0; o.create && j < o.create_len; j++)
                models_created(t, (const char *)o.create + j * t->create_size, made, made_or_found, depth + 1);
        } else {
            prisma_nested_one_update o;
            nw_read_one(r, data, false, &o);
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
        if (nw_is_many(r)) {
            prisma_nested_many_update o;
            nw_read_many(r, data, false, &o);
            if (o.connect_len || o.connect_or_create_len)
                return true;
        } else {
            prisma_nested_one_update o;
            nw_read_one(r, data, false, &o);
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
            if (nw_is_many(r)) {
                prisma_nested_many_update o;
                nw_read_many(r, items[i], false, &o);
                connects = o.connect_len;
                cocs = o.connect_or_create_len;
            } else {
                prisma_nested_one_update o;
                nw_read_one(r, items[i], false, &o);
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

int nw_create_rows(nw *w, const prisma_model_desc *t, const void *const *items, const link *const *lks, size_t k,
                       bool plain, bool skip_duplicates, void **recs)
{
    query *q = w->q;
    size_t nf = t->n_fields;
    if (!k)
        return PRISMA_OK;
    if (nf > MAX_FIELDS)
        return nw_invalid(q, "`%s` has too many fields.", t->name);
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
        err_oom(&q->err);
        goto done;
    }
    size_t n_alone = 0;
    bool own_creates = false;
    bool in_order = !plain && must_go_in_order(t, items, k);
    for (size_t i = 0; i < k; i++) {
        if (plain && nw_has_nested(t, items[i], false)) {
            nw_invalid(q, "`create_many` items of `%s` cannot hold nested writes.", t->name);
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
    int ko = !n_alone && (n_complex || (recs && parents)) && !skip_duplicates ? nw_key_order(q, t, items, k) : 0;
    if (ko) {
        /* Every row in multi-row INSERTs, matched to the items by key. */
        for (size_t i = 0; i < k; i++)
            if (nw_row_values(w, t, items[i], lks[i], pre ? pre + i * t->n_relations : NULL, vals + i * nf,
                           given + i * nf) != PRISMA_OK)
                goto done;
        if (!result_new(sizeof *list, (void **)&list)) {
            err_oom(&q->err);
            goto done;
        }
        if (!nw_keep(w, list))
            goto done;
        if (q_insert_rows(q, t, vals, given, k, false, NULL, list, &cap, NULL) != PRISMA_OK)
            goto done;
        order = malloc_array(k, sizeof *order);
        mapped = malloc_array(k, sizeof *mapped);
        citems = malloc_array(k, sizeof *citems);
        clks = malloc_array(k, sizeof *clks);
        if (!order || !mapped || !citems || !clks || list->len != k) {
            if (list->len != k)
                err_set(&q->err, "P2009", "internal error: rows returned do not match the rows inserted");
            else
                err_oom(&q->err);
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
        if (c && nw_back_ops_multi(w, t, mapped, citems, clks, c) != PRISMA_OK)
            goto done;
        rc = PRISMA_OK;
        goto done;
    }
    /* Runs of records without nested writes of their own share INSERTs; the others go alone. */
    bool want = recs != NULL;
    if (want) {
        if (!result_new(sizeof *list, (void **)&list)) {
            err_oom(&q->err);
            goto done;
        }
        if (!nw_keep(w, list))
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
            if (nw_create_one(w, t, items[i], lks[i], NULL, &rec) != PRISMA_OK)
                goto done;
            if (want)
                recs[n_recs++] = rec;
            continue;
        }
        if (!run_len)
            run_from = i;
        if (nw_row_values(w, t, items[i], lks[i], pre ? pre + i * t->n_relations : NULL, vals + i * nf,
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
int nw_create_list(nw *w, const prisma_model_desc *t, const void *items, size_t k, const link *lk, bool plain,
                       bool skip_duplicates, void **recs)
{
    const void **ptrs = malloc_array(k, sizeof *ptrs);
    const link **lks = malloc_array(k, sizeof *lks);
    int rc = PRISMA_ERROR;
    if (!ptrs || !lks) {
        err_oom(&w->q->err);
    } else {
        for (size_t i = 0; i < k; i++) {
            ptrs[i] = (const char *)items + i * t->create_size;
            lks[i] = lk;
        }
        rc = nw_create_rows(w, t, ptrs, lks, k, plain, skip_duplicates, recs);
    }
    free(ptrs);
    free(lks);
    return rc;
}

/* Links parents to records in an m-n join table: pids[i] (pids[0] for all
 * when one_parent) to recs[i]; NULL records are skipped. */
int nw_link_records(nw *w, const prisma_model_desc *m, const prisma_relation_desc *r, const prisma_value *pids,
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
        if (nw_run_changes(w, nw_build_nested, &s, &c) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return PRISMA_OK;
}
