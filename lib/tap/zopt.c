/* zopt.c - tshark's -z spellings, as its users type them, turned into a
 * report's options: conv,L  endpoints,L  follow,tcp|udp,ascii|hex,N
 * expert  flow,tcp,standard.  Anything else is refused with the list. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/tap.h"

#define ACCEPTED "accepted: conv,tcp|udp|ip|ipv6|eth, endpoints,tcp|udp|ip|ipv6|eth, " \
		 "follow,tcp|udp,ascii|hex,N, expert, flow,tcp,standard"

/* the next comma-separated word of *s into w (at most n - 1 bytes):
 * its length, or -1 when too long */
static int word(const char **s, char *w, size_t n)
{
	size_t k = strcspn(*s, ",");

	if (k >= n)
		return -1;
	memcpy(w, *s, k);
	w[k] = 0;
	*s += k;
	if (**s == ',')
		(*s)++;
	return (int)k;
}

int sl_tap_parse_z(const char *arg, struct sl_tap_opts *o, int *flow,
		   struct sl_err *e)
{
	char kind[16], a[16], b[16], c[24];
	const char *s = arg;
	int more;

	char shown[80];

	/* the user's words, shown back escaped */
	sl_escape(shown, sizeof(shown), arg, strlen(arg));
	memset(o, 0, sizeof(*o));
	o->stream = -1;
	/* an empty last word is a typing slip, not a default */
	if (!*arg || arg[strlen(arg) - 1] == ',' ||
	    word(&s, kind, sizeof(kind)) < 0)
		goto bad;
	if (strcmp(kind, "expert") == 0 && !*s && !strchr(arg, ',')) {
		o->kind = SL_TAP_EXPERT;
		return 0;
	}
	if (strcmp(kind, "conv") == 0 || strcmp(kind, "endpoints") == 0) {
		if (word(&s, a, sizeof(a)) < 0 || sl_tap_layer_of(a, &o->layer) < 0)
			goto bad;
		if (*s || arg[strlen(arg) - 1] == ',')
			return sl_err_set(e, -EINVAL, "-z %s: a filter after the "
					  "layer is not taken here: give it with "
					  "-Y (%s)", shown, ACCEPTED);
		o->kind = kind[0] == 'c' ? SL_TAP_CONV : SL_TAP_ENDPOINTS;
		return 0;
	}
	if (strcmp(kind, "follow") == 0) {
		if (word(&s, a, sizeof(a)) < 0 || sl_tap_layer_of(a, &o->layer) < 0 ||
		    o->layer > SL_TAP_UDP || word(&s, b, sizeof(b)) < 0 ||
		    (strcmp(b, "ascii") && strcmp(b, "hex")))
			goto bad;
		more = word(&s, c, sizeof(c));
		if (more <= 0 || *s || c[0] < '0' || c[0] > '9')
			return sl_err_set(e, -EINVAL, "-z %s: the stream number is "
					  "needed (-z follow,%s,%s,0; %s.stream in "
					  "-V shows it)", shown, a, b, a);
		char *end;
		unsigned long n = strtoul(c, &end, 10);

		if (*end || n > UINT32_MAX)
			return sl_err_set(e, -EINVAL, "-z %s: the stream is a number "
					  "from 0 to 4294967295", shown);
		o->kind = SL_TAP_FOLLOW;
		o->hex = b[0] == 'h';
		o->stream = (int64_t)n;
		return 0;
	}
	if (strcmp(kind, "flow") == 0) {
		if (word(&s, a, sizeof(a)) < 0 || strcmp(a, "tcp") ||
		    word(&s, b, sizeof(b)) < 0 || strcmp(b, "standard") || *s)
			goto bad;
		*flow = 1;
		return 1;
	}
bad:
	return sl_err_set(e, -EINVAL, "-z %s: not a report socklab makes; %s",
			  shown, ACCEPTED);
}
