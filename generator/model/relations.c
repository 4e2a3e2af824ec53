/* Relations: pairs relation fields into relations and checks them as Prisma
 * does (names, fields/references, arities, referential actions). */
#include "provider.h"
#include "schema_int.h"

#include <stdio.h>
#include <stdlib.h>

/* What one relation field's @relation says. */
typedef struct rel_info {
    psl_field *field;
    const psl_attribute *attr;
    const char *name; /* "" when unnamed */
    const psl_expr *fields, *references;
    psl_ref_action on_delete, on_update;
    psl_span on_delete_span, on_update_span;
    const char *map;
    bool paired;
} rel_info;

static psl_ref_action parse_action(psl_ctx *C, const psl_attribute *a, const psl_expr *e)
{
    static const struct {
        const char *name;
        psl_ref_action action;
    } actions[] = {
        { "Cascade", PSL_ACTION_CASCADE },   { "Restrict", PSL_ACTION_RESTRICT },
        { "NoAction", PSL_ACTION_NO_ACTION }, { "SetNull", PSL_ACTION_SET_NULL },
        { "SetDefault", PSL_ACTION_SET_DEFAULT },
    };
    const char *c = psl_expect_constant(C, e);
    if (!c)
        return PSL_ACTION_NONE;
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (streq(actions[i].name, c))
            return actions[i].action;
    psl_attr_error(C, a, e->span, "Invalid referential action: `%s`", c);
    return PSL_ACTION_NONE;
}

/* With relationMode = "prisma" Prisma emulates only some referential actions, per connector. */
static void check_emulated_action(psl_ctx *C, psl_ref_action action, psl_span span)
{
    static const psl_ref_action order[] = { PSL_ACTION_CASCADE, PSL_ACTION_RESTRICT, PSL_ACTION_NO_ACTION,
                                            PSL_ACTION_SET_NULL, PSL_ACTION_SET_DEFAULT };
    static const char *const names[] = { "Cascade", "Restrict", "NoAction", "SetNull", "SetDefault" };
    const psl_datasource *ds = C->s->datasource;
    if (!ds || !ds->relation_mode_prisma || !ds->connector || action == PSL_ACTION_NONE)
        return;
    unsigned allowed = ds->connector->emulated_actions;
    if (allowed & PSL_ACTION_BIT(action))
        return;
    const char *list = "", *name = "";
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (order[i] == action)
            name = names[i];
        if (allowed & PSL_ACTION_BIT(order[i]))
            list = psl_arena_printf(C->a, "%s%s`%s`", list, *list ? ", " : "", names[i]);
    }
    const char *hint = "";
    if (action == PSL_ACTION_NO_ACTION && (allowed & PSL_ACTION_BIT(PSL_ACTION_RESTRICT)))
        hint = psl_arena_printf(C->a,
                                ". `NoAction` is not implemented for %s when using `relationMode = \"prisma\"`, you "
                                "could try using `Restrict` instead. Learn more at https://pris.ly/d/relation-mode",
                                ds->connector->emulation_name);
    psl_error(C->d, span, "Error validating: Invalid referential action: `%s`. Allowed values: (%s)%s", name, list,
              hint);
}

static void read_relation_attr(psl_ctx *C, rel_info *r)
{
    r->name = "";
    const psl_line *l = r->field->ast;
    for (size_t i = 0; i < l->n_attrs; i++)
        if (streq(l->attrs[i].name, "relation")) {
            r->attr = &l->attrs[i];
            break;
        }
    if (!r->attr)
        return;
    psl_argv av;
    psl_argv_init(&av, C, r->attr);
    const psl_arg *name = psl_argv_get(&av, "name", true);
    const psl_arg *fields = psl_argv_get(&av, "fields", false);
    const psl_arg *refs = psl_argv_get(&av, "references", false);
    const psl_arg *od = psl_argv_get(&av, "onDelete", false);
    const psl_arg *ou = psl_argv_get(&av, "onUpdate", false);
    const psl_arg *map = psl_argv_get(&av, "map", false);
    psl_argv_finish(&av);
    if (name && name->value) {
        const char *n = psl_expect_string(C, name->value);
        if (n)
            r->name = n;
    }
    if (fields && fields->value)
        r->fields = fields->value;
    if (refs && refs->value)
        r->references = refs->value;
    if (od && od->value) {
        r->on_delete = parse_action(C, r->attr, od->value);
        r->on_delete_span = od->span;
    }
    if (ou && ou->value) {
        r->on_update = parse_action(C, r->attr, ou->value);
        r->on_update_span = ou->span;
    }
    if (map && map->value)
        r->map = psl_expect_string(C, map->value);
}

/* Resolves a `fields:` or `references:` list against `m`. */
static psl_field **resolve_list(psl_ctx *C, const rel_info *r, const psl_expr *list, psl_model *m, size_t *n,
                                const char *what)
{
    *n = 0;
    const psl_expr *one;
    size_t n_items;
    const psl_expr *const *items = psl_expr_items(list, &one, &n_items); /* `fields: id` is `fields: [id]` */
    psl_field **out = psl_arena_alloc(C->a, (n_items + 1) * sizeof *out);
    char *unknown = NULL;
    for (size_t i = 0; i < n_items; i++) {
        const psl_expr *e = items[i];
        if (e->kind != PSL_EXPR_CONSTANT) {
            psl_error(C->d, e->span, "Expected a constant literal value, but received %s.", psl_expr_describe(C, e));
            return NULL;
        }
        psl_field *f = psl_model_field(m, e->text);
        if (!f || f->kind == PSL_FIELD_RELATION) {
            unknown = unknown ? psl_arena_printf(C->a, "%s, %s", unknown, e->text) : psl_arena_strdup(C->a, e->text);
            continue;
        }
        out[(*n)++] = f;
    }
    if (unknown) {
        psl_error(C->d, r->attr->span,
                  "Error validating: The argument %s must refer only to existing fields%s. The following fields do not "
                  "exist in this model: %s",
                  what, streq(what, "references") ? " in the related model" : "", unknown);
        return NULL;
    }
    return out;
}

static const char *field_list(psl_ctx *C, psl_field **f, size_t n)
{
    char *s = psl_arena_strdup(C->a, "");
    for (size_t i = 0; i < n; i++)
        s = psl_arena_printf(C->a, "%s%s%s", s, i ? ", " : "", f[i]->name);
    return s;
}

static bool same_type(const psl_field *a, const psl_field *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind == PSL_FIELD_SCALAR)
        return a->scalar == b->scalar;
    if (a->kind == PSL_FIELD_ENUM)
        return a->enum_type == b->enum_type;
    if (a->kind == PSL_FIELD_UNSUPPORTED)
        return streq(a->unsupported, b->unsupported);
    return false;
}

/* Whether `fields` of `m` are exactly one of its unique criteria (id or
 * unique, in any order). */
static bool is_unique_criterion(const psl_model *m, psl_field **fields, size_t n)
{
    const psl_index *cands[256];
    size_t nc = 0;
    if (m->primary_key)
        cands[nc++] = m->primary_key;
    for (size_t i = 0; i < m->n_indexes && nc < 256; i++)
        if (m->indexes[i]->kind == PSL_INDEX_UNIQUE)
            cands[nc++] = m->indexes[i];
    for (size_t c = 0; c < nc; c++) {
        if (cands[c]->n_fields != n)
            continue;
        bool all = true;
        for (size_t i = 0; i < n && all; i++) {
            bool found = false;
            for (size_t k = 0; k < n; k++)
                if (cands[c]->fields[k].field == fields[i])
                    found = true;
            all = found;
        }
        if (all)
            return true;
    }
    return false;
}

static const char *word(const psl_model *m)
{
    return m->is_view ? "view" : "model";
}

static void check_set_null(psl_ctx *C, const psl_relation *rel, psl_ref_action action, const char *which)
{
    if (action != PSL_ACTION_SET_NULL)
        return;
    bool required = false;
    for (size_t i = 0; i < rel->n_fields; i++)
        if (rel->fields[i]->arity == PSL_REQUIRED)
            required = true;
    if (!required)
        return;
    const psl_line *l = rel->from_field->ast;
    const psl_datasource *ds = C->s->datasource;
    if (ds && psl_connector_can(ds->connector, PSL_CAP_SETNULL_ON_REQUIRED_WARNS) && !ds->relation_mode_prisma) {
        psl_warning(C->d, l->span,
                    "The `%s` referential action of a relation should not be set to `SetNull` when a referenced "
                    "field is required. We recommend either to choose another referential action, or to make the "
                    "referenced fields optional. Read more at https://pris.ly/d/postgres-set-null ",
                    which);
        return;
    }
    psl_error(C->d, l->span,
              "Error parsing attribute \"@relation\": The `%s` referential action of a relation must not be set to "
              "`SetNull` when a referenced field is required.\nEither choose another referential action, or make the "
              "referenced fields optional.",
              which);
}

static bool triggers_modification(psl_ref_action a)
{
    return a == PSL_ACTION_CASCADE || a == PSL_ACTION_SET_NULL || a == PSL_ACTION_SET_DEFAULT;
}

static const char *action_name(psl_ref_action a)
{
    switch (a) {
    case PSL_ACTION_CASCADE: return "Cascade";
    case PSL_ACTION_RESTRICT: return "Restrict";
    case PSL_ACTION_NO_ACTION: return "NoAction";
    case PSL_ACTION_SET_NULL: return "SetNull";
    case PSL_ACTION_SET_DEFAULT: return "SetDefault";
    default: return "";
    }
}

/* " (Implicit default `onDelete`: `SetNull`, and `onUpdate`: `Cascade`)" for the actions not written. */
static const char *implicit_defaults(psl_ctx *C, const psl_relation *rel)
{
    bool del = !rel->on_delete, upd = !rel->on_update;
    if (del && upd)
        return psl_arena_printf(C->a, " (Implicit default `onDelete`: `%s`, and `onUpdate`: `%s`)",
                                action_name(rel->effective_on_delete), action_name(rel->effective_on_update));
    if (del)
        return psl_arena_printf(C->a, " (Implicit default `onDelete`: `%s`)", action_name(rel->effective_on_delete));
    if (upd)
        return psl_arena_printf(C->a, " (Implicit default `onUpdate`: `%s`)", action_name(rel->effective_on_update));
    return "";
}

static bool cascades(const psl_relation *rel)
{
    return rel->kind != PSL_REL_MANY_TO_MANY && rel->n_fields &&
           (triggers_modification(rel->effective_on_delete) || triggers_modification(rel->effective_on_update));
}

/* Without foreign keys (relationMode = "prisma") Prisma emulates the referential actions, and refuses
 * the ones that would loop: a self-relation, or a chain of relations back to the model it starts from,
 * where every step cascades. */
static void check_cycles(psl_ctx *C, const psl_relation *start)
{
    if (!cascades(start))
        return;
    const psl_model *origin = start->from_model;
    const char *hint = implicit_defaults(C, start);
    if (start->to_model == origin) {
        psl_error(C->d, start->from_field->ast->span,
                  "Error validating: A self-relation must have `onDelete` and `onUpdate` referential actions set to "
                  "`NoAction` in one of the @relation attributes.%s Read more at "
                  "https://pris.ly/d/cyclic-referential-actions",
                  hint);
        return;
    }
    size_t n = C->s->n_relations;
    bool *visited = psl_arena_alloc(C->a, n + 1);
    const psl_relation **stack = psl_arena_alloc(C->a, (n + 1) * n * sizeof *stack);
    const char **paths = psl_arena_alloc(C->a, (n + 1) * n * sizeof *paths);
    size_t top = 0;
    stack[top] = start;
    paths[top++] = psl_arena_printf(C->a, "%s.%s", start->from_model->name, start->from_field->name);
    while (top) {
        const psl_relation *rel = stack[--top];
        const char *path = paths[top];
        if (!cascades(rel))
            continue;
        const psl_model *next = rel->to_model;
        if (next == origin) {
            psl_error(C->d, start->from_field->ast->span,
                      "Error validating: Reference causes a cycle. One of the @relation attributes in this cycle must "
                      "have `onDelete` and `onUpdate` referential actions set to `NoAction`. Cycle path: %s.%s Read "
                      "more at https://pris.ly/d/cyclic-referential-actions",
                      path, hint);
            return;
        }
        for (size_t i = 0; i < n; i++) {
            const psl_relation *r = C->s->relations[i];
            if (r->from_model != next || visited[i] || r->to_model == r->from_model || top >= (n + 1) * n)
                continue;
            stack[top] = r;
            paths[top++] = psl_arena_printf(C->a, "%s → %s.%s", path, r->from_model->name, r->from_field->name);
        }
        for (size_t i = 0; i < n; i++)
            if (C->s->relations[i] == rel)
                visited[i] = true;
    }
}

/* Whether the relation's scalar fields are the leftmost fields, in order, of
 * an index, unique or primary key of their model (Prisma's "leftwise
 * inclusion"): the database can then find a parent's children without
 * scanning. */
static bool fields_lead_an_index(const psl_relation *rel)
{
    const psl_model *m = rel->from_model;
    for (size_t i = 0; i <= m->n_indexes; i++) {
        const psl_index *ix = i == 0 ? m->primary_key : m->indexes[i - 1];
        if (!ix || ix->n_fields < rel->n_fields)
            continue;
        size_t k = 0;
        while (k < rel->n_fields && ix->fields[k].field == rel->fields[k])
            k++;
        if (k == rel->n_fields)
            return true;
    }
    return false;
}

/* relationMode = "prisma": no foreign key, so no index the database would
 * make for it; Prisma warns on the @relation of fields no index leads with. */
static void check_emulated_relation_index(psl_ctx *C, const psl_relation *rel)
{
    if (!C->s->datasource || !C->s->datasource->relation_mode_prisma || fields_lead_an_index(rel))
        return;
    const psl_line *l = rel->from_field->ast;
    psl_span span = l->span;
    for (size_t k = 0; k < l->n_attrs; k++)
        if (streq(l->attrs[k].name, "relation"))
            span = l->attrs[k].span;
    psl_warning(C->d, span,
                "With `relationMode = \"prisma\"`, no foreign keys are used, so relation fields will not benefit from "
                "the index usually created by the relational database under the hood. This can lead to poor "
                "performance when querying these fields. We recommend adding an index manually. Learn more at "
                "https://pris.ly/d/relation-mode-prisma-indexes\" ");
}

/* The relation rules Prisma checks once the schema is otherwise valid. */
void psl_validate_relations(psl_ctx *C)
{
    const psl_datasource *ds = C->s->datasource;
    if (ds && ds->relation_mode_prisma)
        for (size_t i = 0; i < C->s->n_relations; i++)
            check_cycles(C, C->s->relations[i]);
    for (size_t i = 0; i < C->s->n_relations; i++) {
        const psl_relation *rel = C->s->relations[i];
        if (rel->kind != PSL_REL_MANY_TO_MANY) {
            if (rel->n_fields) {
                check_emulated_action(C, rel->on_delete, rel->on_delete_span);
                check_emulated_action(C, rel->on_update, rel->on_update_span);
                check_set_null(C, rel, rel->on_delete, "onDelete");
                check_set_null(C, rel, rel->on_update, "onUpdate");
                check_emulated_relation_index(C, rel);
            }
            continue;
        }
        if (rel->from_model->is_view || rel->to_model->is_view) {
            psl_error(C->d, rel->from_field->ast->span,
                      "Error validating: Implicit many-to-many relations are not supported for views.");
            psl_error(C->d, rel->to_field->ast->span,
                      "Error validating: Implicit many-to-many relations are not supported for views.");
        }
        for (int side = 0; side < 2; side++) {
            const psl_field *x = side ? rel->to_field : rel->from_field;
            const psl_model *other = x->type_model;
            if (!other->primary_key)
                psl_error(C->d, x->ast->span,
                          "Error validating field `%s` in %s `%s`: The relation field `%s` on %s `%s` references `%s` "
                          "which does not have an `@id` field. Models without `@id` cannot be part of a many to many "
                          "relation. Use an explicit intermediate Model to represent this relationship.",
                          x->name, word(x->model), x->model->name, x->name, word(x->model), x->model->name,
                          other->name);
        }
    }
}

static psl_relation *new_relation(psl_ctx *C, psl_vec *all, const char *name, psl_relation_kind kind)
{
    psl_relation *rel = psl_arena_alloc(C->a, sizeof *rel);
    rel->name = name;
    rel->kind = kind;
    psl_vec_push(C->a, all, rel);
    return rel;
}

/* The forward side (with fields/references) of a 1-1 or 1-n relation. */
static void build_forward(psl_ctx *C, rel_info *fwd, rel_info *back, psl_relation *rel)
{
    psl_model *m = fwd->field->model, *target = fwd->field->type_model;
    rel->from_model = m;
    rel->to_model = target;
    rel->from_field = fwd->field;
    rel->to_field = back ? back->field : NULL;
    rel->on_delete = fwd->on_delete;
    rel->on_update = fwd->on_update;
    rel->on_delete_span = fwd->on_delete_span;
    rel->on_update_span = fwd->on_update_span;
    rel->fk_name = fwd->map;
    fwd->field->relation = rel;
    if (back)
        back->field->relation = rel;
    if (!fwd->fields || !fwd->references) {
        if (fwd->fields || fwd->references)
            psl_error(C->d, fwd->attr->span,
                      "Error parsing attribute \"@relation\": The relation field `%s` on %s `%s` must specify the "
                      "`%s` argument in the @relation attribute.",
                      fwd->field->name, word(m), m->name, fwd->fields ? "references" : "fields");
        return;
    }
    size_t nf, nr;
    psl_field **fields = resolve_list(C, fwd, fwd->fields, m, &nf, "fields");
    psl_field **refs = resolve_list(C, fwd, fwd->references, target, &nr, "references");
    if (!fields || !refs)
        return;
    if (nf != nr) {
        psl_error(C->d, fwd->attr->span,
                  "Error validating: You must specify the same number of fields in `fields` and `references`.");
        return;
    }
    rel->fields = fields;
    rel->references = refs;
    rel->n_fields = nf;
    for (size_t i = 0; i < nf; i++) {
        if (fields[i]->kind == PSL_FIELD_UNSUPPORTED || refs[i]->kind == PSL_FIELD_UNSUPPORTED)
            continue;
        if (!same_type(fields[i], refs[i]))
            psl_error(C->d, fwd->attr->span,
                      "Error validating: The type of the field `%s` in the %s `%s` is not matching the type of the "
                      "referenced field `%s` in %s `%s`.",
                      fields[i]->name, word(m), m->name, refs[i]->name, word(target), target->name);
    }
    if (!target->is_view && !is_unique_criterion(target, refs, nr)) {
        if (nr == 1)
            psl_error(C->d, fwd->attr->span,
                      "Error validating: The argument `references` must refer to a unique criterion in the related "
                      "model. Consider adding an `@unique` attribute to the field `%s` in the model `%s`.",
                      refs[0]->name, target->name);
        else
            psl_error(C->d, fwd->attr->span,
                      "Error validating: The argument `references` must refer to a unique criterion in the related "
                      "model. Consider adding an `@@unique([%s])` attribute to the model `%s`.",
                      field_list(C, refs, nr), target->name);
    }
    bool any_optional = false;
    for (size_t i = 0; i < nf; i++)
        if (fields[i]->arity == PSL_OPTIONAL)
            any_optional = true;
    if (fwd->field->arity == PSL_REQUIRED && any_optional)
        psl_error(C->d, fwd->field->ast->span,
                  "Error validating: The relation field `%s` uses the scalar fields %s. At least one of those fields "
                  "is optional. Hence the relation field must be optional as well.",
                  fwd->field->name, field_list(C, fields, nf));
    /* A view's keys are not recorded ("Views cannot have primary keys" is
     * reported instead), so its side is not asked for one here. */
    if (rel->kind == PSL_REL_ONE_TO_ONE && !m->is_view && !is_unique_criterion(m, fields, nf))
        psl_error(C->d, fwd->field->ast->span,
                  "Error parsing attribute \"@relation\": A one-to-one relation must use unique fields on the defining "
                  "side. Either add an `@%s` attribute to the field `%s`, or change the relation to one-to-many.",
                  nf == 1 ? "unique" : "@unique([...])", field_list(C, fields, nf));
}

static psl_ref_action default_on_delete(const psl_relation *rel)
{
    for (size_t i = 0; i < rel->n_fields; i++)
        if (rel->fields[i]->arity == PSL_OPTIONAL)
            return PSL_ACTION_SET_NULL;
    return PSL_ACTION_RESTRICT;
}

/* "model index/target index/name": the key of a relation group. */
static const char *group_key(psl_ctx *C, const psl_model *m, const psl_model *t, const char *name, size_t *len)
{
    const char *k = psl_arena_printf(C->a, "%zu/%zu/%s", m->index, t->index, name);
    *len = strlen(k);
    return k;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void psl_resolve_relations(psl_ctx *C)
{
    psl_schema *s = C->s;
    /* Collect every relation field with what its @relation says. */
    size_t n = 0;
    for (size_t i = 0; i < s->n_models; i++)
        for (size_t k = 0; k < s->models[i]->n_fields; k++)
            if (s->models[i]->fields[k]->kind == PSL_FIELD_RELATION)
                n++;
    rel_info *infos = psl_arena_alloc(C->a, (n + 1) * sizeof *infos);
    n = 0;
    for (size_t i = 0; i < s->n_models; i++)
        for (size_t k = 0; k < s->models[i]->n_fields; k++)
            if (s->models[i]->fields[k]->kind == PSL_FIELD_RELATION) {
                infos[n].field = s->models[i]->fields[k];
                read_relation_attr(C, &infos[n]);
                n++;
            }

    /* Relation fields grouped by (model, target, relation name), so pairing
     * looks only at candidates. */
    psl_map groups;
    psl_map_init(&groups, C->a);
    for (size_t i = 0; i < n; i++) {
        size_t klen;
        const char *key = group_key(C, infos[i].field->model, infos[i].field->type_model, infos[i].name, &klen);
        psl_vec *g = psl_map_get(&groups, key, klen);
        if (!g) {
            g = psl_arena_alloc(C->a, sizeof *g);
            psl_map_put(&groups, key, klen, g);
        }
        psl_vec_push(C->a, g, &infos[i]);
    }

    psl_vec all = { 0 };
    for (size_t i = 0; i < n; i++) {
        rel_info *r = &infos[i];
        if (r->paired)
            continue;
        psl_model *m = r->field->model, *target = r->field->type_model;
        bool self = m == target;
        /* Ambiguity: another field of m to target with the same name. */
        rel_info *same = NULL, *back = NULL;
        size_t n_same = 0;
        size_t klen1, klen2;
        const char *k1 = group_key(C, m, target, r->name, &klen1), *k2 = group_key(C, target, m, r->name, &klen2);
        psl_vec *g1 = psl_map_get(&groups, k1, klen1), *g2 = self ? NULL : psl_map_get(&groups, k2, klen2);
        size_t n1 = g1 ? g1->len : 0, n2 = g2 ? g2->len : 0;
        for (size_t k = 0; k < n1 + n2; k++) {
            rel_info *o = k < n1 ? g1->items[k] : g2->items[k - n1];
            if (o == r || o->paired || !streq(o->name, r->name))
                continue;
            if (o->field->model == m && o->field->type_model == target) {
                if (self && !back) {
                    back = o;
                    continue;
                }
                same = o;
                n_same++;
            } else if (!self && o->field->model == target && o->field->type_model == m) {
                if (back) {
                    n_same++;
                    same = o;
                    continue;
                }
                back = o;
            }
        }
        if (same) {
            if (self)
                psl_error(C->d, r->field->ast->span,
                          "Error validating model \"%s\": Ambiguous self relation detected. The fields `%s` and `%s` "
                          "in model `%s` both refer to `%s`. If they are part of the same relation add the same "
                          "relation name for them with `@relation(<name>)`.",
                          m->name, r->field->name, same->field->name, m->name, target->name);
            else
                psl_error(C->d, r->field->ast->span,
                          "Error validating model \"%s\": Ambiguous relation detected. The fields `%s` and `%s` in "
                          "model `%s` both refer to `%s`. Please provide different relation names for them by "
                          "adding `@relation(<name>).",
                          same->field->model->name, r->field->name, same->field->name, same->field->model->name,
                          target->name);
            r->paired = same->paired = true;
            continue;
        }
        r->paired = true;
        if (back)
            back->paired = true;

        /* The default relation name: the two model names, sorted, joined by "To". */
        const char *name = r->name;
        if (!*name) {
            const char *pair[2] = { m->name, target->name };
            qsort(pair, 2, sizeof pair[0], cmp_names);
            name = psl_arena_printf(C->a, "%sTo%s", pair[0], pair[1]);
        }

        if (!back) {
            if (r->field->is_ignored || m->is_ignored || target->is_ignored)
                continue;
            psl_error(C->d, r->field->ast->span,
                      "Error validating field `%s` in %s `%s`: The relation field `%s` on %s `%s` is missing an "
                      "opposite relation field on the %s `%s`. Either run `prisma format` or add it manually.",
                      r->field->name, word(m), m->name, r->field->name, word(m), m->name, word(target), target->name);
            continue;
        }
        bool r_list = r->field->arity == PSL_LIST, b_list = back->field->arity == PSL_LIST;
        if (r_list && b_list) {
            psl_relation *rel = new_relation(C, &all, name, PSL_REL_MANY_TO_MANY);
            rel_info *sides[2] = { r, back };
            /* m-n: the join table's A column is the model that sorts first. */
            if (strcmp(m->name, target->name) > 0 ||
                (self && strcmp(r->field->name, back->field->name) > 0)) {
                sides[0] = back;
                sides[1] = r;
            }
            rel->from_model = sides[0]->field->model;
            rel->to_model = sides[1]->field->model;
            rel->from_field = sides[0]->field;
            rel->to_field = sides[1]->field;
            rel->self = self;
            rel->join_table = psl_arena_printf(C->a, "_%s", name);
            r->field->relation = back->field->relation = rel;
            for (int side = 0; side < 2; side++) {
                rel_info *x = side ? back : r;
                if (x->fields || x->references)
                    psl_error(C->d, x->attr->span,
                              "Error validating field `%s` in %s `%s`: Implicit many-to-many relations must not "
                              "have references argument. Please remove it.",
                              x->field->name, word(x->field->model), x->field->model->name);
            }
            continue;
        }
        if (r_list || b_list) {
            rel_info *fwd = r_list ? back : r, *list = r_list ? r : back;
            psl_relation *rel = new_relation(C, &all, name, PSL_REL_ONE_TO_MANY);
            rel->self = self;
            if (list->fields || list->references)
                psl_error(C->d, list->attr->span,
                          "Error parsing attribute \"@relation\": The relation field `%s` on %s `%s` must not specify "
                          "the `fields` or `references` argument in the @relation attribute. You must only specify "
                          "it on the opposite field `%s` on %s `%s`.",
                          list->field->name, word(list->field->model), list->field->model->name, fwd->field->name,
                          word(fwd->field->model), fwd->field->model->name);
            if (!fwd->fields && !fwd->references) {
                psl_error(C->d, fwd->field->ast->span,
                          "Error validating: The relation field `%s` on %s `%s` must specify the `fields` argument "
                          "in the @relation attribute. You can run `prisma format` to fix this automatically.",
                          fwd->field->name, word(fwd->field->model), fwd->field->model->name);
                if (!fwd->references)
                    psl_error(C->d, fwd->field->ast->span,
                              "Error validating: The relation field `%s` on %s `%s` must specify the `references` "
                              "argument in the @relation attribute.",
                              fwd->field->name, word(fwd->field->model), fwd->field->model->name);
            }
            build_forward(C, fwd, list, rel);
            continue;
        }
        /* 1-1: exactly one side holds fields/references. */
        bool rf = r->fields || r->references, bf = back->fields || back->references;
        psl_relation *rel = new_relation(C, &all, name, PSL_REL_ONE_TO_ONE);
        rel->self = self;
        if (rf && bf) {
            psl_error(C->d, r->field->ast->span,
                      "Error validating: The relation fields `%s` on %s `%s` and `%s` on %s `%s` both provide the "
                      "`references` argument in the @relation attribute. You have to provide it only on one of the "
                      "two fields.",
                      r->field->name, word(m), m->name, back->field->name, word(target), target->name);
            continue;
        }
        if (!rf && !bf) {
            psl_error(C->d, r->field->ast->span,
                      "Error validating: The relation fields `%s` on %s `%s` and `%s` on %s `%s` do not provide the "
                      "`fields` argument in the @relation attribute. You have to provide it on one of the two fields.",
                      r->field->name, word(m), m->name, back->field->name, word(target), target->name);
            continue;
        }
        rel_info *fwd = rf ? r : back, *bk = rf ? back : r;
        if (bk->field->arity == PSL_REQUIRED) {
            psl_error(C->d, bk->field->ast->span,
                      "Error parsing attribute \"@relation\": The relation field `%s` on %s `%s` is required. This "
                      "is not valid because it's not possible to enforce this constraint on the database level. "
                      "Please change the field type from `%s` to `%s?` to fix this.",
                      bk->field->name, word(bk->field->model), bk->field->model->name, bk->field->type_name,
                      bk->field->type_name);
        }
        build_forward(C, fwd, bk, rel);
    }
    for (size_t i = 0; i < all.len; i++) {
        psl_relation *rel = all.items[i];
        rel->effective_on_delete = rel->on_delete ? rel->on_delete : default_on_delete(rel);
        rel->effective_on_update = rel->on_update ? rel->on_update : PSL_ACTION_CASCADE;
    }
    s->relations = (psl_relation **)all.items;
    s->n_relations = all.len;
}
