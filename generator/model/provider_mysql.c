/* MySQL and MariaDB (`provider = "mysql"`): the native types of Prisma's
 * MySQL connector with their argument ranges, index prefix lengths, fulltext
 * indexes, the key columns MySQL cannot index without a prefix length, and
 * the warning for SetDefault (which InnoDB parses but refuses). */
#include "provider.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- native types (psl-core's MySqlType) ---- */

static const psl_native_def mysql_types[] = {
    { "Int", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "UnsignedInt", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "SmallInt", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "UnsignedSmallInt", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "TinyInt", PSL_BOOLEAN, 0, 0, PSL_INT, false },
    { "UnsignedTinyInt", PSL_BOOLEAN, 0, 0, PSL_INT, false },
    { "MediumInt", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "UnsignedMediumInt", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "BigInt", PSL_BIGINT, 0, 0, PSL_SCALAR_NONE, false },
    { "Decimal", PSL_DECIMAL, 0, 2, PSL_SCALAR_NONE, true },
    { "UnsignedBigInt", PSL_BIGINT, 0, 0, PSL_SCALAR_NONE, false },
    { "Float", PSL_FLOAT, 0, 0, PSL_SCALAR_NONE, false },
    { "Double", PSL_FLOAT, 0, 0, PSL_SCALAR_NONE, false },
    { "Bit", PSL_BOOLEAN, 1, 1, PSL_BYTES, false },
    { "Char", PSL_STRING, 1, 1, PSL_SCALAR_NONE, false },
    { "VarChar", PSL_STRING, 1, 1, PSL_SCALAR_NONE, false },
    { "Binary", PSL_BYTES, 1, 1, PSL_SCALAR_NONE, false },
    { "VarBinary", PSL_BYTES, 1, 1, PSL_SCALAR_NONE, false },
    { "TinyBlob", PSL_BYTES, 0, 0, PSL_SCALAR_NONE, false },
    { "Blob", PSL_BYTES, 0, 0, PSL_SCALAR_NONE, false },
    { "MediumBlob", PSL_BYTES, 0, 0, PSL_SCALAR_NONE, false },
    { "LongBlob", PSL_BYTES, 0, 0, PSL_SCALAR_NONE, false },
    { "TinyText", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "Text", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "MediumText", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "LongText", PSL_STRING, 0, 0, PSL_SCALAR_NONE, false },
    { "Date", PSL_DATETIME, 0, 0, PSL_SCALAR_NONE, false },
    { "Time", PSL_DATETIME, 0, 1, PSL_SCALAR_NONE, false },
    { "DateTime", PSL_DATETIME, 0, 1, PSL_SCALAR_NONE, false },
    { "Timestamp", PSL_DATETIME, 0, 1, PSL_SCALAR_NONE, false },
    { "Year", PSL_INT, 0, 0, PSL_SCALAR_NONE, false },
    { "Json", PSL_JSON, 0, 0, PSL_SCALAR_NONE, false },
};

/* `Decimal(70,2)`: the type as Prisma names it in messages. */
static const char *native_text(psl_ctx *C, const psl_field *f)
{
    const char *s = psl_arena_printf(C->a, "%s", f->native.name);
    for (size_t i = 0; i < f->native.n_args; i++)
        s = psl_arena_printf(C->a, "%s%s%s", s, i ? "," : "(", f->native.args[i]);
    return f->native.n_args ? psl_arena_printf(C->a, "%s)", s) : s;
}

static void out_of_range(psl_ctx *C, const psl_field *f, const psl_attribute *attr, const char *why)
{
    psl_error(C->d, attr->span, "Argument M is out of range for native type `%s` of MySQL: %s", native_text(C, f),
              why);
}

/* psl-core's MySqlDatamodelConnector::validate_native_type_arguments: the
 * same checks in the same order. */
static void check_native_args(psl_ctx *C, const psl_field *f, const psl_attribute *attr)
{
    const char *n = f->native.name;
    unsigned long a0 = f->native.n_args > 0 ? strtoul(f->native.args[0], NULL, 10) : 0;
    unsigned long a1 = f->native.n_args > 1 ? strtoul(f->native.args[1], NULL, 10) : 0;
    if (streq(n, "Decimal") && f->native.n_args == 2) {
        if (a1 > a0)
            psl_error(C->d, attr->span,
                      "The scale must not be larger than the precision for the %s native type in MySQL.",
                      native_text(C, f));
        else if (a0 > 65)
            out_of_range(C, f, attr, "Precision can range from 1 to 65.");
        else if (a1 > 30)
            out_of_range(C, f, attr, "Scale can range from 0 to 30.");
    } else if (streq(n, "Bit") && (a0 == 0 || a0 > 64)) {
        out_of_range(C, f, attr, "M can range from 1 to 64.");
    } else if (streq(n, "Char") && a0 > 255) {
        out_of_range(C, f, attr, "M can range from 0 to 255.");
    } else if (streq(n, "VarChar") && a0 > 65535) {
        out_of_range(C, f, attr, "M can range from 0 to 65,535.");
    } else if (streq(n, "Bit") && a0 > 1 && f->scalar == PSL_BOOLEAN) {
        out_of_range(C, f, attr, "only Bit(1) can be used as Boolean.");
    }
}

/* ---- keys and indexes ---- */

/* The text and blob types MySQL indexes only by a prefix (`length:`). */
static bool needs_prefix_length(const char *native)
{
    static const char *const names[] = { "Text", "LongText", "MediumText", "TinyText",
                                         "Blob", "TinyBlob", "MediumBlob", "LongBlob" };
    for (size_t i = 0; native && i < sizeof names / sizeof names[0]; i++)
        if (streq(native, names[i]))
            return true;
    return false;
}

#define LENGTH_GUIDE " Please use the `length` argument to the field in the index definition to allow this."

/* One error per key (the first field at fault), at the key's attribute. */
static void check_key_columns(psl_ctx *C, const psl_index *ix)
{
    if (ix->kind == PSL_INDEX_FULLTEXT)
        return;
    for (size_t i = 0; i < ix->n_fields; i++) {
        const char *native = psl_field_native_name(C, ix->fields[i].field);
        if (!needs_prefix_length(native) || ix->fields[i].length > 0)
            continue;
        if (ix->kind == PSL_INDEX_PRIMARY)
            psl_error(C->d, ix->span,
                      "Native type `%s` of MySQL cannot be used on a field that is `@id` or `@@id`." LENGTH_GUIDE,
                      native);
        else if (ix->kind == PSL_INDEX_UNIQUE)
            psl_error(C->d, ix->span, "Native type `%s` cannot be unique in MySQL." LENGTH_GUIDE, native);
        else
            psl_error(C->d, ix->span,
                      "You cannot define an index on fields with native type `%s` of MySQL." LENGTH_GUIDE, native);
        return;
    }
}

static void warn_set_default(psl_ctx *C, const psl_relation *rel)
{
    static const char warning[] = "MySQL does not actually support the `SetDefault` referential action, so using it "
                                  "may result in unexpected errors. Read more at https://pris.ly/d/mysql-set-default ";
    if (rel->on_delete == PSL_ACTION_SET_DEFAULT)
        psl_warning(C->d, rel->on_delete_span, "%s", warning);
    if (rel->on_update == PSL_ACTION_SET_DEFAULT)
        psl_warning(C->d, rel->on_update_span, "%s", warning);
}

/* psl-core's MySqlDatamodelConnector::validate_model. */
static void check_model(psl_ctx *C, const psl_model *m)
{
    for (size_t i = 0; i < m->n_indexes; i++)
        check_key_columns(C, m->indexes[i]);
    if (m->primary_key)
        check_key_columns(C, m->primary_key);
    if (C->s->datasource->relation_mode_prisma)
        return;
    for (size_t i = 0; i < m->n_fields; i++) {
        const psl_field *f = m->fields[i];
        if (f->kind == PSL_FIELD_RELATION && f->relation && f->relation->from_field == f)
            warn_set_default(C, f->relation);
    }
}

/* ---- the connector ---- */

static const char *const mysql_urls[] = { "mysql://", NULL };

const psl_connector psl_connector_mysql = {
    .id = PSL_PROVIDER_MYSQL,
    .name = "mysql",
    .title = "MySQL",
    .url_prefixes = mysql_urls,
    .runtime_provider = "PRISMA_MYSQL",
    .max_ident_len = 64,
    .caps = PSL_CAP_INDEX_LENGTH | PSL_CAP_FULLTEXT_INDEX | PSL_CAP_SHARD_KEYS,
    .native_types = mysql_types,
    .n_native_types = sizeof mysql_types / sizeof mysql_types[0],
    .emulated_actions = PSL_ACTION_BIT(PSL_ACTION_CASCADE) | PSL_ACTION_BIT(PSL_ACTION_RESTRICT) |
                        PSL_ACTION_BIT(PSL_ACTION_NO_ACTION) | PSL_ACTION_BIT(PSL_ACTION_SET_NULL),
    .emulation_name = "MySQL",
    .validate_native_args = check_native_args,
    .validate_model = check_model,
};
