#!/bin/sh
# Installs the text source of the benchmark corpus: WordNet 3.0's database (Debian package
# wordnet-base, files /usr/share/wordnet/data.*). Needs root and the Debian archive; run once.
set -eu
if [ -f /usr/share/wordnet/data.noun ]; then
  echo "WordNet already installed in /usr/share/wordnet"
  exit 0
fi
apt-get install -y wordnet-base
echo "WordNet installed; licence: /usr/share/doc/wordnet-base/copyright"
