/* dftest.c - the display filter alone over a pcap, like Wireshark's dftest:
 * prints the numbers of the frames that pass, one per line (or the count
 * with -c), without socklab capture's printing: for debugging a filter or
 * timing it apart from the rest (the tests use socklab capture itself).
 *
 *   dftest [-c] FILE FILTER
 *
 * Build: cc -Iinclude tests/dfilter/dftest.c build/libsocklab.a $(pkg-config
 *        --libs libpcap libmnl gdlib) -lm
 *
 * Exit 0, 1 when FILE cannot be read, 2 when FILTER does not compile (the
 * error is shown as socklab shows it). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socklab/dfilter.h"
#include "socklab/dissect.h"
#include "socklab/util.h"

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct sl_err e;
	struct sl_dfilter *f;
	struct sl_stream_table *st;
	struct sl_packet *p;
	struct pcap_pkthdr *h;
	const u_char *data;
	struct sl_frame_seq seq = { 0 };
	unsigned long long shown = 0;
	int count = 0, col, len, rc, arg = 1;
	pcap_t *pc;

	if (argc > 1 && !strcmp(argv[1], "-c"))
		count = 1, arg++;
	if (argc - arg != 2) {
		fprintf(stderr, "usage: dftest [-c] FILE FILTER\n");
		return 2;
	}
	if (sl_dfilter_compile(&f, argv[arg + 1], &col, &len, &e) < 0) {
		struct sl_buf b = SL_BUF_INIT;

		sl_dfilter_format_error(&b, "dftest: ", argv[arg + 1], e.msg,
					col, len);
		fputs(b.data ? b.data : "dftest: out of memory\n", stderr);
		sl_buf_release(&b);
		return 2;
	}
	pc = pcap_open_offline_with_tstamp_precision(argv[arg],
			PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!pc) {
		fprintf(stderr, "dftest: %s\n", errbuf);
		return 1;
	}
	p = calloc(1, sizeof(*p));
	if (sl_stream_table_new(&st, &e) < 0 || !p)
		return 1;
	seq.linktype = pcap_datalink(pc);
	while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
		int64_t ts = (int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec;

		sl_packet_frame(p, &seq, ts, data, h->caplen, h->len);
		sl_dissect(p, st);
		if (sl_dfilter_match(f, p)) {
			shown++;
			if (!count)
				printf("%llu\n", (unsigned long long)p->number);
		}
	}
	if (count)
		printf("%llu\n", shown);
	free(p);
	sl_stream_table_free(st);
	pcap_close(pc);
	sl_dfilter_free(f);
	return 0;
}
