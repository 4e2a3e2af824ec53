/* Nested writes: updating a record and the keys it holds. */
#include "nested.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- updating ---- */

/* What an update does through the to-one relations whose key the row holds:
 * OWN_WRITES, a create, connect or disconnect (own_keys has work to do);
 * OWN_UPSERT, an upsert. */

static unsigned own_key_ops(const prisma_model_desc *m, const void *data, const link *lk)
{
    unsigned ops = 0;
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->kind != PRISMA_REL_TO_ONE_FK || r == lk->back)
            continue;
        prisma_nested_one_update o;
        nw_read_one(r, data, true, &o);
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
int nw_fk_after_ops(nw *w, const prisma_model_desc *m, void *rec, const void *data, const link *lk, bool *changed)
{
    query *q = w->q;
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->kind != PRISMA_REL_TO_ONE_FK || r == lk->back)
            continue;
        prisma_nested_one_update o;
        nw_read_one(r, data, true, &o);
        if (!o.update && !o.upsert && !o.delete_)
            continue;
        const prisma_model_desc *t = r->target;
        prisma_value fk[16];
        bool connected = r->n_fields <= 16;
        for (unsigned k = 0; k < r->n_fields && k < 16; k++) {
            fk[k] = q_rec_value(m, r->fields[k], rec);
            connected &= fk[k].kind != V_NULL;
        }
        q_scope scope = { m, r, fk };
        link refuse = { nw_inverse_of(r), NULL, NULL, 0 };
        void *trec = NULL;
        if (o.update) {
            if (connected && nw_update_rec(w, t, NULL, &scope, o.update, &refuse, false, &trec) != PRISMA_OK)
                return PRISMA_ERROR;
            if (!trec)
                return nw_missing_nested(q, r, "update");
        }
        if (o.upsert) {
            prisma_nested_upsert u;
            memcpy(&u, o.upsert, sizeof u);
            if (u.where)
                return nw_invalid(q, "a nested upsert on the to-one `%s` takes no `where`.", r->name);
            if (!u.create || !u.update)
                return nw_invalid(q, "a nested upsert on `%s` needs both `create` and `update`.", r->name);
            if (connected && nw_update_rec(w, t, NULL, &scope, u.update, &refuse, false, &trec) != PRISMA_OK)
                return PRISMA_ERROR;
            if (!trec) {
                if (nw_create_one(w, t, u.create, &refuse, NULL, &trec) != PRISMA_OK)
                    return PRISMA_ERROR;
                /* Point the row at it. */
                prisma_value vals[16], self[16];
                const prisma_unique_desc *pk = &m->uniques[0];
                for (unsigned k = 0; k < r->n_fields; k++)
                    vals[k] = q_rec_value(t, r->references[k], trec);
                for (unsigned k = 0; k < pk->n_fields && k < 16; k++)
                    self[k] = q_rec_value(m, pk->fields[k], rec);
                q_scope me = { m, NULL, self };
                update_ctx uc = { .m = m, .scope = &me, .set_fields = r->fields, .set_vals = vals,
                                  .n_set = r->n_fields };
                int64_t n;
                if (nw_run_changes(w, q_build_update, &uc, &n) != PRISMA_OK)
                    return PRISMA_ERROR;
                *changed = true;
            }
        }
        if (o.delete_) {
            if (nw_fk_required(m, r->fields, r->n_fields))
                return nw_required_relation(q, r, m, t);
            int64_t n = 0;
            if (connected) {
                update_ctx uc = { .m = t, .scope = &scope, .is_delete = true, .returning = ra_delete_acts(q, t) };
                if ((uc.returning ? ra_run_delete(w, t, q_build_update, &uc, &n, NULL)
                                  : nw_run_changes(w, q_build_update, &uc, &n)) != PRISMA_OK)
                    return PRISMA_ERROR;
            }
            if (!n)
                return nw_missing_nested(q, r, "delete");
            *changed = true;
        }
    }
    return PRISMA_OK;
}

/* Updates the record `where_unique` (and/or `scope`) names, with its nested
 * writes. *rec is NULL when there is no such record; with or_create (an
 * upsert) nothing has been written then. */
int nw_update_rec(nw *w, const prisma_model_desc *m, const void *where_unique, const q_scope *scope,
                      const void *data, const link *lk, bool or_create, void **rec)
{
    query *q = w->q;
    *rec = NULL;
    if (nw_check_link(q, m, data, true, lk) != PRISMA_OK)
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
        find_ctx fc = { .m = m, .where_unique = where_unique, .scope = scope, .lock = q->be->lock_rows != NULL };
        void *found;
        if (nw_run_one(w, m, q_build_find, &fc, &found) != PRISMA_OK)
            return PRISMA_ERROR;
        if (!found)
            return PRISMA_OK;
    }
    if (nw_own_keys(w, m, data, true, lk, where_unique, NULL, fields, vals, &n) != PRISMA_OK)
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
                        .lock = q->be->lock_rows && (own_key_ops(m, data, lk) & OWN_UPSERT) };
        if (nw_run_one(w, m, q_build_find, &fc, rec) != PRISMA_OK)
            return PRISMA_ERROR;
    } else {
        /* relationMode = "prisma": a key others hold may change; the row as it was first. */
        void *old = NULL;
        if (ra_update_acts(q, m, empty ? NULL : data, fields, n)) {
            find_ctx fo = { .m = m, .where_unique = where_unique, .scope = scope, .lock = q->be->lock_rows != NULL };
            if (nw_run_one(w, m, q_build_find, &fo, &old) != PRISMA_OK)
                return PRISMA_ERROR;
        }
        update_ctx uc = { .m = m, .where_unique = where_unique, .scope = scope, .data = empty ? NULL : data,
                          .set_fields = fields, .set_vals = vals, .n_set = n, .returning = true };
        if (nw_run_one(w, m, q_build_update, &uc, rec) != PRISMA_OK)
            return PRISMA_ERROR;
        if (old && *rec && ra_updated(w, m, old, *rec) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    if (!*rec)
        return PRISMA_OK;
    bool changed = false;
    if (nw_fk_after_ops(w, m, *rec, data, lk, &changed) != PRISMA_OK || nw_back_ops(w, m, *rec, data, true, lk) != PRISMA_OK)
        return PRISMA_ERROR;
    if (changed) {
        /* Read the row again: its foreign keys moved. */
        const prisma_unique_desc *pk = &m->uniques[0];
        prisma_value self[16];
        for (unsigned k = 0; k < pk->n_fields && k < 16; k++)
            self[k] = q_rec_value(m, pk->fields[k], *rec);
        q_scope me = { m, NULL, self };
        find_ctx fc = { .m = m, .scope = &me };
        if (nw_run_one(w, m, q_build_find, &fc, rec) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return PRISMA_OK;
}
