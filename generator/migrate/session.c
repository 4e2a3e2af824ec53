/* Loading the schema and opening its database, for every database command
 * (session.h). */
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "prismac.h"

int session_load(mig_session *s, const char *cmd, const char *path)
{
    s->cmd = cmd;
    psl_arena_init(&s->arena);
    s->c.a = &s->arena;
    if (!path) {
        if (access("schema.prisma", F_OK) == 0)
            path = "schema.prisma";
        else if (access("prisma/schema.prisma", F_OK) == 0)
            path = "prisma/schema.prisma";
        else {
            fprintf(stderr, "prismac %s: no schema found: looked for ./schema.prisma and ./prisma/schema.prisma "
                            "(use --schema FILE)\n", cmd);
            return 2;
        }
    }
    s->schema_path = path;
    if (prismac_load(path, stderr, isatty(2) != 0, &s->schema) != 0) {
        if (errno == ENOMEM)
            fprintf(stderr, "prismac %s: out of memory\n", cmd);
        else if (errno == ENOENT && prismac_is_dir(path))
            fprintf(stderr, "prismac %s: no .prisma files in the folder %s\n", cmd, path);
        else
            fprintf(stderr, "prismac %s: cannot read %s: %s\n", cmd, path, strerror(errno));
        return 1;
    }
    if (s->schema->diags.errors) {
        fprintf(stderr, "%zu error%s in %s: nothing was done.\n", s->schema->diags.errors,
                s->schema->diags.errors == 1 ? "" : "s", path);
        return 1;
    }
    s->ds = s->schema->datasource;
    s->D = s->ds ? migrate_dialect_for(s->ds->provider) : NULL;
    if (!s->D) {
        fprintf(stderr, "Error: the schema has no datasource: %s needs one to know the database.\n", cmd);
        return 1;
    }
    return 0;
}

/* Parses `url` for dialect D; prints why not and returns -1. `ds` names the
 * datasource in messages (NULL: none). */
static int parse_for(const mig_session *s, const migrate_dialect *D, const char *url, dburl *u)
{
    char why[512];
    int rc = backend_parse_url(url, u, why, sizeof why);
    const prisma_backend *wanted = backend_named(D->backend_name);
    if (rc == 0 ? u->backend != wanted : !wanted || !backend_opens(wanted, url)) {
        if (s->ds)
            fprintf(stderr,
                    "Error: P1012: the URL must start with the protocol %s to use the %s provider of the datasource "
                    "\"%s\".\n",
                    D->url_scheme, s->ds->provider_text ? s->ds->provider_text : D->title, s->ds->name);
        else
            fprintf(stderr, "Error: P1012: the URL must start with the protocol %s for %s.\n", D->url_scheme,
                    D->title);
        rc = -1;
    } else if (rc != 0) {
        fprintf(stderr, "Error: P1013: %s\n", why);
    }
    return rc == 0 ? 0 : -1;
}

/* The datasource's url, resolved: malloc'd in *url, or prints why not. */
static int resolve_url(const mig_session *s, const char *given, char **url)
{
    const psl_datasource *ds = s->ds;
    switch (dburl_resolve(given, ds->url, ds->url_env, url)) {
    case DBURL_OK:
        return 0;
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
        break;
    }
    fprintf(stderr, "prismac %s: out of memory\n", s->cmd);
    return -1;
}

/* Opens the parsed s->u and sets the managed namespaces. */
static int open_parsed(mig_session *s)
{
    s->c.backend = backend_named(s->D->backend_name);
    if (s->D->open(&s->c, &s->u) != 0)
        return -1;
    if (s->D->caps & MIG_CAP_SCHEMAS) {
        bool listed = s->ds && s->ds->n_schemas;
        s->c.managed = listed ? s->ds->schemas : &s->c.schema;
        s->c.n_managed = listed ? s->ds->n_schemas : 1;
    }
    return 0;
}

int session_open(mig_session *s, const char *given)
{
    char *url = NULL;
    if (resolve_url(s, given, &url) != 0)
        return -1;
    int rc = parse_for(s, s->D, url, &s->u);
    free(url);
    return rc == 0 ? open_parsed(s) : -1;
}

int session_open_url(mig_session *s, const char *cmd, const migrate_dialect *D, const char *url)
{
    if (!s->cmd) {
        s->cmd = cmd;
        psl_arena_init(&s->arena);
        s->c.a = &s->arena;
    }
    s->D = D;
    if (parse_for(s, D, url, &s->u) != 0)
        return -1;
    return open_parsed(s);
}

void session_describe_target(const mig_session *s, psl_sql *o)
{
    const mconn *c = &s->c;
    if (s->ds)
        psl_sql_printf(o, "Datasource \"%s\": ", s->ds->name);
    psl_sql_printf(o, "%s database \"%s\"", s->D->title, c->db_name);
    if (s->D->caps & MIG_CAP_SCHEMAS) {
        psl_sql_printf(o, ", schema%s \"", c->n_managed > 1 ? "s" : "");
        for (size_t i = 0; i < c->n_managed; i++)
            psl_sql_printf(o, "%s%s", i ? ", " : "", c->managed[i]);
        psl_sql_puts(o, "\"");
    }
    psl_sql_printf(o, " at \"%s\"", c->where);
}

void session_close(mig_session *s)
{
    if (!s->cmd)
        return;
    mc_close(&s->c);
    dburl_free(&s->u);
    psl_schema_free(s->schema);
    psl_arena_release(&s->arena);
    memset(s, 0, sizeof *s);
}
