/* Cross-cutting validations, run once every model and relation is built:
 * database name clashes, constraint names, unique criteria, multi-schema,
 * the provider's index rules, and the C names of everything. */
#include "provider.h"
#include "schema_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const psl_attribute *block_attr(const psl_top *t, const char *name)
{
    for (size_t i = 0; i < t->n_lines; i++)
        if (t->lines[i].kind == PSL_LINE_ATTRIBUTE && streq(t->lines[i].attrs[0].name, name))
            return &t->lines[i].attrs[0];
    return NULL;
}

/* ---- constraint names (Prisma's ConstraintNames) ---- */

static size_t name_limit(const psl_ctx *C)
{
    const psl_connector *c = psl_schema_connector(C->s);
    return c ? c->max_ident_len : 0;
}

/* table + "_" + columns joined by "_" + suffix, the prefix truncated so the
 * whole fits the database's identifier limit. */
static const char *constraint_name(psl_ctx *C, const char *table, psl_index_field *fields, psl_field **fks,
                                   size_t n, const char *suffix)
{
    char *s = psl_arena_strdup(C->a, table);
    for (size_t i = 0; i < n; i++)
        s = psl_arena_printf(C->a, "%s_%s", s, fields ? fields[i].field->db_name : fks[i]->db_name);
    size_t limit = name_limit(C);
    size_t sl = strlen(suffix);
    if (limit && strlen(s) + 1 + sl > limit)
        s[limit - 1 - sl] = '\0';
    return psl_arena_printf(C->a, "%s_%s", s, suffix);
}

void psl_assign_constraint_names(psl_ctx *C)
{
    psl_schema *s = C->s;
    for (size_t i = 0; i < s->n_models; i++) {
        psl_model *m = s->models[i];
        if (m->primary_key && !m->primary_key->db_name)
            m->primary_key->db_name = constraint_name(C, m->db_name, NULL, NULL, 0, "pkey");
        for (size_t k = 0; k < m->n_indexes; k++) {
            psl_index *ix = m->indexes[k];
            if (!ix->db_name)
                ix->db_name = constraint_name(C, m->db_name, ix->fields, NULL, ix->n_fields,
                                              ix->kind == PSL_INDEX_UNIQUE ? "key" : "idx");
            if (ix->kind == PSL_INDEX_UNIQUE) {
                /* The client name of a compound unique: name:, or the fields joined by "_". */
                if (ix->name) {
                    ix->c_name = psl_c_identifier(C->a, ix->name);
                } else {
                    char *cn = psl_arena_strdup(C->a, "");
                    for (size_t q = 0; q < ix->n_fields; q++)
                        cn = psl_arena_printf(C->a, "%s%s%s", cn, q ? "_" : "", ix->fields[q].field->name);
                    ix->c_name = psl_c_identifier(C->a, cn);
                }
            }
        }
        if (m->primary_key) {
            psl_index *pk = m->primary_key;
            if (pk->name) {
                pk->c_name = psl_c_identifier(C->a, pk->name);
            } else {
                char *cn = psl_arena_strdup(C->a, "");
                for (size_t q = 0; q < pk->n_fields; q++)
                    cn = psl_arena_printf(C->a, "%s%s%s", cn, q ? "_" : "", pk->fields[q].field->name);
                pk->c_name = psl_c_identifier(C->a, cn);
            }
        }
    }
    for (size_t i = 0; i < s->n_relations; i++) {
        psl_relation *r = s->relations[i];
        if (r->kind != PSL_REL_MANY_TO_MANY && !r->fk_name && r->n_fields)
            r->fk_name = constraint_name(C, r->from_model->db_name, NULL, r->fields, r->n_fields, "fkey");
    }
}

typedef struct named_constraint {
    const char *name;
    const char *schema;
    psl_span span;
    const char *attr; /* "@id", "@@unique", ... */
    const psl_model *model;
    bool clash;
} named_constraint;

static void check_constraint_names(psl_ctx *C)
{
    psl_schema *s = C->s;
    psl_vec all = { 0 };
    for (size_t i = 0; i < s->n_models; i++) {
        psl_model *m = s->models[i];
        if (m->is_view || m->is_ignored)
            continue;
        for (size_t k = 0; k <= m->n_indexes; k++) {
            psl_index *ix = k < m->n_indexes ? m->indexes[k] : m->primary_key;
            if (!ix || !ix->db_name)
                continue;
            named_constraint *nc = psl_arena_alloc(C->a, sizeof *nc);
            nc->name = ix->db_name;
            nc->schema = m->schema_name;
            nc->span = ix->span;
            nc->model = m;
            nc->attr = ix->kind == PSL_INDEX_PRIMARY ? (ix->from_field ? "@id" : "@@id")
                       : ix->kind == PSL_INDEX_UNIQUE ? (ix->from_field ? "@unique" : "@@unique")
                       : ix->kind == PSL_INDEX_FULLTEXT ? "@@fulltext"
                                                         : "@@index";
            psl_vec_push(C->a, &all, nc);
        }
    }
    /* SQLite and PostgreSQL: index, unique and primary key names share one
     * namespace per schema. Every member of a clash is reported. */
    psl_map first;
    psl_map_init(&first, C->a);
    for (size_t i = 0; i < all.len; i++) {
        named_constraint *a = all.items[i];
        const char *key = psl_arena_printf(C->a, "%s%c%s", a->schema ? a->schema : "", 0, a->name);
        size_t klen = (a->schema ? strlen(a->schema) : 0) + 1 + strlen(a->name);
        named_constraint *b = psl_map_put(&first, key, klen, a);
        if (!b)
            continue;
        /* An @id's name clashing only with its own table is fine. */
        if (a->model == b->model && streq(a->attr, b->attr))
            continue;
        a->clash = b->clash = true;
    }
    for (size_t i = 0; i < all.len; i++) {
        named_constraint *a = all.items[i];
        if (a->clash)
            psl_error(C->d, a->span,
                      "Error parsing attribute \"%s\": The given constraint name `%s` has to be unique in the "
                      "following namespace: global for primary key, indexes and unique constraints. Please provide "
                      "a different name using the `map` argument.",
                      a->attr, a->name);
    }
}

/* ---- database name clashes ---- */

/* The map key of a database name within its schema. */
static const char *db_key(psl_ctx *C, const char *schema, const char *name, size_t *len)
{
    *len = (schema ? strlen(schema) : 0) + 1 + strlen(name);
    return psl_arena_printf(C->a, "%s%c%s", schema ? schema : "", 0, name);
}

static void check_db_names(psl_ctx *C)
{
    psl_schema *s = C->s;
    psl_map tables;
    psl_map_init(&tables, C->a);
    for (size_t i = 0; i < s->n_models; i++) {
        psl_model *m = s->models[i];
        size_t klen;
        const char *key = db_key(C, m->schema_name, m->db_name, &klen);
        if (psl_connector_can(psl_schema_connector(s), PSL_CAP_TABLE_NAMES_IGNORE_CASE)) {
            /* Table names that ignore (ASCII) case (SQLite). */
            char *lower = psl_arena_strndup(C->a, key, klen);
            for (size_t k = 0; k < klen; k++)
                if (lower[k] >= 'A' && lower[k] <= 'Z')
                    lower[k] = (char)(lower[k] - 'A' + 'a');
            key = lower;
        }
        psl_model *o = psl_map_put(&tables, key, klen, m);
        if (o) {
            const psl_attribute *map = block_attr(m->ast, "map");
            psl_error(C->d, map ? map->span : m->ast->name_span,
                      "The model with database name \"%s\" could not be defined because another model or view with "
                      "this name exists: \"%s\"",
                      m->db_name, o->name);
        }
        /* Two fields on one column. */
        psl_map columns;
        psl_map_init(&columns, C->a);
        for (size_t a = 0; a < m->n_fields; a++) {
            psl_field *f = m->fields[a];
            if (f->kind == PSL_FIELD_RELATION)
                continue;
            if (psl_map_put(&columns, f->db_name, strlen(f->db_name), f))
                psl_error(C->d, f->ast->span,
                          "Error validating model \"%s\": The field `%s` cannot be defined because a field with the "
                          "database name `%s` already exists.",
                          m->name, f->name, f->db_name);
        }
    }
    psl_map enums;
    psl_map_init(&enums, C->a);
    for (size_t i = 0; i < s->n_enums; i++) {
        psl_enum *e = s->enums[i];
        size_t klen;
        const char *key = db_key(C, e->schema_name, e->db_name, &klen);
        psl_enum *o = psl_map_put(&enums, key, klen, e);
        if (!o)
            continue;
        if (e->db_name == e->name && o->db_name == o->name)
            continue; /* a plain duplicate name is reported by the names phase */
        psl_error(C->d, e->ast->span, "An enum with the same database name is already defined.");
    }
}

static const psl_attribute *index_attr(const psl_index *ix, const psl_model *m)
{
    const psl_top *t = m->ast;
    for (size_t i = 0; i < t->n_lines; i++) {
        const psl_line *l = &t->lines[i];
        if (l->kind == PSL_LINE_ATTRIBUTE && l->attrs[0].span.start == ix->span.start)
            return &l->attrs[0];
    }
    return NULL;
}

/* ---- per-model rules ---- */

static bool index_is_strict(const psl_index *ix)
{
    for (size_t k = 0; k < ix->n_fields; k++)
        if (ix->fields[k].field->arity != PSL_REQUIRED || ix->fields[k].field->kind == PSL_FIELD_UNSUPPORTED)
            return false;
    return true;
}

static bool has_strict_unique(const psl_model *m)
{
    if (m->primary_key)
        return true;
    for (size_t i = 0; i < m->n_indexes; i++)
        if (m->indexes[i]->kind == PSL_INDEX_UNIQUE && index_is_strict(m->indexes[i]))
            return true;
    return false;
}

/* Prisma's error for a model without a unique criteria of required fields:
 * the unique criteria it passed over (a field that is optional or
 * unsupported), one per line, as "- a, b". */
static void missing_strict_unique(psl_ctx *C, const psl_model *m)
{
    const char *loose = "";
    for (size_t i = 0; i < m->n_indexes; i++) {
        const psl_index *ix = m->indexes[i];
        if (ix->kind != PSL_INDEX_UNIQUE)
            continue;
        loose = psl_arena_printf(C->a, "%s\n- ", loose);
        for (size_t k = 0; k < ix->n_fields; k++)
            loose = psl_arena_printf(C->a, "%s%s%s", loose, k ? ", " : "", ix->fields[k].field->name);
    }
    psl_error(C->d, m->ast->span,
              "Error validating model \"%s\": Each model must have at least one unique criteria that has only "
              "required fields. Either mark a single field with `@id`, `@unique` or add a multi field criterion "
              "with `@@id([])` or `@@unique([])` to the model.%s%s",
              m->name, loose[0] ? " The following unique criterias were not considered as they contain fields that "
                                  "are not required:" : "", loose);
}

static const psl_arg *named_arg(const psl_attribute *a, const char *name)
{
    for (size_t i = 0; i < a->args.len; i++)
        if (a->args.items[i].name && streq(a->args.items[i].name, name))
            return &a->args.items[i];
    return NULL;
}

/* Whether any field reference in an index list has arguments: a(sort: Desc). */
static const psl_arg *first_field_arg(const psl_attribute *a, const char *only)
{
    const psl_arg *fields = a->args.len ? &a->args.items[0] : NULL;
    if (!fields || fields->name || !fields->value)
        return NULL;
    const psl_expr *one;
    size_t n;
    const psl_expr *const *items = psl_expr_items(fields->value, &one, &n);
    for (size_t i = 0; i < n; i++) {
        const psl_expr *e = items[i];
        if (e->kind != PSL_EXPR_FUNCTION)
            continue;
        for (size_t k = 0; k < e->args.len; k++)
            if (!only || (e->args.items[k].name && streq(e->args.items[k].name, only)))
                return &e->args.items[k];
    }
    return NULL;
}

static bool is_index_attr(const char *name)
{
    return streq(name, "id") || streq(name, "unique") || streq(name, "index") || streq(name, "fulltext");
}

/* Views: no primary keys, no indexes, no mapped or parameterised uniques. */
static void check_view(psl_ctx *C, psl_model *m)
{
    if (!C->has_preview_views)
        psl_error(C->d, m->ast->span,
                  "Error validating: View definitions are only available with the `views` preview feature.");
    for (size_t i = 0; i < m->n_fields; i++) {
        const psl_line *l = m->fields[i]->ast;
        for (size_t k = 0; k < l->n_attrs; k++) {
            const psl_attribute *a = &l->attrs[k];
            if (streq(a->name, "id"))
                psl_error(C->d, a->span, "Error validating: Views cannot have primary keys.");
            else if (streq(a->name, "unique") && named_arg(a, "map"))
                psl_error(C->d, a->span,
                          "Error validating: @@unique annotations on views are not backed by unique indexes in the "
                          "database and cannot specify a mapped database name.");
        }
    }
    const psl_top *t = m->ast;
    for (size_t i = 0; i < t->n_lines; i++) {
        if (t->lines[i].kind != PSL_LINE_ATTRIBUTE)
            continue;
        const psl_attribute *a = &t->lines[i].attrs[0];
        if (streq(a->name, "id"))
            psl_error(C->d, a->span, "Error validating: Views cannot have primary keys.");
        else if (streq(a->name, "unique") && named_arg(a, "map"))
            psl_error(C->d, a->span,
                      "Error validating: @@unique annotations on views are not backed by unique indexes in the "
                      "database and cannot specify a mapped database name.");
        else if (streq(a->name, "index") || streq(a->name, "fulltext"))
            psl_error(C->d, a->span, "Error validating: Views cannot have indexes.");
    }
    for (size_t i = 0; i < t->n_lines; i++) {
        if (t->lines[i].kind != PSL_LINE_ATTRIBUTE)
            continue;
        const psl_attribute *a = &t->lines[i].attrs[0];
        if (streq(a->name, "unique") && first_field_arg(a, NULL))
            psl_error(C->d, a->span,
                      "Error parsing attribute \"@@unique\": Scalar fields in @@unique attributes in views cannot "
                      "have arguments.");
    }
}

/* Index prefix lengths: only where the connector has them, and only on
 * String and Bytes fields. */
static void check_length_arg(psl_ctx *C, psl_model *m, const psl_attribute *a, bool has_length)
{
    if (!has_length)
        return;
    if (!psl_connector_can(psl_schema_connector(C->s), PSL_CAP_INDEX_LENGTH)) {
        psl_attr_error(C, a, a->span,
                       "The length argument is not supported in an index definition with the current connector");
        return;
    }
    for (size_t i = 0; i < a->args.len; i++) {
        const psl_expr *v = a->args.items[i].value;
        if (a->args.items[i].name && !streq(a->args.items[i].name, "fields"))
            continue;
        const psl_expr *one;
        size_t n;
        const psl_expr *const *items = v ? psl_expr_items(v, &one, &n) : NULL;
        for (size_t k = 0; items && k < n; k++) {
            const psl_expr *e = items[k];
            if (e->kind != PSL_EXPR_FUNCTION)
                continue;
            bool with_length = false;
            for (size_t j = 0; j < e->args.len; j++)
                with_length |= e->args.items[j].name && streq(e->args.items[j].name, "length");
            psl_field *f = with_length ? psl_model_field(m, e->text) : NULL;
            if (f && f->kind == PSL_FIELD_SCALAR && f->scalar != PSL_STRING && f->scalar != PSL_BYTES) {
                psl_attr_error(C, a, a->span,
                               "The length argument is only allowed with field types `String` or `Bytes`.");
                return;
            }
        }
        break;
    }
}

/* Clustering is SQL Server's (no connector here has it); index prefix
 * lengths are MySQL's. */
static void check_index_arguments(psl_ctx *C, psl_model *m)
{
    for (size_t i = 0; i < m->n_fields; i++) {
        const psl_line *l = m->fields[i]->ast;
        for (size_t k = 0; k < l->n_attrs; k++) {
            const psl_attribute *a = &l->attrs[k];
            if (!streq(a->name, "id") && !streq(a->name, "unique"))
                continue;
            if (named_arg(a, "clustered"))
                psl_attr_error(C, a, a->span, "Defining clustering is not supported in the current connector.");
            if (!named_arg(a, "length"))
                continue;
            if (!psl_connector_can(psl_schema_connector(C->s), PSL_CAP_INDEX_LENGTH))
                psl_attr_error(C, a, a->span,
                               "The length argument is not supported in an index definition with the current "
                               "connector");
            else if (m->fields[i]->kind == PSL_FIELD_SCALAR && m->fields[i]->scalar != PSL_STRING &&
                     m->fields[i]->scalar != PSL_BYTES)
                psl_attr_error(C, a, a->span,
                               "The length argument is only allowed with field types `String` or `Bytes`.");
        }
    }
    const psl_top *t = m->ast;
    for (size_t i = 0; i < t->n_lines; i++) {
        if (t->lines[i].kind != PSL_LINE_ATTRIBUTE || !is_index_attr(t->lines[i].attrs[0].name))
            continue;
        const psl_attribute *a = &t->lines[i].attrs[0];
        if (named_arg(a, "clustered"))
            psl_attr_error(C, a, a->span, "Defining clustering is not supported in the current connector.");
        check_length_arg(C, m, a, first_field_arg(a, "length") != NULL);
    }
}

static void check_native_types(psl_ctx *C, psl_model *m)
{
    const psl_datasource *ds = C->s->datasource;
    for (size_t i = 0; i < m->n_fields; i++) {
        psl_field *f = m->fields[i];
        const psl_line *l = f->ast;
        for (size_t k = 0; k < l->n_attrs; k++) {
            const psl_attribute *a = &l->attrs[k];
            const char *dot = strchr(a->name, '.');
            if (!dot)
                continue;
            if (!ds || strncmp(a->name, ds->name, (size_t)(dot - a->name)) != 0 ||
                strlen(ds->name) != (size_t)(dot - a->name)) {
                psl_error(C->d, a->name_span, "Attribute not known: \"@%s\".", a->name);
                continue;
            }
            psl_check_native_type(C, m, f);
        }
    }
}

void psl_validate(psl_ctx *C)
{
    psl_schema *s = C->s;
    check_db_names(C);
    const psl_connector *conn = psl_schema_connector(s);
    for (size_t i = 0; i < s->n_models; i++) {
        psl_model *m = s->models[i];
        if (m->is_view)
            check_view(C, m);
        else if (!m->is_ignored && !has_strict_unique(m))
            missing_strict_unique(C, m);
        if (C->multi_schema && !m->schema_name)
            psl_error(C->d, m->ast->span, "Error validating %s \"%s\": This %s is missing an `@@schema` attribute.",
                      m->is_view ? "view" : "model", m->name, m->is_view ? "view" : "model");
        if (conn && conn->validate_model)
            conn->validate_model(C, m);
        check_native_types(C, m);
        check_index_arguments(C, m);
        if (conn && conn->validate_index) {
            for (size_t k = 0; k < m->n_indexes; k++) {
                psl_index *ix = m->indexes[k];
                const psl_attribute *a = index_attr(ix, m);
                if (a && ix->kind == PSL_INDEX_NORMAL)
                    conn->validate_index(C, m, ix, a);
            }
        }
        for (size_t k = 0; k < m->n_fields; k++) {
            psl_field *f = m->fields[k];
            if (f->arity == PSL_LIST && f->kind != PSL_FIELD_RELATION && conn &&
                !psl_connector_can(conn, PSL_CAP_SCALAR_LISTS))
                psl_error(C->d, f->ast->span,
                          "Field \"%s\" in model \"%s\" can't be a list. The current connector does not support "
                          "lists of primitive types.",
                          f->name, m->name);
        }
    }
    for (size_t i = 0; i < s->n_composites; i++)
        check_native_types(C, s->composites[i]);
    for (size_t i = 0; i < s->n_enums; i++) {
        psl_enum *e = s->enums[i];
        if (C->multi_schema && !e->schema_name)
            psl_error(C->d, e->ast->span, "This enum is missing an `@@schema` attribute.");
    }
    psl_validate_relations(C);
    check_constraint_names(C);
}

/* ---- C names ---- */

void psl_assign_c_names(psl_ctx *C)
{
    psl_schema *s = C->s;
    /* Type names and function prefixes must be unique across models and
     * enums even when schema names differ only in case. */
    psl_map taken;
    psl_map_init(&taken, C->a);
    for (size_t pass = 0; pass < 2; pass++) {
        size_t n = pass == 0 ? s->n_models : s->n_enums;
        for (size_t i = 0; i < n; i++) {
            const char *name = pass == 0 ? s->models[i]->name : s->enums[i]->name;
            const char *type = psl_c_identifier(C->a, name);
            const char *prefix = psl_snake_case(C->a, name);
            for (int attempt = 2;; attempt++) {
                /* Types and prefixes share one set: "t:" and "p:" keep them apart. */
                const char *tk = psl_arena_printf(C->a, "t:%s", type), *pk = psl_arena_printf(C->a, "p:%s", prefix);
                if (!psl_map_get(&taken, tk, strlen(tk)) && !psl_map_get(&taken, pk, strlen(pk))) {
                    psl_map_put(&taken, tk, strlen(tk), (void *)(uintptr_t)1);
                    psl_map_put(&taken, pk, strlen(pk), (void *)(uintptr_t)1);
                    break;
                }
                type = psl_arena_printf(C->a, "%s%d", psl_c_identifier(C->a, name), attempt);
                prefix = psl_arena_printf(C->a, "%s%d", psl_snake_case(C->a, name), attempt);
            }
            if (pass == 0) {
                s->models[i]->c_name = type;
                s->models[i]->c_prefix = prefix;
            } else {
                s->enums[i]->c_name = type;
                s->enums[i]->c_prefix = prefix;
            }
        }
    }
    for (size_t i = 0; i < s->n_composites; i++) {
        s->composites[i]->c_name = psl_c_identifier(C->a, s->composites[i]->name);
        s->composites[i]->c_prefix = psl_snake_case(C->a, s->composites[i]->name);
    }
    psl_model **all[2] = { s->models, s->composites };
    size_t counts[2] = { s->n_models, s->n_composites };
    for (int g = 0; g < 2; g++)
        for (size_t i = 0; i < counts[g]; i++) {
            psl_model *m = all[g][i];
            psl_map used;
            psl_map_init(&used, C->a);
            for (size_t k = 0; k < m->n_fields; k++) {
                const char *cn = psl_c_identifier(C->a, m->fields[k]->name);
                for (int attempt = 2; psl_map_put(&used, cn, strlen(cn), m->fields[k]); attempt++)
                    cn = psl_arena_printf(C->a, "%s%d", psl_c_identifier(C->a, m->fields[k]->name), attempt);
                m->fields[k]->c_name = cn;
                m->fields[k]->c_const = psl_arena_printf(C->a, "%s_FIELD_%s", psl_upper_snake(C->a, m->c_prefix),
                                                         psl_upper_snake(C->a, m->fields[k]->name));
            }
        }
    for (size_t i = 0; i < s->n_enums; i++) {
        psl_enum *e = s->enums[i];
        const char *up = psl_upper_snake(C->a, e->name);
        for (size_t k = 0; k < e->n_values; k++) {
            const char *v = psl_c_identifier(C->a, e->values[k].name);
            e->values[k].c_name = psl_arena_printf(C->a, "%s_%s", up, v);
        }
    }
}
