/* `prismac db pull` as a library: a database's state (a dialect's describe,
 * dbstate.h) read back into a Prisma schema, as Prisma's introspection
 * writes it (prisma-engines' sql-schema-connector/src/introspection):
 * models and fields with their Prisma and non-default native types, ids,
 * uniques and indexes, relations named as Prisma names them, referential
 * actions, defaults, enums, @map/@@map for names Prisma cannot take,
 * implicit many-to-many tables, views (with the `views` preview feature),
 * Unsupported types and @@ignore'd tables without a unique identifier.
 *
 * Re-introspection: given the existing schema, the names and attributes the
 * user gave (model, field, enum and relation names matched through
 * @map/@@map, @relation names, @updatedAt, @ignore/@@ignore, client-side
 * defaults uuid()/cuid()/nanoid(), documentation comments) are kept, and the
 * models keep their order. */
#ifndef PRISMAC_PULL_H
#define PRISMAC_PULL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "dbstate.h"
#include "dialect.h"
#include "schema.h"

/* A view's definition, for the views folder (views/<namespace>/<name>.sql). */
typedef struct pull_view_definition {
    char *namespace_; /* the view's schema; "main" on SQLite (Prisma's search path there) */
    char *name;       /* the view's name in the schema */
    char *sql;        /* its SELECT */
} pull_view_definition;

/* What the introspection found, for the command's messages. */
typedef struct pull_result {
    char *schema;      /* the schema text, formatted (malloc'd; the caller frees) */
    size_t n_models;   /* models and views written */
    char *warnings;    /* Prisma's "*** WARNING ***" text, "" when none (malloc'd) */
    pull_view_definition *views; /* with the views preview feature: each view's definition */
    size_t n_views;
} pull_result;

/* Renders the database state `st`, read by dialect D, as a schema.
 * `previous` (may be NULL) is the existing, valid schema: its datasource and
 * generator blocks are kept and re-introspection keeps what the user changed
 * (above); without it the blocks are Prisma's defaults for prismac:
 * `generator client { provider = "prismac" }` and `datasource db {
 * provider = "<D's provider>" }`. Views are read when the generator enables
 * the `views` preview feature. `force` keeps only the existing datasource
 * and generator blocks (db pull --force). The text has been through the
 * formatter.
 * Returns 0 and fills *out (release with pull_result_free), or -1 when out of
 * memory or D has no introspection. */
int prismac_pull_render(const migrate_dialect *D, const db_state *st, const psl_schema *previous, bool force,
                        pull_result *out);

/* The same, the schema text alone (malloc'd, NULL on failure): what
 * `migrate diff --from-url/--to-url` needs (database -> schema -> DDL). */
char *prismac_pull_schema_text(const migrate_dialect *D, const db_state *st, const psl_schema *previous);

void pull_result_free(pull_result *r); /* accepts NULL and a zeroed result */

/* `prismac db pull`. */
typedef struct prismac_pull_options {
    const char *schema_path; /* a file; NULL: ./schema.prisma, else ./prisma/schema.prisma */
    const char *url;         /* NULL: the datasource's (as db push resolves it) */
    bool force;              /* ignore the existing models (keep the datasource and generators) */
    bool print;              /* write the schema to stdout, not into the file */
    const char *schemas;     /* comma-separated namespaces to read (PostgreSQL), or NULL */
} prismac_pull_options;

/* Introspects and writes; reports as Prisma's db pull does. Returns the exit
 * status: 0 done, 1 failed (P4001 for an empty database), 2 no schema. */
int prismac_db_pull(const prismac_pull_options *o);

#endif
