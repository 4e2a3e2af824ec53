/* MySQL's and MariaDB's Json filters: the JSON functions, as Prisma spells
 * them for MySQL (JSON_EXTRACT with a bound path "$.a[0]", equality as
 * JSON_CONTAINS both ways, JSON_TYPE, JSON_UNQUOTE). MariaDB stores Json as
 * LONGTEXT; every function reads the text as JSON. */
#include "backend_json.h"

#include <stdio.h>

/* "$" then ."key" per key and [n] per array index: an item of digits only is
 * an index. "-n" (the n-th from the end, as PostgreSQL's #> reads it) would
 * be [last-(n-1)], but MariaDB 10.11 resolves `last` once per statement, for
 * the first row's array, and then reads every other row at that index (wrong
 * rows, silently): refused. A key holding `"` or `\` is refused too (its
 * escaping differs between MySQL and MariaDB). */
static bool my_json_path(strbuf *b, const char *const *items, size_t n, char *why, size_t why_len)
{
    sb_putc(b, '$');
    for (size_t i = 0; i < n; i++) {
        const char *s = items[i];
        bool from_end = s[0] == '-';
        bool digits = s[from_end] != '\0';
        for (const char *p = s + from_end; *p; p++) {
            if (*p == '"' || *p == '\\') {
                snprintf(why, why_len, "the path key \"%.40s\" holds a quote or a backslash, which MySQL's JSON paths "
                                       "cannot spell alike on MySQL and MariaDB",
                         s);
                return false;
            }
            if (*p < '0' || *p > '9')
                digits = false;
        }
        if (digits && from_end) {
            snprintf(why, why_len, "the path item \"%.40s\" counts from the end of an array, which MariaDB's JSON "
                                   "paths resolve once per statement, not per row",
                     s);
            return false;
        }
        if (digits)
            sb_printf(b, "[%s]", s);
        else
            sb_printf(b, ".\"%s\"", s);
    }
    return true;
}

const backend_json backend_mysql_json = {
    .whole = "%C",
    .at_path = "JSON_EXTRACT(%C, %P)",
    .path = my_json_path,
    .op = {
        /* Prisma's equality: each contains the other. */
        [BJ_EQ] = "(JSON_CONTAINS(%X, %V) AND JSON_CONTAINS(%V, %X))",
        [BJ_NE] = "NOT (JSON_CONTAINS(%X, %V) AND JSON_CONTAINS(%V, %X))",
        /* MariaDB's JSON_COMPACT: the same spacing on both sides. */
        [BJ_EQ_CI] = "LOWER(JSON_COMPACT(%X)) = LOWER(JSON_COMPACT(%V))",
        [BJ_NE_CI] = "LOWER(JSON_COMPACT(%X)) <> LOWER(JSON_COMPACT(%V))",
        [BJ_IS_STRING] = "JSON_TYPE(%X) = 'STRING'",
        [BJ_IS_NUMBER] = "JSON_TYPE(%X) IN ('INTEGER', 'DOUBLE', 'DECIMAL', 'UNSIGNED INTEGER')",
        [BJ_IS_ARRAY] = "JSON_TYPE(%X) = 'ARRAY'",
        [BJ_TEXT] = "JSON_UNQUOTE(%X)",
        /* Both numbers (compared as numbers) or both strings (as text): the
         * caller checks %X's type first. */
        [BJ_CMP] = "(CASE WHEN JSON_TYPE(%X) = 'STRING' THEN JSON_UNQUOTE(%X)%OJSON_UNQUOTE(%V) ELSE (%X + 0)%O(%V + 0) "
                   "END)",
        /* An item, or every item of an array (JSON_CONTAINS' containment). */
        [BJ_ARRAY_HAS] = "JSON_CONTAINS(%X, %V)",
        [BJ_ARRAY_FIRST] = "(JSON_CONTAINS(JSON_EXTRACT(%X, '$[0]'), %V) AND JSON_CONTAINS(%V, JSON_EXTRACT(%X, '$[0]')))",
        /* The last item by its index, not '$[last]' (which MariaDB 10.11
         * resolves for the first row only). */
        [BJ_ARRAY_LAST] = "(JSON_CONTAINS(JSON_EXTRACT(%X, CONCAT('$[', JSON_LENGTH(%X) - 1, ']')), %V) AND "
                          "JSON_CONTAINS(%V, JSON_EXTRACT(%X, CONCAT('$[', JSON_LENGTH(%X) - 1, ']'))))",
    },
};
