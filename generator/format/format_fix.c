/* The relation pieces Prisma's formatter adds.
 *
 * prisma-engines' psl-core reformat.rs: when the schema's parser database has
 * no errors, every 1:1 and 1:n ("inline") relation that misses its back field,
 * its forward field, its scalar (foreign key) fields or @relation arguments
 * gets them, as text inserted into the source ("missing bits"); the result
 * is then laid out like any schema. The relations are inferred here the way
 * Prisma's parser database does it (relations.rs, ingest_relation), because
 * the checked model keeps only the relations that have both sides. */
#include "format.h"
#include "format_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static char to_upper(unsigned char c) { return (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c); }
static char to_lower(unsigned char c) { return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); }

/* A relation field and what its @relation says. */
typedef struct rel_field {
    psl_field *f;
    const psl_attribute *attr;     /* @relation, or NULL */
    const char *name;              /* the relation name, or NULL */
    const psl_expr *fields, *refs; /* the `fields:` / `references:` arrays, or NULL */
} rel_field;

typedef struct inline_rel {
    bool one_to_one;
    psl_model *a, *b;            /* the referencing model (foreign key), the referenced one */
    const rel_field *fwd, *back; /* the fields on a and on b; NULL when missing */
} inline_rel;

typedef struct bit {
    size_t pos, seq;
    const char *text;
} bit;

typedef struct magic {
    const psl_schema *s;
    psl_arena arena;
    rel_field *rf; /* model by model, in order */
    size_t n_rf;
    size_t *first; /* per model: its first entry in rf (and n_rf at the end) */
    inline_rel *rels;
    size_t n_rels;
    psl_vec bits; /* bit* */
} magic;

/* The scalar field of `m` called `name` (Prisma's scalar fields: any field
 * that is not a relation), or NULL. */
static const psl_field *scalar_field(const psl_model *m, const char *name)
{
    const psl_field *f = psl_model_field(m, name);
    return f && f->kind != PSL_FIELD_RELATION ? f : NULL;
}

/* Whether a `fields:` / `references:` value names scalar fields of `m`;
 * otherwise Prisma's parser database reports an error. */
static bool names_fields(const psl_expr *e, const psl_model *m)
{
    if (!e || e->kind != PSL_EXPR_ARRAY)
        return false;
    for (size_t i = 0; i < e->len; i++)
        if (e->items[i]->kind != PSL_EXPR_CONSTANT || !scalar_field(m, e->items[i]->text))
            return false;
    return true;
}

static bool read_rel_field(rel_field *r, psl_field *f)
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
static bool magic_applies(magic *M)
{
    const psl_schema *s = M->s;
    psl_diags d;
    psl_diags_init(&d, &M->arena);
    if (!psl_parse(&s->source, &M->arena, &d) || d.errors)
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
static const rel_field *opposite(const magic *M, const rel_field *r)
{
    size_t t = r->f->type_model->index;
    for (size_t i = M->first[t]; i < M->first[t + 1]; i++) {
        const rel_field *o = &M->rf[i];
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
    for (size_t i = 0; i < m->n_indexes; i++) {
        const psl_index *ix = m->indexes[i];
        if (ix->kind != PSL_INDEX_UNIQUE || ix->n_fields != fields->len)
            continue;
        size_t k = 0;
        while (k < ix->n_fields && ix->fields[k].field == scalar_field(m, fields->items[k]->text))
            k++;
        if (k == ix->n_fields)
            return true;
    }
    return false;
}

/* ingest_relation: one relation per pair of fields, seen from the side
 * that holds the foreign key; many-to-many relations are not inline. */
static void ingest(magic *M, const rel_field *r)
{
    const rel_field *o = opposite(M, r);
    psl_arity ar = r->f->arity;
    inline_rel rel = { false, r->f->model, r->f->type_model, r, o };
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

static void add_bit(magic *M, size_t pos, const char *text)
{
    bit *b = psl_arena_alloc(&M->arena, sizeof *b);
    b->pos = pos;
    b->seq = M->bits.len; /* equal positions keep Prisma's order */
    b->text = text;
    psl_vec_push(&M->arena, &M->bits, b);
}

/* Where Prisma inserts a field: right before the model's `}`. */
static size_t model_end(const magic *M, const psl_model *m)
{
    return psl_format_close_brace(M->s->source.text, M->s->source.len, m->ast);
}

/* ---- the missing bits ---- */

typedef struct inferred {
    const char *name;
    psl_arity arity;
    const psl_field *blueprint; /* the referenced field */
} inferred;

/* The first unique criterion of `m` (its primary key, then its unique
 * indexes); `strict`: only one without optional or Unsupported fields. */
static const psl_index *unique_criterion(const psl_model *m, bool strict)
{
    for (size_t i = 0; i <= m->n_indexes; i++) {
        const psl_index *ix = i == 0 ? m->primary_key : m->indexes[i - 1];
        if (!ix || (i > 0 && ix->kind != PSL_INDEX_UNIQUE))
            continue;
        bool ok = true;
        for (size_t k = 0; k < ix->n_fields && strict; k++)
            if (ix->fields[k].field->arity == PSL_OPTIONAL || ix->fields[k].field->kind == PSL_FIELD_UNSUPPORTED)
                ok = false;
        if (ok)
            return ix;
    }
    return NULL;
}

/* infer_missing_referencing_scalar_fields: one per field of the referenced
 * model's first unique criterion, named `blogId` after the model and field. */
static size_t infer_fields(magic *M, const inline_rel *r, inferred **out)
{
    const psl_index *ix = unique_criterion(r->b, false);
    size_t n = ix ? ix->n_fields : 0;
    *out = psl_arena_alloc(&M->arena, (n + 1) * sizeof **out);
    for (size_t i = 0; i < n; i++) {
        const psl_field *bp = ix->fields[i].field;
        char *name = psl_arena_printf(&M->arena, "%s%s", r->b->name, bp->name);
        name[0] = to_lower((unsigned char)name[0]);
        name[strlen(r->b->name)] = to_upper((unsigned char)bp->name[0]);
        const psl_field *existing = scalar_field(r->a, name);
        (*out)[i].name = name;
        (*out)[i].arity = existing ? existing->arity : r->fwd ? r->fwd->f->arity : PSL_OPTIONAL;
        (*out)[i].blueprint = bp;
    }
    return n;
}

static const char *arity_text(psl_arity a)
{
    return a == PSL_OPTIONAL ? "?" : a == PSL_LIST ? "[]" : "";
}

/* `fields: [blogId]` */
static const char *fields_arg(magic *M, const inline_rel *r)
{
    inferred *inf;
    size_t n = infer_fields(M, r, &inf);
    char *s = psl_arena_strdup(&M->arena, "fields: [");
    for (size_t i = 0; i < n; i++)
        s = psl_arena_printf(&M->arena, "%s%s%s", s, i ? ", " : "", inf[i].name);
    return psl_arena_printf(&M->arena, "%s]", s);
}

/* `references: [id]`: as written, or the first strict unique criterion. */
static const char *references_arg(magic *M, const inline_rel *r)
{
    char *s = psl_arena_strdup(&M->arena, "references: [");
    if (r->fwd && r->fwd->refs) {
        for (size_t i = 0; i < r->fwd->refs->len; i++)
            s = psl_arena_printf(&M->arena, "%s%s%s", s, i ? ", " : "", r->fwd->refs->items[i]->text);
    } else {
        const psl_index *ix = unique_criterion(r->b, true);
        for (size_t i = 0; ix && i < ix->n_fields; i++)
            s = psl_arena_printf(&M->arena, "%s%s%s", s, i ? ", " : "", ix->fields[i].field->name);
    }
    return psl_arena_printf(&M->arena, "%s]", s);
}

/* The native type attribute of a field (`@db.VarChar(20)`), as written. */
static const psl_attribute *native_attr(const magic *M, const psl_field *f)
{
    const psl_datasource *ds = M->s->datasource;
    if (!ds || !ds->name)
        return NULL;
    size_t n = strlen(ds->name);
    for (size_t i = 0; i < f->ast->n_attrs; i++) {
        const char *name = f->ast->attrs[i].name;
        if (strncmp(name, ds->name, n) == 0 && name[n] == '.')
            return &f->ast->attrs[i];
    }
    return NULL;
}

/* push_missing_relation_fields and push_missing_scalar_fields. */
static void missing_fields(magic *M, const inline_rel *r)
{
    if (!r->back) {
        const char *name = psl_prisma_camel(&M->arena, r->a->name);
        if (!r->one_to_one)
            name = psl_prisma_plural(&M->arena, name);
        add_bit(M, model_end(M, r->b),
                psl_arena_printf(&M->arena, "%s %s%s %s\n", name, r->a->name, r->one_to_one ? "?" : "[]",
                                 r->a->is_ignored ? "@ignore" : ""));
    }
    inferred *inf;
    size_t n = infer_fields(M, r, &inf);
    if (!r->fwd) {
        /* Optional when one of its scalar fields is. */
        psl_arity arity = PSL_REQUIRED;
        for (size_t i = 0; i < n; i++)
            if (inf[i].arity == PSL_OPTIONAL)
                arity = PSL_OPTIONAL;
        add_bit(M, model_end(M, r->a),
                psl_arena_printf(&M->arena, "%s %s%s @relation(%s, %s)\n", psl_prisma_camel(&M->arena, r->b->name),
                                 r->b->name, arity_text(arity), fields_arg(M, r), references_arg(M, r)));
    }
    if (r->fwd && r->fwd->fields)
        return;
    for (size_t i = 0; i < n; i++) {
        if (scalar_field(r->a, inf[i].name))
            continue;
        const psl_field *bp = inf[i].blueprint;
        if (bp->kind != PSL_FIELD_SCALAR)
            return; /* Prisma stops at an enum or Unsupported type */
        const psl_attribute *nt = native_attr(M, bp);
        add_bit(M, model_end(M, r->a),
                psl_arena_printf(&M->arena, "%s %s%s %.*s\n", inf[i].name, psl_scalar_name(bp->scalar),
                                 arity_text(inf[i].arity), nt ? (int)(nt->span.end - nt->span.start) : 0,
                                 nt ? M->s->source.text + nt->span.start : ""));
    }
}

/* push_missing_relation_attribute: after the forward field's type. */
static void missing_attribute(magic *M, const inline_rel *r)
{
    if (r->fwd && !r->fwd->attr)
        add_bit(M, r->fwd->f->ast->type.span.end,
                psl_arena_printf(&M->arena, " @relation(%s, %s)", fields_arg(M, r), references_arg(M, r)));
}

/* push_missing_relation_attribute_args: `fields` and `references` go at the
 * end of an existing @relation. */
static void missing_args(magic *M, const inline_rel *r)
{
    if (!r->fwd || !r->fwd->attr || (r->fwd->fields && r->fwd->refs))
        return;
    const psl_attribute *at = r->fwd->attr;
    const char *extra = !r->fwd->fields && !r->fwd->refs
                            ? psl_arena_printf(&M->arena, "%s, %s", fields_arg(M, r), references_arg(M, r))
                        : r->fwd->fields ? references_arg(M, r)
                                         : fields_arg(M, r);
    if (!at->args.present)
        add_bit(M, at->span.end, psl_arena_printf(&M->arena, "(%s)", extra));
    else /* before the `)`; Prisma's `@relation()(...)` and `(a,, ...)` are not repeated */
        add_bit(M, at->span.end - 1,
                psl_arena_printf(&M->arena, "%s%s", at->args.len && !at->args.trailing_comma ? ", " : "", extra));
}

static int cmp_bits(const void *pa, const void *pb)
{
    const bit *a = *(const bit *const *)pa, *b = *(const bit *const *)pb;
    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The schema's source with the missing bits inserted, or NULL when nothing
 * is missing. */
static char *enrich(magic *M, size_t *len)
{
    const psl_schema *s = M->s;
    size_t n = 0;
    for (size_t i = 0; i < s->n_models; i++)
        for (size_t k = 0; k < s->models[i]->n_fields; k++)
            n += s->models[i]->fields[k]->kind == PSL_FIELD_RELATION;
    M->rf = psl_arena_alloc(&M->arena, (n + 1) * sizeof *M->rf);
    M->rels = psl_arena_alloc(&M->arena, (n + 1) * sizeof *M->rels);
    M->first = psl_arena_alloc(&M->arena, (s->n_models + 1) * sizeof *M->first);
    for (size_t i = 0; i < s->n_models; i++) {
        M->first[i] = M->n_rf;
        for (size_t k = 0; k < s->models[i]->n_fields; k++) {
            psl_field *f = s->models[i]->fields[k];
            if (f->kind == PSL_FIELD_RELATION && !read_rel_field(&M->rf[M->n_rf++], f))
                return NULL; /* a relation argument that does not resolve */
        }
    }
    M->first[s->n_models] = M->n_rf;
    for (size_t i = 0; i < M->n_rf; i++)
        ingest(M, &M->rf[i]);
    for (size_t i = 0; i < M->n_rels; i++)
        missing_fields(M, &M->rels[i]);
    for (size_t i = 0; i < M->n_rels; i++)
        missing_attribute(M, &M->rels[i]);
    for (size_t i = 0; i < M->n_rels; i++)
        missing_args(M, &M->rels[i]);
    if (M->bits.len == 0)
        return NULL;

    bit **bits = (bit **)M->bits.items;
    qsort(bits, M->bits.len, sizeof *bits, cmp_bits);
    size_t total = s->source.len;
    for (size_t i = 0; i < M->bits.len; i++)
        total += strlen(bits[i]->text);
    char *out = psl_arena_alloc(&M->arena, total + 1);
    size_t o = 0, from = 0;
    for (size_t i = 0; i < M->bits.len; i++) {
        memcpy(out + o, s->source.text + from, bits[i]->pos - from);
        o += bits[i]->pos - from;
        from = bits[i]->pos;
        size_t k = strlen(bits[i]->text);
        memcpy(out + o, bits[i]->text, k);
        o += k;
    }
    memcpy(out + o, s->source.text + from, s->source.len - from);
    *len = total;
    return out;
}

char *psl_format_schema(const psl_schema *s, size_t *out_len)
{
    magic M;
    memset(&M, 0, sizeof M);
    M.s = s;
    psl_arena_init(&M.arena);

    char *out = NULL;
    size_t len = 0;
    char *text = magic_applies(&M) ? enrich(&M, &len) : NULL;
    if (text) {
        psl_source src = { s->source.name, text, len };
        psl_diags d;
        psl_diags_init(&d, &M.arena);
        const psl_ast *ast = psl_parse(&src, &M.arena, &d);
        /* What was added must parse; if not, only the layout is done. */
        if (ast && d.errors == 0)
            out = psl_format(ast, &src, out_len);
        else
            text = NULL;
    }
    if (!text)
        out = psl_format(s->ast, &s->source, out_len);
    psl_arena_release(&M.arena);
    return out;
}