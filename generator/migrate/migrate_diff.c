/* migrate diff (migrate_diff.h): load the two sides, plan, print. */
#include "migrate_diff.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "session.h"
#include "../migrations/shadow.h"

typedef struct diff_run {
    const prismac_diff_options *o;
    mig_session from_s, to_s; /* the schema or database of each side, when it has one */
    const migrate_dialect *D;
    mconn *live; /* the database the starting state was read from, or NULL */
    psl_arena arena;
    psl_ddl *from_ddl, *to_ddl;
    db_state from;
} diff_run;

static const char *side_option(bool from, prismac_diff_kind k)
{
    switch (k) {
    case PRISMAC_DIFF_EMPTY: return from ? "--from-empty" : "--to-empty";
    case PRISMAC_DIFF_SCHEMA: return from ? "--from-schema" : "--to-schema";
    case PRISMAC_DIFF_MIGRATIONS: return from ? "--from-migrations" : "--to-migrations";
    case PRISMAC_DIFF_URL: return from ? "--from-url" : "--to-url";
    case PRISMAC_DIFF_CONFIG_DATASOURCE: return from ? "--from-config-datasource" : "--to-config-datasource";
    case PRISMAC_DIFF_NONE: break;
    }
    return "?";
}

/* Loads the schema of a side (a schema file, or the datasource's) and
 * settles the dialect. Returns 0, else prints why and returns -1. */
static int load_side_schema(diff_run *R, mig_session *s, const char *path)
{
    if (session_load(s, "migrate diff", path) != 0)
        return -1;
    if (R->D && R->D->provider != s->D->provider) {
        fprintf(stderr, "Error: the two sides of migrate diff are for different databases (%s and %s).\n",
                R->D->title, s->D->title);
        return -1;
    }
    R->D = s->D;
    return 0;
}

/* ---- the starting state: one function per kind ---- */

static int load_from_schema(diff_run *R, const char *path)
{
    if (psl_ddl_build(R->from_s.schema, R->D->provider, &R->from_ddl) != 0 ||
        dbstate_from_ddl(R->from_ddl, NULL, &R->arena, &R->from) != 0) {
        fprintf(stderr, "Error: cannot compute the database schema of %s\n", path);
        return -1;
    }
    return 0;
}

static int describe_live(diff_run *R, mig_session *s)
{
    if (R->D->describe(&s->c, &R->from) != 0) {
        fprintf(stderr, "Error: cannot read the database schema: %s\n", s->c.err);
        return -1;
    }
    R->live = &s->c;
    return 0;
}

static int load_from_url(diff_run *R, const char *url)
{
    if (session_open_url(&R->from_s, "migrate diff", R->D, url) != 0)
        return -1;
    return describe_live(R, &R->from_s);
}

static int load_from_config_datasource(diff_run *R)
{
    if (session_open(&R->from_s, NULL) != 0)
        return -1;
    return describe_live(R, &R->from_s);
}

/* A migrations folder is applied to a shadow database, then described
 * into R->from. R->D is the schema's dialect (--to-schema, else --schema). */
static int load_from_migrations(diff_run *R, const char *dir)
{
    /* Replayed on a shadow database (generator/migrations/shadow.h): the
     * --shadow-database-url, else the datasource's shadowDatabaseUrl. */
    const psl_datasource *ds = R->to_s.ds ? R->to_s.ds : R->from_s.ds;
    char *env = NULL;
    const char *shadow = R->o->shadow_url ? R->o->shadow_url : ds ? ds->shadow_url : NULL;
    if (!shadow && ds && ds->shadow_url_env)
        shadow = env = dburl_getenv(ds->shadow_url_env);
    int rc = shadow_state_from_migrations(R->D, ds, dir, shadow, &R->arena, &R->from);
    free(env);
    return rc;
}

/* ---- the target: one function per kind ---- */

static int load_to_schema(diff_run *R, const char *path)
{
    if (psl_ddl_build(R->to_s.schema, R->D->provider, &R->to_ddl) != 0) {
        fprintf(stderr, "Error: cannot compute the database schema of %s\n", path);
        return -1;
    }
    return 0;
}

static int load_to_empty(diff_run *R)
{
    if (psl_ddl_empty(R->D->provider, &R->to_ddl) != 0) {
        fprintf(stderr, "prismac migrate diff: out of memory\n");
        return -1;
    }
    return 0;
}

/* A database as the target: what it holds, as a psl_ddl
 * (psl_ddl_from_dbstate). */
static int load_to_database(diff_run *R, bool config)
{
    mig_session *s = &R->to_s;
    if ((config ? session_open(s, NULL) : session_open_url(s, "migrate diff", R->D, R->o->to.value)) != 0)
        return -1;
    db_state st = { 0 };
    if (R->D->describe(&s->c, &st) != 0) {
        fprintf(stderr, "Error: cannot read the database schema: %s\n", s->c.err);
        return -1;
    }
    bool multi = config && s->ds && s->ds->n_schemas > 0;
    if (psl_ddl_from_dbstate(R->D, &st, s->c.schema, multi, &R->to_ddl) != 0) {
        fprintf(stderr, "prismac migrate diff: out of memory\n");
        return -1;
    }
    return 0;
}

/* A migrations folder as the target: what it makes on a shadow database,
 * as a psl_ddl (psl_ddl_from_dbstate). */
static int load_to_migrations(diff_run *R, const char *dir)
{
    const psl_datasource *ds = R->to_s.ds ? R->to_s.ds : R->from_s.ds;
    char *env = NULL;
    const char *shadow = R->o->shadow_url ? R->o->shadow_url : ds ? ds->shadow_url : NULL;
    if (!shadow && ds && ds->shadow_url_env)
        shadow = env = dburl_getenv(ds->shadow_url_env);
    db_state st = { 0 };
    int rc = shadow_state_from_migrations(R->D, ds, dir, shadow, &R->arena, &st);
    free(env);
    if (rc == 0 && psl_ddl_from_dbstate(R->D, &st, NULL, ds && ds->n_schemas > 0, &R->to_ddl) != 0) {
        fprintf(stderr, "prismac migrate diff: out of memory\n");
        rc = -1;
    }
    return rc;
}

/* Writes `text` and a newline to o->output or stdout. */
static int write_out(const prismac_diff_options *o, const char *text)
{
    FILE *f = o->output ? fopen(o->output, "w") : stdout;
    if (!f) {
        fprintf(stderr, "Error: cannot write %s: %s\n", o->output, strerror(errno));
        return -1;
    }
    size_t n = strlen(text);
    fprintf(f, "%s%s", text, n && text[n - 1] == '\n' ? "" : "\n");
    if (o->output)
        return fclose(f) == 0 ? 0 : -1;
    fflush(f);
    return 0;
}

int prismac_migrate_diff(const prismac_diff_options *o)
{
    diff_run R = { .o = o };
    psl_arena_init(&R.arena);
    plan p = { 0 };
    char *text = NULL;
    int rc = 1;
    const prismac_diff_side *from = &o->from, *to = &o->to;
    if (from->kind == PRISMAC_DIFF_NONE || to->kind == PRISMAC_DIFF_NONE) {
        fprintf(stderr, "Error: %d `--from-...` parameter(s) provided. 1 must be provided.\n",
                from->kind != PRISMAC_DIFF_NONE);
        if (to->kind == PRISMAC_DIFF_NONE)
            fprintf(stderr, "%d `--to-...` parameter(s) provided. 1 must be provided.\n", 0);
        goto done;
    }
    /* The schemas first: they name the database's provider. */
    if (to->kind == PRISMAC_DIFF_SCHEMA && load_side_schema(&R, &R.to_s, to->value) != 0)
        goto done;
    if (from->kind == PRISMAC_DIFF_SCHEMA && load_side_schema(&R, &R.from_s, from->value) != 0)
        goto done;
    if ((from->kind == PRISMAC_DIFF_CONFIG_DATASOURCE || (from->kind == PRISMAC_DIFF_MIGRATIONS && !R.D)) &&
        load_side_schema(&R, &R.from_s, o->schema_path) != 0)
        goto done;
    if ((to->kind == PRISMAC_DIFF_CONFIG_DATASOURCE ||
         (to->kind == PRISMAC_DIFF_MIGRATIONS && !R.D && from->kind != PRISMAC_DIFF_URL)) &&
        load_side_schema(&R, &R.to_s, o->schema_path) != 0)
        goto done;
    for (int side = 0; side < 2 && !R.D; side++) {
        const prismac_diff_side *u = side ? to : from;
        if (u->kind != PRISMAC_DIFF_URL)
            continue;
        R.D = migrate_dialect_for_url(u->value);
        if (!R.D) {
            fprintf(stderr, "Error: P1013: the url of %s must start with `file:`, `postgresql://` or `postgres://`.\n",
                    side_option(side == 0, u->kind));
            goto done;
        }
    }
    if (!R.D) {
        fprintf(stderr, "Error: neither side of migrate diff names a database provider: give a schema "
                        "(--from-schema / --to-schema) or a database.\n");
        goto done;
    }

    int loaded = 0;
    switch (from->kind) {
    case PRISMAC_DIFF_EMPTY: loaded = 0; break;
    case PRISMAC_DIFF_SCHEMA: loaded = load_from_schema(&R, from->value); break;
    case PRISMAC_DIFF_URL: loaded = load_from_url(&R, from->value); break;
    case PRISMAC_DIFF_CONFIG_DATASOURCE: loaded = load_from_config_datasource(&R); break;
    case PRISMAC_DIFF_MIGRATIONS: loaded = load_from_migrations(&R, from->value); break;
    case PRISMAC_DIFF_NONE: loaded = -1; break;
    }
    if (loaded != 0)
        goto done;
    switch (to->kind) {
    case PRISMAC_DIFF_EMPTY: loaded = load_to_empty(&R); break;
    case PRISMAC_DIFF_SCHEMA: loaded = load_to_schema(&R, to->value); break;
    case PRISMAC_DIFF_URL: loaded = load_to_database(&R, false); break;
    case PRISMAC_DIFF_CONFIG_DATASOURCE: loaded = load_to_database(&R, true); break;
    case PRISMAC_DIFF_MIGRATIONS: loaded = load_to_migrations(&R, to->value); break;
    case PRISMAC_DIFF_NONE: loaded = -1; break;
    }
    if (loaded != 0)
        goto done;

    /* As Prisma's diff: no row counts, no diagnostics in the script. */
    plan_options po = { .pure_checks = true, .default_schema = R.live ? R.live->schema : NULL };
    if (migrate_plan(R.D, R.live, &R.from, R.to_ddl, &po, &R.arena, &p) != 0) {
        fprintf(stderr, "prismac migrate diff: out of memory\n");
        goto done;
    }
    p.warnings.len = 0;
    p.unexecutable.len = 0;
    if ((o->script ? plan_render_script(&p, &text) : plan_render_summary(&p, &text)) != 0) {
        fprintf(stderr, "prismac migrate diff: out of memory\n");
        goto done;
    }
    if (write_out(o, text) != 0)
        goto done;
    rc = o->exit_code && !plan_is_empty(&p) ? 2 : 0;
done:
    free(text);
    psl_ddl_free(R.from_ddl);
    psl_ddl_free(R.to_ddl);
    session_close(&R.from_s);
    session_close(&R.to_s);
    psl_arena_release(&R.arena);
    return rc;
}
