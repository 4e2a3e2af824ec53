/* db pull, case by case (the .sql files of tests/pull/cases), in the format of Prisma's
 * own introspection tests (sql-introspection-tests/tests/simple/): the SQL
 * that makes the database, then in the last comment block the schema Prisma
 * writes for it. Optional lines at the top:
 *   -- tags=postgres,sqlite   the backends the case runs on
 *   -- source=...             where it comes from (a Prisma test, or ours)
 * and an optional comment block opening with `previous` holds the existing
 * schema for re-introspection. Without one, the previous schema is the
 * expected one's generator and datasource blocks (as Prisma's harness passes
 * them), so the comparison is exact.
 *
 * Each case runs on a fresh database (a SQLite file; a PostgreSQL database of
 * the throwaway server), is pulled through the library, compared with the
 * expected text, and the text must validate.
 *
 *   test_pull_cases CASES_DIR      (PRISMAC_PULL_CASE=name runs one) */
#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pgserver.h"
#include "pull_support.h"
#include "schema.h"

static const char *cases_dir;
static const char *pg_base;
static int pg_skipped;
static char pg_err[2048];
static char tmpdir[] = "/tmp/prismac-pull-casesXXXXXX";

typedef struct pull_case {
    char name[200];
    char *sql, *expected, *previous;
    bool sqlite, postgres;
} pull_case;

static pull_case cases[256];
static int n_cases;

/* The text of the last comment block (its opening line break trimmed). */
static char *last_block(const char *text, const char **start)
{
    const char *open = NULL;
    for (const char *p = strstr(text, "/*"); p; p = strstr(p + 2, "/*"))
        open = p;
    if (!open)
        return NULL;
    const char *close = strstr(open, "*/");
    if (!close)
        return NULL;
    *start = open;
    const char *b = open + 2;
    while (*b == '\n')
        b++;
    return strndup(b, (size_t)(close - b));
}

/* Outside a test: a broken case file stops the run with its reason. */
#define need(cond, ...)                                                                                           \
    do {                                                                                                          \
        if (!(cond)) {                                                                                            \
            fprintf(stderr, __VA_ARGS__);                                                                         \
            fputc('\n', stderr);                                                                                  \
            exit(1);                                                                                              \
        }                                                                                                         \
    } while (0)

static void load_case(const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", cases_dir, file);
    char *text = ps_read_file(path);
    need(text != NULL, "cannot read %s", path);
    pull_case *c = &cases[n_cases++];
    snprintf(c->name, sizeof c->name, "%.*s", (int)(strlen(file) - 4), file);
    const char *tags = strstr(text, "-- tags=");
    need(tags != NULL, "%s: no -- tags= line", file);
    size_t tl = strcspn(tags, "\n");
    char *tagline = strndup(tags, tl);
    c->sqlite = strstr(tagline, "sqlite") != NULL;
    c->postgres = strstr(tagline, "postgres") != NULL;
    free(tagline);
    const char *start = NULL;
    c->expected = last_block(text, &start);
    need(c->expected != NULL, "%s: no expected schema block", file);
    const char *prev = strstr(text, "/* previous");
    if (prev && prev < start) {
        const char *b = prev + strlen("/* previous");
        while (*b == '\n')
            b++;
        const char *e = strstr(b, "*/");
        c->previous = strndup(b, (size_t)(e - b));
        c->sql = strndup(text, (size_t)(prev - text));
    } else {
        /* the expected schema's configuration blocks */
        const char *m = c->expected, *cut = NULL;
        for (const char *p = m; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
            if (!strncmp(p, "model ", 6) || !strncmp(p, "enum ", 5) || !strncmp(p, "view ", 5) ||
                !strncmp(p, "///", 3)) {
                cut = p;
                break;
            }
        }
        c->previous = strndup(m, cut ? (size_t)(cut - m) : strlen(m));
        c->sql = strndup(text, (size_t)(start - text));
    }
    free(text);
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void load_cases(void)
{
    DIR *d = opendir(cases_dir);
    need(d != NULL, "no folder %s", cases_dir);
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".sql") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    const char *only = getenv("PRISMAC_PULL_CASE");
    for (int i = 0; i < n; i++) {
        if (!only || !*only || strncmp(names[i], only, strlen(only)) == 0)
            load_case(names[i]);
        free(names[i]);
    }
}

/* Trailing spaces and blank lines at the end do not count. */
static char *normalized(const char *s)
{
    size_t n = strlen(s);
    char *o = malloc(n + 2), *w = o;
    for (const char *p = s; *p;) {
        size_t l = strcspn(p, "\n");
        size_t k = l;
        while (k && (p[k - 1] == ' ' || p[k - 1] == '\r'))
            k--;
        memcpy(w, p, k);
        w += k;
        *w++ = '\n';
        p += l + (p[l] == '\n');
    }
    while (w > o && w[-1] == '\n')
        w--;
    *w++ = '\n';
    *w = '\0';
    return o;
}

static void run_case(const pull_case *c, const migrate_dialect *D, const char *url)
{
    char err[2048] = "";
    ck_assert_msg(ps_exec(url, c->sql, err, sizeof err) == 0, "%s: the case's SQL failed: %s", c->name, err);
    char *warnings = NULL;
    char *got = ps_pull(D, url, c->previous, &warnings, err, sizeof err);
    ck_assert_msg(got != NULL, "%s: pull failed: %s", c->name, err);
    char *a = normalized(got), *b = normalized(c->expected);
    ck_assert_msg(strcmp(a, b) == 0, "%s on %s: the pulled schema differs.\n--- pulled ---\n%s--- expected ---\n%s",
                  c->name, D->title, a, b);
    psl_schema *s = psl_schema_load("schema.prisma", got, strlen(got));
    ck_assert_msg(s && s->diags.errors == 0, "%s: the pulled schema does not validate", c->name);
    psl_schema_free(s);
    free(a);
    free(b);
    free(got);
    free(warnings);
}

START_TEST(case_sqlite)
{
    const pull_case *c = &cases[_i];
    if (!c->sqlite)
        return;
    char url[512];
    snprintf(url, sizeof url, "file:%s/%s.db", tmpdir, c->name);
    unlink(url + 5);
    run_case(c, &migrate_sqlite, url);
}
END_TEST

START_TEST(case_postgres)
{
    const pull_case *c = &cases[_i];
    if (!c->postgres)
        return;
    if (!pg_base) {
        ck_assert_msg(pg_skipped, "no PostgreSQL server: %s", pg_err);
        return;
    }
    char db[256], url[1024], err[2048];
    snprintf(db, sizeof db, "pull_%d", _i);
    ck_assert_msg(ps_fresh_pg_database(pg_base, db, NULL, url, sizeof url, err, sizeof err) == 0, "%s", err);
    run_case(c, &migrate_postgres, url);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CASES_DIR\n", argv[0]);
        return 2;
    }
    cases_dir = argv[1];
    if (!mkdtemp(tmpdir))
        return 1;
    load_cases();
    pg_base = pgserver_shared_url(&pg_skipped, pg_err, sizeof pg_err);
    Suite *su = suite_create("pull_cases");
    TCase *tc = tcase_create("cases");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, case_sqlite, 0, n_cases);
    tcase_add_loop_test(tc, case_postgres, 0, n_cases);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("%d cases\n", n_cases);
    return failed ? 1 : 0;
}
