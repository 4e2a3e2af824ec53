/* The providers prismac knows, and the checks every provider shares, driven
 * by each one's psl_connector (provider.h). */
#include "provider.h"

#include <stdio.h>
#include <stdlib.h>

/* The table (PSL_CONNECTORS, provider.h). */
#define PSL_CONNECTOR_ENTRY(name) &psl_connector_##name,
static const psl_connector *const connectors[] = { PSL_CONNECTORS(PSL_CONNECTOR_ENTRY) };
#undef PSL_CONNECTOR_ENTRY
enum { N_CONNECTORS = sizeof connectors / sizeof connectors[0] };

const psl_connector *psl_connector_by_name(const char *name)
{
    for (size_t i = 0; name && i < N_CONNECTORS; i++) {
        const psl_connector *c = connectors[i];
        if (streq(c->name, name))
            return c;
        for (const char *const *al = c->aliases; al && *al; al++)
            if (streq(*al, name))
                return c;
    }
    return NULL;
}

const char *psl_provider_name(psl_provider p)
{
    for (size_t i = 0; i < N_CONNECTORS; i++)
        if (connectors[i]->id == p)
            return connectors[i]->name;
    return "none";
}

const psl_connector *psl_schema_connector(const psl_schema *s)
{
    return s->datasource ? s->datasource->connector : NULL;
}

bool psl_connector_can(const psl_connector *c, unsigned caps)
{
    return c && (c->caps & caps) == caps;
}

const psl_native_def *psl_connector_native_type(const psl_connector *c, const char *name)
{
    for (size_t i = 0; c && i < c->n_native_types; i++)
        if (streq(c->native_types[i].name, name))
            return &c->native_types[i];
    return NULL;
}

const char *psl_field_native_name(const psl_ctx *C, const psl_field *f)
{
    const psl_datasource *ds = C->s->datasource;
    if (!ds || !f->ast)
        return NULL;
    size_t len = strlen(ds->name);
    for (size_t i = 0; i < f->ast->n_attrs; i++) {
        const char *n = f->ast->attrs[i].name;
        if (strncmp(n, ds->name, len) == 0 && n[len] == '.')
            return n + len + 1;
    }
    return NULL;
}

bool psl_connector_index_algorithm(const psl_connector *c, const char *alg)
{
    if (streq(alg, "BTree"))
        return true;
    for (const char *const *p = c ? c->index_algorithms : NULL; p && *p; p++)
        if (streq(*p, alg))
            return true;
    return false;
}

const char *psl_connector_list(psl_arena *a)
{
    const char *out = "";
    for (size_t i = 0; i < N_CONNECTORS; i++) {
        const psl_connector *c = connectors[i];
        const char *sep = i == 0 ? "" : i + 1 == N_CONNECTORS ? " and " : ", ";
        out = psl_arena_printf(a, "%s%s\"%s\"", out, sep, c->name);
        for (const char *const *al = c->aliases; al && *al; al++)
            out = psl_arena_printf(a, "%s (alias \"%s\")", out, *al);
    }
    return out;
}

/* ---- native types (@db.X) ---- */

void psl_check_native_type(psl_ctx *C, psl_model *m, psl_field *f)
{
    const psl_datasource *ds = C->s->datasource;
    const psl_line *l = f->ast;
    const psl_attribute *a = NULL;
    size_t prefix = strlen(ds->name) + 1;
    for (size_t i = 0; i < l->n_attrs; i++)
        if (strncmp(l->attrs[i].name, ds->name, prefix - 1) == 0 && l->attrs[i].name[prefix - 1] == '.') {
            a = &l->attrs[i];
            break;
        }
    if (!a)
        return;
    const char *name = a->name + prefix;
    const psl_connector *conn = ds->connector;
    const psl_native_def *def = psl_connector_native_type(conn, name);
    if (!def) {
        psl_error(C->d, a->span, "Native type %s is not supported for %s connector.", name,
                  conn ? conn->name : "the current");
        return;
    }
    if (f->kind == PSL_FIELD_UNSUPPORTED || f->kind == PSL_FIELD_RELATION || f->kind == PSL_FIELD_ENUM ||
        f->kind == PSL_FIELD_COMPOSITE) {
        psl_error(C->d, a->span, "Native type %s is not compatible with declared field type %s, expected field type %s.",
                  name, f->type_name, psl_scalar_name(def->scalar));
        return;
    }
    if (def->scalar != f->scalar && (def->scalar2 == PSL_SCALAR_NONE || def->scalar2 != f->scalar)) {
        if (def->scalar2 != PSL_SCALAR_NONE)
            psl_error(C->d, a->span,
                      "Native type %s is not compatible with declared field type %s, expected field type %s or %s.",
                      name, f->type_name, psl_scalar_name(def->scalar), psl_scalar_name(def->scalar2));
        else
            psl_error(C->d, a->span,
                      "Native type %s is not compatible with declared field type %s, expected field type %s.", name,
                      f->type_name, psl_scalar_name(def->scalar));
        return;
    }
    size_t nargs = a->args.len;
    if (nargs < def->min_args || nargs > def->max_args) {
        if (def->min_args == def->max_args)
            psl_error(C->d, a->span, "Function \"%s\" takes %u arguments, but received %zu.", name, def->max_args,
                      nargs);
        else
            psl_error(C->d, a->span, "Native type %s takes %u optional arguments, but received %zu.", name,
                      def->max_args, nargs);
        return;
    }
    if (def->paired && nargs > 0 && nargs < def->max_args) {
        const psl_expr *v = a->args.items[0].value;
        psl_error(C->d, a->span, "Expected two nonnegative integers, but found (%s).", v ? v->text : "");
        return;
    }
    f->native.name = def->name;
    bool bad = false;
    for (size_t i = 0; i < nargs && i < 4; i++) {
        const psl_expr *v = a->args.items[i].value;
        if (!v || v->kind != PSL_EXPR_NUMBER || strchr(v->text, '.')) {
            psl_error(C->d, v ? v->span : a->span, "Expected an integer value, but received %s.",
                      v ? psl_expr_describe(C, v) : "nothing");
            bad = true;
            continue;
        }
        if (v->text[0] == '-') {
            psl_error(C->d, a->span, "Expected a nonnegative integer, but found (%s).", v->text);
            bad = true;
            continue;
        }
        f->native.args[f->native.n_args++] = v->text;
    }
    if (bad)
        f->native.n_args = 0;
    else if (conn->validate_native_args)
        conn->validate_native_args(C, f, a);
    (void)m;
}
