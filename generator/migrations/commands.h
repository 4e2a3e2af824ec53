/* The commands that apply migrations or scripts (commands.c, seed.c):
 * `migrate deploy`, `migrate status`, `migrate resolve`, `migrate reset`,
 * `db execute`, `db seed`. Each prints Prisma's messages and returns the
 * exit status. */
#ifndef PRISMAC_MIGRATIONS_COMMANDS_H
#define PRISMAC_MIGRATIONS_COMMANDS_H

#include <stdbool.h>

typedef struct migrations_cmd_options {
    const char *schema_path; /* NULL: the default one */
    const char *url;         /* --url (db execute), else the datasource's */
    const char *applied, *rolled_back; /* migrate resolve */
    bool force;              /* migrate reset --force */
    const char *file;        /* db execute --file */
    bool from_stdin;         /* db execute --stdin */
    bool schema_given;       /* db execute: --schema was given */
    char **rest;             /* db seed: arguments after -- */
    int n_rest;
} migrations_cmd_options;

int migrations_deploy(const migrations_cmd_options *o);
int migrations_status_cmd(const migrations_cmd_options *o);
int migrations_resolve(const migrations_cmd_options *o);
int migrations_reset(const migrations_cmd_options *o);
int migrations_db_execute(const migrations_cmd_options *o);
int migrations_db_seed(const migrations_cmd_options *o);

#endif
