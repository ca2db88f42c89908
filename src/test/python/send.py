"""Sends COUNT records {"seq": i, "msg": "python-<i>", "lang": "python"} with Debian's
python3-fluent-logger (fluent.sender), one emit per record, and exits 0 if every emit succeeded.

Usage: python3 send.py HOST PORT TAG COUNT   (TAG is PREFIX.LABEL, as the client builds tags)
"""
import sys

from fluent import sender


def main():
    host, port, tag, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    prefix, _, label = tag.partition(".")
    logger = sender.FluentSender(prefix, host=host, port=port, timeout=10.0, nanosecond_precision=True)
    failures = 0
    for i in range(count):
        if not logger.emit(label, {"seq": i, "msg": "python-%d" % i, "lang": "python"}):
            failures += 1
            print("emit failed: %r" % (logger.last_error,), file=sys.stderr)
            logger.clear_last_error()
    logger.close()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
