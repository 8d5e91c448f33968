/* money.h - amounts of money as people in each currency write them.
 *
 * USD and most currencies group by thousands ($95,000; short: $95K, $1.2M). INR groups
 * the Indian way, lakh and crore (₹12,50,000; short: ₹12.5L, ₹1.2Cr). */
#ifndef CP_MONEY_H
#define CP_MONEY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { MONEY_FULL, MONEY_SHORT } money_style;

bool currency_known(const char *code);
/* Comma-separated list of the supported codes, for messages. */
const char *currency_list(void);

/* Writes the amount (rounded to whole units) into buf; false when the currency is
 * unknown or buf is too small. */
bool money_format(char *buf, size_t size, double amount, const char *currency,
                  money_style style);

/* How a language writes amounts (all fields optional: NULL keeps the built-in English
 * form). Templates: units take {n} ("{n}K", "{n} लाख"), currencies {amount}
 * ("${amount}", "{amount} درهم"). */
typedef struct {
    const char *thousands_sep, *decimal_sep;
    const char *thousand, *million, *lakh, *crore;
    const char *currency;    /* the template for this amount's currency */
    const char *digits;      /* "latin" (default), "devanagari", "arabic-indic" */
} money_locale;

/* money_format written the way `loc` says. */
bool money_format_in(char *buf, size_t size, double amount, const char *currency,
                     money_style style, const money_locale *loc);
bool money_digits_known(const char *digits);

/* "$95K – $380K+" style ranges; open_ended appends "+". */
bool money_range(char *buf, size_t size, double min, double max, const char *currency,
                 money_style style, bool open_ended);

#endif
