/* pdf_lang.c - languages and scripts (see pdf_lang.h). */
#include "pdf_lang.h"

#include <string.h>

typedef struct { const char *lang; GUnicodeScript script; } lang_script;
/* The first language of a script is the one its runs are marked with. */
static const lang_script LANGS[] = {
    {"en", G_UNICODE_SCRIPT_LATIN},     {"hi", G_UNICODE_SCRIPT_DEVANAGARI},
    {"ar", G_UNICODE_SCRIPT_ARABIC},    {"ta", G_UNICODE_SCRIPT_TAMIL},
    {"mr", G_UNICODE_SCRIPT_DEVANAGARI}, {"ne", G_UNICODE_SCRIPT_DEVANAGARI},
    {"fa", G_UNICODE_SCRIPT_ARABIC},    {"ur", G_UNICODE_SCRIPT_ARABIC},
    {"he", G_UNICODE_SCRIPT_HEBREW},    {"el", G_UNICODE_SCRIPT_GREEK},
    {"ru", G_UNICODE_SCRIPT_CYRILLIC},  {"uk", G_UNICODE_SCRIPT_CYRILLIC},
    {"bn", G_UNICODE_SCRIPT_BENGALI},   {"th", G_UNICODE_SCRIPT_THAI},
    {"zh", G_UNICODE_SCRIPT_HAN},       {"ko", G_UNICODE_SCRIPT_HANGUL},
};

GUnicodeScript pdf_lang_script(const char *lang)
{
    size_t n = lang ? strcspn(lang, "-_") : 0;
    for (size_t i = 0; i < G_N_ELEMENTS(LANGS); i++)
        if (n == strlen(LANGS[i].lang) && !strncmp(lang, LANGS[i].lang, n))
            return LANGS[i].script;
    return G_UNICODE_SCRIPT_LATIN;
}

const char *pdf_script_lang(GUnicodeScript s)
{
    for (size_t i = 0; i < G_N_ELEMENTS(LANGS); i++)
        if (LANGS[i].script == s)
            return LANGS[i].lang;
    return NULL;
}

GUnicodeScript pdf_text_script(const char *text)
{
    for (const char *p = text; *p; p = g_utf8_next_char(p)) {
        GUnicodeScript s = g_unichar_get_script(g_utf8_get_char(p));
        if (s != G_UNICODE_SCRIPT_COMMON && s != G_UNICODE_SCRIPT_INHERITED &&
            s != G_UNICODE_SCRIPT_UNKNOWN)
            return s;
    }
    return G_UNICODE_SCRIPT_INVALID_CODE;
}

const char *pdf_other_lang(const char *text, GUnicodeScript own)
{
    GUnicodeScript found = G_UNICODE_SCRIPT_INVALID_CODE;
    for (const char *p = text; p && *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (!g_unichar_isalpha(c))
            continue;
        GUnicodeScript s = g_unichar_get_script(c);
        if (s == G_UNICODE_SCRIPT_COMMON || s == G_UNICODE_SCRIPT_INHERITED)
            continue;
        if (found != G_UNICODE_SCRIPT_INVALID_CODE && found != s)
            return NULL;
        found = s;
    }
    if (found == G_UNICODE_SCRIPT_INVALID_CODE || found == own)
        return NULL;
    return pdf_script_lang(found);
}
