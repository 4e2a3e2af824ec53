/* Includes: the related records of a page of results, one batched IN query
 * per relation. */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- includes ---- */


typedef struct include_ctx {
    const prisma_model_desc *m;      /* the parent model */
    const prisma_relation_desc *rel;
    const prisma_model_desc *t;      /* the target model */
    void *recs;
    size_t from, n;                  /* a chunk of parents */
} include_ctx;

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

/* The parent's key columns (references of a back relation, fields of a
 * forward one) and the matching target columns. */
static void include_keys(const include_ctx *ic, const uint16_t **parent_cols, const uint16_t **target_cols)
{
    if (ic->rel->kind == PRISMA_REL_TO_ONE_FK) {
        *parent_cols = ic->rel->fields;
        *target_cols = ic->rel->references;
    } else {
        *parent_cols = ic->rel->references;
        *target_cols = ic->rel->fields;
    }
}

static bool build_include(query *q, void *vctx)
{
    include_ctx *ic = vctx;
    const prisma_relation_desc *rel = ic->rel;
    size_t rec_size = ic->m->rec_size;
    q_key_u8(q, K_INCLUDE);
    q_key_u32(q, ic->m->index);
    q_key_u32(q, (uint32_t)(rel - ic->m->relations));
    q_key_u32(q, (uint32_t)ic->n);
    q_sql(q, "SELECT ");
    q_select_columns(q, ic->t, true);
    if (rel->kind == PRISMA_REL_MANY_TO_MANY) {
        const char *self_col = rel->join_self_is_a ? "A" : "B", *other_col = rel->join_self_is_a ? "B" : "A";
        q_sql(q, ", j.");
        q_sql_ident(q, self_col);
        q_sql(q, " FROM ");
        q_sql_table(q, ic->t);
        q_sql(q, " JOIN ");
        q_join_table(q, ic->m, rel); /* in the schema of its "A" model */
        q_sql(q, " AS j ON j.");
        q_sql_ident(q, other_col);
        q_sql(q, " = ");
        /* The target's primary key (single column: implicit m-n needs an @id). */
        q_sql_col(q, ic->t, &ic->t->fields[ic->t->uniques[0].fields[0]], true);
        q_sql(q, " WHERE j.");
        q_sql_ident(q, self_col);
        q_sql(q, " IN (");
        unsigned pk = ic->m->uniques[0].fields[0];
        for (size_t i = 0; i < ic->n; i++) {
            if (i)
                q_sql(q, ", ");
            q_param(q, q_rec_value(ic->m, pk, (const char *)ic->recs + (ic->from + i) * rec_size));
        }
        q_sql(q, ")");
        return true;
    }
    const uint16_t *pcols, *tcols;
    include_keys(ic, &pcols, &tcols);
    q_sql(q, " FROM ");
    q_sql_table(q, ic->t);
    q_sql(q, " WHERE ");
    if (rel->n_fields == 1) {
        q_sql_col(q, ic->t, &ic->t->fields[tcols[0]], true);
        q_sql(q, " IN (");
        for (size_t i = 0; i < ic->n; i++) {
            if (i)
                q_sql(q, ", ");
            q_param(q, q_rec_value(ic->m, pcols[0], (const char *)ic->recs + (ic->from + i) * rec_size));
        }
        q_sql(q, ")");
    } else {
        q_sql(q, "(");
        for (size_t i = 0; i < ic->n; i++) {
            q_sql(q, i ? " OR (" : "(");
            for (unsigned k = 0; k < rel->n_fields; k++) {
                if (k)
                    q_sql(q, " AND ");
                q_sql_col(q, ic->t, &ic->t->fields[tcols[k]], true);
                q_sql(q, " = ");
                q_param(q, q_rec_value(ic->m, pcols[k], (const char *)ic->recs + (ic->from + i) * rec_size));
            }
            q_sql(q, ")");
        }
        q_sql(q, ")");
    }
    return true;
}

/* Rows per include statement: well within both databases' parameter limits. */
enum { INCLUDE_CHUNK = 500 };

static int load_relation(query *q, const prisma_model_desc *m, const prisma_relation_desc *rel, void *recs, size_t n,
                         result_arena *a)
{
    const prisma_model_desc *t = rel->target;
    bool to_many = rel->kind == PRISMA_REL_TO_MANY || rel->kind == PRISMA_REL_MANY_TO_MANY;
    /* Per parent: its list (to-many) or record pointer (to-one), filled as rows arrive. */
    rec_list *lists = NULL;
    size_t *caps = NULL;
    if (to_many) {
        lists = calloc(n ? n : 1, sizeof *lists);
        caps = calloc(n ? n : 1, sizeof *caps);
        if (!lists || !caps) {
            free(lists);
            free(caps);
            err_oom(&q->err);
            return PRISMA_ERROR;
        }
    }
    int rc = PRISMA_OK;
    for (size_t from = 0; from < n && rc == PRISMA_OK; from += INCLUDE_CHUNK) {
        include_ctx ic = { m, rel, t, recs, from, n - from < INCLUDE_CHUNK ? n - from : INCLUDE_CHUNK };
        prisma_rows *rows;
        if (q_run(q, build_include, &ic, &rows) != PRISMA_OK) {
            rc = PRISMA_ERROR;
            break;
        }
        const uint16_t *pcols, *tcols;
        include_keys(&ic, &pcols, &tcols);
        void *tmp = malloc(t->rec_size);
        if (!tmp) {
            q->be->done(rows);
            err_oom(&q->err);
            rc = PRISMA_ERROR;
            break;
        }
        int st;
        while ((st = q->be->next(rows, &q->err)) == 1) {
            memset(tmp, 0, t->rec_size);
            if (!q_decode_row(q, t, rows, 0, tmp, a)) {
                st = -2;
                break;
            }
            for (size_t i = from; i < from + ic.n; i++) {
                void *parent = (char *)recs + i * m->rec_size;
                bool match = true;
                if (rel->kind == PRISMA_REL_MANY_TO_MANY) {
                    unsigned pk = m->uniques[0].fields[0];
                    prisma_value pv = q_rec_value(m, pk, parent);
                    /* The join column comes after the target's fields. */
                    const prisma_field_desc *pf = &m->fields[pk];
                    prisma_value jv;
                    if (pf->type == PRISMA_TYPE_STRING || pf->type == PRISMA_TYPE_DECIMAL || pf->type == PRISMA_TYPE_JSON) {
                        size_t len;
                        const char *s = q->be->col_text(rows, t->n_fields, &len);
                        jv = (prisma_value){ .kind = V_TEXT, .s = s, .len = len };
                    } else {
                        jv = v_int(q->be->col_int(rows, t->n_fields));
                        if (pv.kind == V_DATETIME)
                            jv.kind = V_DATETIME;
                    }
                    if (pv.kind == V_TEXT)
                        pv.len = strlen(pv.s);
                    match = q_values_equal(pv, jv);
                } else {
                    for (unsigned k = 0; k < rel->n_fields && match; k++)
                        match = q_values_equal(q_rec_value(m, pcols[k], parent), q_rec_value(t, tcols[k], tmp));
                }
                if (!match)
                    continue;
                if (to_many) {
                    void *slot;
                    if (!q_list_push(a, &lists[i], &caps[i], t->rec_size, &slot)) {
                        st = -2;
                        break;
                    }
                    memcpy(slot, tmp, t->rec_size);
                } else {
                    void *copy = result_alloc(a, t->rec_size);
                    if (!copy) {
                        st = -2;
                        break;
                    }
                    memcpy(copy, tmp, t->rec_size);
                    memcpy((char *)parent + rel->rec_off, &copy, sizeof copy);
                }
                if (rel->kind == PRISMA_REL_TO_ONE_BACK)
                    break; /* 1-1: this row belongs to one parent */
            }
            if (st == -2)
                break;
        }
        free(tmp);
        q->be->done(rows);
        if (st < 0) {
            if (st == -2 && !q->err.code[0])
                err_oom(&q->err);
            rc = PRISMA_ERROR;
        }
    }
    if (to_many && rc == PRISMA_OK) {
        for (size_t i = 0; i < n; i++) {
            rec_list *l = result_alloc(a, sizeof *l);
            if (!l) {
                err_oom(&q->err);
                rc = PRISMA_ERROR;
                break;
            }
            *l = lists[i];
            memcpy((char *)recs + i * m->rec_size + rel->rec_off, &l, sizeof l);
        }
    }
    free(lists);
    free(caps);
    return rc;
}

int q_load_includes(query *q, const prisma_model_desc *m, void *recs, size_t n, const void *include,
                         result_arena *a)
{
    if (!include || n == 0)
        return PRISMA_OK;
    for (unsigned i = 0; i < m->n_relations; i++) {
        const prisma_relation_desc *rel = &m->relations[i];
        bool want;
        memcpy(&want, (const char *)include + rel->include_off, sizeof want);
        if (want && load_relation(q, m, rel, recs, n, a) != PRISMA_OK)
            return PRISMA_ERROR;
    }
    return PRISMA_OK;
}

/* Reads at most one row into a new single-record result. */
int q_fetch_one(query *q, const prisma_model_desc *m, prisma_rows *rows, void **out)
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
    bool ok = q_decode_row(q, m, rows, 0, rec, a);
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
        if (!q_list_push(a, list, &cap, m->rec_size, &slot) || !q_decode_row(q, m, rows, 0, slot, a)) {
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
