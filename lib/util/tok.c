/* tok.c - value-to-name tables instead of switch ladders */
#include <strings.h>

#include "socklab/util.h"

const char *sl_tok_name(const struct sl_tok *t, int value, const char *dflt)
{
	for (; t->name; t++)
		if (t->value == value)
			return t->name;
	return dflt;
}

int sl_tok_value(const struct sl_tok *t, const char *name)
{
	for (; t->name; t++)
		if (strcasecmp(t->name, name) == 0)
			return t->value;
	return -1;
}
