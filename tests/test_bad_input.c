/* Hostile and degenerate input: each case must give a clear error (or be
 * accepted when it is valid) and never crash or hang, both through
 * psl_schema_load and through the command line (`prismac validate` and
 * `prismac format --check`, run on a temporary file).
 *
 * Check runs each test in its own process with a timeout, so a crash or a
 * hang fails that test only. */
#include <check.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "prismac_exec.h"
#include "schema.h"

/* ---- helpers ---- */

typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        ck_assert_ptr_nonnull(d);
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_str(buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_rep(buf *b, const char *s, size_t times)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < times; i++)
        buf_add(b, s, n);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds allowed for "a few seconds", scaled like Check's own timeouts
 * (CK_TIMEOUT_MULTIPLIER) for slow runs such as valgrind. */
/* The limits are for normal builds; AddressSanitizer's are several times
 * slower (a 10 MB schema: 1.1 s of CPU, 8 s under ASan+UBSan at -O0). */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_SLOWDOWN 8.0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER_SLOWDOWN 8.0
#endif
#endif
#ifndef SANITIZER_SLOWDOWN
#define SANITIZER_SLOWDOWN 1.0
#endif

static double time_limit(double seconds)
{
    const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
    double k = m ? atof(m) : 1.0;
    return seconds * (k > 0 ? k : 1.0) * SANITIZER_SLOWDOWN;
}

static const psl_diag *diag_at(const psl_schema *s, size_t i)
{
    return s->diags.items.items[i];
}

static bool has_error(const psl_schema *s, const char *msg, unsigned line)
{
    for (size_t i = 0; i < s->diags.items.len; i++) {
        const psl_diag *g = diag_at(s, i);
        if (g->severity == PSL_ERROR && strstr(g->message, msg) && (line == 0 || g->span.line == line))
            return true;
    }
    return false;
}

static size_t errors_on_line(const psl_schema *s, unsigned line)
{
    size_t n = 0;
    for (size_t i = 0; i < s->diags.items.len; i++)
        if (diag_at(s, i)->severity == PSL_ERROR && diag_at(s, i)->span.line == line)
            n++;
    return n;
}

static void dump(const psl_schema *s, size_t max)
{
    for (size_t i = 0; i < s->diags.items.len && i < max; i++) {
        const psl_diag *g = diag_at(s, i);
        fprintf(stderr, "  %u:%u %.200s\n", g->span.line, g->span.col, g->message);
    }
}

#define ASSERT_ERROR(s, msg, line)                                                                         \
    do {                                                                                                   \
        if (!has_error((s), (msg), (line))) {                                                              \
            dump((s), 20);                                                                                 \
            ck_abort_msg("expected an error containing \"%s\" on line %u", (msg), (unsigned)(line));       \
        }                                                                                                  \
    } while (0)

/* Writes `data` to a fresh temporary file; returns its path (free it). */
static char *temp_schema(const char *data, size_t len)
{
    char *path = strdup("/tmp/prismac-bad-input-XXXXXX");
    ck_assert_ptr_nonnull(path);
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        ck_assert_int_gt(w, 0);
        off += (size_t)w;
    }
    ck_assert_int_eq(close(fd), 0);
    return path;
}

static char *slurp_fd(int fd, size_t *len)
{
    buf b = { 0 };
    char chunk[4096];
    lseek(fd, 0, SEEK_SET);
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0)
            break;
        buf_add(&b, chunk, (size_t)n);
    }
    if (!b.data)
        buf_add(&b, "", 0);
    *len = b.len;
    return b.data;
}

/* What one CLI run printed. */
typedef struct cli_run {
    int rc;
    char *out, *err;
    size_t out_len, err_len;
} cli_run;

/* Runs `prismac CMD [--check] --schema PATH` with stdout and
 * stderr captured. */
static cli_run run_cli(const char *cmd, bool check, const char *path)
{
    char a0[] = "prismac", a_check[] = "--check", a_schema[] = "--schema";
    char *cmd_copy = strdup(cmd), *path_copy = strdup(path);
    char *argv[6];
    int argc = 0;
    argv[argc++] = a0;
    argv[argc++] = cmd_copy;
    if (check)
        argv[argc++] = a_check;
    argv[argc++] = a_schema;
    argv[argc++] = path_copy;
    argv[argc] = NULL;

    char out_path[] = "/tmp/prismac-bad-out-XXXXXX", err_path[] = "/tmp/prismac-bad-err-XXXXXX";
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

    cli_run r;
    memset(&r, 0, sizeof r);
    (void)argc;
    r.rc = prismac_exec(argv);

    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    r.out = slurp_fd(out_fd, &r.out_len);
    r.err = slurp_fd(err_fd, &r.err_len);
    close(out_fd);
    close(err_fd);
    free(cmd_copy);
    free(path_copy);
    return r;
}

static void cli_run_free(cli_run *r)
{
    free(r->out);
    free(r->err);
}

/* The expectations of one case. */
typedef struct expect {
    bool valid;          /* no errors expected */
    const char *message; /* a substring of some error (NULL: any) */
    unsigned line;       /* the line of that error (0: any) */
    double max_seconds;  /* 0: Check's timeout only */
    bool format_fails;   /* `format --check` must fail (nothing can be formatted) */
} expect;

/* Loads `data` directly, then runs validate and format --check on it. */
static void check_case(const char *data, size_t len, expect want)
{
    double limit = want.max_seconds > 0 ? time_limit(want.max_seconds) : 0;

    double t0 = now_s();
    psl_schema *s = psl_schema_load("bad.prisma", data, len);
    double dt = now_s() - t0;
    ck_assert_ptr_nonnull(s);
    if (want.valid) {
        if (s->diags.errors)
            dump(s, 20);
        ck_assert_uint_eq(s->diags.errors, 0);
    } else {
        ck_assert_uint_gt(s->diags.errors, 0);
        if (want.message)
            ASSERT_ERROR(s, want.message, want.line);
        /* Every diagnostic has a position and a non-empty message. */
        for (size_t i = 0; i < s->diags.items.len; i++) {
            ck_assert_uint_ge(diag_at(s, i)->span.line, 1);
            ck_assert_uint_gt(strlen(diag_at(s, i)->message), 0);
        }
    }
    size_t errors = s->diags.errors;
    psl_schema_free(s);
    if (limit > 0)
        ck_assert_msg(dt < limit, "psl_schema_load took %.2f s (limit %.1f s)", dt, limit);

    char *path = temp_schema(data, len);
    t0 = now_s();
    cli_run v = run_cli("validate", false, path);
    dt = now_s() - t0;
    ck_assert_int_eq(v.rc, want.valid ? 0 : 1);
    if (want.valid) {
        ck_assert_ptr_nonnull(strstr(v.out, "is valid"));
    } else {
        ck_assert_ptr_nonnull(strstr(v.err, "error:"));
        if (want.message)
            ck_assert_msg(strstr(v.err, want.message) != NULL, "validate: \"%s\" not on stderr", want.message);
        char summary[64];
        snprintf(summary, sizeof summary, "%zu error", errors);
        ck_assert_msg(strstr(v.err, summary) != NULL, "validate: no \"%s\" summary", summary);
        /* Source excerpts are cut: a huge line does not flood the terminal. */
        ck_assert_uint_le(v.err_len, 2048 + errors * 1024);
    }
    cli_run_free(&v);
    if (limit > 0)
        ck_assert_msg(dt < limit, "prismac validate took %.2f s (limit %.1f s)", dt, limit);

    t0 = now_s();
    cli_run f = run_cli("format", true, path);
    dt = now_s() - t0;
    ck_assert_msg(f.rc == 0 || f.rc == 1, "format --check exit status %d", f.rc);
    if (want.format_fails)
        ck_assert_int_eq(f.rc, 1);
    cli_run_free(&f);
    if (limit > 0)
        ck_assert_msg(dt < limit, "prismac format --check took %.2f s (limit %.1f s)", dt, limit);

    /* --check never writes: the file is unchanged. */
    char *after;
    size_t after_len;
    ck_assert_int_eq(prismac_read_file(path, &after, &after_len), 0);
    ck_assert_uint_eq(after_len, len);
    ck_assert(len == 0 || memcmp(after, data, len) == 0);
    free(after);
    unlink(path);
    free(path);
}

/* ---- the cases ---- */

START_TEST(empty_file)
{
    /* Prisma accepts an empty schema: there is nothing to check. */
    expect want = { .valid = true };
    check_case("", 0, want);
}
END_TEST

START_TEST(whitespace_only_file)
{
    expect want = { .valid = true };
    check_case("\n\n  \t\n\r\n", 7, want);
}
END_TEST

START_TEST(binary_garbage)
{
    /* Random bytes, NULs included (fixed seed: reproducible). */
    enum { N = 64 * 1024 };
    char *data = malloc(N);
    ck_assert_ptr_nonnull(data);
    unsigned x = 12345;
    for (size_t i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (char)(x >> 16);
    }
    data[0] = 'm';
    data[1] = '\0';
    expect want = { .valid = false, .message = "not valid UTF-8", .format_fails = true };
    check_case(data, N, want);
    free(data);
}
END_TEST

START_TEST(ascii_garbage_with_nuls)
{
    /* Valid UTF-8 but not PSL: control characters and NULs on every line. */
    buf b = { 0 };
    for (int i = 0; i < 200; i++) {
        char line[64];
        int n = snprintf(line, sizeof line, "%c%c{\x01}[%d](\x7f\"\n", i % 2 ? '@' : '#', '\0', i);
        buf_add(&b, line, (size_t)n);
    }
    expect want = { .valid = false, .line = 0 };
    check_case(b.data, b.len, want);
    free(b.data);
}
END_TEST

START_TEST(invalid_utf8)
{
    static const char *const cases[] = {
        "model A {\n  id Int @id\n  // caf\xc3\n}\n",            /* truncated sequence */
        "model A {\n  id Int @id\n  // \xc0\xaf overlong\n}\n",    /* overlong '/' */
        "model A {\n  id Int @id\n  // \xed\xa0\x80 surrogate\n}\n", /* UTF-16 surrogate */
        "model A {\n  id Int @id\n  // \xf4\x90\x80\x80 too big\n}\n", /* above U+10FFFF */
        "model A {\n  id Int @id\n  // \xff\xfe\n}\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect want = { .valid = false, .message = "not valid UTF-8", .line = 3, .format_fails = true };
        check_case(cases[i], strlen(cases[i]), want);
    }
}
END_TEST

/* A realistic schema of at least `bytes` bytes: a chain of models, each
 * related to the previous one, with indexes, defaults and docs. */
static buf big_schema(size_t bytes, size_t *n_models)
{
    buf b = { 0 };
    buf_str(&b, "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n\n"
                "enum Status {\n  ACTIVE\n  ARCHIVED\n}\n\n");
    size_t i = 0;
    char m[1024];
    while (b.len < bytes) {
        int n = snprintf(m, sizeof m,
                         "/// Model number %zu.\n"
                         "model M%zu {\n"
                         "  id        Int      @id @default(autoincrement())\n"
                         "  name      String   @unique @db.VarChar(200)\n"
                         "  status    Status   @default(ACTIVE)\n"
                         "  createdAt DateTime @default(now())\n"
                         "  parentId  Int?\n",
                         i, i);
        buf_add(&b, m, (size_t)n);
        if (i > 0) {
            n = snprintf(m, sizeof m, "  parent    M%zu?     @relation(fields: [parentId], references: [id])\n", i - 1);
            buf_add(&b, m, (size_t)n);
        }
        n = snprintf(m, sizeof m, "  children  M%zu[]\n\n  @@index([parentId])\n}\n\n", i + 1);
        buf_add(&b, m, (size_t)n);
        i++;
    }
    /* The last model's children point to one more model, which closes the chain. */
    int n = snprintf(m, sizeof m,
                     "model M%zu {\n  id Int @id\n  parentId Int?\n"
                     "  parent M%zu? @relation(fields: [parentId], references: [id])\n}\n",
                     i, i - 1);
    buf_add(&b, m, (size_t)n);
    *n_models = i + 1;
    return b;
}

START_TEST(ten_megabyte_schema)
{
    size_t n_models;
    buf b = big_schema(10u << 20, &n_models);
    ck_assert_uint_ge(b.len, 10u << 20);
    /* The whole model is built: spot-check the far end. */
    double t0 = now_s();
    psl_schema *s = psl_schema_load("big.prisma", b.data, b.len);
    double dt = now_s() - t0;
    if (s->diags.errors)
        dump(s, 5);
    ck_assert_uint_eq(s->diags.errors, 0);
    ck_assert_uint_eq(s->n_models, n_models);
    ck_assert_uint_eq(s->n_relations, n_models - 1);
    char last[32];
    snprintf(last, sizeof last, "M%zu", n_models - 1);
    ck_assert_ptr_nonnull(psl_schema_model(s, last));
    psl_schema_free(s);
    ck_assert_msg(dt < time_limit(10), "psl_schema_load of %zu bytes (%zu models) took %.2f s", b.len, n_models, dt);

    expect want = { .valid = true, .max_seconds = 10 };
    check_case(b.data, b.len, want);
    free(b.data);
}
END_TEST

START_TEST(deep_bracket_nesting)
{
    /* 10,000 nested brackets in an attribute argument: an error, no stack overflow. */
    buf b = { 0 };
    buf_str(&b, "model A {\n  id Int @id\n  x Int @default(");
    buf_rep(&b, "[", 10000);
    buf_rep(&b, "]", 10000);
    buf_str(&b, ")\n}\n");
    expect want = { .valid = false, .message = "nests deeper", .line = 3, .max_seconds = 5 };
    check_case(b.data, b.len, want);
    free(b.data);
}
END_TEST

START_TEST(deep_parenthesis_nesting)
{
    buf b = { 0 };
    buf_str(&b, "model A {\n  id Int @id\n  @@index(");
    buf_rep(&b, "f(", 10000);
    buf_rep(&b, ")", 10000);
    buf_str(&b, ")\n}\n");
    expect want = { .valid = false, .message = "nests deeper", .line = 3, .max_seconds = 5 };
    check_case(b.data, b.len, want);
    free(b.data);
}
END_TEST

START_TEST(unterminated_string)
{
    static const char text[] = "model A {\n  id Int @id\n  name String @default(\"abc)\n  ok Int\n}\n";
    expect want = { .valid = false, .message = "not terminated", .line = 3 };
    check_case(text, strlen(text), want);
    /* At the very end of the file, without a newline. */
    static const char eof[] = "model A {\n  id Int @id\n  name String @default(\"abc";
    expect want2 = { .valid = false, .message = "not terminated", .line = 3 };
    check_case(eof, strlen(eof), want2);
}
END_TEST

START_TEST(unterminated_block_comment)
{
    static const char text[] = "model A {\n  id Int @id\n}\n\n/* this comment\nnever ends\nmodel B {\n";
    expect want = { .valid = false, .message = "not terminated", .line = 5 };
    check_case(text, strlen(text), want);
}
END_TEST

START_TEST(one_megabyte_line)
{
    /* A valid 1 MB line: a string default. */
    buf b = { 0 };
    buf_str(&b, "model A {\n  id Int @id\n  s String @default(\"");
    buf_rep(&b, "x", 1u << 20);
    buf_str(&b, "\")\n}\n");
    expect ok = { .valid = true, .max_seconds = 5 };
    check_case(b.data, b.len, ok);
    free(b.data);

    /* An invalid 1 MB line of tokens. */
    buf c = { 0 };
    buf_str(&c, "model A {\n  id Int @id\n  junk ");
    buf_rep(&c, "a.b ", (1u << 20) / 4);
    buf_str(&c, "\n}\n");
    expect bad = { .valid = false, .line = 3, .max_seconds = 5 };
    check_case(c.data, c.len, bad);
    free(c.data);
}
END_TEST

START_TEST(only_open_braces)
{
    buf b = { 0 };
    buf_rep(&b, "{\n", 1000);
    expect want = { .valid = false, .message = "This line is invalid", .line = 1 };
    check_case(b.data, b.len, want);
    psl_schema *s = psl_schema_load("b.prisma", b.data, b.len);
    for (unsigned line = 1; line <= 1000; line++)
        ck_assert_msg(errors_on_line(s, line) >= 1, "no error on line %u", line);
    psl_schema_free(s);
    free(b.data);
}
END_TEST

START_TEST(only_close_braces)
{
    buf b = { 0 };
    buf_rep(&b, "}\n", 1000);
    expect want = { .valid = false, .message = "This line is invalid", .line = 1 };
    check_case(b.data, b.len, want);
    psl_schema *s = psl_schema_load("b.prisma", b.data, b.len);
    for (unsigned line = 1; line <= 1000; line++)
        ck_assert_msg(errors_on_line(s, line) >= 1, "no error on line %u", line);
    psl_schema_free(s);
    free(b.data);
}
END_TEST

START_TEST(unclosed_blocks)
{
    /* Many blocks opened, none closed. */
    buf b = { 0 };
    buf_rep(&b, "model A {\n  id Int @id\n", 500);
    expect want = { .valid = false, .max_seconds = 5 };
    check_case(b.data, b.len, want);
    free(b.data);
}
END_TEST

START_TEST(missing_file)
{
    /* The CLI reports an unreadable schema instead of crashing. */
    cli_run v = run_cli("validate", false, "/nonexistent/dir/schema.prisma");
    ck_assert_int_ne(v.rc, 0);
    ck_assert_ptr_nonnull(strstr(v.err, "cannot read"));
    cli_run_free(&v);
    cli_run f = run_cli("format", true, "/nonexistent/dir/schema.prisma");
    ck_assert_int_ne(f.rc, 0);
    cli_run_free(&f);
}
END_TEST

static Suite *bad_input_suite(void)
{
    Suite *s = suite_create("bad_input");
    TCase *small = tcase_create("small");
    tcase_set_timeout(small, 30);
    tcase_add_test(small, empty_file);
    tcase_add_test(small, whitespace_only_file);
    tcase_add_test(small, binary_garbage);
    tcase_add_test(small, ascii_garbage_with_nuls);
    tcase_add_test(small, invalid_utf8);
    tcase_add_test(small, deep_bracket_nesting);
    tcase_add_test(small, deep_parenthesis_nesting);
    tcase_add_test(small, unterminated_string);
    tcase_add_test(small, unterminated_block_comment);
    tcase_add_test(small, only_open_braces);
    tcase_add_test(small, only_close_braces);
    tcase_add_test(small, unclosed_blocks);
    tcase_add_test(small, missing_file);
    suite_add_tcase(s, small);

    /* Large inputs, tagged so a slow run (valgrind) can skip them:
     * CK_EXCLUDE_TAGS=huge skips the 10 MB case, =large both. */
    TCase *large = tcase_create("large");
    tcase_set_tags(large, "large");
    tcase_set_timeout(large, 60);
    tcase_add_test(large, one_megabyte_line);
    suite_add_tcase(s, large);

    TCase *huge = tcase_create("huge");
    tcase_set_tags(huge, "large huge");
    tcase_set_timeout(huge, 120);
    tcase_add_test(huge, ten_megabyte_schema);
    suite_add_tcase(s, huge);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(bad_input_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
