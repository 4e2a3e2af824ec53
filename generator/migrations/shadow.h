/* The shadow database of migrate dev and migrate diff --from-migrations: a
 * scratch database the migrations folder is replayed on, to learn what the
 * migrations produce (Prisma's shadow database).
 *
 * - PostgreSQL: a temporary database "prisma_migrate_shadow_db_<uuid>"
 *   created on the main database's server and dropped afterwards (also when
 *   the command fails); or the database of shadowDatabaseUrl /
 *   --shadow-database-url, which is emptied and left in place, as Prisma does.
 * - SQLite: a temporary file, removed afterwards.
 * The per-database parts are the dialect's shadow_* members (dialect.h). */
#ifndef PRISMAC_SHADOW_H
#define PRISMAC_SHADOW_H

#include <stdbool.h>

#include "migrations.h"
#include "session.h"

typedef struct shadow_db {
    const migrate_dialect *D;
    mig_session s; /* the shadow's connection, open between shadow_open and shadow_close */
    mconn *admin;  /* where a temporary shadow was created (not owned), or NULL */
    char *url;     /* the shadow's url (malloc'd) */
    char *handle;  /* what shadow_drop removes (malloc'd); NULL for a shadow given by url */
} shadow_db;

/* Opens a shadow database for dialect D, printing why not on stderr:
 *   shadow_url: the configured one (must not be the main database), or NULL
 *               for a temporary one;
 *   admin, main: the main database's open connection and parsed url (a
 *               temporary PostgreSQL database is created on its server);
 *               may be NULL when shadow_url is given, and on SQLite;
 *   ds:         the datasource whose schemas the shadow manages, or NULL.
 * Returns 0, or -1 (then nothing is left behind; shadow_close is harmless). */
int shadow_open(shadow_db *sh, const char *cmd, const migrate_dialect *D, mconn *admin, const dburl *main,
                const psl_datasource *ds, const char *shadow_url);

/* Runs migration m's script on the shadow. Returns 0, or -1 with Prisma's
 * P3006 text in err. */
int shadow_apply(shadow_db *sh, const migration_file *m, char *err);

/* Drops everything in the shadow (to replay a history from the start). -1
 * with the database's error in err. */
int shadow_reset(shadow_db *sh, char *err);

/* Describes the shadow into *out, allocating in `a` (which may outlive the
 * shadow). -1 with err. */
int shadow_describe(shadow_db *sh, psl_arena *a, db_state *out, char *err);

/* Closes the shadow and removes what shadow_open created (the temporary
 * database or file). Accepts a zeroed or already closed shadow. Returns 0,
 * or -1 when the removal failed (printed). */
int shadow_close(shadow_db *sh);

/* migrate diff --from-migrations / --to-migrations: the database schema the
 * migrations folder `dir` produces, replayed on a shadow database (dialect
 * D; `shadow_url` required on PostgreSQL, as Prisma requires
 * --shadow-database-url; a temporary file on SQLite). `ds` (may be NULL):
 * the datasource whose schemas are managed. *out lives in `a`. Prints why
 * not on stderr and returns -1. */
int shadow_state_from_migrations(const migrate_dialect *D, const psl_datasource *ds, const char *dir,
                                 const char *shadow_url, psl_arena *a, db_state *out);

#endif
