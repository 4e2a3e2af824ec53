/* Planning db push: for each table, enum and namespace of the schema,
 * what the database lacks or holds differently, as statements in Prisma's
 * step order; changes that would lose data become blockers. What differs
 * per database comes from the dialect (P->D): its capabilities, its DDL and
 * its table redefinition. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

void plan_note(pusher *P, psl_vec *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *s = psl_arena_alloc(P->a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    psl_vec_push(P->a, v, s);
}

/* Moves the scratch statement into `v`. */
void plan_emit(pusher *P, psl_vec *v)
{
    if (!P->sql.failed)
        psl_vec_push_const(P->a, v, psl_arena_strdup(P->a, psl_sql_text(&P->sql)));
    psl_sql_clear(&P->sql);
}

bool plan_same(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Without namespaces (SQLite) the database's tables have none. */
const char *plan_schema_of(const pusher *P, const char *s)
{
    return P->D->caps & MIG_CAP_SCHEMAS ? (s ? s : P->c->schema) : NULL;
}

static db_table *find_table(pusher *P, const psl_ddl_table *t)
{
    const char *schema = plan_schema_of(P, t->schema);
    for (size_t i = 0; i < P->have->tables.len; i++) {
        db_table *h = P->have->tables.items[i];
        if (plan_same(h->schema, schema) && strcmp(h->name, t->name) == 0)
            return h;
    }
    return NULL;
}

db_col *plan_find_col(db_table *h, const char *name)
{
    for (size_t i = 0; i < h->cols.len; i++) {
        db_col *c = h->cols.items[i];
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

/* "T" or "schema"."T", for statements on a database table. */
static void put_have_table(pusher *P, const db_table *h)
{
    psl_sql_qualified(&P->sql, h->schema, h->name);
}

static void plan_new_table(pusher *P, size_t ti)
{
    const psl_ddl *d = P->want;
    const psl_ddl_table *t = &d->tables[ti];
    psl_ddl_create_table(d, t, &P->sql);
    plan_emit(P, &P->p->ph[PH_CREATE_TABLE]);
    plan_note(P, &P->p->changes, "+ table `%s`", t->name);
    P->p->n[N_TABLES]++;
    for (size_t k = 0; k < t->n_indexes; k++) {
        psl_ddl_create_index(d, t, &t->indexes[k], &P->sql);
        plan_emit(P, &P->p->ph[PH_CREATE_INDEX]);
        plan_note(P, &P->p->changes, "+ %sindex `%s` on `%s`", t->indexes[k].unique ? "unique " : "", t->indexes[k].name,
                  t->name);
        P->p->n[N_INDEXES]++;
    }
    if (P->D->caps & MIG_CAP_INLINE_FKS) /* its foreign keys are in CREATE TABLE */
        for (size_t k = 0; k < d->n_fks; k++)
            if (d->fks[k].table == ti) {
                plan_note(P, &P->p->changes, "+ foreign key `%s` on `%s`", d->fks[k].name, t->name);
                P->p->n[N_FKS]++;
            }
}

static void plan_add_fk(pusher *P, const psl_ddl_fk *fk)
{
    psl_ddl_add_foreign_key(P->want, fk, &P->sql);
    plan_emit(P, &P->p->ph[PH_ADD_FK]);
    plan_note(P, &P->p->changes, "+ foreign key `%s` on `%s`", fk->name, P->want->tables[fk->table].name);
    P->p->n[N_FKS]++;
}

static void drop_index(pusher *P, const db_table *h, const db_index *x, psl_vec *out)
{
    P->D->drop_index(&P->sql, h, x);
    plan_emit(P, out);
    plan_note(P, &P->p->changes, "- index `%s` on `%s`", x->name, h->name);
    P->p->n[N_DROPPED]++;
}

/* Plans the changes to a table that exists. */
static void plan_existing_table(pusher *P, size_t ti, db_table *h)
{
    const psl_ddl *d = P->want;
    const psl_ddl_table *t = &d->tables[ti];
    plan *p = P->p;
    /* Without ALTER in place (SQLite) a change that needs one recreates the table. */
    bool no_alter = !(P->D->caps & MIG_CAP_ALTER_IN_PLACE), redefine = false;
    /* Incremental statements; dropped when the table is recreated instead. */
    psl_vec alter = { 0 }, drop_ix = { 0 }, create_ix = { 0 }, drop_fk = { 0 }, add_fk = { 0 };
    h->matched = true;

    for (size_t i = 0; i < t->n_cols; i++) {
        const psl_ddl_column *w = &t->cols[i];
        db_col *hc = plan_find_col(h, w->name);
        if (!hc) {
            bool needs_value = w->not_null && !w->default_sql && !w->autoincrement;
            if (needs_value && diff_table_rows(P, h) != 0)
                plan_note(P, &p->blockers,
                          "Added the required column `%s` to the `%s` table without a default value. There are %lld "
                          "rows in this table, it is not possible to execute this step.",
                          w->name, t->name, diff_table_rows(P, h));
            if (!P->D->can_add_column(w))
                redefine = true;
            psl_ddl_add_column(d, t, w, &P->sql);
            plan_emit(P, &alter);
            plan_note(P, &p->changes, "+ column `%s`.`%s`", t->name, w->name);
            p->n[N_COLUMNS]++;
            continue;
        }
        hc->matched = true;
        if (!P->D->type_matches(P, w, hc)) {
            plan_note(P, &p->blockers,
                      "The column `%s` on the `%s` table would change type from `%s` to `%s`%s.", w->name, t->name,
                      hc->enum_name ? hc->enum_name : hc->type, w->type,
                      diff_table_rows(P, h) > 0 ? ": its values would have to be cast or dropped" : "");
            continue;
        }
        if (w->not_null && !hc->not_null) {
            long long nulls = diff_null_count(P, h, w->name, true);
            if (nulls != 0 && !(no_alter && w->default_sql)) {
                plan_note(P, &p->blockers, "Made the column `%s` on table `%s` required, but there are %lld existing NULL values.",
                          w->name, t->name, nulls);
            } else if (no_alter) {
                redefine = true;
            } else {
                psl_sql_puts(&P->sql, "ALTER TABLE ");
                put_have_table(P, h);
                psl_sql_puts(&P->sql, " ALTER COLUMN ");
                psl_sql_ident(&P->sql, w->name);
                psl_sql_puts(&P->sql, " SET NOT NULL");
                plan_emit(P, &alter);
            }
            plan_note(P, &p->changes, "~ column `%s`.`%s` made required", t->name, w->name);
            p->n[N_CHANGED]++;
        } else if (!w->not_null && hc->not_null && !w->is_list) {
            if (no_alter) {
                redefine = true;
            } else {
                psl_sql_puts(&P->sql, "ALTER TABLE ");
                put_have_table(P, h);
                psl_sql_puts(&P->sql, " ALTER COLUMN ");
                psl_sql_ident(&P->sql, w->name);
                psl_sql_puts(&P->sql, " DROP NOT NULL");
                plan_emit(P, &alter);
            }
            plan_note(P, &p->changes, "~ column `%s`.`%s` made optional", t->name, w->name);
            p->n[N_CHANGED]++;
        }
        if (w->autoincrement && P->D->is_sequence_column) {
            if (!P->D->is_sequence_column(hc))
                plan_note(P, &p->blockers,
                          "The column `%s` on the `%s` table would become autoincrementing (SERIAL), which prismac cannot "
                          "do in place.",
                          w->name, t->name);
            continue;
        }
        if (!diff_default_matches(P, w, hc)) {
            if (no_alter) {
                redefine = true;
            } else {
                psl_sql_puts(&P->sql, "ALTER TABLE ");
                put_have_table(P, h);
                psl_sql_puts(&P->sql, " ALTER COLUMN ");
                psl_sql_ident(&P->sql, w->name);
                if (w->default_sql)
                    psl_sql_printf(&P->sql, " SET DEFAULT %s", w->default_sql);
                else
                    psl_sql_puts(&P->sql, " DROP DEFAULT");
                plan_emit(P, &alter);
            }
            plan_note(P, &p->changes, "~ column `%s`.`%s`: default %s", t->name, w->name,
                      w->default_sql ? w->default_sql : "dropped");
            p->n[N_CHANGED]++;
        }
    }
    for (size_t i = 0; i < h->cols.len; i++) {
        const db_col *hc = h->cols.items[i];
        if (hc->matched)
            continue;
        long long values = diff_null_count(P, h, hc->name, false);
        if (values > 0)
            plan_note(P, &p->blockers,
                      "You are about to drop the column `%s` on the `%s` table, which still contains %lld non-null values.",
                      hc->name, h->name, values);
        else
            plan_note(P, &p->blockers, "You are about to drop the column `%s` on the `%s` table.", hc->name, h->name);
    }

    /* The primary key: same columns, else refused; a new name is a rename. */
    bool pk_same = h->pk_cols.len == t->n_pk;
    for (size_t i = 0; pk_same && i < t->n_pk; i++)
        pk_same = strcmp(h->pk_cols.items[i], t->cols[t->pk_cols[i]].name) == 0;
    if (!pk_same) {
        plan_note(P, &p->blockers, "The primary key of the `%s` table would change; prismac cannot change it in place.",
                  t->name);
    } else if (!no_alter && t->n_pk && h->pk_name && strcmp(h->pk_name, t->pk_name) != 0) {
        psl_sql_puts(&P->sql, "ALTER TABLE ");
        put_have_table(P, h);
        psl_sql_puts(&P->sql, " RENAME CONSTRAINT ");
        psl_sql_ident(&P->sql, h->pk_name);
        psl_sql_puts(&P->sql, " TO ");
        psl_sql_ident(&P->sql, t->pk_name);
        plan_emit(P, &alter);
        plan_note(P, &p->changes, "~ primary key of `%s` renamed to `%s`", t->name, t->pk_name);
        p->n[N_CHANGED]++;
    }

    /* Indexes, by name. */
    for (size_t k = 0; k < t->n_indexes; k++) {
        const psl_ddl_index *w = &t->indexes[k];
        db_index *hx = NULL;
        for (size_t i = 0; i < h->indexes.len && !hx; i++) {
            db_index *x = h->indexes.items[i];
            if (strcmp(x->name, w->name) == 0)
                hx = x;
        }
        if (hx) {
            hx->matched = true;
            if (diff_index_matches(t, w, hx))
                continue;
            if (no_alter && hx->constraint)
                redefine = true; /* a UNIQUE clause of the table: only a new table drops it */
            else
                drop_index(P, h, hx, &drop_ix);
        }
        if (w->unique && diff_table_rows(P, h) > 0)
            plan_note(P, &p->warnings,
                      "A unique constraint covering the columns of `%s` on the table `%s` will be added. If there are "
                      "existing duplicate values, this will fail.",
                      w->name, t->name);
        psl_ddl_create_index(d, t, w, &P->sql);
        plan_emit(P, &create_ix);
        plan_note(P, &p->changes, "+ %sindex `%s` on `%s`", w->unique ? "unique " : "", w->name, t->name);
        p->n[N_INDEXES]++;
    }
    for (size_t i = 0; i < h->indexes.len; i++) {
        db_index *x = h->indexes.items[i];
        if (x->matched)
            continue;
        if (no_alter && x->constraint)
            redefine = true; /* an inline UNIQUE: only a new table drops it */
        else
            drop_index(P, h, x, &drop_ix);
    }

    /* Foreign keys: by name where they alter in place; else by what they are
     * (SQLite's have no usable names). */
    for (size_t k = 0; k < d->n_fks; k++) {
        const psl_ddl_fk *w = &d->fks[k];
        if (w->table != ti)
            continue;
        db_fk *hf = NULL;
        for (size_t i = 0; i < h->fks.len && !hf; i++) {
            db_fk *f = h->fks.items[i];
            if (f->matched)
                continue;
            if (no_alter ? diff_fk_matches(P, w, f) : strcmp(f->name, w->name) == 0)
                hf = f;
        }
        if (hf && (no_alter || diff_fk_matches(P, w, hf))) {
            hf->matched = true;
            continue;
        }
        if (no_alter) {
            redefine = true;
            plan_note(P, &p->changes, "+ foreign key `%s` on `%s`", w->name, t->name);
            p->n[N_FKS]++;
            continue;
        }
        if (hf) {
            hf->matched = true;
            psl_sql_puts(&P->sql, "ALTER TABLE ");
            put_have_table(P, h);
            psl_sql_puts(&P->sql, " DROP CONSTRAINT ");
            psl_sql_ident(&P->sql, hf->name);
            plan_emit(P, &drop_fk);
            p->n[N_DROPPED]++;
        }
        psl_ddl_add_foreign_key(d, w, &P->sql);
        plan_emit(P, &add_fk);
        plan_note(P, &p->changes, "+ foreign key `%s` on `%s`", w->name, t->name);
        p->n[N_FKS]++;
    }
    for (size_t i = 0; i < h->fks.len; i++) {
        db_fk *f = h->fks.items[i];
        if (f->matched)
            continue;
        if (no_alter) {
            redefine = true;
        } else {
            psl_sql_puts(&P->sql, "ALTER TABLE ");
            put_have_table(P, h);
            psl_sql_puts(&P->sql, " DROP CONSTRAINT ");
            psl_sql_ident(&P->sql, f->name);
            plan_emit(P, &drop_fk);
        }
        plan_note(P, &p->changes, "- foreign key `%s` on `%s`", f->name ? f->name : "(unnamed)", h->name);
        p->n[N_DROPPED]++;
    }

    if (redefine) {
        P->D->redefine(P, ti, h);
        return;
    }
    psl_vec *dst[5] = { &p->ph[PH_ALTER], &p->ph[PH_DROP_INDEX], &p->ph[PH_CREATE_INDEX], &p->ph[PH_DROP_FK],
                        &p->ph[PH_ADD_FK] };
    psl_vec *src[5] = { &alter, &drop_ix, &create_ix, &drop_fk, &add_fk };
    for (int v = 0; v < 5; v++)
        for (size_t i = 0; i < src[v]->len; i++)
            psl_vec_push(P->a, dst[v], src[v]->items[i]);
}

static void plan_enums(pusher *P)
{
    const psl_ddl *d = P->want;
    plan *p = P->p;
    for (size_t i = 0; i < d->n_enums; i++) {
        const psl_ddl_enum *e = &d->enums[i];
        const char *schema = plan_schema_of(P, e->schema);
        db_enum *he = NULL;
        for (size_t k = 0; k < P->have->enums.len && !he; k++) {
            db_enum *x = P->have->enums.items[k];
            if (strcmp(x->name, e->name) == 0 && plan_same(x->schema, schema))
                he = x;
        }
        if (!he) {
            psl_ddl_create_enum(d, e, &P->sql);
            plan_emit(P, &p->ph[PH_ENUM]);
            plan_note(P, &p->changes, "+ enum `%s`", e->name);
            p->n[N_ENUMS]++;
            continue;
        }
        he->matched = true;
        for (size_t v = 0; v < e->n_values; v++) {
            bool found = false;
            for (size_t k = 0; k < he->values.len && !found; k++)
                found = strcmp(he->values.items[k], e->values[v]) == 0;
            if (found)
                continue;
            psl_sql_puts(&P->sql, "ALTER TYPE ");
            psl_sql_qualified(&P->sql, e->schema, e->name);
            psl_sql_puts(&P->sql, " ADD VALUE ");
            psl_sql_string(&P->sql, e->values[v], strlen(e->values[v]));
            plan_emit(P, &p->pre);
            plan_note(P, &p->changes, "+ enum value `%s`.`%s`", e->name, e->values[v]);
            p->n[N_VALUES]++;
        }
        for (size_t k = 0; k < he->values.len; k++) {
            bool found = false;
            for (size_t v = 0; v < e->n_values && !found; v++)
                found = strcmp(he->values.items[k], e->values[v]) == 0;
            if (!found)
                plan_note(P, &p->blockers,
                          "The value `%s` of the enum `%s` would be removed. If it is still used in the database, this "
                          "will fail.",
                          (const char *)he->values.items[k], e->name);
        }
    }
    /* Enums the schema no longer has: nothing of ours uses them any more
     * (a column that did is a type change, refused above). */
    for (size_t k = 0; k < P->have->enums.len; k++) {
        db_enum *x = P->have->enums.items[k];
        if (x->matched)
            continue;
        psl_sql_puts(&P->sql, "DROP TYPE ");
        psl_sql_qualified(&P->sql, x->schema, x->name);
        plan_emit(P, &p->ph[PH_DROP_ENUM]);
        plan_note(P, &p->changes, "- enum `%s`", x->name);
        p->n[N_DROPPED]++;
    }
}

static bool has_schema(const db_state *st, const char *name)
{
    for (size_t i = 0; i < st->schemas.len; i++)
        if (strcmp(st->schemas.items[i], name) == 0)
            return true;
    return false;
}

/* --force-reset: drop every table, view and enum db push can see, then plan
 * as for an empty database. */
static void plan_reset(pusher *P)
{
    db_state *st = P->have;
    P->D->reset(P, st, &P->p->ph[PH_RESET]);
    memset(&st->tables, 0, sizeof st->tables);
    memset(&st->enums, 0, sizeof st->enums);
    memset(&st->views, 0, sizeof st->views);
}

void plan_push(pusher *P, bool reset)
{
    const psl_ddl *d = P->want;
    plan *p = P->p;
    if (reset)
        plan_reset(P);
    if (P->D->caps & MIG_CAP_SCHEMAS) {
        if (!d->n_schemas && !has_schema(P->have, P->c->schema)) {
            psl_sql_puts(&P->sql, "CREATE SCHEMA IF NOT EXISTS ");
            psl_sql_ident(&P->sql, P->c->schema);
            plan_emit(P, &p->ph[PH_SCHEMA]);
            plan_note(P, &p->changes, "+ schema `%s`", P->c->schema);
            p->n[N_SCHEMAS]++;
        }
        for (size_t i = 0; i < d->n_schemas; i++) {
            if (has_schema(P->have, d->schemas[i]))
                continue;
            psl_ddl_create_schema(d, d->schemas[i], &P->sql);
            plan_emit(P, &p->ph[PH_SCHEMA]);
            plan_note(P, &p->changes, "+ schema `%s`", d->schemas[i]);
            p->n[N_SCHEMAS]++;
        }
    }
    /* Extensions (postgresqlExtensions): created when missing, never dropped
     * (other programs may use them); before the enums and tables that use
     * their types. */
    for (size_t i = 0; i < d->n_extensions; i++) {
        bool have = false;
        for (size_t k = 0; k < P->have->extensions.len && !have; k++)
            have = strcmp(P->have->extensions.items[k], d->extensions[i].name) == 0;
        if (have)
            continue;
        psl_ddl_create_extension(d, &d->extensions[i], &P->sql);
        plan_emit(P, &p->ph[PH_SCHEMA]);
        plan_note(P, &p->changes, "+ extension `%s`", d->extensions[i].name);
        p->n[N_EXTENSIONS]++;
    }
    plan_enums(P);
    bool *is_new = psl_arena_alloc(P->a, (d->n_tables + 1) * sizeof *is_new);
    for (size_t i = 0; i < d->n_tables; i++) {
        db_table *h = find_table(P, &d->tables[i]);
        is_new[i] = !h;
        if (h)
            plan_existing_table(P, i, h);
        else
            plan_new_table(P, i);
    }
    if (!(P->D->caps & MIG_CAP_INLINE_FKS)) /* else written in CREATE TABLE */
        for (size_t k = 0; k < d->n_fks; k++)
            if (is_new[d->fks[k].table])
                plan_add_fk(P, &d->fks[k]);
    for (size_t i = 0; i < P->have->tables.len; i++) {
        db_table *h = P->have->tables.items[i];
        if (h->matched)
            continue;
        long long rows = diff_table_rows(P, h);
        if (rows > 0)
            plan_note(P, &p->blockers, "You are about to drop the `%s` table, which is not empty (%lld rows).", h->name,
                      rows);
        else
            plan_note(P, &p->blockers, "You are about to drop the `%s` table (empty).", h->name);
    }
}

size_t plan_statements(const plan *p)
{
    size_t n = p->pre.len;
    for (int i = 0; i < PH_COUNT; i++)
        n += p->ph[i].len;
    return n;
}
