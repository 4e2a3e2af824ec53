/* db pull on PostgreSQL: format_type() names as Prisma's PostgreSQL
 * describer reads them (sql-schema-describer/src/postgres.rs), the native
 * types that are not a scalar's default (psl's PostgreSQL connector),
 * sequences and identities as autoincrement(), and pg_get_expr() defaults. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ddl.h"
#include "pull_int.h"

/* "character varying(30)" -> name "character varying", args "30". */
static void split_type(psl_arena *a, const char *t, const char **name, const char **args, const char **rest)
{
    const char *paren = strchr(t, '(');
    if (!paren) {
        *name = t;
        *args = NULL;
        *rest = "";
        return;
    }
    const char *close = strchr(paren, ')');
    *name = psl_arena_strndup(a, t, (size_t)(paren - t));
    *args = close ? psl_arena_strndup(a, paren + 1, (size_t)(close - paren - 1)) : NULL;
    *rest = close ? close + 1 : "";
}

static void pg_column_type(psl_arena *a, const db_state *st, const db_col *c, pull_type *out)
{
    memset(out, 0, sizeof *out);
    if (c->enum_name) {
        for (size_t i = 0; i < st->enums.len; i++) {
            const db_enum *e = st->enums.items[i];
            if (strcmp(e->name, c->enum_name) == 0 && (!c->enum_schema || !e->schema || strcmp(e->schema, c->enum_schema) == 0))
                out->enum_type = e;
        }
        if (out->enum_type)
            return;
    }
    const char *full = c->type;
    size_t n = strlen(full);
    if (c->is_list && n > 2 && strcmp(full + n - 2, "[]") == 0)
        full = psl_arena_strndup(a, full, n - 2);
    const char *name, *args, *rest;
    split_type(a, full, &name, &args, &rest);
    /* timestamp(3) without time zone: the precision sits before the zone */
    char *base = psl_arena_printf(a, "%s%s", name, rest);
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == ' ')
        base[--bl] = '\0';
    static const struct {
        const char *pg;
        psl_scalar scalar;
        const char *native;   /* NULL: the scalar's default */
        const char *dflt_args; /* the args that make it the default (Decimal(65,30), Timestamp(3)), or NULL */
        bool takes_args;
        const char *implicit; /* the args PostgreSQL implies without a typmod (precision 6) */
    } map[] = {
        { "integer", PSL_INT, NULL, NULL, false, NULL },
        { "smallint", PSL_INT, "SmallInt", NULL, false, NULL },
        { "oid", PSL_INT, "Oid", NULL, false, NULL },
        { "bigint", PSL_BIGINT, NULL, NULL, false, NULL },
        { "double precision", PSL_FLOAT, NULL, NULL, false, NULL },
        { "real", PSL_FLOAT, "Real", NULL, false, NULL },
        { "numeric", PSL_DECIMAL, "Decimal", "65,30", true, NULL },
        { "money", PSL_DECIMAL, "Money", NULL, false, NULL },
        { "boolean", PSL_BOOLEAN, NULL, NULL, false, NULL },
        { "text", PSL_STRING, NULL, NULL, false, NULL },
        { "character varying", PSL_STRING, "VarChar", NULL, true, NULL },
        { "character", PSL_STRING, "Char", NULL, true, NULL },
        { "uuid", PSL_STRING, "Uuid", NULL, false, NULL },
        { "xml", PSL_STRING, "Xml", NULL, false, NULL },
        { "inet", PSL_STRING, "Inet", NULL, false, NULL },
        { "citext", PSL_STRING, "Citext", NULL, false, NULL },
        { "bit", PSL_STRING, "Bit", NULL, true, NULL },
        { "bit varying", PSL_STRING, "VarBit", NULL, true, NULL },
        { "timestamp without time zone", PSL_DATETIME, "Timestamp", "3", true, "6" },
        { "timestamp with time zone", PSL_DATETIME, "Timestamptz", NULL, true, "6" },
        { "date", PSL_DATETIME, "Date", NULL, false, NULL },
        { "time without time zone", PSL_DATETIME, "Time", NULL, true, "6" },
        { "time with time zone", PSL_DATETIME, "Timetz", NULL, true, "6" },
        { "jsonb", PSL_JSON, NULL, NULL, false, NULL },
        { "json", PSL_JSON, "Json", NULL, false, NULL },
        { "bytea", PSL_BYTES, NULL, NULL, false, NULL },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(base, map[i].pg) != 0)
            continue;
        out->scalar = map[i].scalar;
        if (!map[i].native)
            return;
        const char *use = args ? args : map[i].implicit;
        if (map[i].dflt_args && use && strcmp(use, map[i].dflt_args) == 0)
            return;
        if (use && map[i].takes_args) {
            char *sp = psl_arena_strdup(a, use), *w = sp; /* "65,30" -> "65, 30", as Prisma prints it */
            for (const char *p = use; *p; p++)
                if (*p != ' ')
                    *w++ = *p;
            *w = '\0';
            psl_sql b = { 0 };
            for (const char *p = sp; *p; p++) {
                psl_sql_putn(&b, p, 1);
                if (*p == ',')
                    psl_sql_puts(&b, " ");
            }
            out->native = psl_arena_printf(a, "%s(%s)", map[i].native, psl_sql_text(&b));
            psl_sql_free(&b);
        } else {
            out->native = map[i].native;
        }
        return;
    }
    out->unsupported = full;
}

static bool pg_is_autoincrement(const db_table *t, const db_col *c, const pull_type *ty)
{
    (void)t;
    if (ty->scalar != PSL_INT && ty->scalar != PSL_BIGINT)
        return false;
    return c->identity || (c->dflt && strncmp(c->dflt, "nextval(", 8) == 0);
}

/* 'text'::type -> text (quotes doubled inside); NULL when not that shape. */
static const char *string_literal(psl_arena *a, const char *s, const char **cast)
{
    if (s[0] == 'E' && s[1] == '\'')
        return NULL; /* escape strings: dbgenerated */
    if (s[0] != '\'')
        return NULL;
    psl_sql b = { 0 };
    const char *p = s + 1;
    for (;;) {
        if (!*p) {
            psl_sql_free(&b);
            return NULL;
        }
        if (*p == '\'') {
            if (p[1] == '\'') {
                psl_sql_puts(&b, "'");
                p += 2;
                continue;
            }
            p++;
            break;
        }
        psl_sql_putn(&b, p, 1);
        p++;
    }
    if (*p && strncmp(p, "::", 2) != 0) {
        psl_sql_free(&b);
        return NULL;
    }
    *cast = *p ? p + 2 : "";
    const char *out = psl_arena_strdup(a, b.len ? psl_sql_text(&b) : "");
    psl_sql_free(&b);
    return out;
}

static bool is_number(const char *p, bool decimal)
{
    if (*p == '-')
        p++;
    if (!isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p))
        p++;
    if (decimal && *p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return *p == '\0';
}

/* A number as PostgreSQL prints a constant: 42, (-1), '-1'::integer, 1.5. */
static const char *number(psl_arena *a, const char *d, bool decimal)
{
    size_t n = strlen(d);
    if (n > 2 && d[0] == '(' && d[n - 1] == ')')
        d = psl_arena_strndup(a, d + 1, n - 2);
    const char *cast = NULL, *lit = string_literal(a, d, &cast);
    if (lit)
        d = lit;
    else {
        const char *cc = strstr(d, "::");
        if (cc)
            d = psl_arena_strndup(a, d, (size_t)(cc - d));
    }
    return is_number(d, decimal) ? d : NULL;
}

/* '{a,b}' array text with simple elements -> ["a", "b"] / [1, 2]; NULL when
 * not that simple. */
static const char *array_literal(psl_arena *a, const char *text, const pull_type *ty)
{
    size_t n = strlen(text);
    if (n < 2 || text[0] != '{' || text[n - 1] != '}')
        return NULL;
    psl_sql b = { 0 };
    psl_sql_puts(&b, "[");
    const char *p = text + 1, *end = text + n - 1;
    bool first = true, ok = true;
    while (p < end && ok) {
        psl_sql item = { 0 };
        bool was_quoted = false;
        if (*p == '"') {
            was_quoted = true;
            p++;
            while (p < end && *p != '"') {
                if (*p == '\\' && p + 1 < end)
                    p++;
                psl_sql_putn(&item, p, 1);
                p++;
            }
            p++;
        } else {
            while (p < end && *p != ',') {
                psl_sql_putn(&item, p, 1);
                p++;
            }
        }
        const char *v = item.len ? psl_sql_text(&item) : "";
        psl_sql_puts(&b, first ? "" : ", ");
        first = false;
        if (ty->scalar == PSL_STRING || ty->enum_type) {
            if (ty->enum_type) {
                psl_sql_puts(&b, v);
            } else {
                psl_sql_puts(&b, "\"");
                for (const char *q = v; *q; q++) {
                    if (*q == '"' || *q == '\\')
                        psl_sql_puts(&b, "\\");
                    psl_sql_putn(&b, q, 1);
                }
                psl_sql_puts(&b, "\"");
            }
        } else if (!was_quoted && (is_number(v, ty->scalar != PSL_INT && ty->scalar != PSL_BIGINT) ||
                                   (ty->scalar == PSL_BOOLEAN && (!strcmp(v, "t") || !strcmp(v, "f"))))) {
            psl_sql_puts(&b, ty->scalar == PSL_BOOLEAN ? (strcmp(v, "t") == 0 ? "true" : "false") : v);
        } else {
            ok = false;
        }
        psl_sql_free(&item);
        if (p < end && *p == ',')
            p++;
    }
    psl_sql_puts(&b, "]");
    const char *out = ok && !b.failed ? psl_arena_strdup(a, psl_sql_text(&b)) : NULL;
    psl_sql_free(&b);
    return out;
}

/* ARRAY['a'::text, 'b'::text] (as pg_get_expr prints an array default of
 * constants) -> ["a", "b"]; NULL when an item is not a constant. */
static const char *array_constructor(psl_arena *a, const char *d, const pull_type *ty)
{
    if (strncmp(d, "ARRAY[", 6) != 0)
        return NULL;
    const char *p = d + 6;
    psl_sql b = { 0 };
    psl_sql_puts(&b, "[");
    bool ok = true, first = true;
    while (ok && *p && *p != ']') {
        /* one item: up to the next ", " or "]" outside quotes */
        const char *q = p;
        bool in_quote = false;
        while (*q && (in_quote || (*q != ',' && *q != ']'))) {
            if (*q == '\'')
                in_quote = !in_quote;
            q++;
        }
        char *item = psl_arena_strndup(a, p, (size_t)(q - p));
        const char *cast = NULL, *lit = string_literal(a, item, &cast);
        psl_sql_puts(&b, first ? "" : ", ");
        first = false;
        if (lit && (ty->scalar == PSL_STRING || ty->scalar == PSL_JSON)) {
            psl_sql_puts(&b, "\"");
            for (const char *r = lit; *r; r++) {
                if (*r == '"' || *r == '\\')
                    psl_sql_puts(&b, "\\");
                psl_sql_putn(&b, r, 1);
            }
            psl_sql_puts(&b, "\"");
        } else if (lit && ty->enum_type) {
            psl_sql_puts(&b, lit);
        } else {
            const char *num = number(a, item, ty->scalar != PSL_INT && ty->scalar != PSL_BIGINT);
            if (num && ty->scalar != PSL_BOOLEAN && ty->scalar != PSL_STRING)
                psl_sql_puts(&b, num);
            else if (ty->scalar == PSL_BOOLEAN && (!strcmp(item, "true") || !strcmp(item, "false")))
                psl_sql_puts(&b, item);
            else
                ok = false;
        }
        p = q;
        if (*p == ',')
            p++;
        while (*p == ' ')
            p++;
    }
    psl_sql_puts(&b, "]");
    const char *out = ok && *p == ']' && !b.failed ? psl_arena_strdup(a, psl_sql_text(&b)) : NULL;
    psl_sql_free(&b);
    return out;
}

static pull_default pg_default_value(psl_arena *a, const db_col *c, const pull_type *ty)
{
    const char *d = c->dflt;
    if (strncmp(d, "NULL::", 6) == 0 || strcmp(d, "NULL") == 0)
        return (pull_default){ PULL_DEF_NONE, NULL };
    const char *cast = NULL, *lit = string_literal(a, d, &cast);
    if (c->is_list) {
        const char *arr = lit ? array_literal(a, lit, ty) : array_constructor(a, d, ty);
        if (arr)
            return (pull_default){ PULL_DEF_EXPR, arr };
        return (pull_default){ PULL_DEF_DBGEN, d };
    }
    if (ty->enum_type && lit)
        return (pull_default){ PULL_DEF_ENUM, lit };
    switch (ty->scalar) {
    case PSL_INT:
    case PSL_BIGINT: {
        const char *v = number(a, d, false);
        if (v)
            return (pull_default){ PULL_DEF_EXPR, psl_arena_printf(a, "%lld", strtoll(v, NULL, 10)) };
        break;
    }
    case PSL_FLOAT:
    case PSL_DECIMAL: {
        const char *v = number(a, d, true);
        if (v)
            return (pull_default){ PULL_DEF_EXPR, v };
        break;
    }
    case PSL_BOOLEAN:
        if (strcmp(d, "true") == 0 || strcmp(d, "false") == 0)
            return (pull_default){ PULL_DEF_EXPR, d };
        break;
    case PSL_DATETIME:
        if (strcmp(d, "now()") == 0 || strcmp(d, "CURRENT_TIMESTAMP") == 0)
            return (pull_default){ PULL_DEF_EXPR, "now()" };
        break;
    case PSL_STRING:
    case PSL_JSON:
        if (lit)
            return (pull_default){ PULL_DEF_STRING, lit };
        break;
    default:
        break;
    }
    return (pull_default){ PULL_DEF_DBGEN, d };
}

static const char *pg_index_type(const char *method)
{
    static const struct {
        const char *pg, *psl;
    } m[] = { { "hash", "Hash" }, { "gin", "Gin" }, { "gist", "Gist" }, { "spgist", "SpGist" }, { "brin", "Brin" } };
    for (size_t i = 0; method && i < sizeof m / sizeof m[0]; i++)
        if (strcmp(method, m[i].pg) == 0)
            return m[i].psl;
    return NULL;
}

/* Prisma's operator class names: jsonb_path_ops -> JsonbPathOps (the
 * classes psl knows), anything else raw("..."). */
static const char *pg_index_ops(psl_arena *a, const char *opclass)
{
    static const char *const known[] = {
        "inet_ops", "jsonb_ops", "jsonb_path_ops", "array_ops", "text_ops", "bit_minmax_ops", "varbit_minmax_ops",
        "bpchar_bloom_ops", "bpchar_minmax_ops", "bytea_bloom_ops", "bytea_minmax_ops", "date_bloom_ops",
        "date_minmax_ops", "date_minmax_multi_ops", "float4_bloom_ops", "float4_minmax_ops", "float8_bloom_ops",
        "float8_minmax_ops", "inet_inclusion_ops", "inet_bloom_ops", "inet_minmax_ops", "int2_bloom_ops",
        "int2_minmax_ops", "int4_bloom_ops", "int4_minmax_ops", "int8_bloom_ops", "int8_minmax_ops",
        "numeric_bloom_ops", "numeric_minmax_ops", "oid_bloom_ops", "oid_minmax_ops", "text_bloom_ops",
        "text_minmax_ops", "timestamp_bloom_ops", "timestamp_minmax_ops", "timestamptz_bloom_ops",
        "timestamptz_minmax_ops", "time_bloom_ops", "time_minmax_ops", "timetz_bloom_ops", "timetz_minmax_ops",
        "uuid_bloom_ops", "uuid_minmax_ops",
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(opclass, known[i]) != 0)
            continue;
        char *o = psl_arena_alloc(a, strlen(opclass) + 1), *w = o;
        bool up = true;
        for (const char *p = opclass; *p; p++) {
            if (*p == '_') {
                up = true;
                continue;
            }
            *w++ = up ? (char)toupper((unsigned char)*p) : *p;
            up = false;
        }
        *w = '\0';
        return o;
    }
    return psl_arena_printf(a, "raw(\"%s\")", opclass);
}

const pull_dialect pull_postgres = {
    .provider = PSL_PROVIDER_POSTGRESQL,
    .named_pks = true,
    .named_fks = true,
    .max_ident = 63,
    .column_type = pg_column_type,
    .is_autoincrement = pg_is_autoincrement,
    .default_value = pg_default_value,
    .index_type = pg_index_type,
    .index_ops = pg_index_ops,
};
