/* Referential actions without foreign keys: relationMode = "prisma".
 *
 * Such a database has no foreign keys, so the client does what they would
 * have done (as Prisma's query engine does, in the same transaction as the
 * write that causes it):
 *  - a deleted row: for each relation whose other side holds a key to it,
 *    the other side's onDelete: Restrict (and NoAction) refuse with P2014 when
 *    a record still points to it, Cascade deletes those records (and their
 *    own actions follow, at any depth), SetNull sets their optional key
 *    fields to NULL; its m-n join rows go (as the join table's cascading
 *    foreign keys would);
 *  - an updated row whose referenced key changed: onUpdate likewise (Cascade
 *    moves the keys to the new values); its m-n join rows follow its id.
 * Deleted rows come back from DELETE ... RETURNING, so the actions act on
 * exactly the rows deleted, and a cycle of records ends (a row deleted is
 * not found again). Updated rows are read (locked) before the UPDATE, so
 * each row's old and new keys are known. Like a foreign key (and unlike
 * Prisma, which looks at whether the update names the field), an update
 * acts only when a referenced value really changes. Creating a record whose
 * key points nowhere is not checked, as in Prisma. */
#include "nested.h"

#include <stdlib.h>
#include <string.h>

enum { RA_COUNT = 0x40, RA_DELETE, RA_SET, RA_SELECT, RA_JOIN_DELETE, RA_JOIN_SET };

/* Levels of actions caused by actions. A schema Prisma accepts has no cycle
 * of Cascade or SetNull relations, so its depth is bounded by its models. */
enum { RA_MAX_DEPTH = 256 };

/* One statement on the rows of `t` whose columns `cols` hold one of `keys`
 * (n_keys tuples of n_cols values); m-n: on the join table of t's relation r. */
typedef struct ra_stmt {
    int op;
    const prisma_model_desc *t;
    const prisma_relation_desc *r; /* RA_JOIN_*: an m-n relation of t */
    const uint16_t *cols;
    unsigned n_cols;
    const prisma_value *keys;
    size_t n_keys;
    const uint16_t *set_fields; /* RA_SET */
    const prisma_value *set_vals;
    unsigned n_set;
    bool returning;
} ra_stmt;

/* ---- when ---- */

static bool mode_prisma(const query *q)
{
    const prisma_schema_desc *s = q->db && q->db->sh ? q->db->sh->schema : NULL;
    return s && s->relation_mode == PRISMA_RELATION_MODE_PRISMA;
}

static bool acts_on_delete(const prisma_relation_desc *r)
{
    return r->kind == PRISMA_REL_MANY_TO_MANY ||
           ((r->kind == PRISMA_REL_TO_MANY || r->kind == PRISMA_REL_TO_ONE_BACK) && r->on_delete && r->n_fields);
}

bool ra_model_acts(const prisma_schema_desc *s, const prisma_model_desc *m)
{
    if (!s || s->relation_mode != PRISMA_RELATION_MODE_PRISMA || !m)
        return false;
    for (unsigned i = 0; i < m->n_relations; i++)
        if (acts_on_delete(&m->relations[i]))
            return true;
    return false;
}

bool ra_delete_acts(const query *q, const prisma_model_desc *m)
{
    return mode_prisma(q) && ra_model_acts(q->db->sh->schema, m);
}

/* Whether field fi of m is a key another record may hold: referenced by a
 * relation whose other side holds the key, or the id of an m-n side. */
static bool referenced(const prisma_model_desc *m, unsigned fi)
{
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (r->kind == PRISMA_REL_MANY_TO_MANY && m->n_uniques && m->uniques[0].fields[0] == fi)
            return true;
        if ((r->kind == PRISMA_REL_TO_MANY || r->kind == PRISMA_REL_TO_ONE_BACK) && r->on_update)
            for (unsigned k = 0; k < r->n_fields; k++)
                if (r->references[k] == fi)
                    return true;
    }
    return false;
}

bool ra_update_acts(query *q, const prisma_model_desc *m, const void *data, const uint16_t *set_fields, unsigned n_set)
{
    if (!mode_prisma(q))
        return false;
    for (unsigned k = 0; k < n_set; k++)
        if (referenced(m, set_fields[k]))
            return true;
    for (unsigned i = 0; data && i < m->n_fields && i < MAX_FIELDS; i++)
        if (referenced(m, i) && q_update_gives_field(q, m, data, i))
            return true;
    return false;
}

/* ---- the statements ---- */

/* `cols IN (keys)`, or an OR of tuples for compound keys. */
static void match_sql(query *q, const ra_stmt *s)
{
    q_key_u32(q, (uint32_t)s->n_keys);
    if (s->n_cols == 1) {
        q_sql_col(q, s->t, &s->t->fields[s->cols[0]], true);
        q_sql(q, " IN (");
        for (size_t i = 0; i < s->n_keys; i++) {
            q_sql(q, i ? ", " : "");
            q_param(q, s->keys[i]);
        }
        q_sql(q, ")");
        return;
    }
    q_sql(q, "(");
    for (size_t i = 0; i < s->n_keys; i++) {
        q_sql(q, i ? " OR (" : "(");
        for (unsigned k = 0; k < s->n_cols; k++) {
            q_sql(q, k ? " AND " : "");
            q_sql_col(q, s->t, &s->t->fields[s->cols[k]], true);
            q_sql(q, " = ");
            q_param(q, s->keys[i * s->n_cols + k]);
        }
        q_sql(q, ")");
    }
    q_sql(q, ")");
}

static bool ra_build(query *q, void *vctx)
{
    const ra_stmt *s = vctx;
    const prisma_model_desc *t = s->t;
    q_key_u8(q, K_NESTED);
    q_key_u8(q, (unsigned)s->op);
    q_key_u32(q, t->index);
    q_key_u32(q, s->r ? (uint32_t)(s->r - t->relations) : UINT32_MAX);
    q_key_u32(q, s->n_cols);
    for (unsigned k = 0; k < s->n_cols; k++)
        q_key_u32(q, s->cols[k]);
    q_key_u8(q, s->returning);
    switch (s->op) {
    case RA_COUNT:
        q_sql(q, "SELECT COUNT(*) FROM ");
        q_sql_table(q, t);
        q_sql(q, " WHERE ");
        match_sql(q, s);
        return true;
    case RA_SELECT:
        q_sql(q, "SELECT ");
        q_select_columns(q, t, false);
        q_sql(q, " FROM ");
        q_sql_table(q, t);
        q_sql(q, " WHERE ");
        match_sql(q, s);
        if (q->be->lock_rows)
            q_sql(q, q->be->lock_rows);
        return true;
    case RA_DELETE:
    case RA_SET:
        if (s->op == RA_DELETE) {
            q_sql(q, "DELETE FROM ");
            q_sql_table(q, t);
        } else {
            q_sql(q, "UPDATE ");
            q_sql_table(q, t);
            q_sql(q, " SET ");
            q_key_u32(q, s->n_set);
            for (unsigned k = 0; k < s->n_set; k++) {
                q_key_u32(q, s->set_fields[k]);
                q_sql(q, k ? ", " : "");
                q_sql_col(q, t, &t->fields[s->set_fields[k]], false);
                q_sql(q, " = ");
                q_param(q, s->set_vals[k]);
            }
        }
        q_sql(q, " WHERE ");
        match_sql(q, s);
        return !s->returning ||
               q_returning(q, t, s->op == RA_DELETE ? BACKEND_DELETE_RETURNING : BACKEND_UPDATE_RETURNING);
    case RA_JOIN_DELETE:
        q_sql(q, "DELETE FROM ");
        q_join_table(q, t, s->r);
        q_sql(q, " WHERE ");
        q_sql_ident(q, q_join_self_col(s->r));
        q_key_u32(q, (uint32_t)s->n_keys);
        q_sql(q, " IN (");
        for (size_t i = 0; i < s->n_keys; i++) {
            q_sql(q, i ? ", " : "");
            q_param(q, s->keys[i]);
        }
        q_sql(q, ")");
        return true;
    case RA_JOIN_SET:
        q_sql(q, "UPDATE ");
        q_join_table(q, t, s->r);
        q_sql(q, " SET ");
        q_sql_ident(q, q_join_self_col(s->r));
        q_sql(q, " = ");
        q_param(q, s->set_vals[0]);
        q_sql(q, " WHERE ");
        q_sql_ident(q, q_join_self_col(s->r));
        q_sql(q, " = ");
        q_param(q, s->keys[0]);
        return true;
    default:
        return false;
    }
}

/* Key tuples per statement: within the parameter limit, and SQLite's
 * expression depth for OR lists. */
static size_t chunk_of(query *q, const ra_stmt *s)
{
    unsigned width = s->n_cols ? s->n_cols : 1;
    size_t limit = (q_param_limit(q) - s->n_set - 16) / width;
    if (width > 1 && limit > MAX_OR)
        limit = MAX_OR;
    return limit ? limit : 1;
}

static int deleted(nw *w, const prisma_model_desc *m, const rec_list *rows, int depth);

/* Runs s over n_keys key tuples, in chunks. RA_COUNT and plain writes sum
 * into *total; RA_DELETE with returning carries out the actions of the rows
 * it deleted; RA_SELECT keeps each chunk's rows in lists[] (one per chunk). */
static int run_keys(nw *w, ra_stmt *s, const prisma_value *keys, size_t n_keys, int depth, int64_t *total,
                    rec_list **lists)
{
    query *q = w->q;
    size_t per = chunk_of(q, s), width = s->n_cols ? s->n_cols : 1;
    *total = 0;
    for (size_t i = 0, c = 0; i < n_keys; i += per, c++) {
        s->keys = keys + i * width;
        s->n_keys = n_keys - i < per ? n_keys - i : per;
        int64_t n = 0;
        int rc;
        if (s->op == RA_COUNT) {
            rc = nw_run_count(w, ra_build, s, &n);
        } else if (s->returning || s->op == RA_SELECT) {
            prisma_rows *rows;
            rec_list *list = NULL;
            rc = q_run(q, ra_build, s, &rows);
            if (rc == PRISMA_OK)
                rc = q_fetch_list(q, s->t, rows, 0, (void **)&list);
            if (rc == PRISMA_OK && !nw_keep(w, list))
                rc = PRISMA_ERROR;
            if (rc == PRISMA_OK) {
                n = (int64_t)list->len;
                if (lists)
                    lists[c] = list;
                if (s->op == RA_DELETE)
                    rc = deleted(w, s->t, list, depth);
            }
        } else {
            rc = nw_run_changes(w, ra_build, s, &n);
        }
        if (rc != PRISMA_OK)
            return PRISMA_ERROR;
        *total += n;
    }
    return PRISMA_OK;
}

/* ---- values ---- */

static bool same(prisma_value a, prisma_value b)
{
    if (a.kind == V_NULL || b.kind == V_NULL)
        return a.kind == b.kind;
    return a.kind == b.kind && q_values_equal(a, b);
}

/* The values of fields `fi` of each row, tuples with a NULL left out
 * (nothing holds a key to NULL); *n: tuples. NULL with *n 0 when none. */
static prisma_value *key_tuples(query *q, const prisma_model_desc *m, const uint16_t *fi, unsigned width,
                                const rec_list *rows, size_t *n, bool *oom)
{
    *n = 0;
    *oom = false;
    if (!rows->len)
        return NULL;
    prisma_value *v = malloc(rows->len * width * sizeof *v);
    if (!v) {
        err_oom(&q->err);
        *oom = true;
        return NULL;
    }
    for (size_t i = 0; i < rows->len; i++) {
        const void *rec = (const char *)rows->items + i * m->rec_size;
        bool null = false;
        for (unsigned k = 0; k < width; k++) {
            v[*n * width + k] = q_rec_value(m, fi[k], rec);
            null |= v[*n * width + k].kind == V_NULL;
        }
        *n += !null;
    }
    return v;
}

static int too_deep(query *q)
{
    return nw_invalid(q, "the referential actions of this write go deeper than %d levels: a cycle of Cascade or "
                         "SetNull relations, which Prisma refuses with relationMode = \"prisma\".",
                      RA_MAX_DEPTH);
}

static int no_set_default(query *q, const prisma_relation_desc *r)
{
    return nw_invalid(q, "the relation '%s' says SetDefault, which relationMode = \"prisma\" does not emulate "
                         "(Prisma refuses it in the schema).",
                      r->relation);
}

/* ---- updates the actions cause ---- */

static int updated(nw *w, const prisma_model_desc *m, const void *old, const void *now, int depth);

/* Sets fields set_fields of the rows of t whose `cols` hold one of keys.
 * When those fields are keys others hold in turn, the rows are read first
 * and updated one by one, so that their own onUpdate follows. */
static int set_rows(nw *w, const prisma_model_desc *t, const uint16_t *cols, unsigned n_cols,
                    const prisma_value *keys, size_t n_keys, const uint16_t *set_fields, const prisma_value *set_vals,
                    unsigned n_set, int depth)
{
    query *q = w->q;
    if (!n_set || !n_keys)
        return PRISMA_OK;
    bool chained = false;
    for (unsigned k = 0; k < n_set && !chained; k++)
        chained = referenced(t, set_fields[k]);
    int64_t n;
    if (!chained) {
        ra_stmt s = { .op = RA_SET, .t = t, .cols = cols, .n_cols = n_cols, .set_fields = set_fields,
                      .set_vals = set_vals, .n_set = n_set };
        return run_keys(w, &s, keys, n_keys, depth, &n, NULL);
    }
    if (depth > RA_MAX_DEPTH)
        return too_deep(q);
    ra_stmt sel = { .op = RA_SELECT, .t = t, .cols = cols, .n_cols = n_cols };
    size_t n_chunks = (n_keys + chunk_of(q, &sel) - 1) / chunk_of(q, &sel);
    rec_list **lists = calloc(n_chunks, sizeof *lists);
    if (!lists) {
        err_oom(&q->err);
        return PRISMA_ERROR;
    }
    int rc = run_keys(w, &sel, keys, n_keys, depth, &n, lists);
    const prisma_unique_desc *pk = &t->uniques[0];
    for (size_t c = 0; rc == PRISMA_OK && c < n_chunks; c++)
        for (size_t i = 0; rc == PRISMA_OK && lists[c] && i < lists[c]->len; i++) {
            const void *old = (const char *)lists[c]->items + i * t->rec_size;
            prisma_value self[16];
            for (unsigned k = 0; k < pk->n_fields && k < 16; k++)
                self[k] = q_rec_value(t, pk->fields[k], old);
            /* Without UPDATE ... RETURNING (issue 16), the row is read
             * again by its key, which the update may have set. */
            bool reread = !(q->be->caps & BACKEND_UPDATE_RETURNING);
            ra_stmt s = { .op = RA_SET, .t = t, .cols = pk->fields, .n_cols = pk->n_fields, .keys = self,
                          .n_keys = 1, .set_fields = set_fields, .set_vals = set_vals, .n_set = n_set,
                          .returning = !reread };
            void *now = NULL;
            if (!reread) {
                rc = nw_run_one(w, t, ra_build, &s, &now);
            } else {
                int64_t changed = 0;
                rc = nw_run_changes(w, ra_build, &s, &changed);
                for (unsigned k = 0; k < pk->n_fields && k < 16; k++)
                    for (unsigned j = 0; j < n_set; j++)
                        if (set_fields[j] == pk->fields[k])
                            self[k] = set_vals[j];
                ra_stmt again = { .op = RA_SELECT, .t = t, .cols = pk->fields, .n_cols = pk->n_fields, .keys = self,
                                  .n_keys = 1 };
                if (rc == PRISMA_OK && changed)
                    rc = nw_run_one(w, t, ra_build, &again, &now);
            }
            if (rc == PRISMA_OK && now)
                rc = updated(w, t, old, now, depth);
        }
    free(lists);
    return rc;
}

/* The optional fields among a relation's key fields, and as many NULLs. */
static unsigned optional_fields(const prisma_model_desc *t, const prisma_relation_desc *r, uint16_t *fields,
                                prisma_value *nulls)
{
    unsigned n = 0;
    for (unsigned k = 0; k < r->n_fields && k < 16; k++)
        if (t->fields[r->fields[k]].flags & PRISMA_F_OPTIONAL) {
            fields[n] = r->fields[k];
            nulls[n++] = v_null();
        }
    return n;
}

/* Row `old` of m is now `now`: the onUpdate of every relation whose key
 * changed, and its m-n join rows. */
static int updated(nw *w, const prisma_model_desc *m, const void *old, const void *now, int depth)
{
    query *q = w->q;
    if (depth > RA_MAX_DEPTH)
        return too_deep(q);
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        int64_t n;
        if (r->kind == PRISMA_REL_MANY_TO_MANY) {
            unsigned id = q_id_field(m) - m->fields;
            prisma_value a = q_rec_value(m, id, old), b = q_rec_value(m, id, now);
            if (same(a, b))
                continue;
            ra_stmt s = { .op = RA_JOIN_SET, .t = m, .r = r, .keys = &a, .n_keys = 1, .set_vals = &b, .n_set = 1 };
            if (nw_run_changes(w, ra_build, &s, &n) != PRISMA_OK)
                return PRISMA_ERROR;
            continue;
        }
        if ((r->kind != PRISMA_REL_TO_MANY && r->kind != PRISMA_REL_TO_ONE_BACK) || !r->on_update ||
            !r->n_fields || r->n_fields > 16)
            continue;
        const prisma_model_desc *t = r->target;
        prisma_value was[16], is[16];
        bool changed = false, null = false;
        for (unsigned k = 0; k < r->n_fields; k++) {
            was[k] = q_rec_value(m, r->references[k], old);
            is[k] = q_rec_value(m, r->references[k], now);
            changed |= !same(was[k], is[k]);
            null |= was[k].kind == V_NULL;
        }
        if (!changed || null)
            continue;
        uint16_t opt[16];
        prisma_value nulls[16];
        switch (r->on_update) {
        case PRISMA_ACTION_CASCADE:
            if (set_rows(w, t, r->fields, r->n_fields, was, 1, r->fields, is, r->n_fields, depth + 1) != PRISMA_OK)
                return PRISMA_ERROR;
            break;
        case PRISMA_ACTION_SET_NULL: {
            unsigned n_opt = optional_fields(t, r, opt, nulls);
            if (set_rows(w, t, r->fields, r->n_fields, was, 1, opt, nulls, n_opt, depth + 1) != PRISMA_OK)
                return PRISMA_ERROR;
            break;
        }
        case PRISMA_ACTION_SET_DEFAULT:
            return no_set_default(q, r);
        default: { /* Restrict, NoAction */
            ra_stmt s = { .op = RA_COUNT, .t = t, .cols = r->fields, .n_cols = r->n_fields };
            if (run_keys(w, &s, was, 1, depth, &n, NULL) != PRISMA_OK)
                return PRISMA_ERROR;
            if (n)
                return nw_required_relation(q, r, t, m);
        }
        }
    }
    return PRISMA_OK;
}

/* ---- deletes ---- */

/* Rows of m were deleted: the onDelete of every relation pointing to them,
 * and their m-n join rows. */
static int deleted(nw *w, const prisma_model_desc *m, const rec_list *rows, int depth)
{
    query *q = w->q;
    if (!rows || !rows->len)
        return PRISMA_OK;
    if (depth > RA_MAX_DEPTH)
        return too_deep(q);
    int rc = PRISMA_OK;
    for (unsigned i = 0; rc == PRISMA_OK && i < m->n_relations; i++) {
        const prisma_relation_desc *r = &m->relations[i];
        if (!acts_on_delete(r) || r->n_fields > 16)
            continue;
        bool m2m = r->kind == PRISMA_REL_MANY_TO_MANY, oom;
        size_t nk;
        const uint16_t *refs = m2m ? &m->uniques[0].fields[0] : r->references;
        unsigned width = m2m ? 1 : r->n_fields;
        prisma_value *keys = key_tuples(q, m, refs, width, rows, &nk, &oom);
        if (oom)
            return PRISMA_ERROR;
        const prisma_model_desc *t = r->target;
        int64_t n = 0;
        if (!nk) {
            /* nothing references a NULL */
        } else if (m2m) {
            ra_stmt s = { .op = RA_JOIN_DELETE, .t = m, .r = r };
            rc = run_keys(w, &s, keys, nk, depth, &n, NULL);
        } else if (r->on_delete == PRISMA_ACTION_CASCADE) {
            ra_stmt s = { .op = RA_DELETE, .t = t, .cols = r->fields, .n_cols = r->n_fields, .returning = true };
            rc = run_keys(w, &s, keys, nk, depth + 1, &n, NULL);
        } else if (r->on_delete == PRISMA_ACTION_SET_NULL) {
            uint16_t opt[16];
            prisma_value nulls[16];
            unsigned n_opt = optional_fields(t, r, opt, nulls);
            rc = set_rows(w, t, r->fields, r->n_fields, keys, nk, opt, nulls, n_opt, depth + 1);
        } else if (r->on_delete == PRISMA_ACTION_SET_DEFAULT) {
            rc = no_set_default(q, r);
        } else { /* Restrict, NoAction */
            ra_stmt s = { .op = RA_COUNT, .t = t, .cols = r->fields, .n_cols = r->n_fields };
            rc = run_keys(w, &s, keys, nk, depth, &n, NULL);
            if (rc == PRISMA_OK && n)
                rc = nw_required_relation(q, r, t, m);
        }
        free(keys);
    }
    return rc;
}

int ra_run_delete(nw *w, const prisma_model_desc *m, build_fn build, void *ctx, int64_t *n, void **first)
{
    query *q = w->q;
    prisma_rows *rows;
    rec_list *list = NULL;
    *n = 0;
    if (first)
        *first = NULL;
    if (q_run(q, build, ctx, &rows) != PRISMA_OK || q_fetch_list(q, m, rows, 0, (void **)&list) != PRISMA_OK ||
        !nw_keep(w, list))
        return PRISMA_ERROR;
    *n = (int64_t)list->len;
    if (first && list->len)
        *first = list->items;
    return deleted(w, m, list, 0);
}

int ra_updated(nw *w, const prisma_model_desc *m, const void *old, const void *now)
{
    return updated(w, m, old, now, 0);
}

/* update_many (scope: nested) whose data changes a referenced key: the rows
 * are read and locked, then updated one by one, each followed by its
 * actions. */
int ra_update_many(nw *w, const prisma_model_desc *m, const void *where, const q_scope *scope, const void *data,
                   int64_t *count)
{
    query *q = w->q;
    *count = 0;
    prisma_find_args args = { .where = where };
    find_ctx fc = { .m = m, .args = &args, .scope = scope, .lock = q->be->lock_rows != NULL };
    prisma_rows *rows;
    rec_list *list = NULL;
    if (q_run(q, q_build_find, &fc, &rows) != PRISMA_OK || q_fetch_list(q, m, rows, 0, (void **)&list) != PRISMA_OK ||
        !nw_keep(w, list))
        return PRISMA_ERROR;
    const prisma_unique_desc *pk = &m->uniques[0];
    for (size_t i = 0; i < list->len; i++) {
        const void *old = (const char *)list->items + i * m->rec_size;
        prisma_value self[16];
        for (unsigned k = 0; k < pk->n_fields && k < 16; k++)
            self[k] = q_rec_value(m, pk->fields[k], old);
        q_scope me = { m, NULL, self };
        update_ctx uc = { .m = m, .scope = &me, .data = data, .returning = true };
        void *now;
        if (nw_run_one(w, m, q_build_update, &uc, &now) != PRISMA_OK)
            return PRISMA_ERROR;
        if (now && updated(w, m, old, now, 0) != PRISMA_OK)
            return PRISMA_ERROR;
        *count += now != NULL;
    }
    return PRISMA_OK;
}

/* ---- the operations' entry points (in their transaction) ---- */

int ra_delete_top(query *q, const prisma_model_desc *m, const void *where_unique, const void *where, void **rec,
                  int64_t *count)
{
    nw w = { q, NULL, 0, 0 };
    update_ctx uc = { .m = m, .where_unique = where_unique, .where = where_unique ? NULL : where, .is_delete = true,
                      .returning = true };
    int rc;
    int64_t n = 0;
    void *one = NULL, *ignored;
    if (where_unique) {
        rc = nw_run_one(&w, m, q_build_update, &uc, &one);
        rec_list l = { 1, one };
        if (rc == PRISMA_OK && one)
            rc = deleted(&w, m, &l, 0);
        n = one != NULL;
    } else {
        rc = ra_run_delete(&w, m, q_build_update, &uc, &n, NULL);
    }
    if (count)
        *count = rc == PRISMA_OK ? n : 0;
    return nw_finish(&w, rc, rec ? one : NULL, rec ? rec : &ignored);
}

int ra_update_top(query *q, const prisma_model_desc *m, const void *where_unique, const void *where,
                  const void *data, void **rec, int64_t *count)
{
    nw w = { q, NULL, 0, 0 };
    int rc;
    void *now = NULL;
    if (where_unique) {
        /* The row as it was (locked), then as it is. */
        find_ctx fc = { .m = m, .where_unique = where_unique, .lock = q->be->lock_rows != NULL };
        void *old = NULL;
        rc = nw_run_one(&w, m, q_build_find, &fc, &old);
        if (rc == PRISMA_OK && old) {
            update_ctx uc = { .m = m, .where_unique = where_unique, .data = data, .returning = true };
            rc = nw_run_one(&w, m, q_build_update, &uc, &now);
            if (rc == PRISMA_OK && now)
                rc = updated(&w, m, old, now, 0);
        }
        if (count)
            *count = now != NULL;
    } else {
        int64_t n = 0;
        rc = ra_update_many(&w, m, where, NULL, data, &n);
        if (count)
            *count = rc == PRISMA_OK ? n : 0;
        now = NULL;
    }
    void *ignored;
    return nw_finish(&w, rc, rec ? now : NULL, rec ? rec : &ignored);
}
