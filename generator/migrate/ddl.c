/* SQL DDL as Prisma's migration engine renders it.
 *
 * The model follows schema-engine's sql_schema_calculator (what tables,
 * columns, keys, indexes and foreign keys a schema means, and in which order
 * they get their ids) and the text follows its sql_renderer and sql-ddl
 * crates, so `psl_ddl_create` prints byte for byte what
 * `prisma migrate diff --from-empty` prints. */
#include "ddl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dialect.h"

#define NO_POS ((size_t)-1)

/* ---- default values ---- */

static int b64_value(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decodes base64 `s` and appends the bytes as lower-case hex. */
static void put_base64_as_hex(psl_sql *o, const char *s)
{
    unsigned acc = 0;
    int bits = 0;
    for (const char *p = s; *p && *p != '='; p++) {
        int v = b64_value((unsigned char)*p);
        if (v < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            psl_sql_printf(o, "%02x", (acc >> bits) & 0xFFu);
        }
    }
}

/* An RFC 3339 timestamp as chrono's DateTime<FixedOffset> displays it, which
 * is what Prisma renders: `2018-01-27 08:00:00 +00:00`, `... 08:00:00.500 +02:00`. */
static void put_datetime(psl_sql *o, const char *s, bool utc)
{
    int y, mo, d, h, mi, sec, n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n == 0) {
        psl_sql_puts(o, s);
        return;
    }
    const char *p = s + n;
    long nanos = 0;
    if (*p == '.') {
        int digits = 0;
        for (p++; isdigit((unsigned char)*p); p++)
            if (digits < 9) {
                nanos = nanos * 10 + (*p - '0');
                digits++;
            }
        for (; digits < 9; digits++)
            nanos *= 10;
    }
    int off = 0; /* minutes east of UTC */
    if (*p == '+' || *p == '-') {
        int oh = 0, om = 0;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) == 2)
            off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
    }
    if (utc && off) { /* MySQL: the same instant in UTC, which its DATETIME defaults take */
        struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi,
                         .tm_sec = sec };
        time_t t = timegm(&tm) - (time_t)off * 60;
        struct tm u;
        gmtime_r(&t, &u);
        y = u.tm_year + 1900, mo = u.tm_mon + 1, d = u.tm_mday, h = u.tm_hour, mi = u.tm_min, sec = u.tm_sec;
    }
    psl_sql_printf(o, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, sec);
    if (nanos != 0) {
        if (nanos % 1000000 == 0)
            psl_sql_printf(o, ".%03ld", nanos / 1000000);
        else if (nanos % 1000 == 0)
            psl_sql_printf(o, ".%06ld", nanos / 1000);
        else
            psl_sql_printf(o, ".%09ld", nanos);
    }
    if (utc)
        return;
    int a = off < 0 ? -off : off;
    psl_sql_printf(o, " %c%02d:%02d", off < 0 ? '-' : '+', a / 60, a % 60);
}

static size_t text_len(const psl_default *d)
{
    return d->text_len ? d->text_len : strlen(d->text);
}

/* One literal value of a default (a scalar, or an item of a list). */
static void put_literal(const migrate_dialect *D, const psl_field *f, const psl_default *d, psl_sql *o)
{
    if (d->kind == PSL_DEFAULT_ENUM) {
        const char *v = d->enum_value->db_name;
        psl_sql_string(o, v, strlen(v));
        return;
    }
    if (!d->text)
        return;
    switch (f->scalar) {
    case PSL_STRING:
    case PSL_JSON:
        psl_sql_string(o, d->text, text_len(d));
        return;
    case PSL_BYTES:
        psl_sql_puts(o, D->bytes_literal_open);
        put_base64_as_hex(o, d->text);
        psl_sql_puts(o, "'");
        return;
    case PSL_DATETIME:
        psl_sql_puts(o, "'");
        put_datetime(o, d->text, (D->caps & MIG_CAP_UTC_DATETIME) != 0);
        psl_sql_puts(o, "'");
        return;
    case PSL_INT:
    case PSL_BIGINT: {
        /* PrismaValue::Int prints the parsed i64: normalized digits. */
        char *end;
        long long v = strtoll(d->text, &end, 10);
        if (*end == '\0')
            psl_sql_printf(o, "%lld", v);
        else
            psl_sql_puts(o, d->text);
        return;
    }
    default:
        psl_sql_puts(o, d->text); /* Float, Decimal, Boolean: as written */
        return;
    }
}

/* The dbgenerated("...") text. The checked model drops it for Unsupported
 * fields (schema.h leaves def.text NULL there), so it is read back from the
 * attribute in that case. */
static const char *dbgenerated_text(const psl_field *f)
{
    if (f->def.text)
        return f->def.text;
    const psl_line *l = f->ast;
    for (size_t i = 0; l && i < l->n_attrs; i++) {
        const psl_attribute *a = &l->attrs[i];
        if (strcmp(a->name, "default") != 0 || a->args.len == 0)
            continue;
        const psl_expr *e = a->args.items[0].value;
        if (e && e->kind == PSL_EXPR_FUNCTION && strcmp(e->text, "dbgenerated") == 0 && e->args.len == 1 &&
            e->args.items[0].value && e->args.items[0].value->kind == PSL_EXPR_STRING)
            return e->args.items[0].value->text;
    }
    return NULL;
}

/* Renders the DEFAULT expression of `f` into `o` (nothing when the column has
 * no database default). `full_type` is the column type, for ARRAY[...]::T. */
static void render_default(const migrate_dialect *D, const psl_field *f, const char *full_type, psl_sql *o,
                           bool *db_generated)
{
    const psl_default *d = &f->def;
    *db_generated = false;
    if ((D->caps & MIG_CAP_NO_BLOB_DEFAULTS) && f->kind == PSL_FIELD_SCALAR &&
        (f->scalar == PSL_JSON || f->scalar == PSL_BYTES) && d->kind != PSL_DEFAULT_DBGENERATED)
        return; /* MySQL has no literal defaults on JSON and BLOB columns: Prisma leaves them out */
    switch (d->kind) {
    case PSL_DEFAULT_AUTOINCREMENT:
        if (D->autoincrement_default) /* else SERIAL, or SQLite's rowid */
            psl_sql_puts(o, D->autoincrement_default);
        return;
    case PSL_DEFAULT_NOW:
        if (D->now_default)
            D->now_default(f, o);
        else
            psl_sql_puts(o, "CURRENT_TIMESTAMP");
        return;
    case PSL_DEFAULT_DBGENERATED: {
        const char *t = dbgenerated_text(f);
        if (t) {
            psl_sql_puts(o, t);
            *db_generated = true;
        }
        return;
    }
    case PSL_DEFAULT_LITERAL:
    case PSL_DEFAULT_ENUM:
        put_literal(D, f, d, o);
        return;
    case PSL_DEFAULT_LIST:
        if (!(D->caps & MIG_CAP_SCALAR_LISTS))
            return;
        psl_sql_puts(o, "ARRAY[");
        for (size_t i = 0; i < d->n_items; i++) {
            if (i)
                psl_sql_puts(o, ", ");
            put_literal(D, f, &d->items[i], o);
        }
        psl_sql_printf(o, "]::%s", full_type);
        return;
    case PSL_DEFAULT_NONE:
    case PSL_DEFAULT_UUID:
    case PSL_DEFAULT_CUID:
    case PSL_DEFAULT_NANOID:
    case PSL_DEFAULT_ULID:
    case PSL_DEFAULT_SEQUENCE:
        return; /* generated by Prisma, or an identity column */
    }
}

/* ---- building the database schema ---- */

typedef struct builder {
    const psl_schema *s;
    psl_ddl *d;
    psl_arena *a;
    bool multi_schema;
    size_t max_ident; /* identifier length limit */
    size_t *model_table; /* per model: table position or NO_POS */
    size_t **field_col;  /* per model: per field: column position or NO_POS */
} builder;

static const char *copy_sql(builder *B, psl_sql *tmp, int *status)
{
    if (tmp->failed) {
        *status = -1;
        return "";
    }
    return psl_arena_strndup(B->a, psl_sql_text(tmp), tmp->len);
}

static int build_column(builder *B, const psl_model *m, const psl_field *f, psl_ddl_column *c)
{
    const migrate_dialect *D = B->d->dialect;
    psl_sql t = { .quote = D->ident_quote };
    int status = 0;
    c->name = f->db_name;
    c->field = f;
    c->is_list = f->arity == PSL_LIST;
    c->not_null = f->arity == PSL_REQUIRED;
    (void)m;

    /* The column type: with and without SERIAL. */
    for (int pass = 0; pass < 2; pass++) {
        bool serial = pass == 0 && f->is_autoincrement;
        psl_sql_clear(&t);
        if (f->kind == PSL_FIELD_UNSUPPORTED) {
            psl_sql_puts(&t, f->unsupported);
        } else if (f->kind == PSL_FIELD_ENUM && (D->caps & MIG_CAP_NATIVE_ENUMS)) {
            psl_sql_qualified(&t, B->multi_schema ? f->enum_type->schema_name : NULL, f->enum_type->db_name);
        } else {
            D->column_type(f, serial, &t); /* an enum without native enums: its text type */
        }
        if (f->kind == PSL_FIELD_ENUM)
            c->enum_type = f->enum_type;
        if (c->is_list && (D->caps & MIG_CAP_SCALAR_LISTS))
            psl_sql_puts(&t, "[]");
        if (pass == 0)
            c->type = copy_sql(B, &t, &status);
        else
            c->base_type = copy_sql(B, &t, &status);
    }
    /* With an inline key (SQLite) autoincrement is the rowid's, set with the key. */
    c->autoincrement = f->is_autoincrement && !(D->caps & MIG_CAP_INLINE_PK);

    psl_sql_clear(&t);
    render_default(D, f, c->type, &t, &c->db_generated);
    if (t.len || t.failed)
        c->default_sql = copy_sql(B, &t, &status);
    psl_sql_free(&t);
    return status;
}

/* Prisma's index order: field-level @unique (in field order), then @@index,
 * @@unique and @@fulltext, each in declaration order. */
static int index_group(const psl_index *ix)
{
    if (ix->from_field)
        return 0;
    switch (ix->kind) {
    case PSL_INDEX_NORMAL: return 1;
    case PSL_INDEX_UNIQUE: return 2;
    default: return 3;
    }
}

/* PostgreSQL's name for a Prisma operator class: JsonbPathOps ->
 * jsonb_path_ops, BitMinMaxOps -> bit_minmax_ops, TimestampTzBloomOps ->
 * timestamptz_bloom_ops; raw("x") -> x. */
static const char *opclass_sql(builder *B, const char *ops)
{
    if (strncmp(ops, "raw:", 4) == 0)
        return ops + 4;
    size_t n = strlen(ops);
    char *out = psl_arena_alloc(B->a, n * 2 + 1);
    size_t o = 0;
    const char *prev = NULL;
    size_t prev_len = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && !isupper((unsigned char)ops[j]))
            j++;
        const char *w = ops + i;
        size_t wl = j - i;
        /* Words PostgreSQL writes without a separator. */
        bool glue = prev && ((wl == 3 && strncmp(w, "Max", 3) == 0 && prev_len == 3 && strncmp(prev, "Min", 3) == 0) ||
                             (wl == 2 && strncmp(w, "Tz", 2) == 0) ||
                             (wl == 3 && strncmp(w, "Bit", 3) == 0 && prev_len == 3 && strncmp(prev, "Var", 3) == 0));
        if (prev && !glue)
            out[o++] = '_';
        for (size_t k = 0; k < wl; k++)
            out[o++] = (char)tolower((unsigned char)w[k]);
        prev = w;
        prev_len = wl;
        i = j;
    }
    out[o] = '\0';
    return out;
}

static const char *algorithm_sql(const char *alg)
{
    if (!alg || strcmp(alg, "BTree") == 0)
        return NULL;
    if (strcmp(alg, "Hash") == 0)
        return "HASH";
    if (strcmp(alg, "Gist") == 0)
        return "GIST";
    if (strcmp(alg, "Gin") == 0)
        return "GIN";
    if (strcmp(alg, "SpGist") == 0)
        return "SPGIST";
    if (strcmp(alg, "Brin") == 0)
        return "BRIN";
    return NULL;
}

static void build_index(builder *B, size_t mi, const psl_index *src, psl_ddl_index *ix)
{
    ix->name = src->db_name;
    ix->unique = src->kind == PSL_INDEX_UNIQUE;
    ix->n_cols = src->n_fields;
    ix->cols = psl_arena_alloc(B->a, (src->n_fields + 1) * sizeof *ix->cols);
    ix->sort = psl_arena_alloc(B->a, (src->n_fields + 1) * sizeof *ix->sort);
    ix->ops = psl_arena_alloc(B->a, (src->n_fields + 1) * sizeof *ix->ops);
    ix->lengths = psl_arena_alloc(B->a, (src->n_fields + 1) * sizeof *ix->lengths);
    ix->fulltext = src->kind == PSL_INDEX_FULLTEXT;
    for (size_t k = 0; k < src->n_fields; k++) {
        const psl_index_field *xf = &src->fields[k];
        ix->cols[k] = B->field_col[mi][xf->field->index];
        ix->sort[k] = xf->sort == PSL_SORT_ASC ? "ASC" : xf->sort == PSL_SORT_DESC ? "DESC" : NULL;
        ix->lengths[k] = xf->length;
        ix->ops[k] = xf->ops && (B->d->dialect->caps & MIG_CAP_INDEX_OPTIONS) ? opclass_sql(B, xf->ops) : NULL;
    }
    ix->using = B->d->dialect->caps & MIG_CAP_INDEX_OPTIONS ? algorithm_sql(src->algorithm) : NULL;
    ix->where = src->where_sql;
}

static int build_model_table(builder *B, size_t mi, psl_ddl_table *t)
{
    const psl_model *m = B->s->models[mi];
    t->name = m->db_name;
    t->schema = B->multi_schema ? m->schema_name : NULL;
    t->model = m;
    size_t n = 0;
    for (size_t k = 0; k < m->n_fields; k++) {
        psl_field_kind fk = m->fields[k]->kind;
        if (fk == PSL_FIELD_SCALAR || fk == PSL_FIELD_ENUM || fk == PSL_FIELD_UNSUPPORTED)
            n++;
    }
    t->cols = psl_arena_alloc(B->a, (n + 1) * sizeof *t->cols);
    B->field_col[mi] = psl_arena_alloc(B->a, (m->n_fields + 1) * sizeof(size_t));
    for (size_t k = 0; k < m->n_fields; k++) {
        const psl_field *f = m->fields[k];
        B->field_col[mi][k] = NO_POS;
        if (f->kind != PSL_FIELD_SCALAR && f->kind != PSL_FIELD_ENUM && f->kind != PSL_FIELD_UNSUPPORTED)
            continue;
        B->field_col[mi][k] = t->n_cols;
        if (build_column(B, m, f, &t->cols[t->n_cols++]) != 0)
            return -1;
    }
    if (m->primary_key) {
        const psl_index *pk = m->primary_key;
        t->pk_name = pk->db_name;
        t->n_pk = pk->n_fields;
        t->pk_cols = psl_arena_alloc(B->a, (pk->n_fields + 1) * sizeof *t->pk_cols);
        for (size_t k = 0; k < pk->n_fields; k++)
            t->pk_cols[k] = B->field_col[mi][pk->fields[k].field->index];
        if ((B->d->dialect->caps & MIG_CAP_INLINE_PK) && t->n_pk == 1) {
            /* A single-column key is written on the column; an INTEGER one
             * becomes the rowid: PRIMARY KEY AUTOINCREMENT. */
            psl_ddl_column *c = &t->cols[t->pk_cols[0]];
            c->primary_key_inline = true;
            if (c->field && c->field->kind == PSL_FIELD_SCALAR && c->field->scalar == PSL_INT)
                c->autoincrement = true;
        }
    }
    const psl_index **order = psl_arena_alloc(B->a, (m->n_indexes + 1) * sizeof *order);
    size_t n_order = 0;
    for (int g = 0; g < 4; g++) { /* the last: @@fulltext (MySQL) */
        size_t first = n_order;
        for (size_t k = 0; k < m->n_indexes; k++)
            if (index_group(m->indexes[k]) == g)
                order[n_order++] = m->indexes[k];
        if (g == 0) /* insertion sort by field position: n is tiny */
            for (size_t i = first + 1; i < n_order; i++)
                for (size_t j = i; j > first && order[j - 1]->fields[0].field->index > order[j]->fields[0].field->index;
                     j--) {
                    const psl_index *x = order[j];
                    order[j] = order[j - 1];
                    order[j - 1] = x;
                }
    }
    t->indexes = psl_arena_alloc(B->a, (n_order + 1) * sizeof *t->indexes);
    for (size_t k = 0; k < n_order; k++)
        build_index(B, mi, order[k], &t->indexes[t->n_indexes++]);
    return 0;
}

static bool relation_uses_views(const psl_relation *r)
{
    return r->from_model->is_view || r->to_model->is_view;
}

/* `s` cut to at most `max` bytes, never inside a UTF-8 sequence. */
static const char *truncated(builder *B, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return s;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return psl_arena_strndup(B->a, s, max);
}

static const char *ref_action(psl_ref_action a)
{
    switch (a) {
    case PSL_ACTION_CASCADE: return "CASCADE";
    case PSL_ACTION_NO_ACTION: return "NO ACTION";
    case PSL_ACTION_SET_NULL: return "SET NULL";
    case PSL_ACTION_SET_DEFAULT: return "SET DEFAULT";
    case PSL_ACTION_RESTRICT:
    case PSL_ACTION_NONE: break;
    }
    return "RESTRICT";
}

static psl_ddl_fk *new_fk(builder *B, size_t cap)
{
    psl_ddl_fk *fk = &B->d->fks[B->d->n_fks++];
    fk->cols = psl_arena_alloc(B->a, (cap + 1) * sizeof *fk->cols);
    fk->ref_cols = psl_arena_alloc(B->a, (cap + 1) * sizeof *fk->ref_cols);
    return fk;
}

/* The implicit m-n table: columns A and B referencing the first id column of
 * each model, a key (or unique index) on (A, B), an index on B. */
static void build_join_table(builder *B, const psl_relation *r, psl_ddl_table *t, size_t ti, bool fks)
{
    psl_ddl *d = B->d;
    const psl_model *ma = r->from_model, *mb = r->to_model;
    size_t ta = B->model_table[ma->index], tb = B->model_table[mb->index];
    const psl_ddl_table *A = &d->tables[ta], *Bt = &d->tables[tb];
    const psl_ddl_column *pa = &A->cols[A->pk_cols[0]], *pb = &Bt->cols[Bt->pk_cols[0]];
    const char *name = truncated(B, r->join_table, B->max_ident);
    t->name = name;
    t->schema = A->schema; /* the join table lives with model A */
    t->join_relation = r;
    t->cols = psl_arena_alloc(B->a, 3 * sizeof *t->cols);
    t->n_cols = 2;
    const psl_ddl_column *src[2] = { pa, pb };
    for (int i = 0; i < 2; i++) {
        psl_ddl_column *c = &t->cols[i];
        c->name = i ? "B" : "A";
        c->type = c->base_type = src[i]->base_type;
        c->not_null = true;
        c->enum_type = src[i]->enum_type;
    }
    bool ab_key = B->d->dialect->caps & MIG_CAP_JOIN_TABLE_PK; /* else a unique index */
    const char *ab = ab_key ? "_AB_pkey" : "_AB_unique";
    const char *ab_name =
        psl_arena_printf(B->a, "%s%s", truncated(B, name, B->max_ident - strlen(ab)), ab);
    size_t *both = psl_arena_alloc(B->a, 2 * sizeof *both);
    both[0] = 0;
    both[1] = 1;
    t->indexes = psl_arena_alloc(B->a, 2 * sizeof *t->indexes);
    if (!ab_key) {
        psl_ddl_index *u = &t->indexes[t->n_indexes++];
        u->name = ab_name;
        u->unique = true;
        u->cols = both;
        u->n_cols = 2;
    } else {
        t->pk_name = ab_name;
        t->pk_cols = both;
        t->n_pk = 2;
    }
    psl_ddl_index *bi = &t->indexes[t->n_indexes++];
    bi->name = psl_arena_printf(B->a, "%s_B_index", truncated(B, name, B->max_ident - 8));
    bi->cols = both + 1;
    bi->n_cols = 1;
    for (psl_ddl_index *ix = t->indexes; ix < t->indexes + t->n_indexes; ix++) {
        ix->sort = psl_arena_alloc(B->a, (ix->n_cols + 1) * sizeof *ix->sort);
        ix->ops = psl_arena_alloc(B->a, (ix->n_cols + 1) * sizeof *ix->ops);
    }
    if (!fks)
        return;
    /* Prisma avoids collisions with a slightly different cut than elsewhere:
     * the A name is cut when longer than the limit, the B name when at least
     * as long (sic). */
    size_t max_table = B->max_ident - strlen("_fkey") - 2;
    size_t len = strlen(name);
    for (int i = 0; i < 2; i++) {
        psl_ddl_fk *fk = new_fk(B, 1);
        bool cut = i == 0 ? len > max_table : len >= max_table;
        fk->name = psl_arena_printf(B->a, "%s_%s_fkey", cut ? truncated(B, name, max_table) : name, i ? "B" : "A");
        fk->table = ti;
        fk->ref_table = i ? tb : ta;
        fk->cols[0] = (size_t)i;
        fk->ref_cols[0] = i ? Bt->pk_cols[0] : A->pk_cols[0];
        fk->n_cols = 1;
        fk->on_delete = fk->on_update = "CASCADE";
    }
}

/* The datasource's `extensions = [citext, pgcrypto(schema: "x", version: "1.3", map: "y")]`,
 * as validated (generator/model/schema.c): identifiers, or calls with named
 * string arguments. */
static void build_extensions(builder *B)
{
    const psl_datasource *ds = B->s->datasource;
    const psl_expr *v = NULL;
    for (size_t k = 0; ds && ds->ast && k < ds->ast->n_lines; k++)
        if (ds->ast->lines[k].kind == PSL_LINE_KEY_VALUE && ds->ast->lines[k].name &&
            strcmp(ds->ast->lines[k].name, "extensions") == 0)
            v = ds->ast->lines[k].value;
    if (!v)
        return;
    psl_ddl *d = B->d;
    size_t n = v->kind == PSL_EXPR_ARRAY ? v->len : 1;
    d->extensions = psl_arena_alloc(B->a, (n + 1) * sizeof *d->extensions);
    for (size_t i = 0; i < n; i++) {
        const psl_expr *e = v->kind == PSL_EXPR_ARRAY ? v->items[i] : v;
        if (e->kind != PSL_EXPR_CONSTANT && e->kind != PSL_EXPR_FUNCTION)
            continue;
        psl_ddl_extension *x = &d->extensions[d->n_extensions++];
        x->name = e->text;
        for (size_t k = 0; e->kind == PSL_EXPR_FUNCTION && k < e->args.len; k++) {
            const psl_arg *a = &e->args.items[k];
            if (!a->name || !a->value || a->value->kind != PSL_EXPR_STRING)
                continue;
            if (strcmp(a->name, "map") == 0)
                x->name = a->value->text;
            else if (strcmp(a->name, "schema") == 0)
                x->schema = a->value->text;
            else if (strcmp(a->name, "version") == 0)
                x->version = a->value->text;
        }
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void build_namespaces(builder *B)
{
    psl_ddl *d = B->d;
    const psl_datasource *ds = B->s->datasource;
    if (!B->multi_schema)
        return;
    d->schemas = psl_arena_alloc(B->a, (ds->n_schemas + 1) * sizeof *d->schemas);
    for (size_t i = 0; i < ds->n_schemas; i++) {
        const char *ns = ds->schemas[i];
        bool used = false;
        for (size_t k = 0; k < d->n_tables && !used; k++)
            used = d->tables[k].schema && strcmp(d->tables[k].schema, ns) == 0;
        for (size_t k = 0; k < d->n_enums && !used; k++)
            used = d->enums[k].schema && strcmp(d->enums[k].schema, ns) == 0;
        if (used) /* Prisma creates only the namespaces something lives in */
            d->schemas[d->n_schemas++] = ns;
    }
    /* Prisma sorts the datasource's schemas by name. */
    qsort(d->schemas, d->n_schemas, sizeof *d->schemas, cmp_str);
}

int psl_ddl_build(const psl_schema *s, psl_provider p, psl_ddl **out)
{
    *out = NULL;
    const migrate_dialect *D = migrate_dialect_for(p);
    if (!D)
        return -1;
    int rc = -1;
    psl_ddl *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    psl_arena_init(&d->arena);
    d->provider = p;
    d->dialect = D;
    const psl_datasource *ds = s->datasource;
    builder B = { .s = s, .d = d, .a = &d->arena };
    B.multi_schema = (D->caps & MIG_CAP_SCHEMAS) && ds && ds->n_schemas > 0;
    d->multi_schema = B.multi_schema;
    B.max_ident = D->max_ident;
    bool fks = !(ds && ds->relation_mode_prisma);

    /* Native enums, in declaration order. */
    if (D->caps & MIG_CAP_NATIVE_ENUMS) {
        d->enums = psl_arena_alloc(B.a, (s->n_enums + 1) * sizeof *d->enums);
        for (size_t i = 0; i < s->n_enums; i++) {
            const psl_enum *e = s->enums[i];
            psl_ddl_enum *de = &d->enums[d->n_enums++];
            de->name = e->db_name;
            de->schema = B.multi_schema ? e->schema_name : NULL;
            de->src = e;
            de->values = psl_arena_alloc(B.a, (e->n_values + 1) * sizeof *de->values);
            for (size_t k = 0; k < e->n_values; k++)
                de->values[de->n_values++] = e->values[k].db_name;
        }
    }

    /* Tables: models (views have none), then implicit m-n join tables. */
    size_t n_tables = 0, n_fks = 0;
    for (size_t i = 0; i < s->n_models; i++)
        if (!s->models[i]->is_view)
            n_tables++;
    for (size_t i = 0; i < s->n_relations; i++) {
        const psl_relation *r = s->relations[i];
        if (r->kind == PSL_REL_MANY_TO_MANY && !relation_uses_views(r)) {
            n_tables++;
            n_fks += 2;
        } else if (r->n_fields) {
            n_fks++;
        }
    }
    d->tables = psl_arena_alloc(B.a, (n_tables + 1) * sizeof *d->tables);
    d->fks = psl_arena_alloc(B.a, (n_fks + 1) * sizeof *d->fks);
    B.model_table = psl_arena_alloc(B.a, (s->n_models + 1) * sizeof *B.model_table);
    B.field_col = psl_arena_alloc(B.a, (s->n_models + 1) * sizeof *B.field_col);
    for (size_t i = 0; i < s->n_models; i++) {
        B.model_table[i] = NO_POS;
        if (s->models[i]->is_view)
            continue;
        B.model_table[i] = d->n_tables;
        if (build_model_table(&B, i, &d->tables[d->n_tables++]) != 0)
            goto done;
    }

    /* Foreign keys of 1-1 and 1-n relations, in Prisma's relation order: a
     * relation is numbered where its forward field (the one with `fields:`)
     * is declared. */
    for (size_t i = 0; fks && i < s->n_models; i++) {
        const psl_model *m = s->models[i];
        for (size_t k = 0; k < m->n_fields; k++) {
            const psl_field *f = m->fields[k];
            const psl_relation *r = f->relation;
            if (f->kind != PSL_FIELD_RELATION || !r || r->kind == PSL_REL_MANY_TO_MANY || r->from_field != f ||
                !r->n_fields || relation_uses_views(r))
                continue;
            size_t ti = B.model_table[r->from_model->index], tr = B.model_table[r->to_model->index];
            psl_ddl_fk *fk = new_fk(&B, r->n_fields);
            fk->name = r->fk_name;
            fk->table = ti;
            fk->ref_table = tr;
            for (size_t q = 0; q < r->n_fields; q++) {
                fk->cols[q] = B.field_col[r->from_model->index][r->fields[q]->index];
                fk->ref_cols[q] = B.field_col[r->to_model->index][r->references[q]->index];
            }
            fk->n_cols = r->n_fields;
            fk->on_delete = ref_action(r->effective_on_delete);
            fk->on_update = ref_action(r->effective_on_update);
        }
    }

    /* Join tables, numbered where model A's field is declared. */
    for (size_t i = 0; i < s->n_models; i++) {
        const psl_model *m = s->models[i];
        for (size_t k = 0; k < m->n_fields; k++) {
            const psl_field *f = m->fields[k];
            const psl_relation *r = f->relation;
            if (f->kind != PSL_FIELD_RELATION || !r || r->kind != PSL_REL_MANY_TO_MANY || r->from_field != f ||
                relation_uses_views(r) || !r->from_model->primary_key || !r->to_model->primary_key)
                continue;
            size_t ti = d->n_tables++;
            build_join_table(&B, r, &d->tables[ti], ti, fks);
        }
    }

    build_namespaces(&B);
    build_extensions(&B);
    *out = d;
    d = NULL;
    rc = 0;
done:
    psl_ddl_free(d);
    return rc;
}

int psl_ddl_empty(psl_provider p, psl_ddl **out)
{
    *out = NULL;
    const migrate_dialect *D = migrate_dialect_for(p);
    if (!D)
        return -1;
    psl_ddl *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    psl_arena_init(&d->arena);
    d->provider = p;
    d->dialect = D;
    *out = d;
    return 0;
}

void psl_ddl_free(psl_ddl *d)
{
    if (!d)
        return;
    psl_arena_release(&d->arena);
    free(d);
}

size_t psl_ddl_table_of(const psl_ddl *d, const psl_model *m)
{
    for (size_t i = 0; i < d->n_tables; i++)
        if (d->tables[i].model == m)
            return i;
    return NO_POS;
}

