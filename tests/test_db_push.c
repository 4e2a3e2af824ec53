/* `prismac db push` end to end, run as the prismac executable, on a
 * SQLite file in a temporary folder and on a real PostgreSQL server
 * (tests/support/pgserver: a throwaway server; the PostgreSQL tests fail,
 * never skip, when none can be started, unless PRISMAC_SKIP_POSTGRES=1).
 *
 * After each push the catalog is queried: tables, enums, indexes, foreign
 * keys and join tables exist; a second push is a no-op; additions are
 * applied with the rows kept; removals stop on Prisma's data-loss warnings unless --accept-data-loss;
 * bad URLs give clear errors. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "pgserver.h"

/* ---- helpers ---- */

static const char *pg_base_url; /* the shared server, NULL when unavailable */
static char pg_error[2048];

typedef struct run {
    int rc;
    char *out, *err;
} run;

static char *slurp_fd(int fd)
{
    off_t n = lseek(fd, 0, SEEK_END);
    char *buf = malloc(n > 0 ? (size_t)n + 1 : 1);
    ck_assert_ptr_nonnull(buf);
    lseek(fd, 0, SEEK_SET);
    size_t got = 0;
    while (n > 0 && got < (size_t)n) {
        ssize_t r = read(fd, buf + got, (size_t)n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    return buf;
}

static const char *prismac_path; /* the prismac executable (argv[1]) */

/* Runs `prismac db push ARGS...` (NULL-terminated) as the executable, in
 * the current directory, capturing stdout and stderr. */
static run push(const char *arg, ...)
{
    char *argv[20];
    int argc = 0;
    argv[argc++] = strdup(prismac_path);
    argv[argc++] = strdup("db");
    argv[argc++] = strdup("push");
    va_list ap;
    va_start(ap, arg);
    for (const char *a = arg; a && argc < 19; a = va_arg(ap, const char *))
        argv[argc++] = strdup(a);
    va_end(ap);
    argv[argc] = NULL;

    char out_path[] = "/tmp/prismac-push-outXXXXXX", err_path[] = "/tmp/prismac-push-errXXXXXX";
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
    run r = { .rc = -1 };
    pid_t pid = fork();
    if (pid == 0) {
        execv(prismac_path, argv);
        _exit(127);
    }
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
        r.rc = WEXITSTATUS(status);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    r.out = slurp_fd(out_fd);
    r.err = slurp_fd(err_fd);
    close(out_fd);
    close(err_fd);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    /* Shown in the test log, to make failures readable. */
    printf("---- db push -> %d\n%s%s", r.rc, r.out, r.err);
    return r;
}

static void run_free(run *r)
{
    free(r->out);
    free(r->err);
}

static void expect_ok(const run *r)
{
    ck_assert_msg(r->rc == 0, "db push failed (%d):\n%s%s", r->rc, r->out, r->err);
    ck_assert_msg(strstr(r->out, "Your database is now in sync with your Prisma schema.") != NULL,
                  "no success message:\n%s", r->out);
}

static void expect_noop(const run *r)
{
    ck_assert_msg(r->rc == 0, "db push failed (%d):\n%s%s", r->rc, r->out, r->err);
    ck_assert_msg(strstr(r->out, "The database is already in sync with the Prisma schema.") != NULL,
                  "the second push was not a no-op:\n%s", r->out);
}

/* Prisma's data-loss stop: the warnings on stdout, the hint on stderr, exit 1. */
static void expect_data_loss(const run *r, const char *warning)
{
    ck_assert_msg(r->rc == 1, "db push should have stopped on data loss (%d):\n%s%s", r->rc, r->out, r->err);
    ck_assert_msg(strstr(r->out, "There might be data loss when applying the changes:") != NULL, "%s", r->out);
    ck_assert_msg(strstr(r->out, warning) != NULL, "the warnings do not mention `%s`:\n%s", warning, r->out);
    ck_assert_msg(strstr(r->err, "Use the --accept-data-loss flag to ignore the data loss warnings") != NULL, "%s",
                  r->err);
    ck_assert_msg(strstr(r->err, "Nothing was changed") != NULL, "no 'Nothing was changed':\n%s", r->err);
}

/* Prisma's refusal of steps that cannot run over the rows there are. */
static void expect_unexecutable(const run *r, const char *why)
{
    ck_assert_msg(r->rc == 1, "db push should have been refused (%d):\n%s%s", r->rc, r->out, r->err);
    ck_assert_msg(strstr(r->err, "We found changes that cannot be executed:") != NULL, "%s", r->err);
    ck_assert_msg(strstr(r->err, why) != NULL, "the refusal does not mention `%s`:\n%s", why, r->err);
    ck_assert_msg(strstr(r->err, "--force-reset") != NULL, "%s", r->err);
}

static char test_cwd[4096]; /* where the test started */

/* A new test folder, made the current directory: it is the project root,
 * against which db push resolves file: paths and reads .env. */
static char *make_dir(void)
{
    char tmpl[] = "/tmp/prismac-push-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    ck_assert_ptr_nonnull(getcwd(test_cwd, sizeof test_cwd));
    ck_assert_int_eq(chdir(tmpl), 0);
    return strdup(tmpl);
}

/* Removes the test folder (it only ever holds files) and goes back to the
 * directory the test started in. */
static void remove_dir(char *dir)
{
    ck_assert_int_eq(chdir(test_cwd), 0);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
    free(dir);
}

/* Writes dir/name; returns the path (malloc'd). */
static char *write_file(const char *dir, const char *name, const char *text)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    ck_assert_ptr_nonnull(path);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* The example schema's models, after a datasource block. */
static const char example_models[] =
    "enum Role {\n  USER\n  ADMIN\n}\n\n"
    "model User {\n"
    "  id        Int      @id @default(autoincrement())\n"
    "  email     String   @unique\n"
    "  name      String?\n"
    "  role      Role     @default(USER)\n"
    "  balance   Int      @default(0)\n"
    "  createdAt DateTime @default(now())\n"
    "  posts     Post[]\n"
    "}\n\n"
    "model Post {\n"
    "  id        Int      @id @default(autoincrement())\n"
    "  title     String\n"
    "  content   String?\n"
    "  published Boolean  @default(false)\n"
    "  views     Int      @default(0)\n"
    "  updatedAt DateTime @updatedAt\n"
    "  author    User     @relation(fields: [authorId], references: [id], onDelete: Cascade)\n"
    "  authorId  Int\n"
    "  tags      Tag[]\n"
    "  @@index([authorId])\n"
    "}\n\n"
    "model Tag {\n"
    "  id    Int    @id @default(autoincrement())\n"
    "  name  String @unique\n"
    "  posts Post[]\n"
    "}\n";

/* The schema text: a datasource then `models`, with `from` replaced by `to`
 * in the models (NULL: unchanged), and `extra` appended. */
static char *schema_text(const char *provider, const char *url_line, const char *models, const char *from,
                         const char *to, const char *extra)
{
    size_t n = strlen(models) + strlen(url_line) + (to ? strlen(to) : 0) + (extra ? strlen(extra) : 0) + 256;
    char *s = malloc(n);
    ck_assert_ptr_nonnull(s);
    int k = snprintf(s, n, "datasource db {\n  provider = \"%s\"\n  %s\n}\n\n", provider, url_line);
    const char *hit = from ? strstr(models, from) : NULL;
    if (from)
        ck_assert_msg(hit != NULL, "`%s` is not in the schema", from);
    if (hit)
        k += snprintf(s + k, n - (size_t)k, "%.*s%s%s", (int)(hit - models), models, to, hit + strlen(from));
    else
        k += snprintf(s + k, n - (size_t)k, "%s", models);
    snprintf(s + k, n - (size_t)k, "%s", extra ? extra : "");
    return s;
}

/* ---- SQLite ---- */

/* The first column of the first row of `sql`, or NULL. malloc'd. */
static char *lite_value(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static void lite_expect(const char *path, const char *sql, const char *want)
{
    char *got = lite_value(path, sql);
    int ok = want ? got && strcmp(got, want) == 0 : got == NULL;
    ck_assert_msg(ok, "%s\n  expected: %s\n  got:      %s", sql, want ? want : "(null)", got ? got : "(null)");
    free(got);
}

static void lite_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

static char *db_path(const char *dir)
{
    size_t n = strlen(dir) + 16;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/dev.db", dir);
    return p;
}

static const char lite_url_line[] = "url      = \"file:./dev.db\"";

START_TEST(sqlite_create_then_noop)
{
    char *dir = make_dir(), *dbp = db_path(dir);
    char *text = schema_text("sqlite", lite_url_line, example_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);

    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    ck_assert_msg(strstr(r.out, "SQLite database dev.db created at file:./dev.db") != NULL, "%s", r.out);
    ck_assert_msg(strstr(r.out, "4 tables") != NULL, "no summary of the created objects:\n%s", r.out);
    run_free(&r);

    lite_expect(dbp,
                "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                "NOT LIKE 'sqlite%' ORDER BY name)",
                "Post,Tag,User,_PostToTag");
    lite_expect(dbp,
                "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND name "
                "NOT LIKE 'sqlite%' ORDER BY name)",
                "Post_authorId_idx,Tag_name_key,User_email_key,_PostToTag_AB_unique,_PostToTag_B_index");
    lite_expect(dbp, "SELECT \"table\" || ':' || \"from\" || ':' || on_delete FROM pragma_foreign_key_list('Post')",
                "User:authorId:CASCADE");
    lite_expect(dbp,
                "SELECT group_concat(\"table\" || ':' || \"from\", ',') FROM pragma_foreign_key_list('_PostToTag')",
                "Tag:B,Post:A");
    lite_expect(dbp, "SELECT dflt_value FROM pragma_table_info('User') WHERE name = 'role'", "'USER'");
    lite_expect(dbp, "SELECT sql LIKE '%AUTOINCREMENT%' FROM sqlite_master WHERE name = 'User'", "1");

    char *before = lite_value(dbp, "SELECT group_concat(sql, ';') FROM sqlite_master");
    r = push("--schema", schema, NULL);
    expect_noop(&r);
    run_free(&r);
    char *after = lite_value(dbp, "SELECT group_concat(sql, ';') FROM sqlite_master");
    ck_assert_str_eq(before, after);

    free(before);
    free(after);
    free(schema);
    free(text);
    free(dbp);
    remove_dir(dir);
}
END_TEST

/* A new model, an optional column, an index and a foreign key on a table
 * with rows: added, the rows kept (the table with the new foreign key is
 * recreated, as SQLite requires). */
START_TEST(sqlite_additions_keep_rows)
{
    char *dir = make_dir(), *dbp = db_path(dir);
    char *text = schema_text("sqlite", lite_url_line, example_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    lite_exec(dbp, "INSERT INTO \"User\" (email, name) VALUES ('ada@example.com', 'Ada');"
                   "INSERT INTO \"Post\" (title, updatedAt, authorId) VALUES ('Hello', 0, 1);"
                   "INSERT INTO \"Tag\" (name) VALUES ('c');"
                   "INSERT INTO \"_PostToTag\" (A, B) VALUES (1, 1);");

    free(text);
    text = schema_text("sqlite", lite_url_line, example_models, "  @@index([authorId])\n",
                       "  @@index([authorId])\n  @@index([title, views(sort: Desc)])\n"
                       "  category   Category? @relation(fields: [categoryId], references: [id])\n"
                       "  categoryId Int?\n  summary    String?\n  rating     Float @default(2.5)\n",
                       "\nmodel Category {\n  id    Int    @id @default(autoincrement())\n  name  String @unique\n"
                       "  posts Post[]\n}\n");
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);

    lite_expect(dbp, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'Category'", "1");
    lite_expect(dbp, "SELECT count(*) FROM pragma_table_info('Post') WHERE name IN ('categoryId', 'summary', 'rating')",
                "3");
    lite_expect(dbp, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'Post_title_views_idx'", "1");
    lite_expect(dbp, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'Category_name_key'", "1");
    lite_expect(dbp, "SELECT on_delete FROM pragma_foreign_key_list('Post') WHERE \"from\" = 'categoryId'", "SET NULL");
    lite_expect(dbp, "SELECT title || ':' || authorId || ':' || rating FROM \"Post\"", "Hello:1:2.5");
    lite_expect(dbp, "SELECT count(*) FROM \"_PostToTag\"", "1");
    lite_expect(dbp, "SELECT count(*) FROM pragma_foreign_key_check", "0");

    r = push("--schema", schema, NULL);
    expect_noop(&r);
    run_free(&r);
    free(schema);
    free(text);
    free(dbp);
    remove_dir(dir);
}
END_TEST

/* Dropping a column or a table loses data: listed, nothing done without
 * --accept-data-loss; with it, applied (SQLite redefines the table) and the
 * other columns' rows kept; --force-reset still wipes everything. */
START_TEST(sqlite_removal_data_loss)
{
    char *dir = make_dir(), *dbp = db_path(dir);
    char *text = schema_text("sqlite", lite_url_line, example_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    lite_exec(dbp, "INSERT INTO \"User\" (email, name) VALUES ('ada@example.com', 'Ada')");

    free(text);
    text = schema_text("sqlite", lite_url_line, example_models, "  name      String?\n", "", NULL);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_data_loss(&r, "You are about to drop the column `name` on the `User` table, which still contains 1 "
                         "non-null values.");
    run_free(&r);
    lite_expect(dbp, "SELECT name FROM \"User\"", "Ada"); /* untouched */

    r = push("--schema", schema, "--accept-data-loss", NULL);
    expect_ok(&r);
    run_free(&r);
    lite_expect(dbp, "SELECT count(*) FROM pragma_table_info('User') WHERE name = 'name'", "0");
    lite_expect(dbp, "SELECT id || ':' || email FROM \"User\"", "1:ada@example.com"); /* the row kept */
    lite_expect(dbp, "SELECT count(*) FROM pragma_index_list('User') WHERE name = 'User_email_key'", "1");
    r = push("--schema", schema, NULL);
    expect_noop(&r);
    run_free(&r);

    /* Dropping a whole model: a warning when it has rows. */
    lite_exec(dbp, "INSERT INTO \"Tag\" (name) VALUES ('c')");
    free(text);
    text = schema_text("sqlite", lite_url_line, example_models, "  tags      Tag[]\n", "", NULL);
    char *cut = strstr(text, "model Tag {");
    ck_assert_ptr_nonnull(cut);
    *cut = '\0';
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_data_loss(&r, "You are about to drop the `Tag` table, which is not empty (1 rows).");
    run_free(&r);
    lite_expect(dbp, "SELECT count(*) FROM sqlite_master WHERE name = 'Tag'", "1");
    r = push("--schema", schema, "--accept-data-loss", NULL);
    expect_ok(&r);
    run_free(&r);
    lite_expect(dbp, "SELECT count(*) FROM sqlite_master WHERE name = 'Tag'", "0");
    lite_expect(dbp, "SELECT email FROM \"User\"", "ada@example.com");

    r = push("--schema", schema, "--force-reset", NULL);
    expect_ok(&r);
    ck_assert_msg(strstr(r.out, "was successfully reset") != NULL, "%s", r.out);
    run_free(&r);
    lite_expect(dbp, "SELECT count(*) FROM \"User\"", "0");

    free(schema);
    free(text);
    free(dbp);
    remove_dir(dir);
}
END_TEST

/* A redefinition that leaves a foreign key dangling (rows written with the
 * keys off) is rolled back whole: PRAGMA foreign_key_check before commit. */
START_TEST(sqlite_redefine_checks_foreign_keys)
{
    char *dir = make_dir(), *dbp = db_path(dir);
    const char *models = "model User {\n  id Int @id\n  posts Post[]\n}\n\n"
                         "model Post {\n  id Int @id\n  title String\n  authorId Int\n"
                         "  author User @relation(fields: [authorId], references: [id])\n}\n";
    char *text = schema_text("sqlite", lite_url_line, models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    lite_exec(dbp, "INSERT INTO \"User\" (id) VALUES (1); INSERT INTO \"Post\" (id, title, authorId) VALUES (1, 'ok', 1), "
                   "(2, 'orphan', 99)");
    free(text);
    /* title optional: SQLite redefines Post */
    text = schema_text("sqlite", lite_url_line, models, "  title String\n", "  title String?\n", NULL);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    ck_assert_msg(r.rc == 1, "%s%s", r.out, r.err);
    ck_assert_msg(strstr(r.err, "FOREIGN KEY constraint failed") != NULL, "%s", r.err);
    run_free(&r);
    lite_expect(dbp, "SELECT \"notnull\" FROM pragma_table_info('Post') WHERE name = 'title'", "1"); /* as before */
    lite_expect(dbp, "SELECT group_concat(title, ',') FROM (SELECT title FROM \"Post\" ORDER BY id)", "ok,orphan");
    lite_exec(dbp, "DELETE FROM \"Post\" WHERE id = 2");
    r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    lite_expect(dbp, "SELECT \"notnull\" FROM pragma_table_info('Post') WHERE name = 'title'", "0");
    lite_expect(dbp, "SELECT title FROM \"Post\"", "ok");
    free(schema);
    free(text);
    free(dbp);
    remove_dir(dir);
}
END_TEST

/* A new required column: refused without a default when the table has
 * rows; with a default, added and filled. */
START_TEST(sqlite_required_column)
{
    char *dir = make_dir(), *dbp = db_path(dir);
    char *text = schema_text("sqlite", lite_url_line, example_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    lite_exec(dbp, "INSERT INTO \"User\" (email) VALUES ('a@example.com'), ('b@example.com')");

    free(text);
    text = schema_text("sqlite", lite_url_line, example_models, "  name      String?\n",
                       "  name      String?\n  level     Int\n", NULL);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_unexecutable(&r, "Added the required column `level` to the `User` table without a default value. There "
                            "are 2 rows in this table, it is not possible to execute this step.");
    run_free(&r);
    r = push("--schema", schema, "--accept-data-loss", NULL); /* not a warning: refused all the same */
    expect_unexecutable(&r, "Added the required column `level`");
    run_free(&r);
    lite_expect(dbp, "SELECT count(*) FROM pragma_table_info('User') WHERE name = 'level'", "0");

    free(text);
    text = schema_text("sqlite", lite_url_line, example_models, "  name      String?\n",
                       "  name      String?\n  level     Int      @default(3)\n  joined DateTime @default(now())\n",
                       NULL);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    lite_expect(dbp, "SELECT group_concat(level, ',') FROM \"User\"", "3,3");
    lite_expect(dbp, "SELECT count(*) FROM \"User\" WHERE joined IS NOT NULL", "2");
    r = push("--schema", schema, NULL);
    expect_noop(&r);
    run_free(&r);

    free(schema);
    free(text);
    free(dbp);
    remove_dir(dir);
}
END_TEST

/* env("X") from the .env file of the current directory (the project root);
 * the file path is relative to it too. */
START_TEST(sqlite_url_from_dotenv)
{
    char *dir = make_dir();
    char *text = schema_text("sqlite", "url = env(\"PRISMAC_PUSH_TEST_URL\")", example_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    char *env = write_file(dir, ".env", "# test\nexport PRISMAC_PUSH_TEST_URL=\"file:./from-env.db\"\n");
    unsetenv("PRISMAC_PUSH_TEST_URL");
    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    size_t n = strlen(dir) + 32;
    char *dbp = malloc(n);
    ck_assert_ptr_nonnull(dbp);
    snprintf(dbp, n, "%s/from-env.db", dir);
    lite_expect(dbp, "SELECT count(*) FROM sqlite_master WHERE name = 'User'", "1");

    /* Without the .env file: a clear error naming the variable. */
    unlink(env);
    r = push("--schema", schema, NULL);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_msg(strstr(r.err, "Environment variable not found: PRISMAC_PUSH_TEST_URL") != NULL, "%s", r.err);
    run_free(&r);

    free(dbp);
    free(env);
    free(schema);
    free(text);
    remove_dir(dir);
}
END_TEST

/* A push that fails in the database leaves nothing behind: a unique index
 * over duplicate values fails, and the column added with it is rolled back. */
START_TEST(sqlite_failure_rolls_back)
{
    char *dir = make_dir(), *dbp = db_path(dir);
    char *text = schema_text("sqlite", lite_url_line, example_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    lite_exec(dbp, "INSERT INTO \"User\" (email, name) VALUES ('a@example.com', 'Same'), ('b@example.com', 'Same')");
    free(text);
    text = schema_text("sqlite", lite_url_line, example_models, "  name      String?\n",
                       "  name      String?  @unique\n  nick      String?\n", NULL);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_data_loss(&r, "A unique constraint covering the columns `[name]` on the table `User` will be added. If there "
                         "are existing duplicate values, this will fail.");
    run_free(&r);
    r = push("--schema", schema, "--accept-data-loss", NULL);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_msg(strstr(r.err, "UNIQUE constraint failed") != NULL, "%s", r.err);
    run_free(&r);
    lite_expect(dbp, "SELECT count(*) FROM pragma_table_info('User') WHERE name = 'nick'", "0");
    free(schema);
    free(text);
    free(dbp);
    remove_dir(dir);
}
END_TEST

START_TEST(bad_urls)
{
    char *dir = make_dir();
    char *text = schema_text("sqlite", lite_url_line, example_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    run r = push("--schema", schema, "--url", "postgresql://u@localhost/x", NULL);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_msg(strstr(r.err, "must start with the protocol `file:`") != NULL, "%s", r.err);
    run_free(&r);
    free(text);
    free(schema);

    text = schema_text("postgresql", "url = \"postgresql://u@localhost/x\"", example_models, NULL, NULL, NULL);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, "--url", "file:./dev.db", NULL);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_msg(strstr(r.err, "`postgresql://` or `postgres://`") != NULL, "%s", r.err);
    run_free(&r);

    /* Nothing listens on port 1: P1001, naming host and port. */
    r = push("--schema", schema, "--url", "postgresql://someone@127.0.0.1:1/nowhere?schema=app", NULL);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_msg(strstr(r.err, "P1001: Can't reach database server at `127.0.0.1`:`1`") != NULL, "%s", r.err);
    ck_assert_msg(strstr(r.err, "Please make sure your database server is running at `127.0.0.1`:`1`.") != NULL, "%s",
                  r.err);
    run_free(&r);

    r = push("--schema", schema, "--bogus", NULL);
    ck_assert_int_eq(r.rc, 2);
    run_free(&r);
    free(text);
    free(schema);
    remove_dir(dir);
}
END_TEST

/* ---- PostgreSQL ---- */

/* The shared server's URL with another database; malloc'd. */
static char *pg_db_url(const char *dbname)
{
    ck_assert_msg(pg_base_url != NULL, "PostgreSQL is not available: %s", pg_error);
    const char *p = strstr(pg_base_url, "://");
    ck_assert_ptr_nonnull(p);
    const char *slash = strchr(p + 3, '/');
    size_t host_len = slash ? (size_t)(slash - pg_base_url) : strlen(pg_base_url);
    const char *query = strchr(pg_base_url, '?');
    size_t n = strlen(pg_base_url) + strlen(dbname) + 8;
    char *url = malloc(n);
    ck_assert_ptr_nonnull(url);
    snprintf(url, n, "%.*s/%s%s", (int)host_len, pg_base_url, dbname, query ? query : "");
    return url;
}

/* A fresh database name: dropped if a previous run left it. */
static char *pg_fresh(const char *dbname)
{
    ck_assert_msg(pg_base_url != NULL, "PostgreSQL is not available: %s", pg_error);
    PGconn *c = PQconnectdb(pg_base_url);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\"", dbname);
    PGresult *r = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return pg_db_url(dbname);
}

static char *pg_value(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
    char *out = PQntuples(r) && !PQgetisnull(r, 0, 0) ? strdup(PQgetvalue(r, 0, 0)) : NULL;
    PQclear(r);
    PQfinish(c);
    return out;
}

static void pg_expect(const char *url, const char *sql, const char *want)
{
    char *got = pg_value(url, sql);
    int ok = want ? got && strcmp(got, want) == 0 : got == NULL;
    ck_assert_msg(ok, "%s\n  expected: %s\n  got:      %s", sql, want ? want : "(null)", got ? got : "(null)");
    free(got);
}

static void pg_exec(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "%s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

static const char pg_url_line[] = "url = env(\"PRISMAC_PUSH_PG_URL\")";

START_TEST(pg_create_then_noop)
{
    char *url = pg_fresh("push_create");
    setenv("PRISMAC_PUSH_PG_URL", url, 1);
    char *dir = make_dir();
    char *text = schema_text("postgresql", pg_url_line, example_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);

    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    ck_assert_msg(strstr(r.out, "PostgreSQL database push_create created at") != NULL, "%s", r.out);
    run_free(&r);

    pg_expect(url,
              "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'",
              "Post,Tag,User,_PostToTag");
    pg_expect(url,
              "SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e JOIN pg_type t ON t.oid "
              "= e.enumtypid WHERE t.typname = 'Role'",
              "USER,ADMIN");
    pg_expect(url,
              "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'",
              "Post_authorId_idx,Post_pkey,Tag_name_key,Tag_pkey,User_email_key,User_pkey,_PostToTag_AB_pkey,"
              "_PostToTag_B_index");
    pg_expect(url,
              "SELECT string_agg(conname || ':' || confdeltype::text || confupdtype::text, ',' ORDER BY conname) FROM "
              "pg_constraint WHERE contype = 'f'",
              "Post_authorId_fkey:cc,_PostToTag_A_fkey:cc,_PostToTag_B_fkey:cc");
    pg_expect(url,
              "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\"User\"'::regclass AND "
              "attname = 'createdAt'",
              "timestamp(3) without time zone");
    pg_expect(url,
              "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid "
              "AND a.attnum = d.adnum WHERE d.adrelid = '\"User\"'::regclass AND a.attname = 'role'",
              "'USER'::\"Role\"");

    r = push("--schema", schema, NULL);
    expect_noop(&r);
    run_free(&r);

    free(schema);
    free(text);
    remove_dir(dir);
    free(url);
}
END_TEST

START_TEST(pg_additions_keep_rows)
{
    char *url = pg_fresh("push_additions");
    setenv("PRISMAC_PUSH_PG_URL", url, 1);
    char *dir = make_dir();
    char *text = schema_text("postgresql", pg_url_line, example_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    pg_exec(url, "INSERT INTO \"User\" (email, name) VALUES ('ada@example.com', 'Ada');"
                 "INSERT INTO \"Post\" (title, \"updatedAt\", \"authorId\") VALUES ('Hello', now(), 1)");

    /* A new enum value used as a default, a new model with a foreign key to
     * an existing table, an optional column, an index, a changed default. */
    free(text);
    text = schema_text("postgresql", pg_url_line, example_models, "  ADMIN\n}\n",
                       "  ADMIN\n  GUEST\n}\n\nmodel Profile {\n  id     Int    @id @default(autoincrement())\n"
                       "  bio    String @default(\"\")\n  user   User   @relation(fields: [userId], references: [id])\n"
                       "  userId Int    @unique\n}\n",
                       NULL);
    char *t2 = text;
    text = schema_text("postgresql", pg_url_line, strstr(t2, "enum Role"), "  balance   Int      @default(0)\n",
                       "  balance   Int      @default(10)\n  nickname  String?\n  level     Role     @default(GUEST)\n"
                       "  profile   Profile?\n  @@index([name, createdAt(sort: Desc)])\n",
                       NULL);
    free(t2);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);

    pg_expect(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'Profile'", "1");
    pg_expect(url,
              "SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e JOIN pg_type t ON t.oid "
              "= e.enumtypid WHERE t.typname = 'Role'",
              "USER,ADMIN,GUEST");
    pg_expect(url, "SELECT email || ':' || coalesce(nickname, '-') || ':' || level || ':' || balance FROM \"User\"",
              "ada@example.com:-:GUEST:0");
    pg_expect(url, "SELECT count(*) FROM pg_indexes WHERE indexname IN ('User_name_createdAt_idx', 'Profile_userId_key')",
              "2");
    pg_expect(url, "SELECT indexdef FROM pg_indexes WHERE indexname = 'User_name_createdAt_idx'",
              "CREATE INDEX \"User_name_createdAt_idx\" ON public.\"User\" USING btree (name, \"createdAt\" DESC)");
    pg_expect(url, "SELECT count(*) FROM pg_constraint WHERE conname = 'Profile_userId_fkey' AND contype = 'f'", "1");
    pg_expect(url,
              "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid "
              "AND a.attnum = d.adnum WHERE d.adrelid = '\"User\"'::regclass AND a.attname = 'balance'",
              "10");
    pg_expect(url, "SELECT count(*) FROM \"Post\"", "1");

    r = push("--schema", schema, NULL);
    expect_noop(&r);
    run_free(&r);
    free(schema);
    free(text);
    remove_dir(dir);
    free(url);
}
END_TEST

/* PostgreSQL: a dropped column, a cast, a type without cast, a column made
 * required over NULLs, removed enum values; each listed as Prisma lists it,
 * nothing done without the flag, applied in place with it (other columns'
 * rows kept). */
START_TEST(pg_data_loss)
{
    char *url = pg_fresh("push_removal");
    setenv("PRISMAC_PUSH_PG_URL", url, 1);
    char *dir = make_dir();
    char *text = schema_text("postgresql", pg_url_line, example_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    pg_exec(url, "INSERT INTO \"User\" (email, name) VALUES ('ada@example.com', 'Ada'), ('bob@example.com', NULL)");

    free(text);
    text = schema_text("postgresql", pg_url_line, example_models, "  name      String?\n", "", NULL);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_data_loss(&r, "You are about to drop the column `name` on the `User` table, which still contains 1 "
                         "non-null values.");
    run_free(&r);
    pg_expect(url, "SELECT name FROM \"User\" WHERE email = 'ada@example.com'", "Ada");

    /* No cast from text to integer: dropped and recreated, a warning. */
    free(text);
    text = schema_text("postgresql", pg_url_line, example_models, "  name      String?\n", "  name      Int?\n", NULL);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_data_loss(&r, "The `name` column on the `User` table would be dropped and recreated. This will lead to data "
                         "loss.");
    run_free(&r);
    r = push("--schema", schema, "--accept-data-loss", NULL);
    expect_ok(&r);
    run_free(&r);
    pg_expect(url, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '\"User\"'::regclass "
                   "AND attname = 'name'", "integer");
    pg_expect(url, "SELECT string_agg(email, ',' ORDER BY id) FROM \"User\"", "ada@example.com,bob@example.com");
    pg_exec(url, "UPDATE \"User\" SET name = 7 WHERE email = 'ada@example.com'");

    /* A narrowing cast (integer to smallint): a warning, values cast in place. */
    free(text);
    text = schema_text("postgresql", pg_url_line, example_models, "  name      String?\n",
                       "  name      Int?     @db.SmallInt\n", NULL);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_data_loss(&r, "You are about to alter the column `name` on the `User` table, which contains 1 non-null "
                         "values. The data in that column will be cast from `Integer` to `SmallInt`.");
    run_free(&r);
    r = push("--schema", schema, "--accept-data-loss", NULL);
    expect_ok(&r);
    run_free(&r);
    pg_expect(url, "SELECT name FROM \"User\" WHERE email = 'ada@example.com'", "7");

    /* Made required over a NULL: cannot be executed, even with the flag. */
    free(text);
    text = schema_text("postgresql", pg_url_line, example_models, "  name      String?\n",
                       "  name      Int      @db.SmallInt\n", NULL);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, "--accept-data-loss", NULL);
    expect_unexecutable(&r, "Made the column `name` on table `User` required, but there are 1 existing NULL values.");
    run_free(&r);
    pg_expect(url, "SELECT attnotnull FROM pg_attribute WHERE attrelid = '\"User\"'::regclass AND attname = 'name'",
              "f");

    /* --force-reset still drops everything. */
    free(text);
    text = schema_text("postgresql", pg_url_line, example_models, "  name      String?\n", "", NULL);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, "--force-reset", NULL);
    expect_ok(&r);
    run_free(&r);
    pg_expect(url, "SELECT count(*) FROM pg_attribute WHERE attrelid = '\"User\"'::regclass AND attname = 'name'", "0");
    pg_expect(url, "SELECT count(*) FROM \"User\"", "0");
    r = push("--schema", schema, NULL);
    expect_noop(&r);
    run_free(&r);

    free(schema);
    free(text);
    remove_dir(dir);
    free(url);
}
END_TEST

/* Multi-schema: the namespaces are created, each table in its own, the
 * enum in its schema; ?schema= selects the default schema otherwise. */
START_TEST(pg_schemas)
{
    char *url = pg_fresh("push_schemas");
    char *dir = make_dir();
    const char *models = "model Test {\n  id Int @id\n  name String\n  type UserType\n  @@schema(\"users\")\n"
                         "  @@unique([name])\n}\n"
                         "model Other {\n  id Int @id\n  tests Test2[]\n  @@schema(\"public\")\n}\n"
                         "model Test2 {\n  id Int @id\n  others Other[]\n  @@schema(\"security\")\n}\n"
                         "enum UserType {\n  Bacteria\n  Archea\n  @@schema(\"users\")\n}\n";
    char *text = schema_text("postgresql", "url = \"postgresql://unused\"\n  schemas = [\"public\", \"users\", "
                                           "\"security\", \"unused\"]",
                             models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    run r = push("--schema", schema, "--url", url, NULL);
    expect_ok(&r);
    run_free(&r);
    pg_expect(url,
              "SELECT string_agg(schemaname || '.' || tablename, ',' ORDER BY schemaname, tablename) FROM pg_tables "
              "WHERE schemaname IN ('public', 'users', 'security')",
              "public.Other,public._OtherToTest2,security.Test2,users.Test");
    pg_expect(url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'unused'", "0");
    pg_expect(url,
              "SELECT n.nspname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = "
              "'UserType'",
              "users");
    r = push("--schema", schema, "--url", url, NULL);
    expect_noop(&r);
    run_free(&r);
    free(text);
    free(schema);

    /* ?schema=app: a schema of its own, created on the way. */
    text = schema_text("postgresql", pg_url_line, example_models, NULL, NULL, NULL);
    schema = write_file(dir, "schema.prisma", text);
    size_t n = strlen(url) + 32;
    char *app = malloc(n);
    ck_assert_ptr_nonnull(app);
    snprintf(app, n, "%s?schema=app", url);
    setenv("PRISMAC_PUSH_PG_URL", app, 1);
    r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    pg_expect(url,
              "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'app'",
              "Post,Tag,User,_PostToTag");
    pg_expect(url, "SELECT n.nspname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = "
                   "'Role'",
              "app");
    r = push("--schema", schema, NULL);
    expect_noop(&r);
    run_free(&r);

    free(app);
    free(text);
    free(schema);
    remove_dir(dir);
    free(url);
}
END_TEST

/* Scalar lists: array columns of every kind with their defaults, a second
 * push that changes nothing, then changed defaults applied in place with the
 * rows kept. */
static const char list_models[] =
    "enum Color {\n  RED\n  GREEN @map(\"green\")\n}\n\n"
    "model L {\n  id Int @id\n  s String[] @default([\"a\", \"it's\"])\n  i Int[] @default([1, 2])\n"
    "  f Float[]\n  b Boolean[] @default([true])\n  d DateTime[]\n  j Json[]\n  by Bytes[]\n  de Decimal[]\n"
    "  big BigInt[]\n  c Color[] @default([GREEN])\n  v String[] @db.VarChar(10) @default([])\n}\n";

static void pg_expect_column(const char *url, const char *column, const char *type, const char *def)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' ' || "
             "coalesce(pg_get_expr(d.adbin, d.adrelid), '-') FROM pg_attribute a LEFT JOIN pg_attrdef d ON "
             "d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = '\"L\"'::regclass AND a.attname = '%s'",
             column);
    char want[256];
    snprintf(want, sizeof want, "%s false %s", type, def);
    pg_expect(url, sql, want);
}

START_TEST(pg_scalar_lists)
{
    char *url = pg_fresh("push_lists");
    setenv("PRISMAC_PUSH_PG_URL", url, 1);
    char *dir = make_dir();
    char *text = schema_text("postgresql", pg_url_line, list_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    pg_expect_column(url, "s", "text[]", "ARRAY['a'::text, 'it''s'::text]");
    pg_expect_column(url, "i", "integer[]", "ARRAY[1, 2]");
    pg_expect_column(url, "f", "double precision[]", "-");
    pg_expect_column(url, "b", "boolean[]", "ARRAY[true]");
    pg_expect_column(url, "d", "timestamp(3) without time zone[]", "-");
    pg_expect_column(url, "j", "jsonb[]", "-");
    pg_expect_column(url, "by", "bytea[]", "-");
    pg_expect_column(url, "de", "numeric(65,30)[]", "-");
    pg_expect_column(url, "big", "bigint[]", "-");
    pg_expect_column(url, "c", "\"Color\"[]", "ARRAY['green'::\"Color\"]");
    pg_expect_column(url, "v", "character varying(10)[]", "(ARRAY[]::character varying[])::character varying(10)[]");
    r = push("--schema", schema, NULL);
    expect_noop(&r);
    run_free(&r);

    pg_exec(url, "INSERT INTO \"L\" (id) VALUES (1)");
    free(text);
    char *t2 = schema_text("postgresql", pg_url_line, list_models, "@default([1, 2])", "", NULL);
    text = schema_text("postgresql", pg_url_line, strstr(t2, "enum Color"), "f Float[]", "f Float[] @default([1.5])",
                       NULL);
    free(t2);
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    pg_expect_column(url, "i", "integer[]", "-");
    pg_expect_column(url, "f", "double precision[]", "ARRAY[(1.5)::double precision]");
    pg_expect(url, "SELECT array_to_string(s, '|') || ';' || array_to_string(i, '|') FROM \"L\"", "a|it's;1|2");
    r = push("--schema", schema, NULL);
    expect_noop(&r);
    run_free(&r);

    free(schema);
    free(text);
    remove_dir(dir);
    free(url);
}
END_TEST

/* A statement the database rejects rolls everything back. */
START_TEST(pg_failure_rolls_back)
{
    char *url = pg_fresh("push_rollback");
    setenv("PRISMAC_PUSH_PG_URL", url, 1);
    char *dir = make_dir();
    char *text = schema_text("postgresql", pg_url_line, example_models, NULL, NULL, NULL);
    char *schema = write_file(dir, "schema.prisma", text);
    run r = push("--schema", schema, NULL);
    expect_ok(&r);
    run_free(&r);
    pg_exec(url, "INSERT INTO \"User\" (email, name) VALUES ('a@example.com', 'Same'), ('b@example.com', 'Same')");
    free(text);
    text = schema_text("postgresql", pg_url_line, example_models, "  name      String?\n",
                       "  name      String?  @unique\n  nick      String?\n", "\nmodel Extra {\n  id Int @id\n}\n");
    free(schema);
    schema = write_file(dir, "schema.prisma", text);
    r = push("--schema", schema, NULL);
    expect_data_loss(&r, "A unique constraint covering the columns `[name]` on the table `User` will be added.");
    run_free(&r);
    r = push("--schema", schema, "--accept-data-loss", NULL);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_msg(strstr(r.err, "User_name_key") != NULL, "%s", r.err);
    run_free(&r);
    pg_expect(url, "SELECT count(*) FROM pg_attribute WHERE attrelid = '\"User\"'::regclass AND attname = 'nick'", "0");
    pg_expect(url, "SELECT count(*) FROM pg_tables WHERE tablename = 'Extra'", "0");
    free(schema);
    free(text);
    remove_dir(dir);
    free(url);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PRISMAC\n", argv[0]);
        return 2;
    }
    /* Absolute: each test runs from a folder of its own. */
    static char prismac_abs[4096];
    if (!realpath(argv[1], prismac_abs)) {
        fprintf(stderr, "test_db_push: %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    prismac_path = prismac_abs;
    const char *skip = getenv("PRISMAC_SKIP_POSTGRES");
    bool with_pg = !(skip && strcmp(skip, "1") == 0);
    if (with_pg) {
        /* Started here, before check forks, so every test shares one server. */
        int skipped = 0;
        pg_base_url = pgserver_shared_url(&skipped, pg_error, sizeof pg_error);
        if (!pg_base_url)
            fprintf(stderr, "test_db_push: no PostgreSQL server: %s\n", pg_error);
    } else {
        printf("test_db_push: PRISMAC_SKIP_POSTGRES=1: the PostgreSQL tests are not run\n");
    }

    Suite *s = suite_create("db push");
    TCase *lite = tcase_create("sqlite");
    tcase_set_timeout(lite, 120);
    tcase_add_test(lite, sqlite_create_then_noop);
    tcase_add_test(lite, sqlite_additions_keep_rows);
    tcase_add_test(lite, sqlite_removal_data_loss);
    tcase_add_test(lite, sqlite_redefine_checks_foreign_keys);
    tcase_add_test(lite, sqlite_required_column);
    tcase_add_test(lite, sqlite_url_from_dotenv);
    tcase_add_test(lite, sqlite_failure_rolls_back);
    tcase_add_test(lite, bad_urls);
    suite_add_tcase(s, lite);
    if (with_pg) {
        TCase *pg = tcase_create("postgresql");
        tcase_set_timeout(pg, 300);
        tcase_add_test(pg, pg_create_then_noop);
        tcase_add_test(pg, pg_additions_keep_rows);
        tcase_add_test(pg, pg_data_loss);
        tcase_add_test(pg, pg_schemas);
        tcase_add_test(pg, pg_failure_rolls_back);
        tcase_add_test(pg, pg_scalar_lists);
        suite_add_tcase(s, pg);
    }
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
