/* What a database holds, as db push reads it (a dialect's describe): the
 * tables with their columns, keys, indexes and foreign keys, the enums, the
 * namespaces and the views. Everything lives in the push's arena. */
#ifndef PRISMAC_MIGRATE_DBSTATE_H
#define PRISMAC_MIGRATE_DBSTATE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef struct db_col {
    const char *name, *type, *dflt;
    const char *enum_schema, *enum_name; /* native enum (or enum array) columns */
    bool not_null, is_list, identity, matched;
} db_col;

typedef struct db_index {
    const char *name, *method;
    bool unique;
    bool constraint; /* backs a UNIQUE constraint (PostgreSQL) or a UNIQUE clause (SQLite) */
    bool special;    /* on an expression: never one of ours */
    const char *predicate; /* a partial index's WHERE: as written (SQLite), as PostgreSQL prints it; or NULL */
    bool matched;
    size_t n;
    const char **cols, **ops;
    bool *desc, *ops_default;
    int *lengths;  /* MySQL: per column, the prefix length (0: whole column); NULL when none has one */
    bool fulltext; /* MySQL: a FULLTEXT index */
} db_index;

typedef struct db_fk {
    const char *name, *ref_schema, *ref_table, *on_delete, *on_update;
    size_t n;
    const char **cols, **ref_cols;
    bool matched;
} db_fk;

typedef struct db_table {
    const char *schema, *name, *oid;
    psl_vec cols, indexes, fks; /* db_col*, db_index*, db_fk* */
    const char *pk_name;
    psl_vec pk_cols; /* const char* */
    long long rows;  /* -1 until counted */
    bool matched;
} db_table;

typedef struct db_enum {
    const char *schema, *name;
    psl_vec values;
    bool matched;
} db_enum;

/* ---- issue 14: pull ---- */
/* A view as db pull reads it: its columns (a db_table without keys) and its
 * definition (the SELECT). */
typedef struct db_view {
    db_table *t;
    const char *definition; /* NULL when unknown */
} db_view;

typedef struct db_state {
    psl_vec tables;  /* db_table* */
    psl_vec enums;   /* db_enum* */
    psl_vec schemas; /* existing namespaces among the managed ones */
    psl_vec extensions; /* installed extensions' names (PostgreSQL) */
    psl_vec views;   /* "kind\tschema\tname": v, m (for --force-reset) */
    psl_vec view_defs; /* db_view*: the plain views' columns and definitions (db pull) */
} db_state;

/* A table with nothing read yet, in the arena. */
static inline db_table *dbstate_new_table(psl_arena *a, const char *schema, const char *name)
{
    db_table *t = psl_arena_alloc(a, sizeof *t);
    t->schema = schema;
    t->name = name;
    t->rows = -1;
    return t;
}

#endif
