/* Comparing two described database states in Prisma's drift-summary style
 * (drift.h). Sections come in Prisma's order (schema-engine's DriftType):
 * added enums, added tables, removed enums, removed tables, redefined
 * tables, changed enums, changed tables; names sorted within a section. */
#include "drift.h"

#include <stdlib.h>
#include <string.h>

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const db_table *find_table(const db_state *st, const db_table *t)
{
    for (size_t i = 0; i < st->tables.len; i++) {
        const db_table *x = st->tables.items[i];
        if (same(x->schema, t->schema) && strcmp(x->name, t->name) == 0)
            return x;
    }
    return NULL;
}

static const db_enum *find_enum(const db_state *st, const db_enum *e)
{
    for (size_t i = 0; i < st->enums.len; i++) {
        const db_enum *x = st->enums.items[i];
        if (same(x->schema, e->schema) && strcmp(x->name, e->name) == 0)
            return x;
    }
    return NULL;
}

static const db_col *find_col(const db_table *t, const char *name)
{
    for (size_t i = 0; i < t->cols.len; i++) {
        const db_col *c = t->cols.items[i];
        if (strcmp(c->name, name) == 0)
            return c;
    }
    return NULL;
}

static bool has_value(const db_enum *e, const char *v)
{
    for (size_t i = 0; i < e->values.len; i++)
        if (strcmp(e->values.items[i], v) == 0)
            return true;
    return false;
}

static bool same_cols(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

static bool same_index(const db_index *a, const db_index *b)
{
    if (a->unique != b->unique || a->special != b->special || !same(a->name, b->name) ||
        !same_cols(a->cols, a->n, b->cols, b->n) || !same(a->predicate, b->predicate))
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->desc[i] != b->desc[i])
            return false;
    return true;
}

static bool same_fk(const db_fk *a, const db_fk *b)
{
    return same(a->ref_schema, b->ref_schema) && strcmp(a->ref_table, b->ref_table) == 0 &&
           same(a->on_delete, b->on_delete) && same(a->on_update, b->on_update) &&
           same_cols(a->cols, a->n, b->cols, b->n) && same_cols(a->ref_cols, a->n, b->ref_cols, b->n);
}

static const db_index *find_index(const db_table *t, const db_index *x)
{
    for (size_t i = 0; i < t->indexes.len; i++)
        if (same_index(t->indexes.items[i], x))
            return t->indexes.items[i];
    return NULL;
}

static const db_fk *find_fk(const db_table *t, const db_fk *f)
{
    for (size_t i = 0; i < t->fks.len; i++)
        if (same_fk(t->fks.items[i], f))
            return t->fks.items[i];
    return NULL;
}

static void put_cols(psl_sql *o, const char *const *cols, size_t n)
{
    psl_sql_puts(o, "(");
    for (size_t i = 0; i < n; i++)
        psl_sql_printf(o, "%s%s", i ? ", " : "", cols[i]);
    psl_sql_puts(o, ")\n");
}

static const char *arity(const db_col *c)
{
    return c->is_list ? "List" : c->not_null ? "Required" : "Nullable";
}

/* "changed from Required to Nullable, type changed", or "" when c and d agree. */
static void column_changes(const db_col *c, const db_col *d, psl_sql *o)
{
    size_t n = 0;
    if (c->not_null != d->not_null || c->is_list != d->is_list)
        psl_sql_printf(o, "%schanged from %s to %s", n++ ? ", " : "", arity(c), arity(d));
    if (!same(c->dflt, d->dflt) && !(c->identity || d->identity))
        psl_sql_printf(o, "%sdefault changed from `%s` to `%s`", n++ ? ", " : "", c->dflt ? c->dflt : "None",
                       d->dflt ? d->dflt : "None");
    if (!same(c->type, d->type) || !same(c->enum_name, d->enum_name))
        psl_sql_printf(o, "%stype changed", n++ ? ", " : "");
    if (c->identity != d->identity)
        psl_sql_printf(o, "%s%s", n++ ? ", " : "",
                       c->identity ? "column is no longer autoincrementing" : "column became autoincrementing");
}

static bool same_pk(const db_table *a, const db_table *b)
{
    return same_cols((const char *const *)a->pk_cols.items, a->pk_cols.len, (const char *const *)b->pk_cols.items,
                     b->pk_cols.len);
}

static int by_name(const void *x, const void *y)
{
    const char *a = *(const char *const *)x, *b = *(const char *const *)y;
    return strcmp(a, b);
}

/* The section items (table or enum names), sorted. */
typedef struct names {
    const char **v;
    size_t n;
} names;

static void names_add(names *s, const char *name)
{
    const char **v = realloc(s->v, (s->n + 1) * sizeof *v);
    if (!v)
        return;
    s->v = v;
    s->v[s->n++] = name;
}

static void section(psl_sql *out, const char *title, names *s)
{
    if (!s->n)
        return;
    qsort(s->v, s->n, sizeof *s->v, by_name);
    psl_sql_printf(out, "\n%s\n", title);
    for (size_t i = 0; i < s->n; i++)
        psl_sql_printf(out, "  - %s\n", s->v[i]);
}

/* The lines of one changed table (before: NULL for an added table, whose
 * indexes and foreign keys Prisma lists as changes of it). Returns the
 * number of lines. */
static size_t table_lines(const migrate_dialect *D, const db_table *before, const db_table *after, psl_sql *o)
{
    size_t n = 0;
    psl_sql sub = { 0 };
    if (before) {
        for (size_t i = 0; i < before->fks.len; i++) {
            const db_fk *f = before->fks.items[i];
            if (!find_fk(after, f)) {
                psl_sql_puts(o, "  [-] Removed foreign key on columns ");
                put_cols(o, f->cols, f->n);
                n++;
            }
        }
        for (size_t i = 0; i < before->indexes.len; i++) {
            const db_index *x = before->indexes.items[i];
            if (!x->special && !find_index(after, x)) {
                psl_sql_printf(o, "  [-] Removed %sindex on columns ", x->unique ? "unique " : "");
                put_cols(o, x->cols, x->n);
                n++;
            }
        }
        if (!same_pk(before, after) && before->pk_cols.len) {
            psl_sql_puts(o, "  [-] Dropped the primary key on columns ");
            put_cols(o, (const char *const *)before->pk_cols.items, before->pk_cols.len);
            n++;
        }
        for (size_t i = 0; i < after->cols.len; i++) {
            const db_col *c = after->cols.items[i];
            if (!find_col(before, c->name)) {
                psl_sql_printf(o, "  [+] Added column `%s`\n", c->name);
                n++;
            }
        }
        for (size_t i = 0; i < after->cols.len; i++) {
            const db_col *d = after->cols.items[i], *c = find_col(before, d->name);
            if (!c)
                continue;
            psl_sql_clear(&sub);
            column_changes(c, d, &sub);
            if (sub.len) {
                psl_sql_printf(o, "  [*] Altered column `%s` (%s)\n", d->name, psl_sql_text(&sub));
                n++;
            }
        }
        for (size_t i = 0; i < before->cols.len; i++) {
            const db_col *c = before->cols.items[i];
            if (!find_col(after, c->name)) {
                psl_sql_printf(o, "  [-] Removed column `%s`\n", c->name);
                n++;
            }
        }
        if (!same_pk(before, after) && after->pk_cols.len) {
            psl_sql_puts(o, "  [+] Added primary key on columns ");
            put_cols(o, (const char *const *)after->pk_cols.items, after->pk_cols.len);
            n++;
        }
    }
    for (size_t i = 0; i < after->indexes.len; i++) {
        const db_index *x = after->indexes.items[i];
        if (!x->special && !x->constraint && (!before || !find_index(before, x))) {
            psl_sql_printf(o, "  [+] Added %sindex on columns ", x->unique ? "unique " : "");
            put_cols(o, x->cols, x->n);
            n++;
        }
    }
    /* Where foreign keys are written inside CREATE TABLE, a new table's keys are not separate changes. */
    if (before || !(D->caps & MIG_CAP_INLINE_FKS))
        for (size_t i = 0; i < after->fks.len; i++) {
            const db_fk *f = after->fks.items[i];
            if (!before || !find_fk(before, f)) {
                psl_sql_puts(o, "  [+] Added foreign key on columns ");
                put_cols(o, f->cols, f->n);
                n++;
            }
        }
    psl_sql_free(&sub);
    return n;
}

/* Whether SQLite would rewrite the table (a column dropped or changed, or
 * the primary key or foreign keys changed): Prisma reports "Redefined table". */
static bool redefined(const migrate_dialect *D, const db_table *before, const db_table *after)
{
    if (D->caps & MIG_CAP_ALTER_IN_PLACE)
        return false;
    if (!same_pk(before, after) || before->fks.len != after->fks.len)
        return true;
    for (size_t i = 0; i < before->fks.len; i++)
        if (!find_fk(after, before->fks.items[i]))
            return true;
    for (size_t i = 0; i < before->cols.len; i++) {
        const db_col *c = before->cols.items[i], *d = find_col(after, c->name);
        psl_sql sub = { 0 };
        if (d)
            column_changes(c, d, &sub);
        bool changed = !d || sub.len;
        psl_sql_free(&sub);
        if (changed)
            return true;
    }
    return false;
}

size_t drift_summary(const migrate_dialect *D, const db_state *expected, const db_state *actual, psl_sql *out)
{
    names added_enums = { 0 }, added_tables = { 0 }, removed_enums = { 0 }, removed_tables = { 0 };
    size_t total = 0;
    for (size_t i = 0; i < actual->enums.len; i++)
        if (!find_enum(expected, actual->enums.items[i]))
            names_add(&added_enums, ((const db_enum *)actual->enums.items[i])->name);
    for (size_t i = 0; i < actual->tables.len; i++)
        if (!find_table(expected, actual->tables.items[i]))
            names_add(&added_tables, ((const db_table *)actual->tables.items[i])->name);
    for (size_t i = 0; i < expected->enums.len; i++)
        if (!find_enum(actual, expected->enums.items[i]))
            names_add(&removed_enums, ((const db_enum *)expected->enums.items[i])->name);
    for (size_t i = 0; i < expected->tables.len; i++)
        if (!find_table(actual, expected->tables.items[i]))
            names_add(&removed_tables, ((const db_table *)expected->tables.items[i])->name);
    total = added_enums.n + added_tables.n + removed_enums.n + removed_tables.n;
    section(out, "[+] Added enums", &added_enums);
    section(out, "[+] Added tables", &added_tables);
    section(out, "[-] Removed enums", &removed_enums);
    section(out, "[-] Removed tables", &removed_tables);

    /* Redefined, then changed tables and enums, by name. */
    names tables = { 0 }, enums = { 0 };
    for (size_t i = 0; i < actual->tables.len; i++)
        names_add(&tables, ((const db_table *)actual->tables.items[i])->name);
    for (size_t i = 0; i < actual->enums.len; i++)
        names_add(&enums, ((const db_enum *)actual->enums.items[i])->name);
    if (tables.n)
        qsort(tables.v, tables.n, sizeof *tables.v, by_name);
    if (enums.n)
        qsort(enums.v, enums.n, sizeof *enums.v, by_name);
    psl_sql lines = { 0 };
    for (size_t k = 0; k < tables.n; k++)
        for (size_t i = 0; i < actual->tables.len; i++) {
            const db_table *t = actual->tables.items[i], *e = find_table(expected, t);
            if (t->name == tables.v[k] && e && redefined(D, e, t)) {
                psl_sql_printf(out, "\n[*] Redefined table `%s`\n", t->name);
                total++;
            }
        }
    for (size_t k = 0; k < enums.n; k++)
        for (size_t i = 0; i < actual->enums.len; i++) {
            const db_enum *en = actual->enums.items[i], *e = find_enum(expected, en);
            if (en->name != enums.v[k] || !e)
                continue;
            psl_sql_clear(&lines);
            for (size_t j = 0; j < en->values.len; j++)
                if (!has_value(e, en->values.items[j]))
                    psl_sql_printf(&lines, "  [+] Added variant `%s`\n", (const char *)en->values.items[j]);
            for (size_t j = 0; j < e->values.len; j++)
                if (!has_value(en, e->values.items[j]))
                    psl_sql_printf(&lines, "  [-] Removed variant `%s`\n", (const char *)e->values.items[j]);
            if (lines.len) {
                psl_sql_printf(out, "\n[*] Changed the `%s` enum\n%s", en->name, psl_sql_text(&lines));
                total++;
            }
        }
    for (size_t k = 0; k < tables.n; k++)
        for (size_t i = 0; i < actual->tables.len; i++) {
            const db_table *t = actual->tables.items[i], *e = find_table(expected, t);
            if (t->name != tables.v[k] || (e && redefined(D, e, t)))
                continue;
            psl_sql_clear(&lines);
            size_t n = table_lines(D, e, t, &lines);
            if (n) {
                psl_sql_printf(out, "\n[*] Changed the `%s` table\n%s", t->name, psl_sql_text(&lines));
                total += e ? n : 0; /* an added table's indexes are counted with it */
            }
        }
    psl_sql_free(&lines);
    free(added_enums.v);
    free(added_tables.v);
    free(removed_enums.v);
    free(removed_tables.v);
    free(tables.v);
    free(enums.v);
    return total;
}
