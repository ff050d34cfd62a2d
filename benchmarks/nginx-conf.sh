# Sourced by bench.sh and cpu.sh: the nginx peer, one worker answering /plaintext like the example app.
write_nginx_conf() { # dir port [files [chain key [directives]]]: nginx.conf for one worker serving /plaintext (and files/ under /files/, with sendfile and any extra directives) on 127.0.0.1:port; HTTPS with chain and key
  mkdir -p "$1/logs"
  local files_location="" tls=""
  if [[ -n ${3-} ]]; then
    files_location="location /files/ { alias $3/; sendfile on; ${6-} }"
  fi
  if [[ -n ${4-} ]]; then
    # nginx 1.22 leaves TLS 1.3 out of its default protocols; a shared cache resumes TLS 1.2 session ids
    # and tickets (on by default) TLS 1.3 sessions, as Katana's engines do.
    tls="ssl; ssl_certificate $4; ssl_certificate_key $5; ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:katana:10m; ssl_session_timeout 1h"
  fi
  cat >"$1/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 20000;
pid $1/nginx.pid;
error_log $1/error.log warn;
events {
    worker_connections 16384;
    use epoll;
}
http {
    access_log off;
    server_tokens off;
    keepalive_requests 100000000;
    keepalive_timeout 120s;
    client_body_temp_path $1/body;
    proxy_temp_path $1/proxy;
    fastcgi_temp_path $1/fastcgi;
    uwsgi_temp_path $1/uwsgi;
    scgi_temp_path $1/scgi;
    server {
        listen 127.0.0.1:$2 backlog=4096 $tls;
        location /plaintext {
            default_type text/plain;
            return 200 "Hello, World!";
        }
        $files_location
    }
}
EOF
}
