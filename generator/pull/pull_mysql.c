/* db pull on MySQL/MariaDB: information_schema's column types as Prisma's
 * MySQL describer and introspection read them (sql-schema-describer's
 * mysql.rs): native types that are not the scalar's default become @db.X,
 * tinyint(1) is Boolean, each enum(...) column is an enum of its own named
 * <Table>_<column>, AUTO_INCREMENT is autoincrement(), and defaults as
 * MariaDB prints them ('text', 0, current_timestamp(3)). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pull_int.h"

/* The type in lower case, without integer display widths: int(11) unsigned -> int unsigned. */
static char *lowered(psl_arena *a, const char *t)
{
    char *s = psl_arena_strdup(a, t ? t : "");
    bool quoted = false;
    for (char *p = s; *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        if (!quoted)
            *p = (char)tolower((unsigned char)*p);
    }
    return s;
}

/* "enum('a','b')" -> its values, unquoted ('' and \' are a quote). */
static void enum_values(psl_arena *a, const char *t, psl_vec *out)
{
    const char *p = strchr(t, '(');
    while (p && *p) {
        p = strchr(p, '\'');
        if (!p)
            return;
        char *v = psl_arena_alloc(a, strlen(p) + 1), *w = v;
        for (p++; *p; p++) {
            if ((*p == '\'' && p[1] == '\'') || (*p == '\\' && p[1])) {
                *w++ = *++p;
                continue;
            }
            if (*p == '\'')
                break;
            *w++ = *p;
        }
        *w = '\0';
        psl_vec_push(a, out, v);
        if (*p)
            p++;
    }
}

/* An enum(...) column's enum: <Table>_<column>, as Prisma's MySQL describer names it. */
static void my_collect_enums(psl_arena *a, db_state *st)
{
    for (size_t i = 0; i < st->tables.len; i++) {
        db_table *t = st->tables.items[i];
        for (size_t k = 0; k < t->cols.len; k++) {
            db_col *c = t->cols.items[k];
            if (!c->type || strncasecmp(c->type, "enum(", 5) != 0)
                continue;
            db_enum *e = psl_arena_alloc(a, sizeof *e);
            e->name = psl_arena_printf(a, "%s_%s", t->name, c->name);
            enum_values(a, c->type, &e->values);
            psl_vec_push(a, &st->enums, e);
            c->enum_name = e->name;
        }
    }
}

static void my_column_type(psl_arena *a, const db_state *st, const db_col *c, pull_type *out)
{
    memset(out, 0, sizeof *out);
    if (c->enum_name) {
        for (size_t i = 0; i < st->enums.len; i++) {
            const db_enum *e = st->enums.items[i];
            if (strcmp(e->name, c->enum_name) == 0)
                out->enum_type = e;
        }
        if (out->enum_type)
            return;
    }
    char *t = lowered(a, c->type);
    bool is_unsigned = strstr(t, " unsigned") != NULL;
    size_t name_len = strcspn(t, "( ");
    const char *args = t[name_len] == '(' ? t + name_len : "";
    size_t args_len = *args ? strcspn(args, ")") + 1 : 0;
    char *name = psl_arena_strndup(a, t, name_len);
    char *arg_text = psl_arena_strndup(a, args, args_len); /* "(30)", "" */
    static const struct {
        const char *sql;
        psl_scalar scalar;
        const char *native;    /* @db.X, NULL: only the default */
        const char *dflt_args; /* the arguments that make it the scalar's default, or NULL */
        bool takes_args;
    } map[] = {
        { "int", PSL_INT, "Int", "", false },
        { "integer", PSL_INT, "Int", "", false },
        { "smallint", PSL_INT, "SmallInt", NULL, false },
        { "tinyint", PSL_INT, "TinyInt", NULL, false },
        { "mediumint", PSL_INT, "MediumInt", NULL, false },
        { "bigint", PSL_BIGINT, "BigInt", "", false },
        { "year", PSL_INT, "Year", NULL, false },
        { "decimal", PSL_DECIMAL, "Decimal", "(65,30)", true },
        { "float", PSL_FLOAT, "Float", NULL, false },
        { "double", PSL_FLOAT, "Double", "", false },
        { "varchar", PSL_STRING, "VarChar", "(191)", true },
        { "char", PSL_STRING, "Char", NULL, true },
        { "tinytext", PSL_STRING, "TinyText", NULL, false },
        { "text", PSL_STRING, "Text", NULL, false },
        { "mediumtext", PSL_STRING, "MediumText", NULL, false },
        { "longtext", PSL_STRING, "LongText", NULL, false },
        { "datetime", PSL_DATETIME, "DateTime", "(3)", true },
        { "timestamp", PSL_DATETIME, "Timestamp", NULL, true },
        { "time", PSL_DATETIME, "Time", NULL, true },
        { "date", PSL_DATETIME, "Date", NULL, false },
        { "json", PSL_JSON, "Json", "", false },
        { "longblob", PSL_BYTES, "LongBlob", "", false },
        { "blob", PSL_BYTES, "Blob", NULL, false },
        { "tinyblob", PSL_BYTES, "TinyBlob", NULL, false },
        { "mediumblob", PSL_BYTES, "MediumBlob", NULL, false },
        { "binary", PSL_BYTES, "Binary", NULL, true },
        { "varbinary", PSL_BYTES, "VarBinary", NULL, true },
    };
    if (strcmp(t, "tinyint(1)") == 0 || strcmp(t, "boolean") == 0) {
        out->scalar = PSL_BOOLEAN;
        return;
    }
    if (strcmp(name, "bit") == 0) { /* bit(1) is a Boolean, wider ones Bytes */
        bool one = strcmp(arg_text, "(1)") == 0 || !*arg_text;
        out->scalar = one ? PSL_BOOLEAN : PSL_BYTES;
        out->native = psl_arena_printf(a, "Bit%s", *arg_text ? arg_text : "(1)");
        return;
    }
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(map[i].sql, name) != 0)
            continue;
        out->scalar = map[i].scalar;
        const char *shown = map[i].takes_args ? arg_text : "";
        if (is_unsigned && out->scalar == PSL_INT)
            out->native = psl_arena_printf(a, "Unsigned%s", map[i].native);
        else if (is_unsigned && out->scalar == PSL_BIGINT)
            out->native = "UnsignedBigInt";
        else if (!map[i].dflt_args || strcmp(map[i].dflt_args, shown) != 0) {
            if (strcmp(name, "decimal") == 0 && *shown) { /* (10,2) -> (10, 2) */
                const char *comma = strchr(shown, ',');
                shown = comma ? psl_arena_printf(a, "(%.*s, %s", (int)(comma - shown - 1), shown + 1, comma + 1)
                              : shown;
            }
            out->native = psl_arena_printf(a, "%s%s", map[i].native, shown);
        }
        return;
    }
    out->unsupported = psl_arena_strdup(a, c->type ? c->type : "");
}

static bool my_is_autoincrement(const db_table *t, const db_col *c, const pull_type *ty)
{
    (void)t;
    (void)ty;
    return c->identity;
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

/* 'text' as MariaDB prints a string default ('' and \x escapes): the text, or NULL. */
static const char *unquote(psl_arena *a, const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '\'' || s[n - 1] != '\'')
        return NULL;
    char *o = psl_arena_alloc(a, n), *w = o;
    for (size_t i = 1; i < n - 1; i++) {
        if ((s[i] == '\'' || s[i] == '\\') && i + 1 < n - 1) {
            i++;
            *w++ = s[i] == 'n' && s[i - 1] == '\\' ? '\n' : s[i];
            continue;
        }
        if (s[i] == '\'')
            return NULL;
        *w++ = s[i];
    }
    *w = '\0';
    return o;
}

static pull_default my_default_value(psl_arena *a, const db_col *c, const pull_type *ty)
{
    const char *d = c->dflt;
    if (!d || strcasecmp(d, "NULL") == 0)
        return (pull_default){ PULL_DEF_NONE, NULL };
    const char *lit = unquote(a, d);
    if (ty->enum_type && lit)
        return (pull_default){ PULL_DEF_ENUM, lit };
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
        if (strcmp(d, "1") == 0 || strcasecmp(d, "true") == 0 || strcmp(d, "b'1'") == 0)
            return (pull_default){ PULL_DEF_EXPR, "true" };
        if (strcmp(d, "0") == 0 || strcasecmp(d, "false") == 0 || strcmp(d, "b'0'") == 0)
            return (pull_default){ PULL_DEF_EXPR, "false" };
        break;
    case PSL_DATETIME:
        if (strncasecmp(d, "current_timestamp", 17) == 0 || strncasecmp(d, "now(", 4) == 0)
            return (pull_default){ PULL_DEF_EXPR, "now()" };
        if (lit)
            return (pull_default){ PULL_DEF_STRING, lit };
        break;
    case PSL_STRING:
        if (lit)
            return (pull_default){ PULL_DEF_STRING, lit };
        break;
    default:
        break;
    }
    return (pull_default){ PULL_DEF_DBGEN, d };
}

const pull_dialect pull_mysql = {
    .provider = PSL_PROVIDER_MYSQL,
    .named_pks = false, /* always PRIMARY */
    .named_fks = true,
    .max_ident = 64,
    .column_type = my_column_type,
    .is_autoincrement = my_is_autoincrement,
    .default_value = my_default_value,
    .collect_enums = my_collect_enums,
};
