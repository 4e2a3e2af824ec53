/* Includes: the related records of a page of results, one statement per
 * relation and level (an IN-list over the parents; ROW_NUMBER() windows for
 * per-parent skip, take and distinct), never one per parent. */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- includes ---- */

/* The value of field `fi` of record `rec` as a bind value (NULL when null). */
prisma_value q_rec_value(const prisma_model_desc *m, unsigned fi, const void *rec)
{
    const prisma_field_desc *f = &m->fields[fi];
    const char *p = (const char *)rec + f->rec_off;
    bool opt = f->flags & PRISMA_F_OPTIONAL;
    const void *vp = p;
    if (opt && f->type != PRISMA_TYPE_STRING && f->type != PRISMA_TYPE_DECIMAL && f->type != PRISMA_TYPE_JSON &&
        f->type != PRISMA_TYPE_ENUM) {
        memcpy(&vp, p, sizeof vp);
        if (!vp)
            return v_null();
    }
    switch (f->type) {
    case PRISMA_TYPE_INT: { int32_t x; memcpy(&x, vp, sizeof x); return v_int(x); }
    case PRISMA_TYPE_BIGINT: { int64_t x; memcpy(&x, vp, sizeof x); return v_int(x); }
    case PRISMA_TYPE_DATETIME: { int64_t x; memcpy(&x, vp, sizeof x); return (prisma_value){ .kind = V_DATETIME, .i = x }; }
    case PRISMA_TYPE_FLOAT: { double x; memcpy(&x, vp, sizeof x); return v_double(x); }
    case PRISMA_TYPE_BOOLEAN: { bool x; memcpy(&x, vp, sizeof x); return v_bool(x); }
    case PRISMA_TYPE_ENUM: {
        int e;
        memcpy(&e, p, sizeof e);
        return e > 0 ? v_text(f->enum_desc->values[e - 1]) : v_null();
    }
    case PRISMA_TYPE_BYTES: {
        prisma_bytes_value bv;
        memcpy(&bv, vp, sizeof bv);
        return (prisma_value){ .kind = V_BLOB, .s = (const char *)bv.data, .len = bv.len };
    }
    default: {
        const char *s;
        memcpy(&s, p, sizeof s);
        return s ? v_text(s) : v_null();
    }
    }
}

bool q_values_equal(prisma_value a, prisma_value b)
{
    if (a.kind == V_NULL || b.kind == V_NULL)
        return false;
    switch (a.kind) {
    case V_TEXT:
    case V_BLOB: return a.len == b.len && memcmp(a.s, b.s, a.len) == 0;
    case V_DOUBLE: return a.d == b.d;
    default: return a.i == b.i;
    }
}

static bool to_many_rel(const prisma_relation_desc *r)
{
    return r->kind == PRISMA_REL_TO_MANY || r->kind == PRISMA_REL_MANY_TO_MANY;
}

/* The target's columns a relation is matched on (not for m-n: the join
 * table's column is). */
static const uint16_t *target_cols(const prisma_relation_desc *r)
{
    return r->kind == PRISMA_REL_TO_ONE_FK ? r->references : r->fields;
}

/* The relation's key on the target side: j."A" (m-n) or the target's key
 * columns; `inner`: as the innermost statement names them, else as a
 * derived table of it does. */
static void key_sql(query *q, const prisma_model_desc *t, const prisma_relation_desc *rel, bool inner)
{
    if (rel->kind == PRISMA_REL_MANY_TO_MANY) {
        q_sql(q, inner ? "j." : "");
        q_sql_ident(q, inner ? q_join_self_col(rel) : "__k");
        return;
    }
    const uint16_t *tcols = target_cols(rel);
    for (unsigned k = 0; k < rel->n_fields; k++) {
        if (k)
            q_sql(q, ", ");
        q_sql_col(q, t, &t->fields[tcols[k]], inner);
    }
}

void q_include_from_sql(query *q, const prisma_model_desc *m, const prisma_relation_desc *rel)
{
    const prisma_model_desc *t = rel->target;
    q_sql(q, " FROM ");
    q_sql_table(q, t);
    if (rel->kind == PRISMA_REL_MANY_TO_MANY) {
        q_sql(q, " JOIN ");
        q_join_table(q, m, rel); /* in the schema of its "A" model */
        q_sql(q, " AS j ON j.");
        q_sql_ident(q, q_join_other_col(rel));
        q_sql(q, " = ");
        /* The target's primary key (single column: implicit m-n needs an @id). */
        q_sql_col(q, t, &t->fields[t->uniques[0].fields[0]], true);
    }
}

/* The parents' keys: key IN (...), or an OR of ANDs for a compound key. */
void q_include_parents_sql(query *q, const prisma_model_desc *m, const prisma_relation_desc *rel, const void *recs,
                           size_t from, size_t n)
{
    const prisma_model_desc *t = rel->target;
    const uint16_t *pcols;
    unsigned np = q_rel_parent_cols(m, rel, &pcols);
    const char *base = (const char *)recs + from * m->rec_size;
    if (np == 1) {
        key_sql(q, t, rel, true);
        q_sql(q, " IN (");
        for (size_t i = 0; i < n; i++) {
            if (i)
                q_sql(q, ", ");
            q_param(q, q_rec_value(m, pcols[0], base + i * m->rec_size));
        }
        q_sql(q, ")");
        return;
    }
    const uint16_t *tcols = target_cols(rel);
    q_sql(q, "(");
    for (size_t i = 0; i < n; i++) {
        q_sql(q, i ? " OR (" : "(");
        for (unsigned k = 0; k < np; k++) {
            if (k)
                q_sql(q, " AND ");
            q_sql_col(q, t, &t->fields[tcols[k]], true);
            q_sql(q, " = ");
            q_param(q, q_rec_value(m, pcols[k], base + i * m->rec_size));
        }
        q_sql(q, ")");
    }
    q_sql(q, ")");
}

typedef struct include_ctx {
    const prisma_model_desc *m;      /* the parent model */
    const prisma_relation_desc *rel;
    const prisma_model_desc *t;      /* the target model */
    unsigned ri;
    const void *recs;
    size_t from, n;                  /* a chunk of parents */
    const prisma_find_args *fa;      /* the relation's arguments, or NULL */
    const uint8_t *cols;             /* the target's fields read; NULL: all */
    bool reverse;                    /* a negative take */
} include_ctx;

/* A cursor in a relation's arguments pages the list of the cursor row's
 * parent only (as Prisma: the other parents get none): the row's key is the
 * cursor row's (m-n: the parent is linked to the cursor row). */
static bool cursor_parent(query *q, const include_ctx *ic)
{
    const prisma_model_desc *t = ic->t;
    const prisma_relation_desc *rel = ic->rel;
    const prisma_find_args *fa = ic->fa;
    if (rel->kind == PRISMA_REL_MANY_TO_MANY) {
        q_sql(q, " AND j.");
        q_sql_ident(q, q_join_self_col(rel));
        q_sql(q, " IN (SELECT j2.");
        q_sql_ident(q, q_join_self_col(rel));
        q_sql(q, " FROM ");
        q_join_table(q, ic->m, rel);
        q_sql(q, " AS j2 WHERE j2.");
        q_sql_ident(q, q_join_other_col(rel));
        q_sql(q, " IN (SELECT ");
        q_sql_col(q, t, &t->fields[t->uniques[0].fields[0]], false);
        q_sql(q, " FROM ");
        q_sql_table(q, t);
        q_sql(q, " WHERE ");
        if (!q_unique_walk(q, t, fa->cursor, false, NULL))
            return false;
        q_sql(q, "))");
        return true;
    }
    const uint16_t *tcols = target_cols(rel);
    for (unsigned k = 0; k < rel->n_fields; k++) {
        q_sql(q, " AND ");
        q_sql_col(q, t, &t->fields[tcols[k]], true);
        q_sql(q, " = (SELECT ");
        q_sql_col(q, t, &t->fields[tcols[k]], false);
        q_sql(q, " FROM ");
        q_sql_table(q, t);
        q_sql(q, " WHERE ");
        if (!q_unique_walk(q, t, fa->cursor, false, NULL))
            return false;
        q_sql(q, ")");
    }
    return true;
}

/* WHERE: the parents, the relation's where and cursor. */
static bool include_filters(query *q, const include_ctx *ic)
{
    q_sql(q, " WHERE ");
    q_include_parents_sql(q, ic->m, ic->rel, ic->recs, ic->from, ic->n);
    const prisma_find_args *fa = ic->fa;
    if (!fa)
        return true;
    if (fa->where) {
        q_key_u8(q, 'W');
        q_sql(q, " AND (");
        if (!q_where_walk(q, ic->t, fa->where, true))
            return false;
        q_sql(q, ")");
    }
    if (fa->cursor) {
        find_ctx fc = { .m = ic->t, .args = fa, .reverse = ic->reverse };
        q_key_u8(q, 'C');
        q_sql(q, " AND ");
        if (!q_cursor_cond(q, &fc) || !cursor_parent(q, ic))
            return false;
    }
    return true;
}

/* The window's ordering: the relation's order_by, the primary key breaking ties. */
static bool window_order(query *q, const include_ctx *ic)
{
    find_ctx fc = { .m = ic->t, .args = ic->fa, .reverse = ic->reverse };
    return q_order_by(q, &fc, true);
}

static bool build_include(query *q, void *vctx)
{
    include_ctx *ic = vctx;
    const prisma_relation_desc *rel = ic->rel;
    const prisma_find_args *fa = ic->fa;
    const prisma_model_desc *t = ic->t;
    bool m2m = rel->kind == PRISMA_REL_MANY_TO_MANY;
    bool distinct = fa && fa->distinct_len;
    bool window = fa && (fa->skip > 0 || fa->has_take || distinct);
    q_key_u8(q, K_INCLUDE);
    q_key_u8(q, !fa ? 0 : !window ? 1 : distinct ? 3 : 2);
    q_key_u32(q, ic->m->index);
    q_key_u32(q, ic->ri);
    q_key_u32(q, (uint32_t)ic->n);
    q_key_u8(q, ic->reverse); /* the window's direction (no order_by: the primary key's alone) */
    q_sql(q, "SELECT ");
    q_select_columns_of(q, t, true, ic->cols);
    if (!window) {
        if (m2m) {
            q_sql(q, ", j.");
            q_sql_ident(q, q_join_self_col(rel));
        }
        q_include_from_sql(q, ic->m, rel);
        if (!include_filters(q, ic))
            return false;
        return !fa || window_order(q, ic);
    }
    if (m2m) {
        q_sql(q, ", ");
        q_sql_ident(q, t->table);
        q_sql(q, ".");
        q_sql_ident(q, "__k");
    }
    /* FROM (SELECT t.*, ROW_NUMBER() OVER (PARTITION BY key ORDER BY ...) AS "__rn" ...):
     * skip and take per parent; with distinct, a first window numbers the
     * rows of each distinct combination and keeps the first. */
    q_sql(q, " FROM (SELECT ");
    if (distinct) {
        q_sql_ident(q, t->table);
        q_sql(q, ".*, ROW_NUMBER() OVER (PARTITION BY ");
        key_sql(q, t, rel, false);
        if (!window_order(q, ic))
            return false;
        q_sql(q, ") AS ");
        q_sql_ident(q, "__rn");
        q_sql(q, " FROM (SELECT ");
    }
    q_sql_table(q, t);
    q_sql(q, ".*");
    if (m2m) {
        q_sql(q, ", j.");
        q_sql_ident(q, q_join_self_col(rel));
        q_sql(q, " AS ");
        q_sql_ident(q, "__k");
    }
    q_sql(q, ", ROW_NUMBER() OVER (PARTITION BY ");
    key_sql(q, t, rel, true);
    for (size_t i = 0; distinct && i < fa->distinct_len; i++) {
        q_key_u32(q, (uint32_t)fa->distinct[i]);
        q_sql(q, ", ");
        q_sql_col(q, t, &t->fields[fa->distinct[i] - 1], true);
    }
    if (!window_order(q, ic))
        return false;
    q_sql(q, ") AS ");
    q_sql_ident(q, distinct ? "__dn" : "__rn");
    q_include_from_sql(q, ic->m, rel);
    if (!include_filters(q, ic))
        return false;
    if (distinct) {
        q_sql(q, ") AS ");
        q_sql_ident(q, t->table);
        q_sql(q, " WHERE ");
        q_sql_ident(q, "__dn");
        q_sql(q, " = 1");
    }
    q_sql(q, ") AS ");
    q_sql_ident(q, t->table);
    q_sql(q, " WHERE ");
    q_sql_ident(q, "__rn");
    q_sql(q, " > ");
    q_param(q, v_int(fa->skip));
    q_key_u8(q, fa->has_take);
    if (fa->has_take) {
        int64_t take = fa->take < 0 ? -fa->take : fa->take;
        q_sql(q, " AND ");
        q_sql_ident(q, "__rn");
        q_sql(q, " <= ");
        q_param(q, v_int(fa->skip + take));
    }
    q_sql(q, " ORDER BY ");
    q_sql_ident(q, "__rn");
    q_sql(q, ic->reverse ? " DESC" : " ASC");
    return true;
}

/* Gives each parent its records: a list per parent (to-many, in the rows'
 * order) or a pointer (to-one). */
static int distribute(query *q, const prisma_model_desc *m, const prisma_relation_desc *rel, void *recs, size_t n,
                      const q_parent_index *ix, const rec_list *kids, const size_t *owner, result_arena *a)
{
    const prisma_model_desc *t = rel->target;
    if (!to_many_rel(rel)) {
        for (size_t j = 0; j < kids->len; j++) {
            void *kid = (char *)kids->items + j * t->rec_size;
            for (size_t p = owner[j]; p != SIZE_MAX;
                 p = rel->kind == PRISMA_REL_TO_ONE_FK ? q_parent_next(ix, p) : SIZE_MAX)
                memcpy((char *)recs + p * m->rec_size + rel->rec_off, &kid, sizeof kid);
        }
        return PRISMA_OK;
    }
    rec_list *lists = result_alloc(a, (n ? n : 1) * sizeof *lists);
    size_t *start = calloc(n + 1, sizeof *start);
    char *items = NULL;
    if (lists && start && kids->len) {
        items = malloc(kids->len * t->rec_size);
        if (items && result_own(a, items) != 0) {
            free(items); /* not the arena's: freed here */
            items = NULL;
        }
    }
    if (!lists || !start || (kids->len && !items)) {
        free(start);
        err_oom(&q->err);
        return PRISMA_ERROR;
    }
    /* A stable counting sort by parent. */
    for (size_t j = 0; j < kids->len; j++)
        start[owner[j] + 1]++;
    for (size_t i = 0; i < n; i++) {
        lists[i].len = start[i + 1];
        start[i + 1] += start[i];
        lists[i].items = lists[i].len ? items + start[i] * t->rec_size : NULL;
    }
    for (size_t j = 0; j < kids->len; j++)
        memcpy(items + start[owner[j]]++ * t->rec_size, (char *)kids->items + j * t->rec_size, t->rec_size);
    for (size_t i = 0; i < n; i++) {
        rec_list *l = &lists[i];
        memcpy((char *)recs + i * m->rec_size + rel->rec_off, &l, sizeof l);
    }
    free(start);
    return PRISMA_OK;
}

static int load_relation(query *q, const prisma_model_desc *m, unsigned ri, void *recs, size_t n, const void *typed,
                         result_arena *a)
{
    const prisma_relation_desc *rel = &m->relations[ri];
    const prisma_model_desc *t = rel->target;
    bool m2m = rel->kind == PRISMA_REL_MANY_TO_MANY;
    prisma_find_args fa;
    memset(&fa, 0, sizeof fa);
    if (typed)
        t->find_args(typed, &fa);
    q_shape cs = { fa.include, fa.select, fa.omit };
    /* The target's fields read: the shape's, its own relations' keys and the
     * columns rows are matched to parents on. */
    uint8_t *want = malloc(2 * (size_t)t->n_fields + 2), *need = want ? want + t->n_fields + 1 : NULL;
    size_t *owner = NULL, ocap = 0;
    rec_list kids = { 0, NULL };
    size_t kcap = 0;
    q_parent_index ix = { 0 };
    const uint16_t *pcols;
    unsigned np = q_rel_parent_cols(m, rel, &pcols);
    if (!want || !q_parent_index_build(&ix, m, pcols, np, recs, n)) {
        free(want);
        err_oom(&q->err);
        return PRISMA_ERROR;
    }
    q_shape_fields(t, &cs, want, need);
    const uint16_t *tcols = target_cols(rel);
    if (!m2m)
        for (unsigned k = 0; k < rel->n_fields; k++)
            need[tcols[k]] = 1;
    unsigned ncols = 0;
    for (unsigned i = 0; i < t->n_fields; i++)
        ncols += need[i];
    const uint8_t *cols = ncols == t->n_fields ? NULL : need;
    if (ncols == 0)
        ncols = 1; /* SELECT 1 */
    int rc = PRISMA_OK;
    bool none = typed && fa.has_take && fa.take == 0; /* take 0: no rows, nothing asked */
    size_t per = q_parents_per_stmt(q, np);
    for (size_t from = 0; !none && from < n && rc == PRISMA_OK; from += per) {
        include_ctx ic = { m, rel, t, ri, recs, from, n - from < per ? n - from : per, typed ? &fa : NULL, cols,
                           fa.has_take && fa.take < 0 };
        prisma_rows *rows;
        if (q_run(q, build_include, &ic, &rows) != PRISMA_OK) {
            rc = PRISMA_ERROR;
            break;
        }
        int st;
        while ((st = q->be->next(rows, &q->err)) == 1) {
            void *slot;
            if (!q_list_push(a, &kids, &kcap, t->rec_size, &slot) || !q_decode_row_cols(q, t, rows, 0, slot, a, cols)) {
                st = -2;
                break;
            }
            prisma_value key[16];
            if (m2m)
                key[0] = q_row_key(q, rows, (int)ncols, &m->fields[pcols[0]]);
            else
                for (unsigned k = 0; k < rel->n_fields && k < 16; k++)
                    key[k] = q_rec_value(t, tcols[k], slot);
            size_t p = q_parent_find(&ix, key);
            if (p == SIZE_MAX) {
                kids.len--; /* no parent of ours (cannot happen: the IN-list chose it) */
                continue;
            }
            if (kids.len > ocap) {
                size_t nc = ocap ? ocap * 2 : 64;
                size_t *no = realloc(owner, nc * sizeof *no);
                if (!no) {
                    st = -2;
                    break;
                }
                owner = no;
                ocap = nc;
            }
            owner[kids.len - 1] = p;
        }
        q->be->done(rows);
        if (st < 0) {
            if (st == -2 && !q->err.code[0])
                err_oom(&q->err);
            rc = PRISMA_ERROR;
        }
    }
    /* The next level, for every record of this one at once. */
    if (rc == PRISMA_OK && kids.len)
        rc = q_load_shape(q, t, kids.items, kids.len, &cs, a);
    if (rc == PRISMA_OK) {
        if (cols)
            q_clear_fields(t, kids.items, kids.len, want, need);
        rc = distribute(q, m, rel, recs, n, &ix, &kids, owner, a);
    }
    q_parent_index_free(&ix);
    free(owner);
    free(want);
    return rc;
}

int q_load_shape(query *q, const prisma_model_desc *m, void *recs, size_t n, const q_shape *s, result_arena *a)
{
    if (!s || n == 0 || (!s->include && !s->select))
        return PRISMA_OK;
    for (unsigned i = 0; i < m->n_relations; i++) {
        const void *typed;
        if (q_shape_relation(m, s, i, &typed) && load_relation(q, m, i, recs, n, typed, a) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return q_load_counts(q, m, recs, n, s);
}

int q_load_includes(query *q, const prisma_model_desc *m, void *recs, size_t n, const void *include,
                    result_arena *a)
{
    q_shape s = { include, NULL, NULL };
    return q_load_shape(q, m, recs, n, &s, a);
}
/* Reads at most one row into a new single-record result. */
int q_fetch_one(query *q, const prisma_model_desc *m, prisma_rows *rows, void **out)
{
    return q_fetch_one_cols(q, m, rows, NULL, out);
}

int q_fetch_one_cols(query *q, const prisma_model_desc *m, prisma_rows *rows, const uint8_t *cols, void **out)
{
    *out = NULL;
    int st = q->be->next(rows, &q->err);
    if (st <= 0) {
        q->be->done(rows);
        return st < 0 ? PRISMA_ERROR : PRISMA_OK;
    }
    /* One block for the record and, usually, everything it points to: room
     * after it for its strings and optional values (more goes to a further
     * block). The guess used to be part of the root itself, which left no
     * room: every string went to a new 8 KiB block. */
    void *rec;
    result_arena *a = result_new_room(m->rec_size, 64 + 32 * (size_t)m->n_fields, &rec);
    if (!a) {
        q->be->done(rows);
        err_oom(&q->err);
        return PRISMA_ERROR;
    }
    bool ok = q_decode_row_cols(q, m, rows, 0, rec, a, cols);
    /* Drain: the statement may still have rows (RETURNING); they are not ours. */
    q->be->done(rows);
    if (!ok) {
        result_free_root(rec);
        if (!q->err.code[0])
            err_oom(&q->err);
        return PRISMA_ERROR;
    }
    *out = rec;
    return PRISMA_OK;
}

int q_empty_list(query *q, void **out)
{
    rec_list *list;
    *out = NULL;
    if (!result_new(sizeof *list, (void **)&list)) {
        err_set(&q->err, "P1000", "out of memory");
        return PRISMA_ERROR;
    }
    *out = list;
    return PRISMA_OK;
}

/* Reads every row into a new list result; `expect` (the take) sizes it. */
int q_fetch_list(query *q, const prisma_model_desc *m, prisma_rows *rows, size_t expect, void **out)
{
    return q_fetch_list_cols(q, m, rows, expect, NULL, out);
}

int q_fetch_list_cols(query *q, const prisma_model_desc *m, prisma_rows *rows, size_t expect, const uint8_t *cols,
                      void **out)
{
    *out = NULL;
    rec_list *list;
    result_arena *a = result_new(sizeof *list, (void **)&list);
    if (!a) {
        q->be->done(rows);
        err_oom(&q->err);
        return PRISMA_ERROR;
    }
    size_t cap = 0;
    if (expect > 0 && expect <= 4096) {
        list->items = malloc(expect * m->rec_size);
        if (list->items && result_own(a, list->items) == 0) {
            cap = expect;
        } else {
            free(list->items);
            list->items = NULL;
        }
    }
    int st;
    while ((st = q->be->next(rows, &q->err)) == 1) {
        void *slot;
        if (!q_list_push(a, list, &cap, m->rec_size, &slot) || !q_decode_row_cols(q, m, rows, 0, slot, a, cols)) {
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
    *out = list;
    return PRISMA_OK;
}
