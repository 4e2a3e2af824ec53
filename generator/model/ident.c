/* The one list of names generated C must not use.
 *
 * The generated header is compiled as C11, C23 and C++ (it promises
 * `extern "C"` inclusion), with or without GNU extensions, in programs that
 * include other standard headers before it. A schema name in this list gets
 * another C name (names.c); derived names skip it (emit_names.c).
 *
 * What each group breaks, even as a struct member:
 * - keywords: any declaration (`int32_t typeof;` is a syntax error in GNU C
 *   and C23, `char *constexpr;` in C++);
 * - object-like macros (NULL, EOF, errno, INT32_MAX, stdin on some C
 *   libraries, linux/unix predefined in GNU modes): the member is replaced;
 * - function-like macros (assert, offsetof, ...) and the types of the
 *   standard headers break file-scope names only, but stay reserved so that
 *   one rule covers every use. */
#include "ident.h"

#include <string.h>

static const char *const words[] = {
    /* C11 keywords (the _Upper ones are caught by the leading underscore rule
     * of names.c, but are listed for the derived names) */
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
    "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
    "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
    "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
    "_Static_assert", "_Thread_local",
    /* C23 keywords, and the C11 macros that became them */
    "alignas", "alignof", "bool", "constexpr", "false", "nullptr", "static_assert", "thread_local", "true",
    "typeof", "typeof_unqual", "_BitInt", "_Decimal32", "_Decimal64", "_Decimal128",
    /* C++ keywords through C++23 (those not above) */
    "and", "and_eq", "asm", "bitand", "bitor", "catch", "char8_t", "char16_t", "char32_t", "class", "co_await",
    "co_return", "co_yield", "compl", "concept", "const_cast", "consteval", "constinit", "decltype", "delete",
    "dynamic_cast", "explicit", "export", "friend", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
    "operator", "or", "or_eq", "private", "protected", "public", "reflexpr", "reinterpret_cast", "requires",
    "static_cast", "template", "this", "throw", "try", "typeid", "typename", "using", "virtual", "wchar_t", "xor",
    "xor_eq",
    /* GNU C keywords and predefined macros of the GNU modes */
    "__asm__", "__typeof__", "__inline__", "__attribute__", "linux", "unix", "i386",
    /* <stddef.h>, <stdint.h>, <stdbool.h> */
    "NULL", "offsetof", "size_t", "ptrdiff_t", "max_align_t", "int8_t", "int16_t", "int32_t", "int64_t",
    "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int_least8_t", "int_least16_t", "int_least32_t",
    "int_least64_t", "uint_least8_t", "uint_least16_t", "uint_least32_t", "uint_least64_t", "int_fast8_t",
    "int_fast16_t", "int_fast32_t", "int_fast64_t", "uint_fast8_t", "uint_fast16_t", "uint_fast32_t",
    "uint_fast64_t", "intptr_t", "uintptr_t", "intmax_t", "uintmax_t", "PTRDIFF_MIN", "PTRDIFF_MAX", "SIZE_MAX",
    "SIG_ATOMIC_MIN", "SIG_ATOMIC_MAX", "WCHAR_MIN", "WCHAR_MAX", "WINT_MIN", "WINT_MAX", "INTPTR_MIN",
    "INTPTR_MAX", "UINTPTR_MAX", "INTMAX_MIN", "INTMAX_MAX", "UINTMAX_MAX", "INTMAX_C", "UINTMAX_C",
    "__bool_true_false_are_defined",
    /* <stdio.h>, <stdlib.h>, <errno.h>, <assert.h>: what a program includes
     * beside the generated header */
    "FILE", "EOF", "BUFSIZ", "stdin", "stdout", "stderr", "errno", "assert", "EXIT_SUCCESS", "EXIT_FAILURE",
    "RAND_MAX", "MB_CUR_MAX", "main",
};

/* INT8_MAX, UINT_LEAST16_MIN, INT64_C...: the sized <stdint.h> macros. */
static bool is_stdint_sized_macro(const char *s)
{
    static const char *const tails[] = { "8_MIN",  "8_MAX",  "8_C",    "16_MIN", "16_MAX", "16_C",
                                         "32_MIN", "32_MAX", "32_C",   "64_MIN", "64_MAX", "64_C" };
    if (*s == 'U')
        s++;
    if (strncmp(s, "INT", 3) != 0)
        return false;
    s += 3;
    if (strncmp(s, "_LEAST", 6) == 0)
        s += 6;
    else if (strncmp(s, "_FAST", 5) == 0)
        s += 5;
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++)
        if (strcmp(s, tails[i]) == 0)
            return true;
    return false;
}

bool psl_reserved_word(const char *s)
{
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (words[i][0] == s[0] && strcmp(s, words[i]) == 0) /* hot: every name of the schema */
            return true;
    return is_stdint_sized_macro(s);
}

bool psl_has_runtime_prefix(const char *s)
{
    return strncmp(s, "prisma_", 7) == 0 || strncmp(s, "PRISMA_", 7) == 0;
}

bool psl_in_runtime_namespace(const char *s)
{
    bool lower = strncmp(s, "prisma_", 7) == 0, upper = strncmp(s, "PRISMA_", 7) == 0;
    if ((!lower && !upper) || s[strlen(s) - 1] == '_')
        return false;
    for (const char *p = s + 7; *p; p++)
        if (lower ? (*p >= 'A' && *p <= 'Z') : (*p >= 'a' && *p <= 'z'))
            return false;
    return true;
}
