/* migrate dev (dev.h): Prisma 7's flow, its messages and exit statuses
 * (prisma/build/index.js's MigrateDev and schema-engine's devDiagnostic). */
#include "dev.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drift.h"
#include "migrations.h"
#include "plan.h"
#include "prismac.h"
#include "shadow.h"

void dev_slugify(const char *name, char *out, size_t outlen)
{
    size_t n = 0, cap = outlen - 1 < 200 ? outlen - 1 : 200;
    bool sep = false;
    for (const unsigned char *p = (const unsigned char *)name; *p && n < cap; p++) {
        /* decamelize: "addUser" -> "add User" */
        bool word_break = isupper(*p) && p > (const unsigned char *)name && (islower(p[-1]) || isdigit(p[-1]));
        if (isalnum(*p) && *p < 128) {
            if ((sep || word_break) && n && n < cap)
                out[n++] = '_';
            if (n < cap)
                out[n++] = (char)tolower(*p);
            sep = false;
        } else {
            sep = true;
        }
    }
    out[n] = '\0';
}

/* Reads a line from stdin after printing `q`; false at end of input. */
static bool ask_line(const char *q, char *buf, size_t n)
{
    printf("%s", q);
    fflush(stdout);
    if (!fgets(buf, (int)n, stdin))
        return false;
    buf[strcspn(buf, "\r\n")] = '\0';
    return true;
}

static bool ask_yes(const char *q)
{
    char buf[32];
    char prompt[256];
    snprintf(prompt, sizeof prompt, "? %s (y/N) ", q);
    return ask_line(prompt, buf, sizeof buf) && (buf[0] == 'y' || buf[0] == 'Y');
}

/* migrations/
 *   └─ 20240101000000_init/
 *     └─ migration.sql */
static void print_tree(const char *dir, const char *const *names, size_t n)
{
    printf("%s/\n", dir);
    for (size_t i = 0; i < n; i++)
        printf("  \u2514\u2500 %s/\n    \u2514\u2500 migration.sql\n", names[i]);
}

/* The folder as Prisma prints it: relative to the current folder. */
static const char *shown_dir(const char *dir)
{
    char cwd[4096];
    size_t n;
    if (getcwd(cwd, sizeof cwd) && (n = strlen(cwd)) && strncmp(dir, cwd, n) == 0 && dir[n] == '/')
        dir += n + 1;
    while (dir[0] == '.' && dir[1] == '/')
        dir += 2;
    return dir;
}

/* Prisma's logResetReason. */
static void print_reset(const mig_session *S, const char *reason)
{
    printf("%s\n", reason);
    const mconn *c = &S->c;
    if (S->D->caps & MIG_CAP_SCHEMAS) {
        if (S->ds && S->ds->n_schemas) {
            printf("We need to reset the following schemas: \"");
            for (size_t i = 0; i < S->ds->n_schemas; i++)
                printf("%s%s", i ? ", " : "", S->ds->schemas[i]);
            printf("\"");
        } else {
            printf("We need to reset the \"%s\" schema", c->schema);
        }
    } else {
        printf("We need to reset the %s database \"%s\"", S->D->title, c->db_name);
    }
    printf(" at \"%s\"\n", c->where);
    printf("\nYou may use prismac migrate reset to drop the development database.\nAll data will be lost.\n");
}

/* The reasons devDiagnostic gives for a reset (schema-engine's
 * check_for_reset_conditions), one or a "- " list, into `o`. */
static void reset_reasons(const migrations_report *r, bool has_table, const char *drift, psl_sql *o)
{
    psl_vec items = { 0 };
    psl_arena a;
    psl_arena_init(&a);
    for (size_t i = 0; i < r->failed.len; i++)
        psl_vec_push_const(&a, &items, psl_arena_printf(&a, "The migration `%s` failed.", (const char *)r->failed.items[i]));
    for (size_t i = 0; i < r->modified.len; i++)
        psl_vec_push_const(&a, &items,
                           psl_arena_printf(&a, "The migration `%s` was modified after it was applied.",
                                            (const char *)r->modified.items[i]));
    if (drift && *drift)
        psl_vec_push_const(
            &a, &items,
            psl_arena_printf(
                &a,
                "Drift detected: Your database schema is not in sync with your migration history.\n\n"
                "The following is a summary of the differences between the expected database schema given your "
                "migrations files, and the actual schema of the database.\n\n"
                "It should be understood as the set of changes to get from the expected schema to the actual "
                "schema.\n%s%s",
                has_table ? ""
                          : "\nIf you are running this the first time on an existing database, please make sure to "
                            "read this documentation page:\n"
                            "https://www.prisma.io/docs/guides/database/developing-with-prisma-migrate/"
                            "troubleshooting-development\n",
                drift));
    if (r->missing_locally.len) {
        psl_sql names = { 0 };
        for (size_t i = 0; i < r->missing_locally.len; i++)
            psl_sql_printf(&names, "%s%s", i ? ", " : "", (const char *)r->missing_locally.items[i]);
        if (r->pending.len) {
            const char *details =
                r->last_common ? psl_arena_printf(&a,
                                                  " Last common migration: `%s`. Migrations applied to the database "
                                                  "but absent from the migrations directory are: %s",
                                                  r->last_common, psl_sql_text(&names))
                               : "";
            psl_vec_push_const(&a, &items,
                               psl_arena_printf(&a,
                                                "The migrations recorded in the database diverge from the local "
                                                "migrations directory.%s",
                                                details));
        } else {
            psl_vec_push_const(&a, &items,
                               psl_arena_printf(&a,
                                                "The following migration(s) are applied to the database but missing "
                                                "from the local migrations directory: %s",
                                                psl_sql_text(&names)));
        }
        psl_sql_free(&names);
    }
    if (items.len == 1)
        psl_sql_puts(o, items.items[0]);
    else
        for (size_t i = 0; i < items.len; i++)
            psl_sql_printf(o, "- %s\n", (const char *)items.items[i]);
    psl_arena_release(&a);
}

static bool listed(const psl_vec *v, const char *name)
{
    for (size_t i = 0; i < v->len; i++)
        if (strcmp(v->items[i], name) == 0)
            return true;
    return false;
}

/* The shadow database's url: --shadow-database-url, else the datasource's
 * shadowDatabaseUrl (a literal or env()); NULL in *out for a temporary one. */
static int shadow_url_of(const mig_session *S, const char *given, char **out)
{
    *out = NULL;
    const char *lit = given ? given : S->ds->shadow_url;
    if (lit) {
        *out = strdup(lit);
        return *out ? 0 : -1;
    }
    if (!S->ds->shadow_url_env)
        return 0;
    *out = dburl_getenv(S->ds->shadow_url_env);
    if (*out)
        return 0;
    fprintf(stderr,
            "Error: P1012: Environment variable not found: %s.\n  The datasource \"%s\" reads its "
            "shadowDatabaseUrl from env(\"%s\"): set it in the environment or in the .env file of the current "
            "directory.\n",
            S->ds->shadow_url_env, S->ds->name, S->ds->shadow_url_env);
    return -1;
}

/* Regenerates the client when the schema has a prismac generator block (the
 * generators Prisma's migrate dev triggers). Returns 0, or -1 (printed). */
static int regenerate(const mig_session *S)
{
    const psl_generator *gen = prismac_generator_block(S->schema);
    if (!gen)
        return 0;
    char *dir = prismac_file_dir(S->schema, gen->ast);
    const char *rel = gen->output ? gen->output : "generated";
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    char *out = NULL;
    if (dir && (out = malloc(strlen(dir) + strlen(rel) + 2)))
        sprintf(out, "%s%s%s", rel[0] == '/' || !*dir ? "" : dir, rel[0] == '/' || !*dir ? "" : "/", rel);
    const char *path = S->schema_path, *base = strrchr(path, '/');
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--, base = NULL;
    if (!base || base >= path + n) {
        base = path + n;
        while (base > path && base[-1] != '/')
            base--;
    } else {
        base++;
    }
    char *base_name = strndup(base, (size_t)(path + n - base));
    bool hc = false, cc = false;
    int rc = -1;
    if (out && base_name && prismac_generate_files(S->schema, base_name, NULL, out, stderr, &hc, &cc) == 0) {
        printf("\n\u2714 Generated the prismac client in %s (client.h %s, client.c %s)\n", out,
               hc ? "written" : "unchanged", cc ? "written" : "unchanged");
        rc = 0;
    } else if (!out || !base_name) {
        fprintf(stderr, "prismac migrate dev: out of memory\n");
    }
    free(base_name);
    free(out);
    free(dir);
    return rc;
}

/* A migration's folder is named after the second it is created in and
 * must sort after the folder's migrations: when the last one was made in
 * this very second (two runs within a second), wait for the next one. */
static void wait_for_next_second(const migrations_dir *md)
{
    if (!md->n)
        return;
    const char *last = md->items[md->n - 1].name;
    for (int tries = 0; tries < 3; tries++) {
        char now[256];
        migrations_folder_name("", 0, now, sizeof now);
        if (strncmp(last, now, 14) < 0)
            return;
        usleep(350 * 1000);
    }
}

/* The file of the migration just written, to apply it. */
static void new_migration(migration_file *m, char *dir, char *name, char *sql)
{
    m->name = name;
    m->dir = dir;
    m->sql = sql;
    m->sql_len = strlen(sql);
    migration_checksum(sql, m->sql_len, m->checksum);
}

int prismac_migrate_dev(const prismac_dev_options *o)
{
    mig_session S = { 0 };
    migrations_dir md = { 0 };
    shadow_db sh = { 0 };
    psl_arena a;
    psl_arena_init(&a);
    psl_sql text = { 0 }, drift = { 0 }, reasons = { 0 };
    psl_ddl *want = NULL;
    char err[MIG_ERR_LEN];
    char *dir = NULL, *shadow_url = NULL, *script = NULL, *created = NULL, *new_dir = NULL;
    psl_vec applied_now = { 0 };
    plan fp = { 0 }, lp = { 0 };
    int rc = session_load(&S, "migrate dev", o->schema_path);
    if (rc != 0)
        goto done;
    rc = 1;
    const migrate_dialect *D = S.D;
    printf("Prisma schema loaded from %s\n", S.schema_path);
    if (session_open(&S, o->url) != 0)
        goto done;
    session_describe_target(&S, &text);
    printf("%s\n\n", psl_sql_text(&text));
    if (S.c.created)
        printf("%s database %s created at %s\n\n", D->title, S.c.db_name, S.c.where);

    /* The folder and the history table. */
    if (migrations_dir_locate(S.schema_path, &dir, err) != 0 || migrations_dir_read(dir, &md, err) != 0 ||
        migrations_check_lock(&md, D->lock_provider, err) != 0) {
        fprintf(stderr, "Error: %s\n", err);
        goto done;
    }
    int has_table = history_exists(D, &S.c);
    if (has_table < 0) {
        fprintf(stderr, "Error: cannot read _prisma_migrations: %s\n", S.c.err);
        goto done;
    }
    history_row *rows = NULL;
    size_t n_rows = 0;
    if (has_table && history_read(D, &S.c, &rows, &n_rows, err) != 0) {
        fprintf(stderr, "Error: %s\n", err);
        goto done;
    }
    migrations_report rep;
    migrations_status(&a, &md, rows, n_rows, &rep);

    /* The shadow database: the applied migrations, compared with the
     * development database (drift), then the others (they must apply). */
    if (shadow_url_of(&S, o->shadow_url, &shadow_url) != 0 ||
        shadow_open(&sh, "migrate dev", D, &S.c, &S.u, S.ds, shadow_url) != 0)
        goto done;
    size_t replayed = 0;
    bool prefix = true;
    for (size_t i = 0; i < md.n; i++) {
        if (!listed(&rep.applied, md.items[i].name))
            continue;
        prefix = prefix && i == replayed;
        if (shadow_apply(&sh, &md.items[i], err) != 0) {
            fprintf(stderr, "Error: %s\n", err);
            goto done;
        }
        replayed++;
    }
    db_state expected, actual, from;
    if (shadow_describe(&sh, &a, &expected, err) != 0) {
        fprintf(stderr, "Error: %s\n", err);
        goto done;
    }
    memset(&actual, 0, sizeof actual);
    if (D->describe(&S.c, &actual) != 0) {
        fprintf(stderr, "Error: cannot read the database schema: %s\n", S.c.err);
        goto done;
    }
    drift_summary(D, &expected, &actual, &drift);
    if (!prefix) {
        if (shadow_reset(&sh, err) != 0) {
            fprintf(stderr, "Error: %s\n", err);
            goto done;
        }
        replayed = 0;
    }
    for (size_t i = replayed; i < md.n; i++)
        if (shadow_apply(&sh, &md.items[i], err) != 0) {
            fprintf(stderr, "Error: %s\n", err);
            goto done;
        }
    if (replayed == md.n)
        from = expected;
    else if (shadow_describe(&sh, &a, &from, err) != 0) {
        fprintf(stderr, "Error: %s\n", err);
        goto done;
    }
    if (shadow_close(&sh) != 0)
        goto done;

    reset_reasons(&rep, has_table > 0, drift.len ? psl_sql_text(&drift) : NULL, &reasons);
    if (reasons.len) {
        print_reset(&S, psl_sql_text(&reasons));
        rc = 130;
        goto done;
    }

    /* The pending migrations. */
    for (size_t i = 0; i < md.n; i++) {
        if (!listed(&rep.pending, md.items[i].name))
            continue;
        printf("Applying migration `%s`\n", md.items[i].name);
        if (history_apply_one(D, &S.c, &md.items[i], err) != 0) {
            fprintf(stderr, "Error: %s\n", err);
            goto done;
        }
        psl_vec_push_const(&a, &applied_now, md.items[i].name);
    }
    if (applied_now.len) {
        printf("\nThe following migration(s) have been applied:\n\n");
        print_tree("migrations", (const char *const *)applied_now.items, applied_now.len);
    }

    /* The new migration: what the schema adds to the migrations. */
    if (psl_ddl_build(S.schema, D->provider, &want) != 0) {
        fprintf(stderr, "Error: cannot compute the database schema\n");
        goto done;
    }
    plan_options file_opts = { .pure_checks = true, .default_schema = S.c.schema };
    if (migrate_plan(D, NULL, &from, want, &file_opts, &a, &fp) != 0) {
        fprintf(stderr, "prismac migrate dev: out of memory\n");
        goto done;
    }
    bool change = !plan_is_empty(&fp);
    if (change) {
        /* Data loss is judged on the development database's rows. */
        db_state live = { 0 };
        plan_options live_opts = { .default_schema = S.c.schema };
        if (D->describe(&S.c, &live) != 0 || migrate_plan(D, &S.c, &live, want, &live_opts, &a, &lp) != 0) {
            fprintf(stderr, "Error: cannot evaluate data loss: %s\n", S.c.err);
            goto done;
        }
        if (lp.unexecutable.len) {
            fprintf(stderr, "\n\u26a0\ufe0f We found changes that cannot be executed:\n\n");
            for (size_t i = 0; i < lp.unexecutable.len; i++)
                fprintf(stderr, "  \u2022 %s\n", (const char *)lp.unexecutable.items[i]);
            if (!o->create_only) {
                fprintf(stderr,
                        "\nYou can use prismac migrate dev --create-only to create the migration file, and manually "
                        "modify it to address the underlying issue(s).\nThen run prismac migrate dev to apply it and "
                        "verify it works.\n");
                goto done;
            }
        }
        if (lp.warnings.len) {
            printf("\n\u26a0\ufe0f  Warnings for the current datasource:\n\n");
            for (size_t i = 0; i < lp.warnings.len; i++)
                printf("  \u2022 %s\n", (const char *)lp.warnings.items[i]);
            printf("\n");
            fflush(stdout);
            if (!o->interactive) {
                fprintf(stderr,
                        "Error: Prisma Migrate has detected that the environment is non-interactive, which is not "
                        "supported.\n\n`prismac migrate dev` is an interactive command designed to create new "
                        "migrations and evolve the database in development.\nTo apply existing migrations in "
                        "deployments, use prismac migrate deploy.\nSee https://pris.ly/d/migrate-deploy\n");
                goto done;
            }
            if (!ask_yes(o->create_only ? "Are you sure you want to create this migration?"
                                        : "Are you sure you want to create and apply this migration?")) {
                printf("Migration cancelled.\n");
                rc = 130;
                goto done;
            }
        }
    }
    if (change || o->create_only) {
        char name[256] = "";
        if (o->name) {
            dev_slugify(o->name, name, sizeof name);
        } else if (o->interactive) {
            char line[512];
            if (!ask_line("? Enter a name for the new migration: \u203a ", line, sizeof line)) {
                rc = 130;
                goto done;
            }
            dev_slugify(line, name, sizeof name);
        }
        wait_for_next_second(&md);
        if (plan_render_script(&fp, &script) != 0 ||
            migrations_dir_create(dir, name, script, D->lock_provider, &created, err) != 0) {
            fprintf(stderr, "Error: %s\n", script ? err : "out of memory");
            goto done;
        }
        if (o->create_only) {
            printf("Prisma Migrate created the following migration without applying it %s\n\n"
                   "You can now edit it and apply it by running prismac migrate dev.\n",
                   created);
            rc = 0;
            goto done;
        }
        new_dir = malloc(strlen(dir) + strlen(created) + 2);
        if (!new_dir) {
            fprintf(stderr, "prismac migrate dev: out of memory\n");
            goto done;
        }
        sprintf(new_dir, "%s/%s", dir, created);
        migration_file m = { 0 };
        new_migration(&m, new_dir, created, script);
        printf("Applying migration `%s`\n", created);
        if (history_apply_one(D, &S.c, &m, err) != 0) {
            fprintf(stderr, "Error: %s\n", err);
            goto done;
        }
    }

    if (applied_now.len)
        printf("\n");
    if (!created) {
        printf(applied_now.len ? "Your database is now in sync with your schema.\n"
                               : "Already in sync, no schema change or pending migration was found.\n");
    } else {
        printf("\nThe following migration(s) have been created and applied from new schema changes:\n\n");
        const char *one[1] = { created };
        print_tree(shown_dir(dir), one, 1);
        printf("\nYour database is now in sync with your schema.\n");
    }
    rc = regenerate(&S) == 0 ? 0 : 1;
done:
    fflush(stdout);
    if (shadow_close(&sh) != 0 && rc == 0)
        rc = 1;
    free(new_dir);
    free(created);
    free(script);
    free(shadow_url);
    free(dir);
    psl_ddl_free(want);
    psl_sql_free(&text);
    psl_sql_free(&drift);
    psl_sql_free(&reasons);
    migrations_dir_free(&md);
    session_close(&S);
    psl_arena_release(&a);
    return rc;
}
