/* Attributes: field attributes (@id, @unique, @map, @relation, @updatedAt,
 * @ignore, @db.*) and block attributes (@@id, @@unique, @@index, @@fulltext,
 * @@map, @@ignore, @@schema). Their arguments: args.c; @default:
 * defaults.c. */
#include "provider.h"
#include "schema_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- index field lists ---- */

/* Parses `[a, b(sort: Desc, length: 10, ops: X)]` into index fields of `m`.
 * Unknown and relation fields are collected for the caller's messages. */
static bool parse_index_fields(psl_ctx *C, psl_model *m, const psl_attribute *attr, const psl_expr *list,
                               psl_index *ix, psl_vec *unknown, psl_vec *relations)
{
    const psl_expr *one;
    size_t n;
    const psl_expr *const *items = psl_expr_items(list, &one, &n);
    ix->fields = psl_arena_alloc(C->a, (n + 1) * sizeof *ix->fields);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const psl_expr *e = items[i];
        if (e->kind != PSL_EXPR_CONSTANT && e->kind != PSL_EXPR_FUNCTION) {
            psl_error(C->d, e->span, "Expected a constant literal value, but received %s.", psl_expr_describe(C, e));
            ok = false;
            continue;
        }
        psl_index_field *xf = &ix->fields[ix->n_fields];
        if (e->kind == PSL_EXPR_FUNCTION) {
            for (size_t k = 0; k < e->args.len; k++) {
                const psl_arg *g = &e->args.items[k];
                if (!g->value || !g->name) {
                    psl_attr_error(C, attr, g->span, "Field arguments must be named.");
                    ok = false;
                    continue;
                }
                if (streq(g->name, "sort")) {
                    const char *sort = psl_expect_constant(C, g->value);
                    if (!sort) {
                        ok = false;
                    } else if (streq(sort, "Asc")) {
                        xf->sort = PSL_SORT_ASC;
                    } else if (streq(sort, "Desc")) {
                        xf->sort = PSL_SORT_DESC;
                    } else {
                        psl_attr_error(C, attr, g->value->span, "The `sort` argument must be `Asc` or `Desc`.");
                        ok = false;
                    }
                } else if (streq(g->name, "length")) {
                    /* Checked against the connector by the validations. */
                    long long len;
                    if (psl_expect_int(C, g->value, &len))
                        xf->length = (int)len;
                    else
                        ok = false;
                } else if (streq(g->name, "ops")) {
                    if (g->value->kind == PSL_EXPR_CONSTANT)
                        xf->ops = g->value->text;
                    else if (g->value->kind == PSL_EXPR_FUNCTION && streq(g->value->text, "raw") &&
                             g->value->args.len == 1 && g->value->args.items[0].value &&
                             g->value->args.items[0].value->kind == PSL_EXPR_STRING)
                        xf->ops = psl_arena_printf(C->a, "raw:%s", g->value->args.items[0].value->text);
                    else {
                        psl_attr_error(C, attr, g->value->span, "Invalid operator class.");
                        ok = false;
                    }
                } else {
                    psl_attr_error(C, attr, g->span, "No such argument.");
                    ok = false;
                }
            }
        }
        psl_field *f = psl_model_field(m, e->text);
        if (!f) {
            psl_vec_push_const(C->a, unknown, e->text);
            continue;
        }
        if (f->kind == PSL_FIELD_RELATION) {
            psl_vec_push(C->a, relations, f);
            continue;
        }
        xf->field = f;
        ix->n_fields++;
    }
    return ok;
}

static const char *join_names(psl_ctx *C, psl_vec *v, const char *sep)
{
    char *s = psl_arena_strdup(C->a, "");
    for (size_t i = 0; i < v->len; i++)
        s = psl_arena_printf(C->a, "%s%s%s", s, i ? sep : "", (const char *)v->items[i]);
    return s;
}

static const char *relation_fields_hint(psl_ctx *C, psl_vec *relations)
{
    /* Prisma suggests the relation's scalar fields instead. */
    psl_vec names = { 0 };
    for (size_t i = 0; i < relations->len; i++) {
        psl_field *rf = relations->items[i];
        const psl_line *l = rf->ast;
        for (size_t k = 0; k < l->n_attrs; k++) {
            if (!streq(l->attrs[k].name, "relation"))
                continue;
            for (size_t j = 0; j < l->attrs[k].args.len; j++) {
                const psl_arg *g = &l->attrs[k].args.items[j];
                if (g->name && streq(g->name, "fields") && g->value) {
                    const psl_expr *one;
                    size_t n;
                    const psl_expr *const *items = psl_expr_items(g->value, &one, &n);
                    for (size_t q = 0; q < n; q++)
                        if (items[q]->text)
                            psl_vec_push_const(C->a, &names, items[q]->text);
                }
            }
        }
    }
    return join_names(C, &names, ", ");
}

static void report_index_fields(psl_ctx *C, psl_model *m, const psl_attribute *attr, const char *what,
                                psl_vec *unknown, psl_vec *relations)
{
    if (unknown->len)
        psl_error(C->d, attr->span, "Error validating model \"%s\": The %s refers to the unknown fields: %s.",
                  m->name, what, join_names(C, unknown, ", "));
    if (relations->len) {
        psl_vec names = { 0 };
        for (size_t i = 0; i < relations->len; i++)
            psl_vec_push_const(C->a, &names, ((psl_field *)relations->items[i])->name);
        const char *attr_name = attr->block ? attr->name : "index";
        psl_error(C->d, attr->span,
                  "Error validating model \"%s\": The %s refers to the relation fields %s. Index definitions must "
                  "reference only scalar fields. Did you mean `@@%s([%s])`?",
                  m->name, what, join_names(C, &names, ", "), attr_name, relation_fields_hint(C, relations));
    }
}

static void add_index(psl_ctx *C, psl_model *m, psl_index *ix)
{
    psl_index **items = psl_arena_alloc(C->a, (m->n_indexes + 1) * sizeof *items);
    if (m->n_indexes)
        memcpy(items, m->indexes, m->n_indexes * sizeof *items);
    items[m->n_indexes++] = ix;
    m->indexes = items;
}

/* ---- field attributes ---- */

static void check_field_id(psl_ctx *C, psl_model *m, psl_field *f, const psl_attribute *a)
{
    psl_argv av;
    psl_argv_init(&av, C, a);
    const char *map = psl_optional_string_arg(C, &av, "map");
    const psl_arg *sort = psl_argv_get(&av, "sort", false);
    /* length and clustered are checked against the connector later. */
    psl_argv_get(&av, "length", false);
    psl_argv_get(&av, "clustered", false);
    psl_argv_finish(&av);
    if (m->is_view)
        return; /* "Views cannot have primary keys", reported by the validations */
    if (f->arity == PSL_OPTIONAL)
        psl_error(C->d, a->span,
                  "Error parsing attribute \"@id\": Fields that are marked as id must be required.");
    if (f->arity == PSL_LIST || f->kind == PSL_FIELD_RELATION || f->kind == PSL_FIELD_COMPOSITE) {
        psl_attr_error(C, a, a->span, "Fields that are marked as id must be of a scalar type that is not a list.");
        return;
    }
    if (m->primary_key) {
        psl_error(C->d, a->span,
                  "Error validating model \"%s\": At most one field must be marked as the id field with the `@id` "
                  "attribute.",
                  m->name);
        return;
    }
    f->is_id = true;
    psl_index *ix = psl_arena_alloc(C->a, sizeof *ix);
    ix->kind = PSL_INDEX_PRIMARY;
    ix->fields = psl_arena_alloc(C->a, sizeof *ix->fields);
    ix->fields[0].field = f;
    if (sort && sort->value) {
        const char *s = psl_expect_constant(C, sort->value);
        ix->fields[0].sort = streq(s, "Desc") ? PSL_SORT_DESC : PSL_SORT_ASC;
    }
    ix->n_fields = 1;
    ix->db_name = map;
    ix->from_field = true;
    ix->span = a->span;
    m->primary_key = ix;
}

static void check_field_unique(psl_ctx *C, psl_model *m, psl_field *f, const psl_attribute *a)
{
    psl_argv av;
    psl_argv_init(&av, C, a);
    const char *map = psl_optional_string_arg(C, &av, "map");
    const psl_arg *sort = psl_argv_get(&av, "sort", false);
    psl_argv_get(&av, "length", false);
    psl_argv_get(&av, "clustered", false);
    const char *where_sql = psl_check_index_where(C, m, a, psl_argv_get(&av, "where", false));
    psl_argv_finish(&av);
    if (f->kind == PSL_FIELD_RELATION) {
        psl_error(C->d, a->span,
                  "Error validating field `%s` in model `%s`: The field `%s` is a relation field and cannot be "
                  "marked with `@unique`. Only scalar fields can be made unique.",
                  f->name, m->name, f->name);
        return;
    }
    f->is_unique = !where_sql; /* a partial unique index does not make the field unique in every row */
    psl_index *ix = psl_arena_alloc(C->a, sizeof *ix);
    ix->kind = PSL_INDEX_UNIQUE;
    ix->fields = psl_arena_alloc(C->a, sizeof *ix->fields);
    ix->fields[0].field = f;
    if (sort && sort->value) {
        const char *s = psl_expect_constant(C, sort->value);
        ix->fields[0].sort = streq(s, "Desc") ? PSL_SORT_DESC : PSL_SORT_ASC;
    }
    ix->n_fields = 1;
    ix->db_name = map;
    ix->where_sql = where_sql;
    ix->from_field = true;
    ix->span = a->span;
    add_index(C, m, ix);
}

void psl_check_field_attributes(psl_ctx *C, psl_model *m, psl_field *f)
{
    const psl_line *l = f->ast;
    /* Each attribute at most once (native types count as one); every
     * occurrence of a repeated one is reported. */
    for (size_t i = 0; i < l->n_attrs; i++) {
        const psl_attribute *a = &l->attrs[i];
        for (size_t k = 0; k < l->n_attrs; k++) {
            const psl_attribute *b = &l->attrs[k];
            if (k != i && (streq(a->name, b->name) || (strchr(a->name, '.') && strchr(b->name, '.')))) {
                psl_error(C->d, a->name_span, "Attribute \"@%s\" can only be defined once.", a->name);
                break;
            }
        }
    }
    for (size_t i = 0; i < l->n_attrs; i++) {
        const psl_attribute *a = &l->attrs[i];
        bool dup = false;
        for (size_t k = 0; k < i; k++)
            if (streq(a->name, l->attrs[k].name) || (strchr(a->name, '.') && strchr(l->attrs[k].name, '.')))
                dup = true;
        if (dup)
            continue;
        const char *n = a->name;
        bool composite_ok = streq(n, "map") || streq(n, "default") || strchr(n, '.');
        if (m->is_composite && !composite_ok) {
            psl_error(C->d, a->name_span, "Attribute not known: \"@%s\".", n);
            continue;
        }
        if (streq(n, "id")) {
            check_field_id(C, m, f, a);
        } else if (streq(n, "unique")) {
            check_field_unique(C, m, f, a);
        } else if (streq(n, "map")) {
            psl_argv av;
            psl_argv_init(&av, C, a);
            const psl_arg *g = psl_argv_require(&av, "name", true);
            psl_argv_finish(&av);
            if (f->kind == PSL_FIELD_RELATION) {
                psl_attr_error(C, a, a->span, "The attribute `@map` cannot be used on relation fields.");
                continue;
            }
            if (g && g->value) {
                const char *v = psl_expect_string(C, g->value);
                if (v && !*v)
                    psl_attr_error(C, a, g->value->span, "The `name` argument cannot be an empty string.");
                else if (v)
                    f->db_name = v;
            }
        } else if (streq(n, "default")) {
            /* Checked once types and enums are known: psl_check_defaults. */
        } else if (streq(n, "relation")) {
            if (f->kind != PSL_FIELD_RELATION) {
                psl_error(C->d, a->span,
                          "Error validating field `%s` in model `%s`: Invalid field type, not a relation.", f->name,
                          m->name);
            }
        } else if (streq(n, "updatedAt")) {
            psl_argv av;
            psl_argv_init(&av, C, a);
            psl_argv_finish(&av);
            if (f->kind != PSL_FIELD_SCALAR || f->scalar != PSL_DATETIME)
                psl_attr_error(C, a, a->span, "Fields that are marked with @updatedAt must be of type DateTime.");
            else if (f->arity == PSL_LIST)
                psl_attr_error(C, a, a->span, "Fields that are marked with @updatedAt cannot be lists.");
            else
                f->is_updated_at = true;
        } else if (streq(n, "ignore")) {
            psl_argv av;
            psl_argv_init(&av, C, a);
            psl_argv_finish(&av);
            f->is_ignored = true; /* on a relation field too: it is left out of the client */
        } else if (streq(n, "shardKey")) {
            /* Checked with the model's @@shardKey: psl_check_shard_keys. */
        } else if (strchr(n, '.')) {
            /* A native type: checked against the datasource by the validations. */
        } else {
            psl_error(C->d, a->name_span, "Attribute not known: \"@%s\".", n);
        }
    }
    psl_check_defaults(C, m, f);
}

/* ---- block attributes ---- */

static void check_schema_attr(psl_ctx *C, const psl_attribute *a, const char **out)
{
    psl_argv av;
    psl_argv_init(&av, C, a);
    const psl_arg *g = psl_argv_get(&av, "map", true);
    psl_argv_finish(&av);
    if (!g || !g->value) {
        psl_error(C->d, a->span, "Argument \"map\" is missing.");
        return;
    }
    const char *name = psl_expect_string(C, g->value);
    if (!name)
        return;
    *out = name;
    const psl_datasource *ds = C->s->datasource;
    bool known = false;
    for (size_t i = 0; ds && i < ds->n_schemas; i++)
        if (streq(ds->schemas[i], name))
            known = true;
    if (!known)
        psl_error(C->d, g->value->span,
                  "This schema is not defined in the datasource. Read more on `@@schema` at "
                  "https://pris.ly/d/multi-schema");
}

static void check_compound(psl_ctx *C, psl_model *m, const psl_attribute *a, psl_index_kind kind)
{
    psl_argv av;
    psl_argv_init(&av, C, a);
    const psl_arg *fields = psl_argv_require(&av, "fields", true);
    const char *name = kind == PSL_INDEX_FULLTEXT ? NULL : psl_optional_string_arg(C, &av, "name");
    const char *map = psl_optional_string_arg(C, &av, "map");
    const psl_arg *type = kind == PSL_INDEX_NORMAL ? psl_argv_get(&av, "type", false) : NULL;
    psl_argv_get(&av, "clustered", false);
    const char *where_sql = kind == PSL_INDEX_NORMAL || kind == PSL_INDEX_UNIQUE
                                ? psl_check_index_where(C, m, a, psl_argv_get(&av, "where", false))
                                : NULL;
    psl_argv_finish(&av);
    if (!fields || !fields->value)
        return;
    /* Views' keys and indexes are rejected by the validations. */
    if (m->is_view && kind != PSL_INDEX_UNIQUE)
        return;

    psl_index *ix = psl_arena_alloc(C->a, sizeof *ix);
    ix->kind = kind;
    ix->name = name;
    ix->db_name = map;
    ix->where_sql = where_sql;
    ix->span = a->span;
    psl_vec unknown = { 0 }, relations = { 0 };
    bool ok = parse_index_fields(C, m, a, fields->value, ix, &unknown, &relations);
    const char *what = kind == PSL_INDEX_PRIMARY ? "multi field id declaration"
                       : kind == PSL_INDEX_UNIQUE ? "unique index definition"
                                                  : "index definition";
    report_index_fields(C, m, a, what, &unknown, &relations);
    if (!ok || unknown.len || relations.len)
        return;
    if (ix->n_fields == 0) {
        psl_attr_error(C, a, a->span, "The list of fields in an index cannot be empty. Please specify at least one field.");
        return;
    }
    if (type && type->value) {
        const char *alg = psl_expect_constant(C, type->value);
        static const char *const algs[] = { "BTree", "Hash", "Gist", "Gin", "SpGist", "Brin" };
        bool known = false;
        for (size_t i = 0; alg && i < sizeof algs / sizeof algs[0]; i++)
            if (streq(alg, algs[i]))
                known = true;
        if (alg && !known)
            psl_attr_error(C, a, type->value->span, "Unknown index type: %s.", alg);
        else if (alg && C->s->datasource && !psl_connector_index_algorithm(C->s->datasource->connector, alg))
            psl_attr_error(C, a, type->value->span, "The given index type is not supported with the current connector");
        else
            ix->algorithm = alg;
    }
    if (kind == PSL_INDEX_FULLTEXT && !psl_connector_can(psl_schema_connector(C->s), PSL_CAP_FULLTEXT_INDEX)) {
        psl_attr_error(C, a, a->span,
                       "Defining fulltext indexes is not supported with the current connector.");
        return;
    }
    if (kind == PSL_INDEX_PRIMARY) {
        if (m->primary_key) {
            psl_error(C->d, a->span,
                      "Error validating model \"%s\": Each model must have at most one id criteria. You can't have "
                      "`@id` and `@@id` at the same time.",
                      m->name);
            return;
        }
        for (size_t i = 0; i < ix->n_fields; i++)
            if (ix->fields[i].field->arity == PSL_OPTIONAL) {
                psl_error(C->d, a->span,
                          "Error validating model \"%s\": The id definition refers to the optional fields %s. Id "
                          "definitions must reference only required fields.",
                          m->name, ix->fields[i].field->name);
                return;
            }
        m->primary_key = ix;
        return;
    }
    add_index(C, m, ix);
}

/* Reports every occurrence of a block attribute written more than once. */
static bool report_repeated(psl_ctx *C, const psl_top *t, const char *name)
{
    size_t n = 0;
    for (size_t k = 0; k < t->n_lines; k++)
        if (t->lines[k].kind == PSL_LINE_ATTRIBUTE && streq(t->lines[k].attrs[0].name, name))
            n++;
    if (n < 2)
        return false;
    for (size_t k = 0; k < t->n_lines; k++)
        if (t->lines[k].kind == PSL_LINE_ATTRIBUTE && streq(t->lines[k].attrs[0].name, name))
            psl_error(C->d, t->lines[k].attrs[0].span, "Attribute \"@%s\" can only be defined once.", name);
    return true;
}

void psl_check_block_attributes(psl_ctx *C, psl_model *m)
{
    const psl_top *t = m->ast;
    const char *schema_name = NULL;
    bool seen_map = false, seen_schema = false, seen_ignore = false, seen_shard_key = false;
    for (size_t i = 0; i < t->n_lines; i++) {
        const psl_line *l = &t->lines[i];
        if (l->kind != PSL_LINE_ATTRIBUTE)
            continue;
        const psl_attribute *a = &l->attrs[0];
        const char *n = a->name;
        if (m->is_composite) {
            if (streq(n, "id"))
                psl_error(C->d, a->span, "Error validating: A composite type cannot define an id.");
            else
                psl_error(C->d, a->name_span, "Attribute not known: \"@@%s\".", n);
            continue;
        }
        if (streq(n, "id")) {
            check_compound(C, m, a, PSL_INDEX_PRIMARY);
        } else if (streq(n, "unique")) {
            check_compound(C, m, a, PSL_INDEX_UNIQUE);
        } else if (streq(n, "index")) {
            check_compound(C, m, a, PSL_INDEX_NORMAL);
        } else if (streq(n, "fulltext")) {
            check_compound(C, m, a, PSL_INDEX_FULLTEXT);
        } else if (streq(n, "map")) {
            if (seen_map) {
                psl_error(C->d, a->name_span, "Attribute \"@map\" can only be defined once.");
                continue;
            }
            seen_map = true;
            psl_argv av;
            psl_argv_init(&av, C, a);
            const psl_arg *g = psl_argv_require(&av, "name", true);
            psl_argv_finish(&av);
            if (g && g->value) {
                const char *v = psl_expect_string(C, g->value);
                if (v && *v)
                    m->db_name = v;
                else if (v)
                    psl_attr_error(C, a, g->value->span, "The `name` argument cannot be an empty string.");
            }
        } else if (streq(n, "ignore")) {
            if (!seen_ignore) {
                psl_argv av;
                psl_argv_init(&av, C, a);
                psl_argv_finish(&av);
                m->is_ignored = true;
            }
            seen_ignore = true;
        } else if (streq(n, "schema")) {
            if (!seen_schema && !report_repeated(C, t, "schema"))
                check_schema_attr(C, a, &schema_name);
            seen_schema = true;
        } else if (streq(n, "shardKey")) {
            if (!seen_shard_key)
                report_repeated(C, t, "shardKey");
            seen_shard_key = true;
        } else {
            psl_error(C->d, a->name_span, "Attribute not known: \"@@%s\".", n);
        }
    }
    m->schema_name = schema_name;
    if (!m->is_composite)
        psl_check_shard_keys(C, m);
}

void psl_check_enum_attributes(psl_ctx *C, psl_enum *e)
{
    const psl_top *t = e->ast;
    bool seen_schema = false;
    for (size_t i = 0; i < t->n_lines; i++) {
        const psl_line *l = &t->lines[i];
        if (l->kind != PSL_LINE_ATTRIBUTE)
            continue;
        const psl_attribute *a = &l->attrs[0];
        if (streq(a->name, "map")) {
            psl_argv av;
            psl_argv_init(&av, C, a);
            const psl_arg *g = psl_argv_require(&av, "name", true);
            psl_argv_finish(&av);
            if (g && g->value) {
                const char *v = psl_expect_string(C, g->value);
                if (v)
                    e->db_name = v;
            }
        } else if (streq(a->name, "schema")) {
            if (!seen_schema && !report_repeated(C, t, "schema"))
                check_schema_attr(C, a, &e->schema_name);
            seen_schema = true;
        } else {
            psl_error(C->d, a->name_span, "Attribute not known: \"@@%s\".", a->name);
        }
    }
}

