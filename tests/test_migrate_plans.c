/* db push plans per backend, against goldens: for every case in
 * tests/migrate/cases/<case>/ (before.prisma and after.prisma: models only,
 * the datasource is added per backend), the "before" schema is pushed, then
 * the plan for "after" (prismac_db_push_plan) must equal
 * tests/migrate/expected/<case>.<backend>.sql. The plan is then applied, and
 * a second plan must be empty: the database holds what the schema says.
 * Cases named force_reset* plan with --force-reset; every case plans and
 * applies with --accept-data-loss (the data-loss warnings are test_db_push's).
 *
 * PRISMAC_REGENERATE_PLANS=1 rewrites the expected files (review the diff).
 * A new database starts from these files: one more backend in `backends`.
 * Built with PRISMAC_TEST_MYSQL (the migrate_plans_mysql test), it runs the
 * cases on MySQL/MariaDB only, against a server of its own (myserver.h).
 *
 * Arguments: the cases folder and the expected folder. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "pgserver.h"
#include "push.h"
#ifdef PRISMAC_TEST_MYSQL
#include <mysql.h>

#include "myserver.h"
#endif

static const char *cases_dir, *expected_dir;
static char *cases[64];
static int n_cases;
static const char *pg_base_url;
static char pg_error[2048];
#ifdef PRISMAC_TEST_MYSQL
static const char *my_base_url;
static char my_error[2048];
#endif

/* ---- helpers ---- */

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

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    fputs(text, f);
    fclose(f);
}

/* dir/schema.prisma: the datasource of `provider`, then the case's models. */
static char *write_schema(const char *dir, const char *provider, const char *name, const char *which)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s/%s.prisma", cases_dir, name, which);
    char *models = read_text(path);
    ck_assert_msg(models != NULL, "%s: %s", path, strerror(errno));
    size_t n = strlen(models) + 256;
    char *text = malloc(n);
    ck_assert_ptr_nonnull(text);
    snprintf(text, n, "datasource db {\n  provider = \"%s\"\n  url      = env(\"PRISMAC_PLAN_URL\")\n}\n\n%s",
             provider, models);
    char *schema = malloc(strlen(dir) + 32);
    ck_assert_ptr_nonnull(schema);
    sprintf(schema, "%s/schema.prisma", dir);
    write_text(schema, text);
    free(text);
    free(models);
    return schema;
}

/* A url for the case's database, empty. malloc'd. */
static char *fresh_url(const char *backend, const char *dir, const char *name)
{
    char *url = malloc(4096);
    ck_assert_ptr_nonnull(url);
    if (strcmp(backend, "sqlite") == 0) {
        snprintf(url, 4096, "file:%s/dev.db", dir);
        return url;
    }
#ifdef PRISMAC_TEST_MYSQL
    if (strcmp(backend, "mysql") == 0) {
        ck_assert_msg(my_base_url != NULL, "MariaDB is not available: %s", my_error);
        char err[512], sql[256];
        void *m = myserver_connect(my_base_url, err, sizeof err);
        ck_assert_msg(m != NULL, "%s", err);
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `plan_%s`", name);
        ck_assert_msg(myserver_exec(m, sql, err, sizeof err) == 0, "%s", err);
        mysql_close(m);
        snprintf(sql, sizeof sql, "plan_%s", name);
        myserver_database_url(my_base_url, sql, url, 4096);
        return url; /* db push creates the database */
    }
#endif
    ck_assert_msg(pg_base_url != NULL, "PostgreSQL is not available: %s", pg_error);
    PGconn *c = PQconnectdb(pg_base_url);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"plan_%s\"", name);
    PGresult *r = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    snprintf(sql, sizeof sql, "plan_%s", name);
    pgserver_database_url(pg_base_url, sql, url, 4096);
    return url; /* db push creates the database */
}

static void run_case(const char *backend, const char *provider, int i)
{
    const char *name = cases[i];
    char tmpl[] = "/tmp/prismac-plan-XXXXXX";
    char *dir = mkdtemp(tmpl);
    ck_assert_ptr_nonnull(dir);
    char *url = fresh_url(backend, dir, name);

    char *schema = write_schema(dir, provider, name, "before");
    prismac_push_options o = { .schema_path = schema, .url = url };
    ck_assert_msg(prismac_db_push(&o) == 0, "%s/%s: pushing before.prisma failed", name, backend);
    free(schema);

    schema = write_schema(dir, provider, name, "after");
    o.schema_path = schema;
    o.force_reset = strncmp(name, "force_reset", 11) == 0;
    o.accept_data_loss = true; /* the plans with warnings are planned (and applied) too */
    char *script = NULL;
    ck_assert_msg(prismac_db_push_plan(&o, &script) == 0, "%s/%s: planning after.prisma failed", name, backend);

    char expected_path[2048];
    snprintf(expected_path, sizeof expected_path, "%s/%s.%s.sql", expected_dir, name, backend);
    const char *regen = getenv("PRISMAC_REGENERATE_PLANS");
    if (regen && strcmp(regen, "1") == 0)
        write_text(expected_path, script);
    char *expected = read_text(expected_path);
    ck_assert_msg(expected != NULL, "%s: missing (PRISMAC_REGENERATE_PLANS=1 writes it)", expected_path);
    ck_assert_msg(strcmp(expected, script) == 0, "%s/%s: the plan differs from %s:\n--- got\n%s--- expected\n%s",
                  name, backend, expected_path, script, expected);
    free(expected);
    free(script);

    /* Applied, the plan leaves the database as the schema says. */
    ck_assert_msg(prismac_db_push(&o) == 0, "%s/%s: applying the plan failed", name, backend);
    o.force_reset = false;
    ck_assert_int_eq(prismac_db_push_plan(&o, &script), 0);
    ck_assert_msg(strcmp(script, "") == 0, "%s/%s: not in sync after the push:\n%s", name, backend, script);
    free(script);

    free(schema);
    free(url);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

#ifdef PRISMAC_TEST_MYSQL
START_TEST(plan_mysql) { run_case("mysql", "mysql", _i); }
END_TEST
#else
START_TEST(plan_sqlite) { run_case("sqlite", "sqlite", _i); }
END_TEST

START_TEST(plan_postgresql) { run_case("postgresql", "postgresql", _i); }
END_TEST
#endif

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s CASES_DIR EXPECTED_DIR\n", argv[0]);
        return 2;
    }
    cases_dir = argv[1];
    expected_dir = argv[2];
    DIR *d = opendir(cases_dir);
    if (!d) {
        fprintf(stderr, "%s: %s\n", cases_dir, strerror(errno));
        return 2;
    }
    struct dirent *e;
    while ((e = readdir(d)) && n_cases < 64)
        if (e->d_name[0] != '.')
            cases[n_cases++] = strdup(e->d_name);
    closedir(d);
    qsort(cases, (size_t)n_cases, sizeof cases[0], cmp_names);

    Suite *s = suite_create("migrate plans");
#ifdef PRISMAC_TEST_MYSQL
    int my_skipped = 0; /* started before check forks: one server for every case */
    my_base_url = myserver_shared_url(&my_skipped, my_error, sizeof my_error);
    if (my_skipped)
        return 77;
    TCase *my = tcase_create("mysql");
    tcase_set_timeout(my, 300);
    tcase_add_loop_test(my, plan_mysql, 0, n_cases);
    suite_add_tcase(s, my);
#else
    const char *skip = getenv("PRISMAC_SKIP_POSTGRES");
    bool with_pg = !(skip && strcmp(skip, "1") == 0);
    if (with_pg) { /* started before check forks: one server for every case */
        int skipped = 0;
        pg_base_url = pgserver_shared_url(&skipped, pg_error, sizeof pg_error);
    }

    TCase *lite = tcase_create("sqlite");
    tcase_set_timeout(lite, 120);
    tcase_add_loop_test(lite, plan_sqlite, 0, n_cases);
    suite_add_tcase(s, lite);
    if (with_pg) {
        TCase *pg = tcase_create("postgresql");
        tcase_set_timeout(pg, 300);
        tcase_add_loop_test(pg, plan_postgresql, 0, n_cases);
        suite_add_tcase(s, pg);
    }
#endif
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (int i = 0; i < n_cases; i++)
        free(cases[i]);
    return failed || n_cases == 0 ? 1 : 0;
}
