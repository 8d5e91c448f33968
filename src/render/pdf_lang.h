/* pdf_lang.h - which language a script's text is marked with, and back: the one table
 * of languages and scripts for the finisher (an element's /Lang) and the text layer (a
 * run's marked-content /Lang).
 *
 * A PDF reader picks a voice by /Lang; our text only says which script it is in. The
 * script gives the language: Latin text is marked `en` (the language of our Latin
 * labels), Devanagari `hi`, Arabic `ar`, Tamil `ta`; a language not listed is written
 * in Latin (fr, de, es...). Digits, spaces and punctuation belong to every language. */
#ifndef CP_PDF_LANG_H
#define CP_PDF_LANG_H

#include <glib.h>

/* The script a language tag ("hi", "en-GB") is written in; Latin for those not listed. */
GUnicodeScript pdf_lang_script(const char *lang);

/* The language a run of the script is marked with, or NULL for a script not listed. */
const char *pdf_script_lang(GUnicodeScript script);

/* The script of a text's first letter, or G_UNICODE_SCRIPT_INVALID_CODE when it has
 * none (digits, punctuation and spaces only). */
GUnicodeScript pdf_text_script(const char *text);

/* The language of a text all of whose letters are in one script other than `own`
 * (NULL when mixed, without letters, in `own` or in a script not listed). */
const char *pdf_other_lang(const char *text, GUnicodeScript own);

#endif
