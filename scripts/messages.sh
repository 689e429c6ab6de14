#!/usr/bin/env bash
# Refresh the zh-Hans catalogue in one step, after merges that left pending-*.po files behind:
#   1. the pending translations are merged into django.po (a pending entry wins over the catalogue's),
#   2. makemessages extracts the source as the project always has (run inside villagemarket/, so references
#      read "accounts/admin.py:35"), entries no longer in the source are dropped,
#   3. the pending files are deleted and django.mo is compiled,
#   4. what is still untranslated or fuzzy is printed; the exit status is 1 while anything is left.
# Translate what it prints in django.po, then run it again until it exits 0 (it is idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
django_admin="$repo/.venv/bin/django-admin"
[ -x "$django_admin" ] || ./scripts/bootstrap.sh
for tool in xgettext msgcat msgattrib msgfmt; do
  command -v "$tool" >/dev/null || { echo "!!> $tool not found: install Debian's gettext (apt-get install gettext)" >&2; exit 2; }
done

dir=villagemarket/locale/zh_Hans/LC_MESSAGES
po=$dir/django.po
settings=(--settings=villagemarket.config.settings)
makemessages() { (cd villagemarket && "$django_admin" makemessages -l zh_Hans "${settings[@]}" -v 0); }

shopt -s nullglob
pending=("$dir"/pending-*.po)
shopt -u nullglob

if [ ${#pending[@]} -gt 0 ]; then
  echo "==> merging ${#pending[@]} pending file(s): ${pending[*]##*/}"
  # Two pending files that translate one msgid differently: the first (alphabetically) wins; say so.
  conflicts=$(msgcat --more-than=1 "${pending[@]}" 2>/dev/null | msgattrib --only-fuzzy 2>/dev/null \
    | grep -c '^msgid "[^"]' || true)
  [ "$conflicts" = 0 ] || echo "--> $conflicts msgid(s) translated differently by two pending files; the first file's wins"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # The catalogue's own header goes first so that --use-first keeps it (pending files carry partial headers).
  awk 'BEGIN{RS=""; ORS="\n\n"} /(^|\n)msgid ""\nmsgstr ""/ {print; exit}' "$po" > "$tmp/header.po"
  msgcat --use-first -o "$tmp/merged.po" "$tmp/header.po" "${pending[@]}" "$po"
  # --use-first: a pending translation is the newer decision and wins; a fuzzy entry never beats a translated one.
  cp "$tmp/merged.po" "$po"
fi

echo "==> makemessages (zh_Hans)"
makemessages
msgattrib --no-obsolete -o "$po" "$po"
# makemessages once more so that the file is byte-for-byte what makemessages writes (line wrapping).
makemessages
if [ ${#pending[@]} -gt 0 ]; then
  rm -f "${pending[@]}"
  echo "==> deleted ${pending[*]##*/}"
fi

echo "==> compilemessages"
(cd villagemarket && "$django_admin" compilemessages -l zh_Hans "${settings[@]}" -v 0)
msgfmt --statistics -o /dev/null "$po"

count=$( (msgattrib --only-fuzzy "$po"; msgattrib --untranslated "$po") | grep -c '^msgid "[^"]' || true)
if [ "$count" != 0 ]; then
  echo "!!> $count entr(ies) untranslated or fuzzy in $po — translate them (and remove '#, fuzzy'), then run again:" >&2
  msgattrib --only-fuzzy --no-wrap "$po" | sed -n '/^$/,$p'
  msgattrib --untranslated --no-wrap "$po" | sed -n '/^$/,$p'
  exit 1
fi
echo "==> catalogue complete"
