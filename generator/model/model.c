/* Accessors of the checked schema model: lookups by name and the names of
 * scalar types. Every phase uses them; they use no phase. */
#include "schema_int.h"

#include <string.h>

static const struct {
    const char *name;
    psl_scalar type;
} scalars[] = {
    { "String", PSL_STRING },   { "Int", PSL_INT },         { "BigInt", PSL_BIGINT },
    { "Float", PSL_FLOAT },     { "Decimal", PSL_DECIMAL }, { "Boolean", PSL_BOOLEAN },
    { "DateTime", PSL_DATETIME }, { "Json", PSL_JSON },     { "Bytes", PSL_BYTES },
};

const char *psl_scalar_name(psl_scalar t)
{
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
        if (scalars[i].type == t)
            return scalars[i].name;
    return "?";
}

psl_scalar psl_scalar_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
        if (streq(scalars[i].name, name))
            return scalars[i].type;
    return PSL_SCALAR_NONE;
}

/* Every top-level name maps to its model, composite type or enum; the
 * kind is told apart by the list it is in. */
static void *type_named(const psl_schema *s, const char *name)
{
    return name ? psl_map_get(&s->type_index, name, strlen(name)) : NULL;
}

psl_model *psl_schema_model(const psl_schema *s, const char *name)
{
    void *v = type_named(s, name);
    if (!v)
        return NULL;
    /* Not an enum, so a model, view or composite type: its index tells
     * which (a scan of every model made large schemas quadratic). */
    for (size_t i = 0; i < s->n_enums; i++)
        if (s->enums[i] == v)
            return NULL;
    psl_model *m = v;
    return !m->is_composite && m->index < s->n_models && s->models[m->index] == m ? m : NULL;
}

psl_model *psl_schema_composite(const psl_schema *s, const char *name)
{
    void *v = type_named(s, name);
    psl_model *m = v;
    return m && m->is_composite && m->ast && m->ast->kind == PSL_TOP_TYPE ? m : NULL;
}

psl_enum *psl_schema_enum(const psl_schema *s, const char *name)
{
    void *v = type_named(s, name);
    for (size_t i = 0; v && i < s->n_enums; i++)
        if (s->enums[i] == v)
            return v;
    return NULL;
}

psl_field *psl_model_field(const psl_model *m, const char *name)
{
    return name ? psl_map_get(&m->field_index, name, strlen(name)) : NULL;
}
