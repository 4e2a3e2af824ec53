/* The semantic layer: from the syntax tree to the checked schema model.
 *
 * The phases follow Prisma's (psl-core), so diagnostics come out in the
 * order Prisma reports them: configuration blocks, top-level names, field
 * types, attributes, relations, then the cross-cutting validations. */
#include "provider.h"
#include "schema_int.h"
#include "utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- configuration blocks ---- */

/* Prisma 7.10.1's preview features. Active ones are accepted (fullTextSearchPostgres only where the
 * connector has it); hidden ones are accepted silently; the ones since made generally available are
 * accepted with a warning; any other name is an error. */
static const char *const active_preview_features[] = {
    "nativeDistinct", "partialIndexes", "postgresqlExtensions", "relationJoins", "schemaEngineDriverAdapters",
    "shardKeys", "strictUndefinedChecks", "typedSql", "views",
};
static const char *const hidden_preview_features[] = { "reactNative" };
static const char *const deprecated_preview_features[] = {
    "aggregateApi", "atomicNumberOperations", "clientExtensions", "cockroachdb", "connectOrCreate",
    "createMany", "dataProxy", "deno", "distinct", "driverAdapters", "extendedIndexes", "extendedWhereUnique",
    "fieldReference", "filteredRelationCount", "filterJson", "fullTextIndex", "fullTextSearch", "groupBy",
    "improvedQueryRaw", "interactiveTransactions", "jsonProtocol", "microsoftSqlServer", "middlewares",
    "mongoDb", "multiSchema", "namedConstraints", "napi", "nApi", "nativeTypes", "omitApi",
    "orderByAggregateGroup", "orderByNulls", "orderByRelation", "prismaSchemaFolder", "queryCompiler",
    "referentialActions", "referentialIntegrity", "selectRelationCount", "tracing", "transactionApi",
    "uncheckedScalarInputs",
};

static bool in_list(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (streq(list[i], name))
            return true;
    return false;
}
#define IN_LIST(list, name) in_list(list, sizeof list / sizeof list[0], name)

/* "Expected one of: ..." for the connector: the active features, sorted as Prisma prints them. */
static const char *expected_preview_features(psl_ctx *C, const psl_connector *conn)
{
    const char *text = "";
    bool fts = conn && conn->fulltext_preview;
    size_t n = sizeof active_preview_features / sizeof active_preview_features[0];
    for (size_t i = 0; i < n; i++) {
        const char *f = active_preview_features[i];
        if (fts && strcmp(conn->fulltext_preview, f) < 0 &&
            (i == 0 || strcmp(conn->fulltext_preview, active_preview_features[i - 1]) > 0))
            text = psl_arena_printf(C->a, "%s%s%s", text, *text ? ", " : "", conn->fulltext_preview);
        text = psl_arena_printf(C->a, "%s%s%s", text, *text ? ", " : "", f);
    }
    return text;
}


static bool generator_has_feature(const psl_schema *s, const char *feature)
{
    for (size_t g = 0; g < s->n_generators; g++)
        for (size_t i = 0; i < s->generators[g]->n_preview_features; i++)
            if (streq(s->generators[g]->preview_features[i], feature))
                return true;
    return false;
}

/* A key written twice in a datasource or generator block is an error;
 * the first one counts. Returns whether line `k` repeats an earlier key. */
static bool repeated_key(psl_ctx *C, const psl_top *t, size_t k, const char *block_kind)
{
    const psl_line *l = &t->lines[k];
    for (size_t i = 0; i < k; i++)
        if (t->lines[i].kind == PSL_LINE_KEY_VALUE && streq(t->lines[i].name, l->name)) {
            psl_error(C->d, l->name_span, "Key \"%s\" is already defined in %s \"%s\".", l->name, block_kind,
                      t->name);
            return true;
        }
    return false;
}

static const psl_expr *config_value(const psl_top *t, const char *key, const psl_line **line)
{
    for (size_t i = 0; i < t->n_lines; i++) {
        const psl_line *l = &t->lines[i];
        if (l->kind == PSL_LINE_KEY_VALUE && streq(l->name, key)) {
            if (line)
                *line = l;
            return l->value;
        }
    }
    if (line)
        *line = NULL;
    return NULL;
}

/* A string, or env("X"); sets exactly one of *lit and *env. */
static bool string_or_env(psl_ctx *C, const psl_expr *e, const char **lit, const char **env)
{
    *lit = *env = NULL;
    if (e->kind == PSL_EXPR_STRING) {
        *lit = e->text;
        return true;
    }
    if (e->kind == PSL_EXPR_FUNCTION && streq(e->text, "env")) {
        if (e->args.len == 1 && e->args.items[0].value && e->args.items[0].name)
            psl_warning(C->d, e->span, "The env function doesn't expect named arguments");
        if (e->args.len == 1 && e->args.items[0].value) {
            /* (the value check follows) */
            const char *v = psl_expect_string(C, e->args.items[0].value);
            if (v) {
                *env = v;
                return true;
            }
            return false;
        }
        psl_error(C->d, e->span, "The env function expects a singular, unnamed, string argument.");
        return false;
    }
    psl_expect_string(C, e);
    return false;
}

static void build_generators(psl_ctx *C)
{
    psl_schema *s = C->s;
    psl_vec gens = { 0 };
    for (size_t i = 0; i < s->ast->n_tops; i++) {
        const psl_top *t = &s->ast->tops[i];
        if (t->kind != PSL_TOP_GENERATOR)
            continue;
        bool dup = false;
        for (size_t k = 0; k < gens.len; k++)
            if (streq(((psl_generator *)gens.items[k])->name, t->name))
                dup = true;
        if (dup) {
            psl_error(C->d, t->name_span,
                      "The generator \"%s\" cannot be defined because a generator with that name already exists.",
                      t->name);
            continue;
        }
        psl_generator *g = psl_arena_alloc(C->a, sizeof *g);
        g->name = t->name;
        g->ast = t;
        g->config = psl_arena_alloc(C->a, (t->n_lines + 1) * sizeof *g->config);
        for (size_t k = 0; k < t->n_lines; k++) {
            const psl_line *l = &t->lines[k];
            if (l->kind != PSL_LINE_KEY_VALUE || repeated_key(C, t, k, "generator"))
                continue;
            if (!l->value) {
                psl_error(C->d, t->span, "Property %s in generator %s needs to be assigned a value", l->name,
                          t->name);
                continue;
            }
            g->config[g->n_config].key = l->name;
            g->config[g->n_config].value = l->value;
            g->n_config++;
            if (streq(l->name, "provider")) {
                string_or_env(C, l->value, &g->provider, &g->provider_env);
            } else if (streq(l->name, "output")) {
                const char *env;
                string_or_env(C, l->value, &g->output, &env);
            } else if (streq(l->name, "previewFeatures")) {
                const psl_expr *one;
                size_t n;
                const psl_expr *const *items = psl_expr_items(l->value, &one, &n); /* "views": a list of one */
                g->preview_features = psl_arena_alloc(C->a, (n + 1) * sizeof(char *));
                for (size_t j = 0; j < n; j++) {
                    const char *f = psl_expect_string(C, items[j]);
                    if (f)
                        g->preview_features[g->n_preview_features++] = f;
                }
            }
        }
        if (!g->provider && !g->provider_env)
            psl_error(C->d, t->span, "Argument \"provider\" is missing in generator block \"%s\".", t->name);
        psl_vec_push(C->a, &gens, g);
    }
    s->generators = (psl_generator **)gens.items;
    s->n_generators = gens.len;
}

static void check_preview_features(psl_ctx *C)
{
    psl_schema *s = C->s;
    const psl_connector *conn = psl_schema_connector(s);
    for (size_t g = 0; g < s->n_generators; g++) {
        const psl_generator *gen = s->generators[g];
        const psl_expr *arr = config_value(gen->ast, "previewFeatures", NULL);
        for (size_t i = 0; i < gen->n_preview_features; i++) {
            const char *f = gen->preview_features[i];
            psl_span sp = arr ? arr->span : gen->ast->span;
            if (streq(f, "fullTextSearch") && conn && conn->fulltext_preview) {
                psl_warning(C->d, sp,
                            "On `provider = \"%s\"`, preview feature \"fullTextSearch\" has been renamed to "
                            "\"%s\". Learn more at https://pris.ly/d/fts-postgres.",
                            conn->name, conn->fulltext_preview);
                continue;
            }
            if (IN_LIST(deprecated_preview_features, f)) {
                psl_warning(C->d, sp,
                            "Preview feature \"%s\" is deprecated. The functionality can be used without "
                            "specifying it as a preview feature.",
                            f);
                continue;
            }
            bool known = IN_LIST(active_preview_features, f) || IN_LIST(hidden_preview_features, f) ||
                         (conn && conn->fulltext_preview && streq(conn->fulltext_preview, f));
            if (!known)
                psl_error(C->d, sp, "The preview feature \"%s\" is not known. Expected one of: %s", f,
                          expected_preview_features(C, conn));
        }
    }
}

static void check_extensions(psl_ctx *C, const psl_expr *v)
{
    const psl_expr *one = v;
    size_t n = v->kind == PSL_EXPR_ARRAY ? v->len : 1;
    for (size_t i = 0; i < n; i++) {
        const psl_expr *e = v->kind == PSL_EXPR_ARRAY ? v->items[i] : one;
        if (e->kind != PSL_EXPR_CONSTANT && e->kind != PSL_EXPR_FUNCTION) {
            psl_error(C->d, e->span, "Expected a constant or function value, but received %s.",
                      psl_expr_describe(C, e));
            continue;
        }
        if (strchr(e->text, '-')) {
            psl_error(C->d, e->span, "Error validating: The character `-` is not allowed in extension names.");
            continue;
        }
        if (e->kind != PSL_EXPR_FUNCTION)
            continue;
        bool seen_schema = false, seen_version = false, seen_map = false;
        for (size_t k = 0; k < e->args.len; k++) {
            const psl_arg *a = &e->args.items[k];
            if (!a->name) {
                psl_error(C->d, a->span, "Error validating: The argument must have a name");
                continue;
            }
            bool *seen = streq(a->name, "schema") ? &seen_schema
                         : streq(a->name, "version") ? &seen_version
                         : streq(a->name, "map")     ? &seen_map
                                                     : NULL;
            if (!seen) {
                psl_error(C->d, a->span, "Argument not known: \"%s\".", a->name);
                continue;
            }
            if (*seen) {
                psl_error(C->d, a->span, "Error validating: The argument `%s` can only be defined once", a->name);
                continue;
            }
            *seen = true;
            if (!a->value || a->value->kind != PSL_EXPR_STRING) {
                if (a->value)
                    psl_expect_string(C, a->value);
                psl_error(C->d, a->span, "Error validating: The `%s` argument must be a string literal", a->name);
            }
        }
    }
}

static void build_datasource(psl_ctx *C)
{
    psl_schema *s = C->s;
    size_t n_datasources = 0;
    for (size_t i = 0; i < s->ast->n_tops; i++)
        n_datasources += s->ast->tops[i].kind == PSL_TOP_DATASOURCE;
    for (size_t i = 0; i < s->ast->n_tops; i++) {
        const psl_top *t = &s->ast->tops[i];
        if (t->kind != PSL_TOP_DATASOURCE)
            continue;
        /* Exactly one datasource, across all the files of a schema: Prisma
         * names every one (it misses two in different files: prismac does
         * not). The first one is read. */
        if (n_datasources > 1)
            psl_error(C->d, t->span,
                      "Error validating datasource `%s`: You defined more than one datasource. This is not allowed "
                      "yet because support for multiple databases has not been implemented yet.",
                      t->name);
        if (s->datasource)
            continue;
        psl_datasource *ds = psl_arena_alloc(C->a, sizeof *ds);
        ds->name = t->name;
        ds->ast = t;
        s->datasource = ds;

        const psl_expr *prov = config_value(t, "provider", NULL);
        if (!prov) {
            psl_error(C->d, t->span, "Argument \"provider\" is missing in data source block \"%s\".", t->name);
        } else if (prov->kind != PSL_EXPR_STRING) {
            if (prov->kind == PSL_EXPR_FUNCTION && streq(prov->text, "env"))
                psl_error(C->d, prov->span,
                          "A datasource must not use the env() function in the provider argument.");
            else
                psl_expect_string(C, prov);
        } else {
            ds->provider_text = prov->text;
            ds->connector = psl_connector_by_name(prov->text);
            if (ds->connector)
                ds->provider = ds->connector->id;
            else
                psl_error(C->d, prov->span, "Datasource provider not known: \"%s\". prismac supports %s.", prov->text,
                          psl_connector_list(C->a));
        }

        bool rm = false, ri = false;
        const psl_line *ri_line = NULL, *url_line = NULL, *direct_line = NULL;
        const char *direct_url = NULL;
        for (size_t k = 0; k < t->n_lines; k++) {
            const psl_line *l = &t->lines[k];
            if (l->kind != PSL_LINE_KEY_VALUE || repeated_key(C, t, k, "datasource"))
                continue;
            if (!l->value) {
                psl_error(C->d, l->span, "Property %s in datasource %s needs to be assigned a value", l->name,
                          t->name);
                continue;
            }
            const psl_expr *v = l->value;
            if (streq(l->name, "provider")) {
                continue;
            } else if (streq(l->name, "url")) {
                string_or_env(C, v, &ds->url, &ds->url_env);
                url_line = l;
            } else if (streq(l->name, "shadowDatabaseUrl")) {
                string_or_env(C, v, &ds->shadow_url, &ds->shadow_url_env);
            } else if (streq(l->name, "directUrl")) {
                const char *env = NULL;
                string_or_env(C, v, &direct_url, &env);
                direct_line = l;
            } else if (streq(l->name, "relationMode") || streq(l->name, "referentialIntegrity")) {
                if (streq(l->name, "relationMode"))
                    rm = true;
                else {
                    ri = true;
                    ri_line = l;
                    psl_warning(C->d, l->span,
                                "The `referentialIntegrity` attribute is deprecated. Please use `relationMode` "
                                "instead. Learn more at https://pris.ly/d/relation-mode");
                }
                const char *mode = psl_expect_string(C, v);
                if (mode && streq(mode, "prisma"))
                    ds->relation_mode_prisma = true;
                else if (mode && !streq(mode, "foreignKeys"))
                    psl_error(C->d, v->span,
                              "Invalid relation mode setting: \"%s\". Supported values: \"prisma\", \"foreignKeys\"",
                              mode);
            } else if (streq(l->name, "schemas")) {
                if (ds->connector && !psl_connector_can(ds->connector, PSL_CAP_SCHEMAS)) {
                    psl_error(C->d, l->span, "The `schemas` property is not supported on the current connector.");
                    continue;
                }
                const psl_expr *one;
                size_t n;
                const psl_expr *const *items = psl_expr_items(v, &one, &n); /* "public": a list of one */
                ds->schemas = psl_arena_alloc(C->a, (n + 1) * sizeof(char *));
                for (size_t j = 0; j < n; j++) {
                    const char *name = psl_expect_string(C, items[j]);
                    if (!name)
                        continue;
                    for (size_t q = 0; q < ds->n_schemas; q++)
                        if (streq(ds->schemas[q], name)) {
                            psl_error(C->d, items[j]->span, "Duplicated schema names are not allowed");
                            for (size_t r = 0; r < j; r++)
                                if (items[r]->kind == PSL_EXPR_STRING && streq(items[r]->text, name))
                                    psl_error(C->d, items[r]->span, "Duplicated schema names are not allowed");
                        }
                    ds->schemas[ds->n_schemas++] = name;
                }
                C->multi_schema = ds->n_schemas > 0;
            } else if (streq(l->name, "extensions")) {
                if (!psl_connector_can(ds->connector, PSL_CAP_EXTENSIONS)) {
                    psl_error(C->d, l->name_span, "Property not known: \"extensions\".");
                    continue;
                }
                if (!C->has_preview_extensions) {
                    psl_error(C->d, l->name_span,
                              "The `extensions` property is only available with the `postgresqlExtensions` "
                              "preview feature.");
                    continue;
                }
                check_extensions(C, v);
            } else {
                psl_error(C->d, l->name_span, "Property not known: \"%s\".", l->name);
            }
        }
        /* A shadow database is dropped and recreated by migrate dev: one
         * that is the main database would lose its data. */
        if (ds->shadow_url && direct_url && direct_line && streq(ds->shadow_url, direct_url))
            psl_error(C->d, direct_line->span,
                      "shadowDatabaseUrl is the same as directUrl for datasource \"%s\". Please specify a "
                      "different database as shadow database to avoid data loss.",
                      t->name);
        if (ds->shadow_url && ds->url && url_line && streq(ds->shadow_url, ds->url))
            psl_error(C->d, url_line->span,
                      "shadowDatabaseUrl is the same as url for datasource \"%s\". Please specify a different "
                      "database as shadow database to avoid data loss.",
                      t->name);
        if (rm && ri)
            psl_error(C->d, ri_line->span,
                      "The `referentialIntegrity` and `relationMode` attributes cannot be used together. Please use "
                      "only `relationMode` instead.");
        /* No url is Prisma 7's datasource (the url lives in the project's
         * configuration): the program and db push then take --url, or
         * DATABASE_URL from the environment or ./.env (runtime/base/dburl.c).
         * A url (Prisma 6 and earlier) still counts. */
    }
}

/* ---- top-level names ---- */

static const char *top_kind_name(psl_top_kind k)
{
    switch (k) {
    case PSL_TOP_MODEL: return "model";
    case PSL_TOP_VIEW: return "view";
    case PSL_TOP_TYPE: return "composite type";
    case PSL_TOP_ENUM: return "enum";
    default: return "block";
    }
}

/* Names the generated client or Prisma itself reserves for its own use. */
static bool is_reserved_model_name(const char *name)
{
    static const char *const names[] = { "PrismaClient", "Prisma" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (streq(names[i], name))
            return true;
    return false;
}

static void build_names(psl_ctx *C)
{
    psl_schema *s = C->s;
    psl_vec models = { 0 }, composites = { 0 }, enums = { 0 };
    psl_map seen;
    psl_map_init(&seen, C->a);
    for (size_t i = 0; i < s->ast->n_tops; i++) {
        const psl_top *t = &s->ast->tops[i];
        if (t->kind != PSL_TOP_MODEL && t->kind != PSL_TOP_VIEW && t->kind != PSL_TOP_TYPE &&
            t->kind != PSL_TOP_ENUM)
            continue;
        if (isdigit((unsigned char)t->name[0])) {
            psl_error(C->d, t->name_span, "Error validating: The name of a %s must not start with a number.",
                      t->kind == PSL_TOP_TYPE ? "composite type" : top_kind_name(t->kind));
        }
        const psl_top *dup = psl_map_get(&seen, t->name, strlen(t->name));
        if (dup) {
            psl_error(C->d, t->name_span, "The %s \"%s\" cannot be defined because a %s with that name already exists.",
                      top_kind_name(t->kind), t->name, top_kind_name(dup->kind));
            continue;
        }
        if ((t->kind == PSL_TOP_MODEL || t->kind == PSL_TOP_VIEW) && is_reserved_model_name(t->name)) {
            psl_error(C->d, t->name_span,
                      "Error validating model \"%s\": The model name `%s` is invalid. It is a reserved name. Please "
                      "change it. Read more at https://pris.ly/d/naming-models",
                      t->name, t->name);
        }
        psl_map_put(&seen, t->name, strlen(t->name), (void *)(uintptr_t)t);
        if (t->kind == PSL_TOP_ENUM) {
            psl_enum *e = psl_arena_alloc(C->a, sizeof *e);
            e->name = e->db_name = t->name;
            e->doc = t->doc;
            e->ast = t;
            psl_vec_push(C->a, &enums, e);
            psl_map_put(&s->type_index, e->name, strlen(e->name), e);
        } else {
            psl_model *m = psl_arena_alloc(C->a, sizeof *m);
            psl_map_init(&m->field_index, C->a);
            psl_map_put(&s->type_index, t->name, strlen(t->name), m);
            m->name = m->db_name = t->name;
            m->doc = t->doc;
            m->ast = t;
            m->is_view = t->kind == PSL_TOP_VIEW;
            m->is_composite = t->kind == PSL_TOP_TYPE;
            if (m->is_composite) {
                m->index = composites.len;
                psl_vec_push(C->a, &composites, m);
            } else {
                m->index = models.len;
                psl_vec_push(C->a, &models, m);
            }
        }
    }
    s->models = (psl_model **)models.items;
    s->n_models = models.len;
    s->composites = (psl_model **)composites.items;
    s->n_composites = composites.len;
    s->enums = (psl_enum **)enums.items;
    s->n_enums = enums.len;
}

/* ---- fields and enum values ---- */

static const char *block_word(const psl_model *m)
{
    return m->is_view ? "view" : m->is_composite ? "type" : "model";
}

static void build_fields(psl_ctx *C, psl_model *m)
{
    const psl_top *t = m->ast;
    psl_vec fields = { 0 };
    for (size_t i = 0; i < t->n_lines; i++) {
        const psl_line *l = &t->lines[i];
        if (l->kind != PSL_LINE_FIELD)
            continue;
        if (!l->type.name) {
            psl_error(C->d, l->span,
                      "Error validating %s \"%s\": This field declaration is invalid. It is either missing a name "
                      "or a type.",
                      block_word(m), m->name);
            continue;
        }
        if (isdigit((unsigned char)l->name[0]))
            psl_error(C->d, l->name_span, "Error validating: The name of a field must not start with a number.");
        if (l->legacy_colon)
            psl_error(C->d, l->name_span, "Error validating: Field declarations don't require a `:`.");
        switch (l->type.form) {
        case PSL_TYPE_OPTIONAL_LIST:
            psl_error(C->d, l->type.span,
                      "Error validating: Optional lists are not supported. Use either `Type[]` or `Type?`.");
            break;
        case PSL_TYPE_BANG:
            psl_error(C->d, l->type.span,
                      "Error validating: Fields are required by default, `!` is no longer required.");
            break;
        case PSL_TYPE_LEGACY_LIST:
            psl_error(C->d, l->type.span,
                      "Error validating: To specify a list, please use `Type[]` instead of `[Type]`.");
            break;
        default:
            break;
        }
        if (psl_model_field(m, l->name)) {
            psl_error(C->d, l->name_span, "Field \"%s\" is already defined on %s \"%s\".", l->name,
                      m->is_composite ? "composite type" : block_word(m), m->name);
            continue;
        }
        psl_field *f = psl_arena_alloc(C->a, sizeof *f);
        f->name = f->db_name = l->name;
        f->doc = l->doc;
        f->ast = l;
        f->model = m;
        f->type_name = l->type.name;
        f->arity = l->type.form == PSL_TYPE_OPTIONAL ? PSL_OPTIONAL
                   : (l->type.form == PSL_TYPE_LIST || l->type.form == PSL_TYPE_OPTIONAL_LIST ||
                      l->type.form == PSL_TYPE_LEGACY_LIST)
                       ? PSL_LIST
                       : PSL_REQUIRED;
        f->index = fields.len;
        psl_vec_push(C->a, &fields, f);
        psl_map_put(&m->field_index, f->name, strlen(f->name), f);
    }
    m->fields = (psl_field **)fields.items;
    m->n_fields = fields.len;
}

static void resolve_field_types(psl_ctx *C, psl_model *m)
{
    for (size_t i = 0; i < m->n_fields; i++) {
        psl_field *f = m->fields[i];
        const psl_field_type *ty = &f->ast->type;
        if (ty->unsupported) {
            /* A malformed Unsupported(...) was reported by the parser. */
            f->kind = PSL_FIELD_UNSUPPORTED;
            size_t len;
            const char *why;
            f->unsupported = psl_unescape_string(C->a, ty->unsupported_text, strlen(ty->unsupported_text), &len, &why);
            continue;
        }
        psl_scalar sc = psl_scalar_by_name(ty->name);
        if (sc != PSL_SCALAR_NONE) {
            f->kind = PSL_FIELD_SCALAR;
            f->scalar = sc;
            continue;
        }
        const psl_enum *e = psl_schema_enum(C->s, ty->name);
        if (e) {
            f->kind = PSL_FIELD_ENUM;
            f->enum_type = e;
            continue;
        }
        psl_model *target = psl_schema_model(C->s, ty->name);
        if (target) {
            if (m->is_composite) {
                psl_error(C->d, ty->span,
                          "Error validating: Composite types cannot have relation fields. Field `%s` in type `%s` "
                          "refers to model `%s`.",
                          f->name, m->name, target->name);
            }
            f->kind = PSL_FIELD_RELATION;
            f->type_model = target;
            continue;
        }
        psl_model *ct = psl_schema_composite(C->s, ty->name);
        if (ct) {
            f->kind = PSL_FIELD_COMPOSITE;
            f->type_model = ct;
            continue;
        }
        psl_error(C->d, ty->span,
                  "Type \"%s\" is neither a built-in type, nor refers to another model, composite type, or enum.",
                  ty->name);
        f->kind = PSL_FIELD_UNSUPPORTED;
        f->unsupported = ty->name;
    }
}

static void build_enum_values(psl_ctx *C, psl_enum *e)
{
    const psl_top *t = e->ast;
    size_t n = 0;
    e->values = psl_arena_alloc(C->a, (t->n_lines + 1) * sizeof *e->values);
    for (size_t i = 0; i < t->n_lines; i++) {
        const psl_line *l = &t->lines[i];
        if (l->kind != PSL_LINE_FIELD)
            continue;
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            if (streq(e->values[k].name, l->name))
                dup = true;
        if (dup) {
            psl_error(C->d, l->name_span, "Value \"%s\" is already defined on enum \"%s\".", l->name, e->name);
            continue;
        }
        psl_enum_value *v = &e->values[n++];
        v->name = v->db_name = l->name;
        v->doc = l->doc;
        for (size_t k = 0; k < l->n_attrs; k++) {
            const psl_attribute *a = &l->attrs[k];
            if (streq(a->name, "map")) {
                psl_argv av;
                psl_argv_init(&av, C, a);
                const psl_arg *arg = psl_argv_require(&av, "name", true);
                if (arg && arg->value) {
                    const char *mapped = psl_expect_string(C, arg->value);
                    if (mapped)
                        v->db_name = mapped;
                }
                psl_argv_finish(&av);
            } else {
                psl_error(C->d, a->name_span, "Attribute not known: \"@%s\".", a->name);
            }
        }
    }
    e->n_values = n;
    if (n == 0)
        psl_error(C->d, t->name_span, "Error validating enum `%s`: An enum must have at least one value.", e->name);
}

/* ---- loading ---- */

/* Parses every file; the schema's tree holds their items, file after file,
 * and each file's tree is a view of its own part. NULL (nothing to check)
 * when a file is not UTF-8. */
static psl_ast *parse_files(psl_schema *s)
{
    psl_ast **parsed = psl_arena_alloc(&s->arena, (s->n_files + 1) * sizeof *parsed);
    size_t n_tops = 0;
    bool ok = true;
    for (size_t i = 0; i < s->n_files; i++) {
        parsed[i] = psl_parse(&s->files[i], &s->arena, &s->diags);
        if (parsed[i])
            n_tops += parsed[i]->n_tops;
        else
            ok = false;
    }
    if (!ok)
        return NULL;
    psl_ast *all = psl_arena_alloc(&s->arena, sizeof *all);
    all->tops = psl_arena_alloc(&s->arena, (n_tops + 1) * sizeof *all->tops);
    s->file_asts = psl_arena_alloc(&s->arena, (s->n_files + 1) * sizeof *s->file_asts);
    for (size_t i = 0; i < s->n_files; i++) {
        s->file_asts[i].tops = all->tops + all->n_tops;
        s->file_asts[i].n_tops = parsed[i]->n_tops;
        memcpy(all->tops + all->n_tops, parsed[i]->tops, parsed[i]->n_tops * sizeof *all->tops);
        all->n_tops += parsed[i]->n_tops;
    }
    return all;
}

psl_schema *psl_schema_load(const char *filename, const char *text, size_t len)
{
    psl_source one = { filename ? filename : "schema.prisma", text ? text : "", text ? len : 0, 0 };
    return psl_schema_load_files(&one, 1);
}

psl_schema *psl_schema_load_files(const psl_source *files, size_t n_files)
{
    psl_schema *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    psl_arena_init(&s->arena);
    psl_diags_init(&s->diags, &s->arena);
    psl_map_init(&s->type_index, &s->arena);
    s->n_files = n_files;
    s->files = psl_arena_alloc(&s->arena, (n_files + 1) * sizeof *s->files);
    for (size_t i = 0; i < n_files; i++) {
        s->files[i].name = psl_arena_strdup(&s->arena, files[i].name ? files[i].name : "schema.prisma");
        s->files[i].text = psl_arena_strndup(&s->arena, files[i].text ? files[i].text : "",
                                             files[i].text ? files[i].len : 0);
        s->files[i].len = files[i].text ? files[i].len : 0;
        s->files[i].file = (unsigned)i;
    }

    s->ast = parse_files(s);
    if (!s->ast)
        return s;

    psl_ctx C;
    memset(&C, 0, sizeof C);
    C.s = s;
    C.a = &s->arena;
    C.d = &s->diags;

    build_generators(&C);
    C.has_preview_views = generator_has_feature(s, "views");
    C.has_preview_extensions = generator_has_feature(s, "postgresqlExtensions");
    C.has_preview_fts_pg = generator_has_feature(s, "fullTextSearchPostgres");
    C.has_preview_partial_indexes = generator_has_feature(s, "partialIndexes");
    C.has_preview_shard_keys = generator_has_feature(s, "shardKeys");
    build_datasource(&C);
    check_preview_features(&C);
    build_names(&C);
    for (size_t i = 0; i < s->n_models; i++)
        build_fields(&C, s->models[i]);
    for (size_t i = 0; i < s->n_composites; i++)
        build_fields(&C, s->composites[i]);
    for (size_t i = 0; i < s->n_enums; i++)
        build_enum_values(&C, s->enums[i]);
    for (size_t i = 0; i < s->n_models; i++)
        resolve_field_types(&C, s->models[i]);
    for (size_t i = 0; i < s->n_composites; i++)
        resolve_field_types(&C, s->composites[i]);

    for (size_t i = 0; i < s->n_models; i++) {
        psl_model *m = s->models[i];
        for (size_t k = 0; k < m->n_fields; k++)
            psl_check_field_attributes(&C, m, m->fields[k]);
        psl_check_block_attributes(&C, m);
    }
    for (size_t i = 0; i < s->n_composites; i++) {
        psl_model *m = s->composites[i];
        for (size_t k = 0; k < m->n_fields; k++)
            psl_check_field_attributes(&C, m, m->fields[k]);
        psl_check_block_attributes(&C, m);
    }
    for (size_t i = 0; i < s->n_enums; i++)
        psl_check_enum_attributes(&C, s->enums[i]);

    psl_resolve_relations(&C);
    psl_assign_constraint_names(&C);
    /* Like Prisma, the validations run only on a schema that resolved
     * cleanly, so they need not guard against broken references. */
    if (s->diags.errors == 0)
        psl_validate(&C);
    psl_assign_c_names(&C);
    return s;
}

void psl_schema_free(psl_schema *s)
{
    if (!s)
        return;
    psl_arena_release(&s->arena);
    free(s);
}
