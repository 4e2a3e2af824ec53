/* `prismac migrate diff` as a library: the difference between two states
 * of a database schema, as Prisma's human-readable summary or as the
 * migration script that turns one into the other.
 *
 * A side is one of: empty, a Prisma schema (file or folder), a database
 * url, the --schema's datasource, a migrations folder. Each kind is loaded
 * by one function of migrate_diff.c (load_from_* for the starting state, a
 * db_state; load_to_* for the target, a psl_ddl). */
#ifndef PRISMAC_MIGRATE_DIFF_H
#define PRISMAC_MIGRATE_DIFF_H

#include <stdbool.h>

typedef enum prismac_diff_kind {
    PRISMAC_DIFF_NONE,
    PRISMAC_DIFF_EMPTY,             /* --from-empty / --to-empty */
    PRISMAC_DIFF_SCHEMA,            /* --from-schema PATH / --to-schema PATH */
    PRISMAC_DIFF_MIGRATIONS,        /* --from-migrations DIR / --to-migrations DIR */
    PRISMAC_DIFF_URL,               /* --from-url URL / --to-url URL */
    PRISMAC_DIFF_CONFIG_DATASOURCE, /* --from-config-datasource: the datasource of `schema_path` */
} prismac_diff_kind;

typedef struct prismac_diff_side {
    prismac_diff_kind kind;
    const char *value; /* the path or url; NULL for empty and config-datasource */
} prismac_diff_side;

typedef struct prismac_diff_options {
    prismac_diff_side from, to;
    const char *schema_path; /* --schema: the datasource of --*-config-datasource (NULL: the default) */
    const char *shadow_url;  /* --shadow-database-url (the migrations sides) */
    bool script;             /* print the migration script, else the summary */
    bool exit_code;          /* exit 2 when there is a difference */
    const char *output;      /* write to this file instead of stdout, or NULL */
} prismac_diff_options;

/* Prints the difference; errors on stderr. Returns the exit status, as
 * Prisma's: 0 (with exit_code: no difference), 2 (with exit_code: a
 * difference), 1 failed. */
int prismac_migrate_diff(const prismac_diff_options *o);

#endif
