/* db pull's renderer (pull.h): a database state into a Prisma schema, by the
 * rules of Prisma's introspection (prisma-engines, sql-schema-connector's
 * introspection/: relation_names.rs, sanitize_datamodel_names.rs,
 * introspection_pair/, rendering/). What differs per database is asked of
 * the pull dialect (pull_int.h). */
#include "pull.h"

#include <stdlib.h>
#include <string.h>

#include "prismac.h"
#include "pull_render.h"

/* ---- names (sanitize_datamodel_names.rs) ---- */

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_ident_char(char c) { return is_alpha(c) || (c >= '0' && c <= '9') || c == '_'; }

static bool needs_sanitation(const char *s)
{
    if (!is_alpha(s[0]))
        return true;
    for (const char *p = s; *p; p++)
        if (!is_ident_char(*p))
            return true;
    return false;
}

/* Leading characters that are not letters dropped, every other character
 * outside [_a-zA-Z0-9] turned into '_' (a UTF-8 character is one '_'). */
const char *pull_sanitize(psl_arena *a, const char *s)
{
    if (!needs_sanitation(s))
        return s;
    while (*s && !is_alpha(*s))
        s++;
    char *o = psl_arena_alloc(a, strlen(s) + 1), *w = o;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c & 0xC0) == 0x80)
            continue; /* a UTF-8 continuation byte: its character is already one '_' */
        *w++ = is_ident_char((char)c) ? (char)c : '_';
    }
    *w = '\0';
    return o;
}

/* psl::is_reserved_type_name */
bool pull_reserved_type_name(const char *s)
{
    static const char *const names[] = { "PrismaClient", "String", "Boolean", "Int", "BigInt", "Float",
                                         "Decimal", "DateTime", "Json", "Bytes" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i]) == 0)
            return true;
    return false;
}

/* A PSL string literal of s. */
const char *pull_quoted(psl_arena *a, const char *s)
{
    size_t n = 2;
    for (const char *p = s; *p; p++)
        n += (*p == '"' || *p == '\\' || *p == '\n' || *p == '\r' || *p == '\t') ? 2 : 1;
    char *o = psl_arena_alloc(a, n + 1), *w = o;
    *w++ = '"';
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '"': *w++ = '\\'; *w++ = '"'; break;
        case '\\': *w++ = '\\'; *w++ = '\\'; break;
        case '\n': *w++ = '\\'; *w++ = 'n'; break;
        case '\r': *w++ = '\\'; *w++ = 'r'; break;
        case '\t': *w++ = '\\'; *w++ = 't'; break;
        default: *w++ = *p;
        }
    }
    *w++ = '"';
    *w = '\0';
    return o;
}

/* ---- matching the existing schema ---- */

static const char *default_namespace(const puller *X)
{
    (void)X;
    return "public";
}

static bool same_namespace(const puller *X, const char *psl_schema_name, const char *db_schema)
{
    if (!X->namespaces || !db_schema)
        return true;
    return strcmp(psl_schema_name ? psl_schema_name : default_namespace(X), db_schema) == 0;
}

static const psl_model *previous_model(const puller *X, const db_table *t)
{
    if (!X->prev)
        return NULL;
    for (size_t i = 0; i < X->prev->n_models; i++) {
        const psl_model *m = X->prev->models[i];
        if (!m->is_view && !m->is_composite && strcmp(m->db_name, t->name) == 0 &&
            same_namespace(X, m->schema_name, t->schema))
            return m;
    }
    return NULL;
}

static const psl_field *previous_field(const psl_model *m, const char *column)
{
    for (size_t i = 0; m && i < m->n_fields; i++) {
        const psl_field *f = m->fields[i];
        if (f->kind != PSL_FIELD_RELATION && f->db_name && strcmp(f->db_name, column) == 0)
            return f;
    }
    return NULL;
}

static const psl_enum *previous_enum(const puller *X, const db_enum *e)
{
    for (size_t i = 0; X->prev && i < X->prev->n_enums; i++) {
        const psl_enum *pe = X->prev->enums[i];
        if (strcmp(pe->db_name, e->name) == 0 && same_namespace(X, pe->schema_name, e->schema))
            return pe;
    }
    return NULL;
}

/* ---- tables and their columns ---- */

static int cmp_indexes(const void *pa, const void *pb)
{
    const db_index *a = *(const db_index *const *)pa, *b = *(const db_index *const *)pb;
    return strcmp(a->name, b->name);
}

static int cmp_tables(const void *pa, const void *pb)
{
    const ptable *a = pa, *b = pb;
    int c = strcmp(a->t->schema ? a->t->schema : "", b->t->schema ? b->t->schema : "");
    return c ? c : strcmp(a->t->name, b->t->name);
}

ptable *pull_table_of(puller *X, const char *schema, const char *name)
{
    for (size_t i = 0; i < X->n_tables; i++) {
        const db_table *t = X->tables[i].t;
        if (strcmp(t->name, name) == 0 && (!schema || !t->schema || strcmp(schema, t->schema) == 0))
            return &X->tables[i];
    }
    return NULL;
}

const pcol *pull_col_of(const ptable *T, const char *name)
{
    for (size_t i = 0; i < T->n_cols; i++)
        if (strcmp(T->cols[i].c->name, name) == 0)
            return &T->cols[i];
    return NULL;
}

/* introspection_helpers::is_prisma_join_table: `_Name` with exactly the
 * columns A and B, each a foreign key, and a unique index (or the primary
 * key) on (A, B). */
static bool is_join_table(const db_table *t)
{
    if (t->name[0] != '_' || t->cols.len != 2 || t->fks.len != 2)
        return false;
    const db_col *a = t->cols.items[0], *b = t->cols.items[1];
    if (strcmp(a->name, "A") != 0 || strcmp(b->name, "B") != 0)
        return false;
    const db_fk *fa = t->fks.items[0], *fb = t->fks.items[1];
    if (fa->n != 1 || fb->n != 1)
        return false;
    if (strcmp(fa->cols[0], "A") != 0) {
        const db_fk *tmp = fa;
        fa = fb;
        fb = tmp;
    }
    if (strcmp(fa->cols[0], "A") != 0 || strcmp(fb->cols[0], "B") != 0)
        return false;
    if (t->pk_cols.len == 2 && strcmp(t->pk_cols.items[0], "A") == 0 && strcmp(t->pk_cols.items[1], "B") == 0)
        return true;
    for (size_t i = 0; i < t->indexes.len; i++) {
        const db_index *x = t->indexes.items[i];
        if (x->unique && x->n == 2 && x->cols[0] && x->cols[1] && strcmp(x->cols[0], "A") == 0 &&
            strcmp(x->cols[1], "B") == 0)
            return true;
    }
    return false;
}

/* The key's columns are exactly a unique index's or the primary key's (a
 * one-to-one relation). */
bool pull_columns_unique(const db_table *t, const char *const *cols, size_t n)
{
    if (t->pk_cols.len == n) {
        size_t hit = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < n; k++)
                hit += strcmp(t->pk_cols.items[i], cols[k]) == 0;
        if (hit == n)
            return true;
    }
    for (size_t i = 0; i < t->indexes.len; i++) {
        const db_index *x = t->indexes.items[i];
        if (!x->unique || x->special || x->predicate || x->n != n)
            continue;
        size_t hit = 0;
        for (size_t j = 0; j < n; j++)
            for (size_t k = 0; k < n; k++)
                hit += x->cols[j] && strcmp(x->cols[j], cols[k]) == 0;
        if (hit == n)
            return true;
    }
    return false;
}

static const penum *penum_of(const puller *X, const db_enum *e)
{
    for (size_t i = 0; i < X->n_enums; i++)
        if (X->enums[i].e == e)
            return &X->enums[i];
    return NULL;
}

void pull_read_columns(puller *X, ptable *T)
{
    const db_table *t = T->t;
    T->n_cols = t->cols.len;
    T->cols = psl_arena_alloc(X->a, (T->n_cols + 1) * sizeof *T->cols);
    for (size_t i = 0; i < T->n_cols; i++) {
        pcol *c = &T->cols[i];
        c->c = t->cols.items[i];
        c->prev = previous_field(T->prev, c->c->name);
        c->name = c->prev ? c->prev->name : pull_sanitize(X->a, c->c->name);
        X->P->column_type(X->a, X->st, c->c, &c->ty);
        c->autoincrement = X->P->is_autoincrement(t, c->c, &c->ty);
        c->required = c->c->not_null;
        for (size_t k = 0; k < t->pk_cols.len; k++)
            if (strcmp(t->pk_cols.items[k], c->c->name) == 0)
                c->required = true;
    }
}

/* model.rs has_usable_identifier: a primary key, or a unique index over
 * required columns of supported types. */
static bool has_usable_identifier(const ptable *T)
{
    const db_table *t = T->t;
    if (t->pk_cols.len)
        return true;
    for (size_t i = 0; i < t->indexes.len; i++) {
        const db_index *x = t->indexes.items[i];
        if (!x->unique || x->special || x->predicate)
            continue;
        bool ok = true;
        for (size_t k = 0; k < x->n && ok; k++) {
            const pcol *c = pull_col_of(T, x->cols[k]);
            ok = c && c->required && !c->ty.unsupported;
        }
        if (ok)
            return true;
    }
    return false;
}

/* ---- rendering ---- */

void pull_put_doc(puller *X, const char *doc, const char *indent)
{
    if (!doc)
        return;
    const char *p = doc;
    while (*p) {
        size_t n = strcspn(p, "\n");
        psl_sql_printf(&X->out, "%s///%s%.*s\n", indent, n && p[0] != ' ' ? " " : "", (int)n, p);
        p += n;
        if (*p)
            p++;
    }
}

/* Prisma's default constraint name (ConstraintNames::*). */
static const char *default_name(puller *X, const db_table *t, const char *const *cols, size_t n,
                                const char *suffix)
{
    psl_sql b = { 0 };
    psl_sql_puts(&b, t->name);
    for (size_t i = 0; i < n; i++)
        psl_sql_printf(&b, "_%s", cols[i]);
    char *s = psl_arena_strdup(X->a, psl_sql_text(&b));
    psl_sql_free(&b);
    size_t limit = X->P->max_ident, sl = strlen(suffix);
    if (limit && strlen(s) + 1 + sl > limit)
        s[limit - 1 - sl] = '\0';
    return psl_arena_printf(X->a, "%s_%s", s, suffix);
}

const char *pull_field_name_of(const ptable *T, const char *col)
{
    const pcol *c = pull_col_of(T, col);
    return c ? c->name : col;
}

static void put_default(puller *X, const ptable *T, const pcol *c)
{
    (void)T;
    pull_default d = { PULL_DEF_NONE, NULL };
    if (c->autoincrement)
        d = (pull_default){ PULL_DEF_EXPR, "autoincrement()" };
    else if (c->c->dflt)
        d = X->P->default_value(X->a, c->c, &c->ty);
    const char *v = NULL;
    switch (d.kind) {
    case PULL_DEF_NONE:
        /* Prisma keeps the existing schema's client-side generators. */
        if (c->prev && (c->prev->def.kind == PSL_DEFAULT_UUID || c->prev->def.kind == PSL_DEFAULT_CUID ||
                        c->prev->def.kind == PSL_DEFAULT_NANOID || c->prev->def.kind == PSL_DEFAULT_ULID) &&
            c->prev->def.kind != PSL_DEFAULT_NONE) {
            const psl_line *l = c->prev->ast;
            for (size_t i = 0; l && i < l->n_attrs; i++)
                if (strcmp(l->attrs[i].name, "default") == 0) {
                    const psl_source *src = &X->prev->files[l->attrs[i].span.file];
                    psl_sql_printf(&X->out, " %.*s", (int)(l->attrs[i].span.end - l->attrs[i].span.start),
                                   src->text + l->attrs[i].span.start);
                }
        }
        return;
    case PULL_DEF_EXPR: v = d.text; break;
    case PULL_DEF_STRING: v = pull_quoted(X->a, d.text); break;
    case PULL_DEF_DBGEN: v = psl_arena_printf(X->a, "dbgenerated(%s)", pull_quoted(X->a, d.text)); break;
    case PULL_DEF_ENUM: {
        const penum *E = c->ty.enum_type ? penum_of(X, c->ty.enum_type) : NULL;
        for (size_t i = 0; E && i < E->e->values.len; i++)
            if (strcmp(E->e->values.items[i], d.text) == 0 && *E->values[i])
                v = E->values[i];
        if (!v)
            v = psl_arena_printf(X->a, "dbgenerated(%s)", pull_quoted(X->a, d.text));
        break;
    }
    }
    if (v)
        psl_sql_printf(&X->out, " @default(%s)", v);
}

static void put_index_fields(puller *X, const ptable *T, const db_index *x)
{
    psl_sql_puts(&X->out, "[");
    for (size_t k = 0; k < x->n; k++) {
        psl_sql_printf(&X->out, "%s%s", k ? ", " : "", pull_field_name_of(T, x->cols[k]));
        const char *ops = !x->ops_default[k] && x->ops && x->ops[k] && X->P->index_ops ? X->P->index_ops(X->a, x->ops[k])
                                                                                     : NULL;
        int length = x->lengths ? x->lengths[k] : 0;
        if (x->desc[k] || ops || length > 0) {
            psl_sql_puts(&X->out, "(");
            if (length > 0)
                psl_sql_printf(&X->out, "length: %d", length);
            if (x->desc[k])
                psl_sql_printf(&X->out, "%ssort: Desc", length > 0 ? ", " : "");
            if (ops)
                psl_sql_printf(&X->out, "%sops: %s", x->desc[k] || length > 0 ? ", " : "", ops);
            psl_sql_puts(&X->out, ")");
        }
    }
    psl_sql_puts(&X->out, "]");
}

/* An index Prisma can write: no expression; a predicate only with the
 * partialIndexes preview feature. */
static bool renderable_index(const puller *X, const db_index *x)
{
    return !x->special && (!x->predicate || X->partial_indexes);
}

static void put_where(puller *X, const db_index *x, bool first)
{
    if (x->predicate)
        psl_sql_printf(&X->out, "%swhere: raw(%s)", first ? "" : ", ", pull_quoted(X->a, x->predicate));
}

/* The single-column unique index of column c that becomes its @unique. */
static const db_index *field_unique(const puller *X, const ptable *T, const char *col)
{
    for (size_t i = 0; i < T->n_ix; i++) {
        const db_index *x = T->ix[i];
        if (x->unique && renderable_index(X, x) && x->n == 1 && strcmp(x->cols[0], col) == 0)
            return x;
    }
    return NULL;
}

void pull_put_field(puller *X, const ptable *T, const pcol *c)
{
    const db_table *t = T->t;
    if (c->prev)
        pull_put_doc(X, c->prev->doc, "  ");
    bool commented = !*c->name;
    if (commented) {
        psl_sql_puts(&X->out, "  /// This field was commented out because of an invalid name. Please provide a valid one "
                              "that matches [a-zA-Z][a-zA-Z0-9_]*\n  // ");
        psl_sql_printf(&X->w_commented, "  - Model: \"%s\", field: \"%s\"\n", T->name, c->c->name);
    } else {
        psl_sql_puts(&X->out, "  ");
    }
    psl_sql_printf(&X->out, "%s ", commented ? c->c->name : c->name);
    if (c->ty.unsupported) {
        psl_sql_printf(&X->out, "Unsupported(%s)", pull_quoted(X->a, c->ty.unsupported));
        psl_sql_printf(&X->w_unsupported, "  - Model: \"%s\", field: \"%s\", original data type: \"%s\"\n", T->name,
                       c->name, c->ty.unsupported);
    } else if (c->ty.enum_type) {
        const penum *E = penum_of(X, c->ty.enum_type);
        psl_sql_puts(&X->out, E ? E->name : c->ty.enum_type->name);
    } else {
        psl_sql_puts(&X->out, psl_scalar_name(c->ty.scalar));
    }
    psl_sql_puts(&X->out, c->c->is_list ? "[]" : c->required ? "" : "?");
    if (c->prev && c->prev->is_updated_at)
        psl_sql_puts(&X->out, " @updatedAt");
    const db_index *u = T->is_view ? NULL : field_unique(X, T, c->c->name);
    if (T->is_view && c->prev && c->prev->is_unique)
        psl_sql_puts(&X->out, " @unique"); /* a view's keys are the schema's alone (view.rs) */
    if (u) {
        const char *dn = default_name(X, t, &c->c->name, 1, "key");
        bool map = strcmp(u->name, dn) != 0, sort = u->desc[0];
        psl_sql_puts(&X->out, " @unique");
        if (map || sort || u->predicate) {
            psl_sql_puts(&X->out, "(");
            if (map)
                psl_sql_printf(&X->out, "map: %s", pull_quoted(X->a, u->name));
            if (sort)
                psl_sql_printf(&X->out, "%ssort: Desc", map ? ", " : "");
            put_where(X, u, !map && !sort);
            psl_sql_puts(&X->out, ")");
        }
    }
    if (T->is_view && c->prev && c->prev->is_id)
        psl_sql_puts(&X->out, " @id");
    if (t->pk_cols.len == 1 && strcmp(t->pk_cols.items[0], c->c->name) == 0) {
        psl_sql_puts(&X->out, " @id");
        if (X->P->named_pks && t->pk_name && strcmp(t->pk_name, default_name(X, t, NULL, 0, "pkey")) != 0)
            psl_sql_printf(&X->out, "(map: %s)", pull_quoted(X->a, t->pk_name));
    }
    put_default(X, T, c);
    if (strcmp(c->name, c->c->name) != 0 && !commented)
        psl_sql_printf(&X->out, " @map(%s)", pull_quoted(X->a, c->c->name));
    if (c->ty.native)
        psl_sql_printf(&X->out, " @%s.%s", X->ds_name, c->ty.native);
    if (c->prev && c->prev->is_ignored)
        psl_sql_puts(&X->out, " @ignore");
    psl_sql_puts(&X->out, "\n");
}

static const char *action_name(const char *sql)
{
    if (!sql)
        return "NoAction";
    if (strcmp(sql, "CASCADE") == 0)
        return "Cascade";
    if (strcmp(sql, "RESTRICT") == 0)
        return "Restrict";
    if (strcmp(sql, "SET NULL") == 0)
        return "SetNull";
    if (strcmp(sql, "SET DEFAULT") == 0)
        return "SetDefault";
    return "NoAction";
}

static void put_relation_field(puller *X, const ptable *T, const prel *r)
{
    if (r->raw) {
        psl_sql_printf(&X->out, "  %s\n", r->raw);
        return;
    }
    psl_sql_printf(&X->out, "  %s %s%s", r->name, r->other->name, r->arity);
    psl_sql b = { 0 };
    if (*r->relation)
        psl_sql_puts(&b, pull_quoted(X->a, r->relation));
    if (r->fk) {
        const db_fk *fk = r->fk;
        psl_sql_printf(&b, "%sfields: [", b.len ? ", " : "");
        for (size_t k = 0; k < fk->n; k++)
            psl_sql_printf(&b, "%s%s", k ? ", " : "", pull_field_name_of(T, fk->cols[k]));
        psl_sql_puts(&b, "], references: [");
        for (size_t k = 0; k < fk->n; k++) {
            const char *rc = fk->ref_cols[k];
            if (!*rc && r->other->t->pk_cols.len > k)
                rc = r->other->t->pk_cols.items[k];
            psl_sql_printf(&b, "%s%s", k ? ", " : "", pull_field_name_of(r->other, rc));
        }
        psl_sql_puts(&b, "]");
        bool optional = strcmp(r->arity, "?") == 0;
        const char *del = action_name(fk->on_delete), *upd = action_name(fk->on_update);
        if (strcmp(del, optional ? "SetNull" : "Restrict") != 0)
            psl_sql_printf(&b, ", onDelete: %s", del);
        if (strcmp(upd, "Cascade") != 0)
            psl_sql_printf(&b, ", onUpdate: %s", upd);
        if (X->P->named_fks && fk->name && strcmp(fk->name, default_name(X, T->t, fk->cols, fk->n, "fkey")) != 0)
            psl_sql_printf(&b, ", map: %s", pull_quoted(X->a, fk->name));
    }
    if (b.len)
        psl_sql_printf(&X->out, " @relation(%s)", psl_sql_text(&b));
    psl_sql_free(&b);
    if (r->ignore)
        psl_sql_puts(&X->out, " @ignore");
    psl_sql_puts(&X->out, "\n");
}

static void put_model(puller *X, const ptable *T)
{
    const db_table *t = T->t;
    if (T->prev)
        pull_put_doc(X, T->prev->doc, "");
    if (T->reserved)
        psl_sql_printf(&X->out,
                       "/// This model has been renamed to '%s' during introspection, because the original name '%s' "
                       "is reserved.\n",
                       T->name, t->name);
    if (!T->has_id && !(T->prev && T->prev->is_ignored))
        psl_sql_puts(&X->out, "/// The underlying table does not contain a valid unique identifier and can therefore "
                              "currently not be handled by Prisma Client.\n");
    if (T->expression_index)
        psl_sql_puts(&X->out, "/// This model contains an expression index which requires additional setup for "
                              "migrations. Visit https://pris.ly/d/expression-indexes for more info.\n");
    psl_sql_printf(&X->out, "model %s {\n", T->name);
    for (size_t i = 0; i < T->n_cols; i++)
        pull_put_field(X, T, &T->cols[i]);
    for (size_t i = 0; i < T->rels.len; i++)
        put_relation_field(X, T, T->rels.items[i]);
    bool blank = false;
#define BLOCK_LINE() (blank ? (void)0 : (void)(psl_sql_puts(&X->out, "\n"), blank = true))
    if (t->pk_cols.len > 1) {
        BLOCK_LINE();
        psl_sql_puts(&X->out, "  @@id([");
        for (size_t k = 0; k < t->pk_cols.len; k++)
            psl_sql_printf(&X->out, "%s%s", k ? ", " : "", pull_field_name_of(T, t->pk_cols.items[k]));
        psl_sql_puts(&X->out, "]");
        if (X->P->named_pks && t->pk_name && strcmp(t->pk_name, default_name(X, t, NULL, 0, "pkey")) != 0)
            psl_sql_printf(&X->out, ", map: %s", pull_quoted(X->a, t->pk_name));
        psl_sql_puts(&X->out, ")\n");
    }
    for (size_t i = 0; i < T->n_ix; i++) {
        const db_index *x = T->ix[i];
        if (!renderable_index(X, x) || (x->unique && x->n == 1))
            continue;
        BLOCK_LINE();
        psl_sql_printf(&X->out, "  @@%s(", x->fulltext ? "fulltext" : x->unique ? "unique" : "index");
        put_index_fields(X, T, x);
        const char *dn = default_name(X, t, x->cols, x->n, x->unique ? "key" : "idx");
        if (strcmp(dn, x->name) != 0)
            psl_sql_printf(&X->out, ", map: %s", pull_quoted(X->a, x->name));
        const char *type = X->P->index_type ? X->P->index_type(x->method) : NULL;
        if (type)
            psl_sql_printf(&X->out, ", type: %s", type);
        put_where(X, x, false);
        psl_sql_puts(&X->out, ")\n");
    }
    if (strcmp(T->name, t->name) != 0) {
        BLOCK_LINE();
        psl_sql_printf(&X->out, "  @@map(%s)\n", pull_quoted(X->a, t->name));
    }
    if (T->ignored) {
        BLOCK_LINE();
        psl_sql_puts(&X->out, "  @@ignore\n");
    }
    if (X->namespaces && t->schema) {
        BLOCK_LINE();
        psl_sql_printf(&X->out, "  @@schema(%s)\n", pull_quoted(X->a, t->schema));
    }
#undef BLOCK_LINE
    psl_sql_puts(&X->out, "}\n\n");
}

static void put_enum(puller *X, const penum *E)
{
    if (E->prev)
        pull_put_doc(X, E->prev->doc, "");
    psl_sql_printf(&X->out, "enum %s {\n", E->name);
    for (size_t i = 0; i < E->e->values.len; i++) {
        const char *v = E->e->values.items[i];
        if (!*E->values[i]) { /* nothing of the name is left: commented out, as Prisma does */
            psl_sql_printf(&X->out, "  // %s @map(%s)\n", v, pull_quoted(X->a, v));
            psl_sql_printf(&X->w_enum_values, "  - Enum: \"%s\", value: \"%s\"\n", E->name, v);
            continue;
        }
        psl_sql_printf(&X->out, "  %s", E->values[i]);
        if (strcmp(E->values[i], v) != 0)
            psl_sql_printf(&X->out, " @map(%s)", pull_quoted(X->a, v));
        psl_sql_puts(&X->out, "\n");
    }
    if (strcmp(E->name, E->e->name) != 0 || (X->namespaces && E->e->schema))
        psl_sql_puts(&X->out, "\n");
    if (strcmp(E->name, E->e->name) != 0)
        psl_sql_printf(&X->out, "  @@map(%s)\n", pull_quoted(X->a, E->e->name));
    if (X->namespaces && E->e->schema)
        psl_sql_printf(&X->out, "  @@schema(%s)\n", pull_quoted(X->a, E->e->schema));
    psl_sql_puts(&X->out, "}\n\n");
}

/* The existing datasource and generator blocks as written, else Prisma's
 * defaults for prismac. */
static void put_config(puller *X)
{
    bool any = false;
    if (X->prev && X->prev->ast) {
        const psl_ast *ast = X->prev->ast;
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < ast->n_tops; i++) {
                const psl_top *top = &ast->tops[i];
                if (top->kind != (pass == 0 ? PSL_TOP_GENERATOR : PSL_TOP_DATASOURCE))
                    continue;
                const psl_source *src = &X->prev->files[top->span.file];
                if (top->doc)
                    pull_put_doc(X, top->doc, "");
                psl_sql_printf(&X->out, "%.*s\n\n", (int)(top->span.end - top->span.start), src->text + top->span.start);
                any = true;
            }
    }
    if (!any)
        psl_sql_printf(&X->out, "generator client {\n  provider = \"prismac\"\n}\n\ndatasource db {\n  provider = \"%s\"\n}\n\n",
                       psl_provider_name(X->D->provider));
}

/* ---- the whole ---- */

bool pull_has_preview(const psl_schema *s, const char *feature)
{
    for (size_t i = 0; s && i < s->n_generators; i++)
        for (size_t k = 0; k < s->generators[i]->n_preview_features; k++)
            if (strcmp(s->generators[i]->preview_features[k], feature) == 0)
                return true;
    return false;
}

static void build(puller *X)
{
    const db_state *st = X->st;
    X->n_tables = st->tables.len;
    X->tables = psl_arena_alloc(X->a, (X->n_tables + 1) * sizeof *X->tables);
    for (size_t i = 0; i < X->n_tables; i++)
        X->tables[i].t = st->tables.items[i];
    qsort(X->tables, X->n_tables, sizeof *X->tables, cmp_tables);
    for (size_t i = 0; i < X->n_tables; i++) {
        ptable *T = &X->tables[i];
        T->join = is_join_table(T->t);
        T->prev = previous_model(X, T->t);
        if (T->prev) {
            T->name = T->prev->name;
        } else if (pull_reserved_type_name(T->t->name)) {
            T->name = psl_arena_printf(X->a, "Renamed%s", T->t->name);
            T->reserved = true;
        } else {
            T->name = pull_sanitize(X->a, T->t->name);
        }
        pull_read_columns(X, T);
        T->n_ix = T->t->indexes.len;
        T->ix = psl_arena_alloc(X->a, (T->n_ix + 1) * sizeof *T->ix);
        for (size_t k = 0; k < T->n_ix; k++)
            T->ix[k] = T->t->indexes.items[k];
        qsort(T->ix, T->n_ix, sizeof *T->ix, cmp_indexes);
        T->has_id = has_usable_identifier(T);
        T->ignored = (T->prev && T->prev->is_ignored) || (!T->has_id && T->n_cols > 0);
        for (size_t k = 0; k < T->t->indexes.len; k++)
            if (((const db_index *)T->t->indexes.items[k])->special)
                T->expression_index = true;
        if (!T->join && T->ignored && !(T->prev && T->prev->is_ignored))
            psl_sql_printf(&X->w_ignored, "  - \"%s\"\n", T->name);
        if (!T->join && T->expression_index)
            for (size_t k = 0; k < T->t->indexes.len; k++) {
                const db_index *x = T->t->indexes.items[k];
                if (x->special)
                    psl_sql_printf(&X->w_expr_index, "  - Index: \"%s\", Model: \"%s\"\n", x->name, T->name);
            }
    }
    X->n_enums = st->enums.len;
    X->enums = psl_arena_alloc(X->a, (X->n_enums + 1) * sizeof *X->enums);
    for (size_t i = 0; i < X->n_enums; i++) {
        penum *E = &X->enums[i];
        E->e = st->enums.items[i];
        E->prev = previous_enum(X, E->e);
        E->name = E->prev ? E->prev->name : pull_reserved_type_name(E->e->name)
                                                ? psl_arena_printf(X->a, "Renamed%s", E->e->name)
                                                : pull_sanitize(X->a, E->e->name);
        E->values = psl_arena_alloc(X->a, (E->e->values.len + 1) * sizeof *E->values);
        for (size_t k = 0; k < E->e->values.len; k++) {
            const char *v = E->e->values.items[k];
            const char *name = NULL;
            for (size_t j = 0; E->prev && j < E->prev->n_values; j++)
                if (strcmp(E->prev->values[j].db_name, v) == 0)
                    name = E->prev->values[j].name;
            E->values[k] = name ? name : *v ? pull_sanitize(X->a, v) : "EMPTY_ENUM_VALUE";
        }
    }
    if (X->views)
        pull_build_views(X);
    pull_build_relations(X);
}

/* Prisma's warnings text (warnings.rs), "" when none. */
static char *warnings_text(puller *X)
{
    psl_sql w = { 0 };
    const struct {
        psl_sql *list;
        const char *head;
    } parts[] = {
        { &X->w_commented, "These fields were commented out because their names are currently not supported by Prisma. "
                           "Please provide valid ones that match [a-zA-Z][a-zA-Z0-9_]* using the `@map` attribute:" },
        { &X->w_enum_values, "These enum values were commented out because their names are currently not supported by "
                             "Prisma. Please provide valid ones that match [a-zA-Z][a-zA-Z0-9_]* using the `@map` "
                             "attribute:" },
        { &X->w_ignored, "The following models were ignored as they do not have a valid unique identifier or id. This "
                         "is currently not supported by Prisma Client:" },
        { &X->w_views, "The following views were ignored as they do not have a valid unique identifier or id. This is "
                       "currently not supported by Prisma Client. Please refer to the documentation on defining unique "
                       "identifiers in views: https://pris.ly/d/view-identifiers" },
        { &X->w_unsupported, "These fields are not supported by Prisma Client, because Prisma currently does not "
                             "support their types:" },
        { &X->w_copied, "Relations were copied from the previous data model due to not using foreign keys in the "
                        "database. If any of the relation columns changed in the database, the relations might not "
                        "be correct anymore:" },
        { &X->w_expr_index, "These indexes are not supported by Prisma Client, because Prisma currently does not fully "
                            "support expression indexes. Read more: https://pris.ly/d/expression-indexes" },
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!parts[i].list->len)
            continue;
        if (!w.len)
            psl_sql_puts(&w, "*** WARNING ***\n");
        psl_sql_printf(&w, "\n%s\n%s", parts[i].head, psl_sql_text(parts[i].list));
    }
    char *s = w.failed ? NULL : strdup(w.len ? psl_sql_text(&w) : "");
    psl_sql_free(&w);
    return s;
}

int prismac_pull_render(const migrate_dialect *D, const db_state *st, const psl_schema *previous, bool force,
                        pull_result *out)
{
    memset(out, 0, sizeof *out);
    const pull_dialect *P = D ? pull_dialect_for(D->provider) : NULL;
    if (!P || !st)
        return -1;
    psl_arena arena;
    psl_arena_init(&arena);
    db_state with_enums;
    if (P->collect_enums) { /* MySQL: an enum per enum(...) column */
        with_enums = *st;
        P->collect_enums(&arena, &with_enums);
        st = &with_enums;
    }
    puller X = { .a = &arena, .P = P, .D = D, .st = st, .prev = previous };
    X.namespaces = previous && previous->datasource && previous->datasource->n_schemas > 0;
    X.ds_name = previous && previous->datasource ? previous->datasource->name : "db";
    X.partial_indexes = pull_has_preview(previous, "partialIndexes");
    X.views = pull_has_preview(previous, "views");
    put_config(&X); /* --force keeps the blocks, nothing else */
    if (force)
        X.prev = previous = NULL;
    build(&X);
    for (size_t i = 0; i < X.n_tables; i++) {
        const ptable *T = &X.tables[i];
        if (!T->join)
            out->n_models++;
    }
    /* Models keep their place in the existing schema; new ones follow, by name. */
    for (size_t pm = 0; previous && pm < previous->n_models; pm++)
        for (size_t i = 0; i < X.n_tables; i++)
            if (!X.tables[i].join && X.tables[i].prev == previous->models[pm])
                put_model(&X, &X.tables[i]);
    for (size_t i = 0; i < X.n_tables; i++)
        if (!X.tables[i].join && !X.tables[i].prev)
            put_model(&X, &X.tables[i]);
    pull_put_views(&X);
    out->n_models += X.n_views;
    if (X.n_views && !(out->views = calloc(X.n_views, sizeof *out->views)))
        X.out.failed = true;
    for (size_t i = 0; out->views && i < X.n_views; i++) {
        const ptable *V = &X.view_tables[i];
        pull_view_definition *d = &out->views[out->n_views++];
        d->namespace_ = strdup(V->t->schema ? V->t->schema : "main");
        d->name = strdup(V->name);
        d->sql = strdup(V->definition ? V->definition : "");
        if (!d->namespace_ || !d->name || !d->sql)
            X.out.failed = true;
    }
    for (size_t pe = 0; previous && pe < previous->n_enums; pe++)
        for (size_t i = 0; i < X.n_enums; i++)
            if (X.enums[i].prev == previous->enums[pe])
                put_enum(&X, &X.enums[i]);
    for (size_t i = 0; i < X.n_enums; i++)
        if (!X.enums[i].prev)
            put_enum(&X, &X.enums[i]);

    int rc = -1;
    psl_schema *s = NULL;
    if (!X.out.failed) {
        s = psl_schema_load("schema.prisma", psl_sql_text(&X.out), X.out.len);
        size_t len = 0;
        if (s && prismac_format(s, 0, &out->schema, &len) == 0)
            rc = 0;
    }
    if (rc == 0 && !(out->warnings = warnings_text(&X)))
        rc = -1;
    psl_schema_free(s);
    psl_sql_free(&X.out);
    psl_sql_free(&X.w_ignored);
    psl_sql_free(&X.w_unsupported);
    psl_sql_free(&X.w_commented);
    psl_sql_free(&X.w_expr_index);
    psl_sql_free(&X.w_copied);
    psl_sql_free(&X.w_views);
    psl_sql_free(&X.w_enum_values);
    psl_arena_release(&arena);
    if (rc != 0)
        pull_result_free(out);
    return rc;
}

char *prismac_pull_schema_text(const migrate_dialect *D, const db_state *st, const psl_schema *previous)
{
    pull_result r;
    if (prismac_pull_render(D, st, previous, false, &r) != 0)
        return NULL;
    char *s = r.schema;
    r.schema = NULL;
    pull_result_free(&r);
    return s;
}

void pull_result_free(pull_result *r)
{
    if (!r)
        return;
    free(r->schema);
    free(r->warnings);
    for (size_t i = 0; i < r->n_views; i++) {
        free(r->views[i].namespace_);
        free(r->views[i].name);
        free(r->views[i].sql);
    }
    free(r->views);
    r->schema = r->warnings = NULL;
    r->views = NULL;
    r->n_views = 0;
}

const pull_dialect *pull_dialect_for(psl_provider p)
{
    static const pull_dialect *const all[] = { &pull_sqlite, &pull_postgres, &pull_mysql };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (all[i]->provider == p)
            return all[i];
    return NULL;
}
