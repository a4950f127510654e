#!/usr/bin/env bash
# How the knowledge does on real bounce mails it was not written against: the test mails of two other public
# bounce parsers, fetched from Debian (flufl.bounce, GNU Mailman's bounce detector: 116 mails; Perl's
# Mail::DeliveryStatus::BounceParser: 126 mails of its t/corpus). Neither set has reason labels in our vocabulary,
# so the peer is Sisimai (Debian's libsisimai-perl) on the same files, recipient by recipient.
# Prints per set: recipients, mails with no recipient, `undefined` answers, and agreement with Sisimai where Sisimai
# names a reason (mesgtoobig/exceedlimit count as emailtoolarge, as in BounceCorpusTest), then the disagreements.
# Further directories of .eml files given as arguments are measured the same way after the two sets.
# Needs: ./mvnw -B package -DskipTests first; network to deb.debian.org once (cached in target/world-corpora);
# apt-get install libsisimai-perl for the peer column.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-target/world-corpora}
POOL=http://deb.debian.org/debian/pool/main
mkdir -p "$OUT"

fetch() { # url file
  [ -s "$OUT/$2" ] || curl -sSf -o "$OUT/$2" "$1"
}

if [ ! -d "$OUT/flufl" ]; then
  fetch "$POOL/f/flufl.bounce/python3-flufl.bounce_4.0-3_all.deb" flufl.deb
  rm -rf "$OUT/x" && dpkg -x "$OUT/flufl.deb" "$OUT/x"
  mkdir -p "$OUT/flufl"
  for f in "$OUT"/x/usr/lib/python3/dist-packages/flufl/bounce/tests/data/*.txt; do
    b=$(basename "$f" .txt); cp "$f" "$OUT/flufl/$b.eml"
  done
fi
if [ ! -d "$OUT/bounceparser" ]; then
  fetch "$POOL/libm/libmail-deliverystatus-bounceparser-perl/libmail-deliverystatus-bounceparser-perl_1.543+repacked.orig.tar.xz" bp.tar.xz
  tar -C "$OUT" -xf "$OUT/bp.tar.xz"
  mkdir -p "$OUT/bounceparser"
  for f in "$OUT"/Mail-DeliveryStatus-BounceParser-*/t/corpus/*; do
    b=$(basename "$f"); cp "$f" "$OUT/bounceparser/${b%.*}.eml"
  done
fi

for dir in "$OUT/flufl" "$OUT/bounceparser" "$@"; do
  set=$(basename "$dir")
  java -XX:TieredStopAtLevel=1 -jar target/quarkus-app/quarkus-run.jar classify "$dir" 2>/dev/null | sort > "$OUT/$set.ours"
  if perl -MSisimai -e1 2>/dev/null; then
    perl -MSisimai -e 'for my $f (@ARGV) { my $v = Sisimai->make($f) || []; (my $b = $f) =~ s{.*/}{}; my $i = 0;
      print join("\t", $b, ++$i, $_->reason), "\n" for @$v }' "$dir"/*.eml 2>/dev/null | sort > "$OUT/$set.sisimai"
  else
    : > "$OUT/$set.sisimai"
  fi
  mails=$(ls "$dir"/*.eml | wc -l)
  answered=$(cut -f1 "$OUT/$set.ours" | sort -u | wc -l)
  awk -F'\t' -v set="$set" -v mails="$mails" -v answered="$answered" '
    function norm(r) { return (r == "mesgtoobig" || r == "exceedlimit") ? "emailtoolarge" : r }
    NR == FNR { peer[$1 "\t" $2] = norm($3); next }
    { n++; if ($3 == "undefined") undef++
      k = $1 "\t" $2
      if ((k in peer) && peer[k] != "undefined") { m++; if (peer[k] == $3) agree++; else diff[peer[k] " -> " $3]++ } }
    END {
      printf "%s: %d mails, %d recipients, %d mails without one, undefined %d (%.1f%%), agreement with Sisimai %d/%d (%.1f%%)\n",
        set, mails, n, mails - answered, undef, 100 * undef / n, agree, m, m ? 100 * agree / m : 0
      for (d in diff) printf "  %3d  %s\n", diff[d], d | "sort -rn"
      close("sort -rn")
    }' "$OUT/$set.sisimai" "$OUT/$set.ours"
done
