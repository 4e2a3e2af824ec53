/* Splitting a migration script into its statements (migrations.h). The
 * statements run one by one so that a failure names the statement, and so
 * that statements a database refuses in a transaction are found first. */
#include "migrations.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool ident_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '$'; }

/* Past the quoted text opening at p (quote q, closing `close`); '' or ""
 * doubled is a quote inside; with `backslash`, \x escapes. */
static const char *skip_quoted(const char *p, const char *end, char close, bool backslash)
{
    for (p++; p < end; p++) {
        if (backslash && *p == '\\' && p + 1 < end) {
            p++;
            continue;
        }
        if (*p == close) {
            if (p + 1 < end && p[1] == close && close != ']') {
                p++;
                continue;
            }
            return p + 1;
        }
    }
    return end;
}

/* A dollar quote's tag at p ("$$", "$body$"), its length, or 0. */
static size_t dollar_tag(const char *p, const char *end)
{
    const char *q = p + 1;
    if (q < end && (isdigit((unsigned char)*q)))
        return 0; /* $1: a parameter */
    while (q < end && (isalnum((unsigned char)*q) || *q == '_'))
        q++;
    return q < end && *q == '$' ? (size_t)(q + 1 - p) : 0;
}

static bool word_is(const char *w, size_t n, const char *kw)
{
    return strlen(kw) == n && strncasecmp(w, kw, n) == 0;
}

/* Trims blanks; drops a statement of comments only. */
static void emit(psl_arena *a, psl_vec *out, const char *s, const char *e, bool has_code)
{
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    if (has_code && e > s)
        psl_vec_push(a, out, psl_arena_strndup(a, s, (size_t)(e - s)));
}

void sql_split(psl_arena *a, const char *sql, size_t len, psl_vec *out)
{
    const char *p = sql, *end = sql + len, *start = sql;
    bool has_code = false;
    /* The statement's first words, to know a CREATE TRIGGER/FUNCTION whose
     * body's BEGIN ... END holds semicolons. */
    int nwords = 0;
    bool creating = false;
    int block = 0; /* BEGIN / CASE open in a CREATE body */
    while (p < end) {
        char c = *p;
        if (c == '-' && p + 1 < end && p[1] == '-') {
            while (p < end && *p != '\n')
                p++;
            continue;
        }
        if (c == '/' && p + 1 < end && p[1] == '*') {
            int depth = 0;
            do {
                if (*p == '/' && p + 1 < end && p[1] == '*')
                    depth++, p += 2;
                else if (*p == '*' && p + 1 < end && p[1] == '/')
                    depth--, p += 2;
                else
                    p++;
            } while (p < end && depth > 0);
            continue;
        }
        has_code = has_code || !isspace((unsigned char)c);
        if (c == '\'') {
            bool esc = p > sql && (p[-1] == 'E' || p[-1] == 'e') && (p - 1 == sql || !ident_char(p[-2]));
            p = skip_quoted(p, end, '\'', esc);
            continue;
        }
        if (c == '"' || c == '`') {
            p = skip_quoted(p, end, c, false);
            continue;
        }
        if (c == '[' && !creating) {
            /* SQLite's [identifier]; PostgreSQL's array subscripts hold no ']' inside */
            p = skip_quoted(p, end, ']', false);
            continue;
        }
        if (c == '$' && (p == sql || !ident_char(p[-1]))) {
            size_t t = dollar_tag(p, end);
            if (t) {
                const char *q = p + t;
                while (q < end && !(q + t <= end && strncmp(q, p, t) == 0))
                    q++;
                p = q + t <= end ? q + t : end;
                continue;
            }
        }
        if (isalpha((unsigned char)c) || c == '_') {
            const char *w = p;
            while (p < end && ident_char(*p))
                p++;
            size_t n = (size_t)(p - w);
            if (nwords == 0)
                creating = word_is(w, n, "CREATE");
            nwords++;
            if (creating && nwords > 1) {
                if (word_is(w, n, "BEGIN") || (block > 0 && word_is(w, n, "CASE")))
                    block++;
                else if (word_is(w, n, "END") && block > 0)
                    block--;
            }
            continue;
        }
        if (c == ';' && block == 0) {
            emit(a, out, start, p, has_code);
            p++;
            start = p;
            has_code = false;
            nwords = 0;
            creating = false;
            continue;
        }
        p++;
    }
    emit(a, out, start, end, has_code);
}
