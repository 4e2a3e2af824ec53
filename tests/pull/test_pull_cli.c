/* `prismac db pull` as a user runs it (the executable, on SQLite files in a
 * temporary folder and a database of the throwaway PostgreSQL server): the
 * file written and its messages, --print, --force, re-introspection keeping
 * a rename, the views folder, and the errors with their exit statuses (an
 * empty database: P4001; an invalid schema; no schema; a database prismac
 * cannot introspect).
 *
 *   test_pull_cli PRISMAC */
#include <check.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pgserver.h"
#include "pull_support.h"

static const char *prismac;
static char dir[] = "/tmp/prismac-pull-cliXXXXXX";

typedef struct run {
    int rc;
    char *out, *err;
} run;

static char *slurp(const char *path)
{
    char *s = ps_read_file(path);
    return s ? s : strdup("");
}

/* Runs prismac with the arguments (NULL-terminated) in `dir`. */
static run prismac_run(const char *arg, ...)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = strdup(prismac);
    va_list ap;
    va_start(ap, arg);
    for (const char *a = arg; a && argc < 15; a = va_arg(ap, const char *))
        argv[argc++] = strdup(a);
    va_end(ap);
    argv[argc] = NULL;
    char out_path[600], err_path[600];
    snprintf(out_path, sizeof out_path, "%s/.out", dir);
    snprintf(err_path, sizeof err_path, "%s/.err", dir);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(127);
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        execv(prismac, argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    run r = { WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out_path), slurp(err_path) };
    return r;
}

static void run_free(run *r)
{
    free(r->out);
    free(r->err);
}

static void write_in_dir(const char *name, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char *read_in_dir(const char *name)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return ps_read_file(path);
}

static void sqlite_db(const char *name, const char *sql)
{
    char url[700], err[1024];
    snprintf(url, sizeof url, "file:%s/%s", dir, name);
    unlink(url + 5);
    ck_assert_msg(ps_exec(url, sql, err, sizeof err) == 0, "%s", err);
}

static const char *const sqlite_ds = "datasource db {\n  provider = \"sqlite\"\n}\n";

START_TEST(writes_the_schema_and_reports)
{
    sqlite_db("a.db", "CREATE TABLE \"User\" (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
                      "CREATE TABLE \"Post\" (id INTEGER PRIMARY KEY, \"userId\" INTEGER NOT NULL REFERENCES \"User\"(id));");
    write_in_dir("schema.prisma", sqlite_ds);
    run r = prismac_run("db", "pull", "--url", "file:./a.db", NULL);
    ck_assert_msg(r.rc == 0, "%s%s", r.out, r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "Prisma schema loaded from schema.prisma"));
    ck_assert_ptr_nonnull(strstr(r.out, "- Introspecting based on datasource defined in schema.prisma"));
    ck_assert_ptr_nonnull(strstr(r.out, "Introspected 2 models and wrote them into schema.prisma in "));
    char *s = read_in_dir("schema.prisma");
    ck_assert_ptr_nonnull(strstr(s, "model User {"));
    ck_assert_ptr_nonnull(strstr(s, "  Post Post[]\n"));
    ck_assert_ptr_nonnull(strstr(s, "  User   User @relation(fields: [userId], references: [id], onDelete: NoAction, onUpdate: NoAction)\n"));
    free(s);
    run_free(&r);
    r = prismac_run("validate", NULL);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    run_free(&r);
}
END_TEST

START_TEST(print_leaves_the_file_alone)
{
    sqlite_db("p.db", "CREATE TABLE one (id INTEGER PRIMARY KEY); CREATE TABLE log (msg TEXT);");
    write_in_dir("schema.prisma", sqlite_ds);
    run r = prismac_run("db", "pull", "--url", "file:./p.db", "--print", NULL);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "model one {"));
    ck_assert_ptr_null(strstr(r.out, "Prisma schema loaded")); /* messages go to stderr */
    /* the warning about `log`, each line commented */
    ck_assert_ptr_nonnull(strstr(r.err, "// *** WARNING ***"));
    ck_assert_ptr_nonnull(strstr(r.err, "//   - \"log\""));
    char *s = read_in_dir("schema.prisma");
    ck_assert_str_eq(s, sqlite_ds);
    free(s);
    run_free(&r);
}
END_TEST

START_TEST(reintrospection_keeps_a_rename_and_force_drops_it)
{
    sqlite_db("r.db", "CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT NOT NULL);");
    write_in_dir("schema.prisma", "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel Person {\n  id   Int    @id "
                                  "@default(autoincrement())\n  name String @map(\"full_name\")\n\n  @@map(\"users\")\n}\n");
    run r = prismac_run("db", "pull", "--url", "file:./r.db", NULL);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    char *s = read_in_dir("schema.prisma");
    ck_assert_msg(strstr(s, "model Person {") && strstr(s, "  name String @map(\"full_name\")"), "%s", s);
    free(s);
    run_free(&r);
    r = prismac_run("db", "pull", "--url", "file:./r.db", "--force", NULL);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    s = read_in_dir("schema.prisma");
    ck_assert_msg(strstr(s, "model users {") && strstr(s, "  full_name String\n") && !strstr(s, "Person"), "%s", s);
    free(s);
    run_free(&r);
}
END_TEST

START_TEST(views_go_to_the_views_folder)
{
    sqlite_db("v.db", "CREATE TABLE t (id INTEGER PRIMARY KEY); CREATE VIEW v AS SELECT id FROM t;");
    write_in_dir("schema.prisma", "generator client {\n  provider        = \"prismac\"\n  previewFeatures = [\"views\"]\n}\n\n"
                                  "datasource db {\n  provider = \"sqlite\"\n}\n");
    run r = prismac_run("db", "pull", "--url", "file:./v.db", NULL);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "Introspected 2 models"));
    char *def = read_in_dir("views/main/v.sql");
    ck_assert_ptr_nonnull(def);
    ck_assert_str_eq(def, "SELECT id FROM t\n");
    free(def);
    char *s = read_in_dir("schema.prisma");
    ck_assert_ptr_nonnull(strstr(s, "view v {"));
    free(s);
    run_free(&r);
}
END_TEST

START_TEST(errors)
{
    sqlite_db("empty.db", "CREATE TABLE x (id INTEGER); DROP TABLE x;");
    write_in_dir("schema.prisma", sqlite_ds);
    run r = prismac_run("db", "pull", "--url", "file:./empty.db", NULL);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "P4001 The introspected database was empty:"));
    run_free(&r);
    char *s = read_in_dir("schema.prisma");
    ck_assert_str_eq(s, sqlite_ds); /* nothing written */
    free(s);

    write_in_dir("bad.prisma", "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel A {\n  id Nope @id\n}\n");
    r = prismac_run("db", "pull", "--schema", "bad.prisma", "--url", "file:./empty.db", NULL);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "Introspection failed as your current Prisma schema file is invalid"));
    run_free(&r);

    r = prismac_run("db", "pull", "--schema", "missing.prisma", NULL);
    ck_assert_int_ne(r.rc, 0);
    run_free(&r);

    write_in_dir("crdb.prisma", "datasource db {\n  provider = \"cockroachdb\"\n}\n");
    r = prismac_run("db", "pull", "--schema", "crdb.prisma", "--url", "postgresql://u@127.0.0.1:1/x", NULL);
    ck_assert_int_eq(r.rc, 1);
    run_free(&r);
}
END_TEST

START_TEST(postgres_with_schemas_option)
{
    int skipped = 0;
    char err[2048], url[1024];
    const char *base = pgserver_shared_url(&skipped, err, sizeof err);
    if (!base) {
        ck_assert_msg(skipped, "no PostgreSQL server: %s", err);
        return;
    }
    ck_assert_msg(ps_fresh_pg_database(base, "pull_cli", "CREATE SCHEMA other; CREATE TABLE other.thing (id SERIAL PRIMARY KEY); "
                                       "CREATE TABLE public.here (id SERIAL PRIMARY KEY);",
                                       url, sizeof url, err, sizeof err) == 0, "%s", err);
    write_in_dir("pg.prisma", "datasource db {\n  provider = \"postgresql\"\n}\n");
    run r = prismac_run("db", "pull", "--schema", "pg.prisma", "--url", url, "--print", NULL);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "model here {"));
    ck_assert_ptr_null(strstr(r.out, "model thing {"));
    run_free(&r);
    r = prismac_run("db", "pull", "--schema", "pg.prisma", "--url", url, "--print", "--schemas", "other", NULL);
    ck_assert_msg(r.rc == 0, "%s", r.err);
    ck_assert_ptr_nonnull(strstr(r.out, "model thing {"));
    ck_assert_ptr_null(strstr(r.out, "model here {"));
    run_free(&r);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PRISMAC\n", argv[0]);
        return 2;
    }
    static char abs_prismac[4096];
    if (!realpath(argv[1], abs_prismac)) { /* the runs chdir into the work folder */
        perror(argv[1]);
        return 1;
    }
    prismac = abs_prismac;
    if (!mkdtemp(dir))
        return 1;
    Suite *s = suite_create("pull_cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, writes_the_schema_and_reports);
    tcase_add_test(tc, print_leaves_the_file_alone);
    tcase_add_test(tc, reintrospection_keeps_a_rename_and_force_drops_it);
    tcase_add_test(tc, views_go_to_the_views_folder);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, postgres_with_schemas_option);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
