/* db push: resolve the url, open, describe, plan, apply (push.h). */
#include "push.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan.h"
#include "session.h"

static long long elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (long long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Prisma's refusal of unexecutable steps (db push's output). */
static void print_unexecutable(const plan *p)
{
    fprintf(stderr, "\nError: \n\u26A0\uFE0F We found changes that cannot be executed:\n\n");
    for (size_t i = 0; i < p->unexecutable.len; i++)
        fprintf(stderr, "  \u2022 %s\n", (const char *)p->unexecutable.items[i]);
    fprintf(stderr,
            "\nYou may use the --force-reset flag to drop the database before push like prismac db push "
            "--force-reset\nAll data will be lost.\n\nNothing was changed.\n");
}

/* The push; with `script`, the plan only, as text (push.h). */
static int push(const prismac_push_options *o, char **script)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    mig_session S = { 0 };
    psl_ddl *want = NULL;
    db_state have = { 0 };
    plan p = { 0 };
    psl_sql text = { 0 };
    int rc = session_load(&S, "db push", o->schema_path);
    if (rc != 0)
        goto done;
    rc = 1;
    printf("Prisma schema loaded from %s\n", S.schema_path);
    const migrate_dialect *D = S.D;
    if (session_open(&S, o->url) != 0)
        goto done;
    mconn *c = &S.c;
    session_describe_target(&S, &text);
    printf("%s\n\n", psl_sql_text(&text));
    if (c->created)
        printf("%s database %s created at %s\n\n", D->title, c->db_name, c->where);

    if (psl_ddl_build(S.schema, D->provider, &want) != 0) {
        fprintf(stderr, "Error: cannot compute the database schema\n");
        goto done;
    }
    if (D->describe(c, &have) != 0) {
        fprintf(stderr, "Error: cannot read the database schema: %s\n", c->err);
        goto done;
    }
    plan_options po = { .reset = o->force_reset, .default_schema = c->schema };
    if (migrate_plan(D, c, &have, want, &po, &S.arena, &p) != 0) {
        fprintf(stderr, "prismac db push: out of memory\n");
        goto done;
    }
    if (script && apply_script(&p, script) != 0)
        goto done;
    if (p.unexecutable.len) {
        print_unexecutable(&p);
        goto done;
    }
    if (p.warnings.len) {
        printf("\n\u26A0\uFE0F  There might be data loss when applying the changes:\n\n");
        for (size_t i = 0; i < p.warnings.len; i++)
            printf("  \u2022 %s\n\n", (const char *)p.warnings.items[i]);
        printf("\n");
        if (!o->accept_data_loss) {
            fflush(stdout);
            fprintf(stderr,
                    "Error: Use the --accept-data-loss flag to ignore the data loss warnings like prismac db push "
                    "--accept-data-loss\n\nNothing was changed.\n");
            goto done;
        }
    }
    if (script) {
        rc = 0;
        goto done;
    }
    if (plan_statements(&p) == 0) {
        printf("The database is already in sync with the Prisma schema.\n");
        rc = 0;
        goto done;
    }
    if (apply_plan(D, c, &p) != 0)
        goto done;
    if (o->force_reset)
        printf("The %s database \"%s\" at \"%s\" was successfully reset.\n\n", D->title, c->db_name, c->where);
    printf("Your database is now in sync with your Prisma schema. Done in %lldms\n", elapsed_ms(&t0));
    psl_sql_clear(&text);
    apply_summary(&p, &text);
    if (text.len)
        printf("\nApplied: %s.\n", psl_sql_text(&text));
    for (size_t i = 0; i < p.changes.len; i++)
        printf("  %s\n", (const char *)p.changes.items[i]);
    rc = 0;
done:
    if (rc != 0 && script) {
        free(*script);
        *script = NULL;
    }
    psl_sql_free(&text);
    psl_ddl_free(want);
    session_close(&S);
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
