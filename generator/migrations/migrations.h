/* Prisma Migrate's files and history table (issue 14).
 *
 * - The migrations folder, in Prisma's layout:
 *     <folder of the schema>/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql
 *     <folder of the schema>/migrations/migration_lock.toml
 *   (or prisma.config.ts's `migrations: { path: "..." }`, a string literal).
 * - The history table `_prisma_migrations`, exactly Prisma's, per database
 *   (dialect.h's history members), with Prisma's checksum (hex SHA-256 of
 *   migration.sql; a CRLF/LF difference still matches, as in Prisma) and
 *   states: applied (finished_at set, rolled_back_at NULL), failed
 *   (finished_at and rolled_back_at NULL, logs = the error), rolled back
 *   (rolled_back_at set).
 * - Applying one migration: history_apply_one (migrate deploy, migrate dev,
 *   migrate reset use it).
 *
 * Errors: functions returning int return 0, or -1 with a message in `err`
 * (a caller's buffer of MIG_ERR_LEN bytes); database errors keep the
 * database's own words. */
#ifndef PRISMAC_MIGRATIONS_H
#define PRISMAC_MIGRATIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "conn.h"
#include "dialect.h"

enum { MIG_ERR_LEN = 4096 };

/* ---- the migrations folder (migrations_dir.c) ---- */

typedef struct migration_file {
    char *name;       /* the folder's name: "20240101120000_init" */
    char *dir;        /* the folder's path */
    char *sql;        /* migration.sql's bytes, NUL-terminated; NULL when the folder has none */
    size_t sql_len;
    char checksum[65]; /* hex SHA-256 of sql ("" without sql) */
} migration_file;

typedef struct migrations_dir {
    char *path;          /* the migrations folder */
    bool exists;         /* the folder exists */
    char *lock_provider; /* migration_lock.toml's provider; NULL without a lock file */
    migration_file *items; /* sorted by name (Prisma's order) */
    size_t n;
} migrations_dir;

/* The migrations folder of the schema at `schema_path` (a file or a folder):
 * prisma.config.ts's `migrations.path` when a prisma.config.ts sits in the
 * schema's folder or one of its parents (relative to the config's folder),
 * else <folder of the schema>/migrations (for a folder schema: the folder's
 * migrations/). Returns 0 with a malloc'd path in *out, or -1 with err (a
 * prisma.config.ts it cannot read). */
int migrations_dir_locate(const char *schema_path, char **out, char *err);

/* Reads the folder at `path` (a missing folder is an empty one, exists =
 * false). Every subfolder is a migration; files other than
 * migration_lock.toml and dot-files are ignored as Prisma does. Returns 0, or
 * -1 with err (a subfolder without migration.sql: Prisma's P3015). Free with
 * migrations_dir_free. */
int migrations_dir_read(const char *path, migrations_dir *out, char *err);
void migrations_dir_free(migrations_dir *d); /* accepts NULL and a zeroed one */

/* P3019 when the lock file names another provider than `provider`
 * (dialect's lock_provider). 0 when it matches or there is no lock file. */
int migrations_check_lock(const migrations_dir *d, const char *provider, char *err);

/* Prisma's folder name for a migration named `name`: "<UTC YYYYMMDDHHMMSS>_<name>"
 * with the name sanitized (migrations_name_sanitize); `when` is the time in
 * seconds since the epoch (0: now). out holds at least 256 bytes. */
void migrations_folder_name(const char *name, long long when, char *out, size_t outlen);
/* Prisma's sanitizing of a migration name: lowercased, every character
 * other than [a-z0-9_] made `_`, cut to 200 bytes. */
void migrations_name_sanitize(const char *name, char *out, size_t outlen);

/* Creates <path>/<timestamp>_<name>/migration.sql holding `sql`, and writes
 * migration_lock.toml (Prisma's text, `provider`) unless present. A folder of
 * that name existing already is an error. *created_name (may be NULL) gets
 * the malloc'd folder name. */
int migrations_dir_create(const char *path, const char *name, const char *sql, const char *provider,
                          char **created_name, char *err);
/* Writes migration_lock.toml for `provider` in `path` (Prisma's text). */
int migrations_write_lock(const char *path, const char *provider, char *err);

/* ---- prisma.config.ts and package.json (config.c) ---- */

/* The string literal at `outer: { key: "..." }` in a JavaScript or JSON file
 * (`outer` a key of the outermost object literal)
 * (prisma.config.ts's migrations.path / migrations.seed, package.json's
 * "prisma": { "seed": ... }). Returns 1 with a malloc'd *value, 0 when the
 * file has no such key, -1 with err when the file cannot be read or the
 * value is not a plain string literal (prismac does not run TypeScript). */
int migrations_config_string(const char *file, const char *outer, const char *key, char **value, char *err);
/* The nearest prisma.config.ts in `start_dir` or a parent: 1 with a
 * malloc'd absolute path in *out, 0 when there is none. */
int migrations_find_config(const char *start_dir, char **out);

/* ---- checksums (migrations_dir.c) ---- */

/* Hex SHA-256 of the bytes. */
void migration_checksum(const char *sql, size_t len, char out[65]);
/* Whether `checksum` (as stored in _prisma_migrations) is the checksum of
 * `sql` as it is, with CRLF made LF, or with LF made CRLF (Prisma matches all
 * three: git changes line endings), in the 64-digit or the old unpadded form. */
bool migration_checksum_matches(const char *sql, size_t len, const char *checksum);

/* ---- statements (sqlsplit.c) ---- */

/* Splits a script into statements: semicolons outside quotes ('..', "..",
 * `..`, [..], E'..\'..'), dollar quotes ($$ / $tag$), comments (--, nested
 * C-style blocks) and BEGIN ... END bodies of CREATE TRIGGER / FUNCTION ... BEGIN
 * ATOMIC. Each statement is trimmed, without its `;`; statements that are
 * only comments and blanks are dropped. The statements point into `a`. */
void sql_split(psl_arena *a, const char *sql, size_t len, psl_vec *out);

/* ---- the history table (history.c) ---- */

typedef enum history_state {
    HIST_APPLIED,     /* finished_at set, rolled_back_at NULL */
    HIST_FAILED,      /* finished_at NULL, rolled_back_at NULL */
    HIST_ROLLED_BACK, /* rolled_back_at set */
} history_state;

/* One row of _prisma_migrations, as text (NULL for SQL NULL), in the
 * connection's arena. */
typedef struct history_row {
    const char *id, *checksum, *finished_at, *migration_name, *logs, *rolled_back_at, *started_at;
    long applied_steps_count;
    history_state state;
} history_row;

/* Whether _prisma_migrations exists: 1, 0, or -1 with c->err. */
int history_exists(const migrate_dialect *D, mconn *c);
/* Creates _prisma_migrations (Prisma's DDL) when it does not exist. */
int history_ensure(const migrate_dialect *D, mconn *c, char *err);
/* Every row ordered by started_at then name (an empty table, or none: 0
 * rows). *rows is in c->a. */
int history_read(const migrate_dialect *D, mconn *c, history_row **rows, size_t *n, char *err);

/* Applies one migration, as Prisma does: creates the history table when
 * needed, records a started row (committed first), runs the script's
 * statements and marks the row finished (applied_steps_count 1) in one
 * transaction where the database allows DDL in transactions
 * (MIG_CAP_TRANSACTIONAL_DDL; SQLite too). On failure the transaction is
 * rolled back, then the row records the failure: logs = the database's error
 * and the failing statement; finished_at stays NULL.
 * A script with its own transaction control (BEGIN/COMMIT...) or a statement
 * the database refuses inside a transaction (dialect's no_tx_statement, e.g.
 * CREATE INDEX CONCURRENTLY) runs statement by statement outside a
 * transaction; a failure then leaves the statements before it applied (as
 * with Prisma), recorded failed.
 * Returns 0 applied, -1 failed with err (Prisma's P3018 text: migration name,
 * database error, failing statement). */
int history_apply_one(const migrate_dialect *D, mconn *c, const migration_file *m, char *err);

/* migrate resolve --applied: records `m` applied (a new row, finished_at =
 * now, applied_steps_count 0), without running it. */
int history_mark_applied(const migrate_dialect *D, mconn *c, const migration_file *m, char *err);
/* migrate resolve --rolled-back: sets rolled_back_at of the failed rows of
 * `name`. */
int history_mark_rolled_back(const migrate_dialect *D, mconn *c, const char *name, char *err);
/* Drops _prisma_migrations (migrate reset; also when absent). */
int history_drop(const migrate_dialect *D, mconn *c, char *err);

/* ---- comparing the folder with the table (status.c) ---- */

typedef struct migrations_report {
    /* Names, pointing into the folder or the rows: */
    psl_vec pending;        /* in the folder, not applied (nor failed) in the table, in order */
    psl_vec failed;         /* failed rows (not rolled back) */
    psl_vec modified;       /* applied, whose file's checksum differs */
    psl_vec missing_locally; /* applied or failed in the table, not in the folder */
    psl_vec applied;        /* applied rows present locally */
    const char *last_common; /* the last migration both have applied, or NULL */
    bool diverged;          /* a local migration is pending before an applied one, or missing_locally */
} migrations_report;

/* Compares the folder with the table's rows (vectors in `a`). */
void migrations_status(psl_arena *a, const migrations_dir *dir, const history_row *rows, size_t n,
                       migrations_report *out);

#endif
