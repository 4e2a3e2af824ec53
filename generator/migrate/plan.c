/* Planning a schema change (plan.h): for each table, enum and namespace of
 * the target, what the current state lacks or holds differently, as steps in
 * Prisma's order, with Prisma's destructive-change diagnostics. What differs
 * per database comes from the dialect (P->D): its capabilities, its DDL, its
 * casts and its table redefinition. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

void plan_note(pusher *P, psl_vec *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    psl_vec_push(P->a, v, psl_arena_vprintf(P->a, fmt, ap));
    va_end(ap);
    /* Diagnostics are listed in the order of their steps, as Prisma lists them. */
    if (v == &P->p->warnings)
        psl_vec_push(P->a, &P->p->warning_kinds, (void *)(uintptr_t)P->diag_kind);
    else if (v == &P->p->unexecutable)
        psl_vec_push(P->a, &P->p->unexecutable_kinds, (void *)(uintptr_t)P->diag_kind);
}

/* Orders v by its kinds (stable). */
static void sort_diagnostics(psl_vec *v, psl_vec *kinds)
{
    for (size_t i = 1; i < v->len && i < kinds->len; i++)
        for (size_t j = i; j > 0 && (uintptr_t)kinds->items[j - 1] > (uintptr_t)kinds->items[j]; j--) {
            void *t = v->items[j];
            v->items[j] = v->items[j - 1];
            v->items[j - 1] = t;
            t = kinds->items[j];
            kinds->items[j] = kinds->items[j - 1];
            kinds->items[j - 1] = t;
        }
}

plan_step *plan_step_new(pusher *P, plan_step_kind kind, plan_section section, const char *object)
{
    plan_step *s = psl_arena_alloc(P->a, sizeof *s);
    s->kind = kind;
    s->section = section;
    s->object = object;
    s->seq = P->p->steps.len;
    psl_vec_push(P->a, &P->p->steps, s);
    return s;
}

void plan_emit(pusher *P, plan_step *s)
{
    if (!P->sql.failed)
        psl_vec_push_const(P->a, &s->sql, psl_arena_strdup(P->a, psl_sql_text(&P->sql)));
    psl_sql_clear(&P->sql);
}

void plan_step_line(pusher *P, plan_step *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    psl_vec_push(P->a, &s->summary, psl_arena_vprintf(P->a, fmt, ap));
    va_end(ap);
}

bool plan_same(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Without namespaces (SQLite) the database's tables have none. */
const char *plan_schema_of(const pusher *P, const char *s)
{
    return P->D->caps & MIG_CAP_SCHEMAS ? (s ? s : P->default_schema) : NULL;
}

/* Names are qualified only with several namespaces, as Prisma writes them;
 * a single one is the connection's search_path. */
const char *plan_write_schema(const pusher *P, const char *schema)
{
    return P->qualify ? schema : NULL;
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

void plan_put_table(pusher *P, psl_sql *o, const db_table *h)
{
    psl_sql_qualified(o, plan_write_schema(P, h->schema), h->name);
}

/* The column list of an index or key: `[a,b]` as Prisma's warnings write it. */
static const char *index_columns(pusher *P, const psl_ddl_table *t, const size_t *cols, size_t n, const char *sep)
{
    psl_sql b = { 0 };
    psl_sql_puts(&b, "");
    for (size_t i = 0; i < n; i++)
        psl_sql_printf(&b, "%s%s", i ? sep : "", t->cols[cols[i]].name);
    const char *s = b.failed ? "" : psl_arena_strdup(P->a, psl_sql_text(&b));
    psl_sql_free(&b);
    return s;
}

static const char *have_columns(pusher *P, const char *const *cols, size_t n)
{
    psl_sql b = { 0 };
    psl_sql_puts(&b, "");
    for (size_t i = 0; i < n; i++)
        psl_sql_printf(&b, "%s%s", i ? ", " : "", cols[i] ? cols[i] : "?");
    const char *s = b.failed ? "" : psl_arena_strdup(P->a, psl_sql_text(&b));
    psl_sql_free(&b);
    return s;
}

static const char *display_type(pusher *P, const char *db_type)
{
    psl_sql b = { 0 };
    P->D->display_type(db_type, &b);
    const char *s = b.failed || !b.data ? db_type : psl_arena_strdup(P->a, psl_sql_text(&b));
    psl_sql_free(&b);
    return s;
}

/* ---- diagnostics, worded as Prisma's (sql_destructive_change_checker) ---- */

static void warn_column_drop(pusher *P, db_table *h, const char *col)
{
    long long rows = diff_table_rows(P, h), values = rows == 0 ? 0 : diff_null_count(P, h, col, false);
    if (rows == 0 || values == 0)
        return;
    if (values > 0)
        plan_note(P, &P->p->warnings,
                  "You are about to drop the column `%s` on the `%s` table, which still contains %lld non-null values.",
                  col, h->name, values);
    else
        plan_note(P, &P->p->warnings,
                  "You are about to drop the column `%s` on the `%s` table. All the data in the column will be lost.",
                  col, h->name);
}

static void warn_table_drop(pusher *P, db_table *h)
{
    long long rows = diff_table_rows(P, h);
    if (rows == 0)
        return;
    if (rows > 0)
        plan_note(P, &P->p->warnings, "You are about to drop the `%s` table, which is not empty (%lld rows).", h->name,
                  rows);
    else
        plan_note(P, &P->p->warnings,
                  "You are about to drop the `%s` table. If the table is not empty, all the data it contains will be "
                  "lost.",
                  h->name);
}

static void warn_cast(pusher *P, db_table *h, const db_col *hc, const psl_ddl_column *w, bool may_fail)
{
    long long rows = diff_table_rows(P, h), values = rows == 0 ? 0 : diff_null_count(P, h, hc->name, false);
    if (rows == 0 || values == 0)
        return;
    const char *from = display_type(P, hc->type), *to = display_type(P, w->base_type);
    if (may_fail) {
        if (values > 0)
            plan_note(P, &P->p->warnings,
                      "You are about to alter the column `%s` on the `%s` table, which contains %lld non-null values. "
                      "The data in that column will be cast from `%s` to `%s`. This cast may fail. Please make sure "
                      "the data in the column can be cast.",
                      hc->name, h->name, values, from, to);
        else
            plan_note(P, &P->p->warnings,
                      "You are about to alter the column `%s` on the `%s` table. The data in that column will be cast "
                      "from `%s` to `%s`. This cast may fail. Please make sure the data in the column can be cast.",
                      hc->name, h->name, from, to);
    } else if (values > 0) {
        plan_note(P, &P->p->warnings,
                  "You are about to alter the column `%s` on the `%s` table, which contains %lld non-null values. The "
                  "data in that column will be cast from `%s` to `%s`.",
                  hc->name, h->name, values, from, to);
    } else {
        plan_note(P, &P->p->warnings,
                  "You are about to alter the column `%s` on the `%s` table. The data in that column could be lost. "
                  "The data in that column will be cast from `%s` to `%s`.",
                  hc->name, h->name, from, to);
    }
}

static bool prisma_level_default(const psl_ddl_column *w)
{
    if (!w->field)
        return false;
    switch (w->field->def.kind) {
    case PSL_DEFAULT_UUID:
    case PSL_DEFAULT_CUID:
    case PSL_DEFAULT_NANOID:
    case PSL_DEFAULT_ULID:
        return true;
    default:
        return false;
    }
}

static void unexecutable_added_required(pusher *P, db_table *h, const psl_ddl_column *w)
{
    long long rows = diff_table_rows(P, h);
    if (rows == 0)
        return;
    char details[160];
    if (rows > 0)
        snprintf(details, sizeof details, "There are %lld rows in this table, it is not possible to execute this step.",
                 rows);
    else
        snprintf(details, sizeof details, "This is not possible if the table is not empty.");
    if (prisma_level_default(w))
        plan_note(P, &P->p->unexecutable,
                  "The required column `%s` was added to the `%s` table with a prisma-level default value. %s Please "
                  "add this column as optional, then populate it before making it required.",
                  w->name, h->name, details);
    else
        plan_note(P, &P->p->unexecutable, "Added the required column `%s` to the `%s` table without a default value. %s",
                  w->name, h->name, details);
}

static void unexecutable_made_required(pusher *P, db_table *h, const char *col)
{
    long long rows = diff_table_rows(P, h);
    if (rows == 0)
        return;
    long long nulls = rows > 0 ? diff_null_count(P, h, col, true) : -1;
    if (nulls == 0)
        return;
    if (nulls > 0)
        plan_note(P, &P->p->unexecutable,
                  "Made the column `%s` on table `%s` required, but there are %lld existing NULL values.", col, h->name,
                  nulls);
    else
        plan_note(P, &P->p->unexecutable,
                  "Made the column `%s` on table `%s` required. This step will fail if there are existing NULL values "
                  "in that column.",
                  col, h->name);
}

/* ---- tables ---- */

static void plan_new_table(pusher *P, size_t ti)
{
    const psl_ddl *d = P->want;
    const psl_ddl_table *t = &d->tables[ti];
    plan_step *s = plan_step_new(P, STEP_CREATE_TABLE, SEC_ADDED_TABLE, "");
    s->order = (long)ti;
    psl_ddl_create_table(d, t, &P->sql);
    plan_emit(P, s);
    plan_step_line(P, s, "  - %s", t->name);
    plan_note(P, &P->p->changes, "+ table `%s`", t->name);
    P->p->n[N_TABLES]++;
    for (size_t k = 0; k < t->n_indexes; k++) {
        if (P->D->caps & MIG_CAP_INLINE_INDEXES) { /* written in CREATE TABLE (MySQL) */
            plan_note(P, &P->p->changes, "+ %sindex `%s` on `%s`", t->indexes[k].unique ? "unique " : "",
                      t->indexes[k].name, t->name);
            P->p->n[N_INDEXES]++;
            continue;
        }
        plan_step *x = plan_step_new(P, STEP_CREATE_INDEX, SEC_CHANGED_TABLE, t->name);
        x->order = (long)ti; /* a new table's indexes come first (Prisma: (None, table) sorts first) */
        psl_ddl_create_index(d, t, &t->indexes[k], &P->sql);
        plan_emit(P, x);
        plan_step_line(P, x, "  [+] Added %sindex on columns (%s)", t->indexes[k].unique ? "unique " : "",
                       index_columns(P, t, t->indexes[k].cols, t->indexes[k].n_cols, ", "));
        plan_note(P, &P->p->changes, "+ %sindex `%s` on `%s`", t->indexes[k].unique ? "unique " : "",
                  t->indexes[k].name, t->name);
        P->p->n[N_INDEXES]++;
    }
    if (P->D->caps & MIG_CAP_INLINE_FKS) /* its foreign keys are in CREATE TABLE */
        for (size_t k = 0; k < d->n_fks; k++)
            if (d->fks[k].table == ti) {
                plan_note(P, &P->p->changes, "+ foreign key `%s` on `%s`", d->fks[k].name, t->name);
                P->p->n[N_FKS]++;
            }
}

static void plan_add_fk(pusher *P, size_t k)
{
    const psl_ddl_fk *fk = &P->want->fks[k];
    const psl_ddl_table *t = &P->want->tables[fk->table];
    plan_step *s = plan_step_new(P, STEP_ADD_FOREIGN_KEY, SEC_CHANGED_TABLE, t->name);
    s->order = (long)k;
    psl_ddl_add_foreign_key(P->want, fk, &P->sql);
    plan_emit(P, s);
    plan_step_line(P, s, "  [+] Added foreign key on columns (%s)", index_columns(P, t, fk->cols, fk->n_cols, ", "));
    plan_note(P, &P->p->changes, "+ foreign key `%s` on `%s`", fk->name, t->name);
    P->p->n[N_FKS]++;
}

static void drop_index(pusher *P, const db_table *h, const db_index *x)
{
    plan_step *s = plan_step_new(P, STEP_DROP_INDEX, SEC_CHANGED_TABLE, h->name);
    P->D->drop_index(&P->sql, h, x);
    if (!P->qualify && (P->D->caps & MIG_CAP_SCHEMAS)) {
        /* the dialect qualifies with h->schema: write it as Prisma does, unqualified */
        db_table bare = *h;
        bare.schema = NULL;
        psl_sql_clear(&P->sql);
        P->D->drop_index(&P->sql, &bare, x);
    }
    plan_emit(P, s);
    plan_step_line(P, s, "  [-] Removed %sindex on columns (%s)", x->unique ? "unique " : "",
                   have_columns(P, x->cols, x->n));
    plan_note(P, &P->p->changes, "- index `%s` on `%s`", x->name, h->name);
    P->p->n[N_DROPPED]++;
}

static void create_index(pusher *P, size_t ti, const psl_ddl_index *w, bool new_constraint, long order)
{
    const psl_ddl_table *t = &P->want->tables[ti];
    plan_step *s = plan_step_new(P, STEP_CREATE_INDEX, SEC_CHANGED_TABLE, t->name);
    s->order = order;
    P->diag_kind = STEP_CREATE_INDEX;
    psl_ddl_create_index(P->want, t, w, &P->sql);
    plan_emit(P, s);
    plan_step_line(P, s, "  [+] Added %sindex on columns (%s)", w->unique ? "unique " : "",
                   index_columns(P, t, w->cols, w->n_cols, ", "));
    if (w->unique && new_constraint) /* over the rows of an existing table */
        plan_note(P, &P->p->warnings,
                  "A unique constraint covering the columns `[%s]` on the table `%s` will be added. If there are "
                  "existing duplicate values, this will fail.",
                  index_columns(P, t, w->cols, w->n_cols, ","), t->name);
    plan_note(P, &P->p->changes, "+ %sindex `%s` on `%s`", w->unique ? "unique " : "", w->name, t->name);
    P->p->n[N_INDEXES]++;
}

/* One clause of a table's ALTER TABLE, with its summary line. */
typedef struct alter_set {
    psl_vec clauses, lines, before, after;
} alter_set;

static void clause(pusher *P, alter_set *A, const char *line, const char *fmt, ...) MIG_PRINTF_LIKE(4, 5);
static void clause(pusher *P, alter_set *A, const char *line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    psl_vec_push(P->a, &A->clauses, psl_arena_vprintf(P->a, fmt, ap));
    va_end(ap);
    if (line)
        psl_vec_push_const(P->a, &A->lines, line);
}

const char *plan_quoted(pusher *P, const char *name)
{
    psl_sql b = { .quote = P->D->ident_quote };
    psl_sql_ident(&b, name);
    const char *s = b.failed ? "\"\"" : psl_arena_strdup(P->a, psl_sql_text(&b));
    psl_sql_free(&b);
    return s;
}

static const char *column_def(pusher *P, const psl_ddl_column *w)
{
    psl_sql b = { 0 };
    psl_ddl_column_def(P->want, w, &b);
    const char *s = b.failed ? "" : psl_arena_strdup(P->a, psl_sql_text(&b));
    psl_sql_free(&b);
    return s;
}

/* PostgreSQL's renderer pads ADD COLUMN to line up with its ",\n" clauses;
 * MySQL's (its own clause separator) does not. */
static const char *add_column_pad(const pusher *P)
{
    return (P->D->caps & MIG_CAP_GROUPED_ALTER) && !P->D->alter_clause_sep ? "    " : "";
}

/* The AlterTable step of a table altered in place. */
static void emit_alter(pusher *P, const db_table *h, alter_set *A)
{
    if (!A->clauses.len && !A->before.len)
        return;
    plan_step *s = plan_step_new(P, STEP_ALTER_TABLE, SEC_CHANGED_TABLE, h->name);
    for (size_t i = 0; i < A->before.len; i++) {
        psl_sql_puts(&P->sql, A->before.items[i]);
        plan_emit(P, s);
    }
    if (P->D->caps & MIG_CAP_GROUPED_ALTER) {
        psl_sql_puts(&P->sql, "ALTER TABLE ");
        plan_put_table(P, &P->sql, h);
        for (size_t i = 0; i < A->clauses.len; i++)
            psl_sql_printf(&P->sql, "%s%s", i ? (P->D->alter_clause_sep ? P->D->alter_clause_sep : ",\n") : " ",
                           (const char *)A->clauses.items[i]);
        plan_emit(P, s);
    } else {
        for (size_t i = 0; i < A->clauses.len; i++) {
            psl_sql_puts(&P->sql, "ALTER TABLE ");
            plan_put_table(P, &P->sql, h);
            psl_sql_printf(&P->sql, " %s", (const char *)A->clauses.items[i]);
            plan_emit(P, s);
        }
    }
    for (size_t i = 0; i < A->after.len; i++) {
        psl_sql_puts(&P->sql, A->after.items[i]);
        plan_emit(P, s);
    }
    for (size_t i = 0; i < A->lines.len; i++)
        psl_vec_push(P->a, &s->summary, A->lines.items[i]);
}

/* Whether the database column has the enum the schema wants, after enum
 * recreation handled its values (plan_enums). */
static bool is_enum_col(const db_col *h) { return h->enum_name != NULL; }

/* The changes to one column that exists on both sides, altered in place. */
static void alter_column(pusher *P, db_table *h, const psl_ddl_table *t, const psl_ddl_column *w, db_col *hc,
                         alter_set *A)
{
    const char *q = plan_quoted(P, w->name);
    bool type_ok = P->D->type_matches(P, w, hc);
    bool arity = (w->not_null != hc->not_null && !w->is_list && !hc->is_list) || w->is_list != hc->is_list;
    bool dflt = !(w->autoincrement && P->D->is_sequence_column) && !diff_default_matches(P, w, hc);
    bool seq_add = w->autoincrement && P->D->is_sequence_column && !P->D->is_sequence_column(hc);
    /* No longer autoincrementing: the default goes, and the sequence. A
     * sequence replaced by nothing is not a default change of its own. */
    bool seq_drop = !w->autoincrement && P->D->is_sequence_column && P->D->is_sequence_column(hc) && !hc->identity;
    if (seq_drop && !w->default_sql)
        dflt = false;
    /* MIG_CAP_MODIFY_COLUMN: the changes below are noted, and the column is
     * written once, whole, at the end (MySQL's MODIFY). */
    bool modify = P->D->caps & MIG_CAP_MODIFY_COLUMN;
    bool autoinc = modify && w->autoincrement != hc->identity; /* MySQL: AUTO_INCREMENT added or removed */
    if (type_ok && !arity && !dflt && !seq_add && !seq_drop && !autoinc)
        return;
    mig_cast cast = type_ok ? MIG_CAST_SAFE : P->D->type_change(hc, w);
    if (!type_ok && is_enum_col(hc) && w->enum_type)
        cast = MIG_CAST_NONE;
    if (!type_ok && cast == MIG_CAST_NONE) {
        /* No cast: drop and recreate (Prisma's DropAndRecreateColumn). */
        if (w->not_null && !hc->not_null && !w->default_sql)
            unexecutable_added_required(P, h, w);
        else if (w->not_null && !w->default_sql) {
            long long rows = diff_table_rows(P, h);
            if (rows != 0)
                plan_note(P, &P->p->unexecutable,
                          rows > 0 ? "Changed the type of `%s` on the `%s` table. No cast exists, the column would be "
                                     "dropped and recreated, which cannot be done since the column is required and "
                                     "there is data in the table."
                                   : "Changed the type of `%s` on the `%s` table. No cast exists, the column would be "
                                     "dropped and recreated, which cannot be done if there is data, since the column "
                                     "is required.",
                          w->name, t->name);
        } else {
            long long rows = diff_table_rows(P, h), values = rows == 0 ? 0 : diff_null_count(P, h, hc->name, false);
            if (rows != 0 && values != 0)
                plan_note(P, &P->p->warnings,
                          values > 0 ? "The `%s` column on the `%s` table would be dropped and recreated. This will "
                                       "lead to data loss."
                                     : "The `%s` column on the `%s` table would be dropped and recreated. This will "
                                       "lead to data loss if there is data in the column.",
                          w->name, t->name);
        }
        clause(P, A, psl_arena_printf(P->a, "  [*] Column `%s` would be dropped and recreated (type changed)", w->name),
               "DROP COLUMN %s", q);
        clause(P, A, NULL, "ADD COLUMN %s%s", add_column_pad(P), column_def(P, w));
        plan_note(P, &P->p->changes, "~ column `%s`.`%s` dropped and recreated as %s", t->name, w->name, w->type);
        P->p->n[N_CHANGED]++;
        return;
    }
    psl_sql what = { 0 };
    psl_sql_puts(&what, "");
    if (arity) {
        const char *from = hc->is_list ? "List" : hc->not_null ? "Required" : "Nullable";
        const char *to = w->is_list ? "List" : w->not_null ? "Required" : "Nullable";
        psl_sql_printf(&what, "changed from %s to %s", from, to);
        if (modify) {
            if (w->not_null)
                unexecutable_made_required(P, h, hc->name);
        } else if (!hc->is_list && !w->is_list) {
            clause(P, A, NULL, "ALTER COLUMN %s %s NOT NULL", q, w->not_null ? "SET" : "DROP");
            if (w->not_null)
                unexecutable_made_required(P, h, hc->name);
        } else if (!w->is_list && w->not_null) {
            clause(P, A, NULL, "ALTER COLUMN %s SET NOT NULL", q);
        } else if (w->is_list && !hc->is_list) {
            long long rows = diff_table_rows(P, h), values = rows == 0 ? 0 : diff_null_count(P, h, hc->name, false);
            if (rows != 0 && values != 0)
                plan_note(P, &P->p->unexecutable,
                          values > 0 ? "Changed the column `%s` on the `%s` table from a scalar field to a list field. "
                                       "There are %lld existing non-null values in that column, this step cannot be "
                                       "executed."
                                     : "Changed the column `%s` on the `%s` table from a scalar field to a list field. "
                                       "If there are non-null values in that column, this step will fail.%.0lld",
                          hc->name, t->name, values);
        }
        plan_note(P, &P->p->changes, "~ column `%s`.`%s` made %s", t->name, w->name,
                  w->is_list ? "a list" : w->not_null ? "required" : "optional");
        P->p->n[N_CHANGED]++;
    }
    if (dflt) {
        psl_sql_printf(&what, "%sdefault changed from `%s` to `%s`", what.len ? ", " : "", hc->dflt ? hc->dflt : "None",
                       w->default_sql ? w->default_sql : "None");
        if (modify)
            ; /* in MODIFY, or DROP DEFAULT when nothing else changed (below) */
        else if (w->default_sql)
            clause(P, A, NULL, "ALTER COLUMN %s SET DEFAULT %s", q, w->default_sql);
        else
            clause(P, A, NULL, "ALTER COLUMN %s DROP DEFAULT", q);
        plan_note(P, &P->p->changes, "~ column `%s`.`%s`: default %s", t->name, w->name,
                  w->default_sql ? w->default_sql : "dropped");
        P->p->n[N_CHANGED]++;
    }
    if (seq_drop) {
        psl_sql_printf(&what, "%scolumn is no longer autoincrementing", what.len ? ", " : "");
        clause(P, A, NULL, "ALTER COLUMN %s DROP DEFAULT", q);
        /* nextval('"T_c_seq"'::regclass): the sequence goes with it */
        const char *nv = strstr(hc->dflt, "nextval('");
        if (nv) {
            nv += 9;
            size_t len = strcspn(nv, "'");
            if (len >= 2 && nv[0] == '"' && nv[len - 1] == '"')
                nv++, len -= 2;
            psl_sql b = { .quote = P->D->ident_quote };
            psl_sql_puts(&b, "DROP SEQUENCE ");
            psl_sql_ident(&b, psl_arena_strndup(P->a, nv, len));
            if (!b.failed)
                psl_vec_push(P->a, &A->after, psl_arena_strdup(P->a, psl_sql_text(&b)));
            psl_sql_free(&b);
        }
        P->p->n[N_CHANGED]++;
    }
    if (seq_add) {
        /* Prisma imitates the sequence of a SERIAL column. */
        psl_sql_printf(&what, "%scolumn became autoincrementing", what.len ? ", " : "");
        char *seq = psl_arena_printf(P->a, "%s_%s_seq", t->name, w->name);
        for (char *c = seq; *c; c++)
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        psl_vec_push(P->a, &A->before, psl_arena_printf(P->a, "CREATE SEQUENCE %s", plan_quoted(P, seq)));
        clause(P, A, NULL, "ALTER COLUMN %s SET DEFAULT nextval('%s')", q, seq);
        psl_sql b = { .quote = P->D->ident_quote };
        psl_sql_printf(&b, "ALTER SEQUENCE %s OWNED BY ", plan_quoted(P, seq));
        plan_put_table(P, &b, h);
        psl_sql_printf(&b, ".%s", q);
        if (!b.failed)
            psl_vec_push(P->a, &A->after, psl_arena_strdup(P->a, psl_sql_text(&b)));
        psl_sql_free(&b);
        P->p->n[N_CHANGED]++;
    }
    if (!type_ok || (arity && (w->is_list || hc->is_list))) {
        psl_sql_printf(&what, "%stype changed", what.len ? ", " : "");
        if (!modify)
            clause(P, A, NULL, "ALTER COLUMN %s SET DATA TYPE %s", q, w->base_type);
        if (!type_ok && cast == MIG_CAST_RISKY)
            warn_cast(P, h, hc, w, false);
        if (!type_ok) {
            plan_note(P, &P->p->changes, "~ column `%s`.`%s`: type %s", t->name, w->name, w->base_type);
            P->p->n[N_CHANGED]++;
        }
    }
    if (autoinc) {
        psl_sql_printf(&what, "%scolumn %s autoincrementing", what.len ? ", " : "",
                       w->autoincrement ? "became" : "is no longer");
        P->p->n[N_CHANGED]++;
    }
    if (modify && dflt && !w->default_sql && type_ok && !arity && !autoinc)
        clause(P, A, NULL, "ALTER COLUMN %s DROP DEFAULT", q); /* Prisma's MysqlAlterColumn::DropDefault */
    else if (modify)
        clause(P, A, NULL, "MODIFY %s %s%s%s%s%s", q, w->base_type, w->not_null ? " NOT NULL" : " NULL",
               w->default_sql ? " DEFAULT " : "", w->default_sql ? w->default_sql : "",
               w->autoincrement && P->D->autoincrement_clause ? P->D->autoincrement_clause : "");
    if (!what.failed)
        psl_vec_push_const(P->a, &A->lines,
                           psl_arena_printf(P->a, "  [*] Altered column `%s` (%s)", w->name, psl_sql_text(&what)));
    psl_sql_free(&what);
}

/* Whether the database's primary key is the one the schema wants. */
static bool pk_same_columns(const psl_ddl_table *t, const db_table *h)
{
    if (h->pk_cols.len != t->n_pk)
        return false;
    for (size_t i = 0; i < t->n_pk; i++)
        if (strcmp(h->pk_cols.items[i], t->cols[t->pk_cols[i]].name) != 0)
            return false;
    return true;
}

/* Whether the table's changes need a redefinition (without ALTER in place). */
static bool needs_redefine(pusher *P, size_t ti, db_table *h)
{
    const psl_ddl *d = P->want;
    const psl_ddl_table *t = &d->tables[ti];
    for (size_t i = 0; i < t->n_cols; i++) {
        const psl_ddl_column *w = &t->cols[i];
        db_col *hc = plan_find_col(h, w->name);
        if (!hc) {
            if (w->not_null || !P->D->can_add_column(w)) /* Prisma redefines for any added required column */
                return true;
            continue;
        }
        if (!P->D->type_matches(P, w, hc) || w->not_null != hc->not_null || !diff_default_matches(P, w, hc))
            return true;
    }
    for (size_t i = 0; i < h->cols.len; i++) {
        const db_col *hc = h->cols.items[i];
        bool kept = false;
        for (size_t k = 0; k < t->n_cols && !kept; k++)
            kept = strcmp(t->cols[k].name, hc->name) == 0;
        if (!kept)
            return true;
    }
    if (!pk_same_columns(t, h))
        return true;
    /* A UNIQUE clause of the table (not an index of ours) goes only with the table. */
    for (size_t i = 0; i < h->indexes.len; i++) {
        const db_index *x = h->indexes.items[i];
        if (!x->constraint)
            continue;
        bool kept = false;
        for (size_t k = 0; k < t->n_indexes && !kept; k++)
            kept = strcmp(t->indexes[k].name, x->name) == 0 && diff_index_matches(t, &t->indexes[k], x);
        if (!kept)
            return true;
    }
    /* Foreign keys: SQLite's are part of the table (and have no usable names). */
    bool *used = psl_arena_alloc(P->a, (h->fks.len + 1) * sizeof *used);
    size_t wanted = 0;
    for (size_t k = 0; k < d->n_fks; k++) {
        if (d->fks[k].table != ti)
            continue;
        wanted++;
        bool found = false;
        for (size_t i = 0; i < h->fks.len && !found; i++)
            if (!used[i] && diff_fk_matches(P, &d->fks[k], h->fks.items[i]))
                found = used[i] = true;
        if (!found)
            return true;
    }
    return wanted != h->fks.len;
}

/* The diagnostics of a redefined table (Prisma's SQLite checks). */
static void check_redefine(pusher *P, size_t ti, db_table *h)
{
    const psl_ddl_table *t = &P->want->tables[ti];
    for (size_t i = 0; i < t->n_cols; i++) {
        const psl_ddl_column *w = &t->cols[i];
        db_col *hc = plan_find_col(h, w->name);
        if (!hc) {
            if (w->not_null && !w->default_sql && !w->autoincrement && !w->primary_key_inline)
                unexecutable_added_required(P, h, w);
            plan_note(P, &P->p->changes, "+ column `%s`.`%s`", t->name, w->name);
            P->p->n[N_COLUMNS]++;
            continue;
        }
        hc->matched = true;
        if (w->not_null && !hc->not_null && !w->default_sql)
            unexecutable_made_required(P, h, hc->name);
        if (!P->D->type_matches(P, w, hc))
            warn_cast(P, h, hc, w, false);
    }
    for (size_t i = 0; i < h->cols.len; i++) {
        db_col *hc = h->cols.items[i];
        if (!hc->matched) {
            warn_column_drop(P, h, hc->name);
            plan_note(P, &P->p->changes, "- column `%s`.`%s`", h->name, hc->name);
            P->p->n[N_DROPPED]++;
        }
    }
    if (h->pk_cols.len && !pk_same_columns(t, h) && diff_table_rows(P, h) != 0)
        plan_note(P, &P->p->warnings,
                  "The primary key for the `%s` table will be changed. If it partially fails, the table could be left "
                  "without primary key constraint.",
                  t->name);
    for (size_t i = 0; i < h->indexes.len; i++)
        ((db_index *)h->indexes.items[i])->matched = true;
    for (size_t i = 0; i < h->fks.len; i++)
        ((db_fk *)h->fks.items[i])->matched = true;
}

typedef struct redefines {
    size_t *tis;
    db_table **hs;
    size_t n;
} redefines;

/* Plans the changes to a table that exists. */
static void plan_existing_table(pusher *P, size_t ti, db_table *h, size_t have_pos, redefines *R)
{
    const psl_ddl *d = P->want;
    const psl_ddl_table *t = &d->tables[ti];
    plan *p = P->p;
    h->matched = true;
    bool no_alter = !(P->D->caps & MIG_CAP_ALTER_IN_PLACE);
    if (no_alter && needs_redefine(P, ti, h)) {
        P->diag_kind = STEP_REDEFINE_TABLES;
        check_redefine(P, ti, h);
        /* indexes of our own names that are not part of the table are dropped with it */
        R->tis[R->n] = ti;
        R->hs[R->n++] = h;
        return;
    }

    P->diag_kind = STEP_ALTER_TABLE;
    alter_set A = { 0 };
    /* A key over a column dropped and recreated (no cast) is dropped and added again. */
    bool pk_same = pk_same_columns(t, h);
    for (size_t i = 0; pk_same && i < t->n_pk; i++) {
        const psl_ddl_column *w = &t->cols[t->pk_cols[i]];
        db_col *hc = plan_find_col(h, w->name);
        pk_same = !hc || P->D->type_matches(P, w, hc) || P->D->type_change(hc, w) != MIG_CAST_NONE;
    }
    bool unnamed_pk = P->D->caps & MIG_CAP_UNNAMED_PK;
    if (!pk_same && h->pk_cols.len) {
        const char *line = psl_arena_printf(P->a, "  [-] Dropped the primary key on columns (%s)",
                                            have_columns(P, (const char *const *)h->pk_cols.items, h->pk_cols.len));
        if (unnamed_pk)
            clause(P, &A, line, "DROP PRIMARY KEY");
        else
            clause(P, &A, line, "DROP CONSTRAINT %s", plan_quoted(P, h->pk_name ? h->pk_name : ""));
        if (diff_table_rows(P, h) != 0)
            plan_note(P, &p->warnings,
                      "The primary key for the `%s` table will be changed. If it partially fails, the table could be "
                      "left without primary key constraint.",
                      t->name);
    }
    /* Dropped columns and added ones by name, then the changed ones in the
     * table's order (Prisma's). */
    const char **names = psl_arena_alloc(P->a, (h->cols.len + t->n_cols + 1) * sizeof *names);
    size_t n_names = 0;
    for (size_t i = 0; i < h->cols.len; i++)
        names[n_names++] = ((const db_col *)h->cols.items[i])->name;
    for (size_t i = 0; i < t->n_cols; i++)
        if (!plan_find_col(h, t->cols[i].name))
            names[n_names++] = t->cols[i].name;
    for (size_t i = 1; i < n_names; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *x = names[j];
            names[j] = names[j - 1];
            names[j - 1] = x;
        }
    for (int pass = 0; pass < 2; pass++)
        for (size_t n = 0; n < n_names; n++) {
            db_col *hc = plan_find_col(h, names[n]);
            const psl_ddl_column *w = NULL;
            for (size_t k = 0; k < t->n_cols && !w; k++)
                if (strcmp(t->cols[k].name, names[n]) == 0)
                    w = &t->cols[k];
            if (pass == 0 && hc && !w) {
                warn_column_drop(P, h, hc->name);
                clause(P, &A, psl_arena_printf(P->a, "  [-] Removed column `%s`", hc->name), "DROP COLUMN %s",
                       plan_quoted(P, hc->name));
                plan_note(P, &p->changes, "- column `%s`.`%s`", h->name, hc->name);
                p->n[N_DROPPED]++;
            } else if (pass == 1 && !hc && w) {
                if (w->not_null && !w->default_sql && !w->autoincrement)
                    unexecutable_added_required(P, h, w);
                clause(P, &A, psl_arena_printf(P->a, "  [+] Added column `%s`", w->name), "ADD COLUMN %s%s",
                       add_column_pad(P), column_def(P, w));
                plan_note(P, &p->changes, "+ column `%s`.`%s`", t->name, w->name);
                p->n[N_COLUMNS]++;
            }
        }
    for (size_t i = 0; i < h->cols.len; i++) {
        db_col *hc = h->cols.items[i];
        for (size_t k = 0; k < t->n_cols; k++)
            if (strcmp(t->cols[k].name, hc->name) == 0) {
                hc->matched = true;
                alter_column(P, h, t, &t->cols[k], hc, &A);
            }
    }
    if (!pk_same && t->n_pk && unnamed_pk) {
        psl_sql cols = { .quote = P->D->ident_quote };
        for (size_t i = 0; i < t->n_pk; i++) {
            psl_sql_puts(&cols, i ? ", " : "");
            psl_sql_ident(&cols, t->cols[t->pk_cols[i]].name);
        }
        clause(P, &A,
               psl_arena_printf(P->a, "  [+] Added primary key on columns (%s)",
                                index_columns(P, t, t->pk_cols, t->n_pk, ", ")),
               "ADD PRIMARY KEY (%s)", psl_sql_text(&cols));
        psl_sql_free(&cols);
        plan_note(P, &p->changes, "~ primary key of `%s` changed", t->name);
        p->n[N_CHANGED]++;
    } else if (!pk_same && t->n_pk) {
        const char *inner = index_columns(P, t, t->pk_cols, t->n_pk, "\", \"");
        clause(P, &A,
               psl_arena_printf(P->a, "  [+] Added primary key on columns (%s)",
                                index_columns(P, t, t->pk_cols, t->n_pk, ", ")),
               "ADD CONSTRAINT %s PRIMARY KEY (\"%s\")", plan_quoted(P, t->pk_name), inner);
        plan_note(P, &p->changes, "~ primary key of `%s` changed", t->name);
        p->n[N_CHANGED]++;
    } else if (pk_same && !no_alter && !unnamed_pk && t->n_pk && h->pk_name && strcmp(h->pk_name, t->pk_name) != 0) {
        clause(P, &A,
               psl_arena_printf(P->a, "  [*] Renamed the primary key on columns (%s)",
                                index_columns(P, t, t->pk_cols, t->n_pk, ", ")),
               "RENAME CONSTRAINT %s TO %s", plan_quoted(P, h->pk_name), plan_quoted(P, t->pk_name));
        plan_note(P, &p->changes, "~ primary key of `%s` renamed to `%s`", t->name, t->pk_name);
        p->n[N_CHANGED]++;
    }
    emit_alter(P, h, &A);

    /* Indexes: by name and definition; one of the same definition under
     * another name is renamed. */
    bool *done = psl_arena_alloc(P->a, (t->n_indexes + 1) * sizeof *done);
    for (size_t k = 0; k < t->n_indexes; k++) {
        const psl_ddl_index *w = &t->indexes[k];
        for (size_t i = 0; i < h->indexes.len && !done[k]; i++) {
            db_index *x = h->indexes.items[i];
            if (!x->matched && strcmp(x->name, w->name) == 0 && diff_index_matches(t, w, x))
                x->matched = done[k] = true;
        }
    }
    /* Renames in the order of the old names (Prisma's). */
    db_index **by_name = psl_arena_alloc(P->a, (h->indexes.len + 1) * sizeof *by_name);
    for (size_t i = 0; i < h->indexes.len; i++)
        by_name[i] = h->indexes.items[i];
    for (size_t i = 1; i < h->indexes.len; i++)
        for (size_t j = i; j > 0 && strcmp(by_name[j - 1]->name, by_name[j]->name) > 0; j--) {
            db_index *x = by_name[j];
            by_name[j] = by_name[j - 1];
            by_name[j - 1] = x;
        }
    for (size_t i = 0; i < h->indexes.len; i++) {
        db_index *x = by_name[i];
        for (size_t k = 0; k < t->n_indexes && !x->matched; k++) {
            const psl_ddl_index *w = &t->indexes[k];
            if (done[k] || x->constraint || !diff_index_matches(t, w, x))
                continue;
            bool name_wanted = false; /* an index of another wanted name is not renamed away */
            for (size_t j = 0; j < t->n_indexes && !name_wanted; j++)
                name_wanted = strcmp(t->indexes[j].name, x->name) == 0;
            if (name_wanted)
                continue;
            x->matched = done[k] = true;
            bool in_place = P->D->caps & MIG_CAP_RENAME_INDEX;
            plan_step *s = plan_step_new(P, in_place ? STEP_RENAME_INDEX : STEP_REDEFINE_INDEX, SEC_CHANGED_TABLE,
                                         t->name);
            s->order = (long)have_pos;
            if (in_place && P->D->rename_index) {
                P->D->rename_index(&P->sql, h, x->name, w->name);
                plan_emit(P, s);
                plan_step_line(P, s, "  [*] Renamed index `%s` to `%s`", x->name, w->name);
            } else if (in_place) {
                psl_sql_puts(&P->sql, "ALTER INDEX ");
                psl_sql_qualified(&P->sql, plan_write_schema(P, h->schema), x->name);
                psl_sql_puts(&P->sql, " RENAME TO ");
                psl_sql_ident(&P->sql, w->name);
                plan_emit(P, s);
                plan_step_line(P, s, "  [*] Renamed index `%s` to `%s`", x->name, w->name);
            } else {
                P->D->drop_index(&P->sql, h, x);
                plan_emit(P, s);
                psl_ddl_create_index(P->want, t, w, &P->sql);
                plan_emit(P, s);
                plan_step_line(P, s, "  [*] Redefined index `%s`", x->name);
            }
            plan_note(P, &p->changes, "~ index `%s` renamed to `%s`", x->name, w->name);
            p->n[N_CHANGED]++;
        }
    }
    for (size_t i = 0; i < h->indexes.len; i++) {
        db_index *x = h->indexes.items[i];
        if (!x->matched && !x->special)
            drop_index(P, h, x);
    }
    for (size_t k = 0; k < t->n_indexes; k++) {
        if (done[k])
            continue;
        /* One replacing an index of the same name is that index changed (Prisma's
         * from_drop_and_recreate): not a new constraint over the rows. */
        bool replaces = false;
        for (size_t i = 0; i < h->indexes.len && !replaces; i++)
            replaces = strcmp(((const db_index *)h->indexes.items[i])->name, t->indexes[k].name) == 0;
        create_index(P, ti, &t->indexes[k], !replaces, 1000000L + (long)have_pos);
    }

    /* Foreign keys: by name; one of the same definition under another name
     * is renamed. */
    if (P->D->caps & MIG_CAP_INLINE_FKS) {
        for (size_t i = 0; i < h->fks.len; i++)
            ((db_fk *)h->fks.items[i])->matched = true; /* equal, or the table was redefined */
        return;
    }
    bool *fk_done = psl_arena_alloc(P->a, (d->n_fks + 1) * sizeof *fk_done);
    for (size_t k = 0; k < d->n_fks; k++) {
        if (d->fks[k].table != ti)
            continue;
        for (size_t i = 0; i < h->fks.len && !fk_done[k]; i++) {
            db_fk *f = h->fks.items[i];
            if (!f->matched && plan_same(f->name, d->fks[k].name) && diff_fk_matches(P, &d->fks[k], f))
                f->matched = fk_done[k] = true;
        }
    }
    for (size_t k = 0; k < d->n_fks; k++) {
        if (d->fks[k].table != ti || fk_done[k])
            continue;
        for (size_t i = 0; i < h->fks.len && !fk_done[k]; i++) {
            db_fk *f = h->fks.items[i];
            if (f->matched || !f->name || !diff_fk_matches(P, &d->fks[k], f))
                continue;
            f->matched = fk_done[k] = true;
            plan_step *s = plan_step_new(P, STEP_RENAME_FOREIGN_KEY, SEC_CHANGED_TABLE, t->name);
            psl_sql_puts(&P->sql, "ALTER TABLE ");
            plan_put_table(P, &P->sql, h);
            psl_sql_puts(&P->sql, " RENAME CONSTRAINT ");
            psl_sql_ident(&P->sql, f->name);
            psl_sql_puts(&P->sql, " TO ");
            psl_sql_ident(&P->sql, d->fks[k].name);
            plan_emit(P, s);
            plan_step_line(P, s, "  [*] Renamed the foreign key \"%s\" to \"%s\"", f->name, d->fks[k].name);
            plan_note(P, &p->changes, "~ foreign key `%s` renamed to `%s`", f->name, d->fks[k].name);
            p->n[N_CHANGED]++;
        }
    }
    for (size_t i = 0; i < h->fks.len; i++) {
        db_fk *f = h->fks.items[i];
        if (f->matched)
            continue;
        f->matched = true;
        plan_step *s = plan_step_new(P, STEP_DROP_FOREIGN_KEY, SEC_CHANGED_TABLE, h->name);
        psl_sql_puts(&P->sql, "ALTER TABLE ");
        plan_put_table(P, &P->sql, h);
        psl_sql_puts(&P->sql, P->D->drop_fk_clause ? P->D->drop_fk_clause : " DROP CONSTRAINT ");
        psl_sql_ident(&P->sql, f->name ? f->name : "");
        plan_emit(P, s);
        plan_step_line(P, s, "  [-] Removed foreign key on columns (%s)", have_columns(P, f->cols, f->n));
        plan_note(P, &p->changes, "- foreign key `%s` on `%s`", f->name ? f->name : "(unnamed)", h->name);
        p->n[N_DROPPED]++;
    }
    for (size_t k = 0; k < d->n_fks; k++)
        if (d->fks[k].table == ti && !fk_done[k])
            plan_add_fk(P, k);
}

static bool has_schema(const db_state *st, const char *name)
{
    for (size_t i = 0; i < st->schemas.len; i++)
        if (strcmp(st->schemas.items[i], name) == 0)
            return true;
    return false;
}

/* --force-reset: drop every table, view and enum there is, then plan as
 * for an empty database. */
static void plan_reset(pusher *P)
{
    db_state *st = P->have;
    plan_step *s = plan_step_new(P, STEP_RESET, SEC_NONE, NULL);
    P->D->reset(P, st, s);
    memset(&st->tables, 0, sizeof st->tables);
    memset(&st->enums, 0, sizeof st->enums);
    memset(&st->views, 0, sizeof st->views);
}

static void plan_namespaces(pusher *P)
{
    const psl_ddl *d = P->want;
    plan *p = P->p;
    if (!(P->D->caps & MIG_CAP_SCHEMAS))
        return;
    if (P->c && !d->n_schemas && P->default_schema && !has_schema(P->have, P->default_schema)) {
        /* db push into a schema that does not exist yet (?schema=) */
        plan_step *s = plan_step_new(P, STEP_CREATE_SCHEMA, SEC_NONE, NULL);
        psl_sql_puts(&P->sql, "CREATE SCHEMA IF NOT EXISTS ");
        psl_sql_ident(&P->sql, P->default_schema);
        plan_emit(P, s);
        plan_note(P, &p->changes, "+ schema `%s`", P->default_schema);
        p->n[N_SCHEMAS]++;
    }
    for (size_t i = 0; i < d->n_schemas; i++) {
        if (has_schema(P->have, d->schemas[i]))
            continue;
        plan_step *s = plan_step_new(P, STEP_CREATE_SCHEMA, SEC_NONE, NULL);
        psl_ddl_create_schema(d, d->schemas[i], &P->sql);
        plan_emit(P, s);
        plan_note(P, &p->changes, "+ schema `%s`", d->schemas[i]);
        p->n[N_SCHEMAS]++;
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
        plan_step *s = plan_step_new(P, STEP_CREATE_EXTENSION, SEC_ADDED_EXTENSION, "");
        psl_ddl_create_extension(d, &d->extensions[i], &P->sql);
        plan_emit(P, s);
        plan_step_line(P, s, "  - %s", d->extensions[i].name);
        plan_note(P, &p->changes, "+ extension `%s`", d->extensions[i].name);
        p->n[N_EXTENSIONS]++;
    }
}

static void plan_dropped_tables(pusher *P)
{
    for (size_t i = 0; i < P->have->tables.len; i++) {
        db_table *h = P->have->tables.items[i];
        if (h->matched)
            continue;
        P->diag_kind = STEP_DROP_TABLE;
        warn_table_drop(P, h);
        for (size_t k = 0; (P->D->caps & MIG_CAP_DROP_TABLE_INDEXES) && k < h->indexes.len; k++) {
            const db_index *x = h->indexes.items[k];
            if (x->constraint || x->special)
                continue; /* part of the table: goes with it */
            drop_index(P, h, x);
        }
        if (!(P->D->caps & MIG_CAP_INLINE_FKS)) /* its foreign keys first, as Prisma */
            for (size_t k = 0; k < h->fks.len; k++) {
                db_fk *f = h->fks.items[k];
                plan_step *s = plan_step_new(P, STEP_DROP_FOREIGN_KEY, SEC_CHANGED_TABLE, h->name);
                psl_sql_puts(&P->sql, "ALTER TABLE ");
                plan_put_table(P, &P->sql, h);
                psl_sql_puts(&P->sql, P->D->drop_fk_clause ? P->D->drop_fk_clause : " DROP CONSTRAINT ");
                psl_sql_ident(&P->sql, f->name ? f->name : "");
                plan_emit(P, s);
                plan_step_line(P, s, "  [-] Removed foreign key on columns (%s)", have_columns(P, f->cols, f->n));
            }
        plan_step *s = plan_step_new(P, STEP_DROP_TABLE, SEC_REMOVED_TABLE, "");
        P->D->drop_table(P, h, s);
        plan_step_line(P, s, "  - %s", h->name);
        plan_note(P, &P->p->changes, "- table `%s`", h->name);
        P->p->n[N_DROPPED]++;
    }
}

static int cmp_steps(const void *a, const void *b)
{
    const plan_step *x = *(plan_step *const *)a, *y = *(plan_step *const *)b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int migrate_plan(const migrate_dialect *D, mconn *live, db_state *from, const psl_ddl *to, const plan_options *o,
                 psl_arena *a, plan *out)
{
    static const plan_options defaults = { 0 };
    if (!o)
        o = &defaults;
    memset(out, 0, sizeof *out);
    pusher P = { .D = D, .c = live, .want = to, .have = from, .p = out, .a = a };
    P.sql.quote = D->ident_quote;
    P.pure = !live || o->pure_checks;
    P.qualify = to->multi_schema;
    P.default_schema = o->default_schema ? o->default_schema
                       : live && live->schema ? live->schema
                       : (D->caps & MIG_CAP_SCHEMAS) ? "public"
                                                      : NULL;
    if (o->reset)
        plan_reset(&P);
    plan_namespaces(&P);
    plan_enums(&P);
    const psl_ddl *d = to;
    redefines R = { .tis = psl_arena_alloc(a, (d->n_tables + 1) * sizeof *R.tis),
                    .hs = psl_arena_alloc(a, (d->n_tables + 1) * sizeof *R.hs) };
    bool *is_new = psl_arena_alloc(a, (d->n_tables + 1) * sizeof *is_new);
    for (size_t i = 0; i < d->n_tables; i++) {
        db_table *h = find_table(&P, &d->tables[i]);
        is_new[i] = !h;
        if (h) {
            size_t pos = 0;
            while (pos < from->tables.len && from->tables.items[pos] != h)
                pos++;
            plan_existing_table(&P, i, h, pos, &R);
        } else {
            plan_new_table(&P, i);
        }
    }
    if (R.n)
        D->redefine_tables(&P, R.tis, R.hs, R.n);
    if (!(D->caps & MIG_CAP_INLINE_FKS)) /* else written in CREATE TABLE */
        for (size_t k = 0; k < d->n_fks; k++)
            if (is_new[d->fks[k].table])
                plan_add_fk(&P, k);
    plan_dropped_tables(&P);
    plan_dropped_enums(&P);
    if (out->steps.len) /* qsort's array may not be NULL, even empty */
        qsort(out->steps.items, out->steps.len, sizeof *out->steps.items, cmp_steps);
    sort_diagnostics(&out->warnings, &out->warning_kinds);
    sort_diagnostics(&out->unexecutable, &out->unexecutable_kinds);
    bool failed = P.sql.failed;
    psl_sql_free(&P.sql);
    return failed ? -1 : 0;
}

bool plan_is_empty(const plan *p)
{
    return plan_statements(p) == 0;
}

size_t plan_statements(const plan *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->steps.len; i++)
        n += ((const plan_step *)p->steps.items[i])->sql.len;
    return n;
}
