/* db pull on SQLite: declared types as Prisma's SQLite describer reads them
 * (sql-schema-describer/src/sqlite.rs), INTEGER PRIMARY KEY as
 * autoincrement(), and defaults as written in CREATE TABLE. SQLite has no
 * native types, no enums and no constraint names for keys. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pull_int.h"

static void sqlite_column_type(psl_arena *a, const db_state *st, const db_col *c, pull_type *out)
{
    (void)st;
    memset(out, 0, sizeof *out);
    char *t = psl_arena_strdup(a, c->type ? c->type : "");
    for (char *p = t; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    static const struct {
        const char *name;
        psl_scalar scalar;
    } exact[] = {
        { "int", PSL_INT },          { "integer", PSL_INT },      { "serial", PSL_INT },
        { "bigint", PSL_BIGINT },    { "real", PSL_FLOAT },       { "float", PSL_FLOAT },
        { "double", PSL_FLOAT },     { "boolean", PSL_BOOLEAN },  { "text", PSL_STRING },
        { "date", PSL_DATETIME },    { "datetime", PSL_DATETIME }, { "timestamp", PSL_DATETIME },
        { "binary", PSL_BYTES },     { "blob", PSL_BYTES },       { "jsonb", PSL_JSON },
    };
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcmp(t, exact[i].name) == 0) {
            out->scalar = exact[i].scalar;
            return;
        }
    if (strstr(t, "char"))
        out->scalar = PSL_STRING;
    else if (strstr(t, "numeric") || strstr(t, "decimal"))
        out->scalar = PSL_DECIMAL;
    else
        out->unsupported = t;
}

/* The rowid alias: a one-column INTEGER primary key. */
static bool sqlite_is_autoincrement(const db_table *t, const db_col *c, const pull_type *ty)
{
    (void)ty;
    return t->pk_cols.len == 1 && strcmp(t->pk_cols.items[0], c->name) == 0 && c->type &&
           strcasecmp(c->type, "INTEGER") == 0;
}

static bool is_number(const char *s, bool decimal)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
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
    if (decimal && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return *p == '\0';
}

/* 'text' with '' for a quote: the text, or NULL when not one literal. */
static const char *unquote(psl_arena *a, const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '\'' || s[n - 1] != '\'')
        return NULL;
    char *o = psl_arena_alloc(a, n), *w = o;
    for (size_t i = 1; i < n - 1; i++) {
        if (s[i] == '\'') {
            if (s[i + 1] != '\'' || i + 1 >= n - 1)
                return NULL;
            i++;
        }
        *w++ = s[i];
    }
    *w = '\0';
    return o;
}

static pull_default sqlite_default_value(psl_arena *a, const db_col *c, const pull_type *ty)
{
    const char *d = c->dflt;
    /* (expr) and the outer parentheses SQLite keeps as written */
    size_t n = strlen(d);
    while (n >= 2 && d[0] == '(' && d[n - 1] == ')') {
        d = psl_arena_strndup(a, d + 1, n - 2);
        n -= 2;
    }
    if (strcasecmp(d, "NULL") == 0)
        return (pull_default){ PULL_DEF_NONE, NULL };
    const char *lit = unquote(a, d);
    switch (ty->scalar) {
    case PSL_INT:
    case PSL_BIGINT:
        if (is_number(d, false))
            return (pull_default){ PULL_DEF_EXPR, psl_arena_printf(a, "%lld", strtoll(d, NULL, 10)) };
        break;
    case PSL_FLOAT:
    case PSL_DECIMAL:
        if (is_number(d, true))
            return (pull_default){ PULL_DEF_EXPR, d };
        break;
    case PSL_BOOLEAN:
        if (strcasecmp(d, "true") == 0 || strcmp(d, "1") == 0 || (lit && strcasecmp(lit, "true") == 0))
            return (pull_default){ PULL_DEF_EXPR, "true" };
        if (strcasecmp(d, "false") == 0 || strcmp(d, "0") == 0 || (lit && strcasecmp(lit, "false") == 0))
            return (pull_default){ PULL_DEF_EXPR, "false" };
        break;
    case PSL_DATETIME:
        if (strcasecmp(d, "CURRENT_TIMESTAMP") == 0 || strcasecmp(d, "datetime('now')") == 0)
            return (pull_default){ PULL_DEF_EXPR, "now()" };
        if (lit)
            return (pull_default){ PULL_DEF_STRING, lit };
        break;
    case PSL_STRING:
    case PSL_JSON:
        if (lit)
            return (pull_default){ PULL_DEF_STRING, lit };
        break;
    default:
        break;
    }
    return (pull_default){ PULL_DEF_DBGEN, c->dflt };
}

const pull_dialect pull_sqlite = {
    .provider = PSL_PROVIDER_SQLITE,
    .named_pks = false,
    .named_fks = false,
    .max_ident = 10000,
    .column_type = sqlite_column_type,
    .is_autoincrement = sqlite_is_autoincrement,
    .default_value = sqlite_default_value,
};
