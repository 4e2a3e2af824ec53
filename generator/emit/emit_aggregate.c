/* The template values of aggregate and group_by (issue 13). */
#include "emit_aggregate.h"

#include "emit_text.h"

/* _sum and _avg: Int, BigInt, Float and Decimal fields. */
static bool is_number(const psl_field *f)
{
    return f->kind == PSL_FIELD_SCALAR && f->arity != PSL_LIST &&
           (f->scalar == PSL_INT || f->scalar == PSL_BIGINT || f->scalar == PSL_FLOAT || f->scalar == PSL_DECIMAL);
}

/* _min and _max: every field but lists, Json and Bytes (no order on them). */
static bool has_minmax(const psl_field *f)
{
    return f->arity != PSL_LIST &&
           (f->kind == PSL_FIELD_ENUM || (f->scalar != PSL_JSON && f->scalar != PSL_BYTES));
}

static const char *having_type(const psl_field *f)
{
    if (f->kind == PSL_FIELD_ENUM)
        return "prisma_enum_with_aggregates_filter";
    switch (f->scalar) {
    case PSL_INT: return "prisma_int_with_aggregates_filter";
    case PSL_BIGINT: return "prisma_bigint_with_aggregates_filter";
    case PSL_FLOAT: return "prisma_float_with_aggregates_filter";
    case PSL_DECIMAL: return "prisma_decimal_with_aggregates_filter";
    case PSL_BOOLEAN: return "prisma_bool_with_aggregates_filter";
    case PSL_DATETIME: return "prisma_datetime_with_aggregates_filter";
    case PSL_BYTES: return "prisma_bytes_with_aggregates_filter";
    case PSL_JSON: return "prisma_json_with_aggregates_filter";
    default: return "prisma_string_with_aggregates_filter";
    }
}

void emit_aggregate_field(psl_arena *a, tmpl_value *fm, const psl_field *f, const char *member, const char *minmax_t)
{
    bool num = is_number(f), mm = has_minmax(f);
    tmpl_set_bool(a, fm, "agg_number", num);
    tmpl_set_bool(a, fm, "agg_minmax", mm);
    if (num) {
        bool dec = f->scalar == PSL_DECIMAL, flt = f->scalar == PSL_FLOAT;
        tmpl_set_text(a, fm, "sum_decl", emit_decl(a, dec ? "char *" : flt ? "const double *" : "const int64_t *", member));
        tmpl_set_text(a, fm, "avg_decl", emit_decl(a, dec ? "char *" : "const double *", member));
    }
    if (mm)
        tmpl_set_text(a, fm, "minmax_decl", emit_decl(a, minmax_t, member));
    tmpl_set_bool(a, fm, "having", f->arity != PSL_LIST);
    tmpl_set_text(a, fm, "having_decl", emit_decl(a, having_type(f), member));
    /* Which aggregate filters its having type has. */
    tmpl_set_bool(a, fm, "having_minmax", mm);
}

void emit_aggregate_model(psl_arena *a, tmpl_value *mm, const psl_model *m, const int *table_index)
{
    bool num = false, minmax = false, having = false;
    for (size_t k = 0; k < m->n_fields; k++) {
        if (table_index[k] < 0)
            continue;
        num = num || is_number(m->fields[k]);
        minmax = minmax || has_minmax(m->fields[k]);
        having = having || m->fields[k]->arity != PSL_LIST;
    }
    tmpl_set_bool(a, mm, "has_number", num);
    tmpl_set_bool(a, mm, "has_minmax", minmax);
    (void)having;
}
