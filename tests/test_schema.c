/* Unit tests for the semantic layer, through psl_schema_load: types, enums,
 * models, composite types, relations, keys and indexes, defaults, names,
 * referential actions, native types, datasource and generator blocks, C
 * names and constraint names. Each error case asserts Prisma's message and
 * the line it is reported on; the line is found from the schema text. */
#include <check.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* ---- helpers ---- */

#define PG "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n"
#define SQLITE "datasource db {\n  provider = \"sqlite\"\n  url = \"file:dev.db\"\n}\n"

static psl_schema *load(const char *text)
{
    psl_schema *s = psl_schema_load("test.prisma", text, strlen(text));
    ck_assert_ptr_nonnull(s);
    return s;
}

static const psl_diag *diag_at(const psl_schema *s, size_t i)
{
    return s->diags.items.items[i];
}

static void dump(const psl_schema *s)
{
    for (size_t i = 0; i < s->diags.items.len; i++) {
        const psl_diag *g = diag_at(s, i);
        fprintf(stderr, "  %u:%u %s: %s\n", g->span.line, g->span.col, g->severity == PSL_ERROR ? "error" : "warning",
                g->message);
    }
}

/* The 1-based line of the first occurrence of `needle` in `text`. */
static unsigned line_of(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    ck_assert_msg(at != NULL, "test bug: \"%s\" is not in the schema", needle);
    unsigned line = 1;
    for (const char *p = text; p < at; p++)
        if (*p == '\n')
            line++;
    return line;
}

static bool has_diag(const psl_schema *s, psl_severity sev, const char *msg, unsigned line)
{
    for (size_t i = 0; i < s->diags.items.len; i++) {
        const psl_diag *g = diag_at(s, i);
        if (g->severity == sev && strstr(g->message, msg) && (line == 0 || g->span.line == line))
            return true;
    }
    return false;
}

/* An error containing `msg` on the line holding `where` in `text`. */
#define ASSERT_ERROR_AT(s, text, msg, where)                                                               \
    do {                                                                                                   \
        unsigned line_ = line_of((text), (where));                                                         \
        if (!has_diag((s), PSL_ERROR, (msg), line_)) {                                                     \
            dump(s);                                                                                       \
            ck_abort_msg("expected error \"%s\" on line %u", (msg), line_);                                \
        }                                                                                                  \
    } while (0)

#define ASSERT_WARNING_AT(s, text, msg, where)                                                             \
    do {                                                                                                   \
        unsigned line_ = line_of((text), (where));                                                         \
        if (!has_diag((s), PSL_WARNING, (msg), line_)) {                                                   \
            dump(s);                                                                                       \
            ck_abort_msg("expected warning \"%s\" on line %u", (msg), line_);                              \
        }                                                                                                  \
    } while (0)

#define ASSERT_VALID(s)                                                                                    \
    do {                                                                                                   \
        if ((s)->diags.errors != 0) {                                                                      \
            dump(s);                                                                                       \
            ck_abort_msg("expected a valid schema, got %zu errors", (s)->diags.errors);                   \
        }                                                                                                  \
    } while (0)

#define ASSERT_ERRORS(s, n)                                                                                \
    do {                                                                                                   \
        if ((s)->diags.errors != (size_t)(n)) {                                                            \
            dump(s);                                                                                       \
            ck_abort_msg("expected %zu errors, got %zu", (size_t)(n), (s)->diags.errors);                  \
        }                                                                                                  \
    } while (0)

/* Lookups that fail the test when the item is missing. */
static psl_model *model(const psl_schema *s, const char *name)
{
    psl_model *m = psl_schema_model(s, name);
    ck_assert_msg(m != NULL, "no model %s", name);
    return m;
}

static psl_field *field(const psl_schema *s, const char *m, const char *f)
{
    psl_field *x = psl_model_field(model(s, m), f);
    ck_assert_msg(x != NULL, "no field %s.%s", m, f);
    return x;
}

static psl_enum *enum_(const psl_schema *s, const char *name)
{
    psl_enum *e = psl_schema_enum(s, name);
    ck_assert_msg(e != NULL, "no enum %s", name);
    return e;
}

static psl_index *index_named(const psl_model *m, const char *db_name)
{
    for (size_t i = 0; i < m->n_indexes; i++)
        if (m->indexes[i]->db_name && strcmp(m->indexes[i]->db_name, db_name) == 0)
            return m->indexes[i];
    ck_abort_msg("no index %s on %s", db_name, m->name);
}

/* A default's value on a field, loading `text` (which must be valid). */
static const psl_default *default_of(const psl_schema *s, const char *m, const char *f)
{
    return &field(s, m, f)->def;
}

/* Independent of the generator's list: C11 keywords and a few C++ ones. */
static bool is_c_keyword(const char *s)
{
    static const char *const kw[] = {
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
        "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
        "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
        "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
        "_Static_assert", "_Thread_local", "bool", "true", "false", "class", "new", "delete", "this",
    };
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strcmp(s, kw[i]) == 0)
            return true;
    return false;
}

static bool is_c_identifier(const char *s)
{
    if (!s || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (const char *p = s; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_'))
            return false;
    /* Reserved for the implementation: __x and _X. */
    if (s[0] == '_' && (s[1] == '_' || isupper((unsigned char)s[1])))
        return false;
    return !is_c_keyword(s);
}

/* ---- types ---- */

START_TEST(scalar_types)
{
    static const char text[] = PG "model A {\n"
                                  "  id Int @id\n  s String\n  b BigInt?\n  f Float\n  d Decimal\n"
                                  "  t Boolean\n  dt DateTime\n  j Json\n  y Bytes[]\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    static const struct {
        const char *name;
        psl_scalar type;
        const char *type_name;
        psl_arity arity;
    } want[] = {
        { "id", PSL_INT, "Int", PSL_REQUIRED },       { "s", PSL_STRING, "String", PSL_REQUIRED },
        { "b", PSL_BIGINT, "BigInt", PSL_OPTIONAL },  { "f", PSL_FLOAT, "Float", PSL_REQUIRED },
        { "d", PSL_DECIMAL, "Decimal", PSL_REQUIRED }, { "t", PSL_BOOLEAN, "Boolean", PSL_REQUIRED },
        { "dt", PSL_DATETIME, "DateTime", PSL_REQUIRED }, { "j", PSL_JSON, "Json", PSL_REQUIRED },
        { "y", PSL_BYTES, "Bytes", PSL_LIST },
    };
    psl_model *m = model(s, "A");
    ck_assert_uint_eq(m->n_fields, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const psl_field *f = m->fields[i];
        ck_assert_str_eq(f->name, want[i].name);
        ck_assert_uint_eq(f->index, i);
        ck_assert_ptr_eq(f->model, m);
        ck_assert_int_eq(f->kind, PSL_FIELD_SCALAR);
        ck_assert_int_eq(f->scalar, want[i].type);
        ck_assert_int_eq(f->arity, want[i].arity);
        ck_assert_str_eq(f->type_name, want[i].type_name);
        ck_assert_str_eq(psl_scalar_name(f->scalar), want[i].type_name);
    }
    psl_schema_free(s);
}
END_TEST

START_TEST(unknown_type)
{
    static const char text[] = "model A {\n  id Int @id\n  x Strin\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text,
                    "Type \"Strin\" is neither a built-in type, nor refers to another model, composite type, or enum.",
                    "x Strin");
    ASSERT_ERRORS(s, 1);
    psl_schema_free(s);
}
END_TEST

START_TEST(unsupported_field)
{
    static const char text[] = PG "model A {\n  id Int @id\n  loc Unsupported(\"circle\")?\n"
                                  "  g Unsupported(\"geometry\") @default(dbgenerated(\"x\"))\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    const psl_field *f = field(s, "A", "loc");
    ck_assert_int_eq(f->kind, PSL_FIELD_UNSUPPORTED);
    ck_assert_str_eq(f->unsupported, "circle");
    ck_assert_int_eq(f->arity, PSL_OPTIONAL);
    ck_assert_int_eq(default_of(s, "A", "g")->kind, PSL_DEFAULT_DBGENERATED);
    psl_schema_free(s);
}
END_TEST

/* ---- enums ---- */

START_TEST(enums)
{
    static const char text[] = PG "/// Who may do what.\n"
                                  "enum Role {\n  ADMIN @map(\"admin\")\n  /// The default.\n  USER\n"
                                  "  @@map(\"roles\")\n}\n"
                                  "model A {\n  id Int @id\n  role Role @default(USER)\n  roles Role[]\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_uint_eq(s->n_enums, 1);
    const psl_enum *e = enum_(s, "Role");
    ck_assert_str_eq(e->db_name, "roles");
    ck_assert_str_eq(e->doc, "Who may do what.");
    ck_assert_uint_eq(e->n_values, 2);
    ck_assert_str_eq(e->values[0].name, "ADMIN");
    ck_assert_str_eq(e->values[0].db_name, "admin");
    ck_assert_str_eq(e->values[1].db_name, "USER");
    ck_assert_str_eq(e->values[1].doc, "The default.");
    ck_assert(is_c_identifier(e->c_name));
    ck_assert_str_eq(e->values[0].c_name, "ROLE_ADMIN");
    ck_assert_str_eq(e->values[1].c_name, "ROLE_USER");
    const psl_field *f = field(s, "A", "role");
    ck_assert_int_eq(f->kind, PSL_FIELD_ENUM);
    ck_assert_ptr_eq(f->enum_type, e);
    ck_assert_int_eq(f->def.kind, PSL_DEFAULT_ENUM);
    ck_assert_ptr_eq(f->def.enum_value, &e->values[1]);
    ck_assert_int_eq(field(s, "A", "roles")->arity, PSL_LIST);
    psl_schema_free(s);
}
END_TEST

START_TEST(enum_errors)
{
    static const char text[] = "enum Empty {\n}\n"
                               "enum Dup {\n  A\n  B\n  A\n}\n"
                               "enum E {\n  X\n}\n"
                               "model M {\n  id Int @id\n  e E @default(Y)\n  f E @default(\"X\")\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text, "Error validating enum `Empty`: An enum must have at least one value.", "enum Empty");
    ASSERT_ERROR_AT(s, text, "Value \"A\" is already defined on enum \"Dup\".", "  A\n}");
    ASSERT_ERROR_AT(s, text,
                    "Error parsing attribute \"@default\": The defined default value `Y` is not a valid value of the "
                    "enum specified for the field.",
                    "@default(Y)");
    ASSERT_ERROR_AT(s, text, "Error parsing attribute \"@default\": Expected an enum value", "@default(\"X\")");
    ASSERT_ERRORS(s, 4);
    psl_schema_free(s);
}
END_TEST

/* ---- models ---- */

START_TEST(models_and_docs)
{
    static const char text[] = "/// A person.\nmodel User {\n  /// The key.\n  id Int @id\n  name String\n}\n"
                               "model Post {\n  id Int @id\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_uint_eq(s->n_models, 2);
    ck_assert_ptr_null(s->datasource);
    psl_model *u = model(s, "User");
    ck_assert_uint_eq(u->index, 0);
    ck_assert_uint_eq(model(s, "Post")->index, 1);
    ck_assert_ptr_eq(s->models[1], model(s, "Post"));
    ck_assert_str_eq(u->doc, "A person.");
    ck_assert_str_eq(field(s, "User", "id")->doc, "The key.");
    ck_assert_ptr_null(field(s, "User", "name")->doc);
    ck_assert_str_eq(u->db_name, "User");
    ck_assert(!u->is_view && !u->is_composite && !u->is_ignored);
    ck_assert_ptr_null(psl_schema_model(s, "Nope"));
    ck_assert_ptr_null(psl_model_field(u, "nope"));
    psl_schema_free(s);
}
END_TEST

START_TEST(model_errors)
{
    static const char text[] = "model A {\n  id Int @id\n  x Int\n  x String\n}\n"
                               "model A {\n  id Int @id\n}\n"
                               "model NoKey {\n  name String\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text, "Field \"x\" is already defined on model \"A\".", "x String");
    ASSERT_ERROR_AT(s, text, "The model \"A\" cannot be defined because a model with that name already exists.",
                    "model A {\n  id Int @id\n}");
    psl_schema_free(s);
    /* Checked only once the rest resolves, as in Prisma. */
    static const char text2[] = "model NoKey {\n  name String\n  other String?\n}\n";
    s = load(text2);
    ASSERT_ERROR_AT(s, text2,
                    "Error validating model \"NoKey\": Each model must have at least one unique criteria that has only "
                    "required fields.",
                    "model NoKey");
    ASSERT_ERRORS(s, 1);
    psl_schema_free(s);
}
END_TEST

START_TEST(views_need_preview_feature)
{
    static const char gen[] = "generator c {\n  provider = \"prismac\"\n  previewFeatures = [\"views\"]\n}\n";
    static const char text[] = PG "view V {\n  id Int @unique\n  name String\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text, "View definitions are only available with the `views` preview feature.", "view V");
    psl_schema_free(s);
    char both[sizeof gen + sizeof text];
    snprintf(both, sizeof both, "%s%s", gen, text);
    s = load(both);
    ASSERT_VALID(s);
    ck_assert(model(s, "V")->is_view);
    psl_schema_free(s);
}
END_TEST

/* ---- composite types ---- */

START_TEST(composite_types)
{
    static const char text[] = "type Address {\n  street String\n  zip String? @map(\"postcode\")\n}\n"
                               "model User {\n  id Int @id\n  home Address\n  others Address[]\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_uint_eq(s->n_models, 1);
    ck_assert_uint_eq(s->n_composites, 1);
    const psl_model *ct = s->composites[0];
    ck_assert(ct->is_composite);
    ck_assert_str_eq(ct->name, "Address");
    ck_assert_uint_eq(ct->n_fields, 2);
    ck_assert_str_eq(ct->fields[1]->db_name, "postcode");
    const psl_field *home = field(s, "User", "home");
    ck_assert_int_eq(home->kind, PSL_FIELD_COMPOSITE);
    ck_assert_ptr_eq(home->type_model, ct);
    ck_assert_int_eq(field(s, "User", "others")->arity, PSL_LIST);
    ck_assert_ptr_null(psl_schema_model(s, "Address")); /* not a model */
    psl_schema_free(s);
}
END_TEST

START_TEST(composite_type_errors)
{
    static const char text[] = "type T {\n  a Int\n  u User\n  @@id([a])\n}\n"
                               "model User {\n  id Int @id\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text, "A composite type cannot define an id.", "@@id([a])");
    ASSERT_ERROR_AT(s, text, "Composite types cannot have relation fields.", "u User");
    psl_schema_free(s);
}
END_TEST

/* ---- relations ---- */

START_TEST(relation_one_to_many)
{
    static const char text[] = PG "model User {\n  id Int @id\n  posts Post[]\n}\n"
                                  "model Post {\n  id Int @id\n  authorId Int\n"
                                  "  author User @relation(fields: [authorId], references: [id])\n"
                                  "  editorId Int?\n  editor Editor? @relation(fields: [editorId], references: [id])\n}\n"
                                  "model Editor {\n  id Int @id\n  posts Post[]\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_uint_eq(s->n_relations, 2);
    const psl_field *author = field(s, "Post", "author");
    ck_assert_int_eq(author->kind, PSL_FIELD_RELATION);
    ck_assert_ptr_eq(author->type_model, model(s, "User"));
    const psl_relation *r = author->relation;
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_eq(field(s, "User", "posts")->relation, r);
    ck_assert_int_eq(r->kind, PSL_REL_ONE_TO_MANY);
    ck_assert_str_eq(r->name, "PostToUser");
    ck_assert_ptr_eq(r->from_model, model(s, "Post"));
    ck_assert_ptr_eq(r->to_model, model(s, "User"));
    ck_assert_ptr_eq(r->from_field, author);
    ck_assert_ptr_eq(r->to_field, field(s, "User", "posts"));
    ck_assert_uint_eq(r->n_fields, 1);
    ck_assert_ptr_eq(r->fields[0], field(s, "Post", "authorId"));
    ck_assert_ptr_eq(r->references[0], field(s, "User", "id"));
    ck_assert(!r->self);
    ck_assert_ptr_null(r->join_table);
    /* Prisma's defaults: Restrict on a required key, SetNull on an optional one; Cascade on update. */
    ck_assert_int_eq(r->on_delete, PSL_ACTION_NONE);
    ck_assert_int_eq(r->effective_on_delete, PSL_ACTION_RESTRICT);
    ck_assert_int_eq(r->effective_on_update, PSL_ACTION_CASCADE);
    const psl_relation *e = field(s, "Post", "editor")->relation;
    ck_assert_str_eq(e->name, "EditorToPost");
    ck_assert_int_eq(e->effective_on_delete, PSL_ACTION_SET_NULL);
    psl_schema_free(s);
}
END_TEST

START_TEST(relation_one_to_one)
{
    static const char text[] = PG "model User {\n  id Int @id\n  profile Profile?\n}\n"
                                  "model Profile {\n  id Int @id\n  userId Int @unique\n"
                                  "  user User @relation(fields: [userId], references: [id], onDelete: Cascade)\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_uint_eq(s->n_relations, 1);
    const psl_relation *r = s->relations[0];
    ck_assert_int_eq(r->kind, PSL_REL_ONE_TO_ONE);
    ck_assert_ptr_eq(r->from_model, model(s, "Profile"));
    ck_assert_ptr_eq(r->to_field, field(s, "User", "profile"));
    ck_assert_int_eq(r->on_delete, PSL_ACTION_CASCADE);
    ck_assert_int_eq(r->effective_on_delete, PSL_ACTION_CASCADE);
    ck_assert_str_eq(r->fk_name, "Profile_userId_fkey");
    psl_schema_free(s);
}
END_TEST

START_TEST(relation_one_to_one_errors)
{
    /* The key side must be unique; the other side must be optional. */
    static const char text[] = "model User {\n  id Int @id\n  profile Profile\n}\n"
                               "model Profile {\n  id Int @id\n  userId Int\n"
                               "  user User @relation(fields: [userId], references: [id])\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text,
                    "Error parsing attribute \"@relation\": The relation field `profile` on model `User` is required. "
                    "This is not valid because it's not possible to enforce this constraint on the database level. "
                    "Please change the field type from `Profile` to `Profile?` to fix this.",
                    "profile Profile");
    ASSERT_ERROR_AT(s, text, "A one-to-one relation must use unique fields on the defining side.", "user User");
    psl_schema_free(s);
}
END_TEST

START_TEST(relation_many_to_many)
{
    static const char text[] = PG "model Tag {\n  id Int @id\n  posts Post[]\n}\n"
                                  "model Post {\n  id Int @id\n  tags Tag[]\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_uint_eq(s->n_relations, 1);
    const psl_relation *r = s->relations[0];
    ck_assert_int_eq(r->kind, PSL_REL_MANY_TO_MANY);
    ck_assert_str_eq(r->name, "PostToTag");
    ck_assert_str_eq(r->join_table, "_PostToTag");
    /* Column A is the model that sorts first. */
    ck_assert_ptr_eq(r->from_model, model(s, "Post"));
    ck_assert_ptr_eq(r->to_model, model(s, "Tag"));
    ck_assert_ptr_eq(r->from_field, field(s, "Post", "tags"));
    ck_assert_ptr_eq(field(s, "Tag", "posts")->relation, r);
    ck_assert_uint_eq(r->n_fields, 0);
    psl_schema_free(s);
}
END_TEST

START_TEST(relation_many_to_many_needs_ids)
{
    static const char text[] = "model A {\n  key Int @unique\n  bs B[]\n}\nmodel B {\n  id Int @id\n  as A[]\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text, "which does not have an `@id` field. Models without `@id` cannot be part of a many to many",
                    "as A[]");
    psl_schema_free(s);
}
END_TEST

START_TEST(self_relations)
{
    static const char text[] = PG "model User {\n  id Int @id\n"
                                  "  followers User[] @relation(\"Follows\")\n"
                                  "  following User[] @relation(\"Follows\")\n"
                                  "  managerId Int?\n"
                                  "  manager User? @relation(\"Reports\", fields: [managerId], references: [id])\n"
                                  "  reports User[] @relation(\"Reports\")\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_uint_eq(s->n_relations, 2);
    const psl_relation *follows = field(s, "User", "followers")->relation;
    ck_assert_ptr_nonnull(follows);
    ck_assert(follows->self);
    ck_assert_int_eq(follows->kind, PSL_REL_MANY_TO_MANY);
    ck_assert_str_eq(follows->name, "Follows");
    ck_assert_str_eq(follows->join_table, "_Follows");
    ck_assert_ptr_eq(field(s, "User", "following")->relation, follows);
    const psl_relation *reports = field(s, "User", "manager")->relation;
    ck_assert(reports->self);
    ck_assert_int_eq(reports->kind, PSL_REL_ONE_TO_MANY);
    ck_assert_ptr_eq(reports->to_field, field(s, "User", "reports"));
    ck_assert_ptr_eq(reports->from_field, field(s, "User", "manager"));
    psl_schema_free(s);
}
END_TEST

START_TEST(named_relations)
{
    static const char text[] = PG "model User {\n  id Int @id\n  written Post[] @relation(\"Author\")\n"
                                  "  edited Post[] @relation(\"Editor\")\n}\n"
                                  "model Post {\n  id Int @id\n  authorId Int\n  editorId Int\n"
                                  "  author User @relation(\"Author\", fields: [authorId], references: [id])\n"
                                  "  editor User @relation(name: \"Editor\", fields: [editorId], references: [id])\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_uint_eq(s->n_relations, 2);
    const psl_relation *a = field(s, "Post", "author")->relation, *e = field(s, "Post", "editor")->relation;
    ck_assert_str_eq(a->name, "Author");
    ck_assert_str_eq(e->name, "Editor");
    ck_assert_ptr_eq(a->to_field, field(s, "User", "written"));
    ck_assert_ptr_eq(e->to_field, field(s, "User", "edited"));
    ck_assert_str_eq(a->fk_name, "Post_authorId_fkey");
    ck_assert_str_eq(e->fk_name, "Post_editorId_fkey");
    psl_schema_free(s);
}
END_TEST

START_TEST(missing_back_relation)
{
    static const char text[] = "model User {\n  id Int @id\n}\n"
                               "model Post {\n  id Int @id\n  authorId Int\n"
                               "  author User @relation(fields: [authorId], references: [id])\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text,
                    "Error validating field `author` in model `Post`: The relation field `author` on model `Post` is "
                    "missing an opposite relation field on the model `User`. Either run `prisma format` or add it "
                    "manually.",
                    "author User");
    ASSERT_ERRORS(s, 1);
    psl_schema_free(s);
}
END_TEST

START_TEST(ambiguous_relation)
{
    static const char text[] = "model User {\n  id Int @id\n  a Post[]\n  b Post[]\n}\n"
                               "model Post {\n  id Int @id\n  uid Int\n"
                               "  user User @relation(fields: [uid], references: [id])\n}\n";
    psl_schema *s = load(text);
    ck_assert_uint_ge(s->diags.errors, 1);
    ASSERT_ERROR_AT(s, text, "Ambiguous relation detected. The fields `a` and `b` in model `User` both refer to `Post`.",
                    "a Post[]");
    psl_schema_free(s);
    /* Two unnamed self-relation fields pair up; a third makes it ambiguous. */
    static const char self[] = "model N {\n  id Int @id\n  a N?\n  b N?\n  c N?\n}\n";
    s = load(self);
    ASSERT_ERROR_AT(s, self, "Ambiguous self relation detected.", "a N?");
    psl_schema_free(s);
}
END_TEST

START_TEST(relation_argument_errors)
{
    static const char text[] = "model User {\n  id Int @id\n  posts Post[]\n}\n"
                               "model Post {\n  id Int @id\n  uid Int\n"
                               "  user User @relation(fields: [nope], references: [id])\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text,
                    "The argument fields must refer only to existing fields. The following fields do not exist in "
                    "this model: nope",
                    "user User");
    psl_schema_free(s);
    static const char text2[] = "model User {\n  id Int @id\n  posts Post[]\n}\n"
                                "model Post {\n  id Int @id\n  uid String\n"
                                "  user User @relation(fields: [uid], references: [id])\n}\n";
    s = load(text2);
    ASSERT_ERROR_AT(s, text2,
                    "The type of the field `uid` in the model `Post` is not matching the type of the referenced field "
                    "`id` in model `User`.",
                    "user User");
    psl_schema_free(s);
}
END_TEST

START_TEST(referential_actions)
{
    static const char text[] = PG "model User {\n  id Int @id\n  posts Post[]\n}\n"
                                  "model Post {\n  id Int @id\n  uid Int?\n"
                                  "  user User? @relation(fields: [uid], references: [id], onDelete: SetNull, "
                                  "onUpdate: NoAction)\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    const psl_relation *r = field(s, "Post", "user")->relation;
    ck_assert_int_eq(r->on_delete, PSL_ACTION_SET_NULL);
    ck_assert_int_eq(r->on_update, PSL_ACTION_NO_ACTION);
    ck_assert_int_eq(r->effective_on_update, PSL_ACTION_NO_ACTION);
    psl_schema_free(s);

    static const char bad[] = "model User {\n  id Int @id\n  posts Post[]\n}\n"
                              "model Post {\n  id Int @id\n  uid Int\n"
                              "  user User @relation(fields: [uid], references: [id], onDelete: Explode)\n}\n";
    s = load(bad);
    ASSERT_ERROR_AT(s, bad, "Error parsing attribute \"@relation\": Invalid referential action: `Explode`", "Explode");
    psl_schema_free(s);
}
END_TEST

START_TEST(set_null_on_required_field)
{
    /* An error on SQLite, a warning on PostgreSQL (as in Prisma). */
    static const char body[] = "model User {\n  id Int @id\n  posts Post[]\n}\n"
                               "model Post {\n  id Int @id\n  uid Int\n"
                               "  user User @relation(fields: [uid], references: [id], onDelete: SetNull)\n}\n";
    char text[sizeof body + sizeof PG];
    snprintf(text, sizeof text, "%s%s", SQLITE, body);
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text,
                    "Error parsing attribute \"@relation\": The `onDelete` referential action of a relation must not "
                    "be set to `SetNull` when a referenced field is required.",
                    "user User");
    psl_schema_free(s);
    snprintf(text, sizeof text, "%s%s", PG, body);
    s = load(text);
    ASSERT_VALID(s);
    ASSERT_WARNING_AT(s, text,
                      "The `onDelete` referential action of a relation should not be set to `SetNull` when a "
                      "referenced field is required.",
                      "user User");
    psl_schema_free(s);
}
END_TEST

START_TEST(ignored_models_and_fields)
{
    static const char text[] = "model User {\n  id Int @id\n  legacy String @ignore\n}\n"
                               "model Old {\n  name String\n  userId Int\n"
                               "  user User @relation(fields: [userId], references: [id])\n  @@ignore\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s); /* no key and no back relation: fine on an ignored model */
    ck_assert(field(s, "User", "legacy")->is_ignored);
    ck_assert(!field(s, "User", "id")->is_ignored);
    ck_assert(model(s, "Old")->is_ignored);
    ck_assert(!model(s, "User")->is_ignored);
    psl_schema_free(s);
}
END_TEST

/* ---- keys and indexes ---- */

START_TEST(ids_uniques_and_indexes)
{
    static const char text[] = PG "model User {\n  id Int @id @default(autoincrement())\n  email String @unique\n"
                                  "  first String\n  last String\n"
                                  "  @@unique([first, last], name: \"fullName\", map: \"full_name_key\")\n"
                                  "  @@unique([last, email])\n  @@index([first(sort: Desc), last])\n"
                                  "  @@index([email], map: \"by_email\", type: Hash)\n}\n"
                                  "model Pair {\n  a Int\n  b Int\n  @@id([a, b])\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    psl_model *u = model(s, "User");
    ck_assert_ptr_nonnull(u->primary_key);
    ck_assert_int_eq(u->primary_key->kind, PSL_INDEX_PRIMARY);
    ck_assert(u->primary_key->from_field);
    ck_assert_ptr_eq(u->primary_key->fields[0].field, field(s, "User", "id"));
    ck_assert(field(s, "User", "id")->is_id);
    ck_assert(field(s, "User", "email")->is_unique);
    ck_assert_uint_eq(u->n_indexes, 5);
    const psl_index *full = index_named(u, "full_name_key");
    ck_assert_int_eq(full->kind, PSL_INDEX_UNIQUE);
    ck_assert(!full->from_field);
    ck_assert_str_eq(full->name, "fullName");
    ck_assert_str_eq(full->c_name, "fullName");
    ck_assert_uint_eq(full->n_fields, 2);
    const psl_index *le = index_named(u, "User_last_email_key");
    ck_assert_ptr_null(le->name);
    ck_assert_str_eq(le->c_name, "last_email");
    const psl_index *fl = index_named(u, "User_first_last_idx");
    ck_assert_int_eq(fl->kind, PSL_INDEX_NORMAL);
    ck_assert_int_eq(fl->fields[0].sort, PSL_SORT_DESC);
    ck_assert_int_eq(fl->fields[1].sort, PSL_SORT_NONE);
    const psl_index *be = index_named(u, "by_email");
    ck_assert_str_eq(be->algorithm, "Hash");
    psl_model *p = model(s, "Pair");
    ck_assert_uint_eq(p->primary_key->n_fields, 2);
    ck_assert(!p->primary_key->from_field);
    ck_assert_str_eq(p->primary_key->db_name, "Pair_pkey");
    ck_assert_str_eq(p->primary_key->c_name, "a_b");
    psl_schema_free(s);
}
END_TEST

START_TEST(key_errors)
{
    static const char text[] = "model A {\n  id Int @id\n  x Int\n  @@id([x])\n}\n"
                               "model B {\n  id Int? @id\n}\n"
                               "model C {\n  id Int @id\n  @@index([nope, other])\n}\n"
                               "model D {\n  id Int @id\n  @@unique([])\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text,
                    "Error validating model \"A\": Each model must have at most one id criteria. You can't have `@id` "
                    "and `@@id` at the same time.",
                    "@@id([x])");
    ASSERT_ERROR_AT(s, text, "Error parsing attribute \"@id\": Fields that are marked as id must be required.",
                    "id Int? @id");
    ASSERT_ERROR_AT(s, text, "Error validating model \"C\": The index definition refers to the unknown fields: nope, other.",
                    "@@index([nope");
    ASSERT_ERROR_AT(s, text, "The list of fields in an index cannot be empty.", "@@unique([])");
    psl_schema_free(s);
}
END_TEST

START_TEST(constraint_names)
{
    /* Prisma's default names: table_columns_suffix, from database names. */
    static const char text[] = PG "model User {\n  id Int @id\n  email String @unique\n  posts Post[]\n}\n"
                                  "model Post {\n  id Int @id\n  authorId Int\n"
                                  "  author User @relation(fields: [authorId], references: [id])\n"
                                  "  @@index([authorId])\n}\n"
                                  "model Mapped {\n  id Int @id @map(\"mapped_id\")\n  code String @unique @map(\"the_code\")\n"
                                  "  @@map(\"mapped_table\")\n}\n"
                                  "model Custom {\n  id Int @id(map: \"custom_pk\")\n  v Int @unique(map: \"v_uq\")\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_str_eq(model(s, "User")->primary_key->db_name, "User_pkey");
    ck_assert_ptr_nonnull(index_named(model(s, "User"), "User_email_key"));
    ck_assert_str_eq(field(s, "Post", "author")->relation->fk_name, "Post_authorId_fkey");
    ck_assert_int_eq(index_named(model(s, "Post"), "Post_authorId_idx")->kind, PSL_INDEX_NORMAL);
    ck_assert_str_eq(model(s, "Mapped")->primary_key->db_name, "mapped_table_pkey");
    ck_assert_ptr_nonnull(index_named(model(s, "Mapped"), "mapped_table_the_code_key"));
    ck_assert_str_eq(model(s, "Custom")->primary_key->db_name, "custom_pk");
    ck_assert_ptr_nonnull(index_named(model(s, "Custom"), "v_uq"));
    psl_schema_free(s);
}
END_TEST

START_TEST(constraint_names_are_truncated_on_postgres)
{
    /* PostgreSQL identifiers are at most 63 bytes; the suffix is kept. */
    static const char text[] = PG "model AVeryLongModelNameThatGoesOnAndOnAndOnForeverAndEver {\n"
                                  "  id Int @id\n  aVeryLongColumnNameAsWellJustToBeSure String @unique\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    const psl_model *m = s->models[0];
    ck_assert_uint_eq(m->n_indexes, 1);
    const char *n = m->indexes[0]->db_name;
    ck_assert_uint_le(strlen(n), 63);
    ck_assert_uint_eq(strlen(n), 63);
    ck_assert_str_eq(n + strlen(n) - 4, "_key");
    ck_assert_int_eq(strncmp(n, m->name, strlen(m->name)), 0);
    psl_schema_free(s);
}
END_TEST

START_TEST(constraint_name_clash)
{
    static const char text[] = PG "model A {\n  id Int @id\n  x Int @unique(map: \"same\")\n}\n"
                                  "model B {\n  id Int @id\n  y Int\n  @@index([y], map: \"same\")\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text,
                    "The given constraint name `same` has to be unique in the following namespace: global for primary "
                    "key, indexes and unique constraints.",
                    "@@index([y]");
    ASSERT_ERROR_AT(s, text, "The given constraint name `same`", "@unique(map");
    psl_schema_free(s);
}
END_TEST

/* ---- defaults ---- */

START_TEST(default_functions)
{
    static const char text[] = PG "model A {\n"
                                  "  id Int @id @default(autoincrement())\n"
                                  "  big BigInt @default(autoincrement())\n"
                                  "  at DateTime @default(now())\n"
                                  "  u4 String @default(uuid())\n"
                                  "  u7 String @default(uuid(7))\n"
                                  "  c1 String @default(cuid())\n"
                                  "  c2 String @default(cuid(2))\n"
                                  "  n String @default(nanoid())\n"
                                  "  n16 String @default(nanoid(16))\n"
                                  "  ul String @default(ulid())\n"
                                  "  g String @default(dbgenerated(\"gen_random_uuid()\"))\n"
                                  "  g0 Int @default(dbgenerated())\n"
                                  "  m String @default(uuid(), map: \"m_default\")\n"
                                  "}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    static const struct {
        const char *field;
        psl_default_kind kind;
        int version;
    } want[] = {
        { "id", PSL_DEFAULT_AUTOINCREMENT, 0 }, { "big", PSL_DEFAULT_AUTOINCREMENT, 0 }, { "at", PSL_DEFAULT_NOW, 0 },
        { "u4", PSL_DEFAULT_UUID, 4 },          { "u7", PSL_DEFAULT_UUID, 7 },           { "c1", PSL_DEFAULT_CUID, 1 },
        { "c2", PSL_DEFAULT_CUID, 2 },          { "n16", PSL_DEFAULT_NANOID, 16 },       { "ul", PSL_DEFAULT_ULID, 0 },
        { "g", PSL_DEFAULT_DBGENERATED, 0 },    { "g0", PSL_DEFAULT_DBGENERATED, 0 },    { "m", PSL_DEFAULT_UUID, 4 },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const psl_default *d = default_of(s, "A", want[i].field);
        ck_assert_msg(d->kind == want[i].kind, "%s: kind %d, want %d", want[i].field, (int)d->kind, (int)want[i].kind);
        if (want[i].version)
            ck_assert_int_eq(d->version, want[i].version);
    }
    ck_assert(field(s, "A", "id")->is_autoincrement);
    ck_assert(!field(s, "A", "at")->is_autoincrement);
    /* nanoid() without a length: 21, or 0 meaning 21 (schema.h). */
    int nv = default_of(s, "A", "n")->version;
    ck_assert_int_eq(default_of(s, "A", "n")->kind, PSL_DEFAULT_NANOID);
    ck_assert(nv == 0 || nv == 21);
    ck_assert_str_eq(default_of(s, "A", "g")->text, "gen_random_uuid()");
    ck_assert_ptr_null(default_of(s, "A", "g0")->text);
    ck_assert_str_eq(default_of(s, "A", "m")->map, "m_default");
    psl_schema_free(s);
}
END_TEST

START_TEST(default_literals)
{
    static const char text[] = PG "model A {\n  id Int @id\n"
                                  "  s String @default(\"hi \\u00e9\")\n"
                                  "  i Int @default(-42)\n"
                                  "  b BigInt @default(9007199254740993)\n"
                                  "  f Float @default(1.5)\n"
                                  "  d Decimal @default(2.50)\n"
                                  "  t Boolean @default(true)\n"
                                  "  dt DateTime @default(\"2024-01-02T03:04:05.123Z\")\n"
                                  "  j Json @default(\"{\\\"a\\\": 1}\")\n"
                                  "  y Bytes @default(\"aGVsbG8=\")\n"
                                  "  l String[] @default([\"a\", \"b\"])\n"
                                  "  li Int[] @default([])\n"
                                  "}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    static const char *const want[][2] = {
        { "s", "hi \xc3\xa9" }, { "i", "-42" }, { "b", "9007199254740993" }, { "f", "1.5" }, { "d", "2.50" },
        { "t", "true" }, { "dt", "2024-01-02T03:04:05.123Z" }, { "j", "{\"a\": 1}" }, { "y", "aGVsbG8=" },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const psl_default *d = default_of(s, "A", want[i][0]);
        ck_assert_msg(d->kind == PSL_DEFAULT_LITERAL, "%s: kind %d", want[i][0], (int)d->kind);
        ck_assert_str_eq(d->text, want[i][1]);
    }
    const psl_default *l = default_of(s, "A", "l");
    ck_assert_int_eq(l->kind, PSL_DEFAULT_LIST);
    ck_assert_uint_eq(l->n_items, 2);
    ck_assert_str_eq(l->items[1].text, "b");
    ck_assert_int_eq(default_of(s, "A", "li")->kind, PSL_DEFAULT_LIST);
    ck_assert_uint_eq(default_of(s, "A", "li")->n_items, 0);
    ck_assert_int_eq(default_of(s, "A", "id")->kind, PSL_DEFAULT_NONE);
    psl_schema_free(s);
}
END_TEST

START_TEST(default_type_errors)
{
    static const char text[] = PG "model A {\n  id Int @id\n"
                                  "  a Int @default(now())\n"
                                  "  b String @default(cuid(3))\n"
                                  "  c String @default(uuid(5))\n"
                                  "  d String @default(autoincrement())\n"
                                  "  e Int @default(uuid())\n"
                                  "  f String @default(cuid(\"x\"))\n"
                                  "  g Int @default(\"seven\")\n"
                                  "  h Boolean @default(1)\n"
                                  "  i DateTime @default(\"yesterday\")\n"
                                  "  j String @default(42)\n"
                                  "  k Int @default(1.5)\n"
                                  "  l String @default(foo())\n"
                                  "  m DateTime @default(now(1))\n"
                                  "  n Bytes @default(\"not base64!\")\n"
                                  "}\n";
    static const char *const want[][2] = {
        { "The function `now()` cannot be used on fields of type `Int`.", "a Int" },
        { "`cuid()` takes either no argument, or a single integer argument which is either 1 or 2.", "b String" },
        { "`uuid()` takes either no argument, or a single integer argument which is either 4 or 7.", "c String" },
        { "The function `autoincrement()` cannot be used on fields of type `String`.", "d String" },
        { "The function `uuid()` cannot be used on fields of type `Int`.", "e Int" },
        { "`cuid()` takes a single Int argument.", "f String" },
        { "Expected an integer value, but received string value `\"seven\"`.", "g Int" },
        { "Expected a boolean value", "h Boolean" },
        { "Expected a datetime value", "i DateTime" },
        { "Expected a string value, but received numeric value `42`.", "j String" },
        { "Expected an integer value, but received numeric value `1.5`.", "k Int" },
        { "The function `foo` is not a known function.", "l String" },
        { "The `now()` function takes no arguments", "m DateTime" },
        { "Expected a base64 string", "n Bytes" },
    };
    psl_schema *s = load(text);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char msg[256];
        snprintf(msg, sizeof msg, "Error parsing attribute \"@default\": %s", want[i][0]);
        ASSERT_ERROR_AT(s, text, msg, want[i][1]);
    }
    ASSERT_ERRORS(s, sizeof want / sizeof want[0]);
    psl_schema_free(s);
}
END_TEST

START_TEST(nanoid_messages)
{
    /* Prisma (the validation/attributes/nanoid cases): a non-integer argument
     * and an out-of-range one get different messages. */
    static const char text[] = PG "model A {\n  id Int @id\n"
                                  "  a String @default(nanoid(\"x\"))\n"
                                  "  b String @default(nanoid(1))\n"
                                  "  c String @default(nanoid(256))\n"
                                  "  d Int @default(nanoid())\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text, "Error parsing attribute \"@default\": `nanoid()` takes a single Int argument.", "a String");
    ASSERT_ERROR_AT(s, text,
                    "Error parsing attribute \"@default\": `nanoid()` takes either no argument, or a single integer "
                    "argument between 2 and 255.",
                    "b String");
    ASSERT_ERROR_AT(s, text, "a single integer argument between 2 and 255.", "c String");
    ASSERT_ERROR_AT(s, text, "The function `nanoid()` cannot be used on fields of type `Int`.", "  d Int");
    ASSERT_ERRORS(s, 4);
    psl_schema_free(s);
}
END_TEST

/* ---- field attributes ---- */

START_TEST(maps_and_db_names)
{
    static const char text[] = PG "model User {\n  id Int @id @map(\"user_id\")\n  firstName String @map(\"first_name\")\n"
                                  "  plain Int\n  @@map(\"users\")\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_str_eq(model(s, "User")->db_name, "users");
    ck_assert_str_eq(model(s, "User")->name, "User");
    ck_assert_str_eq(field(s, "User", "id")->db_name, "user_id");
    ck_assert_str_eq(field(s, "User", "firstName")->db_name, "first_name");
    ck_assert_str_eq(field(s, "User", "plain")->db_name, "plain");
    psl_schema_free(s);

    static const char clash[] = "model A {\n  id Int @id\n  x Int @map(\"y\")\n  y Int\n}\n"
                                "model B {\n  id Int @id\n  @@map(\"A\")\n}\n";
    s = load(clash);
    ASSERT_ERROR_AT(s, clash,
                    "Error validating model \"A\": The field `y` cannot be defined because a field with the database "
                    "name `y` already exists.",
                    "  y Int");
    ASSERT_ERROR_AT(s, clash,
                    "The model with database name \"A\" could not be defined because another model or view with this "
                    "name exists: \"A\"",
                    "@@map(\"A\")");
    psl_schema_free(s);
}
END_TEST

START_TEST(updated_at)
{
    static const char text[] = "model A {\n  id Int @id\n  ts DateTime @updatedAt\n  bad String @updatedAt\n}\n";
    psl_schema *s = load(text);
    ck_assert(field(s, "A", "ts")->is_updated_at);
    ck_assert(!field(s, "A", "bad")->is_updated_at);
    ASSERT_ERROR_AT(s, text,
                    "Error parsing attribute \"@updatedAt\": Fields that are marked with @updatedAt must be of type "
                    "DateTime.",
                    "bad String");
    ASSERT_ERRORS(s, 1);
    psl_schema_free(s);
}
END_TEST

START_TEST(attribute_errors)
{
    static const char text[] = "model A {\n  id Int @id @id\n  x Int @nope\n  y Int @map(name: \"a\", extra: 1)\n"
                               "  @@bogus\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text, "Attribute \"@id\" can only be defined once.", "@id @id");
    ASSERT_ERROR_AT(s, text, "Attribute not known: \"@nope\".", "@nope");
    ASSERT_ERROR_AT(s, text, "Error parsing attribute \"@map\": No such argument.", "extra: 1");
    ASSERT_ERROR_AT(s, text, "Attribute not known: \"@@bogus\".", "@@bogus");
    psl_schema_free(s);
}
END_TEST

/* ---- native types ---- */

START_TEST(native_types_postgres)
{
    static const char text[] = "datasource pg {\n  provider = \"postgres\"\n  url = env(\"URL\")\n}\n"
                               "model A {\n  id String @id @pg.Uuid\n  name String @pg.VarChar(255)\n"
                               "  amount Decimal @pg.Decimal(10, 2)\n  small Int @pg.SmallInt\n  ts DateTime @pg.Timestamptz(3)\n"
                               "  doc Json @pg.JsonB\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_int_eq(s->datasource->provider, PSL_PROVIDER_POSTGRESQL);
    ck_assert_str_eq(field(s, "A", "id")->native.name, "Uuid");
    ck_assert_uint_eq(field(s, "A", "id")->native.n_args, 0);
    const psl_native_type *n = &field(s, "A", "name")->native;
    ck_assert_str_eq(n->name, "VarChar");
    ck_assert_uint_eq(n->n_args, 1);
    ck_assert_str_eq(n->args[0], "255");
    const psl_native_type *d = &field(s, "A", "amount")->native;
    ck_assert_uint_eq(d->n_args, 2);
    ck_assert_str_eq(d->args[1], "2");
    ck_assert_str_eq(field(s, "A", "small")->native.name, "SmallInt");
    ck_assert_str_eq(field(s, "A", "doc")->native.name, "JsonB");
    psl_schema_free(s);
}
END_TEST

START_TEST(native_type_errors_postgres)
{
    static const char text[] = PG "model A {\n  id Int @id\n"
                                  "  a Int @db.VarChar(10)\n"
                                  "  b String @db.Nope\n"
                                  "  c String @db.Text(5)\n"
                                  "  d String @db.VarChar(-1)\n"
                                  "  e String @other.Text\n"
                                  "  f String @db.VarChar(\"x\")\n"
                                  "}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text, "Native type VarChar is not compatible with declared field type Int, expected field type String.",
                    "a Int");
    ASSERT_ERROR_AT(s, text, "Native type Nope is not supported for postgresql connector.", "b String");
    ASSERT_ERROR_AT(s, text, "Function \"Text\" takes 0 arguments, but received 1.", "c String");
    ASSERT_ERROR_AT(s, text, "Expected a nonnegative integer, but found (-1).", "d String");
    ASSERT_ERROR_AT(s, text, "Attribute not known: \"@other.Text\".", "e String");
    ASSERT_ERROR_AT(s, text, "Expected an integer value, but received string value `\"x\"`.", "f String");
    ASSERT_ERRORS(s, 6);
    psl_schema_free(s);
}
END_TEST

START_TEST(native_types_sqlite)
{
    /* SQLite has no native types. */
    static const char text[] = SQLITE "model A {\n  id Int @id\n  s String @db.Text\n  v String @db.VarChar(3)\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text, "Native type Text is not supported for sqlite connector.", "s String");
    ASSERT_ERROR_AT(s, text, "Native type VarChar is not supported for sqlite connector.", "v String");
    ASSERT_ERRORS(s, 2);
    psl_schema_free(s);
    /* And no scalar lists. */
    static const char lists[] = SQLITE "model A {\n  id Int @id\n  tags String[]\n}\n";
    s = load(lists);
    ASSERT_ERROR_AT(s, lists,
                    "Field \"tags\" in model \"A\" can't be a list. The current connector does not support lists of "
                    "primitive types.",
                    "tags String[]");
    psl_schema_free(s);
}
END_TEST

/* ---- datasource and generators ---- */

START_TEST(datasource_blocks)
{
    static const char text[] = "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n"
                               "  relationMode = \"prisma\"\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    const psl_datasource *ds = s->datasource;
    ck_assert_ptr_nonnull(ds);
    ck_assert_str_eq(ds->name, "db");
    ck_assert_int_eq(ds->provider, PSL_PROVIDER_POSTGRESQL);
    ck_assert_str_eq(ds->provider_text, "postgresql");
    ck_assert_ptr_null(ds->url);
    ck_assert_str_eq(ds->url_env, "DATABASE_URL");
    ck_assert(ds->relation_mode_prisma);
    ck_assert_str_eq(psl_provider_name(ds->provider), "postgresql");
    psl_schema_free(s);

    s = load(SQLITE);
    ASSERT_VALID(s);
    ck_assert_int_eq(s->datasource->provider, PSL_PROVIDER_SQLITE);
    ck_assert_str_eq(s->datasource->url, "file:dev.db");
    ck_assert_ptr_null(s->datasource->url_env);
    ck_assert(!s->datasource->relation_mode_prisma);
    psl_schema_free(s);
}
END_TEST

START_TEST(datasource_errors)
{
    static const char mongo[] = "datasource db {\n  provider = \"mongodb\"\n  url = env(\"X\")\n}\n";
    psl_schema *s = load(mongo);
    ASSERT_ERRORS(s, 1);
    ASSERT_ERROR_AT(s, mongo, "Datasource provider not known: \"mongodb\".", "\"mongodb\"");
    ck_assert(has_diag(s, PSL_ERROR, "\"sqlite\"", 0));
    ck_assert(has_diag(s, PSL_ERROR, "\"postgresql\"", 0));
    ck_assert(has_diag(s, PSL_ERROR, "\"mysql\"", 0));
    psl_schema_free(s);

    /* provider = "mysql" is MySQL and MariaDB. */
    static const char mysql[] = "datasource db {\n  provider = \"mysql\"\n  url = env(\"X\")\n}\n";
    s = load(mysql);
    ASSERT_VALID(s);
    ck_assert_int_eq(s->datasource->provider, PSL_PROVIDER_MYSQL);
    psl_schema_free(s);

    /* A shadow database that is the main one would be wiped by migrate dev. */
    static const char shadow[] = "datasource db {\n  provider = \"mysql\"\n  url = \"mysql://h/a\"\n"
                                 "  shadowDatabaseUrl = \"mysql://h/a\"\n}\n";
    s = load(shadow);
    ASSERT_ERRORS(s, 1);
    ASSERT_ERROR_AT(s, shadow, "shadowDatabaseUrl is the same as url for datasource \"db\".", "url =");
    psl_schema_free(s);

    static const char text[] = "datasource db {\n  url = \"x\"\n}\n"
                               "datasource other {\n  provider = \"sqlite\"\n  url = \"y\"\n}\n";
    s = load(text);
    ASSERT_ERROR_AT(s, text, "Argument \"provider\" is missing in data source block \"db\".", "datasource db");
    ASSERT_ERROR_AT(s, text, "Error validating datasource `db`: You defined more than one datasource.",
                    "datasource db");
    ASSERT_ERROR_AT(s, text, "Error validating datasource `other`: You defined more than one datasource.",
                    "datasource other");
    psl_schema_free(s);

    static const char more[] = "datasource db {\n  provider = \"sqlite\"\n  relationMode = \"bogus\"\n  colour = \"red\"\n"
                               "  provider2 = env(\"P\")\n}\n";
    s = load(more);
    ck_assert(!has_diag(s, PSL_ERROR, "url", 0)); /* Prisma 7: the url is not in the schema */
    ASSERT_ERROR_AT(s, more, "\"bogus\"", "relationMode");
    ASSERT_ERROR_AT(s, more, "Property not known: \"colour\".", "colour");
    psl_schema_free(s);

    static const char env_provider[] = "datasource db {\n  provider = env(\"P\")\n  url = \"x\"\n}\n";
    s = load(env_provider);
    ASSERT_ERROR_AT(s, env_provider, "A datasource must not use the env() function in the provider argument.",
                    "provider = env");
    psl_schema_free(s);
}
END_TEST

START_TEST(env_function_arguments)
{
    /* Prisma (validation/datasource/url_named_arg.prisma, url_empty_named_arg.prisma):
     * a named argument is only a warning; an empty one is an error. */
    static const char named[] = "datasource db {\n  provider = \"postgresql\"\n  url = env(named: \"DATABASE_URL\")\n}\n";
    psl_schema *s = load(named);
    ASSERT_VALID(s);
    ASSERT_WARNING_AT(s, named, "The env function doesn't expect named arguments", "url = env");
    psl_schema_free(s);
    static const char empty[] = "datasource db {\n  provider = \"postgresql\"\n  url = env(named: )\n}\n";
    s = load(empty);
    ASSERT_ERROR_AT(s, empty, "The env function expects a singular, unnamed, string argument.", "url = env");
    psl_schema_free(s);
}
END_TEST

START_TEST(duplicate_config_keys)
{
    /* A key written twice must not corrupt the lists built from it (found by
     * fuzzing: the second `schemas` / `previewFeatures` reallocated the array
     * without resetting its length), and Prisma rejects it:
     * `Key "x" is already defined in generator "g".` */
    static const char ds[] = "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n"
                             "  schemas = [\"a\", \"b\", \"c\"]\n  schemas = [\"d\"]\n}\n";
    psl_schema *s = load(ds);
    ck_assert_ptr_nonnull(s->datasource);
    ck_assert_uint_le(s->datasource->n_schemas, 3);
    for (size_t i = 0; i < s->datasource->n_schemas; i++)
        ck_assert_msg(s->datasource->schemas[i] != NULL, "schemas[%zu] is NULL", i);
    ASSERT_ERROR_AT(s, ds, "Key \"schemas\" is already defined in datasource \"db\".", "schemas = [\"d\"]");
    psl_schema_free(s);

    static const char gen[] = "generator g {\n  provider = \"x\"\n  previewFeatures = [\"views\", \"views\", \"views\"]\n"
                              "  previewFeatures = [\"relationJoins\"]\n}\n";
    s = load(gen);
    ck_assert_uint_eq(s->n_generators, 1);
    ck_assert_uint_le(s->generators[0]->n_preview_features, 3);
    for (size_t i = 0; i < s->generators[0]->n_preview_features; i++)
        ck_assert_msg(s->generators[0]->preview_features[i] != NULL, "preview_features[%zu] is NULL", i);
    for (size_t i = 0; i < s->diags.items.len; i++)
        ck_assert_msg(strstr(diag_at(s, i)->message, "(null)") == NULL, "%s", diag_at(s, i)->message);
    ASSERT_ERROR_AT(s, gen, "Key \"previewFeatures\" is already defined in generator \"g\".",
                    "previewFeatures = [\"relationJoins\"]");
    psl_schema_free(s);
}
END_TEST

START_TEST(generator_blocks)
{
    static const char text[] = "generator client {\n  provider = \"prismac\"\n  output = \"./gen\"\n"
                               "  previewFeatures = [\"views\", \"relationJoins\"]\n  custom = 3\n}\n"
                               "generator other {\n  provider = env(\"GEN\")\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    ck_assert_uint_eq(s->n_generators, 2);
    const psl_generator *g = s->generators[0];
    ck_assert_str_eq(g->name, "client");
    ck_assert_str_eq(g->provider, "prismac");
    ck_assert_str_eq(g->output, "./gen");
    ck_assert_uint_eq(g->n_preview_features, 2);
    ck_assert_str_eq(g->preview_features[0], "views");
    ck_assert_str_eq(g->preview_features[1], "relationJoins");
    ck_assert_uint_eq(g->n_config, 4);
    ck_assert_str_eq(g->config[3].key, "custom");
    ck_assert_str_eq(g->config[3].value->text, "3");
    ck_assert_ptr_null(s->generators[1]->provider);
    ck_assert_str_eq(s->generators[1]->provider_env, "GEN");
    psl_schema_free(s);
}
END_TEST

START_TEST(generator_errors)
{
    static const char text[] = "generator a {\n  output = \"x\"\n}\n"
                               "generator b {\n  provider = \"p\"\n  previewFeatures = [\"noSuchFeature\"]\n}\n"
                               "generator b {\n  provider = \"q\"\n}\n"
                               "generator c {\n  provider = \"p\"\n  previewFeatures = \"views\"\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text, "Argument \"provider\" is missing in generator block \"a\".", "generator a");
    ASSERT_ERROR_AT(s, text, "The preview feature \"noSuchFeature\" is not known.", "noSuchFeature");
    ASSERT_ERROR_AT(s, text,
                    "The generator \"b\" cannot be defined because a generator with that name already exists.",
                    "generator b {\n  provider = \"q\"");
    /* A single string is a list of one, as in Prisma. */
    ck_assert(!has_diag(s, PSL_ERROR, "received string value `\"views\"`", 0));
    ck_assert_uint_eq(s->generators[2]->n_preview_features, 1);
    ck_assert_str_eq(s->generators[2]->preview_features[0], "views");
    psl_schema_free(s);
}
END_TEST

/* ---- C names ---- */

START_TEST(c_names_avoid_keywords)
{
    static const char text[] = "model Int {\n  int Int @id\n  default String\n  struct Boolean\n  first-name String\n"
                               "  first_name String\n  \xc3\xa9t\xc3\xa9 String\n  prisma_x Int\n  plain Int\n}\n"
                               "model switch {\n  id Int @id\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    for (size_t i = 0; i < s->n_models; i++) {
        const psl_model *m = s->models[i];
        ck_assert_msg(is_c_identifier(m->c_name), "model %s: c_name %s", m->name, m->c_name);
        ck_assert_msg(is_c_identifier(m->c_prefix), "model %s: c_prefix %s", m->name, m->c_prefix);
        for (size_t k = 0; k < m->n_fields; k++) {
            const psl_field *f = m->fields[k];
            ck_assert_msg(is_c_identifier(f->c_name), "field %s: c_name %s", f->name, f->c_name);
            for (size_t j = 0; j < k; j++)
                ck_assert_msg(strcmp(f->c_name, m->fields[j]->c_name) != 0, "fields %s and %s share c_name %s",
                              f->name, m->fields[j]->name, f->c_name);
        }
    }
    /* A name that is already fine is kept. */
    ck_assert_str_eq(field(s, "Int", "plain")->c_name, "plain");
    ck_assert_str_ne(field(s, "Int", "int")->c_name, "int");
    ck_assert_ptr_nonnull(strstr(field(s, "Int", "int")->c_name, "int"));
    ck_assert_str_ne(model(s, "switch")->c_name, "switch");
    /* Runtime prefixes are reserved for the runtime. */
    ck_assert_int_ne(strncmp(field(s, "Int", "prisma_x")->c_name, "prisma_", 7), 0);
    psl_schema_free(s);
}
END_TEST

START_TEST(c_names_distinct_for_case_variants)
{
    static const char text[] = "model user {\n  id Int @id\n}\nmodel User {\n  id Int @id\n}\n"
                               "model USER {\n  id Int @id\n}\nenum UserRole {\n  A\n}\nmodel UserProfile {\n  id Int @id\n}\n";
    psl_schema *s = load(text);
    ASSERT_VALID(s);
    const char *names[] = { model(s, "user")->c_prefix, model(s, "User")->c_prefix, model(s, "USER")->c_prefix,
                            enum_(s, "UserRole")->c_prefix, model(s, "UserProfile")->c_prefix };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ck_assert(is_c_identifier(names[i]));
        for (size_t k = 0; k < i; k++)
            ck_assert_msg(strcmp(names[i], names[k]) != 0, "c_prefix %s used twice", names[i]);
    }
    ck_assert_str_eq(model(s, "UserProfile")->c_prefix, "user_profile");
    ck_assert_str_ne(model(s, "user")->c_name, model(s, "User")->c_name);
    psl_schema_free(s);
}
END_TEST

START_TEST(reserved_model_names)
{
    static const char text[] = "model PrismaClient {\n  id Int @id\n}\n";
    psl_schema *s = load(text);
    ASSERT_ERROR_AT(s, text, "The model name `PrismaClient` is invalid. It is a reserved name.", "model PrismaClient");
    psl_schema_free(s);
}
END_TEST

START_TEST(empty_schema_is_valid)
{
    psl_schema *s = psl_schema_load("empty.prisma", "", 0);
    ck_assert_ptr_nonnull(s);
    ASSERT_VALID(s);
    ck_assert_uint_eq(s->n_models, 0);
    ck_assert_ptr_null(s->datasource);
    psl_schema_free(s);
    psl_schema_free(NULL); /* accepted */
}
END_TEST

static Suite *schema_suite(void)
{
    Suite *s = suite_create("schema");
    TCase *types = tcase_create("types");
    tcase_add_test(types, scalar_types);
    tcase_add_test(types, unknown_type);
    tcase_add_test(types, unsupported_field);
    tcase_add_test(types, enums);
    tcase_add_test(types, enum_errors);
    tcase_add_test(types, composite_types);
    tcase_add_test(types, composite_type_errors);
    suite_add_tcase(s, types);

    TCase *models = tcase_create("models");
    tcase_add_test(models, models_and_docs);
    tcase_add_test(models, model_errors);
    tcase_add_test(models, views_need_preview_feature);
    tcase_add_test(models, ignored_models_and_fields);
    tcase_add_test(models, empty_schema_is_valid);
    suite_add_tcase(s, models);

    TCase *rel = tcase_create("relations");
    tcase_add_test(rel, relation_one_to_many);
    tcase_add_test(rel, relation_one_to_one);
    tcase_add_test(rel, relation_one_to_one_errors);
    tcase_add_test(rel, relation_many_to_many);
    tcase_add_test(rel, relation_many_to_many_needs_ids);
    tcase_add_test(rel, self_relations);
    tcase_add_test(rel, named_relations);
    tcase_add_test(rel, missing_back_relation);
    tcase_add_test(rel, ambiguous_relation);
    tcase_add_test(rel, relation_argument_errors);
    tcase_add_test(rel, referential_actions);
    tcase_add_test(rel, set_null_on_required_field);
    suite_add_tcase(s, rel);

    TCase *keys = tcase_create("keys");
    tcase_add_test(keys, ids_uniques_and_indexes);
    tcase_add_test(keys, key_errors);
    tcase_add_test(keys, constraint_names);
    tcase_add_test(keys, constraint_names_are_truncated_on_postgres);
    tcase_add_test(keys, constraint_name_clash);
    suite_add_tcase(s, keys);

    TCase *defaults = tcase_create("defaults");
    tcase_add_test(defaults, default_functions);
    tcase_add_test(defaults, default_literals);
    tcase_add_test(defaults, default_type_errors);
    tcase_add_test(defaults, nanoid_messages);
    suite_add_tcase(s, defaults);

    TCase *attrs = tcase_create("attributes");
    tcase_add_test(attrs, maps_and_db_names);
    tcase_add_test(attrs, updated_at);
    tcase_add_test(attrs, attribute_errors);
    tcase_add_test(attrs, native_types_postgres);
    tcase_add_test(attrs, native_type_errors_postgres);
    tcase_add_test(attrs, native_types_sqlite);
    suite_add_tcase(s, attrs);

    TCase *config = tcase_create("config");
    tcase_add_test(config, datasource_blocks);
    tcase_add_test(config, datasource_errors);
    tcase_add_test(config, env_function_arguments);
    tcase_add_test(config, generator_blocks);
    tcase_add_test(config, generator_errors);
    tcase_add_test(config, duplicate_config_keys);
    suite_add_tcase(s, config);

    TCase *names = tcase_create("names");
    tcase_add_test(names, c_names_avoid_keywords);
    tcase_add_test(names, c_names_distinct_for_case_variants);
    tcase_add_test(names, reserved_model_names);
    suite_add_tcase(s, names);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(schema_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
