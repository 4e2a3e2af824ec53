/* Relations as Prisma's parser database sees them, before validation.
 *
 * relations.c pairs relation fields the way Prisma's validator does and keeps
 * only relations it can check; the formatter must also see relations that
 * miss a side, paired by Prisma's parser database (relation_evidence,
 * ingest_relation), whose tie-breaks differ. Both live here in model/, so
 * the formatter does no inference of its own. */
#include "inline_relations.h"

#include <string.h>

/* The scalar field of `m` called `name` (Prisma's scalar fields: any field
 * that is not a relation), or NULL. */
const psl_field *psl_scalar_field(const psl_model *m, const char *name)
{
    const psl_field *f = psl_model_field(m, name);
    return f && f->kind != PSL_FIELD_RELATION ? f : NULL;
}

/* Whether a `fields:` / `references:` value names scalar fields of `m`;
 * otherwise Prisma's parser database reports an error. */
static bool names_fields(const psl_expr *e, const psl_model *m)
{
    if (!e)
        return false;
    const psl_expr *one;
    size_t n;
    const psl_expr *const *items = psl_expr_items(e, &one, &n); /* a single name is a list of one */
    for (size_t i = 0; i < n; i++)
        if (items[i]->kind != PSL_EXPR_CONSTANT || !psl_scalar_field(m, items[i]->text))
            return false;
    return true;
}

static bool read_rel_field(psl_rel_field *r, psl_field *f)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    const psl_line *l = f->ast;
    for (size_t i = 0; i < l->n_attrs && !r->attr; i++)
        if (strcmp(l->attrs[i].name, "relation") == 0)
            r->attr = &l->attrs[i];
    if (!r->attr)
        return true;
    for (size_t i = 0; i < r->attr->args.len; i++) {
        const psl_arg *arg = &r->attr->args.items[i];
        const char *key = arg->name ? arg->name : i == 0 ? "name" : "";
        if (strcmp(key, "name") == 0) {
            if (!arg->value || arg->value->kind != PSL_EXPR_STRING)
                return false;
            r->name = arg->value->text;
        } else if (strcmp(key, "fields") == 0) {
            if (!names_fields(arg->value, f->model))
                return false;
            r->fields = arg->value;
        } else if (strcmp(key, "references") == 0) {
            if (!names_fields(arg->value, f->type_model))
                return false;
            r->refs = arg->value;
        }
    }
    return true;
}

/* What Prisma requires before it adds anything: a schema that parses, whose
 * names are unique and whose types and relation arguments resolve. The
 * checks the validator does later (a missing opposite field, ...) do not
 * matter. */
bool psl_inline_relations_apply(const psl_schema *s, psl_arena *a)
{
    psl_diags d;
    psl_diags_init(&d, a);
    for (size_t i = 0; i < s->n_files; i++)
        if (!psl_parse(&s->files[i], a, &d) || d.errors)
            return false;
    size_t named = 0;
    for (size_t i = 0; i < s->ast->n_tops; i++) {
        psl_top_kind k = s->ast->tops[i].kind;
        named += k == PSL_TOP_MODEL || k == PSL_TOP_VIEW || k == PSL_TOP_TYPE || k == PSL_TOP_ENUM;
    }
    if (named != s->n_models + s->n_composites + s->n_enums)
        return false;
    for (size_t i = 0; i < s->n_models + s->n_composites; i++) {
        const psl_model *m = i < s->n_models ? s->models[i] : s->composites[i - s->n_models];
        size_t lines = 0;
        for (size_t k = 0; k < m->ast->n_lines; k++) {
            const psl_line *l = &m->ast->lines[k];
            if (l->kind != PSL_LINE_FIELD)
                continue;
            if (!l->type.name || l->legacy_colon ||
                (l->type.form != PSL_TYPE_REQUIRED && l->type.form != PSL_TYPE_OPTIONAL &&
                 l->type.form != PSL_TYPE_LIST))
                return false;
            lines++;
        }
        if (lines != m->n_fields)
            return false; /* a duplicate field */
        for (size_t k = 0; k < m->n_fields; k++)
            if (m->fields[k]->kind == PSL_FIELD_UNSUPPORTED && !m->fields[k]->ast->type.unsupported)
                return false; /* an unknown type */
    }
    return true;
}

/* Prisma's relation_evidence: the first relation field of the other model
 * that points back with the same relation name. */
static const psl_rel_field *opposite(const psl_inline_relations *M, const psl_rel_field *r)
{
    size_t t = r->f->type_model->index;
    for (size_t i = M->first[t]; i < M->first[t + 1]; i++) {
        const psl_rel_field *o = &M->rf[i];
        if (o == r || o->f->type_model != r->f->model)
            continue;
        if (o->name ? r->name && strcmp(o->name, r->name) == 0 : !r->name)
            return o;
    }
    return NULL;
}

/* [model, field] > [other model, other field]: Prisma's tie-break. */
static bool sorts_after(const psl_field *x, const psl_field *y)
{
    int c = strcmp(x->model->name, y->model->name);
    return c ? c > 0 : strcmp(x->name, y->name) > 0;
}

/* Whether `fields` are exactly (in order) a unique index of `m` (not its
 * primary key): then a relation with no back field is 1:1. */
static bool fields_are_unique(const psl_model *m, const psl_expr *fields)
{
    const psl_expr *one;
    size_t n;
    const psl_expr *const *items = psl_expr_items(fields, &one, &n);
    for (size_t i = 0; i < m->n_indexes; i++) {
        const psl_index *ix = m->indexes[i];
        if (ix->kind != PSL_INDEX_UNIQUE || ix->n_fields != n)
            continue;
        size_t k = 0;
        while (k < ix->n_fields && ix->fields[k].field == psl_scalar_field(m, items[k]->text))
            k++;
        if (k == ix->n_fields)
            return true;
    }
    return false;
}

/* ingest_relation: one relation per pair of fields, seen from the side
 * that holds the foreign key; many-to-many relations are not inline. */
static void ingest(psl_inline_relations *M, const psl_rel_field *r)
{
    const psl_rel_field *o = opposite(M, r);
    psl_arity ar = r->f->arity;
    psl_inline_rel rel = { false, r->f->model, r->f->type_model, r, o };
    if (o) {
        psl_arity oa = o->f->arity;
        if (ar == PSL_LIST && oa == PSL_LIST)
            return;
        if (ar == PSL_REQUIRED && oa == PSL_OPTIONAL) {
            rel.one_to_one = true;
        } else if (ar == PSL_REQUIRED && oa == PSL_REQUIRED) {
            if (sorts_after(r->f, o->f))
                return;
            rel.one_to_one = true;
        } else if (ar == PSL_OPTIONAL && oa == PSL_REQUIRED) {
            return; /* the other side holds it */
        } else if (ar == PSL_OPTIONAL && oa == PSL_OPTIONAL) {
            if (!r->fields && (o->fields || sorts_after(r->f, o->f)))
                return;
            rel.one_to_one = true;
        } else if (ar == PSL_LIST) {
            return; /* 1:n, seen from the list side */
        }
    } else if (ar == PSL_LIST) {
        /* Only the list side: the foreign key goes on the other model. */
        rel.a = r->f->type_model;
        rel.b = r->f->model;
        rel.fwd = NULL;
        rel.back = r;
    } else {
        rel.one_to_one = r->fields && fields_are_unique(r->f->model, r->fields);
    }
    M->rels[M->n_rels++] = rel;
}

int psl_inline_relations_infer(const psl_schema *s, psl_arena *a, psl_inline_relations *M)
{
    memset(M, 0, sizeof *M);
    size_t n = 0;
    for (size_t i = 0; i < s->n_models; i++)
        for (size_t k = 0; k < s->models[i]->n_fields; k++)
            n += s->models[i]->fields[k]->kind == PSL_FIELD_RELATION;
    M->rf = psl_arena_alloc(a, (n + 1) * sizeof *M->rf);
    M->rels = psl_arena_alloc(a, (n + 1) * sizeof *M->rels);
    M->first = psl_arena_alloc(a, (s->n_models + 1) * sizeof *M->first);
    for (size_t i = 0; i < s->n_models; i++) {
        M->first[i] = M->n_rf;
        for (size_t k = 0; k < s->models[i]->n_fields; k++) {
            psl_field *f = s->models[i]->fields[k];
            if (f->kind == PSL_FIELD_RELATION && !read_rel_field(&M->rf[M->n_rf++], f))
                return -1;
        }
    }
    M->first[s->n_models] = M->n_rf;
    for (size_t i = 0; i < M->n_rf; i++)
        ingest(M, &M->rf[i]);
    return 0;
}
