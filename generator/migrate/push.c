/* db push: resolve the url, open, describe, plan, apply (push.h). */
#include "push.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "plan.h"
#include "prismac.h"

static long long elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (long long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static psl_schema *load_schema(const char *path)
{
    psl_schema *s = NULL;
    if (prismac_load(path, stderr, isatty(2) != 0, &s) != 0) {
        if (errno == ENOMEM)
            fprintf(stderr, "prismac db push: out of memory\n");
        else if (errno == ENOENT && prismac_is_dir(path))
            fprintf(stderr, "prismac db push: no .prisma files in the folder %s\n", path);
        else
            fprintf(stderr, "prismac db push: cannot read %s: %s\n", path, strerror(errno));
        return NULL;
    }
    return s;
}

/* The datasource's url, parsed; prints why not and returns -1. */
static int datasource_url(const migrate_dialect *D, const psl_datasource *ds, const char *given, dburl *u)
{
    char *url = NULL;
    switch (dburl_resolve(given, ds->url, ds->url_env, &url)) {
    case DBURL_OK:
        break;
    case DBURL_ENV_MISSING: {
        const char *var = ds->url_env ? ds->url_env : DBURL_DEFAULT_ENV;
        if (ds->url_env)
            fprintf(stderr,
                    "Error: P1012: Environment variable not found: %s.\n"
                    "  The datasource \"%s\" reads its url from env(\"%s\"): set it in the environment or in the "
                    ".env file of the current directory, or pass --url URL.\n",
                    var, ds->name, var);
        else
            fprintf(stderr,
                    "Error: P1012: Environment variable not found: %s.\n"
                    "  The datasource \"%s\" has no url: set %s in the environment or in the .env file of the "
                    "current directory, or pass --url URL.\n",
                    var, ds->name, var);
        return -1;
    }
    case DBURL_NOMEM:
        fprintf(stderr, "prismac db push: out of memory\n");
        return -1;
    }
    char why[512];
    int rc = backend_parse_url(url, u, why, sizeof why);
    const prisma_backend *wanted = backend_named(D->backend_name);
    if (rc == 0 ? u->backend != wanted : !backend_opens(wanted, url)) {
        fprintf(stderr,
                "Error: P1012: the URL must start with the protocol %s to use the %s provider of the datasource "
                "\"%s\".\n",
                D->url_scheme, ds->provider_text ? ds->provider_text : D->title, ds->name);
        rc = -1;
    } else if (rc != 0) {
        fprintf(stderr, "Error: P1013: %s\n", why);
    }
    free(url);
    return rc == 0 ? 0 : -1;
}

/* "Datasource "db": PostgreSQL database "app", schema "public" at "localhost:5432"" */
static void describe_target(const migrate_dialect *D, const psl_datasource *ds, const mconn *c, psl_sql *o)
{
    psl_sql_printf(o, "Datasource \"%s\": %s database \"%s\"", ds->name, D->title, c->db_name);
    if (D->caps & MIG_CAP_SCHEMAS) {
        psl_sql_printf(o, ", schema%s \"", c->n_managed > 1 ? "s" : "");
        for (size_t i = 0; i < c->n_managed; i++)
            psl_sql_printf(o, "%s%s", i ? ", " : "", c->managed[i]);
        psl_sql_puts(o, "\"");
    }
    psl_sql_printf(o, " at \"%s\"", c->where);
}

/* The push; with `script`, the plan only, as text (push.h). */
static int push(const prismac_push_options *o, char **script)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    psl_arena arena;
    psl_arena_init(&arena);
    psl_schema *s = NULL;
    psl_ddl *want = NULL;
    dburl u = { 0 };
    mconn c = { .a = &arena };
    db_state have = { 0 };
    plan p = { 0 };
    pusher P = { .c = &c, .have = &have, .p = &p, .a = &arena };
    psl_sql text = { 0 };
    int rc = 1;

    const char *schema_path = o->schema_path;
    if (!schema_path) {
        if (access("schema.prisma", F_OK) == 0)
            schema_path = "schema.prisma";
        else if (access("prisma/schema.prisma", F_OK) == 0)
            schema_path = "prisma/schema.prisma";
        else {
            fprintf(stderr, "prismac db push: no schema found: looked for ./schema.prisma and "
                            "./prisma/schema.prisma (use --schema FILE)\n");
            rc = 2;
            goto done;
        }
    }
    s = load_schema(schema_path);
    if (!s)
        goto done;
    if (s->diags.errors) {
        fprintf(stderr, "%zu error%s in %s: nothing was pushed.\n", s->diags.errors, s->diags.errors == 1 ? "" : "s",
                schema_path);
        goto done;
    }
    printf("Prisma schema loaded from %s\n", schema_path);
    const psl_datasource *ds = s->datasource;
    const migrate_dialect *D = ds ? migrate_dialect_for(ds->provider) : NULL;
    if (!D) {
        fprintf(stderr, "Error: the schema has no datasource: db push needs one to know the database.\n");
        goto done;
    }
    P.D = D;
    c.backend = backend_named(D->backend_name);
    if (datasource_url(D, ds, o->url, &u) != 0 || D->open(&c, &u) != 0)
        goto done;
    if (D->caps & MIG_CAP_SCHEMAS) {
        c.managed = ds->n_schemas ? ds->schemas : &c.schema;
        c.n_managed = ds->n_schemas ? ds->n_schemas : 1;
    }
    describe_target(D, ds, &c, &text);
    printf("%s\n\n", psl_sql_text(&text));
    if (c.created)
        printf("%s database %s created at %s\n\n", D->title, c.db_name, c.where);

    if (psl_ddl_build(s, D->provider, &want) != 0) {
        fprintf(stderr, "Error: cannot compute the database schema\n");
        goto done;
    }
    P.want = want;
    if (D->describe(&c, &have) != 0) {
        fprintf(stderr, "Error: cannot read the database schema: %s\n", c.err);
        goto done;
    }
    plan_push(&P, o->force_reset);
    if (P.sql.failed) {
        fprintf(stderr, "prismac db push: out of memory\n");
        goto done;
    }
    if (p.blockers.len) {
        fprintf(stderr,
                "Error: db push would make changes that lose data or that prismac cannot make in place:\n\n");
        for (size_t i = 0; i < p.blockers.len; i++)
            fprintf(stderr, "  - %s\n", (const char *)p.blockers.items[i]);
        fprintf(stderr,
                "\nNothing was changed. Change the schema, or run `prismac db push --force-reset` to drop "
                "everything in the database and recreate it (all data is lost).\n");
        goto done;
    }
    for (size_t i = 0; i < p.warnings.len; i++)
        fprintf(stderr, "Warning: %s\n", (const char *)p.warnings.items[i]);
    if (script) {
        rc = apply_script(&p, script) == 0 ? 0 : 1;
        goto done;
    }
    if (plan_statements(&p) == 0) {
        printf("The database is already in sync with the Prisma schema.\n");
        rc = 0;
        goto done;
    }
    if (apply_plan(D, &c, &p) != 0)
        goto done;
    if (o->force_reset)
        printf("The %s database \"%s\" at \"%s\" was successfully reset.\n\n", D->title, c.db_name, c.where);
    printf("Your database is now in sync with your Prisma schema. Done in %lldms\n", elapsed_ms(&t0));
    psl_sql_clear(&text);
    apply_summary(&p, &text);
    if (text.len)
        printf("\nApplied: %s.\n", psl_sql_text(&text));
    for (size_t i = 0; i < p.changes.len; i++)
        printf("  %s\n", (const char *)p.changes.items[i]);
    rc = 0;
done:
    psl_sql_free(&text);
    psl_sql_free(&P.sql);
    mc_close(&c);
    dburl_free(&u);
    psl_ddl_free(want);
    psl_schema_free(s);
    psl_arena_release(&arena);
    fflush(stdout);
    return rc;
}

int prismac_db_push(const prismac_push_options *o)
{
    return push(o, NULL);
}

int prismac_db_push_plan(const prismac_push_options *o, char **script)
{
    *script = NULL;
    return push(o, script);
}
