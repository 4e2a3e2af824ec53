/* db pull's view blocks (with the `views` preview feature), as Prisma's
 * introspection writes them (rendering/views.rs, introspection_pair/view.rs):
 * the view's columns as fields, their arity kept from the existing schema;
 * ids and uniques only as the existing schema declares them (a database
 * view has none); a comment when none identifies a row. */
#include <stdlib.h>
#include <string.h>

#include "pull_render.h"

static const psl_model *previous_view(const puller *X, const db_table *t)
{
    for (size_t i = 0; X->prev && i < X->prev->n_models; i++) {
        const psl_model *m = X->prev->models[i];
        if (m->is_view && strcmp(m->db_name, t->name) == 0 &&
            (!X->namespaces || !t->schema || strcmp(m->schema_name ? m->schema_name : "public", t->schema) == 0))
            return m;
    }
    return NULL;
}

static int cmp_views(const void *pa, const void *pb)
{
    const ptable *a = pa, *b = pb;
    int c = strcmp(a->t->schema ? a->t->schema : "", b->t->schema ? b->t->schema : "");
    return c ? c : strcmp(a->t->name, b->t->name);
}

/* A view identifies its rows when the existing schema gives it an id or a
 * unique over required fields. */
static bool view_identified(const ptable *V)
{
    if (!V->prev)
        return false;
    if (V->prev->primary_key)
        return true;
    for (size_t i = 0; i < V->prev->n_indexes; i++)
        if (V->prev->indexes[i]->kind == PSL_INDEX_UNIQUE)
            return true;
    return false;
}

void pull_build_views(puller *X)
{
    const db_state *st = X->st;
    X->n_views = st->view_defs.len;
    X->view_tables = psl_arena_alloc(X->a, (X->n_views + 1) * sizeof *X->view_tables);
    for (size_t i = 0; i < X->n_views; i++) {
        const db_view *v = st->view_defs.items[i];
        X->view_tables[i].t = v->t;
        X->view_tables[i].definition = v->definition;
    }
    qsort(X->view_tables, X->n_views, sizeof *X->view_tables, cmp_views);
    for (size_t i = 0; i < X->n_views; i++) {
        ptable *V = &X->view_tables[i];
        V->is_view = true;
        V->prev = previous_view(X, V->t);
        if (V->prev) {
            V->name = V->prev->name;
        } else if (pull_reserved_type_name(V->t->name)) {
            V->name = psl_arena_printf(X->a, "Renamed%s", V->t->name);
            V->reserved = true;
        } else {
            V->name = pull_sanitize(X->a, V->t->name);
        }
        pull_read_columns(X, V);
        /* Views' columns read as nullable: the existing schema's arity stands
         * (flavour keep_previous_scalar_field_arity). */
        for (size_t k = 0; k < V->n_cols; k++) {
            pcol *c = &V->cols[k];
            c->autoincrement = false;
            if (c->prev)
                c->required = c->prev->arity == PSL_REQUIRED;
        }
        /* A view nothing identifies is @@ignore'd (views.rs). */
        bool ignored_in_psl = V->prev && V->prev->is_ignored;
        V->has_id = view_identified(V);
        V->ignored = ignored_in_psl || !V->has_id;
        if (!V->has_id && !ignored_in_psl)
            psl_sql_printf(&X->w_views, "  - \"%s\"\n", V->name);
    }
}

/* The existing view's block attributes (@@id, @@unique, @@index), as written. */
static void put_previous_block_attributes(puller *X, const ptable *V)
{
    const psl_top *top = V->prev ? V->prev->ast : NULL;
    bool blank = false;
    for (size_t i = 0; top && i < top->n_lines; i++) {
        const psl_line *l = &top->lines[i];
        if (l->kind != PSL_LINE_ATTRIBUTE || !l->n_attrs)
            continue;
        const char *n = l->attrs[0].name;
        if (strcmp(n, "id") != 0 && strcmp(n, "unique") != 0 && strcmp(n, "index") != 0)
            continue;
        const psl_source *src = &X->prev->files[l->span.file];
        psl_sql_printf(&X->out, "%s  %.*s\n", blank ? "" : "\n", (int)(l->span.end - l->span.start),
                       src->text + l->span.start);
        blank = true;
    }
    if (strcmp(V->name, V->t->name) != 0 || V->ignored || (X->namespaces && V->t->schema)) {
        if (!blank)
            psl_sql_puts(&X->out, "\n");
        if (strcmp(V->name, V->t->name) != 0)
            psl_sql_printf(&X->out, "  @@map(%s)\n", pull_quoted(X->a, V->t->name));
        if (V->ignored)
            psl_sql_puts(&X->out, "  @@ignore\n");
        if (X->namespaces && V->t->schema)
            psl_sql_printf(&X->out, "  @@schema(%s)\n", pull_quoted(X->a, V->t->schema));
    }
}

static void put_view(puller *X, const ptable *V)
{
    if (V->prev)
        pull_put_doc(X, V->prev->doc, "");
    if (V->reserved)
        psl_sql_printf(&X->out,
                       "/// This view has been renamed to '%s' during introspection, because the original name '%s' "
                       "is reserved.\n",
                       V->name, V->t->name);
    if (!V->has_id && !(V->prev && V->prev->is_ignored))
        psl_sql_puts(&X->out, "/// The underlying view does not contain a valid unique identifier and can therefore "
                              "currently not be handled by Prisma Client.\n");
    psl_sql_printf(&X->out, "view %s {\n", V->name);
    for (size_t i = 0; i < V->n_cols; i++)
        pull_put_field(X, V, &V->cols[i]);
    put_previous_block_attributes(X, V);
    psl_sql_puts(&X->out, "}\n\n");
}

void pull_put_views(puller *X)
{
    for (size_t pm = 0; X->prev && pm < X->prev->n_models; pm++)
        for (size_t i = 0; i < X->n_views; i++)
            if (X->view_tables[i].prev == X->prev->models[pm])
                put_view(X, &X->view_tables[i]);
    for (size_t i = 0; i < X->n_views; i++)
        if (!X->view_tables[i].prev)
            put_view(X, &X->view_tables[i]);
}
