/* Internals of the semantic layer (model/), shared by its phases: schema.c,
 * attrs.c, defaults.c, relations.c, validate.c, names.c and the providers. */
#ifndef PRISMAC_SCHEMA_INT_H
#define PRISMAC_SCHEMA_INT_H

#include "schema.h"

#include <string.h>

/* The checking context. */
typedef struct psl_ctx {
    psl_schema *s;
    psl_arena *a;
    psl_diags *d;
    bool has_preview_views;
    bool has_preview_extensions;
    bool has_preview_fts_pg;
    bool has_preview_partial_indexes;
    bool has_preview_shard_keys;
    bool multi_schema; /* datasource declares schemas = [...] */
} psl_ctx;

static inline bool streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* ---- attribute arguments and expressions (args.c) ---- */

/* A view over an attribute's arguments that tracks which were consumed, so
 * unknown ones can be reported. */
typedef struct psl_argv {
    psl_ctx *C;
    const psl_attribute *attr;
    bool used[64];
    bool failed;
} psl_argv;

void psl_argv_init(psl_argv *v, psl_ctx *C, const psl_attribute *attr);
/* The argument named `name`, or the first positional one when `positional`
 * and none is named so. Reports duplicates. NULL when absent. */
const psl_arg *psl_argv_get(psl_argv *v, const char *name, bool positional);
/* Reports "Argument \"x\" is missing." when absent. */
const psl_arg *psl_argv_require(psl_argv *v, const char *name, bool positional);
/* Reports every argument not consumed. */
void psl_argv_finish(psl_argv *v);
/* Reports an error on the attribute: `Error parsing attribute "@x": MSG`. */
void psl_attr_error(psl_ctx *C, const psl_attribute *attr, psl_span span, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Expression coercions, reporting Prisma's "Expected a ..." errors. */
const char *psl_expect_string(psl_ctx *C, const psl_expr *e);
const char *psl_expect_constant(psl_ctx *C, const psl_expr *e);
bool psl_expect_bool(psl_ctx *C, const psl_expr *e, bool *out);
bool psl_expect_int(psl_ctx *C, const psl_expr *e, long long *out);
/* A quoted rendering of an expression for messages: string value `"x"`. */
const char *psl_expr_describe(psl_ctx *C, const psl_expr *e);
const char *psl_expr_kind_name(const psl_expr *e);
/* A partial index's `where:` argument (NULL: none) checked as Prisma does; its SQL predicate, or NULL. */
const char *psl_check_index_where(psl_ctx *C, const psl_model *m, const psl_attribute *a, const psl_arg *where);
/* A decimal integer literal (no fraction): false when `text` is not one. */
bool psl_parse_int(const char *text, long long *out);
/* The string argument `name`, or NULL when absent; an empty string is
 * reported and gives NULL. */
const char *psl_optional_string_arg(psl_ctx *C, psl_argv *av, const char *name);

/* ---- phases ---- */
void psl_check_field_attributes(psl_ctx *C, psl_model *m, psl_field *f);
void psl_check_block_attributes(psl_ctx *C, psl_model *m);
void psl_check_enum_attributes(psl_ctx *C, psl_enum *e);
void psl_resolve_relations(psl_ctx *C);
void psl_check_defaults(psl_ctx *C, psl_model *m, psl_field *f);
void psl_check_native_type(psl_ctx *C, psl_model *m, psl_field *f);
void psl_validate(psl_ctx *C);
void psl_validate_relations(psl_ctx *C);
void psl_assign_c_names(psl_ctx *C);
void psl_assign_constraint_names(psl_ctx *C);

/* ---- lookups (model.c) ---- */
psl_scalar psl_scalar_by_name(const char *name); /* PSL_SCALAR_NONE when unknown */
psl_model *psl_schema_composite(const psl_schema *s, const char *name);

/* ---- names (names.c) ---- */
bool psl_is_c_reserved(const char *name);
/* A C identifier for a schema name: kept when valid and not reserved. */
const char *psl_c_identifier(psl_arena *a, const char *name);
/* snake_case of a model name: UserProfile -> user_profile. */
const char *psl_snake_case(psl_arena *a, const char *name);
const char *psl_upper_snake(psl_arena *a, const char *name);

/* @shardKey and @@shardKey of a model (shard_key.c); after its block
 * attributes, which tell whether it is ignored. */
void psl_check_shard_keys(psl_ctx *C, psl_model *m);

#endif
