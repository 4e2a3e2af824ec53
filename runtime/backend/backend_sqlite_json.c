/* SQLite's Json filters: the JSON functions (json_type, json_each) and the
 * -> / ->> operators (SQLite 3.38). A value is compared as minified JSON
 * text (json()); a path is one bound JSON path, "$.a[0]". */
#include "backend_json.h"

#include <stdio.h>

/* "$" then ."key" per key and [n] per array index: an item of digits only
 * is an index, "-n" the n-th from the end ([#-n]), as PostgreSQL's #> reads
 * them in arrays. A key holding `"` has no spelling in SQLite's paths. */
static bool sq_json_path(strbuf *b, const char *const *items, size_t n, char *why, size_t why_len)
{
    sb_putc(b, '$');
    for (size_t i = 0; i < n; i++) {
        const char *s = items[i];
        bool from_end = s[0] == '-';
        bool digits = s[from_end] != '\0';
        for (const char *p = s + from_end; *p; p++) {
            if (*p == '"') {
                snprintf(why, why_len, "the path key \"%.40s\" holds a double quote, which SQLite's JSON paths cannot spell",
                         s);
                return false;
            }
            if (*p < '0' || *p > '9')
                digits = false;
        }
        if (digits)
            sb_printf(b, from_end ? "[#%s]" : "[%s]", s);
        else
            sb_printf(b, ".\"%s\"", s);
    }
    return true;
}

const backend_json backend_sqlite_json = {
    .whole = "(%C -> '$')",
    .at_path = "(%C -> %P)",
    .path = sq_json_path,
    .op = {
        [BJ_EQ] = "%X = json(%V)",
        [BJ_NE] = "%X <> json(%V)",
        [BJ_EQ_CI] = "LOWER(%X) = LOWER(json(%V))",
        [BJ_NE_CI] = "LOWER(%X) <> LOWER(json(%V))",
        [BJ_IS_STRING] = "json_type(%X) = 'text'",
        [BJ_IS_NUMBER] = "json_type(%X) IN ('integer', 'real')",
        [BJ_IS_ARRAY] = "json_type(%X) = 'array'",
        [BJ_TEXT] = "(%X ->> '$')",
        [BJ_CMP] = "(%X ->> '$')%Ojson_extract(%V, '$')",
        /* Every item of %V (or %V itself, not an array) is an item of %X:
         * same JSON type and value. */
        [BJ_ARRAY_HAS] = "NOT EXISTS (SELECT 1 FROM json_each(%V) AS prisma_jw WHERE NOT EXISTS (SELECT 1 FROM json_each(%X) "
                         "AS prisma_jh WHERE prisma_jh.type = prisma_jw.type AND prisma_jh.value IS prisma_jw.value))",
        [BJ_ARRAY_FIRST] = "%X -> '$[0]' = json(%V)",
        [BJ_ARRAY_LAST] = "%X -> '$[#-1]' = json(%V)",
    },
};
