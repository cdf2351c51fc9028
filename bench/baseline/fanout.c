/*
 * The kernel baseline: the least a forwarder on loopback can cost. No ICE, no DTLS, no SRTP, no RTP
 * parsing. Every datagram from the publisher is copied, unchanged, to every subscriber with sendmmsg(2);
 * datagrams are read in batches with recvmmsg(2). A subscriber joins by sending one datagram that starts
 * with the byte 'J' from its socket; the publisher is whoever sends anything else.
 *   fanout PORT   (listens on 127.0.0.1:PORT until killed)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_SUBSCRIBERS 20000
#define BATCH 32
#define MAX_DATAGRAM 2048

static struct sockaddr_in subscribers[MAX_SUBSCRIBERS];
static int subscriber_count;

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fanout PORT\n");
        return 2;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int size = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1])) };
    inet_pton(AF_INET, "127.0.0.1", &local.sin_addr);
    if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0) {
        perror("bind");
        return 1;
    }
    static char buffers[BATCH][MAX_DATAGRAM];
    static struct sockaddr_in from[BATCH];
    static struct iovec iov[BATCH];
    static struct mmsghdr in[BATCH];
    static struct mmsghdr out[BATCH];
    static struct iovec out_iov[BATCH];
    for (;;) {
        for (int i = 0; i < BATCH; i++) {
            iov[i].iov_base = buffers[i];
            iov[i].iov_len = MAX_DATAGRAM;
            memset(&in[i].msg_hdr, 0, sizeof in[i].msg_hdr);
            in[i].msg_hdr.msg_iov = &iov[i];
            in[i].msg_hdr.msg_iovlen = 1;
            in[i].msg_hdr.msg_name = &from[i];
            in[i].msg_hdr.msg_namelen = sizeof from[i];
        }
        int n = recvmmsg(fd, in, BATCH, MSG_WAITFORONE, NULL);
        if (n <= 0)
            continue;
        for (int p = 0; p < n; p++) {
            unsigned len = in[p].msg_len;
            if (len > 0 && buffers[p][0] == 'J') {
                if (subscriber_count < MAX_SUBSCRIBERS)
                    subscribers[subscriber_count++] = from[p];
                continue;
            }
            /* One datagram to every subscriber, BATCH destinations per sendmmsg call. */
            for (int first = 0; first < subscriber_count; first += BATCH) {
                int count = subscriber_count - first < BATCH ? subscriber_count - first : BATCH;
                for (int i = 0; i < count; i++) {
                    out_iov[i].iov_base = buffers[p];
                    out_iov[i].iov_len = len;
                    memset(&out[i].msg_hdr, 0, sizeof out[i].msg_hdr);
                    out[i].msg_hdr.msg_iov = &out_iov[i];
                    out[i].msg_hdr.msg_iovlen = 1;
                    out[i].msg_hdr.msg_name = &subscribers[first + i];
                    out[i].msg_hdr.msg_namelen = sizeof subscribers[first + i];
                }
                int sent = 0;
                while (sent < count) {
                    int r = sendmmsg(fd, out + sent, count - sent, 0);
                    if (r <= 0)
                        break;
                    sent += r;
                }
            }
        }
    }
}
