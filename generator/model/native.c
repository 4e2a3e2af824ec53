/* Native database types (@db.*) per provider. */
#include "schema_int.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct native_def {
    const char *name;
    psl_scalar scalar;
    unsigned min_args, max_args;
} native_def;

static const native_def postgres_types[] = {
    { "Text", PSL_STRING, 0, 0 },          { "Char", PSL_STRING, 0, 1 },
    { "VarChar", PSL_STRING, 0, 1 },       { "Bit", PSL_STRING, 0, 1 },
    { "VarBit", PSL_STRING, 0, 1 },        { "Uuid", PSL_STRING, 0, 0 },
    { "Xml", PSL_STRING, 0, 0 },           { "Inet", PSL_STRING, 0, 0 },
    { "Citext", PSL_STRING, 0, 0 },        { "Boolean", PSL_BOOLEAN, 0, 0 },
    { "Integer", PSL_INT, 0, 0 },          { "SmallInt", PSL_INT, 0, 0 },
    { "Oid", PSL_INT, 0, 0 },              { "BigInt", PSL_BIGINT, 0, 0 },
    { "DoublePrecision", PSL_FLOAT, 0, 0 }, { "Real", PSL_FLOAT, 0, 0 },
    { "Decimal", PSL_DECIMAL, 0, 2 },      { "Money", PSL_DECIMAL, 0, 0 },
    { "Timestamp", PSL_DATETIME, 0, 1 },   { "Timestamptz", PSL_DATETIME, 0, 1 },
    { "Date", PSL_DATETIME, 0, 0 },        { "Time", PSL_DATETIME, 0, 1 },
    { "Timetz", PSL_DATETIME, 0, 1 },      { "Json", PSL_JSON, 0, 0 },
    { "JsonB", PSL_JSON, 0, 0 },           { "ByteA", PSL_BYTES, 0, 0 },
};

static const native_def cockroach_types[] = {
    { "String", PSL_STRING, 0, 1 },      { "Char", PSL_STRING, 0, 1 },
    { "CatalogSingleChar", PSL_STRING, 0, 0 }, { "Bit", PSL_STRING, 0, 1 },
    { "VarBit", PSL_STRING, 0, 1 },      { "Uuid", PSL_STRING, 0, 0 },
    { "Inet", PSL_STRING, 0, 0 },        { "Bool", PSL_BOOLEAN, 0, 0 },
    { "Int2", PSL_INT, 0, 0 },           { "Int4", PSL_INT, 0, 0 },
    { "Oid", PSL_INT, 0, 0 },            { "Int8", PSL_BIGINT, 0, 0 },
    { "Float4", PSL_FLOAT, 0, 0 },       { "Float8", PSL_FLOAT, 0, 0 },
    { "Decimal", PSL_DECIMAL, 0, 2 },    { "Timestamp", PSL_DATETIME, 0, 1 },
    { "Timestamptz", PSL_DATETIME, 0, 1 }, { "Date", PSL_DATETIME, 0, 0 },
    { "Time", PSL_DATETIME, 0, 1 },      { "Timetz", PSL_DATETIME, 0, 1 },
    { "JsonB", PSL_JSON, 0, 0 },         { "Bytes", PSL_BYTES, 0, 0 },
};

static const native_def *lookup(psl_provider p, const char *name, const char **provider_word)
{
    const native_def *defs = NULL;
    size_t n = 0;
    if (p == PSL_PROVIDER_POSTGRESQL) {
        defs = postgres_types;
        n = sizeof postgres_types / sizeof postgres_types[0];
        *provider_word = "postgresql";
    } else if (p == PSL_PROVIDER_COCKROACHDB) {
        defs = cockroach_types;
        n = sizeof cockroach_types / sizeof cockroach_types[0];
        *provider_word = "cockroachdb";
    } else {
        *provider_word = p == PSL_PROVIDER_SQLITE ? "sqlite" : "the current";
    }
    for (size_t i = 0; i < n; i++)
        if (streq(defs[i].name, name))
            return &defs[i];
    return NULL;
}

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
    const char *pw;
    const native_def *def = lookup(ds->provider, name, &pw);
    if (!def) {
        psl_error(C->d, a->span, "Native type %s is not supported for %s connector.", name, pw);
        return;
    }
    if (f->kind == PSL_FIELD_UNSUPPORTED || f->kind == PSL_FIELD_RELATION || f->kind == PSL_FIELD_ENUM ||
        f->kind == PSL_FIELD_COMPOSITE) {
        psl_error(C->d, a->span, "Native type %s is not compatible with declared field type %s, expected field type %s.",
                  name, f->type_name, psl_scalar_name(def->scalar));
        return;
    }
    if (def->scalar != f->scalar) {
        psl_error(C->d, a->span, "Native type %s is not compatible with declared field type %s, expected field type %s.",
                  name, f->type_name, psl_scalar_name(def->scalar));
        return;
    }
    size_t nargs = a->args.len;
    if (nargs < def->min_args || nargs > def->max_args) {
        if (def->max_args == 0)
            psl_error(C->d, a->span, "Native type %s takes no arguments, but received %zu.", name, nargs);
        else
            psl_error(C->d, a->span, "Native type %s takes %u optional arguments, but received %zu.", name,
                      def->max_args, nargs);
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
    (void)m;
}
