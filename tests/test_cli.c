/* The command line's one option parser: every command answers --help and -h
 * with its own usage on stdout and exit status 0, and refuses an unknown
 * option with exit status 2 and a message naming it. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prismac_exec.h"

typedef struct run {
    int rc;
    char out[8192], err[8192];
} run;

static void slurp(int fd, char *buf, size_t cap)
{
    lseek(fd, 0, SEEK_SET);
    ssize_t n = read(fd, buf, cap - 1);
    buf[n > 0 ? n : 0] = '\0';
}

/* Runs `prismac A B C D E` (NULL ends the list early) in an empty folder, so
 * no schema is found by default. */
static void run_prismac5(run *r, const char *a, const char *b, const char *c, const char *d, const char *e)
{
    char *argv[7] = { NULL };
    const char *args[5] = { a, b, c, d, e };
    int argc = 1;
    for (int i = 0; i < 5 && args[i]; i++)
        argv[argc++] = strdup(args[i]);
    argv[0] = strdup("prismac");
    char out_path[] = "/tmp/prismac-cli-out-XXXXXX", err_path[] = "/tmp/prismac-cli-err-XXXXXX";
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

static void run_prismac(run *r, const char *a, const char *b, const char *c, const char *d)
{
    run_prismac5(r, a, b, c, d, NULL);
}

/* The commands, as words: "db push" is two. */
static const char *const commands[][2] = {
    { "validate", NULL }, { "format", NULL }, { "generate", NULL }, { "db", "push" }, { "version", NULL },
};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

static char empty_dir[] = "/tmp/prismac-cli-XXXXXX";

START_TEST(help_exits_zero)
{
    const char *w1 = commands[_i][0], *w2 = commands[_i][1];
    char name[64];
    snprintf(name, sizeof name, "prismac %s%s%s", w1, w2 ? " " : "", w2 ? w2 : "");
    static const char *const flags[] = { "--help", "-h" };
    for (size_t k = 0; k < 2; k++) {
        run r;
        run_prismac(&r, w1, w2 ? w2 : flags[k], w2 ? flags[k] : NULL, NULL);
        ck_assert_msg(r.rc == 0, "%s %s: exit %d, stderr: %s", name, flags[k], r.rc, r.err);
        ck_assert_msg(strstr(r.out, name) != NULL, "%s %s does not print its usage: %s", name, flags[k], r.out);
        ck_assert_msg(strstr(r.out, "Usage:") != NULL, "%s %s: no usage line: %s", name, flags[k], r.out);
    }
    /* --help wins wherever it is, even after other options. */
    if (strcmp(w1, "version") != 0) {
        run r;
        if (w2)
            run_prismac5(&r, w1, w2, "--schema", "x.prisma", "--help");
        else
            run_prismac(&r, w1, "--schema", "x.prisma", "--help");
        ck_assert_msg(r.rc == 0, "%s --schema x.prisma --help: exit %d", name, r.rc);
        ck_assert_ptr_nonnull(strstr(r.out, name));
    }
}
END_TEST

START_TEST(unknown_option_exits_two)
{
    const char *w1 = commands[_i][0], *w2 = commands[_i][1];
    run r;
    run_prismac(&r, w1, w2 ? w2 : "--frobnicate", w2 ? "--frobnicate" : NULL, NULL);
    ck_assert_msg(r.rc == 2, "%s %s --frobnicate: exit %d", w1, w2 ? w2 : "", r.rc);
    ck_assert_msg(strstr(r.err, "unknown option '--frobnicate'") != NULL, "no clear message: %s", r.err);
    ck_assert_msg(strstr(r.err, "Usage:") != NULL, "no usage after the message: %s", r.err);
    ck_assert_str_eq(r.out, "");
}
END_TEST

START_TEST(missing_value_and_missing_schema_exit_two)
{
    const char *w1 = commands[_i][0], *w2 = commands[_i][1];
    if (strcmp(w1, "version") == 0)
        return;
    run r;
    run_prismac(&r, w1, w2 ? w2 : "--schema", w2 ? "--schema" : NULL, NULL);
    ck_assert_msg(r.rc == 2, "%s --schema (no value): exit %d", w1, r.rc);
    ck_assert_ptr_nonnull(strstr(r.err, "needs a value"));
    /* No --schema and none in the (empty) current folder. */
    run_prismac(&r, w1, w2, NULL, NULL);
    ck_assert_msg(r.rc == 2, "%s without a schema: exit %d", w1, r.rc);
    ck_assert_ptr_nonnull(strstr(r.err, "no schema found"));
}
END_TEST

START_TEST(top_level)
{
    run r;
    run_prismac(&r, "--help", NULL, NULL, NULL);
    ck_assert_int_eq(r.rc, 0);
    for (size_t i = 0; i < N_COMMANDS; i++)
        ck_assert_ptr_nonnull(strstr(r.out, commands[i][0]));
    run_prismac(&r, "frobnicate", NULL, NULL, NULL);
    ck_assert_int_eq(r.rc, 2);
    ck_assert_ptr_nonnull(strstr(r.err, "unknown command 'frobnicate'"));
    run_prismac(&r, NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r.rc, 2);
    run_prismac(&r, "--version", NULL, NULL, NULL);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_ptr_nonnull(strstr(r.out, "prismac "));
}
END_TEST

/* A file of the test folder, written and read whole. */
static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void read_text(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* As Prisma 7's `prisma format`: the formatted schema must be valid, else the
 * errors are shown, the exit status is 1 and no file is touched; a relation
 * field formatting adds makes a schema valid. */
START_TEST(format_refuses_an_invalid_schema)
{
    static const char invalid[] = "datasource db {\n  provider = \"sqlite\"\n}\nmodel A {\n  id Int @id\n  b    Foo\n}\n";
    static const char missing_back[] = "datasource db {\n  provider = \"sqlite\"\n}\nmodel A {\n  id Int @id\n"
                                       "  bs B[]\n}\nmodel B {\n  id Int @id\n}\n";
    char buf[1024];
    run r;
    write_text("invalid.prisma", invalid);
    run_prismac(&r, "format", "--schema", "invalid.prisma", NULL);
    ck_assert_int_eq(r.rc, 1);
    ck_assert_ptr_nonnull(strstr(r.err, "Type \"Foo\" is neither a built-in type"));
    read_text("invalid.prisma", buf, sizeof buf);
    ck_assert_str_eq(buf, invalid);
    run_prismac(&r, "format", "--check", "--schema", "invalid.prisma");
    ck_assert_int_eq(r.rc, 1);

    write_text("back.prisma", missing_back);
    run_prismac(&r, "validate", "--schema", "back.prisma", NULL);
    ck_assert_int_eq(r.rc, 1);
    run_prismac(&r, "format", "--schema", "back.prisma", NULL);
    ck_assert_int_eq(r.rc, 0);
    read_text("back.prisma", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "  a   A?   @relation(fields: [aId], references: [id])\n  aId Int?\n"));
    run_prismac(&r, "validate", "--schema", "back.prisma", NULL);
    ck_assert_int_eq(r.rc, 0);
    unlink("invalid.prisma");
    unlink("back.prisma");
}
END_TEST

int main(void)
{
    if (!mkdtemp(empty_dir) || chdir(empty_dir) != 0) {
        perror("mkdtemp");
        return 1;
    }
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("options");
    tcase_add_loop_test(tc, help_exits_zero, 0, N_COMMANDS);
    tcase_add_loop_test(tc, unknown_option_exits_two, 0, N_COMMANDS);
    tcase_add_loop_test(tc, missing_value_and_missing_schema_exit_two, 0, N_COMMANDS);
    tcase_add_test(tc, top_level);
    tcase_add_test(tc, format_refuses_an_invalid_schema);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    rmdir(empty_dir);
    return failed ? 1 : 0;
}
