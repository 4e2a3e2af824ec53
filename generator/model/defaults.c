/* @default: literal values and functions, checked against the field type
 * (psl-core's default value validation). */
#include "provider.h"
#include "schema_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static const psl_attribute *find_attr(const psl_line *l, const char *name)
{
    for (size_t i = 0; i < l->n_attrs; i++)
        if (streq(l->attrs[i].name, name))
            return &l->attrs[i];
    return NULL;
}

static bool is_rfc3339(const char *s)
{
    /* YYYY-MM-DDTHH:MM:SS(.fff)?(Z|+HH:MM) */
    int y, mo, d, h, mi, sec, n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
        return false;
    const char *p = s + n;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == 'Z' || *p == 'z')
        return p[1] == '\0';
    if ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) && p[3] == ':' &&
        isdigit((unsigned char)p[4]) && isdigit((unsigned char)p[5]) && p[6] == '\0')
        return true;
    return false;
}

static bool is_base64(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++, n++) {
        if (!(isalnum((unsigned char)*p) || *p == '+' || *p == '/' || *p == '='))
            return false;
    }
    return n % 4 == 0;
}

/* Checks one literal default value against the field's type. */

/* Why the text of a Decimal default written as a string does not parse,
 * in the words of the decimal parser Prisma uses (Rust's bigdecimal): an
 * optional sign, digits with an optional fraction (`1.`, `.5`; `_` separates
 * digits), an optional exponent; NULL when it parses. */
static const char *decimal_string_error(const char *text)
{
    static const char empty[] = "cannot parse integer from empty string", invalid[] = "invalid digit found in string";
    if (!*text)
        return "Failed to parse empty string";
    const char *exp = strpbrk(text, "eE");
    size_t base_len = exp ? (size_t)(exp - text) : strlen(text);
    if (exp) { /* an i64: a sign, then at least one digit */
        const char *p = exp + 1;
        if (*p == '+' || *p == '-')
            p++;
        if (!exp[1])
            return empty;
        if (!*p)
            return invalid;
        for (; *p; p++)
            if (*p < '0' || *p > '9')
                return invalid;
    }
    if (base_len == 0)
        return "Failed to parse empty string";
    /* The digits with the point taken out: a big integer with one sign. */
    const char *p = text, *end = text + base_len;
    if (*p == '-' && !(p + 1 < end && p[1] == '+'))
        p++;
    if (*p == '+' && !(p + 1 < end && p[1] == '+'))
        p++;
    bool any = false, point = false;
    for (const char *q = p; q < end; q++) {
        if (*q == '.' && !point) {
            point = true;
            continue;
        }
        if (*q == '_' && any)
            continue;
        if (*q < '0' || *q > '9')
            return invalid;
        any = true;
    }
    return any ? NULL : empty;
}

/* The SQL and C spelling of a Decimal default given as a valid string: no
 * `_` separators, no leading `+`. */
static const char *decimal_string_literal(psl_ctx *C, const char *text)
{
    char *out = psl_arena_strdup(C->a, text[0] == '+' ? text + 1 : text), *w = out;
    for (const char *r = out; *r; r++)
        if (*r != '_')
            *w++ = *r;
    *w = '\0';
    return out;
}

static bool check_literal(psl_ctx *C, const psl_attribute *a, psl_field *f, const psl_expr *e, psl_default *out)
{
    const char *tn = f->type_name;
    if (f->kind == PSL_FIELD_ENUM) {
        if (e->kind != PSL_EXPR_CONSTANT) {
            psl_attr_error(C, a, e->span, "Expected an enum value, but received %s.", psl_expr_describe(C, e));
            return false;
        }
        for (size_t i = 0; i < f->enum_type->n_values; i++)
            if (streq(f->enum_type->values[i].name, e->text)) {
                out->kind = PSL_DEFAULT_ENUM;
                out->enum_value = &f->enum_type->values[i];
                out->text = e->text;
                return true;
            }
        psl_attr_error(C, a, e->span, "The defined default value `%s` is not a valid value of the enum specified for the field.",
                       e->text);
        return false;
    }
    out->kind = PSL_DEFAULT_LITERAL;
    switch (f->scalar) {
    case PSL_STRING:
    case PSL_JSON:
    case PSL_BYTES:
    case PSL_DATETIME:
        if (e->kind != PSL_EXPR_STRING) {
            psl_attr_error(C, a, e->span, "Expected a %s value, but received %s.",
                           f->scalar == PSL_DATETIME ? "datetime" : "string", psl_expr_describe(C, e));
            return false;
        }
        if (f->scalar == PSL_DATETIME && !is_rfc3339(e->text)) {
            psl_attr_error(C, a, e->span,
                           "Expected a datetime value, but failed while parsing \"%s\": input contains invalid "
                           "characters.",
                           e->text);
            return false;
        }
        if (f->scalar == PSL_BYTES && !is_base64(e->text)) {
            psl_attr_error(C, a, e->span, "Expected a base64 string, but received \"%s\".", e->text);
            return false;
        }
        out->text = e->text;
        out->text_len = e->text_len;
        return true;
    case PSL_INT:
    case PSL_BIGINT: {
        long long v;
        if (e->kind != PSL_EXPR_NUMBER || !psl_parse_int(e->text, &v)) {
            psl_attr_error(C, a, e->span, "Expected an integer value, but received %s.", psl_expr_describe(C, e));
            return false;
        }
        if (f->scalar == PSL_INT && (v < -2147483648LL || v > 2147483647LL)) {
            psl_attr_error(C, a, e->span, "The default value %s does not fit in an Int (32-bit).", e->text);
            return false;
        }
        out->text = e->text;
        return true;
    }
    case PSL_FLOAT:
    case PSL_DECIMAL:
        if (f->scalar == PSL_DECIMAL && e->kind == PSL_EXPR_STRING) {
            /* @default("2.00"): Prisma reads a Decimal from a string too */
            const char *why = decimal_string_error(e->text);
            if (why) {
                psl_error(C->d, e->span,
                          "Error parsing attribute \"default\": Parse error: \"%s\" is not a valid decimal. (%s)",
                          e->text, why);
                return false;
            }
            out->text = decimal_string_literal(C, e->text);
            return true;
        }
        if (e->kind != PSL_EXPR_NUMBER) {
            psl_attr_error(C, a, e->span, "Expected a numeric value, but received %s.", psl_expr_describe(C, e));
            return false;
        }
        out->text = e->text;
        return true;
    case PSL_BOOLEAN: {
        bool b;
        if (e->kind != PSL_EXPR_CONSTANT || !(streq(e->text, "true") || streq(e->text, "false"))) {
            psl_attr_error(C, a, e->span, "Expected a boolean value, but received %s.", psl_expr_describe(C, e));
            return false;
        }
        b = streq(e->text, "true");
        out->text = b ? "true" : "false";
        return true;
    }
    default:
        psl_attr_error(C, a, e->span, "Default values are not supported on fields of type `%s`.", tn);
        return false;
    }
}

static void function_on_type_error(psl_ctx *C, const psl_attribute *a, const psl_expr *e, const psl_field *f)
{
    psl_attr_error(C, a, e->span, "The function `%s()` cannot be used on fields of type `%s`.", e->text,
                   f->type_name);
}


/* Prisma 7's words for a function @default() does not know here (sequence()
 * is CockroachDB's only). */
static void unknown_function(psl_ctx *C, const psl_expr *e)
{
    psl_error(C->d, e->span,
              "Unknown function in @default(): `%s` is not known. You can read about the available functions here: "
              "https://pris.ly/d/attribute-functions",
              e->text);
}

void psl_check_defaults(psl_ctx *C, psl_model *m, psl_field *f)
{
    const psl_attribute *a = find_attr(f->ast, "default");
    if (!a)
        return;
    psl_argv av;
    psl_argv_init(&av, C, a);
    const psl_arg *vg = psl_argv_require(&av, "value", true);
    const char *map = psl_optional_string_arg(C, &av, "map");
    psl_argv_finish(&av);
    if (!vg || !vg->value)
        return;
    f->def.map = map;
    if (f->kind == PSL_FIELD_RELATION) {
        psl_attr_error(C, a, a->span, "Cannot set a default value on a relation field.");
        return;
    }
    if (f->kind == PSL_FIELD_UNSUPPORTED || f->kind == PSL_FIELD_COMPOSITE) {
        const psl_expr *e = vg->value;
        if (e->kind == PSL_EXPR_FUNCTION && streq(e->text, "dbgenerated")) {
            f->def.kind = PSL_DEFAULT_DBGENERATED;
            return;
        }
        if (f->kind == PSL_FIELD_UNSUPPORTED)
            psl_attr_error(C, a, a->span, "Only @default(dbgenerated(\"...\")) can be used for Unsupported types.");
        return;
    }
    const psl_expr *e = vg->value;
    psl_default *d = &f->def;
    if (e->kind == PSL_EXPR_FUNCTION) {
        const char *fn = e->text;
        size_t nargs = e->args.len;
        const psl_expr *arg0 = nargs ? e->args.items[0].value : NULL;
        bool is_string = f->kind == PSL_FIELD_SCALAR && f->scalar == PSL_STRING;
        if (streq(fn, "autoincrement")) {
            if (f->kind != PSL_FIELD_SCALAR || (f->scalar != PSL_INT && f->scalar != PSL_BIGINT)) {
                function_on_type_error(C, a, e, f);
                return;
            }
            if (nargs) {
                psl_attr_error(C, a, e->span, "The `autoincrement()` function takes no arguments.");
                return;
            }
            if (f->arity == PSL_LIST) {
                psl_attr_error(C, a, e->span, "The `autoincrement()` default value cannot be used on list fields.");
                return;
            }
            d->kind = PSL_DEFAULT_AUTOINCREMENT;
            f->is_autoincrement = true;
        } else if (streq(fn, "now")) {
            if (f->kind != PSL_FIELD_SCALAR || f->scalar != PSL_DATETIME) {
                function_on_type_error(C, a, e, f);
                return;
            }
            if (nargs) {
                psl_attr_error(C, a, e->span, "The `now()` function takes no arguments.");
                return;
            }
            d->kind = PSL_DEFAULT_NOW;
        } else if (streq(fn, "uuid") || streq(fn, "cuid")) {
            bool uuid = streq(fn, "uuid");
            if (!is_string) {
                function_on_type_error(C, a, e, f);
                return;
            }
            long long v = uuid ? 4 : 1;
            if (nargs > 1 || (arg0 && arg0->kind != PSL_EXPR_NUMBER)) {
                psl_attr_error(C, a, e->span, "`%s()` takes a single Int argument.", fn);
                return;
            }
            if (arg0 && (!psl_parse_int(arg0->text, &v) || (uuid ? (v != 4 && v != 7) : (v != 1 && v != 2)))) {
                psl_attr_error(C, a, e->span,
                               "`%s()` takes either no argument, or a single integer argument which is either %s.",
                               fn, uuid ? "4 or 7" : "1 or 2");
                return;
            }
            d->kind = uuid ? PSL_DEFAULT_UUID : PSL_DEFAULT_CUID;
            d->version = (int)v;
        } else if (streq(fn, "nanoid")) {
            if (!is_string) {
                function_on_type_error(C, a, e, f);
                return;
            }
            long long v = 21;
            if (nargs > 1 || (arg0 && arg0->kind != PSL_EXPR_NUMBER)) {
                psl_attr_error(C, a, e->span, "`nanoid()` takes a single Int argument.");
                return;
            }
            if (arg0 && (!psl_parse_int(arg0->text, &v) || v < 2 || v > 255)) {
                psl_attr_error(C, a, e->span,
                               "`nanoid()` takes either no argument, or a single integer argument between 2 and 255.");
                return;
            }
            d->kind = PSL_DEFAULT_NANOID;
            d->version = (int)v;
        } else if (streq(fn, "ulid")) {
            if (!is_string) {
                function_on_type_error(C, a, e, f);
                return;
            }
            if (nargs) {
                psl_attr_error(C, a, e->span, "The `ulid()` function takes no arguments.");
                return;
            }
            d->kind = PSL_DEFAULT_ULID;
        } else if (streq(fn, "dbgenerated")) {
            if (nargs > 1 || (arg0 && arg0->kind != PSL_EXPR_STRING)) {
                psl_attr_error(C, a, e->span, "`dbgenerated()` takes a single String argument.");
                return;
            }
            if (arg0 && arg0->text_len == 0) {
                psl_attr_error(C, a, e->span,
                               "dbgenerated() takes either no argument, or a single nonempty string argument.");
                return;
            }
            d->kind = PSL_DEFAULT_DBGENERATED;
            d->text = arg0 ? arg0->text : NULL;
        } else if (streq(fn, "sequence")) {
            if (!psl_connector_can(psl_schema_connector(C->s), PSL_CAP_SEQUENCE_DEFAULT)) {
                unknown_function(C, e);
                return;
            }
            d->kind = PSL_DEFAULT_SEQUENCE;
        } else if (streq(fn, "auto")) {
            psl_attr_error(C, a, e->span, "The current connector does not support the `auto()` function.");
            return;
        } else {
            unknown_function(C, e);
            return;
        }
        return;
    }
    if (f->arity == PSL_LIST) {
        if (e->kind != PSL_EXPR_ARRAY) {
            psl_attr_error(C, a, e->span, "Expected an array value, but received %s.", psl_expr_describe(C, e));
            return;
        }
        d->kind = PSL_DEFAULT_LIST;
        d->items = psl_arena_alloc(C->a, (e->len + 1) * sizeof *d->items);
        for (size_t i = 0; i < e->len; i++)
            if (!check_literal(C, a, f, e->items[i], &d->items[d->n_items++]))
                return;
        return;
    }
    if (e->kind == PSL_EXPR_ARRAY) {
        psl_attr_error(C, a, e->span, "Expected a %s value, but received %s.",
                       f->kind == PSL_FIELD_ENUM ? "enum" : psl_scalar_name(f->scalar), psl_expr_describe(C, e));
        return;
    }
    check_literal(C, a, f, e, d);
    (void)m;
}
