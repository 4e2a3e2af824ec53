/* The checked schema model: what a schema means, after names are resolved and
 * every rule is checked. It is the single source of truth the emitters read.
 *
 * Everything is allocated from the schema's arena and freed by
 * psl_schema_free(). Pointers between parts (a field's enum, a relation's
 * models) point into the same schema. */
#ifndef PRISMAC_SCHEMA_H
#define PRISMAC_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"

/* Which provider a datasource names. The compiler reads the provider's rules
 * from its psl_connector (provider.h); db push still switches on this id. */
typedef enum psl_provider {
    PSL_PROVIDER_NONE, /* no datasource */
    PSL_PROVIDER_SQLITE,
    PSL_PROVIDER_POSTGRESQL,
    PSL_PROVIDER_COCKROACHDB,
    PSL_PROVIDER_MYSQL /* issue 16: MySQL and MariaDB */
} psl_provider;

typedef enum psl_scalar {
    PSL_SCALAR_NONE,
    PSL_STRING,
    PSL_INT,
    PSL_BIGINT,
    PSL_FLOAT,
    PSL_DECIMAL,
    PSL_BOOLEAN,
    PSL_DATETIME,
    PSL_JSON,
    PSL_BYTES
} psl_scalar;

typedef enum psl_arity { PSL_REQUIRED, PSL_OPTIONAL, PSL_LIST } psl_arity;

typedef enum psl_field_kind {
    PSL_FIELD_SCALAR,
    PSL_FIELD_ENUM,
    PSL_FIELD_RELATION,
    PSL_FIELD_COMPOSITE,
    PSL_FIELD_UNSUPPORTED
} psl_field_kind;

typedef enum psl_default_kind {
    PSL_DEFAULT_NONE,
    PSL_DEFAULT_AUTOINCREMENT,
    PSL_DEFAULT_NOW,
    PSL_DEFAULT_UUID,   /* version in `version`: 4 or 7 */
    PSL_DEFAULT_CUID,   /* version 1 or 2 */
    PSL_DEFAULT_NANOID, /* length in `version` (0: 21) */
    PSL_DEFAULT_ULID,
    PSL_DEFAULT_DBGENERATED, /* SQL text in `text`, may be NULL */
    PSL_DEFAULT_SEQUENCE,    /* CockroachDB sequence() */
    PSL_DEFAULT_LITERAL,     /* `text`: the value, normalized (see below) */
    PSL_DEFAULT_ENUM,        /* `enum_value` */
    PSL_DEFAULT_LIST         /* a list literal: `items` */
} psl_default_kind;

typedef struct psl_enum_value psl_enum_value;
typedef struct psl_default psl_default;

/* A literal default's `text`: String and Json as the decoded text; numbers as
 * written; Boolean "true"/"false"; DateTime as written (RFC 3339); Bytes as
 * the base64 text. */
struct psl_default {
    psl_default_kind kind;
    int version;
    const char *text;
    size_t text_len;
    const psl_enum_value *enum_value;
    psl_default *items;
    size_t n_items;
    const char *map; /* @default(..., map: "name"), or NULL */
};

typedef struct psl_native_type {
    const char *name; /* e.g. "VarChar", NULL when none */
    const char *args[4];
    size_t n_args;
} psl_native_type;

typedef enum psl_ref_action {
    PSL_ACTION_NONE, /* not given */
    PSL_ACTION_CASCADE,
    PSL_ACTION_RESTRICT,
    PSL_ACTION_NO_ACTION,
    PSL_ACTION_SET_NULL,
    PSL_ACTION_SET_DEFAULT
} psl_ref_action;

typedef struct psl_model psl_model;
typedef struct psl_field psl_field;
typedef struct psl_enum psl_enum;
typedef struct psl_relation psl_relation;

struct psl_field {
    const char *name;    /* as written in the schema */
    const char *db_name; /* the column, after @map */
    const char *c_name;  /* a valid, non-reserved C identifier */
    const char *c_const; /* MODEL_FIELD_NAME: its constant in the model's ScalarField enum */
    const char *doc;
    psl_field_kind kind;
    psl_arity arity;
    psl_scalar scalar;          /* SCALAR */
    const psl_enum *enum_type;  /* ENUM */
    psl_model *type_model;      /* RELATION or COMPOSITE: the model or composite type */
    const char *type_name;      /* as written */
    const char *unsupported;    /* UNSUPPORTED: the database type text */
    psl_native_type native;
    psl_default def;
    bool is_id;      /* single-field @id */
    bool is_unique;  /* single-field @unique */
    bool is_updated_at;
    bool is_ignored;
    bool is_autoincrement; /* @default(autoincrement()) */
    psl_relation *relation; /* RELATION */
    size_t index;           /* position in its model */
    const psl_line *ast;
    psl_model *model;
};

typedef enum psl_sort { PSL_SORT_NONE, PSL_SORT_ASC, PSL_SORT_DESC } psl_sort;

/* A field of an index, unique or primary key. */
typedef struct psl_index_field {
    psl_field *field;
    psl_sort sort;
    int length;       /* 0: none */
    const char *ops;  /* PostgreSQL operator class, or NULL */
} psl_index_field;

typedef enum psl_index_kind { PSL_INDEX_PRIMARY, PSL_INDEX_UNIQUE, PSL_INDEX_NORMAL, PSL_INDEX_FULLTEXT } psl_index_kind;

typedef struct psl_index {
    psl_index_kind kind;
    psl_index_field *fields;
    size_t n_fields;
    const char *name;    /* the client name (@@unique(name:)), or NULL */
    const char *db_name; /* the constraint/index name: map: or Prisma's default */
    const char *c_name;  /* for compound where-unique inputs: a_b, or the name */
    const char *algorithm; /* @@index(type: ...), or NULL */
    const char *where_sql; /* a partial index's predicate (`where:`), as SQL; NULL for a full index */
    bool from_field;       /* declared with @id / @unique on a field */
    psl_span span;
} psl_index;

typedef enum psl_relation_kind { PSL_REL_ONE_TO_ONE, PSL_REL_ONE_TO_MANY, PSL_REL_MANY_TO_MANY } psl_relation_kind;

/* A relation between two models. For 1-1 and 1-n, `from` holds the foreign
 * key (`fields:`) and `to` is the referenced side. For 1-n, `to_field` is the
 * list field. For m-n both fields are lists and `join_table` names the
 * implicit table (_AToB). `to_field` may be NULL for a relation whose back
 * field is missing (an error, except for ignored models). */
struct psl_relation {
    const char *name; /* @relation("name") or Prisma's default name */
    psl_relation_kind kind;
    psl_model *from_model, *to_model;
    psl_field *from_field, *to_field;
    psl_field **fields; /* in from_model */
    psl_field **references; /* in to_model */
    size_t n_fields;
    psl_ref_action on_delete, on_update; /* as written; PSL_ACTION_NONE when not given */
    psl_span on_delete_span, on_update_span; /* of the onDelete: / onUpdate: arguments, when given */
    psl_ref_action effective_on_delete, effective_on_update; /* with Prisma's defaults */
    const char *fk_name; /* foreign key constraint name (map: or Prisma's default) */
    const char *join_table;  /* m-n: "_AToB" */
    bool self;
};

struct psl_model {
    const char *name;
    const char *db_name; /* after @@map */
    const char *c_name;  /* the struct name */
    const char *c_prefix; /* snake_case prefix of its functions: user_create */
    const char *doc;
    const char *schema_name; /* @@schema, or NULL */
    bool is_view;
    bool is_composite;
    bool is_ignored;
    psl_field **fields;
    size_t n_fields;
    psl_index *primary_key; /* NULL when none */
    psl_index **indexes;    /* uniques, indexes and fulltext, in order; the primary key is not here */
    size_t n_indexes;
    psl_field **shard_key; /* @shardKey / @@shardKey (MySQL, preview shardKeys), or NULL */
    size_t n_shard_key;
    const psl_top *ast;
    size_t index;
    psl_map field_index; /* name -> psl_field*, for lookups */
};

struct psl_enum_value {
    const char *name;
    const char *db_name;
    const char *c_name; /* MODEL_VALUE style constant: ROLE_ADMIN */
    const char *doc;
};

struct psl_enum {
    const char *name;
    const char *db_name;
    const char *c_name;
    const char *c_prefix;
    const char *doc;
    const char *schema_name;
    psl_enum_value *values;
    size_t n_values;
    const psl_top *ast;
};

typedef struct psl_config_entry {
    const char *key;
    const psl_expr *value;
} psl_config_entry;

typedef struct psl_datasource {
    const char *name;
    const char *provider_text; /* as written */
    psl_provider provider;
    const struct psl_connector *connector; /* provider.h; NULL when unknown */
    const char *url;     /* literal url, or NULL */
    const char *url_env; /* env("X"): X, or NULL */
    const char *shadow_url, *shadow_url_env; /* shadowDatabaseUrl: a literal, or env("X"): X; else NULL */
    bool relation_mode_prisma; /* relationMode = "prisma" */
    const char **schemas; /* schemas = [...] */
    size_t n_schemas;
    const psl_top *ast;
} psl_datasource;

typedef struct psl_generator {
    const char *name;
    const char *provider; /* literal or NULL */
    const char *provider_env;
    const char *output;   /* literal or NULL */
    const char **preview_features;
    size_t n_preview_features;
    psl_config_entry *config; /* every key = value, in order */
    size_t n_config;
    const psl_top *ast;
} psl_generator;

typedef struct psl_schema {
    psl_arena arena;
    psl_diags diags;
    /* The schema's files, in the order read (a folder's: sorted by path);
     * spans name them by index (psl_span.file). */
    psl_source *files;
    size_t n_files;
    psl_ast *ast;       /* every file's top-level items, file after file; NULL when a file did not parse */
    psl_ast *file_asts; /* n_files views into `ast`: each file's own items (format rewrites each file) */
    psl_datasource *datasource; /* NULL when there is none */
    psl_generator **generators;
    size_t n_generators;
    psl_model **models; /* models and views */
    size_t n_models;
    psl_model **composites;
    size_t n_composites;
    psl_enum **enums;
    size_t n_enums;
    psl_relation **relations;
    size_t n_relations;
    psl_map type_index; /* name -> psl_model* / psl_enum*: models, views, composites, enums */
} psl_schema;

/* Parses and checks a schema. Always returns a schema (NULL only when out of
 * memory); its diags say whether it is valid: `diags.errors == 0`. The text is
 * copied. Free with psl_schema_free. */
psl_schema *psl_schema_load(const char *filename, const char *text, size_t len);
/* The same for a schema of several files (a folder: Prisma's multi-file
 * schema), checked as one: the names of every file are visible in every
 * other, and there is one datasource in all. files[i].file is ignored: the
 * files are numbered in the order given. */
psl_schema *psl_schema_load_files(const psl_source *files, size_t n_files);
void psl_schema_free(psl_schema *s); /* accepts NULL */

/* Lookups by schema name; NULL when absent. */
psl_model *psl_schema_model(const psl_schema *s, const char *name);
psl_enum *psl_schema_enum(const psl_schema *s, const char *name);
psl_field *psl_model_field(const psl_model *m, const char *name);

const char *psl_scalar_name(psl_scalar t);
/* The name of a provider id ("postgresql"), or "none" (provider.c). */
const char *psl_provider_name(psl_provider p);

#endif
