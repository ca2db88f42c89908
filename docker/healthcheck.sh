#!/bin/bash
# Container health check that starts no JVM (a JVM every 10 s would cost a sidecar CPU and, sized
# by JAVA_TOOL_OPTIONS, most of the container's memory): GET /health on the admin address over
# bash's /dev/tcp. Exit 0 on HTTP 200, 1 otherwise, as Docker and ECS expect.
# Usage: healthcheck.sh [HOST:PORT]   (default 127.0.0.1:2020, the image's service.admin)
addr="${1:-127.0.0.1:2020}"
host="${addr%:*}"
port="${addr##*:}"
exec 3<>"/dev/tcp/${host}/${port}" || exit 1
printf 'GET /health HTTP/1.0\r\nHost: %s\r\n\r\n' "${host}" >&3
IFS= read -r -t 3 status <&3 || exit 1
case "${status}" in
  HTTP/1.?" 200"*) exit 0 ;;
  *) exit 1 ;;
esac
