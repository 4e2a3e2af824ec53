/* `prismac generate` and its template engine.
 *
 * Golden cases (sqlc / wayland-scanner style): every folder of tests/golden
 * holds a schema.prisma and the client.h / client.c it must produce, byte for
 * byte. After an intended change of the output, rewrite them with
 * `meson compile -C build regenerate-golden` and review the diff.
 *
 * Usage: test_generate GOLDEN_DIR */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "emit.h"
#include "prismac_exec.h"
#include "template.h"

static const char *golden_dir;
static char *golden_cases[32];
static int n_golden_cases;

/* ---- helpers ---- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (cap - n < 4096) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

static char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

static char *make_temp_dir(void)
{
    char pattern[] = "/tmp/prismac-gen-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(pattern));
    return strdup(pattern);
}

/* rm -r of a temp dir (two levels are enough here). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = path_join(dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            unlink(p);
        free(p);
    }
    closedir(d);
    rmdir(dir);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Runs `prismac generate ARGS...`, with stdout silenced and stderr
 * captured (returned, malloc'd, when `err` is not NULL). */
static int generate(char **err, int argc, ...)
{
    char a0[] = "prismac", a1[] = "generate";
    char *argv[18] = { a0, a1 };
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc && i < 15; i++)
        argv[2 + i] = va_arg(ap, char *);
    va_end(ap);
    argv[2 + (argc < 15 ? argc : 15)] = NULL;

    char errfile[] = "/tmp/prismac-gen-err-XXXXXX";
    int efd = mkstemp(errfile);
    ck_assert_int_ge(efd, 0);
    int nfd = open("/dev/null", O_WRONLY);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    dup2(nfd, 1);
    dup2(efd, 2);
    int rc = prismac_exec(argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    close(nfd);
    close(efd);
    if (err)
        *err = slurp(errfile, NULL);
    unlink(errfile);
    return rc;
}

/* Asserts two texts are equal, naming the first differing line. */
static void assert_same_text(const char *what, const char *want, const char *got)
{
    if (strcmp(want, got) == 0)
        return;
    unsigned line = 1;
    const char *w = want, *g = got, *wl = want, *gl = got;
    for (; *w && *w == *g; w++, g++)
        if (*w == '\n') {
            line++;
            wl = w + 1;
            gl = g + 1;
        }
    int wn = (int)strcspn(wl, "\n"), gn = (int)strcspn(gl, "\n");
    ck_abort_msg("%s differs at line %u:\n  expected: %.*s\n  got:      %.*s\n"
                 "(if the change is intended: meson compile -C build regenerate-golden)",
                 what, line, wn, wl, gn, gl);
}

static double now_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static bool under_valgrind(void)
{
    const char *p = getenv("LD_PRELOAD");
    return p && strstr(p, "vgpreload");
}

/* ---- the template engine ---- */

/* Renders `text` with `root`; returns the output or NULL with *err filled. */
static char *render(const char *text, const tmpl_value *root, tmpl_error *err)
{
    tmpl *t = tmpl_parse("t.tmpl", text, strlen(text), err);
    if (!t)
        return NULL;
    char *out = NULL;
    size_t len;
    int rc = tmpl_render(t, root, &out, &len, err);
    tmpl_free(t);
    if (rc == 0)
        ck_assert_uint_eq(len, strlen(out));
    return rc == 0 ? out : NULL;
}

/* A model-like value tree: { name, ok, empty, items: [{n: a}, {n: b}, {n: c}] } */
static tmpl_value *sample(psl_arena *a)
{
    tmpl_value *root = tmpl_new_map(a);
    tmpl_set_text(a, root, "name", "World");
    tmpl_set_bool(a, root, "ok", true);
    tmpl_set_bool(a, root, "no", false);
    tmpl_set_text(a, root, "empty", "");
    tmpl_set_text(a, root, "multi", "one\ntwo\n\nthree");
    tmpl_value *items = tmpl_set_list(a, root, "items");
    const char *ns[] = { "a", "b", "c" };
    for (int i = 0; i < 3; i++) {
        tmpl_value *m = tmpl_push_map(a, items);
        tmpl_set_text(a, m, "n", ns[i]);
        tmpl_value *sub = tmpl_set_list(a, m, "sub");
        for (int k = 0; k <= i; k++)
            tmpl_set_textf(a, tmpl_push_map(a, sub), "k", "%d", k);
    }
    tmpl_set_list(a, root, "none");
    return root;
}

static void expect_render(const char *text, const char *want)
{
    psl_arena a;
    psl_arena_init(&a);
    tmpl_error err;
    char *out = render(text, sample(&a), &err);
    ck_assert_msg(out != NULL, "render failed: %s", err.message);
    assert_same_text("rendered text", want, out);
    free(out);
    psl_arena_release(&a);
}

static void expect_error(const char *text, const char *want)
{
    psl_arena a;
    psl_arena_init(&a);
    tmpl_error err;
    char *out = render(text, sample(&a), &err);
    ck_assert_msg(out == NULL, "expected an error, got: %s", out ? out : "");
    ck_assert_msg(strstr(err.message, want) != NULL, "error '%s' lacks '%s'", err.message, want);
    psl_arena_release(&a);
}

START_TEST(tmpl_substitution)
{
    expect_render("Hello, {{name}}!", "Hello, World!");
    expect_render("{{ name }}{{empty}}.", "World.");
    expect_render("no tags\n", "no tags\n");
    expect_render("", "");
    expect_render("{ {name} }", "{ {name} }");
}
END_TEST

START_TEST(tmpl_each_and_scopes)
{
    expect_render("{{#each items}}{{n}}{{/each}}", "abc");
    /* Outer names are visible inside; inner ones shadow them. */
    expect_render("{{#each items}}{{name}}:{{n}} {{/each}}", "World:a World:b World:c ");
    expect_render("{{#each items}}{{n}}[{{#each sub}}{{n}}{{k}}{{/each}}]{{/each}}", "a[a0]b[b0b1]c[c0c1c2]");
    expect_render("{{#each items}}{{@index}}/{{@number}}{{#if @first}}F{{/if}}{{#unless @last}},{{/unless}}{{/each}}",
                  "0/1F,1/2,2/3");
    expect_render("[{{#each none}}x{{/each}}]", "[]");
}
END_TEST

START_TEST(tmpl_conditions)
{
    expect_render("{{#if ok}}yes{{else}}no{{/if}}", "yes");
    expect_render("{{#if no}}yes{{else}}no{{/if}}", "no");
    expect_render("{{#if empty}}yes{{else}}no{{/if}}", "no");
    expect_render("{{#if name}}yes{{/if}}", "yes");
    expect_render("{{#if items}}yes{{/if}}{{#if none}}no{{/if}}", "yes");
    expect_render("{{#unless no}}yes{{else}}no{{/unless}}", "yes");
    expect_render("{{#if ok}}{{#if no}}a{{else}}b{{#each items}}{{#if @last}}{{n}}{{/if}}{{/each}}{{/if}}{{/if}}",
                  "bc");
}
END_TEST

START_TEST(tmpl_standalone_lines)
{
    /* Block tags alone on their lines leave no blank lines behind. */
    expect_render("begin\n{{#each items}}\n  - {{n}}\n{{/each}}\nend\n", "begin\n  - a\n  - b\n  - c\nend\n");
    expect_render("{{#if no}}\nA\n  {{else}}  \nB\n{{/if}}\n", "B\n");
    expect_render("{{! a comment\n   over lines }}\nx\n", "x\n");
    /* A tag sharing its line with text stays inline. */
    expect_render("a {{#if ok}}b{{/if}}\nc\n", "a b\nc\n");
    /* Multi-line values are indented like their first line. */
    expect_render("    {{multi}};\n", "    one\n    two\n\n    three;\n");
    expect_render("x = {{multi}}\n", "x = one\ntwo\n\nthree\n");
}
END_TEST

START_TEST(tmpl_errors)
{
    expect_error("a\n{{nope}}", "t.tmpl:2: unknown name 'nope'");
    expect_error("{{#each items}}\n{{n}}\n", "t.tmpl:1: unclosed '{{#each items}}'");
    expect_error("{{#if ok}}\n{{/each}}", "t.tmpl:2: {{/each}} closes '{{#if ok}}' (opened at line 1)");
    expect_error("x\n\n{{/if}}", "t.tmpl:3: {{/if}} without an open block");
    expect_error("{{#each items}}{{else}}{{/each}}", "only #if and #unless have one");
    expect_error("{{#if ok}}{{else}}{{else}}{{/if}}", "a second '{{else}}'");
    expect_error("{{items}}", "'items' is a list, not text");
    expect_error("{{ok}}", "'ok' is a boolean, not text");
    expect_error("{{#each name}}{{/each}}", "'name' is not a list");
    expect_error("\n\n{{name", "t.tmpl:3: unterminated tag");
    expect_error("{{#for x}}", "unknown block");
    expect_error("{{a b}}", "unexpected text");
    expect_error("{{}}", "needs a name");
    expect_error("{{#if}}{{/if}}", "needs a name");
    expect_error("{{@index}}", "outside {{#each}}");
    expect_error("{{#each items}}{{@nope}}{{/each}}", "unknown loop variable");
    expect_error("{{na-me}}", "invalid name");
    expect_error("{{na\nme}}", "must not span lines");
    /* Unknown names are found even in a branch that renders. */
    expect_error("{{#each items}}\n{{#if @last}}{{typo}}{{/if}}\n{{/each}}", "t.tmpl:2: unknown name 'typo'");
}
END_TEST

/* ---- golden cases ---- */

static void check_golden(const char *name)
{
    char *case_dir = path_join(golden_dir, name);
    char *schema = path_join(case_dir, "schema.prisma");
    char *out = make_temp_dir();
    char *err = NULL;
    int rc = generate(&err, 4, "--schema", schema, "--output", out);
    ck_assert_msg(rc == 0, "generate %s failed:\n%s", name, err);
    const char *files[] = { "client.h", "client.c" };
    for (int i = 0; i < 2; i++) {
        char *want_path = path_join(case_dir, files[i]), *got_path = path_join(out, files[i]);
        char *want = slurp(want_path, NULL), *got = slurp(got_path, NULL);
        ck_assert_msg(want != NULL, "missing %s (meson compile -C build regenerate-golden)", want_path);
        ck_assert_ptr_nonnull(got);
        char what[256];
        snprintf(what, sizeof what, "%s/%s", name, files[i]);
        assert_same_text(what, want, got);
        free(want);
        free(got);
        free(want_path);
        free(got_path);
    }
    free(err);
    remove_tree(out);
    free(out);
    free(schema);
    free(case_dir);
}

START_TEST(golden)
{
    ck_assert_int_lt(_i, n_golden_cases);
    check_golden(golden_cases[_i]);
}
END_TEST

START_TEST(golden_cases_present)
{
    /* The cases the suite promises (mysql: a client generated for
     * PRISMA_MYSQL). */
    const char *want[] = { "basic", "names", "compound", "mysql" };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        bool found = false;
        for (int k = 0; k < n_golden_cases; k++)
            found = found || strcmp(golden_cases[k], want[i]) == 0;
        ck_assert_msg(found, "golden case %s is missing", want[i]);
    }
}
END_TEST

/* ---- the command ---- */

static const char small_schema[] = "datasource db {\n  provider = \"sqlite\"\n  url      = \"file:x.db\"\n}\n\n"
                                   "generator client {\n  provider = \"prismac\"\n  output   = \"./out/client\"\n}\n\n"
                                   "/// A note.\nmodel Note {\n  id   Int    @id\n  text String\n}\n";

START_TEST(unchanged_files_are_not_rewritten)
{
    char *dir = make_temp_dir();
    char *schema = path_join(dir, "schema.prisma");
    spit(schema, small_schema);
    ck_assert_int_eq(generate(NULL, 2, "--schema", schema), 0);
    /* Without --output: the block's output, relative to the schema. */
    char *out = path_join(dir, "out/client");
    char *h = path_join(out, "client.h"), *c = path_join(out, "client.c");
    struct stat h1, c1, h2, c2;
    ck_assert_int_eq(stat(h, &h1), 0);
    ck_assert_int_eq(stat(c, &c1), 0);
    char *err = NULL;
    ck_assert_int_eq(generate(&err, 2, "--schema", schema), 0);
    ck_assert_int_eq(stat(h, &h2), 0);
    ck_assert_int_eq(stat(c, &c2), 0);
    /* Same inode (an atomic rewrite would make a new one) and same mtime. */
    ck_assert_uint_eq(h1.st_ino, h2.st_ino);
    ck_assert_uint_eq(c1.st_ino, c2.st_ino);
    ck_assert(h1.st_mtim.tv_sec == h2.st_mtim.tv_sec && h1.st_mtim.tv_nsec == h2.st_mtim.tv_nsec);
    ck_assert(c1.st_mtim.tv_sec == c2.st_mtim.tv_sec && c1.st_mtim.tv_nsec == c2.st_mtim.tv_nsec);
    /* A change of the schema rewrites what changed. */
    char *changed = malloc(sizeof small_schema + 32);
    strcpy(changed, small_schema);
    strcpy(strstr(changed, "/// A note."), "/// A changed note.\nmodel Note {\n  id   Int    @id\n  text String\n}\n");
    spit(schema, changed);
    ck_assert_int_eq(generate(NULL, 2, "--schema", schema), 0);
    ck_assert_int_eq(stat(h, &h2), 0);
    ck_assert_int_eq(stat(c, &c2), 0);
    ck_assert_uint_ne(h1.st_ino, h2.st_ino);
    ck_assert_uint_eq(c1.st_ino, c2.st_ino);
    char *text = slurp(h, NULL);
    ck_assert_ptr_nonnull(strstr(text, "/* A changed note. */\nstruct Note {"));
    free(text);
    free(changed);
    free(err);
    free(h);
    free(c);
    free(out);
    free(schema);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(default_output_folder)
{
    char *dir = make_temp_dir();
    char *schema = path_join(dir, "schema.prisma");
    char *text = strdup(small_schema);
    char *line = strstr(text, "  output   = \"./out/client\"\n");
    memmove(line, line + 28, strlen(line + 28) + 1);
    spit(schema, text);
    ck_assert_int_eq(generate(NULL, 2, "--schema", schema), 0);
    char *h = path_join(dir, "generated/client.h");
    ck_assert(exists(h));
    free(h);
    free(text);
    free(schema);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(user_templates)
{
    char *dir = make_temp_dir();
    char *schema = path_join(dir, "schema.prisma");
    spit(schema, small_schema);
    char *tdir = path_join(dir, "tmpl");
    mkdir(tdir, 0755);
    char *th = path_join(tdir, "client.h.tmpl"), *tc = path_join(tdir, "client.c.tmpl");
    spit(th, "// {{schema_file}}\n{{#each models}}\n{{name}} -> {{type}}, {{fn_find_many}}:\n{{#each fields}}\n"
             "  {{member}}: {{rec_decl}}\n{{/each}}\n{{/each}}\n");
    spit(tc, "{{#each models}}{{desc}}{{/each}}\n");
    char *out = path_join(dir, "gen");
    ck_assert_int_eq(generate(NULL, 6, "--schema", schema, "--output", out, "--templates", tdir), 0);
    char *h = path_join(out, "client.h"), *c = path_join(out, "client.c");
    char *ht = slurp(h, NULL), *ct = slurp(c, NULL);
    assert_same_text("client.h", "// schema.prisma\nNote -> Note, note_find_many:\n  id: int32_t id\n  text: char *text\n",
                     ht);
    assert_same_text("client.c", "prisma_gen_note_desc\n", ct);
    free(ht);
    free(ct);

    /* A broken user template: reported with its name and line; nothing written. */
    spit(tc, "ok\n{{#each models}}\n{{nope}}\n{{/each}}\n");
    char *out2 = path_join(dir, "gen2");
    char *err = NULL;
    ck_assert_int_eq(generate(&err, 6, "--schema", schema, "--output", out2, "--templates", tdir), 1);
    ck_assert_msg(strstr(err, "tmpl/client.c.tmpl:3: unknown name 'nope'") != NULL, "stderr: %s", err);
    ck_assert(!exists(out2));
    free(err);
    spit(tc, "{{#if models}}\n");
    ck_assert_int_eq(generate(&err, 6, "--schema", schema, "--output", out2, "--templates", tdir), 1);
    ck_assert_msg(strstr(err, "client.c.tmpl:1: unclosed '{{#if models}}'") != NULL, "stderr: %s", err);
    free(err);
    /* A missing template. */
    unlink(tc);
    ck_assert_int_eq(generate(&err, 6, "--schema", schema, "--output", out2, "--templates", tdir), 1);
    ck_assert_msg(strstr(err, "cannot read") != NULL, "stderr: %s", err);
    ck_assert(!exists(out2));
    free(err);

    free(out2);
    free(h);
    free(c);
    free(out);
    free(th);
    free(tc);
    free(tdir);
    free(schema);
    remove_tree(dir);
    free(dir);
}
END_TEST

/* Writes `text` as DIR/schema.prisma, runs generate into DIR/out and expects
 * exit status 1, no output folder, and `message` on stderr. */
static void expect_refused(const char *text, const char *message)
{
    char *dir = make_temp_dir();
    char *schema = path_join(dir, "schema.prisma");
    char *out = path_join(dir, "out");
    spit(schema, text);
    char *err = NULL;
    ck_assert_int_eq(generate(&err, 4, "--schema", schema, "--output", out), 1);
    ck_assert_msg(strstr(err, message) != NULL, "stderr lacks '%s':\n%s", message, err);
    ck_assert(!exists(out));
    free(err);
    free(out);
    free(schema);
    remove_tree(dir);
    free(dir);
}

START_TEST(refuses_invalid_schemas)
{
    expect_refused("datasource db {\n  provider = \"sqlite\"\n  url = \"file:x.db\"\n}\n"
                   "generator client {\n  provider = \"prismac\"\n}\n"
                   "model A {\n  id Int @id\n  b  Nope\n}\n",
                   "1 error in ");
    expect_refused("datasource db {\n  provider = \"sqlite\"\n  url = \"file:x.db\"\n}\n"
                   "generator client {\n  provider = \"prisma-client-js\"\n}\n"
                   "model A {\n  id Int @id\n}\n",
                   "no generator block with provider = \"prismac\"");
    /* Scalar lists where the database has none: Prisma's validation error. */
    expect_refused("datasource db {\n  provider = \"sqlite\"\n  url = \"file:x.db\"\n}\n"
                   "generator client {\n  provider = \"prismac\"\n}\n"
                   "model A {\n  id   Int      @id\n  tags String[]\n}\n",
                   "schema.prisma:10:3: error: Field \"tags\" in model \"A\" can't be a list. The current connector "
                   "does not support lists of primitive types.");
}
END_TEST

START_TEST(missing_schema_and_bad_options)
{
    char *err = NULL;
    ck_assert_int_eq(generate(&err, 2, "--schema", "/nonexistent/schema.prisma"), 1);
    ck_assert_ptr_nonnull(strstr(err, "cannot read /nonexistent/schema.prisma"));
    free(err);
    ck_assert_int_eq(generate(&err, 1, "--frobnicate"), 2);
    ck_assert_ptr_nonnull(strstr(err, "unknown option '--frobnicate'"));
    free(err);
}
END_TEST

START_TEST(ignored_and_unsupported_are_skipped)
{
    char *dir = make_temp_dir();
    char *schema = path_join(dir, "schema.prisma");
    spit(schema, "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"
                 "generator client {\n  provider = \"prismac\"\n  output = \"g\"\n}\n"
                 "model A {\n  id   Int    @id\n  geo  Unsupported(\"circle\")?\n  old  String? @ignore\n"
                 "  tags String[] @ignore\n  b    B?\n}\n"
                 "model B {\n  id  Int @id\n  aId Int? @unique\n  a   A? @relation(fields: [aId], references: [id])\n"
                 "  @@ignore\n}\n");
    char *err = NULL;
    ck_assert_int_eq(generate(&err, 2, "--schema", schema), 0);
    char *h = path_join(dir, "g/client.h");
    char *text = slurp(h, NULL);
    ck_assert_ptr_nonnull(strstr(text, "struct A {\n    int32_t id;\n};"));
    ck_assert_ptr_null(strstr(text, "geo"));
    ck_assert_ptr_null(strstr(text, "old"));
    ck_assert_ptr_null(strstr(text, "struct B"));
    ck_assert_ptr_nonnull(strstr(text, "char unused_; /* A has no relations */"));
    free(text);
    free(h);
    free(err);
    free(schema);
    remove_tree(dir);
    free(dir);
}
END_TEST

START_TEST(two_hundred_models)
{
    /* 200 models in a chain of relations, with an enum and a few of every
     * kind of field. */
    size_t cap = 1 << 20, n = 0;
    char *text = malloc(cap);
    n += (size_t)snprintf(text + n, cap - n,
                          "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"
                          "generator client {\n  provider = \"prismac\"\n}\n"
                          "enum Kind {\n  A\n  B\n  C\n}\n");
    for (int i = 0; i < 200; i++) {
        n += (size_t)snprintf(text + n, cap - n,
                              "/// Model number %d.\nmodel M%d {\n  id Int @id @default(autoincrement())\n"
                              "  name String @unique\n  note String?\n  kind Kind @default(A)\n"
                              "  at DateTime @default(now())\n  price Decimal?\n  flag Boolean @default(false)\n"
                              "  data Json?\n  blob Bytes?\n  big BigInt?\n  ratio Float?\n",
                              i, i);
        if (i > 0)
            n += (size_t)snprintf(text + n, cap - n,
                                  "  prevId Int\n  prev M%d @relation(fields: [prevId], references: [id])\n", i - 1);
        if (i < 199)
            n += (size_t)snprintf(text + n, cap - n, "  next M%d[]\n", i + 1);
        n += (size_t)snprintf(text + n, cap - n, "  @@unique([name, kind])\n}\n");
    }
    char *dir = make_temp_dir();
    char *schema = path_join(dir, "schema.prisma");
    char *out = path_join(dir, "out");
    spit(schema, text);
    char *err = NULL;
    /* CPU time too: wall time suffers when the machine is busy. */
    double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
    int rc = generate(&err, 4, "--schema", schema, "--output", out);
    double ms = now_ms(CLOCK_MONOTONIC) - t0, cpu_ms = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
    ck_assert_msg(rc == 0, "%s", err);
    char *c = path_join(out, "client.c");
    size_t len = 0;
    char *src = slurp(c, &len);
    ck_assert_ptr_nonnull(strstr(src, "&prisma_gen_m199_desc,\n};"));
    printf("generate: 200 models (%zu bytes of schema, %zu bytes of client.c) in %.1f ms (%.1f ms CPU)%s\n", n,
           len, ms, cpu_ms, under_valgrind() ? " under valgrind" : "");
    /* The goal is < 100 ms; the assertion is loose for slow machines. */
    if (!under_valgrind())
        ck_assert_msg(ms < 2000.0, "generation took %.1f ms", ms);
    free(src);
    free(c);
    free(err);
    free(out);
    free(schema);
    remove_tree(dir);
    free(dir);
    free(text);
}
END_TEST

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void find_golden_cases(void)
{
    DIR *d = opendir(golden_dir);
    if (!d) {
        fprintf(stderr, "test_generate: cannot open %s: %s\n", golden_dir, strerror(errno));
        exit(2);
    }
    struct dirent *e;
    while ((e = readdir(d)) && n_golden_cases < 32) {
        if (e->d_name[0] == '.')
            continue;
        char *dir = path_join(golden_dir, e->d_name);
        char *schema = path_join(dir, "schema.prisma");
        if (exists(schema))
            golden_cases[n_golden_cases++] = strdup(e->d_name);
        free(schema);
        free(dir);
    }
    closedir(d);
    qsort(golden_cases, (size_t)n_golden_cases, sizeof golden_cases[0], cmp_str);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_generate GOLDEN_DIR\n");
        return 2;
    }
    golden_dir = argv[1];
    find_golden_cases();

    Suite *s = suite_create("generate");
    TCase *tc = tcase_create("template");
    tcase_add_test(tc, tmpl_substitution);
    tcase_add_test(tc, tmpl_each_and_scopes);
    tcase_add_test(tc, tmpl_conditions);
    tcase_add_test(tc, tmpl_standalone_lines);
    tcase_add_test(tc, tmpl_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("golden");
    tcase_add_test(tc, golden_cases_present);
    tcase_add_loop_test(tc, golden, 0, n_golden_cases);
    suite_add_tcase(s, tc);

    tc = tcase_create("command");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, unchanged_files_are_not_rewritten);
    tcase_add_test(tc, default_output_folder);
    tcase_add_test(tc, user_templates);
    tcase_add_test(tc, refuses_invalid_schemas);
    tcase_add_test(tc, missing_schema_and_bad_options);
    tcase_add_test(tc, ignored_and_unsupported_are_skipped);
    tcase_add_test(tc, two_hundred_models);
    suite_add_tcase(s, tc);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (int i = 0; i < n_golden_cases; i++)
        free(golden_cases[i]);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
