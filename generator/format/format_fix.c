/* The relation pieces Prisma's formatter adds.
 *
 * prisma-engines' psl-core reformat.rs: when the schema's parser database has
 * no errors, every 1:1 and 1:n ("inline") relation that misses its back field,
 * its forward field, its scalar (foreign key) fields or @relation arguments
 * gets them, as text inserted into the source ("missing bits"); the result
 * is then laid out like any schema. The relations come from
 * model/inline_relations.c (Prisma's parser-database inference, which also
 * sees relations that miss a side). */
#include "format.h"
#include "format_int.h"
#include "inline_relations.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static char to_upper(unsigned char c) { return (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c); }
static char to_lower(unsigned char c) { return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); }

typedef struct bit {
    unsigned file; /* the file it goes into (psl_span.file) */
    size_t pos, seq;
    const char *text;
} bit;

typedef struct magic {
    const psl_schema *s;
    psl_arena arena;
    psl_inline_relations R;
    psl_vec bits; /* bit* */
} magic;

static void add_bit(magic *M, unsigned file, size_t pos, const char *text)
{
    bit *b = psl_arena_alloc(&M->arena, sizeof *b);
    b->file = file;
    b->pos = pos;
    b->seq = M->bits.len; /* equal positions keep Prisma's order */
    b->text = text;
    psl_vec_push(&M->arena, &M->bits, b);
}

/* Where Prisma inserts a field: right before the model's `}`, in the
 * model's own file. */
static void add_field_bit(magic *M, const psl_model *m, const char *text)
{
    const psl_source *src = &M->s->files[m->ast->span.file];
    add_bit(M, m->ast->span.file, psl_format_close_brace(src->text, src->len, m->ast), text);
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
static size_t infer_fields(magic *M, const psl_inline_rel *r, inferred **out)
{
    const psl_index *ix = unique_criterion(r->b, false);
    size_t n = ix ? ix->n_fields : 0;
    *out = psl_arena_alloc(&M->arena, (n + 1) * sizeof **out);
    for (size_t i = 0; i < n; i++) {
        const psl_field *bp = ix->fields[i].field;
        char *name = psl_arena_printf(&M->arena, "%s%s", r->b->name, bp->name);
        name[0] = to_lower((unsigned char)name[0]);
        name[strlen(r->b->name)] = to_upper((unsigned char)bp->name[0]);
        const psl_field *existing = psl_scalar_field(r->a, name);
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
static const char *fields_arg(magic *M, const psl_inline_rel *r)
{
    inferred *inf;
    size_t n = infer_fields(M, r, &inf);
    char *s = psl_arena_strdup(&M->arena, "fields: [");
    for (size_t i = 0; i < n; i++)
        s = psl_arena_printf(&M->arena, "%s%s%s", s, i ? ", " : "", inf[i].name);
    return psl_arena_printf(&M->arena, "%s]", s);
}

/* `references: [id]`: as written, or the first strict unique criterion. */
static const char *references_arg(magic *M, const psl_inline_rel *r)
{
    char *s = psl_arena_strdup(&M->arena, "references: [");
    if (r->fwd && r->fwd->refs) {
        const psl_expr *one;
        size_t n;
        const psl_expr *const *refs = psl_expr_items(r->fwd->refs, &one, &n);
        for (size_t i = 0; i < n; i++)
            s = psl_arena_printf(&M->arena, "%s%s%s", s, i ? ", " : "", refs[i]->text);
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
static void missing_fields(magic *M, const psl_inline_rel *r)
{
    if (!r->back) {
        const char *name = psl_prisma_camel(&M->arena, r->a->name);
        if (!r->one_to_one)
            name = psl_prisma_plural(&M->arena, name);
        add_field_bit(M, r->b,
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
        add_field_bit(M, r->a,
                psl_arena_printf(&M->arena, "%s %s%s @relation(%s, %s)\n", psl_prisma_camel(&M->arena, r->b->name),
                                 r->b->name, arity_text(arity), fields_arg(M, r), references_arg(M, r)));
    }
    if (r->fwd && r->fwd->fields)
        return;
    for (size_t i = 0; i < n; i++) {
        if (psl_scalar_field(r->a, inf[i].name))
            continue;
        const psl_field *bp = inf[i].blueprint;
        if (bp->kind != PSL_FIELD_SCALAR)
            return; /* Prisma stops at an enum or Unsupported type */
        const psl_attribute *nt = native_attr(M, bp);
        add_field_bit(M, r->a,
                psl_arena_printf(&M->arena, "%s %s%s %.*s\n", inf[i].name, psl_scalar_name(bp->scalar),
                                 arity_text(inf[i].arity), nt ? (int)(nt->span.end - nt->span.start) : 0,
                                 nt ? M->s->files[nt->span.file].text + nt->span.start : ""));
    }
}

/* push_missing_relation_attribute: after the forward field's type. */
static void missing_attribute(magic *M, const psl_inline_rel *r)
{
    if (r->fwd && !r->fwd->attr)
        add_bit(M, r->fwd->f->ast->type.span.file, r->fwd->f->ast->type.span.end,
                psl_arena_printf(&M->arena, " @relation(%s, %s)", fields_arg(M, r), references_arg(M, r)));
}

/* push_missing_relation_attribute_args: `fields` and `references` go at the
 * end of an existing @relation. */
static void missing_args(magic *M, const psl_inline_rel *r)
{
    if (!r->fwd || !r->fwd->attr || (r->fwd->fields && r->fwd->refs))
        return;
    const psl_attribute *at = r->fwd->attr;
    const char *extra = !r->fwd->fields && !r->fwd->refs
                            ? psl_arena_printf(&M->arena, "%s, %s", fields_arg(M, r), references_arg(M, r))
                        : r->fwd->fields ? references_arg(M, r)
                                         : fields_arg(M, r);
    if (!at->args.present)
        add_bit(M, at->span.file, at->span.end, psl_arena_printf(&M->arena, "(%s)", extra));
    else /* before the `)`; Prisma's `@relation()(...)` and `(a,, ...)` are not repeated */
        add_bit(M, at->span.file, at->span.end - 1,
                psl_arena_printf(&M->arena, "%s%s", at->args.len && !at->args.trailing_comma ? ", " : "", extra));
}

static int cmp_bits(const void *pa, const void *pb)
{
    const bit *a = *(const bit *const *)pa, *b = *(const bit *const *)pb;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Finds every missing bit, in all the files (a relation may add a field to
 * a model of another file). */
static void find_bits(magic *M)
{
    if (psl_inline_relations_infer(M->s, &M->arena, &M->R) != 0)
        return; /* a relation argument that does not resolve */
    for (size_t i = 0; i < M->R.n_rels; i++)
        missing_fields(M, &M->R.rels[i]);
    for (size_t i = 0; i < M->R.n_rels; i++)
        missing_attribute(M, &M->R.rels[i]);
    for (size_t i = 0; i < M->R.n_rels; i++)
        missing_args(M, &M->R.rels[i]);
    if (M->bits.len) /* qsort's array may not be NULL, even empty (UBSan) */
        qsort(M->bits.items, M->bits.len, sizeof *M->bits.items, cmp_bits);
}

/* The source of `file` with its missing bits inserted, or NULL when it
 * misses nothing. */
static char *enrich(magic *M, unsigned file, size_t *len)
{
    const psl_source *src = &M->s->files[file];
    bit **bits = (bit **)M->bits.items;
    size_t total = src->len, n = 0;
    for (size_t i = 0; i < M->bits.len; i++)
        if (bits[i]->file == file) {
            total += strlen(bits[i]->text);
            n++;
        }
    if (n == 0)
        return NULL;
    char *out = psl_arena_alloc(&M->arena, total + 1);
    size_t o = 0, from = 0;
    for (size_t i = 0; i < M->bits.len; i++) {
        if (bits[i]->file != file)
            continue;
        memcpy(out + o, src->text + from, bits[i]->pos - from);
        o += bits[i]->pos - from;
        from = bits[i]->pos;
        size_t k = strlen(bits[i]->text);
        memcpy(out + o, bits[i]->text, k);
        o += k;
    }
    memcpy(out + o, src->text + from, src->len - from);
    *len = total;
    return out;
}

char *psl_format_schema(const psl_schema *s, unsigned file, size_t *out_len)
{
    if (file >= s->n_files || !s->ast)
        return NULL;
    magic M;
    memset(&M, 0, sizeof M);
    M.s = s;
    psl_arena_init(&M.arena);

    char *out = NULL;
    size_t len = 0;
    char *text = NULL;
    if (psl_inline_relations_apply(s, &M.arena)) {
        find_bits(&M);
        text = enrich(&M, file, &len);
    }
    if (text) {
        psl_source src = { s->files[file].name, text, len, file };
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
        out = psl_format(&s->file_asts[file], &s->files[file], out_len);
    psl_arena_release(&M.arena);
    return out;
}
