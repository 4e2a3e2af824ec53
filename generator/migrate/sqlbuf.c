/* psl_sql: the growable SQL text of the DDL and of db push (ddl.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddl.h"

static bool sql_reserve(psl_sql *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void psl_sql_putn(psl_sql *b, const char *s, size_t n)
{
    if (!sql_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void psl_sql_puts(psl_sql *b, const char *s)
{
    psl_sql_putn(b, s, strlen(s));
}

void psl_sql_printf(psl_sql *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if (!sql_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Wraps `s` in `q`, doubling every `q` inside. */
static void put_quoted(psl_sql *b, const char *s, size_t n, char q)
{
    psl_sql_putn(b, &q, 1);
    size_t start = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == q) {
            psl_sql_putn(b, s + start, i + 1 - start);
            psl_sql_putn(b, &q, 1);
            start = i + 1;
        }
    psl_sql_putn(b, s + start, n - start);
    psl_sql_putn(b, &q, 1);
}

void psl_sql_ident(psl_sql *b, const char *name)
{
    put_quoted(b, name, strlen(name), b->quote ? b->quote : '"');
}

void psl_sql_qualified(psl_sql *b, const char *schema, const char *name)
{
    if (schema) {
        psl_sql_ident(b, schema);
        psl_sql_puts(b, ".");
    }
    psl_sql_ident(b, name);
}

void psl_sql_string(psl_sql *b, const char *s, size_t n)
{
    put_quoted(b, s, n, '\'');
}

void psl_sql_clear(psl_sql *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void psl_sql_free(psl_sql *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

const char *psl_sql_text(const psl_sql *b)
{
    return b->data ? b->data : "";
}
