/* The syntax tree of a Prisma schema, as the parser builds it.
 *
 * It keeps everything the formatter needs to reproduce the file: comments,
 * empty lines and invalid lines, in order. The checked schema model
 * (schema.h) is built from it; the emitters never read it directly. */
#ifndef PRISMAC_AST_H
#define PRISMAC_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"

typedef struct psl_expr psl_expr;

typedef struct psl_arg {
    const char *name; /* NULL for a positional argument */
    psl_span name_span;
    psl_expr *value; /* NULL for an empty `name:` argument */
    psl_span span;
} psl_arg;

typedef struct psl_args {
    psl_arg *items;
    size_t len;
    bool present;        /* the parentheses were written */
    bool trailing_comma; /* `(a, b,)` */
    psl_span span;
} psl_args;

typedef enum psl_expr_kind {
    PSL_EXPR_STRING,   /* text: decoded value (len in text_len) */
    PSL_EXPR_NUMBER,   /* text: the literal as written */
    PSL_EXPR_CONSTANT, /* text: identifier or dotted path */
    PSL_EXPR_FUNCTION, /* text: name (a path), args */
    PSL_EXPR_ARRAY,    /* items */
    PSL_EXPR_OBJECT    /* args: the members, `{ name: value, ... }` (partial indexes' `where:`) */
} psl_expr_kind;

struct psl_expr {
    psl_expr_kind kind;
    psl_span span;
    const char *text;
    size_t text_len;
    const char *raw; /* the source text of a string literal, quotes included */
    psl_args args;
    psl_expr **items;
    size_t len;
};

/* Prisma's coerce_array: where an argument takes a list, a single value is
 * a list of one (`@@index(userId)` means `@@index([userId])`, `fields: id`
 * means `fields: [id]`). Returns the items of `e`: an array's own, else `e`
 * itself through `*one`; *n is their number. */
static inline const psl_expr *const *psl_expr_items(const psl_expr *e, const psl_expr **one, size_t *n)
{
    if (e->kind == PSL_EXPR_ARRAY) {
        *n = e->len;
        return (const psl_expr *const *)e->items;
    }
    *one = e;
    *n = 1;
    return one;
}

typedef struct psl_attribute {
    const char *name; /* without the @ or @@, e.g. "db.VarChar" */
    psl_span name_span;
    psl_args args;
    psl_span span; /* from the first @ to the closing parenthesis */
    bool block;    /* @@ */
} psl_attribute;

typedef enum psl_type_form {
    PSL_TYPE_REQUIRED,      /* T */
    PSL_TYPE_OPTIONAL,      /* T? */
    PSL_TYPE_LIST,          /* T[] */
    PSL_TYPE_OPTIONAL_LIST, /* T[]?: an error */
    PSL_TYPE_BANG,          /* T!: an error */
    PSL_TYPE_LEGACY_LIST    /* [T]: an error */
} psl_type_form;

typedef struct psl_field_type {
    const char *name; /* NULL: no type written */
    psl_span span;    /* the whole type, markers included */
    psl_type_form form;
    bool unsupported;             /* Unsupported("...") */
    const char *unsupported_text; /* its argument */
} psl_field_type;

/* One line inside a block. Models, views, composite types, enums and config
 * blocks share this shape; which kinds are valid depends on the block. */
typedef enum psl_line_kind {
    PSL_LINE_FIELD,     /* name [:] [type] @attr* : a field or an enum value */
    PSL_LINE_KEY_VALUE, /* name = [expr] */
    PSL_LINE_ATTRIBUTE, /* @@attr */
    PSL_LINE_COMMENT,   /* a whole-line comment, kept verbatim */
    PSL_LINE_EMPTY,
    PSL_LINE_INVALID /* a line that does not parse, kept verbatim */
} psl_line_kind;

typedef struct psl_line {
    psl_line_kind kind;
    psl_span span;
    const char *name; /* FIELD, KEY_VALUE */
    psl_span name_span;
    bool legacy_colon;     /* `name: Type` */
    psl_field_type type;   /* FIELD */
    psl_attribute *attrs;  /* FIELD: field attributes; ATTRIBUTE: exactly one */
    size_t n_attrs;
    psl_expr *value;       /* KEY_VALUE; NULL when missing */
    const char *text;      /* COMMENT, INVALID: the source text of the line */
    const char *trailing;  /* the trailing comment, verbatim, or NULL */
    const char *doc;       /* documentation attached to this line, or NULL */
} psl_line;

typedef enum psl_top_kind {
    PSL_TOP_MODEL,
    PSL_TOP_VIEW,
    PSL_TOP_TYPE, /* composite type */
    PSL_TOP_ENUM,
    PSL_TOP_DATASOURCE,
    PSL_TOP_GENERATOR,
    PSL_TOP_TYPE_ALIAS,      /* type A = B: always an error */
    PSL_TOP_ARBITRARY_BLOCK, /* ident { ... }: always an error */
    PSL_TOP_COMMENT,         /* a free-floating comment line */
    PSL_TOP_EMPTY,
    PSL_TOP_INVALID
} psl_top_kind;

typedef struct psl_top {
    psl_top_kind kind;
    psl_span span;         /* the whole item */
    psl_span keyword_span; /* the keyword: model, enum, ... */
    const char *name;
    psl_span name_span;
    psl_line *lines; /* the block's lines, in order */
    size_t n_lines;
    const char *text;     /* COMMENT, INVALID: verbatim */
    const char *doc;      /* documentation attached to the block, or NULL */
    const char *header_trailing; /* comment after `{` on the opening line */
    const char *close_trailing;  /* comment after the closing `}` */
    psl_field_type alias_type;   /* TYPE_ALIAS */
} psl_top;

typedef struct psl_ast {
    psl_top *tops;
    size_t n_tops;
} psl_ast;


/* Parses `src` into a syntax tree allocated from `arena`. Syntax errors go to
 * `diags`; the parser recovers line by line, so the tree is always built and
 * holds every line (invalid ones as PSL_LINE_INVALID / PSL_TOP_INVALID).
 * Returns NULL only if `src` is not valid UTF-8 (reported in diags). */
psl_ast *psl_parse(const psl_source *src, psl_arena *arena, psl_diags *diags);

/* Nesting depth beyond which expressions are rejected; keeps every recursive
 * walk over the tree bounded. */
enum { PSL_MAX_NESTING = 64 };

#endif
