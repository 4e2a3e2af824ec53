/* A Prisma 7 schema through the generated client, on every backend of
 * tests/meson.build's test_backends (tests/schemas/schemainput.prisma.in):
 * its datasource has no url, so prisma_connect(NULL) reads DATABASE_URL
 * from the environment, else from ./.env; its attribute arguments are the
 * forms Prisma coerces (`@@unique(code)`, `@@id(name)`, `@@index(authorId)`,
 * `@relation(fields: authorId, references: id)`, `@default("2.50")` on a
 * Decimal), and each must behave as its list form does. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include TEST_CLIENT_H
#include "testmain.h"

static const char *url;
static const char *prismac_path, *schema_path;
static prisma_client *db;

static const char *const tables[] = { "Post", "Author", "Label" };

#define OK(call)                                                                                                   \
    ck_assert_msg((call) == PRISMA_OK, "%s failed: %s %s", #call, prisma_error_code(db) ? prisma_error_code(db) : "-", \
                  prisma_error_message(db))

static void setup(void)
{
    unsetenv("DATABASE_URL");
    ck_assert_int_eq(testdb_truncate(url, tables, sizeof tables / sizeof tables[0]), 0);
    ck_assert_msg(prisma_connect(&db, url) == PRISMA_OK, "connect: %s", prisma_last_connect_error());
}

static void teardown(void)
{
    prisma_disconnect(db);
    db = NULL;
    unsetenv("DATABASE_URL");
}

/* A new empty folder, made the current one; returns the previous one. */
static char *enter_new_dir(char *dir, size_t cap)
{
    char *cwd = getcwd(NULL, 0);
    ck_assert_ptr_nonnull(cwd);
    snprintf(dir, cap, "/tmp/prismac-schemainput-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(chdir(dir), 0);
    return cwd;
}

static void leave_dir(char *cwd, const char *dir)
{
    ck_assert_int_eq(chdir(cwd), 0);
    free(cwd);
    char env[4200];
    snprintf(env, sizeof env, "%s/.env", dir);
    unlink(env);
    ck_assert_int_eq(rmdir(dir), 0);
}

/* The client works: a write and a read back. */
static void assert_usable(prisma_client *c, const char *code)
{
    Author *a = NULL;
    ck_assert_int_eq(author_create(c, &(AuthorCreateInput){ .code = code }, &a), PRISMA_OK);
    ck_assert_str_eq(a->code, code);
    author_free(a);
    int64_t n = -1;
    ck_assert_int_eq(author_count(c, &(AuthorWhereInput){ .code = { .equals = code } }, &n), PRISMA_OK);
    ck_assert_int_eq(n, 1);
}

/* ---- no url in the schema ---- */

START_TEST(connect_null_reads_DATABASE_URL_from_the_environment)
{
    ck_assert_int_eq(setenv("DATABASE_URL", url, 1), 0);
    prisma_client *c = NULL;
    ck_assert_msg(prisma_connect(&c, NULL) == PRISMA_OK, "%s", prisma_last_connect_error());
    assert_usable(c, "from-environment");
    prisma_disconnect(c);
}
END_TEST

START_TEST(connect_null_reads_DATABASE_URL_from_dotenv)
{
    char dir[64];
    char *cwd = enter_new_dir(dir, sizeof dir);
    FILE *f = fopen(".env", "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "# the project's settings\nDATABASE_URL='%s'\n", url);
    fclose(f);
    prisma_client *c = NULL;
    int rc = prisma_connect(&c, NULL);
    leave_dir(cwd, dir);
    ck_assert_msg(rc == PRISMA_OK, "%s", prisma_last_connect_error());
    assert_usable(c, "from-dotenv");
    prisma_disconnect(c);
}
END_TEST

START_TEST(connect_null_without_DATABASE_URL_says_so)
{
    char dir[64];
    char *cwd = enter_new_dir(dir, sizeof dir);
    prisma_client *c = NULL;
    int rc = prisma_connect(&c, NULL);
    leave_dir(cwd, dir);
    ck_assert_int_eq(rc, PRISMA_ERROR);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(prisma_last_connect_error_code(), "P1012");
    ck_assert_msg(strstr(prisma_last_connect_error(), "Environment variable not found: DATABASE_URL.") != NULL, "%s",
                  prisma_last_connect_error());
    /* The caller's url still wins over everything. */
    ck_assert_int_eq(setenv("DATABASE_URL", "file:/nonexistent/folder/x.db", 1), 0);
    ck_assert_msg(prisma_connect(&c, url) == PRISMA_OK, "%s", prisma_last_connect_error());
    assert_usable(c, "given");
    prisma_disconnect(c);
}
END_TEST

/* db push without --url reads DATABASE_URL too, and the coerced arguments
 * become the same database objects as their list forms. */
START_TEST(db_push_reads_DATABASE_URL_and_creates_the_coerced_objects)
{
    ck_assert_int_eq(setenv("DATABASE_URL", url, 1), 0);
    static char out[16384];
    const char *argv[] = { prismac_path, "db", "push", "--schema", schema_path, "--force-reset", NULL };
    int rc = testdb_run(argv, out, sizeof out);
    ck_assert_msg(rc == 0, "db push: exit %d\n%s", rc, out);
    ck_assert_msg(strstr(out, "unique index `Author_code_key` on `Author`"), "%s", out);
    ck_assert_msg(strstr(out, "index `Post_authorId_idx` on `Post`"), "%s", out);
    ck_assert_msg(strstr(out, "foreign key `Post_authorId_fkey` on `Post`"), "%s", out);
    ck_assert_msg(strstr(out, "table `Label`"), "%s", out);
    /* Pushed again: nothing to do. */
    const char *again[] = { prismac_path, "db", "push", "--schema", schema_path, NULL };
    rc = testdb_run(again, out, sizeof out);
    ck_assert_msg(rc == 0, "db push: exit %d\n%s", rc, out);
    ck_assert_msg(strstr(out, "already in sync"), "%s", out);
}
END_TEST

/* ---- the coercions ---- */

START_TEST(unique_of_one_field_written_without_brackets)
{
    Author *a = NULL;
    OK(author_create(db, &(AuthorCreateInput){ .code = "ada" }, &a));
    author_free(a);
    a = NULL;
    ck_assert_int_eq(author_create(db, &(AuthorCreateInput){ .code = "ada" }, &a), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2002");
    ck_assert_str_eq(prisma_error_message(db), "Unique constraint failed on the fields: (`code`)");
    OK(author_find_unique(db, &(AuthorWhereUniqueInput){ .code = "ada" }, &a));
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a->code, "ada");
    author_free(a);
}
END_TEST

START_TEST(id_of_one_field_written_without_brackets)
{
    Label *l = NULL;
    OK(label_create(db, &(LabelCreateInput){ .name = "red" }, &l));
    label_free(l);
    l = NULL;
    ck_assert_int_eq(label_create(db, &(LabelCreateInput){ .name = "red" }, &l), PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2002");
    OK(label_find_unique(db, &(LabelWhereUniqueInput){ .name = "red" }, &l));
    ck_assert_ptr_nonnull(l);
    ck_assert_str_eq(l->name, "red");
    label_free(l);
}
END_TEST

START_TEST(relation_fields_written_without_brackets)
{
    Author *a = NULL;
    OK(author_create(db, &(AuthorCreateInput){ .code = "grace" }, &a));
    Post *p = NULL;
    OK(post_create_include(db,
                           &(PostCreateInput){ .title = "t",
                                               .author = { .connect = &(AuthorWhereUniqueInput){ .code = "grace" } } },
                           &(PostInclude){ .author = true }, &p));
    ck_assert_int_eq(p->authorId, a->id);
    ck_assert_ptr_nonnull(p->author);
    ck_assert_str_eq(p->author->code, "grace");
    post_free(p);
    p = NULL;
    /* The foreign key exists: a missing author is refused. */
    ck_assert_int_eq(post_create(db, &(PostCreateInput){ .title = "orphan", .authorId = PRISMA_INT(a->id + 1000) }, &p),
                     PRISMA_ERROR);
    ck_assert_str_eq(prisma_error_code(db), "P2003");
    /* onDelete: Cascade, from `fields: authorId`. */
    OK(author_delete(db, &(AuthorWhereUniqueInput){ .id = PRISMA_INT(a->id) }, NULL));
    int64_t n = -1;
    OK(post_count(db, NULL, &n));
    ck_assert_int_eq(n, 0);
    author_free(a);
}
END_TEST

START_TEST(decimal_defaults_written_as_strings)
{
    Author *a = NULL;
    OK(author_create(db, &(AuthorCreateInput){ .code = "d" }, &a));
    Post *p = NULL;
    OK(post_create(db, &(PostCreateInput){ .title = "priced", .authorId = PRISMA_INT(a->id) }, &p));
    author_free(a);
    ck_assert_ptr_nonnull(p->price);
    ck_assert_ptr_nonnull(p->big);
    ck_assert_msg(fabs(strtod(p->price, NULL) - 2.5) < 1e-12, "price %s", p->price);
    ck_assert_msg(fabs(strtod(p->big, NULL) - 1000.125) < 1e-9, "big %s", p->big);
    post_free(p);
    p = NULL;
    OK(post_find_first(db, &(PostFindManyArgs){ .where = &(PostWhereInput){ .price = { .equals = "2.5" } } }, &p));
    ck_assert_ptr_nonnull(p);
    post_free(p);
}
END_TEST

static void add_tests(TCase *tc, const testdb_backend *b)
{
    (void)b;
    tcase_add_test(tc, connect_null_reads_DATABASE_URL_from_the_environment);
    tcase_add_test(tc, connect_null_reads_DATABASE_URL_from_dotenv);
    tcase_add_test(tc, connect_null_without_DATABASE_URL_says_so);
    tcase_add_test(tc, db_push_reads_DATABASE_URL_and_creates_the_coerced_objects);
    tcase_add_test(tc, unique_of_one_field_written_without_brackets);
    tcase_add_test(tc, id_of_one_field_written_without_brackets);
    tcase_add_test(tc, relation_fields_written_without_brackets);
    tcase_add_test(tc, decimal_defaults_written_as_strings);
}

int main(int argc, char **argv)
{
    if (argc >= 4) { /* BACKEND PRISMAC SCHEMA: db push is run again by a test */
        prismac_path = argv[2];
        schema_path = argv[3];
    }
    static const testmain_suite suite = { .name = "schemainput", .timeout = 120, .url = &url, .setup = setup,
                                          .teardown = teardown, .add_tests = add_tests };
    return testmain_run(&suite, argc, argv);
}
