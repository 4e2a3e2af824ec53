/* Comparing what the schema wants with what the database holds: column
 * defaults, indexes, foreign keys, and the row counts that decide whether a
 * change loses data. Types are the dialect's (type_matches). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan.h"

bool diff_is_true(const char *v)
{
    return v && (strcmp(v, "t") == 0 || strcmp(v, "true") == 0);
}

/* Drops `::type` casts and outer parentheses: '0'::integer -> '0'. */
static void strip_casts(const char *in, psl_sql *o)
{
    const char *p = in;
    while (*p) {
        if (*p == '\'') { /* a string literal, '' inside */
            const char *s = p++;
            while (*p && !(*p == '\'' && p[1] != '\''))
                p += *p == '\'' ? 2 : 1;
            if (*p)
                p++;
            psl_sql_putn(o, s, (size_t)(p - s));
        } else if (p[0] == ':' && p[1] == ':') {
            p += 2;
            for (;;) {
                if (*p == '"') {
                    p++;
                    while (*p && *p != '"')
                        p++;
                    if (*p)
                        p++;
                } else if (isalnum((unsigned char)*p) || *p == '_' || *p == '.' || *p == '[' || *p == ']') {
                    p++;
                } else if (*p == '(') {
                    while (*p && *p != ')')
                        p++;
                    if (*p)
                        p++;
                } else if (*p == ' ' && isalpha((unsigned char)p[1])) {
                    p++; /* character varying, timestamp without time zone */
                } else {
                    break;
                }
            }
        } else {
            psl_sql_putn(o, p++, 1);
        }
    }
    /* ( x ) -> x, when the parentheses enclose everything */
    while (o->len >= 2 && o->data[0] == '(' && o->data[o->len - 1] == ')') {
        int depth = 0;
        bool whole = true;
        for (size_t i = 0; i < o->len - 1 && whole; i++) {
            depth += o->data[i] == '(' ? 1 : o->data[i] == ')' ? -1 : 0;
            whole = depth > 0;
        }
        if (!whole)
            break;
        memmove(o->data, o->data + 1, o->len - 2);
        o->len -= 2;
        o->data[o->len] = '\0';
    }
}

bool diff_contains_ci(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; s && *s; s++)
        if (strncasecmp(s, needle, n) == 0)
            return true;
    return false;
}

/* Whether the database default is the one the schema wants: the same text
 * once casts are dropped, or, failing that, the same value when the
 * database evaluates both (now() and CURRENT_TIMESTAMP, '-1' and -1,
 * '2020-01-01 00:00:00 +00:00' and '2020-01-01 00:00:00'::timestamp). */
bool diff_default_matches(pusher *P, const psl_ddl_column *w, const db_col *h)
{
    const char *want = w->default_sql;
    if (!want || !h->dflt)
        return !want && !h->dflt;
    if (strcmp(want, h->dflt) == 0)
        return true;
    /* As Prisma, a dbgenerated() default is not diffed: the database
     * rewrites the expression, and evaluating it to compare is wrong for a
     * volatile one (random(), now()), which would differ on every push. */
    if (w->db_generated)
        return true;
    if (diff_contains_ci(h->dflt, "nextval("))
        return false; /* never evaluated: it would advance the sequence */
    psl_sql a = { 0 }, b = { 0 }, q = { 0 };
    strip_casts(want, &a);
    strip_casts(h->dflt, &b);
    bool eq = !a.failed && !b.failed && strcmp(psl_sql_text(&a), psl_sql_text(&b)) == 0;
    if (!eq && P->c) { /* without a database the texts decide */
        P->D->default_probe(&q, want, h);
        qres r;
        if (!q.failed && mc_query(P->c, psl_sql_text(&q), NULL, 0, &r) == 0 && r.rows == 1)
            eq = diff_is_true(cell(&r, 0, 0)) || plan_same(cell(&r, 0, 0), "1");
    }
    psl_sql_free(&a);
    psl_sql_free(&b);
    psl_sql_free(&q);
    return eq;
}

/* A predicate with its casts, identifier quotes, parentheses and spacing taken out, lowercased outside
 * string literals: how the database
 * prints a partial index's WHERE (PostgreSQL: `(status = 'active'::text)`) compares with how the schema
 * wrote it (`"status" = 'active'`). */
static void predicate_key(const char *in, psl_sql *o)
{
    psl_sql bare = { 0 };
    strip_casts(in, &bare);
    const char *p = bare.failed ? "" : psl_sql_text(&bare);
    bool quoted = false; /* inside a string literal: kept as is */
    for (; *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        if (quoted || *p == '\'')
            psl_sql_putn(o, p, 1);
        else if (!isspace((unsigned char)*p) && *p != '"' && *p != '(' && *p != ')')
            psl_sql_putn(o, &(char){ (char)tolower((unsigned char)*p) }, 1);
    }
    psl_sql_free(&bare);
}

static bool predicates_match(const char *want, const char *have)
{
    if (!want || !have)
        return !want && !have;
    psl_sql a = { 0 }, b = { 0 };
    predicate_key(want, &a);
    predicate_key(have, &b);
    bool eq = !a.failed && !b.failed && strcmp(psl_sql_text(&a), psl_sql_text(&b)) == 0;
    psl_sql_free(&a);
    psl_sql_free(&b);
    return eq;
}

bool diff_index_matches(const psl_ddl_table *t, const psl_ddl_index *w, const db_index *h)
{
    if (h->special || h->unique != w->unique || h->n != w->n_cols || !predicates_match(w->where, h->predicate) ||
        h->fulltext != w->fulltext)
        return false;
    if (h->method && strcasecmp(h->method, w->using ? w->using : "btree") != 0)
        return false;
    for (size_t i = 0; i < w->n_cols; i++) {
        if (!plan_same(h->cols[i], t->cols[w->cols[i]].name))
            return false;
        if (h->desc[i] != (w->sort[i] && strcmp(w->sort[i], "DESC") == 0))
            return false;
        if ((h->lengths ? h->lengths[i] : 0) != (w->lengths ? w->lengths[i] : 0)) /* MySQL prefix indexes */
            return false;
        if (w->ops[i] ? !plan_same(h->ops[i], w->ops[i]) : !h->ops_default[i])
            return false;
    }
    return true;
}

bool diff_fk_matches(const pusher *P, const psl_ddl_fk *w, const db_fk *h)
{
    const psl_ddl_table *t = &P->want->tables[w->table], *r = &P->want->tables[w->ref_table];
    if (h->n != w->n_cols || strcmp(h->ref_table, r->name) != 0 ||
        !plan_same(h->ref_schema, plan_schema_of(P, r->schema)) ||
        strcasecmp(h->on_delete, w->on_delete) != 0 || strcasecmp(h->on_update, w->on_update) != 0)
        return false;
    for (size_t i = 0; i < w->n_cols; i++)
        if (strcmp(h->cols[i], t->cols[w->cols[i]].name) != 0 || strcmp(h->ref_cols[i], r->cols[w->ref_cols[i]].name) != 0)
            return false;
    return true;
}

long long diff_table_rows(pusher *P, db_table *h)
{
    if (P->pure)
        return -1;
    if (h->rows >= 0)
        return h->rows;
    psl_sql q = { .quote = P->D->ident_quote };
    psl_sql_puts(&q, "SELECT count(*) FROM ");
    psl_sql_qualified(&q, h->schema, h->name);
    h->rows = q.failed ? -1 : mc_count(P->c, psl_sql_text(&q));
    psl_sql_free(&q);
    return h->rows;
}

/* Rows where `col` IS NULL (or IS NOT NULL). */
long long diff_null_count(pusher *P, const db_table *h, const char *col, bool nulls)
{
    if (P->pure)
        return -1;
    psl_sql q = { .quote = P->D->ident_quote };
    psl_sql_puts(&q, "SELECT count(*) FROM ");
    psl_sql_qualified(&q, h->schema, h->name);
    psl_sql_puts(&q, " WHERE ");
    psl_sql_ident(&q, col);
    psl_sql_puts(&q, nulls ? " IS NULL" : " IS NOT NULL");
    long long n = q.failed ? -1 : mc_count(P->c, psl_sql_text(&q));
    psl_sql_free(&q);
    return n;
}
