#!/usr/bin/env bash
# Run a command against a throw-away IMAP server (Debian's dovecot-imapd):
#
#   tests/lib/imap-test.sh COMMAND [ARG...]
#
# writes a dovecot configuration into a temporary directory (its own base_dir, logs and
# Maildir; one user from a passwd-file; plaintext login allowed, ssl=no: a test server),
# starts dovecot in the foreground on 127.0.0.1 at a free port, and runs COMMAND with
#
#   ALO153_TEST_IMAP_URL          imap://127.0.0.1:PORT/INBOX
#   ALO153_TEST_IMAP_CREDENTIALS  a file holding "user:password"
#   ALO153_TEST_IMAP_MAILDIR      the user's Maildir (drop a message into new/ to deliver it)
#
# then stops it and removes the directory. As root, dovecot's processes run as `nobody`.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: tests/lib/imap-test.sh COMMAND [ARG...]" >&2; exit 2; }
DOVECOT=${DOVECOT:-/usr/sbin/dovecot}
[ -x "$DOVECOT" ] || { echo "imap-test: no dovecot (apt-get install dovecot-imapd)" >&2; exit 2; }

dir=$(mktemp -d /tmp/alo153-imap.XXXXXX)
chmod 755 "$dir"
user=$(id -un)
group=$(id -gn)
if [ "$(id -u)" -eq 0 ]; then user=nobody; group=nogroup; fi
mkdir -p "$dir/run" "$dir/state" "$dir/mail/Maildir/new" "$dir/mail/Maildir/cur" "$dir/mail/Maildir/tmp"
password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
printf 'alo153:{PLAIN}%s::::::\n' "$password" > "$dir/passwd"
printf 'alo153:%s\n' "$password" > "$dir/credentials"
chmod 600 "$dir/credentials"
if [ "$(id -u)" -eq 0 ]; then
  chown -R nobody:nogroup "$dir/run" "$dir/state" "$dir/mail"
  chmod 777 "$dir/mail/Maildir/new"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
uid=$(id -u "$user")
gid=$(getent group "$group" | cut -d: -f3)
cat > "$dir/dovecot.conf" <<CONF
base_dir = $dir/run
state_dir = $dir/state
instance_name = alo153-imap-$port
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = $dir/dovecot.log
info_log_path = $dir/dovecot.log
default_internal_user = $user
default_internal_group = $group
default_login_user = $user
mail_location = maildir:$dir/mail/Maildir
first_valid_uid = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN $dir/passwd
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$dir/mail
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
  user = $user
}
service anvil {
  chroot =
}
service auth {
  user = $user
}
service auth-worker {
  user = $user
}
service stats {
  user = $user
}
CONF

"$DOVECOT" -F -c "$dir/dovecot.conf" >"$dir/foreground.log" 2>&1 &
pid=$!
stop() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -z "${ALO153_KEEP_TMP:-}" ]; then rm -rf "$dir"; else echo "imap-test: kept $dir" >&2; fi
}
trap stop EXIT
trap 'exit 130' INT TERM
for _ in $(seq 1 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$dir/foreground.log" "$dir/dovecot.log" >&2 2>/dev/null; exit 1; }
  sleep 0.1
done

export ALO153_TEST_IMAP_URL="imap://127.0.0.1:$port/INBOX"
export ALO153_TEST_IMAP_CREDENTIALS="$dir/credentials"
export ALO153_TEST_IMAP_MAILDIR="$dir/mail/Maildir"
"$@"
