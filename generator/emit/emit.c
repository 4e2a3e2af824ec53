/* `prismac generate`: builds the template values of a checked schema and
 * renders client.h / client.c.
 *
 * What is emitted (Prisma's client surface): every model not @@ignore'd, with
 * its fields that are neither @ignore'd nor Unsupported, and the relation
 * fields whose other side is generated too.
 *
 * Names: emit_names.c.
 */
#include "emit.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "emit_aggregate.h"
#include "emit_names.h"
#include "emit_text.h"
#include "provider.h"
#include "fileio.h"
#include "prisma/prisma.h"
#include "template.h"

/* The embedded templates (templates/meson.build, tools/embed.c). */
extern const char prismac_template_client_h[];
extern const size_t prismac_template_client_h_len;
extern const char prismac_template_client_c[];
extern const size_t prismac_template_client_c_len;

/* ---- the model of the output ---- */

enum { N_TYPES = 35, N_FNS = 47, N_STATICS = 9 };

static const struct {
    const char *key, *suffix;
} type_names[N_TYPES] = {
    { "type", "" },
    { "list_type", "List" },
    { "create_type", "CreateInput" },
    { "update_type", "UpdateInput" },
    { "where_type", "WhereInput" },
    { "where_unique_type", "WhereUniqueInput" },
    { "order_type", "OrderByInput" },
    { "include_type", "Include" },
    { "args_type", "FindManyArgs" },
    { "coc_type", "ConnectOrCreateInput" },
    { "uww_type", "UpdateWithWhereInput" },
    { "umww_type", "UpdateManyWithWhereInput" },
    { "upsert_type", "UpsertWithWhereInput" },
    { "field_enum_type", "ScalarField" },
    /* issue 13: writes */
    { "update_many_args_type", "UpdateManyArgs" },
    { "delete_many_args_type", "DeleteManyArgs" },
    /* ---- issue 13: aggregate ---- */
    { "agg_count_in_type", "CountAggregateInput" },
    { "agg_num_in_type", "NumberAggregateInput" },
    { "agg_minmax_in_type", "MinMaxAggregateInput" },
    { "agg_count_out_type", "CountAggregateOutput" },
    { "agg_sum_out_type", "SumAggregateOutput" },
    { "agg_avg_out_type", "AvgAggregateOutput" },
    { "agg_minmax_out_type", "MinMaxAggregateOutput" },
    { "agg_type", "Aggregate" },
    { "agg_args_type", "AggregateArgs" },
    { "group_type", "GroupBy" },
    { "group_list_type", "GroupByList" },
    { "group_args_type", "GroupByArgs" },
    { "group_order_type", "GroupByOrderByInput" },
    { "having_type", "ScalarWhereWithAggregatesInput" },
    /* ---- issue 13, include ---- */
    { "count_select_type", "CountSelect" },
    { "count_output_type", "CountOutput" },
    { "select_type", "Select" },
    { "omit_type", "Omit" },
    { "find_unique_args_type", "FindUniqueArgs" },
};

static const struct {
    const char *key, *suffix;
} fn_names[N_FNS] = {
    { "fn_create", "_create" },
    { "fn_create_include", "_create_include" },
    { "fn_create_many", "_create_many" },
    { "fn_create_many_and_return", "_create_many_and_return" },
    { "fn_find_unique", "_find_unique" },
    { "fn_find_unique_or_throw", "_find_unique_or_throw" },
    { "fn_find_first", "_find_first" },
    { "fn_find_first_or_throw", "_find_first_or_throw" },
    { "fn_find_many", "_find_many" },
    { "fn_find_each", "_find_each" },
    { "fn_count", "_count" },
    { "fn_update", "_update" },
    { "fn_update_include", "_update_include" },
    { "fn_update_many", "_update_many" },
    { "fn_upsert", "_upsert" },
    { "fn_upsert_include", "_upsert_include" },
    { "fn_delete", "_delete" },
    { "fn_delete_many", "_delete_many" },
    { "fn_free", "_free" },
    { "fn_list_free", "_list_free" },
    { "fn_batch_create", "_batch_create" },
    { "fn_batch_create_many", "_batch_create_many" },
    { "fn_batch_find_unique", "_batch_find_unique" },
    { "fn_batch_find_unique_or_throw", "_batch_find_unique_or_throw" },
    { "fn_batch_find_first_or_throw", "_batch_find_first_or_throw" },
    { "fn_batch_find_first", "_batch_find_first" },
    { "fn_batch_find_many", "_batch_find_many" },
    { "fn_batch_count", "_batch_count" },
    { "fn_batch_update", "_batch_update" },
    { "fn_batch_update_many", "_batch_update_many" },
    { "fn_batch_upsert", "_batch_upsert" },
    { "fn_batch_delete", "_batch_delete" },
    { "fn_batch_delete_many", "_batch_delete_many" },
    /* issue 13: writes */
    { "fn_update_many_with", "_update_many_with" },
    { "fn_delete_many_with", "_delete_many_with" },
    { "fn_update_many_and_return", "_update_many_and_return" },
    { "fn_batch_update_many_and_return", "_batch_update_many_and_return" },
    { "fn_batch_update_many_with", "_batch_update_many_with" },
    { "fn_batch_delete_many_with", "_batch_delete_many_with" },
    /* ---- issue 13: aggregate ---- */
    { "fn_aggregate", "_aggregate" },
    { "fn_aggregate_free", "_aggregate_free" },
    { "fn_group_by", "_group_by" },
    { "fn_group_by_list_free", "_group_by_list_free" },
    { "fn_batch_aggregate", "_batch_aggregate" },
    { "fn_batch_group_by", "_batch_group_by" },
    /* ---- issue 13, include ---- */
    { "fn_find_unique_with", "_find_unique_with" },
    { "fn_batch_find_unique_with", "_batch_find_unique_with" },
};

static const struct {
    const char *key, *suffix;
} static_names[N_STATICS] = {
    { "desc", "_desc" },
    { "fields_arr", "_fields" },
    { "uniques_arr", "_uniques" },
    { "relations_arr", "_relations" },
    { "args_fn", "_find_args" },
    { "each_fn", "_each_record" },
    /* ---- issue 13: aggregate ---- */
    { "agg_layout", "_aggregate_layout" },
    { "agg_fields_arr", "_aggregate_fields" },
    { "args_any_fn", "_find_args_any" }, /* issue 13, include */
};

typedef struct enum_info {
    psl_enum *e;
    const char *type;
    const char **values; /* C constants */
    const char *desc;
    bool used;
} enum_info;

typedef struct model_info {
    psl_model *m;
    const char *types[N_TYPES];
    const char *fns[N_FNS];
    const char *statics[N_STATICS];
    const char **member; /* by field index; NULL when the field is not generated */
    const char **field_enum; /* by field index: the ModelScalarField constant of a scalar field, or NULL */
    int *table_index;    /* by field index: position in the field table, or -1 */
    size_t n_scalars;
    size_t index; /* among the generated models */
} model_info;

typedef struct emitter {
    psl_arena *a;
    const psl_schema *s;
    FILE *errs;
    const char *schema_file;
    enum_info *enums;
    model_info *models; /* the generated ones, in schema order */
    size_t n_models;
    emit_names names; /* the file-scope names handed out */
    bool failed;
} emitter;

static void request(emitter *E, const char *base, const char *suffix, const char **slot, bool own)
{
    emit_names_request(&E->names, base, suffix, slot, own);
}

static bool generated_model(const psl_model *m)
{
    return !m->is_ignored && !m->is_composite;
}

static bool scalar_like(const psl_field *f)
{
    return (f->kind == PSL_FIELD_SCALAR || f->kind == PSL_FIELD_ENUM) && !f->is_ignored;
}

static model_info *info_of(const emitter *E, const psl_model *m)
{
    for (size_t i = 0; i < E->n_models; i++)
        if (E->models[i].m == m)
            return &E->models[i];
    return NULL;
}

/* Prisma's write surface: a view is read-only (no create, update, upsert or
 * delete, and no nested writes into or out of it); a model with a required
 * Unsupported field without a default cannot be created (Prisma's
 * supports_create_operation), but it can be updated and deleted. */
static bool writable_model(const psl_model *m)
{
    return !m->is_view;
}

static bool creatable_model(const psl_model *m)
{
    if (!writable_model(m))
        return false;
    for (size_t k = 0; k < m->n_fields; k++) {
        const psl_field *f = m->fields[k];
        if (f->kind == PSL_FIELD_UNSUPPORTED && f->arity == PSL_REQUIRED && f->def.kind == PSL_DEFAULT_NONE)
            return false;
    }
    return true;
}

/* A relation field as the runtime sees it (prisma_relation_kind). */
typedef enum rel_kind { REL_NONE, REL_TO_ONE_FK, REL_TO_ONE_BACK, REL_TO_MANY, REL_MANY_TO_MANY } rel_kind;

/* REL_NONE when the field is not generated (ignored, or its other model is). */
static rel_kind relation_kind(const emitter *E, const psl_field *f)
{
    const psl_relation *r = f->relation;
    if (f->kind != PSL_FIELD_RELATION || f->is_ignored || !r || !f->type_model || !info_of(E, f->type_model))
        return REL_NONE;
    /* As Prisma (is_relation_supported): a relation whose key fields are not
     * in the client (@ignore, Unsupported) is not either, on both sides. */
    for (size_t k = 0; k < r->n_fields; k++)
        if (!scalar_like(r->fields[k]) || !scalar_like(r->references[k]))
            return REL_NONE;
    if (r->kind == PSL_REL_MANY_TO_MANY)
        return r->from_field && r->to_field ? REL_MANY_TO_MANY : REL_NONE;
    if (f == r->from_field)
        return REL_TO_ONE_FK;
    if (f == r->to_field)
        return r->kind == PSL_REL_ONE_TO_ONE ? REL_TO_ONE_BACK : REL_TO_MANY;
    return REL_NONE;
}

/* Collects what is generated and requests its names. */
static int plan(emitter *E)
{
    const psl_schema *s = E->s;
    psl_arena *a = E->a;
    E->enums = psl_arena_alloc(a, (s->n_enums + 1) * sizeof *E->enums);
    E->models = psl_arena_alloc(a, (s->n_models + 1) * sizeof *E->models);
    for (size_t i = 0; i < s->n_models; i++)
        if (generated_model(s->models[i])) {
            model_info *mi = &E->models[E->n_models];
            mi->m = s->models[i];
            mi->index = E->n_models++;
        }

    /* The schema's own names first (empty suffix), then derived ones. */
    for (size_t i = 0; i < s->n_enums; i++) {
        enum_info *ei = &E->enums[i];
        ei->e = s->enums[i];
        ei->values = psl_arena_alloc(a, (ei->e->n_values + 1) * sizeof *ei->values);
        request(E, ei->e->c_name, "", &ei->type, false);
    }
    for (size_t i = 0; i < E->n_models; i++)
        request(E, E->models[i].m->c_name, "", &E->models[i].types[0], false);
    for (size_t i = 0; i < s->n_enums; i++)
        for (size_t k = 0; k < E->enums[i].e->n_values; k++)
            request(E, E->enums[i].e->values[k].c_name, "", &E->enums[i].values[k], false);
    for (size_t i = 0; i < E->n_models; i++) {
        model_info *mi = &E->models[i];
        for (size_t k = 1; k < N_TYPES; k++)
            request(E, mi->m->c_name, type_names[k].suffix, &mi->types[k], false);
        for (size_t k = 0; k < N_FNS; k++)
            request(E, mi->m->c_prefix, fn_names[k].suffix, &mi->fns[k], false);
        /* USER_FIELD_CREATED_AT: the constants of the model's ScalarField enum. */
        mi->field_enum = psl_arena_alloc(a, (mi->m->n_fields + 1) * sizeof *mi->field_enum);
        for (size_t k = 0; k < mi->m->n_fields; k++)
            if (scalar_like(mi->m->fields[k]))
                request(E, mi->m->fields[k]->c_const, "", &mi->field_enum[k], false);
        const char *base = psl_arena_printf(a, "prisma_gen_%s", mi->m->c_prefix);
        for (size_t k = 0; k < N_STATICS; k++)
            request(E, base, static_names[k].suffix, &mi->statics[k], true);
    }
    for (size_t i = 0; i < s->n_enums; i++)
        request(E, psl_arena_printf(a, "prisma_gen_%s", E->enums[i].e->c_prefix), "_enum", &E->enums[i].desc, true);
    emit_names_take(&E->names, "prisma_gen_schema");
    emit_names_take(&E->names, "prisma_gen_models");
    if (emit_names_assign(&E->names, E->errs) != 0)
        return -1;

    for (size_t i = 0; i < E->n_models; i++) {
        model_info *mi = &E->models[i];
        psl_model *m = mi->m;
        mi->member = psl_arena_alloc(a, (m->n_fields + 1) * sizeof *mi->member);
        mi->table_index = psl_arena_alloc(a, (m->n_fields + 1) * sizeof *mi->table_index);
        const char **all = psl_arena_alloc(a, (m->n_fields + 1) * sizeof *all);
        for (size_t k = 0; k < m->n_fields; k++)
            all[k] = m->fields[k]->c_name;
        for (size_t k = 0; k < m->n_fields; k++) {
            psl_field *f = m->fields[k];
            mi->table_index[k] = -1;
            bool generated = scalar_like(f) || relation_kind(E, f) != REL_NONE;
            if (!generated)
                continue;
            if (scalar_like(f)) {
                mi->table_index[k] = (int)mi->n_scalars++;
                if (f->kind == PSL_FIELD_ENUM)
                    for (size_t q = 0; q < s->n_enums; q++)
                        if (E->enums[q].e == f->enum_type)
                            E->enums[q].used = true;
            }
            /* Unique among the other fields' names, the members given so far
             * included. */
            all[k] = NULL;
            const char *mname = emit_unique_member(a, f->c_name, all, m->n_fields);
            all[k] = mname;
            mi->member[k] = mname;
        }
    }
    return E->failed ? -1 : 0;
}

/* ---- per-type facts ---- */

typedef struct scalar_facts {
    const char *type_enum;
    const char *rec, *rec_opt, *rec_note; /* record types and what the value is */
    const char *create, *update, *filter;
    const char *null_note; /* how an update sets NULL */
} scalar_facts;

static const scalar_facts *facts_of(psl_scalar t)
{
    static const scalar_facts table[] = {
        [PSL_STRING] = { "PRISMA_TYPE_STRING", "char *", "char *", "", "const char *", "const char *",
                         "prisma_string_filter", "PRISMA_NULL sets NULL" },
        [PSL_INT] = { "PRISMA_TYPE_INT", "int32_t", "const int32_t *", "", "prisma_int", "prisma_int_update",
                      "prisma_int_filter", ".set = PRISMA_INT_NULL sets NULL" },
        [PSL_BIGINT] = { "PRISMA_TYPE_BIGINT", "int64_t", "const int64_t *", "", "prisma_bigint",
                         "prisma_bigint_update", "prisma_bigint_filter", ".set = PRISMA_BIGINT_NULL sets NULL" },
        [PSL_FLOAT] = { "PRISMA_TYPE_FLOAT", "double", "const double *", "", "prisma_float",
                        "prisma_float_update", "prisma_float_filter", ".set = PRISMA_FLOAT_NULL sets NULL" },
        [PSL_DECIMAL] = { "PRISMA_TYPE_DECIMAL", "char *", "char *", "exact decimal text", "const char *",
                          "prisma_decimal_update", "prisma_string_filter", ".set = PRISMA_NULL sets NULL" },
        [PSL_BOOLEAN] = { "PRISMA_TYPE_BOOLEAN", "bool", "const bool *", "", "prisma_bool", "prisma_bool",
                          "prisma_bool_filter", "PRISMA_BOOL_NULL sets NULL" },
        [PSL_DATETIME] = { "PRISMA_TYPE_DATETIME", "int64_t", "const int64_t *", "ms since 1970-01-01 UTC",
                           "prisma_datetime", "prisma_datetime", "prisma_datetime_filter",
                           "PRISMA_DATETIME_NULL sets NULL" },
        [PSL_JSON] = { "PRISMA_TYPE_JSON", "char *", "char *", "JSON text", "const char *", "const char *",
                       "prisma_json_filter", "PRISMA_DB_NULL (or PRISMA_NULL) sets NULL, PRISMA_JSON_NULL JSON null" },
        [PSL_BYTES] = { "PRISMA_TYPE_BYTES", "prisma_bytes_value", "const prisma_bytes_value *", "",
                        "prisma_bytes", "prisma_bytes", "prisma_bytes_filter", "PRISMA_BYTES_NULL sets NULL" },
    };
    if ((size_t)t >= sizeof table / sizeof table[0] || !table[t].type_enum)
        return &table[PSL_STRING];
    return &table[t];
}

/* A scalar list field's types (prisma.h): the record's array, the create
 * input's list, the update's set / push and the ScalarListFilter. */
typedef struct list_facts {
    const char *rec, *create, *update, *filter;
} list_facts;

static const list_facts *list_facts_of(psl_scalar t, bool is_enum)
{
#define LIST_FACTS_(n) { "prisma_" n "_array", "prisma_" n "_list", "prisma_" n "_list_update", "prisma_" n "_list_filter" }
    static const list_facts table[] = {
        [PSL_STRING] = LIST_FACTS_("string"),   [PSL_INT] = LIST_FACTS_("int"),
        [PSL_BIGINT] = LIST_FACTS_("bigint"),   [PSL_FLOAT] = LIST_FACTS_("float"),
        [PSL_DECIMAL] = LIST_FACTS_("string"),  [PSL_BOOLEAN] = LIST_FACTS_("bool"),
        [PSL_DATETIME] = LIST_FACTS_("datetime"), [PSL_JSON] = LIST_FACTS_("string"),
        [PSL_BYTES] = LIST_FACTS_("bytes"),
    };
    static const list_facts enum_list = LIST_FACTS_("enum");
#undef LIST_FACTS_
    if (is_enum)
        return &enum_list;
    if ((size_t)t >= sizeof table / sizeof table[0] || !table[t].rec)
        return &table[PSL_STRING];
    return &table[t];
}

/* The default as written in the schema, for a comment. */
static const char *default_text(psl_arena *a, const psl_field *f)
{
    const psl_default *d = &f->def;
    switch (d->kind) {
    case PSL_DEFAULT_NONE: return NULL;
    case PSL_DEFAULT_AUTOINCREMENT: return "autoincrement()";
    case PSL_DEFAULT_NOW: return "now()";
    case PSL_DEFAULT_UUID: return d->version == 7 ? "uuid(7)" : "uuid()";
    case PSL_DEFAULT_CUID: return d->version == 2 ? "cuid(2)" : "cuid()";
    case PSL_DEFAULT_NANOID:
        return d->version && d->version != 21 ? psl_arena_printf(a, "nanoid(%d)", d->version) : "nanoid()";
    case PSL_DEFAULT_ULID: return "ulid()";
    case PSL_DEFAULT_DBGENERATED:
        return d->text ? psl_arena_printf(a, "dbgenerated(%s)", emit_c_lit(a, d->text)) : "dbgenerated()";
    case PSL_DEFAULT_SEQUENCE: return "sequence()";
    case PSL_DEFAULT_ENUM: return d->enum_value ? d->enum_value->name : NULL;
    case PSL_DEFAULT_LIST: return "[...]";
    case PSL_DEFAULT_LITERAL:
        if (!d->text)
            return NULL;
        return f->kind == PSL_FIELD_SCALAR && (f->scalar == PSL_STRING || f->scalar == PSL_JSON)
                   ? emit_c_lit(a, d->text)
                   : d->text;
    }
    return NULL;
}

/* ---- building the values ---- */

static const char *rel_kind_names[] = { "", "PRISMA_REL_TO_ONE_FK", "PRISMA_REL_TO_ONE_BACK", "PRISMA_REL_TO_MANY",
                                        "PRISMA_REL_MANY_TO_MANY" };

static void set_scalar_field(emitter *E, tmpl_value *fm, const model_info *mi, const psl_field *f)
{
    psl_arena *a = E->a;
    const psl_model *m = mi->m;
    const char *member = mi->member[f->index];
    bool opt = f->arity == PSL_OPTIONAL;
    bool is_enum = f->kind == PSL_FIELD_ENUM;
    const scalar_facts *sf = facts_of(f->scalar);
    const enum_info *ei = NULL;
    for (size_t q = 0; is_enum && q < E->s->n_enums; q++)
        if (E->enums[q].e == f->enum_type)
            ei = &E->enums[q];
    const char *etype = ei ? ei->type : "int";

    tmpl_set_text(a, fm, "name", f->name);
    tmpl_set_text(a, fm, "member", member);
    tmpl_set_text(a, fm, "doc", emit_doc_comment(a, f->doc));
    tmpl_set_text(a, fm, "name_lit", emit_c_lit(a, f->name));
    tmpl_set_text(a, fm, "column_lit", emit_c_lit(a, f->db_name));
    tmpl_set_textf(a, fm, "index", "%d", mi->table_index[f->index]);
    tmpl_set_text(a, fm, "field_enum", mi->field_enum[f->index]);
    tmpl_set_textf(a, fm, "field_number", "%d", mi->table_index[f->index] + 1);
    tmpl_set_bool(a, fm, "is_relation", false);
    tmpl_set_bool(a, fm, "optional", opt);
    tmpl_set_text(a, fm, "type_enum", is_enum ? "PRISMA_TYPE_ENUM" : sf->type_enum);
    bool list = f->arity == PSL_LIST;
    const list_facts *lf = list ? list_facts_of(f->scalar, is_enum) : NULL;
    tmpl_set_bool(a, fm, "is_list", list);

    /* Record */
    const char *rtype = is_enum ? etype : opt ? sf->rec_opt : sf->rec;
    const char *rnote = is_enum ? (opt ? "0 when null" : "") : sf->rec_note;
    if (opt && !is_enum)
        rnote = *rnote ? psl_arena_printf(a, "%s; NULL when null", rnote) : "NULL when null";
    if (list) {
        rtype = lf->rec;
        rnote = is_enum ? psl_arena_printf(a, "items: %s values", etype)
                        : *sf->rec_note ? psl_arena_printf(a, "items: %s", sf->rec_note) : "";
    }
    tmpl_set_text(a, fm, "rec_t", rtype);
    tmpl_set_text(a, fm, "rec_decl", emit_decl(a, rtype, member));
    tmpl_set_text(a, fm, "rec_note", rnote);

    /* Create input */
    const char *ctype = list ? lf->create : is_enum ? etype : sf->create;
    tmpl_set_text(a, fm, "create_t", ctype);
    tmpl_set_text(a, fm, "create_decl", emit_decl(a, ctype, member));
    const char *dtext = default_text(a, f);
    const char *cnote = "";
    if (f->is_updated_at)
        cnote = "@updatedAt: set on every write";
    else if (dtext)
        cnote = emit_note_text(a, psl_arena_printf(a, "default: %s", dtext));
    else if (list)
        cnote = "not given: an empty list";
    else if (!opt)
        cnote = "required";
    tmpl_set_text(a, fm, "create_note", cnote);

    /* Update input */
    const char *utype = list ? lf->update : is_enum ? etype : sf->update;
    tmpl_set_text(a, fm, "update_t", utype);
    tmpl_set_text(a, fm, "update_decl", emit_decl(a, utype, member));
    tmpl_set_text(a, fm, "update_note",
                  list ? "set or push" : !opt ? "" : is_enum ? "PRISMA_ENUM_NULL sets NULL" : sf->null_note);

    /* Where and order (a list has no order) */
    const char *wtype = list ? lf->filter : is_enum ? "prisma_enum_filter" : sf->filter;
    tmpl_set_text(a, fm, "where_t", wtype);
    tmpl_set_text(a, fm, "where_decl", emit_decl(a, wtype, member));

    /* Descriptor */
    emit_buf flags = { .a = a };
    bool in_pk = false;
    if (m->primary_key)
        for (size_t q = 0; q < m->primary_key->n_fields; q++)
            if (m->primary_key->fields[q].field == f)
                in_pk = true;
    bool single_unique = f->is_unique;
    for (size_t q = 0; q < m->n_indexes; q++)
        if (m->indexes[q]->kind == PSL_INDEX_UNIQUE && !m->indexes[q]->where_sql && m->indexes[q]->n_fields == 1 &&
            m->indexes[q]->fields[0].field == f)
            single_unique = true;
    const char *dkind = "PRISMA_DEFAULT_NONE";
    int darg = 0;
    bool db_default = false;
    switch (f->def.kind) {
    case PSL_DEFAULT_NONE: break;
    case PSL_DEFAULT_AUTOINCREMENT:
        dkind = "PRISMA_DEFAULT_AUTOINCREMENT";
        db_default = true;
        break;
    case PSL_DEFAULT_NOW: dkind = "PRISMA_DEFAULT_NOW"; break;
    case PSL_DEFAULT_UUID: dkind = f->def.version == 7 ? "PRISMA_DEFAULT_UUID7" : "PRISMA_DEFAULT_UUID4"; break;
    case PSL_DEFAULT_CUID: dkind = f->def.version == 2 ? "PRISMA_DEFAULT_CUID2" : "PRISMA_DEFAULT_CUID"; break;
    case PSL_DEFAULT_NANOID:
        dkind = "PRISMA_DEFAULT_NANOID";
        darg = f->def.version ? f->def.version : 21;
        break;
    case PSL_DEFAULT_ULID: dkind = "PRISMA_DEFAULT_ULID"; break;
    case PSL_DEFAULT_DBGENERATED:
    case PSL_DEFAULT_SEQUENCE:
    case PSL_DEFAULT_LITERAL:
    case PSL_DEFAULT_ENUM:
    case PSL_DEFAULT_LIST:
        dkind = "PRISMA_DEFAULT_DB";
        db_default = true;
        break;
    }
    /* Column types without `=` (PostgreSQL's xml and json): the runtime
     * compares them through the backend's cast. */
    bool cast_compare = psl_connector_cast_compare(psl_schema_connector(E->s), f->native.name);
    /* A list is optional to the runtime too: its column may be NULL (read as an empty list). */
    const char *flag_names[] = { opt || list ? "PRISMA_F_OPTIONAL" : NULL, list ? "PRISMA_F_LIST" : NULL,
                                 in_pk ? "PRISMA_F_ID" : NULL,
                                 single_unique ? "PRISMA_F_UNIQUE" : NULL, f->is_updated_at ? "PRISMA_F_UPDATED_AT" : NULL,
                                 db_default ? "PRISMA_F_DB_DEFAULT" : NULL,
                                 cast_compare ? "PRISMA_F_CAST_COMPARE" : NULL };
    for (size_t q = 0; q < sizeof flag_names / sizeof flag_names[0]; q++)
        if (flag_names[q]) {
            if (flags.len)
                emit_put(&flags, " | ");
            emit_put(&flags, flag_names[q]);
        }
    tmpl_set_text(a, fm, "flags", flags.len ? emit_str(&flags) : "0");
    tmpl_set_text(a, fm, "default_kind", dkind);
    tmpl_set_textf(a, fm, "default_arg", "%d", darg);
    tmpl_set_text(a, fm, "enum_desc", ei ? psl_arena_printf(a, "&%s", ei->desc) : "NULL");
    emit_aggregate_field(a, fm, f, member, is_enum ? etype : sf->rec_opt);
}

/* "(const uint16_t[]){ 1, 2 }" of fields' positions in a field table, or NULL
 * when one of them is not generated. */
static const char *index_array(emitter *E, const model_info *mi, psl_field *const *fields, size_t n)
{
    emit_buf b = { .a = E->a };
    emit_put(&b, "(const uint16_t[]){ ");
    for (size_t i = 0; i < n; i++) {
        int ti = fields[i]->model == mi->m ? mi->table_index[fields[i]->index] : -1;
        if (ti < 0)
            return NULL;
        emit_printf(&b, "%s%d", i ? ", " : "", ti);
    }
    emit_put(&b, " }");
    return emit_str(&b);
}

static void set_relation_field(emitter *E, tmpl_value *rm, const model_info *mi, const psl_field *f,
                               rel_kind kind)
{
    psl_arena *a = E->a;
    const psl_relation *r = f->relation;
    const model_info *ti = info_of(E, f->type_model);
    const char *member = mi->member[f->index];
    bool many = kind == REL_TO_MANY || kind == REL_MANY_TO_MANY;
    tmpl_set_text(a, rm, "name", f->name);
    tmpl_set_text(a, rm, "member", member);
    tmpl_set_text(a, rm, "doc", emit_doc_comment(a, f->doc));
    tmpl_set_text(a, rm, "name_lit", emit_c_lit(a, f->name));
    tmpl_set_bool(a, rm, "is_relation", true);
    tmpl_set_bool(a, rm, "to_many", many);
    tmpl_set_text(a, rm, "kind", rel_kind_names[kind]);
    tmpl_set_text(a, rm, "optional", !many && f->arity == PSL_OPTIONAL ? "1" : "0");
    tmpl_set_text(a, rm, "target", f->type_model->name);
    tmpl_set_text(a, rm, "target_type", ti->types[many ? 1 : 0]);
    tmpl_set_text(a, rm, "target_desc", psl_arena_printf(a, "&%s", ti->statics[0]));
    const char *rtype = psl_arena_printf(a, "struct %s *", ti->types[many ? 1 : 0]);
    tmpl_set_text(a, rm, "rec_t", rtype);
    tmpl_set_text(a, rm, "rec_decl", emit_decl(a, rtype, member));
    tmpl_set_text(a, rm, "rec_note",
                  !many && f->arity == PSL_OPTIONAL ? "NULL when not included or null" : "NULL when not included");
    const char *fields = "NULL", *refs = "NULL";
    size_t n = 0;
    if (kind == REL_TO_ONE_FK) {
        fields = index_array(E, mi, r->fields, r->n_fields);
        refs = index_array(E, ti, r->references, r->n_fields);
        n = r->n_fields;
    } else if (kind == REL_TO_ONE_BACK || kind == REL_TO_MANY) {
        fields = index_array(E, ti, r->fields, r->n_fields);
        refs = index_array(E, mi, r->references, r->n_fields);
        n = r->n_fields;
    }
    tmpl_set_text(a, rm, "fields_init", fields ? fields : "NULL");
    tmpl_set_text(a, rm, "references_init", refs ? refs : "NULL");
    tmpl_set_textf(a, rm, "n_fields", "%zu", fields && refs ? n : 0);
    tmpl_set_text(a, rm, "join_table_lit", kind == REL_MANY_TO_MANY ? emit_c_lit(a, r->join_table) : "NULL");
    tmpl_set_text(a, rm, "relation_lit", emit_c_lit(a, r->name));
    /* The other side, by its position among the target's generated relations. */
    const psl_field *other = f == r->from_field ? r->to_field : r->from_field;
    size_t inverse = 0;
    bool found = false;
    for (size_t k = 0; k < f->type_model->n_fields && !found; k++) {
        const psl_field *g = f->type_model->fields[k];
        if (g == other)
            found = relation_kind(E, g) != REL_NONE;
        else if (ti->table_index[k] < 0 && relation_kind(E, g) != REL_NONE)
            inverse++;
    }
    /* UINT16_MAX: the other side is not generated (@ignore). */
    tmpl_set_textf(a, rm, "inverse", "%zu", found ? inverse : (size_t)UINT16_MAX);
    static const char *const target_keys[][2] = {
        { "t_create", "create_type" }, { "t_update", "update_type" }, { "t_where", "where_type" },
        { "t_where_unique", "where_unique_type" }, { "t_coc", "coc_type" }, { "t_uww", "uww_type" },
        { "t_umww", "umww_type" }, { "t_upsert", "upsert_type" }, { "t_args", "args_type" },
        { "t_order", "order_type" }, /* issue 13: ordering by relations */
    };
    for (size_t k = 0; k < sizeof target_keys / sizeof target_keys[0]; k++)
        for (size_t t = 0; t < N_TYPES; t++)
            if (strcmp(type_names[t].key, target_keys[k][1]) == 0)
                tmpl_set_text(a, rm, target_keys[k][0], ti->types[t]);
    tmpl_set_bool(a, rm, "one_to_many_nested", kind == REL_TO_MANY);
    /* issue 13: is_null / is_not_null in the relation filter of an optional to-one */
    tmpl_set_bool(a, rm, "optional_rel", !many && f->arity == PSL_OPTIONAL);
    /* Nested writes only between writable models: none into or out of a view. */
    tmpl_set_bool(a, rm, "nested", writable_model(mi->m) && writable_model(f->type_model));
    /* m-n: from_field is the field of the join table's "A" side. */
    tmpl_set_text(a, rm, "join_self_is_a", kind == REL_MANY_TO_MANY && f == r->from_field ? "1" : "0");
    /* Referential actions (prisma_ref_action), Prisma's defaults applied; none on
     * m-n, and none to or from a view (a view is never written, and has no
     * foreign keys to emulate). */
    static const char *const action_names[] = {
        [PSL_ACTION_NONE] = "0", [PSL_ACTION_CASCADE] = "PRISMA_ACTION_CASCADE",
        [PSL_ACTION_RESTRICT] = "PRISMA_ACTION_RESTRICT", [PSL_ACTION_NO_ACTION] = "PRISMA_ACTION_NO_ACTION",
        [PSL_ACTION_SET_NULL] = "PRISMA_ACTION_SET_NULL", [PSL_ACTION_SET_DEFAULT] = "PRISMA_ACTION_SET_DEFAULT",
    };
    bool inline_rel = kind != REL_MANY_TO_MANY && writable_model(mi->m) && writable_model(f->type_model);
    tmpl_set_text(a, rm, "on_delete", action_names[inline_rel ? r->effective_on_delete : PSL_ACTION_NONE]);
    tmpl_set_text(a, rm, "on_update", action_names[inline_rel ? r->effective_on_update : PSL_ACTION_NONE]);
}

/* A unique criterion, or false when one of its fields is not generated. */
static bool set_unique(emitter *E, tmpl_value *um, const model_info *mi, const psl_index *ix, bool pk,
                       const char **wui_members, size_t *n_wui)
{
    psl_arena *a = E->a;
    for (size_t q = 0; q < ix->n_fields; q++)
        if (mi->table_index[ix->fields[q].field->index] < 0 || ix->fields[q].field->arity == PSL_LIST)
            return false; /* not generated, or a list (no where-unique value) */
    bool compound = ix->n_fields > 1;
    const char *member, *name;
    if (compound) {
        name = ix->name;
        if (!name) {
            emit_buf b = { .a = a };
            for (size_t q = 0; q < ix->n_fields; q++)
                emit_printf(&b, "%s%s", q ? "_" : "", ix->fields[q].field->name);
            name = emit_str(&b);
        }
        member = emit_unique_member(a, ix->c_name, wui_members, *n_wui);
    } else {
        name = ix->fields[0].field->name;
        member = emit_unique_member(a, mi->member[ix->fields[0].field->index], wui_members, *n_wui);
    }
    wui_members[(*n_wui)++] = member;
    tmpl_set_text(a, um, "name", name);
    tmpl_set_text(a, um, "name_lit", emit_c_lit(a, name));
    tmpl_set_text(a, um, "member", member);
    tmpl_set_bool(a, um, "compound", compound);
    tmpl_set_bool(a, um, "primary", pk);
    tmpl_set_textf(a, um, "n_fields", "%zu", ix->n_fields);
    emit_buf idx = { .a = a };
    tmpl_value *parts = tmpl_set_list(a, um, "parts");
    for (size_t q = 0; q < ix->n_fields; q++) {
        const psl_field *f = ix->fields[q].field;
        const char *fm = mi->member[f->index];
        tmpl_value *p = tmpl_push_map(a, parts);
        const char *ctype = f->kind == PSL_FIELD_ENUM ? NULL : facts_of(f->scalar)->create;
        if (!ctype)
            for (size_t e = 0; e < E->s->n_enums; e++)
                if (E->enums[e].e == f->enum_type)
                    ctype = E->enums[e].type;
        tmpl_set_text(a, p, "part", fm);
        tmpl_set_text(a, p, "path", compound ? psl_arena_printf(a, "%s.%s", member, fm) : member);
        tmpl_set_text(a, p, "part_decl", emit_decl(a, ctype ? ctype : "int", compound ? fm : member));
        emit_printf(&idx, "%s%d", q ? ", " : "", mi->table_index[f->index]);
    }
    tmpl_set_text(a, um, "fields_init", psl_arena_printf(a, "(const uint16_t[]){ %s }", emit_str(&idx)));
    return true;
}

static void build_model(emitter *E, tmpl_value *mm, const model_info *mi)
{
    psl_arena *a = E->a;
    const psl_model *m = mi->m;
    tmpl_set_text(a, mm, "name", m->name);
    tmpl_set_text(a, mm, "doc", emit_doc_comment(a, m->doc));
    tmpl_set_text(a, mm, "prefix", m->c_prefix);
    for (size_t k = 0; k < N_TYPES; k++)
        tmpl_set_text(a, mm, type_names[k].key, mi->types[k]);
    for (size_t k = 0; k < N_FNS; k++)
        tmpl_set_text(a, mm, fn_names[k].key, mi->fns[k]);
    for (size_t k = 0; k < N_STATICS; k++)
        tmpl_set_text(a, mm, static_names[k].key, mi->statics[k]);
    tmpl_set_text(a, mm, "name_lit", emit_c_lit(a, m->name));
    tmpl_set_text(a, mm, "table_lit", emit_c_lit(a, m->db_name));
    tmpl_set_text(a, mm, "schema_lit", emit_c_lit(a, m->schema_name));
    tmpl_set_textf(a, mm, "index", "%zu", mi->index);
    tmpl_set_bool(a, mm, "is_view", m->is_view);
    tmpl_set_bool(a, mm, "writable", writable_model(m));
    tmpl_set_bool(a, mm, "creatable", creatable_model(m));

    tmpl_value *fields = tmpl_set_list(a, mm, "fields");
    tmpl_value *record = tmpl_set_list(a, mm, "record_fields");
    tmpl_value *rels = tmpl_set_list(a, mm, "relations");
    for (size_t k = 0; k < m->n_fields; k++) {
        const psl_field *f = m->fields[k];
        if (mi->table_index[k] >= 0) {
            tmpl_value *fm = tmpl_push_map(a, fields);
            set_scalar_field(E, fm, mi, f);
            tmpl_push(a, record, fm);
            continue;
        }
        rel_kind kind = relation_kind(E, f);
        if (kind != REL_NONE) {
            tmpl_value *rm = tmpl_push_map(a, rels);
            set_relation_field(E, rm, mi, f, kind);
            tmpl_push(a, record, rm);
        }
    }
    tmpl_set_textf(a, mm, "n_fields", "%zu", tmpl_list_len(fields));
    emit_aggregate_model(a, mm, m, mi->table_index);
    tmpl_set_textf(a, mm, "n_relations", "%zu", tmpl_list_len(rels));
    /* issue 13, include: _count of the to-many relations */
    bool has_to_many = false;
    for (size_t k = 0; k < m->n_fields; k++) {
        rel_kind rk = relation_kind(E, m->fields[k]);
        if (rk == REL_TO_MANY || rk == REL_MANY_TO_MANY)
            has_to_many = true;
    }
    tmpl_set_bool(a, mm, "has_to_many", has_to_many);
    size_t n_nested = 0;
    for (size_t k = 0; k < m->n_fields; k++)
        if (relation_kind(E, m->fields[k]) != REL_NONE && writable_model(m) && writable_model(m->fields[k]->type_model))
            n_nested++;
    tmpl_set_bool(a, mm, "has_inputs", tmpl_list_len(fields) + n_nested > 0);

    tmpl_value *uniques = tmpl_set_list(a, mm, "uniques");
    const char **wui = psl_arena_alloc(a, (m->n_indexes + 2) * sizeof *wui);
    size_t n_wui = 0;
    if (m->primary_key) {
        tmpl_value *um = tmpl_new_map(a);
        if (set_unique(E, um, mi, m->primary_key, true, wui, &n_wui))
            tmpl_push(a, uniques, um);
    }
    for (size_t k = 0; k < m->n_indexes; k++) {
        if (m->indexes[k]->kind != PSL_INDEX_UNIQUE || m->indexes[k]->where_sql)
            continue; /* a partial unique index identifies no row outside its predicate */
        tmpl_value *um = tmpl_new_map(a);
        if (set_unique(E, um, mi, m->indexes[k], false, wui, &n_wui))
            tmpl_push(a, uniques, um);
    }
    tmpl_set_textf(a, mm, "n_uniques", "%zu", tmpl_list_len(uniques));
    /* issue 13: writes. The where-unique's `filter`, named apart from its criteria. */
    tmpl_set_text(a, mm, "wui_filter", emit_unique_member(a, "filter", wui, n_wui));
    /* find_unique needs a unique criterion: only a view can lack one. */
    tmpl_set_bool(a, mm, "has_find_unique", tmpl_list_len(uniques) > 0);
}

static tmpl_value *build_root(emitter *E)
{
    psl_arena *a = E->a;
    const psl_schema *s = E->s;
    tmpl_value *root = tmpl_new_map(a);
    tmpl_set_text(a, root, "version", PRISMA_VERSION_STRING);
    tmpl_set_textf(a, root, "abi_version", "%d", PRISMA_ABI_VERSION);
    tmpl_set_text(a, root, "schema_file", emit_note_text(a, E->schema_file));
    const psl_datasource *ds = s->datasource;
    const psl_connector *conn = psl_schema_connector(s);
    tmpl_set_text(a, root, "provider", conn ? conn->runtime_provider : "PRISMA_SQLITE");
    tmpl_set_text(a, root, "url_lit", emit_c_lit(a, ds ? ds->url : NULL));
    tmpl_set_text(a, root, "url_env_lit", emit_c_lit(a, ds ? ds->url_env : NULL));
    tmpl_set_text(a, root, "relation_mode",
                  ds && ds->relation_mode_prisma ? "PRISMA_RELATION_MODE_PRISMA" : "PRISMA_RELATION_MODE_FOREIGN_KEYS");
    /* issue 13: `search` filters where the generator enables the connector's full-text search preview. */
    bool fts = false;
    for (size_t g = 0; conn && conn->fulltext_preview && g < s->n_generators; g++)
        for (size_t k = 0; k < s->generators[g]->n_preview_features; k++)
            fts = fts || strcmp(s->generators[g]->preview_features[k], conn->fulltext_preview) == 0;
    tmpl_set_bool(a, root, "full_text_search", fts);
    tmpl_set_text(a, root, "schema_desc", "prisma_gen_schema");
    tmpl_set_text(a, root, "models_arr", "prisma_gen_models");
    tmpl_set_textf(a, root, "n_models", "%zu", E->n_models);

    tmpl_value *enums = tmpl_set_list(a, root, "enums");
    for (size_t i = 0; i < s->n_enums; i++) {
        const enum_info *ei = &E->enums[i];
        tmpl_value *em = tmpl_push_map(a, enums);
        tmpl_set_text(a, em, "name", ei->e->name);
        tmpl_set_text(a, em, "type", ei->type);
        tmpl_set_text(a, em, "doc", emit_doc_comment(a, ei->e->doc));
        tmpl_set_text(a, em, "desc", ei->desc);
        tmpl_set_text(a, em, "name_lit", emit_c_lit(a, ei->e->name));
        tmpl_set_text(a, em, "db_name_lit", emit_c_lit(a, ei->e->db_name));
        tmpl_set_bool(a, em, "used", ei->used);
        tmpl_set_textf(a, em, "n_values", "%zu", ei->e->n_values);
        tmpl_value *values = tmpl_set_list(a, em, "values");
        for (size_t k = 0; k < ei->e->n_values; k++) {
            const psl_enum_value *v = &ei->e->values[k];
            tmpl_value *vm = tmpl_push_map(a, values);
            tmpl_set_text(a, vm, "name", v->name);
            tmpl_set_text(a, vm, "value", ei->values[k]);
            tmpl_set_textf(a, vm, "number", "%zu", k + 1);
            tmpl_set_text(a, vm, "doc", emit_doc_comment(a, v->doc));
            tmpl_set_text(a, vm, "db_name_lit", emit_c_lit(a, v->db_name));
        }
    }
    tmpl_value *models = tmpl_set_list(a, root, "models");
    for (size_t i = 0; i < E->n_models; i++)
        build_model(E, tmpl_push_map(a, models), &E->models[i]);
    return root;
}

/* ---- rendering ---- */

static int render_one(const char *name, const char *text, size_t len, const tmpl_value *root, char **out,
                      size_t *out_len, FILE *errs)
{
    tmpl_error err;
    tmpl *t = tmpl_parse(name, text, len, &err);
    if (!t) {
        fprintf(errs, "prismac generate: %s\n", err.message);
        return -1;
    }
    int rc = tmpl_render(t, root, out, out_len, &err);
    if (rc != 0)
        fprintf(errs, "prismac generate: %s\n", err.message);
    tmpl_free(t);
    return rc;
}

int prismac_generate(const psl_schema *s, const char *schema_file, const char *templates_dir,
                     prismac_generated *out, FILE *errs)
{
    memset(out, 0, sizeof *out);
    psl_arena arena;
    psl_arena_init(&arena);
    emitter E = { .a = &arena, .s = s, .errs = errs, .schema_file = schema_file, .names = { .a = &arena } };
    char *user_h = NULL, *user_c = NULL;
    int rc = -1;
    if (plan(&E) != 0)
        goto done;
    tmpl_value *root = build_root(&E);
    const char *h_text = prismac_template_client_h, *c_text = prismac_template_client_c;
    size_t h_len = prismac_template_client_h_len, c_len = prismac_template_client_c_len;
    const char *h_name = "client.h.tmpl", *c_name = "client.c.tmpl";
    if (templates_dir) {
        h_name = psl_arena_printf(&arena, "%s/client.h.tmpl", templates_dir);
        c_name = psl_arena_printf(&arena, "%s/client.c.tmpl", templates_dir);
        if (prismac_read_file(h_name, &user_h, &h_len) != 0) {
            fprintf(errs, "prismac generate: cannot read %s: %s\n", h_name, strerror(errno));
            goto done;
        }
        if (prismac_read_file(c_name, &user_c, &c_len) != 0) {
            fprintf(errs, "prismac generate: cannot read %s: %s\n", c_name, strerror(errno));
            goto done;
        }
        h_text = user_h;
        c_text = user_c;
    }
    if (render_one(h_name, h_text, h_len, root, &out->header, &out->header_len, errs) != 0 ||
        render_one(c_name, c_text, c_len, root, &out->source, &out->source_len, errs) != 0)
        goto done;
    rc = 0;
done:
    if (rc != 0)
        prismac_generated_free(out);
    free(user_h);
    free(user_c);
    psl_arena_release(&arena);
    return rc;
}

void prismac_generated_free(prismac_generated *g)
{
    if (!g)
        return;
    free(g->header);
    free(g->source);
    memset(g, 0, sizeof *g);
}

