/* Attribute arguments and expressions: reading them, and Prisma's
 * "Expected a ..." errors. Every checking phase uses these. */
#include "schema_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- arguments ---- */

void psl_argv_init(psl_argv *v, psl_ctx *C, const psl_attribute *attr)
{
    memset(v, 0, sizeof *v);
    v->C = C;
    v->attr = attr;
}

void psl_attr_error(psl_ctx *C, const psl_attribute *attr, psl_span span, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    psl_error(C->d, span, "Error parsing attribute \"%s%s\": %s", attr->block ? "@@" : "@", attr->name, buf);
}

const psl_arg *psl_argv_get(psl_argv *v, const char *name, bool positional)
{
    const psl_args *args = &v->attr->args;
    const psl_arg *found = NULL;
    for (size_t i = 0; i < args->len && i < 64; i++) {
        const psl_arg *a = &args->items[i];
        if (a->name && streq(a->name, name)) {
            if (found) {
                psl_error(v->C->d, a->span, "Argument \"%s\" is already specified.", name);
                v->used[i] = true;
                continue;
            }
            found = a;
            v->used[i] = true;
        }
    }
    if (found || !positional)
        return found;
    for (size_t i = 0; i < args->len && i < 64; i++) {
        const psl_arg *a = &args->items[i];
        if (!a->name && !v->used[i]) {
            v->used[i] = true;
            return a;
        }
    }
    return NULL;
}

const psl_arg *psl_argv_require(psl_argv *v, const char *name, bool positional)
{
    const psl_arg *a = psl_argv_get(v, name, positional);
    if (!a) {
        psl_error(v->C->d, v->attr->span, "Argument \"%s\" is missing.", name);
        v->failed = true;
    } else if (!a->value) {
        psl_attr_error(v->C, v->attr, a->span, "Argument \"%s\" has no value.", name);
        v->failed = true;
        return NULL;
    }
    return a;
}

void psl_argv_finish(psl_argv *v)
{
    const psl_args *args = &v->attr->args;
    for (size_t i = 0; i < args->len; i++) {
        if (i < 64 && v->used[i])
            continue;
        psl_attr_error(v->C, v->attr, args->items[i].span, "No such argument.");
    }
}

/* ---- expressions ---- */

const char *psl_expr_kind_name(const psl_expr *e)
{
    switch (e->kind) {
    case PSL_EXPR_STRING: return "string";
    case PSL_EXPR_NUMBER: return "numeric";
    case PSL_EXPR_CONSTANT: return "constant";
    case PSL_EXPR_FUNCTION: return "functional";
    case PSL_EXPR_OBJECT: return "object";
    default: return "array";
    }
}

static void render_expr(psl_arena *a, const psl_expr *e, char **out)
{
    switch (e->kind) {
    case PSL_EXPR_STRING:
        *out = psl_arena_printf(a, "%s%s", *out, e->raw ? e->raw : "\"\"");
        break;
    case PSL_EXPR_NUMBER:
    case PSL_EXPR_CONSTANT:
        *out = psl_arena_printf(a, "%s%s", *out, e->text);
        break;
    case PSL_EXPR_FUNCTION:
        *out = psl_arena_printf(a, "%s%s(", *out, e->text);
        for (size_t i = 0; i < e->args.len; i++) {
            const psl_arg *g = &e->args.items[i];
            if (i)
                *out = psl_arena_printf(a, "%s, ", *out);
            if (g->name)
                *out = psl_arena_printf(a, "%s%s: ", *out, g->name);
            if (g->value)
                render_expr(a, g->value, out);
        }
        *out = psl_arena_printf(a, "%s)", *out);
        break;
    case PSL_EXPR_ARRAY:
        *out = psl_arena_printf(a, "%s[", *out);
        for (size_t i = 0; i < e->len; i++) {
            if (i)
                *out = psl_arena_printf(a, "%s, ", *out);
            render_expr(a, e->items[i], out);
        }
        *out = psl_arena_printf(a, "%s]", *out);
        break;
    case PSL_EXPR_OBJECT:
        *out = psl_arena_printf(a, "%s{", *out);
        for (size_t i = 0; i < e->args.len; i++) {
            const psl_arg *g = &e->args.items[i];
            *out = psl_arena_printf(a, "%s%s%s: ", *out, i ? ", " : " ", g->name ? g->name : "");
            if (g->value)
                render_expr(a, g->value, out);
        }
        *out = psl_arena_printf(a, "%s%s}", *out, e->args.len ? " " : "");
        break;
    }
}

const char *psl_expr_describe(psl_ctx *C, const psl_expr *e)
{
    char *text = psl_arena_strdup(C->a, "");
    render_expr(C->a, e, &text);
    if (strlen(text) > 200)
        text = psl_arena_printf(C->a, "%.200s...", text);
    return psl_arena_printf(C->a, "%s value `%s`", psl_expr_kind_name(e), text);
}

const char *psl_expect_string(psl_ctx *C, const psl_expr *e)
{
    if (e->kind == PSL_EXPR_STRING)
        return e->text;
    psl_error(C->d, e->span, "Expected a string value, but received %s.", psl_expr_describe(C, e));
    return NULL;
}

const char *psl_expect_constant(psl_ctx *C, const psl_expr *e)
{
    if (e->kind == PSL_EXPR_CONSTANT)
        return e->text;
    psl_error(C->d, e->span, "Expected a constant value, but received %s.", psl_expr_describe(C, e));
    return NULL;
}

bool psl_expect_bool(psl_ctx *C, const psl_expr *e, bool *out)
{
    if (e->kind == PSL_EXPR_CONSTANT && (streq(e->text, "true") || streq(e->text, "false"))) {
        *out = streq(e->text, "true");
        return true;
    }
    psl_error(C->d, e->span, "Expected a boolean value, but received %s.", psl_expr_describe(C, e));
    return false;
}

bool psl_parse_int(const char *text, long long *out)
{
    if (!text || strchr(text, '.'))
        return false;
    errno = 0;
    char *end;
    long long v = strtoll(text, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

bool psl_expect_int(psl_ctx *C, const psl_expr *e, long long *out)
{
    if (e->kind == PSL_EXPR_NUMBER && psl_parse_int(e->text, out))
        return true;
    psl_error(C->d, e->span, "Expected an integer value, but received %s.", psl_expr_describe(C, e));
    return false;
}

const char *psl_optional_string_arg(psl_ctx *C, psl_argv *av, const char *name)
{
    const psl_arg *g = psl_argv_get(av, name, false);
    if (!g || !g->value)
        return NULL;
    const char *s = psl_expect_string(C, g->value);
    if (s && !*s) {
        psl_attr_error(C, av->attr, g->value->span, "The `%s` argument cannot be an empty string.", name);
        return NULL;
    }
    return s;
}
