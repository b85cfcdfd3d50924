/* cross.c - what bundles share that honest ones do not: the same capture
 * byte for byte, the same run, an initial sequence number (32 random
 * bits each side, chosen by the kernel), the student's code; and, as a
 * note only, the same ephemeral port (one chance in some 28,000 that
 * two runs draw the same) */
#include <stdio.h>
#include <string.h>

#include "verify-int.h"

static void both(struct sl_vbundle *a, struct sl_vbundle *b, enum sl_mark m,
		 const char *what)
{
	vmark(a, SL_VC_COPIES, m, "%s as %s's bundle (%s)", what, b->student,
	      b->source);
	vmark(b, SL_VC_COPIES, m, "%s as %s's bundle (%s)", what, a->student,
	      a->source);
}

static void pair(struct sl_vbundle *a, struct sl_vbundle *b)
{
	char what[160];

	if (a->pcap_sha[0] && !strcmp(a->pcap_sha, b->pcap_sha))
		both(a, b, SL_MARK_FAIL, "the same capture, byte for byte,");
	else if (a->have_handshake && b->have_handshake &&
		 (a->isn_client == b->isn_client ||
		  a->isn_server == b->isn_server)) {
		snprintf(what, sizeof(what), "the same initial sequence number (%u)",
			 a->isn_client == b->isn_client ? a->isn_client :
			 a->isn_server);
		both(a, b, SL_MARK_FAIL, what);
	} else if (a->have_handshake && b->have_handshake &&
		   a->client_port == b->client_port &&
		   a->server_port == b->server_port) {
		snprintf(what, sizeof(what),
			 "by chance or not, the same ephemeral port %u to port %u",
			 a->client_port, a->server_port);
		both(a, b, SL_MARK_NOTE, what);
	}
	if (a->run_id[0] && !strcmp(a->run_id, b->run_id))
		both(a, b, SL_MARK_FAIL, "the same run");
	if (a->code_sha[0] && !a->own_code && !b->own_code &&
	    !strcmp(a->code_sha, b->code_sha))
		both(a, b, SL_MARK_FAIL, "the same code, file for file,");
}

void vcheck_copies(struct sl_verify *v)
{
	for (size_t i = 0; i < v->n; i++)
		for (size_t k = i + 1; k < v->n; k++)
			pair(&v->v[i], &v->v[k]);
	for (size_t i = 0; i < v->n; i++)
		if (v->n == 1)
			vmark(&v->v[i], SL_VC_COPIES, SL_MARK_NA,
			      "one bundle alone: nothing to compare it with");
		else
			vmark(&v->v[i], SL_VC_COPIES, SL_MARK_OK,
			      "nothing shared with the %zu other bundles", v->n - 1);
}
