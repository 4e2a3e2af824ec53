/* `prismac format` against Prisma's reformatter corpus.
 *
 * Every case of CORPUS/reformatter (and its relations/ folder) must come out
 * as its .reformatted.prisma, every one exactly (a bar of 80% let a
 * formatter bug through at 13 of 14); the count is printed. Every case and every schema of CORPUS/validation must be
 * idempotent and lose no text but what the formatter rewrites on purpose.
 * The command itself: --check, rewriting a file, keeping a schema valid. MySQL
 * schemas come out as Prisma 7.10.1 formats them (tests/format_prisma7).
 *
 * Usage: test_format CORPUS EXAMPLE_SCHEMA   (CORPUS: tests/corpus/psl) */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "prismac_exec.h"
#include "format.h"
#include "schema.h"

static const char *corpus, *example;
static char **cases; /* reformatter inputs */
static size_t n_cases;
static char **schemas; /* the cases, then every validation schema */
static size_t n_schemas;

/* ---- helpers ---- */

static char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push(char ***list, size_t *n, char *item)
{
    *list = realloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = item;
}

/* The .prisma files under `dir` (recursively when `deep`), sorted;
 * expected outputs (.reformatted.prisma) are not inputs. */
static void collect(const char *dir, bool deep, char ***list, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t first = *n;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *p = path_join(dir, e->d_name);
        DIR *sub = deep ? opendir(p) : NULL;
        if (sub) {
            closedir(sub);
            collect(p, true, list, n);
            free(p);
        } else if (has_suffix(p, ".prisma") && !has_suffix(p, ".reformatted.prisma")) {
            push(list, n, p);
        } else {
            free(p);
        }
    }
    closedir(d);
    qsort(*list + first, *n - first, sizeof **list, cmp_str);
}

static char *slurp(const char *path, size_t *len)
{
    char *text;
    size_t n;
    if (prismac_read_file(path, &text, &n) != 0)
        return NULL;
    if (len)
        *len = n;
    return text;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* What `prismac format` writes for `text`. */
static char *format_text(const char *name, const char *text, size_t len, size_t *out_len)
{
    psl_schema *s = psl_schema_load(name, text, len);
    ck_assert_ptr_nonnull(s);
    ck_assert_msg(s->ast != NULL, "%s does not parse", name);
    char *out = psl_format_schema(s, 0, out_len);
    psl_schema_free(s);
    ck_assert_ptr_nonnull(out);
    return out;
}

/* Runs `prismac ARGS...` (NULL-terminated) with stdout and
 * stderr silenced. */
static int prismac(const char *first, ...)
{
    char *argv[16] = { strdup("prismac") };
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < 15; a = va_arg(ap, const char *))
        argv[argc++] = strdup(a);
    va_end(ap);
    fflush(stdout);
    fflush(stderr);
    int null = open("/dev/null", O_WRONLY);
    int out = dup(1), err = dup(2);
    dup2(null, 1);
    dup2(null, 2);
    argv[argc] = NULL;
    int rc = prismac_exec(argv);
    fflush(stdout);
    fflush(stderr);
    dup2(out, 1);
    dup2(err, 2);
    close(out);
    close(err);
    close(null);
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    return rc;
}

static char *temp_copy(const char *text)
{
    char path[] = "/tmp/prismac-format-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    spit(path, text);
    return strdup(path);
}

/* ---- the corpus: exact output ---- */

START_TEST(reformatter_corpus)
{
    size_t exact = 0;
    for (size_t i = 0; i < n_cases; i++) {
        size_t len, out_len, exp_len;
        char *text = slurp(cases[i], &len);
        ck_assert_ptr_nonnull(text);
        /* x.prisma -> x.reformatted.prisma */
        size_t stem = strlen(cases[i]) - strlen(".prisma"), n = stem + sizeof ".reformatted.prisma";
        char *expected_file = malloc(n);
        snprintf(expected_file, n, "%.*s.reformatted.prisma", (int)stem, cases[i]);
        char *expected = slurp(expected_file, &exp_len);
        ck_assert_msg(expected != NULL, "no expected output %s", expected_file);
        char *out = format_text(cases[i], text, len, &out_len);
        if (out_len == exp_len && memcmp(out, expected, exp_len) == 0)
            exact++;
        else
            fprintf(stderr, "format: not exact: %s\n--- got:\n%s--- expected:\n%s", cases[i], out, expected);
        free(out);
        free(expected);
        free(expected_file);
        free(text);
    }
    printf("format: %zu/%zu exact\n", exact, n_cases);
    ck_assert_uint_eq(n_cases, 17); /* the cases in tests/corpus/psl/reformatter: none may go missing */
    ck_assert_msg(exact == n_cases, "only %zu of %zu reformatter cases are exact", exact, n_cases);
}
END_TEST

/* ---- MySQL schemas, against Prisma 7.10.1's `prisma format` ---- */

/* tests/format_prisma7: X.prisma (a schema with its alignment squashed) and
 * X.reformatted.prisma (what Prisma 7.10.1's `prisma format` made of it). */
START_TEST(mysql_as_prisma7_formats)
{
    static const char *const names[] = { "mysql_golden", "mysql_beam" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char in_path[4096], want_path[4096];
        snprintf(in_path, sizeof in_path, "%s/../../format_prisma7/%s.prisma", corpus, names[i]);
        snprintf(want_path, sizeof want_path, "%s/../../format_prisma7/%s.reformatted.prisma", corpus, names[i]);
        size_t len, out_len, want_len;
        char *text = slurp(in_path, &len);
        char *want = slurp(want_path, &want_len);
        ck_assert_msg(text && want, "missing %s or %s", in_path, want_path);
        char *out = format_text(in_path, text, len, &out_len);
        ck_assert_msg(out_len == want_len && memcmp(out, want, want_len) == 0,
                      "%s: not Prisma 7's layout:\n--- got:\n%s--- Prisma 7:\n%s", names[i], out, want);
        free(out);
        free(want);
        free(text);
    }
}
END_TEST

/* ---- every schema: idempotent, nothing lost ---- */

/* Bytes of the Unicode White_Space character at s[i], or 0. The formatter
 * may drop any of them between tokens. */
static size_t white_space(const unsigned char *s, size_t i, size_t n)
{
    size_t left = n - i;
    if (s[i] == ' ' || (s[i] >= 0x09 && s[i] <= 0x0D))
        return 1;
    if (left >= 2 && s[i] == 0xC2 && (s[i + 1] == 0x85 || s[i + 1] == 0xA0))
        return 2;
    if (left >= 3) {
        unsigned a = s[i], b = s[i + 1], c = s[i + 2];
        if ((a == 0xE1 && b == 0x9A && c == 0x80) || (a == 0xE2 && b == 0x81 && c == 0x9F) ||
            (a == 0xE3 && b == 0x80 && c == 0x80) ||
            (a == 0xE2 && b == 0x80 && (c <= 0x8A || c == 0xA8 || c == 0xA9 || c == 0xAF)))
            return 3;
    }
    return 0;
}

static void count_text(const char *text, size_t n, size_t counts[256])
{
    const unsigned char *s = (const unsigned char *)text;
    memset(counts, 0, 256 * sizeof counts[0]);
    for (size_t i = 0; i < n;) {
        size_t k = white_space(s, i, n);
        if (k) {
            i += k;
            continue;
        }
        counts[s[i++]]++;
    }
}

static void count_args(const psl_args *a, size_t *commas);

static void count_expr(const psl_expr *e, size_t *commas)
{
    if (!e)
        return;
    if (e->kind == PSL_EXPR_FUNCTION)
        count_args(&e->args, commas);
    for (size_t i = 0; e->kind == PSL_EXPR_ARRAY && i < e->len; i++)
        count_expr(e->items[i], commas);
}

static void count_args(const psl_args *a, size_t *commas)
{
    *commas += a->trailing_comma;
    for (size_t i = 0; i < a->len; i++)
        count_expr(a->items[i].value, commas);
}

/* The documented rewrites, which drop text: a trailing comma in arguments,
 * the `!` of the legacy `T!` and the legacy `name: Type` colon. */
static void allowed_losses(const psl_ast *ast, size_t *commas, size_t *bangs, size_t *colons)
{
    *commas = *bangs = *colons = 0;
    for (size_t i = 0; i < ast->n_tops; i++) {
        const psl_top *t = &ast->tops[i];
        if (t->kind > PSL_TOP_GENERATOR)
            continue; /* written verbatim */
        for (size_t k = 0; k < t->n_lines; k++) {
            const psl_line *l = &t->lines[k];
            if (l->kind == PSL_LINE_FIELD) {
                *colons += l->legacy_colon;
                *bangs += l->type.name && l->type.form == PSL_TYPE_BANG;
            }
            if (l->kind == PSL_LINE_FIELD || l->kind == PSL_LINE_ATTRIBUTE)
                for (size_t a = 0; a < l->n_attrs; a++)
                    count_args(&l->attrs[a].args, commas);
            if (l->kind == PSL_LINE_KEY_VALUE)
                count_expr(l->value, commas);
        }
    }
}

START_TEST(idempotent_and_lossless)
{
    const char *path = schemas[_i];
    size_t len, once_len, twice_len;
    char *text = slurp(path, &len);
    ck_assert_ptr_nonnull(text);
    char *once = format_text(path, text, len, &once_len);
    char *twice = format_text(path, once, once_len, &twice_len);
    ck_assert_msg(once_len == twice_len && memcmp(once, twice, once_len) == 0,
                  "%s: formatting twice changes it:\n--- once:\n%s--- twice:\n%s", path, once, twice);

    psl_schema *s = psl_schema_load(path, text, len);
    size_t allow[256] = { 0 }, before[256], after[256];
    allowed_losses(s->ast, &allow[','], &allow['!'], &allow[':']);
    psl_schema_free(s);
    count_text(text, len, before);
    count_text(once, once_len, after);
    for (int c = 0; c < 256; c++)
        ck_assert_msg(after[c] + allow[c] >= before[c], "%s: %zu of %zu '%c' (0x%02x) lost:\n%s", path,
                      before[c] - after[c], before[c], c >= 0x20 && c < 0x7F ? c : '?', (unsigned)c, once);
    free(twice);
    free(once);
    free(text);
}
END_TEST

/* ---- the command ---- */

/* The example without its alignment and indentation: not formatted. */
static char *unformat(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(4 * n + 8), *o = out;
    if (!out)
        abort();
    o += sprintf(o, "\n\n");
    bool line_start = true, in_text = false;
    for (const char *p = text; *p; p++) {
        if (line_start && *p != '\n')
            o += sprintf(o, "   ");
        line_start = *p == '\n';
        if (*p == '\n')
            in_text = false;
        else if (*p != ' ')
            in_text = true;
        else if (in_text && p[1] == ' ')
            continue; /* runs of blanks between words become one */
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

START_TEST(check_and_rewrite)
{
    size_t len;
    char *text = slurp(example, &len);
    ck_assert_ptr_nonnull(text);
    char *formatted = temp_copy(text);
    ck_assert_int_eq(prismac("format", "--check", "--schema", formatted, NULL), 0);

    char *mangled = unformat(text);
    ck_assert_str_ne(mangled, text);
    char *path = temp_copy(mangled);
    ck_assert_int_eq(prismac("validate", "--schema", path, NULL), 0);
    ck_assert_int_eq(prismac("format", "--check", "--schema", path, NULL), 1);
    char *still = slurp(path, NULL);
    ck_assert_str_eq(still, mangled); /* --check writes nothing */
    ck_assert_int_eq(prismac("format", "--schema", path, NULL), 0);
    char *rewritten = slurp(path, NULL);
    ck_assert_str_eq(rewritten, text);
    ck_assert_int_eq(prismac("format", "--check", "--schema", path, NULL), 0);
    ck_assert_int_eq(prismac("validate", "--schema", path, NULL), 0);

    unlink(path);
    unlink(formatted);
    free(rewritten);
    free(still);
    free(path);
    free(mangled);
    free(formatted);
    free(text);
}
END_TEST

/* The missing back relation is an error `prisma format` fixes. */
START_TEST(format_adds_missing_relation_fields)
{
    char *input = path_join(corpus, "reformatter/relations/back_relation_fields_must_be_added.prisma");
    char *expected_path = path_join(corpus, "reformatter/relations/back_relation_fields_must_be_added.reformatted.prisma");
    char *text = slurp(input, NULL), *expected = slurp(expected_path, NULL);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(expected);
    char *path = temp_copy(text);
    ck_assert_int_eq(prismac("validate", "--schema", path, NULL), 1);
    ck_assert_int_eq(prismac("format", "--schema", path, NULL), 0);
    char *out = slurp(path, NULL);
    ck_assert_str_eq(out, expected);
    ck_assert_int_eq(prismac("validate", "--schema", path, NULL), 0);
    unlink(path);
    free(out);
    free(path);
    free(expected);
    free(text);
    free(expected_path);
    free(input);
}
END_TEST

/* Only what Prisma's parser accepts gets relation fields added: a schema
 * with a syntax error is laid out and nothing more. */
START_TEST(nothing_added_to_a_broken_schema)
{
    static const char text[] = "model Blog {\n  id    Int    @id\n  posts Post[]\n}\n\nmodel Post {\n  id Int @id\n  ?\n}\n";
    size_t n;
    char *out = format_text("broken.prisma", text, sizeof text - 1, &n);
    ck_assert_str_eq(out, text);
    free(out);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s CORPUS EXAMPLE_SCHEMA\n", argv[0]);
        return 2;
    }
    corpus = argv[1];
    example = argv[2];
    char *dir = path_join(corpus, "reformatter");
    collect(dir, false, &cases, &n_cases);
    free(dir);
    dir = path_join(corpus, "reformatter/relations");
    collect(dir, false, &cases, &n_cases);
    free(dir);
    for (size_t i = 0; i < n_cases; i++)
        push(&schemas, &n_schemas, strdup(cases[i]));
    dir = path_join(corpus, "validation");
    collect(dir, true, &schemas, &n_schemas);
    free(dir);

    Suite *s = suite_create("format");
    TCase *tc = tcase_create("format");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, reformatter_corpus);
    tcase_add_test(tc, mysql_as_prisma7_formats);
    tcase_add_loop_test(tc, idempotent_and_lossless, 0, (int)n_schemas);
    tcase_add_test(tc, check_and_rewrite);
    tcase_add_test(tc, format_adds_missing_relation_fields);
    tcase_add_test(tc, nothing_added_to_a_broken_schema);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    printf("format: %zu schemas checked for idempotence\n", n_schemas);
    for (size_t i = 0; i < n_cases; i++)
        free(cases[i]);
    for (size_t i = 0; i < n_schemas; i++)
        free(schemas[i]);
    free(cases);
    free(schemas);
    return failed ? 1 : 0;
}
