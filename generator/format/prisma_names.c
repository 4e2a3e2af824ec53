/* Names as Prisma's formatter makes them: cruet's camel case and plural. */
#include "format_int.h"

#include <stdbool.h>
#include <string.h>

static bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
/* Non-ASCII bytes count as letters (of no case). */
static bool is_alnum(unsigned char c) { return is_upper(c) || is_lower(c) || is_digit(c) || c >= 0x80; }
static inline char to_upper(unsigned char c) { return (char)(is_lower(c) ? c - 'a' + 'A' : c); }
static inline char to_lower(unsigned char c) { return (char)(is_upper(c) ? c - 'A' + 'a' : c); }

/* cruet's to_camel_case: words start at a separator (any non-alphanumeric),
 * after a digit and at a lower-to-upper change; the first word is lowercase,
 * the others capitalised. `User_Profile` -> `userProfile`. */
char *psl_prisma_camel(psl_arena *a, const char *s)
{
    size_t n = strlen(s), o = 0;
    while (n && !is_alnum((unsigned char)s[n - 1]))
        n--;
    char *out = psl_arena_alloc(a, n + 1);
    bool new_word = false, found = false;
    unsigned char last = ' ';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_alnum(c)) {
            new_word = found;
        } else if (is_digit(c)) {
            found = new_word = true;
            out[o++] = (char)c;
        } else if (new_word || (is_lower(last) && is_upper(c))) {
            found = true;
            new_word = false;
            out[o++] = to_upper(c);
        } else {
            found = true;
            last = c;
            out[o++] = to_lower(c);
        }
    }
    out[o] = '\0';
    return out;
}

static bool ends_with(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(w + n - k, suffix, k) == 0;
}

/* Whether `w` ends with one of `stems` followed by one of `tails`; *cut is
 * the length of the matched tail. */
static bool ends_with_stem(const char *w, size_t n, const char *const *stems, const char *const *tails, size_t *cut)
{
    for (const char *const *t = tails; *t; t++) {
        size_t k = strlen(*t);
        if (!ends_with(w, n, *t))
            continue;
        for (const char *const *s = stems; *s; s++)
            if (ends_with(w, n - k, *s)) {
                *cut = k;
                return true;
            }
    }
    return false;
}

static bool in_set(unsigned char c, const char *set)
{
    return c && strchr(set, c) != NULL;
}

/* cruet's to_plural: its uncountable words, special cases and suffix rules,
 * the last rule first (each rule keeps a stem and appends its ending). */
char *psl_prisma_plural(psl_arena *a, const char *w)
{
    static const char *const uncountable[] = {
        "accommodation", "adulthood", "advertising", "advice", "aggression", "aid", "air", "aircraft", "alcohol",
        "anger", "applause", "arithmetic", "assistance", "athletics", "bacon", "baggage", "beef", "biology",
        "blood", "botany", "bread", "butter", "carbon", "cardboard", "cash", "chalk", "chaos", "chess",
        "crossroads", "countryside", "dancing", "deer", "dignity", "dirt", "dust", "economics", "education",
        "electricity", "engineering", "enjoyment", "envy", "equipment", "ethics", "evidence", "evolution", "fame",
        "fiction", "flour", "flu", "food", "fuel", "fun", "furniture", "gallows", "garbage", "garlic", "genetics",
        "gold", "golf", "gossip", "grammar", "gratitude", "grief", "guilt", "gymnastics", "happiness", "hardware",
        "harm", "hate", "hatred", "health", "heat", "help", "homework", "honesty", "honey", "hospitality",
        "housework", "humour", "hunger", "hydrogen", "ice", "importance", "inflation", "information", "innocence",
        "iron", "irony", "jam", "jewelry", "judo", "karate", "knowledge", "lack", "laughter", "lava", "leather",
        "leisure", "lightning", "linguine", "linguini", "linguistics", "literature", "litter", "livestock",
        "logic", "loneliness", "luck", "luggage", "macaroni", "machinery", "magic", "management", "mankind",
        "marble", "mathematics", "mayonnaise", "measles", "methane", "milk", "money", "mud", "music", "mumps",
        "nature", "news", "nitrogen", "nonsense", "nurture", "nutrition", "obedience", "obesity", "oxygen", "pasta",
        "patience", "physics", "poetry", "pollution", "poverty", "pride", "psychology", "publicity", "punctuation",
        "quartz", "racism", "relaxation", "reliability", "research", "respect", "revenge", "rice", "rubbish",
        "rum", "safety", "scenery", "seafood", "seaside", "series", "shame", "sheep", "shopping", "sleep",
        "smoke", "smoking", "snow", "soap", "software", "soil", "spaghetti", "species", "steam", "stuff",
        "stupidity", "sunshine", "symmetry", "tennis", "thirst", "thunder", "timber", "traffic", "transportation",
        "trust", "underwear", "unemployment", "unity", "validity", "veal", "vegetation", "vegetarianism",
        "vengeance", "violence", "vitality", "warmth", "wealth", "weather", "welfare", "wheat", "wildlife",
        "wisdom", "yoga", "zinc", "zoology",
    };
    static const char *const special[][2] = {
        { "ox", "oxen" },   { "man", "men" },       { "woman", "women" }, { "die", "dice" },
        { "yes", "yeses" }, { "foot", "feet" },     { "eave", "eaves" },  { "goose", "geese" },
        { "tooth", "teeth" }, { "quiz", "quizzes" },
    };
    static const char *const sibilant[] = { "x", "ch", "ss", "sh", "zz", NULL };
    static const char *const matrix[] = { "matr", "cod", "mur", "sil", "vert", "ind", "append", NULL };
    static const char *const ix_ex[] = { "ix", "ex", NULL };
    static const char *const ml[] = { "m", "l", NULL };
    static const char *const ice_ouse[] = { "ice", "ouse", NULL };
    static const char *const hero[] = { "her", "at", "gr", NULL };
    static const char *const o_tail[] = { "o", NULL };
    static const char *const life[] = { "kni", "wi", "li", NULL };
    static const char *const fe[] = { "fe", NULL };
    static const char *const leaf[] = { "ar", "l", "ea", "eo", "oa", "hoo", NULL };
    static const char *const f_tail[] = { "f", NULL };
    static const char *const datum[] = { "agend", "addend", "millenni", "dat", "extrem", "bacteri", "desiderat",
                                         "strat", "candelabr", "errat", "ov", "symposi", "curricul", "automat",
                                         "quor", NULL };
    static const char *const a_um[] = { "a", "um", NULL };
    static const char *const criterion[] = { "apheli", "hyperbat", "periheli", "asyndet", "noumen", "phenomen",
                                             "criteri", "organ", "prolegomen", "hedr", "automat", NULL };
    static const char *const a_on[] = { "a", "on", NULL };
    static const char *const seraph[] = { "seraph", "cherub", NULL };
    static const char *const im_none[] = { "im", "", NULL };
    static const char *const alumna[] = { "alumn", "alg", "vertebr", NULL };
    static const char *const a_ae[] = { "a", "ae", NULL };
    static const char *const alumnus[] = { "alumn", "syllab", "octop", "vir", "radi", "nucle", "fung", "cact",
                                           "stimul", "termin", "bacill", "foc", "uter", "loc", "strat", NULL };
    static const char *const us_i[] = { "us", "i", NULL };
    static const char *const axis[] = { "ax", "test", NULL };
    static const char *const is_tail[] = { "is", NULL };
    static const char *const emu[] = { "emu", "enu", NULL };
    static const char *const s_none[] = { "s", "", NULL };
    static const char *const es_tail[] = { "es", NULL };
    static const char *const none[] = { "", NULL };

    for (size_t i = 0; i < sizeof uncountable / sizeof uncountable[0]; i++)
        if (strcmp(w, uncountable[i]) == 0)
            return psl_arena_strdup(a, w);
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (strcmp(w, special[i][0]) == 0)
            return psl_arena_strdup(a, special[i][1]);

    size_t n = strlen(w), cut = 0;
    const unsigned char *u = (const unsigned char *)w;
    /* The byte before a suffix of k bytes (0: none). */
#define BEFORE(k) (n > (k) ? u[n - (k) - 1] : 0)
    const char *end = "s";
    if (ends_with(w, n, "eaux"))
        end = "";
    else if (ends_with(w, n, "children"))
        cut = 3, end = "ren";
    else if (ends_with(w, n, "child"))
        end = "ren";
    else if (ends_with(w, n, "person") || ends_with(w, n, "people"))
        cut = 4, end = "ople";
    else if (ends_with_stem(w, n, ml, ice_ouse, &cut))
        end = "ice";
    else if (ends_with_stem(w, n, matrix, ix_ex, &cut))
        end = "ices";
    else if (ends_with_stem(w, n, sibilant, none, &cut))
        end = "es";
    else if (ends_with_stem(w, n, sibilant, es_tail, &cut))
        cut = 0, end = "";
    else if (ends_with(w, n, "ey") && n >= 5 && in_set(BEFORE(2), "ln") && in_set(BEFORE(3), "ieo") &&
             !in_set(BEFORE(4), "ch"))
        cut = 2, end = "ies";
    else if (ends_with(w, n, "y") && ((n >= 2 && !in_set(BEFORE(1), "aeiouy")) || ends_with(w, n, "quy")))
        cut = 1, end = "ies";
    else if (ends_with_stem(w, n, leaf, f_tail, &cut))
        end = "ves";
    else if (ends_with_stem(w, n, life, fe, &cut))
        end = "ves";
    else if (ends_with(w, n, "sis"))
        cut = 3, end = "ses";
    else if (ends_with_stem(w, n, criterion, a_on, &cut) || ends_with_stem(w, n, datum, a_um, &cut))
        end = "a";
    else if (ends_with_stem(w, n, hero, o_tail, &cut))
        end = "oes";
    else if (ends_with_stem(w, n, seraph, im_none, &cut))
        end = "im";
    else if (ends_with_stem(w, n, alumna, a_ae, &cut))
        end = "ae";
    else if (ends_with_stem(w, n, alumnus, us_i, &cut))
        end = "i";
    else if (ends_with(w, n, "ias") ? BEFORE(3) != 'l' && n >= 4
             : ends_with(w, n, "las") ? in_set(BEFORE(3), "aeiou")
             : ends_with(w, n, "as") ? in_set(BEFORE(2), "emjzr")
             : ends_with(w, n, "am") && in_set(BEFORE(2), "iu"))
        end = "";
    else if (ends_with_stem(w, n, emu, s_none, &cut))
        end = "s";
    else if (ends_with(w, n, "alias") || ends_with(w, n, "tlas") || ends_with(w, n, "gas") ||
             ends_with(w, n, "ris") || (ends_with(w, n, "us") && n >= 3 && !in_set(BEFORE(2), "aou")))
        end = "es";
    else if (ends_with_stem(w, n, axis, is_tail, &cut))
        end = "es";
    else if (ends_with(w, n, "ese") && n >= 4 && !in_set(BEFORE(3), "aeiou"))
        end = "";
    else if (ends_with(w, n, "s"))
        cut = 1;
#undef BEFORE
    return psl_arena_printf(a, "%.*s%s", (int)(n - cut), w, end);
}

