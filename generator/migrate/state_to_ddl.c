/* The psl_ddl a db_state means (plan.h): a database as the target of a
 * plan (drift, migrate diff --to-url), without going through a Prisma
 * schema. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan.h"

static size_t col_pos(const db_table *h, const char *name)
{
    for (size_t i = 0; i < h->cols.len; i++)
        if (strcmp(((const db_col *)h->cols.items[i])->name, name) == 0)
            return i;
    return (size_t)-1;
}

static const char *copy(psl_arena *a, psl_sql *b)
{
    const char *s = b->failed || !b->data ? "" : psl_arena_strdup(a, psl_sql_text(b));
    psl_sql_clear(b);
    return s;
}

int psl_ddl_from_dbstate(const migrate_dialect *D, const db_state *st, const char *default_schema, bool multi_schema,
                         psl_ddl **out)
{
    *out = NULL;
    psl_ddl *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    psl_arena_init(&d->arena);
    psl_arena *a = &d->arena;
    d->provider = D->provider;
    d->dialect = D;
    d->multi_schema = multi_schema;
    psl_sql b = { 0 };
    const char *dflt_ns = (D->caps & MIG_CAP_SCHEMAS) ? (default_schema ? default_schema : "public") : NULL;
#define OWN_SCHEMA(s) (multi_schema || !plan_same((s), dflt_ns) ? (s) : NULL)

    if (multi_schema) {
        d->schemas = psl_arena_alloc(a, (st->schemas.len + 1) * sizeof *d->schemas);
        for (size_t i = 0; i < st->schemas.len; i++)
            d->schemas[d->n_schemas++] = st->schemas.items[i];
    }
    d->extensions = psl_arena_alloc(a, (st->extensions.len + 1) * sizeof *d->extensions);
    d->enums = psl_arena_alloc(a, (st->enums.len + 1) * sizeof *d->enums);
    for (size_t i = 0; i < st->enums.len; i++) {
        const db_enum *x = st->enums.items[i];
        psl_ddl_enum *e = &d->enums[d->n_enums++];
        psl_enum *src = psl_arena_alloc(a, sizeof *src);
        src->name = src->db_name = x->name;
        src->schema_name = x->schema;
        e->name = x->name;
        e->schema = OWN_SCHEMA(x->schema);
        e->src = src;
        e->values = psl_arena_alloc(a, (x->values.len + 1) * sizeof *e->values);
        for (size_t k = 0; k < x->values.len; k++)
            e->values[e->n_values++] = x->values.items[k];
    }
    d->tables = psl_arena_alloc(a, (st->tables.len + 1) * sizeof *d->tables);
    size_t n_fks = 0;
    for (size_t ti = 0; ti < st->tables.len; ti++)
        n_fks += ((const db_table *)st->tables.items[ti])->fks.len;
    d->fks = psl_arena_alloc(a, (n_fks + 1) * sizeof *d->fks);
    for (size_t ti = 0; ti < st->tables.len; ti++) {
        const db_table *h = st->tables.items[ti];
        psl_ddl_table *t = &d->tables[d->n_tables++];
        t->name = h->name;
        t->schema = OWN_SCHEMA(h->schema);
        t->cols = psl_arena_alloc(a, (h->cols.len + 1) * sizeof *t->cols);
        for (size_t c = 0; c < h->cols.len; c++) {
            const db_col *hc = h->cols.items[c];
            psl_ddl_column *w = &t->cols[t->n_cols++];
            w->name = hc->name;
            w->not_null = hc->not_null;
            w->is_list = hc->is_list;
            if (hc->enum_name) {
                for (size_t k = 0; k < d->n_enums; k++)
                    if (strcmp(d->enums[k].name, hc->enum_name) == 0 &&
                        plan_same(d->enums[k].src->schema_name, hc->enum_schema))
                        w->enum_type = d->enums[k].src;
                psl_sql_qualified(&b, multi_schema ? hc->enum_schema : NULL, hc->enum_name);
                if (hc->is_list)
                    psl_sql_puts(&b, "[]");
            } else {
                D->ddl_type(hc, &b);
            }
            w->type = w->base_type = copy(a, &b);
            w->default_sql = hc->dflt;
            if (D->autoincrement_clause && hc->identity)
                w->autoincrement = true; /* MySQL: an AUTO_INCREMENT column */
            if (D->is_sequence_column && D->is_sequence_column(hc) && !hc->identity) {
                /* a SERIAL: the sequence is the column's type, not a default */
                w->autoincrement = true;
                w->default_sql = NULL;
                psl_sql_puts(&b, strcasecmp(w->base_type, "BIGINT") == 0     ? "BIGSERIAL"
                                 : strcasecmp(w->base_type, "SMALLINT") == 0 ? "SMALLSERIAL"
                                                                             : "SERIAL");
                w->type = copy(a, &b);
            }
        }
        if (h->pk_cols.len) {
            t->pk_name = h->pk_name ? h->pk_name : psl_arena_printf(a, "%s_pkey", h->name);
            t->pk_cols = psl_arena_alloc(a, (h->pk_cols.len + 1) * sizeof *t->pk_cols);
            for (size_t k = 0; k < h->pk_cols.len; k++)
                t->pk_cols[t->n_pk++] = col_pos(h, h->pk_cols.items[k]);
            if ((D->caps & MIG_CAP_INLINE_PK) && t->n_pk == 1) {
                psl_ddl_column *w = &t->cols[t->pk_cols[0]];
                w->primary_key_inline = true;
                w->autoincrement = strcasecmp(w->base_type, "INTEGER") == 0;
            }
        }
        t->indexes = psl_arena_alloc(a, (h->indexes.len + 1) * sizeof *t->indexes);
        for (size_t k = 0; k < h->indexes.len; k++) {
            const db_index *x = h->indexes.items[k];
            if (x->special)
                continue; /* on an expression: not expressible */
            psl_ddl_index *ix = &t->indexes[t->n_indexes++];
            ix->name = x->name;
            ix->unique = x->unique;
            ix->n_cols = x->n;
            ix->fulltext = x->fulltext;
            ix->lengths = x->lengths;
            ix->cols = psl_arena_alloc(a, (x->n + 1) * sizeof *ix->cols);
            ix->sort = psl_arena_alloc(a, (x->n + 1) * sizeof *ix->sort);
            ix->ops = psl_arena_alloc(a, (x->n + 1) * sizeof *ix->ops);
            for (size_t q = 0; q < x->n; q++) {
                ix->cols[q] = col_pos(h, x->cols[q]);
                ix->sort[q] = x->desc[q] ? "DESC" : NULL;
                ix->ops[q] = x->ops_default[q] ? NULL : x->ops[q];
            }
            if (x->method && strcasecmp(x->method, "btree") != 0) {
                psl_sql_puts(&b, x->method);
                for (char *p = b.data; p && *p; p++)
                    *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
                ix->using = copy(a, &b);
            }
            ix->where = x->predicate;
        }
    }
    /* Foreign keys, once every table has its position. */
    for (size_t ti = 0; ti < st->tables.len; ti++) {
        const db_table *h = st->tables.items[ti];
        for (size_t k = 0; k < h->fks.len; k++) {
            const db_fk *f = h->fks.items[k];
            size_t ri = (size_t)-1;
            for (size_t r = 0; r < st->tables.len && ri == (size_t)-1; r++) {
                const db_table *rt = st->tables.items[r];
                if (strcmp(rt->name, f->ref_table) == 0 && (!f->ref_schema || plan_same(rt->schema, f->ref_schema)))
                    ri = r;
            }
            if (ri == (size_t)-1)
                continue; /* to a table outside the managed schemas */
            const db_table *rt = st->tables.items[ri];
            psl_ddl_fk *w = &d->fks[d->n_fks++];
            w->name = f->name;
            w->table = ti;
            w->ref_table = ri;
            w->n_cols = f->n;
            w->cols = psl_arena_alloc(a, (f->n + 1) * sizeof *w->cols);
            w->ref_cols = psl_arena_alloc(a, (f->n + 1) * sizeof *w->ref_cols);
            for (size_t q = 0; q < f->n; q++) {
                w->cols[q] = col_pos(h, f->cols[q]);
                /* SQLite leaves the referenced column out when it is the key */
                w->ref_cols[q] = f->ref_cols[q] && *f->ref_cols[q] ? col_pos(rt, f->ref_cols[q])
                                 : q < rt->pk_cols.len                ? col_pos(rt, rt->pk_cols.items[q])
                                                                      : 0;
            }
            w->on_delete = f->on_delete;
            w->on_update = f->on_update;
        }
    }
#undef OWN_SCHEMA
    bool failed = b.failed;
    psl_sql_free(&b);
    if (failed) {
        psl_ddl_free(d);
        return -1;
    }
    *out = d;
    return 0;
}
