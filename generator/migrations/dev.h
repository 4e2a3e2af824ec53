/* `prismac migrate dev` as a library (Prisma 7's migrate dev):
 *   1. read the migrations folder and the development database's
 *      _prisma_migrations;
 *   2. replay the applied migrations on a shadow database (shadow.h) and
 *      compare the result with the development database: a difference is
 *      drift (drift.h); then replay the rest (a failure is P3006);
 *   3. failed, modified or missing migrations, or drift: print the reasons
 *      and Prisma's "We need to reset ..." and stop (exit 130, as Prisma 7:
 *      migrate dev never resets; `migrate reset` does, with consent);
 *   4. apply the pending migrations to the development database;
 *   5. plan from the shadow's state (every migration) to the schema; when
 *      there is a change (or --create-only), write
 *      <migrations>/<timestamp>_<name>/migration.sql (+ migration_lock.toml)
 *      and apply it unless create_only; data-loss warnings need a yes
 *      (refused when not interactive), unexecutable steps stop it;
 *   6. regenerate the client when the schema has a prismac generator block
 *      (not with create_only). */
#ifndef PRISMAC_DEV_H
#define PRISMAC_DEV_H

#include <stdbool.h>
#include <stddef.h>

typedef struct prismac_dev_options {
    const char *schema_path; /* a file or folder; NULL: ./schema.prisma, else ./prisma/schema.prisma */
    const char *url;         /* --url: overrides the datasource's url */
    const char *name;        /* --name: the migration's name (slugified as Prisma does), or NULL */
    bool create_only;        /* write the migration, apply nothing */
    const char *shadow_url;  /* --shadow-database-url, else the datasource's shadowDatabaseUrl, else a temporary one */
    bool interactive;        /* prompts allowed (a terminal, not CI): name, data-loss confirmation */
} prismac_dev_options;

/* Runs migrate dev; reports on stdout and stderr. Returns the exit status:
 * 0 done, 1 failed or refused, 2 no schema, 130 a reset is needed or the
 * user declined. */
int prismac_migrate_dev(const prismac_dev_options *o);

/* Prisma's slug of a migration name (--name): camelCase split, lowercased,
 * runs of other characters than [a-z0-9] made one `_`, none at the ends,
 * cut to 200 bytes. `out` holds at least 201 bytes. */
void dev_slugify(const char *name, char *out, size_t outlen);

#endif
