/* The shadow database (shadow.h). */
#include "shadow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int shadow_open(shadow_db *sh, const char *cmd, const migrate_dialect *D, mconn *admin, const dburl *main,
                const psl_datasource *ds, const char *shadow_url)
{
    char err[MIG_ERR_LEN] = "";
    memset(sh, 0, sizeof *sh);
    sh->D = D;
    sh->s.ds = ds;
    if (shadow_url) {
        if (main && main->url && strcmp(main->url, shadow_url) == 0)
            goto same;
        sh->url = strdup(shadow_url);
    } else {
        sh->admin = admin;
        if (D->shadow_create(admin, main, &sh->url, &sh->handle, err, sizeof err) != 0) {
            fprintf(stderr, "Error: %s\n", err);
            sh->admin = NULL;
            return -1;
        }
    }
    if (!sh->url) {
        fprintf(stderr, "prismac %s: out of memory\n", cmd);
        goto fail;
    }
    if (session_open_url(&sh->s, cmd, D, sh->url) != 0)
        goto fail;
    /* The same database under another spelling of its url. */
    if (!sh->handle && admin && admin->where && sh->s.c.where && strcmp(admin->where, sh->s.c.where) == 0 &&
        admin->db_name && sh->s.c.db_name && strcmp(admin->db_name, sh->s.c.db_name) == 0 &&
        (!admin->schema || !sh->s.c.schema || strcmp(admin->schema, sh->s.c.schema) == 0))
        goto same;
    /* A given shadow is emptied; a new one gets its schemas (?schema=, the
     * datasource's schemas), which the migrations expect to exist. */
    if (D->shadow_empty(&sh->s.c) != 0) {
        fprintf(stderr, "Error: cannot empty the shadow database: %s\n", sh->s.c.err);
        goto fail;
    }
    return 0;
same:
    fprintf(stderr, "Error: The shadow database you configured appears to be the same as the main database. Please "
                    "specify another shadow database.\n");
fail:
    shadow_close(sh);
    return -1;
}

/* The script's statements one by one, as Prisma runs a migration on the
 * shadow database (no history row, no transaction: the shadow is scratch). */
int shadow_apply(shadow_db *sh, const migration_file *m, char *err)
{
    if (!m->sql) {
        snprintf(err, MIG_ERR_LEN, "P3015\n\nCould not find the migration file at %s/migration.sql.", m->dir);
        return -1;
    }
    psl_vec stmts = { 0 };
    sql_split(&sh->s.arena, m->sql, m->sql_len, &stmts);
    for (size_t i = 0; i < stmts.len; i++)
        if (mc_exec(&sh->s.c, stmts.items[i]) != 0) {
            snprintf(err, MIG_ERR_LEN,
                     "P3006\n\nMigration `%s` failed to apply cleanly to the shadow database. \nError:\n%.3000s",
                     m->name, sh->s.c.err);
            return -1;
        }
    return 0;
}

int shadow_reset(shadow_db *sh, char *err)
{
    if (sh->D->shadow_empty(&sh->s.c) == 0)
        return 0;
    snprintf(err, MIG_ERR_LEN, "cannot empty the shadow database: %s", sh->s.c.err);
    return -1;
}

int shadow_describe(shadow_db *sh, psl_arena *a, db_state *out, char *err)
{
    psl_arena *own = sh->s.c.a;
    sh->s.c.a = a;
    memset(out, 0, sizeof *out);
    int rc = sh->D->describe(&sh->s.c, out);
    sh->s.c.a = own;
    if (rc != 0)
        snprintf(err, MIG_ERR_LEN, "cannot read the shadow database's schema: %s", sh->s.c.err);
    return rc;
}

int shadow_close(shadow_db *sh)
{
    int rc = 0;
    sh->s.ds = NULL; /* not the session's to free */
    session_close(&sh->s);
    if (sh->handle) {
        char err[MIG_ERR_LEN];
        if (sh->D->shadow_drop(sh->admin, sh->handle, err, sizeof err) != 0) {
            fprintf(stderr, "Error: %s\n", err);
            rc = -1;
        }
    }
    free(sh->url);
    free(sh->handle);
    memset(sh, 0, sizeof *sh);
    return rc;
}

int shadow_state_from_migrations(const migrate_dialect *D, const psl_datasource *ds, const char *dir,
                                 const char *shadow_url, psl_arena *a, db_state *out)
{
    migrations_dir md = { 0 };
    shadow_db sh = { 0 };
    char err[MIG_ERR_LEN];
    int rc = -1;
    if (!shadow_url && (D->caps & MIG_CAP_SCHEMAS)) {
        fprintf(stderr, "Error: You must pass the --shadow-database-url if you want to diff a migrations directory.\n");
        return -1;
    }
    if (migrations_dir_read(dir, &md, err) != 0) {
        fprintf(stderr, "Error: %s\n", err);
        goto done;
    }
    if (!md.exists) {
        fprintf(stderr, "Error: the migrations folder %s does not exist.\n", dir);
        goto done;
    }
    if (shadow_open(&sh, "migrate diff", D, NULL, NULL, ds, shadow_url) != 0)
        goto done;
    for (size_t i = 0; i < md.n; i++)
        if (shadow_apply(&sh, &md.items[i], err) != 0) {
            fprintf(stderr, "Error: %s\n", err);
            goto done;
        }
    if (shadow_describe(&sh, a, out, err) != 0) {
        fprintf(stderr, "Error: %s\n", err);
        goto done;
    }
    rc = 0;
done:
    if (shadow_close(&sh) != 0)
        rc = -1;
    migrations_dir_free(&md);
    return rc;
}
