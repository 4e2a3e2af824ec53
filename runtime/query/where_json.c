/* The Json filter (prisma_json_filter, Prisma's JsonFilter / JsonNullableFilter):
 * path, equals / not_ (with DbNull, JsonNull and AnyNull), string_*,
 * array_* and lt / lte / gt / gte. The SQL of each operation is the
 * backend's (backend_json: templates); this file checks the input, keys the
 * statement's shape and expands the templates, every value bound. */
#include "query.h"

#include <string.h>

/* ---- JSON text: valid, and its top-level type ---- */

enum { J_BAD = 0, J_STRING, J_NUMBER, J_ARRAY, J_OBJECT, J_LITERAL };

static const char *j_ws(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

static const char *j_value(const char *s, int depth, int *type);

static const char *j_string(const char *s)
{
    for (s++; *s != '"'; s++) {
        if ((unsigned char)*s < 0x20)
            return NULL; /* the end, or a control character */
        if (*s == '\\') {
            s++;
            if (*s == 'u') {
                for (int i = 1; i <= 4; i++) {
                    char c = s[i];
                    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
                        return NULL;
                }
                s += 4;
            } else if (!*s || !strchr("\"\\/bfnrt", *s)) {
                return NULL;
            }
        }
    }
    return s + 1;
}

static const char *j_number(const char *s)
{
    if (*s == '-')
        s++;
    if (*s == '0')
        s++;
    else if (*s >= '1' && *s <= '9')
        while (*s >= '0' && *s <= '9')
            s++;
    else
        return NULL;
    if (*s == '.') {
        s++;
        if (!(*s >= '0' && *s <= '9'))
            return NULL;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return NULL;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return s;
}

static const char *j_items(const char *s, int depth, char close)
{
    s = j_ws(s + 1);
    if (*s == close)
        return s + 1;
    for (;;) {
        int t;
        if (close == '}') {
            if (*s != '"' || !(s = j_string(s)))
                return NULL;
            s = j_ws(s);
            if (*s != ':')
                return NULL;
            s = j_ws(s + 1);
        }
        if (!(s = j_value(s, depth + 1, &t)))
            return NULL;
        s = j_ws(s);
        if (*s == close)
            return s + 1;
        if (*s != ',')
            return NULL;
        s = j_ws(s + 1);
    }
}

static const char *j_value(const char *s, int depth, int *type)
{
    if (depth > 200)
        return NULL;
    switch (*s) {
    case '"': *type = J_STRING; return j_string(s);
    case '[': *type = J_ARRAY; return j_items(s, depth, ']');
    case '{': *type = J_OBJECT; return j_items(s, depth, '}');
    case 't': *type = J_LITERAL; return strncmp(s, "true", 4) ? NULL : s + 4;
    case 'f': *type = J_LITERAL; return strncmp(s, "false", 5) ? NULL : s + 5;
    case 'n': *type = J_LITERAL; return strncmp(s, "null", 4) ? NULL : s + 4;
    default: *type = J_NUMBER; return j_number(s);
    }
}

/* The JSON type of s, J_BAD when it is no JSON text. */
static int json_type_of(const char *s)
{
    int type = J_BAD;
    const char *end = j_value(j_ws(s), 0, &type);
    return end && *j_ws(end) == '\0' ? type : J_BAD;
}

/* ---- the templates ---- */

typedef struct jctx {
    const prisma_model_desc *m;
    const prisma_field_desc *f;
    bool qualified;
    const backend_json *J;
    const char *path; /* its bound text; NULL: no path */
    prisma_value v;   /* %V */
    const char *op;   /* %O */
} jctx;

static void expand(query *q, const jctx *c, const char *t)
{
    for (;;) {
        const char *pc = strchr(t, '%');
        size_t n = pc ? (size_t)(pc - t) : strlen(t);
        if (n && q->emit)
            sb_putn(&q->sql, t, n);
        if (!pc)
            return;
        switch (pc[1]) {
        case 'C': q_sql_col(q, c->m, c->f, c->qualified); break;
        case 'P': q_param(q, v_text(c->path)); break;
        case 'X': expand(q, c, c->path ? c->J->at_path : c->J->whole); break;
        case 'V': q_param(q, c->v); break;
        case 'O': q_sql(q, c->op); break;
        default: break;
        }
        t = pc + 2;
    }
}

static void begin(query *q, bool *first)
{
    if (!*first)
        q_sql(q, " AND ");
    *first = false;
}

/* ---- the filter ---- */

enum { JF_EQUALS, JF_NOT, JF_STR_CONTAINS, JF_STR_STARTS, JF_STR_ENDS, JF_ARR_CONTAINS, JF_ARR_STARTS, JF_ARR_ENDS,
       JF_LT, JF_LTE, JF_GT, JF_GTE, JF_N };

static const char *const jf_names[JF_N] = { "equals", "not", "string_contains", "string_starts_with", "string_ends_with",
                                            "array_contains", "array_starts_with", "array_ends_with",
                                            "lt", "lte", "gt", "gte" };

static bool bad_value(query *q, const prisma_field_desc *f, int k, const char *why)
{
    err_set(&q->err, "P2009", "Failed to validate the query: Invalid value for argument `where.%s.%s`: %s.", f->name,
            jf_names[k], why);
    return false;
}

/* equals / not_: a JSON value, or one of the nulls. */
static bool equality(query *q, jctx *c, int k, const char *s, bool ins)
{
    bool eq = k == JF_EQUALS;
    int kind = s == PRISMA_NULL ? 1 : q_json_null_kind(s); /* PRISMA_NULL: DbNull, as on writes */
    q_key_u8(q, (unsigned)kind);
    if (kind == 0 || kind == 2) {
        if (kind == 0 && json_type_of(s) == J_BAD)
            return bad_value(q, c->f, k, "the text is no JSON value");
        c->v = v_text(kind == 2 ? "null" : s);
        expand(q, c, c->J->op[ins && kind == 0 ? (eq ? BJ_EQ_CI : BJ_NE_CI) : (eq ? BJ_EQ : BJ_NE)]);
        return true;
    }
    if (kind == 1 && !c->path) { /* the column itself */
        expand(q, c, eq ? "%C IS NULL" : "%C IS NOT NULL");
        return true;
    }
    q_sql(q, "(");
    expand(q, c, c->path ? (eq ? "%X IS NULL" : "%X IS NOT NULL") : (eq ? "%C IS NULL" : "%C IS NOT NULL"));
    if (kind == 3) { /* AnyNull: SQL NULL or JSON null */
        q_sql(q, eq ? " OR " : " AND ");
        c->v = v_text("null");
        expand(q, c, c->J->op[eq ? BJ_EQ : BJ_NE]);
    }
    q_sql(q, ")");
    return true;
}

bool q_json_filter(query *q, const prisma_model_desc *m, const prisma_field_desc *f, const void *w, bool qualified,
                   bool *first, unsigned fi)
{
    const prisma_json_filter *flt = AT(w, f->where_off, prisma_json_filter);
    const char *vals[JF_N] = { flt->equals, flt->not_, flt->string_contains, flt->string_starts_with,
                               flt->string_ends_with, flt->array_contains, flt->array_starts_with,
                               flt->array_ends_with, flt->lt, flt->lte, flt->gt, flt->gte };
    bool any = false;
    for (int k = 0; k < JF_N; k++)
        any |= vals[k] != NULL;
    if (!any) {
        if (flt->path.set) {
            err_set(&q->err, "P2019", "Input error. A JSON path cannot be set without a scalar filter.");
            return false;
        }
        return true;
    }
    const backend_json *J = q->be->json;
    if (!J) {
        err_set(&q->err, "P2026", "The current database provider doesn't support a feature that the query used: Json filters");
        return false;
    }
    jctx c = { m, f, qualified, J, NULL, v_null(), NULL };
    if (flt->path.set) {
        const prisma_string_list *p = &flt->path;
        if (p->len && !p->items) {
            err_set(&q->err, "P2009", "Failed to validate the query: `where.%s.path` has a length but no array.", f->name);
            return false;
        }
        for (size_t i = 0; i < p->len; i++) {
            const char *s = p->items[i];
            if (!s || s == PRISMA_NULL || q_json_null_kind(s)) {
                err_set(&q->err, "P2009", "Failed to validate the query: `where.%s.path`: an item is null.", f->name);
                return false;
            }
            if (!q_check_text(q, f, s))
                return false;
        }
        strbuf b;
        sb_init(&b);
        char why[160] = "";
        bool ok = J->path(&b, p->items, p->len, why, sizeof why);
        char *text = NULL;
        if (ok && b.data) {
            text = q_temp(q, b.len + 1);
            if (text)
                memcpy(text, b.data, b.len + 1);
        }
        sb_free(&b);
        if (!ok) {
            err_set(&q->err, "P2009", "Failed to validate the query: `where.%s.path`: %s.", f->name, why);
            return false;
        }
        if (!text) {
            err_oom(&q->err);
            return false;
        }
        c.path = text;
    }
    bool ins = flt->mode == PRISMA_INSENSITIVE;
    q_key_u32(q, fi);
    q_key_u8(q, 'J');
    q_key_u8(q, c.path != NULL);
    q_key_u8(q, ins);
    for (int k = 0; k < JF_N; k++) {
        const char *s = vals[k];
        if (!s)
            continue;
        if (!q_check_text(q, f, s))
            return false;
        q_key_u8(q, (unsigned)k);
        if (k <= JF_NOT) {
            begin(q, first);
            if (!equality(q, &c, k, s, ins))
                return false;
            continue;
        }
        int kind = s == PRISMA_NULL ? 1 : q_json_null_kind(s);
        if (kind == 1 || kind == 3)
            return bad_value(q, f, k, "DbNull and AnyNull are values of equals and not only");
        if (k <= JF_STR_ENDS) { /* plain text, matched against a JSON string */
            if (kind)
                return bad_value(q, f, k, "a string filter takes text, not JsonNull");
            begin(q, first);
            q_sql(q, "(");
            expand(q, &c, J->op[BJ_IS_STRING]);
            q_sql(q, " AND ");
            int mk = k - JF_STR_CONTAINS;
            const backend_match *match = &q->be->match[ins];
            if (match->fn[mk]) {
                q_sql(q, match->fn[mk]);
                q_sql(q, "(");
                expand(q, &c, J->op[BJ_TEXT]);
                q_sql(q, ", ");
                q_param(q, v_text(s));
                q_sql(q, ")");
            } else {
                expand(q, &c, J->op[BJ_TEXT]);
                q_sql(q, match->op);
                q_param(q, v_text(q_like_pattern(q, s, mk != 1, mk != 2)));
                q_sql(q, match->escape ? match->escape : " ESCAPE '\\'");
            }
            q_sql(q, ")");
            continue;
        }
        const char *json = kind == 2 ? "null" : s;
        int type = json_type_of(json);
        if (type == J_BAD)
            return bad_value(q, f, k, "the text is no JSON value");
        c.v = v_text(json);
        begin(q, first);
        q_sql(q, "(");
        if (k <= JF_ARR_ENDS) {
            expand(q, &c, J->op[BJ_IS_ARRAY]);
            q_sql(q, " AND ");
            expand(q, &c, J->op[k == JF_ARR_CONTAINS ? BJ_ARRAY_HAS : k == JF_ARR_STARTS ? BJ_ARRAY_FIRST : BJ_ARRAY_LAST]);
        } else {
            if (type != J_NUMBER && type != J_STRING)
                return bad_value(q, f, k, "lt, lte, gt and gte compare a number or a string");
            static const char *const ops[4] = { " < ", " <= ", " > ", " >= " };
            q_key_u8(q, (unsigned)type);
            expand(q, &c, J->op[type == J_NUMBER ? BJ_IS_NUMBER : BJ_IS_STRING]);
            q_sql(q, " AND ");
            c.op = ops[k - JF_LT];
            expand(q, &c, J->op[BJ_CMP]);
        }
        q_sql(q, ")");
    }
    return true;
}
