/* The SQLite dialect of db push: opening the file, reading sqlite_master
 * and the table pragmas, SQLite's column comparison, and table
 * redefinition (SQLite cannot alter a column or constraint in place). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "describe.h"
#include "plan.h"

/* ---- the connection ---- */

/* Opens file:PATH, PATH relative to the current directory (base/dburl.h). */
static int sqlite_open(mconn *c, const dburl *u)
{
    const char *base = strrchr(u->path, '/');
    c->db_name = base ? base + 1 : u->path;
    c->where = u->url;
    c->schema = NULL;
    struct stat st;
    c->created = !u->memory && stat(u->path, &st) != 0;
    prisma_err err;
    /* The driver writes the file as it opens it (WAL mode), so a push with
     * nothing to do still leaves a database behind, as Prisma's does. */
    if (mc_connect(c, u->url, &err) != 0) {
        mc_set_err(c, &err);
        fprintf(stderr, "Error: P1003: cannot open the SQLite database at `%s`: %s\n", u->path, c->err);
        return -1;
    }
    return 0;
}

/* ---- what the database holds ---- */

static int describe_table(mconn *c, db_table *t)
{
    qres r;
    const char *p[1] = { t->name };
    if (mc_query(c, "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid", p, 1,
                 &r) != 0)
        return -1;
    const char *pk[64] = { 0 };
    size_t n_pk = 0;
    for (size_t i = 0; i < r.rows; i++) {
        db_col *col = psl_arena_alloc(c->a, sizeof *col);
        col->name = cell(&r, i, 0);
        col->type = cell(&r, i, 1) ? cell(&r, i, 1) : "";
        col->not_null = cell(&r, i, 2) && strcmp(cell(&r, i, 2), "0") != 0;
        col->dflt = cell(&r, i, 3);
        long k = cell(&r, i, 4) ? strtol(cell(&r, i, 4), NULL, 10) : 0;
        if (k > 0 && k <= 64) {
            pk[k - 1] = col->name;
            if ((size_t)k > n_pk)
                n_pk = (size_t)k;
        }
        psl_vec_push(c->a, &t->cols, col);
    }
    for (size_t i = 0; i < n_pk; i++)
        psl_vec_push_const(c->a, &t->pk_cols, pk[i]);

    qres ix;
    if (mc_query(c, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1)", p, 1, &ix) != 0)
        return -1;
    for (size_t i = 0; i < ix.rows; i++) {
        if (strcmp(cell(&ix, i, 2), "pk") == 0)
            continue;
        db_index *x = psl_arena_alloc(c->a, sizeof *x);
        x->name = cell(&ix, i, 0);
        x->unique = strcmp(cell(&ix, i, 1), "0") != 0;
        x->constraint = strcmp(cell(&ix, i, 2), "u") == 0;
        const char *q[1] = { x->name };
        if (strcmp(cell(&ix, i, 3), "0") != 0) { /* partial: the predicate as its CREATE INDEX wrote it */
            qres def;
            if (mc_query(c, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1", q, 1, &def) != 0)
                return -1;
            const char *sql = def.rows ? cell(&def, 0, 0) : NULL;
            const char *w = sql ? strstr(sql, ") WHERE ") : NULL;
            x->predicate = w ? w + 8 : "";
        }
        qres cols;
        if (mc_query(c, "SELECT name, \"desc\" FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno", q, 1,
                     &cols) != 0)
            return -1;
        x->n = cols.rows;
        x->cols = psl_arena_alloc(c->a, (cols.rows + 1) * sizeof *x->cols);
        x->ops = psl_arena_alloc(c->a, (cols.rows + 1) * sizeof *x->ops);
        x->desc = psl_arena_alloc(c->a, (cols.rows + 1) * sizeof *x->desc);
        x->ops_default = psl_arena_alloc(c->a, (cols.rows + 1) * sizeof *x->ops_default);
        for (size_t k = 0; k < cols.rows; k++) {
            x->cols[k] = cell(&cols, k, 0);
            x->desc[k] = cell(&cols, k, 1) && strcmp(cell(&cols, k, 1), "0") != 0;
            x->ops_default[k] = true;
            if (!x->cols[k])
                x->special = true; /* an expression */
        }
        psl_vec_push(c->a, &t->indexes, x);
    }

    qres fk;
    if (mc_query(c,
                 "SELECT id, NULL, \"from\", NULL, \"table\", \"to\", on_delete, on_update "
                 "FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
                 p, 1, &fk) != 0)
        return -1;
    describe_fks(c, t, &fk, NULL);
    return 0;
}

static int sqlite_describe(mconn *c, db_state *st)
{
    qres r;
    if (mc_query(c,
                 "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE "
                 "'sqlite\\_%' ESCAPE '\\' AND name <> '_prisma_migrations' ORDER BY rowid",
                 NULL, 0, &r) != 0)
        return -1;
    for (size_t i = 0; i < r.rows; i++) {
        if (strcmp(cell(&r, i, 0), "view") == 0) {
            psl_vec_push_const(c->a, &st->views, psl_arena_printf(c->a, "v\t\t%s", cell(&r, i, 1)));
            continue;
        }
        db_table *t = dbstate_new_table(c->a, NULL, cell(&r, i, 1));
        if (describe_table(c, t) != 0)
            return -1;
        psl_vec_push(c->a, &st->tables, t);
    }
    return 0;
}

/* ---- comparing ---- */

static bool sqlite_type_matches(const pusher *P, const psl_ddl_column *w, const db_col *h)
{
    (void)P;
    return strcasecmp(w->type, h->type) == 0;
}

static void sqlite_default_probe(psl_sql *q, const char *want, const db_col *h)
{
    psl_sql_printf(q, "SELECT (%s) IS (%s)", want, h->dflt);
}

/* SQLite's ALTER TABLE ADD COLUMN takes no PRIMARY KEY, no NOT NULL without
 * a default, and only a constant default. */
static bool sqlite_can_add_column(const psl_ddl_column *w)
{
    if (w->primary_key_inline || (w->not_null && !w->default_sql))
        return false;
    const char *d = w->default_sql;
    if (!d)
        return true;
    if (d[0] == '\'' || isdigit((unsigned char)d[0]) || ((d[0] == '-' || d[0] == '+') && isdigit((unsigned char)d[1])))
        return true;
    return strcasecmp(d, "true") == 0 || strcasecmp(d, "false") == 0 || strcasecmp(d, "null") == 0;
}

/* ---- rendering ---- */

static const char *scalar_name(psl_scalar t)
{
    switch (t) {
    case PSL_BOOLEAN: return "BOOLEAN";
    case PSL_DATETIME: return "DATETIME";
    case PSL_FLOAT: return "REAL";
    case PSL_DECIMAL: return "DECIMAL";
    case PSL_INT: return "INTEGER";
    case PSL_BIGINT: return "BIGINT";
    case PSL_STRING: return "TEXT";
    case PSL_BYTES: return "BLOB";
    case PSL_JSON: return "JSONB"; /* Prisma 6 stores Json as text, declared JSONB */
    case PSL_SCALAR_NONE: break;
    }
    return "TEXT";
}

/* SQLite's declared type of a field (enums are TEXT: SQLite has no enum
 * types); SQLite has no SERIAL. */
static void sqlite_column_type(const psl_field *f, bool serial, psl_sql *o)
{
    (void)serial;
    psl_sql_puts(o, f->kind == PSL_FIELD_ENUM ? "TEXT" : scalar_name(f->scalar));
}


static void sqlite_drop_index(psl_sql *o, const db_table *h, const db_index *x)
{
    psl_sql_puts(o, "DROP INDEX ");
    psl_sql_qualified(o, h->schema, x->name);
}

static void sqlite_reset(pusher *P, const db_state *st, plan_step *out)
{
    for (size_t i = 0; i < st->views.len; i++) {
        const char *name = strrchr(st->views.items[i], '\t') + 1;
        psl_sql_puts(&P->sql, "DROP VIEW IF EXISTS ");
        psl_sql_ident(&P->sql, name);
        plan_emit(P, out);
    }
    for (size_t i = 0; i < st->tables.len; i++) {
        const db_table *t = st->tables.items[i];
        psl_sql_puts(&P->sql, "DROP TABLE ");
        psl_sql_ident(&P->sql, t->name);
        plan_emit(P, out);
    }
    if (st->tables.len)
        P->p->check_fks = true;
}

/* As Prisma: the foreign keys are off around the drop (cyclic references
 * have no other order); the ones left dangling are found before commit. */
static void sqlite_drop_table(pusher *P, const db_table *h, plan_step *s)
{
    psl_sql_puts(&P->sql, "PRAGMA foreign_keys=off");
    plan_emit(P, s);
    psl_sql_puts(&P->sql, "DROP TABLE ");
    psl_sql_ident(&P->sql, h->name);
    plan_emit(P, s);
    psl_sql_puts(&P->sql, "PRAGMA foreign_keys=on");
    plan_emit(P, s);
    P->p->check_fks = true;
}

/* SQLite cannot change a table in place: for each table, create the new
 * shape under another name, copy the rows, drop the old table, rename,
 * recreate its indexes; the foreign keys are deferred and checked before
 * commit (Prisma's RedefineTables step). */
static void sqlite_redefine_tables(pusher *P, const size_t *tis, db_table *const *hs, size_t n)
{
    const psl_ddl *d = P->want;
    plan_step *out = plan_step_new(P, STEP_REDEFINE_TABLES, SEC_NONE, NULL);
    psl_sql_puts(&P->sql, "PRAGMA defer_foreign_keys=ON");
    plan_emit(P, out);
    psl_sql_puts(&P->sql, "PRAGMA foreign_keys=OFF");
    plan_emit(P, out);
    for (size_t r = 0; r < n; r++) {
        const psl_ddl_table *t = &d->tables[tis[r]];
        db_table *h = hs[r];
        plan_step_new(P, STEP_REDEFINE_TABLES, SEC_REDEFINED_TABLE, h->name); /* the summary's line */
        const char *tmp = psl_arena_printf(P->a, "new_%s", t->name);
        psl_ddl_create_table_as(d, t, tmp, &P->sql);
        plan_emit(P, out);
        psl_sql into = { 0 }, from = { 0 };
        size_t copied = 0;
        /* The kept columns, by name (Prisma's order). */
        const psl_ddl_column **kept = psl_arena_alloc(P->a, (t->n_cols + 1) * sizeof *kept);
        size_t n_kept = 0;
        for (size_t i = 0; i < t->n_cols; i++)
            if (plan_find_col(h, t->cols[i].name))
                kept[n_kept++] = &t->cols[i];
        for (size_t i = 1; i < n_kept; i++)
            for (size_t j = i; j > 0 && strcmp(kept[j - 1]->name, kept[j]->name) > 0; j--) {
                const psl_ddl_column *x = kept[j];
                kept[j] = kept[j - 1];
                kept[j - 1] = x;
            }
        for (size_t i = 0; i < n_kept; i++) {
            const psl_ddl_column *w = kept[i];
            const db_col *hc = plan_find_col(h, w->name);
            if (copied++) {
                psl_sql_puts(&into, ", ");
                psl_sql_puts(&from, ", ");
            }
            psl_sql_ident(&into, w->name);
            if (w->not_null && !hc->not_null && w->default_sql) {
                /* became required with a default: NULLs take the default */
                psl_sql_puts(&from, "coalesce(");
                psl_sql_ident(&from, w->name);
                psl_sql_printf(&from, ", %s) AS ", w->default_sql);
            }
            psl_sql_ident(&from, w->name);
        }
        if (copied) {
            psl_sql_puts(&P->sql, "INSERT INTO ");
            psl_sql_ident(&P->sql, tmp);
            psl_sql_printf(&P->sql, " (%s) SELECT %s FROM ", psl_sql_text(&into), psl_sql_text(&from));
            psl_sql_ident(&P->sql, h->name);
            if (into.failed || from.failed)
                P->sql.failed = true;
            plan_emit(P, out);
        }
        psl_sql_free(&into);
        psl_sql_free(&from);
        psl_sql_puts(&P->sql, "DROP TABLE ");
        psl_sql_ident(&P->sql, h->name);
        plan_emit(P, out);
        psl_sql_puts(&P->sql, "ALTER TABLE ");
        psl_sql_ident(&P->sql, tmp);
        psl_sql_puts(&P->sql, " RENAME TO ");
        psl_sql_ident(&P->sql, t->name);
        plan_emit(P, out);
        for (size_t k = 0; k < t->n_indexes; k++) {
            psl_ddl_create_index(d, t, &t->indexes[k], &P->sql);
            plan_emit(P, out);
        }
        plan_note(P, &P->p->changes, "~ table `%s` redefined with its rows (SQLite cannot alter it in place)",
                  t->name);
        P->p->n[N_CHANGED]++;
    }
    psl_sql_puts(&P->sql, "PRAGMA foreign_keys=ON");
    plan_emit(P, out);
    psl_sql_puts(&P->sql, "PRAGMA defer_foreign_keys=OFF");
    plan_emit(P, out);
    P->p->check_fks = true;
}

/* ---- issue 14: engine ---- */

/* What pragma_table_info reads for a column once created. */
static void sqlite_state_column(const psl_ddl *d, const psl_ddl_table *t, const psl_ddl_column *c, db_col *out,
                                psl_arena *a)
{
    (void)d;
    (void)t;
    (void)a;
    out->name = c->name;
    out->type = c->type;
    out->dflt = c->default_sql;
    out->not_null = c->not_null;
    out->is_list = c->is_list;
}

static void sqlite_ddl_type(const db_col *c, psl_sql *o)
{
    psl_sql_puts(o, c->type);
}

/* SQLite converts any value to any declared type (type affinity): the copy
 * of a redefinition never fails, values may change. */
static mig_cast sqlite_type_change(const db_col *from, const psl_ddl_column *to)
{
    (void)from;
    return strcasecmp(to->base_type, "TEXT") == 0 ? MIG_CAST_SAFE : MIG_CAST_RISKY; /* anything reads as text */
}

/* Prisma names SQLite's types by their Prisma scalar. */
static void sqlite_display_type(const char *t, psl_sql *o)
{
    static const struct {
        const char *sql, *prisma;
    } names[] = { { "TEXT", "String" },   { "INTEGER", "Int" },   { "BIGINT", "BigInt" },  { "REAL", "Float" },
                  { "DECIMAL", "Decimal" }, { "BOOLEAN", "Boolean" }, { "DATETIME", "DateTime" }, { "BLOB", "Bytes" },
                  { "JSONB", "Json" } };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(t, names[i].sql) == 0) {
            psl_sql_puts(o, names[i].prisma);
            return;
        }
    psl_sql_puts(o, t);
}

/* ---- applying ---- */

/* Recreated tables: the foreign keys were off (see before_begin); check them. */
static int sqlite_check_before_commit(mconn *c, const plan *p)
{
    if (!p->check_fks)
        return 0;
    qres r;
    if (mc_query(c, "PRAGMA foreign_key_check", NULL, 0, &r) != 0)
        return -1;
    if (r.rows) {
        snprintf(c->err, sizeof c->err,
                 "FOREIGN KEY constraint failed: %zu row(s) of `%s` reference missing rows of `%s`", r.rows,
                 cell(&r, 0, 0), cell(&r, 0, 2) ? cell(&r, 0, 2) : "?");
        return -1;
    }
    return 0;
}

const migrate_dialect migrate_sqlite = {
    .title = "SQLite",
    .provider = PSL_PROVIDER_SQLITE,
    .url_scheme = "`file:`",
    .backend_name = "sqlite",
    .caps = MIG_CAP_TRANSACTIONAL_DDL | MIG_CAP_INLINE_PK | MIG_CAP_INLINE_FKS | MIG_CAP_DROP_TABLE_INDEXES,
    .max_ident = 10000,
    .column_type = sqlite_column_type,
    .bytes_literal_open = "'",
    .open = sqlite_open,
    .describe = sqlite_describe,
    .type_matches = sqlite_type_matches,
    .default_probe = sqlite_default_probe,
    .can_add_column = sqlite_can_add_column,
    .drop_index = sqlite_drop_index,
    .reset = sqlite_reset,
    /* Dropping a table must not cascade to other tables' rows while tables
     * are recreated; the keys are checked before commit instead. (The
     * pragma is a no-op inside a transaction, hence before BEGIN.) */
    .before_begin = "PRAGMA foreign_keys = OFF",
    .check_before_commit = sqlite_check_before_commit,
    .state_column = sqlite_state_column,
    .type_change = sqlite_type_change,
    .display_type = sqlite_display_type,
    .drop_table = sqlite_drop_table,
    .redefine_tables = sqlite_redefine_tables,
    .ddl_type = sqlite_ddl_type,
};
