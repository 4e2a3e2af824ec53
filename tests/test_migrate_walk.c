/* The migrate walk: a schema taken through typical changes in sequence
 * (tests/migrate/walk/NN_name.prisma: models only, the datasource is added
 * per backend), each pushed with db push --accept-data-loss onto the same
 * database, on SQLite and PostgreSQL. After each step:
 *   - every column that is there before and after with the same type and
 *     nullability holds the same values (the data of untouched columns is
 *     intact, through table redefinitions too);
 *   - a second db push has nothing to do (its plan is empty);
 *   - migrate diff from the database to the schema, from the schema to the
 *     database and from the database to itself finds no difference.
 * NN_name.sql, when there, inserts rows after the step's push (portable SQL).
 * A `_prisma_migrations` table (Prisma Migrate's history) sits in the
 * database throughout: db push and migrate diff never list, change or drop it.
 *
 * Arguments: the walk folder. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "migrate_diff.h"
#include "pgserver.h"
#include "plan.h"
#include "push.h"
#include "session.h"

static const char *walk_dir;
static char *steps[64];
static int n_steps;
static const char *pg_base_url;
static char pg_error[2048];

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* One column's values, sorted, as text: what "intact" compares. */
typedef struct col_snap {
    char *table, *col, *type, *values;
    bool not_null;
} col_snap;

typedef struct snapshot {
    col_snap cols[256];
    int n;
} snapshot;

static void snap_free(snapshot *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->cols[i].table);
        free(s->cols[i].col);
        free(s->cols[i].type);
        free(s->cols[i].values);
    }
    s->n = 0;
}

static void take_snapshot(const migrate_dialect *D, const char *url, snapshot *out)
{
    mig_session S = { 0 };
    ck_assert_msg(session_open_url(&S, "walk", D, url) == 0, "cannot open %s", url);
    db_state st = { 0 };
    ck_assert_msg(D->describe(&S.c, &st) == 0, "describe: %s", S.c.err);
    out->n = 0;
    for (size_t t = 0; t < st.tables.len; t++) {
        const db_table *h = st.tables.items[t];
        for (size_t c = 0; c < h->cols.len && out->n < 256; c++) {
            const db_col *col = h->cols.items[c];
            psl_sql q = { 0 };
            psl_sql_puts(&q, "SELECT CAST(");
            psl_sql_ident(&q, col->name);
            psl_sql_puts(&q, " AS TEXT) FROM ");
            psl_sql_ident(&q, h->name);
            psl_sql_puts(&q, " ORDER BY 1");
            qres r;
            ck_assert_msg(mc_query(&S.c, psl_sql_text(&q), NULL, 0, &r) == 0, "%s: %s", psl_sql_text(&q), S.c.err);
            psl_sql v = { 0 };
            psl_sql_puts(&v, "");
            for (size_t i = 0; i < r.rows; i++)
                psl_sql_printf(&v, "%s|", cell(&r, i, 0) ? cell(&r, i, 0) : "NULL");
            col_snap *cs = &out->cols[out->n++];
            cs->table = strdup(h->name);
            cs->col = strdup(col->name);
            cs->type = strdup(col->enum_name ? col->enum_name : col->type);
            cs->not_null = col->not_null;
            cs->values = strdup(psl_sql_text(&v));
            psl_sql_free(&q);
            psl_sql_free(&v);
        }
    }
    session_close(&S);
}

/* Every column there before and after, unchanged in type and nullability,
 * keeps its values. Returns how many were compared. */
static int compare(const snapshot *before, const snapshot *after, const char *step, const char *backend)
{
    int compared = 0;
    for (int i = 0; i < before->n; i++) {
        const col_snap *b = &before->cols[i];
        for (int k = 0; k < after->n; k++) {
            const col_snap *a = &after->cols[k];
            if (strcmp(a->table, b->table) != 0 || strcmp(a->col, b->col) != 0)
                continue;
            if (strcmp(a->type, b->type) != 0 || a->not_null != b->not_null)
                continue; /* the step changed it */
            ck_assert_msg(strcmp(a->values, b->values) == 0, "%s/%s: %s.%s changed: before %s, after %s", step,
                          backend, b->table, b->col, b->values, a->values);
            compared++;
        }
    }
    return compared;
}

static char *write_schema(const char *dir, const char *provider, const char *step)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", walk_dir, step);
    char *models = read_text(path);
    ck_assert_msg(models != NULL, "%s: %s", path, strerror(errno));
    char *schema = malloc(strlen(dir) + 32);
    ck_assert_ptr_nonnull(schema);
    sprintf(schema, "%s/schema.prisma", dir);
    FILE *f = fopen(schema, "wb");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "datasource db {\n  provider = \"%s\"\n  url      = env(\"PRISMAC_WALK_URL\")\n}\n\n%s", provider, models);
    fclose(f);
    free(models);
    return schema;
}

/* Runs NN_name.sql (statements separated by ";\n") when there is one. */
static void run_data(const migrate_dialect *D, const char *url, const char *step)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%.*s.sql", walk_dir, (int)(strlen(step) - 7), step);
    char *sql = read_text(path);
    if (!sql)
        return;
    mig_session S = { 0 };
    ck_assert_msg(session_open_url(&S, "walk", D, url) == 0, "cannot open %s", url);
    for (char *p = sql, *end; *p; p = end) {
        end = strstr(p, ";\n");
        end = end ? end + 2 : p + strlen(p);
        char stmt[4096];
        snprintf(stmt, sizeof stmt, "%.*s", (int)(end - p), p);
        char *semi = strrchr(stmt, ';');
        if (semi)
            *semi = '\0';
        if (strspn(stmt, " \n") == strlen(stmt))
            continue;
        ck_assert_msg(mc_exec(&S.c, stmt) == 0, "%s: %s: %s", step, stmt, S.c.err);
    }
    session_close(&S);
    free(sql);
}

/* Creates Prisma's history table with a row, or checks it is still there. */
static void history_table(const migrate_dialect *D, const char *url, bool check)
{
    mig_session S = { 0 };
    ck_assert_msg(session_open_url(&S, "walk", D, url) == 0, "cannot open %s", url);
    if (!check) {
        ck_assert_msg(mc_exec(&S.c, "CREATE TABLE \"_prisma_migrations\" (\"id\" VARCHAR(36) PRIMARY KEY NOT NULL, "
                                    "\"checksum\" VARCHAR(64) NOT NULL, \"migration_name\" VARCHAR(255) NOT NULL)") == 0,
                      "%s", S.c.err);
        ck_assert_msg(mc_exec(&S.c, "INSERT INTO \"_prisma_migrations\" VALUES ('1', 'abc', '20240101000000_init')") == 0,
                      "%s", S.c.err);
    } else {
        ck_assert_int_eq(mc_count(&S.c, "SELECT count(*) FROM \"_prisma_migrations\""), 1);
    }
    session_close(&S);
}

static char *pg_fresh_url(const char *name)
{
    ck_assert_msg(pg_base_url != NULL, "PostgreSQL is not available: %s", pg_error);
    PGconn *c = PQconnectdb(pg_base_url);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\"", name);
    PQclear(PQexec(c, sql));
    PQfinish(c);
    char *url = malloc(4096);
    ck_assert_ptr_nonnull(url);
    pgserver_database_url(pg_base_url, name, url, 4096);
    return url;
}

static void walk(const char *backend, const char *provider, psl_provider p)
{
    const migrate_dialect *D = migrate_dialect_for(p);
    char tmpl[] = "/tmp/prismac-walk-XXXXXX";
    char *dir = mkdtemp(tmpl);
    ck_assert_ptr_nonnull(dir);
    char *url;
    if (p == PSL_PROVIDER_SQLITE) {
        url = malloc(4096);
        ck_assert_ptr_nonnull(url);
        snprintf(url, 4096, "file:%s/walk.db", dir);
    } else {
        url = pg_fresh_url("walk");
    }
    setenv("PRISMAC_WALK_URL", url, 1);
    snapshot before = { 0 }, after = { 0 };
    int compared = 0;
    for (int i = 0; i < n_steps; i++) {
        char *schema = write_schema(dir, provider, steps[i]);
        if (i)
            take_snapshot(D, url, &before);
        prismac_push_options o = { .schema_path = schema, .accept_data_loss = true };
        ck_assert_msg(prismac_db_push(&o) == 0, "%s/%s: db push failed", steps[i], backend);
        if (i) {
            take_snapshot(D, url, &after);
            compared += compare(&before, &after, steps[i], backend);
            snap_free(&before);
            snap_free(&after);
        }
        /* In sync: nothing more to do, and migrate diff agrees. */
        char *script = NULL;
        ck_assert_msg(prismac_db_push_plan(&o, &script) == 0, "%s/%s: planning again failed", steps[i], backend);
        ck_assert_msg(strcmp(script, "") == 0, "%s/%s: a second db push would run:\n%s", steps[i], backend, script);
        free(script);
        prismac_diff_options d = { .from = { PRISMAC_DIFF_URL, url }, .to = { PRISMAC_DIFF_SCHEMA, schema },
                                   .exit_code = true, .output = "/dev/null" };
        ck_assert_msg(prismac_migrate_diff(&d) == 0, "%s/%s: migrate diff finds a difference", steps[i], backend);
        /* The database as the target (psl_ddl_from_dbstate): the schema's state is the database's. */
        prismac_diff_options back = { .from = { PRISMAC_DIFF_SCHEMA, schema }, .to = { PRISMAC_DIFF_URL, url },
                                      .exit_code = true, .output = "/dev/null" };
        ck_assert_msg(prismac_migrate_diff(&back) == 0, "%s/%s: migrate diff --from-schema --to-url finds a difference",
                      steps[i], backend);
        prismac_diff_options same = { .from = { PRISMAC_DIFF_URL, url }, .to = { PRISMAC_DIFF_URL, url },
                                      .exit_code = true, .output = "/dev/null" };
        ck_assert_msg(prismac_migrate_diff(&same) == 0, "%s/%s: a database differs from itself", steps[i], backend);
        run_data(D, url, steps[i]);
        if (i == 0)
            history_table(D, url, false);
        free(schema);
    }
    history_table(D, url, true);
    /* The walk compared real data, not nothing. */
    ck_assert_msg(compared > 5 * n_steps, "%s: only %d column comparisons", backend, compared);
    free(url);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(walk_sqlite) { walk("sqlite", "sqlite", PSL_PROVIDER_SQLITE); }
END_TEST

START_TEST(walk_postgresql) { walk("postgresql", "postgresql", PSL_PROVIDER_POSTGRESQL); }
END_TEST

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s WALK_DIR\n", argv[0]);
        return 2;
    }
    walk_dir = argv[1];
    DIR *d = opendir(walk_dir);
    if (!d) {
        fprintf(stderr, "%s: %s\n", walk_dir, strerror(errno));
        return 2;
    }
    struct dirent *e;
    while ((e = readdir(d)) && n_steps < 64) {
        size_t n = strlen(e->d_name);
        if (n > 7 && strcmp(e->d_name + n - 7, ".prisma") == 0)
            steps[n_steps++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(steps, (size_t)n_steps, sizeof steps[0], cmp_names);

    const char *skip = getenv("PRISMAC_SKIP_POSTGRES");
    bool with_pg = !(skip && strcmp(skip, "1") == 0);
    if (with_pg) {
        int skipped = 0;
        pg_base_url = pgserver_shared_url(&skipped, pg_error, sizeof pg_error);
    }
    Suite *s = suite_create("migrate walk");
    TCase *lite = tcase_create("sqlite");
    tcase_set_timeout(lite, 120);
    tcase_add_test(lite, walk_sqlite);
    suite_add_tcase(s, lite);
    if (with_pg) {
        TCase *pg = tcase_create("postgresql");
        tcase_set_timeout(pg, 300);
        tcase_add_test(pg, walk_postgresql);
        suite_add_tcase(s, pg);
    }
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (int i = 0; i < n_steps; i++)
        free(steps[i]);
    return failed || n_steps < 20 ? 1 : 0;
}
