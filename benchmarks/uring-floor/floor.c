// The io_uring floor: the least a C server does per keep-alive request, to show what io_uring_enter
// count per request this machine and load generator allow any io_uring server (issue 16's budget).
// One thread, one ring (SINGLE_ISSUER | DEFER_TASKRUN), multishot accept, multishot recv into a
// provided-buffer ring of 256 x 16 KiB (as Katana's), a fixed /plaintext answer to every request
// head, one send in flight per connection, one io_uring_submit_and_wait(ring, 1) per loop turn.
// No error handling beyond what a loopback benchmark meets: it is a measuring tool, not a server.
//
// Usage: floor PORT [skip|sqpoll]
//   skip    sends tried inline (MSG_DONTWAIT | MSG_WAITALL) with IOSQE_CQE_SKIP_SUCCESS, settled after
//           the next enter when no completion came, as Katana's io_uring backend does
//   sqpoll  IORING_SETUP_SQPOLL instead of DEFER_TASKRUN: a kernel thread submits, and spins while busy
// Built by benchmarks/uring-floor.sh (gcc, liburing-dev).
#include <liburing.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define NBUF 256
#define BUFSZ 16384
#define MAXFD 65536
#define OUTSZ 65536
enum { ACCEPT = 1, RECV = 2, SEND = 3 };

static const char RESP[] = "HTTP/1.1 200 OK\r\nServer: floor\r\nDate: Fri, 04 Dec 2026 10:13:43 GMT\r\n"
                           "Content-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";

struct conn {
    int state; // bytes of "\r\n\r\n" matched
    int sending; // 0 none, 1 send in flight, 2 inline send not yet settled, 3 inline send that completed short
    int outlen, sentoff, inflight;
    char *out;
};
static struct conn conns[MAXFD];
static struct io_uring ring;
static struct io_uring_buf_ring *br;
static char *bufs;
static int skip, sqpoll;
static int pend[MAXFD], npend;

static void arm_recv(int fd) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    io_uring_prep_recv_multishot(sqe, fd, NULL, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = 0;
    io_uring_sqe_set_data64(sqe, ((__u64) RECV << 32) | fd);
}

static void send_out(int fd) {
    struct conn *c = &conns[fd];
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    c->inflight = c->outlen - c->sentoff;
    io_uring_prep_send(sqe, fd, c->out + c->sentoff, c->inflight, skip ? MSG_WAITALL | MSG_DONTWAIT : MSG_WAITALL);
    io_uring_sqe_set_data64(sqe, ((__u64) SEND << 32) | fd);
    if (skip) { sqe->flags |= IOSQE_CQE_SKIP_SUCCESS; pend[npend++] = fd; c->sending = 2; return; }
    c->sending = 1;
}

int main(int argc, char **argv) {
    int port = atoi(argv[1]);
    skip = argc > 2 && strcmp(argv[2], "skip") == 0;
    sqpoll = argc > 2 && strcmp(argv[2], "sqpoll") == 0;
    struct io_uring_params p = {0};
    p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL;
    if (sqpoll) { p.flags |= IORING_SETUP_SQPOLL; p.sq_thread_idle = 1000; } else p.flags |= IORING_SETUP_DEFER_TASKRUN;
    p.cq_entries = 16384;
    if (io_uring_queue_init_params(4096, &ring, &p) < 0) { perror("setup"); return 1; }
    size_t brsz = NBUF * sizeof(struct io_uring_buf);
    br = mmap(NULL, brsz, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    struct io_uring_buf_reg reg = { .ring_addr = (unsigned long) br, .ring_entries = NBUF, .bgid = 0 };
    if (io_uring_register_buf_ring(&ring, &reg, 0)) { fprintf(stderr, "buf ring\n"); return 1; }
    io_uring_buf_ring_init(br);
    bufs = malloc((size_t) NBUF * BUFSZ);
    for (int i = 0; i < NBUF; i++) io_uring_buf_ring_add(br, bufs + (size_t) i * BUFSZ, BUFSZ, i, io_uring_buf_ring_mask(NBUF), i);
    io_uring_buf_ring_advance(br, NBUF);

    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(lfd, (struct sockaddr *) &a, sizeof a) || listen(lfd, 4096)) { perror("listen"); return 1; }
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    io_uring_prep_multishot_accept(sqe, lfd, NULL, NULL, 0);
    io_uring_sqe_set_data64(sqe, (__u64) ACCEPT << 32);

    for (;;) {
        int issued = npend;
        io_uring_submit_and_wait(&ring, 1);
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            seen++;
            int kind = (int) (cqe->user_data >> 32), fd = (int) (cqe->user_data & 0xffffffff);
            int res = cqe->res;
            if (kind == ACCEPT) {
                if (res >= 0) {
                    setsockopt(res, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    memset(&conns[res], 0, sizeof conns[res]);
                    if (!conns[res].out) conns[res].out = malloc(OUTSZ);
                    arm_recv(res);
                }
            } else if (kind == RECV) {
                struct conn *c = &conns[fd];
                if (res <= 0) {
                    if (res == -ENOBUFS) { arm_recv(fd); continue; }
                    if (!(cqe->flags & IORING_CQE_F_MORE)) { close(fd); c->outlen = c->sentoff = c->sending = 0; }
                    continue;
                }
                int bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
                char *d = bufs + (size_t) bid * BUFSZ;
                int before = c->outlen;
                for (int i = 0; i < res; i++) {
                    char ch = d[i];
                    int s = c->state;
                    if ((s == 0 || s == 2) && ch == '\r') s++;
                    else if ((s == 1 || s == 3) && ch == '\n') s++;
                    else s = ch == '\r' ? 1 : 0;
                    if (s == 4) {
                        s = 0;
                        if (c->outlen + (int) sizeof RESP - 1 <= OUTSZ) {
                            memcpy(c->out + c->outlen, RESP, sizeof RESP - 1);
                            c->outlen += sizeof RESP - 1;
                        }
                    }
                    c->state = s;
                }
                io_uring_buf_ring_add(br, d, BUFSZ, bid, io_uring_buf_ring_mask(NBUF), 0);
                io_uring_buf_ring_advance(br, 1);
                if (!(cqe->flags & IORING_CQE_F_MORE)) arm_recv(fd);
                if (c->outlen > before && !c->sending) send_out(fd);
            } else if (kind == SEND) {
                struct conn *c = &conns[fd];
                if (c->sending == 2) { c->sending = 3; if (res > 0) c->sentoff += res; continue; } // settled below
                c->sending = 0;
                if (res < 0) continue;
                c->sentoff += res;
                if (c->sentoff < c->outlen) { send_out(fd); continue; }
                c->sentoff = c->outlen = 0;
            }
        }
        io_uring_cq_advance(&ring, seen);
        if (skip && issued) {
            // every send issued by the last enter ran inline: no completion means it sent it all
            for (int i = 0; i < issued; i++) {
                struct conn *c = &conns[pend[i]];
                if (c->sending == 2) c->sentoff += c->inflight; // no completion: all of it went
                c->sending = 0;
                if (c->sentoff == c->outlen) c->sentoff = c->outlen = 0;
                else send_out(pend[i]);
            }
            memmove(pend, pend + issued, (size_t) (npend - issued) * sizeof pend[0]);
            npend -= issued;
        }
    }
}
