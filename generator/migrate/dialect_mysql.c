/* The MySQL/MariaDB dialect of db push and migrate (`provider = "mysql"`),
 * as Prisma's schema engine writes it (sql-schema-connector's MySQL flavour
 * and mysql_renderer): backtick identifiers, indexes inside CREATE TABLE,
 * `DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`, foreign keys
 * added by ALTER TABLE and dropped with DROP FOREIGN KEY, column changes as
 * MODIFY, inline ENUM(...) columns, CURRENT_TIMESTAMP(3). It opens the
 * database (creating it when missing, as Prisma does) and reads
 * information_schema. DDL is not transactional on MySQL: a failed push or
 * migration leaves what ran before it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "describe.h"
#include "plan.h"

/* ---- types ---- */


/* @db.X -> the SQL Prisma's render_column_type writes. `args` says how its
 * arguments follow in parentheses, ", "-separated. */
typedef struct my_native {
    const char *psl, *sql;
} my_native;

static const my_native my_natives[] = {
    { "Int", "INTEGER" },
    { "UnsignedInt", "INTEGER UNSIGNED" },
    { "SmallInt", "SMALLINT" },
    { "UnsignedSmallInt", "SMALLINT UNSIGNED" },
    { "TinyInt", "TINYINT" },
    { "UnsignedTinyInt", "TINYINT UNSIGNED" },
    { "MediumInt", "MEDIUMINT" },
    { "UnsignedMediumInt", "MEDIUMINT UNSIGNED" },
    { "BigInt", "BIGINT" },
    { "UnsignedBigInt", "BIGINT UNSIGNED" },
    { "Decimal", "DECIMAL" },
    { "Float", "FLOAT" },
    { "Double", "DOUBLE" },
    { "Bit", "BIT" },
    { "Char", "CHAR" },
    { "VarChar", "VARCHAR" },
    { "Binary", "BINARY" },
    { "VarBinary", "VARBINARY" },
    { "TinyBlob", "TINYBLOB" },
    { "Blob", "BLOB" },
    { "MediumBlob", "MEDIUMBLOB" },
    { "LongBlob", "LONGBLOB" },
    { "TinyText", "TINYTEXT" },
    { "Text", "TEXT" },
    { "MediumText", "MEDIUMTEXT" },
    { "LongText", "LONGTEXT" },
    { "Date", "DATE" },
    { "Time", "TIME" },
    { "DateTime", "DATETIME" },
    { "Timestamp", "TIMESTAMP" },
    { "Year", "YEAR" },
    { "Json", "JSON" },
};

/* Prisma's default native type of a scalar (mysql_datamodel_connector). */
static const char *default_native(psl_scalar t, const char **args, size_t *n_args)
{
    *n_args = 0;
    switch (t) {
    case PSL_STRING:
        args[0] = "191";
        *n_args = 1;
        return "VarChar";
    case PSL_INT: return "Int";
    case PSL_BIGINT: return "BigInt";
    case PSL_FLOAT: return "Double";
    case PSL_DECIMAL:
        args[0] = "65";
        args[1] = "30";
        *n_args = 2;
        return "Decimal";
    case PSL_BOOLEAN: return "TinyInt";
    case PSL_DATETIME:
        args[0] = "3";
        *n_args = 1;
        return "DateTime";
    case PSL_JSON: return "Json";
    case PSL_BYTES: return "LongBlob";
    case PSL_SCALAR_NONE: break;
    }
    return "VarChar";
}

/* The column type of a field; an enum is its inline ENUM('A', 'B'). */
static void my_column_type(const psl_field *f, bool serial, psl_sql *o)
{
    (void)serial; /* AUTO_INCREMENT is a clause, not a type */
    if (f->kind == PSL_FIELD_ENUM && f->enum_type) {
        psl_sql_puts(o, "ENUM(");
        for (size_t i = 0; i < f->enum_type->n_values; i++) {
            const char *v = f->enum_type->values[i].db_name;
            if (i)
                psl_sql_puts(o, ", ");
            psl_sql_string(o, v, strlen(v));
        }
        psl_sql_puts(o, ")");
        return;
    }
    const char *args[4];
    size_t n_args = 0;
    const char *name = f->native.name;
    if (name) {
        for (size_t i = 0; i < f->native.n_args && i < 4; i++)
            args[i] = f->native.args[i];
        n_args = f->native.n_args < 4 ? f->native.n_args : 4;
    } else {
        name = default_native(f->scalar, args, &n_args);
    }
    if (strcmp(name, "TinyInt") == 0 && f->scalar == PSL_BOOLEAN) {
        psl_sql_puts(o, "BOOLEAN");
        return;
    }
    const char *sql = name;
    for (size_t i = 0; i < sizeof my_natives / sizeof my_natives[0]; i++)
        if (strcmp(my_natives[i].psl, name) == 0)
            sql = my_natives[i].sql;
    psl_sql_puts(o, sql);
    if (n_args) {
        /* DECIMAL(65, 30): Prisma's render_decimal writes a space after the comma. */
        psl_sql_puts(o, "(");
        for (size_t i = 0; i < n_args; i++)
            psl_sql_printf(o, "%s%s", i ? ", " : "", args[i]);
        psl_sql_puts(o, ")");
    }
}

/* @default(now()): CURRENT_TIMESTAMP(p) with the column's precision (3 by default). */
static void my_now_default(const psl_field *f, psl_sql *o)
{
    const char *p = "3";
    if (f->native.name && (strcmp(f->native.name, "DateTime") == 0 || strcmp(f->native.name, "Timestamp") == 0 ||
                           strcmp(f->native.name, "Time") == 0))
        p = f->native.n_args ? f->native.args[0] : "0";
    psl_sql_printf(o, "CURRENT_TIMESTAMP(%s)", p);
}

/* A type as information_schema.columns.column_type prints it, from either
 * side: lowercase outside quotes, no integer display widths (int(11)), no
 * blanks after commas, INTEGER -> int, BOOLEAN -> tinyint(1). */
static void my_canonical(const char *t, psl_sql *o)
{
    psl_sql b = { 0 };
    bool quoted = false;
    for (const char *p = t; *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        if (!quoted && *p == ' ' && p > t && p[-1] == ',')
            continue;
        char ch = quoted ? *p : (char)tolower((unsigned char)*p);
        psl_sql_putn(&b, &ch, 1);
    }
    const char *s = psl_sql_text(&b);
    static const struct {
        const char *from, *to;
    } names[] = { { "integer", "int" }, { "boolean", "tinyint(1)" }, { "bool", "tinyint(1)" },
                  { "decimal", "decimal(10,0)" }, { "dec", "decimal(10,0)" }, { "numeric", "decimal(10,0)" },
                  { "real", "double" }, { "char", "char(1)" }, { "binary", "binary(1)" }, { "bit", "bit(1)" },
                  { "datetime(0)", "datetime" }, { "timestamp(0)", "timestamp" }, { "time(0)", "time" } };
    size_t word = strcspn(s, " (");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i].from);
        if (strncmp(s, names[i].from, n) == 0 && (s[n] == '\0' || (s[n] == ' ' && word == n) ||
                                                   (strchr(names[i].from, '(') && s[n] == '\0'))) {
            psl_sql_puts(o, names[i].to);
            s += n;
            break;
        }
    }
    /* tinyint(4), int(11), bigint(20) unsigned: display widths mean nothing */
    static const char *const ints[] = { "tinyint", "smallint", "mediumint", "int", "bigint" };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        size_t n = strlen(ints[i]);
        if (strncmp(s, ints[i], n) == 0 && s[n] == '(' && strncmp(s, "tinyint(1)", 10) != 0) {
            psl_sql_puts(o, ints[i]);
            s += n + strcspn(s + n, ")") + (s[n + strcspn(s + n, ")")] ? 1 : 0);
            break;
        }
    }
    psl_sql_puts(o, s);
    psl_sql_free(&b);
}

static bool my_type_matches(const pusher *P, const psl_ddl_column *w, const db_col *h)
{
    (void)P;
    if (w->field && w->field->kind == PSL_FIELD_UNSUPPORTED)
        return true; /* prismac cannot compare them */
    psl_sql a = { 0 }, b = { 0 };
    my_canonical(w->base_type, &a);
    my_canonical(h->type, &b);
    bool ok = !a.failed && !b.failed && strcmp(psl_sql_text(&a), psl_sql_text(&b)) == 0;
    psl_sql_free(&a);
    psl_sql_free(&b);
    return ok;
}

/* NULL-safe equality of the two expressions, as the server evaluates them;
 * temporal ones as times ('2021-06-01 00:00:00' is a DATE column's '2021-06-01'). */
static void my_default_probe(psl_sql *q, const char *want, const db_col *h)
{
    const char *t = h->type ? h->type : "";
    if (strncasecmp(t, "date", 4) == 0 || strncasecmp(t, "timestamp", 9) == 0 || strncasecmp(t, "time", 4) == 0)
        psl_sql_printf(q, "SELECT CAST((%s) AS DATETIME(6)) <=> CAST((%s) AS DATETIME(6))", want, h->dflt);
    else
        psl_sql_printf(q, "SELECT (%s) <=> (%s)", want, h->dflt);
}

static bool my_can_add_column(const psl_ddl_column *w)
{
    (void)w;
    return true;
}

/* ---- rendering ---- */

static void my_drop_index(psl_sql *o, const db_table *h, const db_index *x)
{
    o->quote = '`';
    psl_sql_puts(o, "DROP INDEX ");
    psl_sql_ident(o, x->name);
    psl_sql_puts(o, " ON ");
    psl_sql_ident(o, h->name);
}

static void my_rename_index(psl_sql *o, const db_table *h, const char *from, const char *to)
{
    o->quote = '`';
    psl_sql_puts(o, "ALTER TABLE ");
    psl_sql_ident(o, h->name);
    psl_sql_puts(o, " RENAME INDEX ");
    psl_sql_ident(o, from);
    psl_sql_puts(o, " TO ");
    psl_sql_ident(o, to);
}

/* --force-reset: the views, every foreign key (so that tables drop in any
 * order), then the tables. */
static void my_reset(pusher *P, const db_state *st, plan_step *out)
{
    P->sql.quote = '`'; /* also when a command builds its own pusher (migrate reset) */
    for (size_t i = 0; i < st->views.len; i++) {
        const char *v = st->views.items[i];
        const char *name = strrchr(v, '\t');
        psl_sql_puts(&P->sql, "DROP VIEW IF EXISTS ");
        psl_sql_ident(&P->sql, name ? name + 1 : v);
        plan_emit(P, out);
    }
    for (size_t i = 0; i < st->tables.len; i++) {
        const db_table *t = st->tables.items[i];
        for (size_t k = 0; k < t->fks.len; k++) {
            const db_fk *f = t->fks.items[k];
            psl_sql_puts(&P->sql, "ALTER TABLE ");
            psl_sql_ident(&P->sql, t->name);
            psl_sql_puts(&P->sql, " DROP FOREIGN KEY ");
            psl_sql_ident(&P->sql, f->name ? f->name : "");
            plan_emit(P, out);
        }
    }
    if (st->tables.len) {
        psl_sql_puts(&P->sql, "DROP TABLE IF EXISTS ");
        for (size_t i = 0; i < st->tables.len; i++) {
            if (i)
                psl_sql_puts(&P->sql, ", ");
            psl_sql_ident(&P->sql, ((const db_table *)st->tables.items[i])->name);
        }
        plan_emit(P, out);
    }
}

static void my_drop_table(pusher *P, const db_table *h, plan_step *s)
{
    P->sql.quote = '`';
    psl_sql_puts(&P->sql, "DROP TABLE ");
    psl_sql_ident(&P->sql, h->name);
    plan_emit(P, s);
}

/* ---- the database as describe reads it, without a database ---- */

static void my_state_column(const psl_ddl *d, const psl_ddl_table *t, const psl_ddl_column *c, db_col *out,
                            psl_arena *a)
{
    (void)d;
    (void)t;
    out->name = c->name;
    out->not_null = c->not_null;
    out->dflt = c->default_sql;
    out->identity = c->autoincrement; /* AUTO_INCREMENT */
    psl_sql canon = { 0 };
    my_canonical(c->base_type, &canon);
    out->type = canon.failed ? c->base_type : psl_arena_strdup(a, psl_sql_text(&canon));
    psl_sql_free(&canon);
}

/* A type's family and size, for the cast rules. */
typedef struct my_type_info {
    enum { F_TEXT, F_INT, F_FLOAT, F_DECIMAL, F_TIME, F_DATE, F_JSON, F_ENUM, F_BLOB, F_OTHER } family;
    long size; /* integers: bytes; text: the length limit; times: precision */
} my_type_info;

static my_type_info my_info(const char *canonical)
{
    my_type_info i = { F_OTHER, 0 };
    const char *t = canonical;
    const char *paren = strchr(t, '(');
    long arg = paren ? atol(paren + 1) : 0;
    static const struct {
        const char *name;
        int family;
        long size;
    } table[] = {
        { "tinyint(1)", F_INT, 1 }, { "tinyint", F_INT, 1 },   { "smallint", F_INT, 2 }, { "mediumint", F_INT, 3 },
        { "int", F_INT, 4 },        { "bigint", F_INT, 8 },    { "float", F_FLOAT, 4 }, { "double", F_FLOAT, 8 },
        { "decimal", F_DECIMAL, 0 }, { "varchar", F_TEXT, -1 }, { "char", F_TEXT, -1 }, { "tinytext", F_TEXT, 255 },
        { "text", F_TEXT, 65535 },  { "mediumtext", F_TEXT, 16777215 }, { "longtext", F_TEXT, 0 },
        { "datetime", F_TIME, -1 }, { "timestamp", F_TIME, -1 }, { "date", F_DATE, 0 }, { "json", F_JSON, 0 },
        { "enum", F_ENUM, 0 },      { "longblob", F_BLOB, 0 },  { "blob", F_BLOB, 65535 },
    };
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
        size_t n = strlen(table[k].name);
        if (strncmp(t, table[k].name, n) == 0 && (t[n] == '\0' || t[n] == '(' || t[n] == ' ')) {
            i.family = table[k].family;
            i.size = table[k].size < 0 ? arg : table[k].size;
            if (i.family == F_INT && strstr(t, "unsigned"))
                i.size = i.size * 2 + 1; /* holds more than the signed one of its width */
            return i;
        }
    }
    return i;
}

/* MySQL converts nearly every value on MODIFY (strict mode fails what does
 * not fit): widening is safe, the rest risky, as Prisma's MySQL differ. */
static mig_cast my_type_change(const db_col *from, const psl_ddl_column *to)
{
    psl_sql a = { 0 };
    my_canonical(to->base_type, &a);
    my_type_info f = my_info(from->type), w = my_info(psl_sql_text(&a));
    psl_sql_free(&a);
    if (f.family != w.family)
        return w.family == F_TEXT && w.size == 0 ? MIG_CAST_SAFE : MIG_CAST_RISKY;
    switch (f.family) {
    case F_INT:
    case F_FLOAT:
    case F_TIME:
        return w.size >= f.size ? MIG_CAST_SAFE : MIG_CAST_RISKY;
    case F_TEXT:
        return w.size == 0 || (f.size && f.size <= w.size) ? MIG_CAST_SAFE : MIG_CAST_RISKY;
    default:
        return MIG_CAST_RISKY;
    }
}

/* A type as Prisma's warnings name it: varchar(30) -> VarChar(30), int -> Int. */
static void my_display_type(const char *db_type, psl_sql *o)
{
    psl_sql canon = { 0 };
    my_canonical(db_type, &canon);
    const char *t = psl_sql_text(&canon);
    if (strcmp(t, "tinyint(1)") == 0) {
        psl_sql_puts(o, "TinyInt");
    } else {
        size_t n = strcspn(t, "( ");
        const char *name = NULL;
        for (size_t i = 0; i < sizeof my_natives / sizeof my_natives[0] && !name; i++) {
            const char *sql = my_natives[i].sql;
            if (strlen(sql) == n && strncasecmp(sql, t, n) == 0 && !strchr(sql, ' '))
                name = my_natives[i].psl;
        }
        if (n == 3 && strncmp(t, "int", 3) == 0)
            name = "Int";
        bool unsigned_ = strstr(t, " unsigned") != NULL;
        size_t args = t[n] == '(' ? strcspn(t + n, ")") + 1 : 0;
        if (name)
            psl_sql_printf(o, "%s%s%.*s", unsigned_ ? "Unsigned" : "", name, (int)args, t + n);
        else
            psl_sql_puts(o, db_type);
    }
    psl_sql_free(&canon);
}

/* A described type as Prisma's renderer writes it: int -> INTEGER,
 * tinyint(1) -> BOOLEAN, decimal(65,30) -> DECIMAL(65, 30), enum('A','B') -> ENUM('A', 'B'). */
static void my_ddl_type(const db_col *c, psl_sql *o)
{
    psl_sql canon = { 0 };
    my_canonical(c->type, &canon);
    const char *t = psl_sql_text(&canon);
    if (strcmp(t, "tinyint(1)") == 0) {
        psl_sql_puts(o, "BOOLEAN");
        psl_sql_free(&canon);
        return;
    }
    bool quoted = false;
    size_t n = strcspn(t, "( ");
    if (n == 3 && strncmp(t, "int", 3) == 0) {
        psl_sql_puts(o, "INTEGER");
        t += 3;
    }
    for (const char *p = t; *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        char ch = quoted ? *p : (char)toupper((unsigned char)*p);
        psl_sql_putn(o, &ch, 1);
        if (!quoted && *p == ',')
            psl_sql_puts(o, " ");
    }
    psl_sql_free(&canon);
}

/* ---- history (_prisma_migrations) ---- */

static void my_history_table(const mconn *c, psl_sql *o)
{
    (void)c;
    o->quote = '`';
    psl_sql_ident(o, "_prisma_migrations");
}

/* Prisma's table (sql-schema-connector's MySQL flavour). */
static void my_history_create(const mconn *c, psl_sql *o)
{
    psl_sql_puts(o, "CREATE TABLE ");
    my_history_table(c, o);
    psl_sql_puts(o, " (\n"
                    "    id                      VARCHAR(36) PRIMARY KEY NOT NULL,\n"
                    "    checksum                VARCHAR(64) NOT NULL,\n"
                    "    finished_at             DATETIME(3),\n"
                    "    migration_name          VARCHAR(255) NOT NULL,\n"
                    "    logs                    TEXT,\n"
                    "    rolled_back_at          DATETIME(3),\n"
                    "    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n"
                    "    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0\n"
                    ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
}

static void my_history_exists(const mconn *c, psl_sql *o)
{
    (void)c;
    psl_sql_puts(o, "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                    "AND table_name = '_prisma_migrations'");
}

/* ---- the connection ---- */

/* host:port of a mysql:// url, for messages. */
static void my_where(mconn *c, const dburl *u)
{
    const char *auth = strstr(u->url, "://");
    auth = auth ? auth + 3 : u->url;
    size_t n = strcspn(auth, "/?");
    const char *host = auth;
    for (size_t i = 0; i < n; i++)
        if (auth[i] == '@')
            host = auth + i + 1;
    size_t hn = n - (size_t)(host - auth);
    bool has_port = hn && memchr(host, ':', hn) && host[hn - 1] != ']';
    c->where = psl_arena_printf(c->a, "%.*s%s", (int)hn, hn ? host : "localhost", has_port ? "" : ":3306");
}

/* CREATE DATABASE as Prisma's MySQL flavour writes it. */
static int create_database(mconn *admin, const char *name)
{
    psl_sql q = { .quote = '`' };
    psl_sql_puts(&q, "CREATE DATABASE ");
    psl_sql_ident(&q, name);
    psl_sql_puts(&q, " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    int rc = q.failed ? -1 : mc_exec(admin, psl_sql_text(&q));
    psl_sql_free(&q);
    return rc;
}

static int my_open(mconn *c, const dburl *u)
{
    my_where(c, u);
    c->db_name = u->database && *u->database ? psl_arena_strdup(c->a, u->database) : "mysql";
    prisma_err err;
    if (mc_connect(c, u->url, &err) != 0 && strcmp(err.code, "P1003") == 0) {
        /* Like Prisma, db push creates a database that does not exist yet,
         * through the server's own `mysql` database. */
        char *admin_url = backend_url_with_database(u, "mysql");
        mconn admin = { .backend = c->backend, .a = c->a };
        prisma_err admin_err;
        if (admin_url && mc_connect(&admin, admin_url, &admin_err) == 0)
            c->created = create_database(&admin, c->db_name) == 0;
        mc_close(&admin);
        free(admin_url);
        if (c->created)
            mc_connect(c, u->url, &err);
    }
    if (!c->conn) {
        fprintf(stderr, "Error: %s: %s\n", err.code, err.message);
        if (err.db_message[0])
            fprintf(stderr, "(MySQL: %s)\n", err.db_message);
        return -1;
    }
    return 0;
}

/* ---- what the database holds (information_schema, the url's database) ---- */

static db_table *table_named(const psl_vec *tables, const char *name)
{
    for (size_t i = 0; i < tables->len; i++) {
        db_table *t = tables->items[i];
        if (strcmp(t->name, name) == 0)
            return t;
    }
    return NULL;
}

static int describe_columns(mconn *c, const psl_vec *tables)
{
    qres r;
    /* MariaDB stores JSON as LONGTEXT with CHECK (json_valid(`col`)): that is a Json column. */
    if (mc_query(c,
                 "SELECT c.TABLE_NAME, c.COLUMN_NAME, "
                 "CASE WHEN c.DATA_TYPE = 'longtext' AND EXISTS (SELECT 1 FROM information_schema.CHECK_CONSTRAINTS k "
                 "WHERE k.CONSTRAINT_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME "
                 "AND k.CHECK_CLAUSE = CONCAT('json_valid(`', c.COLUMN_NAME, '`)')) THEN 'json' ELSE c.COLUMN_TYPE END, "
                 "c.IS_NULLABLE = 'NO', c.COLUMN_DEFAULT, c.EXTRA LIKE '%auto_increment%' "
                 "FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = DATABASE() "
                 "ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION",
                 NULL, 0, &r) != 0)
        return -1;
    for (size_t i = 0; i < r.rows; i++) {
        db_table *t = table_named(tables, cell(&r, i, 0));
        if (!t)
            continue;
        db_col *col = psl_arena_alloc(c->a, sizeof *col);
        col->name = cell(&r, i, 1);
        col->type = cell(&r, i, 2);
        col->not_null = diff_is_true(cell(&r, i, 3)) || plan_same(cell(&r, i, 3), "1");
        col->dflt = cell(&r, i, 4);
        if (col->dflt && strcmp(col->dflt, "NULL") == 0) /* MariaDB: no default on a nullable column */
            col->dflt = NULL;
        col->identity = plan_same(cell(&r, i, 5), "1");
        psl_vec_push(c->a, &t->cols, col);
    }
    return 0;
}

static int describe_indexes(mconn *c, const psl_vec *tables)
{
    qres r;
    if (mc_query(c,
                 "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE = 0, COLUMN_NAME, COLLATION = 'D', INDEX_TYPE = 'FULLTEXT', "
                 "SUB_PART "
                 "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
                 "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
                 NULL, 0, &r) != 0)
        return -1;
    for (size_t i = 0; i < r.rows;) {
        size_t j = i;
        while (j < r.rows && strcmp(cell(&r, j, 0), cell(&r, i, 0)) == 0 &&
               strcmp(cell(&r, j, 1), cell(&r, i, 1)) == 0)
            j++;
        db_table *t = table_named(tables, cell(&r, i, 0));
        if (t && strcmp(cell(&r, i, 1), "PRIMARY") == 0) {
            t->pk_name = "PRIMARY";
            for (size_t k = i; k < j; k++)
                psl_vec_push_const(c->a, &t->pk_cols, cell(&r, k, 3));
        } else if (t) {
            db_index *x = psl_arena_alloc(c->a, sizeof *x);
            x->name = cell(&r, i, 1);
            x->unique = diff_is_true(cell(&r, i, 2)) || plan_same(cell(&r, i, 2), "1");
            x->n = j - i;
            x->cols = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->cols);
            x->ops = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->ops);
            x->desc = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->desc);
            x->ops_default = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->ops_default);
            x->fulltext = plan_same(cell(&r, i, 5), "1");
            for (size_t k = i; k < j; k++) {
                x->cols[k - i] = cell(&r, k, 3);
                x->desc[k - i] = plan_same(cell(&r, k, 4), "1");
                if (cell(&r, k, 6)) { /* a prefix: `title`(20) */
                    if (!x->lengths)
                        x->lengths = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->lengths);
                    x->lengths[k - i] = atoi(cell(&r, k, 6));
                }
                x->ops_default[k - i] = true;
                if (!x->cols[k - i])
                    x->special = true; /* on an expression */
            }
            psl_vec_push(c->a, &t->indexes, x);
        }
        i = j;
    }
    return 0;
}

static const char *my_action(const char *rule)
{
    return rule ? rule : "NO ACTION";
}

static int describe_fks_all(mconn *c, const psl_vec *tables)
{
    qres r;
    if (mc_query(c,
                 "SELECT k.CONSTRAINT_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, NULL, k.REFERENCED_TABLE_NAME, "
                 "k.REFERENCED_COLUMN_NAME, f.DELETE_RULE, f.UPDATE_RULE, k.TABLE_NAME "
                 "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS f "
                 "ON f.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND f.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
                 "AND f.TABLE_NAME = k.TABLE_NAME "
                 "WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL "
                 "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
                 NULL, 0, &r) != 0)
        return -1;
    for (size_t i = 0; i < r.rows;) {
        size_t j = i;
        while (j < r.rows && strcmp(cell(&r, j, 8), cell(&r, i, 8)) == 0)
            j++;
        db_table *t = table_named(tables, cell(&r, i, 8));
        if (t) {
            qres sub = { .rows = j - i, .cols = r.cols, .cells = r.cells + i * r.cols };
            describe_fks(c, t, &sub, my_action);
            /* InnoDB indexes a foreign key's columns itself, naming the index
             * after the constraint when no index starts with them: not one of
             * the schema's indexes (Prisma's describer leaves it out too). */
            for (size_t k = 0; k < t->fks.len; k++) {
                const db_fk *f = t->fks.items[k];
                for (size_t x = 0; x < t->indexes.len; x++) {
                    db_index *ix = t->indexes.items[x];
                    if (f->name && strcmp(ix->name, f->name) == 0) {
                        t->indexes.items[x] = t->indexes.items[--t->indexes.len];
                        break;
                    }
                }
            }
        }
        i = j;
    }
    return 0;
}

static int my_describe(mconn *c, db_state *st)
{
    qres r;
    if (mc_query(c,
                 "SELECT t.TABLE_NAME, t.TABLE_TYPE = 'VIEW', v.VIEW_DEFINITION FROM information_schema.TABLES t "
                 "LEFT JOIN information_schema.VIEWS v ON v.TABLE_SCHEMA = t.TABLE_SCHEMA AND v.TABLE_NAME = t.TABLE_NAME "
                 "WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_NAME <> '_prisma_migrations' "
                 "ORDER BY t.TABLE_NAME",
                 NULL, 0, &r) != 0)
        return -1;
    psl_vec all = { 0 }; /* tables and views, for the column query */
    for (size_t i = 0; i < r.rows; i++) {
        db_table *t = dbstate_new_table(c->a, NULL, cell(&r, i, 0));
        psl_vec_push(c->a, &all, t);
        if (plan_same(cell(&r, i, 1), "1")) {
            psl_vec_push_const(c->a, &st->views, psl_arena_printf(c->a, "v\t\t%s", t->name));
            db_view *v = psl_arena_alloc(c->a, sizeof *v);
            v->t = t;
            v->definition = cell(&r, i, 2);
            psl_vec_push(c->a, &st->view_defs, v);
        } else {
            psl_vec_push(c->a, &st->tables, t);
        }
    }
    if (describe_columns(c, &all) != 0 || describe_indexes(c, &st->tables) != 0 ||
        describe_fks_all(c, &st->tables) != 0)
        return -1;
    return 0;
}

/* ---- shadow databases (migrate dev, migrate diff --from-migrations) ---- */

/* A version 4 uuid, as Prisma names its shadow databases. */
static void random_uuid(char out[37])
{
    unsigned char b[16] = { 0 };
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(b, 1, sizeof b, f) : 0;
    if (f)
        fclose(f);
    if (got != sizeof b) { /* no /dev/urandom: time and pid, unique enough for a temporary name */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long x = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
                               ((unsigned long long)getpid() << 40);
        for (size_t i = 0; i < sizeof b; i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
            b[i] = (unsigned char)(x >> 56);
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
             b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static int drop_database(mconn *admin, const char *name)
{
    psl_sql q = { .quote = '`' };
    psl_sql_puts(&q, "DROP DATABASE IF EXISTS ");
    psl_sql_ident(&q, name);
    int rc = q.failed ? -1 : mc_exec(admin, psl_sql_text(&q));
    psl_sql_free(&q);
    return rc;
}

static int my_shadow_create(mconn *admin, const dburl *main, char **url, char **handle, char *err, size_t errlen)
{
    char uuid[37], name[80];
    random_uuid(uuid);
    snprintf(name, sizeof name, "prisma_migrate_shadow_db_%s", uuid);
    if (create_database(admin, name) != 0) {
        snprintf(err, errlen,
                 "P3014\n\nPrisma Migrate could not create the shadow database. Please make sure the database user has "
                 "permission to create databases. Read more about the shadow database (and workarounds) at "
                 "https://pris.ly/d/migrate-shadow\n\nOriginal error: \n%s",
                 admin->err);
        return -1;
    }
    *url = backend_url_with_database(main, name);
    *handle = strdup(name);
    if (!*url || !*handle) {
        snprintf(err, errlen, "out of memory");
        free(*url);
        free(*handle);
        *url = *handle = NULL;
        drop_database(admin, name);
        return -1;
    }
    return 0;
}

static int my_shadow_drop(mconn *admin, const char *handle, char *err, size_t errlen)
{
    int rc = drop_database(admin, handle);
    if (rc != 0)
        snprintf(err, errlen, "cannot drop the shadow database `%s`: %s", handle, admin->err);
    return rc;
}

/* Empties the database: its views, foreign keys and tables (and
 * _prisma_migrations), as Prisma's reset leaves it. */
static int my_shadow_empty(mconn *c)
{
    db_state st = { 0 };
    if (my_describe(c, &st) != 0)
        return -1;
    if (mc_count(c, "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                    "AND TABLE_NAME = '_prisma_migrations'") > 0)
        psl_vec_push(c->a, &st.tables, dbstate_new_table(c->a, NULL, "_prisma_migrations"));
    psl_sql q = { .quote = '`' };
    int rc = 0;
    for (size_t i = 0; i < st.views.len && rc == 0; i++) {
        psl_sql_clear(&q);
        psl_sql_puts(&q, "DROP VIEW IF EXISTS ");
        psl_sql_ident(&q, strrchr(st.views.items[i], '\t') + 1);
        rc = q.failed ? -1 : mc_exec(c, psl_sql_text(&q));
    }
    for (size_t i = 0; i < st.tables.len && rc == 0; i++) {
        const db_table *t = st.tables.items[i];
        for (size_t k = 0; k < t->fks.len && rc == 0; k++) {
            const db_fk *f = t->fks.items[k];
            psl_sql_clear(&q);
            psl_sql_puts(&q, "ALTER TABLE ");
            psl_sql_ident(&q, t->name);
            psl_sql_puts(&q, " DROP FOREIGN KEY ");
            psl_sql_ident(&q, f->name ? f->name : "");
            rc = q.failed ? -1 : mc_exec(c, psl_sql_text(&q));
        }
    }
    for (size_t i = 0; i < st.tables.len && rc == 0; i++) {
        psl_sql_clear(&q);
        psl_sql_puts(&q, "DROP TABLE IF EXISTS ");
        psl_sql_ident(&q, ((const db_table *)st.tables.items[i])->name);
        rc = q.failed ? -1 : mc_exec(c, psl_sql_text(&q));
    }
    psl_sql_free(&q);
    return rc;
}


const migrate_dialect migrate_mysql = {
    .title = "MySQL",
    .provider = PSL_PROVIDER_MYSQL,
    .url_scheme = "`mysql://`",
    .backend_name = "mysql",
    .caps = MIG_CAP_ALTER_IN_PLACE | MIG_CAP_GROUPED_ALTER | MIG_CAP_RENAME_INDEX | MIG_CAP_INLINE_INDEXES |
            MIG_CAP_MODIFY_COLUMN | MIG_CAP_UNNAMED_PK | MIG_CAP_NO_BLOB_DEFAULTS | MIG_CAP_EXPLICIT_NULL | MIG_CAP_UTC_DATETIME,
    .max_ident = 64,
    .column_type = my_column_type,
    .bytes_literal_open = "X'",
    .ident_quote = '`',
    .autoincrement_clause = " AUTO_INCREMENT",
    .create_table_suffix = " DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
    .now_default = my_now_default,
    .drop_fk_clause = " DROP FOREIGN KEY ",
    .alter_clause_sep = ",\n    ",
    .rename_index = my_rename_index,
    .open = my_open,
    .describe = my_describe,
    .type_matches = my_type_matches,
    .default_probe = my_default_probe,
    .can_add_column = my_can_add_column,
    .drop_index = my_drop_index,
    .reset = my_reset,
    .lock_provider = "mysql",
    .param_prefix = "?",
    .param_positional = true,
    .history_now = "CURRENT_TIMESTAMP(3)",
    .history_table = my_history_table,
    .history_create = my_history_create,
    .history_exists = my_history_exists,
    .state_column = my_state_column,
    .type_change = my_type_change,
    .display_type = my_display_type,
    .drop_table = my_drop_table,
    .shadow_create = my_shadow_create,
    .shadow_drop = my_shadow_drop,
    .shadow_empty = my_shadow_empty,
    .ddl_type = my_ddl_type,
};
