/* Planning the enums (PostgreSQL's native ones): new types, values added
 * (ALTER TYPE ... ADD VALUE) or removed (the type recreated, as Prisma
 * does), types the target no longer has. */
#include <string.h>

#include "plan.h"

static bool has_value(const char *const *values, size_t n, const char *v)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(values[i], v) == 0)
            return true;
    return false;
}

/* Removed values: Prisma recreates the type (CREATE TYPE "E_new", the
 * columns cast through text, the old one renamed and dropped). */
static void recreate_enum(pusher *P, const psl_ddl_enum *e, db_enum *he, plan_step *s)
{
    const char *ws = plan_write_schema(P, he->schema);
    const char *tmp = psl_arena_printf(P->a, "%s_new", e->name), *old = psl_arena_printf(P->a, "%s_old", he->name);
    s->own_tx = true;
    psl_sql_puts(&P->sql, "CREATE TYPE ");
    psl_sql_qualified(&P->sql, ws, tmp);
    psl_sql_puts(&P->sql, " AS ENUM (");
    for (size_t v = 0; v < e->n_values; v++) {
        if (v)
            psl_sql_puts(&P->sql, ", ");
        psl_sql_string(&P->sql, e->values[v], strlen(e->values[v]));
    }
    psl_sql_puts(&P->sql, ")");
    plan_emit(P, s);
    /* Columns of the type: defaults dropped first, the type changed, defaults put back. */
    psl_vec reinstall = { 0 };
    for (size_t i = 0; i < P->have->tables.len; i++) {
        db_table *h = P->have->tables.items[i];
        for (size_t k = 0; k < h->cols.len; k++) {
            db_col *c = h->cols.items[k];
            if (!c->enum_name || strcmp(c->enum_name, he->name) != 0 || !plan_same(c->enum_schema, he->schema) ||
                !c->dflt)
                continue;
            psl_sql_puts(&P->sql, "ALTER TABLE ");
            plan_put_table(P, &P->sql, h);
            psl_sql_printf(&P->sql, " ALTER COLUMN %s DROP DEFAULT", plan_quoted(P, c->name));
            plan_emit(P, s);
        }
    }
    for (size_t i = 0; i < P->have->tables.len; i++) {
        db_table *h = P->have->tables.items[i];
        const psl_ddl_table *t = NULL;
        for (size_t k = 0; k < P->want->n_tables && !t; k++)
            if (strcmp(P->want->tables[k].name, h->name) == 0 &&
                plan_same(plan_schema_of(P, P->want->tables[k].schema), h->schema))
                t = &P->want->tables[k];
        for (size_t k = 0; k < h->cols.len; k++) {
            db_col *c = h->cols.items[k];
            if (!c->enum_name || strcmp(c->enum_name, he->name) != 0 || !plan_same(c->enum_schema, he->schema))
                continue;
            const psl_ddl_column *w = NULL;
            for (size_t j = 0; t && j < t->n_cols && !w; j++)
                if (strcmp(t->cols[j].name, c->name) == 0 && t->cols[j].enum_type == e->src)
                    w = &t->cols[j];
            if (!w)
                continue; /* dropped or retyped by its table's step */
            const char *arr = c->is_list ? "[]" : "";
            psl_sql_puts(&P->sql, "ALTER TABLE ");
            plan_put_table(P, &P->sql, h);
            psl_sql_printf(&P->sql, " ALTER COLUMN %s TYPE ", plan_quoted(P, c->name));
            psl_sql_qualified(&P->sql, ws, tmp);
            psl_sql_printf(&P->sql, "%s USING (%s::text::", arr, plan_quoted(P, c->name));
            psl_sql_qualified(&P->sql, ws, tmp);
            psl_sql_printf(&P->sql, "%s)", arr);
            plan_emit(P, s);
            if (c->dflt && w->default_sql) {
                psl_sql b = { 0 };
                psl_sql_puts(&b, "ALTER TABLE ");
                plan_put_table(P, &b, h);
                psl_sql_printf(&b, " ALTER COLUMN %s SET DEFAULT %s", plan_quoted(P, c->name), w->default_sql);
                if (!b.failed)
                    psl_vec_push_const(P->a, &reinstall, psl_arena_strdup(P->a, psl_sql_text(&b)));
                psl_sql_free(&b);
            }
        }
    }
    psl_sql_puts(&P->sql, "ALTER TYPE ");
    psl_sql_qualified(&P->sql, ws, he->name);
    psl_sql_puts(&P->sql, " RENAME TO ");
    psl_sql_ident(&P->sql, old);
    plan_emit(P, s);
    psl_sql_puts(&P->sql, "ALTER TYPE ");
    psl_sql_qualified(&P->sql, ws, tmp);
    psl_sql_puts(&P->sql, " RENAME TO ");
    psl_sql_ident(&P->sql, e->name);
    plan_emit(P, s);
    psl_sql_puts(&P->sql, "DROP TYPE ");
    psl_sql_qualified(&P->sql, ws, old);
    plan_emit(P, s);
    for (size_t i = 0; i < reinstall.len; i++) {
        psl_sql_puts(&P->sql, reinstall.items[i]);
        plan_emit(P, s);
    }
}

void plan_enums(pusher *P)
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
            plan_step *s = plan_step_new(P, STEP_CREATE_ENUM, SEC_ADDED_ENUM, "");
            s->order = (long)i;
            psl_ddl_create_enum(d, e, &P->sql);
            plan_emit(P, s);
            plan_step_line(P, s, "  - %s", e->name);
            plan_note(P, &p->changes, "+ enum `%s`", e->name);
            p->n[N_ENUMS]++;
            continue;
        }
        he->matched = true;
        const char *const *have_values = (const char *const *)he->values.items;
        psl_vec added = { 0 }, removed = { 0 };
        for (size_t v = 0; v < e->n_values; v++)
            if (!has_value(have_values, he->values.len, e->values[v]))
                psl_vec_push_const(P->a, &added, e->values[v]);
        for (size_t k = 0; k < he->values.len; k++)
            if (!has_value(e->values, e->n_values, have_values[k]))
                psl_vec_push_const(P->a, &removed, have_values[k]);
        if (!added.len && !removed.len)
            continue;
        plan_step *s = plan_step_new(P, STEP_ALTER_ENUM, SEC_CHANGED_ENUM, he->name);
        for (size_t v = 0; v < added.len; v++) {
            plan_step_line(P, s, "  [+] Added variant `%s`", (const char *)added.items[v]);
            plan_note(P, &p->changes, "+ enum value `%s`.`%s`", e->name, (const char *)added.items[v]);
            p->n[N_VALUES]++;
        }
        for (size_t v = 0; v < removed.len; v++) {
            plan_step_line(P, s, "  [-] Removed variant `%s`", (const char *)removed.items[v]);
            plan_note(P, &p->changes, "- enum value `%s`.`%s`", e->name, (const char *)removed.items[v]);
            p->n[N_DROPPED]++;
        }
        if (removed.len) {
            P->diag_kind = STEP_ALTER_ENUM;
            psl_sql list = { 0 };
            for (size_t v = 0; v < removed.len; v++)
                psl_sql_printf(&list, "%s%s", v ? "," : "", (const char *)removed.items[v]);
            plan_note(P, &p->warnings,
                      "The values [%s] on the enum `%s` will be removed. If these variants are still used in the "
                      "database, this will fail.",
                      list.failed ? "" : psl_sql_text(&list), e->name);
            psl_sql_free(&list);
            recreate_enum(P, e, he, s);
            continue;
        }
        /* Values only added: ALTER TYPE ... ADD VALUE, which PostgreSQL runs
         * outside the transaction that would use the value. */
        s->outside_tx = true;
        if (added.len > 1)
            s->preface = "-- This migration adds more than one value to an enum.\n"
                         "-- With PostgreSQL versions 11 and earlier, this is not possible\n"
                         "-- in a single migration. This can be worked around by creating\n"
                         "-- multiple migrations, each migration adding only one value to\n"
                         "-- the enum.\n\n\n";
        for (size_t v = 0; v < added.len; v++) {
            psl_sql_puts(&P->sql, "ALTER TYPE ");
            psl_sql_qualified(&P->sql, plan_write_schema(P, he->schema), he->name);
            psl_sql_puts(&P->sql, " ADD VALUE ");
            psl_sql_string(&P->sql, added.items[v], strlen(added.items[v]));
            plan_emit(P, s);
        }
    }
}

/* Enums the target no longer has, after the tables that used them. */
void plan_dropped_enums(pusher *P)
{
    for (size_t k = 0; k < P->have->enums.len; k++) {
        db_enum *x = P->have->enums.items[k];
        if (x->matched)
            continue;
        plan_step *s = plan_step_new(P, STEP_DROP_ENUM, SEC_REMOVED_ENUM, "");
        psl_sql_puts(&P->sql, "DROP TYPE ");
        psl_sql_qualified(&P->sql, plan_write_schema(P, x->schema), x->name);
        plan_emit(P, s);
        plan_step_line(P, s, "  - %s", x->name);
        plan_note(P, &P->p->changes, "- enum `%s`", x->name);
        P->p->n[N_DROPPED]++;
    }
}

