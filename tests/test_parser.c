/* Unit tests for the lexer and parser, through psl_parse: block kinds, field
 * types, attributes and arguments, expressions and string escapes, comments
 * and documentation, newline significance, error recovery and spans.
 *
 * Where a rule is checked by the semantic layer rather than the parser (the
 * field type error forms), the test also loads the schema to see Prisma's
 * message on the right line. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "schema.h"

/* ---- helpers ---- */

/* One parse: the arena, diagnostics and tree live together. The source is
 * copied into an exact-size buffer (no NUL terminator), so a read past the
 * end is caught by ASan/valgrind. */
typedef struct parsed {
    psl_arena arena;
    psl_diags diags;
    psl_source src;
    char *buf;
    psl_ast *ast;
} parsed;

static parsed *parse_n(const char *text, size_t len)
{
    parsed *p = calloc(1, sizeof *p);
    ck_assert_ptr_nonnull(p);
    psl_arena_init(&p->arena);
    psl_diags_init(&p->diags, &p->arena);
    p->buf = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(p->buf);
    memcpy(p->buf, text, len);
    p->src.name = "test.prisma";
    p->src.text = p->buf;
    p->src.len = len;
    p->ast = psl_parse(&p->src, &p->arena, &p->diags);
    return p;
}

static parsed *parse(const char *text)
{
    return parse_n(text, strlen(text));
}

static void parsed_free(parsed *p)
{
    psl_arena_release(&p->arena);
    free(p->buf);
    free(p);
}

static const psl_diag *diag_at(const psl_diags *d, size_t i)
{
    return d->items.items[i];
}

/* Prints the diagnostics, to explain a failing assertion. */
static void dump(const psl_diags *d)
{
    for (size_t i = 0; i < d->items.len; i++) {
        const psl_diag *g = diag_at(d, i);
        fprintf(stderr, "  %u:%u %s: %s\n", g->span.line, g->span.col, g->severity == PSL_ERROR ? "error" : "warning",
                g->message);
    }
}

/* Whether an error containing `msg` is reported on `line` (0: any line). */
static bool has_error(const psl_diags *d, const char *msg, unsigned line)
{
    for (size_t i = 0; i < d->items.len; i++) {
        const psl_diag *g = diag_at(d, i);
        if (g->severity == PSL_ERROR && strstr(g->message, msg) && (line == 0 || g->span.line == line))
            return true;
    }
    return false;
}

#define ASSERT_ERROR(d, msg, line)                                                                         \
    do {                                                                                                   \
        if (!has_error((d), (msg), (line))) {                                                              \
            dump(d);                                                                                       \
            ck_abort_msg("expected an error containing \"%s\" on line %u", (msg), (unsigned)(line));       \
        }                                                                                                  \
    } while (0)

#define ASSERT_NO_ERRORS(d)                                                                                \
    do {                                                                                                   \
        if ((d)->errors != 0) {                                                                            \
            dump(d);                                                                                       \
            ck_abort_msg("expected no errors, got %zu", (d)->errors);                                      \
        }                                                                                                  \
    } while (0)

/* Every error is on `line`: nothing leaked onto the neighbouring lines. */
static bool errors_only_on(const psl_diags *d, unsigned line)
{
    for (size_t i = 0; i < d->items.len; i++) {
        const psl_diag *g = diag_at(d, i);
        if (g->severity == PSL_ERROR && g->span.line != line)
            return false;
    }
    return true;
}

static size_t errors_on_line(const psl_diags *d, unsigned line)
{
    size_t n = 0;
    for (size_t i = 0; i < d->items.len; i++) {
        const psl_diag *g = diag_at(d, i);
        if (g->severity == PSL_ERROR && g->span.line == line)
            n++;
    }
    return n;
}

/* Lookups. The find_* ones may return NULL; the others fail the test when
 * the item is missing (so they never return NULL). */
static const psl_top *find_top_of(const psl_ast *ast, psl_top_kind kind, size_t n)
{
    for (size_t i = 0; i < ast->n_tops; i++)
        if (ast->tops[i].kind == kind && n-- == 0)
            return &ast->tops[i];
    return NULL;
}

static const psl_top *top_of(const psl_ast *ast, psl_top_kind kind, size_t n)
{
    for (size_t i = 0; i < ast->n_tops; i++)
        if (ast->tops[i].kind == kind && n-- == 0)
            return &ast->tops[i];
    ck_abort_msg("no top-level item of kind %d", (int)kind);
}

static const psl_top *top_named(const psl_ast *ast, const char *name)
{
    ck_assert_msg(ast != NULL, "no syntax tree");
    for (size_t i = 0; i < ast->n_tops; i++)
        if (ast->tops[i].name && strcmp(ast->tops[i].name, name) == 0)
            return &ast->tops[i];
    ck_abort_msg("no block named %s", name);
}

static const psl_line *find_line(const psl_top *t, const char *name)
{
    for (size_t i = 0; i < t->n_lines; i++)
        if (t->lines[i].name && strcmp(t->lines[i].name, name) == 0)
            return &t->lines[i];
    return NULL;
}

static const psl_line *line_named(const psl_top *t, const char *name)
{
    for (size_t i = 0; i < t->n_lines; i++)
        if (t->lines[i].name && strcmp(t->lines[i].name, name) == 0)
            return &t->lines[i];
    ck_abort_msg("no line named %s in %s", name, t->name ? t->name : "?");
}

static size_t count_lines(const psl_top *t, psl_line_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n_lines; i++)
        if (t->lines[i].kind == kind)
            n++;
    return n;
}

/* The first attribute of a field line, with its line asserted present. */
static const psl_attribute *attr_of(const psl_top *t, const char *field, size_t i)
{
    const psl_line *l = line_named(t, field);
    ck_assert_uint_gt(l->n_attrs, i);
    return &l->attrs[i];
}

/* The value of `@default(...)` on a field of model A in a one-field schema. */
static const psl_expr *default_of(parsed *p, const char *field)
{
    const psl_attribute *a = attr_of(top_named(p->ast, "A"), field, 0);
    ck_assert_str_eq(a->name, "default");
    ck_assert_uint_eq(a->args.len, 1);
    ck_assert_ptr_nonnull(a->args.items[0].value);
    return a->args.items[0].value;
}

/* ---- block kinds ---- */

START_TEST(every_block_kind)
{
    parsed *p = parse("datasource db {\n  provider = \"sqlite\"\n  url = \"file:x.db\"\n}\n"
                      "generator client {\n  provider = \"prismac\"\n}\n"
                      "model User {\n  id Int @id\n}\n"
                      "view UserView {\n  id Int\n}\n"
                      "type Address {\n  street String\n}\n"
                      "enum Role {\n  ADMIN\n  USER\n}\n");
    ck_assert_ptr_nonnull(p->ast);
    ASSERT_NO_ERRORS(&p->diags);
    static const struct {
        psl_top_kind kind;
        const char *name;
        size_t n_lines;
        unsigned line;
    } want[] = {
        { PSL_TOP_DATASOURCE, "db", 2, 1 }, { PSL_TOP_GENERATOR, "client", 1, 5 }, { PSL_TOP_MODEL, "User", 1, 8 },
        { PSL_TOP_VIEW, "UserView", 1, 11 }, { PSL_TOP_TYPE, "Address", 1, 14 },   { PSL_TOP_ENUM, "Role", 2, 17 },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const psl_top *t = top_of(p->ast, want[i].kind, 0);
        ck_assert_msg(t != NULL, "no block of kind %d", (int)want[i].kind);
        ck_assert_str_eq(t->name, want[i].name);
        ck_assert_uint_eq(t->n_lines, want[i].n_lines);
        ck_assert_uint_eq(t->name_span.line, want[i].line);
        ck_assert_uint_eq(t->keyword_span.line, want[i].line);
        ck_assert_uint_eq(t->keyword_span.col, 1);
    }
    /* Config lines are key = value; enum values are FIELD lines without a type. */
    const psl_top *ds = top_of(p->ast, PSL_TOP_DATASOURCE, 0);
    ck_assert_int_eq(ds->lines[0].kind, PSL_LINE_KEY_VALUE);
    ck_assert_str_eq(ds->lines[0].name, "provider");
    ck_assert_int_eq(ds->lines[0].value->kind, PSL_EXPR_STRING);
    ck_assert_str_eq(ds->lines[0].value->text, "sqlite");
    const psl_top *en = top_of(p->ast, PSL_TOP_ENUM, 0);
    ck_assert_int_eq(en->lines[1].kind, PSL_LINE_FIELD);
    ck_assert_str_eq(en->lines[1].name, "USER");
    ck_assert_ptr_null(en->lines[1].type.name);
    parsed_free(p);
}
END_TEST

START_TEST(type_alias_is_an_error)
{
    parsed *p = parse("model A {\n  id Int @id\n}\ntype Name = String @default(\"x\")\n");
    ck_assert_ptr_nonnull(p->ast);
    const psl_top *t = top_of(p->ast, PSL_TOP_TYPE_ALIAS, 0);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->name, "Name");
    ck_assert_str_eq(t->alias_type.name, "String");
    ASSERT_ERROR(&p->diags,
                 "Error validating: Invalid type definition. Please check the documentation in "
                 "https://pris.ly/d/composite-types",
                 4);
    ck_assert(errors_only_on(&p->diags, 4));
    /* The model before it is intact. */
    ck_assert_ptr_nonnull(top_of(p->ast, PSL_TOP_MODEL, 0));
    parsed_free(p);
}
END_TEST

START_TEST(arbitrary_block_is_an_error)
{
    parsed *p = parse("\nfoo {\n  x Int\n}\nmodel A {\n  id Int @id\n}\n");
    ck_assert_ptr_nonnull(p->ast);
    const psl_top *t = top_of(p->ast, PSL_TOP_ARBITRARY_BLOCK, 0);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->name, "foo");
    ck_assert_uint_eq(p->diags.errors, 1);
    ASSERT_ERROR(&p->diags,
                 "Error validating: This block is invalid. It does not start with any known Prisma schema keyword. "
                 "Valid keywords include 'model', 'enum', 'type', 'datasource' and 'generator'.",
                 2);
    /* An unknown keyword with a name is an arbitrary block too. */
    parsed *q = parse("table T {\n  id Int\n}\n");
    ck_assert_ptr_nonnull(top_of(q->ast, PSL_TOP_ARBITRARY_BLOCK, 0));
    ASSERT_ERROR(&q->diags, "This block is invalid.", 1);
    ck_assert_ptr_nonnull(top_of(p->ast, PSL_TOP_MODEL, 0));
    parsed_free(q);
    parsed_free(p);
}
END_TEST

START_TEST(unknown_top_line_is_an_error)
{
    parsed *p = parse("model A {\n  id Int @id\n}\nhello world\n");
    ck_assert_ptr_nonnull(top_of(p->ast, PSL_TOP_INVALID, 0));
    ASSERT_ERROR(&p->diags, "Error validating: This line is invalid. It does not start with any known Prisma schema keyword.",
                 4);
    ck_assert(errors_only_on(&p->diags, 4));
    parsed_free(p);
}
END_TEST

START_TEST(unclosed_block_is_an_error)
{
    parsed *p = parse("model A {\n  id Int @id\n");
    ck_assert_ptr_nonnull(p->ast);
    ck_assert_uint_ge(p->diags.errors, 1);
    ASSERT_ERROR(&p->diags, "not closed", 0);
    parsed_free(p);
}
END_TEST

START_TEST(invalid_lines_per_block_kind)
{
    /* Each block kind reports a line it does not accept in its own words. */
    parsed *p = parse("model A {\n  id Int @id\n  x = 1\n}\n"
                      "enum E {\n  A\n  B Int\n}\n"
                      "datasource db {\n  provider = \"sqlite\"\n  field String\n}\n"
                      "generator g {\n  provider = \"x\"\n  @@map(\"x\")\n}\n");
    ck_assert_ptr_nonnull(p->ast);
    ASSERT_ERROR(&p->diags, "Error validating: This line is not a valid field or attribute definition.", 3);
    ASSERT_ERROR(&p->diags, "Error validating: This line is not an enum value definition.", 7);
    ASSERT_ERROR(&p->diags, "Error validating: This line is not a valid definition within a datasource.", 11);
    ASSERT_ERROR(&p->diags, "Error validating: This line is not a valid definition within a generator.", 15);
    ck_assert_uint_eq(p->diags.errors, 4);
    /* The rejected lines are kept verbatim. */
    const psl_line *l = &top_named(p->ast, "A")->lines[1];
    ck_assert_int_eq(l->kind, PSL_LINE_INVALID);
    ck_assert_str_eq(l->text, "x = 1");
    parsed_free(p);
}
END_TEST

/* ---- fields and types ---- */

START_TEST(field_type_forms)
{
    static const char text[] = "model A {\n"
                               "  id Int @id\n"  /* 2 */
                               "  a String\n"    /* 3 */
                               "  b String?\n"   /* 4 */
                               "  c String[]\n"  /* 5 */
                               "  d String[]?\n" /* 6 */
                               "  e String!\n"   /* 7 */
                               "  f [String]\n"  /* 8 */
                               "}\n";
    parsed *p = parse(text);
    ASSERT_NO_ERRORS(&p->diags); /* the forms are rejected by the semantic layer */
    const psl_top *m = top_named(p->ast, "A");
    static const struct {
        const char *name;
        psl_type_form form;
    } want[] = {
        { "a", PSL_TYPE_REQUIRED },      { "b", PSL_TYPE_OPTIONAL }, { "c", PSL_TYPE_LIST },
        { "d", PSL_TYPE_OPTIONAL_LIST }, { "e", PSL_TYPE_BANG },     { "f", PSL_TYPE_LEGACY_LIST },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const psl_line *l = line_named(m, want[i].name);
        ck_assert_ptr_nonnull(l);
        ck_assert_str_eq(l->type.name, "String");
        ck_assert_int_eq(l->type.form, want[i].form);
    }
    /* The type span covers the markers. */
    const psl_line *d = line_named(m, "d");
    ck_assert_uint_eq(d->type.span.end - d->type.span.start, strlen("String[]?"));
    parsed_free(p);

    psl_schema *s = psl_schema_load("t.prisma", text, strlen(text));
    ASSERT_ERROR(&s->diags, "Optional lists are not supported. Use either `Type[]` or `Type?`.", 6);
    ASSERT_ERROR(&s->diags, "Fields are required by default, `!` is no longer required.", 7);
    ASSERT_ERROR(&s->diags, "To specify a list, please use `Type[]` instead of `[Type]`.", 8);
    ck_assert_uint_eq(s->diags.errors, 3);
    psl_schema_free(s);
}
END_TEST

START_TEST(field_without_type_and_legacy_colon)
{
    static const char text[] = "model A {\n  id Int @id\n  name\n  other: String\n}\n";
    parsed *p = parse(text);
    ASSERT_NO_ERRORS(&p->diags);
    const psl_top *m = top_named(p->ast, "A");
    ck_assert_ptr_null(line_named(m, "name")->type.name);
    ck_assert(line_named(m, "other")->legacy_colon);
    ck_assert_str_eq(line_named(m, "other")->type.name, "String");
    parsed_free(p);
    psl_schema *s = psl_schema_load("t.prisma", text, strlen(text));
    ASSERT_ERROR(&s->diags,
                 "Error validating model \"A\": This field declaration is invalid. It is either missing a name or a "
                 "type.",
                 3);
    ASSERT_ERROR(&s->diags, "Field declarations don't require a `:`.", 4);
    psl_schema_free(s);
}
END_TEST

START_TEST(unsupported_type)
{
    parsed *p = parse("model A {\n  id Int @id\n  loc Unsupported(\"circle\")?\n  g Unsupported(\"geometry(Point, 4326)\")\n}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_top *m = top_named(p->ast, "A");
    const psl_line *l = line_named(m, "loc");
    ck_assert(l->type.unsupported);
    ck_assert_str_eq(l->type.name, "Unsupported");
    ck_assert_int_eq(l->type.form, PSL_TYPE_OPTIONAL);
    ck_assert_ptr_nonnull(strstr(l->type.unsupported_text, "circle"));
    const psl_line *g = line_named(m, "g");
    ck_assert(g->type.unsupported);
    ck_assert_ptr_nonnull(strstr(g->type.unsupported_text, "geometry(Point, 4326)"));
    ck_assert(!line_named(m, "id")->type.unsupported);
    parsed_free(p);
}
END_TEST

START_TEST(unsupported_type_allows_no_spaces)
{
    /* `Unsupported(` is one token in Prisma's grammar (a compound-atomic
     * rule): `Unsupported ("x")` or `Unsupported( "x" )` is an invalid line. */
    parsed *p = parse("model A {\n  id Int @id\n  a Unsupported (\"x\")\n  b Unsupported( \"y\" )\n}\n");
    ck_assert_ptr_nonnull(p->ast);
    ASSERT_ERROR(&p->diags, "This line is not a valid field or attribute definition.", 3);
    ASSERT_ERROR(&p->diags, "This line is not a valid field or attribute definition.", 4);
    ck_assert_uint_eq(count_lines(top_named(p->ast, "A"), PSL_LINE_INVALID), 2);
    parsed_free(p);
}
END_TEST

START_TEST(identifiers)
{
    /* Digits first, dashes inside and non-ASCII letters are accepted by the grammar. */
    parsed *p = parse("model A {\n  id Int @id\n  2fa Boolean\n  first-name String\n  \xc3\xa9t\xc3\xa9 String\n}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_top *m = top_named(p->ast, "A");
    ck_assert_ptr_nonnull(line_named(m, "2fa"));
    ck_assert_ptr_nonnull(line_named(m, "first-name"));
    const psl_line *l = line_named(m, "\xc3\xa9t\xc3\xa9");
    ck_assert_ptr_nonnull(l);
    ck_assert_str_eq(l->type.name, "String");
    parsed_free(p);
    /* An identifier cannot start with `_`. */
    parsed *q = parse("model A {\n  id Int @id\n  _x Int\n}\n");
    ASSERT_ERROR(&q->diags, "This line is not a valid field or attribute definition.", 3);
    ck_assert(errors_only_on(&q->diags, 3));
    parsed_free(q);
}
END_TEST

/* ---- attributes and arguments ---- */

START_TEST(field_attributes_with_dotted_names)
{
    parsed *p = parse("model A {\n  id String @id @db.VarChar(255) @default(uuid())\n  t String @pg.Text\n}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_top *m = top_named(p->ast, "A");
    const psl_line *l = line_named(m, "id");
    ck_assert_uint_eq(l->n_attrs, 3);
    ck_assert_str_eq(l->attrs[0].name, "id");
    ck_assert(!l->attrs[0].args.present);
    ck_assert(!l->attrs[0].block);
    ck_assert_str_eq(l->attrs[1].name, "db.VarChar");
    ck_assert(l->attrs[1].args.present);
    ck_assert_uint_eq(l->attrs[1].args.len, 1);
    ck_assert_int_eq(l->attrs[1].args.items[0].value->kind, PSL_EXPR_NUMBER);
    ck_assert_str_eq(l->attrs[1].args.items[0].value->text, "255");
    /* The attribute span starts at `@`; the name span after it. */
    ck_assert_uint_eq(l->attrs[1].span.col, 17);
    ck_assert_uint_eq(l->attrs[1].name_span.col, 18);
    ck_assert_uint_eq(l->attrs[1].name_span.end - l->attrs[1].name_span.start, strlen("db.VarChar"));
    const psl_expr *d = l->attrs[2].args.items[0].value;
    ck_assert_int_eq(d->kind, PSL_EXPR_FUNCTION);
    ck_assert_str_eq(d->text, "uuid");
    ck_assert(d->args.present);
    ck_assert_uint_eq(d->args.len, 0);
    ck_assert_str_eq(attr_of(m, "t", 0)->name, "pg.Text");
    parsed_free(p);
}
END_TEST

START_TEST(block_attributes)
{
    parsed *p = parse("model A {\n  a Int\n  b Int\n  @@id([a, b])\n"
                      "  @@unique([a, b], name: \"ab\", map: \"a_b_key\") // why\n"
                      "  @@index([a(sort: Desc), b(ops: raw(\"gin_trgm_ops\"))], type: Gin)\n  @@map(\"as\")\n}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_top *m = top_named(p->ast, "A");
    ck_assert_uint_eq(count_lines(m, PSL_LINE_ATTRIBUTE), 4);
    const psl_line *u = &m->lines[3];
    ck_assert_int_eq(u->kind, PSL_LINE_ATTRIBUTE);
    ck_assert_uint_eq(u->n_attrs, 1);
    const psl_attribute *a = &u->attrs[0];
    ck_assert(a->block);
    ck_assert_str_eq(a->name, "unique");
    ck_assert_uint_eq(a->span.line, 5);
    ck_assert_uint_eq(a->span.col, 3);
    ck_assert_uint_eq(a->args.len, 3);
    ck_assert_ptr_null(a->args.items[0].name);
    ck_assert_int_eq(a->args.items[0].value->kind, PSL_EXPR_ARRAY);
    ck_assert_uint_eq(a->args.items[0].value->len, 2);
    ck_assert_str_eq(a->args.items[0].value->items[1]->text, "b");
    ck_assert_str_eq(a->args.items[1].name, "name");
    ck_assert_str_eq(a->args.items[1].value->text, "ab");
    ck_assert_str_eq(a->args.items[2].name, "map");
    ck_assert_str_eq(u->trailing, "// why");
    /* @@index: field references with arguments are function calls. */
    const psl_attribute *ix = &m->lines[4].attrs[0];
    const psl_expr *f0 = ix->args.items[0].value->items[0];
    ck_assert_int_eq(f0->kind, PSL_EXPR_FUNCTION);
    ck_assert_str_eq(f0->text, "a");
    ck_assert_str_eq(f0->args.items[0].name, "sort");
    ck_assert_str_eq(f0->args.items[0].value->text, "Desc");
    const psl_expr *ops = ix->args.items[0].value->items[1]->args.items[0].value;
    ck_assert_int_eq(ops->kind, PSL_EXPR_FUNCTION);
    ck_assert_str_eq(ops->text, "raw");
    ck_assert_str_eq(ops->args.items[0].value->text, "gin_trgm_ops");
    ck_assert_str_eq(ix->args.items[1].name, "type");
    ck_assert_int_eq(ix->args.items[1].value->kind, PSL_EXPR_CONSTANT);
    parsed_free(p);
}
END_TEST

START_TEST(named_positional_and_empty_arguments)
{
    parsed *p = parse("model A {\n  id Int @id @x(a: 1, b:, \"pos\")\n}\n");
    ASSERT_NO_ERRORS(&p->diags); /* an empty argument parses; the checker rejects it */
    const psl_attribute *a = attr_of(top_named(p->ast, "A"), "id", 1);
    ck_assert_uint_eq(a->args.len, 3);
    ck_assert_str_eq(a->args.items[0].name, "a");
    ck_assert_str_eq(a->args.items[0].value->text, "1");
    ck_assert_str_eq(a->args.items[1].name, "b");
    ck_assert_ptr_null(a->args.items[1].value);
    ck_assert_ptr_null(a->args.items[2].name);
    ck_assert_int_eq(a->args.items[2].value->kind, PSL_EXPR_STRING);
    ck_assert_str_eq(a->args.items[2].value->text, "pos");
    ck_assert(!a->args.trailing_comma);
    parsed_free(p);
}
END_TEST

START_TEST(trailing_comma)
{
    /* Allowed in argument lists, not in arrays. */
    parsed *p = parse("model A {\n  id Int @id @x(1, 2,)\n  y Int @x()\n}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_attribute *a = attr_of(top_named(p->ast, "A"), "id", 1);
    ck_assert(a->args.trailing_comma);
    ck_assert_uint_eq(a->args.len, 2);
    const psl_attribute *b = attr_of(top_named(p->ast, "A"), "y", 0);
    ck_assert(b->args.present);
    ck_assert(!b->args.trailing_comma);
    ck_assert_uint_eq(b->args.len, 0);
    parsed_free(p);

    parsed *q = parse("model A {\n  id Int @id\n  @@index([id,])\n}\n");
    ck_assert_uint_ge(q->diags.errors, 1);
    ASSERT_ERROR(&q->diags, "This line is not a valid field or attribute definition.", 3);
    ck_assert(errors_only_on(&q->diags, 3));
    parsed_free(q);
}
END_TEST

/* ---- expressions ---- */

START_TEST(function_calls_and_nested_arrays)
{
    parsed *p = parse("model A {\n  id Int @id @x(f(g: h.i, 2), [1, [2, [3, []]]], [])\n}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_attribute *a = attr_of(top_named(p->ast, "A"), "id", 1);
    ck_assert_uint_eq(a->args.len, 3);
    const psl_expr *f = a->args.items[0].value;
    ck_assert_int_eq(f->kind, PSL_EXPR_FUNCTION);
    ck_assert_str_eq(f->text, "f");
    ck_assert_uint_eq(f->args.len, 2);
    ck_assert_str_eq(f->args.items[0].name, "g");
    ck_assert_int_eq(f->args.items[0].value->kind, PSL_EXPR_CONSTANT);
    ck_assert_str_eq(f->args.items[0].value->text, "h.i");
    ck_assert_ptr_null(f->args.items[1].name);
    const psl_expr *arr = a->args.items[1].value;
    ck_assert_int_eq(arr->kind, PSL_EXPR_ARRAY);
    ck_assert_uint_eq(arr->len, 2);
    ck_assert_str_eq(arr->items[0]->text, "1");
    const psl_expr *inner = arr->items[1];
    ck_assert_int_eq(inner->kind, PSL_EXPR_ARRAY);
    ck_assert_uint_eq(inner->len, 2);
    const psl_expr *innermost = inner->items[1];
    ck_assert_int_eq(innermost->kind, PSL_EXPR_ARRAY);
    ck_assert_uint_eq(innermost->len, 2);
    ck_assert_str_eq(innermost->items[0]->text, "3");
    ck_assert_int_eq(innermost->items[1]->kind, PSL_EXPR_ARRAY);
    ck_assert_uint_eq(innermost->items[1]->len, 0);
    ck_assert_int_eq(a->args.items[2].value->kind, PSL_EXPR_ARRAY);
    ck_assert_uint_eq(a->args.items[2].value->len, 0);
    parsed_free(p);
}
END_TEST

START_TEST(numbers)
{
    parsed *p = parse("model A {\n  a Int @default(42)\n  b Int @default(-7)\n  c Float @default(3.25)\n"
                      "  d Float @default(-0.5)\n  e Int @default(007)\n}\n");
    ASSERT_NO_ERRORS(&p->diags);
    static const char *const want[][2] = { { "a", "42" }, { "b", "-7" }, { "c", "3.25" }, { "d", "-0.5" }, { "e", "007" } };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const psl_expr *e = default_of(p, want[i][0]);
        ck_assert_int_eq(e->kind, PSL_EXPR_NUMBER);
        ck_assert_str_eq(e->text, want[i][1]); /* as written */
    }
    parsed_free(p);
    /* No exponent, no leading `+`. */
    parsed *q = parse("model A {\n  id Int @id\n  a Float @default(1e5)\n  b Int @default(+1)\n}\n");
    ck_assert_uint_ge(q->diags.errors, 1);
    ck_assert_uint_eq(errors_on_line(&q->diags, 2), 0);
    ck_assert_uint_ge(errors_on_line(&q->diags, 4), 1);
    parsed_free(q);
}
END_TEST

START_TEST(constants_and_paths)
{
    parsed *p = parse("model A {\n  a Role @default(USER)\n  b Int @x(onDelete: Cascade, p: a.b.c, t: true)\n}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_expr *e = default_of(p, "a");
    ck_assert_int_eq(e->kind, PSL_EXPR_CONSTANT);
    ck_assert_str_eq(e->text, "USER");
    const psl_attribute *a = attr_of(top_named(p->ast, "A"), "b", 0);
    ck_assert_str_eq(a->args.items[0].value->text, "Cascade");
    ck_assert_int_eq(a->args.items[1].value->kind, PSL_EXPR_CONSTANT);
    ck_assert_str_eq(a->args.items[1].value->text, "a.b.c");
    ck_assert_int_eq(a->args.items[2].value->kind, PSL_EXPR_CONSTANT);
    ck_assert_str_eq(a->args.items[2].value->text, "true");
    parsed_free(p);
}
END_TEST

START_TEST(string_escapes)
{
    parsed *p = parse("model A {\n"
                      "  a String @default(\"q\\\"b\\\\s\\/n\\nr\\rt\\tb\\bf\\f\")\n"
                      "  b String @default(\"\\u00e9\\u20AC\")\n"
                      "  c String @default(\"\\uD83D\\uDE00!\")\n"
                      "  d String @default(\"x\\u0000y\")\n"
                      "  e String @default(\"\")\n"
                      "  f String @default(\"\xc3\xa9 raw\")\n"
                      "}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_expr *a = default_of(p, "a");
    ck_assert_int_eq(a->kind, PSL_EXPR_STRING);
    ck_assert_str_eq(a->text, "q\"b\\s/n\nr\rt\tb\bf\f");
    ck_assert_uint_eq(a->text_len, strlen("q\"b\\s/n\nr\rt\tb\bf\f"));
    ck_assert_str_eq(a->raw, "\"q\\\"b\\\\s\\/n\\nr\\rt\\tb\\bf\\f\"");
    /* \uXXXX to UTF-8: 2 and 3 bytes; a surrogate pair to 4 bytes. */
    const psl_expr *b = default_of(p, "b");
    ck_assert_uint_eq(b->text_len, 5);
    ck_assert_mem_eq(b->text, "\xc3\xa9\xe2\x82\xac", 5);
    const psl_expr *c = default_of(p, "c");
    ck_assert_uint_eq(c->text_len, 5);
    ck_assert_mem_eq(c->text, "\xf0\x9f\x98\x80!", 5);
    const psl_expr *d = default_of(p, "d");
    ck_assert_uint_eq(d->text_len, 3);
    ck_assert_mem_eq(d->text, "x\0y", 3);
    const psl_expr *e = default_of(p, "e");
    ck_assert_uint_eq(e->text_len, 0);
    ck_assert_str_eq(e->text, "");
    ck_assert_str_eq(default_of(p, "f")->text, "\xc3\xa9 raw");
    parsed_free(p);
}
END_TEST

START_TEST(invalid_escapes)
{
    parsed *p = parse("model A {\n"
                      "  id Int @id\n"
                      "  a String @default(\"C:\\Users\")\n" /* 3: \U */
                      "  b String @default(\"\\uZZZZ\")\n"   /* 4 */
                      "  c String @default(\"\\uD83D x\")\n" /* 5: lone high surrogate */
                      "  d String @default(\"\\uDE00\")\n"   /* 6: lone low surrogate */
                      "  e String @default(\"\\u12\")\n"     /* 7: too short */
                      "}\n");
    ck_assert_ptr_nonnull(p->ast);
    ASSERT_ERROR(&p->diags,
                 "Unknown escape sequence. If the value is a windows-style path, `\\` must be escaped as `\\\\`.", 3);
    ASSERT_ERROR(&p->diags, "Invalid unicode escape sequence.", 4);
    ASSERT_ERROR(&p->diags, "Invalid unicode escape sequence.", 5);
    ASSERT_ERROR(&p->diags, "Invalid unicode escape sequence.", 6);
    ASSERT_ERROR(&p->diags, "Invalid unicode escape sequence.", 7);
    ck_assert_uint_eq(p->diags.errors, 5);
    ck_assert_uint_eq(errors_on_line(&p->diags, 2), 0);
    /* The field lines are still in the tree. */
    ck_assert_ptr_nonnull(line_named(top_named(p->ast, "A"), "e"));
    parsed_free(p);
}
END_TEST

START_TEST(control_characters_in_strings)
{
    /* A raw TAB inside a string is not allowed (JSON strings). */
    parsed *p = parse("model A {\n  id Int @id\n  a String @default(\"x\ty\")\n}\n");
    ck_assert_uint_ge(p->diags.errors, 1);
    ck_assert(errors_only_on(&p->diags, 3));
    parsed_free(p);
}
END_TEST

/* ---- comments and documentation ---- */

START_TEST(doc_comments_attach_to_next_item)
{
    parsed *p = parse("// plain, not documentation\n"
                      "/// The user.\n"
                      "///   Second line.\n"
                      "model User {\n"
                      "  /// The key.\n"
                      "  // ignored\n"
                      "  id Int @id /// trailing\n"
                      "  name String // plain trailing\n"
                      "  /* block doc */\n"
                      "  email String\n"
                      "  /**\n"
                      "   * multi\n"
                      "   * line\n"
                      "   */\n"
                      "  bio String\n"
                      "}\n"
                      "\n"
                      "/// floating: an empty line follows\n"
                      "\n"
                      "enum Role {\n"
                      "  /// admin doc\n"
                      "  ADMIN\n"
                      "}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_top *u = top_named(p->ast, "User");
    ck_assert_str_eq(u->doc, "The user.\nSecond line.");
    ck_assert_str_eq(line_named(u, "id")->doc, "The key.\ntrailing");
    ck_assert_ptr_null(line_named(u, "name")->doc);
    ck_assert_str_eq(line_named(u, "name")->trailing, "// plain trailing");
    ck_assert_str_eq(line_named(u, "email")->doc, "block doc");
    const char *bio = line_named(u, "bio")->doc;
    ck_assert_ptr_nonnull(bio);
    ck_assert_ptr_nonnull(strstr(bio, "multi"));
    ck_assert_ptr_nonnull(strstr(bio, "line"));
    ck_assert_ptr_null(strstr(bio, "*"));
    const psl_top *r = top_named(p->ast, "Role");
    ck_assert_ptr_null(r->doc);
    ck_assert_str_eq(line_named(r, "ADMIN")->doc, "admin doc");
    /* Comment lines are kept, verbatim, for the formatter. */
    ck_assert_uint_eq(count_lines(u, PSL_LINE_COMMENT), 4);
    ck_assert_int_eq(p->ast->tops[0].kind, PSL_TOP_COMMENT);
    ck_assert_str_eq(p->ast->tops[0].text, "// plain, not documentation");
    parsed_free(p);
}
END_TEST

START_TEST(comments_in_config_blocks_and_headers)
{
    parsed *p = parse("generator g { // after brace\n"
                      "  /// the provider\n"
                      "  provider = \"x\" // trailing\n"
                      "  /* multi\n"
                      "     line */\n"
                      "  output = \"out\"\n"
                      "}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_top *g = top_named(p->ast, "g");
    ck_assert_ptr_nonnull(g->header_trailing);
    ck_assert_ptr_nonnull(strstr(g->header_trailing, "after brace"));
    const psl_line *prov = line_named(g, "provider");
    ck_assert_str_eq(prov->doc, "the provider");
    ck_assert_str_eq(prov->trailing, "// trailing");
    ck_assert_str_eq(line_named(g, "output")->value->text, "out");
    /* A block comment spanning lines is one comment line; the next line numbers are right. */
    ck_assert_uint_eq(line_named(g, "output")->name_span.line, 6);
    parsed_free(p);
}
END_TEST

START_TEST(unterminated_block_comment)
{
    parsed *p = parse("model A {\n  id Int @id\n}\n/* never\nclosed\n");
    ck_assert_ptr_nonnull(p->ast);
    ASSERT_ERROR(&p->diags, "not terminated", 4);
    ck_assert_ptr_nonnull(top_named(p->ast, "A"));
    parsed_free(p);
}
END_TEST

/* ---- newlines ---- */

START_TEST(block_on_one_line_is_invalid)
{
    parsed *p = parse("model A { id Int @id }\n");
    ck_assert_ptr_nonnull(p->ast);
    ck_assert_uint_ge(p->diags.errors, 1);
    parsed_free(p);
    /* A `{` swallows the rest of its line, so the field is not parsed. */
    parsed *q = parse("model A { id Int @id\n}\n");
    const psl_top *m = top_named(q->ast, "A");
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_null(find_line(m, "id"));
    parsed_free(q);
}
END_TEST

START_TEST(arrays_cannot_span_lines)
{
    parsed *p = parse("model A {\n  a Int\n  b Int\n  @@id([\n    a,\n    b\n  ])\n}\n");
    ck_assert_ptr_nonnull(p->ast);
    ck_assert_uint_ge(p->diags.errors, 1);
    ck_assert_uint_ge(errors_on_line(&p->diags, 4), 1);
    ck_assert_uint_eq(errors_on_line(&p->diags, 2), 0);
    ck_assert_uint_eq(count_lines(top_named(p->ast, "A"), PSL_LINE_ATTRIBUTE), 0);
    parsed_free(p);
}
END_TEST

START_TEST(line_endings)
{
    /* CRLF and lone CR end lines too; no trailing newline is needed. */
    parsed *p = parse("model A {\r\n  id Int @id\r\n  x String\r  y Int\r\n}");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_top *m = top_named(p->ast, "A");
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(line_named(m, "x")->name_span.line, 3);
    ck_assert_uint_eq(line_named(m, "y")->name_span.line, 4);
    ck_assert_uint_eq(line_named(m, "y")->name_span.col, 3);
    parsed_free(p);
}
END_TEST

START_TEST(config_key_without_value)
{
    parsed *p = parse("datasource db {\n  provider =\n  url = env(\"URL\")\n}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_top *d = top_named(p->ast, "db");
    ck_assert_int_eq(line_named(d, "provider")->kind, PSL_LINE_KEY_VALUE);
    ck_assert_ptr_null(line_named(d, "provider")->value);
    const psl_expr *url = line_named(d, "url")->value;
    ck_assert_int_eq(url->kind, PSL_EXPR_FUNCTION);
    ck_assert_str_eq(url->text, "env");
    ck_assert_str_eq(url->args.items[0].value->text, "URL");
    parsed_free(p);
}
END_TEST

/* ---- error recovery ---- */

START_TEST(recovery_three_bad_lines_three_errors)
{
    /* Three bad lines in a model: one error each, and the good lines stay. */
    parsed *p = parse("model A {\n"
                      "  id Int @id\n"        /* 2 */
                      "  ??? what\n"          /* 3: bad */
                      "  name String\n"       /* 4 */
                      "  x Int @default(\n"   /* 5: bad */
                      "  email String\n"      /* 6 */
                      "  = 3\n"               /* 7: bad */
                      "  age Int?\n"          /* 8 */
                      "}\n");
    ck_assert_ptr_nonnull(p->ast);
    const psl_top *m = top_named(p->ast, "A");
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_nonnull(line_named(m, "id"));
    ck_assert_ptr_nonnull(line_named(m, "name"));
    ck_assert_ptr_nonnull(line_named(m, "email"));
    ck_assert_int_eq(line_named(m, "age")->type.form, PSL_TYPE_OPTIONAL);
    ck_assert_uint_eq(count_lines(m, PSL_LINE_INVALID), 3);
    for (unsigned line = 3; line <= 7; line += 2)
        ASSERT_ERROR(&p->diags, "Error validating: This line is not a valid field or attribute definition.", line);
    if (p->diags.errors != 3)
        dump(&p->diags);
    ck_assert_uint_eq(p->diags.errors, 3);
    parsed_free(p);
}
END_TEST

START_TEST(recovery_at_top_level)
{
    parsed *p = parse("garbage one\n"
                      "model A {\n  id Int @id\n}\n"
                      "} stray\n"
                      "model B {\n  id Int @id\n}\n"
                      "@@@ three\n");
    ck_assert_ptr_nonnull(p->ast);
    ck_assert_ptr_nonnull(top_named(p->ast, "A"));
    ck_assert_ptr_nonnull(top_named(p->ast, "B"));
    ck_assert_uint_eq(top_named(p->ast, "B")->n_lines, 1);
    ck_assert_ptr_nonnull(top_of(p->ast, PSL_TOP_INVALID, 2));
    ASSERT_ERROR(&p->diags, "This line is invalid. It does not start with any known Prisma schema keyword.", 1);
    ASSERT_ERROR(&p->diags, "This line is invalid. It does not start with any known Prisma schema keyword.", 5);
    ASSERT_ERROR(&p->diags, "This line is invalid. It does not start with any known Prisma schema keyword.", 9);
    ck_assert_uint_eq(errors_on_line(&p->diags, 3), 0);
    parsed_free(p);
}
END_TEST

START_TEST(no_spurious_parser_error_for_recovered_lines)
{
    /* A recovered line is reported once, in Prisma's words: the parser must
     * not add a generic message (nor claim it cannot go on). */
    parsed *p = parse("model A {\n  id Int @id\n  ??? bad\n}\n");
    for (size_t i = 0; i < p->diags.items.len; i++) {
        const psl_diag *g = diag_at(&p->diags, i);
        ck_assert_msg(strstr(g->message, "Unexpected token") == NULL, "spurious diagnostic %u:%u: %s",
                      g->span.line, g->span.col, g->message);
    }
    ck_assert_uint_eq(errors_on_line(&p->diags, 3), 1);
    parsed_free(p);
}
END_TEST

START_TEST(nesting_limit)
{
    /* Deeper than PSL_MAX_NESTING: one clear error, no stack overflow. */
    enum { DEPTH = PSL_MAX_NESTING + 10 };
    char text[64 + 2 * DEPTH];
    size_t n = (size_t)snprintf(text, sizeof text, "model A {\n  id Int @id @x(");
    for (int i = 0; i < DEPTH; i++)
        text[n++] = '[';
    for (int i = 0; i < DEPTH; i++)
        text[n++] = ']';
    memcpy(text + n, ")\n}\n", 5);
    parsed *p = parse(text);
    ck_assert_ptr_nonnull(p->ast);
    ASSERT_ERROR(&p->diags, "nests deeper", 2);
    ck_assert(errors_only_on(&p->diags, 2));
    parsed_free(p);
    /* Exactly at the limit is fine. */
    n = (size_t)snprintf(text, sizeof text, "model A {\n  id Int @id @x(");
    for (int i = 0; i < PSL_MAX_NESTING - 1; i++)
        text[n++] = '[';
    for (int i = 0; i < PSL_MAX_NESTING - 1; i++)
        text[n++] = ']';
    memcpy(text + n, ")\n}\n", 5);
    parsed *q = parse(text);
    ASSERT_NO_ERRORS(&q->diags);
    parsed_free(q);
}
END_TEST

START_TEST(invalid_utf8_returns_null)
{
    parsed *p = parse("model A {\n  id Int @id\n  n String @default(\"\xff\")\n}\n");
    ck_assert_ptr_null(p->ast);
    ck_assert_uint_eq(p->diags.errors, 1);
    ASSERT_ERROR(&p->diags, "not valid UTF-8", 3);
    ck_assert_uint_eq(diag_at(&p->diags, 0)->span.col, 22);
    parsed_free(p);
}
END_TEST

START_TEST(empty_and_blank_input)
{
    parsed *p = parse_n("", 0);
    ck_assert_ptr_nonnull(p->ast);
    ck_assert_uint_eq(p->ast->n_tops, 0);
    ASSERT_NO_ERRORS(&p->diags);
    parsed_free(p);
    parsed *q = parse("\n\n   \n\t\n// only a comment\n");
    ck_assert_ptr_nonnull(q->ast);
    ASSERT_NO_ERRORS(&q->diags);
    ck_assert_ptr_nonnull(top_of(q->ast, PSL_TOP_COMMENT, 0));
    ck_assert_ptr_null(find_top_of(q->ast, PSL_TOP_MODEL, 0));
    parsed_free(q);
}
END_TEST

/* ---- spans ---- */

START_TEST(spans_of_names)
{
    parsed *p = parse("\n"
                      "model   Post {\n"
                      "  id\tInt @id\n"
                      "  title String @db.VarChar(80)\n"
                      "}\n"
                      "enum \xc3\x89tat {\n"
                      "  \xc3\x89T\xc3\x89 @map(\"e\")\n"
                      "}\n");
    ASSERT_NO_ERRORS(&p->diags);
    const psl_top *m = top_named(p->ast, "Post");
    ck_assert_uint_eq(m->keyword_span.line, 2);
    ck_assert_uint_eq(m->keyword_span.col, 1);
    ck_assert_uint_eq(m->name_span.line, 2);
    ck_assert_uint_eq(m->name_span.col, 9);
    ck_assert_uint_eq(m->name_span.start, 9); /* byte offset: after "\nmodel   " */
    ck_assert_uint_eq(m->name_span.end, 13);
    const psl_line *id = line_named(m, "id");
    ck_assert_uint_eq(id->name_span.line, 3);
    ck_assert_uint_eq(id->name_span.col, 3);
    ck_assert_uint_eq(id->type.span.col, 6); /* a TAB is one column */
    const psl_line *title = line_named(m, "title");
    ck_assert_uint_eq(title->name_span.line, 4);
    ck_assert_uint_eq(title->attrs[0].name_span.col, 17);
    ck_assert_uint_eq(title->attrs[0].args.items[0].value->span.col, 28);
    ck_assert_uint_eq(title->span.line, 4);
    ck_assert_uint_eq(title->span.col, 3);
    /* Columns count bytes: "É" is two. */
    const psl_top *e = top_of(p->ast, PSL_TOP_ENUM, 0);
    ck_assert_uint_eq(e->name_span.line, 6);
    ck_assert_uint_eq(e->name_span.col, 6);
    const psl_line *v = &e->lines[0];
    ck_assert_uint_eq(v->attrs[0].span.line, 7);
    ck_assert_uint_eq(v->attrs[0].span.col, 9);
    parsed_free(p);
}
END_TEST

START_TEST(nul_bytes_do_not_truncate)
{
    /* A NUL in the middle is an invalid character, not the end of the text. */
    static const char text[] = "model A {\n  id Int @id\n}\n\0\nmodel B {\n  id Int @id\n}\n";
    parsed *p = parse_n(text, sizeof text - 1);
    ck_assert_ptr_nonnull(p->ast);
    ck_assert_uint_ge(p->diags.errors, 1);
    ck_assert(errors_only_on(&p->diags, 4));
    ck_assert_ptr_nonnull(top_named(p->ast, "B"));
    parsed_free(p);
}
END_TEST

/* ---- file identity ---- */

static void assert_expr_file(const psl_expr *e, unsigned file)
{
    ck_assert_uint_eq(e->span.file, file);
    for (size_t i = 0; i < e->args.len; i++) {
        ck_assert_uint_eq(e->args.items[i].span.file, file);
        if (e->args.items[i].value)
            assert_expr_file(e->args.items[i].value, file);
    }
    for (size_t i = 0; i < e->len; i++)
        assert_expr_file(e->items[i], file);
}

/* Every span the parser makes names the file it parsed (psl_source.file), so
 * the diagnostics of a multi-file schema can say where they come from. */
START_TEST(spans_carry_their_file)
{
    static const char text[] = "// doc\nmodel A {\n  id Int @id @default(autoincrement())\n  b  B[] @relation(\"x\", "
                               "fields: [a, b(sort: Desc)])\n\n  @@index(id, map: \"i\")\n}\n"
                               "datasource db {\n  provider = \"sqlite\"\n}\n^^^\n";
    psl_arena arena;
    psl_diags diags;
    psl_arena_init(&arena);
    psl_diags_init(&diags, &arena);
    psl_source src = { "sub/b.prisma", text, sizeof text - 1, 3 };
    const psl_ast *ast = psl_parse(&src, &arena, &diags);
    ck_assert_ptr_nonnull(ast);
    ck_assert_uint_ge(ast->n_tops, 3);
    for (size_t t = 0; t < ast->n_tops; t++) {
        const psl_top *top = &ast->tops[t];
        ck_assert_uint_eq(top->span.file, 3);
        if (top->name)
            ck_assert_uint_eq(top->name_span.file, 3);
        for (size_t l = 0; l < top->n_lines; l++) {
            const psl_line *line = &top->lines[l];
            ck_assert_uint_eq(line->span.file, 3);
            if (line->kind == PSL_LINE_FIELD)
                ck_assert_uint_eq(line->type.span.file, 3);
            if (line->value)
                assert_expr_file(line->value, 3);
            for (size_t a = 0; a < line->n_attrs; a++) {
                ck_assert_uint_eq(line->attrs[a].span.file, 3);
                ck_assert_uint_eq(line->attrs[a].name_span.file, 3);
                for (size_t g = 0; g < line->attrs[a].args.len; g++)
                    if (line->attrs[a].args.items[g].value)
                        assert_expr_file(line->attrs[a].args.items[g].value, 3);
            }
        }
    }
    /* The invalid last line: its error names the file too. */
    ck_assert_uint_ge(diags.items.len, 1);
    for (size_t i = 0; i < diags.items.len; i++)
        ck_assert_uint_eq(diag_at(&diags, i)->span.file, 3);
    psl_arena_release(&arena);
}
END_TEST

/* A schema of two files is one schema: names resolve across the files, and
 * each diagnostic's span names its file, with lines counted in that file. */
START_TEST(files_of_one_schema)
{
    psl_source files[] = {
        { "a.prisma", "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel User {\n  id Int @id\n  posts Post[]\n}\n",
          0, 7 },
        { "b.prisma",
          "model Post {\n  id Int @id\n  userId Int\n  user User @relation(fields: userId, references: id)\n"
          "  x Strin\n}\n",
          0, 7 },
    };
    files[0].len = strlen(files[0].text);
    files[1].len = strlen(files[1].text);
    psl_schema *s = psl_schema_load_files(files, 2);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->n_files, 2);
    ck_assert_uint_eq(s->files[1].file, 1); /* numbered in the order given */
    ck_assert_uint_eq(s->file_asts[0].n_tops + s->file_asts[1].n_tops, s->ast->n_tops);
    ck_assert_uint_eq(s->diags.errors, 1);
    const psl_diag *g = diag_at(&s->diags, 0);
    ck_assert_uint_eq(g->span.file, 1);
    ck_assert_uint_eq(g->span.line, 5);
    ck_assert_ptr_nonnull(strstr(g->message, "\"Strin\""));
    ck_assert_ptr_nonnull(psl_schema_model(s, "Post"));
    ck_assert_uint_eq(psl_schema_model(s, "Post")->ast->span.file, 1);
    ck_assert_uint_eq(psl_schema_model(s, "User")->ast->span.file, 0);
    psl_schema_free(s);

    /* Without the error, the relation across the files resolves. */
    files[1].text = "model Post {\n  id Int @id\n  userId Int\n  user User @relation(fields: userId, references: id)\n}\n";
    files[1].len = strlen(files[1].text);
    s = psl_schema_load_files(files, 2);
    ck_assert_uint_eq(s->diags.errors, 0);
    ck_assert_uint_eq(s->n_relations, 1);
    ck_assert_str_eq(s->relations[0]->from_model->name, "Post");
    ck_assert_uint_eq(s->relations[0]->n_fields, 1);
    psl_schema_free(s);
}
END_TEST

static Suite *parser_suite(void)
{
    Suite *s = suite_create("parser");
    TCase *blocks = tcase_create("blocks");
    tcase_add_test(blocks, every_block_kind);
    tcase_add_test(blocks, type_alias_is_an_error);
    tcase_add_test(blocks, arbitrary_block_is_an_error);
    tcase_add_test(blocks, unknown_top_line_is_an_error);
    tcase_add_test(blocks, unclosed_block_is_an_error);
    tcase_add_test(blocks, invalid_lines_per_block_kind);
    suite_add_tcase(s, blocks);

    TCase *fields = tcase_create("fields");
    tcase_add_test(fields, field_type_forms);
    tcase_add_test(fields, field_without_type_and_legacy_colon);
    tcase_add_test(fields, unsupported_type);
    tcase_add_test(fields, unsupported_type_allows_no_spaces);
    tcase_add_test(fields, identifiers);
    suite_add_tcase(s, fields);

    TCase *attrs = tcase_create("attributes");
    tcase_add_test(attrs, field_attributes_with_dotted_names);
    tcase_add_test(attrs, block_attributes);
    tcase_add_test(attrs, named_positional_and_empty_arguments);
    tcase_add_test(attrs, trailing_comma);
    suite_add_tcase(s, attrs);

    TCase *exprs = tcase_create("expressions");
    tcase_add_test(exprs, function_calls_and_nested_arrays);
    tcase_add_test(exprs, numbers);
    tcase_add_test(exprs, constants_and_paths);
    tcase_add_test(exprs, string_escapes);
    tcase_add_test(exprs, invalid_escapes);
    tcase_add_test(exprs, control_characters_in_strings);
    suite_add_tcase(s, exprs);

    TCase *comments = tcase_create("comments");
    tcase_add_test(comments, doc_comments_attach_to_next_item);
    tcase_add_test(comments, comments_in_config_blocks_and_headers);
    tcase_add_test(comments, unterminated_block_comment);
    suite_add_tcase(s, comments);

    TCase *lines = tcase_create("lines");
    tcase_add_test(lines, block_on_one_line_is_invalid);
    tcase_add_test(lines, arrays_cannot_span_lines);
    tcase_add_test(lines, line_endings);
    tcase_add_test(lines, config_key_without_value);
    suite_add_tcase(s, lines);

    TCase *recovery = tcase_create("recovery");
    tcase_add_test(recovery, recovery_three_bad_lines_three_errors);
    tcase_add_test(recovery, recovery_at_top_level);
    tcase_add_test(recovery, no_spurious_parser_error_for_recovered_lines);
    tcase_add_test(recovery, nesting_limit);
    tcase_add_test(recovery, invalid_utf8_returns_null);
    tcase_add_test(recovery, empty_and_blank_input);
    tcase_add_test(recovery, nul_bytes_do_not_truncate);
    suite_add_tcase(s, recovery);

    TCase *spans = tcase_create("spans");
    tcase_add_test(spans, spans_of_names);
    tcase_add_test(spans, spans_carry_their_file);
    tcase_add_test(spans, files_of_one_schema);
    suite_add_tcase(s, spans);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(parser_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
