/* prismac migrate diff (migrate/migrate_diff.h):
 *   - --from-empty --to-schema --script equals the create-from-empty script
 *     (psl_ddl_create, which test_ddl checks against Prisma's corpus) for
 *     every schema of tests/corpus/migrations;
 *   - --exit-code: 0 without difference ("No difference detected."), 2 with
 *     one; 1 for bad sides;
 *   - the walk's scripts, run: on each backend, the from-empty script of the
 *     first step, then every --from-schema N --to-schema N+1 --script, are
 *     executed as a migration would be; after each, migrate diff
 *     --from-url --to-schema finds no difference (the scripts reach their
 *     targets).
 *
 * Built with PRISMAC_TEST_MYSQL (the migrate_diff_mysql test), it runs the
 * walk's scripts on MySQL/MariaDB only, on a server of its own (myserver.h).
 *
 * Arguments: the corpus folder, the walk folder. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "ddl.h"
#include "fileio.h"
#include "migrate_diff.h"
#include "pgserver.h"
#ifdef PRISMAC_TEST_MYSQL
#include <mysql.h>

#include "myserver.h"
#endif
#include "plan.h"
#include "schema.h"
#include "session.h"

static const char *corpus_dir, *walk_dir;
static char *corpus[512], *steps[64];
static int n_corpus, n_steps;
static const char *pg_base_url;
static char pg_error[2048];
#ifdef PRISMAC_TEST_MYSQL
static const char *my_base_url;
static char my_error[2048];
#endif
static char tmp_dir[64];

static char *read_text(const char *path)
{
    char *text = NULL;
    size_t len;
    return prismac_read_file(path, &text, &len) == 0 ? text : NULL;
}

static void collect(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        fprintf(stderr, "%s: %s\n", dir, strerror(errno));
        return;
    }
    struct dirent *e;
    while ((e = readdir(dh)) != NULL && n_corpus < 512) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        size_t n = strlen(path);
        if (S_ISDIR(st.st_mode))
            collect(path);
        else if (n > 7 && strcmp(path + n - 7, ".prisma") == 0)
            corpus[n_corpus++] = strdup(path);
    }
    closedir(dh);
}

/* Runs migrate diff; *out receives what it wrote (malloc'd). */
static int diff(prismac_diff_kind fk, const char *fv, prismac_diff_kind tk, const char *tv, bool script,
                bool exit_code, char **out)
{
    char path[128];
    snprintf(path, sizeof path, "%s/diff.out", tmp_dir);
    unlink(path);
    prismac_diff_options o = { .from = { fk, fv }, .to = { tk, tv }, .script = script, .exit_code = exit_code,
                               .output = path };
    int rc = prismac_migrate_diff(&o);
    if (out)
        *out = read_text(path);
    return rc;
}

START_TEST(from_empty_is_the_create_script)
{
    const char *path = corpus[_i];
    char *text = read_text(path);
    ck_assert_ptr_nonnull(text);
    psl_schema *s = psl_schema_load(path, text, strlen(text));
    ck_assert_ptr_nonnull(s);
    if (s->diags.errors || !s->datasource || !migrate_dialect_for(s->datasource->provider)) {
        printf("skip %s\n", path);
        psl_schema_free(s);
        free(text);
        return;
    }
    char *want = psl_ddl_create(s, s->datasource->provider, NULL);
    ck_assert_ptr_nonnull(want);
    char *got = NULL;
    ck_assert_int_eq(diff(PRISMAC_DIFF_EMPTY, NULL, PRISMAC_DIFF_SCHEMA, path, true, false, &got), 0);
    ck_assert_ptr_nonnull(got);
    const char *expect = *want ? want : "-- This is an empty migration.\n";
    ck_assert_msg(strcmp(got, expect) == 0, "%s: migrate diff --from-empty --script differs:\n--- got\n%s--- expected\n%s",
                  path, got, expect);
    free(got);
    free(want);
    psl_schema_free(s);
    free(text);
}
END_TEST

static char *schema_file(const char *provider, const char *step, const char *url)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", walk_dir, step);
    char *models = read_text(path);
    ck_assert_msg(models != NULL, "%s", path);
    char *out = malloc(256);
    ck_assert_ptr_nonnull(out);
    snprintf(out, 256, "%s/%s.%s", tmp_dir, step, provider);
    FILE *f = fopen(out, "wb");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "datasource db {\n  provider = \"%s\"\n  url      = \"%s\"\n}\n\n%s", provider, url, models);
    fclose(f);
    free(models);
    return out;
}

START_TEST(exit_codes)
{
    char *a = schema_file("sqlite", steps[0], "file:x.db"), *b = schema_file("sqlite", steps[1], "file:x.db");
    char *out = NULL;
    ck_assert_int_eq(diff(PRISMAC_DIFF_SCHEMA, a, PRISMAC_DIFF_SCHEMA, a, false, true, &out), 0);
    ck_assert_str_eq(out, "No difference detected.\n");
    free(out);
    ck_assert_int_eq(diff(PRISMAC_DIFF_SCHEMA, a, PRISMAC_DIFF_SCHEMA, b, false, true, &out), 2);
    ck_assert_msg(strstr(out, "[*] Changed the `User` table\n  [+] Added column `bio`\n") != NULL, "%s", out);
    free(out);
    ck_assert_int_eq(diff(PRISMAC_DIFF_SCHEMA, a, PRISMAC_DIFF_SCHEMA, b, false, false, &out), 0);
    free(out);
    ck_assert_int_eq(diff(PRISMAC_DIFF_SCHEMA, a, PRISMAC_DIFF_SCHEMA, a, true, false, &out), 0);
    ck_assert_str_eq(out, "-- This is an empty migration.\n");
    free(out);
    ck_assert_int_eq(diff(PRISMAC_DIFF_SCHEMA, a, PRISMAC_DIFF_SCHEMA, b, true, false, &out), 0);
    ck_assert_str_eq(out, "-- AlterTable\nALTER TABLE \"User\" ADD COLUMN \"bio\" TEXT;\n");
    free(out);
    ck_assert_int_eq(diff(PRISMAC_DIFF_SCHEMA, a, PRISMAC_DIFF_EMPTY, NULL, true, false, &out), 0);
    ck_assert_msg(strstr(out, "-- DropTable\nPRAGMA foreign_keys=off;\nDROP TABLE \"User\";\nPRAGMA foreign_keys=on;\n") !=
                      NULL,
                  "%s", out);
    free(out);
    /* No side, a missing schema, an unsupported side: exit 1. */
    ck_assert_int_eq(diff(PRISMAC_DIFF_NONE, NULL, PRISMAC_DIFF_SCHEMA, a, true, true, NULL), 1);
    ck_assert_int_eq(diff(PRISMAC_DIFF_EMPTY, NULL, PRISMAC_DIFF_SCHEMA, "/nonexistent.prisma", true, true, NULL), 1);
    ck_assert_int_eq(diff(PRISMAC_DIFF_EMPTY, NULL, PRISMAC_DIFF_EMPTY, NULL, true, true, NULL), 1);
    ck_assert_int_eq(diff(PRISMAC_DIFF_SCHEMA, a, PRISMAC_DIFF_MIGRATIONS, "/nonexistent", true, true, NULL), 1);
    ck_assert_int_eq(diff(PRISMAC_DIFF_SCHEMA, a, PRISMAC_DIFF_URL, "mysql://localhost/x", true, true, NULL), 1);
    free(a);
    free(b);
}
END_TEST

/* The planning API without a database (migrate dev's use): the diagnostics
 * are worded as in a migration file, in the order of their steps, and the
 * script carries them in its Warnings header. */
START_TEST(pure_plan_api)
{
    const char *a = "datasource db {\n  provider = \"sqlite\"\n}\n"
                    "model User {\n  id Int @id\n  email String\n  name String?\n}\n"
                    "model Tag {\n  id Int @id\n}\n";
    const char *b = "datasource db {\n  provider = \"sqlite\"\n}\n"
                    "model User {\n  id Int @id\n  email String\n  level Int\n}\n";
    psl_schema *sa = psl_schema_load("a.prisma", a, strlen(a)), *sb = psl_schema_load("b.prisma", b, strlen(b));
    ck_assert(sa && sb && !sa->diags.errors && !sb->diags.errors);
    psl_ddl *da = NULL, *db = NULL;
    ck_assert_int_eq(psl_ddl_build(sa, PSL_PROVIDER_SQLITE, &da), 0);
    ck_assert_int_eq(psl_ddl_build(sb, PSL_PROVIDER_SQLITE, &db), 0);
    psl_arena arena;
    psl_arena_init(&arena);
    db_state from;
    ck_assert_int_eq(dbstate_from_ddl(da, NULL, &arena, &from), 0);
    plan p;
    ck_assert_int_eq(migrate_plan(migrate_dialect_for(PSL_PROVIDER_SQLITE), NULL, &from, db, NULL, &arena, &p), 0);
    ck_assert_int_eq(p.warnings.len, 2);
    ck_assert_str_eq(p.warnings.items[0], "You are about to drop the `Tag` table. If the table is not empty, all the data "
                                          "it contains will be lost.");
    ck_assert_str_eq(p.warnings.items[1], "You are about to drop the column `name` on the `User` table. All the data in "
                                          "the column will be lost.");
    ck_assert_int_eq(p.unexecutable.len, 1);
    ck_assert_str_eq(p.unexecutable.items[0], "Added the required column `level` to the `User` table without a default "
                                              "value. This is not possible if the table is not empty.");
    char *script = NULL;
    ck_assert_int_eq(plan_render_script(&p, &script), 0);
    const char *head = "/*\n  Warnings:\n\n"
                       "  - You are about to drop the `Tag` table. If the table is not empty, all the data it contains "
                       "will be lost.\n"
                       "  - You are about to drop the column `name` on the `User` table. All the data in the column will "
                       "be lost.\n"
                       "  - Added the required column `level` to the `User` table without a default value. This is not "
                       "possible if the table is not empty.\n\n*/\n-- DropTable\n";
    ck_assert_msg(strncmp(script, head, strlen(head)) == 0, "%s", script);
    ck_assert_msg(strstr(script, "-- RedefineTables\nPRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\n") != NULL,
                  "%s", script);
    free(script);
    char *summary = NULL;
    ck_assert_int_eq(plan_render_summary(&p, &summary), 0);
    ck_assert_str_eq(summary, "\n[-] Removed tables\n  - Tag\n\n[*] Redefined table `User`\n");
    free(summary);
    ck_assert(!plan_is_empty(&p));
    /* The same state against itself: empty. */
    db_state again;
    ck_assert_int_eq(dbstate_from_ddl(db, NULL, &arena, &again), 0);
    ck_assert_int_eq(migrate_plan(migrate_dialect_for(PSL_PROVIDER_SQLITE), NULL, &again, db, NULL, &arena, &p), 0);
    ck_assert(plan_is_empty(&p));
    ck_assert_int_eq(plan_render_script(&p, &script), 0);
    ck_assert_str_eq(script, "-- This is an empty migration.");
    free(script);
    psl_arena_release(&arena);
    psl_ddl_free(da);
    psl_ddl_free(db);
    psl_schema_free(sa);
    psl_schema_free(sb);
}
END_TEST

/* Runs a migration script as Prisma's migrate deploy does on these
 * databases: statement by statement. */
static void run_script(const migrate_dialect *D, const char *url, const char *script, const char *what)
{
    mig_session S = { 0 };
    ck_assert_msg(session_open_url(&S, "test", D, url) == 0, "cannot open %s", url);
    const char *p = script;
    while (*p) {
        const char *end = strstr(p, ";\n");
        if (!end)
            break;
        /* skip the comment lines that head a statement */
        while (p[0] == '-' && p[1] == '-') {
            p = strchr(p, '\n');
            ck_assert_ptr_nonnull(p);
            p++;
        }
        while (*p == '\n')
            p++;
        if (p >= end) {
            p = end + 2;
            continue;
        }
        char *stmt = strndup(p, (size_t)(end - p));
        ck_assert_msg(mc_exec(&S.c, stmt) == 0, "%s: %s\n%s", what, S.c.err, stmt);
        free(stmt);
        p = end + 2;
    }
    session_close(&S);
}

static void scripts_walk(const char *provider, psl_provider pv)
{
    const migrate_dialect *D = migrate_dialect_for(pv);
    char url[4096];
    if (pv == PSL_PROVIDER_SQLITE) {
        snprintf(url, sizeof url, "file:%s/scripts.db", tmp_dir);
        unlink(url + 5);
#ifdef PRISMAC_TEST_MYSQL
    } else if (pv == PSL_PROVIDER_MYSQL) {
        ck_assert_msg(my_base_url != NULL, "MariaDB is not available: %s", my_error);
        char err[512];
        void *m = myserver_connect(my_base_url, err, sizeof err);
        ck_assert_msg(m != NULL, "%s", err);
        ck_assert_msg(myserver_exec(m, "DROP DATABASE IF EXISTS diff_scripts; CREATE DATABASE diff_scripts "
                                       "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                                    err, sizeof err) == 0,
                      "%s", err);
        mysql_close(m);
        myserver_database_url(my_base_url, "diff_scripts", url, sizeof url);
#endif
    } else {
        ck_assert_msg(pg_base_url != NULL, "PostgreSQL is not available: %s", pg_error);
        PGconn *c = PQconnectdb(pg_base_url);
        ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
        PQclear(PQexec(c, "DROP DATABASE IF EXISTS diff_scripts"));
        PQclear(PQexec(c, "CREATE DATABASE diff_scripts"));
        PQfinish(c);
        pgserver_database_url(pg_base_url, "diff_scripts", url, sizeof url);
    }
    char *prev = NULL;
    for (int i = 0; i < n_steps; i++) {
        char *next = schema_file(provider, steps[i], url);
        char *script = NULL;
        if (prev)
            ck_assert_int_eq(diff(PRISMAC_DIFF_SCHEMA, prev, PRISMAC_DIFF_SCHEMA, next, true, false, &script), 0);
        else
            ck_assert_int_eq(diff(PRISMAC_DIFF_EMPTY, NULL, PRISMAC_DIFF_SCHEMA, next, true, false, &script), 0);
        ck_assert_ptr_nonnull(script);
        run_script(D, url, script, steps[i]);
        free(script);
        char *summary = NULL;
        int rc = diff(PRISMAC_DIFF_URL, url, PRISMAC_DIFF_SCHEMA, next, false, true, &summary);
        ck_assert_msg(rc == 0, "%s/%s: the script does not reach the schema:\n%s", steps[i], provider,
                      summary ? summary : "");
        free(summary);
        /* and the database as the target agrees (psl_ddl_from_dbstate) */
        rc = diff(PRISMAC_DIFF_SCHEMA, next, PRISMAC_DIFF_URL, url, true, true, &summary);
        ck_assert_msg(rc == 0, "%s/%s: --from-schema --to-url:\n%s", steps[i], provider, summary ? summary : "");
        free(summary);
        free(prev);
        prev = next;
    }
    /* The first step against the database at the last: a difference, and
     * its script takes a database at the first step there. */
    char *first = schema_file(provider, steps[0], url), *script = NULL;
    ck_assert_int_eq(diff(PRISMAC_DIFF_SCHEMA, first, PRISMAC_DIFF_URL, url, true, true, &script), 2);
    ck_assert_msg(strstr(script, "-- AlterTable") != NULL || strstr(script, "-- RedefineTables") != NULL, "%s", script);
    free(script);
    free(first);
    free(prev);
}

START_TEST(walk_scripts_sqlite) { scripts_walk("sqlite", PSL_PROVIDER_SQLITE); }
END_TEST

#ifdef PRISMAC_TEST_MYSQL
START_TEST(walk_scripts_mysql) { scripts_walk("mysql", PSL_PROVIDER_MYSQL); }
END_TEST
#endif

START_TEST(walk_scripts_postgresql) { scripts_walk("postgresql", PSL_PROVIDER_POSTGRESQL); }
END_TEST

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s CORPUS_DIR WALK_DIR\n", argv[0]);
        return 2;
    }
    corpus_dir = argv[1];
    walk_dir = argv[2];
    collect(corpus_dir);
    qsort(corpus, (size_t)n_corpus, sizeof corpus[0], cmp_names);
    DIR *d = opendir(walk_dir);
    if (!d)
        return 2;
    struct dirent *e;
    while ((e = readdir(d)) && n_steps < 64) {
        size_t n = strlen(e->d_name);
        if (n > 7 && strcmp(e->d_name + n - 7, ".prisma") == 0)
            steps[n_steps++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(steps, (size_t)n_steps, sizeof steps[0], cmp_names);
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/prismac-diff-XXXXXX");
    if (!mkdtemp(tmp_dir))
        return 2;

    Suite *s = suite_create("migrate diff");
    TCase *tc = tcase_create("diff");
    tcase_set_timeout(tc, 240);
#ifdef PRISMAC_TEST_MYSQL
    int my_skipped = 0; /* started before check forks */
    my_base_url = myserver_shared_url(&my_skipped, my_error, sizeof my_error);
    if (my_skipped)
        return 77;
    tcase_add_test(tc, walk_scripts_mysql);
    bool with_pg = false; /* the other checks run too: they need no server */
#else
    const char *skip = getenv("PRISMAC_SKIP_POSTGRES");
    bool with_pg = !(skip && strcmp(skip, "1") == 0);
    if (with_pg) {
        int skipped = 0;
        pg_base_url = pgserver_shared_url(&skipped, pg_error, sizeof pg_error);
    }
#endif
    tcase_add_loop_test(tc, from_empty_is_the_create_script, 0, n_corpus);
    tcase_add_test(tc, exit_codes);
    tcase_add_test(tc, pure_plan_api);
    tcase_add_test(tc, walk_scripts_sqlite);
    if (with_pg)
        tcase_add_test(tc, walk_scripts_postgresql);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    if (system(cmd) != 0)
        failed++;
    for (int i = 0; i < n_corpus; i++)
        free(corpus[i]);
    for (int i = 0; i < n_steps; i++)
        free(steps[i]);
    return failed || n_corpus < 10 || n_steps < 20 ? 1 : 0;
}
