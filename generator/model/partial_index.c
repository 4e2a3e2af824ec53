/* Partial indexes (preview feature "partialIndexes"): the `where:` argument of @@index, @@unique and
 * @unique, checked as Prisma 7.10.1 checks it, and turned into the index's SQL predicate.
 *
 * `where: raw("...")` is the predicate as written; `where: { field: value, other: { not: value } }`
 * is a conjunction of equalities (`IS NULL` for null), each negated by `not`. */
#include "schema_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The attribute as these messages name it: "@index" / "@unique", block form or not, as Prisma does. */
static void where_error(psl_ctx *C, const psl_attribute *a, psl_span span, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void where_error(psl_ctx *C, const psl_attribute *a, psl_span span, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    psl_error(C->d, span, "Error parsing attribute \"@%s\": %s", a->name, buf);
}

typedef enum literal_kind { LIT_INVALID, LIT_NULL, LIT_BOOLEAN, LIT_STRING, LIT_NUMBER } literal_kind;

static literal_kind literal_of(const psl_expr *e)
{
    switch (e->kind) {
    case PSL_EXPR_STRING: return LIT_STRING;
    case PSL_EXPR_NUMBER: return LIT_NUMBER;
    case PSL_EXPR_CONSTANT:
        if (streq(e->text, "null"))
            return LIT_NULL;
        if (streq(e->text, "true") || streq(e->text, "false"))
            return LIT_BOOLEAN;
        return LIT_INVALID;
    default: return LIT_INVALID;
    }
}

/* Whether a literal of `lit` can be compared with field `f` (null with any). */
static bool literal_fits(const psl_field *f, literal_kind lit)
{
    if (lit == LIT_NULL)
        return true;
    if (f->kind == PSL_FIELD_ENUM)
        return lit == LIT_STRING;
    switch (f->scalar) {
    case PSL_INT:
    case PSL_BIGINT:
    case PSL_FLOAT: return lit == LIT_NUMBER;
    case PSL_DECIMAL: return lit == LIT_NUMBER || lit == LIT_STRING;
    case PSL_BOOLEAN: return lit == LIT_BOOLEAN;
    default: return lit == LIT_STRING; /* String, DateTime, Json, Bytes */
    }
}

static const char *literal_words(literal_kind lit)
{
    switch (lit) {
    case LIT_STRING: return "a String";
    case LIT_NUMBER: return "a Number";
    case LIT_BOOLEAN: return "Boolean";
    default: return "null";
    }
}

/* `"name"`, quotes doubled: the dialects prismac targets all quote identifiers so. */
static const char *quoted_ident(psl_ctx *C, const char *name)
{
    const char *out = "\"";
    for (const char *p = name; *p; p++)
        out = psl_arena_printf(C->a, "%s%s", out, *p == '"' ? "\"\"" : psl_arena_strndup(C->a, p, 1));
    return psl_arena_printf(C->a, "%s\"", out);
}

static const char *sql_literal(psl_ctx *C, const psl_expr *e)
{
    if (e->kind != PSL_EXPR_STRING)
        return e->text; /* a number as written, true or false */
    const char *out = "'";
    for (size_t i = 0; i < e->text_len; i++)
        out = psl_arena_printf(C->a, "%s%s", out, e->text[i] == '\'' ? "''" : psl_arena_strndup(C->a, e->text + i, 1));
    return psl_arena_printf(C->a, "%s'", out);
}

/* One `field: value` member; NULL after reporting an error. */
static const char *member_sql(psl_ctx *C, const psl_model *m, const psl_attribute *a, const psl_arg *g)
{
    const psl_field *f = g->name ? psl_model_field(m, g->name) : NULL;
    if (!f || (f->kind != PSL_FIELD_SCALAR && f->kind != PSL_FIELD_ENUM)) {
        where_error(C, a, g->span, "Field '%s' does not exist in model '%s'.", g->name ? g->name : "", m->name);
        return NULL;
    }
    const psl_expr *v = g->value;
    bool negated = false;
    if (v && v->kind == PSL_EXPR_OBJECT) {
        const psl_expr *inner = NULL;
        for (size_t i = 0; i < v->args.len; i++) {
            const psl_arg *n = &v->args.items[i];
            if (!n->name || !streq(n->name, "not")) {
                where_error(C, a, n->span, "Unknown key '%s' in nested where clause object. Only 'not' is supported.",
                            n->name ? n->name : "");
                return NULL;
            }
            inner = n->value;
        }
        v = inner;
        negated = true;
    }
    literal_kind lit = v ? literal_of(v) : LIT_INVALID;
    if (lit == LIT_INVALID) {
        where_error(C, a, v ? v->span : g->span,
                    "Invalid value '%s' in where clause. Expected true, false, null, a string, a number, or an object "
                    "like { not: null }.",
                    v ? (v->kind == PSL_EXPR_CONSTANT ? v->text : psl_expr_describe(C, v)) : "");
        return NULL;
    }
    if (!literal_fits(f, lit)) {
        where_error(C, a, v->span, "Type mismatch: field '%s' is of type %s, but the value is %s.", f->name,
                    f->type_name, literal_words(lit));
        return NULL;
    }
    const char *col = quoted_ident(C, f->db_name);
    if (lit == LIT_NULL)
        return psl_arena_printf(C->a, "%s IS %sNULL", col, negated ? "NOT " : "");
    return psl_arena_printf(C->a, "%s %s %s", col, negated ? "<>" : "=", sql_literal(C, v));
}

const char *psl_check_index_where(psl_ctx *C, const psl_model *m, const psl_attribute *a, const psl_arg *where)
{
    if (!where || !where->value)
        return NULL;
    if (!C->has_preview_partial_indexes) {
        psl_attr_error(C, a, a->span,
                       "Partial indexes are a preview feature. Add \"partialIndexes\" to previewFeatures in your "
                       "generator block.");
        return NULL;
    }
    const psl_expr *v = where->value;
    if (v->kind == PSL_EXPR_FUNCTION && streq(v->text, "raw")) {
        const psl_expr *text = v->args.len ? v->args.items[0].value : NULL;
        if (!text || text->kind != PSL_EXPR_STRING) {
            if (text)
                psl_expect_string(C, text);
            where_error(C, a, v->span,
                        "The `where` argument must be a raw() function with a string argument, e.g. `where: "
                        "raw(\"status = 'active'\")`.");
            return NULL;
        }
        if (text->text_len == 0) {
            where_error(C, a, v->span, "The `where` argument cannot contain an empty string.");
            return NULL;
        }
        return text->text;
    }
    if (v->kind == PSL_EXPR_OBJECT) {
        if (v->args.len == 0) {
            where_error(C, a, v->span, "The `where` argument cannot be an empty object.");
            return NULL;
        }
        const char *sql = "";
        bool ok = true;
        for (size_t i = 0; i < v->args.len; i++) {
            const char *one = member_sql(C, m, a, &v->args.items[i]);
            ok = ok && one;
            if (one)
                sql = psl_arena_printf(C->a, "%s%s%s", sql, i ? " AND " : "", one);
        }
        return ok ? sql : NULL;
    }
    if (v->kind != PSL_EXPR_FUNCTION) {
        const char *kind = v->kind == PSL_EXPR_CONSTANT ? "literal" : psl_expr_kind_name(v);
        const char *shown = psl_expr_describe(C, v);
        shown = strchr(shown, '`'); /* the `...` part of "<kind> value `...`" */
        psl_error(C->d, v->span, "Expected a function value, but received %s value %s.", kind, shown ? shown : "");
    }
    where_error(C, a, v->span,
                "The `where` argument must be either a raw() function call or an object literal, e.g. `where: "
                "raw(\"status = 'active'\")` or `where: { active: true }`.");
    return NULL;
}
