/* SQL DDL for a checked schema, rendered as Prisma's migration engine does
 * (schema-engine's sql_schema_calculator + sql_renderer): the database schema
 * a Prisma schema describes (tables, columns, keys, indexes, foreign keys,
 * enums, namespaces), and the statements that create it.
 *
 * `prismac db push` builds on the same pieces: it compares a psl_ddl with
 * what the database holds and renders only the missing parts.
 *
 * Provider-neutral: what differs per database (column types, literals,
 * where keys and foreign keys are written) comes from the dialect
 * (dialect.h: its caps and column_type). */
#ifndef PRISMAC_DDL_H
#define PRISMAC_DDL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "schema.h"

/* ---- a growable SQL text buffer ---- */

/* NUL-terminated once anything was appended. A failed allocation sets
 * `failed` and turns later appends into no-ops, so a caller checks once at
 * the end instead of after every append. */
typedef struct psl_sql {
    char *data;
    size_t len, cap;
    bool failed;
    char quote; /* how psl_sql_ident quotes: 0 for ", or the dialect's ident_quote (MySQL: `) */
} psl_sql;

void psl_sql_putn(psl_sql *b, const char *s, size_t n);
void psl_sql_puts(psl_sql *b, const char *s);
void psl_sql_printf(psl_sql *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* "name" (or `name` when b->quote is '`'), with embedded quotes doubled. */
void psl_sql_ident(psl_sql *b, const char *name);
/* "schema"."name", or "name" when schema is NULL. */
void psl_sql_qualified(psl_sql *b, const char *schema, const char *name);
/* 'text', with embedded single quotes doubled. */
void psl_sql_string(psl_sql *b, const char *s, size_t n);
/* Empties the buffer, keeping its memory (and its quote). */
void psl_sql_clear(psl_sql *b);
void psl_sql_free(psl_sql *b);
/* The text so far ("" when empty); valid until the next append. */
const char *psl_sql_text(const psl_sql *b);

/* ---- the database schema ---- */

typedef struct psl_ddl_column {
    const char *name;
    const char *type;      /* as rendered in CREATE TABLE: INTEGER, SERIAL, VARCHAR(30), "Role"[] */
    const char *base_type; /* the stored type: as `type`, but INTEGER for SERIAL, ... */
    const char *default_sql; /* the DEFAULT expression, NULL when none */
    bool not_null;           /* required (lists are never NOT NULL, as in Prisma) */
    bool is_list;
    bool autoincrement;      /* SERIAL / BIGSERIAL / unique_rowid() / SQLite AUTOINCREMENT */
    bool db_generated;       /* the default is dbgenerated(...) */
    bool primary_key_inline; /* SQLite: `PRIMARY KEY` written on the column */
    const psl_field *field;  /* NULL for a join table's A and B */
    const psl_enum *enum_type;
} psl_ddl_column;

typedef struct psl_ddl_index {
    const char *name;
    bool unique;
    size_t *cols;      /* column positions in the table */
    const char **sort; /* per column: "ASC", "DESC" or NULL (not written) */
    const char **ops;  /* per column: PostgreSQL operator class or NULL */
    size_t n_cols;
    const char *using; /* HASH, GIST, GIN, SPGIST, BRIN; NULL for the default B-tree */
    int *lengths;      /* per column: MySQL prefix length (`a(length: 10)`), 0 when none */
    bool fulltext;     /* @@fulltext (MySQL FULLTEXT INDEX) */
    const char *where; /* a partial index's predicate (SQL), or NULL */
} psl_ddl_index;

typedef struct psl_ddl_table {
    const char *name;
    const char *schema; /* PostgreSQL namespace, NULL for the default one */
    psl_ddl_column *cols;
    size_t n_cols;
    const char *pk_name; /* NULL when the table has no primary key */
    size_t *pk_cols;
    size_t n_pk;
    psl_ddl_index *indexes; /* in Prisma's order; not the primary key */
    size_t n_indexes;
    const psl_model *model; /* NULL for an implicit many-to-many join table */
    const psl_relation *join_relation; /* the m-n relation of a join table */
} psl_ddl_table;

typedef struct psl_ddl_fk {
    const char *name;
    size_t table, ref_table; /* positions in psl_ddl.tables */
    size_t *cols, *ref_cols; /* column positions */
    size_t n_cols;
    const char *on_delete, *on_update; /* CASCADE, RESTRICT, NO ACTION, SET NULL, SET DEFAULT */
} psl_ddl_fk;

typedef struct psl_ddl_enum {
    const char *name;
    const char *schema;
    const char **values; /* database names, in order */
    size_t n_values;
    const psl_enum *src;
} psl_ddl_enum;

/* A PostgreSQL extension of the datasource's `extensions = [...]`
 * (preview feature postgresqlExtensions): db push creates the missing ones. */
typedef struct psl_ddl_extension {
    const char *name;    /* the database's name: map:, else the schema's */
    const char *schema;  /* schema:, or NULL */
    const char *version; /* version:, or NULL */
} psl_ddl_extension;

typedef struct migrate_dialect migrate_dialect; /* dialect.h */

typedef struct psl_ddl {
    psl_arena arena;
    psl_provider provider;
    const migrate_dialect *dialect; /* how this database spells its DDL */
    const char **schemas; /* namespaces to create (PostgreSQL multi-schema), sorted */
    size_t n_schemas;
    psl_ddl_extension *extensions; /* PostgreSQL only */
    size_t n_extensions;
    psl_ddl_enum *enums;  /* PostgreSQL/CockroachDB only */
    size_t n_enums;
    psl_ddl_table *tables; /* models in order, then join tables */
    size_t n_tables;
    psl_ddl_fk *fks; /* in Prisma's order; none with relationMode = "prisma" */
    size_t n_fks;
    bool multi_schema; /* the datasource lists `schemas`: names are written with their namespace */
} psl_ddl;

/* Computes the database schema of `s` for provider `p` (SQLite, PostgreSQL
 * or CockroachDB). The schema must be valid (no errors). Returns 0 and a
 * psl_ddl to free with psl_ddl_free, or -1 for PSL_PROVIDER_NONE. */
int psl_ddl_build(const psl_schema *s, psl_provider p, psl_ddl **out);
void psl_ddl_free(psl_ddl *d); /* accepts NULL */

/* The database schema of an empty Prisma schema of provider `p` (migrate
 * diff --to-empty). Returns 0 and a psl_ddl to free with psl_ddl_free, or -1
 * for a provider without dialect or out of memory. */
int psl_ddl_empty(psl_provider p, psl_ddl **out);

/* The table position of a model, or (size_t)-1 (views have none). */
size_t psl_ddl_table_of(const psl_ddl *d, const psl_model *m);

/* ---- statements: each appends one statement, without the final ';' ---- */
/* They return 0, or -1 when the buffer has failed (out of memory). */

int psl_ddl_create_schema(const psl_ddl *d, const char *schema, psl_sql *out);
int psl_ddl_create_extension(const psl_ddl *d, const psl_ddl_extension *e, psl_sql *out);
int psl_ddl_create_enum(const psl_ddl *d, const psl_ddl_enum *e, psl_sql *out);
int psl_ddl_create_table(const psl_ddl *d, const psl_ddl_table *t, psl_sql *out);
/* SQLite redefinitions create the table under another name first. */
int psl_ddl_create_table_as(const psl_ddl *d, const psl_ddl_table *t, const char *name, psl_sql *out);
int psl_ddl_create_index(const psl_ddl *d, const psl_ddl_table *t, const psl_ddl_index *ix, psl_sql *out);
int psl_ddl_add_foreign_key(const psl_ddl *d, const psl_ddl_fk *fk, psl_sql *out);
/* ALTER TABLE ... ADD COLUMN <definition> */
int psl_ddl_add_column(const psl_ddl *d, const psl_ddl_table *t, const psl_ddl_column *c, psl_sql *out);
/* The column definition alone, as in CREATE TABLE (without indentation). */
int psl_ddl_column_def(const psl_ddl *d, const psl_ddl_column *c, psl_sql *out);
/* "schema"."table" or "table" */
int psl_ddl_table_ref(const psl_ddl *d, const psl_ddl_table *t, psl_sql *out);

/* The whole migration script for an empty database, exactly as Prisma's
 * `migrate diff --from-empty --to-schema-datamodel --script` prints it:
 * "-- CreateSchema", "-- CreateEnum", "-- CreateTable", "-- CreateIndex",
 * "-- AddForeignKey" steps separated by blank lines. Returns a malloc'd
 * NUL-terminated string (length in *len when len is not NULL), or NULL when
 * out of memory or the provider is PSL_PROVIDER_NONE. */
char *psl_ddl_create(const psl_schema *s, psl_provider p, size_t *len);

#endif
