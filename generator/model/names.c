/* C names for schema names: valid identifiers that clash with nothing. */
#include "ident.h"
#include "schema_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

bool psl_is_c_reserved(const char *name)
{
    /* The one list (ident.c), the runtime's namespace and the
     * implementation's (a leading underscore). */
    return psl_reserved_word(name) || psl_has_runtime_prefix(name) || streq(name, "prisma") || name[0] == '_';
}

/* Copies `name`, replacing what a C identifier cannot hold: `-` becomes `_`,
 * a non-ASCII character becomes uXXXX. */
static char *sanitize(psl_arena *a, const char *name)
{
    size_t n = strlen(name);
    char *out = psl_arena_alloc(a, n * 8 + 4);
    size_t o = 0;
    if (isdigit((unsigned char)name[0]))
        out[o++] = 'n';
    for (const unsigned char *p = (const unsigned char *)name; *p;) {
        if (*p < 0x80) {
            out[o++] = (isalnum(*p) || *p == '_') ? (char)*p : '_';
            p++;
            continue;
        }
        uint32_t cp;
        int len;
        if (*p >= 0xF0) {
            cp = *p & 0x07;
            len = 4;
        } else if (*p >= 0xE0) {
            cp = *p & 0x0F;
            len = 3;
        } else {
            cp = *p & 0x1F;
            len = 2;
        }
        int k = 1;
        for (; k < len && (p[k] & 0xC0) == 0x80; k++)
            cp = (cp << 6) | (p[k] & 0x3F);
        p += k;
        o += (size_t)sprintf(out + o, "u%04X", (unsigned)cp);
    }
    out[o] = '\0';
    return out;
}

const char *psl_c_identifier(psl_arena *a, const char *name)
{
    char *id = sanitize(a, name);
    if (!psl_is_c_reserved(id))
        return id;
    /* The runtime's prefixes and the implementation's _names get a prefix
     * of their own; keywords get a trailing underscore. */
    if (strncmp(id, "prisma", 6) == 0 || strncmp(id, "PRISMA", 6) == 0)
        return psl_arena_printf(a, "n_%s", id);
    if (id[0] == '_')
        return psl_arena_printf(a, "u%s", id);
    return psl_arena_printf(a, "%s_", id);
}

const char *psl_snake_case(psl_arena *a, const char *name)
{
    char *id = sanitize(a, name);
    size_t n = strlen(id);
    char *out = psl_arena_alloc(a, n * 2 + 8);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (isupper(c)) {
            /* A word starts at an upper-case letter after a lower-case one or
             * a digit, or before a lower-case one in a run: HTTPRequest. */
            bool prev_lower = i > 0 && (islower((unsigned char)id[i - 1]) || isdigit((unsigned char)id[i - 1]));
            bool run_end = i > 0 && isupper((unsigned char)id[i - 1]) && i + 1 < n &&
                           islower((unsigned char)id[i + 1]);
            if (o > 0 && out[o - 1] != '_' && (prev_lower || run_end))
                out[o++] = '_';
            out[o++] = (char)tolower(c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    if (psl_is_c_reserved(out) || strncmp(out, "prisma", 6) == 0)
        return psl_arena_printf(a, "m_%s", out[0] == '_' ? out + 1 : out);
    return out;
}

const char *psl_upper_snake(psl_arena *a, const char *name)
{
    const char *s = psl_snake_case(a, name);
    char *u = psl_arena_strdup(a, s);
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return u;
}
