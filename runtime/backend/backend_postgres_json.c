/* PostgreSQL's Json filters: jsonb operators, as Prisma's. A json column
 * (@db.Json) is cast to jsonb, so both behave alike; a path is a bound
 * text[] (`#>`: a key in an object, an index in an array). */
#include "backend_json.h"

/* The path as an array literal: {"a","0"}, each item quoted. */
static bool pg_json_path(strbuf *b, const char *const *items, size_t n, char *why, size_t why_len)
{
    (void)why;
    (void)why_len;
    sb_putc(b, '{');
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_putc(b, ',');
        sb_putc(b, '"');
        for (const char *s = items[i]; *s; s++) {
            if (*s == '"' || *s == '\\')
                sb_putc(b, '\\');
            sb_putc(b, *s);
        }
        sb_putc(b, '"');
    }
    sb_putc(b, '}');
    return true;
}

const backend_json backend_postgres_json = {
    .whole = "(%C::jsonb)",
    .at_path = "(%C::jsonb #> %P::text[])",
    .path = pg_json_path,
    .op = {
        [BJ_EQ] = "%X = %V::jsonb",
        [BJ_NE] = "%X <> %V::jsonb",
        [BJ_EQ_CI] = "LOWER(%X::text) = LOWER(%V::jsonb::text)",
        [BJ_NE_CI] = "LOWER(%X::text) <> LOWER(%V::jsonb::text)",
        [BJ_IS_STRING] = "jsonb_typeof(%X) = 'string'",
        [BJ_IS_NUMBER] = "jsonb_typeof(%X) = 'number'",
        [BJ_IS_ARRAY] = "jsonb_typeof(%X) = 'array'",
        [BJ_TEXT] = "(%X #>> '{}')",
        [BJ_CMP] = "%X%O%V::jsonb",
        /* jsonb containment: an item, or every item of an array (nested
         * arrays contained in turn). */
        [BJ_ARRAY_HAS] = "%X @> %V::jsonb",
        [BJ_ARRAY_FIRST] = "%X -> 0 = %V::jsonb",
        [BJ_ARRAY_LAST] = "%X -> -1 = %V::jsonb",
    },
};
