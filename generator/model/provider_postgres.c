/* PostgreSQL and CockroachDB (a variant of it): native types, capabilities
 * and PostgreSQL's index operator classes. */
#include "provider.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- native types ---- */

static const psl_native_def postgres_types[] = {
    { "Text", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "Char", PSL_STRING, 0, 1, PSL_SCALAR_NONE, false },
    { "VarChar", PSL_STRING, 0, 1, PSL_SCALAR_NONE, false },
    { "Bit", PSL_STRING, 0, 1, PSL_SCALAR_NONE, false },
    { "VarBit", PSL_STRING, 0, 1, PSL_SCALAR_NONE, false },
    { "Uuid", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "Xml", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "Inet", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "Citext", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "Boolean", PSL_BOOLEAN, 0, 0, PSL_SCALAR_NONE, false },
    { "Integer", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "SmallInt", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "Oid", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "BigInt", PSL_BIGINT, 0, 0, PSL_SCALAR_NONE, false },
    { "DoublePrecision", PSL_FLOAT, 0, 0, PSL_SCALAR_NONE, false },
    { "Real", PSL_FLOAT, 0, 0, PSL_SCALAR_NONE, false },
    { "Decimal", PSL_DECIMAL, 0, 2, PSL_SCALAR_NONE, true },
    { "Money", PSL_DECIMAL, 0, 0, PSL_SCALAR_NONE, false },
    { "Timestamp", PSL_DATETIME, 0, 1, PSL_SCALAR_NONE, false },
    { "Timestamptz", PSL_DATETIME, 0, 1, PSL_SCALAR_NONE, false },
    { "Date", PSL_DATETIME, 0, 0, PSL_SCALAR_NONE, false },
    { "Time", PSL_DATETIME, 0, 1, PSL_SCALAR_NONE, false },
    { "Timetz", PSL_DATETIME, 0, 1, PSL_SCALAR_NONE, false },
    { "Json", PSL_JSON, 0, 0, PSL_SCALAR_NONE, false },
    { "JsonB", PSL_JSON, 0, 0, PSL_SCALAR_NONE, false },
    { "ByteA", PSL_BYTES, 0, 0, PSL_SCALAR_NONE, false },
};

static const psl_native_def cockroach_types[] = {
    { "String", PSL_STRING, 0, 1, PSL_SCALAR_NONE, false },
    { "Char", PSL_STRING, 0, 1, PSL_SCALAR_NONE, false },
    { "CatalogSingleChar", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "Bit", PSL_STRING, 0, 1, PSL_SCALAR_NONE, false },
    { "VarBit", PSL_STRING, 0, 1, PSL_SCALAR_NONE, false },
    { "Uuid", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "Inet", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "Bool", PSL_BOOLEAN, 0, 0, PSL_SCALAR_NONE, false },
    { "Int2", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "Int4", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "Oid", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "Int8", PSL_BIGINT, 0, 0, PSL_SCALAR_NONE, false },
    { "Float4", PSL_FLOAT, 0, 0, PSL_SCALAR_NONE, false },
    { "Float8", PSL_FLOAT, 0, 0, PSL_SCALAR_NONE, false },
    { "Decimal", PSL_DECIMAL, 0, 2, PSL_SCALAR_NONE, true },
    { "Timestamp", PSL_DATETIME, 0, 1, PSL_SCALAR_NONE, false },
    { "Timestamptz", PSL_DATETIME, 0, 1, PSL_SCALAR_NONE, false },
    { "Date", PSL_DATETIME, 0, 0, PSL_SCALAR_NONE, false },
    { "Time", PSL_DATETIME, 0, 1, PSL_SCALAR_NONE, false },
    { "Timetz", PSL_DATETIME, 0, 1, PSL_SCALAR_NONE, false },
    { "JsonB", PSL_JSON, 0, 0, PSL_SCALAR_NONE, false },
    { "Bytes", PSL_BYTES, 0, 0, PSL_SCALAR_NONE, false },
};

/* ---- index operator classes (PostgreSQL) ---- */

typedef struct opclass {
    const char *name;
    const char *index_type; /* Brin, Gin, Gist, SpGist */
    const char *native;     /* the native type it needs, or NULL */
    psl_scalar scalar;      /* the scalar type it needs when native is NULL */
    bool list;              /* needs a list field */
} opclass;

#define BRIN3(prefix, native, scalar)                                                             \
    { prefix "BloomOps", "Brin", native, scalar, false },                                       \
        { prefix "MinMaxOps", "Brin", native, scalar, false },                                  \
        { prefix "MinMaxMultiOps", "Brin", native, scalar, false }

static const opclass opclasses[] = {
    { "BitMinMaxOps", "Brin", "Bit", PSL_STRING, false },
    { "VarBitMinMaxOps", "Brin", "VarBit", PSL_STRING, false },
    { "BpcharBloomOps", "Brin", "Char", PSL_STRING, false },
    { "BpcharMinMaxOps", "Brin", "Char", PSL_STRING, false },
    { "ByteaBloomOps", "Brin", "ByteA", PSL_BYTES, false },
    { "ByteaMinMaxOps", "Brin", "ByteA", PSL_BYTES, false },
    BRIN3("Date", "Date", PSL_DATETIME),
    BRIN3("Float4", "Real", PSL_FLOAT),
    BRIN3("Float8", "DoublePrecision", PSL_FLOAT),
    { "InetInclusionOps", "Brin", "Inet", PSL_STRING, false },
    BRIN3("Inet", "Inet", PSL_STRING),
    BRIN3("Int2", "SmallInt", PSL_INT),
    BRIN3("Int4", "Integer", PSL_INT),
    BRIN3("Int8", "BigInt", PSL_BIGINT),
    BRIN3("Numeric", "Decimal", PSL_DECIMAL),
    BRIN3("Oid", "Oid", PSL_INT),
    { "TextBloomOps", "Brin", "Text", PSL_STRING, false },
    { "TextMinMaxOps", "Brin", "Text", PSL_STRING, false },
    BRIN3("Timestamp", "Timestamp", PSL_DATETIME),
    BRIN3("TimestampTz", "Timestamptz", PSL_DATETIME),
    BRIN3("Time", "Time", PSL_DATETIME),
    BRIN3("TimeTz", "Timetz", PSL_DATETIME),
    BRIN3("Uuid", "Uuid", PSL_STRING),
    { "ArrayOps", "Gin", NULL, PSL_SCALAR_NONE, true },
    { "JsonbOps", "Gin", "JsonB", PSL_JSON, false },
    { "JsonbPathOps", "Gin", "JsonB", PSL_JSON, false },
    { "InetOps", "Gist", "Inet", PSL_STRING, false },
    { "TextOps", "SpGist", NULL, PSL_STRING, false },
};

/* The native type a field has, explicit or by its scalar's default. */
static const char *effective_native(const psl_field *f, bool *explicit_type)
{
    *explicit_type = f->native.name != NULL;
    if (f->native.name)
        return f->native.name;
    switch (f->scalar) {
    case PSL_STRING: return "Text";
    case PSL_INT: return "Integer";
    case PSL_BIGINT: return "BigInt";
    case PSL_FLOAT: return "DoublePrecision";
    case PSL_DECIMAL: return "Decimal";
    case PSL_BOOLEAN: return "Boolean";
    case PSL_DATETIME: return "Timestamp";
    case PSL_JSON: return "JsonB";
    case PSL_BYTES: return "ByteA";
    default: return NULL;
    }
}

static void check_index_ops(psl_ctx *C, const psl_model *m, const psl_index *ix, const psl_attribute *attr)
{
    const char *type = ix->algorithm ? ix->algorithm : "BTree";
    if (streq(type, "SpGist") && ix->n_fields > 1) {
        psl_attr_error(C, attr, attr->span, "SpGist does not support multi-column indices.");
        return;
    }
    for (size_t i = 0; i < ix->n_fields; i++) {
        const psl_index_field *xf = &ix->fields[i];
        const psl_field *f = xf->field;
        bool explicit_type;
        const char *native = effective_native(f, &explicit_type);
        if (!xf->ops) {
            if (streq(type, "SpGist")) {
                bool ok = f->kind == PSL_FIELD_SCALAR && f->scalar == PSL_STRING && native &&
                          (streq(native, "Text") || streq(native, "VarChar") || streq(native, "Inet"));
                if (!ok)
                    psl_attr_error(C, attr, attr->span, "The SpGist index type does not support the type of the field `%s`.",
                                   f->name);
            }
            continue;
        }
        if (strncmp(xf->ops, "raw:", 4) == 0)
            continue;
        const opclass *oc = NULL;
        for (size_t k = 0; k < sizeof opclasses / sizeof opclasses[0]; k++)
            if (streq(opclasses[k].name, xf->ops))
                oc = &opclasses[k];
        if (!oc) {
            psl_attr_error(C, attr, attr->span, "The given operator class `%s` is not known.", xf->ops);
            continue;
        }
        bool type_ok = streq(oc->index_type, type) ||
                       (streq(oc->name, "InetOps") && streq(type, "SpGist"));
        if (!type_ok) {
            psl_attr_error(C, attr, attr->span, "The given operator class `%s` is not supported with the `%s` index type.",
                           oc->name, type);
            continue;
        }
        if (oc->list) {
            if (f->arity != PSL_LIST)
                psl_attr_error(C, attr, attr->span, "The given operator class `%s` expects the type of field `%s` to be an array.",
                               oc->name, f->name);
            continue;
        }
        if (streq(oc->name, "TextOps")) {
            if (f->kind != PSL_FIELD_SCALAR || f->scalar != PSL_STRING)
                psl_attr_error(C, attr, attr->span, "The given operator class `%s` points to the field `%s` that is not of String type.",
                               oc->name, f->name);
            continue;
        }
        if (f->kind != PSL_FIELD_SCALAR || !native) {
            psl_attr_error(C, attr, attr->span, "The given operator class `%s` expects the field `%s` to define a valid native type.",
                           oc->name, f->name);
            continue;
        }
        if (streq(native, oc->native))
            continue;
        if (!explicit_type)
            psl_attr_error(C, attr, attr->span, "The given operator class `%s` expects the field `%s` to define a valid native type.",
                           oc->name, f->name);
        else
            psl_attr_error(C, attr, attr->span, "The given operator class `%s` does not support native type `%s` of field `%s`.",
                           oc->name, native, f->name);
    }
    (void)m;
}

/* ---- the connectors ---- */

static const char *const postgres_aliases[] = { "postgres", NULL };
static const char *const postgres_urls[] = { "postgresql://", "postgres://", NULL };
static const char *const postgres_algorithms[] = { "Hash", "Gist", "Gin", "SpGist", "Brin", NULL };

const psl_connector psl_connector_postgresql = {
    .id = PSL_PROVIDER_POSTGRESQL,
    .name = "postgresql",
    .aliases = postgres_aliases,
    .title = "PostgreSQL",
    .url_prefixes = postgres_urls,
    .runtime_provider = "PRISMA_POSTGRESQL",
    .max_ident_len = 63,
    .caps = PSL_CAP_SCHEMAS | PSL_CAP_SCALAR_LISTS | PSL_CAP_EXTENSIONS | PSL_CAP_SETNULL_ON_REQUIRED_WARNS,
    .fulltext_preview = "fullTextSearchPostgres",
    .native_types = postgres_types,
    .n_native_types = sizeof postgres_types / sizeof postgres_types[0],
    .index_algorithms = postgres_algorithms,
    .validate_index = check_index_ops,
    .emulated_actions = PSL_ACTION_BIT(PSL_ACTION_CASCADE) | PSL_ACTION_BIT(PSL_ACTION_RESTRICT) |
                        PSL_ACTION_BIT(PSL_ACTION_SET_NULL),
    .emulation_name = "Postgres",
};

static const char *const cockroach_algorithms[] = { "Gin", "Hash", NULL };

const psl_connector psl_connector_cockroachdb = {
    .id = PSL_PROVIDER_COCKROACHDB,
    .name = "cockroachdb",
    .title = "CockroachDB",
    .url_prefixes = postgres_urls,
    .runtime_provider = "PRISMA_COCKROACHDB",
    .max_ident_len = 63,
    .caps = PSL_CAP_SCHEMAS | PSL_CAP_SCALAR_LISTS | PSL_CAP_SEQUENCE_DEFAULT,
    .native_types = cockroach_types,
    .n_native_types = sizeof cockroach_types / sizeof cockroach_types[0],
    .index_algorithms = cockroach_algorithms,
    .emulated_actions = PSL_ACTION_BIT(PSL_ACTION_CASCADE) | PSL_ACTION_BIT(PSL_ACTION_RESTRICT) |
                        PSL_ACTION_BIT(PSL_ACTION_NO_ACTION) | PSL_ACTION_BIT(PSL_ACTION_SET_NULL),
    .emulation_name = "CockroachDB",
};
