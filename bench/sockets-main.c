/* sockets-main.c - bench-sockets.sh builds `socklab sockets` alone with
 * this main, linked only against libmnl, to show how much of a run is the
 * start-up of the full binary (the shared libraries libpcap brings). */
#include <signal.h>

#include "cli.h"

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	return cmd_sockets(argc, argv);
}
