/* Raw SQL's placeholders: one scanner, driven by each backend's lexical
 * rules (raw_lex) and spelling of a parameter. `$n` / `?n` are numbered, a
 * bare `?` positional; what sits in string literals, quoted identifiers and
 * comments is text. The backend files (backend_sqlite_raw.c,
 * backend_postgres_raw.c) say which rules hold there. */
#include "backend.h"

#include <stdio.h>
#include <string.h>

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
           (unsigned char)c >= 0x80;
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The end of a quoted run starting at s[i] (the opening quote `open`,
 * closing `close`; a doubled closing quote is part of it; `backslash`:
 * a backslash escapes the next character). */
static size_t skip_quoted(const char *s, size_t i, char close, bool backslash)
{
    i++;
    while (s[i]) {
        if (backslash && s[i] == '\\' && s[i + 1]) {
            i += 2;
            continue;
        }
        if (s[i] == close) {
            if (s[i + 1] == close) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    return i;
}

/* A PostgreSQL dollar-quote tag at s[i] ("$$" or "$tag$"): its length, or 0. */
static size_t dollar_tag(const char *s, size_t i)
{
    size_t k = i + 1;
    if (s[k] == '$')
        return 2;
    if (!((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') || s[k] == '_' || (unsigned char)s[k] >= 0x80))
        return 0;
    while (s[k] && s[k] != '$' && ident_char(s[k]))
        k++;
    return s[k] == '$' ? k + 1 - i : 0;
}

/* One placeholder found: its number (0 for a positional `?`), where it
 * starts and how long it is. */
typedef struct raw_mark {
    size_t at, len;
    size_t number;
    char sigil;
} raw_mark;

/* Walks sql, calling fn for every placeholder outside literals and comments.
 * Returns false when fn does. */
static bool scan(const raw_lex *lx, const char *s, bool (*fn)(void *arg, const raw_mark *m), void *arg)
{
    size_t i = 0;
    while (s[i]) {
        char c = s[i];
        bool after_ident = i > 0 && ident_char(s[i - 1]);
        if (c == '\'') {
            bool e = lx->e_strings && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && !(i > 1 && ident_char(s[i - 2]));
            i = skip_quoted(s, i, '\'', e || lx->backslash_strings);
        } else if (c == '"') {
            i = skip_quoted(s, i, '"', lx->backslash_strings);
        } else if (c == '`' && lx->backtick_idents) {
            i = skip_quoted(s, i, '`', false);
        } else if (c == '[' && lx->bracket_idents) {
            const char *end = strchr(s + i, ']');
            i = end ? (size_t)(end - s) + 1 : strlen(s);
        } else if ((c == '-' && s[i + 1] == '-') || (c == '#' && lx->hash_comments)) {
            while (s[i] && s[i] != '\n')
                i++;
        } else if (c == '/' && s[i + 1] == '*') {
            int depth = 1;
            i += 2;
            while (s[i] && depth) {
                if (s[i] == '*' && s[i + 1] == '/') {
                    depth--;
                    i += 2;
                } else if (lx->nested_comments && s[i] == '/' && s[i + 1] == '*') {
                    depth++;
                    i += 2;
                } else {
                    i++;
                }
            }
        } else if (c == '$' && !after_ident && digit(s[i + 1])) {
            raw_mark m = { .at = i, .sigil = '$' };
            size_t k = i + 1;
            while (digit(s[k]) && m.number < 100000000)
                m.number = m.number * 10 + (size_t)(s[k++] - '0');
            m.len = k - i;
            if (!fn(arg, &m))
                return false;
            i = k;
        } else if (c == '$' && !after_ident && lx->dollar_quotes && dollar_tag(s, i)) {
            size_t n = dollar_tag(s, i);
            const char *end = NULL;
            for (const char *p = s + i + n; (p = strchr(p, '$')) != NULL; p++)
                if (strncmp(p, s + i, n) == 0) {
                    end = p;
                    break;
                }
            i = end ? (size_t)(end - s) + n : strlen(s);
        } else if (c == '?') {
            raw_mark m = { .at = i, .sigil = '?' };
            size_t k = i + 1;
            while (digit(s[k]) && m.number < 100000000)
                m.number = m.number * 10 + (size_t)(s[k++] - '0');
            m.len = k - i;
            if (!fn(arg, &m))
                return false;
            i = k;
        } else {
            i++;
        }
    }
    return true;
}

typedef struct raw_census {
    bool dollar, numbered_q, positional;
    size_t positional_n, max, distinct;
    unsigned char *used; /* numbers seen, up to n_params */
    size_t n_params;
} raw_census;

static bool count(void *arg, const raw_mark *m)
{
    raw_census *c = arg;
    if (m->sigil == '$')
        c->dollar = true;
    else if (m->number)
        c->numbered_q = true;
    else {
        c->positional = true;
        c->positional_n++;
    }
    if (m->number) {
        if (m->number > c->max)
            c->max = m->number;
        if (m->number <= c->n_params && !c->used[m->number - 1]) {
            c->used[m->number - 1] = 1;
            c->distinct++;
        }
    }
    return true;
}

typedef struct raw_out {
    const raw_lex *lx;
    const char *sql;
    strbuf *out;
    size_t done; /* sql[0 .. done) is written */
    size_t next; /* the last positional number */
    bool keep_question; /* `?` is an operator here */
} raw_out;

static bool emit(void *arg, const raw_mark *m)
{
    raw_out *o = arg;
    if (m->sigil == '?' && o->keep_question)
        return true;
    sb_putn(o->out, o->sql + o->done, m->at - o->done);
    o->lx->param(o->out, m->number ? m->number : ++o->next);
    o->done = m->at + m->len;
    return true;
}

int raw_translate(const raw_lex *lx, const char *sql, size_t n_params, strbuf *out, prisma_err *err)
{
    unsigned char small[64];
    unsigned char *used = n_params <= sizeof small ? small : calloc(n_params, 1);
    if (!used) {
        err_oom(err);
        return PRISMA_ERROR;
    }
    memset(used, 0, n_params <= sizeof small ? sizeof small : 0);
    raw_census c = { .used = used, .n_params = n_params };
    scan(lx, sql, count, &c);
    if (used != small)
        free(used);
    /* With $n placeholders, a `?` is the database's own (an operator) where
     * the backend says so; else it is one more placeholder. */
    bool keep_question = c.dollar && lx->question_operator;
    bool positional = c.positional && !keep_question;
    bool numbered = c.dollar || (c.numbered_q && !keep_question);
    if (positional && numbered) {
        snprintf(err->db_code, sizeof err->db_code, "N/A");
        snprintf(err->db_message, sizeof err->db_message, "%s",
                 "the statement mixes positional `?` and numbered `$n` placeholders");
        err_set(err, "P2010", "Raw query failed. Code: `N/A`. Message: `%s`", err->db_message);
        return PRISMA_ERROR;
    }
    size_t expected = positional ? c.positional_n : c.max;
    bool all_used = positional || c.distinct == c.max;
    if (expected != n_params || !all_used) {
        err_set(err, "P1016", "Your raw query had an incorrect number of parameters. Expected: `%zu`, actual: `%zu`.",
                positional || c.max != n_params ? expected : c.distinct, n_params);
        return PRISMA_ERROR;
    }
    if (out) {
        raw_out o = { .lx = lx, .sql = sql, .out = out, .keep_question = keep_question };
        scan(lx, sql, emit, &o);
        sb_puts(out, sql + o.done);
    }
    return PRISMA_OK;
}
