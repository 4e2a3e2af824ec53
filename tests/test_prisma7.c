/* prismac validate against outputs recorded from Prisma 7.10.1 (`prisma validate`), for the rules
 * that Prisma's corpus does not cover: partial indexes' `where:`, Prisma 7's preview features,
 * referential-action cycles without foreign keys, MySQL's native types and keys.
 *
 * Each file of tests/prisma7 is a schema followed by Prisma's diagnostics in the corpus' form:
 * `// error: MESSAGE` then `//   -->  schema.prisma:LINE`, and `// warning: MESSAGE` (Prisma's
 * validate lists warnings without a place). prismac must give exactly these errors, each on its
 * line, and these warnings, in any order.
 *
 * Usage: test_prisma7 PRISMAC DIR */
#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static const char *prismac_path, *dir_path;

typedef struct diag {
    bool error;
    int line; /* 0: not compared (warnings) */
    char *msg;
    bool matched;
} diag;

typedef struct diags {
    diag *items;
    size_t n;
} diags;

static void push(diags *d, bool error, int line, const char *msg, size_t len)
{
    d->items = realloc(d->items, (d->n + 1) * sizeof *d->items);
    ck_assert_ptr_nonnull(d->items);
    d->items[d->n++] = (diag){ error, line, strndup(msg, len), false };
}

static void diags_free(diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->items[i].msg);
    free(d->items);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

static void expected_of(const char *text, diags *out)
{
    for (const char *l = text; l && *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        if (strncmp(l, "// error: ", 10) == 0) {
            int line = 0;
            const char *next = nl ? nl + 1 : NULL;
            if (next && strncmp(next, "//   -->  schema.prisma:", 24) == 0)
                line = atoi(next + 24);
            push(out, true, line, l + 10, len - 10);
        } else if (strncmp(l, "// warning: ", 12) == 0) {
            push(out, false, 0, l + 12, len - 12);
        }
        l = nl ? nl + 1 : NULL;
    }
}

/* prismac's diagnostics: `PATH:LINE:COL: error: MESSAGE` lines. */
static void actual_of(const char *path, diags *out)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' validate --schema '%s' 2>&1 >/dev/null", prismac_path, path);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char line[8192];
    size_t plen = strlen(path);
    while (fgets(line, sizeof line, p)) {
        if (strncmp(line, path, plen) != 0 || line[plen] != ':')
            continue;
        int ln, col, used = 0;
        char kind[16];
        if (sscanf(line + plen + 1, "%d:%d: %15[a-z]: %n", &ln, &col, kind, &used) != 3 || used == 0)
            continue;
        const char *msg = line + plen + 1 + used;
        size_t len = strcspn(msg, "\n");
        bool error = strcmp(kind, "error") == 0;
        push(out, error, error ? ln : 0, msg, len);
    }
    int status = pclose(p);
    ck_assert(WIFEXITED(status));
}

START_TEST(prisma7_outputs)
{
    DIR *d = opendir(dir_path);
    ck_assert_msg(d != NULL, "cannot open %s", dir_path);
    int files = 0, mismatched = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 8 || strcmp(e->d_name + n - 7, ".prisma") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir_path, e->d_name);
        char *text = slurp(path);
        diags want = { 0 }, got = { 0 };
        expected_of(text, &want);
        actual_of(path, &got);
        for (size_t i = 0; i < want.n; i++)
            for (size_t k = 0; k < got.n && !want.items[i].matched; k++) {
                diag *w = &want.items[i], *g = &got.items[k];
                if (!g->matched && g->error == w->error && g->line == w->line && strcmp(g->msg, w->msg) == 0)
                    w->matched = g->matched = true;
            }
        bool same = true;
        for (size_t i = 0; i < want.n; i++)
            if (!want.items[i].matched) {
                same = false;
                printf("%s: Prisma's %s on line %d is missing: %s\n", e->d_name,
                       want.items[i].error ? "error" : "warning", want.items[i].line, want.items[i].msg);
            }
        for (size_t k = 0; k < got.n; k++)
            if (!got.items[k].matched) {
                same = false;
                printf("%s: prismac's %s on line %d is not Prisma's: %s\n", e->d_name,
                       got.items[k].error ? "error" : "warning", got.items[k].line, got.items[k].msg);
            }
        printf("%s: %zu diagnostics, %s\n", e->d_name, want.n, same ? "the same" : "DIFFERENT");
        files++;
        mismatched += !same;
        diags_free(&want);
        diags_free(&got);
        free(text);
    }
    closedir(d);
    ck_assert_int_ge(files, 9);
    ck_assert_msg(mismatched == 0, "%d of %d files differ from Prisma 7.10.1", mismatched, files);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PRISMAC DIR\n", argv[0]);
        return 2;
    }
    prismac_path = argv[1];
    dir_path = argv[2];
    Suite *s = suite_create("prisma7");
    TCase *tc = tcase_create("validate");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, prisma7_outputs);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
