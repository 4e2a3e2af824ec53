/* The db_state a psl_ddl means (plan.h): the "from" side of a plan between
 * two schemas (migrate diff --from-schema, --from-empty), without a
 * database. Each column is what the dialect's describe would read once the
 * table is created (state_column). */
#include <string.h>

#include "plan.h"

static const char **names_of(psl_arena *a, const psl_ddl_table *t, const size_t *cols, size_t n)
{
    const char **out = psl_arena_alloc(a, (n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = t->cols[cols[i]].name;
    return out;
}

int dbstate_from_ddl(const psl_ddl *d, const char *default_schema, psl_arena *a, db_state *out)
{
    const migrate_dialect *D = d->dialect;
    bool ns = D->caps & MIG_CAP_SCHEMAS;
    const char *dflt_ns = ns ? (default_schema ? default_schema : "public") : NULL;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < d->n_schemas; i++)
        psl_vec_push_const(a, &out->schemas, d->schemas[i]);
    if (ns && !d->n_schemas)
        psl_vec_push_const(a, &out->schemas, dflt_ns);
    for (size_t i = 0; i < d->n_extensions; i++)
        psl_vec_push_const(a, &out->extensions, d->extensions[i].name);
    for (size_t i = 0; i < d->n_enums; i++) {
        const psl_ddl_enum *e = &d->enums[i];
        db_enum *x = psl_arena_alloc(a, sizeof *x);
        x->schema = ns ? (e->schema ? e->schema : dflt_ns) : NULL;
        x->name = e->name;
        for (size_t k = 0; k < e->n_values; k++)
            psl_vec_push_const(a, &x->values, e->values[k]);
        psl_vec_push(a, &out->enums, x);
    }
    for (size_t ti = 0; ti < d->n_tables; ti++) {
        const psl_ddl_table *t = &d->tables[ti];
        db_table *h = dbstate_new_table(a, ns ? (t->schema ? t->schema : dflt_ns) : NULL, t->name);
        for (size_t c = 0; c < t->n_cols; c++) {
            db_col *col = psl_arena_alloc(a, sizeof *col);
            D->state_column(d, t, &t->cols[c], col, a);
            if (col->enum_name) {
                const char *es = NULL;
                for (size_t k = 0; k < d->n_enums; k++)
                    if (d->enums[k].src == t->cols[c].enum_type)
                        es = d->enums[k].schema;
                col->enum_schema = ns ? (es ? es : dflt_ns) : NULL;
            }
            psl_vec_push(a, &h->cols, col);
        }
        if (t->n_pk) {
            h->pk_name = t->pk_name;
            for (size_t k = 0; k < t->n_pk; k++)
                psl_vec_push_const(a, &h->pk_cols, t->cols[t->pk_cols[k]].name);
        }
        for (size_t k = 0; k < t->n_indexes; k++) {
            const psl_ddl_index *w = &t->indexes[k];
            db_index *x = psl_arena_alloc(a, sizeof *x);
            x->name = w->name;
            x->unique = w->unique;
            x->method = (D->caps & MIG_CAP_INDEX_OPTIONS) ? (w->using ? w->using : "btree") : NULL;
            x->predicate = w->where;
            x->fulltext = w->fulltext;
            x->lengths = w->lengths;
            x->n = w->n_cols;
            x->cols = names_of(a, t, w->cols, w->n_cols);
            x->ops = psl_arena_alloc(a, (w->n_cols + 1) * sizeof *x->ops);
            x->desc = psl_arena_alloc(a, (w->n_cols + 1) * sizeof *x->desc);
            x->ops_default = psl_arena_alloc(a, (w->n_cols + 1) * sizeof *x->ops_default);
            for (size_t q = 0; q < w->n_cols; q++) {
                x->ops[q] = w->ops[q];
                x->ops_default[q] = !w->ops[q];
                x->desc[q] = w->sort[q] && strcmp(w->sort[q], "DESC") == 0;
            }
            psl_vec_push(a, &h->indexes, x);
        }
        for (size_t k = 0; k < d->n_fks; k++) {
            const psl_ddl_fk *w = &d->fks[k];
            if (w->table != ti)
                continue;
            const psl_ddl_table *r = &d->tables[w->ref_table];
            db_fk *f = psl_arena_alloc(a, sizeof *f);
            f->name = w->name;
            f->ref_schema = ns ? (r->schema ? r->schema : dflt_ns) : NULL;
            f->ref_table = r->name;
            f->on_delete = w->on_delete;
            f->on_update = w->on_update;
            f->n = w->n_cols;
            f->cols = names_of(a, t, w->cols, w->n_cols);
            f->ref_cols = names_of(a, r, w->ref_cols, w->n_cols);
            psl_vec_push(a, &h->fks, f);
        }
        psl_vec_push(a, &out->tables, h);
    }
    return 0;
}
