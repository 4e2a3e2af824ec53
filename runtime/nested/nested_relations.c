/* Nested writes, step 3: the relations whose other side holds the key, and
 * m-n links. */
#include "nested.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- step 3: the relations whose other side holds the key ---- */


int nw_parent_init(query *q, parent *p, const prisma_model_desc *m, const prisma_relation_desc *r, void *rec)
{
    p->m = m;
    p->r = r;
    p->rec = rec;
    if (r->kind == PRISMA_REL_MANY_TO_MANY) {
        p->keys[0] = q_rec_value(m, m->uniques[0].fields[0], rec);
        p->lk = (link){ nw_inverse_of(r), NULL, NULL, 0 };
    } else {
        if (r->n_fields > 16)
            return nw_invalid(q, "`%s.%s`: too many key fields.", m->name, r->name);
        for (unsigned k = 0; k < r->n_fields; k++)
            p->keys[k] = q_rec_value(m, r->references[k], rec);
        p->lk = (link){ nw_inverse_of(r), r->fields, p->keys, r->n_fields };
    }
    p->scope = (q_scope){ m, r, p->keys };
    return PRISMA_OK;
}

/* A nested update of the connected record `where` names (NULL on a to-one). */
static int nested_update(nw *w, parent *p, const void *where, const void *data)
{
    link refuse = { p->lk.back, NULL, NULL, 0 };
    void *rec;
    if (!data)
        return nw_invalid(w->q, "a nested update on `%s` has no data.", p->r->name);
    if (nw_update_rec(w, p->r->target, where, &p->scope, data, &refuse, false, &rec) != PRISMA_OK)
        return PRISMA_ERROR;
    return rec ? PRISMA_OK : nw_missing_nested(w->q, p->r, "update");
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
        return nw_invalid(q, "a nested upsert on `%s` needs both `create` and `update`.", r->name);
    if (nw_is_many(r) && !u->where)
        return nw_invalid(q, "a nested upsert on the list `%s` needs `where`.", r->name);
    const prisma_unique_desc *conflict =
        u->where ? nw_conflict_target(q, t, u->where, u->create)
                 : (r->kind == PRISMA_REL_TO_ONE_BACK ? nw_unique_on(t, r->fields, r->n_fields) : NULL);
    for (int attempt = 0; attempt < 2; attempt++) {
        void *rec;
        if (nw_update_rec(w, t, u->where, &p->scope, u->update, &refuse, true, &rec) != PRISMA_OK)
            return PRISMA_ERROR;
        if (rec)
            return PRISMA_OK;
        /* The first create does nothing on a conflict with the where (a
         * concurrent caller made the record: the update runs again); the
         * second is plain, so a record outside this relation that holds the
         * unique is P2002, as in Prisma. */
        if (nw_create_one(w, t, u->create, &p->lk, attempt ? NULL : conflict, &rec) != PRISMA_OK)
            return PRISMA_ERROR;
        if (rec)
            return r->kind == PRISMA_REL_MANY_TO_MANY ? nw_link_records(w, p->m, r, &p->keys[0], true, &rec, 1)
                                                      : PRISMA_OK;
    }
    return nw_missing_nested(q, r, "upsert");
}

/* In an update, a to-one whose other side holds the key gets a new record:
 * the one connected now (but `except`) is let go, or P2014 when its key is
 * required. */
int nw_release_current(nw *w, parent *p, const void *except)
{
    const prisma_relation_desc *r = p->r;
    const prisma_model_desc *t = r->target;
    ulist l = { t, except, 1 };
    nstmt s = { .m = p->m, .r = r, .scope = &p->scope, .uniques = except ? &l : NULL, .negate = true };
    int64_t n;
    if (nw_fk_required(t, r->fields, r->n_fields)) {
        s.op = N_COUNT;
        if (nw_run_count(w, nw_build_nested, &s, &n) != PRISMA_OK)
            return PRISMA_ERROR;
        return n ? nw_required_relation(w->q, r, t, p->m) : PRISMA_OK;
    }
    prisma_value nulls[16];
    for (unsigned k = 0; k < r->n_fields && k < 16; k++)
        nulls[k] = v_null();
    s.op = N_SET;
    s.set_fields = r->fields;
    s.set_vals = nulls;
    s.n_set = r->n_fields;
    return nw_run_changes(w, nw_build_nested, &s, &n);
}

static int one_back_ops(nw *w, parent *p, const prisma_nested_one_update *o, bool upd)
{
    query *q = w->q;
    const prisma_relation_desc *r = p->r;
    const prisma_model_desc *t = r->target;
    void *rec;
    int64_t n;
    if (o->create) {
        if (upd && nw_release_current(w, p, NULL) != PRISMA_OK)
            return PRISMA_ERROR;
        if (nw_create_one(w, t, o->create, &p->lk, NULL, &rec) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (o->update && nested_update(w, p, NULL, o->update) != PRISMA_OK)
        return PRISMA_ERROR;
    if (o->upsert) {
        prisma_nested_upsert u;
        memcpy(&u, o->upsert, sizeof u);
        if (u.where)
            return nw_invalid(q, "a nested upsert on the to-one `%s` takes no `where`.", r->name);
        if (nested_upsert(w, p, &u) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (o->delete_) {
        nstmt s = { .op = N_DELETE, .m = p->m, .r = r, .scope = &p->scope, .returning = ra_delete_acts(q, t) };
        if ((s.returning ? ra_run_delete(w, t, nw_build_nested, &s, &n, NULL)
                         : nw_run_changes(w, nw_build_nested, &s, &n)) != PRISMA_OK)
            return PRISMA_ERROR;
        if (!n)
            return nw_missing_nested(q, r, "delete");
    }
    if (o->connect) {
        if (upd && nw_release_current(w, p, o->connect) != PRISMA_OK)
            return PRISMA_ERROR;
        ulist l = { t, o->connect, 1 };
        nstmt s = { .op = N_SET, .m = p->m, .r = r, .uniques = &l, .set_fields = p->lk.fields,
                    .set_vals = p->lk.vals, .n_set = p->lk.n };
        if (nw_run_changes(w, nw_build_nested, &s, &n) != PRISMA_OK)
            return PRISMA_ERROR;
        if (!n)
            return nw_incomplete_connect(q, r, 1, 0);
    }
    if (o->connect_or_create) {
        prisma_nested_pair pr;
        memcpy(&pr, o->connect_or_create, sizeof pr);
        if (upd && pr.where && nw_release_current(w, p, pr.where) != PRISMA_OK)
            return PRISMA_ERROR;
        bool created;
        if (nw_connect_or_create(w, t, &pr, &p->lk, &rec, &created) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (o->disconnect && nw_release_current(w, p, NULL) != PRISMA_OK)
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
        const prisma_unique_desc *c = nw_conflict_target(q, t, pairs[i].where, pairs[i].data);
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
        err_oom(&q->err);
        goto done;
    }
    for (size_t i = 0; i < k; i++) {
        if (nw_row_values(w, t, pairs[i].data, &p->lk, NULL, vals + i * nf, given + i * nf) != PRISMA_OK)
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
    if (nw_run_chunked(w, &s, wheres, k, &n) != PRISMA_OK)
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
    if (nw_check_list(q, o->create, o->create_len, cs, "create", r) ||
        nw_check_list(q, o->create_many, o->create_many_len, cs, "create_many", r) ||
        nw_check_list(q, o->connect, o->connect_len, us, "connect", r) ||
        nw_check_list(q, o->connect_or_create, o->connect_or_create_len, ps, "connect_or_create", r) ||
        nw_check_list(q, o->update, o->update_len, ps, "update", r) ||
        nw_check_list(q, o->upsert, o->upsert_len, sizeof(prisma_nested_upsert), "upsert", r) ||
        nw_check_list(q, o->delete_, o->delete_len, us, "delete_", r) || nw_check_list(q, o->set, o->set_len, us, "set", r) ||
        nw_check_list(q, o->disconnect, o->disconnect_len, us, "disconnect", r) ||
        nw_check_list(q, o->update_many, o->update_many_len, ps, "update_many", r) ||
        nw_check_list(q, o->delete_many, o->delete_many_len, t->where_size, "delete_many", r))
        return PRISMA_ERROR;
    if (o->create_many_len && m2m)
        return nw_invalid(q, "`create_many` is not available on the many-to-many relation `%s`.", r->name);

    /* create, create_many: multi-row INSERTs; m-n rows are then linked in one statement. */
    for (int pass = 0; pass < 2; pass++) {
        const void *items = pass ? o->create_many : o->create;
        size_t k = pass ? o->create_many_len : o->create_len;
        if (!k)
            continue;
        void **recs = m2m ? malloc_array(k, sizeof *recs) : NULL;
        if (m2m && !recs)
            return err_oom(&q->err), PRISMA_ERROR;
        int rc = nw_create_list(w, t, items, k, &p->lk, pass == 1, pass == 1 && o->skip_duplicates, recs);
        if (rc == PRISMA_OK && m2m)
            rc = nw_link_records(w, p->m, r, &p->keys[0], true, recs, k);
        free(recs);
        if (rc != PRISMA_OK)
            return PRISMA_ERROR;
    }
    for (size_t i = 0; i < o->update_len; i++) {
        const prisma_nested_pair *u = (const prisma_nested_pair *)o->update + i;
        if (!u->where)
            return nw_invalid(q, "a nested update on the list `%s` needs `where`.", r->name);
        if (nested_update(w, p, u->where, u->data) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    for (size_t i = 0; i < o->upsert_len; i++)
        if (nested_upsert(w, p, (const prisma_nested_upsert *)o->upsert + i) != PRISMA_OK)
            return PRISMA_ERROR;
    if (o->delete_len) {
        nstmt s = { .op = N_DELETE, .m = p->m, .r = r, .scope = &p->scope, .returning = ra_delete_acts(q, t) };
        if (nw_run_chunked(w, &s, o->delete_, o->delete_len, &n) != PRISMA_OK)
            return PRISMA_ERROR;
        if ((size_t)n < o->delete_len && (size_t)n < nw_distinct(q, t, o->delete_, o->delete_len))
            return nw_not_connected(q, p->m, r);
    }
    if (o->connect_len) {
        if (m2m) {
            nstmt s = { .op = N_LINK, .m = p->m, .r = r, .pid = p->keys[0] };
            if (nw_run_chunked(w, &s, o->connect, o->connect_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
            if ((size_t)n < o->connect_len) {
                /* Fewer new links than records: some were linked already, or missing. */
                nstmt c = { .op = N_COUNT, .m = p->m, .r = r };
                if (nw_run_chunked(w, &c, o->connect, o->connect_len, &n) != PRISMA_OK)
                    return PRISMA_ERROR;
                size_t distinct = (size_t)n < o->connect_len ? nw_distinct(q, t, o->connect, o->connect_len) : 0;
                if ((size_t)n < distinct)
                    return nw_incomplete_connect(q, r, distinct, n);
            }
        } else {
            nstmt s = { .op = N_SET, .m = p->m, .r = r, .set_fields = p->lk.fields, .set_vals = p->lk.vals,
                        .n_set = p->lk.n };
            if (nw_run_chunked(w, &s, o->connect, o->connect_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
            size_t distinct = (size_t)n < o->connect_len ? nw_distinct(q, t, o->connect, o->connect_len) : 0;
            if ((size_t)n < distinct)
                return nw_incomplete_connect(q, r, distinct, n);
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
        if (nw_connect_or_create(w, t, &pr, &p->lk, &rec, &created) != PRISMA_OK)
            return PRISMA_ERROR;
        if (m2m && nw_link_records(w, p->m, r, &p->keys[0], true, &rec, 1) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (o->set_given || o->set_len) {
        if (m2m) {
            nstmt s = { .op = N_UNLINK, .m = p->m, .r = r, .pid = p->keys[0] };
            if (nw_run_changes(w, nw_build_nested, &s, &n) != PRISMA_OK)
                return PRISMA_ERROR;
            s.op = N_LINK;
            if (nw_run_chunked(w, &s, o->set, o->set_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
        } else {
            if (nw_fk_required(t, r->fields, r->n_fields)) {
                /* Every connected record must stay: a required key cannot be let go. */
                int64_t all, kept;
                nstmt c = { .op = N_COUNT, .m = p->m, .r = r, .scope = &p->scope };
                if (nw_run_count(w, nw_build_nested, &c, &all) != PRISMA_OK ||
                    nw_run_chunked(w, &c, o->set, o->set_len, &kept) != PRISMA_OK)
                    return PRISMA_ERROR;
                if (kept < all)
                    return nw_required_relation(q, r, t, p->m);
            } else {
                prisma_value nulls[16];
                for (unsigned k = 0; k < r->n_fields && k < 16; k++)
                    nulls[k] = v_null();
                nstmt s = { .op = N_SET, .m = p->m, .r = r, .scope = &p->scope, .set_fields = r->fields,
                            .set_vals = nulls, .n_set = r->n_fields };
                if (nw_run_changes(w, nw_build_nested, &s, &n) != PRISMA_OK)
                    return PRISMA_ERROR;
            }
            nstmt s = { .op = N_SET, .m = p->m, .r = r, .set_fields = p->lk.fields, .set_vals = p->lk.vals,
                        .n_set = p->lk.n };
            if (nw_run_chunked(w, &s, o->set, o->set_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
        }
    }
    if (o->disconnect_len) {
        if (m2m) {
            nstmt s = { .op = N_UNLINK, .m = p->m, .r = r, .pid = p->keys[0] };
            if (nw_run_chunked(w, &s, o->disconnect, o->disconnect_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
        } else if (nw_fk_required(t, r->fields, r->n_fields)) {
            nstmt c = { .op = N_COUNT, .m = p->m, .r = r, .scope = &p->scope };
            if (nw_run_chunked(w, &c, o->disconnect, o->disconnect_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
            if (n)
                return nw_required_relation(q, r, t, p->m);
        } else {
            prisma_value nulls[16];
            for (unsigned k = 0; k < r->n_fields && k < 16; k++)
                nulls[k] = v_null();
            nstmt s = { .op = N_SET, .m = p->m, .r = r, .scope = &p->scope, .set_fields = r->fields,
                        .set_vals = nulls, .n_set = r->n_fields };
            if (nw_run_chunked(w, &s, o->disconnect, o->disconnect_len, &n) != PRISMA_OK)
                return PRISMA_ERROR;
        }
    }
    for (size_t i = 0; i < o->update_many_len; i++) {
        const prisma_nested_pair *u = (const prisma_nested_pair *)o->update_many + i;
        if (!u->data)
            return nw_invalid(q, "a nested update_many on `%s` has no data.", r->name);
        if (nw_has_nested(t, u->data, true))
            return nw_invalid(q, "a nested update_many on `%s` cannot hold nested writes.", r->name);
        bool empty;
        if (q_update_is_empty(q, t, u->data, &empty) != PRISMA_OK)
            return PRISMA_ERROR;
        if (empty)
            continue;
        update_ctx uc = { .m = t, .where = u->where, .scope = &p->scope, .data = u->data };
        if ((ra_update_acts(q, t, u->data, NULL, 0) ? ra_update_many(w, t, u->where, &p->scope, u->data, &n)
                                                    : nw_run_changes(w, q_build_update, &uc, &n)) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    for (size_t i = 0; i < o->delete_many_len; i++) {
        update_ctx uc = { .m = t, .where = (const char *)o->delete_many + i * t->where_size, .scope = &p->scope,
                          .is_delete = true, .returning = ra_delete_acts(q, t) };
        if ((uc.returning ? ra_run_delete(w, t, q_build_update, &uc, &n, NULL)
                          : nw_run_changes(w, q_build_update, &uc, &n)) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* Step 3 for every relation of `m` but the link's. */
int nw_back_ops(nw *w, const prisma_model_desc *m, void *rec, const void *data, bool upd, const link *lk)
{
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->kind == PRISMA_REL_TO_ONE_FK || r == lk->back || !nw_rel_given(r, data, upd))
            continue;
        parent p;
        if (nw_parent_init(w->q, &p, m, r, rec) != PRISMA_OK)
            return PRISMA_ERROR;
        int rc;
        if (nw_is_many(r)) {
            prisma_nested_many_update o;
            nw_read_many(r, data, upd, &o);
            rc = many_ops(w, &p, &o);
        } else {
            prisma_nested_one_update o;
            nw_read_one(r, data, upd, &o);
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
        if (!nw_ulist_in(w->q, &uls[j]) && uls[j].n > MAX_OR) {
            *fits = false;
            return PRISMA_OK;
        }
    for (size_t i = 0; i < b;) {
        size_t nb = 0, params = 0;
        for (; i + nb < b && nb < 100; nb++) {
            const ulist *l = &uls[i + nb];
            size_t cost = (nw_ulist_in(w->q, l) ? l->n : l->n * nw_unique_width(l->t)) + 1;
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
        if (nw_run_changes(w, nw_build_nested, &st, &ch) != PRISMA_OK)
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
        nw_read_many(r, datas[who[j]], false, &o);
        if (!o.connect_or_create_len)
            continue;
        if (nw_check_list(q, o.connect_or_create, o.connect_or_create_len, sizeof(prisma_nested_pair), "connect_or_create",
                       r) != PRISMA_OK)
            return PRISMA_ERROR;
        const prisma_nested_pair *pairs = o.connect_or_create;
        for (size_t i = 0; i < o.connect_or_create_len; i++) {
            if (!pairs[i].where || !pairs[i].data || nw_has_nested(t, pairs[i].data, false))
                return PRISMA_OK;
            const prisma_unique_desc *u = nw_conflict_target(q, t, pairs[i].where, pairs[i].data);
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
        err_oom(&q->err);
        goto done;
    }
    size_t k = 0, b = 0;
    for (size_t j = 0; j < c; j++) {
        prisma_nested_many_update o;
        nw_read_many(r, datas[who[j]], false, &o);
        if (!o.connect_or_create_len)
            continue;
        const prisma_nested_pair *pairs = o.connect_or_create;
        uls[b] = (ulist){ t, wheres + k * ws, o.connect_or_create_len };
        pids[b++] = ps[j].keys[0];
        for (size_t i = 0; i < o.connect_or_create_len; i++, k++) {
            if (nw_row_values(w, t, pairs[i].data, &ps[j].lk, NULL, vals + k * nf, given + k * nf) != PRISMA_OK)
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

int nw_back_ops_multi(nw *w, const prisma_model_desc *m, void *const *recs, const void *const *datas,
                          const link *const *lks, size_t n)
{
    query *q = w->q;
    const link *lk = lks[0]; /* every record here hangs on the same relation */
    parent *ps = malloc_array(n, sizeof *ps);
    size_t *who = malloc_array(n, sizeof *who);
    int rc = PRISMA_ERROR;
    if (!ps || !who) {
        err_oom(&q->err);
        goto done;
    }
    for (unsigned ri = 0; ri < m->n_relations; ri++) {
        const prisma_relation_desc *r = &m->relations[ri];
        if (r->kind == PRISMA_REL_TO_ONE_FK || r == lk->back)
            continue;
        const prisma_model_desc *t = r->target;
        bool m2m = r->kind == PRISMA_REL_MANY_TO_MANY, many = nw_is_many(r);
        size_t c = 0, n_creates = 0, n_connect_parents = 0;
        for (size_t j = 0; j < n; j++) {
            if (!nw_rel_given(r, datas[j], false))
                continue;
            if (nw_parent_init(q, &ps[c], m, r, recs[j]) != PRISMA_OK)
                goto done;
            who[c++] = j;
        }
        if (!c)
            continue;
        /* The creates of every record, together. */
        for (size_t j = 0; j < c; j++) {
            if (many) {
                prisma_nested_many_update o;
                nw_read_many(r, datas[who[j]], false, &o);
                if (nw_check_list(q, o.create, o.create_len, t->create_size, "create", r) != PRISMA_OK)
                    goto done;
                n_creates = add_sat(n_creates, o.create_len);
                n_connect_parents += m2m && o.connect_len;
            } else {
                prisma_nested_one_update o;
                nw_read_one(r, datas[who[j]], false, &o);
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
                        nw_read_many(r, datas[who[j]], false, &o);
                        for (size_t i = 0; i < o.create_len; i++, k++) {
                            items[k] = (const char *)o.create + i * t->create_size;
                            clks[k] = &ps[j].lk;
                            pids[k] = ps[j].keys[0];
                        }
                    } else {
                        prisma_nested_one_update o;
                        nw_read_one(r, datas[who[j]], false, &o);
                        if (o.create) {
                            items[k] = o.create;
                            clks[k] = &ps[j].lk;
                            pids[k] = ps[j].keys[0];
                            k++;
                        }
                    }
                }
                /* m-n records must be told apart to link each to its parent. */
                if (m2m && !nw_key_order(q, t, items, k))
                    batch_creates = false, crc = PRISMA_OK;
                else if (nw_create_rows(w, t, items, clks, k, false, false, m2m ? made : NULL) == PRISMA_OK)
                    crc = m2m ? nw_link_records(w, m, r, pids, false, made, k) : PRISMA_OK;
            } else {
                err_oom(&q->err);
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
                    nw_read_many(r, datas[who[j]], false, &o);
                    if (!o.connect_len)
                        continue;
                    if (nw_check_list(q, o.connect, o.connect_len, t->where_unique_size, "connect", r) != PRISMA_OK)
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
                        crc = nw_run_chunked(w, &cs, uls[j].items, uls[j].n, &found);
                        size_t distinct = crc == PRISMA_OK && (size_t)found < uls[j].n
                                              ? nw_distinct(q, t, uls[j].items, uls[j].n) : 0;
                        if ((size_t)found < distinct)
                            crc = nw_incomplete_connect(q, r, distinct, found);
                    }
                }
            } else {
                err_oom(&q->err);
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
                nw_read_many(r, datas[who[j]], false, &o);
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
                orc = nw_many_given(&o) ? many_ops(w, &ps[j], &o) : PRISMA_OK;
            } else {
                prisma_nested_one_update o;
                nw_read_one(r, datas[who[j]], false, &o);
                if (batch_creates)
                    o.create = NULL;
                orc = nw_one_given(&o) ? one_back_ops(w, &ps[j], &o, false) : PRISMA_OK;
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
