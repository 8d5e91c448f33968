/* careers.h - the career a roster row names, by id, role or title, any case. */
#ifndef CP_CAREERS_H
#define CP_CAREERS_H

#include "../model/docs.h"

typedef struct cp_careers cp_careers;

cp_careers *careers_new(const cp_library *lib);
void careers_free(cp_careers *c);

/* The id of the career `value` names: its id, role ("Registered Nurse") or title, in
 * any case and with any punctuation between words ("AI-Engineer", "NURSE"). NULL
 * otherwise, with *why saying so and suggesting the nearest id (in `a`). */
const char *careers_find(cp_careers *c, const char *value, const char **why, cp_arena *a);

#endif
