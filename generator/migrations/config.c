/* Reading prisma.config.ts and package.json for what migrations need: the
 * migrations folder (`migrations: { path: "..." }`) and the seed command
 * (`migrations: { seed: "..." }`, package.json's `"prisma": { "seed": ...}`).
 *
 * The reader is small and strict: it tokenizes JavaScript/JSON (comments,
 * strings, punctuation, words), finds `<outer>: {` and, inside that object,
 * `<key>:` followed by a plain string literal. A value that is anything else
 * (a variable, a template with ${...}, a function call) is an error naming
 * the file: prismac does not run TypeScript, and does not guess. */
#include "migrations.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

typedef enum tok_kind { T_END, T_WORD, T_STRING, T_PUNCT, T_BAD } tok_kind;

typedef struct lexer {
    const char *s, *end;
    tok_kind kind;
    const char *tok; /* the token's first byte (a string's opening quote) */
    size_t len;
    char punct;
} lexer;

static void skip_space(lexer *L)
{
    for (;;) {
        while (L->s < L->end && isspace((unsigned char)*L->s))
            L->s++;
        if (L->s + 1 < L->end && L->s[0] == '/' && L->s[1] == '/') {
            while (L->s < L->end && *L->s != '\n')
                L->s++;
        } else if (L->s + 1 < L->end && L->s[0] == '/' && L->s[1] == '*') {
            const char *e = strstr(L->s + 2, "*/");
            L->s = e && e < L->end ? e + 2 : L->end;
        } else {
            return;
        }
    }
}

static void next(lexer *L)
{
    skip_space(L);
    L->tok = L->s;
    if (L->s >= L->end) {
        L->kind = T_END;
        return;
    }
    char ch = *L->s;
    if (ch == '"' || ch == '\'' || ch == '`') {
        const char *p = L->s + 1;
        while (p < L->end && *p != ch) {
            if (*p == '\\' && p + 1 < L->end)
                p++;
            p++;
        }
        if (p >= L->end) {
            L->kind = T_BAD;
            L->s = L->end;
            return;
        }
        L->kind = T_STRING;
        L->len = (size_t)(p + 1 - L->s);
        L->s = p + 1;
        return;
    }
    if (isalnum((unsigned char)ch) || ch == '_' || ch == '$') {
        const char *p = L->s;
        while (p < L->end && (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || *p == '.'))
            p++;
        L->kind = T_WORD;
        L->len = (size_t)(p - L->s);
        L->s = p;
        return;
    }
    L->kind = T_PUNCT;
    L->punct = ch;
    L->len = 1;
    L->s++;
}

/* Whether the token is the key `name` (a word or a quoted string). */
static bool is_key(const lexer *L, const char *name)
{
    size_t n = strlen(name);
    if (L->kind == T_WORD)
        return L->len == n && strncmp(L->tok, name, n) == 0;
    if (L->kind == T_STRING && L->tok[0] != '`')
        return L->len == n + 2 && strncmp(L->tok + 1, name, n) == 0;
    return false;
}

/* The string literal's value, unescaped (malloc'd), or NULL when it is not
 * a plain literal (a template with ${...}, an unknown escape). */
static char *literal_value(const lexer *L)
{
    const char *p = L->tok + 1, *e = L->tok + L->len - 1;
    char *out = malloc(L->len), *o = out;
    if (!out)
        return NULL;
    for (; p < e; p++) {
        if (L->tok[0] == '`' && *p == '$' && p + 1 < e && p[1] == '{')
            goto bad;
        if (*p != '\\') {
            *o++ = *p;
            continue;
        }
        switch (*++p) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case '\\': case '"': case '\'': case '`': case '/': *o++ = *p; break;
        default: goto bad;
        }
    }
    *o = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

int migrations_config_string(const char *file, const char *outer, const char *key, char **value, char *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = -1;
    *value = NULL;
    if (prismac_read_file(file, &text, &len) != 0) {
        snprintf(err, MIG_ERR_LEN, "cannot read %s", file);
        return -1;
    }
    lexer L = { .s = text, .end = text + len };
    /* `outer` counts only at the first level of braces: the top-level
     * object of package.json (not "devDependencies": { "prisma": ... }),
     * the object given to defineConfig(). */
    int braces = 0;
    for (next(&L); L.kind != T_END; next(&L)) {
        if (L.kind == T_BAD)
            break;
        if (L.kind == T_PUNCT && L.punct == '{')
            braces++;
        else if (L.kind == T_PUNCT && L.punct == '}')
            braces--;
        if (braces != 1 || !is_key(&L, outer))
            continue;
        lexer colon = L;
        next(&colon);
        if (colon.kind != T_PUNCT || colon.punct != ':')
            continue;
        L = colon;
        next(&L);
        if (L.kind != T_PUNCT || L.punct != '{') {
            snprintf(err, MIG_ERR_LEN,
                     "%s: `%s` is not an object literal; prismac reads only a plain `%s: { %s: \"...\" }` there",
                     file, outer, outer, key);
            goto done;
        }
        int depth = 1;
        for (next(&L); L.kind != T_END && depth > 0; next(&L)) {
            if (L.kind == T_BAD)
                break;
            if (L.kind == T_PUNCT && (L.punct == '{' || L.punct == '[' || L.punct == '('))
                depth++;
            else if (L.kind == T_PUNCT && (L.punct == '}' || L.punct == ']' || L.punct == ')'))
                depth--;
            else if (depth == 1 && is_key(&L, key)) {
                next(&L);
                if (L.kind != T_PUNCT || L.punct != ':')
                    continue;
                next(&L);
                char *v = L.kind == T_STRING ? literal_value(&L) : NULL;
                lexer after = L;
                next(&after);
                if (!v || !(after.kind == T_PUNCT && (after.punct == ',' || after.punct == '}'))) {
                    free(v);
                    snprintf(err, MIG_ERR_LEN,
                             "%s: `%s.%s` is not a plain string literal; prismac does not run TypeScript: write "
                             "the value as \"...\"",
                             file, outer, key);
                    goto done;
                }
                *value = v;
                rc = 1;
                goto done;
            }
        }
        rc = 0;
        goto done;
    }
    if (L.kind == T_BAD) {
        snprintf(err, MIG_ERR_LEN, "%s: an unterminated string", file);
        goto done;
    }
    rc = 0;
done:
    free(text);
    return rc;
}

int migrations_find_config(const char *start_dir, char **out)
{
    char *dir = realpath(start_dir && *start_dir ? start_dir : ".", NULL);
    *out = NULL;
    if (!dir)
        return 0;
    for (;;) {
        size_t n = strlen(dir);
        char *cand = malloc(n + sizeof "/prisma.config.ts");
        if (!cand)
            break;
        snprintf(cand, n + sizeof "/prisma.config.ts", "%s/prisma.config.ts", strcmp(dir, "/") == 0 ? "" : dir);
        FILE *f = fopen(cand, "rb");
        if (f) {
            fclose(f);
            *out = cand;
            break;
        }
        free(cand);
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            break;
        *slash = '\0';
    }
    free(dir);
    return *out ? 1 : 0;
}
