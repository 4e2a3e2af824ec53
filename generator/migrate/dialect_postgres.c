/* The PostgreSQL dialect of db push (CockroachDB is a variant): opening the
 * database (creating it when missing, as Prisma does), reading pg_catalog,
 * PostgreSQL's type names, and its DROP statements. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "plan.h"

/* ---- the connection ---- */

/* host:port and the user of a PostgreSQL url, for messages. */
static void url_parts(mconn *c, const dburl *u, const char **user)
{
    const char *auth = strstr(u->url, "://") + 3;
    size_t n = strcspn(auth, "/?");
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (auth[i] == '@')
            at = auth + i;
    const char *host = at ? at + 1 : auth;
    size_t hn = n - (size_t)(host - auth);
    *user = at ? psl_arena_strndup(c->a, auth, strcspn(auth, ":@")) : NULL;
    bool has_port = hn && memchr(host, ':', hn) && host[hn - 1] != ']';
    c->where = psl_arena_printf(c->a, "%.*s%s", (int)hn, hn ? host : "localhost", has_port ? "" : ":5432");
}

static int pg_open(mconn *c, const dburl *u)
{
    const char *user = NULL;
    url_parts(c, u, &user);
    c->schema = psl_arena_strdup(c->a, u->schema);
    c->db_name = u->database ? psl_arena_strdup(c->a, u->database) : user && *user ? user : "postgres";
    prisma_err err;
    if (mc_connect(c, u->url, &err) != 0 && strcmp(err.code, "P1003") == 0) {
        /* Like Prisma, db push creates a database that does not exist yet. */
        char *admin_url = backend_url_with_database(u, "postgres");
        mconn admin = { .backend = c->backend, .a = c->a };
        prisma_err admin_err;
        if (admin_url && mc_connect(&admin, admin_url, &admin_err) == 0) {
            psl_sql q = { 0 };
            psl_sql_puts(&q, "CREATE DATABASE ");
            psl_sql_ident(&q, c->db_name);
            c->created = !q.failed && mc_exec(&admin, psl_sql_text(&q)) == 0;
            psl_sql_free(&q);
        }
        mc_close(&admin);
        free(admin_url);
        if (c->created)
            mc_connect(c, u->url, &err);
    }
    if (!c->conn) {
        fprintf(stderr, "Error: %s: %s\n", err.code, err.message);
        if (err.db_message[0])
            fprintf(stderr, "(libpq: %s)\n", err.db_message);
        return -1;
    }
    /* Unqualified names (the single-schema case) go to the default schema. */
    const char *params[1] = { c->schema };
    qres r;
    if (mc_query(c, "SELECT set_config('search_path', quote_ident($1), false)", params, 1, &r) != 0) {
        fprintf(stderr, "Error: cannot select the schema \"%s\": %s\n", c->schema, c->err);
        return -1;
    }
    return 0;
}

/* ---- what the database holds ---- */

/* A PostgreSQL text[] literal of the managed schemas, for = ANY($1). */
static const char *managed_array(mconn *c)
{
    psl_sql b = { 0 };
    psl_sql_puts(&b, "{");
    for (size_t i = 0; i < c->n_managed; i++) {
        psl_sql_puts(&b, i ? ",\"" : "\"");
        for (const char *p = c->managed[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                psl_sql_puts(&b, "\\");
            psl_sql_putn(&b, p, 1);
        }
        psl_sql_puts(&b, "\"");
    }
    psl_sql_puts(&b, "}");
    const char *out = b.failed ? NULL : psl_arena_strdup(c->a, psl_sql_text(&b));
    psl_sql_free(&b);
    return out;
}

static const char *pg_action(const char *code)
{
    switch (code ? code[0] : 'a') {
    case 'r': return "RESTRICT";
    case 'c': return "CASCADE";
    case 'n': return "SET NULL";
    case 'd': return "SET DEFAULT";
    default: return "NO ACTION";
    }
}

static int describe_table(mconn *c, db_table *t)
{
    const char *p[1] = { t->oid };
    qres r;
    if (mc_query(c,
                 "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                 "pg_get_expr(d.adbin, d.adrelid), t.typcategory = 'A', COALESCE(et.typtype, t.typtype) = 'e', "
                 "COALESCE(en.nspname, tn.nspname), COALESCE(et.typname, t.typname), a.attidentity <> '' "
                 "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                 "JOIN pg_namespace tn ON tn.oid = t.typnamespace "
                 "LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem "
                 "LEFT JOIN pg_namespace en ON en.oid = et.typnamespace "
                 "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                 "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                 p, 1, &r) != 0)
        return -1;
    for (size_t i = 0; i < r.rows; i++) {
        db_col *col = psl_arena_alloc(c->a, sizeof *col);
        col->name = cell(&r, i, 0);
        col->type = cell(&r, i, 1);
        col->not_null = diff_is_true(cell(&r, i, 2));
        col->dflt = cell(&r, i, 3);
        col->is_list = diff_is_true(cell(&r, i, 4));
        if (diff_is_true(cell(&r, i, 5))) {
            col->enum_schema = cell(&r, i, 6);
            col->enum_name = cell(&r, i, 7);
        }
        col->identity = diff_is_true(cell(&r, i, 8));
        psl_vec_push(c->a, &t->cols, col);
    }

    qres pk;
    if (mc_query(c,
                 "SELECT con.conname, a.attname FROM pg_constraint con "
                 "CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY k(attnum, ord) "
                 "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
                 "WHERE con.conrelid = $1::oid AND con.contype = 'p' ORDER BY k.ord",
                 p, 1, &pk) != 0)
        return -1;
    for (size_t i = 0; i < pk.rows; i++) {
        t->pk_name = cell(&pk, i, 0);
        psl_vec_push_const(c->a, &t->pk_cols, cell(&pk, i, 1));
    }

    qres ix;
    if (mc_query(c,
                 "SELECT ic.relname, i.indisunique, am.amname, "
                 "EXISTS (SELECT 1 FROM pg_constraint u WHERE u.conindid = i.indexrelid AND u.conrelid = i.indrelid "
                 "AND u.contype IN ('u', 'x')), "
                 "i.indexprs IS NOT NULL, a.attname, "
                 "(i.indoption[k.ord - 1] & 1) = 1, opc.opcname, opc.opcdefault, pg_get_expr(i.indpred, i.indrelid) "
                 "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam "
                 "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord) "
                 "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0 "
                 "LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k.ord - 1] "
                 "WHERE i.indrelid = $1::oid AND NOT i.indisprimary AND k.ord <= i.indnkeyatts "
                 "ORDER BY ic.relname, k.ord",
                 p, 1, &ix) != 0)
        return -1;
    for (size_t i = 0; i < ix.rows;) {
        size_t j = i;
        while (j < ix.rows && strcmp(cell(&ix, j, 0), cell(&ix, i, 0)) == 0)
            j++;
        db_index *x = psl_arena_alloc(c->a, sizeof *x);
        x->name = cell(&ix, i, 0);
        x->unique = diff_is_true(cell(&ix, i, 1));
        x->method = cell(&ix, i, 2);
        x->constraint = diff_is_true(cell(&ix, i, 3));
        x->special = diff_is_true(cell(&ix, i, 4));
        x->predicate = cell(&ix, i, 9);
        x->n = j - i;
        x->cols = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->cols);
        x->ops = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->ops);
        x->desc = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->desc);
        x->ops_default = psl_arena_alloc(c->a, (x->n + 1) * sizeof *x->ops_default);
        for (size_t k = i; k < j; k++) {
            x->cols[k - i] = cell(&ix, k, 5);
            x->desc[k - i] = diff_is_true(cell(&ix, k, 6));
            x->ops[k - i] = cell(&ix, k, 7);
            x->ops_default[k - i] = diff_is_true(cell(&ix, k, 8));
            if (!x->cols[k - i])
                x->special = true;
        }
        psl_vec_push(c->a, &t->indexes, x);
        i = j;
    }

    qres fk;
    if (mc_query(c,
                 "SELECT con.conname, con.conname, a.attname, rn.nspname, rc.relname, ra.attname, "
                 "con.confdeltype, con.confupdtype FROM pg_constraint con "
                 "CROSS JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY k(attnum, refnum, ord) "
                 "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
                 "JOIN pg_class rc ON rc.oid = con.confrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
                 "JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refnum "
                 "WHERE con.conrelid = $1::oid AND con.contype = 'f' ORDER BY con.conname, k.ord",
                 p, 1, &fk) != 0)
        return -1;
    describe_fks(c, t, &fk, pg_action);
    return 0;
}

static int pg_describe(mconn *c, db_state *st)
{
    const char *arr = managed_array(c);
    if (!arr) {
        snprintf(c->err, sizeof c->err, "out of memory");
        return -1;
    }
    const char *p[1] = { arr };
    qres ns, r, en;
    if (mc_query(c, "SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])", p, 1, &ns) != 0)
        return -1;
    for (size_t i = 0; i < ns.rows; i++)
        psl_vec_push_const(c->a, &st->schemas, cell(&ns, i, 0));
    qres ext;
    if (mc_query(c, "SELECT extname FROM pg_extension", NULL, 0, &ext) != 0)
        return -1;
    for (size_t i = 0; i < ext.rows; i++)
        psl_vec_push_const(c->a, &st->extensions, cell(&ext, i, 0));
    if (mc_query(c,
                 "SELECT c.oid::text, n.nspname, c.relname, c.relkind FROM pg_class c "
                 "JOIN pg_namespace n ON n.oid = c.relnamespace "
                 "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition "
                 "AND n.nspname = ANY($1::text[]) AND c.relname <> '_prisma_migrations' "
                 "ORDER BY n.nspname, c.relname",
                 p, 1, &r) != 0)
        return -1;
    for (size_t i = 0; i < r.rows; i++) {
        const char *kind = cell(&r, i, 3);
        if (strcmp(kind, "v") == 0 || strcmp(kind, "m") == 0) {
            psl_vec_push_const(c->a, &st->views,
                               psl_arena_printf(c->a, "%s\t%s\t%s", kind, cell(&r, i, 1), cell(&r, i, 2)));
            continue;
        }
        db_table *t = dbstate_new_table(c->a, cell(&r, i, 1), cell(&r, i, 2));
        t->oid = cell(&r, i, 0);
        if (describe_table(c, t) != 0)
            return -1;
        psl_vec_push(c->a, &st->tables, t);
    }
    if (mc_query(c,
                 "SELECT n.nspname, t.typname, e.enumlabel FROM pg_type t "
                 "JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid "
                 "WHERE n.nspname = ANY($1::text[]) ORDER BY n.nspname, t.typname, e.enumsortorder",
                 p, 1, &en) != 0)
        return -1;
    db_enum *cur = NULL;
    for (size_t i = 0; i < en.rows; i++) {
        if (!cur || strcmp(cur->schema, cell(&en, i, 0)) != 0 || strcmp(cur->name, cell(&en, i, 1)) != 0) {
            cur = psl_arena_alloc(c->a, sizeof *cur);
            cur->schema = cell(&en, i, 0);
            cur->name = cell(&en, i, 1);
            psl_vec_push(c->a, &st->enums, cur);
        }
        psl_vec_push_const(c->a, &cur->values, cell(&en, i, 2));
    }
    return 0;
}

/* ---- comparing ---- */

/* A PostgreSQL type as format_type() prints it, from the way Prisma writes
 * it: VARCHAR(30) -> character varying(30), TIMESTAMP(3) -> timestamp(3)
 * without time zone. -1 when the type is not one we know (Unsupported). */
static int pg_canonical(const char *t, psl_sql *o)
{
    static const struct {
        const char *sql, *pg;
    } names[] = {
        { "TEXT", "text" },       { "INTEGER", "integer" },   { "SERIAL", "integer" },
        { "SMALLSERIAL", "smallint" }, { "BIGSERIAL", "bigint" }, { "SMALLINT", "smallint" },
        { "BIGINT", "bigint" },   { "DOUBLE PRECISION", "double precision" }, { "REAL", "real" },
        { "DECIMAL", "numeric" }, { "BOOLEAN", "boolean" },   { "DATE", "date" },
        { "JSONB", "jsonb" },     { "JSON", "json" },         { "BYTEA", "bytea" },
        { "UUID", "uuid" },       { "XML", "xml" },           { "INET", "inet" },
        { "CITEXT", "citext" },   { "MONEY", "money" },       { "OID", "oid" },
        { "VARCHAR", "character varying" }, { "CHAR", "character" }, { "BIT", "bit" },
        { "VARBIT", "bit varying" }, { "STRING", "text" },    { "INT2", "smallint" },
        { "INT4", "integer" },    { "INT8", "bigint" },       { "FLOAT4", "real" },
        { "FLOAT8", "double precision" }, { "BOOL", "boolean" }, { "BYTES", "bytea" },
        { "\"char\"", "\"char\"" },
    };
    size_t n = strlen(t), lists = 0;
    while (n >= 2 && t[n - 2] == '[' && t[n - 1] == ']') {
        n -= 2;
        lists++;
    }
    size_t name_len = strcspn(t, "(");
    if (name_len > n)
        name_len = n;
    const char *args = name_len < n ? t + name_len : "";
    size_t args_len = n - name_len;
    bool zone = false, time = false;
    const char *pg = NULL;
    if (name_len == 9 && strncmp(t, "TIMESTAMP", 9) == 0)
        pg = "timestamp";
    else if (name_len == 11 && strncmp(t, "TIMESTAMPTZ", 11) == 0)
        pg = "timestamp", zone = true;
    else if (name_len == 4 && strncmp(t, "TIME", 4) == 0)
        pg = "time";
    else if (name_len == 6 && strncmp(t, "TIMETZ", 6) == 0)
        pg = "time", zone = true;
    if (pg) {
        time = true;
    } else {
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strlen(names[i].sql) == name_len && strncmp(names[i].sql, t, name_len) == 0)
                pg = names[i].pg;
    }
    if (!pg)
        return -1;
    if (strcmp(pg, "text") == 0 && args_len) /* CockroachDB STRING(n) */
        pg = "character varying";
    psl_sql_puts(o, pg);
    if (args_len)
        psl_sql_putn(o, args, args_len);
    else if (strcmp(pg, "character") == 0 || strcmp(pg, "bit") == 0)
        psl_sql_puts(o, "(1)"); /* CHAR and BIT default to one */
    if (time)
        psl_sql_puts(o, zone ? " with time zone" : " without time zone");
    for (size_t i = 0; i < lists; i++)
        psl_sql_puts(o, "[]");
    return o->failed ? -1 : 0;
}

/* Whether the column's type is what the schema wants. Unknown types
 * (Unsupported("...")) are taken as equal: prismac cannot compare them. */
static bool pg_type_matches(const pusher *P, const psl_ddl_column *w, const db_col *h)
{
    if (w->enum_type) {
        const char *schema = NULL;
        for (size_t i = 0; i < P->want->n_enums; i++)
            if (P->want->enums[i].src == w->enum_type)
                schema = P->want->enums[i].schema;
        schema = plan_schema_of(P, schema);
        return h->enum_name && strcmp(h->enum_name, w->enum_type->db_name) == 0 && plan_same(h->enum_schema, schema) &&
               h->is_list == w->is_list;
    }
    if (h->enum_name)
        return false;
    psl_sql canon = { 0 };
    bool ok = true;
    if (pg_canonical(w->base_type, &canon) == 0)
        ok = strcmp(psl_sql_text(&canon), h->type) == 0;
    psl_sql_free(&canon);
    return ok;
}

static void pg_default_probe(psl_sql *q, const char *want, const db_col *h)
{
    psl_sql_printf(q, "SELECT ((%s)::%s) IS NOT DISTINCT FROM (%s)", want, h->type, h->dflt);
}

static bool pg_can_add_column(const psl_ddl_column *w)
{
    (void)w;
    return true;
}

/* SERIAL: an identity or a nextval() default. */
static bool pg_is_sequence_column(const db_col *h)
{
    return h->identity || diff_contains_ci(h->dflt, "nextval(");
}

/* ---- rendering ---- */

typedef struct native_map {
    const char *psl;    /* @db.X */
    const char *sql;    /* rendered type */
    const char *serial; /* with @default(autoincrement()), PostgreSQL */
} native_map;

static const native_map pg_natives[] = {
    { "Text", "TEXT", NULL },          { "Char", "CHAR", NULL },
    { "VarChar", "VARCHAR", NULL },    { "Bit", "BIT", NULL },
    { "VarBit", "VARBIT", NULL },      { "Uuid", "UUID", NULL },
    { "Xml", "XML", NULL },            { "Inet", "INET", NULL },
    { "Citext", "CITEXT", NULL },      { "Boolean", "BOOLEAN", NULL },
    { "Integer", "INTEGER", "SERIAL" }, { "SmallInt", "SMALLINT", "SMALLSERIAL" },
    { "Oid", "OID", NULL },            { "BigInt", "BIGINT", "BIGSERIAL" },
    { "DoublePrecision", "DOUBLE PRECISION", NULL }, { "Real", "REAL", NULL },
    { "Decimal", "DECIMAL", NULL },    { "Money", "MONEY", NULL },
    { "Timestamp", "TIMESTAMP", NULL }, { "Timestamptz", "TIMESTAMPTZ", NULL },
    { "Date", "DATE", NULL },          { "Time", "TIME", NULL },
    { "Timetz", "TIMETZ", NULL },      { "Json", "JSON", NULL },
    { "JsonB", "JSONB", NULL },        { "ByteA", "BYTEA", NULL },
};

static const native_map crdb_natives[] = {
    { "String", "STRING", NULL },     { "Char", "CHAR", NULL },
    { "CatalogSingleChar", "\"char\"", NULL }, { "Bit", "BIT", NULL },
    { "VarBit", "VARBIT", NULL },     { "Uuid", "UUID", NULL },
    { "Inet", "INET", NULL },         { "Bool", "BOOL", NULL },
    { "Int2", "INT2", NULL },         { "Int4", "INT4", NULL },
    { "Oid", "OID", NULL },           { "Int8", "INT8", NULL },
    { "Float4", "FLOAT4", NULL },     { "Float8", "FLOAT8", NULL },
    { "Decimal", "DECIMAL", NULL },   { "Timestamp", "TIMESTAMP", NULL },
    { "Timestamptz", "TIMESTAMPTZ", NULL }, { "Date", "DATE", NULL },
    { "Time", "TIME", NULL },         { "Timetz", "TIMETZ", NULL },
    { "JsonB", "JSONB", NULL },       { "Bytes", "BYTES", NULL },
};

/* The connector's default native type for a scalar (Prisma's
 * default_native_type_for_scalar_type). */
static const char *default_native(bool crdb, psl_scalar t, const char **args, size_t *n_args)
{
    static const char *const decimal_args[] = { "65", "30" };
    *n_args = 0;
    switch (t) {
    case PSL_STRING: return crdb ? "String" : "Text";
    case PSL_INT: return crdb ? "Int4" : "Integer";
    case PSL_BIGINT: return crdb ? "Int8" : "BigInt";
    case PSL_FLOAT: return crdb ? "Float8" : "DoublePrecision";
    case PSL_DECIMAL:
        args[0] = decimal_args[0];
        args[1] = decimal_args[1];
        *n_args = 2;
        return "Decimal";
    case PSL_BOOLEAN: return crdb ? "Bool" : "Boolean";
    case PSL_DATETIME:
        args[0] = "3";
        *n_args = 1;
        return "Timestamp";
    case PSL_JSON: return "JsonB";
    case PSL_BYTES: return crdb ? "Bytes" : "ByteA";
    case PSL_SCALAR_NONE: break;
    }
    return crdb ? "String" : "Text";
}

/* Renders a PostgreSQL/CockroachDB scalar type into `o`; `serial` asks for
 * the SERIAL form of an autoincrementing integer (PostgreSQL's natives have
 * one, CockroachDB's none). */
static void scalar_type(bool crdb, const psl_field *f, bool serial, psl_sql *o)
{
    const char *args[4];
    size_t n_args = 0;
    const char *name = f->native.name;
    if (name) {
        for (size_t i = 0; i < f->native.n_args && i < 4; i++)
            args[i] = f->native.args[i];
        n_args = f->native.n_args;
    } else {
        name = default_native(crdb, f->scalar, args, &n_args);
    }
    const native_map *map = crdb ? crdb_natives : pg_natives;
    size_t n_map = crdb ? sizeof crdb_natives / sizeof crdb_natives[0] : sizeof pg_natives / sizeof pg_natives[0];
    const native_map *m = NULL;
    for (size_t i = 0; i < n_map; i++)
        if (strcmp(map[i].psl, name) == 0)
            m = &map[i];
    if (!m) {
        psl_sql_puts(o, name); /* not reachable for a valid schema */
        return;
    }
    psl_sql_puts(o, serial && m->serial ? m->serial : m->sql);
    if (n_args) {
        /* DECIMAL(65,30) has no space after the comma, as in Prisma. */
        psl_sql_puts(o, "(");
        for (size_t i = 0; i < n_args; i++)
            psl_sql_printf(o, "%s%s", i ? "," : "", args[i]);
        psl_sql_puts(o, ")");
    }
}


static void pg_column_type(const psl_field *f, bool serial, psl_sql *o) { scalar_type(false, f, serial, o); }

static void crdb_column_type(const psl_field *f, bool serial, psl_sql *o) { scalar_type(true, f, serial, o); }


static void pg_drop_index(psl_sql *o, const db_table *h, const db_index *x)
{
    if (x->constraint) {
        psl_sql_puts(o, "ALTER TABLE ");
        psl_sql_qualified(o, h->schema, h->name);
        psl_sql_puts(o, " DROP CONSTRAINT ");
        psl_sql_ident(o, x->name);
    } else {
        psl_sql_puts(o, "DROP INDEX ");
        psl_sql_qualified(o, h->schema, x->name);
    }
}

static void pg_reset(pusher *P, const db_state *st, plan_step *out)
{
    for (size_t i = 0; i < st->views.len; i++) {
        char *v = psl_arena_strdup(P->a, st->views.items[i]);
        char *schema = strchr(v, '\t');
        *schema++ = '\0';
        char *name = strchr(schema, '\t');
        *name++ = '\0';
        psl_sql_puts(&P->sql, strcmp(v, "m") == 0 ? "DROP MATERIALIZED VIEW IF EXISTS " : "DROP VIEW IF EXISTS ");
        psl_sql_qualified(&P->sql, *schema ? schema : NULL, name);
        psl_sql_puts(&P->sql, " CASCADE");
        plan_emit(P, out);
    }
    if (st->tables.len) {
        psl_sql_puts(&P->sql, "DROP TABLE IF EXISTS ");
        for (size_t i = 0; i < st->tables.len; i++) {
            const db_table *t = st->tables.items[i];
            if (i)
                psl_sql_puts(&P->sql, ", ");
            psl_sql_qualified(&P->sql, t->schema, t->name);
        }
        psl_sql_puts(&P->sql, " CASCADE");
        plan_emit(P, out);
    }
    if (st->enums.len) {
        psl_sql_puts(&P->sql, "DROP TYPE IF EXISTS ");
        for (size_t i = 0; i < st->enums.len; i++) {
            const db_enum *e = st->enums.items[i];
            if (i)
                psl_sql_puts(&P->sql, ", ");
            psl_sql_qualified(&P->sql, e->schema, e->name);
        }
        psl_sql_puts(&P->sql, " CASCADE");
        plan_emit(P, out);
    }
}

static void pg_drop_table(pusher *P, const db_table *h, plan_step *s)
{
    psl_sql_puts(&P->sql, "DROP TABLE ");
    psl_sql_qualified(&P->sql, plan_write_schema(P, h->schema), h->name);
    plan_emit(P, s);
}

/* ---- issue 14: engine ---- */

/* What describe reads for a column once created: format_type's spelling,
 * pg_get_expr's default (a SERIAL's sequence), the enum. */
static void pg_state_column(const psl_ddl *d, const psl_ddl_table *t, const psl_ddl_column *c, db_col *out,
                            psl_arena *a)
{
    (void)d;
    out->name = c->name;
    out->not_null = c->not_null;
    out->is_list = c->is_list;
    out->dflt = c->default_sql;
    psl_sql canon = { 0 };
    out->type = pg_canonical(c->base_type, &canon) == 0 ? psl_arena_strdup(a, psl_sql_text(&canon)) : c->base_type;
    psl_sql_free(&canon);
    if (c->enum_type)
        out->enum_name = c->enum_type->db_name; /* enum_schema: dbstate_from_ddl */
    if (c->autoincrement && !c->default_sql) /* SERIAL */
        out->dflt = psl_arena_printf(a, "nextval('\"%s_%s_seq\"'::regclass)", t->name, c->name);
    if (c->field && c->field->def.kind == PSL_DEFAULT_SEQUENCE)
        out->identity = true;
}

/* A type's family and size, for the cast rules. */
typedef struct pg_type_info {
    enum { F_TEXT, F_INT, F_FLOAT, F_NUMERIC, F_BOOL, F_TIME, F_DATE, F_JSON, F_OTHER } family;
    int size; /* integers: bytes; text: the length limit (0: none); times: precision */
} pg_type_info;

static pg_type_info pg_info(const char *t)
{
    pg_type_info i = { F_OTHER, 0 };
    const char *paren = strchr(t, '(');
    int arg = paren ? atoi(paren + 1) : 0;
    if (strcmp(t, "text") == 0 || strcmp(t, "citext") == 0)
        i.family = F_TEXT;
    else if (strncmp(t, "character varying", 17) == 0 || strncmp(t, "character", 9) == 0)
        i.family = F_TEXT, i.size = arg ? arg : 1 << 30;
    else if (strcmp(t, "smallint") == 0)
        i.family = F_INT, i.size = 2;
    else if (strcmp(t, "integer") == 0)
        i.family = F_INT, i.size = 4;
    else if (strcmp(t, "bigint") == 0)
        i.family = F_INT, i.size = 8;
    else if (strcmp(t, "real") == 0)
        i.family = F_FLOAT, i.size = 4;
    else if (strcmp(t, "double precision") == 0)
        i.family = F_FLOAT, i.size = 8;
    else if (strncmp(t, "numeric", 7) == 0)
        i.family = F_NUMERIC, i.size = arg;
    else if (strcmp(t, "boolean") == 0)
        i.family = F_BOOL;
    else if (strncmp(t, "timestamp", 9) == 0)
        i.family = F_TIME, i.size = paren ? arg : 6;
    else if (strcmp(t, "date") == 0)
        i.family = F_DATE;
    else if (strcmp(t, "jsonb") == 0 || strcmp(t, "json") == 0)
        i.family = F_JSON;
    return i;
}

/* Prisma's PostgreSQL cast rules, in outline: widening is safe, narrowing
 * risky, and from text to anything else there is no cast. */
static mig_cast pg_type_change(const db_col *from, const psl_ddl_column *to)
{
    if (from->is_list != to->is_list)
        return MIG_CAST_NONE;
    psl_sql canon = { 0 };
    const char *want = pg_canonical(to->base_type, &canon) == 0 ? psl_sql_text(&canon) : to->base_type;
    pg_type_info f = from->enum_name ? (pg_type_info){ F_OTHER, 0 } : pg_info(from->type), w = pg_info(want);
    psl_sql_free(&canon);
    if (to->enum_type)
        return MIG_CAST_NONE;
    if (from->enum_name)
        return w.family == F_TEXT ? (w.size ? MIG_CAST_RISKY : MIG_CAST_SAFE) : MIG_CAST_NONE;
    if (w.family == F_TEXT) {
        if (f.family == F_TEXT)
            return !w.size || (f.size && f.size <= w.size) ? MIG_CAST_SAFE : MIG_CAST_RISKY;
        return w.size ? MIG_CAST_RISKY : MIG_CAST_SAFE; /* everything prints as text */
    }
    switch (f.family) {
    case F_INT:
        if (w.family == F_INT)
            return w.size >= f.size ? MIG_CAST_SAFE : MIG_CAST_RISKY;
        if (w.family == F_NUMERIC || (w.family == F_FLOAT && w.size == 8))
            return MIG_CAST_SAFE;
        return w.family == F_FLOAT ? MIG_CAST_RISKY : MIG_CAST_NONE;
    case F_FLOAT:
    case F_NUMERIC:
        if (w.family == F_FLOAT && f.family == F_FLOAT && w.size >= f.size)
            return MIG_CAST_SAFE;
        return w.family == F_INT || w.family == F_FLOAT || w.family == F_NUMERIC ? MIG_CAST_RISKY : MIG_CAST_NONE;
    case F_TIME:
        if (w.family == F_TIME)
            return w.size >= f.size ? MIG_CAST_SAFE : MIG_CAST_RISKY;
        return w.family == F_DATE ? MIG_CAST_RISKY : MIG_CAST_NONE;
    case F_DATE:
        return w.family == F_TIME ? MIG_CAST_SAFE : MIG_CAST_NONE;
    case F_JSON:
        return w.family == F_JSON ? MIG_CAST_SAFE : MIG_CAST_NONE;
    default:
        return MIG_CAST_NONE;
    }
}

/* format_type's spelling as Prisma writes the type: character varying(30)
 * -> VARCHAR(30), timestamp(3) without time zone -> TIMESTAMP(3). Others
 * (extensions' types) stay as printed. */
static void pg_ddl_type(const db_col *c, psl_sql *o)
{
    static const struct {
        const char *pg, *sql;
    } names[] = {
        { "text", "TEXT" }, { "integer", "INTEGER" }, { "bigint", "BIGINT" }, { "smallint", "SMALLINT" },
        { "character varying", "VARCHAR" }, { "character", "CHAR" }, { "double precision", "DOUBLE PRECISION" },
        { "real", "REAL" }, { "numeric", "DECIMAL" }, { "boolean", "BOOLEAN" }, { "date", "DATE" },
        { "jsonb", "JSONB" }, { "json", "JSON" }, { "bytea", "BYTEA" }, { "uuid", "UUID" }, { "xml", "XML" },
        { "inet", "INET" }, { "citext", "CITEXT" }, { "money", "MONEY" }, { "oid", "OID" },
        { "bit varying", "VARBIT" }, { "bit", "BIT" },
    };
    const char *t = c->type;
    size_t n = strlen(t), lists = 0;
    while (n >= 2 && t[n - 2] == '[' && t[n - 1] == ']') {
        n -= 2;
        lists++;
    }
    const char *paren = memchr(t, '(', n);
    size_t name_len = paren ? (size_t)(paren - t) : n;
    const char *close = paren ? memchr(paren, ')', n - name_len) : NULL;
    size_t args_len = close ? (size_t)(close - paren) + 1 : 0;
    bool zone = strstr(t, "with time zone") && !strstr(t, "without time zone");
    if (strncmp(t, "timestamp", 9) == 0 || strncmp(t, "time", 4) == 0) {
        bool stamp = strncmp(t, "timestamp", 9) == 0;
        psl_sql_printf(o, "%s%s%.*s", stamp ? "TIMESTAMP" : "TIME", zone ? "TZ" : "", (int)args_len,
                       paren ? paren : "");
    } else {
        const char *sql = NULL;
        for (size_t i = 0; i < sizeof names / sizeof names[0] && !sql; i++)
            if (strlen(names[i].pg) == name_len && strncmp(names[i].pg, t, name_len) == 0)
                sql = names[i].sql;
        if (sql)
            psl_sql_printf(o, "%s%.*s", sql, (int)args_len, paren ? paren : "");
        else
            psl_sql_putn(o, t, n);
    }
    for (size_t i = 0; i < lists; i++)
        psl_sql_puts(o, "[]");
}

/* format_type's names as Prisma's native types: character varying(30) -> VarChar(30). */
static void pg_display_type(const char *t, psl_sql *o)
{
    static const struct {
        const char *pg, *prisma;
    } names[] = {
        { "text", "Text" }, { "integer", "Integer" }, { "bigint", "BigInt" }, { "smallint", "SmallInt" },
        { "character varying", "VarChar" }, { "character", "Char" }, { "double precision", "DoublePrecision" },
        { "real", "Real" }, { "numeric", "Decimal" }, { "boolean", "Boolean" }, { "date", "Date" },
        { "jsonb", "JsonB" }, { "json", "Json" }, { "bytea", "ByteA" }, { "uuid", "Uuid" }, { "xml", "Xml" },
        { "inet", "Inet" }, { "citext", "Citext" }, { "money", "Money" }, { "oid", "Oid" },
        { "bit varying", "VarBit" }, { "bit", "Bit" },
    };
    psl_sql canon = { 0 };
    if (pg_canonical(t, &canon) == 0)
        t = psl_sql_text(&canon);
    const char *paren = strchr(t, '(');
    size_t name_len = paren ? (size_t)(paren - t) : strlen(t);
    const char *args = paren ? paren : "";
    size_t args_len = paren ? strcspn(paren, ")") + 1 : 0;
    if (strncmp(t, "timestamp", 9) == 0 || strncmp(t, "time", 4) == 0) {
        bool zone = strstr(t, "with time zone") != NULL;
        psl_sql_printf(o, "%s%s%.*s", strncmp(t, "timestamp", 9) == 0 ? "Timestamp" : "Time", zone ? "tz" : "",
                       (int)args_len, args);
    } else {
        const char *name = NULL;
        for (size_t i = 0; i < sizeof names / sizeof names[0] && !name; i++)
            if (strlen(names[i].pg) == name_len && strncmp(names[i].pg, t, name_len) == 0)
                name = names[i].prisma;
        if (name)
            psl_sql_printf(o, "%s%.*s", name, (int)args_len, args);
        else
            psl_sql_puts(o, t);
    }
    psl_sql_free(&canon);
}

#define PG_CAPS                                                                                                   \
    (MIG_CAP_SCHEMAS | MIG_CAP_ALTER_IN_PLACE | MIG_CAP_TRANSACTIONAL_DDL | MIG_CAP_NATIVE_ENUMS |                \
     MIG_CAP_SCALAR_LISTS | MIG_CAP_INDEX_OPTIONS | MIG_CAP_JOIN_TABLE_PK | MIG_CAP_RENAME_INDEX)

#define PG_COMMON                                                                                                 \
    .url_scheme = "`postgresql://` or `postgres://`", .backend_name = "postgresql",                               \
    .open = pg_open,                                                                                              \
    .describe = pg_describe, .type_matches = pg_type_matches, .default_probe = pg_default_probe,                  \
    .can_add_column = pg_can_add_column, .drop_index = pg_drop_index, .reset = pg_reset,                          \
    .max_ident = 63, .bytes_literal_open = "'\\x", .state_column = pg_state_column,                               \
    .type_change = pg_type_change, .display_type = pg_display_type, .drop_table = pg_drop_table,            \
    .ddl_type = pg_ddl_type

const migrate_dialect migrate_postgres = {
    .title = "PostgreSQL",
    .provider = PSL_PROVIDER_POSTGRESQL,
    .is_sequence_column = pg_is_sequence_column,
    .column_type = pg_column_type,
    .caps = PG_CAPS | MIG_CAP_GROUPED_ALTER,
    PG_COMMON,
};

/* CockroachDB's autoincrement is a unique_rowid() default, compared as any default. */
const migrate_dialect migrate_cockroach = {
    .title = "CockroachDB",
    .provider = PSL_PROVIDER_COCKROACHDB,
    .column_type = crdb_column_type,
    .autoincrement_default = "unique_rowid()",
    .caps = PG_CAPS | MIG_CAP_SEQUENCE_IDENTITY,
    PG_COMMON,
};
