/* The per-database half of db pull: how a column's type and default read as
 * Prisma types, native types and default values. One const pull_dialect per
 * database file (pull_sqlite.c, pull_postgres.c); pull.c asks only these. */
#ifndef PRISMAC_PULL_INT_H
#define PRISMAC_PULL_INT_H

#include <stdbool.h>

#include "arena.h"
#include "dbstate.h"
#include "schema.h"

/* A column's type as Prisma reads it. */
typedef struct pull_type {
    psl_scalar scalar;        /* PSL_SCALAR_NONE for an enum or an unsupported type */
    const db_enum *enum_type; /* a native enum (MIG_CAP_NATIVE_ENUMS) */
    const char *unsupported;  /* the database's type text, for Unsupported("...") */
    const char *native;       /* "VarChar(30)": a native type that is not the scalar's default; or NULL */
} pull_type;

typedef enum pull_default_kind {
    PULL_DEF_NONE,
    PULL_DEF_EXPR,    /* text: a PSL value as is: autoincrement(), now(), 42, true, [] */
    PULL_DEF_STRING,  /* text: a string value, quoted by pull.c */
    PULL_DEF_ENUM,    /* text: the database's enum value, named by pull.c */
    PULL_DEF_DBGEN,   /* text: an SQL expression for dbgenerated("...") */
} pull_default_kind;

typedef struct pull_default {
    pull_default_kind kind;
    const char *text;
} pull_default;

typedef struct pull_dialect {
    psl_provider provider;
    bool named_pks; /* the database names primary keys (else @id has no map:) */
    bool named_fks; /* and foreign keys */
    size_t max_ident; /* identifier limit for Prisma's default constraint names */
    void (*column_type)(psl_arena *a, const db_state *st, const db_col *c, pull_type *out);
    /* Whether the column is an autoincrementing key (SQLite's INTEGER PRIMARY
     * KEY, PostgreSQL's sequences and identities). */
    bool (*is_autoincrement)(const db_table *t, const db_col *c, const pull_type *ty);
    /* The column's default as a Prisma value. */
    pull_default (*default_value)(psl_arena *a, const db_col *c, const pull_type *ty);
    /* @@index(type: X) of a non-default index method, NULL for the default. */
    const char *(*index_type)(const char *method);
    /* An index column's non-default operator class as Prisma writes it
     * (JsonbPathOps, raw("...")), NULL when default or unknown. */
    const char *(*index_ops)(psl_arena *a, const char *opclass);
    /* ---- issue 16 ---- */
    /* Enums that live on columns (MySQL's enum(...)): adds them to st->enums
     * and sets their columns' enum_name, before the schema is built; NULL
     * where describe reads enums of their own. In `a`. */
    void (*collect_enums)(psl_arena *a, db_state *st);
} pull_dialect;

extern const pull_dialect pull_sqlite;
extern const pull_dialect pull_postgres;
extern const pull_dialect pull_mysql;

/* The pull dialect of a provider, or NULL. */
const pull_dialect *pull_dialect_for(psl_provider p);

#endif
