/* Schema input as Prisma 7 reads it, through the command line: multi-file
 * schemas (a folder given to --schema), a datasource without url (the url
 * from --url, DATABASE_URL or ./.env), attribute arguments Prisma coerces
 * (a single value for a list, a Decimal default written as a string) and the
 * relationMode = "prisma" index warning. The expectations are Prisma 7.10's
 * (its CLI run on the same fixtures: tests/multifile/), except where noted.
 *
 * Usage: test_multifile FIXTURES_DIR (tests/multifile); PRISMAC names the
 * prismac executable. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prismac_exec.h"

static char fixtures[PATH_MAX];

typedef struct run {
    int rc;
    char out[16384], err[16384];
} run;

static void slurp(int fd, char *buf, size_t cap)
{
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf, cap - 1);
    buf[n > 0 ? n : 0] = '\0';
}

/* Runs `prismac ARGS...` (NULL-terminated) in the current folder. */
static void prismac(run *r, ...)
{
    char *argv[16] = { NULL };
    int argc = 1;
    va_list ap;
    va_start(ap, r);
    for (const char *a; argc < 15 && (a = va_arg(ap, const char *)) != NULL;)
        argv[argc++] = strdup(a);
    va_end(ap);
    argv[0] = strdup("prismac");
    char out_path[] = "/tmp/prismac-mf-out-XXXXXX", err_path[] = "/tmp/prismac-mf-err-XXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    ck_assert_int_ge(out_fd, 0);
    ck_assert_int_ge(err_fd, 0);
    unlink(out_path);
    unlink(err_path);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    r->rc = prismac_exec(argv);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    slurp(out_fd, r->out, sizeof r->out);
    slurp(err_fd, r->err, sizeof r->err);
    close(out_fd);
    close(err_fd);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
}

static const char *fixture(const char *name)
{
    static char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", fixtures, name);
    return path;
}

/* A new folder holding a copy of fixture `name` (as `name`), made the
 * current folder. Returns the folder (static). */
static const char *work_copy(const char *name)
{
    static char dir[] = "/tmp/prismac-mf-XXXXXX";
    strcpy(dir, "/tmp/prismac-mf-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char cmd[3 * PATH_MAX];
    snprintf(cmd, sizeof cmd, "cp -R '%s' '%s/'", fixture(name), dir);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_eq(chdir(dir), 0);
    return dir;
}

static void remove_work(const char *dir)
{
    char cmd[PATH_MAX + 32];
    ck_assert_int_eq(chdir("/"), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    /* The whole file: a generated client.c is larger than any fixed buffer. */
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            buf = realloc(buf, cap *= 2);
            ck_assert_ptr_nonnull(buf);
        }
    }
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

#define ASSERT_HAS(hay, needle) ck_assert_msg(strstr((hay), (needle)) != NULL, "expected \"%s\" in:\n%s", (needle), (hay))
#define ASSERT_LACKS(hay, needle) ck_assert_msg(strstr((hay), (needle)) == NULL, "unexpected \"%s\" in:\n%s", (needle), (hay))

/* ---- multi-file schemas ---- */

START_TEST(folder_is_one_schema)
{
    ck_assert_int_eq(chdir(fixtures), 0);
    run r;
    prismac(&r, "validate", "--schema", "valid", NULL);
    ck_assert_msg(r.rc == 0, "exit %d:\n%s", r.rc, r.err);
    ASSERT_HAS(r.out, "The schemas at valid are valid.");
    /* A file of the folder alone misses the others' names. */
    prismac(&r, "validate", "--schema", "valid/models/post.prisma", NULL);
    ck_assert_int_eq(r.rc, 1);
    ASSERT_HAS(r.err, "valid/models/post.prisma:4:");
    ASSERT_HAS(r.err, "Type \"Author\" is neither a built-in type");
}
END_TEST

START_TEST(errors_name_their_file)
{
    ck_assert_int_eq(chdir(fixtures), 0);
    run r;
    prismac(&r, "validate", "--schema", "error_in_second", NULL);
    ck_assert_int_eq(r.rc, 1);
    /* Prisma: `-->  error_in_second/b.prisma:5` */
    ASSERT_HAS(r.err, "error_in_second/b.prisma:5:10: error: Type \"Strin\" is neither a built-in type");
    ASSERT_HAS(r.err, "      body   Strin\n");
    ASSERT_LACKS(r.err, "a.prisma");
    ASSERT_HAS(r.err, "1 error in error_in_second");
    /* generate and db push refuse it the same way. */
    prismac(&r, "generate", "--schema", "error_in_second", NULL);
    ck_assert_int_eq(r.rc, 1);
    ASSERT_HAS(r.err, "error_in_second/b.prisma:5:10: error:");
}
END_TEST

/* Exactly one datasource across the files. (Prisma 7.10 checks this per file
 * and lets two datasources in two files through; prismac names both, as
 * Prisma does for two in one file.) */
START_TEST(one_datasource_across_files)
{
    ck_assert_int_eq(chdir(fixtures), 0);
    run r;
    prismac(&r, "validate", "--schema", "two_datasources", NULL);
    ck_assert_int_eq(r.rc, 1);
    ASSERT_HAS(r.err, "two_datasources/a.prisma:1:1: error: Error validating datasource `db`: You defined more than "
                      "one datasource.");
    ASSERT_HAS(r.err, "two_datasources/b.prisma:1:1: error: Error validating datasource `other`: You defined more "
                      "than one datasource.");
}
END_TEST

/* format rewrites each file in place; what Prisma's formatter adds goes
 * into the file of the model it belongs to (User gets `posts` in a.prisma
 * for the relation b.prisma declares). The expected files are Prisma 7.10's
 * `prisma format` output. */
START_TEST(format_rewrites_each_file)
{
    const char *dir = work_copy("unformatted");
    run r;
    prismac(&r, "format", "--check", "--schema", "unformatted", NULL);
    ck_assert_int_eq(r.rc, 1);
    ASSERT_HAS(r.err, "unformatted/a.prisma is not formatted");
    ASSERT_HAS(r.err, "unformatted/b.prisma is not formatted");
    prismac(&r, "format", "--schema", "unformatted", NULL);
    ck_assert_msg(r.rc == 0, "exit %d:\n%s", r.rc, r.err);
    static const char *const files[] = { "a.prisma", "b.prisma" };
    for (size_t i = 0; i < 2; i++) {
        char got_path[PATH_MAX], want_path[PATH_MAX + 64];
        snprintf(got_path, sizeof got_path, "unformatted/%s", files[i]);
        snprintf(want_path, sizeof want_path, "%s/unformatted.expected/%s", fixtures, files[i]);
        char *got = read_text(got_path), *want = read_text(want_path);
        ck_assert_msg(strcmp(got, want) == 0, "%s:\n%s\nPrisma's:\n%s", files[i], got, want);
        free(got);
        free(want);
    }
    prismac(&r, "format", "--check", "--schema", "unformatted", NULL);
    ck_assert_msg(r.rc == 0, "formatted twice differs:\n%s", r.err);
    remove_work(dir);
}
END_TEST

START_TEST(empty_folder_and_default_locations)
{
    const char *dir = work_copy("valid");
    run r;
    ck_assert_int_eq(mkdir("nothing", 0700), 0);
    prismac(&r, "validate", "--schema", "nothing", NULL);
    ck_assert_int_eq(r.rc, 1);
    ASSERT_HAS(r.err, "no .prisma files in the folder nothing");
    /* Prisma 7's default locations are ./schema.prisma and
     * ./prisma/schema.prisma (Prisma 7.10 does not look into a
     * prisma/schema/ folder); a folder is used when named. */
    ck_assert_int_eq(mkdir("prisma", 0700), 0);
    ck_assert_int_eq(rename("valid", "prisma/schema"), 0);
    prismac(&r, "validate", NULL);
    ck_assert_int_eq(r.rc, 2);
    ASSERT_HAS(r.err, "no schema found");
    prismac(&r, "validate", "--schema", "prisma/schema/", NULL);
    ck_assert_msg(r.rc == 0, "exit %d:\n%s", r.rc, r.err);
    ck_assert_int_eq(rename("prisma/schema/schema.prisma", "prisma/schema.prisma"), 0);
    prismac(&r, "validate", NULL);
    ck_assert_int_eq(r.rc, 0); /* prisma/schema.prisma alone: no models, valid */
    ASSERT_HAS(r.out, "The schema at prisma/schema.prisma is valid.");
    prismac(&r, "validate", "--schema", "prisma", NULL);
    ck_assert_msg(r.rc == 0, "exit %d:\n%s", r.rc, r.err); /* the folder and its subfolders */
    remove_work(dir);
}
END_TEST

/* ---- a datasource without url, end to end on SQLite ---- */

static char *column_default(const char *db_path, const char *table, const char *column)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT dflt_value FROM pragma_table_info('%s') WHERE name = '%s'", table, column);
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

START_TEST(folder_generates_and_pushes_without_url)
{
    const char *dir = work_copy("valid");
    run r;
    /* The output is relative to the file that holds the generator block. */
    prismac(&r, "generate", "--schema", "valid", NULL);
    ck_assert_msg(r.rc == 0, "exit %d:\n%s", r.rc, r.err);
    struct stat st;
    ck_assert_msg(stat("valid/generated/client.h", &st) == 0, "no valid/generated/client.h:\n%s", r.out);
    char *h = read_text("valid/generated/client.h");
    ASSERT_HAS(h, "AuthorWhereUniqueInput");
    free(h);
    char *c = read_text("valid/generated/client.c");
    ASSERT_HAS(c, ".url = NULL"); /* prisma_connect(NULL) then reads DATABASE_URL */
    ASSERT_HAS(c, ".url_env = NULL");
    free(c);

    /* No url anywhere: db push says which variable it wants. */
    unsetenv("DATABASE_URL");
    prismac(&r, "db", "push", "--schema", "valid", NULL);
    ck_assert_int_eq(r.rc, 1);
    ASSERT_HAS(r.err, "Environment variable not found: DATABASE_URL.");
    ASSERT_HAS(r.err, "has no url");

    /* ./.env, then the environment (which wins), then --url (which wins). */
    write_text(".env", "DATABASE_URL=\"file:./from-dotenv.db\"\n");
    prismac(&r, "db", "push", "--schema", "valid", NULL);
    ck_assert_msg(r.rc == 0, "exit %d:\n%s%s", r.rc, r.out, r.err);
    ck_assert_int_eq(stat("from-dotenv.db", &st), 0);
    /* The coerced arguments reached the database. */
    ASSERT_HAS(r.out, "unique index `Author_code_key` on `Author`");
    ASSERT_HAS(r.out, "index `Post_authorId_idx` on `Post`");
    ASSERT_HAS(r.out, "foreign key `Post_authorId_fkey` on `Post`");
    char *def = column_default("from-dotenv.db", "Post", "price");
    ck_assert_ptr_nonnull(def);
    ck_assert_str_eq(def, "2.50");
    free(def);

    setenv("DATABASE_URL", "file:./from-environment.db", 1);
    prismac(&r, "db", "push", "--schema", "valid", NULL);
    ck_assert_msg(r.rc == 0, "exit %d:\n%s", r.rc, r.err);
    ck_assert_int_eq(stat("from-environment.db", &st), 0);

    prismac(&r, "db", "push", "--schema", "valid", "--url", "file:./from-flag.db", NULL);
    ck_assert_msg(r.rc == 0, "exit %d:\n%s", r.rc, r.err);
    ck_assert_int_eq(stat("from-flag.db", &st), 0);
    unsetenv("DATABASE_URL");
    remove_work(dir);
}
END_TEST

/* ---- relationMode = "prisma" ---- */

START_TEST(relation_mode_index_warning)
{
    ck_assert_int_eq(chdir(fixtures), 0);
    run r;
    prismac(&r, "validate", "--schema", "relation_mode/no_index.prisma", NULL);
    ck_assert_msg(r.rc == 0, "a warning failed validate:\n%s", r.err);
    /* Prisma's text, word for word (its trailing quote and space too). */
    ASSERT_HAS(r.err, "relation_mode/no_index.prisma:14:15: warning: With `relationMode = \"prisma\"`, no foreign keys "
                      "are used, so relation fields will not benefit from the index usually created by the "
                      "relational database under the hood. This can lead to poor performance when querying these "
                      "fields. We recommend adding an index manually. Learn more at "
                      "https://pris.ly/d/relation-mode-prisma-indexes\" \n");
    ASSERT_HAS(r.out, "is valid");
    prismac(&r, "validate", "--schema", "relation_mode/indexed.prisma", NULL);
    ck_assert_int_eq(r.rc, 0);
    ASSERT_LACKS(r.err, "warning");
}
END_TEST

int main(int argc, char **argv)
{
    if (argc < 2 || !realpath(argv[1], fixtures)) {
        fprintf(stderr, "usage: %s FIXTURES_DIR (tests/multifile)\n", argv[0]);
        return 2;
    }
    Suite *s = suite_create("multifile");
    TCase *tc = tcase_create("schema input");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, folder_is_one_schema);
    tcase_add_test(tc, errors_name_their_file);
    tcase_add_test(tc, one_datasource_across_files);
    tcase_add_test(tc, format_rewrites_each_file);
    tcase_add_test(tc, empty_folder_and_default_locations);
    tcase_add_test(tc, folder_generates_and_pushes_without_url);
    tcase_add_test(tc, relation_mode_index_warning);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
