/* `prismac db pull` (pull.h): load the schema, open its datasource, read
 * the database (the dialect's describe), render, and write the schema file
 * or print it, with Prisma 7's messages. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fileio.h"
#include "pull.h"
#include "pull_int.h"
#include "session.h"

static long long elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (long long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* --schemas a,b: the namespaces to read instead of the datasource's. */
static void manage_listed(mig_session *S, const char *list)
{
    size_t n = 1;
    for (const char *p = list; *p; p++)
        n += *p == ',';
    const char **names = psl_arena_alloc(&S->arena, n * sizeof *names);
    size_t k = 0;
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (len)
            names[k++] = psl_arena_strndup(&S->arena, p, len);
        p += len + (p[len] == ',');
    }
    if (k) {
        S->c.managed = names;
        S->c.n_managed = k;
    }
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    size_t n = strlen(text);
    int rc = fwrite(text, 1, n, f) == n ? 0 : -1;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

/* mkdir, and no error when it exists. */
static int make_dir(const char *path) { return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : -1; }

/* The views' definitions into views/<namespace>/<name>.sql next to the schema
 * file, where Prisma's db pull writes them. */
static int write_views(const char *schema_path, const pull_result *r)
{
    if (!r->n_views)
        return 0;
    const char *slash = strrchr(schema_path, '/');
    int dir_len = slash ? (int)(slash - schema_path) : 1;
    const char *dir = slash ? schema_path : ".";
    char path[4096];
    snprintf(path, sizeof path, "%.*s/views", dir_len, dir);
    if (make_dir(path) != 0)
        return -1;
    for (size_t i = 0; i < r->n_views; i++) {
        const pull_view_definition *v = &r->views[i];
        snprintf(path, sizeof path, "%.*s/views/%s", dir_len, dir, v->namespace_);
        if (make_dir(path) != 0)
            return -1;
        snprintf(path, sizeof path, "%.*s/views/%s/%s.sql", dir_len, dir, v->namespace_, v->name);
        size_t n = strlen(v->sql);
        char *text = malloc(n + 2);
        if (!text)
            return -1;
        memcpy(text, v->sql, n);
        size_t k = n;
        while (k && (text[k - 1] == '\n' || text[k - 1] == ' '))
            k--;
        text[k] = '\n';
        text[k + 1] = '\0';
        int rc = write_file(path, text);
        free(text);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static void print_empty_error(void)
{
    fprintf(stderr,
            "\nP4001 The introspected database was empty:\n\n"
            "prismac db pull could not create any models in your schema.prisma file and you will not be able to "
            "generate the client with the prismac generate command.\n\n"
            "To fix this, you have two options:\n\n"
            "- manually create a table in your database.\n"
            "- make sure the database connection URL inside the datasource block in schema.prisma points to a "
            "database that is not empty (it must contain at least one table).\n\n"
            "Then you can run prismac db pull again.\n");
}

int prismac_db_pull(const prismac_pull_options *o)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    mig_session S = { 0 };
    db_state st = { 0 };
    pull_result r = { 0 };
    psl_sql text = { 0 };
    int rc = session_load(&S, "db pull", o->schema_path);
    if (rc != 0) {
        if (rc == 1 && S.schema && S.schema->diags.errors)
            fprintf(stderr,
                    "Introspection failed as your current Prisma schema file is invalid\n\n"
                    "Please fix your current schema manually (using either prismac validate or the Prisma VS Code "
                    "extension to understand what's broken and confirm you fixed it), and then run this command "
                    "again.\n");
        goto done;
    }
    rc = 1;
    if (!pull_dialect_for(S.D->provider)) {
        fprintf(stderr, "Error: prismac db pull cannot introspect %s databases yet.\n", S.D->title);
        goto done;
    }
    if (!o->print && prismac_is_dir(S.schema_path)) {
        fprintf(stderr, "prismac db pull: %s is a folder (a multi-file schema): prismac writes a single schema file; "
                        "use --print and place the models yourself\n", S.schema_path);
        goto done;
    }
    FILE *msg = o->print ? stderr : stdout; /* --print keeps stdout for the schema */
    fprintf(msg, "Prisma schema loaded from %s\n", S.schema_path);
    if (session_open(&S, o->url) != 0)
        goto done;
    if (o->schemas && *o->schemas && (S.D->caps & MIG_CAP_SCHEMAS))
        manage_listed(&S, o->schemas);
    session_describe_target(&S, &text);
    fprintf(msg, "%s\n\n", psl_sql_text(&text));
    if (!o->print)
        fprintf(msg, "- Introspecting based on datasource defined in %s\n", S.schema_path);
    if (S.D->describe(&S.c, &st) != 0) {
        fprintf(stderr, "Error: cannot read the database schema: %s\n", S.c.err);
        goto done;
    }
    if (st.tables.len == 0) {
        print_empty_error();
        goto done;
    }
    if (prismac_pull_render(S.D, &st, S.schema, o->force, &r) != 0) {
        fprintf(stderr, "prismac db pull: out of memory\n");
        goto done;
    }
    if (o->print) {
        fputs(r.schema, stdout);
        if (*r.warnings) {
            fputs("\n// ", stderr);
            for (const char *p = r.warnings; *p; p++) {
                fputc(*p, stderr);
                if (*p == '\n' && p[1])
                    fputs("// ", stderr);
            }
            fputc('\n', stderr);
        }
        rc = 0;
        goto done;
    }
    if (write_file(S.schema_path, r.schema) != 0) {
        fprintf(stderr, "prismac db pull: cannot write %s\n", S.schema_path);
        goto done;
    }
    if (write_views(S.schema_path, &r) != 0) {
        fprintf(stderr, "prismac db pull: cannot write the views' definitions next to %s: %s\n", S.schema_path,
                strerror(errno));
        goto done;
    }
    printf("\u2714 Introspected %zu %s and wrote %s into %s in %lldms\n", r.n_models,
           r.n_models == 1 ? "model" : "models", r.n_models == 1 ? "it" : "them", S.schema_path, elapsed_ms(&t0));
    if (*r.warnings)
        printf("      \n%s\n", r.warnings);
    else
        printf("      \n");
    printf("Run prismac generate to generate the C client.\n");
    rc = 0;
done:
    pull_result_free(&r);
    psl_sql_free(&text);
    session_close(&S);
    return rc;
}
